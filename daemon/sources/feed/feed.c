/* The feed source (type = feed): polls an RSS 2.0 or Atom feed, and turns
 * each new item into a dispatch, from the item's full-text element or from
 * its article page. An item is remembered (feed_seen.c) only once the
 * pipeline settled it (done or failed), so a restart neither republishes a
 * confirmed item nor skips an unconfirmed one. */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <time.h>

#include <event2/event.h>

#include "feed_extract.h"
#include "feed_http.h"
#include "feed_seen.h"
#include "hash.h"
#include "metrics.h"
#include "newswire/log.h"
#include "newswire/source.h"
#include "newswire/version.h"
#include "nwtime.h"

struct feed_conf {
	char *url;
	int64_t interval_ms;
	int64_t jitter_ms;
	int64_t timeout_ms;
	int64_t stall_ms;
	size_t max_size;
	long max_redirects;
	int fetch_articles;
	long article_fetches;
	int64_t idle_warning_ms;
	int64_t backoff_max_ms;
	long seen_max;
	int64_t seen_ttl_ms;
};

static const struct nw_key feed_keys[] = {
    {.name = "url",
	.type = NW_KEY_STRING,
	.offset = offsetof(struct feed_conf, url),
	.desc = "the RSS 2.0 or Atom feed (http or https)",
	.flags = NW_KEY_REQUIRED},
    {.name = "interval",
	.type = NW_KEY_DURATION,
	.def = "2m",
	.offset = offsetof(struct feed_conf, interval_ms),
	.desc = "time between polls"},
    {.name = "jitter",
	.type = NW_KEY_DURATION,
	.def = "10s",
	.offset = offsetof(struct feed_conf, jitter_ms),
	.desc = "random +/- added to each interval (at most half of it)"},
    {.name = "timeout",
	.type = NW_KEY_DURATION,
	.def = "30s",
	.offset = offsetof(struct feed_conf, timeout_ms),
	.desc = "a whole fetch, feed or article page"},
    {.name = "stall_timeout",
	.type = NW_KEY_DURATION,
	.def = "15s",
	.offset = offsetof(struct feed_conf, stall_ms),
	.desc = "cut a transfer that receives nothing for this long"},
    {.name = "max_size",
	.type = NW_KEY_SIZE,
	.def = "4M",
	.offset = offsetof(struct feed_conf, max_size),
	.desc = "largest feed or page accepted, after decompression"},
    {.name = "max_redirects",
	.type = NW_KEY_INT,
	.def = "5",
	.offset = offsetof(struct feed_conf, max_redirects),
	.desc = "redirects followed per fetch"},
    {.name = "fetch_articles",
	.type = NW_KEY_BOOL,
	.def = "yes",
	.offset = offsetof(struct feed_conf, fetch_articles),
	.desc = "fetch the item's page when the feed carries no full text"},
    {.name = "article_fetches",
	.type = NW_KEY_INT,
	.def = "4",
	.offset = offsetof(struct feed_conf, article_fetches),
	.desc = "article pages fetched at once"},
    {.name = "idle_warning",
	.type = NW_KEY_DURATION,
	.def = "0",
	.offset = offsetof(struct feed_conf, idle_warning_ms),
	.desc = "warn when no new item came for this long (0: never)"},
    {.name = "backoff_max",
	.type = NW_KEY_DURATION,
	.def = "30m",
	.offset = offsetof(struct feed_conf, backoff_max_ms),
	.desc = "longest wait between polls after repeated failures"},
    {.name = "seen_max",
	.type = NW_KEY_INT,
	.def = "10000",
	.offset = offsetof(struct feed_conf, seen_max),
	.desc = "item ids remembered at most (oldest forgotten first)"},
    {.name = "seen_ttl",
	.type = NW_KEY_DURATION,
	.def = "30d",
	.offset = offsetof(struct feed_conf, seen_ttl_ms),
	.desc = "forget an item id not listed for this long"},
    {.name = NULL},
};

enum item_state { ITEM_FETCHING, ITEM_SUBMITTED };

struct feed;

