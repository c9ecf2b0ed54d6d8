/* The Kafka sink: an idempotent librdkafka producer whose delivery reports,
 * and nothing earlier, confirm messages to the pipeline. librdkafka's wake-ups
 * reach the libevent loop through a pipe (no polling thread, no timer). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <jansson.h>
#include <librdkafka/rdkafka.h>

#include "kafka.h"
#include "kafka_common.h"
#include "metrics.h"
#include "format.h"
#include "newswire/log.h"
#include "newswire/ninjs.h"
#include "newswire/sink.h"
#include "newswire/version.h"

#define KAFKA_DEFAULT_TOPIC "newswire.events"
#define KAFKA_DEFAULT_DLT   "newswire.deadletter"
/* Room for headers, key and record overhead on top of the payload. */
#define KAFKA_MSG_OVERHEAD (64 * 1024)
/* An event repeats parts of its dispatch (headline, lede, quotes beside the
 * body) and JSON escapes some characters: see nw_kafka_message_max(). */
#define KAFKA_EVENT_GROWTH     8
#define NW_M_KAFKA_QUEUE       "newswired_kafka_queue_messages"
#define NW_M_KAFKA_QUEUE_BYTES "newswired_kafka_queue_bytes"
#define NW_M_KAFKA_TX_MSGS     "newswired_kafka_tx_messages"
#define NW_M_KAFKA_TX_BYTES    "newswired_kafka_tx_message_bytes"
#define NW_M_KAFKA_TX_ERRORS   "newswired_kafka_tx_errors"
#define NW_M_KAFKA_RECREATED   "newswired_kafka_producer_recreations"
#define KAFKA_RECREATE_MIN_MS  500
#define KAFKA_RECREATE_MAX_MS  30000

struct kafka_conf {
	char *brokers;
	char *topic;
	char *dead_letter_topic;
	int64_t delivery_timeout_ms;
	int64_t statistics_interval_ms;
	size_t max_dispatch_size;
	long embedded_partitions;
	char *format;
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
	.def = "512k",
	.offset = offsetof(struct kafka_conf, max_dispatch_size),
	.desc = "the largest dispatch the sources accept; message.max.bytes "
		"is 8 times this plus 64k"},
    {.name = "embedded_partitions",
	.type = NW_KEY_INT,
	.def = "3",
	.offset = offsetof(struct kafka_conf, embedded_partitions),
	.desc = "partitions per topic of the embedded cluster"},
    {.name = NULL},
};

/* One message handed to librdkafka and not yet reported. */
struct kmsg {
	struct kmsg *prev, *next;
	void *token;
	int64_t queued_ms;
	rd_kafka_resp_err_t err; /* refused by produce() */
};

struct kafka {
	struct nw_sink *sink;
	struct kafka_conf *conf;
	struct event_base *base;
	rd_kafka_t *rk;
	int wake[2]; /* librdkafka writes to [1] when its main queue fills */
	struct event *wake_ev;
	struct event *recreate_ev;
	int64_t recreate_ms; /* current back-off */
	unsigned recreations;
	int full;             /* told the pipeline NW_DELIVER_FULL */
	int fatal;            /* producer unusable, being recreated */
	int had_error;        /* connection trouble was logged */
	struct kmsg inflight; /* list head */
	size_t ninflight;     /* in the list or refused */
	struct kmsg *refused; /* refused by produce(), confirmed next turn */
	struct event *refused_ev;
	struct nw_kafka_embedded *embedded;
	const char *bootstrap;
	struct nw_kafka_stats stats;
};

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

size_t
nw_kafka_message_max(size_t max_dispatch)
{
	if (max_dispatch == 0)
		max_dispatch = NW_MAX_DISPATCH_DEFAULT;
	return KAFKA_EVENT_GROWTH * max_dispatch + KAFKA_MSG_OVERHEAD;
}

