/* The story hop's side of stories across several instances: one story index
 * per partition of newswire.parsed, fed in offset order; the events come
 * back with their story object spliced into the parse hop's rendering, and
 * a partition's index is rebuilt by replaying it without publishing. The
 * live path and the replay assign through the same function. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <time.h>

#include <jansson.h>
#include <librdkafka/rdkafka.h>

#include "kafka.h"
#include "kafka_common.h"
#include "newswire/log.h"
#include "nwtime.h"
#include "story_owner.h"

/* Expiry runs on the events' clock, not the wall clock, at most this often
 * (a pass walks only what expires). */
#define EXPIRE_EVERY_MS (60 * 1000)
#define REPLAY_POLL_MS  100

struct nw_story_part {
	struct nw_story_index *idx;
	size_t max;
	int64_t expired_at;
	LIST_ENTRY(nw_story_part) link;
};

/* Every partition index alive, for the gauge: the consumer creates and
 * frees them as partitions come and go, so summing the live ones needs no
 * bookkeeping in the consumer. Only the event loop thread touches it. */
static LIST_HEAD(, nw_story_part) parts = LIST_HEAD_INITIALIZER(parts);
static int parts_ever;

struct nw_story_part *
nw_story_part_new(const struct nw_story_limits *lim)
{
	struct nw_story_part *sp;

	if ((sp = calloc(1, sizeof *sp)) == NULL ||
	    (sp->idx = nw_story_index_new(lim)) == NULL)
		fatalx("out of memory");
	sp->max = lim->max_stories;
	LIST_INSERT_HEAD(&parts, sp, link);
	parts_ever = 1;
	return sp;
}

void
nw_story_part_free(struct nw_story_part *sp)
{
	if (sp == NULL)
		return;
	LIST_REMOVE(sp, link);
	nw_story_index_free(sp->idx);
	free(sp);
}

size_t
nw_story_part_count(const struct nw_story_part *sp)
{
	return nw_story_index_count(sp->idx);
}

int
nw_story_parts_held(size_t *stories, size_t *bytes)
{
	struct nw_story_part *sp;

	*stories = *bytes = 0;
	LIST_FOREACH(sp, &parts, link)
	{
		*stories += nw_story_index_count(sp->idx);
		*bytes += nw_story_index_bytes(sp->idx);
	}
	return parts_ever;
}

static char *
dup_str(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	char *s;

	if (!json_is_string(v))
		return NULL;
	if ((s = strdup(json_string_value(v))) == NULL)
		fatalx("out of memory");
	return s;
}

static void
push_strings(struct nw_strv *sv, json_t *a)
{
	json_t *v;
	size_t i;

	if (!json_is_array(a))
		return;
	json_array_foreach(a, i, v)
	{
		if (json_is_string(v) &&
		    nw_strv_push(sv, json_string_value(v)) == -1)
			fatalx("out of memory");
	}
}

/* "2026-06-01T09:02:11.000Z", as the event renders times. */
static int64_t
iso_ms(const char *s)
{
	struct tm tm;
	int ms;

	memset(&tm, 0, sizeof tm);
	if (s == NULL ||
	    sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ", &tm.tm_year, &tm.tm_mon,
		&tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms) != 7)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (int64_t)timegm(&tm) * 1000 + ms;
}

static void
decode_speaker(struct nw_speaker *sp, json_t *o)
{
	const char *t = json_string_value(json_object_get(o, "type"));

	sp->name = dup_str(o, "name");
	sp->type = t != NULL && strcmp(t, "organisation") == 0
	    ? NW_SPEAKER_ORGANISATION
	    : NW_SPEAKER_PERSON;
	sp->title = dup_str(o, "title");
	sp->organisation = dup_str(o, "organisation");
	sp->quotes = (size_t)json_integer_value(json_object_get(o, "quotes"));
}

