/* The live page's event stream. The pipeline hands over each confirmed
 * event's JSON (already rendered for the sinks, so nothing is rendered
 * again); a ring keeps the last RING of them for a page that loads or
 * reconnects, and each watcher gets them as server-sent events. Watchers
 * are few (MAX_WATCHERS) and a watcher that does not read is dropped once
 * SLOW_BYTES wait for it, so a stalled browser costs bounded memory. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <jansson.h>

#include "daemon.h"
#include "httpd.h"
#include "metrics.h"
#include "newswire/log.h"
#include "newswire/parse.h"
#include "watch.h"
#include "watch_page.h"

#define RING         100
#define MAX_WATCHERS 8
#define SLOW_BYTES   (1024 * 1024)      /* behind by this much ... */
#define SLOW_MS      3000               /* ... for this long: dropped */
#define MAX_BEHIND   (16 * 1024 * 1024) /* behind by this much: dropped */
#define PING_S       10 /* a comment line keeps proxies and timeouts away */

#define M_WATCHERS "newswired_live_watchers"
#define M_DROPPED  "newswired_live_watchers_dropped_total"
#define M_REFUSED  "newswired_live_watchers_refused_total"

/* default-src 'none': nothing but what is named; no inline script or
 * style, no plugin, no frame, no form, no other origin. */
#define CSP                                                                    \
	"default-src 'none'; script-src 'self'; style-src 'self'; "            \
	"connect-src 'self'; img-src 'self'; base-uri 'none'; "                \
	"form-action 'none'; frame-ancestors 'none'"

struct watcher {
	TAILQ_ENTRY(watcher) entry;
	struct nw_httpd *h;
	struct evhttp_request *req;
	int64_t behind_since; /* ms, 0: keeping up */
};

static struct {
	int on;
	const struct nw_conf *conf;
	char *ring[RING];
	uint64_t seq;  /* events ever put in the ring; the next one's id */
	long long gen; /* ids are GEN-SEQ: a restart starts a new GEN */
	TAILQ_HEAD(, watcher) watchers;
	int nwatchers;
	struct event *ping;
} W = {.watchers = TAILQ_HEAD_INITIALIZER(W.watchers)};

static void
count_watchers(void)
{
	nw_metric_set(M_WATCHERS, "", W.nwatchers);
}

static void
forget(struct watcher *w)
{
	TAILQ_REMOVE(&W.watchers, w, entry);
	W.nwatchers--;
	free(w);
	count_watchers();
	if (W.nwatchers == 0 && W.ping != NULL)
		event_del(W.ping); /* nobody watching: no timer either */
}

/* The browser went away. evhttp has detached the unfinished reply from the
 * connection and leaves it to us: free it, or it leaks. */
static void
gone(void *arg)
{
	struct watcher *w = arg;
	struct evhttp_request *req = w->req;

	forget(w);
	if (evhttp_request_get_connection(req) == NULL)
		evhttp_request_free(req);
}

/* Stop streaming to w: a slow reader. What waits for it is thrown away at
 * once (that is the memory to get back), then the reply is ended the
 * ordinary way, with the connection to close after it and a short timeout
 * in case the reader never takes the last bytes either. */