/* A delivery error that no retry can fix: the dispatch goes to failed/. */
int
nw_kafka_err_permanent(rd_kafka_resp_err_t err)
{
	switch (err) {
	case RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE:
	case RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE:
	case RD_KAFKA_RESP_ERR_INVALID_MSG:
	case RD_KAFKA_RESP_ERR_INVALID_RECORD:
	case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:
	case RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC:
	case RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION:
	case RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED:
	case RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION:
	case RD_KAFKA_RESP_ERR__INVALID_ARG:
		return 1;
	default:
		return 0;
	}
}

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
	if (nw_kafka_message_max(conf->max_dispatch_size) > 1000000000) {
		*cause = strdup("max_dispatch_size is too large for Kafka");
		return -1;
	}
	if (conf->embedded_partitions < 1 || conf->embedded_partitions > 64) {
		*cause = strdup("embedded_partitions must be 1..64");
		return -1;
	}
	return 0;
}

/* Delivery ------------------------------------------------------------- */

static void
kmsg_unlink(struct kafka *k, struct kmsg *m)
{
	m->prev->next = m->next;
	m->next->prev = m->prev;
	k->ninflight--;
}

static void
confirm(struct kafka *k, struct kmsg *m, enum nw_confirm c, const char *err)
{
	void *token = m->token;

	kmsg_unlink(k, m);
	free(m);
	nw_sink_confirm(k->sink, token, c, err);
}

static void
on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *rm, void *opaque)
{
	struct kafka *k = opaque;
	struct kmsg *m = rm->_private;
	int64_t ms = now_ms() - m->queued_ms;
	const char *topic = rd_kafka_topic_name(rm->rkt);
	char reason[256];

	if (rm->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
		k->stats.delivered++;
		/* The broker answered DUPLICATE_SEQUENCE_NUMBER: it had stored
		 * an earlier send of this batch, whose offset is unknown. */
		if (rm->offset < 0)
			k->stats.delivered_no_offset++;
		log_debug("kafka delivered sink=%s id=%.*s topic=%s "
			  "partition=%" PRId32 " offset=%" PRId64
			  " ms=%" PRId64,
		    k->sink->name, (int)rm->key_len, (const char *)rm->key,
		    topic, rm->partition, rm->offset, ms);
		confirm(k, m, NW_CONFIRM_OK, NULL);
		return;
	}
	snprintf(reason, sizeof reason, "%s: %s", rd_kafka_err2name(rm->err),
	    rd_kafka_err2str(rm->err));
	if (nw_kafka_err_permanent(rm->err)) {
		k->stats.failed_permanent++;
		log_warnx(
		    "kafka delivery failed sink=%s topic=%s permanent=yes "
		    "reason=\"%s\" ms=%" PRId64,
		    k->sink->name, topic, reason, ms);
		confirm(k, m, NW_CONFIRM_PERMANENT, reason);
	} else {
		k->stats.failed_retry++;
		log_warnx("kafka delivery failed sink=%s topic=%s permanent=no "
			  "reason=\"%s\" ms=%" PRId64,
		    k->sink->name, topic, reason, ms);
		confirm(k, m, NW_CONFIRM_RETRY, reason);
	}
}

static void
serve(struct kafka *k)
{
	size_t before = k->ninflight;

	rd_kafka_poll(k->rk, 0);
	/* Room again: the pipeline resumes its sources. Each delivery report
	 * frees space, so resuming here never spins. */
	if (k->full && !k->fatal && k->ninflight < before) {
		k->full = 0;
		nw_sink_ready(k->sink);
	}
}

static void
on_wake(evutil_socket_t fd, short what, void *arg)
{
	struct kafka *k = arg;

	nw_kafka_wake_drain(fd);
	if (k->rk != NULL)
		serve(k);
}

static void
on_log(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
	struct kafka *k = rd_kafka_opaque(rk);
	const char *name = k != NULL ? k->sink->name : "?";

	if (level <= 4)
		log_warnx("kafka sink=%s %s: %s", name, fac, buf);
	else if (level <= 6)
		log_info("kafka sink=%s %s: %s", name, fac, buf);
	else
		log_debug("kafka sink=%s %s: %s", name, fac, buf);
}

