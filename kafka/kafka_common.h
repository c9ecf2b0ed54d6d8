/* What the Kafka sinks (kafka.c, kafka_txn.c) and the Kafka source share:
 * kafka.* property pass-through, topic templates, librdkafka logging and the
 * pipe through which librdkafka's queues wake the libevent loop. */
#ifndef NW_KAFKA_COMMON_H
#define NW_KAFKA_COMMON_H

#include <librdkafka/rdkafka.h>

#include "newswire/event.h"

/* The librdkafka property named by a "kafka.NAME" config key, or NULL with
 * *cause set when key is not one. */
const char *nw_kafka_prop_name(const char *key, char **cause);
/* Tries prop = value on a scratch configuration and, when librdkafka takes
 * it, keeps the pair in props; key names it in *cause. */
int nw_kafka_prop_keep(struct nw_strv *props, const char *key, const char *prop,
    const char *value, char **cause);
/* rd_kafka_conf_set() with its error in *cause. */
int nw_kafka_conf_set(
    rd_kafka_conf_t *c, const char *name, const char *value, char **cause);
/* Sets the pairs nw_kafka_prop_keep() kept; last, so they win. */
int nw_kafka_conf_set_props(
    rd_kafka_conf_t *c, const struct nw_strv *props, char **cause);

/* A producer handle as both Kafka sinks make it: brokers, client id,
 * idempotence, bounded buffering, a message.max.bytes that holds an
 * accepted dispatch's event (max_dispatch 0: the default limit), then
 * extra, then the kept kafka.* props (so they win). Its logs, errors and
 * reports arrive on the main queue, which wakes wake_fd. */
struct nw_kafka_new {
	const char *brokers;
	size_t max_dispatch;
	const char *const *extra; /* name, value, ..., NULL */
	const struct nw_strv *props;
	void *opaque;
	void (*on_delivery)(rd_kafka_t *, const rd_kafka_message_t *, void *);
	void (*on_error)(rd_kafka_t *, int, const char *, void *);
	void (*on_log)(const rd_kafka_t *, int, const char *, const char *);
	int (*on_stats)(rd_kafka_t *, char *, size_t, void *); /* or NULL */
	int wake_fd;
};
rd_kafka_t *nw_kafka_producer_new(const struct nw_kafka_new *, char **cause);

/* 0 when t uses only {agency} {language} {source} with balanced braces. */
int nw_kafka_topic_check(const char *t, char **cause);

/* librdkafka's log line as "kafka WHO FAC: BUF": warnings and worse as
 * warnings, the rest at debug level. */
void nw_kafka_log(const char *who, int level, const char *fac, const char *buf);

/* The wake-up pipe: librdkafka writes to wake[1] when a queue gets work. */
int nw_kafka_wake_open(int wake[2], char **cause);
void nw_kafka_wake_drain(int fd);
void nw_kafka_wake_close(int wake[2]);
/* Wakes fd (-1: no longer) when rk's main queue gets work. */
void nw_kafka_main_queue_wake(rd_kafka_t *rk, int fd);

#endif
