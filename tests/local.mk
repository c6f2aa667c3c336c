## Tests: unit tests (cmocka), API tests (Python's standard library against
## a real madoguchid over HTTPS) and screen tests (expect driving the real
## madoguchi in an 80x24 tmux pane against a real madoguchid).

TEST_EXTENSIONS = .exp .py .sh .pgtest
SH_LOG_COMPILER = $(SHELL)
EXP_LOG_COMPILER = $(EXPECT)
PY_LOG_COMPILER = $(PYTHON3)
PGTEST_LOG_COMPILER = $(PYTHON3) $(abs_top_srcdir)/tests/api/on_postgresql.py
AM_TESTS_ENVIRONMENT = \
	MADOGUCHI='$(abs_top_builddir)/madoguchi'; export MADOGUCHI; \
	MADOGUCHID='$(abs_top_builddir)/madoguchid'; export MADOGUCHID; \
	FULL_DISK_SO='$(abs_top_builddir)/tests/api/full_disk.so'; export FULL_DISK_SO; \
	UNITSANDBOX='$(abs_top_builddir)/tests/api/unitsandbox'; export UNITSANDBOX; \
	MADOGUCHID_UNIT='$(abs_top_builddir)/systemd/madoguchid.service'; export MADOGUCHID_UNIT; \
	SCREENS_DIR='$(abs_top_srcdir)/screens'; export SCREENS_DIR; \
	MADOGUCHI_LOCALEDIR='$(abs_top_builddir)/locale'; export MADOGUCHI_LOCALEDIR; \
	JSON_CORPUS=$${JSON_CORPUS:-'$(default_json_corpus)'}; export JSON_CORPUS; \
	TMUX_BIN='$(TMUX)'; export TMUX_BIN; \
	PYTHON3='$(PYTHON3)'; export PYTHON3; \
	MADOGUCHI_PG_TEMPLATE='$(abs_top_builddir)/tests/api/.pg-template'; export MADOGUCHI_PG_TEMPLATE; \
	MADOGUCHI_LEAK_CHECK='$(LEAK_CHECK)'; export MADOGUCHI_LEAK_CHECK; \
	LSAN_OPTIONS='suppressions=$(abs_top_srcdir)/tests/api/lsan.supp:print_suppressions=0'; \
	export LSAN_OPTIONS; \
	EXPECT='$(EXPECT)'; export EXPECT; \
	CURL_SONAME='$(CURL_SONAME)'; export CURL_SONAME; \
	LC_ALL=C.UTF-8; export LC_ALL; TZ=Asia/Tokyo; export TZ;

# The public JSON test corpus is read in place, beside the repository;
# scripts/check.sh exports its absolute path so that make distcheck, which
# builds from a copy elsewhere, finds it too.
default_json_corpus = $(abs_top_srcdir)/../shared/corpora/JSONTestSuite/test_parsing

if HAVE_CMOCKA
UNIT_TESTS = tests/unit/test_validate tests/unit/test_jsonutil \
	tests/unit/test_conf tests/unit/test_text tests/unit/test_editbuf \
	tests/unit/test_screenlex tests/unit/test_datefmt \
	tests/unit/test_paging tests/unit/test_ratelimit_key \
	tests/unit/test_csv \
	tests/unit/test_layoutcache tests/unit/test_curlload
check_PROGRAMS += $(UNIT_TESTS)
TESTS += $(UNIT_TESTS)
UNIT_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(CJSON_CFLAGS)
UNIT_LDADD = src/common/libcommon.a $(CMOCKA_LIBS) $(CJSON_LIBS) -lm
tests_unit_test_validate_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_validate_LDADD = $(UNIT_LDADD)
tests_unit_test_jsonutil_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_jsonutil_LDADD = $(UNIT_LDADD)
tests_unit_test_conf_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_conf_LDADD = $(UNIT_LDADD)
tests_unit_test_datefmt_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_datefmt_LDADD = $(UNIT_LDADD)
tests_unit_test_text_SOURCES = tests/unit/test_text.c src/client/text.c \
	src/client/text.h
tests_unit_test_text_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src/client
tests_unit_test_text_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_text_LDADD = $(UNIT_LDADD)
tests_unit_test_editbuf_SOURCES = tests/unit/test_editbuf.c \
	src/client/editbuf.c src/client/editbuf.h src/client/text.c \
	src/client/text.h
tests_unit_test_editbuf_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src/client
tests_unit_test_editbuf_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_editbuf_LDADD = $(UNIT_LDADD)
tests_unit_test_paging_SOURCES = tests/unit/test_paging.c \
	src/client/paging.c src/client/paging.h
tests_unit_test_paging_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src/client
tests_unit_test_paging_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_paging_LDADD = $(UNIT_LDADD)
# The layout and what it reads: screen files, session, store, text.
tests_unit_test_layoutcache_SOURCES = tests/unit/test_layoutcache.c \
	src/client/layoutcache.c src/client/layout.c \
	src/client/placeholder.c src/client/session.c src/client/store.c \
	src/client/editbuf.c src/client/text.c src/client/lang.c \
	src/client/errmsg.c src/client/screenfile.c src/client/screenitem.c \
	src/client/screenparse.c src/client/screenlex.c \
	src/client/callname.c src/client/fieldcheck.c src/client/theme.c
