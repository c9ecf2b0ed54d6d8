/* The transactional Kafka sink: events (or, in the "edge" mode, raw
 * dispatches) produced inside librdkafka transactions that also commit the
 * Kafka source's offsets, so each raw dispatch's event is visible exactly
 * once to read_committed consumers. A message is confirmed only when its
 * transaction commits. Without transactional_id it is the plain producer
 * core (kafka/producer.c), the same code path as the kafka sink. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <unistd.h>

#include <event2/event.h>
#include <librdkafka/rdkafka.h>

#include "kafka_common.h"
#include "kafka_sink.h"
#include "newswire/kafka_eos.h"
#include "newswire/log.h"
#include "newswire/sink.h"
#include "newswire/source.h"
#include "newswire/version.h"

#define TXN_API_TIMEOUT_MS 30000
#define COMMIT_RETRIES     5
/* librdkafka's own message.timeout.ms default, as before the core. */
#define PLAIN_DELIVERY_TIMEOUT_MS 300000

struct ktx_conf {
	char *brokers;
	char *topic;
	char *dead_letter_topic;
	char *transactional_id;
	int64_t transaction_timeout_ms;
	int64_t commit_interval_ms;
	long commit_max;
	int raw;
	int parsed;
	char *key;
	struct nw_strv props; /* "kafka.*": name, value, ... */
};

static const struct nw_key ktx_keys[] = {
    {.name = "brokers",
	.type = NW_KEY_STRING,
	.offset = offsetof(struct ktx_conf, brokers),
	.desc = "bootstrap servers host:port,...",
	.flags = NW_KEY_REQUIRED},
    {.name = "topic",
	.type = NW_KEY_STRING,
	.def = "",
	.offset = offsetof(struct ktx_conf, topic),
	.desc = "topic template ({agency} {language} {source}); default "
		"newswire.events, or newswire.raw with raw = yes"},
    {.name = "dead_letter_topic",
	.type = NW_KEY_STRING,
	.def = "newswire.deadletter",
	.offset = offsetof(struct ktx_conf, dead_letter_topic),
	.desc = "topic for unparseable dispatches, produced in the same "
		"transaction; \"\" for none"},
    {.name = "transactional_id",
	.type = NW_KEY_STRING,
	.def = "",
	.offset = offsetof(struct ktx_conf, transactional_id),
	.desc = "unique per instance: enables transactions, and with a Kafka "
		"source with exactly_once commits its offsets in them; \"\": "
		"idempotent producer, confirmed at the delivery report"},
    {.name = "transaction_timeout",
	.type = NW_KEY_DURATION,
	.def = "60s",
	.offset = offsetof(struct ktx_conf, transaction_timeout_ms),
	.desc = "transaction.timeout.ms: how soon the broker aborts the open "
		"transaction of an instance that died"},
    {.name = "commit_interval",
	.type = NW_KEY_DURATION,
	.def = "100ms",
	.offset = offsetof(struct ktx_conf, commit_interval_ms),
	.desc = "how long a transaction stays open collecting messages"},
    {.name = "commit_max",
	.type = NW_KEY_INT,
	.def = "2000",
	.offset = offsetof(struct ktx_conf, commit_max),
	.desc = "messages after which a transaction is committed at once"},
    {.name = "raw",
	.type = NW_KEY_BOOL,
	.def = "no",
	.offset = offsetof(struct ktx_conf, raw),
	.desc = "edge mode: publish the raw dispatches, unparsed, with "
		"newswired-uri and newswired-received-at headers, for a "
		"parsing cluster's Kafka sources"},
    {.name = "parsed",
	.type = NW_KEY_BOOL,
	.def = "no",
	.offset = offsetof(struct ktx_conf, parsed),
	.desc = "parse hop of several instances: publish events without their "
		"story, keyed by language, by default to "
		"newswire.parsed, for a story hop (a kafka source with input = "
		"parsed) to assign stories"},
    {.name = "key",
	.type = NW_KEY_ENUM,
	.def = "id",
	.choices = "id|story",
	.offset = offsetof(struct ktx_conf, key),
	.desc = "message key of an event: id (the event id) or story (the "
		"story key: a story's versions in order on one partition)"},
    {.name = NULL},
};

static enum nw_kafka_key
key_of(const struct ktx_conf *conf)
{
	if (conf->parsed)
		return NW_KAFKA_KEY_PARSED;
	return conf->key != NULL && strcmp(conf->key, "story") == 0
	    ? NW_KAFKA_KEY_STORY
	    : NW_KAFKA_KEY_ID;
}

