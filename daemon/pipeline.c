/* The pipeline and the ack rule: a dispatch is acknowledged to its source
 * only after every sink it is routed to has confirmed it. Parsing and
 * rendering run on the worker pool; everything else (stories, sinks, acks,
 * counts) stays on the loop, where parsed dispatches continue in arrival
 * order, a batch at a time, and get their story spliced into the JSON. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "metrics.h"
#include "nwtime.h"
#include "newswire/log.h"
#include "pipeline.h"
#include "story_owner.h"
#include "story_stage.h"
#include "watch.h"
#include "workq.h"

#define PROCESS_BATCH    64 /* dispatches parsed per loop turn */
#define STORY_MAINTAIN_S 60 /* seconds between story expiry passes */

struct pl_disp;

/* One (dispatch, sink) delivery. */
struct pl_tok {
	struct pl_disp *pd;
	size_t route; /* index into pd->ps->routes */
	struct nw_sink_msg msg;
	int state; /* 0 pending, 1 confirmed */
	TAILQ_ENTRY(pl_tok) blocked;
};

struct pl_source {
	struct nw_source src;
	const struct nw_conf_source *cs;
	struct pl_sink **routes;
	size_t nroutes;
	int started;
	int paused;
	char labels[160];
	char sinks[256]; /* its sinks' names, for the log */
};

struct pl_sink {
	struct nw_sink sink;
	TAILQ_HEAD(, pl_tok) blocked; /* waiting for nw_sink_ready */
	int started;
	char labels[160];
};

struct pl_disp {
	struct nw_job job;          /* parse on a worker */
	TAILQ_ENTRY(pl_disp) ready; /* in readyq, then in durq */
	uint64_t gen;               /* its batch, for the journal's sync */
	TAILQ_ENTRY(pl_disp) all;
	struct nw_dispatch *d;
	struct pl_source *ps;
	struct nw_event *ev;
	char *json; /* rendered on the worker, story spliced in on the loop */
	size_t jsonlen;
	size_t story_off, story_len; /* its story object; len 0: not found */
	struct nw_story_text *stext; /* its words for the story stage */
	char *perror;                /* parse error */
	size_t outstanding;
	int dead; /* dead letter */
	int raw;  /* forwarded unparsed (every sink wants raw dispatches) */
	int repeat_dropped; /* a repeat, acknowledged without publishing */
	char *story_error;  /* the journal could not record it: retry */
	int any_retry, any_perm;
	char *sink_error;
	struct timespec t0;
	struct pl_tok *toks;
	size_t ntoks;

	/* Stories assigned by a story hop (docs/kafka-cluster.md). */
	int defer; /* not here: every sink publishes for a story hop */
	int given; /* there: the source handed over d->event, borrowed */
};

struct nw_pipeline {
	struct event_base *base;
	const struct nw_conf *conf;
	struct pl_source *sources;
	size_t nsources;
	struct pl_sink *sinks;
	size_t nsinks;
	TAILQ_HEAD(, pl_disp) readyq;
	TAILQ_HEAD(pl_dispq, pl_disp)
	durq; /* prepared, waiting for the journal */
	TAILQ_HEAD(, pl_disp) all;
	struct event *process_ev;
	struct event *unblock_ev;
	size_t inflight;
	size_t max_inflight;
	int sources_paused;
	int draining;
	void (*drain_cb)(void *);
	void *drain_arg;
	struct event *drain_ev;
	struct nw_pipeline_stats st;
	struct nw_limits limits; /* handed to every start() */
	struct nw_story_stage *stories;
	struct nw_workq *workq;
	struct nw_lane *lane;     /* dispatches come back in arrival order */
	struct nw_lane *synclane; /* the journal's syncs */
	uint64_t wgen, sgen;      /* batches prepared, and made durable */
	int syncing;
	int maintain_due;
	int freeing;
	struct event *story_ev; /* expiry and journal compaction */
	int publish_repeats;
};

