## libFuzzer targets (configure --enable-fuzzing, CC=clang): the request
## parsing every handler shares.  Each target compiles its own copy of the
## code it fuzzes with -fsanitize=fuzzer,address,undefined, so that
## nothing else in the build is instrumented.  make check runs each for
## FUZZ_TIME seconds over the JSONTestSuite files (src/fuzz/run-fuzz.sh).
EXTRA_DIST += src/fuzz/run-fuzz.sh
if ENABLE_FUZZING
FUZZ_FLAGS = -fsanitize=fuzzer,address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
check_PROGRAMS += src/fuzz/fuzz_request
TESTS += src/fuzz/run-fuzz.sh
src_fuzz_fuzz_request_SOURCES = src/fuzz/fuzz_request.c \
	src/common/jsonstrict.c src/common/jsonutil.c src/common/validate.c \
	src/common/xmalloc.c src/service/http_path.c
src_fuzz_fuzz_request_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src/service
src_fuzz_fuzz_request_CFLAGS = $(AM_CFLAGS) $(FUZZ_FLAGS) $(CJSON_CFLAGS)
src_fuzz_fuzz_request_LDFLAGS = $(FUZZ_FLAGS)
src_fuzz_fuzz_request_LDADD = $(CJSON_LIBS) -lm
endif