tests_unit_test_layoutcache_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src/client
tests_unit_test_layoutcache_CFLAGS = $(UNIT_CFLAGS) $(NCURSESW_CFLAGS)
tests_unit_test_layoutcache_LDADD = $(UNIT_LDADD) $(NCURSESW_LIBS) $(LIBINTL)
tests_unit_test_screenlex_SOURCES = tests/unit/test_screenlex.c \
	src/client/screenlex.c src/client/screenlex.h
tests_unit_test_screenlex_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src/client
tests_unit_test_screenlex_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_screenlex_LDADD = $(UNIT_LDADD)
# libcurl's headers only: curlload.c loads the library.
tests_unit_test_curlload_SOURCES = tests/unit/test_curlload.c \
	src/client/curlload.c src/client/curlload.h
tests_unit_test_curlload_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src/client
tests_unit_test_curlload_CFLAGS = $(UNIT_CFLAGS) $(CURL_CFLAGS)
tests_unit_test_curlload_LDADD = $(UNIT_LDADD)
tests_unit_test_ratelimit_key_SOURCES = tests/unit/test_ratelimit_key.c \
	src/service/ratelimit_key.c src/service/ratelimit_key.h
tests_unit_test_ratelimit_key_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(top_srcdir)/src/service
tests_unit_test_ratelimit_key_CFLAGS = $(UNIT_CFLAGS) $(SODIUM_CFLAGS)
tests_unit_test_ratelimit_key_LDADD = $(UNIT_LDADD) $(SODIUM_LIBS)
tests_unit_test_csv_SOURCES = tests/unit/test_csv.c src/service/csv.c \
	src/service/csv.h
tests_unit_test_csv_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src/service
tests_unit_test_csv_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_csv_LDADD = $(UNIT_LDADD)
endif

# A full disk under the database, preloaded into madoguchid by
# tests/api/storage_full_test.py (tests/api/full_disk.c).
check_PROGRAMS += tests/api/full_disk.so
tests_api_full_disk_so_SOURCES = tests/api/full_disk.c
tests_api_full_disk_so_CFLAGS = $(AM_CFLAGS) -fPIC
tests_api_full_disk_so_LDFLAGS = -shared
tests_api_full_disk_so_LDADD = -ldl

# tests/api/sandbox_test.py (tests/api/unitsandbox.c).
if HAVE_SECCOMP
check_PROGRAMS += tests/api/unitsandbox
tests_api_unitsandbox_SOURCES = tests/api/unitsandbox.c
tests_api_unitsandbox_CFLAGS = $(AM_CFLAGS) $(SECCOMP_CFLAGS)
tests_api_unitsandbox_LDADD = $(SECCOMP_LIBS)
endif

API_PY_TESTS = tests/api/session_test.py \
	tests/api/registration_test.py \
	tests/api/recovery_test.py \
	tests/api/mypage_test.py \
	tests/api/mail_test.py \
	tests/api/notices_receipts_test.py \
	tests/api/badinput_test.py \
	tests/api/connections_test.py \
	tests/api/drain_test.py \
	tests/api/durability_test.py \
	tests/api/concurrency_test.py \
	tests/api/busy_test.py \
	tests/api/enumeration_test.py \
	tests/api/timezone_test.py \
	tests/api/session_lang_test.py \
	tests/api/golden_mail_test.py \
	tests/api/tlscert_test.py \
	tests/api/ratelimit_test.py \
	tests/api/email_case_test.py \
	tests/api/names_test.py \
	tests/api/leak_test.py \
	tests/api/storage_full_test.py \
	tests/api/operations_test.py \
	tests/api/backup_test.py \
	tests/api/shared_store_test.py \
	tests/api/mail_claim_test.py \
	tests/api/scaleout_test.py \
	tests/api/rehash_test.py \
	tests/api/import_test.py \
	tests/api/sandbox_test.py
# Every API test runs a second time on PostgreSQL: tests/api/NAME-pg.pgtest
# (its log NAME-pg.log beside NAME.log), made here in the build tree (so
# also under make distcheck, whose source tree is read-only), names
# tests/api/NAME.py for on_postgresql.py.
API_PG_TESTS = $(API_PY_TESTS:.py=-pg.pgtest)
API_TESTS = $(API_PY_TESTS) $(API_PG_TESTS) \
	tests/lint/sql_prepared.py \
	tests/lint/po_complete.sh \
	tests/lint/gettext_escape.py \
	tests/lint/man_pages.py \
	tests/lint/systemd_units.sh
