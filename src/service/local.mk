## The account service: HTTPS (libmicrohttpd + GnuTLS), SQLite store,
## argon2id through libsodium.  Depends on src/common; nothing depends
## on it.
bin_PROGRAMS += madoguchid
madoguchid_SOURCES = \
	src/service/main.c \
	src/service/admin.c src/service/admin.h \
	src/service/api.c src/service/api.h \
	src/service/api_mypage.c src/service/api_notices.c \
	src/service/api_receipts.c src/service/api_recovery.c \
	src/service/api_registration.c \
	src/service/api_info.c \
	src/service/api_me.c \
	src/service/api_session.c \
	src/service/auth.c src/service/auth.h \
	src/service/clock.c src/service/clock.h \
	src/service/http.c src/service/http.h \
	src/service/lang.c src/service/lang.h \
	src/service/log.c src/service/log.h \
	src/service/reply.c src/service/reply.h \
	src/service/serve.c src/service/serve.h \
	src/service/settings.c src/service/settings.h \
	src/service/store.c src/service/store.h src/service/store_int.h \
	src/service/store_mail.c \
	src/service/store_session.c \
	src/service/store_user.c \
	src/service/tlscert.c src/service/tlscert.h \
	src/service/ttypass.c src/service/ttypass.h
madoguchid_CFLAGS = $(AM_CFLAGS) $(MHD_CFLAGS) $(SQLITE_CFLAGS) \
	$(SODIUM_CFLAGS) $(GNUTLS_CFLAGS) $(CJSON_CFLAGS)
madoguchid_LDADD = src/common/libcommon.a $(MHD_LIBS) $(SQLITE_LIBS) \
	$(SODIUM_LIBS) $(GNUTLS_LIBS) $(CJSON_LIBS) -lm -lpthread
