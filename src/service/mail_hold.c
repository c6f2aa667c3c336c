/* Mails held back in memory while the database cannot record them. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "mail_hold.h"
#include "store_content.h"
#include "xmalloc.h"

struct mail_hold_entry {
	long long id;
	long long sent_at;	/* -1: failed, not delivered */
	long long until;	/* next try to record, or end of the wait */
};

/* An empty hold. */
void
mail_hold_init(struct mail_hold *h)
{
	memset(h, 0, sizeof *h);
}

/* Free the hold. */
void
mail_hold_free(struct mail_hold *h)
{
	free(h->v);
	memset(h, 0, sizeof *h);
}

/* The entry for id, or NULL. */
static struct mail_hold_entry *
mail_hold_find(const struct mail_hold *h, long long id)
{
	for (size_t i = 0; i < h->n; i++)
		if (h->v[i].id == id)
			return &h->v[i];
	return NULL;
}

/* Add or replace the entry for id. */
static void
mail_hold_put(struct mail_hold *h, long long id, long long sent_at,
    long long until)
{
	struct mail_hold_entry *e = mail_hold_find(h, id);

	if (e == NULL) {
		if (h->n == h->cap) {
			h->cap = h->cap == 0 ? 8 : h->cap * 2;
			h->v = xreallocarray(h->v, h->cap, sizeof *h->v);
		}
		e = &h->v[h->n++];
	}
	e->id = id;
	e->sent_at = sent_at;
	e->until = until;
}

/* Delivered but not recorded. */
void
mail_hold_sent(struct mail_hold *h, long long id, long long sent_at,
    long long retry_at)
{
	mail_hold_put(h, id, sent_at, retry_at);
}

/* Failed, and the failure not recorded. */
void
mail_hold_failed(struct mail_hold *h, long long id, long long until)
{
	mail_hold_put(h, id, -1, until);
}

/* Whether id is held back. */
bool
mail_hold_has(const struct mail_hold *h, long long id)
{
	return mail_hold_find(h, id) != NULL;
}

/* How many mails are held. */
size_t
mail_hold_count(const struct mail_hold *h)
{
	return h->n;
}

/* Record what can be recorded now; release what has waited enough. */
void
mail_hold_flush(struct mail_hold *h, struct store *store, long long now,
    long retry_delay)
{
	size_t i = 0;

	while (i < h->n) {
		struct mail_hold_entry *e = &h->v[i];
		enum store_rc rc;
		bool done;

		if (e->until > now) {
			i++;
			continue;
		}
		if (e->sent_at < 0) {
			/* Its retry is due: the row is still under this
			 * worker's claim, so give it back to be taken again
			 * (by this worker or another).  The attempt that
			 * could not be counted stays uncounted. */
			rc = store_outbox_release(store, e->id, now);
			done = rc == STORE_OK || rc == STORE_NOT_FOUND;
			if (!done)
				e->until = now + retry_delay;
		} else if ((rc = store_outbox_sent(store, e->id,
		    e->sent_at)) == STORE_OK) {
			log_info("mail %lld: delivery recorded", e->id);
			done = true;
		} else if (rc == STORE_NOT_FOUND)
			done = true;	/* the row is gone: nothing to record */
		else {
			e->until = now + retry_delay;
			done = false;
		}
		if (done)
			*e = h->v[--h->n];
		else
			i++;
	}
}