SCREEN_TESTS = \
	tests/screen/login_logout.exp \
	tests/screen/wrong_password.exp \
	tests/screen/unreachable.exp \
	tests/screen/untrusted_cert.exp \
	tests/screen/timeout.exp \
	tests/screen/language_switch.exp \
	tests/screen/signals.exp \
	tests/screen/bad_screen_file.exp \
	tests/screen/colours.exp \
	tests/screen/kiosk.exp \
	tests/screen/help.exp \
	tests/screen/idle_logout.exp \
	tests/screen/register_lgpos.exp \
	tests/screen/register_immigration.exp \
	tests/screen/recovery.exp \
	tests/screen/expired_password.exp \
	tests/screen/mypage_changes.exp \
	tests/screen/notices_receipts.exp \
	tests/screen/resize.exp \
	tests/screen/service_down.exp \
	tests/screen/register_business.exp \
	tests/screen/forgot_id.exp \
	tests/screen/email_phone_change.exp \
	tests/screen/mypage_details_lgpos.exp \
	tests/screen/default_language.exp \
	tests/screen/multibyte_input.exp \
	tests/screen/huge_numbers.exp \
	tests/screen/control_chars.exp \
	tests/screen/rate_limited.exp \
	tests/screen/connection_cut.exp \
	tests/screen/home_entries.exp \
	tests/screen/back_keeps_values.exp \
	tests/screen/required_on_submit.exp \
	tests/screen/wording.exp \
	tests/screen/cmdline_lang.exp \
	tests/screen/first_paint.exp \
	tests/screen/typing_bytes.exp \
	tests/screen/proxy.exp \
	tests/screen/import_key.exp
# Golden screens: every screen in all eight languages at 80x24, compared
# with tests/golden/LANG/NAME.txt (tests/screen/golden.tcl).
GOLDEN_TESTS = \
	tests/screen/golden_lgpos.exp \
	tests/screen/golden_immigration.exp \
	tests/screen/golden_oss.exp
# The same tours under TERM=linux (the Linux console), in two languages.
SCREEN_TESTS += tests/screen/term_linux.sh
# The Debian packages built, installed, used once and purged (issue 13);
# skipped where dpkg-buildpackage is missing.
PACKAGE_TESTS = tests/package/package.sh
# The benchmark still runs (its numbers are not asserted; make bench).
BENCH_TESTS = tests/bench/smoke.sh
TESTS += $(API_TESTS) $(SCREEN_TESTS) $(GOLDEN_TESTS) $(PACKAGE_TESTS) \
	$(BENCH_TESTS)
EXTRA_DIST += $(API_PY_TESTS) tests/lint/sql_prepared.py \
	tests/lint/po_complete.sh tests/lint/gettext_escape.py \
	tests/lint/man_pages.py tests/lint/systemd_units.sh \
	$(SCREEN_TESTS) $(GOLDEN_TESTS) \
	$(PACKAGE_TESTS) $(BENCH_TESTS) tests/package/login.exp \
	tests/api/service.py tests/api/pgcluster.py \
	tests/api/on_postgresql.py tests/api/lsan.supp tests/screen/lib.tcl \
	tests/screen/golden.tcl tests/screen/fake_service.py \
	tests/screen/connect_proxy.py \
	tests/golden

$(API_PG_TESTS):
	$(AM_V_GEN)$(MKDIR_P) $(@D) && \
	  echo '$(abs_top_srcdir)/'`echo '$@' | sed 's/-pg\.pgtest$$/.py/'` \
	  >$@-t && mv $@-t $@
CLEANFILES += $(API_PG_TESTS)

# After an intended change to what a screen or a mail shows: rewrite the
# golden files in the source tree, then review them with git diff.
golden: all $(check_DATA)
	@for t in $(GOLDEN_TESTS) tests/api/golden_mail_test.py; do \
	  echo "  GOLDEN   $$t"; \
	  case $$t in *.py) run='$(PYTHON3)';; *) run='$(EXPECT)';; esac; \
	  ( $(AM_TESTS_ENVIRONMENT) GOLDEN_UPDATE=1; export GOLDEN_UPDATE; \
	    GOLDEN_DIR='$(abs_top_srcdir)/tests/golden'; export GOLDEN_DIR; \
	    $$run $(srcdir)/$$t ) || exit 1; \
	done
.PHONY: golden

# The catalogues laid out as gettext looks for them, so that the programs
# can run from the build tree (tests, the demo) with MADOGUCHI_LOCALEDIR.
check_DATA = locale/.stamp
# Copied on every run (eight small files).
# gettext's po/Makefile rebuilds a .gmo only when the .pot changes; an
# edited translation must not be tested stale either.
locale/.stamp: FORCE
	$(AM_V_at)cd po && $(MAKE) $(AM_MAKEFLAGS) update-gmo >/dev/null
	$(AM_V_GEN)for l in `sed -e 's/#.*//' $(top_srcdir)/po/LINGUAS`; do \
	  $(MKDIR_P) locale/$$l/LC_MESSAGES || exit 1; \
	  if test -f po/$$l.gmo; then src=po/$$l.gmo; else src=$(top_srcdir)/po/$$l.gmo; fi; \
	  cp $$src locale/$$l/LC_MESSAGES/$(PACKAGE).mo || exit 1; \
	done; touch $@
FORCE:

clean-local: clean-locale clean-pg-template
# One initdb for every PostgreSQL run of a make check (pgcluster.py).
clean-pg-template:
	rm -rf tests/api/.pg-template
clean-locale:
	rm -rf locale
.PHONY: clean-locale clean-pg-template FORCE
