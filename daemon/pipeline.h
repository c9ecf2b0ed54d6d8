/* The pipeline: takes raw dispatches from sources, parses each once and
 * renders its JSON once on a pool of worker threads, hands it to every sink it is routed to, and acks the
 * source only when every one of them confirmed it. Bounds the dispatches in
 * flight and pauses the sources when a sink's queue is full. */
#ifndef NW_PIPELINE_H
#define NW_PIPELINE_H

#include <stddef.h>

#include "conf.h"

struct event_base;
struct nw_pipeline;

struct nw_pipeline_stats {
	unsigned long received, done, failed, retried;
	size_t inflight;
	size_t parsing; /* at the workers, or waiting for an earlier one */
};

/* conf must outlive the pipeline (sources and sinks point into it). */
struct nw_pipeline *nw_pipeline_new(
    struct event_base *, const struct nw_conf *);
/* Start sinks, then sources. On failure what started is stopped again. */
int nw_pipeline_start(struct nw_pipeline *, char **cause);
/* Stop taking new dispatches; cb runs (from the loop) once nothing is in
 * flight any more, or at once if nothing is. */
void nw_pipeline_drain(struct nw_pipeline *, void (*cb)(void *), void *arg);
/* Give every sink up to timeout_ms to confirm; returns what is left. */
size_t nw_pipeline_flush(struct nw_pipeline *, int timeout_ms);
void nw_pipeline_reopen(struct nw_pipeline *); /* SIGHUP to sinks */
void nw_pipeline_stats(struct nw_pipeline *, struct nw_pipeline_stats *);
/* Stops sinks and sources and frees everything; dispatches still in flight
 * are dropped without an ack, so they stay at their source. */
void nw_pipeline_free(struct nw_pipeline *);

#endif
