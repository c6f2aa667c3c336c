/* The mail worker thread: reminders, then whatever mail is due, then a
 * nap of at most a second. */
#include "config.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"
#include "mail.h"
#include "mail_hold.h"
#include "mail_message.h"
#include "mail_render.h"
#include "mail_transport.h"
#include "store_content.h"
#include "xmalloc.h"

/* Mails read from the queue at a time; the worker comes straight back
 * for more when a batch was full. */
#define MAIL_BATCH 16
/* The longest wait between two attempts at one mail. */
#define MAIL_RETRY_MAX 3600L

struct mail {
	const struct settings *cfg;
	struct store *store;
	char *dir;		/* the Maildir outbox, when not SMTP */
	bool smtp;
	atomic_bool stop;
	/* Delivered or failed mails the database could not record; only
	 * the worker thread touches it. */
	struct mail_hold hold;
	char *claimant;		/* this instance's name on its claims */
	time_t claim_warned;	/* last warning that no claim was recorded */
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
};

/* The wait before attempt number attempts + 1: mail_retry doubled for
 * each failure after the first, at most an hour. */
static long
mail_retry_delay(const struct settings *cfg, long long attempts)
{
	long delay = cfg->mail_retry;

	for (long long i = 1; i < attempts && delay < MAIL_RETRY_MAX; i++)
		delay *= 2;
	return delay < MAIL_RETRY_MAX ? delay : MAIL_RETRY_MAX;
}

/* Record a mail that can never be sent as it stands; it stays in the
 * queue (mail-list shows it) but is never due again. */
static void
mail_refuse(struct mail *m, const struct store_mail *row, const char *why,
    long long now)
{
	enum store_rc rc;

	log_warn("mail %lld (%s): cannot be sent: %s", row->id, row->kind,
	    why);
	if ((rc = store_outbox_failed(m->store, row->id, why,
	    STORE_OUTBOX_NEVER)) != STORE_OK) {
		/* Judged again after mail_retry, not every round. */
		log_warn("mail %lld: cannot record the failure (%d)", row->id,
		    (int)rc);
		mail_hold_failed(&m->hold, row->id, now + m->cfg->mail_retry);
	}
}

/* Hand a finished message to the transport. */
static enum mail_sent
mail_send(struct mail *m, const struct store_mail *row, const char *msg,
    size_t len, long long now, char **error)
{
	if (m->smtp)
		return mail_smtp_deliver(m->cfg, row->recipient, msg, len,
		    &m->stop, error);
	return mail_maildir_deliver(m->dir, row->id, row->created_at, msg,
	    len, now, error);
}

/* Render, build and deliver one mail, and record what happened. */
static void
mail_deliver(struct mail *m, struct store_mail *row, long long now)
{
	struct mail_text text;
	enum mail_sent sent;
	char *error = NULL, *msg;
	enum store_rc rc;
	size_t len;

	/* Nothing from the row reaches a header unencoded but the
	 * address: a CR or LF there would add headers (or recipients). */
	if (!mail_message_address_ok(row->recipient)) {
		mail_refuse(m, row, "the recipient is not a usable address",
		    now);
		return;
	}
	if (mail_render(m->cfg, row->kind, row->lang, row->params, &text,
	    &error) != 0) {
		mail_refuse(m, row, error, now);
		free(error);
		return;
	}
	msg = mail_message_build(m->cfg, row->recipient, &text, now, &len);
	mail_text_clear(&text);
	sent = mail_send(m, row, msg, len, now, &error);
	wipe(msg, len);
	free(msg);
	switch (sent) {
	case MAIL_SENT:
		if (error != NULL) {
			log_warn("mail %lld: %s", row->id, error);
			free(error);
		}
		/* A busy database is retried: the message is out, and a
		 * row left unsent would be delivered a second time. */
		for (int i = 0; i < 5; i++)
			if ((rc = store_outbox_sent(m->store, row->id,
			    now)) != STORE_BUSY)
				break;
		if (rc != STORE_OK) {
			/* Never deliver it again for want of the record:
			 * hold it, and record it when the database can. */
			log_warn("mail %lld: delivered, but not recorded (%d); "
			    "recording it again in %ld s", row->id, (int)rc,
			    m->cfg->mail_retry);
			mail_hold_sent(&m->hold, row->id, now,
			    now + m->cfg->mail_retry);
		} else
			log_info("mail %lld (%s): delivered", row->id,
			    row->kind);
		break;
	case MAIL_FAILED: {
		long delay = mail_retry_delay(m->cfg, row->attempts + 1);

		log_warn("mail %lld (%s): delivery failed (attempt %lld), "
		    "retrying in %ld s: %s", row->id, row->kind,
		    row->attempts + 1, delay, error);
		if ((rc = store_outbox_failed(m->store, row->id, error,
		    now + delay)) != STORE_OK) {
			/* Still due in the database: wait in memory. */
			log_warn("mail %lld: cannot record the failure (%d)",
			    row->id, (int)rc);
			mail_hold_failed(&m->hold, row->id, now + delay);
		}
		free(error);
		break;
	}
	case MAIL_ABANDONED:
		/* Shutting down: not an attempt; due again at once, for
		 * this instance's next start or another instance. */
		(void)store_outbox_release(m->store, row->id, now);
		free(error);
		break;
	}
}