static double
elapsed_s(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) +
	    (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

static int
any_blocked(struct nw_pipeline *pl)
{
	size_t i;

	for (i = 0; i < pl->nsinks; i++)
		if (!TAILQ_EMPTY(&pl->sinks[i].blocked))
			return 1;
	return 0;
}

static void
pause_sources(struct nw_pipeline *pl)
{
	size_t i;

	if (pl->sources_paused)
		return;
	pl->sources_paused = 1;
	log_debug("pausing sources inflight=%zu", pl->inflight);
	for (i = 0; i < pl->nsources; i++) {
		struct pl_source *ps = &pl->sources[i];
		if (ps->started && ps->src.ops->pause != NULL)
			ps->src.ops->pause(&ps->src);
	}
}

static void
maybe_resume(struct nw_pipeline *pl)
{
	size_t i;

	if (!pl->sources_paused || pl->draining || any_blocked(pl) ||
	    pl->inflight > pl->max_inflight * 3 / 4)
		return;
	pl->sources_paused = 0;
	log_debug("resuming sources inflight=%zu", pl->inflight);
	for (i = 0; i < pl->nsources; i++) {
		struct pl_source *ps = &pl->sources[i];
		if (ps->started && ps->src.ops->resume != NULL)
			ps->src.ops->resume(&ps->src);
	}
}

static void
check_drained(struct nw_pipeline *pl)
{
	if (pl->draining && pl->inflight == 0 && pl->drain_cb != NULL)
		event_active(pl->drain_ev, 0, 0);
}

static int all_raw(struct pl_source *);
static int all_defer(struct pl_source *);
static void parse_run(struct nw_job *);
static void parse_done(struct nw_job *);

/* A source's submit never re-enters the pipeline: the dispatch goes to a
 * worker (or, raw, waits its turn on the lane) and comes back later. */
static void
pl_submit(struct nw_source *src, struct nw_dispatch *d)
{
	struct nw_pipeline *pl = src->pipeline;
	struct pl_source *ps = (struct pl_source *)src;
	struct pl_disp *pd;

	if ((pd = calloc(1, sizeof *pd)) == NULL)
		fatalx("out of memory");
	d->source = src;
	d->pl_state = pd;
	pd->d = d;
	pd->ps = ps;
	clock_gettime(CLOCK_MONOTONIC, &pd->t0);
	if (d->received_at_ms == 0)
		d->received_at_ms = nw_now_ms();
	TAILQ_INSERT_TAIL(&pl->all, pd, all);
	pl->inflight++;
	pl->st.received++;
	nw_metric_add(NW_M_RECEIVED, ps->labels, 1);
	/* Sink calls stay on the loop: ask them here, not on the worker. A raw
	 * dispatch has nothing to parse and only waits its turn on the lane. */
	pd->raw = all_raw(ps);
	pd->defer = all_defer(ps);
	pd->job.run = pd->raw || d->event != NULL ? NULL : parse_run;
	pd->job.done = parse_done;
	nw_lane_push(pl->lane, &pd->job);
	if (pl->inflight >= pl->max_inflight)
		pause_sources(pl);
}

static void
disp_free(struct nw_pipeline *pl, struct pl_disp *pd)
{
	TAILQ_REMOVE(&pl->all, pd, all);
	if (!pd->given)
		nw_event_free(pd->ev);
	nw_story_text_free(pd->stext);
	free(pd->json);
	free(pd->perror);
	free(pd->sink_error);
	free(pd->story_error);
	free(pd->toks);
	free(pd);
}

static void
sink_names(const struct pl_source *ps, char *buf, size_t len)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < ps->nroutes && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? "," : "",
		    ps->routes[i]->sink.name);
}

/* Every sink has answered: settle the dispatch's fate with its source. */
static void
finish(struct nw_pipeline *pl, struct pl_disp *pd)
{
	struct nw_dispatch *d = pd->d;
	struct pl_source *ps = pd->ps;
	enum nw_outcome out;
	const char *sinks = ps->sinks;
	char lbl[320], esc[256];
	double secs = elapsed_s(&pd->t0);
	long long ms = (long long)(secs * 1000 + 0.5);

	if (pd->any_retry) {
		out = NW_OUTCOME_RETRY;
		d->reason_code = NULL;
		pl->st.retried++;
		nw_metric_add(NW_M_RETRIED, ps->labels, 1);
		log_warnx("retry source=%s file=%s sink=%s error=\"%s\"",
		    ps->src.name, d->uri ? d->uri : "-", sinks,
		    pd->sink_error ? pd->sink_error : "sink failed");
	} else if (pd->dead || pd->any_perm) {
		out = NW_OUTCOME_FAILED;
		if (pd->dead) {
			d->reason_code = nw_reason_code(d->reason);
			free(d->error);
			d->error = pd->perror ? strdup(pd->perror) : NULL;
		} else {
			d->reason_code = "rejected";
			free(d->error);
			d->error =
			    pd->sink_error ? strdup(pd->sink_error) : NULL;
		}
		pl->st.failed++;
		snprintf(lbl, sizeof lbl, "%s,reason=\"%s\"", ps->labels,
		    d->reason_code);
		nw_metric_add(NW_M_FAILED, lbl, 1);
		log_info("failed source=%s file=%s reason=%s error=\"%s\"",
		    ps->src.name, d->uri ? d->uri : "-", d->reason_code,
		    nw_metric_label(esc, sizeof esc, d->error ? d->error : ""));
	} else if (pd->repeat_dropped) {
		const struct nw_story *s = pd->ev->story;
		out = NW_OUTCOME_DONE;
		d->reason_code = NULL;
		pl->st.done++;
		nw_metric_add(NW_M_DONE, ps->labels, 1);
		nw_metric_add(NW_M_REPEATS, ps->labels, 1);
		log_info("repeat id=%s source=%s file=%s story=%s v=%u kind=%s "
			 "ms=%lld: repeat of %s, not published",
		    d->id, ps->src.name, d->uri ? d->uri : "-", s->key,
		    s->version, nw_story_kind_name(s->kind), ms, d->id);
	} else {
		out = NW_OUTCOME_DONE;
		d->reason_code = NULL;
		pl->st.done++;
		nw_metric_add(NW_M_DONE, ps->labels, 1);
		nw_metric_set(NW_M_LAST_SUCCESS, ps->labels,
		    (double)nw_now_ms() / 1000.0);
		nw_metric_observe(NW_M_LATENCY, "", secs);
		/* The live page takes the rendered event (no copy). */
		if (!pd->raw)
			nw_watch_confirmed(&pd->json);
		if (pd->raw)
			log_info(
			    "forwarded source=%s file=%s sink=%s bytes=%zu "
			    "ms=%lld",
			    ps->src.name, d->uri ? d->uri : "-", sinks, d->len,
			    ms);
		else if (pd->ev->story != NULL)
			log_info("published id=%s source=%s file=%s sink=%s "
				 "story=%s v=%u kind=%s%s quotes=%zu "
				 "speakers=%zu ms=%lld",
			    d->id, ps->src.name, d->uri ? d->uri : "-", sinks,
			    pd->ev->story->key, pd->ev->story->version,
			    nw_story_kind_name(pd->ev->story->kind),
			    pd->ev->story->repeat ? " repeat=yes" : "",
			    pd->ev->nquotes, pd->ev->nspeakers, ms);
		else
			log_info("published id=%s source=%s file=%s sink=%s "
				 "quotes=%zu "
				 "speakers=%zu ms=%lld",
			    d->id, ps->src.name, d->uri ? d->uri : "-", sinks,
			    pd->ev->nquotes, pd->ev->nspeakers, ms);
	}
	disp_free(pl, pd);
	d->pl_state = NULL;
	pl->inflight--;
	ps->src.ops->ack(&ps->src, d, out);
	maybe_resume(pl);
	check_drained(pl);
}

