/* hash-rate: how many password hashes this machine computes a second
 * with the configured cost, which bounds the log-ins it can answer
 * (docs/api.md "Passwords"; scripts/bench.sh measures its ceiling so). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "admin_hash.h"
#include "admin_json.h"
#include "auth.h"

/* hash-rate [SECONDS] [--json] */
int
admin_hash_rate(const struct settings *cfg, int argc, char **argv)
{
	bool json = admin_json_take(&argc, argv);
	double seconds = 3, rate;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	struct auth *auth;
	char *end;

	if (argc > 2 || (argc == 2 && ((seconds = strtod(argv[1], &end)) <=
	    0 || seconds > 600 || *end != '\0'))) {
		fprintf(stderr, "usage: madoguchid [OPTIONS] hash-rate "
		    "[SECONDS] [--json]\n");
		return 2;
	}
	if ((auth = auth_new(1, 0, cfg->hash_time, cfg->hash_memory)) ==
	    NULL) {
		fprintf(stderr, "madoguchid: cannot hash (out of memory?)\n");
		return 1;
	}
	rate = auth_rate(auth, seconds);
	auth_free(auth);
	if (cores < 1)
		cores = 1;
	if (json) {
		struct admin_json j;

		admin_json_begin(&j, stdout, false);
		admin_json_int(&j, "hash_time", cfg->hash_time);
		admin_json_int(&j, "hash_memory", cfg->hash_memory);
		admin_json_int(&j, "cores", cores);
		admin_json_real(&j, "per_thread", rate);
		admin_json_end(&j, false);
	} else
		printf("argon2id, t = %ld, m = %ld KiB: %.1f hashes a second "
		    "on one thread; at most about %.0f log-ins a second on "
		    "%ld cores\n", cfg->hash_time, cfg->hash_memory, rate,
		    rate * (double)cores, cores);
	return 0;
}
