/* The Kafka source: raw dispatches read from a topic in a consumer group,
 * with librdkafka's high-level consumer woken through a pipe on the event
 * loop. Offsets are never committed ahead of the work: without exactly_once
 * a partition's offset advances only over dispatches settled at every sink
 * (the ack rule); with it the transactional sink commits them inside its
 * transaction (newswire/kafka_eos.h). */
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

#include "kafka.h"
#include "kafka_common.h"
#include "newswire/kafka_eos.h"
#include "newswire/log.h"
#include "newswire/source.h"
#include "nwtime.h"
#include "story_owner.h"

#define SERVE_BATCH       256 /* messages taken per loop turn */
#define COMMIT_TIMEOUT_MS 10000
#define REPLAY_TIMEOUT_MS 120000

struct ksrc_conf {
	char *brokers;
	char *topic;
	char *group;
	int exactly_once;
	int64_t session_timeout_ms;
	int64_t commit_interval_ms;
	int64_t retry_ms;
	size_t fetch_buffer;
	char *input;
	int64_t story_replay_ms;
};

static const struct nw_key ksrc_keys[] = {
    {.name = "brokers",
	.type = NW_KEY_STRING,
	.offset = offsetof(struct ksrc_conf, brokers),
	.desc = "bootstrap servers host:port,...",
	.flags = NW_KEY_REQUIRED},
    {.name = "topic",
	.type = NW_KEY_STRING,
	.def = "newswire.raw",
	.offset = offsetof(struct ksrc_conf, topic),
	.desc = "topic of raw dispatches (headers newswired-uri and "
		"newswired-received-at are used when present)"},
    {.name = "group",
	.type = NW_KEY_STRING,
	.def = "newswired",
	.offset = offsetof(struct ksrc_conf, group),
	.desc = "consumer group; instances in one group share the partitions"},
    {.name = "exactly_once",
	.type = NW_KEY_BOOL,
	.def = "no",
	.offset = offsetof(struct ksrc_conf, exactly_once),
	.desc = "offsets are committed by a transactional Kafka sink "
		"(transactional_id set) inside its transactions, so each "
		"dispatch's event is visible once to read_committed consumers"},
    {.name = "session_timeout",
	.type = NW_KEY_DURATION,
	.def = "45s",
	.offset = offsetof(struct ksrc_conf, session_timeout_ms),
	.desc = "how long a silent instance keeps its partitions"},
    {.name = "commit_interval",
	.type = NW_KEY_DURATION,
	.def = "1s",
	.offset = offsetof(struct ksrc_conf, commit_interval_ms),
	.desc = "without exactly_once: how often acknowledged offsets are "
		"committed"},
    {.name = "retry",
	.type = NW_KEY_DURATION,
	.def = "2s",
	.offset = offsetof(struct ksrc_conf, retry_ms),
	.desc = "without exactly_once: delay before a dispatch a sink failed "
		"for now is handed to the pipeline again"},
    {.name = "fetch_buffer",
	.type = NW_KEY_SIZE,
	.def = "4M",
	.offset = offsetof(struct ksrc_conf, fetch_buffer),
	.desc = "bytes librdkafka may pre-fetch per partition "
		"(queued.max.messages.kbytes); at most 2000 messages"},
    {.name = "input",
	.type = NW_KEY_ENUM,
	.def = "raw",
	.choices = "raw|parsed",
	.offset = offsetof(struct ksrc_conf, input),
	.desc = "raw: raw dispatches, parsed here; parsed: the story hop of "
		"several instances, reading events a parse hop published "
		"without their story (a kafka-txn sink with parsed = yes) and "
		"assigning them with one story index per partition"},
    {.name = "story_replay",
	.type = NW_KEY_DURATION,
	.def = "72h",
	.offset = offsetof(struct ksrc_conf, story_replay_ms),
	.desc = "input = parsed: how far back a new owner of a partition "
		"replays it, without publishing, to rebuild its stories; keep "
		"it above story_window and the topic's retention above it"},
    {.name = NULL},
};

struct krec;

/* One partition of the topic, kept for the source's lifetime. */
struct kpart {
	int32_t id;
	unsigned gen; /* bumped on revoke and rewind: older records are stale */
	int assigned;
	TAILQ_HEAD(, krec) q; /* unsettled, in offset order (ack rule) */
	int64_t commit;       /* next offset to commit; -1: nothing new */
	struct nw_story_part *stories; /* input = parsed, while assigned */
};