/* An item between discovery and its ack. */
struct fitem {
	struct feed *f;
	enum item_state state;
	char *key;     /* guid, id or link */
	char *version; /* what it looked like: see item_version() */
	char *link, *title, *summary;
	int64_t published_ms;
	struct nw_fetch *fetch;
	int queued; /* waiting for an article fetch slot */
	LIST_ENTRY(fitem) entry;
	TAILQ_ENTRY(fitem) q;
};

struct feed {
	struct nw_source *src;
	struct feed_conf *conf;
	struct event_base *base;
	struct nw_fetcher *fetcher;
	struct nw_seen *seen;
	struct event *timer;
	struct nw_fetch *poll;
	char *etag, *last_modified;
	int failures;
	int paused, poll_due, stopping;
	int64_t last_new_ms;
	int stale;
	long fetching;
	LIST_HEAD(, fitem) items;
	TAILQ_HEAD(, fitem) queue;
	char labels[200];
};

#define M_POLLS    "newswired_feed_polls_total"
#define M_FETCHERR "newswired_feed_fetch_failures_total"
#define M_NEW      "newswired_feed_items_new_total"
#define M_STALE    "newswired_feed_stale"
#define M_LASTNEW  "newswired_feed_last_new_item_timestamp_seconds"
#define M_SEEN     "newswired_feed_seen_items"

static void article_next(struct feed *);

static void
metric(const char *name, struct feed *f, const char *lname, const char *lvalue,
    double v, int set)
{
	char l[300];

	if (lname != NULL)
		snprintf(l, sizeof l, "%s,%s=\"%s\"", f->labels, lname, lvalue);
	else
		snprintf(l, sizeof l, "%s", f->labels);
	if (set)
		nw_metric_set(name, l, v);
	else
		nw_metric_add(name, l, v);
}

static void
schedule(struct feed *f, int64_t ms)
{
	struct timeval tv;

	if (f->stopping)
		return;
	if (ms < 0)
		ms = 0;
	tv.tv_sec = (time_t)(ms / 1000);
	tv.tv_usec = (suseconds_t)(ms % 1000) * 1000;
	evtimer_add(f->timer, &tv);
}

/* The next poll: the interval with jitter, or an exponential back-off
 * after failures, capped. */
static void
schedule_next(struct feed *f)
{
	int64_t ms = f->conf->interval_ms, j = f->conf->jitter_ms;
	int i;

	for (i = 0; i < f->failures && ms < f->conf->backoff_max_ms; i++)
		ms *= 2;
	if (f->failures > 0 && ms > f->conf->backoff_max_ms)
		ms = f->conf->backoff_max_ms;
	if (j > ms / 2)
		j = ms / 2;
	if (j > 0)
		ms += (int64_t)(random() % (2 * j + 1)) - j;
	schedule(f, ms);
}

static void
check_stale(struct feed *f)
{
	int64_t idle = nw_now_ms() - f->last_new_ms;

	if (f->conf->idle_warning_ms <= 0)
		return;
	if (idle > f->conf->idle_warning_ms && !f->stale) {
		f->stale = 1;
		log_warnx("feed source=%s stale: no new item for %lld s "
			  "(idle_warning %lld s) url=%s",
		    f->src->name, (long long)(idle / 1000),
		    (long long)(f->conf->idle_warning_ms / 1000), f->conf->url);
		metric(M_STALE, f, NULL, NULL, 1, 1);
	} else if (idle <= f->conf->idle_warning_ms && f->stale) {
		f->stale = 0;
		log_info("feed source=%s no longer stale", f->src->name);
		metric(M_STALE, f, NULL, NULL, 0, 1);
	}
}

/* An item went back to unsettled: the next poll must fetch the whole feed
 * again, since a 304 would hide it. */
static void
forget_validators(struct feed *f)
{
	free(f->etag);
	free(f->last_modified);
	f->etag = f->last_modified = NULL;
}

static void
item_free(struct fitem *it)
{
	LIST_REMOVE(it, entry);
	if (it->queued)
		TAILQ_REMOVE(&it->f->queue, it, q);
	if (it->fetch != NULL) {
		nw_fetch_cancel(it->fetch);
		it->f->fetching--;
	}
	free(it->key);
	free(it->version);
	free(it->link);
	free(it->title);
	free(it->summary);
	free(it);
}

