/* The push source (type = push): partners POST dispatches to
 * /v1/dispatches. A request is answered only when the dispatch's fate is
 * settled: 202 with the event id once every sink confirmed it, 422 when it
 * can't be parsed, 503 with Retry-After when a sink failed for now or the
 * pipeline is full. Bearer tokens come from a file and are compared in
 * constant time. TLS belongs to a reverse proxy in front. */
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/queue.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <jansson.h>

#include "httpd.h"
#include "metrics.h"
#include "newswire/log.h"
#include "newswire/source.h"
#include "push_body.h"

struct push_conf {
	char *address;
	char *tokens; /* the tokens file's contents */
	size_t max_body;
	size_t max_headers;
	long max_connections;
	int64_t request_timeout_ms;
	int64_t answer_timeout_ms;
	int64_t retry_after_ms;
};

static const struct nw_key push_keys[] = {
    {.name = "address",
	.type = NW_KEY_STRING,
	.def = "127.0.0.1:8701",
	.offset = offsetof(struct push_conf, address),
	.desc = "address:port to listen on (put TLS in a reverse proxy)"},
    {.name = "tokens",
	.type = NW_KEY_SECRET,
	.offset = offsetof(struct push_conf, tokens),
	.desc = "file of bearer tokens, one a line (several for rotation)",
	.flags = NW_KEY_REQUIRED},
    {.name = "max_body",
	.type = NW_KEY_SIZE,
	.def = "512k",
	.offset = offsetof(struct push_conf, max_body),
	.desc = "largest request body accepted (413 above)"},
    {.name = "max_headers",
	.type = NW_KEY_SIZE,
	.def = "16k",
	.offset = offsetof(struct push_conf, max_headers),
	.desc = "largest request header block accepted"},
    {.name = "max_connections",
	.type = NW_KEY_INT,
	.def = "512",
	.offset = offsetof(struct push_conf, max_connections),
	.desc = "open connections at most; accepting pauses at the limit"},
    {.name = "request_timeout",
	.type = NW_KEY_DURATION,
	.def = "10s",
	.offset = offsetof(struct push_conf, request_timeout_ms),
	.desc = "a request must arrive whole within this, else the "
		"connection is closed (slow senders)"},
    {.name = "answer_timeout",
	.type = NW_KEY_DURATION,
	.def = "30s",
	.offset = offsetof(struct push_conf, answer_timeout_ms),
	.desc = "answer 503 if the sinks have not confirmed by then"},
    {.name = "retry_after",
	.type = NW_KEY_DURATION,
	.def = "5s",
	.offset = offsetof(struct push_conf, retry_after_ms),
	.desc = "Retry-After sent with 503"},
    {.name = NULL},
};

struct token {
	char *s;
	size_t len;
};

struct pending;

struct push {
	struct nw_source *src;
	struct push_conf *conf;
	struct event_base *base;
	struct nw_httpd *httpd;
	struct token *tokens;
	size_t ntokens;
	int paused, stopping;
	char labels[200];
	char retry_after[24];
	LIST_HEAD(, pending) pending;
};

/* A request waiting for its dispatch's fate. req is NULL once the client
 * went away (or was answered on timeout): the ack then just frees. */
struct pending {
	struct push *p;
	struct evhttp_request *req;
	struct event *timer;
	LIST_ENTRY(pending) entry;
};

#define M_RESPONSES "newswired_push_responses_total"
#define M_CONNS     "newswired_http_connections"
#define M_CUT       "newswired_http_cut_off_total"
#define M_ACCEPTED  "newswired_http_connections_accepted_total"
#define M_PAUSED    "newswired_http_accept_paused_total"

/* Before /metrics renders: the server's connection figures. */
static void
render_cb(void *arg)
{
	struct push *p = arg;
	struct nw_httpd_stats st;

	nw_httpd_get_stats(p->httpd, &st);
	nw_metric_set(M_CONNS, p->labels, st.open);
	nw_metric_set(M_CUT, p->labels, (double)st.cut_off);
	nw_metric_set(M_ACCEPTED, p->labels, (double)st.accepted);
	nw_metric_set(M_PAUSED, p->labels, (double)st.paused);
}

