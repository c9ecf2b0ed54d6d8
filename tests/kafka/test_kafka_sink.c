/* The Kafka sink against librdkafka's mock cluster, in one process: faults a
 * real broker can't easily be made to produce (timeouts, NOT_ENOUGH_REPLICAS,
 * a fatal idempotence error, message too large, a full queue) and what the
 * sink then confirms. The pipeline is replaced by the two callbacks below
 * (linked with --wrap), so each confirmation can be counted exactly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <event2/event.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include "kafka_sink.h"
#include "newswire/config.h"
#include "newswire/log.h"
#include "newswire/sink.h"

#define PRODUCE_API 0 /* Kafka protocol ApiKey of Produce */
#define NPART       3

struct tok {
	int id;
	int confirmed; /* how many times */
	enum nw_confirm how;
	char error[256];
};

static struct event_base *base;
static rd_kafka_t *mock_host;
static rd_kafka_mock_cluster_t *mc;
static const char *bootstrap;
static size_t confirms[3];
static size_t readies;
static struct nw_sink sink;
/* The sink type under test: kafka, or kafka-txn without transactional_id,
 * which must behave the same (one producer core). */
static const struct nw_sink_ops *sops = &nw_sink_kafka;
static int topic_seq;

void __wrap_nw_sink_confirm(
    struct nw_sink *, void *, enum nw_confirm, const char *);
void __wrap_nw_sink_ready(struct nw_sink *);

void
__wrap_nw_sink_confirm(
    struct nw_sink *s, void *token, enum nw_confirm c, const char *error)
{
	struct tok *t = token;

	assert_ptr_equal(s, &sink);
	t->confirmed++;
	t->how = c;
	snprintf(t->error, sizeof t->error, "%s", error ? error : "");
	confirms[c]++;
}

