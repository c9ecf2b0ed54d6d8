/* libcurl multi-socket glue for libevent: curl tells us which sockets to
 * watch (CURLMOPT_SOCKETFUNCTION) and when to wake it (TIMERFUNCTION); we
 * turn those into libevent events and hand readiness back with
 * curl_multi_socket_action. Finished transfers are collected with
 * curl_multi_info_read and reported to their callbacks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/queue.h>

#include <curl/curl.h>
#include <event2/event.h>

#include "feed_http.h"
#include "newswire/log.h"

struct nw_fetcher {
	struct event_base *base;
	CURLM *multi;
	struct event *timer;
	char *user_agent;
	int running;
	LIST_HEAD(, nw_fetch) fetches;
};

struct nw_fetch {
	struct nw_fetcher *f;
	CURL *easy;
	struct curl_slist *headers;
	nw_fetch_cb cb;
	void *arg;
	char *url;
	char *body;
	size_t len, cap, max;
	int too_large;
	char *etag, *last_modified;
	char errbuf[CURL_ERROR_SIZE];
	LIST_ENTRY(nw_fetch) entry;
};

static void check_done(struct nw_fetcher *);

static void
sock_event_cb(evutil_socket_t fd, short kind, void *arg)
{
	struct nw_fetcher *f = arg;
	int action = (kind & EV_READ ? CURL_CSELECT_IN : 0) |
	    (kind & EV_WRITE ? CURL_CSELECT_OUT : 0);

	curl_multi_socket_action(f->multi, fd, action, &f->running);
	check_done(f);
	if (f->running <= 0)
		evtimer_del(f->timer);
}

static void
timer_event_cb(evutil_socket_t fd, short kind, void *arg)
{
	struct nw_fetcher *f = arg;

	curl_multi_socket_action(f->multi, CURL_SOCKET_TIMEOUT, 0, &f->running);
	check_done(f);
}

static int
socket_cb(CURL *e, curl_socket_t s, int what, void *userp, void *socketp)
{
	struct nw_fetcher *f = userp;
	struct event *ev = socketp;
	short kind;

	if (what == CURL_POLL_REMOVE) {
		if (ev != NULL)
			event_free(ev);
		curl_multi_assign(f->multi, s, NULL);
		return 0;
	}
	kind = (short)((what & CURL_POLL_IN ? EV_READ : 0) |
	    (what & CURL_POLL_OUT ? EV_WRITE : 0) | EV_PERSIST);
	if (ev != NULL) {
		event_del(ev);
		event_assign(ev, f->base, s, kind, sock_event_cb, f);
	} else {
		if ((ev = event_new(f->base, s, kind, sock_event_cb, f)) ==
		    NULL)
			return -1;
		curl_multi_assign(f->multi, s, ev);
	}
	event_add(ev, NULL);
	return 0;
}

static int
timer_cb(CURLM *multi, long timeout_ms, void *userp)
{
	struct nw_fetcher *f = userp;
	struct timeval tv;

	if (timeout_ms < 0) {
		evtimer_del(f->timer);
		return 0;
	}
	tv.tv_sec = timeout_ms / 1000;
	tv.tv_usec = (timeout_ms % 1000) * 1000;
	evtimer_add(f->timer, &tv);
	return 0;
}

static size_t
write_cb(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct nw_fetch *x = arg;
	size_t n = size * nmemb, ncap;
	char *nb;

	if (x->len + n > x->max) {
		x->too_large = 1;
		return 0; /* aborts the transfer with CURLE_WRITE_ERROR */
	}
	if (x->len + n + 1 > x->cap) {
		ncap = x->cap ? x->cap : 16384;
		while (ncap < x->len + n + 1)
			ncap *= 2;
		if ((nb = realloc(x->body, ncap)) == NULL)
			return 0;
		x->body = nb;
		x->cap = ncap;
	}
	memcpy(x->body + x->len, ptr, n);
	x->len += n;
	x->body[x->len] = '\0';
	return n;
}

static void
take_header(char **dst, const char *v, size_t n)
{
	while (n > 0 && (*v == ' ' || *v == '\t')) {
		v++;
		n--;
	}
	while (
	    n > 0 && (v[n - 1] == '\r' || v[n - 1] == '\n' || v[n - 1] == ' '))
		n--;
	free(*dst);
	*dst = n > 0 ? strndup(v, n) : NULL;
}