static void
count_response(struct push *p, int code)
{
	char l[240];

	snprintf(l, sizeof l, "%s,code=\"%d\"", p->labels, code);
	nw_metric_add(M_RESPONSES, l, 1);
}

static void
reply_error(struct push *p, struct evhttp_request *req, int status,
    const char *code, const char *msg)
{
	count_response(p, status);
	log_info("push source=%s status=%d reason=%s message=\"%s\"",
	    p->src->name, status, code, msg);
	if (status == 401)
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "WWW-Authenticate", "Bearer realm=\"newswired\"");
	if (status == 503)
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Retry-After", p->retry_after);
	nw_httpd_error(p->httpd, req, status, code, msg);
}

/* Constant time in the token's contents: every stored token is compared
 * over the presented token's length, whatever matches. */
static int
token_ok(const struct push *p, const char *given)
{
	size_t glen = strlen(given), i, k;
	unsigned diff, ok = 0;

	for (k = 0; k < p->ntokens; k++) {
		diff = glen != p->tokens[k].len;
		for (i = 0; i < glen; i++)
			diff |= (unsigned char)given[i] ^
			    (unsigned char)(i < p->tokens[k].len
				    ? p->tokens[k].s[i]
				    : 0);
		ok |= diff == 0;
	}
	return ok != 0;
}

static int
authorised(const struct push *p, struct evhttp_request *req)
{
	const char *h = evhttp_find_header(
	    evhttp_request_get_input_headers(req), "Authorization");

	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0)
		return 0;
	h += 7;
	while (*h == ' ')
		h++;
	return *h != '\0' && token_ok(p, h);
}

static void
pending_free(struct pending *pd)
{
	LIST_REMOVE(pd, entry);
	event_free(pd->timer);
	free(pd);
}

static void
client_gone(void *arg)
{
	struct pending *pd = arg;

	pd->req = NULL;
	evtimer_del(pd->timer);
}

static void
answer_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct pending *pd = arg;
	struct push *p = pd->p;

	if (pd->req == NULL)
		return;
	nw_httpd_hold(p->httpd, pd->req, NULL, NULL);
	reply_error(p, pd->req, 503, "timeout",
	    "the sinks have not confirmed the dispatch yet; retry");
	pd->req = NULL;
}

static void
handle(struct nw_httpd *h, struct evhttp_request *req, void *arg)
{
	struct push *p = arg;
	const char *path =
	    evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	struct nw_push_body body;
	struct nw_dispatch *d;
	struct pending *pd;
	struct timeval tv;
	size_t len;
	char *cause = NULL, *data;
	int status;

	if (path == NULL || strcmp(path, "/v1/dispatches") != 0) {
		reply_error(p, req, 404, "not_found", "POST /v1/dispatches");
		return;
	}
	if (evhttp_request_get_command(req) != EVHTTP_REQ_POST) {
		evhttp_add_header(
		    evhttp_request_get_output_headers(req), "Allow", "POST");
		reply_error(p, req, 405, "method_not_allowed", "use POST");
		return;
	}
	if (!authorised(p, req)) {
		reply_error(p, req, 401, "unauthorized",
		    "missing or unknown bearer token");
		return;
	}
	if (p->paused || p->stopping) {
		reply_error(p, req, 503, "busy",
		    p->stopping ? "shutting down" : "the pipeline is full");
		return;
	}
	len = evbuffer_get_length(in);
	if (len > p->conf->max_body) {
		reply_error(p, req, 413, "too_large", "request body too large");
		return;
	}
	if ((data = (char *)evbuffer_pullup(in, -1)) == NULL && len > 0) {
		reply_error(p, req, 503, "internal", "out of memory");
		return;
	}
	status = nw_push_body_parse(
	    evhttp_find_header(
		evhttp_request_get_input_headers(req), "Content-Type"),
	    data != NULL ? data : "", len, &body, &cause);
	if (status != 0) {
		reply_error(p, req, status,
		    status == 415       ? "unsupported_media_type"
			: status == 422 ? "no_text"
					: "bad_request",
		    cause != NULL ? cause : "bad request");
		free(cause);
		return;
	}
	if ((d = nw_dispatch_new(p->src, body.text, body.len, body.url)) ==
	    NULL) {
		nw_push_body_clear(&body);
		reply_error(p, req, 503, "internal", "out of memory");
		return;
	}
	body.text = NULL; /* the dispatch owns it now */
	if (body.received_at_ms != 0)
		d->received_at_ms = body.received_at_ms;
	d->published_at_ms = body.published_at_ms;
	d->charset = body.charset; /* a static name: see push_body.c */
	nw_push_body_clear(&body);

	if ((pd = calloc(1, sizeof *pd)) == NULL ||
	    (pd->timer = evtimer_new(p->base, answer_timeout, pd)) == NULL)
		fatalx("out of memory");
	pd->p = p;
	pd->req = req;
	LIST_INSERT_HEAD(&p->pending, pd, entry);
	tv.tv_sec = (time_t)(p->conf->answer_timeout_ms / 1000);
	tv.tv_usec = (suseconds_t)(p->conf->answer_timeout_ms % 1000) * 1000;
	evtimer_add(pd->timer, &tv);
	nw_httpd_hold(h, req, client_gone, pd);
	d->cookie = pd;
	nw_source_submit(p->src, d);
}

