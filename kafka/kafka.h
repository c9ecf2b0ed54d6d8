/* The Kafka producer core, shared by both Kafka sinks (sinks/kafka.c and
 * sinks/kafka_txn.c): one error classification, one fatal-error policy,
 * one set of header names, and the idempotent producer that confirms each
 * message at its delivery report. Also the statistics and the in-memory
 * mock cluster behind `brokers = embedded`. See docs/kafka-errors.md. */
#ifndef NW_KAFKA_H
#define NW_KAFKA_H

#include <stddef.h>
#include <stdint.h>

#include <librdkafka/rdkafka.h>

#include "newswire/event.h"
#include "newswire/sink.h"

/* Header names, the same whichever sink wrote the message. */
#define NW_KAFKA_HDR_CONTENT_TYPE "content-type"
#define NW_KAFKA_HDR_SCHEMA       "newswired-schema"
#define NW_KAFKA_HDR_PARSER       "newswired-parser"
#define NW_KAFKA_HDR_SOURCE       "newswired-source"
#define NW_KAFKA_HDR_URI          "newswired-uri"
#define NW_KAFKA_HDR_RECEIVED_AT  "newswired-received-at"
#define NW_KAFKA_HDR_REASON       "newswired-error-reason"
#define NW_KAFKA_HDR_ERROR        "newswired-error"
/* A parse hop's events (newswire.parsed): the source's name for the item,
 * which the story hop's index takes as its word on the story. */
#define NW_KAFKA_HDR_ITEM_ID "newswired-item-id"

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
/* The one error classification: 1 when no retry can deliver a message
 * failing with err (the dispatch goes to failed/), 0 when it stays at its
 * source to be retried. */
int nw_kafka_err_permanent(rd_kafka_resp_err_t err);
/* Expand {agency} {language} {source}; ev may be NULL (dead letters). */
void nw_kafka_topic_render(const char *tmpl, const struct nw_event *ev,
    const char *source, char *out, size_t size);
void nw_kafka_stats_parse(
    struct nw_kafka_stats *, const char *json, size_t len);

/* What an event's message is keyed by: its event id (a redelivered
 * dispatch has the same key, so a consumer can de-duplicate by key) or its
 * story key (a story's versions share a partition, so they stay in order;
 * de-duplicate by the event id in the payload then). */
enum nw_kafka_key {
	NW_KAFKA_KEY_ID = 0,
	NW_KAFKA_KEY_STORY,
	/* A parse hop's events, before their story: keyed by language, so
	 * every version of a story reaches one partition of the story hop;
	 * with newswired-received-at and newswired-item-id. */
	NW_KAFKA_KEY_PARSED,
};

/* One message as it goes to Kafka: topic, payload, key and headers, the
 * same for both sinks. */
struct nw_kafka_out {
	char topic[256];
	const void *payload;
	size_t len;
	const char *key;
	rd_kafka_headers_t *headers; /* owned until produced */
	char keybuf[96];             /* the key, when it is made up */
};

/* Fill out for msg: raw (edge mode), an event whose rendering is
 * payload/len in schema, or a dead letter. topic and dlt are templates;
 * returns -1 for a dead letter when dlt is empty. */
int nw_kafka_out_make(struct nw_kafka_out *out, const struct nw_sink_msg *msg,
    int raw, enum nw_kafka_key key, const char *topic, const char *dlt,
    const void *payload, size_t len, const char *schema);
/* rd_kafka_producev() of out with opaque; on success librdkafka owns the
 * headers, on failure they are freed here. */
rd_kafka_resp_err_t nw_kafka_out_produce(
    rd_kafka_t *rk, struct nw_kafka_out *out, void *opaque);

/* The idempotent producer of a sink: delivery reports confirm messages,
 * permanent errors confirm NW_CONFIRM_PERMANENT, the rest NW_CONFIRM_RETRY,
 * and a fatal error recreates the producer with back-off (what it had not
 * reported goes back to the sources as RETRY). */
struct nw_kafka_producer_conf {
	const char *brokers;           /* host:port,... or "embedded" */
	const char *topic;             /* template */
	const char *dead_letter_topic; /* template; "" for none */
	int raw;                       /* edge mode: publish raw dispatches */
	enum nw_kafka_key key;         /* what an event's message is keyed by */
	int64_t delivery_timeout_ms;
	int64_t statistics_interval_ms;
	size_t max_dispatch_size; /* the daemon's (message.max.bytes) */
	long embedded_partitions;
	const struct nw_strv *props; /* "kafka.*" pass-through, kept */
};

struct nw_kafka_producer;
struct event_base;

struct nw_kafka_producer *nw_kafka_producer_start(struct nw_sink *,
    struct event_base *, const struct nw_kafka_producer_conf *, char **cause);
/* Whether dead letters have a topic. */
int nw_kafka_producer_takes_dead_letters(const struct nw_kafka_producer *);
/* An event's rendering is payload/len in schema (ignored for raw and dead
 * letters). */
enum nw_deliver_rc nw_kafka_producer_send(struct nw_kafka_producer *,
    const struct nw_sink_msg *, const void *payload, size_t len,
    const char *schema);
size_t nw_kafka_producer_pending(const struct nw_kafka_producer *);
size_t nw_kafka_producer_flush(struct nw_kafka_producer *, int timeout_ms);
void nw_kafka_producer_stop(struct nw_kafka_producer *);
rd_kafka_t *nw_kafka_producer_handle(const struct nw_kafka_producer *);
const struct nw_kafka_stats *nw_kafka_producer_stats(
    const struct nw_kafka_producer *);

/* librdkafka's mock cluster, one broker on 127.0.0.1, in this process. */
struct nw_kafka_embedded;
struct nw_kafka_embedded *nw_kafka_embedded_start(int partitions, char **cause);
int nw_kafka_embedded_topic(struct nw_kafka_embedded *, const char *topic);
const char *nw_kafka_embedded_bootstraps(struct nw_kafka_embedded *);
void nw_kafka_embedded_stop(struct nw_kafka_embedded *);

#endif