/* One message handed to the pipeline. */
struct krec {
	TAILQ_ENTRY(krec) link;  /* kpart.q */
	TAILQ_ENTRY(krec) rlink; /* retry queue */
	TAILQ_ENTRY(krec) live;  /* ksrc.live, until freed */
	struct kpart *kp;
	int64_t offset;
	unsigned gen;
	int inq;               /* in kp->q */
	int done;              /* settled */
	struct nw_dispatch *d; /* while waiting for a retry */
};

struct ksrc {
	struct nw_source *src;
	struct ksrc_conf *conf;
	rd_kafka_t *rk;
	rd_kafka_queue_t *q;
	int wake[2];
	struct event *wake_ev, *more_ev, *commit_ev, *retry_ev;
	int paused, stopping;
	struct kpart **parts; /* by partition id */
	size_t nparts;
	TAILQ_HEAD(, krec) retryq;
	TAILQ_HEAD(, krec) live; /* every record, for the final clean-up */
	struct nw_kafka_eos eos;
	unsigned long read, committed;
	int warned_no_txn;
	int parsed; /* input = parsed */
	struct nw_story_limits story_limits;
};

static int
ksrc_check(void *v, char **cause)
{
	struct ksrc_conf *c = v;

	if (c->brokers == NULL || *c->brokers == '\0' || c->topic == NULL ||
	    *c->topic == '\0' || c->group == NULL || *c->group == '\0') {
		*cause = strdup("brokers, topic and group must not be empty");
		return -1;
	}
	if (c->session_timeout_ms < 1000 || c->session_timeout_ms > 3600000) {
		*cause = strdup("session_timeout must be 1s..1h");
		return -1;
	}
	if (c->commit_interval_ms < 1 || c->retry_ms < 1) {
		*cause = strdup("commit_interval and retry must be positive");
		return -1;
	}
	if (strcmp(c->input, "parsed") == 0 &&
	    strcmp(c->topic, "newswire.raw") == 0) {
		*cause = strdup("input = parsed reads a parse hop's events "
				"(topic = newswire.parsed), not the raw topic");
		return -1;
	}
	if (c->story_replay_ms < 60000) {
		*cause = strdup("story_replay must be at least 1m");
		return -1;
	}
	if (c->fetch_buffer < 1024 || c->fetch_buffer / 1024 > 2097151) {
		*cause = strdup("fetch_buffer must be 1k..2G");
		return -1;
	}
	return 0;
}

static struct kpart *
part(struct ksrc *ks, int32_t id, int create)
{
	struct kpart **np, *kp;
	size_t n;

	if (id < 0)
		return NULL;
	if ((size_t)id < ks->nparts && ks->parts[id] != NULL)
		return ks->parts[id];
	if (!create)
		return NULL;
	if ((size_t)id >= ks->nparts) {
		n = (size_t)id + 1;
		if ((np = realloc(ks->parts, n * sizeof *np)) == NULL)
			fatalx("out of memory");
		memset(np + ks->nparts, 0, (n - ks->nparts) * sizeof *np);
		ks->parts = np;
		ks->nparts = n;
	}
	if ((kp = calloc(1, sizeof *kp)) == NULL)
		fatalx("out of memory");
	kp->id = id;
	kp->commit = -1;
	TAILQ_INIT(&kp->q);
	ks->parts[id] = kp;
	return kp;
}

/* A dispatch and, from a story hop, the event it carries. */
static void
kdispatch_free(struct nw_dispatch *d)
{
	if (d != NULL)
		nw_event_free(d->event);
	nw_dispatch_free(d);
}

static void
rec_free(struct ksrc *ks, struct krec *r)
{
	if (r->inq)
		TAILQ_REMOVE(&r->kp->q, r, link);
	TAILQ_REMOVE(&ks->live, r, live);
	free(r);
}

static int
stale(const struct krec *r)
{
	return r->gen != r->kp->gen;
}

/* Whatever was read from kp is stale from now on; settled records nobody
 * holds any more go, the others are freed at their ack. */
static void
forget(struct ksrc *ks, struct kpart *kp)
{
	struct krec *r;

	kp->gen++;
	kp->commit = -1;
	while ((r = TAILQ_FIRST(&kp->q)) != NULL) {
		TAILQ_REMOVE(&kp->q, r, link);
		r->inq = 0;
		if (r->done)
			rec_free(ks, r);
	}
}

