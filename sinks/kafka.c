/* The Kafka sink: its key table, checks and formats over the producer core
 * (kafka/producer.c), whose delivery reports, and nothing earlier, confirm
 * messages to the pipeline. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "kafka_common.h"
#include "kafka_sink.h"
#include "newswire/log.h"
#include "newswire/ninjs.h"
#include "newswire/sink.h"

#define KAFKA_DEFAULT_TOPIC "newswire.events"
#define KAFKA_DEFAULT_DLT   "newswire.deadletter"

struct kafka_conf {
	char *brokers;
	char *topic;
	char *dead_letter_topic;
	int64_t delivery_timeout_ms;
	int64_t statistics_interval_ms;
	size_t max_dispatch_size;
	long embedded_partitions;
	char *format;
	char *key;
	struct nw_strv props; /* "kafka.*" pass-through: name, value, ... */
};

static const struct nw_key kafka_keys[] = {
    {.name = "brokers",
	.type = NW_KEY_STRING,
	.def = "embedded",
	.offset = offsetof(struct kafka_conf, brokers),
	.desc = "bootstrap servers host:port,...; \"embedded\" starts an "
		"in-memory mock cluster (events are NOT kept)"},
    {.name = "topic",
	.type = NW_KEY_STRING,
	.def = KAFKA_DEFAULT_TOPIC,
	.offset = offsetof(struct kafka_conf, topic),
	.desc = "topic template; {agency} {language} {source} are replaced"},
    {.name = "dead_letter_topic",
	.type = NW_KEY_STRING,
	.def = KAFKA_DEFAULT_DLT,
	.offset = offsetof(struct kafka_conf, dead_letter_topic),
	.desc = "topic for unparseable dispatches (raw bytes); \"\" for none"},
    {.name = "format",
	.type = NW_KEY_ENUM,
	.def = "json",
	.choices = NW_SINK_FORMATS,
	.offset = offsetof(struct kafka_conf, format),
	.desc = NW_SINK_FORMAT_DESC},
    {.name = "key",
	.type = NW_KEY_ENUM,
	.def = "id",
	.choices = "id|story",
	.offset = offsetof(struct kafka_conf, key),
	.desc = "message key: id (the event id; a consumer de-duplicates by "
		"key) or story (the story key: a story's versions stay in "
		"order on one partition)"},
    {.name = "delivery_timeout",
	.type = NW_KEY_DURATION,
	.def = "5m",
	.offset = offsetof(struct kafka_conf, delivery_timeout_ms),
	.desc = "how long librdkafka retries a message before the dispatch "
		"is left at its source to be retried later"},
    {.name = "statistics_interval",
	.type = NW_KEY_DURATION,
	.def = "30s",
	.offset = offsetof(struct kafka_conf, statistics_interval_ms),
	.desc = "how often librdkafka's statistics update the counters; 0 "
		"for never"},
    {.name = "max_dispatch_size",
	.type = NW_KEY_SIZE,
	.offset = offsetof(struct kafka_conf, max_dispatch_size),
	.desc = "deprecated and ignored: [daemon] max_dispatch_size sets "
		"message.max.bytes (8 times it plus 64k)"},
    {.name = "embedded_partitions",
	.type = NW_KEY_INT,
	.def = "3",
	.offset = offsetof(struct kafka_conf, embedded_partitions),
	.desc = "partitions per topic of the embedded cluster"},
    {.name = NULL},
};

/* Configuration ---------------------------------------------------------- */

static int
kafka_extra_key(void *v, const char *key, const char *value, char **cause)
{
	struct kafka_conf *conf = v;
	const char *prop;

	if ((prop = nw_kafka_prop_name(key, cause)) == NULL)
		return -1;
	/* What "nothing lost" rests on cannot be turned off. */
	if ((strcmp(prop, "enable.idempotence") == 0 &&
		strcmp(value, "true") != 0) ||
	    (strcmp(prop, "acks") == 0 && strcmp(value, "all") != 0 &&
		strcmp(value, "-1") != 0)) {
		if (asprintf(cause,
			"%s = %s is not allowed: the sink needs acks=all "
			"with idempotence",
			key, value) == -1)
			*cause = NULL;
		return -1;
	}
	if (strcmp(prop, "transactional.id") == 0) {
		/* Transactions confirm at commit, not at delivery: that is
		 * the kafka-txn sink (sinks/kafka_txn.c). */
		*cause = strdup("for transactions use type = kafka-txn with "
				"transactional_id");
		return -1;
	}
	return nw_kafka_prop_keep(&conf->props, key, prop, value, cause);
}

static void
kafka_conf_free(void *v)
{
	struct kafka_conf *conf = v;

	nw_strv_clear(&conf->props);
}