static void
on_error(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
	struct kafka *k = opaque;
	char fbuf[512];
	rd_kafka_resp_err_t ferr;
	struct timeval tv;

	if (err == RD_KAFKA_RESP_ERR__FATAL) {
		ferr = rd_kafka_fatal_error(rk, fbuf, sizeof fbuf);
		k->stats.fatal_errors++;
		log_error("kafka fatal error sink=%s error=%s reason=\"%s\": "
			  "recreating the producer; unconfirmed dispatches "
			  "stay at their sources",
		    k->sink->name, rd_kafka_err2name(ferr), fbuf);
		if (!k->fatal) {
			k->fatal = 1;
			tv.tv_sec = k->recreate_ms / 1000;
			tv.tv_usec = (k->recreate_ms % 1000) * 1000;
			evtimer_add(k->recreate_ev, &tv);
		}
		return;
	}
	/* Broker down and the like: librdkafka reconnects and retries by
	 * itself; messages wait in its queue until delivery_timeout. */
	k->had_error = 1;
	log_warnx("kafka error sink=%s error=%s reason=\"%s\" inflight=%zu",
	    k->sink->name, rd_kafka_err2name((rd_kafka_resp_err_t)err), reason,
	    k->ninflight);
}

/* librdkafka's view, as gauges beside the pipeline's counters. */
static void
publish_stats(struct kafka *k)
{
	char lbl[160], name[96];

	nw_metric_label(name, sizeof name, k->sink->name);
	snprintf(lbl, sizeof lbl, "sink=\"%s\"", name);
	nw_metric_set(NW_M_KAFKA_QUEUE, lbl, (double)k->stats.queue_msgs);
	nw_metric_set(
	    NW_M_KAFKA_QUEUE_BYTES, lbl, (double)k->stats.queue_bytes);
	nw_metric_set(NW_M_KAFKA_TX_MSGS, lbl, (double)k->stats.tx_msgs);
	nw_metric_set(NW_M_KAFKA_TX_BYTES, lbl, (double)k->stats.tx_msg_bytes);
	nw_metric_set(NW_M_KAFKA_TX_ERRORS, lbl, (double)k->stats.tx_errors);
	nw_metric_set(NW_M_KAFKA_RECREATED, lbl, (double)k->stats.recreations);
}

static int
on_stats(rd_kafka_t *rk, char *json, size_t len, void *opaque)
{
	struct kafka *k = opaque;

	nw_kafka_stats_parse(&k->stats, json, len);
	publish_stats(k);
	log_debug("kafka stats sink=%s queued=%" PRId64 " queued_bytes=%" PRId64
		  " sent=%" PRId64 " sent_bytes=%" PRId64 " inflight=%zu",
	    k->sink->name, k->stats.queue_msgs, k->stats.queue_bytes,
	    k->stats.tx_msgs, k->stats.tx_msg_bytes, k->ninflight);
	return 0; /* librdkafka frees json */
}

void
nw_kafka_stats_parse(struct nw_kafka_stats *st, const char *json, size_t len)
{
	json_t *o;
	json_int_t v;

	if ((o = json_loadb(json, len, 0, NULL)) == NULL)
		return;
	if (json_unpack(o, "{s:I}", "msg_cnt", &v) == 0)
		st->queue_msgs = v;
	if (json_unpack(o, "{s:I}", "msg_size", &v) == 0)
		st->queue_bytes = v;
	if (json_unpack(o, "{s:I}", "txmsgs", &v) == 0)
		st->tx_msgs = v;
	if (json_unpack(o, "{s:I}", "txmsg_bytes", &v) == 0)
		st->tx_msg_bytes = v;
	if (json_unpack(o, "{s:I}", "tx", &v) == 0)
		st->tx_requests = v;
	if (json_unpack(o, "{s:I}", "txerrs", &v) == 0)
		st->tx_errors = v;
	json_decref(o);
}

