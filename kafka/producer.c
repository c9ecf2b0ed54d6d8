/* The Kafka producer core (kafka.h): the idempotent librdkafka producer
 * both Kafka sinks use, whose delivery reports, and nothing earlier,
 * confirm messages to the pipeline; the one error classification; the one
 * fatal-error policy (recreate the producer with back-off); the one set of
 * headers. librdkafka's wake-ups reach the libevent loop through a pipe
 * (no polling thread, no timer). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>
#include <jansson.h>
#include <librdkafka/rdkafka.h>

#include "kafka.h"
#include "kafka_common.h"
#include "metrics.h"
#include "newswire/log.h"
#include "newswire/sink.h"
#include "newswire/source.h"
#include "newswire/story.h"
#include "newswire/version.h"
#include "nwtime.h"

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

/* One message handed to librdkafka and not yet reported. */
struct kmsg {
	struct kmsg *prev, *next;
	void *token;
	int64_t queued_ms;
	rd_kafka_resp_err_t err; /* refused by produce() */
};

struct nw_kafka_producer {
	struct nw_sink *sink;
	struct nw_kafka_producer_conf conf;
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

/* Messages ------------------------------------------------------------- */

/* A parse hop's event: keyed by its language, so that every version of a
 * story reaches one partition of the story hop. Not by agency too: a
 * flash is often a bare headline whose agency nobody can tell, and the
 * index joins it to a story of any agency. */
static void
parsed_key(struct nw_kafka_out *out, const struct nw_sink_msg *msg)
{
	const struct nw_dispatch *d = msg->dispatch;
	char ms[32];

	snprintf(out->keybuf, sizeof out->keybuf, "%s",
	    msg->event->language[0] != '\0' ? msg->event->language : "-");
	out->key = out->keybuf;
	snprintf(ms, sizeof ms, "%" PRId64, msg->event->received_at_ms);
	rd_kafka_header_add(out->headers, NW_KAFKA_HDR_RECEIVED_AT, -1, ms, -1);
	if (d != NULL && d->item_id != NULL)
		rd_kafka_header_add(
		    out->headers, NW_KAFKA_HDR_ITEM_ID, -1, d->item_id, -1);
}

int
nw_kafka_out_make(struct nw_kafka_out *out, const struct nw_sink_msg *msg,
    int raw, enum nw_kafka_key key, const char *topic, const char *dlt,
    const void *payload, size_t len, const char *schema)
{
	const char *src = msg->source != NULL ? msg->source : "";
	const struct nw_dispatch *d = msg->dispatch;
	rd_kafka_headers_t *h;
	char ms[32];

	if (!raw && msg->event == NULL && (dlt == NULL || *dlt == '\0'))
		return -1;
	out->headers = h = rd_kafka_headers_new(6);
	if (raw || msg->event == NULL) {
		nw_kafka_topic_render(raw ? topic : dlt, NULL, src, out->topic,
		    sizeof out->topic);
		out->payload = msg->raw;
		out->len = msg->rawlen;
		/* The origin identifies a raw dispatch; re-sending the same
		 * file after a crash gives the same key. */
		out->key = msg->uri != NULL ? msg->uri : src;
		rd_kafka_header_add(h, NW_KAFKA_HDR_CONTENT_TYPE, -1,
		    "application/octet-stream", -1);
	} else {
		nw_kafka_topic_render(
		    topic, msg->event, src, out->topic, sizeof out->topic);
		out->payload = payload;
		out->len = len;
		out->key =
		    key == NW_KAFKA_KEY_STORY && msg->event->story != NULL
		    ? msg->event->story->key
		    : msg->event->id;
		rd_kafka_header_add(
		    h, NW_KAFKA_HDR_CONTENT_TYPE, -1, "application/json", -1);
		rd_kafka_header_add(h, NW_KAFKA_HDR_SCHEMA, -1, schema, -1);
		rd_kafka_header_add(h, NW_KAFKA_HDR_PARSER, -1,
		    NW_PARSER_NAME "/" NW_VERSION, -1);
		if (key == NW_KAFKA_KEY_PARSED)
			parsed_key(out, msg);
	}
	if (raw) {
		if (msg->uri != NULL)
			rd_kafka_header_add(
			    h, NW_KAFKA_HDR_URI, -1, msg->uri, -1);
		snprintf(ms, sizeof ms, "%" PRId64,
		    d != NULL && d->received_at_ms > 0 ? d->received_at_ms
						       : nw_now_ms());
		rd_kafka_header_add(h, NW_KAFKA_HDR_RECEIVED_AT, -1, ms, -1);
	} else if (msg->event == NULL) {
		rd_kafka_header_add(h, NW_KAFKA_HDR_REASON, -1,
		    nw_reason_code(msg->reason), -1);
		rd_kafka_header_add(h, NW_KAFKA_HDR_ERROR, -1,
		    msg->error != NULL ? msg->error : "", -1);
		if (msg->uri != NULL)
			rd_kafka_header_add(
			    h, NW_KAFKA_HDR_URI, -1, msg->uri, -1);
	}
	rd_kafka_header_add(h, NW_KAFKA_HDR_SOURCE, -1, src, -1);
	return 0;
}

rd_kafka_resp_err_t
nw_kafka_out_produce(rd_kafka_t *rk, struct nw_kafka_out *out, void *opaque)
{
	rd_kafka_resp_err_t err;

	err = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(out->topic),
	    RD_KAFKA_V_VALUE((void *)(uintptr_t)out->payload, out->len),
	    RD_KAFKA_V_KEY((void *)(uintptr_t)out->key, strlen(out->key)),
	    RD_KAFKA_V_HEADERS(out->headers),
	    RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_OPAQUE(opaque),
	    RD_KAFKA_V_END);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
		rd_kafka_headers_destroy(out->headers);
	out->headers = NULL;
	return err;
}