static void
push_ack(struct nw_source *src, struct nw_dispatch *d, enum nw_outcome out)
{
	struct push *p = src->priv;
	struct pending *pd = d->cookie;
	json_t *o;
	char *s;

	if (pd->req != NULL) {
		nw_httpd_hold(p->httpd, pd->req, NULL, NULL);
		switch (out) {
		case NW_OUTCOME_DONE:
			o = json_pack(
			    "{s:s, s:s}", "id", d->id, "status", "published");
			s = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
			count_response(p, 202);
			nw_httpd_reply(p->httpd, pd->req, 202,
			    "application/json", s != NULL ? s : "{}", NULL,
			    NULL);
			free(s);
			json_decref(o);
			break;
		case NW_OUTCOME_FAILED:
			reply_error(p, pd->req, 422,
			    d->reason_code != NULL ? d->reason_code : "failed",
			    d->error != NULL ? d->error
					     : "the dispatch was not accepted");
			break;
		case NW_OUTCOME_RETRY:
			reply_error(p, pd->req, 503, "sink_unavailable",
			    d->error != NULL ? d->error
					     : "a sink failed for now; retry");
			break;
		}
	}
	pending_free(pd);
	nw_dispatch_free(d);
}

static int
load_tokens(struct push *p, const char *text, char **cause)
{
	const char *s = text, *e, *nl;
	struct token *nv;

	while (s != NULL && *s != '\0') {
		nl = strchr(s, '\n');
		e = nl != NULL ? nl : s + strlen(s);
		while (s < e && isspace((unsigned char)*s))
			s++;
		while (e > s && isspace((unsigned char)e[-1]))
			e--;
		if (e > s && *s != '#') {
			if ((nv = realloc(p->tokens,
				 (p->ntokens + 1) * sizeof *nv)) == NULL)
				fatal("realloc");
			p->tokens = nv;
			nv[p->ntokens].s = strndup(s, (size_t)(e - s));
			nv[p->ntokens].len = (size_t)(e - s);
			if (nv[p->ntokens].s == NULL)
				fatal("strndup");
			p->ntokens++;
		}
		s = nl != NULL ? nl + 1 : NULL;
	}
	if (p->ntokens == 0) {
		*cause = strdup("the tokens file holds no token");
		return -1;
	}
	return 0;
}

