/* The limited evhttp server. libevent 2.1 has no connection limit, so we
 * create each connection's bufferevent ourselves (evhttp_set_bevcb) to learn
 * of new connections, then find the connection evhttp built around it (the
 * bufferevent's callback argument) and set its close callback to learn of
 * its end. At the limit we disable the listener and let the kernel's backlog
 * hold newcomers until a connection closes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <sys/socket.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>
#include <event2/util.h>
#include <jansson.h>

#include "httpd.h"
#include "newswire/log.h"

struct conn {
	struct nw_httpd *h;
	struct bufferevent *bev;
	struct evhttp_connection *evcon; /* NULL until conn_setup ran */
	struct event *setup;
	struct event *deadline;
	void (*gone)(void *);
	void *gone_arg;
	LIST_ENTRY(conn) entry;
};

struct nw_httpd {
	struct event_base *base;
	struct evhttp *http;
	struct evconnlistener *listener;
	struct nw_httpd_limits lim;
	nw_httpd_cb cb;
	void *arg;
	char address[80];
	LIST_HEAD(, conn) conns;
	struct nw_httpd_stats st;
	int accept_paused, stopped;
};

static void
ms_to_tv(int64_t ms, struct timeval *tv)
{
	tv->tv_sec = (time_t)(ms / 1000);
	tv->tv_usec = (suseconds_t)((ms % 1000) * 1000);
}

static void
arm(struct conn *c)
{
	struct timeval tv;

	ms_to_tv(c->h->lim.request_ms, &tv);
	evtimer_add(c->deadline, &tv);
}

static void
conn_free(struct conn *c)
{
	LIST_REMOVE(c, entry);
	event_free(c->deadline);
	event_free(c->setup);
	free(c);
}

/* evhttp is freeing the connection: forget it, tell a waiting handler. */
static void
conn_closed(struct evhttp_connection *evcon, void *arg)
{
	struct conn *c = arg;
	struct nw_httpd *h = c->h;

	if (c->gone != NULL)
		c->gone(c->gone_arg);
	conn_free(c);
	h->st.open--;
	if (h->accept_paused && !h->stopped &&
	    h->st.open < h->lim.max_connections) {
		evconnlistener_enable(h->listener);
		h->accept_paused = 0;
	}
}

/* The request did not arrive in time: drop the connection. */
static void
deadline_cb(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c = arg;

	c->h->st.cut_off++;
	log_info("http address=%s cut off a connection: no complete request "
		 "within %lld ms",
	    c->h->address, (long long)c->h->lim.request_ms);
	if (c->evcon != NULL)
		evhttp_connection_free(c->evcon); /* calls conn_closed */
}

/* Runs once evhttp has built the connection around our bufferevent (in the
 * same loop iteration, before any I/O on it): evhttp passes the connection
 * as the bufferevent's callback argument. */
static void
conn_setup(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c = arg;
	void *cbarg = NULL;

	bufferevent_getcb(c->bev, NULL, NULL, NULL, &cbarg);
	if (cbarg == NULL) {
		/* evhttp gave up on it already (out of memory). */
		c->h->st.open--;
		conn_free(c);
		return;
	}
	c->evcon = cbarg;
	evhttp_connection_set_closecb(c->evcon, conn_closed, c);
	arm(c);
}

static struct bufferevent *
bev_cb(struct event_base *base, void *arg)
{
	struct nw_httpd *h = arg;
	struct conn *c;

	if ((c = calloc(1, sizeof *c)) == NULL)
		fatal("calloc");
	/* evhttp closes the socket itself: no BEV_OPT_CLOSE_ON_FREE. */
	c->bev = bufferevent_socket_new(base, -1, 0);
	c->deadline = evtimer_new(base, deadline_cb, c);
	c->setup = event_new(base, -1, 0, conn_setup, c);
	if (c->bev == NULL || c->deadline == NULL || c->setup == NULL)
		fatalx("http: out of memory");
	c->h = h;
	LIST_INSERT_HEAD(&h->conns, c, entry);
	event_active(c->setup, 0, 0);
	h->st.accepted++;
	if (++h->st.open >= h->lim.max_connections && !h->accept_paused) {
		evconnlistener_disable(h->listener);
		h->accept_paused = 1;
		h->st.paused++;
		log_warnx("http address=%s connection limit %d reached, "
			  "accepting paused",
		    h->address, h->lim.max_connections);
	}
	return c->bev;
}