void
__wrap_nw_sink_ready(struct nw_sink *s)
{
	readies++;
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
tick(evutil_socket_t fd, short what, void *arg)
{
}

/* Run the loop until the sink has nothing pending (or timeout). */
static int
run_until_settled(size_t want_confirms, int timeout_ms)
{
	int64_t end = now_ms() + timeout_ms;
	struct event *t = event_new(base, -1, EV_PERSIST, tick, NULL);
	struct timeval tv = {0, 50000};

	event_add(t, &tv);
	while (confirms[0] + confirms[1] + confirms[2] < want_confirms &&
	    now_ms() < end)
		event_base_loop(base, EVLOOP_ONCE);
	event_free(t);
	return confirms[0] + confirms[1] + confirms[2] >= want_confirms ? 0
									: -1;
}

static void
run_for(int ms)
{
	struct timeval tv = {ms / 1000, (ms % 1000) * 1000};

	event_base_loopexit(base, &tv);
	event_base_dispatch(base);
}

/* Set one key of the sink's config the way a config file would. */
static void
conf_set(void *conf, const char *key, const char *value)
{
	const struct nw_key *k;
	char *cause = NULL;

	for (k = sops->keys; k->name != NULL; k++) {
		if (strcmp(k->name, key) == 0)
			break;
	}
	if (k->name == NULL) {
		assert_int_equal(sops->extra_key(conf, key, value, &cause), 0);
		return;
	}
	assert_int_equal(nw_key_set(k, conf, value, "/", &cause), 0);
}

static char topic[64], dlt[64];
/* The daemon's limits, as the pipeline hands them to start(). */
static struct nw_limits limits = {
    .state_dir = "/nonexistent",
    .max_dispatch_size = NW_MAX_DISPATCH_DEFAULT,
    .max_inflight = 256,
};

/* A sink with its own fresh topics on the mock cluster. extra: pairs of
 * key, value, NULL-terminated. */
static void
sink_start(const char *first, ...)
{
	const struct nw_key *k;
	va_list ap;
	const char *key, *value;
	char *cause = NULL;

	memset(confirms, 0, sizeof confirms);
	readies = 0;
	topic_seq++;
	rd_kafka_mock_clear_request_errors(mc, PRODUCE_API);
	snprintf(topic, sizeof topic, "events%d", topic_seq);
	snprintf(dlt, sizeof dlt, "dead%d", topic_seq);
	assert_int_equal(rd_kafka_mock_topic_create(mc, topic, NPART, 1), 0);
	assert_int_equal(rd_kafka_mock_topic_create(mc, dlt, 1, 1), 0);

	memset(&sink, 0, sizeof sink);
	sink.ops = sops;
	sink.name = "k";
	sink.conf = calloc(1, sops->conf_size);
	for (k = sops->keys; k->name != NULL; k++) {
		if (k->def != NULL)
			conf_set(sink.conf, k->name, k->def);
	}
	conf_set(sink.conf, "brokers", bootstrap);
	conf_set(sink.conf, "topic", topic);
	conf_set(sink.conf, "dead_letter_topic", dlt);
	if (sops == &nw_sink_kafka)
		conf_set(sink.conf, "statistics_interval", "0");
	conf_set(sink.conf, "kafka.retry.backoff.ms", "50");
	if (getenv("NW_TEST_KAFKA_DEBUG") != NULL)
		conf_set(
		    sink.conf, "kafka.debug", getenv("NW_TEST_KAFKA_DEBUG"));
	va_start(ap, first);
	for (key = first; key != NULL; key = va_arg(ap, const char *)) {
		value = va_arg(ap, const char *);
		conf_set(sink.conf, key, value);
	}
	va_end(ap);
	assert_int_equal(sops->check(sink.conf, &cause), 0);
	if (sops->start(&sink, base, &limits, &cause) != 0)
		fail_msg("start: %s", cause);
}

static void
sink_stop(void)
{
	sops->stop(&sink);
	nw_keys_free(sops->keys, sink.conf);
	sops->conf_free(sink.conf);
	free(sink.conf);
}

static struct nw_event *
mkevent(int i)
{
	struct nw_event *ev = nw_event_new();

	snprintf(ev->id, sizeof ev->id, "%064d", i);
	memcpy(ev->language, "en", 3);
	ev->agency = strdup("TASS");
	return ev;
}

/* Hand n events to the sink; returns how many were queued (stops at FULL). */
static int
deliver_events(struct tok *toks, int from, int n, size_t payload)
{
	struct nw_sink_msg m;
	struct nw_event *ev;
	char *json = malloc(payload + 1);
	enum nw_deliver_rc rc;
	int i;

	memset(json, 'x', payload);
	json[0] = '{';
	json[payload] = '\0';
	for (i = from; i < from + n; i++) {
		ev = mkevent(i);
		memset(&m, 0, sizeof m);
		m.event = ev;
		m.json = json;
		m.jsonlen = payload;
		m.source = "wire";
		toks[i].id = i;
		m.token = &toks[i];
		rc = sops->deliver(&sink, &m);
		nw_event_free(ev);
		if (rc == NW_DELIVER_FULL)
			break;
		assert_int_equal(rc, NW_DELIVER_QUEUED);
	}
	free(json);
	return i - from;
}

/* Read topic t from the mock cluster: count messages per key, check the
 * headers of each. */
static size_t
consume_all(
    const char *t, int nparts, size_t expect, int *per_key, size_t nkeys)
{
	rd_kafka_conf_t *c = rd_kafka_conf_new();
	rd_kafka_topic_partition_list_t *parts;
	rd_kafka_message_t *m;
	rd_kafka_t *rk;
	char err[256];
	size_t got = 0;
	int64_t end = now_ms() + 10000;
	int p;

	rd_kafka_conf_set(c, "bootstrap.servers", bootstrap, err, sizeof err);
	rd_kafka_conf_set(c, "group.id", "verify", err, sizeof err);
	rk = rd_kafka_new(RD_KAFKA_CONSUMER, c, err, sizeof err);
	assert_non_null(rk);
	parts = rd_kafka_topic_partition_list_new(nparts);
	for (p = 0; p < nparts; p++)
		rd_kafka_topic_partition_list_add(parts, t, p)->offset =
		    RD_KAFKA_OFFSET_BEGINNING;
	assert_int_equal(rd_kafka_assign(rk, parts), 0);
	rd_kafka_topic_partition_list_destroy(parts);
	while (got < expect && now_ms() < end) {
		if ((m = rd_kafka_consumer_poll(rk, 200)) == NULL)
			continue;
		if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
			rd_kafka_headers_t *h = NULL;
			const void *v;
			size_t vl;
			long key;

			assert_int_equal(rd_kafka_message_headers(m, &h), 0);
			assert_int_equal(rd_kafka_header_get_last(
					     h, "newswired-source", &v, &vl),
			    0);
			assert_memory_equal(v, "wire", 4);
			if (per_key != NULL) {
				assert_int_equal(m->key_len, 64);
				assert_int_equal(rd_kafka_header_get_last(h,
						     "content-type", &v, &vl),
				    0);
				assert_memory_equal(v, "application/json", 16);
				key = strtol(m->key, NULL, 10);
				assert_true(key >= 0 && (size_t)key < nkeys);
				per_key[key]++;
			}
			got++;
		}
		rd_kafka_message_destroy(m);
	}
	/* Nothing more than expected (no duplicates hiding behind). */
	while ((m = rd_kafka_consumer_poll(rk, 300)) != NULL) {
		if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR)
			got++;
		rd_kafka_message_destroy(m);
	}
	rd_kafka_consumer_close(rk);
	rd_kafka_destroy(rk);
	return got;
}