static struct fitem *
item_find(struct feed *f, const char *key)
{
	struct fitem *it;

	LIST_FOREACH(it, &f->items, entry)
	if (strcmp(it->key, key) == 0)
		return it;
	return NULL;
}

static void
submit(struct fitem *it, char *text, size_t len)
{
	struct feed *f = it->f;
	struct nw_dispatch *d;

	d = nw_dispatch_new(
	    f->src, text, len, it->link != NULL ? it->link : f->conf->url);
	if (d == NULL)
		fatalx("out of memory");
	d->published_at_ms = it->published_ms;
	/* libxml2 decoded the feed and pages: a source charset must not
	 * apply again. */
	d->charset = "utf-8";
	d->cookie = it;
	/* The guid names the story whatever the item's version. */
	if ((d->item_id = strdup(it->key)) == NULL)
		fatal("strdup");
	it->state = ITEM_SUBMITTED;
	nw_source_submit(f->src, d);
}

/* No full text and no usable page: the title and summary are what the feed
 * says about the item, and still make a dispatch. */
static void
submit_summary(struct fitem *it)
{
	struct nw_article art;
	char *text;
	size_t len = 0;

	memset(&art, 0, sizeof art);
	if (it->summary != NULL)
		nw_article_body_from_fragment(
		    it->summary, strlen(it->summary), NW_FULLTEXT_HTML, &art);
	if (art.body.n == 0 && it->title != NULL)
		nw_strv_push(&art.body, it->title);
	art.headline = it->title != NULL ? strdup(it->title) : NULL;
	text = art.body.n > 0 ? nw_article_text(&art, &len) : NULL;
	nw_article_clear(&art);
	/* Not even a title: the parser rejects it as empty, and the item
	 * is settled as failed. */
	if (text == NULL && (text = strdup("")) == NULL)
		fatal("strdup");
	submit(it, text, len);
}

static void
article_done(const struct nw_fetch_result *r, void *arg)
{
	struct fitem *it = arg;
	struct feed *f = it->f;
	struct nw_article art;
	char *cause = NULL, *text;
	size_t len;

	it->fetch = NULL;
	f->fetching--;
	if (r->reason != NULL) {
		log_warnx("feed source=%s article fetch failed reason=%s "
			  "url=%s error=\"%s\"",
		    f->src->name, r->reason, r->url, r->error);
		metric(M_FETCHERR, f, "reason", r->reason, 1, 0);
		/* A page that is gone for good won't come back: publish what
		 * the feed says. Anything else: try again next poll. */
		if (r->status == 404 || r->status == 410)
			submit_summary(it);
		else {
			forget_validators(f);
			item_free(it);
		}
		article_next(f);
		return;
	}
	if (nw_article_from_html(r->body, r->len, r->charset, &art, &cause) ==
	    -1) {
		log_warnx("feed source=%s no article in page url=%s "
			  "error=\"%s\"; using the feed's summary",
		    f->src->name, r->url, cause != NULL ? cause : "");
		free(cause);
		submit_summary(it);
		article_next(f);
		return;
	}
	if (art.headline == NULL && it->title != NULL)
		art.headline = strdup(it->title);
	if (it->published_ms == 0)
		it->published_ms = art.published_ms;
	text = nw_article_text(&art, &len);
	nw_article_clear(&art);
	if (text == NULL)
		fatalx("out of memory");
	submit(it, text, len);
	article_next(f);
}

static void
article_next(struct feed *f)
{
	struct fitem *it;
	struct nw_fetch_req rq;

	while (!f->stopping && f->fetching < f->conf->article_fetches &&
	    (it = TAILQ_FIRST(&f->queue)) != NULL) {
		TAILQ_REMOVE(&f->queue, it, q);
		it->queued = 0;
		memset(&rq, 0, sizeof rq);
		rq.url = it->link;
		rq.max_size = f->conf->max_size;
		rq.timeout_ms = f->conf->timeout_ms;
		rq.stall_ms = f->conf->stall_ms;
		rq.max_redirects = f->conf->max_redirects;
		if ((it->fetch = nw_fetch_start(
			 f->fetcher, &rq, article_done, it)) == NULL) {
			item_free(it);
			continue;
		}
		f->fetching++;
	}
}

