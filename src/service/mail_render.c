/* Mail texts, one function per kind of docs/api.md "Mails", in English
 * msgids translated through gettext.  Only the mail worker renders, and
 * it switches the language per mail (STYLE.md: LANGUAGE, then
 * textdomain() again, or the first catalogue loaded sticks). */
#include "config.h"

#include <locale.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "datefmt.h"
#include "i18n.h"
#include "lang.h"
#include "mail_render.h"
#include "xmalloc.h"

/* The language of gettext is process state (the LANGUAGE variable and
 * the text domain), not per thread: rendering holds this lock from the
 * switch until the text is complete.  Unavoidable global state. */
static pthread_mutex_t mail_render_lock = PTHREAD_MUTEX_INITIALIZER;

/* A growing text. */
struct mail_buf {
	char *s;
	size_t len;
};

/* What one rendering works with. */
struct mail_ctx {
	const struct settings *cfg;
	cJSON *params;
	const char *missing;	/* first param absent or unusable */
	struct mail_buf body;
};

/* Append formatted text to b. */
static void __attribute__((format(printf, 2, 3)))
mail_buf_printf(struct mail_buf *b, const char *fmt, ...)
{
	va_list ap;
	char *add;
	int n;

	va_start(ap, fmt);
	n = xvasprintf(&add, fmt, ap);
	va_end(ap);
	b->s = xreallocarray(b->s, b->len + (size_t)n + 1, 1);
	memcpy(b->s + b->len, add, (size_t)n + 1);
	b->len += (size_t)n;
	wipe(add, (size_t)n);
	free(add);
}

/* Set the locale and bind the catalogue. */
void
mail_render_init(void)
{
	const char *loc = setlocale(LC_ALL, "");
	const char *dir = getenv("MADOGUCHI_LOCALEDIR");

	if (loc == NULL || strcmp(loc, "C") == 0 || strcmp(loc, "POSIX") == 0)
		setlocale(LC_ALL, "C.UTF-8");
	/* JSON and log numbers stay in the C form whatever the locale. */
	setlocale(LC_NUMERIC, "C");
	bindtextdomain(PACKAGE, dir != NULL && *dir != '\0' ? dir : LOCALEDIR);
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	textdomain(PACKAGE);
}

/* A string param, made safe for a line of text: control characters
 * (a CR or LF smuggled into a name) become spaces.  A number is taken
 * as its digits.  "", noted in c->missing, when absent or empty (the
 * mail is then not sent). */