static void
tok_done(struct nw_pipeline *pl, struct pl_tok *t)
{
	if (--t->pd->outstanding == 0)
		finish(pl, t->pd);
}

static void
record(struct pl_tok *t, enum nw_confirm c, const char *error)
{
	struct pl_disp *pd = t->pd;
	struct pl_sink *sk = pd->ps->routes[t->route];
	char lbl[320];

	t->state = 1;
	if (c == NW_CONFIRM_OK) {
		nw_metric_add(NW_M_DELIVERED, sk->labels, 1);
		return;
	}
	snprintf(lbl, sizeof lbl, "%s,reason=\"%s\"", sk->labels,
	    c == NW_CONFIRM_RETRY ? "retry" : "permanent");
	nw_metric_add(NW_M_SINK_FAILED, lbl, 1);
	if (c == NW_CONFIRM_RETRY)
		pd->any_retry = 1;
	else
		pd->any_perm = 1;
	if (pd->sink_error == NULL) {
		if (asprintf(&pd->sink_error, "sink %s: %s", sk->sink.name,
			error ? error : "failed") < 0)
			pd->sink_error = NULL;
	}
}

static void
pl_confirm(
    struct nw_sink *sink, void *token, enum nw_confirm c, const char *error)
{
	struct nw_pipeline *pl = sink->pipeline;
	struct pl_tok *t = token;

	if (t == NULL || t->state != 0) {
		log_error(
		    "sink %s confirmed a message twice or unknown", sink->name);
		return;
	}
	record(t, c, error);
	tok_done(pl, t);
}

/* Hand one delivery to its sink, or queue it behind a full one. Returns 1
 * when the sink is full. */
static int
deliver(struct nw_pipeline *pl, struct pl_tok *t, int from_queue)
{
	struct pl_sink *sk = t->pd->ps->routes[t->route];
	enum nw_deliver_rc rc;

	if (!from_queue && !TAILQ_EMPTY(&sk->blocked)) {
		TAILQ_INSERT_TAIL(&sk->blocked, t, blocked);
		return 1;
	}
	rc = sk->sink.ops->deliver(&sk->sink, &t->msg);
	switch (rc) {
	case NW_DELIVER_QUEUED:
		return 0;
	case NW_DELIVER_FULL:
		if (!from_queue)
			TAILQ_INSERT_TAIL(&sk->blocked, t, blocked);
		pause_sources(pl);
		return 1;
	case NW_DELIVER_ERROR:
	default:
		record(t, NW_CONFIRM_RETRY, "refused");
		tok_done(pl, t);
		return 0;
	}
}

/* 1 when every sink of the source forwards raw dispatches: then nothing
 * here needs the event, and parsing is left to whoever reads them. */
static int
all_raw(struct pl_source *ps)
{
	size_t i;

	for (i = 0; i < ps->nroutes; i++) {
		struct nw_sink *sk = &ps->routes[i]->sink;
		if (sk->ops->wants_raw == NULL || !sk->ops->wants_raw(sk))
			return 0;
	}
	return ps->nroutes > 0;
}

/* 1 when every sink of the source publishes for a story hop, which
 * assigns the stories (docs/kafka-cluster.md). */
static int
all_defer(struct pl_source *ps)
{
	size_t i;

	for (i = 0; i < ps->nroutes; i++) {
		struct nw_sink *sk = &ps->routes[i]->sink;
		if (sk->ops->defers_stories == NULL ||
		    !sk->ops->defers_stories(sk))
			return 0;
	}
	return ps->nroutes > 0;
}

/* The story stage, between parsing and rendering: the event gets its
 * story, and the index's record is appended to the journal before any sink
 * sees the event (synced once per batch, in process_cb). */
static void
story_stage(struct nw_pipeline *pl, struct pl_disp *pd)
{
	struct nw_dispatch *d = pd->d;
	struct nw_story_hint hint = {
	    .source = pd->ps->src.name,
	    .uri = d->uri,
	    .item_id = d->item_id,
	    .text = pd->stext,
	};

	if (nw_story_stage_assign(pl->stories, pd->ev, &hint, d->received_at_ms,
		&pd->story_error) == -1) {
		if (pd->story_error == NULL)
			pd->story_error = strdup("story journal failed");
		return;
	}
	nw_story_text_free(pd->stext);
	pd->stext = NULL;
	if (pd->ev->story->repeat && !pl->publish_repeats)
		pd->repeat_dropped = 1;
}

/* The event JSON is rendered on a worker, before the story stage (which
 * runs on the loop, in arrival order) gave the event its story. The loop
 * renders the story object alone and puts it in place of the one rendered
 * without a story: the same bytes as rendering the whole event there, for a
 * fraction of the work on the one thread everything waits for. */
#define STORY_MEMBER ",\"story\":"
#define AFTER_STORY  ",\"parser\":"

