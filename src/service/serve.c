/* Starting and stopping the service. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api.h"
#include "auth.h"
#include "clock.h"
#include "fsfile.h"
#include "http.h"
#include "log.h"
#include "mail.h"
#include "metrics.h"
#include "metrics_http.h"
#include "notify.h"
#include "purge.h"
#include "serve.h"
#include "store.h"
#include "store_gauges.h"
#include "termsafe.h"
#include "tlscert.h"
#include "xmalloc.h"

/* A PEM file is a few kilobytes; refuse anything absurd. */
#define SERVE_PEM_MAX (1 << 20)

/* What serve_run holds, released in one place. */
struct serve {
	const struct settings *cfg;
	struct store *store;
	struct auth *auth;
	struct tlscert_files files;
	char *cert_pem;
	char *key_pem;
	struct http_server *http;
	struct http_route *routes;
	struct mail *mail;
	struct purge *purge;
	struct metrics *metrics;
	struct metrics_http *metrics_http;
	struct api_ctx api;
	bool port_file_written;
};

/* Read a whole (small) file; NULL with *error. */
static char *
serve_read_file(const char *path, char **error)
{
	FILE *f = fopen(path, "r");
	char *buf;
	size_t n;

	if (f == NULL) {
		xasprintf(error, "%s: %s", path, strerror(errno));
		return NULL;
	}
	buf = xmalloc(SERVE_PEM_MAX + 1);
	n = fread(buf, 1, SERVE_PEM_MAX, f);
	if (ferror(f) || n == SERVE_PEM_MAX) {
		xasprintf(error, "%s: cannot read (or too large)", path);
		fclose(f);
		wipe(buf, SERVE_PEM_MAX);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	return buf;
}

/* Write the port number to port_file atomically (tests wait for it). */
static int
serve_write_port(const char *path, unsigned short port, char **error)
{
	char line[16];
	int len = snprintf(line, sizeof line, "%u\n", (unsigned int)port);

	return fsfile_replace(path, line, (size_t)len, 0644, error);
}

/* Certificate and key: configured, or generated into the data dir. */
static int
serve_tls(struct serve *s, char **error)
{
	const struct settings *cfg = s->cfg;

	if (cfg->cert != NULL) {
		s->files.cert = xstrdup(cfg->cert);
		s->files.key = xstrdup(cfg->key);
	} else if (tlscert_ensure(cfg->data_dir, cfg->tls_names,
	    cfg->keep_ca_key != 0,
	    &s->files, error) != 0)
		return -1;
	if ((s->cert_pem = serve_read_file(s->files.cert, error)) == NULL ||
	    (s->key_pem = serve_read_file(s->files.key, error)) == NULL)
		return -1;
	return 0;
}

/* Each connection is a file descriptor: raise the soft limit as far as
 * the hard one allows, up to what max_connections needs (nginx's
 * worker_rlimit_nofile does the same), and say so when it falls short. */
static void
serve_raise_nofile(const struct settings *cfg)
{
	struct rlimit rl;
	/* The database, its WAL, the log, the listening socket... */
	rlim_t want = (rlim_t)cfg->max_connections + 64;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= want)
		return;
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ?
	    want : rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur < want)
		log_warn("open files limited to %llu: fewer than "
		    "max_connections (%ld) can be served",
		    (unsigned long long)rl.rlim_cur, cfg->max_connections);
}

/* Warn about one user ID that differs only in case from another. */
static void
serve_collision(void *arg, const char *user_id, const char *holder)
{
	char *id = termsafe_text(user_id);
	char *other = termsafe_text(holder != NULL ? holder : "-");

	(void)arg;
	log_warn("user IDs \"%s\" and \"%s\" differ only in case: \"%s\" "
	    "logs in only when typed exactly so; settle them (docs/api.md, "
	    "madoguchid user-collisions)", id, other, id);
	free(id);
	free(other);
}

/* The gauges of a scrape: hashing lanes and the database. */
static void
serve_gauges(void *arg, struct metrics_gauges *g)
{
	struct serve *s = arg;
	struct store_gauges sg;

	http_hash_load(s->http, &g->hashes_running, &g->hashes_queued);
	g->store_ok = store_gauges(s->store,
	    (long long)clock_now(s->cfg->test_clock_file), &sg) == STORE_OK;
	if (g->store_ok) {
		g->mail_queued = sg.mail_queued;
		g->mail_oldest_age = sg.mail_oldest_age;
		g->sessions_live = sg.sessions_live;
	}
}

/* Count each answer for GET /metrics. */
static void
serve_observe(void *arg, const char *method, const char *route, int status,
    double seconds)
{
	metrics_request(arg, method, route, status, seconds);
}

/* The metrics listener, when metrics_listen is set: after the API's, so
 * that its first scrape finds everything it reads. */
static int
serve_metrics(struct serve *s, char **error)
{
	const char *listen = s->cfg->metrics_listen;

	if (listen == NULL || *listen == '\0')
		return 0;
	if ((s->metrics_http = metrics_http_start(listen, s->metrics,
	    serve_gauges, s, error)) == NULL)
		return -1;
	log_info("metrics on http://%.*s:%u/metrics",
	    (int)(strrchr(listen, ':') - listen), listen,
	    (unsigned int)metrics_http_port(s->metrics_http));
	return 0;
}