static int
producer_new(struct kafka *k, char **cause)
{
	struct kafka_conf *conf = k->conf;
	rd_kafka_conf_t *c;
	char buf[64], err[512];

	c = rd_kafka_conf_new();
	rd_kafka_conf_set_opaque(c, k);
	rd_kafka_conf_set_dr_msg_cb(c, on_delivery);
	rd_kafka_conf_set_error_cb(c, on_error);
	rd_kafka_conf_set_log_cb(c, on_log);
	rd_kafka_conf_set_stats_cb(c, on_stats);
	if (nw_kafka_producer_conf(
		c, k->bootstrap, conf->max_dispatch_size, cause) == -1)
		goto fail;
	snprintf(buf, sizeof buf, "%" PRId64, conf->delivery_timeout_ms);
	if (nw_kafka_conf_set(c, "message.timeout.ms", buf, cause) == -1)
		goto fail;
	snprintf(buf, sizeof buf, "%" PRId64, conf->statistics_interval_ms);
	if (nw_kafka_conf_set(c, "statistics.interval.ms", buf, cause) == -1)
		goto fail;
	/* The pass-through keys come last, so they win. */
	if (nw_kafka_conf_set_props(c, &conf->props, cause) == -1)
		goto fail;
	if ((k->rk = rd_kafka_new(RD_KAFKA_PRODUCER, c, err, sizeof err)) ==
	    NULL) {
		if (asprintf(cause, "kafka: %s", err) == -1)
			*cause = NULL;
		goto fail;
	}
	/* From here on c belongs to rk. Logs, errors, statistics and delivery
	 * reports all arrive on the main queue, served from the event loop. */
	rd_kafka_set_log_queue(k->rk, NULL);
	nw_kafka_main_queue_wake(k->rk, k->wake[1]);
	/* What was queued before the pipe was attached (logs of rd_kafka_new)
	 * would otherwise wait for the next wake-up. */
	event_active(k->wake_ev, EV_READ, 1);
	return 0;
fail:
	if (k->rk == NULL)
		rd_kafka_conf_destroy(c);
	return -1;
}

/* Tear the producer down. Whatever it did not report stays at its source:
 * those dispatches are confirmed NW_CONFIRM_RETRY (when confirm is set). */
static void
producer_destroy(struct kafka *k, int confirm_left)
{
	struct kmsg *m;

	if (k->rk == NULL)
		return;
	nw_kafka_main_queue_wake(k->rk, -1);
	rd_kafka_purge(k->rk,
	    RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT |
		RD_KAFKA_PURGE_F_NON_BLOCKING);
	if (confirm_left)
		rd_kafka_poll(k->rk, 0); /* reports, including the purged */
	rd_kafka_destroy(k->rk);
	k->rk = NULL;
	while ((m = k->inflight.next) != &k->inflight) {
		if (confirm_left)
			confirm(k, m, NW_CONFIRM_RETRY, "producer recreated");
		else {
			kmsg_unlink(k, m);
			free(m);
		}
	}
}

static void
on_refused(evutil_socket_t fd, short what, void *arg)
{
	struct kafka *k = arg;
	struct kmsg *m;
	char reason[256];
	void *token;

	while ((m = k->refused) != NULL) {
		k->refused = m->next;
		k->ninflight--;
		k->stats.failed_permanent++;
		snprintf(reason, sizeof reason, "%s: %s",
		    rd_kafka_err2name(m->err), rd_kafka_err2str(m->err));
		token = m->token;
		free(m);
		nw_sink_confirm(k->sink, token, NW_CONFIRM_PERMANENT, reason);
	}
}