/* Where the story object's value is in an event's one-line JSON. Inside a
 * JSON string every quotation mark is escaped, so a quotation mark after a
 * comma and a name followed by a colon can only be a key of the renderer's
 * own; "story" is one key of the top-level object, "parser" the next. The
 * story is near the end, after the body: it is looked for from there. */
static void
story_span(const char *json, size_t len, size_t *off, size_t *olen)
{
	const size_t sl = sizeof STORY_MEMBER - 1;
	const char *s = NULL, *e, *p = json + len;

	*off = *olen = 0;
	while ((p = memrchr(json, ',', (size_t)(p - json))) != NULL)
		if ((size_t)(json + len - p) >= sl &&
		    memcmp(p, STORY_MEMBER, sl) == 0) {
			s = p + sl;
			break;
		}
	if (s == NULL ||
	    (e = memmem(s, len - (size_t)(s - json), AFTER_STORY,
		 sizeof AFTER_STORY - 1)) == NULL)
		return;
	*off = (size_t)(s - json);
	*olen = (size_t)(e - s);
}

/* On the loop, once the event has its story: the event's JSON with its
 * story object rendered again. The story object is cut from the rendering
 * of an event that holds nothing else, so that its bytes come from the one
 * renderer. Returns -1 when out of memory. */
static int
splice_story(struct pl_disp *pd)
{
	struct nw_event story_only;
	char *one, *out;
	size_t onelen, off, olen, n;

	memset(&story_only, 0, sizeof story_only);
	story_only.story = pd->ev->story;
	story_only.story_kind = pd->ev->story_kind;
	story_only.story_markers = pd->ev->story_markers;
	if ((one = nw_event_json(&story_only, 0)) == NULL)
		return -1;
	onelen = strlen(one);
	story_span(one, onelen, &off, &olen);
	if (olen == 0) { /* cannot be: the renderer writes both keys */
		free(one);
		return -1;
	}
	n = pd->jsonlen - pd->story_len + olen;
	if ((out = malloc(n + 1)) == NULL) {
		free(one);
		return -1;
	}
	memcpy(out, pd->json, pd->story_off);
	memcpy(out + pd->story_off, one + off, olen);
	memcpy(out + pd->story_off + olen,
	    pd->json + pd->story_off + pd->story_len,
	    pd->jsonlen - pd->story_off - pd->story_len);
	out[n] = '\0';
	free(one);
	free(pd->json);
	pd->json = out;
	pd->jsonlen = n;
	return 0;
}

static struct pl_disp *
job_disp(struct nw_job *j)
{
	return (struct pl_disp *)(void *)((char *)j -
	    offsetof(struct pl_disp, job));
}

/* On a worker: parse and render. Touches only the dispatch, which nobody
 * else touches until it comes back, and the configuration, which is read
 * only. The event has no story yet: the loop splices it in. */
static void
parse_run(struct nw_job *j)
{
	struct pl_disp *pd = job_disp(j);
	struct nw_dispatch *d = pd->d;
	struct pl_source *ps = pd->ps;
	const struct nw_pipeline *pl = ps->src.pipeline;
	struct nw_parse_opts opts = {0};
	struct nw_origin origin;

	origin.type = (char *)(uintptr_t)ps->src.ops->type;
	origin.name = ps->src.name;
	origin.uri = d->uri;
	opts.received_at_ms = d->received_at_ms;
	opts.published_at_ms = d->published_at_ms;
	opts.charset = d->charset ? d->charset : ps->cs->common.charset;
	opts.max_size = pl->conf->daemon.max_dispatch_size;
	opts.source = &origin;
	d->reason = nw_parse(d->data, d->len, &opts, &pd->ev, &pd->perror);
	if (d->reason != NW_OK || pd->ev == NULL)
		return;
	/* NULL (out of memory): the story stage takes them itself. */
	pd->stext = nw_story_text_new(pd->ev);
	/* NULL (out of memory) is settled on the loop. */
	if ((pd->json = nw_event_json(pd->ev, 0)) != NULL) {
		pd->jsonlen = strlen(pd->json);
		story_span(
		    pd->json, pd->jsonlen, &pd->story_off, &pd->story_len);
	}
}

/* Back on the loop, in the order the sources submitted: queue the
 * dispatch for the next batch. */
static void
parse_done(struct nw_job *j)
{
	struct pl_disp *pd = job_disp(j);
	struct nw_pipeline *pl = pd->ps->src.pipeline;

	/* Being freed: the dispatch is dropped with the others, unacked. */
	if (pl->freeing)
		return;
	TAILQ_INSERT_TAIL(&pl->readyq, pd, ready);
	event_active(pl->process_ev, 0, 0);
}

/* On the loop, in arrival order: give the parsed event its story and
 * render it once, or make the dispatch a dead letter. */