/* Commit what the ack rule allows (without exactly_once). */
static void
commit_offsets(struct ksrc *ks, int sync)
{
	rd_kafka_topic_partition_list_t *l;
	rd_kafka_resp_err_t err;
	size_t i;

	if (ks->conf->exactly_once || ks->rk == NULL)
		return;
	l = rd_kafka_topic_partition_list_new(4);
	for (i = 0; i < ks->nparts; i++) {
		struct kpart *kp = ks->parts[i];
		if (kp == NULL || !kp->assigned || kp->commit < 0)
			continue;
		rd_kafka_topic_partition_list_add(l, ks->conf->topic, kp->id)
		    ->offset = kp->commit;
		kp->commit = -1;
	}
	if (l->cnt > 0) {
		err = rd_kafka_commit(ks->rk, l, !sync);
		if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
			log_warnx("kafka commit failed source=%s error=%s",
			    ks->src->name, rd_kafka_err2name(err));
		else
			ks->committed++;
	}
	rd_kafka_topic_partition_list_destroy(l);
}

static void
on_commit_timer(evutil_socket_t fd, short what, void *arg)
{
	commit_offsets(arg, 0);
}

static void
arm_commit(struct ksrc *ks)
{
	struct timeval tv;

	if (evtimer_pending(ks->commit_ev, NULL))
		return;
	tv.tv_sec = ks->conf->commit_interval_ms / 1000;
	tv.tv_usec = (ks->conf->commit_interval_ms % 1000) * 1000;
	evtimer_add(ks->commit_ev, &tv);
}

/* The current assignment's partitions whose committed offsets are read
 * again: after an abort, nothing past them counts. */
static void
rewind_all(void *arg)
{
	struct ksrc *ks = arg;
	rd_kafka_topic_partition_list_t *l = NULL;
	rd_kafka_error_t *error;
	rd_kafka_resp_err_t err;
	size_t i;
	int j;

	for (i = 0; i < ks->nparts; i++)
		if (ks->parts[i] != NULL && ks->parts[i]->assigned)
			forget(ks, ks->parts[i]);
	if (ks->rk == NULL || rd_kafka_assignment(ks->rk, &l) != 0 ||
	    l->cnt == 0)
		goto done;
	err = rd_kafka_committed(ks->rk, l, COMMIT_TIMEOUT_MS);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
		/* Cannot know where to go back to: start over from the group's
		 * offsets by leaving and rejoining the assignment. */
		log_warnx("kafka rewind source=%s cannot read committed "
			  "offsets: %s; reassigning",
		    ks->src->name, rd_kafka_err2name(err));
		for (j = 0; j < l->cnt; j++)
			l->elems[j].offset = RD_KAFKA_OFFSET_INVALID;
		rd_kafka_assign(ks->rk, l);
		goto done;
	}
	for (j = 0; j < l->cnt; j++) {
		if (l->elems[j].offset < 0)
			l->elems[j].offset = RD_KAFKA_OFFSET_BEGINNING;
		log_info("kafka rewind source=%s topic=%s partition=%" PRId32
			 " offset=%" PRId64,
		    ks->src->name, l->elems[j].topic, l->elems[j].partition,
		    l->elems[j].offset);
	}
	if ((error = rd_kafka_seek_partitions(ks->rk, l, COMMIT_TIMEOUT_MS)) !=
	    NULL) {
		log_warnx("kafka rewind source=%s seek failed: %s",
		    ks->src->name, rd_kafka_error_string(error));
		rd_kafka_error_destroy(error);
	}
done:
	if (l != NULL)
		rd_kafka_topic_partition_list_destroy(l);
}

static int
eos_position(void *arg, const struct nw_dispatch *d, const char **topic,
    int32_t *partition, int64_t *offset)
{
	struct ksrc *ks = arg;
	const struct krec *r = d->cookie;

	if (r == NULL || stale(r))
		return -1;
	*topic = ks->conf->topic;
	*partition = r->kp->id;
	*offset = r->offset;
	return 0;
}

/* A story hop's new partitions: rebuild each one's stories from its recent
 * past up to the group's committed offset, where live reading resumes. It
 * blocks the loop for the replay, which is what the partitions' events
 * would wait for anyway. */
