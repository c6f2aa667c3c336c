/* The store's side of madoguchid user-import (admin_import.c): many new
 * users in one write transaction, each without a password with its key
 * (a code of purpose "reset", as A2 issues) and the account_key mail
 * that carries it.  Nothing stored is ever changed: a user who is there
 * already is reported and left as it is. */
#ifndef MADOGUCHID_STORE_IMPORT_H
#define MADOGUCHID_STORE_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "onetime.h"
#include "store.h"

/* Room for a user ID with its NUL: given ones are up to 256 characters
 * (validate_user_id), issued ones 10 (userid.h). */
#define STORE_IMPORT_ID_MAX 257

/* What became of one user. */
enum store_import_outcome {
	STORE_IMPORT_ADDED,
	STORE_IMPORT_EXISTS	/* already stored (or earlier in the batch) */
};

/* One user to add. */
struct store_import_user {
	/* In: the user (user_id NULL: issue one, and in oss the bulk-user
	 * ID with it); password_hash AUTH_NO_PASSWORD when key is set. */
	struct store_user u;
	/* The key as the mail shows it (onetime_shown), sealed in seal;
	 * NULL when the user comes with a password hash. */
	const char *key;
	unsigned char seal[ONETIME_SEAL_BYTES];
	/* Out, filled afresh by every run of the transaction. */
	enum store_import_outcome outcome;
	char user_id[STORE_IMPORT_ID_MAX];	/* the ID stored, or the
						 * one that was there */
	char bulk_user_id[STORE_IMPORT_ID_MAX];	/* oss, issued */
};

/* A batch of users, added in one transaction. */
struct store_import_batch {
	struct store_import_user *users;
	size_t n;
	/* Draw new IDs into user_id (and in oss bulk_user_id), each of
	 * STORE_IMPORT_ID_MAX bytes; NULL when every user has its ID.
	 * With issued IDs a user is the same person as a stored one with
	 * the same address (without case) and the same Latin name, or
	 * name when it has no Latin name. */
	void (*issue)(char *user_id, char *bulk_user_id);
	long long now;
	long long key_expires;	/* when the keys end */
	long ttl_hours;		/* what the mail says of it */
};

/* Add the batch's users in one transaction: STORE_OK with each user's
 * outcome, or nothing added at all. */
enum store_rc store_import(struct store *, struct store_import_batch *);

#endif
