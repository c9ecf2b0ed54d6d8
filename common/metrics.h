/* A tiny metrics registry: named counters, gauges and histograms with a
 * label set, updated by the pipeline, sources and sinks, and rendered as
 * Prometheus text by the admin endpoint. Everything runs on the event loop
 * thread, so there is no locking. */
#ifndef NW_METRICS_H
#define NW_METRICS_H

#include <stddef.h>

enum nw_metric_type { NW_COUNTER, NW_GAUGE, NW_HISTOGRAM };

/* Declare a metric family once (idempotent); help is one line. */
void nw_metric_declare(const char *name, enum nw_metric_type, const char *help);
/* labels: a preformatted Prometheus label list without braces, e.g.
 * "source=\"tass\",reason=\"empty\"", or "" for none. Names of sources and
 * sinks are restricted by the config loader so they need no escaping;
 * nw_metric_label() escapes anything else. */
void nw_metric_add(const char *name, const char *labels, double);
void nw_metric_set(const char *name, const char *labels, double);
void nw_metric_observe(const char *name, const char *labels, double);
double nw_metric_get(const char *name, const char *labels);
/* Escape a label value into buf (quotes, backslashes, newlines). */
const char *nw_metric_label(char *buf, size_t len, const char *value);
/* Called before rendering, to refresh gauges (e.g. queue depths). */
void nw_metrics_on_render(void (*fn)(void *), void *arg);
void nw_metrics_off_render(void (*fn)(void *), void *arg);
/* The whole registry in Prometheus text exposition format 0.0.4.
 * malloc'd; NULL on out of memory. */
char *nw_metrics_render_prometheus(void);
/* Forget every value (tests). */
void nw_metrics_reset(void);

/* Names the pipeline maintains (documented in newswired(8)). */
#define NW_M_RECEIVED     "newswired_dispatches_received_total"
#define NW_M_PARSED       "newswired_dispatches_parsed_total"
#define NW_M_FAILED       "newswired_dispatches_failed_total"
#define NW_M_DONE         "newswired_dispatches_done_total"
#define NW_M_RETRIED      "newswired_dispatches_retried_total"
#define NW_M_LAST_SUCCESS "newswired_source_last_success_timestamp_seconds"
#define NW_M_DELIVERED    "newswired_sink_delivered_total"
#define NW_M_SINK_FAILED  "newswired_sink_failed_total"
#define NW_M_QUEUE        "newswired_sink_queue_depth"
#define NW_M_INFLIGHT     "newswired_inflight_dispatches"
#define NW_M_LATENCY      "newswired_dispatch_latency_seconds"
#define NW_M_STORIES      "newswired_stories"
#define NW_M_STORY_BYTES  "newswired_story_index_bytes"
#define NW_M_REPEATS      "newswired_story_repeats_total"

#endif
