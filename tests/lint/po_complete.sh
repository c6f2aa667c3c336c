#!/bin/sh
# Every catalogue in po/LINGUAS is complete: msgfmt --check passes and
# reports no untranslated or fuzzy message (issue: eight languages,
# complete and correct).  Reads the sources in place.
top=$(cd "$(dirname "$0")/../.." && pwd)
status=0
for lang in $(sed -e 's/#.*//' "$top/po/LINGUAS"); do
	po="$top/po/$lang.po"
	if [ ! -f "$po" ]; then
		echo "FAIL $lang: no $po"
		status=1
		continue
	fi
	stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$po" 2>&1) || {
		echo "FAIL $lang: msgfmt --check: $stats"
		status=1
		continue
	}
	case $stats in
	*untranslated*|*fuzzy*)
		echo "FAIL $lang: $stats"
		status=1 ;;
	*)
		echo "ok $lang: $stats" ;;
	esac
done
exit $status
