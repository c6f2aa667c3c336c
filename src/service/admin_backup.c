/* backup and restore. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "admin_backup.h"
#include "admin_json.h"
#include "store_backup.h"
#include "termsafe.h"

/* backup FILE: a consistent copy of the database at one instant. */
int
admin_backup(const struct settings *cfg, int argc, char **argv)
{
	bool json = admin_json_take(&argc, argv);
	char *error = NULL;
	long long bytes = 0;
	struct store *st;
	enum store_rc rc;

	if (argc != 2) {
		fprintf(stderr, "usage: madoguchid [OPTIONS] backup FILE "
		    "[--json]\n");
		return 2;
	}
	if ((st = store_open(cfg->data_dir, cfg->database, &error)) == NULL) {
		fprintf(stderr, "madoguchid: %s\n", error);
		free(error);
		return 1;
	}
	rc = store_backup(st, argv[1], &bytes, &error);
	store_close(st);
	if (rc != STORE_OK) {
		fputs("madoguchid: backup failed: ", stderr);
		termsafe_print(stderr, error);
		fputc('\n', stderr);
		free(error);
		return 1;
	}
	if (json) {
		struct admin_json j;

		admin_json_begin(&j, stdout, false);
		admin_json_str(&j, "file", argv[1]);
		admin_json_int(&j, "bytes", bytes);
		admin_json_end(&j, false);
	} else {
		fputs("madoguchid: database copied to ", stdout);
		termsafe_print(stdout, argv[1]);
		printf(" (%lld bytes)\n", bytes);
	}
	return 0;
}

/* restore FILE: into a data directory without a database. */
int
admin_restore(const struct settings *cfg, int argc, char **argv)
{
	bool json = admin_json_take(&argc, argv);
	char *error = NULL;
	struct store *st;

	if (argc != 2) {
		fprintf(stderr, "usage: madoguchid [OPTIONS] restore FILE "
		    "[--json]\n");
		return 2;
	}
	if (store_restore(cfg->data_dir, argv[1], &error) != 0) {
		fputs("madoguchid: restore failed: ", stderr);
		termsafe_print(stderr, error);
		fputc('\n', stderr);
		free(error);
		return 1;
	}
	/* Opening brings an older schema up to date, and refuses a newer
	 * one: then the directory is left as it was found. */
	if ((st = store_open(cfg->data_dir, cfg->database, &error)) == NULL) {
		store_restore_undo(cfg->data_dir);
		fputs("madoguchid: restore failed: ", stderr);
		termsafe_print(stderr, error);
		fputc('\n', stderr);
		free(error);
		return 1;
	}
	store_close(st);
	if (json) {
		struct admin_json j;

		admin_json_begin(&j, stdout, false);
		admin_json_str(&j, "file", argv[1]);
		admin_json_str(&j, "data_dir", cfg->data_dir);
		admin_json_end(&j, false);
	} else {
		fputs("madoguchid: restored ", stdout);
		termsafe_print(stdout, argv[1]);
		fputs(" into ", stdout);
		termsafe_print(stdout, cfg->data_dir);
		putchar('\n');
	}
	return 0;
}
