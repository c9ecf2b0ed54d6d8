/* newswired run and check-config: the daemon's life cycle on one libevent
 * loop. Start, tell systemd we are ready, reload on SIGHUP (the new file is
 * validated completely before anything changes), drain and stop on SIGTERM.
 * Exit status: 0 after a clean stop, 1 on a runtime failure, 2 on a usage
 * or configuration error. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <event2/event.h>
#include <systemd/sd-daemon.h>

#include "cmd.h"
#include "conf.h"
#include "daemon.h"
#include "metrics.h"
#include "newswire/log.h"
#include "nwtime.h"
#include "pipeline.h"

#define STATUS_EVERY_S 5

enum run_state { RUNNING, RELOADING, STOPPING };

struct run {
	struct event_base *base;
	const char *path;
	int cli_log_format; /* -1: from the config */
	struct nw_conf *conf;
	struct nw_conf *next; /* during a reload */
	struct nw_pipeline *pl;
	enum run_state state;
	int stop_requested;
	int exit_code;
	int services_up;
	int first_start;
	struct event *sigterm, *sigint, *sighup;
	struct event *watchdog, *status, *deadline;
	int64_t drain_t0_ms;
	struct nw_pipeline_stats past; /* of pipelines before a reload */
};

static void
apply_logging(struct run *r, const struct nw_conf *c)
{
	enum nw_log_level lvl = NW_LOG_INFO;
	enum nw_log_format fmt;

	log_level_parse(c->daemon.log_level, &lvl);
	if (r->cli_log_format >= 0)
		fmt = (enum nw_log_format)r->cli_log_format;
	else
		fmt = strcmp(c->daemon.log_format, "json") == 0 ? NW_LOG_JSON
								: NW_LOG_TEXT;
	log_init(lvl, fmt);
}

static void
print_errors(const struct nw_strv *errs, int to_log)
{
	size_t i;

	for (i = 0; i < errs->n; i++) {
		if (to_log)
			log_error("config: %s", errs->v[i]);
		else
			fprintf(stderr, "%s\n", errs->v[i]);
	}
}

static void
notify_status(struct run *r)
{
	struct nw_pipeline_stats st = {0};

	if (r->pl != NULL)
		nw_pipeline_stats(r->pl, &st);
	st.received += r->past.received;
	st.done += r->past.done;
	st.failed += r->past.failed;
	st.retried += r->past.retried;
	sd_notifyf(0,
	    "STATUS=%s: received=%lu published=%lu failed=%lu retried=%lu "
	    "inflight=%zu",
	    r->state == RUNNING         ? "running"
		: r->state == RELOADING ? "reloading"
					: "stopping",
	    st.received, st.done, st.failed, st.retried, st.inflight);
}

/* Returns -1 when a service failed to start (it is logged). */
static int
services_start(struct run *r)
{
	const struct nw_service *const *s;
	char *cause = NULL;
	int rc = 0;

	for (s = nw_services; *s != NULL; s++) {
		if ((*s)->start(r->base, r->conf, &cause) != 0) {
			log_error("service %s: %s", (*s)->name,
			    cause ? cause : "cannot start");
			free(cause);
			cause = NULL;
			rc = -1;
		}
	}
	r->services_up = 1;
	return rc;
}

static void
services_stop(struct run *r)
{
	const struct nw_service *const *s;

	if (!r->services_up)
		return;
	for (s = nw_services; *s != NULL; s++)
		if ((*s)->stop != NULL)
			(*s)->stop();
	r->services_up = 0;
}

/* Build and start a pipeline for conf. */
static int
pipeline_up(struct run *r, struct nw_conf *conf)
{
	char *cause = NULL;

	nw_daemon_set(r->base, conf, 0);
	apply_logging(r, conf);
	/* systemd's StateDirectory= makes it; by hand, we do. */
	if (mkdir(conf->daemon.state_dir, 0750) != 0 && errno != EEXIST)
		log_warn("state_dir %s", conf->daemon.state_dir);
	if ((r->pl = nw_pipeline_new(r->base, conf)) == NULL)
		fatalx("out of memory");
	if (nw_pipeline_start(r->pl, &cause) != 0) {
		log_error("cannot start: %s", cause ? cause : "unknown");
		free(cause);
		nw_pipeline_free(r->pl);
		r->pl = NULL;
		nw_daemon_set(r->base, NULL, 0);
		return -1;
	}
	r->conf = conf;
	nw_daemon_set(r->base, conf, 1);
	/* At start-up a service that cannot start (the admin address is
	 * taken) is a failure; after a reload the daemon goes on without. */
	if (services_start(r) != 0 && r->first_start)
		return -2;
	return 0;
}

static int
remaining_ms(struct run *r)
{
	int64_t ms = r->conf->daemon.shutdown_timeout_ms -
	    (nw_mono_ms() - r->drain_t0_ms);

	return ms > 0 ? (int)ms : 0;
}