static void
rebuild_stories(struct ksrc *ks, rd_kafka_topic_partition_list_t *l)
{
	rd_kafka_topic_partition_list_t *c;
	struct nw_story_replay *r;
	rd_kafka_resp_err_t err;
	int64_t t0 = nw_mono_ms();
	char *cause = NULL;
	int i;

	if ((r = calloc((size_t)l->cnt + 1, sizeof *r)) == NULL)
		fatalx("out of memory");
	c = rd_kafka_topic_partition_list_copy(l);
	err = rd_kafka_committed(ks->rk, c, COMMIT_TIMEOUT_MS);
	for (i = 0; i < l->cnt; i++) {
		struct kpart *kp = part(ks, l->elems[i].partition, 1);
		nw_story_part_free(kp->stories);
		kp->stories = nw_story_part_new(&ks->story_limits);
		r[i].partition = kp->id;
		r[i].part = kp->stories;
		r[i].upto = err == RD_KAFKA_RESP_ERR_NO_ERROR &&
			c->elems[i].err == RD_KAFKA_RESP_ERR_NO_ERROR
		    ? c->elems[i].offset
		    : -1;
	}
	rd_kafka_topic_partition_list_destroy(c);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
		/* Taking the partitions without their stories would give
		 * their next versions new keys: better exit and let systemd
		 * restart us into a fresh rebalance. */
		fatalx("kafka source=%s: cannot read committed offsets to "
		       "rebuild stories: %s",
		    ks->src->name, rd_kafka_err2name(err));
	if (nw_story_replay(ks->conf->brokers, ks->conf->topic, r,
		(size_t)l->cnt, nw_now_ms() - ks->conf->story_replay_ms,
		REPLAY_TIMEOUT_MS, &cause) == -1)
		fatalx("kafka source=%s: cannot rebuild stories: %s",
		    ks->src->name, cause != NULL ? cause : "?");
	for (i = 0; i < l->cnt; i++)
		log_info("stories rebuilt source=%s topic=%s partition=%" PRId32
			 " upto=%" PRId64 " replayed=%lu stories=%zu ms=%lld",
		    ks->src->name, ks->conf->topic, r[i].partition, r[i].upto,
		    r[i].replayed, nw_story_part_count(r[i].part),
		    (long long)(nw_mono_ms() - t0));
	free(r);
}

static void
on_rebalance(rd_kafka_t *rk, rd_kafka_resp_err_t err,
    rd_kafka_topic_partition_list_t *l, void *opaque)
{
	struct ksrc *ks = opaque;
	struct kpart *kp;
	int i;

	if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
		for (i = 0; i < l->cnt; i++) {
			if ((kp = part(ks, l->elems[i].partition, 1)) == NULL)
				continue;
			forget(ks, kp);
			kp->assigned = 1;
			log_info("kafka assigned source=%s topic=%s "
				 "partition=%" PRId32,
			    ks->src->name, l->elems[i].topic, kp->id);
		}
		if (ks->parsed)
			rebuild_stories(ks, l);
		rd_kafka_assign(rk, l);
		return;
	}
	/* Revoked (or lost): settle what can be settled, then everything
	 * still in flight from these partitions is someone else's. */
	if (ks->conf->exactly_once) {
		if (ks->eos.commit != NULL && ks->eos.commit(ks->eos.sink) != 0)
			log_warnx("kafka revoke source=%s: the open "
				  "transaction was aborted; its dispatches are "
				  "redone by the next owner",
			    ks->src->name);
	} else if (err == RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS)
		commit_offsets(ks, 1);
	for (i = 0; i < l->cnt; i++) {
		if ((kp = part(ks, l->elems[i].partition, 0)) == NULL)
			continue;
		forget(ks, kp);
		kp->assigned = 0;
		/* Its stories are the next owner's now. */
		nw_story_part_free(kp->stories);
		kp->stories = NULL;
		log_info("kafka revoked source=%s topic=%s partition=%" PRId32,
		    ks->src->name, l->elems[i].topic, kp->id);
	}
	rd_kafka_assign(rk, NULL);
}

static void
on_commit_result(rd_kafka_t *rk, rd_kafka_resp_err_t err,
    rd_kafka_topic_partition_list_t *l, void *opaque)
{
	struct ksrc *ks = opaque;

	if (err != RD_KAFKA_RESP_ERR_NO_ERROR &&
	    err != RD_KAFKA_RESP_ERR__NO_OFFSET)
		log_warnx("kafka commit failed source=%s error=%s: those "
			  "dispatches may be read again",
		    ks->src->name, rd_kafka_err2name(err));
}