static int
same(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* A quote names its speaker by value: find it among the speakers. */
static long
speaker_index(const struct nw_event *ev, json_t *o)
{
	struct nw_speaker sp = {0};
	long i, found = -1;

	if (!json_is_object(o))
		return -1;
	decode_speaker(&sp, o);
	for (i = 0; i < (long)ev->nspeakers && found < 0; i++) {
		const struct nw_speaker *x = &ev->speakers[i];
		if (same(x->name, sp.name) && x->type == sp.type &&
		    same(x->title, sp.title) &&
		    same(x->organisation, sp.organisation))
			found = i;
	}
	free(sp.name);
	free(sp.title);
	free(sp.organisation);
	return found;
}

/* Captions, speakers and quotes: not for the index, for the sinks that
 * render the event themselves (format = ninjs) and the log line. */
static void
decode_people(struct nw_event *ev, json_t *root)
{
	json_t *a, *o, *v;
	const char *k;
	size_t i;

	a = json_object_get(root, "captions");
	if ((ev->ncaptions = json_array_size(a)) > 0 &&
	    (ev->captions = calloc(ev->ncaptions, sizeof *ev->captions)) ==
		NULL)
		fatalx("out of memory");
	json_array_foreach(a, i, o)
	{
		ev->captions[i].text = dup_str(o, "text");
		ev->captions[i].credit = dup_str(o, "credit");
	}
	a = json_object_get(root, "speakers");
	if ((ev->nspeakers = json_array_size(a)) > 0 &&
	    (ev->speakers = calloc(ev->nspeakers, sizeof *ev->speakers)) ==
		NULL)
		fatalx("out of memory");
	json_array_foreach(a, i, o) decode_speaker(&ev->speakers[i], o);
	a = json_object_get(root, "quotes");
	if ((ev->nquotes = json_array_size(a)) > 0 &&
	    (ev->quotes = calloc(ev->nquotes, sizeof *ev->quotes)) == NULL)
		fatalx("out of memory");
	json_array_foreach(a, i, o)
	{
		struct nw_quote *q = &ev->quotes[i];

		if ((q->text = dup_str(o, "text")) == NULL &&
		    (q->text = strdup("")) == NULL)
			fatalx("out of memory");
		k = json_string_value(json_object_get(o, "kind"));
		q->kind = k != NULL && strcmp(k, "partial") == 0
		    ? NW_QUOTE_PARTIAL
		    : k != NULL && strcmp(k, "indirect") == 0
		    ? NW_QUOTE_INDIRECT
		    : NW_QUOTE_DIRECT;
		q->speaker = speaker_index(ev, json_object_get(o, "speaker"));
		q->cue = dup_str(o, "cue");
		v = json_object_get(o, "paragraph");
		q->in_lede = json_is_null(v);
		q->paragraph = (size_t)json_integer_value(v);
		v = json_object_get(o, "offset");
		q->start = (size_t)json_integer_value(json_array_get(v, 0));
		q->end = (size_t)json_integer_value(json_array_get(v, 1));
	}
}

/* The event, from its JSON (nw_event_json renders it back). */
static struct nw_event *
decode(const void *json, size_t len, int64_t at_ms, char **cause)
{
	json_error_t jerr;
	json_t *root, *v, *o;
	struct nw_event *ev;
	const char *s;
	int k;

	if ((root = json_loadb(json, len, 0, &jerr)) == NULL) {
		if (asprintf(cause, "not JSON: %s", jerr.text) == -1)
			*cause = NULL;
		return NULL;
	}
	s = json_string_value(json_object_get(root, "schema"));
	v = json_object_get(root, "id");
	if (s == NULL || strcmp(s, NW_SCHEMA) != 0 || !json_is_string(v) ||
	    json_string_length(v) != 64) {
		*cause = strdup("not an event of " NW_SCHEMA);
		json_decref(root);
		return NULL;
	}
	if ((ev = nw_event_new()) == NULL)
		fatalx("out of memory");
	memcpy(ev->id, json_string_value(v), 65);
	if ((s = json_string_value(json_object_get(root, "language"))) != NULL)
		snprintf(ev->language, sizeof ev->language, "%s", s);
	ev->agency = dup_str(root, "agency");
	ev->headline = dup_str(root, "headline");
	ev->lede = dup_str(root, "lede");
	if (json_is_object(o = json_object_get(root, "dateline"))) {
		if ((ev->dateline = calloc(1, sizeof *ev->dateline)) == NULL)
			fatalx("out of memory");
		ev->dateline->text = dup_str(o, "text");
		ev->dateline->city = dup_str(o, "city");
		ev->dateline->region = dup_str(o, "region");
		ev->dateline->agency = dup_str(o, "agency");
		ev->dateline->month =
		    (int)json_integer_value(json_object_get(o, "month"));
		ev->dateline->day =
		    (int)json_integer_value(json_object_get(o, "day"));
		ev->dateline->year =
		    (int)json_integer_value(json_object_get(o, "year"));
		if ((s = json_string_value(json_object_get(o, "date"))) != NULL)
			snprintf(ev->dateline->date, sizeof ev->dateline->date,
			    "%s", s);
	}
	push_strings(&ev->body, json_object_get(root, "body"));
	if (json_is_object(o = json_object_get(root, "story"))) {
		s = json_string_value(json_object_get(o, "kind"));
		k = s != NULL ? nw_story_kind_from_name(s) : -1;
		ev->story_kind = k > 0 ? (enum nw_story_kind)k : NW_STORY_NONE;
		push_strings(&ev->story_markers, json_object_get(o, "markers"));
	}
	decode_people(ev, root);
	o = json_object_get(root, "source");
	ev->source.type = dup_str(o, "type");
	ev->source.name = dup_str(o, "name");
	ev->source.uri = dup_str(o, "uri");
	push_strings(&ev->warnings, json_object_get(root, "warnings"));
	ev->published_at_ms =
	    iso_ms(json_string_value(json_object_get(root, "published_at")));
	ev->received_at_ms = at_ms > 0
	    ? at_ms
	    : iso_ms(json_string_value(json_object_get(root, "received_at")));
	json_decref(root);
	return ev;
}

/* Where the story object's fields before "markers" are: [*a, *b). The
 * needles cannot occur inside a JSON string, whose quotes are escaped. */
static int
story_span(const char *json, size_t len, size_t *a, size_t *b)
{
	static const char head[] = ",\"story\":";
	static const char key[] = "{\"key\":";
	static const char markers[] = ",\"markers\":";
	const char *p, *m;

	if ((p = memmem(json, len, head, sizeof head - 1)) == NULL)
		return -1;
	p += sizeof head - 1;
	if ((size_t)(json + len - p) < sizeof key - 1 ||
	    memcmp(p, key, sizeof key - 1) != 0 ||
	    (m = memmem(p, (size_t)(json + len - p), markers,
		 sizeof markers - 1)) == NULL)
		return -1;
	*a = (size_t)(p - json);
	*b = (size_t)(m - json);
	return 0;
}

static void
iso_time(char *buf, size_t size, int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	/* Times here are reception times: four-digit years. */
	snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
	    (tm.tm_year + 1900) % 10000, (tm.tm_mon + 1) % 100,
	    tm.tm_mday % 100, tm.tm_hour % 100, tm.tm_min % 100,
	    tm.tm_sec % 100, (int)(ms % 1000));
}