static int
push_check(void *conf, char **cause)
{
	struct push_conf *c = conf;

	if (c->max_connections < 1 || c->max_connections > 100000) {
		*cause = strdup("max_connections must be within 1..100000");
		return -1;
	}
	if (c->max_body < 1 || c->request_timeout_ms < 1 ||
	    c->answer_timeout_ms < 1) {
		*cause = strdup("max_body and timeouts must be positive");
		return -1;
	}
	return 0;
}

static void
push_free(struct push *p)
{
	size_t i;

	for (i = 0; i < p->ntokens; i++) {
		explicit_bzero(p->tokens[i].s, p->tokens[i].len);
		free(p->tokens[i].s);
	}
	free(p->tokens);
	free(p);
}

static int
push_start(struct nw_source *src, struct event_base *base,
    const struct nw_limits *limits, char **cause)
{
	struct push *p;
	struct nw_httpd_limits lim;
	char *why = NULL;

	if ((p = calloc(1, sizeof *p)) == NULL)
		fatal("calloc");
	p->src = src;
	p->conf = src->conf;
	p->base = base;
	LIST_INIT(&p->pending);
	snprintf(p->labels, sizeof p->labels, "source=\"%s\"", src->name);
	snprintf(p->retry_after, sizeof p->retry_after, "%lld",
	    (long long)((p->conf->retry_after_ms + 999) / 1000));
	if (load_tokens(p, p->conf->tokens, cause) == -1) {
		push_free(p);
		return -1;
	}
	memset(&lim, 0, sizeof lim);
	/* evhttp's own hard cap sits above ours so that most oversized
	 * bodies get our JSON 413; only far larger ones get evhttp's. */
	lim.max_body = p->conf->max_body * 2 + 65536;
	lim.max_headers = p->conf->max_headers;
	lim.max_connections = (int)p->conf->max_connections;
	lim.request_ms = p->conf->request_timeout_ms;
	p->httpd = nw_httpd_new(base, p->conf->address, &lim, handle, p, &why);
	if (p->httpd == NULL) {
		if (asprintf(cause, "push: %s", why) == -1)
			*cause = NULL;
		free(why);
		push_free(p);
		return -1;
	}
	nw_metric_declare(M_RESPONSES, NW_COUNTER,
	    "HTTP responses of the push endpoint, by status code");
	nw_metric_declare(M_CONNS, NW_GAUGE, "Open push connections");
	nw_metric_declare(M_CUT, NW_COUNTER,
	    "Push connections closed for not sending a whole request in "
	    "request_timeout");
	nw_metric_declare(M_ACCEPTED, NW_COUNTER, "Push connections accepted");
	nw_metric_declare(
	    M_PAUSED, NW_COUNTER, "Times accepting paused at max_connections");
	nw_metrics_on_render(render_cb, p);
	src->priv = p;
	log_info("push source=%s listening address=%s tokens=%zu", src->name,
	    nw_httpd_address(p->httpd), p->ntokens);
	return 0;
}

static void
push_pause(struct nw_source *src)
{
	((struct push *)src->priv)->paused = 1;
}

static void
push_resume(struct nw_source *src)
{
	((struct push *)src->priv)->paused = 0;
}

static void
push_stop_intake(struct nw_source *src)
{
	struct push *p = src->priv;

	p->stopping = 1;
	nw_httpd_stop_accepting(p->httpd);
}

static void
push_stop(struct nw_source *src)
{
	struct push *p = src->priv;
	struct pending *pd;

	if (p == NULL)
		return;
	/* The pipeline acks what it can before it stops a source; what is
	 * left (shutdown timed out) is abandoned with its requests. */
	while ((pd = LIST_FIRST(&p->pending)) != NULL)
		pending_free(pd);
	nw_metrics_off_render(render_cb, p);
	nw_httpd_free(p->httpd);
	push_free(p);
	src->priv = NULL;
}

const struct nw_source_ops nw_source_push = {
    .type = "push",
    .keys = push_keys,
    .conf_size = sizeof(struct push_conf),
    .check = push_check,
    .start = push_start,
    .pause = push_pause,
    .resume = push_resume,
    .stop_intake = push_stop_intake,
    .ack = push_ack,
    .stop = push_stop,
};