/* Deliver what is due now; true when there may be more. */
static bool
mail_deliver_due(struct mail *m, long long now)
{
	/* Held mails are still due in the database: read that many more,
	 * so that they never crowd out a batch of the others. */
	int max = MAIL_BATCH + (int)mail_hold_count(&m->hold);
	struct store_mail *due;
	enum store_rc rc;
	int n = 0;

	mail_hold_flush(&m->hold, m->store, now, m->cfg->mail_retry);
	due = xcalloc((size_t)max, sizeof *due);
	if ((rc = store_outbox_claim(m->store, m->claimant, now,
	    now + m->cfg->mail_lease, due, max, &n)) != STORE_OK) {
		/* Taking a mail is a write: with the disk full it fails
		 * every round; say so once a minute, not every second. */
		if (rc != STORE_BUSY && time(NULL) - m->claim_warned >= 60) {
			log_warn("mail: cannot take mail from the queue (%s); "
			    "nothing is sent until it can be", rc == STORE_FULL ?
			    "storage full" : "database error");
			m->claim_warned = time(NULL);
		}
		free(due);
		return false;
	}
	for (int i = 0; i < n; i++) {
		/* A held mail keeps its claim: it is out already. */
		if (mail_hold_has(&m->hold, due[i].id))
			;
		else if (!atomic_load(&m->stop))
			mail_deliver(m, &due[i], now);
		else
			(void)store_outbox_release(m->store, due[i].id, now);
		store_outbox_clear(&due[i]);
	}
	free(due);
	return n == max && !atomic_load(&m->stop);
}

/* 003 §1.4: queue the receipt reminders that are due. */
static void
mail_remind(struct mail *m, long long now)
{
	const struct limits *lim = &m->cfg->limits;
	enum store_rc rc;
	int queued = 0;

	rc = store_receipt_remind(m->store, now, lim->reminder_interval,
	    lim->reminder_period, &queued);
	if (rc != STORE_OK && rc != STORE_BUSY)
		log_warn("mail: cannot queue receipt reminders (%d)", (int)rc);
	else if (queued > 0)
		log_info("mail: %d receipt reminder(s) queued", queued);
}

/* Wait up to a second, or until mail_stop. */
static void
mail_nap(struct mail *m)
{
	struct timespec until;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += 1;
	pthread_mutex_lock(&m->lock);
	while (!atomic_load(&m->stop) &&
	    pthread_cond_timedwait(&m->wake, &m->lock, &until) == 0)
		;
	pthread_mutex_unlock(&m->lock);
}

/* The worker thread. */
static void *
mail_run(void *arg)
{
	struct mail *m = arg;

	/* One "now" per round: a mail due at T is only ever sent by a
	 * round whose reminders were also queued as of T or later. */
	while (!atomic_load(&m->stop)) {
		long long now = clock_now(m->cfg->test_clock_file);

		mail_remind(m, now);
		if (!mail_deliver_due(m, now))
			mail_nap(m);
	}
	/* A last try to record what was delivered, before the hold is
	 * lost with the process. */
	mail_hold_flush(&m->hold, m->store, STORE_OUTBOX_NEVER, 0);
	if (mail_hold_count(&m->hold) > 0)
		log_warn("mail: %zu delivered mail(s) still not recorded; "
		    "they may be delivered again after a restart",
		    mail_hold_count(&m->hold));
	/* The thread's database connection closes as it exits. */
	return NULL;
}