/* The parse hop's rendering with the story object's fields replaced, so
 * the rest is byte for byte what it published. */
static char *
splice(const char *json, size_t len, size_t a, size_t b,
    const struct nw_story *s, size_t *outlen)
{
	char mid[512], when[64], sup[80];
	char *out;
	int n;

	if (s->first_created_ms != 0)
		iso_time(when, sizeof when, s->first_created_ms);
	snprintf(sup, sizeof sup, "\"%s\"", s->supersedes);
	n = snprintf(mid, sizeof mid,
	    "{\"key\":\"%s\",\"version\":%u,\"kind\":\"%s\",\"supersedes\":%s,"
	    "\"first_created\":%s%s%s,\"repeat\":%s",
	    s->key, s->version, nw_story_kind_name(s->kind),
	    s->supersedes[0] != '\0' ? sup : "null",
	    s->first_created_ms != 0 ? "\"" : "",
	    s->first_created_ms != 0 ? when : "null",
	    s->first_created_ms != 0 ? "\"" : "", s->repeat ? "true" : "false");
	if (n < 0 || (size_t)n >= sizeof mid)
		fatalx("story object too long");
	*outlen = a + (size_t)n + (len - b);
	if ((out = malloc(*outlen + 1)) == NULL)
		fatalx("out of memory");
	memcpy(out, json, a);
	memcpy(out + a, mid, (size_t)n);
	memcpy(out + a + n, json + b, len - b);
	out[*outlen] = '\0';
	return out;
}