static void
on_recreate(evutil_socket_t fd, short what, void *arg)
{
	struct kafka *k = arg;
	char *cause = NULL;
	struct timeval tv;
	size_t left = k->ninflight;

	producer_destroy(k, 1);
	if (producer_new(k, &cause) == -1) {
		log_error("kafka sink=%s cannot recreate the producer: %s",
		    k->sink->name, cause != NULL ? cause : "?");
		free(cause);
		k->recreate_ms *= 2;
		if (k->recreate_ms > KAFKA_RECREATE_MAX_MS)
			k->recreate_ms = KAFKA_RECREATE_MAX_MS;
		tv.tv_sec = k->recreate_ms / 1000;
		tv.tv_usec = (k->recreate_ms % 1000) * 1000;
		evtimer_add(k->recreate_ev, &tv);
		return;
	}
	k->recreations++;
	k->stats.recreations = k->recreations;
	publish_stats(k);
	log_warnx("kafka producer recreated sink=%s recreations=%u "
		  "returned_to_sources=%zu",
	    k->sink->name, k->recreations, left);
	k->fatal = 0;
	if (k->full) {
		k->full = 0;
		nw_sink_ready(k->sink);
	}
}

static int kafka_takes_dead_letters(struct nw_sink *);

static int
kafka_start(struct nw_sink *sink, struct event_base *base, char **cause)
{
	struct kafka_conf *conf = sink->conf;
	struct kafka *k;

	if ((k = calloc(1, sizeof *k)) == NULL) {
		*cause = strdup("out of memory");
		return -1;
	}
	k->sink = sink;
	k->conf = conf;
	k->base = base;
	k->wake[0] = k->wake[1] = -1;
	k->inflight.next = k->inflight.prev = &k->inflight;
	k->recreate_ms = KAFKA_RECREATE_MIN_MS;
	sink->priv = k;
	if (nw_kafka_wake_open(k->wake, cause) == -1)
		goto fail;
	k->wake_ev =
	    event_new(base, k->wake[0], EV_READ | EV_PERSIST, on_wake, k);
	k->recreate_ev = evtimer_new(base, on_recreate, k);
	k->refused_ev = event_new(base, -1, 0, on_refused, k);
	if (k->wake_ev == NULL || k->recreate_ev == NULL ||
	    k->refused_ev == NULL || event_add(k->wake_ev, NULL) == -1) {
		*cause = strdup("cannot create events");
		goto fail;
	}
	nw_metric_declare(NW_M_KAFKA_QUEUE, NW_GAUGE,
	    "Messages waiting in librdkafka's queue (statistics msg_cnt)");
	nw_metric_declare(NW_M_KAFKA_QUEUE_BYTES, NW_GAUGE,
	    "Bytes waiting in librdkafka's queue (statistics msg_size)");
	nw_metric_declare(NW_M_KAFKA_TX_MSGS, NW_GAUGE,
	    "Messages sent to brokers by the current producer (txmsgs)");
	nw_metric_declare(NW_M_KAFKA_TX_BYTES, NW_GAUGE,
	    "Message bytes sent to brokers by the current producer");
	nw_metric_declare(NW_M_KAFKA_TX_ERRORS, NW_GAUGE,
	    "Request transmission errors of the current producer (txerrs)");
	nw_metric_declare(NW_M_KAFKA_RECREATED, NW_GAUGE,
	    "Times the producer was recreated after a fatal error");
	if (strcmp(conf->brokers, "embedded") == 0) {
		k->embedded = nw_kafka_embedded_start(
		    (int)conf->embedded_partitions, cause);
		if (k->embedded == NULL)
			goto fail;
		k->bootstrap = nw_kafka_embedded_bootstraps(k->embedded);
		if (strchr(conf->topic, '{') == NULL)
			nw_kafka_embedded_topic(k->embedded, conf->topic);
		if (kafka_takes_dead_letters(sink) &&
		    strchr(conf->dead_letter_topic, '{') == NULL)
			nw_kafka_embedded_topic(
			    k->embedded, conf->dead_letter_topic);
		log_warnx("kafka sink=%s EMBEDDED mock cluster at %s: events "
			  "are kept IN MEMORY ONLY and are lost when newswired "
			  "stops; set brokers = host:port for a real cluster",
		    sink->name, k->bootstrap);
		log_info("kafka sink=%s consume with: kcat -b %s -C -t %s",
		    sink->name, k->bootstrap, conf->topic);
	} else
		k->bootstrap = conf->brokers;
	if (producer_new(k, cause) == -1)
		goto fail;
	log_info("kafka sink started sink=%s brokers=%s topic=%s "
		 "dead_letter_topic=%s message_max_bytes=%zu",
	    sink->name, k->bootstrap, conf->topic,
	    conf->dead_letter_topic != NULL && *conf->dead_letter_topic != '\0'
		? conf->dead_letter_topic
		: "-",
	    nw_kafka_message_max(conf->max_dispatch_size));
	return 0;
fail:
	sink->ops->stop(sink);
	return -1;
}

