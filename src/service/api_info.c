/* GET /api/v1/info: what the service is and the rules in force, so that
 * the client never hard-codes a profile's numbers. */
#include "config.h"

#include "api.h"
#include "lang.h"
#include "reply.h"

/* Add a JSON number member. */
static void
api_info_number(cJSON *obj, const char *key, long value)
{
	cJSON_AddNumberToObject(obj, key, (double)value);
}

/* GET /api/v1/info. */
void
api_info(void *arg, const struct http_request *req, struct http_reply *r)
{
	const struct api_ctx *ctx = arg;
	const struct settings *cfg = ctx->cfg;
	cJSON *root = cJSON_CreateObject();
	cJSON *langs = cJSON_CreateArray(), *pol = cJSON_CreateObject();
	cJSON *lim = cJSON_CreateObject();

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
	api_info_number(lim, "reset_key_ttl", cfg->limits.reset_key_ttl);
	api_info_number(lim, "password_max_age",
	    cfg->limits.password_max_age);
	cJSON_AddItemToObject(root, "limits", lim);

	reply_json(r, 200, root);
}