/* An item's version: a hash of its <updated> time and of what the feed
 * says of it, so an item updated or rewritten in place under the same guid
 * is fetched again. */
static void
item_version(const struct nw_feed_item *fi, char *buf, size_t size)
{
	char upd[32];
	uint64_t h;

	snprintf(upd, sizeof upd, "%" PRId64, fi->updated_ms);
	/* Each field hashed alone, then mixed: "ab"+"c" is not "a"+"bc". */
	h = nw_hash_str(upd);
	h = h * 31 ^ nw_hash_str(fi->title != NULL ? fi->title : "");
	h = h * 31 ^ nw_hash_str(fi->summary != NULL ? fi->summary : "");
	h = h * 31 ^ nw_hash_str(fi->fulltext != NULL ? fi->fulltext : "");
	snprintf(buf, size, "%016" PRIx64, h);
}

/* Whether the item at this version was confirmed before. A guid recorded
 * before items had versions counts as seen whatever it looks like now. */
static int
item_seen(struct feed *f, const struct nw_feed_item *fi, const char *version)
{
	const char *was;

	if (!nw_seen_get(f->seen, fi->key, &was))
		return 0;
	return was == NULL || strcmp(was, version) == 0;
}

static void
take_items(struct feed *f, struct nw_feed *feed)
{
	struct nw_feed_item *fi;
	struct fitem *it;
	size_t i, nnew = 0;
	char *text, version[17];
	size_t len;
	int64_t now = nw_now_ms();

	/* Feeds list the newest first: publish in the order they came. */
	for (i = feed->nitems; i-- > 0;) {
		fi = &feed->items[i];
		item_version(fi, version, sizeof version);
		if (item_seen(f, fi, version)) {
			/* Still listed: keep it from expiring (and give an
			 * entry from before versions its version). */
			if (nw_seen_put(f->seen, fi->key, version, now) == -1)
				log_warn(
				    "feed source=%s seen store", f->src->name);
			continue;
		}
		/* In flight from an earlier poll; a newer version of it is
		 * taken at the next poll after this one is settled. */
		if (item_find(f, fi->key) != NULL)
			continue;
		if ((it = calloc(1, sizeof *it)) == NULL)
			fatal("calloc");
		it->f = f;
		it->key = strdup(fi->key);
		it->version = strdup(version);
		it->link = fi->link != NULL ? strdup(fi->link) : NULL;
		it->title = fi->title != NULL ? strdup(fi->title) : NULL;
		it->summary = fi->summary != NULL ? strdup(fi->summary) : NULL;
		it->published_ms = fi->published_ms;
		if (it->key == NULL || it->version == NULL)
			fatal("strdup");
		LIST_INSERT_HEAD(&f->items, it, entry);
		nnew++;
		if ((text = nw_feed_item_text(fi, &len)) != NULL)
			submit(it, text, len);
		else if (it->link != NULL && f->conf->fetch_articles) {
			it->state = ITEM_FETCHING;
			it->queued = 1;
			TAILQ_INSERT_TAIL(&f->queue, it, q);
		} else
			submit_summary(it);
	}
	if (nnew > 0) {
		f->last_new_ms = now;
		metric(M_NEW, f, NULL, NULL, (double)nnew, 0);
		/* Whole seconds: the renderer keeps those exact. */
		metric(M_LASTNEW, f, NULL, NULL, (double)(now / 1000), 1);
		log_info("feed source=%s new=%zu items=%zu url=%s",
		    f->src->name, nnew, feed->nitems, f->conf->url);
	}
	metric(M_SEEN, f, NULL, NULL, (double)nw_seen_count(f->seen), 1);
	article_next(f);
}

static void
replace(char **dst, const char *s)
{
	free(*dst);
	*dst = s != NULL ? strdup(s) : NULL;
}

static void
poll_failed(struct feed *f, const char *reason, const char *error)
{
	f->failures++;
	log_warnx("feed source=%s poll failed reason=%s url=%s error=\"%s\" "
		  "failures=%d",
	    f->src->name, reason, f->conf->url, error, f->failures);
	metric(M_POLLS, f, "result", "failed", 1, 0);
	metric(M_FETCHERR, f, "reason", reason, 1, 0);
}