static char *
header(rd_kafka_headers_t *h, const char *name, char *buf, size_t size)
{
	const void *v;
	size_t len;

	if (h == NULL || rd_kafka_header_get_last(h, name, &v, &len) != 0 ||
	    v == NULL || len == 0 || len >= size)
		return NULL;
	memcpy(buf, v, len);
	buf[len] = '\0';
	return buf;
}

int
nw_story_part_take_json(struct nw_story_part *sp, const char *json, size_t len,
    const char *item_id, int64_t at_ms, struct nw_event **evp, char **out,
    size_t *outlen, char **cause)
{
	struct nw_story_hint hint;
	struct nw_story s, *copy;
	struct nw_event *ev;
	size_t a, b;

	*cause = NULL;
	/* Jansson's reader skips a raw NUL byte, which JSON text never has:
	 * the splice below copies bytes, so it would carry one through. */
	if (json != NULL && memchr(json, '\0', len) != NULL) {
		*cause = strdup("a NUL byte in the message: not JSON text");
		return -1;
	}
	if (json == NULL || story_span(json, len, &a, &b) == -1) {
		*cause = strdup("no story object: not an event a parse hop "
				"published");
		return -1;
	}
	if ((ev = decode(json, len, at_ms, cause)) == NULL)
		return -1;
	/* The index keeps no clock of its own: expiry follows the events'
	 * times, so a replay expires as the live index did. */
	if ((sp->max > 0 && nw_story_index_count(sp->idx) >= sp->max) ||
	    ev->received_at_ms - sp->expired_at >= EXPIRE_EVERY_MS) {
		nw_story_index_expire(sp->idx, ev->received_at_ms);
		sp->expired_at = ev->received_at_ms;
	}
	hint = (struct nw_story_hint){
	    .source = ev->source.name,
	    .uri = ev->source.uri,
	    .item_id = item_id,
	};
	memset(&s, 0, sizeof s);
	if (nw_story_assign(
		sp->idx, ev, &hint, ev->received_at_ms, &s, NULL, NULL) == -1)
		fatalx("out of memory");
	if (evp == NULL) {
		nw_event_free(ev);
		return 0;
	}
	*out = splice(json, len, a, b, &s, outlen);
	if ((copy = malloc(sizeof *copy)) == NULL)
		fatalx("out of memory");
	*copy = s;
	ev->story = copy;
	*evp = ev;
	return 0;
}

int
nw_story_part_take(struct nw_story_part *sp, rd_kafka_message_t *m,
    struct nw_event **evp, char **out, size_t *outlen, char **cause)
{
	rd_kafka_headers_t *h = NULL;
	char item[512], at[32];

	rd_kafka_message_headers(m, &h);
	return nw_story_part_take_json(sp, m->payload, m->len,
	    header(h, NW_KAFKA_HDR_ITEM_ID, item, sizeof item),
	    header(h, NW_KAFKA_HDR_RECEIVED_AT, at, sizeof at) != NULL
		? strtoll(at, NULL, 10)
		: 0,
	    evp, out, outlen, cause);
}

static void
on_log(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
	nw_kafka_log("replay", level, fac, buf);
}

static struct nw_story_replay *
find(struct nw_story_replay *r, size_t n, int32_t partition)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (r[i].partition == partition)
			return &r[i];
	return NULL;
}

static int
all_done(const struct nw_story_replay *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!r[i].done)
			return 0;
	return 1;
}