/* The old pipeline is idle (or out of time): flush its sinks and free it. */
static void
pipeline_down(struct run *r)
{
	struct nw_pipeline_stats st;
	size_t left;

	services_stop(r);
	/* Confirmations that arrive while flushing still ack their
	 * dispatches; count what is left after. */
	left = nw_pipeline_flush(r->pl, remaining_ms(r));
	nw_pipeline_stats(r->pl, &st);
	r->past.received += st.received;
	r->past.done += st.done;
	r->past.failed += st.failed;
	r->past.retried += st.retried;
	if (st.inflight > 0 || left > 0)
		log_warnx("stopped with %zu dispatches in flight and %zu "
			  "messages unconfirmed; they stay at their sources",
		    st.inflight, left);
	nw_pipeline_free(r->pl);
	r->pl = NULL;
	nw_daemon_set(r->base, NULL, 0);
}

static void
finish_reload(struct run *r)
{
	struct nw_conf *old = r->conf;

	pipeline_down(r);
	if (r->stop_requested) {
		nw_conf_free(r->next);
		r->next = NULL;
		event_base_loopbreak(r->base);
		return;
	}
	if (pipeline_up(r, r->next) == 0) {
		nw_conf_free(old);
		r->next = NULL;
		log_info("reloaded configuration %s", r->path);
	} else {
		log_error("new configuration failed to start; going back to "
			  "the previous one");
		nw_conf_free(r->next);
		r->next = NULL;
		if (pipeline_up(r, old) != 0) {
			log_error("previous configuration failed to start "
				  "too; exiting");
			r->conf = old;
			r->exit_code = 1;
			event_base_loopbreak(r->base);
			return;
		}
	}
	r->state = RUNNING;
	sd_notify(0, "READY=1");
	notify_status(r);
}

static void
drained(void *arg)
{
	struct run *r = arg;

	evtimer_del(r->deadline);
	if (r->state == RELOADING)
		finish_reload(r);
	else {
		pipeline_down(r);
		event_base_loopbreak(r->base);
	}
}

static void
deadline_cb(evutil_socket_t fd, short what, void *arg)
{
	struct run *r = arg;

	log_warnx("shutdown_timeout reached with dispatches in flight");
	drained(r);
}

static void
start_drain(struct run *r)
{
	struct timeval tv;
	int64_t ms = r->conf->daemon.shutdown_timeout_ms;

	r->drain_t0_ms = nw_mono_ms();
	tv.tv_sec = (time_t)(ms / 1000);
	tv.tv_usec = (suseconds_t)((ms % 1000) * 1000);
	evtimer_add(r->deadline, &tv);
	nw_daemon_set(r->base, r->conf, 0);
	nw_pipeline_drain(r->pl, drained, r);
	/* Don't wait for a batched fsync timer or the like: ask the sinks to
	 * deliver now what they hold (without blocking the loop). */
	if (r->pl != NULL)
		nw_pipeline_flush(r->pl, 0);
}

static void
on_stop(evutil_socket_t sig, short what, void *arg)
{
	struct run *r = arg;

	if (r->state == STOPPING || r->stop_requested) {
		log_info("already stopping");
		return;
	}
	log_info("signal %s: stopping intake, draining",
	    sig == SIGTERM ? "TERM" : "INT");
	sd_notify(0, "STOPPING=1");
	if (r->state == RELOADING) {
		r->stop_requested = 1;
		return;
	}
	r->state = STOPPING;
	notify_status(r);
	start_drain(r);
}

static void
on_reload(evutil_socket_t sig, short what, void *arg)
{
	struct run *r = arg;
	struct nw_strv errs = {0};
	struct nw_conf *c;
	struct timespec mono;

	if (r->state != RUNNING) {
		log_info("SIGHUP ignored: already %s",
		    r->state == RELOADING ? "reloading" : "stopping");
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &mono);
	sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu",
	    (unsigned long long)mono.tv_sec * 1000000ULL +
		(unsigned long long)mono.tv_nsec / 1000ULL);
	if (nw_conf_load(r->path, &c, &errs) != 0) {
		print_errors(&errs, 1);
		log_error("reload: %s rejected (%zu errors); keeping the "
			  "running configuration",
		    r->path, errs.n);
		nw_strv_clear(&errs);
		sd_notify(0, "READY=1");
		notify_status(r);
		return;
	}
	nw_strv_clear(&errs);
	if (strcmp(c->text, r->conf->text) == 0) {
		/* Same configuration: the signal is for logrotate. */
		nw_conf_free(c);
		nw_pipeline_reopen(r->pl);
		log_info("reload: configuration unchanged; sinks reopened");
		sd_notify(0, "READY=1");
		return;
	}
	log_info("reload: configuration valid; draining to switch over");
	r->next = c;
	r->state = RELOADING;
	notify_status(r);
	start_drain(r);
}

static void
watchdog_cb(evutil_socket_t fd, short what, void *arg)
{
	sd_notify(0, "WATCHDOG=1");
}

static void
status_cb(evutil_socket_t fd, short what, void *arg)
{
	notify_status(arg);
}

static void
run_usage(void)
{
	fprintf(stderr,
	    "usage: newswired run -c FILE [--log-format "
	    "text|json]\n");
}

