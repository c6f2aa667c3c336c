/* The service's languages. */
#include "config.h"

#include <string.h>

#include "lang.h"

const char *const lang_codes[] = {
	"ja", "en", "zh_CN", "zh_TW", "ko", "es", "vi", "tl", NULL
};

/* Is code one of lang_codes? */
bool
lang_known(const char *code)
{
	for (const char *const *l = lang_codes; *l != NULL; l++) {
		if (strcmp(*l, code) == 0)
			return true;
	}
	return false;
}