static struct conn *
conn_of(struct nw_httpd *h, struct evhttp_request *req)
{
	struct evhttp_connection *evcon = evhttp_request_get_connection(req);
	struct conn *c;

	if (evcon == NULL)
		return NULL;
	LIST_FOREACH(c, &h->conns, entry)
	if (c->evcon == evcon)
		return c;
	return NULL;
}

static void
gen_cb(struct evhttp_request *req, void *arg)
{
	struct nw_httpd *h = arg;
	struct conn *c = conn_of(h, req);

	/* Whole request in: its deadline no longer applies. */
	if (c != NULL)
		evtimer_del(c->deadline);
	h->cb(h, req, h->arg);
}

struct nw_httpd *
nw_httpd_new(struct event_base *base, const char *address,
    const struct nw_httpd_limits *lim, nw_httpd_cb cb, void *arg, char **cause)
{
	struct nw_httpd *h;
	struct sockaddr_storage ss;
	int sslen = sizeof ss;
	struct timeval tv;
	char host[64];

	*cause = NULL;
	if ((h = calloc(1, sizeof *h)) == NULL)
		fatal("calloc");
	h->base = base;
	h->cb = cb;
	h->arg = arg;
	LIST_INIT(&h->conns);
	if (lim != NULL)
		h->lim = *lim;
	if (h->lim.max_body == 0)
		h->lim.max_body = 1024 * 1024;
	if (h->lim.max_headers == 0)
		h->lim.max_headers = 16 * 1024;
	if (h->lim.max_connections <= 0)
		h->lim.max_connections = 256;
	if (h->lim.request_ms <= 0)
		h->lim.request_ms = 10000;
	if (h->lim.idle_ms <= 0)
		h->lim.idle_ms = h->lim.request_ms;

	memset(&ss, 0, sizeof ss);
	if (evutil_parse_sockaddr_port(
		address, (struct sockaddr *)&ss, &sslen) == -1) {
		if (asprintf(cause, "%s: not an address:port", address) == -1)
			*cause = NULL;
		goto fail;
	}
	h->listener = evconnlistener_new_bind(base, NULL, NULL,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE | LEV_OPT_CLOSE_ON_EXEC,
	    1024, (struct sockaddr *)&ss, sslen);
	if (h->listener == NULL) {
		if (asprintf(cause, "%s: cannot listen: %s", address,
			evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR())) ==
		    -1)
			*cause = NULL;
		goto fail;
	}
	sslen = sizeof ss;
	if (getsockname(evconnlistener_get_fd(h->listener),
		(struct sockaddr *)&ss, (socklen_t *)&sslen) == 0) {
		if (ss.ss_family == AF_INET6) {
			evutil_inet_ntop(AF_INET6,
			    &((struct sockaddr_in6 *)&ss)->sin6_addr, host,
			    sizeof host);
			snprintf(h->address, sizeof h->address, "[%s]:%u", host,
			    ntohs(((struct sockaddr_in6 *)&ss)->sin6_port));
		} else {
			evutil_inet_ntop(AF_INET,
			    &((struct sockaddr_in *)&ss)->sin_addr, host,
			    sizeof host);
			snprintf(h->address, sizeof h->address, "%s:%u", host,
			    ntohs(((struct sockaddr_in *)&ss)->sin_port));
		}
	}
	if ((h->http = evhttp_new(base)) == NULL)
		fatalx("evhttp_new failed");
	evhttp_set_bevcb(h->http, bev_cb, h);
	evhttp_set_gencb(h->http, gen_cb, h);
	evhttp_set_max_body_size(h->http, (ev_ssize_t)h->lim.max_body);
	evhttp_set_max_headers_size(h->http, (ev_ssize_t)h->lim.max_headers);
	ms_to_tv(h->lim.idle_ms, &tv);
	evhttp_set_timeout_tv(h->http, &tv);
	/* Read the rest of an oversized body so the client sees our 413. */
	evhttp_set_flags(h->http, EVHTTP_SERVER_LINGERING_CLOSE);
	evhttp_set_allowed_methods(h->http,
	    EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD |
		EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE | EVHTTP_REQ_OPTIONS);
	/* evhttp owns the listener from here on (evhttp_free frees it);
	 * we keep the pointer to pause and resume accepting. */
	if (evhttp_bind_listener(h->http, h->listener) == NULL) {
		*cause = strdup("evhttp_bind_listener failed");
		goto fail;
	}
	return h;