/* One message handed to librdkafka and not yet confirmed. */
struct tmsg {
	TAILQ_ENTRY(tmsg) link;
	void *token;
	const struct nw_dispatch *d;
	int delivered;
};
TAILQ_HEAD(tmsgq, tmsg);

struct ktx {
	struct nw_sink *sink;
	struct ktx_conf *conf;
	const char *topic;
	/* Without transactional_id: the plain producer core does it all. */
	struct nw_kafka_producer *plain;
	rd_kafka_t *rk;
	int wake[2];
	struct event *wake_ev, *commit_ev, *later_ev;
	struct tmsgq open;  /* in the open transaction */
	struct tmsgq later; /* to confirm RETRY on the next loop turn */
	size_t nopen;
	int txn_open;
	int txn_failed;
	int full;
	char txn_error[256];
	struct nw_kafka_eos *eos; /* the source whose offsets we commit */
	rd_kafka_topic_partition_list_t *offsets;
	size_t commit_at; /* messages that commit a transaction at once */
	int warned_no_txn, warned_two_sources;
	unsigned long commits, aborts, confirmed;
};

static int
ktx_extra_key(void *v, const char *key, const char *value, char **cause)
{
	struct ktx_conf *conf = v;
	const char *prop;

	if ((prop = nw_kafka_prop_name(key, cause)) == NULL)
		return -1;
	if (strcmp(prop, "transactional.id") == 0 ||
	    strcmp(prop, "enable.idempotence") == 0) {
		if (asprintf(cause, "%s is set by the sink (transactional_id)",
			key) < 0)
			*cause = NULL;
		return -1;
	}
	return nw_kafka_prop_keep(&conf->props, key, prop, value, cause);
}

static void
ktx_conf_free(void *v)
{
	struct ktx_conf *conf = v;

	nw_strv_clear(&conf->props);
}

static int
ktx_check(void *v, char **cause)
{
	struct ktx_conf *c = v;

	if (c->brokers == NULL || *c->brokers == '\0') {
		*cause = strdup("brokers is empty");
		return -1;
	}
	if (c->transaction_timeout_ms < 1000 ||
	    c->transaction_timeout_ms > 900000) {
		*cause = strdup("transaction_timeout must be 1s..15m");
		return -1;
	}
	if (c->commit_interval_ms < 1 ||
	    c->commit_interval_ms >= c->transaction_timeout_ms) {
		*cause = strdup("commit_interval must be positive and below "
				"transaction_timeout");
		return -1;
	}
	if (c->raw && c->parsed) {
		*cause = strdup("raw and parsed exclude each other");
		return -1;
	}
	if (c->commit_max < 1 || c->commit_max > 1000000) {
		*cause = strdup("commit_max must be 1..1000000");
		return -1;
	}
	return 0;
}

static void
confirm_all(struct ktx *k, struct tmsgq *q, enum nw_confirm c, const char *e)
{
	struct tmsg *m;
	void *token;

	while ((m = TAILQ_FIRST(q)) != NULL) {
		TAILQ_REMOVE(q, m, link);
		token = m->token;
		free(m);
		k->confirmed++;
		nw_sink_confirm(k->sink, token, c, e);
	}
}

static void
on_later(evutil_socket_t fd, short what, void *arg)
{
	struct ktx *k = arg;
	struct tmsgq q;

	TAILQ_INIT(&q);
	TAILQ_CONCAT(&q, &k->later, link);
	confirm_all(k, &q, NW_CONFIRM_RETRY, "stale: partition moved on");
}

static void
arm_commit(struct ktx *k)
{
	struct timeval tv;

	tv.tv_sec = k->conf->commit_interval_ms / 1000;
	tv.tv_usec = (k->conf->commit_interval_ms % 1000) * 1000;
	evtimer_add(k->commit_ev, &tv);
}

static void
fatal_txn(struct ktx *k, const char *what, const rd_kafka_error_t *error)
{
	/* A fenced or otherwise dead transactional producer cannot go on;
	 * systemd restarts the daemon, which resumes from the committed
	 * offsets, so nothing is lost or doubled. */
	fatalx("kafka transaction fatal error sink=%s step=%s error=%s: %s",
	    k->sink->name, what, rd_kafka_error_name(error),
	    rd_kafka_error_string(error));
}

/* The open transaction's work is void: abort it, send the source back to
 * its committed offsets, and tell the pipeline. */
