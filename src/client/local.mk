## The terminal client: a generic screen engine driven by the screens directory,
## its widgets, the HTTPS API client and the language layer.  Depends on
## src/common, ncursesw, libcurl (loaded at the first request, not
## linked: curlload.c), cJSON and gettext.
bin_PROGRAMS += madoguchi
madoguchi_SOURCES = \
	src/client/main.c \
	src/client/action.c src/client/action.h \
	src/client/api.c src/client/api.h \
	src/client/apicall.c src/client/apicall.h \
	src/client/callname.c src/client/callname.h \
	src/client/curlload.c src/client/curlload.h \
	src/client/dialog.c src/client/dialog.h \
	src/client/dialogkey.c src/client/dialogkey.h \
	src/client/draw.c src/client/draw.h \
	src/client/drawchrome.c src/client/drawchrome.h \
	src/client/drawdialog.c src/client/drawdialog.h \
	src/client/drawrow.c src/client/drawrow.h \
	src/client/drawtable.c src/client/drawtable.h \
	src/client/drawtext.c src/client/drawtext.h \
	src/client/editbuf.c src/client/editbuf.h \
	src/client/editkey.c src/client/editkey.h \
	src/client/engine.c src/client/engine.h \
	src/client/errmsg.c src/client/errmsg.h \
	src/client/fieldcheck.c src/client/fieldcheck.h \
	src/client/focus.c src/client/focus.h \
	src/client/form.c src/client/form.h \
	src/client/input.c src/client/input.h \
	src/client/lang.c src/client/lang.h \
	src/client/layout.c src/client/layout.h \
	src/client/layoutcache.c src/client/layoutcache.h \
	src/client/load.c src/client/load.h \
	src/client/nav.c src/client/nav.h \
	src/client/options.c src/client/options.h \
	src/client/paging.c src/client/paging.h \
	src/client/placeholder.c src/client/placeholder.h \
	src/client/request.c src/client/request.h \
	src/client/scene.c src/client/scene.h \
	src/client/screenfile.c src/client/screenfile.h \
	src/client/screenitem.c src/client/screenitem.h \
	src/client/screenlex.c src/client/screenlex.h \
	src/client/screenparse.c src/client/screenparse.h \
	src/client/session.c src/client/session.h \
	src/client/state.c src/client/state.h \
	src/client/store.c src/client/store.h \
	src/client/tablekey.c src/client/tablekey.h \
	src/client/text.c src/client/text.h \
	src/client/theme.c src/client/theme.h \
	src/client/timers.c src/client/timers.h \
	src/client/tty.c src/client/tty.h \
	src/client/curses-wrap.h src/client/drawctx.h src/client/hash.h \
	src/client/message.h
madoguchi_CFLAGS = $(AM_CFLAGS) $(NCURSESW_CFLAGS) $(CURL_CFLAGS) $(CJSON_CFLAGS)
# libcurl's headers only, not its library: curlload.c loads it.
madoguchi_LDADD = src/common/libcommon.a $(NCURSESW_LIBS) $(CJSON_LIBS) \
	$(LIBINTL) -lm