static void
on_error(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
	struct ksrc *ks = opaque;

	log_warnx("kafka consumer error source=%s error=%s reason=\"%s\"",
	    ks->src->name, rd_kafka_err2name(err), reason);
}

static void
on_log(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
	nw_kafka_log("consumer", level, fac, buf);
}

static int64_t
header_ms(rd_kafka_headers_t *h)
{
	const void *v;
	size_t len;
	char buf[32];

	if (h == NULL ||
	    rd_kafka_header_get_last(h, NW_KAFKA_HDR_RECEIVED_AT, &v, &len) !=
		0 ||
	    v == NULL || len == 0 || len >= sizeof buf)
		return 0;
	memcpy(buf, v, len);
	buf[len] = '\0';
	return strtoll(buf, NULL, 10);
}

static void
submit(struct ksrc *ks, struct kpart *kp, rd_kafka_message_t *m,
    struct nw_dispatch *d)
{
	struct krec *r;

	if ((r = calloc(1, sizeof *r)) == NULL)
		fatalx("out of memory");
	r->kp = kp;
	r->offset = m->offset;
	r->gen = kp->gen;
	TAILQ_INSERT_TAIL(&kp->q, r, link);
	r->inq = 1;
	TAILQ_INSERT_TAIL(&ks->live, r, live);
	if (ks->conf->exactly_once)
		d->eos = &ks->eos;
	d->cookie = r;
	ks->read++;
	nw_source_submit(ks->src, d);
}

/* A story hop: the event gets its story here, in partition order, from
 * the partition's own index; the pipeline publishes it as it comes. */
static void
take_parsed(struct ksrc *ks, struct kpart *kp, rd_kafka_message_t *m)
{
	struct nw_dispatch *d;
	struct nw_event *ev;
	char *json, *cause = NULL, *uri = NULL;
	size_t len;

	if (kp->stories == NULL)
		kp->stories = nw_story_part_new(&ks->story_limits);
	if (nw_story_part_take(kp->stories, m, &ev, &json, &len, &cause) ==
	    -1) {
		/* Not ours to publish or dead-letter: the parse hop
		 * dead-letters what it cannot parse. */
		log_warnx("kafka source=%s topic=%s partition=%" PRId32
			  " offset=%" PRId64 ": skipped: %s",
		    ks->src->name, ks->conf->topic, m->partition, m->offset,
		    cause != NULL ? cause : "?");
		free(cause);
		return;
	}
	if (ev->source.uri == NULL &&
	    asprintf(&uri, "kafka:%s/%" PRId32 "/%" PRId64, ks->conf->topic,
		m->partition, m->offset) < 0)
		fatalx("out of memory");
	d = nw_dispatch_new(
	    ks->src, json, len, ev->source.uri != NULL ? ev->source.uri : uri);
	free(uri);
	if (d == NULL)
		fatalx("out of memory");
	d->received_at_ms = ev->received_at_ms;
	d->event = ev;
	submit(ks, kp, m, d);
}

static void
take(struct ksrc *ks, rd_kafka_message_t *m)
{
	rd_kafka_headers_t *h = NULL;
	struct nw_dispatch *d;
	struct kpart *kp;
	const void *v;
	size_t len;
	char *uri = NULL, *data;
	rd_kafka_timestamp_type_t tstype;
	int64_t ts;

	if ((kp = part(ks, m->partition, 0)) == NULL || !kp->assigned)
		return;
	if (ks->parsed) {
		take_parsed(ks, kp, m);
		return;
	}
	if ((data = malloc(m->len + 1)) == NULL)
		fatalx("out of memory");
	if (m->len > 0)
		memcpy(data, m->payload, m->len);
	data[m->len] = '\0';
	rd_kafka_message_headers(m, &h);
	if (h != NULL &&
	    rd_kafka_header_get_last(h, NW_KAFKA_HDR_URI, &v, &len) == 0 &&
	    v != NULL && len > 0) {
		if ((uri = strndup(v, len)) == NULL)
			fatalx("out of memory");
	} else if (asprintf(&uri, "kafka:%s/%" PRId32 "/%" PRId64,
		       ks->conf->topic, m->partition, m->offset) < 0)
		fatalx("out of memory");
	d = nw_dispatch_new(ks->src, data, m->len, uri);
	free(uri);
	if (d == NULL)
		fatalx("out of memory");
	/* The same message read again must give the same event. */
	if ((ts = header_ms(h)) > 0)
		d->received_at_ms = ts;
	else if ((ts = rd_kafka_message_timestamp(m, &tstype)) > 0)
		d->received_at_ms = ts;
	submit(ks, kp, m, d);
}