static void
txn_abort(struct ktx *k, const char *why)
{
	rd_kafka_error_t *error;
	struct tmsgq q;

	log_warnx(
	    "kafka transaction aborted sink=%s messages=%zu reason=\"%s\"",
	    k->sink->name, k->nopen, why);
	if ((error = rd_kafka_abort_transaction(k->rk, TXN_API_TIMEOUT_MS)) !=
	    NULL) {
		if (rd_kafka_error_is_fatal(error))
			fatal_txn(k, "abort", error);
		log_warnx("kafka abort failed sink=%s error=%s", k->sink->name,
		    rd_kafka_error_string(error));
		rd_kafka_error_destroy(error);
	}
	k->aborts++;
	k->txn_open = 0;
	k->txn_failed = 0;
	rd_kafka_topic_partition_list_destroy(k->offsets);
	k->offsets = NULL;
	/* Rewind first, so the source takes the RETRYs below as stale. */
	if (k->eos != NULL)
		k->eos->rewind(k->eos->source);
	TAILQ_INIT(&q);
	TAILQ_CONCAT(&q, &k->open, link);
	k->nopen = 0;
	confirm_all(k, &q, NW_CONFIRM_RETRY, "transaction aborted");
}

/* Commit the open transaction with the source's offsets. 0: committed or
 * nothing open; -1: aborted (its dispatches are read again). */
static int
txn_commit(struct ktx *k)
{
	rd_kafka_consumer_group_metadata_t *cgmd;
	rd_kafka_error_t *error = NULL;
	const char *topic;
	struct tmsg *m;
	struct tmsgq q;
	int32_t part;
	int64_t off;
	int tries;
	size_t n = k->nopen;

	if (!k->txn_open)
		return 0;
	evtimer_del(k->commit_ev);
	/* Work of a revoked or rewound partition is someone else's now. */
	TAILQ_FOREACH(m, &k->open, link)
	{
		if (m->d != NULL && m->d->eos != NULL &&
		    m->d->eos->position(
			m->d->eos->source, m->d, &topic, &part, &off) != 0) {
			txn_abort(k, "a partition was revoked or rewound");
			return -1;
		}
	}
	if (k->txn_failed) {
		txn_abort(k, k->txn_error);
		return -1;
	}
	for (tries = 0; tries < COMMIT_RETRIES; tries++) {
		if (error != NULL)
			rd_kafka_error_destroy(error);
		error = NULL;
		if (k->eos != NULL && k->offsets != NULL &&
		    k->offsets->cnt > 0) {
			cgmd =
			    rd_kafka_consumer_group_metadata(k->eos->consumer);
			error = rd_kafka_send_offsets_to_transaction(
			    k->rk, k->offsets, cgmd, TXN_API_TIMEOUT_MS);
			rd_kafka_consumer_group_metadata_destroy(cgmd);
		}
		if (error == NULL)
			error = rd_kafka_commit_transaction(
			    k->rk, TXN_API_TIMEOUT_MS);
		if (error == NULL || !rd_kafka_error_is_retriable(error))
			break;
		log_warnx("kafka commit retried sink=%s error=%s",
		    k->sink->name, rd_kafka_error_string(error));
	}
	if (error != NULL) {
		if (rd_kafka_error_is_fatal(error))
			fatal_txn(k, "commit", error);
		snprintf(k->txn_error, sizeof k->txn_error, "%s",
		    rd_kafka_error_string(error));
		rd_kafka_error_destroy(error);
		txn_abort(k, k->txn_error);
		return -1;
	}
	k->commits++;
	k->txn_open = 0;
	if (k->offsets != NULL) {
		rd_kafka_topic_partition_list_destroy(k->offsets);
		k->offsets = NULL;
	}
	log_debug("kafka transaction committed sink=%s messages=%zu",
	    k->sink->name, n);
	TAILQ_INIT(&q);
	TAILQ_CONCAT(&q, &k->open, link);
	k->nopen = 0;
	confirm_all(k, &q, NW_CONFIRM_OK, NULL);
	if (k->full) {
		k->full = 0;
		nw_sink_ready(k->sink);
	}
	return 0;
}

static void
on_commit_timer(evutil_socket_t fd, short what, void *arg)
{
	txn_commit(arg);
}

/* Called by the Kafka source before its partitions are revoked. */
static int
eos_commit(void *arg)
{
	return txn_commit(arg);
}

/* Only transactional producers come here: nothing is stored until the
 * transaction commits, and a failed message fails the whole transaction. */