static int
cmd_run_exec(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"log-format", required_argument, NULL, 'F'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct run r = {0};
	struct nw_strv errs = {0};
	struct timeval tv;
	uint64_t wd_usec;
	int ch, rc;

	r.cli_log_format = -1;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:F:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			r.path = optarg;
			break;
		case 'F':
			if (strcmp(optarg, "json") == 0)
				r.cli_log_format = NW_LOG_JSON;
			else if (strcmp(optarg, "text") == 0)
				r.cli_log_format = NW_LOG_TEXT;
			else {
				run_usage();
				return 2;
			}
			break;
		case 'h':
			run_usage();
			return 0;
		default:
			run_usage();
			return 2;
		}
	}
	if (r.path == NULL || optind != argc) {
		run_usage();
		return 2;
	}
	log_init(NW_LOG_INFO,
	    r.cli_log_format == NW_LOG_JSON ? NW_LOG_JSON : NW_LOG_TEXT);
	if (nw_conf_load(r.path, &r.conf, &errs) != 0) {
		print_errors(&errs, 0);
		nw_strv_clear(&errs);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	if ((r.base = event_base_new()) == NULL)
		fatalx("event_base_new failed");
	r.sigterm = evsignal_new(r.base, SIGTERM, on_stop, &r);
	r.sigint = evsignal_new(r.base, SIGINT, on_stop, &r);
	r.sighup = evsignal_new(r.base, SIGHUP, on_reload, &r);
	r.deadline = evtimer_new(r.base, deadline_cb, &r);
	r.status = event_new(r.base, -1, EV_PERSIST, status_cb, &r);
	if (r.sigterm == NULL || r.sigint == NULL || r.sighup == NULL ||
	    r.deadline == NULL || r.status == NULL)
		fatalx("out of memory");
	event_add(r.sigterm, NULL);
	event_add(r.sigint, NULL);
	event_add(r.sighup, NULL);
	r.first_start = 1;
	if ((rc = pipeline_up(&r, r.conf)) != 0) {
		if (rc == -2)
			pipeline_down(&r);
		r.exit_code = 1;
		nw_conf_free(r.conf);
		r.conf = NULL;
		goto out;
	}
	r.first_start = 0;
	if (sd_watchdog_enabled(0, &wd_usec) > 0) {
		r.watchdog = event_new(r.base, -1, EV_PERSIST, watchdog_cb, &r);
		if (r.watchdog == NULL)
			fatalx("out of memory");
		tv.tv_sec = (time_t)(wd_usec / 2 / 1000000);
		tv.tv_usec = (suseconds_t)(wd_usec / 2 % 1000000);
		event_add(r.watchdog, &tv);
	}
	tv.tv_sec = STATUS_EVERY_S;
	tv.tv_usec = 0;
	event_add(r.status, &tv);
	log_info("started with %zu sources and %zu sinks from %s",
	    r.conf->nsources, r.conf->nsinks, r.path);
	sd_notify(0, "READY=1");
	notify_status(&r);
	event_base_dispatch(r.base);

	if (r.pl != NULL)
		pipeline_down(&r);
	services_stop(&r);
	nw_conf_free(r.conf);
	nw_conf_free(r.next);
	log_info("stopped");
out:
	if (r.watchdog != NULL)
		event_free(r.watchdog);
	event_free(r.status);
	event_free(r.deadline);
	event_free(r.sigterm);
	event_free(r.sigint);
	event_free(r.sighup);
	event_base_free(r.base);
	nw_metrics_reset();
	nw_daemon_set(NULL, NULL, 0);
	return r.exit_code;
}

static int
cmd_check_exec(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"describe", no_argument, NULL, 'd'},
	    {NULL, 0, NULL, 0},
	};
	struct nw_strv errs = {0};
	struct nw_conf *c;
	const char *path = NULL;
	int ch, describe = 0;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:d", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			path = optarg;
			break;
		case 'd':
			describe = 1;
			break;
		default:
			fprintf(stderr,
			    "usage: newswired check-config "
			    "[--describe] [-c FILE]\n");
			return 2;
		}
	}
	if (describe) {
		nw_conf_describe(stdout);
		if (path == NULL)
			return 0;
	}
	if (path == NULL || optind != argc) {
		fprintf(stderr,
		    "usage: newswired check-config [--describe] -c FILE\n");
		return 2;
	}
	if (nw_conf_load(path, &c, &errs) != 0) {
		print_errors(&errs, 0);
		nw_strv_clear(&errs);
		return 1;
	}
	printf(
	    "%s: ok (%zu sources, %zu sinks)\n", path, c->nsources, c->nsinks);
	nw_conf_free(c);
	return 0;
}

const struct nw_cmd_entry nw_cmd_run_entry = {
    .name = "run",
    .usage = "-c FILE [--log-format text|json]",
    .summary = "run the daemon in the foreground",
    .exec = cmd_run_exec,
};

const struct nw_cmd_entry nw_cmd_check_config_entry = {
    .name = "check-config",
    .usage = "[--describe] -c FILE",
    .summary = "validate a configuration (--describe: list every key)",
    .exec = cmd_check_exec,
};