static int
kafka_takes_dead_letters(struct nw_sink *sink)
{
	struct kafka_conf *conf = sink->conf;

	return conf->dead_letter_topic != NULL &&
	    *conf->dead_letter_topic != '\0';
}

static enum nw_deliver_rc
kafka_deliver(struct nw_sink *sink, const struct nw_sink_msg *msg)
{
	struct kafka *k = sink->priv;
	struct kafka_conf *conf = sink->conf;
	rd_kafka_headers_t *h;
	rd_kafka_resp_err_t err;
	struct kmsg *m;
	char topic[256];
	const char *src = msg->source != NULL ? msg->source : "";
	const void *payload;
	size_t len;
	const char *key;
	size_t keylen;
	char *owned = NULL; /* a ninjs rendering */

	if (k->rk == NULL || k->fatal) {
		k->full = 1; /* resumed by on_recreate */
		return NW_DELIVER_FULL;
	}
	h = rd_kafka_headers_new(6);
	if (msg->event != NULL) {
		nw_kafka_topic_render(
		    conf->topic, msg->event, src, topic, sizeof topic);
		if ((payload = nw_sink_format(
			 msg, conf->format, &owned, &len)) == NULL) {
			rd_kafka_headers_destroy(h);
			return NW_DELIVER_ERROR;
		}
		key = msg->event->id;
		keylen = strlen(key);
		rd_kafka_header_add(
		    h, "content-type", -1, "application/json", -1);
		rd_kafka_header_add(h, "newswired-schema", -1,
		    owned != NULL ? NW_NINJS_SCHEMA_ID : NW_SCHEMA, -1);
		rd_kafka_header_add(h, "newswired-parser", -1,
		    NW_PARSER_NAME "/" NW_VERSION, -1);
	} else {
		if (!kafka_takes_dead_letters(sink)) {
			rd_kafka_headers_destroy(h);
			return NW_DELIVER_ERROR;
		}
		nw_kafka_topic_render(
		    conf->dead_letter_topic, NULL, src, topic, sizeof topic);
		payload = msg->raw;
		len = msg->rawlen;
		/* The origin identifies a dead letter; re-sending the same
		 * file after a crash gives the same key. */
		key = msg->uri != NULL ? msg->uri : src;
		keylen = strlen(key);
		rd_kafka_header_add(
		    h, "content-type", -1, "application/octet-stream", -1);
		rd_kafka_header_add(h, "newswired-error-reason", -1,
		    nw_reason_code(msg->reason), -1);
		rd_kafka_header_add(h, "newswired-error", -1,
		    msg->error != NULL ? msg->error : "", -1);
		if (msg->uri != NULL)
			rd_kafka_header_add(
			    h, "newswired-uri", -1, msg->uri, -1);
	}
	rd_kafka_header_add(h, "newswired-source", -1, src, -1);
	if ((m = calloc(1, sizeof *m)) == NULL) {
		rd_kafka_headers_destroy(h);
		free(owned);
		return NW_DELIVER_ERROR;
	}
	m->token = msg->token;
	m->queued_ms = now_ms();
	err = rd_kafka_producev(k->rk, RD_KAFKA_V_TOPIC(topic),
	    RD_KAFKA_V_VALUE((void *)(uintptr_t)payload, len),
	    RD_KAFKA_V_KEY((void *)(uintptr_t)key, keylen),
	    RD_KAFKA_V_HEADERS(h), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
	    RD_KAFKA_V_OPAQUE(m), RD_KAFKA_V_END);
	free(owned); /* RD_KAFKA_MSG_F_COPY: librdkafka has its own copy */
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
		rd_kafka_headers_destroy(h);
		free(m);
		if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
			k->full = 1;
			k->stats.queue_full++;
			return NW_DELIVER_FULL;
		}
		log_warnx("kafka produce refused sink=%s topic=%s len=%zu "
			  "reason=\"%s\"",
		    sink->name, topic, len, rd_kafka_err2str(err));
		if (!nw_kafka_err_permanent(err))
			return NW_DELIVER_ERROR;
		/* Too large now is too large forever: confirm it as permanent
		 * (from the loop, not from inside deliver) so the dispatch
		 * goes to failed/ rather than being retried for ever. */
		if ((m = calloc(1, sizeof *m)) == NULL)
			return NW_DELIVER_ERROR;
		m->token = msg->token;
		m->err = err;
		m->next = k->refused;
		k->refused = m;
		k->ninflight++;
		event_active(k->refused_ev, EV_TIMEOUT, 1);
		return NW_DELIVER_QUEUED;
	}
	m->next = &k->inflight;
	m->prev = k->inflight.prev;
	k->inflight.prev->next = m;
	k->inflight.prev = m;
	k->ninflight++;
	return NW_DELIVER_QUEUED;
}