static size_t
header_cb(char *buf, size_t size, size_t nitems, void *arg)
{
	struct nw_fetch *x = arg;
	size_t n = size * nitems;

	/* A new response (after a redirect): forget the last one's. */
	if (n >= 5 && strncmp(buf, "HTTP/", 5) == 0) {
		free(x->etag);
		free(x->last_modified);
		x->etag = x->last_modified = NULL;
	} else if (n > 5 && strncasecmp(buf, "ETag:", 5) == 0)
		take_header(&x->etag, buf + 5, n - 5);
	else if (n > 14 && strncasecmp(buf, "Last-Modified:", 14) == 0)
		take_header(&x->last_modified, buf + 14, n - 14);
	return n;
}

static void
fetch_free(struct nw_fetch *x)
{
	LIST_REMOVE(x, entry);
	curl_multi_remove_handle(x->f->multi, x->easy);
	curl_easy_cleanup(x->easy);
	curl_slist_free_all(x->headers);
	free(x->url);
	free(x->body);
	free(x->etag);
	free(x->last_modified);
	free(x);
}

static const char *
reason_of(CURLcode rc, const struct nw_fetch *x)
{
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		return "timeout";
	case CURLE_FILESIZE_EXCEEDED:
		return "too_large";
	case CURLE_WRITE_ERROR:
		return x->too_large ? "too_large" : "internal";
	case CURLE_PARTIAL_FILE:
		return "truncated";
	case CURLE_COULDNT_CONNECT:
		return "connect";
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		return "dns";
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
		return "tls";
	case CURLE_TOO_MANY_REDIRECTS:
		return "redirects";
	case CURLE_BAD_CONTENT_ENCODING:
		return "encoding";
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT:
		return "bad_url";
	default:
		return "network";
	}
}

/* "application/rss+xml; charset=windows-1251" -> "windows-1251" */
static void
charset_of(const char *ct, char *out, size_t len)
{
	const char *p;
	size_t n;

	out[0] = '\0';
	if (ct == NULL || (p = strcasestr(ct, "charset=")) == NULL)
		return;
	p += 8;
	if (*p == '"')
		p++;
	n = strcspn(p, "\"; \t");
	if (n > 0 && n < len) {
		memcpy(out, p, n);
		out[n] = '\0';
	}
}

static void
report(struct nw_fetch *x, CURLcode rc)
{
	struct nw_fetch_result r;
	char *ct = NULL, cs[48], err[CURL_ERROR_SIZE + 64], reason[32];
	curl_off_t us = 0;

	memset(&r, 0, sizeof r);
	r.url = x->url;
	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &r.status);
	curl_easy_getinfo(x->easy, CURLINFO_CONTENT_TYPE, &ct);
	curl_easy_getinfo(x->easy, CURLINFO_TOTAL_TIME_T, &us);
	r.seconds = (double)us / 1e6;
	r.content_type = ct;
	charset_of(ct, cs, sizeof cs);
	r.charset = cs[0] != '\0' ? cs : NULL;
	r.etag = x->etag;
	r.last_modified = x->last_modified;
	r.body = x->body != NULL ? x->body : "";
	r.len = x->len;
	r.error = "";
	if (rc != CURLE_OK) {
		r.reason = reason_of(rc, x);
		if (x->too_large || rc == CURLE_FILESIZE_EXCEEDED)
			snprintf(err, sizeof err,
			    "response larger than %zu bytes", x->max);
		else
			snprintf(err, sizeof err, "%s",
			    x->errbuf[0] != '\0' ? x->errbuf
						 : curl_easy_strerror(rc));
		/* The low-speed cut-off reports itself as a timeout. */
		if (rc == CURLE_OPERATION_TIMEDOUT &&
		    strstr(err, "slower than") != NULL)
			r.reason = "stalled";
		r.error = err;
	} else if (r.status >= 300 && r.status != 304) {
		snprintf(reason, sizeof reason, "http_%ld", r.status);
		r.reason = reason;
		snprintf(err, sizeof err, "HTTP status %ld", r.status);
		r.error = err;
	}
	x->cb(&r, x->arg);
}

