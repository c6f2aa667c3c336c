/* Screens as data: the loader for the screens directory (docs/screens.md).
 * Every check that can be made before curses starts is made here, so a
 * broken screen stops the program with "FILE:LINE: problem" instead of
 * misbehaving in front of a person. */
#ifndef MADOGUCHI_SCREENFILE_H
#define MADOGUCHI_SCREENFILE_H

#include <stdbool.h>
#include <stddef.h>

/* Text as written in the file: a msgid translated when drawn, or plain. */
struct sf_text {
	char *s;		/* NULL: none */
	bool translate;
};

enum sf_item_kind { SF_TEXT, SF_FIELD, SF_BUTTON, SF_TABLE };
enum sf_field_kind { SF_FIELD_TEXT, SF_FIELD_PASSWORD, SF_FIELD_TOGGLE,
	SF_FIELD_CHOICE, SF_FIELD_READONLY };

/* One column of a table: the member shown (with an optional ":unit"
 * as placeholders have, "issued_at:datetime"), its heading, and labels
 * for known values ("registered" → "Registered"). */
struct sf_column {
	char *key;
	struct sf_text title;
	struct sf_option *map;
	size_t nmap;
};

/* One answer of a choice field: the value sent and its label. */
struct sf_option {
	char *value;
	struct sf_text text;
};
enum sf_action { SF_ACT_NONE, SF_ACT_GOTO, SF_ACT_CALL, SF_ACT_LANG,
	SF_ACT_SCHEME,
	SF_ACT_QUIT };

struct sf_item {
	enum sf_item_kind kind;
	int line;
	char *name;		/* fields and buttons */
	struct sf_text text;	/* paragraph, or the label */
	/* Fields. */
	enum sf_field_kind fkind;
	bool required;
	char *required_if;	/* required=COND: only while COND holds */
	bool nopaste;		/* refuses pasted text (000 ⑦) */
	bool digits;		/* only digits can be typed (phone, postal) */
	long max;		/* 0: no limit */
	char *rule;		/* user_id, email, password, name */
	char *for_field;	/* toggle: the password field it unmasks */
	char *match;		/* must equal this field (confirmations) */
	char *send;		/* JSON member name in calls (default: name) */
	bool nosend;		/* not sent in calls */
	bool secret;		/* a one-time code: wiped after each call and
				   never kept, like a password */
	struct sf_text value;	/* filled in when the screen is entered
				   and the field is empty (M2 prefill) */
	struct sf_option *opt;	/* choice: its answers, in order */
	size_t nopt;
	/* Tables (P1 notices, M7 receipts): a paged list from the service. */
	char *source;		/* GET:/api/v1/... answering {items, page,
				   per_page, total, pages} */
	char *page_size;	/* a number or a dotted info path */
	bool nopager;		/* one page only (the latest notices) */
	char *open;		/* Enter on a row keeps it as vars.row and
				   shows this screen */
	struct sf_column *col;
	size_t ncol;
	struct sf_text help;
	/* Buttons. */
	enum sf_action action;
	char *target;		/* goto screen, call name, language or scheme */
	char *next;		/* call: the screen shown on success */
	char *fields;		/* call: the screen whose fields are sent */
	char *with;		/* call: extra members, comma-separated:
				   "lang" or names kept from earlier answers */
	char *keep;		/* NAME:VALUE kept before the action (R1) */
	char *fail;		/* CODE:SCREEN: where a failure leads (L3) */
	bool validate;		/* goto: check the screen's fields first */
	char *cond;		/* if=: shown only when session_cond() holds
				   (features.X, vars.NAME:a,b) */
	struct sf_text confirm;	/* asked OK/Cancel before the action (R6) */
};

struct sf_screen {
	char *id;
	char *path;
	struct sf_text title;
	struct sf_text help;	/* this screen's help (F1), may be empty */
	char *back;		/* screen id, "previous" or "none" */
	int back_line;
	bool auth;
	/* A wizard's steps (000 ②: 1 利用規約の確認 … 5 本登録の完了):
	 * the names of all steps and which one this screen is. */
	struct sf_text *steps;
	size_t nsteps;
	int step;		/* 1-based; 0: not a wizard screen */
	char *load;		/* METHOD:/path called each time it is shown */
	struct sf_item *item;
	size_t nitems;
};

struct sf_set {
	struct sf_screen *screen;
	size_t n;
};

/* Load every *.screen in dir; on error returns -1 and *error is
 * "DIR/FILE.screen:LINE: problem" (malloc'd). */
int screenfile_load_dir(const char *dir, struct sf_set *out, char **error);
/* A screen by id, or NULL. */
const struct sf_screen *screenfile_find(const struct sf_set *, const char *id);
/* Index of the item named name, or -1. */
int screenfile_item(const struct sf_screen *, const char *name);
/* Free everything. */
void screenfile_free(struct sf_set *);

#endif