static void
on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *rm, void *opaque)
{
	struct ktx *k = opaque;
	struct tmsg *m = rm->_private;

	if (m == NULL)
		return;
	m->delivered = 1;
	if (rm->err != RD_KAFKA_RESP_ERR_NO_ERROR && !k->txn_failed) {
		k->txn_failed = 1;
		snprintf(k->txn_error, sizeof k->txn_error, "%s: %s",
		    rd_kafka_err2name(rm->err), rd_kafka_err2str(rm->err));
	}
}

/* The transactional half of the one fatal-error policy (docs/kafka-errors.md):
 * the plain producer core recreates itself, but a fenced transactional
 * producer must not go on, so the daemon exits for systemd to restart it. */
static void
on_error(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
	struct ktx *k = opaque;
	char buf[512];

	if (err == RD_KAFKA_RESP_ERR__FATAL) {
		rd_kafka_fatal_error(rk, buf, sizeof buf);
		fatalx("kafka producer fatal error sink=%s reason=\"%s\"",
		    k->sink->name, buf);
	}
	log_warnx("kafka producer error sink=%s error=%s reason=\"%s\"",
	    k->sink->name, rd_kafka_err2name(err), reason);
}

static void
on_log(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
	nw_kafka_log("producer", level, fac, buf);
}

static void
on_wake(evutil_socket_t fd, short what, void *arg)
{
	struct ktx *k = arg;

	nw_kafka_wake_drain(fd);
	rd_kafka_poll(k->rk, 0);
}

static void ktx_stop(struct nw_sink *);

static int
ktx_start(struct nw_sink *sink, struct event_base *base,
    const struct nw_limits *limits, char **cause)
{
	struct ktx_conf *conf = sink->conf;
	rd_kafka_error_t *error;
	struct nw_kafka_new n;
	struct ktx *k;
	char buf[64];
	const char *extra[] = {"transactional.id", conf->transactional_id,
	    "transaction.timeout.ms", buf, NULL};

	if ((k = calloc(1, sizeof *k)) == NULL)
		fatalx("out of memory");
	k->sink = sink;
	k->conf = conf;
	k->wake[0] = k->wake[1] = -1;
	k->topic = *conf->topic != '\0' ? conf->topic
	    : conf->raw                 ? "newswire.raw"
	    : conf->parsed              ? "newswire.parsed"
					: "newswire.events";
	TAILQ_INIT(&k->open);
	TAILQ_INIT(&k->later);
	sink->priv = k;
	if (*conf->transactional_id == '\0') {
		struct nw_kafka_producer_conf pc = {
		    .brokers = conf->brokers,
		    .topic = k->topic,
		    .dead_letter_topic = conf->dead_letter_topic,
		    .raw = conf->raw,
		    .key = key_of(conf),
		    .delivery_timeout_ms = PLAIN_DELIVERY_TIMEOUT_MS,
		    .max_dispatch_size = limits->max_dispatch_size,
		    .embedded_partitions = 1,
		    .props = &conf->props,
		};
		if ((k->plain = nw_kafka_producer_start(
			 sink, base, &pc, cause)) == NULL)
			goto fail;
		return 0;
	}
	/* The pipeline pauses its sources at max_inflight unconfirmed
	 * dispatches, and nothing here is confirmed before its commit: commit
	 * at half of that rather than stall until the timer. */
	k->commit_at = (size_t)conf->commit_max;
	if ((size_t)limits->max_inflight / 2 < k->commit_at)
		k->commit_at = (size_t)limits->max_inflight / 2;
	if (k->commit_at == 0)
		k->commit_at = 1;
	if (nw_kafka_wake_open(k->wake, cause) == -1)
		goto fail;
	k->wake_ev =
	    event_new(base, k->wake[0], EV_READ | EV_PERSIST, on_wake, k);
	k->commit_ev = evtimer_new(base, on_commit_timer, k);
	k->later_ev = event_new(base, -1, 0, on_later, k);
	if (k->wake_ev == NULL || k->commit_ev == NULL || k->later_ev == NULL ||
	    event_add(k->wake_ev, NULL) == -1)
		fatalx("out of memory");

	snprintf(buf, sizeof buf, "%" PRId64, conf->transaction_timeout_ms);
	n = (struct nw_kafka_new){
	    .brokers = conf->brokers,
	    /* As the kafka sink: an accepted dispatch's event always fits. */
	    .max_dispatch = limits->max_dispatch_size,
	    .extra = extra,
	    .props = &conf->props,
	    .opaque = k,
	    .on_delivery = on_delivery,
	    .on_error = on_error,
	    .on_log = on_log,
	    .wake_fd = k->wake[1],
	};
	if ((k->rk = nw_kafka_producer_new(&n, cause)) == NULL)
		goto fail;
	event_active(k->wake_ev, EV_READ, 1);
	/* Fences an earlier incarnation with the same id and aborts whatever
	 * it left open. */
	if ((error = rd_kafka_init_transactions(k->rk, TXN_API_TIMEOUT_MS)) !=
	    NULL) {
		if (asprintf(cause, "init_transactions: %s",
			rd_kafka_error_string(error)) < 0)
			*cause = NULL;
		rd_kafka_error_destroy(error);
		goto fail;
	}
	log_info("kafka sink started sink=%s brokers=%s topic=%s mode=%s "
		 "transactional_id=%s",
	    sink->name, conf->brokers, k->topic,
	    conf->raw          ? "raw"
		: conf->parsed ? "parsed"
			       : "events",
	    conf->transactional_id);
	return 0;
fail:
	ktx_stop(sink);
	return -1;
}

