## The terminal client: a generic screen engine driven by the screens directory,
## its widgets, the HTTPS API client and the language layer.  Depends on
## src/common, ncursesw, libcurl, cJSON and gettext.
bin_PROGRAMS += madoguchi
madoguchi_SOURCES = \
	src/client/main.c \
	src/client/api.c src/client/api.h \
	src/client/apicall.c src/client/apicall.h \
	src/client/curses-wrap.h \
	src/client/dialog.c src/client/dialog.h \
	src/client/draw.c src/client/draw.h \
	src/client/editbuf.c src/client/editbuf.h \
	src/client/engine.c src/client/engine.h \
	src/client/errmsg.c src/client/errmsg.h \
	src/client/fieldcheck.c src/client/fieldcheck.h \
	src/client/focus.c src/client/focus.h \
	src/client/input.c src/client/input.h \
	src/client/lang.c src/client/lang.h \
	src/client/layout.c src/client/layout.h \
	src/client/options.c src/client/options.h \
	src/client/paging.c src/client/paging.h \
	src/client/screenfile.c src/client/screenfile.h \
	src/client/screenlex.c src/client/screenlex.h \
	src/client/session.c src/client/session.h \
	src/client/store.c src/client/store.h \
	src/client/text.c src/client/text.h \
	src/client/theme.c src/client/theme.h \
	src/client/tty.c src/client/tty.h
madoguchi_CFLAGS = $(AM_CFLAGS) $(NCURSESW_CFLAGS) $(CURL_CFLAGS) $(CJSON_CFLAGS)
madoguchi_LDADD = src/common/libcommon.a $(NCURSESW_LIBS) $(CURL_LIBS) \
	$(CJSON_LIBS) $(LIBINTL) -lm