/* Each event on the topic exactly once. librdkafka reports a batch the
 * broker calls a duplicate (DUPLICATE_SEQUENCE_NUMBER) as delivered without
 * an offset; the mock cluster sometimes says so of a batch it never stored
 * after a possibly-persisted error, so those may be missing here (never on
 * a real broker, where the integration tests check every event). */
static void
all_delivered_once(int n)
{
	int *per_key = calloc((size_t)n, sizeof *per_key);
	size_t dup = nw_kafka_stats(&sink)->delivered_no_offset;
	size_t got;
	int i, present = 0;

	got = consume_all(topic, NPART, (size_t)n - dup, per_key, (size_t)n);
	for (i = 0; i < n; i++) {
		assert_true(per_key[i] <= 1);
		present += per_key[i];
	}
	assert_int_equal(got, present);
	if ((size_t)present + dup < (size_t)n)
		fail_msg("%d of %d events on the topic, %zu reported as "
			 "duplicates",
		    present, n, dup);
	if (dup > 0)
		print_message("note: %zu delivered as duplicates of earlier "
			      "sends (mock cluster)\n",
		    dup);
	free(per_key);
}

/* Errors for the next Produce requests of broker 1, one per partition of
 * a request, in order. (Broker-level, because an emptied broker stack hides
 * the cluster-level one in the mock.) */
static void
push_errors(size_t n, ...)
{
	va_list ap;
	size_t i;

	va_start(ap, n);
	for (i = 0; i < n; i++)
		assert_int_equal(
		    rd_kafka_mock_broker_push_request_error_rtts(mc, 1,
			PRODUCE_API, 1, va_arg(ap, rd_kafka_resp_err_t), 0),
		    0);
	va_end(ap);
}

/* The fault really happened: every pushed error was served. */
static void
assert_errors_consumed(void)
{
	size_t left = 1;

	assert_int_equal(
	    rd_kafka_mock_broker_error_stack_cnt(mc, 1, PRODUCE_API, &left), 0);
	assert_int_equal(left, 0);
}

/* Tests ---------------------------------------------------------------- */