static void
poll_done(const struct nw_fetch_result *r, void *arg)
{
	struct feed *f = arg;
	struct nw_feed feed;
	char *cause = NULL, code[32];
	size_t n;

	f->poll = NULL;
	if (r->reason != NULL)
		poll_failed(f, r->reason, r->error);
	else if (r->status == 304) {
		f->failures = 0;
		metric(M_POLLS, f, "result", "not_modified", 1, 0);
		log_debug("feed source=%s not modified", f->src->name);
	} else if (nw_feed_parse(r->body, r->len, r->charset, &feed, &cause) ==
	    -1) {
		/* The cause starts with its code: "malformed_xml: ...". */
		n = cause != NULL ? strcspn(cause, ":") : 0;
		snprintf(code, sizeof code, "%.*s", (int)n, cause ? cause : "");
		poll_failed(f, n > 0 ? code : "malformed_xml",
		    cause != NULL ? cause : "");
		free(cause);
	} else {
		f->failures = 0;
		/* Validators only from a response we could use. */
		replace(&f->etag, r->etag);
		replace(&f->last_modified, r->last_modified);
		metric(M_POLLS, f, "result", "ok", 1, 0);
		take_items(f, &feed);
		nw_feed_clear(&feed);
	}
	check_stale(f);
	schedule_next(f);
}

static void
poll_now(struct feed *f)
{
	struct nw_fetch_req rq;

	f->poll_due = 0;
	memset(&rq, 0, sizeof rq);
	rq.url = f->conf->url;
	rq.etag = f->etag;
	rq.last_modified = f->last_modified;
	rq.max_size = f->conf->max_size;
	rq.timeout_ms = f->conf->timeout_ms;
	rq.stall_ms = f->conf->stall_ms;
	rq.max_redirects = f->conf->max_redirects;
	if ((f->poll = nw_fetch_start(f->fetcher, &rq, poll_done, f)) == NULL) {
		poll_failed(f, "internal", "cannot start a transfer");
		schedule_next(f);
	}
}

static void
timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct feed *f = arg;

	if (f->stopping || f->poll != NULL)
		return;
	if (f->paused) {
		f->poll_due = 1; /* resume polls at once */
		return;
	}
	poll_now(f);
}

static int
feed_check(void *conf, char **cause)
{
	struct feed_conf *c = conf;

	if (c->url == NULL ||
	    (strncmp(c->url, "http://", 7) != 0 &&
		strncmp(c->url, "https://", 8) != 0)) {
		*cause = strdup("url must be an http:// or https:// URL");
		return -1;
	}
	if (c->interval_ms < 100 || c->timeout_ms < 100 || c->max_size < 1 ||
	    c->article_fetches < 1 || c->seen_max < 1 || c->max_redirects < 0) {
		*cause = strdup("interval, timeout, max_size, "
				"article_fetches and seen_max must be "
				"positive");
		return -1;
	}
	if (c->backoff_max_ms < c->interval_ms)
		c->backoff_max_ms = c->interval_ms;
	return 0;
}

static void
declare(void)
{
	nw_metric_declare(M_POLLS, NW_COUNTER,
	    "Feed polls by result (ok, not_modified, failed)");
	nw_metric_declare(M_FETCHERR, NW_COUNTER,
	    "Failed feed and article fetches by reason");
	nw_metric_declare(M_NEW, NW_COUNTER, "New feed items found");
	nw_metric_declare(M_STALE, NW_GAUGE,
	    "1 when the feed produced nothing new for longer than "
	    "idle_warning");
	nw_metric_declare(M_LASTNEW, NW_GAUGE,
	    "When the feed last produced a new item (Unix time)");
	nw_metric_declare(
	    M_SEEN, NW_GAUGE, "Item ids remembered in the seen store");
}