static void
serve(struct ksrc *ks)
{
	rd_kafka_message_t *m;
	int n;

	if (ks->rk == NULL || ks->paused)
		return;
	for (n = 0; n < SERVE_BATCH; n++) {
		/* Rebalances, errors and logs come this way too. */
		if ((m = rd_kafka_consume_queue(ks->q, 0)) == NULL)
			return;
		if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR && !ks->stopping)
			take(ks, m);
		else if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR &&
		    m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF)
			log_warnx("kafka consume source=%s error=%s: %s",
			    ks->src->name, rd_kafka_err2name(m->err),
			    rd_kafka_message_errstr(m));
		rd_kafka_message_destroy(m);
	}
	/* More may wait: the pipe is written only when the queue was
	 * empty, so come back on the next loop turn. */
	event_active(ks->more_ev, EV_TIMEOUT, 1);
}

static void
on_wake(evutil_socket_t fd, short what, void *arg)
{
	nw_kafka_wake_drain(fd);
	serve(arg);
}

static void
on_more(evutil_socket_t fd, short what, void *arg)
{
	serve(arg);
}

static void
on_retry(evutil_socket_t fd, short what, void *arg)
{
	struct ksrc *ks = arg;
	struct krec *r;
	struct nw_dispatch *d;

	while ((r = TAILQ_FIRST(&ks->retryq)) != NULL) {
		TAILQ_REMOVE(&ks->retryq, r, rlink);
		d = r->d;
		r->d = NULL;
		if (stale(r) || ks->stopping) {
			kdispatch_free(d);
			if (!r->inq)
				rec_free(ks, r);
			continue;
		}
		d->reason = NW_OK;
		d->reason_code = NULL;
		free(d->error);
		d->error = NULL;
		d->id[0] = '\0';
		nw_source_submit(ks->src, d);
	}
}

static int
set(rd_kafka_conf_t *c, const char *k, const char *v, char **cause)
{
	char err[512];

	if (rd_kafka_conf_set(c, k, v, err, sizeof err) == RD_KAFKA_CONF_OK)
		return 0;
	if (asprintf(cause, "kafka %s = %s: %s", k, v, err) < 0)
		*cause = NULL;
	return -1;
}

static void ksrc_stop(struct nw_source *);