static void
delivery_report_confirms_each_event_once_with_key_and_headers(void **state)
{
	struct tok toks[200] = {0};
	int i;

	sink_start(NULL);
	assert_int_equal(deliver_events(toks, 0, 200, 300), 200);
	assert_int_equal(nw_sink_kafka.pending(&sink), 200);
	assert_int_equal(run_until_settled(200, 20000), 0);
	for (i = 0; i < 200; i++) {
		assert_int_equal(toks[i].confirmed, 1);
		assert_int_equal(toks[i].how, NW_CONFIRM_OK);
	}
	assert_int_equal(nw_sink_kafka.pending(&sink), 0);
	all_delivered_once(200);
	sink_stop();
}

static void
dead_letter_carries_raw_bytes_and_reason_headers(void **state)
{
	struct tok t = {0};
	struct nw_sink_msg m = {0};
	rd_kafka_conf_t *c = rd_kafka_conf_new();
	rd_kafka_topic_partition_list_t *parts;
	rd_kafka_message_t *rm = NULL;
	rd_kafka_headers_t *h;
	rd_kafka_t *rk;
	const void *v;
	size_t vl;
	char err[256];
	int64_t end;

	sink_start(NULL);
	assert_true(nw_sink_kafka.takes_dead_letters(&sink));
	m.raw = "\x01garbage";
	m.rawlen = 8;
	m.reason = NW_ERR_BINARY;
	m.error = "NUL bytes";
	m.source = "wire";
	m.uri = "/spool/incoming/x.txt";
	m.token = &t;
	assert_int_equal(nw_sink_kafka.deliver(&sink, &m), NW_DELIVER_QUEUED);
	assert_int_equal(run_until_settled(1, 10000), 0);
	assert_int_equal(t.how, NW_CONFIRM_OK);

	rd_kafka_conf_set(c, "bootstrap.servers", bootstrap, err, sizeof err);
	rd_kafka_conf_set(c, "group.id", "verify", err, sizeof err);
	rk = rd_kafka_new(RD_KAFKA_CONSUMER, c, err, sizeof err);
	parts = rd_kafka_topic_partition_list_new(1);
	rd_kafka_topic_partition_list_add(parts, dlt, 0)->offset =
	    RD_KAFKA_OFFSET_BEGINNING;
	rd_kafka_assign(rk, parts);
	rd_kafka_topic_partition_list_destroy(parts);
	for (end = now_ms() + 10000; now_ms() < end;) {
		rm = rd_kafka_consumer_poll(rk, 200);
		if (rm != NULL && rm->err == 0)
			break;
		if (rm != NULL)
			rd_kafka_message_destroy(rm);
		rm = NULL;
	}
	if (rm == NULL)
		fail_msg("no dead letter on %s", dlt);
	assert_int_equal(rm->len, 8);
	assert_memory_equal(rm->payload, "\x01garbage", 8);
	assert_int_equal(rd_kafka_message_headers(rm, &h), 0);
	assert_int_equal(
	    rd_kafka_header_get_last(h, "newswired-error-reason", &v, &vl), 0);
	assert_int_equal(vl, strlen("binary"));
	assert_memory_equal(v, "binary", vl);
	assert_int_equal(
	    rd_kafka_header_get_last(h, "newswired-error", &v, &vl), 0);
	assert_memory_equal(v, "NUL bytes", vl);
	rd_kafka_message_destroy(rm);
	rd_kafka_consumer_close(rk);
	rd_kafka_destroy(rk);
	sink_stop();
}

static void
not_enough_replicas_is_retried_then_delivered_once(void **state)
{
	struct tok toks[50] = {0};
	int i;

	sink_start(NULL);
	push_errors(4, RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS,
	    RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS,
	    RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND,
	    RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS);
	assert_int_equal(deliver_events(toks, 0, 50, 200), 50);
	assert_int_equal(run_until_settled(50, 20000), 0);
	for (i = 0; i < 50; i++)
		assert_int_equal(toks[i].how, NW_CONFIRM_OK);
	assert_errors_consumed();
	all_delivered_once(50);
	sink_stop();
}