static int
kafka_check(void *v, char **cause)
{
	struct kafka_conf *conf = v;

	if (conf->brokers == NULL || *conf->brokers == '\0') {
		*cause = strdup("brokers is empty");
		return -1;
	}
	if (nw_kafka_topic_check(conf->topic, cause) == -1)
		return -1;
	if (conf->dead_letter_topic != NULL &&
	    *conf->dead_letter_topic != '\0' &&
	    nw_kafka_topic_check(conf->dead_letter_topic, cause) == -1)
		return -1;
	if (conf->delivery_timeout_ms <= 0 ||
	    conf->delivery_timeout_ms > INT32_MAX) {
		*cause = strdup("delivery_timeout must be positive");
		return -1;
	}
	if (conf->statistics_interval_ms < 0 ||
	    conf->statistics_interval_ms > 86400000) {
		*cause = strdup("statistics_interval must be 0..1d");
		return -1;
	}
	/* One limit, the daemon's: the sink's old key is still accepted so
	 * that existing files load, and said to be ignored. */
	if (conf->max_dispatch_size != 0)
		log_warnx("kafka sink: max_dispatch_size = %zu is deprecated "
			  "and ignored; [daemon] max_dispatch_size sets the "
			  "limit (and message.max.bytes) for every sink",
		    conf->max_dispatch_size);
	if (conf->embedded_partitions < 1 || conf->embedded_partitions > 64) {
		*cause = strdup("embedded_partitions must be 1..64");
		return -1;
	}
	return 0;
}

/* Delivery ------------------------------------------------------------- */

static int
kafka_start(struct nw_sink *sink, struct event_base *base,
    const struct nw_limits *limits, char **cause)
{
	struct kafka_conf *conf = sink->conf;
	struct nw_kafka_producer_conf pc = {
	    .brokers = conf->brokers,
	    .topic = conf->topic,
	    .dead_letter_topic = conf->dead_letter_topic,
	    .delivery_timeout_ms = conf->delivery_timeout_ms,
	    .statistics_interval_ms = conf->statistics_interval_ms,
	    .max_dispatch_size = limits->max_dispatch_size,
	    .embedded_partitions = conf->embedded_partitions,
	    .props = &conf->props,
	    .key = conf->key != NULL && strcmp(conf->key, "story") == 0
		? NW_KAFKA_KEY_STORY
		: NW_KAFKA_KEY_ID,
	};

	sink->priv = nw_kafka_producer_start(sink, base, &pc, cause);
	return sink->priv != NULL ? 0 : -1;
}

static int
kafka_takes_dead_letters(struct nw_sink *sink)
{
	return nw_kafka_producer_takes_dead_letters(sink->priv);
}

static enum nw_deliver_rc
kafka_deliver(struct nw_sink *sink, const struct nw_sink_msg *msg)
{
	struct kafka_conf *conf = sink->conf;
	enum nw_deliver_rc rc;
	const void *payload = NULL;
	size_t len = 0;
	char *owned = NULL; /* a ninjs rendering */

	if (msg->event != NULL &&
	    (payload = nw_sink_format(msg, conf->format, &owned, &len)) == NULL)
		return NW_DELIVER_ERROR;
	rc = nw_kafka_producer_send(sink->priv, msg, payload, len,
	    owned != NULL ? NW_NINJS_SCHEMA_ID : NW_SCHEMA);
	free(owned); /* RD_KAFKA_MSG_F_COPY: librdkafka has its own copy */
	return rc;
}

static size_t
kafka_pending(struct nw_sink *sink)
{
	return nw_kafka_producer_pending(sink->priv);
}

static size_t
kafka_flush(struct nw_sink *sink, int timeout_ms)
{
	return nw_kafka_producer_flush(sink->priv, timeout_ms);
}

static void
kafka_stop(struct nw_sink *sink)
{
	nw_kafka_producer_stop(sink->priv);
	sink->priv = NULL;
}

/* The librdkafka handle, for tests that inject faults. */
rd_kafka_t *
nw_kafka_handle(struct nw_sink *sink)
{
	return nw_kafka_producer_handle(sink->priv);
}

const struct nw_kafka_stats *
nw_kafka_stats(struct nw_sink *sink)
{
	return nw_kafka_producer_stats(sink->priv);
}

const struct nw_sink_ops nw_sink_kafka = {
    .type = "kafka",
    .keys = kafka_keys,
    .conf_size = sizeof(struct kafka_conf),
    .extra_key = kafka_extra_key,
    .conf_free = kafka_conf_free,
    .check = kafka_check,
    .start = kafka_start,
    .takes_dead_letters = kafka_takes_dead_letters,
    .deliver = kafka_deliver,
    .pending = kafka_pending,
    .flush = kafka_flush,
    .stop = kafka_stop,
};