int
nw_story_replay(const char *brokers, const char *topic,
    struct nw_story_replay *r, size_t n, int64_t since_ms, int timeout_ms,
    char **cause)
{
	rd_kafka_conf_t *c = rd_kafka_conf_new();
	rd_kafka_topic_partition_list_t *l = NULL, *a = NULL;
	rd_kafka_message_t *m;
	rd_kafka_resp_err_t err;
	struct nw_story_replay *rp;
	rd_kafka_t *rk = NULL;
	int64_t t0 = nw_mono_ms();
	char errstr[512], *why;
	size_t i;
	int j, rc = -1;

	*cause = NULL;
	for (i = 0; i < n; i++)
		r[i].done = r[i].upto <= 0; /* nothing committed: all is live */
	if (all_done(r, n)) {
		rd_kafka_conf_destroy(c);
		return 0;
	}
	rd_kafka_conf_set_log_cb(c, on_log);
	/* A group id for the consumer API only: this consumer is assigned
	 * partitions, never joins the group and commits nothing. */
	if (nw_kafka_conf_set(c, "bootstrap.servers", brokers, cause) == -1 ||
	    nw_kafka_conf_set(c, "group.id", "newswired-story-replay", cause) ==
		-1 ||
	    nw_kafka_conf_set(c, "client.id", "newswired-replay", cause) ==
		-1 ||
	    nw_kafka_conf_set(c, "enable.auto.commit", "false", cause) == -1 ||
	    nw_kafka_conf_set(c, "enable.partition.eof", "true", cause) == -1 ||
	    nw_kafka_conf_set(c, "isolation.level", "read_committed", cause) ==
		-1) {
		rd_kafka_conf_destroy(c);
		return -1;
	}
	if ((rk = rd_kafka_new(RD_KAFKA_CONSUMER, c, errstr, sizeof errstr)) ==
	    NULL) {
		rd_kafka_conf_destroy(c);
		if (asprintf(cause, "kafka: %s", errstr) == -1)
			*cause = NULL;
		return -1;
	}
	l = rd_kafka_topic_partition_list_new((int)n);
	for (i = 0; i < n; i++)
		if (!r[i].done)
			rd_kafka_topic_partition_list_add(
			    l, topic, r[i].partition)
			    ->offset = since_ms;
	if ((err = rd_kafka_offsets_for_times(rk, l, timeout_ms)) !=
	    RD_KAFKA_RESP_ERR_NO_ERROR) {
		if (asprintf(cause, "offsets_for_times: %s",
			rd_kafka_err2str(err)) == -1)
			*cause = NULL;
		goto out;
	}
	a = rd_kafka_topic_partition_list_new(l->cnt);
	for (j = 0; j < l->cnt; j++) {
		rp = find(r, n, l->elems[j].partition);
		/* No message since since_ms (-1), or none before upto. */
		if (l->elems[j].err != RD_KAFKA_RESP_ERR_NO_ERROR ||
		    l->elems[j].offset < 0 || l->elems[j].offset >= rp->upto) {
			rp->done = 1;
			continue;
		}
		rd_kafka_topic_partition_list_add(a, topic, rp->partition)
		    ->offset = l->elems[j].offset;
		log_info("stories replay topic=%s partition=%" PRId32
			 " from=%" PRId64 " upto=%" PRId64,
		    topic, rp->partition, l->elems[j].offset, rp->upto);
	}
	if (a->cnt > 0 &&
	    (err = rd_kafka_assign(rk, a)) != RD_KAFKA_RESP_ERR_NO_ERROR) {
		if (asprintf(cause, "assign: %s", rd_kafka_err2str(err)) == -1)
			*cause = NULL;
		goto out;
	}
	while (!all_done(r, n)) {
		if (nw_mono_ms() - t0 > timeout_ms) {
			*cause = strdup("timed out");
			goto out;
		}
		if ((m = rd_kafka_consumer_poll(rk, REPLAY_POLL_MS)) == NULL)
			continue;
		rp = find(r, n, m->partition);
		if (rp == NULL || rp->done)
			;
		else if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF)
			/* read_committed: the end is the last stable offset,
			 * which is past everything the group committed. */
			rp->done = 1;
		else if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR)
			log_warnx("stories replay topic=%s partition=%" PRId32
				  " error=%s",
			    topic, m->partition, rd_kafka_err2name(m->err));
		else if (m->offset >= rp->upto)
			rp->done = 1;
		else {
			if (nw_story_part_take(
				rp->part, m, NULL, NULL, NULL, &why) == 0)
				rp->replayed++;
			free(why);
			if (m->offset + 1 >= rp->upto)
				rp->done = 1;
		}
		rd_kafka_message_destroy(m);
	}
	rc = 0;
out:
	if (l != NULL)
		rd_kafka_topic_partition_list_destroy(l);
	if (a != NULL)
		rd_kafka_topic_partition_list_destroy(a);
	rd_kafka_consumer_close(rk);
	rd_kafka_destroy(rk);
	return rc;
}