static void
request_timeouts_are_retried_then_delivered_once(void **state)
{
	struct tok toks[50] = {0};
	int i;

	/* The broker answers Produce after 1.5 s, past request.timeout.ms:
	 * librdkafka times the requests out itself and retries them. */
	sink_start("kafka.request.timeout.ms", "1000", NULL);
	assert_int_equal(rd_kafka_mock_broker_push_request_error_rtts(mc, 1,
			     PRODUCE_API, 2, RD_KAFKA_RESP_ERR_NO_ERROR, 1500,
			     RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT, 1500),
	    0);
	assert_int_equal(deliver_events(toks, 0, 50, 200), 50);
	assert_int_equal(run_until_settled(50, 30000), 0);
	for (i = 0; i < 50; i++)
		assert_int_equal(toks[i].how, NW_CONFIRM_OK);
	/* Both slow answers were really served. */
	assert_errors_consumed();
	assert_true(nw_kafka_stats(&sink)->delivered == 50);
	all_delivered_once(50);
	sink_stop();
}

static void
broker_down_past_delivery_timeout_confirms_retry_not_ok(void **state)
{
	struct tok toks[20] = {0};
	int i, round;

	/* A short reconnect back-off: after 2 s down, librdkafka's default
	 * (growing to 10 s) could outlast the next delivery_timeout. */
	sink_start("delivery_timeout", "2s", "kafka.reconnect.backoff.max.ms",
	    "300", NULL);
	assert_int_equal(rd_kafka_mock_broker_set_down(mc, 1), 0);
	assert_int_equal(deliver_events(toks, 0, 20, 200), 20);
	assert_int_equal(run_until_settled(20, 15000), 0);
	for (i = 0; i < 20; i++) {
		assert_int_equal(toks[i].confirmed, 1);
		assert_int_equal(toks[i].how, NW_CONFIRM_RETRY);
		assert_non_null(strstr(toks[i].error, "MSG_TIMED_OUT"));
	}
	/* Back up: the same dispatches, re-delivered by the pipeline (which
	 * hands a RETRY back again later), land. */
	assert_int_equal(rd_kafka_mock_broker_set_up(mc, 1), 0);
	memset(toks, 0, sizeof toks);
	for (round = 0; round < 3; round++) {
		size_t sent = 0;

		memset(confirms, 0, sizeof confirms);
		for (i = 0; i < 20; i++) {
			if (toks[i].confirmed && toks[i].how == NW_CONFIRM_OK)
				continue;
			assert_int_equal(deliver_events(toks, i, 1, 200), 1);
			sent++;
		}
		if (sent == 0)
			break;
		assert_int_equal(run_until_settled(sent, 20000), 0);
	}
	for (i = 0; i < 20; i++)
		assert_int_equal(toks[i].how, NW_CONFIRM_OK);
	all_delivered_once(20);
	sink_stop();
}

static void
broker_message_too_large_is_permanent(void **state)
{
	struct tok toks[61] = {0};
	int per_key[61] = {0};
	int i;

	sink_start(NULL);
	push_errors(1, RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE);
	assert_int_equal(deliver_events(toks, 0, 1, 200), 1);
	assert_int_equal(run_until_settled(1, 10000), 0);
	assert_errors_consumed();
	assert_int_equal(toks[0].how, NW_CONFIRM_PERMANENT);
	assert_non_null(strstr(toks[0].error, "MSG_SIZE_TOO_LARGE"));
	/* The producer goes on (librdkafka bumps the epoch): the next events
	 * are stored, each once, and the rejected one is not. */
	assert_int_equal(deliver_events(toks, 1, 60, 200), 60);
	assert_int_equal(run_until_settled(61, 20000), 0);
	for (i = 1; i < 61; i++)
		assert_int_equal(toks[i].how, NW_CONFIRM_OK);
	assert_int_equal(consume_all(topic, NPART, 60, per_key, 61), 60);
	assert_int_equal(per_key[0], 0);
	for (i = 1; i < 61; i++)
		assert_int_equal(per_key[i], 1);
	sink_stop();
}