static const char *
mail_str(struct mail_ctx *c, const char *name)
{
	cJSON *item = cJSON_GetObjectItemCaseSensitive(c->params, name);

	if (cJSON_IsNumber(item)) {
		char digits[32];

		snprintf(digits, sizeof digits, "%.0f", item->valuedouble);
		cJSON_ReplaceItemInObjectCaseSensitive(c->params, name,
		    cJSON_CreateString(digits));
		item = cJSON_GetObjectItemCaseSensitive(c->params, name);
	}
	if (!cJSON_IsString(item) || item->valuestring[0] == '\0') {
		if (c->missing == NULL)
			c->missing = name;
		return "";
	}
	for (unsigned char *p = (unsigned char *)item->valuestring; *p != '\0';
	    p++)
		if (*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return item->valuestring;
}

/* A whole-number param (a JSON number or a string of digits), or 0,
 * noted in c->missing, when absent or not a number. */
static long long
mail_num(struct mail_ctx *c, const char *name)
{
	cJSON *item = cJSON_GetObjectItemCaseSensitive(c->params, name);
	char *end;
	long long v;

	if (cJSON_IsNumber(item))
		return (long long)item->valuedouble;
	if (cJSON_IsString(item) && item->valuestring[0] >= '0' &&
	    item->valuestring[0] <= '9') {
		v = strtoll(item->valuestring, &end, 10);
		if (*end == '\0')
			return v;
	}
	if (c->missing == NULL)
		c->missing = name;
	return 0;
}

/* A time for a person: "2025年7月23日 15時57分" in Japanese, ISO-like
 * elsewhere, in the service's time zone (TZ). */
static void
mail_date(long long t, char *buf, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;

	/* L10N: strftime format for times in mails, e.g. "2025-07-23 15:57
	   (JST)"; Japanese: "%Y年%-m月%-d日 %H時%M分"; %b is the month's
	   short name from this catalogue. */
	if (localtime_r(&tt, &tm) == NULL ||
	    datefmt(buf, size, _("%Y-%m-%d %H:%M (%Z)"), &tm) == 0)
		snprintf(buf, size, "%lld", t);
}

/* A blank line between paragraphs. */
static void
mail_para(struct mail_ctx *c)
{
	mail_buf_printf(&c->body, "\n");
}

/* "Dear NAME," when the mail knows the name. */
static void
mail_greeting(struct mail_ctx *c, const char *name)
{
	if (*name == '\0')
		return;
	/* L10N: the first line of a mail; %s is the person's name
	   (Japanese: "%s 様"). */
	mail_buf_printf(&c->body, _("Dear %s,"), name);
	mail_buf_printf(&c->body, "\n\n");
}

/* The line for a mail a person did not ask for. */
static void
mail_not_you(struct mail_ctx *c)
{
	mail_para(c);
	mail_buf_printf(&c->body, "%s\n", _("If you did not make this "
	    "request, you can ignore this mail."));
}

/* The line for a change a person did not make. */
static void
mail_not_done(struct mail_ctx *c)
{
	mail_para(c);
	mail_buf_printf(&c->body, "%s\n", _("If you did not make this "
	    "change, reset your password at once and contact the service."));
}

/* "User ID: X". */
static void
mail_user_id(struct mail_ctx *c, const char *user_id)
{
	mail_buf_printf(&c->body, _("User ID: %s\n"), user_id);
}

/* registration_code {code, ttl_minutes}: 000 ④. */
static void
mail_body_registration_code(struct mail_ctx *c)
{
	const char *code = mail_str(c, "code");
	long long ttl = mail_num(c, "ttl_minutes");

	mail_buf_printf(&c->body, "%s\n\n", _("Enter the verification code "
	    "below on the registration screen to complete your "
	    "registration."));
	mail_buf_printf(&c->body, _("Verification code: %s\n"), code);
	mail_para(c);
	mail_buf_printf(&c->body, ngettext("The code is valid for %lld "
	    "minute.\n", "The code is valid for %lld minutes.\n",
	    (unsigned long)ttl), ttl);
	mail_not_you(c);
}

/* registration_key {key, ttl_hours}: 003 §3 step 5 (the key of the
 * mailed link, typed at the terminal). */
static void
mail_body_registration_key(struct mail_ctx *c)
{
	const char *key = mail_str(c, "key");
	long long ttl = mail_num(c, "ttl_hours");

	mail_buf_printf(&c->body, "%s\n\n", _("Enter the key below on the "
	    "registration screen to continue your registration."));
	mail_buf_printf(&c->body, _("Registration key: %s\n"), key);
	mail_para(c);
	mail_buf_printf(&c->body, ngettext("The key is valid for %lld hour. "
	    "After that, start again from entering your e-mail address.\n",
	    "The key is valid for %lld hours. After that, start again from "
	    "entering your e-mail address.\n", (unsigned long)ttl), ttl);
	mail_not_you(c);
}

/* registration_exists {}: R3 for an address that has an account; says
 * so without giving anything away to whoever typed it. */
static void
mail_body_registration_exists(struct mail_ctx *c)
{
	mail_buf_printf(&c->body, "%s\n\n", _("Someone asked to register "
	    "this e-mail address, but an account with this address already "
	    "exists, so no new account was made."));
	mail_buf_printf(&c->body, "%s\n", _("If it was you, log in with your "
	    "user ID and password. If you have forgotten your password, use "
	    "\"Forgot password\" on the log-in screen."));
	mail_not_you(c);
}

/* registration_complete {name, user_id}: 000 ⑦, 003 §3 step 8. */
static void
mail_body_registration_complete(struct mail_ctx *c)
{
	const char *name = mail_str(c, "name");
	const char *user_id = mail_str(c, "user_id");

	mail_greeting(c, name);
	mail_buf_printf(&c->body, "%s\n\n", _("Your registration is "
	    "complete. You can now use the service."));
	mail_user_id(c, user_id);
	mail_para(c);
	mail_buf_printf(&c->body, "%s\n", _("Keep your user ID and password "
	    "safe."));
}

/* user_id_reminder {name, user_id}: 003 §2.4. */
static void
mail_body_user_id_reminder(struct mail_ctx *c)
{
	const char *name = mail_str(c, "name");
	const char *user_id = mail_str(c, "user_id");

	mail_greeting(c, name);
	mail_buf_printf(&c->body, "%s\n\n", _("You asked for the user ID "
	    "registered with this e-mail address."));
	mail_user_id(c, user_id);
	mail_not_you(c);
}

/* reset_key {user_id, key, ttl_hours}: 002 §6, 003 §2.5, 004. */
static void
mail_body_reset_key(struct mail_ctx *c)
{
	const char *user_id = mail_str(c, "user_id");
	const char *key = mail_str(c, "key");
	long long ttl = mail_num(c, "ttl_hours");

	mail_buf_printf(&c->body, "%s\n\n", _("We received a request to "
	    "reset the password of the user ID below. Enter the reset key "
	    "below on the password reset screen, then set a new password."));
	mail_user_id(c, user_id);
	mail_buf_printf(&c->body, _("Reset key: %s\n"), key);
	mail_para(c);
	mail_buf_printf(&c->body, ngettext("The key is valid for %lld hour. "
	    "After that, request a reset again.\n", "The key is valid for "
	    "%lld hours. After that, request a reset again.\n",
	    (unsigned long)ttl), ttl);
	mail_para(c);
	mail_buf_printf(&c->body, "%s\n", _("If you did not make this "
	    "request, ignore this mail: your password stays as it is."));
}

/* account_key {name, user_id, key, ttl_hours}: an account made by
 * user-import without a password; the key is an A2 reset key, so the
 * person sets the password as after a reset request. */
static void
mail_body_account_key(struct mail_ctx *c)
{
	const char *name = mail_str(c, "name");
	const char *user_id = mail_str(c, "user_id");
	const char *key = mail_str(c, "key");
	long long ttl = mail_num(c, "ttl_hours");

	mail_greeting(c, name);
	mail_buf_printf(&c->body, "%s\n\n", _("An account of this service "
	    "has been made for you with the user ID below. It has no "
	    "password yet: choose \"Forgot your password?\" and then "
	    "\"I already have a key\", enter your user ID and the key "
	    "below, and set a password of your own."));
	mail_user_id(c, user_id);
	mail_buf_printf(&c->body, _("Reset key: %s\n"), key);
	mail_para(c);
	mail_buf_printf(&c->body, ngettext("The key is valid for %lld hour. "
	    "After that, ask for a new one with \"Forgot your password?\", "
	    "giving your user ID and this e-mail address.\n", "The key is "
	    "valid for %lld hours. After that, ask for a new one with "
	    "\"Forgot your password?\", giving your user ID and this e-mail "
	    "address.\n", (unsigned long)ttl), ttl);
	mail_para(c);
	mail_buf_printf(&c->body, "%s\n", _("If you do not know why this "
	    "account was made, contact the service."));
}

/* reset_complete {user_id}: A2 done (003 §2.2: the lock is lifted too). */
static void
mail_body_reset_complete(struct mail_ctx *c)
{
	const char *user_id = mail_str(c, "user_id");

	mail_buf_printf(&c->body, "%s\n\n", _("The password of the user ID "
	    "below has been reset, and the account is no longer locked."));
	mail_user_id(c, user_id);
	mail_not_done(c);
}

/* password_changed {user_id}: A3, L3, M4 (003 §6.2). */
static void
mail_body_password_changed(struct mail_ctx *c)
{
	const char *user_id = mail_str(c, "user_id");

	mail_buf_printf(&c->body, "%s\n\n", _("The password of the user ID "
	    "below has been changed."));
	mail_user_id(c, user_id);
	mail_not_done(c);
}

/* email_change_code {code or key, ttl_minutes}: 003 §6.1. */
static void
mail_body_email_change_code(struct mail_ctx *c)
{
	cJSON *key = cJSON_GetObjectItemCaseSensitive(c->params, "key");
	const char *code = mail_str(c, key != NULL ? "key" : "code");
	long long ttl = mail_num(c, "ttl_minutes");

	mail_buf_printf(&c->body, "%s\n\n", _("Enter the code below on the "
	    "e-mail address change screen to confirm this address as your "
	    "new one."));
	mail_buf_printf(&c->body, _("Verification code: %s\n"), code);
	mail_para(c);
	mail_buf_printf(&c->body, ngettext("The code is valid for %lld "
	    "minute.\n", "The code is valid for %lld minutes.\n",
	    (unsigned long)ttl), ttl);
	mail_para(c);
	mail_buf_printf(&c->body, "%s\n", _("If you did not make this "
	    "request, ignore this mail: your registered address stays as it "
	    "is."));
}

/* email_changed {user_id}: to the new address, M3 done. */
static void
mail_body_email_changed(struct mail_ctx *c)
{
	const char *user_id = mail_str(c, "user_id");

	mail_buf_printf(&c->body, "%s\n\n", _("This is now the e-mail address "
	    "registered for the user ID below. Mails from the service will "
	    "come here from now on."));
	mail_user_id(c, user_id);
	mail_not_done(c);
}

/* email_change_notice {new_email}: to the old address, M3 done. */
static void
mail_body_email_change_notice(struct mail_ctx *c)
{
	const char *new_email = mail_str(c, "new_email");

	mail_buf_printf(&c->body, _("The e-mail address registered for your "
	    "account has been changed to %s. Mails from the service will go "
	    "to the new address from now on.\n"), new_email);
	mail_not_done(c);
}

/* details_changed {user_id}: M2, M5 (002 §3 ④, 003 §6.3). */
static void
mail_body_details_changed(struct mail_ctx *c)
{
	const char *user_id = mail_str(c, "user_id");

	mail_buf_printf(&c->body, "%s\n\n", _("The user details of the user "
	    "ID below have been changed."));
	mail_user_id(c, user_id);
	mail_not_done(c);
}

/* bulk_reset_key {bulk_user_id, key, ttl_hours, requested_at}: 002 §4
 * (the key valid 24 hours from the request, with its time). */
static void
mail_body_bulk_reset_key(struct mail_ctx *c)
{
	const char *bulk = mail_str(c, "bulk_user_id");
	const char *key = mail_str(c, "key");
	long long ttl = mail_num(c, "ttl_hours");
	long long at = mail_num(c, "requested_at");
	char when[96];

	mail_date(at, when, sizeof when);
	mail_buf_printf(&c->body, "%s\n", _("We received a request to reset "
	    "the password of the bulk user ID below. Enter the reset key "
	    "below on the password reset screen to complete the reset."));
	mail_buf_printf(&c->body, ngettext("(The key is valid for %lld hour "
	    "from the time of the request. After that, request a reset "
	    "again.)\n", "(The key is valid for %lld hours from the time of "
	    "the request. After that, request a reset again.)\n",
	    (unsigned long)ttl), ttl);
	mail_para(c);
	mail_buf_printf(&c->body, _("Requested at: %s\n"), when);
	mail_buf_printf(&c->body, _("Bulk user ID: %s\n"), bulk);
	mail_buf_printf(&c->body, _("Reset key: %s\n"), key);
	mail_para(c);
	mail_buf_printf(&c->body, "%s\n", _("If you did not make this "
	    "request, ignore this mail: your password stays as it is."));
}

/* bulk_reset_complete {bulk_user_id}: 002 §4 ⑥. */
static void
mail_body_bulk_reset_complete(struct mail_ctx *c)
{
	const char *bulk = mail_str(c, "bulk_user_id");

	mail_buf_printf(&c->body, "%s\n\n", _("The password of the bulk user "
	    "ID below has been reset."));
	mail_buf_printf(&c->body, _("Bulk user ID: %s\n"), bulk);
	mail_not_done(c);
}

/* receipt_reminder {number, issued_at, name}: 003 §1.4, every
 * reminder_interval until reminder_period after issue. */
static void
mail_body_receipt_reminder(struct mail_ctx *c)
{
	const struct limits *lim = &c->cfg->limits;
	const char *number = mail_str(c, "number");
	const char *name = mail_str(c, "name");
	long long issued = mail_num(c, "issued_at");
	long days = (lim->reminder_interval + 86399) / 86400;
	char when[96], until[96];

	mail_date(issued, when, sizeof when);
	mail_date(issued + lim->reminder_period, until, sizeof until);
	mail_greeting(c, name);
	mail_buf_printf(&c->body, "%s\n\n", _("Receipt of the certificate of "
	    "eligibility below has not been registered yet. Log in and "
	    "register its receipt on the receipt registration screen."));
	mail_buf_printf(&c->body, _("Certificate number: %s\n"), number);
	mail_buf_printf(&c->body, _("Issued at: %s\n"), when);
	mail_para(c);
	mail_buf_printf(&c->body, ngettext("Until you register it, this "
	    "reminder is sent every %ld day, until %s.\n", "Until you "
	    "register it, this reminder is sent every %ld days, until %s.\n",
	    (unsigned long)days), days, until);
}

/* Every kind of mail: its subject (with the service's name) and body. */
static const struct mail_kind {
	const char *kind;
	const char *subject;
	void (*body)(struct mail_ctx *);
} mail_kinds[] = {
	/* L10N: mail subjects; %s is the service's name.  Japanese mails
	   write it as "【%s】…". */
	{ "registration_code", N_("[%s] Your registration code"),
	    mail_body_registration_code },
	{ "registration_key", N_("[%s] Your registration key"),
	    mail_body_registration_key },
	{ "registration_exists", N_("[%s] This address is already "
	    "registered"), mail_body_registration_exists },
	{ "registration_complete", N_("[%s] Registration complete"),
	    mail_body_registration_complete },
	{ "user_id_reminder", N_("[%s] Your user ID"),
	    mail_body_user_id_reminder },
	{ "reset_key", N_("[%s] Password reset"), mail_body_reset_key },
	{ "account_key", N_("[%s] Your new account: set your password"),
	    mail_body_account_key },
	{ "reset_complete", N_("[%s] Password reset complete"),
	    mail_body_reset_complete },
	{ "password_changed", N_("[%s] Password changed"),
	    mail_body_password_changed },
	{ "email_change_code", N_("[%s] Confirm your new e-mail address"),
	    mail_body_email_change_code },
	{ "email_changed", N_("[%s] E-mail address changed"),
	    mail_body_email_changed },
	{ "email_change_notice", N_("[%s] E-mail address changed"),
	    mail_body_email_change_notice },
	{ "details_changed", N_("[%s] User details changed"),
	    mail_body_details_changed },
	{ "bulk_reset_key", N_("[%s] Bulk user password reset"),
	    mail_body_bulk_reset_key },
	{ "bulk_reset_complete", N_("[%s] Bulk user password reset "
	    "complete"), mail_body_bulk_reset_complete },
	{ "receipt_reminder", N_("[%s] Please register receipt of your "
	    "certificate"), mail_body_receipt_reminder },
};

/* The kind's row, or NULL. */
static const struct mail_kind *
mail_kind_find(const char *kind)
{
	for (size_t i = 0; i < sizeof mail_kinds / sizeof mail_kinds[0]; i++)
		if (strcmp(mail_kinds[i].kind, kind) == 0)
			return &mail_kinds[i];
	return NULL;
}

/* 000 ④, ⑦: every mail ends saying who sent it and that the address
 * is send-only. */
static void
mail_footer(struct mail_ctx *c)
{
	mail_buf_printf(&c->body, "\n--\n");
	mail_buf_printf(&c->body, _("This mail was sent automatically by "
	    "%s.\n"), c->cfg->service_name);
	mail_buf_printf(&c->body, "%s\n", _("This e-mail address is "
	    "send-only: replies to it are not read."));
}

/* The subject with the service's name in place of its "%s" (by hand,
 * not printf: a translation is data and must not be trusted as a
 * format). */
static char *
mail_subject(const char *tmpl, const char *name)
{
	const char *at = strstr(tmpl, "%s");
	char *out;

	if (at == NULL)
		return xstrdup(tmpl);
	xasprintf(&out, "%.*s%s%s", (int)(at - tmpl), tmpl, name, at + 2);
	return out;
}

/* Free parsed params, wiping their strings (codes, keys). */
static void
mail_params_free(cJSON *params)
{
	for (cJSON *item = params != NULL ? params->child : NULL; item != NULL;
	    item = item->next)
		if (cJSON_IsString(item))
			wipe(item->valuestring, strlen(item->valuestring));
	cJSON_Delete(params);
}

/* Switch gettext to lang; call with mail_render_lock held. */
static void
mail_render_language(const char *lang)
{
	setenv("LANGUAGE", lang_known(lang) ? lang : "ja", 1);
	textdomain(PACKAGE);
}

/* Render a mail in lang. */
int
mail_render(const struct settings *cfg, const char *kind, const char *lang,
    const char *params_json, struct mail_text *out, char **error)
{
	const struct mail_kind *k = mail_kind_find(kind);
	struct mail_ctx c;

	memset(out, 0, sizeof *out);
	*error = NULL;
	if (k == NULL) {
		xasprintf(error, "unknown mail kind \"%s\"", kind);
		return -1;
	}
	memset(&c, 0, sizeof c);
	c.cfg = cfg;
	c.params = cJSON_Parse(params_json);
	if (!cJSON_IsObject(c.params)) {
		mail_params_free(c.params);
		xasprintf(error, "%s: params are not a JSON object", kind);
		return -1;
	}
	pthread_mutex_lock(&mail_render_lock);
	mail_render_language(lang);
	k->body(&c);
	mail_footer(&c);
	out->subject = mail_subject(_(k->subject), cfg->service_name);
	pthread_mutex_unlock(&mail_render_lock);
	mail_params_free(c.params);
	if (c.missing != NULL) {
		xasprintf(error, "%s: param \"%s\" missing or unusable", kind,
		    c.missing);
		free_secret(&c.body.s);
		mail_text_clear(out);
		return -1;
	}
	out->body = c.body.s;
	return 0;
}

/* Release a rendered mail, wiping it. */
void
mail_text_clear(struct mail_text *t)
{
	if (t->subject != NULL)
		free_secret(&t->subject);
	if (t->body != NULL)
		free_secret(&t->body);
}