/* Free what mail_start made. */
static void
mail_free(struct mail *m)
{
	if (m->smtp)
		mail_smtp_cleanup();
	pthread_cond_destroy(&m->wake);
	pthread_mutex_destroy(&m->lock);
	mail_hold_free(&m->hold);
	free(m->claimant);
	free(m->dir);
	free(m);
}

/* This instance's name on its claims: the host and the data directory,
 * which stay the same when it is started again (two instances never
 * share a data directory). */
static char *
mail_claimant(const struct settings *cfg)
{
	char host[256], *dir = realpath(cfg->data_dir, NULL), *name;

	if (gethostname(host, sizeof host) != 0)
		snprintf(host, sizeof host, "localhost");
	host[sizeof host - 1] = '\0';
	xasprintf(&name, "%s:%s", host, dir != NULL ? dir : cfg->data_dir);
	free(dir);
	return name;
}

/* Give back the claims this instance held when it last stopped without
 * a chance to (a crash, SIGKILL): their mails are due again now, not
 * when their lease would have ended. */
static void
mail_unclaim(struct mail *m)
{
	long long n = 0;
	enum store_rc rc;

	rc = store_outbox_unclaim(m->store, m->claimant,
	    clock_now(m->cfg->test_clock_file), &n);
	if (rc != STORE_OK)
		log_warn("mail: cannot give back the mails this instance took "
		    "before it stopped (%d); they are sent when their lease "
		    "ends", (int)rc);
	else if (n > 0)
		log_info("mail: %lld mail(s) taken before the last stop are "
		    "due again", n);
}

/* Check the settings, prepare the transport, start the thread. */
struct mail *
mail_start(const struct settings *cfg, struct store *store, char **error)
{
	struct mail *m = xcalloc(1, sizeof *m);
	pthread_condattr_t attr;

	m->cfg = cfg;
	m->store = store;
	m->claimant = mail_claimant(cfg);
	atomic_init(&m->stop, false);
	mail_hold_init(&m->hold);
	pthread_mutex_init(&m->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&m->wake, &attr);
	pthread_condattr_destroy(&attr);
	if (cfg->mail_dir != NULL && *cfg->mail_dir != '\0')
		m->dir = xstrdup(cfg->mail_dir);
	else
		xasprintf(&m->dir, "%s/outbox", cfg->data_dir);
	if (cfg->smtp_url != NULL && *cfg->smtp_url != '\0') {
		if (strncasecmp(cfg->smtp_url, "smtp://", 7) != 0 &&
		    strncasecmp(cfg->smtp_url, "smtps://", 8) != 0) {
			xasprintf(error, "smtp_url must start with smtp:// or "
			    "smtps://");
			mail_free(m);
			return NULL;
		}
		if (mail_smtp_init(error) != 0) {
			mail_free(m);
			return NULL;
		}
		m->smtp = true;
	} else if (mail_maildir_init(m->dir, error) != 0) {
		mail_free(m);
		return NULL;
	}
	{
		char *from = mail_message_envelope(cfg->mail_from);
		bool ok = mail_message_address_ok(from);

		free(from);
		if (!ok) {
			xasprintf(error, "mail_from: not a usable address");
			mail_free(m);
			return NULL;
		}
	}
	/* Dates in mails are in the service's time zone (TZ). */
	tzset();
	mail_unclaim(m);
	if (pthread_create(&m->thread, NULL, mail_run, m) != 0) {
		xasprintf(error, "cannot start the mail thread");
		mail_free(m);
		return NULL;
	}
	return m;
}

/* Stop the worker and free it. */
void
mail_stop(struct mail *m)
{
	if (m == NULL)
		return;
	pthread_mutex_lock(&m->lock);
	atomic_store(&m->stop, true);
	pthread_cond_signal(&m->wake);
	pthread_mutex_unlock(&m->lock);
	pthread_join(m->thread, NULL);
	mail_free(m);
}