fail:
	if (h->listener != NULL)
		evconnlistener_free(h->listener);
	if (h->http != NULL)
		evhttp_free(h->http);
	free(h);
	return NULL;
}

void
nw_httpd_free(struct nw_httpd *h)
{
	struct conn *c;

	if (h == NULL)
		return;
	/* evhttp_free frees each connection, calling conn_closed; nobody
	 * is to be told about held requests any more. */
	LIST_FOREACH(c, &h->conns, entry)
	c->gone = NULL;
	h->stopped = 1;
	evhttp_free(h->http);
	/* Connections evhttp had not finished setting up. */
	while ((c = LIST_FIRST(&h->conns)) != NULL)
		conn_free(c);
	free(h);
}

const char *
nw_httpd_address(const struct nw_httpd *h)
{
	return h->address;
}

void
nw_httpd_get_stats(const struct nw_httpd *h, struct nw_httpd_stats *st)
{
	*st = h->st;
}

void
nw_httpd_stop_accepting(struct nw_httpd *h)
{
	h->stopped = 1;
	if (h->listener != NULL)
		evconnlistener_disable(h->listener);
}

void
nw_httpd_hold(struct nw_httpd *h, struct evhttp_request *req,
    void (*gone)(void *), void *arg)
{
	struct conn *c = conn_of(h, req);

	if (c != NULL) {
		c->gone = gone;
		c->gone_arg = arg;
	}
}

void
nw_httpd_reply(struct nw_httpd *h, struct evhttp_request *req, int code,
    const char *content_type, const char *body, const char *hname,
    const char *hvalue)
{
	struct evkeyvalq *out = evhttp_request_get_output_headers(req);
	struct evbuffer *buf = evhttp_request_get_output_buffer(req);
	struct conn *c = conn_of(h, req);
	const char *reason;

	if (content_type != NULL)
		evhttp_add_header(out, "Content-Type", content_type);
	if (hname != NULL)
		evhttp_add_header(out, hname, hvalue);
	if (body != NULL)
		evbuffer_add(buf, body, strlen(body));
	if (c != NULL) {
		c->gone = NULL;
		arm(c);
	}
	switch (code) {
	case 200:
		reason = "OK";
		break;
	case 202:
		reason = "Accepted";
		break;
	case 400:
		reason = "Bad Request";
		break;
	case 401:
		reason = "Unauthorized";
		break;
	case 404:
		reason = "Not Found";
		break;
	case 405:
		reason = "Method Not Allowed";
		break;
	case 413:
		reason = "Payload Too Large";
		break;
	case 415:
		reason = "Unsupported Media Type";
		break;
	case 422:
		reason = "Unprocessable Content";
		break;
	case 503:
		reason = "Service Unavailable";
		break;
	default:
		reason = NULL;
		break;
	}
	evhttp_send_reply(req, code, reason, NULL);
}

void
nw_httpd_error(struct nw_httpd *h, struct evhttp_request *req, int status,
    const char *code, const char *message)
{
	json_t *o = json_pack("{s:s, s:s}", "error", code, "message", message);
	char *s = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;

	nw_httpd_reply(h, req, status, "application/json",
	    s != NULL ? s : "{\"error\":\"internal\"}", NULL, NULL);
	free(s);
	json_decref(o);
}
