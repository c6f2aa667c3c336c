/* The SMTP transport: the same RFC 5322 text as the Maildir one, handed
 * to a relay through libcurl (smtp_url; smtps:// or STARTTLS, with the
 * certificate verified). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "mail_message.h"
#include "mail_transport.h"
#include "xmalloc.h"

/* A relay that does not answer is given up on after this long; the mail
 * stays queued and is retried. */
#define MAIL_SMTP_CONNECT_TIMEOUT 10L
#define MAIL_SMTP_TIMEOUT 60L

/* The message as libcurl reads it. */
struct mail_smtp_upload {
	const char *msg;
	size_t len;
	size_t at;
};

/* Set libcurl up. */
int
mail_smtp_init(char **error)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		xasprintf(error, "cannot initialise libcurl");
		return -1;
	}
	return 0;
}

/* Release libcurl. */
void
mail_smtp_cleanup(void)
{
	curl_global_cleanup();
}

/* CURLOPT_READFUNCTION: the next piece of the message. */
static size_t
mail_smtp_read(char *buf, size_t size, size_t nitems, void *arg)
{
	struct mail_smtp_upload *up = arg;
	size_t room = size * nitems, n = up->len - up->at;

	if (n > room)
		n = room;
	memcpy(buf, up->msg + up->at, n);
	up->at += n;
	return n;
}

/* CURLOPT_XFERINFOFUNCTION: non-zero aborts, when the service stops. */
static int
mail_smtp_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow,
    curl_off_t ultotal, curl_off_t ulnow)
{
	const atomic_bool *stop = arg;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return atomic_load(stop) ? 1 : 0;
}

/* Send one message through the relay. */
enum mail_sent
mail_smtp_deliver(const struct settings *cfg, const char *recipient,
    const char *msg, size_t len, const atomic_bool *stop, char **error)
{
	struct mail_smtp_upload up = { msg, len, 0 };
	struct curl_slist *rcpt = NULL;
	char errbuf[CURL_ERROR_SIZE] = "";
	char *from, *envelope;
	enum mail_sent rc;
	CURLcode res;
	CURL *curl;

	if ((curl = curl_easy_init()) == NULL) {
		xasprintf(error, "cannot start libcurl");
		return MAIL_FAILED;
	}
	envelope = mail_message_envelope(cfg->mail_from);
	xasprintf(&from, "<%s>", envelope);
	rcpt = curl_slist_append(rcpt, recipient);
	curl_easy_setopt(curl, CURLOPT_URL, cfg->smtp_url);
	/* Only mail: a mistyped smtp_url must not fetch from elsewhere. */
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
#else
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS,
	    (long)(CURLPROTO_SMTP | CURLPROTO_SMTPS));
#endif
	curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(curl, CURLOPT_READFUNCTION, mail_smtp_read);
	curl_easy_setopt(curl, CURLOPT_READDATA, &up);
	curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT,
	    MAIL_SMTP_CONNECT_TIMEOUT);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, MAIL_SMTP_TIMEOUT);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, mail_smtp_progress);
	curl_easy_setopt(curl, CURLOPT_XFERINFODATA, (void *)stop);
	/* Certificates are always verified (libcurl's default, said here
	 * so that nobody turns it off by accident). */
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
	if (strncasecmp(cfg->smtp_url, "smtps:", 6) == 0 ||
	    cfg->smtp_user != NULL)
		/* smtps: TLS from the start; a password never goes out in
		 * clear: STARTTLS is required when there is one. */
		curl_easy_setopt(curl, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	else
		curl_easy_setopt(curl, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	if (cfg->smtp_user != NULL) {
		curl_easy_setopt(curl, CURLOPT_USERNAME, cfg->smtp_user);
		if (cfg->smtp_password != NULL)
			curl_easy_setopt(curl, CURLOPT_PASSWORD,
			    cfg->smtp_password);
	}
	res = curl_easy_perform(curl);
	if (res == CURLE_OK)
		rc = MAIL_SENT;
	else if (res == CURLE_ABORTED_BY_CALLBACK && atomic_load(stop))
		rc = MAIL_ABANDONED;
	else {
		xasprintf(error, "%s: %s", curl_easy_strerror(res),
		    errbuf[0] != '\0' ? errbuf : "-");
		rc = MAIL_FAILED;
	}
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(curl);
	free(from);
	free(envelope);
	return rc;
}