static void
prepare_one(struct nw_pipeline *pl, struct pl_disp *pd)
{
	struct nw_dispatch *d = pd->d;
	struct pl_source *ps = pd->ps;
	char *cause = pd->perror;

	pd->perror = NULL;
	if (pd->raw) {
		d->reason = NW_OK;
		d->id[0] = '\0';
	} else if (d->event != NULL) {
		/* From a story hop's source: its story assigned, rendered. */
		pd->ev = d->event;
		pd->given = 1;
		memcpy(d->id, pd->ev->id, sizeof d->id);
		if ((pd->json = strndup(d->data, d->len)) == NULL)
			fatalx("out of memory");
		pd->jsonlen = strlen(pd->json);
		if (pd->ev->story != NULL && pd->ev->story->repeat &&
		    !pl->publish_repeats)
			pd->repeat_dropped = 1;
	} else if (d->reason == NW_OK && pd->ev != NULL) {
		memcpy(d->id, pd->ev->id, sizeof d->id);
		if (!pd->defer)
			story_stage(pl, pd);
		/* Without a story (the journal failed) the worker's rendering
		 * is already what the loop would render. */
		if (pd->json != NULL && pd->ev->story != NULL &&
		    (pd->story_len == 0 || splice_story(pd) == -1)) {
			free(pd->json);
			pd->json = NULL;
		}
		if (pd->json == NULL &&
		    (pd->json = nw_event_json(pd->ev, 0)) != NULL)
			pd->jsonlen = strlen(pd->json);
		if (pd->json == NULL) {
			nw_event_free(pd->ev);
			pd->ev = NULL;
			d->reason = NW_ERR_INTERNAL;
			free(cause);
			cause = strdup("cannot render the event");
		}
	} else if (d->reason == NW_OK)
		d->reason = NW_ERR_INTERNAL;
	if (d->reason != NW_OK) {
		pd->dead = 1;
		pd->perror = cause ? cause : strdup(nw_reason_code(d->reason));
		cause = NULL;
		d->id[0] = '\0';
	} else if (!pd->raw)
		nw_metric_add(NW_M_PARSED, ps->labels, 1);
	free(cause);
}

/* Hand the prepared dispatch to its sinks. A repeat that is not published
 * and an event the journal could not record go to none: finish() settles
 * them at once (done, and retry). */
static void
route_one(struct nw_pipeline *pl, struct pl_disp *pd)
{
	struct nw_dispatch *d = pd->d;
	struct pl_source *ps = pd->ps;
	struct pl_tok *t;
	size_t i, n;

	if (pd->story_error != NULL) {
		pd->any_retry = 1;
		if (asprintf(&pd->sink_error, "stories: %s", pd->story_error) <
		    0)
			pd->sink_error = NULL;
	}
	if ((pd->toks = calloc(ps->nroutes, sizeof *pd->toks)) == NULL)
		fatalx("out of memory");
	for (i = 0, n = 0; i < ps->nroutes; i++) {
		struct pl_sink *sk = ps->routes[i];
		if (pd->repeat_dropped || pd->any_retry)
			break;
		if (pd->dead &&
		    (sk->sink.ops->takes_dead_letters == NULL ||
			!sk->sink.ops->takes_dead_letters(&sk->sink)))
			continue;
		t = &pd->toks[n++];
		t->pd = pd;
		t->route = i;
		t->msg.event = pd->ev;
		t->msg.json = pd->json;
		t->msg.jsonlen = pd->json ? pd->jsonlen : 0;
		t->msg.raw = d->data;
		t->msg.rawlen = d->len;
		t->msg.reason = d->reason;
		t->msg.error = pd->perror;
		t->msg.source = ps->src.name;
		t->msg.uri = d->uri;
		t->msg.token = t;
		t->msg.dispatch = d;
	}
	pd->ntoks = n;
	log_debug("dispatch source=%s file=%s id=%s sinks=%zu", ps->src.name,
	    d->uri ? d->uri : "-", d->id[0] ? d->id : "-", n);
	/* One extra count so that a sink confirming inside deliver() cannot
	 * finish the dispatch while we still walk its sinks. */
	pd->outstanding = n + 1;
	for (i = 0; i < n; i++)
		deliver(pl, &pd->toks[i], 0);
	if (--pd->outstanding == 0)
		finish(pl, pd);
}

/* The story journal's sync runs on a worker, off the loop: a batch's
 * records are made durable while the loop goes on with the next batches
 * (blocked in fdatasync, it was half the loop's time under load, and held
 * back the reads that feed the workers). Prepared dispatches wait in durq,
 * in arrival order, each with the generation of its batch; a sync covers
 * every generation written before it started, and one at a time runs. */
struct pl_sync {
	struct nw_job job;
	struct nw_pipeline *pl;
	int fd;
	int err;
	uint64_t gen;
};

static void start_sync(struct nw_pipeline *);

/* Route, in order, what the journal holds for good. */
static void
route_durable(struct nw_pipeline *pl)
{
	struct pl_disp *pd;

	while ((pd = TAILQ_FIRST(&pl->durq)) != NULL && pd->gen <= pl->sgen) {
		TAILQ_REMOVE(&pl->durq, pd, ready);
		route_one(pl, pd);
	}
}

/* Written but maybe not durable: publish nothing of it, retry it. */
static void
sync_failed(struct nw_pipeline *pl, uint64_t gen, const char *cause)
{
	struct pl_disp *pd;

	log_warnx("stories: %s", cause);
	TAILQ_FOREACH(pd, &pl->durq, ready)
	{
		if (pd->gen > gen)
			break;
		if (pd->ev != NULL && pd->story_error == NULL &&
		    (pd->story_error = strdup(cause)) == NULL)
			fatalx("out of memory");
	}
}

static void
sync_run(struct nw_job *j)
{
	struct pl_sync *ps = (struct pl_sync *)(void *)j;

	if (fdatasync(ps->fd) == -1)
		ps->err = errno;
	close(ps->fd);
}

static void
sync_done(struct nw_job *j)
{
	struct pl_sync *ps = (struct pl_sync *)(void *)j;
	struct nw_pipeline *pl = ps->pl;
	char *cause;

	if (!pl->freeing) {
		pl->syncing = 0;
		if (ps->err != 0) {
			nw_story_stage_sync_failed(pl->stories);
			if (asprintf(&cause, "cannot sync the journal: %s",
				strerror(ps->err)) < 0)
				fatalx("out of memory");
			sync_failed(pl, ps->gen, cause);
			free(cause);
		}
		pl->sgen = ps->gen;
		route_durable(pl);
		/* Held back while the sync ran on the journal it rewrites. */
		if (pl->maintain_due) {
			pl->maintain_due = 0;
			nw_story_stage_maintain(pl->stories, nw_now_ms());
		}
		start_sync(pl);
	}
	free(ps);
}