static void
message_over_message_max_bytes_is_permanent(void **state)
{
	struct tok toks[2] = {0};

	/* 1k dispatches allowed: message.max.bytes = 8*1k + 64k. The
	 * daemon's limit sets it (the sink's own key is deprecated). */
	limits.max_dispatch_size = 1024;
	sink_start(NULL);
	limits.max_dispatch_size = NW_MAX_DISPATCH_DEFAULT;
	assert_int_equal(deliver_events(toks, 0, 1, 80 * 1024), 1);
	assert_int_equal(deliver_events(toks, 1, 1, 100), 1);
	assert_int_equal(run_until_settled(2, 10000), 0);
	assert_int_equal(toks[0].how, NW_CONFIRM_PERMANENT);
	assert_int_equal(toks[1].how, NW_CONFIRM_OK);
	assert_int_equal(nw_sink_kafka.pending(&sink), 0);
	sink_stop();
}

static void
fatal_idempotence_error_recreates_producer_and_returns_inflight(void **state)
{
	struct tok toks[60] = {0};
	int per_key[60] = {0};
	int i, ok, retry = 0;

	sink_start(NULL);
	/* A head-of-line sequence error: librdkafka can no longer vouch for
	 * ordering or once-ness and raises a fatal error. */
	push_errors(1, RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER);
	assert_int_equal(deliver_events(toks, 0, 30, 200), 30);
	assert_int_equal(run_until_settled(30, 20000), 0);
	for (i = 0; i < 30; i++) {
		assert_int_equal(toks[i].confirmed, 1);
		assert_true(toks[i].how == NW_CONFIRM_RETRY ||
		    toks[i].how == NW_CONFIRM_OK);
		retry += toks[i].how == NW_CONFIRM_RETRY;
	}
	assert_errors_consumed();
	assert_true(retry > 0);
	/* While the producer is being recreated the sink says FULL; once
	 * recreated it says ready, and new deliveries go through. */
	run_for(1500);
	assert_int_equal(nw_kafka_stats(&sink)->recreations, 1);
	memset(confirms, 0, sizeof confirms);
	assert_int_equal(deliver_events(toks, 30, 30, 200), 30);
	assert_int_equal(run_until_settled(30, 20000), 0);
	for (i = 30; i < 60; i++)
		assert_int_equal(toks[i].how, NW_CONFIRM_OK);
	/* OK meant stored: every event confirmed OK is on the topic once. */
	ok = 0;
	for (i = 0; i < 60; i++)
		ok += toks[i].how == NW_CONFIRM_OK;
	assert_int_equal(
	    consume_all(topic, NPART, (size_t)ok, per_key, 60), ok);
	for (i = 0; i < 60; i++)
		assert_int_equal(per_key[i], toks[i].how == NW_CONFIRM_OK);
	sink_stop();
}

static void
full_queue_says_full_then_ready_when_it_drains(void **state)
{
	struct tok toks[100] = {0};
	int queued, more, i;

	sink_start("kafka.queue.buffering.max.messages", "10", NULL);
	assert_int_equal(rd_kafka_mock_broker_set_down(mc, 1), 0);
	queued = deliver_events(toks, 0, 100, 100);
	assert_int_equal(queued, 10);
	assert_int_equal(readies, 0);
	assert_int_equal(rd_kafka_mock_broker_set_up(mc, 1), 0);
	assert_int_equal(run_until_settled(10, 20000), 0);
	assert_true(readies >= 1);
	/* What was refused goes through now, and nothing was lost. */
	more = 0;
	while (queued + more < 100) {
		int n = deliver_events(
		    toks, queued + more, 100 - queued - more, 100);
		more += n;
		run_until_settled((size_t)(queued + more), 20000);
	}
	assert_int_equal(run_until_settled(100, 20000), 0);
	for (i = 0; i < 100; i++)
		assert_int_equal(toks[i].how, NW_CONFIRM_OK);
	all_delivered_once(100);
	sink_stop();
}