static int
ktx_takes_dead_letters(struct nw_sink *sink)
{
	struct ktx_conf *conf = sink->conf;

	return conf->raw || *conf->dead_letter_topic != '\0';
}

static int
ktx_wants_raw(struct nw_sink *sink)
{
	struct ktx_conf *conf = sink->conf;

	return conf->raw;
}

static int
ktx_defers_stories(struct nw_sink *sink)
{
	struct ktx_conf *conf = sink->conf;

	return conf->parsed;
}

/* Note where d was read, so the transaction commits past it. */
static void
add_offset(struct ktx *k, const char *topic, int32_t part, int64_t off)
{
	rd_kafka_topic_partition_t *p;

	if (k->offsets == NULL)
		k->offsets = rd_kafka_topic_partition_list_new(8);
	if ((p = rd_kafka_topic_partition_list_find(k->offsets, topic, part)) ==
	    NULL)
		p = rd_kafka_topic_partition_list_add(k->offsets, topic, part);
	else if (p->offset > off)
		return;
	p->offset = off + 1;
}

static enum nw_deliver_rc
ktx_deliver(struct nw_sink *sink, const struct nw_sink_msg *msg)
{
	struct ktx *k = sink->priv;
	struct ktx_conf *conf = sink->conf;
	const struct nw_dispatch *d = msg->dispatch;
	struct nw_kafka_eos *eos = d != NULL ? d->eos : NULL;
	struct nw_kafka_out out;
	rd_kafka_error_t *error;
	rd_kafka_resp_err_t err;
	const char *ptopic = NULL;
	int32_t part = 0;
	int64_t off = 0;
	struct tmsg *m;

	if (k->plain != NULL) {
		if (eos != NULL && !k->warned_no_txn++)
			log_warnx("kafka sink=%s: source %s has exactly_once "
				  "but this sink has no transactional_id; its "
				  "offsets are never committed",
			    sink->name, eos->name);
		return nw_kafka_producer_send(
		    k->plain, msg, msg->json, msg->jsonlen, NW_SCHEMA);
	}
	if (eos != NULL) {
		if (k->eos == NULL) {
			k->eos = eos;
			eos->sink = k;
			eos->commit = eos_commit;
		} else if (k->eos != eos) {
			if (!k->warned_two_sources++)
				log_error("kafka sink=%s: one transactional "
					  "sink serves one exactly_once "
					  "source; %s refused",
				    sink->name, eos->name);
			return NW_DELIVER_ERROR;
		}
		if (eos->position(eos->source, d, &ptopic, &part, &off) != 0) {
			/* Read before a revoke or rewind: not ours to
			 * commit. */
			if ((m = calloc(1, sizeof *m)) == NULL)
				fatalx("out of memory");
			m->token = msg->token;
			TAILQ_INSERT_TAIL(&k->later, m, link);
			event_active(k->later_ev, EV_TIMEOUT, 1);
			return NW_DELIVER_QUEUED;
		}
	}
	if (!k->txn_open) {
		if ((error = rd_kafka_begin_transaction(k->rk)) != NULL) {
			if (rd_kafka_error_is_fatal(error))
				fatal_txn(k, "begin", error);
			log_warnx("kafka begin_transaction sink=%s: %s",
			    sink->name, rd_kafka_error_string(error));
			rd_kafka_error_destroy(error);
			return NW_DELIVER_ERROR;
		}
		k->txn_open = 1;
		arm_commit(k);
	}
	if (nw_kafka_out_make(&out, msg, conf->raw, key_of(conf), k->topic,
		conf->dead_letter_topic, msg->json, msg->jsonlen,
		NW_SCHEMA) == -1)
		return NW_DELIVER_ERROR;
	if ((m = calloc(1, sizeof *m)) == NULL)
		fatalx("out of memory");
	m->token = msg->token;
	m->d = eos != NULL ? d : NULL;
	if ((err = nw_kafka_out_produce(k->rk, &out, m)) !=
	    RD_KAFKA_RESP_ERR_NO_ERROR) {
		free(m);
		if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
			k->full = 1;
			/* A transaction's commit empties the queue. */
			event_active(k->commit_ev, EV_TIMEOUT, 1);
			return NW_DELIVER_FULL;
		}
		log_warnx("kafka produce refused sink=%s topic=%s len=%zu "
			  "reason=\"%s\"",
		    sink->name, out.topic, out.len, rd_kafka_err2str(err));
		return NW_DELIVER_ERROR;
	}
	TAILQ_INSERT_TAIL(&k->open, m, link);
	k->nopen++;
	if (eos != NULL)
		add_offset(k, ptopic, part, off);
	if (k->nopen >= k->commit_at)
		event_active(k->commit_ev, EV_TIMEOUT, 1);
	return NW_DELIVER_QUEUED;
}

