#!/bin/sh
# Every screen under TERM=linux, as on the Linux console (8 colours, no
# italics, the console's line drawing and function keys): the golden
# tours of the three profiles (golden.tcl) with TERM=linux, in Japanese
# and English, compared with the same golden files, and no screen
# asking for colours or attributes the console lacks.
set -u
status=0
for tour in golden_lgpos golden_immigration golden_oss; do
	GOLDEN_TERM=linux GOLDEN_LANGS="ja en" "$EXPECT" \
	    "$srcdir/tests/screen/$tour.exp" || status=1
done
exit $status