static void
check_done(struct nw_fetcher *f)
{
	CURLMsg *m;
	int left;
	struct nw_fetch *x;

	while ((m = curl_multi_info_read(f->multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE)
			continue;
		x = NULL;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &x);
		if (x == NULL)
			continue;
		report(x, m->data.result);
		fetch_free(x);
	}
}

struct nw_fetcher *
nw_fetcher_new(struct event_base *base, const char *user_agent)
{
	struct nw_fetcher *f;

	if ((f = calloc(1, sizeof *f)) == NULL)
		return NULL;
	f->base = base;
	LIST_INIT(&f->fetches);
	f->multi = curl_multi_init();
	f->timer = evtimer_new(base, timer_event_cb, f);
	f->user_agent = strdup(user_agent);
	if (f->multi == NULL || f->timer == NULL || f->user_agent == NULL) {
		nw_fetcher_free(f);
		return NULL;
	}
	curl_multi_setopt(f->multi, CURLMOPT_SOCKETFUNCTION, socket_cb);
	curl_multi_setopt(f->multi, CURLMOPT_SOCKETDATA, f);
	curl_multi_setopt(f->multi, CURLMOPT_TIMERFUNCTION, timer_cb);
	curl_multi_setopt(f->multi, CURLMOPT_TIMERDATA, f);
	curl_multi_setopt(f->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 4L);
	return f;
}

void
nw_fetcher_free(struct nw_fetcher *f)
{
	struct nw_fetch *x;

	if (f == NULL)
		return;
	while ((x = LIST_FIRST(&f->fetches)) != NULL)
		fetch_free(x);
	if (f->multi != NULL)
		curl_multi_cleanup(f->multi);
	if (f->timer != NULL)
		event_free(f->timer);
	free(f->user_agent);
	free(f);
}

struct nw_fetch *
nw_fetch_start(struct nw_fetcher *f, const struct nw_fetch_req *rq,
    nw_fetch_cb cb, void *arg)
{
	struct nw_fetch *x;
	char *h = NULL;
	CURL *e;
	long stall_s;

	if ((x = calloc(1, sizeof *x)) == NULL)
		return NULL;
	if ((x->easy = e = curl_easy_init()) == NULL ||
	    (x->url = strdup(rq->url)) == NULL) {
		curl_easy_cleanup(x->easy);
		free(x);
		return NULL;
	}
	x->f = f;
	x->cb = cb;
	x->arg = arg;
	x->max = rq->max_size > 0 ? rq->max_size : 10 * 1024 * 1024;
	LIST_INSERT_HEAD(&f->fetches, x, entry);

	if (rq->etag != NULL &&
	    asprintf(&h, "If-None-Match: %s", rq->etag) != -1) {
		x->headers = curl_slist_append(x->headers, h);
		free(h);
	}
	if (rq->last_modified != NULL &&
	    asprintf(&h, "If-Modified-Since: %s", rq->last_modified) != -1) {
		x->headers = curl_slist_append(x->headers, h);
		free(h);
	}
	stall_s =
	    (long)((rq->stall_ms > 0 ? rq->stall_ms : 15000) + 999) / 1000;
	curl_easy_setopt(e, CURLOPT_URL, x->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(e, CURLOPT_MAXREDIRS, rq->max_redirects);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_USERAGENT, f->user_agent);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS,
	    (long)(rq->timeout_ms > 0 ? rq->timeout_ms : 30000));
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, stall_s);
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)x->max);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, header_cb);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
	if (x->headers != NULL)
		curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->headers);
	/* Adding a handle makes curl call timer_cb; the transfer starts from
	 * the event loop, so cb never runs inside this call. */
	if (curl_multi_add_handle(f->multi, e) != CURLM_OK) {
		fetch_free(x);
		return NULL;
	}
	return x;
}

void
nw_fetch_cancel(struct nw_fetch *x)
{
	if (x != NULL)
		fetch_free(x);
}

size_t
nw_fetcher_running(const struct nw_fetcher *f)
{
	const struct nw_fetch *x;
	size_t n = 0;

	LIST_FOREACH(x, &f->fetches, entry)
	n++;
	return n;
}