/* Make every batch prepared so far durable, unless a sync runs: then the
 * next one starts when it ends. */
static void
start_sync(struct nw_pipeline *pl)
{
	struct pl_sync *ps;
	char *cause = NULL;
	int fd;

	if (pl->syncing || pl->sgen == pl->wgen)
		return;
	switch ((fd = nw_story_stage_sync_fd(pl->stories))) {
	case -2: /* nothing written since the last sync */
		pl->sgen = pl->wgen;
		route_durable(pl);
		return;
	case -1: /* no descriptor to spare: sync here */
		if (nw_story_stage_sync(pl->stories, &cause) == -1) {
			sync_failed(pl, pl->wgen,
			    cause != NULL ? cause : "sync failed");
			free(cause);
		}
		pl->sgen = pl->wgen;
		route_durable(pl);
		return;
	}
	if ((ps = calloc(1, sizeof *ps)) == NULL)
		fatalx("out of memory");
	ps->pl = pl;
	ps->fd = fd;
	ps->gen = pl->wgen;
	ps->job.run = sync_run;
	ps->job.done = sync_done;
	pl->syncing = 1;
	nw_lane_push_first(pl->synclane, &ps->job);
}

/* A batch at a time: assign stories in arrival order, then route once the
 * batch's journal records are durable. */
static void
process_cb(evutil_socket_t fd, short what, void *arg)
{
	struct nw_pipeline *pl = arg;
	struct pl_disp *pd;
	size_t n = 0;

	char *cause = NULL;

	pl->wgen++;
	while (n < PROCESS_BATCH && (pd = TAILQ_FIRST(&pl->readyq)) != NULL) {
		TAILQ_REMOVE(&pl->readyq, pd, ready);
		prepare_one(pl, pd);
		pd->gen = pl->wgen;
		TAILQ_INSERT_TAIL(&pl->durq, pd, ready);
		n++;
	}
	/* The batch's journal records, in one write. If it fails, none of
	 * the batch's stories may be published: each is retried. */
	if (nw_story_stage_flush(pl->stories, &cause) == -1) {
		log_warnx("stories: %s", cause ? cause : "cannot append");
		TAILQ_FOREACH_REVERSE(pd, &pl->durq, pl_dispq, ready)
		{
			if (pd->gen != pl->wgen)
				break;
			if (pd->ev != NULL && !pd->given && !pd->defer &&
			    pd->story_error == NULL &&
			    (pd->story_error = strdup(
				 cause ? cause : "cannot append")) == NULL)
				fatalx("out of memory");
		}
		free(cause);
	}
	start_sync(pl);
	if (!TAILQ_EMPTY(&pl->readyq))
		event_active(pl->process_ev, 0, 0);
}

static void
story_tick(evutil_socket_t fd, short what, void *arg)
{
	struct nw_pipeline *pl = arg;

	if (pl->syncing)
		pl->maintain_due = 1;
	else
		nw_story_stage_maintain(pl->stories, nw_now_ms());
}

static void
pl_ready(struct nw_sink *sink)
{
	struct nw_pipeline *pl = sink->pipeline;

	event_active(pl->unblock_ev, 0, 0);
}

/* Some sink has room again: feed each its queue in order until full. */
static void
unblock_cb(evutil_socket_t fd, short what, void *arg)
{
	struct nw_pipeline *pl = arg;
	struct pl_tok *t;
	size_t i;

	for (i = 0; i < pl->nsinks; i++) {
		struct pl_sink *sk = &pl->sinks[i];
		while ((t = TAILQ_FIRST(&sk->blocked)) != NULL) {
			TAILQ_REMOVE(&sk->blocked, t, blocked);
			if (deliver(pl, t, 1)) {
				TAILQ_INSERT_HEAD(&sk->blocked, t, blocked);
				break;
			}
		}
	}
	maybe_resume(pl);
}

static void
drain_cb(evutil_socket_t fd, short what, void *arg)
{
	struct nw_pipeline *pl = arg;
	void (*cb)(void *) = pl->drain_cb;

	if (cb == NULL || pl->inflight != 0)
		return;
	pl->drain_cb = NULL;
	cb(pl->drain_arg);
}

static void
metrics_hook(void *arg)
{
	struct nw_pipeline *pl = arg;
	size_t i, stories = 0, bytes = 0;
	int hop;

	nw_metric_set(NW_M_INFLIGHT, "", (double)pl->inflight);
	/* A story hop's partition indexes count as much as the stage's: the
	 * gauge is every story this process keeps. */
	hop = nw_story_parts_held(&stories, &bytes);
	if (pl->stories != NULL) {
		stories += nw_story_stage_count(pl->stories);
		bytes += nw_story_stage_bytes(pl->stories);
	}
	if (pl->stories != NULL || hop) {
		nw_metric_set(NW_M_STORIES, "", (double)stories);
		nw_metric_set(NW_M_STORY_BYTES, "", (double)bytes);
	}
	for (i = 0; i < pl->nsinks; i++) {
		struct pl_sink *sk = &pl->sinks[i];
		if (sk->started && sk->sink.ops->pending != NULL)
			nw_metric_set(NW_M_QUEUE, sk->labels,
			    (double)sk->sink.ops->pending(&sk->sink));
	}
}