/* Delivery ------------------------------------------------------------- */

static void
kmsg_unlink(struct nw_kafka_producer *k, struct kmsg *m)
{
	m->prev->next = m->next;
	m->next->prev = m->prev;
	k->ninflight--;
}

static void
confirm(struct nw_kafka_producer *k, struct kmsg *m, enum nw_confirm c,
    const char *err)
{
	void *token = m->token;

	kmsg_unlink(k, m);
	free(m);
	nw_sink_confirm(k->sink, token, c, err);
}

static void
on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *rm, void *opaque)
{
	struct nw_kafka_producer *k = opaque;
	struct kmsg *m = rm->_private;
	int64_t ms = nw_mono_ms() - m->queued_ms;
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
serve(struct nw_kafka_producer *k)
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
	struct nw_kafka_producer *k = arg;

	nw_kafka_wake_drain(fd);
	if (k->rk != NULL)
		serve(k);
}

static void
on_log(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
	struct nw_kafka_producer *k = rd_kafka_opaque(rk);
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
	struct nw_kafka_producer *k = opaque;
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
publish_stats(struct nw_kafka_producer *k)
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
	struct nw_kafka_producer *k = opaque;

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
producer_new(struct nw_kafka_producer *k, char **cause)
{
	char timeout[32], stats[32];
	const char *extra[] = {"message.timeout.ms", timeout,
	    "statistics.interval.ms", stats, NULL};
	struct nw_kafka_new n = {
	    .brokers = k->bootstrap,
	    .max_dispatch = k->conf.max_dispatch_size,
	    .extra = extra,
	    .props = k->conf.props,
	    .opaque = k,
	    .on_delivery = on_delivery,
	    .on_error = on_error,
	    .on_log = on_log,
	    .on_stats = on_stats,
	    .wake_fd = k->wake[1],
	};

	snprintf(
	    timeout, sizeof timeout, "%" PRId64, k->conf.delivery_timeout_ms);
	snprintf(
	    stats, sizeof stats, "%" PRId64, k->conf.statistics_interval_ms);
	if ((k->rk = nw_kafka_producer_new(&n, cause)) == NULL)
		return -1;
	/* What was queued before the pipe was attached (logs of rd_kafka_new)
	 * would otherwise wait for the next wake-up. */
	event_active(k->wake_ev, EV_READ, 1);
	return 0;
}

/* Tear the producer down. Whatever it did not report stays at its source:
 * those dispatches are confirmed NW_CONFIRM_RETRY (when confirm is set). */
static void
producer_destroy(struct nw_kafka_producer *k, int confirm_left)
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
	struct nw_kafka_producer *k = arg;
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
	struct nw_kafka_producer *k = arg;
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

struct nw_kafka_producer *
nw_kafka_producer_start(struct nw_sink *sink, struct event_base *base,
    const struct nw_kafka_producer_conf *conf, char **cause)
{
	struct nw_kafka_producer *k;

	if ((k = calloc(1, sizeof *k)) == NULL) {
		*cause = strdup("out of memory");
		return NULL;
	}
	k->sink = sink;
	k->conf = *conf;
	k->base = base;
	k->wake[0] = k->wake[1] = -1;
	k->inflight.next = k->inflight.prev = &k->inflight;
	k->recreate_ms = KAFKA_RECREATE_MIN_MS;
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
		if (nw_kafka_producer_takes_dead_letters(k) &&
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
		 "dead_letter_topic=%s mode=%s message_max_bytes=%zu",
	    sink->name, k->bootstrap, conf->topic,
	    nw_kafka_producer_takes_dead_letters(k) ? conf->dead_letter_topic
						    : "-",
	    conf->raw ? "raw" : "events",
	    nw_kafka_message_max(conf->max_dispatch_size));
	return k;
fail:
	nw_kafka_producer_stop(k);
	return NULL;
}

int
nw_kafka_producer_takes_dead_letters(const struct nw_kafka_producer *k)
{
	return k->conf.dead_letter_topic != NULL &&
	    *k->conf.dead_letter_topic != '\0';
}

enum nw_deliver_rc
nw_kafka_producer_send(struct nw_kafka_producer *k,
    const struct nw_sink_msg *msg, const void *payload, size_t len,
    const char *schema)
{
	struct nw_kafka_out out;
	rd_kafka_resp_err_t err;
	struct kmsg *m;

	if (k->rk == NULL || k->fatal) {
		k->full = 1; /* resumed by on_recreate */
		return NW_DELIVER_FULL;
	}
	if ((m = calloc(1, sizeof *m)) == NULL)
		return NW_DELIVER_ERROR;
	if (nw_kafka_out_make(&out, msg, k->conf.raw, k->conf.key,
		k->conf.topic, k->conf.dead_letter_topic, payload, len,
		schema) == -1) {
		free(m);
		return NW_DELIVER_ERROR;
	}
	m->token = msg->token;
	m->queued_ms = nw_mono_ms();
	err = nw_kafka_out_produce(k->rk, &out, m);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
		if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
			free(m);
			k->full = 1;
			k->stats.queue_full++;
			return NW_DELIVER_FULL;
		}
		log_warnx("kafka produce refused sink=%s topic=%s len=%zu "
			  "reason=\"%s\"",
		    k->sink->name, out.topic, out.len, rd_kafka_err2str(err));
		if (!nw_kafka_err_permanent(err)) {
			free(m);
			return NW_DELIVER_ERROR;
		}
		/* Too large now is too large forever: confirm it as permanent
		 * (from the loop, not from inside deliver) so the dispatch
		 * goes to failed/ rather than being retried for ever. */
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

size_t
nw_kafka_producer_pending(const struct nw_kafka_producer *k)
{
	return k != NULL ? k->ninflight : 0;
}

size_t
nw_kafka_producer_flush(struct nw_kafka_producer *k, int timeout_ms)
{
	int64_t start = nw_mono_ms();

	if (k == NULL || k->rk == NULL)
		return k != NULL ? k->ninflight : 0;
	/* rd_kafka_flush serves the delivery reports, so confirmations reach
	 * the pipeline while it waits. */
	rd_kafka_flush(k->rk, timeout_ms);
	rd_kafka_poll(k->rk, 0);
	if (k->ninflight > 0)
		log_warnx("kafka flush sink=%s left=%zu ms=%" PRId64
			  ": those dispatches stay at their sources",
		    k->sink->name, k->ninflight, nw_mono_ms() - start);
	else
		log_info("kafka flush sink=%s left=0 ms=%" PRId64,
		    k->sink->name, nw_mono_ms() - start);
	return k->ninflight;
}

void
nw_kafka_producer_stop(struct nw_kafka_producer *k)
{
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
}

rd_kafka_t *
nw_kafka_producer_handle(const struct nw_kafka_producer *k)
{
	return k != NULL ? k->rk : NULL;
}

const struct nw_kafka_stats *
nw_kafka_producer_stats(const struct nw_kafka_producer *k)
{
	return k != NULL ? &k->stats : NULL;
}