static size_t
ktx_pending(struct nw_sink *sink)
{
	struct ktx *k = sink->priv;

	if (k != NULL && k->plain != NULL)
		return nw_kafka_producer_pending(k->plain);
	return k != NULL ? k->nopen : 0;
}

static size_t
ktx_flush(struct nw_sink *sink, int timeout_ms)
{
	struct ktx *k = sink->priv;

	if (k != NULL && k->plain != NULL)
		return nw_kafka_producer_flush(k->plain, timeout_ms);
	if (k == NULL || k->rk == NULL)
		return 0;
	txn_commit(k);
	rd_kafka_poll(k->rk, 0);
	log_info("kafka flush sink=%s left=%zu commits=%lu aborts=%lu",
	    sink->name, k->nopen, k->commits, k->aborts);
	return k->nopen;
}

static void
ktx_stop(struct nw_sink *sink)
{
	struct ktx *k = sink->priv;
	struct tmsg *m;

	if (k == NULL)
		return;
	nw_kafka_producer_stop(k->plain);
	if (k->eos != NULL && k->eos->sink == k) {
		k->eos->commit = NULL;
		k->eos->sink = NULL;
	}
	if (k->rk != NULL) {
		nw_kafka_main_queue_wake(k->rk, -1);
		/* What is not committed is redone from the committed offsets
		 * (the broker aborts the open transaction, or the next
		 * init_transactions with this id does). */
		rd_kafka_purge(k->rk,
		    RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT |
			RD_KAFKA_PURGE_F_NON_BLOCKING);
		rd_kafka_destroy_flags(
		    k->rk, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
	}
	while ((m = TAILQ_FIRST(&k->open)) != NULL) {
		TAILQ_REMOVE(&k->open, m, link);
		free(m);
	}
	while ((m = TAILQ_FIRST(&k->later)) != NULL) {
		TAILQ_REMOVE(&k->later, m, link);
		free(m);
	}
	if (k->offsets != NULL)
		rd_kafka_topic_partition_list_destroy(k->offsets);
	if (k->wake_ev != NULL)
		event_free(k->wake_ev);
	if (k->commit_ev != NULL)
		event_free(k->commit_ev);
	if (k->later_ev != NULL)
		event_free(k->later_ev);
	nw_kafka_wake_close(k->wake);
	free(k);
	sink->priv = NULL;
}

const struct nw_sink_ops nw_sink_kafka_txn = {
    .type = "kafka-txn",
    .keys = ktx_keys,
    .conf_size = sizeof(struct ktx_conf),
    .extra_key = ktx_extra_key,
    .conf_free = ktx_conf_free,
    .check = ktx_check,
    .start = ktx_start,
    .takes_dead_letters = ktx_takes_dead_letters,
    .wants_raw = ktx_wants_raw,
    .defers_stories = ktx_defers_stories,
    .deliver = ktx_deliver,
    .pending = ktx_pending,
    .flush = ktx_flush,
    .stop = ktx_stop,
};