static void
declare_metrics(void)
{
	nw_metric_declare(NW_M_RECEIVED, NW_COUNTER,
	    "Dispatches a source handed to the pipeline.");
	nw_metric_declare(
	    NW_M_PARSED, NW_COUNTER, "Dispatches parsed into an event.");
	nw_metric_declare(NW_M_FAILED, NW_COUNTER,
	    "Dispatches that failed for good, by reason code.");
	nw_metric_declare(NW_M_DONE, NW_COUNTER,
	    "Dispatches whose event every sink confirmed.");
	nw_metric_declare(NW_M_RETRIED, NW_COUNTER,
	    "Dispatches left at their source for a retry.");
	nw_metric_declare(NW_M_LAST_SUCCESS, NW_GAUGE,
	    "Unix time of the source's last confirmed event.");
	nw_metric_declare(
	    NW_M_DELIVERED, NW_COUNTER, "Messages a sink confirmed.");
	nw_metric_declare(NW_M_SINK_FAILED, NW_COUNTER,
	    "Messages a sink failed, by retry or permanent.");
	nw_metric_declare(NW_M_QUEUE, NW_GAUGE,
	    "Messages handed to a sink and not yet confirmed.");
	nw_metric_declare(
	    NW_M_INFLIGHT, NW_GAUGE, "Dispatches in the pipeline.");
	nw_metric_declare(NW_M_LATENCY, NW_HISTOGRAM,
	    "Seconds from reception to confirmation by every sink.");
	nw_metric_declare(NW_M_STORIES, NW_GAUGE, "Stories in the index.");
	nw_metric_declare(NW_M_STORY_BYTES, NW_GAUGE,
	    "Memory held by the story index, in bytes.");
	nw_metric_declare(NW_M_REPEATS, NW_COUNTER,
	    "Repeats of an event already in its story, not published.");
}

static const struct nw_sink_host pl_sink_host = {
    .confirm = pl_confirm,
    .ready = pl_ready,
};

struct nw_pipeline *
nw_pipeline_new(struct event_base *base, const struct nw_conf *conf)
{
	struct nw_pipeline *pl;
	char *cause = NULL;
	size_t i, j;

	if ((pl = calloc(1, sizeof *pl)) == NULL)
		return NULL;
	pl->base = base;
	pl->conf = conf;
	pl->max_inflight = (size_t)conf->daemon.max_inflight;
	pl->limits = (struct nw_limits){
	    .state_dir = conf->daemon.state_dir,
	    .max_dispatch_size = conf->daemon.max_dispatch_size,
	    .max_inflight = conf->daemon.max_inflight,
	    .story_window_ms = conf->daemon.story_window_ms,
	    .story_flash_window_ms = conf->daemon.story_flash_window_ms,
	    .story_max = conf->daemon.story_max,
	};
	if (pl->max_inflight == 0)
		pl->max_inflight = 1;
	TAILQ_INIT(&pl->readyq);
	TAILQ_INIT(&pl->durq);
	TAILQ_INIT(&pl->all);
	if ((pl->workq = nw_workq_new((int)conf->daemon.workers, &cause)) ==
	    NULL)
		fatalx("%s", cause ? cause : "cannot start the workers");
	pl->limits.workq = pl->workq;
	pl->lane = nw_lane_new(pl->workq, base);
	pl->synclane = nw_lane_new(pl->workq, base);
	pl->sinks = calloc(conf->nsinks + 1, sizeof *pl->sinks);
	pl->sources = calloc(conf->nsources + 1, sizeof *pl->sources);
	pl->process_ev = event_new(base, -1, 0, process_cb, pl);
	pl->unblock_ev = event_new(base, -1, 0, unblock_cb, pl);
	pl->drain_ev = event_new(base, -1, 0, drain_cb, pl);
	pl->story_ev = event_new(base, -1, EV_PERSIST, story_tick, pl);
	pl->publish_repeats = conf->daemon.repeats != NULL &&
	    strcmp(conf->daemon.repeats, "publish") == 0;
	if (pl->story_ev == NULL || pl->sinks == NULL || pl->sources == NULL ||
	    pl->process_ev == NULL || pl->unblock_ev == NULL ||
	    pl->drain_ev == NULL)
		fatalx("out of memory");
	pl->nsinks = conf->nsinks;
	for (i = 0; i < conf->nsinks; i++) {
		struct pl_sink *sk = &pl->sinks[i];
		sk->sink.ops = conf->sinks[i].ops;
		sk->sink.name = conf->sinks[i].name;
		sk->sink.conf = conf->sinks[i].conf;
		sk->sink.pipeline = pl;
		sk->sink.host = &pl_sink_host;
		TAILQ_INIT(&sk->blocked);
		snprintf(sk->labels, sizeof sk->labels, "sink=\"%s\"",
		    sk->sink.name);
	}
	pl->nsources = conf->nsources;
	for (i = 0; i < conf->nsources; i++) {
		struct pl_source *ps = &pl->sources[i];
		const struct nw_conf_source *cs = &conf->sources[i];
		ps->src.ops = cs->ops;
		ps->src.name = cs->name;
		ps->src.conf = cs->conf;
		ps->src.pipeline = pl;
		ps->src.submit = pl_submit;
		ps->cs = cs;
		ps->nroutes = cs->nroutes;
		ps->routes = calloc(cs->nroutes + 1, sizeof *ps->routes);
		if (ps->routes == NULL)
			fatalx("out of memory");
		for (j = 0; j < cs->nroutes; j++)
			ps->routes[j] = &pl->sinks[cs->routes[j]];
		snprintf(ps->labels, sizeof ps->labels, "source=\"%s\"",
		    ps->src.name);
		sink_names(ps, ps->sinks, sizeof ps->sinks);
	}
	declare_metrics();
	nw_metrics_on_render(metrics_hook, pl);
	return pl;
}