/* Open everything and start listening. */
static int
serve_start(struct serve *s, char **error)
{
	const struct settings *cfg = s->cfg;
	struct http_options opts;

	serve_raise_nofile(cfg);
	if ((s->store = store_open(cfg->data_dir, cfg->database,
	    error)) == NULL)
		return -1;
	/* Rows made before user IDs were compared without case (v4). */
	if (store_user_collisions(s->store, serve_collision, NULL) != STORE_OK)
		log_warn("could not list user IDs that differ only in case");
	if ((s->mail = mail_start(cfg, s->store, error)) == NULL)
		return -1;
	if ((s->purge = purge_start(cfg, s->store, error)) == NULL)
		return -1;
	if ((s->auth = auth_new(cfg->hash_concurrency, cfg->hash_wait,
	    cfg->hash_time, cfg->hash_memory)) == NULL) {
		xasprintf(error, "cannot initialise libsodium");
		return -1;
	}
	if (serve_tls(s, error) != 0)
		return -1;
	/* Counted whether or not metrics_listen is set: a few additions
	 * per request, and nothing to decide at each. */
	s->metrics = metrics_new();
	s->api.cfg = cfg;
	s->api.store = s->store;
	s->api.auth = s->auth;
	s->api.metrics = s->metrics;
	s->api.info_json = api_info_render(cfg);
	memset(&opts, 0, sizeof opts);
	opts.listen = cfg->listen;
	opts.port = (unsigned short)cfg->port;
	opts.cert_pem = s->cert_pem;
	opts.key_pem = s->key_pem;
	opts.max_body = (size_t)cfg->max_body;
	opts.threads = (unsigned int)cfg->http_threads;
	opts.workers = (unsigned int)cfg->workers;
	/* Twice the hashes allowed at once: a request spends part of its
	 * time in the database, and its core would idle meanwhile.  auth.c
	 * still lets only hash_concurrency hash at once. */
	opts.hash_workers = (unsigned int)cfg->hash_concurrency * 2;
	opts.hash_wait = cfg->hash_wait;
	opts.max_connections = (unsigned int)cfg->max_connections;
	opts.per_client_connections = (unsigned int)cfg->per_client_connections;
	opts.request_timeout = cfg->request_timeout;
	opts.keepalive_timeout = cfg->keepalive_timeout;
	s->routes = api_routes_build();
	opts.routes = s->routes;
	opts.ctx = &s->api;
	opts.observe = serve_observe;
	opts.observe_arg = s->metrics;
	if ((s->http = http_start(&opts, error)) == NULL)
		return -1;
	return serve_metrics(s, error);
}

/* Stop listening and release everything, in reverse order. */
static void
serve_stop(struct serve *s)
{
	/* Its scrapes read the API's state: it goes first. */
	metrics_http_stop(s->metrics_http);
	/* Waits for handler threads: no transaction is cut short. */
	http_stop(s->http, s->cfg->drain_timeout);
	free(s->routes);
	free(s->api.info_json);
	/* Before the store: the worker's last update must land. */
	mail_stop(s->mail);
	purge_stop(s->purge);
	store_close(s->store);
	auth_free(s->auth);
	metrics_free(s->metrics);
	if (s->key_pem != NULL)
		free_secret(&s->key_pem);
	free(s->cert_pem);
	if (s->port_file_written)
		unlink(s->cfg->port_file);
	tlscert_files_free(&s->files);
}

/* Wait for SIGINT or SIGTERM, which are blocked in every thread.
 * SIGHUP is taken too, so that it no longer ends the service: logs go
 * to stderr, which needs no reopening, and every setting and the
 * certificate are read at start only, so there is nothing to reload;
 * the line says so (madoguchid(8), SIGNALS). */
static void
serve_wait(const sigset_t *signals)
{
	int sig = 0;

	for (;;) {
		if (sigwait(signals, &sig) != 0)
			continue;
		if (sig != SIGHUP)
			break;
		log_info("SIGHUP: nothing to reload (logs go to stderr); "
		    "a changed configuration or certificate needs a restart");
	}
	notify_stopping();
	log_info("signal %d: stopping", sig);
}

/* Run the service. */
int
serve_run(const struct settings *cfg)
{
	struct serve s;
	sigset_t stop;
	char *error = NULL;
	int rc = 1;

	if ((cfg->cert == NULL) != (cfg->key == NULL)) {
		fprintf(stderr, "madoguchid: cert and key must be given "
		    "together\n");
		return 2;
	}
	memset(&s, 0, sizeof s);
	s.cfg = cfg;
	/* Block the stop signals before any thread exists, so that all
	 * inherit the mask and only sigwait below receives them. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (serve_start(&s, &error) != 0) {
		log_error("%s", error);
		free(error);
		goto out;
	}
	if (s.files.ca != NULL)
		log_info("CA certificate for clients: %s", s.files.ca);
	log_info("listening on https://%s%s%s:%u (profile %s)", strchr(cfg->listen, ':') != NULL ? "[" : "",
	    cfg->listen, strchr(cfg->listen, ':') != NULL ? "]" : "",
	    (unsigned int)http_port(s.http),
	    settings_profile_name(cfg->profile));
	if (cfg->port_file != NULL && *cfg->port_file != '\0') {
		if (serve_write_port(cfg->port_file, http_port(s.http),
		    &error) != 0) {
			log_error("%s", error);
			free(error);
			goto out;
		}
		s.port_file_written = true;
	}
	notify_ready(http_port(s.http));
	serve_wait(&stop);
	rc = 0;
out:
	/* The stop signals stay blocked: a second one during shutdown
	 * must not turn a clean exit into a killed process. */
	serve_stop(&s);
	return rc;
}