static size_t
kafka_pending(struct nw_sink *sink)
{
	struct kafka *k = sink->priv;

	return k != NULL ? k->ninflight : 0;
}

static size_t
kafka_flush(struct nw_sink *sink, int timeout_ms)
{
	struct kafka *k = sink->priv;
	int64_t start = now_ms();

	if (k == NULL || k->rk == NULL)
		return k != NULL ? k->ninflight : 0;
	/* rd_kafka_flush serves the delivery reports, so confirmations reach
	 * the pipeline while it waits. */
	rd_kafka_flush(k->rk, timeout_ms);
	rd_kafka_poll(k->rk, 0);
	if (k->ninflight > 0)
		log_warnx("kafka flush sink=%s left=%zu ms=%" PRId64
			  ": those dispatches stay at their sources",
		    sink->name, k->ninflight, now_ms() - start);
	else
		log_info("kafka flush sink=%s left=0 ms=%" PRId64, sink->name,
		    now_ms() - start);
	return k->ninflight;
}

static void
kafka_stop(struct nw_sink *sink)
{
	struct kafka *k = sink->priv;
	struct kmsg *m;

	if (k == NULL)
		return;
	if (k->recreate_ev != NULL)
		event_free(k->recreate_ev);
	if (k->refused_ev != NULL)
		event_free(k->refused_ev);
	while ((m = k->refused) != NULL) {
		k->refused = m->next;
		free(m);
	}
	if (k->wake_ev != NULL)
		event_free(k->wake_ev);
	producer_destroy(k, 0);
	if (k->embedded != NULL)
		nw_kafka_embedded_stop(k->embedded);
	nw_kafka_wake_close(k->wake);
	free(k);
	sink->priv = NULL;
}

/* The librdkafka handle, for tests that inject faults. */
rd_kafka_t *
nw_kafka_handle(struct nw_sink *sink)
{
	struct kafka *k = sink->priv;

	return k != NULL ? k->rk : NULL;
}

const struct nw_kafka_stats *
nw_kafka_stats(struct nw_sink *sink)
{
	struct kafka *k = sink->priv;

	return k != NULL ? &k->stats : NULL;
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