static int
ksrc_start(struct nw_source *src, struct event_base *base,
    const struct nw_limits *limits, char **cause)
{
	struct ksrc_conf *conf = src->conf;
	rd_kafka_topic_partition_list_t *topics;
	rd_kafka_resp_err_t err;
	rd_kafka_conf_t *c;
	struct ksrc *ks;
	char buf[64], errstr[512];

	if ((ks = calloc(1, sizeof *ks)) == NULL)
		fatalx("out of memory");
	ks->src = src;
	ks->conf = conf;
	ks->wake[0] = ks->wake[1] = -1;
	TAILQ_INIT(&ks->retryq);
	TAILQ_INIT(&ks->live);
	src->priv = ks;
	if (nw_kafka_wake_open(ks->wake, cause) == -1)
		goto fail;
	ks->wake_ev =
	    event_new(base, ks->wake[0], EV_READ | EV_PERSIST, on_wake, ks);
	ks->more_ev = event_new(base, -1, 0, on_more, ks);
	ks->commit_ev = evtimer_new(base, on_commit_timer, ks);
	ks->retry_ev = evtimer_new(base, on_retry, ks);
	if (ks->wake_ev == NULL || ks->more_ev == NULL ||
	    ks->commit_ev == NULL || ks->retry_ev == NULL ||
	    event_add(ks->wake_ev, NULL) == -1)
		fatalx("out of memory");

	c = rd_kafka_conf_new();
	rd_kafka_conf_set_opaque(c, ks);
	rd_kafka_conf_set_rebalance_cb(c, on_rebalance);
	rd_kafka_conf_set_offset_commit_cb(c, on_commit_result);
	rd_kafka_conf_set_error_cb(c, on_error);
	rd_kafka_conf_set_log_cb(c, on_log);
	snprintf(buf, sizeof buf, "%" PRId64, conf->session_timeout_ms);
	if (set(c, "bootstrap.servers", conf->brokers, cause) == -1 ||
	    set(c, "group.id", conf->group, cause) == -1 ||
	    set(c, "client.id", "newswired", cause) == -1 ||
	    set(c, "enable.auto.commit", "false", cause) == -1 ||
	    set(c, "enable.auto.offset.store", "false", cause) == -1 ||
	    set(c, "auto.offset.reset", "earliest", cause) == -1 ||
	    /* Raw dispatches from transactional edge producers count only
	     * once committed. */
	    set(c, "isolation.level", "read_committed", cause) == -1 ||
	    /* Eager rebalancing: a revoke takes everything, which the
	     * generation counting relies on. */
	    set(c, "partition.assignment.strategy", "range,roundrobin",
		cause) == -1 ||
	    set(c, "session.timeout.ms", buf, cause) == -1 ||
	    set(c, "log.queue", "true", cause) == -1)
		goto fail_conf;
	/* Pre-fetching is bounded per partition, by bytes and by count (the
	 * count's default, 100000 a partition, would let a backlog fill
	 * memory). */
	snprintf(buf, sizeof buf, "%zu", conf->fetch_buffer / 1024);
	if (set(c, "queued.max.messages.kbytes", buf, cause) == -1 ||
	    set(c, "queued.min.messages", "2000", cause) == -1)
		goto fail_conf;
	if (conf->session_timeout_ms < 10000) {
		snprintf(
		    buf, sizeof buf, "%" PRId64, conf->session_timeout_ms / 3);
		if (set(c, "heartbeat.interval.ms", buf, cause) == -1)
			goto fail_conf;
	}
	if ((ks->rk = rd_kafka_new(
		 RD_KAFKA_CONSUMER, c, errstr, sizeof errstr)) == NULL) {
		if (asprintf(cause, "kafka: %s", errstr) < 0)
			*cause = NULL;
		goto fail_conf;
	}
	/* Everything (logs, errors, rebalances, messages) on one queue,
	 * whose wake-ups reach the loop through the pipe. */
	rd_kafka_set_log_queue(ks->rk, NULL);
	rd_kafka_poll_set_consumer(ks->rk);
	ks->q = rd_kafka_queue_get_consumer(ks->rk);
	rd_kafka_queue_io_event_enable(ks->q, ks->wake[1], "1", 1);
	ks->eos.consumer = ks->rk;
	ks->eos.name = src->name;
	ks->eos.source = ks;
	ks->eos.position = eos_position;
	ks->eos.rewind = rewind_all;
	ks->parsed = strcmp(conf->input, "parsed") == 0;
	ks->story_limits = (struct nw_story_limits){
	    .window_ms = limits->story_window_ms,
	    .flash_window_ms = limits->story_flash_window_ms,
	    .max_stories =
		limits->story_max > 0 ? (size_t)limits->story_max : 0,
	};

	topics = rd_kafka_topic_partition_list_new(1);
	rd_kafka_topic_partition_list_add(
	    topics, conf->topic, RD_KAFKA_PARTITION_UA);
	err = rd_kafka_subscribe(ks->rk, topics);
	rd_kafka_topic_partition_list_destroy(topics);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
		if (asprintf(cause, "subscribe %s: %s", conf->topic,
			rd_kafka_err2str(err)) < 0)
			*cause = NULL;
		goto fail;
	}
	event_active(ks->more_ev, EV_TIMEOUT, 1);
	log_info("kafka source started source=%s brokers=%s topic=%s group=%s "
		 "exactly_once=%s input=%s",
	    src->name, conf->brokers, conf->topic, conf->group,
	    conf->exactly_once ? "yes" : "no", conf->input);
	return 0;
fail_conf:
	if (ks->rk == NULL)
		rd_kafka_conf_destroy(c);
fail:
	ksrc_stop(src);
	return -1;
}

/* Backpressure: stop taking messages from the queue. librdkafka keeps
 * fetching until fetch_buffer is full, so there is no refetch on resume
 * (pausing partitions would drop what was fetched). */
static void
set_paused(struct ksrc *ks, int paused)
{
	ks->paused = paused;
	if (!paused)
		event_active(ks->more_ev, EV_TIMEOUT, 1);
}

static void
ksrc_pause(struct nw_source *src)
{
	set_paused(src->priv, 1);
}

static void
ksrc_resume(struct nw_source *src)
{
	struct ksrc *ks = src->priv;

	if (!ks->stopping)
		set_paused(ks, 0);
}