static int
feed_start(struct nw_source *src, struct event_base *base,
    const struct nw_limits *limits, char **cause)
{
	struct feed *f;
	const char *dir = limits->state_dir;
	char *path = NULL, *why = NULL;
	int64_t first;

	if ((f = calloc(1, sizeof *f)) == NULL)
		fatal("calloc");
	f->src = src;
	f->conf = src->conf;
	f->base = base;
	LIST_INIT(&f->items);
	TAILQ_INIT(&f->queue);
	snprintf(f->labels, sizeof f->labels, "source=\"%s\"", src->name);
	if (asprintf(&path, "%s/feed-%s.seen", dir != NULL ? dir : ".",
		src->name) == -1)
		fatal("asprintf");
	f->seen = nw_seen_open(path, (size_t)f->conf->seen_max,
	    f->conf->seen_ttl_ms, nw_now_ms(), &why);
	free(path);
	if (f->seen == NULL) {
		if (asprintf(cause, "feed: seen store %s", why) == -1)
			*cause = NULL;
		free(why);
		free(f);
		return -1;
	}
	f->fetcher = nw_fetcher_new(base, "newswired/" NW_VERSION);
	f->timer = evtimer_new(base, timer_cb, f);
	if (f->fetcher == NULL || f->timer == NULL)
		fatalx("feed: out of memory");
	f->last_new_ms = nw_now_ms();
	declare();
	metric(M_STALE, f, NULL, NULL, 0, 1);
	metric(M_SEEN, f, NULL, NULL, (double)nw_seen_count(f->seen), 1);
	src->priv = f;
	log_info("feed source=%s url=%s interval=%llds seen=%zu", src->name,
	    f->conf->url, (long long)(f->conf->interval_ms / 1000),
	    nw_seen_count(f->seen));
	/* Spread the first polls of many feeds over the jitter. */
	first = f->conf->jitter_ms > 0
	    ? (int64_t)(random() % (f->conf->jitter_ms + 1))
	    : 0;
	schedule(f, first);
	return 0;
}

static void
feed_pause(struct nw_source *src)
{
	((struct feed *)src->priv)->paused = 1;
}

static void
feed_resume(struct nw_source *src)
{
	struct feed *f = src->priv;

	f->paused = 0;
	if (f->poll_due && f->poll == NULL && !f->stopping)
		poll_now(f);
}

static void
feed_stop_intake(struct nw_source *src)
{
	struct feed *f = src->priv;
	struct fitem *it, *next;

	f->stopping = 1;
	evtimer_del(f->timer);
	if (f->poll != NULL) {
		nw_fetch_cancel(f->poll);
		f->poll = NULL;
	}
	/* Items not yet handed over are simply found again next time. */
	for (it = LIST_FIRST(&f->items); it != NULL; it = next) {
		next = LIST_NEXT(it, entry);
		if (it->state == ITEM_FETCHING)
			item_free(it);
	}
}

static void
feed_ack(struct nw_source *src, struct nw_dispatch *d, enum nw_outcome out)
{
	struct feed *f = src->priv;
	struct fitem *it = d->cookie;

	if (out == NW_OUTCOME_DONE || out == NW_OUTCOME_FAILED) {
		if (nw_seen_put(f->seen, it->key, it->version, nw_now_ms()) ==
		    -1)
			log_warn("feed source=%s cannot remember item %s; it "
				 "may be published again after a restart",
			    src->name, it->key);
		metric(
		    M_SEEN, f, NULL, NULL, (double)nw_seen_count(f->seen), 1);
	}
	/* RETRY: forgotten here, so the next (full) poll offers it again. */
	if (out == NW_OUTCOME_RETRY)
		forget_validators(f);
	item_free(it);
	nw_dispatch_free(d);
}

static void
feed_stop(struct nw_source *src)
{
	struct feed *f = src->priv;

	if (f == NULL)
		return;
	feed_stop_intake(src);
	while (!LIST_EMPTY(&f->items))
		item_free(LIST_FIRST(&f->items));
	nw_fetcher_free(f->fetcher);
	event_free(f->timer);
	nw_seen_close(f->seen);
	free(f->etag);
	free(f->last_modified);
	free(f);
	src->priv = NULL;
}

const struct nw_source_ops nw_source_feed = {
    .type = "feed",
    .keys = feed_keys,
    .conf_size = sizeof(struct feed_conf),
    .check = feed_check,
    .start = feed_start,
    .pause = feed_pause,
    .resume = feed_resume,
    .stop_intake = feed_stop_intake,
    .ack = feed_ack,
    .stop = feed_stop,
};