static void
flush_is_bounded_and_says_what_is_left(void **state)
{
	struct tok toks[5] = {0};
	int64_t t0;
	size_t left;

	sink_start(NULL);
	assert_int_equal(rd_kafka_mock_broker_set_down(mc, 1), 0);
	assert_int_equal(deliver_events(toks, 0, 5, 100), 5);
	t0 = now_ms();
	left = nw_sink_kafka.flush(&sink, 700);
	assert_true(now_ms() - t0 < 3000);
	assert_int_equal(left, 5);
	assert_int_equal(confirms[NW_CONFIRM_OK], 0);
	assert_int_equal(rd_kafka_mock_broker_set_up(mc, 1), 0);
	/* Back up: a second flush confirms them all. */
	assert_int_equal(nw_sink_kafka.flush(&sink, 20000), 0);
	assert_int_equal(confirms[NW_CONFIRM_OK], 5);
	sink_stop();
}

/* Pure helpers ----------------------------------------------------------- */

/* kafka-txn without transactional_id runs the kafka sink's code path: an
 * error only the kafka sink used to call permanent (INVALID_RECORD) goes to
 * failed/, and a fatal idempotence error recreates the producer rather than
 * ending the process. */
static void
txn_sink_without_transactional_id_is_the_kafka_sink(void **state)
{
	struct tok toks[31] = {0};
	int i;

	sops = &nw_sink_kafka_txn;
	sink_start(NULL);
	push_errors(1, RD_KAFKA_RESP_ERR_INVALID_RECORD);
	assert_int_equal(deliver_events(toks, 0, 1, 200), 1);
	assert_int_equal(run_until_settled(1, 10000), 0);
	assert_errors_consumed();
	assert_int_equal(toks[0].how, NW_CONFIRM_PERMANENT);
	assert_non_null(strstr(toks[0].error, "INVALID_RECORD"));

	memset(confirms, 0, sizeof confirms);
	push_errors(1, RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER);
	assert_int_equal(deliver_events(toks, 1, 15, 200), 15);
	assert_int_equal(run_until_settled(15, 20000), 0);
	assert_errors_consumed();
	run_for(1500); /* recreated after the back-off */
	memset(confirms, 0, sizeof confirms);
	assert_int_equal(deliver_events(toks, 16, 15, 200), 15);
	assert_int_equal(run_until_settled(15, 20000), 0);
	for (i = 16; i < 31; i++)
		assert_int_equal(toks[i].how, NW_CONFIRM_OK);
	sink_stop();
	sops = &nw_sink_kafka;
}

static void
topic_template_fills_placeholders_and_cleans_values(void **state)
{
	struct nw_event *ev = mkevent(1);
	char out[256];

	free(ev->agency);
	ev->agency = strdup("Interfax Ukraine");
	nw_kafka_topic_render(
	    "news.{agency}.{language}.{source}", ev, "Wire/1", out, sizeof out);
	assert_string_equal(out, "news.interfax_ukraine.en.wire_1");
	nw_kafka_topic_render("dl.{agency}", NULL, "w", out, sizeof out);
	assert_string_equal(out, "dl.unknown");
	nw_event_free(ev);
}