static void
ksrc_stop_intake(struct nw_source *src)
{
	struct ksrc *ks = src->priv;

	ks->stopping = 1;
	set_paused(ks, 1);
}

static void
ksrc_ack(struct nw_source *src, struct nw_dispatch *d, enum nw_outcome out)
{
	struct ksrc *ks = src->priv;
	struct krec *r = d->cookie;
	struct kpart *kp = r->kp;
	struct timeval tv;

	if (stale(r)) {
		/* Read again by whoever holds the partition now. */
		kdispatch_free(d);
		rec_free(ks, r);
		return;
	}
	if (out == NW_OUTCOME_RETRY) {
		if (ks->conf->exactly_once) {
			/* Whatever followed it may already be in the open
			 * transaction: that is aborted (its dispatches are
			 * stale now) and all is read again. */
			kdispatch_free(d);
			rec_free(ks, r);
			rewind_all(ks);
			return;
		}
		r->d = d;
		TAILQ_INSERT_TAIL(&ks->retryq, r, rlink);
		tv.tv_sec = ks->conf->retry_ms / 1000;
		tv.tv_usec = (ks->conf->retry_ms % 1000) * 1000;
		if (!evtimer_pending(ks->retry_ev, NULL))
			evtimer_add(ks->retry_ev, &tv);
		return;
	}
	kdispatch_free(d);
	if (ks->conf->exactly_once) {
		rec_free(ks, r);
		if (out == NW_OUTCOME_DONE && ks->eos.sink == NULL &&
		    !ks->warned_no_txn++)
			log_warnx("kafka source=%s: exactly_once, but no "
				  "kafka-txn sink with a transactional_id "
				  "commits its offsets: they stay where they "
				  "are and all is read again at the next start",
			    src->name);
		return;
	}
	/* The ack rule: the offset moves only over settled dispatches. */
	r->done = 1;
	while ((r = TAILQ_FIRST(&kp->q)) != NULL && r->done) {
		kp->commit = r->offset + 1;
		rec_free(ks, r);
	}
	if (kp->commit >= 0)
		arm_commit(ks);
}

static void
ksrc_stop(struct nw_source *src)
{
	struct ksrc *ks = src->priv;
	struct krec *r;
	size_t i;

	if (ks == NULL)
		return;
	if (ks->rk != NULL) {
		commit_offsets(ks, 1);
		/* No sink any more to commit for us: leave with nothing
		 * open, the group's offsets are where the work stands. */
		ks->eos.commit = NULL;
		ks->stopping = 1;
		if (ks->q != NULL)
			rd_kafka_queue_io_event_enable(ks->q, -1, NULL, 0);
		rd_kafka_consumer_close(ks->rk);
		if (ks->q != NULL)
			rd_kafka_queue_destroy(ks->q);
		rd_kafka_destroy(ks->rk);
		log_info("kafka source stopped source=%s read=%lu", src->name,
		    ks->read);
	}
	while ((r = TAILQ_FIRST(&ks->retryq)) != NULL) {
		TAILQ_REMOVE(&ks->retryq, r, rlink);
		kdispatch_free(r->d);
		r->d = NULL;
	}
	/* The pipeline dropped what was in flight without an ack. */
	while ((r = TAILQ_FIRST(&ks->live)) != NULL)
		rec_free(ks, r);
	for (i = 0; i < ks->nparts; i++) {
		if (ks->parts[i] != NULL)
			nw_story_part_free(ks->parts[i]->stories);
		free(ks->parts[i]);
	}
	free(ks->parts);
	if (ks->wake_ev != NULL)
		event_free(ks->wake_ev);
	if (ks->more_ev != NULL)
		event_free(ks->more_ev);
	if (ks->commit_ev != NULL)
		event_free(ks->commit_ev);
	if (ks->retry_ev != NULL)
		event_free(ks->retry_ev);
	nw_kafka_wake_close(ks->wake);
	free(ks);
	src->priv = NULL;
}

const struct nw_source_ops nw_source_kafka = {
    .type = "kafka",
    .keys = ksrc_keys,
    .conf_size = sizeof(struct ksrc_conf),
    .check = ksrc_check,
    .start = ksrc_start,
    .pause = ksrc_pause,
    .resume = ksrc_resume,
    .stop_intake = ksrc_stop_intake,
    .ack = ksrc_ack,
    .stop = ksrc_stop,
};
