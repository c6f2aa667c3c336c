## The account service: HTTPS (libmicrohttpd + GnuTLS), a store on SQLite
## or PostgreSQL (libpq), argon2id through libsodium.  Depends on
## src/common; nothing depends on it.
bin_PROGRAMS += madoguchid
madoguchid_SOURCES = \
	src/service/main.c \
	src/service/admin.c src/service/admin.h \
	src/service/admin_content.c src/service/admin_content.h \
	src/service/admin_hash.c src/service/admin_hash.h \
	src/service/admin_backup.c src/service/admin_backup.h \
	src/service/admin_json.c src/service/admin_json.h \
	src/service/newuser.c src/service/newuser.h \
	src/service/admin_import.c src/service/admin_import.h \
	src/service/admin_import_int.h src/service/admin_import_row.c \
	src/service/admin_import_report.c \
	src/service/csv.c src/service/csv.h \
	src/service/store_import.c src/service/store_import.h \
	src/service/api_paging.c src/service/api_paging.h \
	src/service/mail.c src/service/mail.h \
	src/service/mail_hold.c src/service/mail_hold.h \
	src/service/metrics.c src/service/metrics.h \
	src/service/metrics_http.c src/service/metrics_http.h \
	src/service/notify.c src/service/notify.h \
	src/service/mail_maildir.c src/service/mail_message.c \
	src/service/mail_message.h src/service/mail_render.c \
	src/service/mail_render.h src/service/mail_smtp.c \
	src/service/mail_transport.h \
	src/service/store_content.h src/service/store_notices.c \
	src/service/store_outbox.c src/service/store_receipts.c \
	src/service/api.c src/service/api.h \
	src/service/api_mypage.c src/service/api_notices.c \
	src/service/api_receipts.c src/service/api_recovery.c \
	src/service/api_registration.c \
	src/service/api_health.c src/service/api_info.c \
	src/service/api_me.c \
	src/service/api_session.c \
	src/service/api_account.c src/service/api_account.h \
	src/service/api_login.c \
	src/service/onetime.c src/service/onetime.h \
	src/service/profile_fields.c src/service/profile_fields.h \
	src/service/pwcheck.c src/service/pwcheck.h \
	src/service/purge.c src/service/purge.h \
	src/service/ratelimit.c src/service/ratelimit.h \
	src/service/ratelimit_key.c src/service/ratelimit_key.h \
	src/service/store_account.c src/service/store_account.h \
	src/service/store_account_int.h \
	src/service/store_code.c src/service/store_registration.c \
	src/service/store_failures.c src/service/store_failures.h \
	src/service/userid.c src/service/userid.h \
	src/service/userkey.c src/service/userkey.h \
	src/service/auth.c src/service/auth.h \
	src/service/clock.c src/service/clock.h \
	src/service/db.c src/service/db.h src/service/db_int.h \
	src/service/db_sqlite.c src/service/db_pg.c \
	src/service/datadir.c src/service/datadir.h \
	src/service/http.c src/service/http.h \
	src/service/http_check.c src/service/http_check.h \
	src/service/http_deadline.c src/service/http_deadline.h \
	src/service/workpool.c src/service/workpool.h \
	src/service/http_path.c src/service/http_path.h \
	src/service/lang.c src/service/lang.h \
	src/service/log.c src/service/log.h \
	src/service/reply.c src/service/reply.h \
	src/service/serve.c src/service/serve.h \
	src/service/settings.c src/service/settings.h \
	src/service/store.c src/service/store.h src/service/store_int.h \
	src/service/store_mail.c \
	src/service/store_purge.c src/service/store_purge.h \
	src/service/store_ratelimit.c src/service/store_ratelimit.h \
	src/service/store_session.c src/service/store_tx.c \
	src/service/store_backup.c src/service/store_backup.h \
	src/service/store_gauges.c src/service/store_gauges.h \
	src/service/store_user.c src/service/store_userkey.c \
	src/service/termsafe.c src/service/termsafe.h \
	src/service/tlscert.c src/service/tlscert.h \
	src/service/tlscert_x509.c src/service/tlscert_x509.h \
	src/service/tlsnames.c src/service/tlsnames.h \
	src/service/fsfile.c src/service/fsfile.h \
	src/service/ttypass.c src/service/ttypass.h
madoguchid_CFLAGS = $(AM_CFLAGS) $(MHD_CFLAGS) $(SQLITE_CFLAGS) $(PQ_CFLAGS) \
	$(SODIUM_CFLAGS) $(GNUTLS_CFLAGS) $(CJSON_CFLAGS) $(PWQUALITY_CFLAGS) \
	$(CURL_CFLAGS) $(SYSTEMD_CFLAGS)
madoguchid_LDFLAGS = $(LEAK_LDFLAGS)
madoguchid_LDADD = src/common/libcommon.a $(MHD_LIBS) $(SQLITE_LIBS) $(PQ_LIBS) \
	$(SODIUM_LIBS) $(GNUTLS_LIBS) $(CJSON_LIBS) $(PWQUALITY_LIBS) \
	$(CURL_LIBS) $(SYSTEMD_LIBS) $(LIBINTL) -lm -lpthread