static void
bad_topic_templates_and_unsafe_overrides_are_rejected(void **state)
{
	void *conf = calloc(1, nw_sink_kafka.conf_size);
	const struct nw_key *k;
	char *cause = NULL;

	for (k = nw_sink_kafka.keys; k->name != NULL; k++)
		if (k->def != NULL)
			conf_set(conf, k->name, k->def);
	conf_set(conf, "topic", "news.{agnecy}");
	assert_int_equal(nw_sink_kafka.check(conf, &cause), -1);
	assert_non_null(strstr(cause, "{agnecy}"));
	free(cause);
	cause = NULL;
	assert_int_equal(
	    nw_sink_kafka.extra_key(conf, "kafka.acks", "1", &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(nw_sink_kafka.extra_key(
			     conf, "kafka.no.such.property", "1", &cause),
	    -1);
	free(cause);
	cause = NULL;
	assert_int_equal(nw_sink_kafka.extra_key(
			     conf, "kafka.compression.type", "zstd", &cause),
	    0);
	nw_keys_free(nw_sink_kafka.keys, conf);
	nw_sink_kafka.conf_free(conf);
	free(conf);
}

static void
permanent_errors_are_only_those_no_retry_can_fix(void **state)
{
	assert_true(
	    nw_kafka_err_permanent(RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE));
	assert_true(nw_kafka_err_permanent(RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC));
	assert_false(nw_kafka_err_permanent(RD_KAFKA_RESP_ERR__MSG_TIMED_OUT));
	assert_false(
	    nw_kafka_err_permanent(RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS));
	assert_false(nw_kafka_err_permanent(RD_KAFKA_RESP_ERR__FATAL));
	assert_true(nw_kafka_message_max(0) >= 8 * NW_MAX_DISPATCH_DEFAULT);
}

static void
statistics_json_fills_the_counters(void **state)
{
	struct nw_kafka_stats st = {0};
	const char *j = "{\"msg_cnt\":7,\"msg_size\":700,\"txmsgs\":42,"
			"\"txmsg_bytes\":4200,\"tx\":5,\"txerrs\":1}";

	nw_kafka_stats_parse(&st, j, strlen(j));
	assert_int_equal(st.queue_msgs, 7);
	assert_int_equal(st.queue_bytes, 700);
	assert_int_equal(st.tx_msgs, 42);
	assert_int_equal(st.tx_msg_bytes, 4200);
	assert_int_equal(st.tx_errors, 1);
}

static int
setup(void **state)
{
	rd_kafka_conf_t *c = rd_kafka_conf_new();
	char err[256];

	log_init(
	    getenv("NW_TEST_DEBUG") ? NW_LOG_DEBUG : NW_LOG_ERROR, NW_LOG_TEXT);
	base = event_base_new();
	rd_kafka_conf_set(c, "log_level", "2", err, sizeof err);
	mock_host = rd_kafka_new(RD_KAFKA_PRODUCER, c, err, sizeof err);
	mc = rd_kafka_mock_cluster_new(mock_host, 1);
	bootstrap = rd_kafka_mock_cluster_bootstraps(mc);
	return mc == NULL;
}

static int
teardown(void **state)
{
	rd_kafka_mock_cluster_destroy(mc);
	rd_kafka_destroy(mock_host);
	event_base_free(base);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(
		topic_template_fills_placeholders_and_cleans_values),
	    cmocka_unit_test(
		bad_topic_templates_and_unsafe_overrides_are_rejected),
	    cmocka_unit_test(permanent_errors_are_only_those_no_retry_can_fix),
	    cmocka_unit_test(statistics_json_fills_the_counters),
	    cmocka_unit_test(
		delivery_report_confirms_each_event_once_with_key_and_headers),
	    cmocka_unit_test(dead_letter_carries_raw_bytes_and_reason_headers),
	    cmocka_unit_test(
		not_enough_replicas_is_retried_then_delivered_once),
	    cmocka_unit_test(request_timeouts_are_retried_then_delivered_once),
	    cmocka_unit_test(
		broker_down_past_delivery_timeout_confirms_retry_not_ok),
	    cmocka_unit_test(broker_message_too_large_is_permanent),
	    cmocka_unit_test(message_over_message_max_bytes_is_permanent),
	    cmocka_unit_test(
		fatal_idempotence_error_recreates_producer_and_returns_inflight),
	    cmocka_unit_test(full_queue_says_full_then_ready_when_it_drains),
	    cmocka_unit_test(
		txn_sink_without_transactional_id_is_the_kafka_sink),
	    cmocka_unit_test(flush_is_bounded_and_says_what_is_left),
	};

	if (getenv("NW_TEST_FILTER") != NULL)
		cmocka_set_test_filter(getenv("NW_TEST_FILTER"));
	return cmocka_run_group_tests(tests, setup, teardown);
}
