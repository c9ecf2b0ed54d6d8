/* The Kafka sink's helpers shared with its tests and its embedded cluster:
 * error classification, topic templates, statistics and the in-memory mock
 * cluster behind `brokers = embedded`. */
#ifndef NW_SINK_KAFKA_H
#define NW_SINK_KAFKA_H

#include <stddef.h>
#include <stdint.h>

#include <librdkafka/rdkafka.h>

#include "newswire/event.h"
#include "newswire/sink.h"

extern const struct nw_sink_ops nw_sink_kafka;

/* What librdkafka's statistics and the delivery reports tell. */
struct nw_kafka_stats {
	int64_t queue_msgs;   /* waiting in librdkafka (msg_cnt) */
	int64_t queue_bytes;  /* msg_size */
	int64_t tx_msgs;      /* sent to brokers (txmsgs) */
	int64_t tx_msg_bytes; /* txmsg_bytes */
	int64_t tx_requests;  /* tx */
	int64_t tx_errors;    /* txerrs */
	uint64_t delivered;
	uint64_t delivered_no_offset; /* as a duplicate of an earlier send */
	uint64_t failed_retry;
	uint64_t failed_permanent;
	uint64_t queue_full;
	uint64_t fatal_errors;
	uint64_t recreations;
};

/* message.max.bytes for a given parser input limit (0: the default):
 * KAFKA_EVENT_GROWTH times the dispatch plus room for headers, so an
 * accepted dispatch's event always fits one message. */
size_t nw_kafka_message_max(size_t max_dispatch);
/* 1 when no retry can deliver a message failing with err. */
int nw_kafka_err_permanent(rd_kafka_resp_err_t err);
/* Expand {agency} {language} {source}; ev may be NULL (dead letters). */
void nw_kafka_topic_render(const char *tmpl, const struct nw_event *ev,
    const char *source, char *out, size_t size);
void nw_kafka_stats_parse(
    struct nw_kafka_stats *, const char *json, size_t len);
const struct nw_kafka_stats *nw_kafka_stats(struct nw_sink *);
rd_kafka_t *nw_kafka_handle(struct nw_sink *);

/* librdkafka's mock cluster, one broker on 127.0.0.1, in this process. */
struct nw_kafka_embedded;
struct nw_kafka_embedded *nw_kafka_embedded_start(int partitions, char **cause);
int nw_kafka_embedded_topic(struct nw_kafka_embedded *, const char *topic);
const char *nw_kafka_embedded_bootstraps(struct nw_kafka_embedded *);
void nw_kafka_embedded_stop(struct nw_kafka_embedded *);

#endif