static void
drop(struct watcher *w)
{
	struct evhttp_request *req = w->req;
	struct evhttp_connection *evcon = evhttp_request_get_connection(req);
	struct bufferevent *bev =
	    evcon ? evhttp_connection_get_bufferevent(evcon) : NULL;
	struct evbuffer *out = bev ? bufferevent_get_output(bev) : NULL;

	nw_httpd_hold(w->h, req, NULL, NULL);
	forget(w);
	if (out != NULL)
		evbuffer_drain(out, evbuffer_get_length(out));
	if (evcon != NULL)
		evhttp_connection_set_timeout(evcon, 2);
	evhttp_add_header(
	    evhttp_request_get_output_headers(req), "Connection", "close");
	evhttp_send_reply_end(req);
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Queue text for w; 0, or -1 when w was dropped as too slow. A burst of
 * events fills any watcher's buffer for a moment, so a watcher is dropped
 * when it stays SLOW_BYTES behind for SLOW_MS, or falls MAX_BEHIND behind
 * (the memory a watcher may cost). A dropped page reconnects and resumes
 * from the ring. */
static int
send_text(struct watcher *w, struct evbuffer *b)
{
	struct evhttp_connection *evcon = evhttp_request_get_connection(w->req);
	struct bufferevent *bev =
	    evcon ? evhttp_connection_get_bufferevent(evcon) : NULL;
	size_t behind =
	    bev != NULL ? evbuffer_get_length(bufferevent_get_output(bev)) : 0;
	int64_t now = now_ms();

	if (behind < SLOW_BYTES)
		w->behind_since = 0;
	else if (w->behind_since == 0)
		w->behind_since = now;
	if (behind >= MAX_BEHIND ||
	    (w->behind_since != 0 && now - w->behind_since >= SLOW_MS)) {
		log_info("live page: dropped a watcher that does not read "
			 "behind=%zu (%d left)",
		    behind, W.nwatchers - 1);
		nw_metric_add(M_DROPPED, "", 1);
		drop(w);
		return -1;
	}
	evhttp_send_reply_chunk(w->req, b);
	return 0;
}

static void
event_text(struct evbuffer *b, uint64_t seq)
{
	evbuffer_add_printf(
	    b, "id: %lld-%" PRIu64 "\nevent: dispatch\ndata: ", W.gen, seq);
	evbuffer_add(b, W.ring[seq % RING], strlen(W.ring[seq % RING]));
	evbuffer_add(b, "\n\n", 2);
}

void
nw_watch_confirmed(char **json)
{
	struct watcher *w, *next;
	struct evbuffer *b;
	uint64_t seq;

	if (!W.on || *json == NULL)
		return;
	seq = W.seq++;
	free(W.ring[seq % RING]);
	W.ring[seq % RING] = *json;
	*json = NULL;
	if (W.nwatchers == 0)
		return;
	if ((b = evbuffer_new()) == NULL)
		return;
	for (w = TAILQ_FIRST(&W.watchers); w != NULL; w = next) {
		next = TAILQ_NEXT(w, entry);
		event_text(b, seq);
		send_text(w, b);
		evbuffer_drain(b, evbuffer_get_length(b));
	}
	evbuffer_free(b);
}

static void
ping_cb(evutil_socket_t fd, short what, void *arg)
{
	struct watcher *w, *next;
	struct evbuffer *b = evbuffer_new();

	for (w = TAILQ_FIRST(&W.watchers); w != NULL && b != NULL; w = next) {
		next = TAILQ_NEXT(w, entry);
		evbuffer_add(b, ": ping\n\n", 8);
		send_text(w, b);
		evbuffer_drain(b, evbuffer_get_length(b));
	}
	if (b != NULL)
		evbuffer_free(b);
}

/* "GEN-SEQ" of the last event the browser has: the first one to send. */
static uint64_t
resume_from(const char *last)
{
	long long gen;
	uint64_t seq, oldest = W.seq > RING ? W.seq - RING : 0;
	int n = 0;

	if (last == NULL ||
	    sscanf(last, "%lld-%" SCNu64 "%n", &gen, &seq, &n) != 2 ||
	    last[n] != '\0' || gen != W.gen || seq >= W.seq)
		return oldest;
	return seq + 1 > oldest ? seq + 1 : oldest;
}

static void
stream(struct nw_httpd *h, struct evhttp_request *req)
{
	struct evkeyvalq *out = evhttp_request_get_output_headers(req);
	struct evhttp_connection *evcon = evhttp_request_get_connection(req);
	struct watcher *w;
	struct evbuffer *b;
	uint64_t seq;

	if (W.nwatchers >= MAX_WATCHERS) {
		nw_metric_add(M_REFUSED, "", 1);
		evhttp_add_header(out, "Retry-After", "10");
		nw_httpd_error(h, req, 503, "too_many_watchers",
		    "the live page has as many watchers as it takes");
		return;
	}
	if ((w = calloc(1, sizeof *w)) == NULL ||
	    (b = evbuffer_new()) == NULL) {
		free(w);
		nw_httpd_error(h, req, 503, "internal", "out of memory");
		return;
	}
	w->h = h;
	w->req = req;
	TAILQ_INSERT_TAIL(&W.watchers, w, entry);
	W.nwatchers++;
	count_watchers();
	if (W.nwatchers == 1 && W.ping != NULL) {
		struct timeval tv = {PING_S, 0};
		event_add(W.ping, &tv);
	}
	nw_httpd_hold(h, req, gone, w);
	/* A stream is quiet for long stretches: evhttp's idle timeout of
	 * the endpoint would end it, the pings come well before an hour. */
	if (evcon != NULL)
		evhttp_connection_set_timeout(evcon, 3600);
	evhttp_add_header(
	    out, "Content-Type", "text/event-stream; charset=utf-8");
	evhttp_add_header(out, "Cache-Control", "no-store");
	evhttp_add_header(out, "X-Content-Type-Options", "nosniff");
	evhttp_send_reply_start(req, 200, "OK");
	evbuffer_add_printf(b, "retry: 2000\n\n");
	seq = resume_from(evhttp_find_header(
	    evhttp_request_get_input_headers(req), "Last-Event-ID"));
	for (; seq < W.seq; seq++)
		event_text(b, seq);
	send_text(w, b);
	evbuffer_free(b);
}

/* Counts by reason for one source or sink, as {"reason": n}. */
static json_t *
by_reason(const char *metric, const char *labels, const char *const *reasons)
{
	json_t *o = json_object();
	char l[400];
	double v;

	for (; *reasons != NULL; reasons++) {
		snprintf(l, sizeof l, "%s,reason=\"%s\"", labels, *reasons);
		if ((v = nw_metric_get(metric, l)) > 0)
			json_object_set_new(
			    o, *reasons, json_integer((json_int_t)v));
	}
	return o;
}

/* Per-source health and per-sink queues, from the metrics registry. */
static char *
status_json(void)
{
	static const char *sink_reasons[] = {"retry", "permanent", NULL};
	const char *reasons[NW_REASON_MAX + 1];
	const struct nw_conf *c = W.conf;
	json_t *root, *srcs, *sinks, *o;
	char l[300], esc[200], *s;
	size_t i;
	int r, n = 0;
	double v;

	/* The render refreshes the gauges (queue depths, in flight). */
	free(nw_metrics_render_prometheus());
	for (r = NW_OK + 1; r < NW_REASON_MAX; r++)
		reasons[n++] = nw_reason_code((enum nw_reason)r);
	reasons[n++] = "rejected";
	reasons[n] = NULL;
	root = json_object();
	srcs = json_array();
	sinks = json_array();
	for (i = 0; c != NULL && i < c->nsources; i++) {
		snprintf(l, sizeof l, "source=\"%s\"",
		    nw_metric_label(esc, sizeof esc, c->sources[i].name));
		o = json_pack("{s:s, s:s, s:I, s:I, s:I}", "name",
		    c->sources[i].name, "type", c->sources[i].ops->type,
		    "received", (json_int_t)nw_metric_get(NW_M_RECEIVED, l),
		    "done", (json_int_t)nw_metric_get(NW_M_DONE, l), "retried",
		    (json_int_t)nw_metric_get(NW_M_RETRIED, l));
		v = nw_metric_get(NW_M_LAST_SUCCESS, l);
		json_object_set_new(
		    o, "last_success", v > 0 ? json_real(v) : json_null());
		if (strcmp(c->sources[i].ops->type, "feed") == 0)
			json_object_set_new(o, "stale",
			    json_boolean(
				nw_metric_get("newswired_feed_stale", l) > 0));
		json_object_set_new(
		    o, "failed", by_reason(NW_M_FAILED, l, reasons));
		json_array_append_new(srcs, o);
	}
	for (i = 0; c != NULL && i < c->nsinks; i++) {
		snprintf(l, sizeof l, "sink=\"%s\"",
		    nw_metric_label(esc, sizeof esc, c->sinks[i].name));
		o = json_pack("{s:s, s:s, s:I, s:I, s:I}", "name",
		    c->sinks[i].name, "type", c->sinks[i].type, "queue_depth",
		    (json_int_t)nw_metric_get(NW_M_QUEUE, l), "capacity",
		    (json_int_t)c->daemon.max_inflight, "delivered",
		    (json_int_t)nw_metric_get(NW_M_DELIVERED, l));
		json_object_set_new(
		    o, "failed", by_reason(NW_M_SINK_FAILED, l, sink_reasons));
		json_array_append_new(sinks, o);
	}
	json_object_set_new(root, "now", json_real((double)time(NULL)));
	json_object_set_new(root, "inflight",
	    json_integer((json_int_t)nw_metric_get(NW_M_INFLIGHT, "")));
	json_object_set_new(root, "watchers", json_integer(W.nwatchers));
	json_object_set_new(root, "sources", srcs);
	json_object_set_new(root, "sinks", sinks);
	s = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	return s;
}

static void
static_file(struct nw_httpd *h, struct evhttp_request *req, const char *type,
    const char *body)
{
	struct evkeyvalq *out = evhttp_request_get_output_headers(req);

	evhttp_add_header(out, "Content-Security-Policy", CSP);
	evhttp_add_header(out, "X-Content-Type-Options", "nosniff");
	evhttp_add_header(out, "Referrer-Policy", "no-referrer");
	nw_httpd_reply(h, req, 200, type, body, "Cache-Control", "no-cache");
}

int
nw_watch_route(struct nw_httpd *h, struct evhttp_request *req, const char *path)
{
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	char *s;

	if (strcmp(path, "/") != 0 && strcmp(path, "/live.js") != 0 &&
	    strcmp(path, "/live.css") != 0 && strcmp(path, "/status") != 0 &&
	    strcmp(path, "/events/stream") != 0)
		return 0;
	if (cmd != EVHTTP_REQ_GET && cmd != EVHTTP_REQ_HEAD) {
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Allow", "GET, HEAD");
		nw_httpd_error(h, req, 405, "method_not_allowed", "use GET");
		return 1;
	}
	if (strcmp(path, "/") == 0)
		static_file(h, req, "text/html; charset=utf-8", nw_watch_html);
	else if (strcmp(path, "/live.js") == 0)
		static_file(
		    h, req, "text/javascript; charset=utf-8", nw_watch_js);
	else if (strcmp(path, "/live.css") == 0)
		static_file(h, req, "text/css; charset=utf-8", nw_watch_css);
	else if (strcmp(path, "/status") == 0) {
		if ((s = status_json()) == NULL)
			nw_httpd_error(
			    h, req, 503, "internal", "out of memory");
		else
			nw_httpd_reply(h, req, 200, "application/json", s,
			    "Cache-Control", "no-store");
		free(s);
	} else
		stream(h, req);
	return 1;
}

void
nw_watch_start(const struct nw_conf *conf)
{
	struct timespec ts;

	W.conf = conf;
	if (W.on)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	W.gen = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	W.seq = 0;
	W.on = 1;
	nw_metric_declare(M_WATCHERS, NW_GAUGE,
	    "Browsers following the live page's event stream.");
	nw_metric_declare(M_DROPPED, NW_COUNTER,
	    "Live page watchers dropped for not reading their stream.");
	nw_metric_declare(M_REFUSED, NW_COUNTER,
	    "Live page watchers refused: as many as the page takes.");
	nw_metric_add(M_DROPPED, "", 0);
	nw_metric_add(M_REFUSED, "", 0);
	count_watchers();
	if (nw_daemon_base() != NULL)
		W.ping =
		    event_new(nw_daemon_base(), -1, EV_PERSIST, ping_cb, NULL);
}

void
nw_watch_stop(void)
{
	struct watcher *w;
	size_t i;

	/* End each reply the ordinary way before the endpoint frees the
	 * connections (a browser reconnects and resumes). */
	while ((w = TAILQ_FIRST(&W.watchers)) != NULL) {
		struct evhttp_request *req = w->req;
		nw_httpd_hold(w->h, req, NULL, NULL);
		forget(w);
		evhttp_send_reply_end(req);
	}
	if (W.ping != NULL)
		event_free(W.ping);
	W.ping = NULL;
	for (i = 0; i < RING; i++) {
		free(W.ring[i]);
		W.ring[i] = NULL;
	}
	W.on = 0;
	W.conf = NULL;
}