int
nw_pipeline_start(struct nw_pipeline *pl, char **cause)
{
	size_t i;
	char *why = NULL;
	struct timeval tick = {STORY_MAINTAIN_S, 0};

	*cause = NULL;
	if ((pl->stories = nw_story_stage_open(
		 &pl->conf->daemon, nw_now_ms(), &why)) == NULL) {
		if (asprintf(cause, "stories: %s", why ? why : "cannot open") <
		    0)
			*cause = NULL;
		free(why);
		return -1;
	}
	evtimer_add(pl->story_ev, &tick);
	for (i = 0; i < pl->nsinks; i++) {
		struct pl_sink *sk = &pl->sinks[i];
		if (sk->sink.ops->start(
			&sk->sink, pl->base, &pl->limits, &why) != 0)
			goto fail_sink;
		sk->started = 1;
		nw_metric_add(NW_M_DELIVERED, sk->labels, 0);
	}
	for (i = 0; i < pl->nsources; i++) {
		struct pl_source *ps = &pl->sources[i];
		nw_metric_add(NW_M_RECEIVED, ps->labels, 0);
		nw_metric_add(NW_M_DONE, ps->labels, 0);
		if (ps->src.ops->start(&ps->src, pl->base, &pl->limits, &why) !=
		    0)
			goto fail_source;
		ps->started = 1;
		/* A source may have filled the pipeline while starting. */
		if (pl->sources_paused && ps->src.ops->pause != NULL)
			ps->src.ops->pause(&ps->src);
	}
	return 0;
fail_sink:
	if (asprintf(cause, "sink %s: %s", pl->sinks[i].sink.name,
		why ? why : "cannot start") < 0)
		*cause = NULL;
	free(why);
	return -1;
fail_source:
	if (asprintf(cause, "source %s: %s", pl->sources[i].src.name,
		why ? why : "cannot start") < 0)
		*cause = NULL;
	free(why);
	return -1;
}

void
nw_pipeline_drain(struct nw_pipeline *pl, void (*cb)(void *), void *arg)
{
	size_t i;

	pl->draining = 1;
	pl->drain_cb = cb;
	pl->drain_arg = arg;
	for (i = 0; i < pl->nsources; i++) {
		struct pl_source *ps = &pl->sources[i];
		if (ps->started && ps->src.ops->stop_intake != NULL)
			ps->src.ops->stop_intake(&ps->src);
	}
	if (pl->inflight == 0)
		event_active(pl->drain_ev, 0, 0);
}

size_t
nw_pipeline_flush(struct nw_pipeline *pl, int timeout_ms)
{
	size_t i, left = 0;
	int64_t t0 = nw_mono_ms();
	int rest;

	for (i = 0; i < pl->nsinks; i++) {
		struct pl_sink *sk = &pl->sinks[i];
		if (!sk->started || sk->sink.ops->flush == NULL)
			continue;
		rest = timeout_ms - (int)(nw_mono_ms() - t0);
		left += sk->sink.ops->flush(&sk->sink, rest > 0 ? rest : 0);
	}
	return left;
}

void
nw_pipeline_reopen(struct nw_pipeline *pl)
{
	size_t i;

	for (i = 0; i < pl->nsinks; i++) {
		struct pl_sink *sk = &pl->sinks[i];
		if (sk->started && sk->sink.ops->reopen != NULL)
			sk->sink.ops->reopen(&sk->sink);
	}
}

void
nw_pipeline_stats(struct nw_pipeline *pl, struct nw_pipeline_stats *st)
{
	*st = pl->st;
	st->inflight = pl->inflight;
	st->parsing = nw_lane_pending(pl->lane);
}

void
nw_pipeline_free(struct nw_pipeline *pl)
{
	struct pl_disp *pd;
	size_t i;

	if (pl == NULL)
		return;
	nw_metrics_off_render(metrics_hook, pl);
	/* Workers first: what they still parse is dropped like the rest. */
	pl->freeing = 1;
	nw_lane_free(pl->lane);
	nw_lane_free(pl->synclane);
	/* Sinks next: once stopped they confirm nothing more, so the
	 * dispatches below can go without anyone pointing at them. */
	for (i = 0; i < pl->nsinks; i++) {
		struct pl_sink *sk = &pl->sinks[i];
		if (sk->started && sk->sink.ops->stop != NULL)
			sk->sink.ops->stop(&sk->sink);
	}
	while ((pd = TAILQ_FIRST(&pl->all)) != NULL) {
		struct nw_dispatch *d = pd->d;
		disp_free(pl, pd);
		nw_event_free(d->event);
		nw_dispatch_free(d);
	}
	for (i = 0; i < pl->nsources; i++) {
		struct pl_source *ps = &pl->sources[i];
		if (ps->started && ps->src.ops->stop != NULL)
			ps->src.ops->stop(&ps->src);
		free(ps->routes);
	}
	nw_workq_free(pl->workq); /* after the sources, which may use it */
	event_free(pl->process_ev);
	event_free(pl->unblock_ev);
	event_free(pl->drain_ev);
	event_free(pl->story_ev);
	nw_story_stage_close(pl->stories);
	free(pl->sinks);
	free(pl->sources);
	free(pl);
}
