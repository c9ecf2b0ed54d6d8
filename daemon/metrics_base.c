/* Every metric family the alert rules and the dashboard use, present from
 * the first scrape with zero values (a rate() needs a series that existed
 * before the first increment), plus the process start time and each sink's
 * queue capacity. A service, so a reload declares the new sources' series. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"
#include "metrics.h"
#include "newswire/parse.h"

#define M_START    "process_start_time_seconds"
#define M_CAPACITY "newswired_sink_queue_capacity"

/* Zero series of a source, by family and extra label. The names are the
 * public ones of newswired(8); families are declared (type, help) by their
 * owners before services start, so adding 0 changes neither. */
static const char *const source_zero[] = {
    NW_M_RECEIVED,
    NW_M_PARSED,
    NW_M_DONE,
    NW_M_RETRIED,
};
static const char *const feed_zero[] = {
    "newswired_feed_polls_total,result=\"ok\"",
    "newswired_feed_polls_total,result=\"not_modified\"",
    "newswired_feed_polls_total,result=\"failed\"",
    "newswired_feed_items_new_total",
    "newswired_feed_stale",
};
static const char *const sink_zero[] = {
    NW_M_DELIVERED,
    NW_M_SINK_FAILED ",reason=\"retry\"",
    NW_M_SINK_FAILED ",reason=\"permanent\"",
    NW_M_QUEUE,
};

/* The kernel's start time of this process: /proc/self/stat field 22 (clock
 * ticks after boot) plus the boot time. Falls back to now. */
static double
start_time(void)
{
	FILE *f;
	char buf[1024], *p;
	unsigned long long ticks = 0, btime = 0;
	long hz = sysconf(_SC_CLK_TCK);
	int i;

	if ((f = fopen("/proc/self/stat", "r")) != NULL) {
		if (fgets(buf, sizeof buf, f) != NULL &&
		    (p = strrchr(buf, ')')) != NULL) {
			/* Fields after the command name start at field 3. */
			for (i = 3, p++; i < 22 && p != NULL; i++)
				p = strchr(p + 1, ' ');
			if (p != NULL)
				ticks = strtoull(p + 1, NULL, 10);
		}
		fclose(f);
	}
	if ((f = fopen("/proc/stat", "r")) != NULL) {
		while (fgets(buf, sizeof buf, f) != NULL)
			if (sscanf(buf, "btime %llu", &btime) == 1)
				break;
		fclose(f);
	}
	if (ticks == 0 || btime == 0 || hz <= 0)
		return (double)time(NULL);
	return (double)btime + (double)ticks / (double)hz;
}

/* family[,extra labels] for base labels: one zero series. */
static void
zero(const char *spec, const char *base)
{
	char name[128], lbl[400];
	const char *comma = strchr(spec, ',');
	size_t n = comma ? (size_t)(comma - spec) : strlen(spec);

	snprintf(name, sizeof name, "%.*s", (int)n, spec);
	snprintf(lbl, sizeof lbl, "%s%s", base, comma ? comma : "");
	nw_metric_add(name, lbl, 0);
}

static int
metrics_base_start(
    struct event_base *base, const struct nw_conf *conf, char **cause)
{
	static double started;
	char lbl[300], esc[200], fl[400];
	size_t i, j;
	int r;

	(void)base;
	(void)cause;
	if (started == 0)
		started = start_time();
	nw_metric_declare(M_START, NW_GAUGE,
	    "Start time of the process since the Unix epoch in seconds.");
	nw_metric_set(M_START, "", started);
	nw_metric_declare(M_CAPACITY, NW_GAUGE,
	    "Most messages a sink can hold unconfirmed (the daemon's "
	    "max_inflight).");
	nw_metric_add(NW_M_INFLIGHT, "", 0);
	for (i = 0; i < conf->nsinks; i++) {
		snprintf(lbl, sizeof lbl, "sink=\"%s\"",
		    nw_metric_label(esc, sizeof esc, conf->sinks[i].name));
		/* The pipeline pauses every source at max_inflight
		 * dispatches, and a dispatch is at most one message per
		 * sink: no sink ever holds more. */
		nw_metric_set(
		    M_CAPACITY, lbl, (double)conf->daemon.max_inflight);
		for (j = 0; j < sizeof sink_zero / sizeof *sink_zero; j++)
			zero(sink_zero[j], lbl);
	}
	for (i = 0; i < conf->nsources; i++) {
		snprintf(lbl, sizeof lbl, "source=\"%s\"",
		    nw_metric_label(esc, sizeof esc, conf->sources[i].name));
		for (j = 0; j < sizeof source_zero / sizeof *source_zero; j++)
			zero(source_zero[j], lbl);
		for (r = NW_OK + 1; r < NW_REASON_MAX; r++) {
			snprintf(fl, sizeof fl, "%s,reason=\"%s\"", lbl,
			    nw_reason_code((enum nw_reason)r));
			nw_metric_add(NW_M_FAILED, fl, 0);
		}
		snprintf(fl, sizeof fl, "%s,reason=\"rejected\"", lbl);
		nw_metric_add(NW_M_FAILED, fl, 0);
		if (strcmp(conf->sources[i].ops->type, "feed") != 0)
			continue;
		for (j = 0; j < sizeof feed_zero / sizeof *feed_zero; j++)
			zero(feed_zero[j], lbl);
	}
	return 0;
}

const struct nw_service nw_service_metrics_base = {
    .name = "metrics",
    .start = metrics_base_start,
};
