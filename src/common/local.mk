## Code both programs share: validation rules, JSON reading, error codes,
## configuration files, allocation, dates in the display language.  Depends on cJSON and libc only.
noinst_LIBRARIES += src/common/libcommon.a
src_common_libcommon_a_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS)
src_common_libcommon_a_SOURCES = \
	src/common/conf.c src/common/conf.h \
	src/common/datefmt.c src/common/datefmt.h \
	src/common/errcode.c src/common/errcode.h \
	src/common/gettext.h src/common/i18n.h \
	src/common/jsonstrict.c src/common/jsonstrict.h \
	src/common/jsonutil.c src/common/jsonutil.h \
	src/common/validate.c src/common/validate.h \
	src/common/xmalloc.c src/common/xmalloc.h
