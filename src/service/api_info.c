/* GET /api/v1/info: what the service is and the rules in force, so that
 * the client never hard-codes a profile's numbers. */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "api.h"
#include "lang.h"
#include "reply.h"
#include "xmalloc.h"

/* Add a JSON number member. */
static void
api_info_number(cJSON *obj, const char *key, long value)
{
	cJSON_AddNumberToObject(obj, key, (double)value);
}

/* Which flows this profile offers, so the client shows only those. */
static void
api_info_features(cJSON *root, const struct settings *cfg)
{
	cJSON *f = cJSON_AddObjectToObject(root, "features");
	bool oss = cfg->profile == PROFILE_OSS;
	bool imm = cfg->profile == PROFILE_IMMIGRATION;

	/* R1-R7: lgpos (000, 001) and immigration (003 §3). */
	cJSON_AddBoolToObject(f, "registration", !oss);
	/* A1: 003 §2.4. */
	cJSON_AddBoolToObject(f, "user_id_reminder", imm);
	/* A2: 002 §6, 003 §2.5, 004. */
	cJSON_AddBoolToObject(f, "password_reset", true);
	/* A3: 002 §5. */
	cJSON_AddBoolToObject(f, "password_change_without_login", oss);
	/* M2: 002 §3. */
	cJSON_AddBoolToObject(f, "details_change", true);
	/* M3: 003 §6.1 (oss changes its addresses in M2). */
	cJSON_AddBoolToObject(f, "email_change", !oss);
	/* M5: 003 §6.3. */
	cJSON_AddBoolToObject(f, "contact_change", true);
	/* M6: 002 §4. */
	cJSON_AddBoolToObject(f, "bulk_user", oss);
	/* M7: 003 §5. */
	cJSON_AddBoolToObject(f, "receipts", imm);
}

/* The rate limits in force (docs/api.md "Rate limits"), so that a
 * client can tell a person how many tries there are. */
static void
api_info_rate_limits(cJSON *root, const struct settings *cfg)
{
	cJSON *all = cJSON_AddObjectToObject(root, "rate_limits");

	for (int c = 0; c < RATE_CLASSES; c++) {
		cJSON *rule = cJSON_AddObjectToObject(all,
		    settings_rate_name((enum rate_class)c));

		api_info_number(rule, "per_client", cfg->rate[c].per_client);
		api_info_number(rule, "per_target", cfg->rate[c].per_target);
		api_info_number(rule, "window", cfg->rate[c].window);
	}
}

/* The body of GET /api/v1/info, made once: it changes only with the
 * configuration, and printing its numbers is most of what building it
 * costs (cJSON prints numbers slowly). */
char *
api_info_render(const struct settings *cfg)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *langs = cJSON_CreateArray(), *pol = cJSON_CreateObject();
	cJSON *lim = cJSON_CreateObject(), *types = cJSON_CreateArray();
	char *text;

	cJSON_AddStringToObject(root, "service", "madoguchid");
	cJSON_AddStringToObject(root, "version", PACKAGE_VERSION);
	cJSON_AddStringToObject(root, "service_name", cfg->service_name);
	cJSON_AddStringToObject(root, "profile",
	    settings_profile_name(cfg->profile));
	for (const char *const *l = lang_codes; *l != NULL; l++)
		cJSON_AddItemToArray(langs, cJSON_CreateString(*l));
	cJSON_AddItemToObject(root, "languages", langs);
	cJSON_AddStringToObject(root, "user_id_kind", cfg->user_id_kind);

	api_info_number(pol, "min_length", cfg->policy.min_length);
	api_info_number(pol, "max_length", cfg->policy.max_length);
	api_info_number(pol, "min_classes", cfg->policy.min_classes);
	cJSON_AddStringToObject(pol, "symbols", cfg->policy.symbols);
	cJSON_AddItemToObject(root, "password_policy", pol);

	api_info_number(lim, "idle_timeout", cfg->idle_timeout);
	api_info_number(lim, "idle_warning", cfg->idle_warning);
	api_info_number(lim, "lockout_failures", cfg->limits.lockout_failures);
	api_info_number(lim, "lockout_duration", cfg->limits.lockout_duration);
	api_info_number(lim, "code_length", cfg->limits.code_length);
	api_info_number(lim, "code_ttl", cfg->limits.code_ttl);
	api_info_number(lim, "code_attempts", cfg->limits.code_attempts);
	api_info_number(lim, "reset_key_length", cfg->limits.reset_key_length);
	api_info_number(lim, "reset_key_ttl", cfg->limits.reset_key_ttl);
	api_info_number(lim, "password_max_age",
	    cfg->limits.password_max_age);
	api_info_number(lim, "reminder_interval",
	    cfg->limits.reminder_interval);
	api_info_number(lim, "reminder_period", cfg->limits.reminder_period);
	api_info_number(lim, "receipts_page_size",
	    cfg->limits.receipts_page_size);
	api_info_number(lim, "notices_page_size",
	    cfg->limits.notices_page_size);
	cJSON_AddItemToObject(root, "limits", lim);
	api_info_rate_limits(root, cfg);

	cJSON_AddStringToObject(root, "code_kind",
	    cfg->code_kind == CODE_KEY ? "key" : "digits");
	for (const char *const *t = cfg->registrant_types; *t != NULL; t++)
		cJSON_AddItemToArray(types, cJSON_CreateString(*t));
	cJSON_AddItemToObject(root, "registrant_types", types);
	api_info_features(root, cfg);

	text = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	if (text == NULL) {
		/* At start only, like xmalloc's own failure. */
		fputs("madoguchid: out of memory\n", stderr);
		exit(1);
	}
	return text;
}

/* GET /api/v1/info: the body made at start.  Runs on the event thread
 * (HTTP_ROUTE_INLINE): it only copies a string. */
void
api_info(void *arg, const struct http_request *req, struct http_reply *r)
{
	const struct api_ctx *ctx = arg;

	(void)req;
	r->status = 200;
	r->body = xstrdup(ctx->info_json);
}
