/* HTTP fetching for the feed source: libcurl's multi-socket interface
 * driven by the libevent loop (no blocking call, no thread per feed).
 * Conditional GET, compression, redirects, timeouts, a stall cut-off and a
 * size limit on the decoded body; each failure comes back with a reason. */
#ifndef NW_FEED_HTTP_H
#define NW_FEED_HTTP_H

#include <stddef.h>
#include <stdint.h>

struct event_base;
struct nw_fetcher;
struct nw_fetch;

struct nw_fetch_req {
	const char *url;
	const char *etag;          /* If-None-Match, or NULL */
	const char *last_modified; /* If-Modified-Since, or NULL */
	size_t max_size;           /* of the decoded body */
	int64_t timeout_ms;        /* the whole transfer */
	int64_t stall_ms;          /* less than 1 byte/s for this long: cut */
	long max_redirects;
};

struct nw_fetch_result {
	const char *url;
	long status;        /* HTTP status, 0 when no response */
	const char *reason; /* NULL: a 2xx or 304; else a failure code:
			       timeout, stalled, too_large, truncated, connect,
			       dns, tls, redirects, encoding, network, http_NNN */
	const char *error;  /* message for people, "" when none */
	const char *body;   /* NUL-terminated */
	size_t len;
	const char *content_type; /* or NULL */
	const char *charset;      /* from content_type, or NULL */
	const char *etag;         /* or NULL */
	const char *last_modified;
	double seconds;
};

typedef void (*nw_fetch_cb)(const struct nw_fetch_result *, void *arg);

struct nw_fetcher *nw_fetcher_new(struct event_base *, const char *user_agent);
/* Free the fetcher; transfers still running are cancelled silently. */
void nw_fetcher_free(struct nw_fetcher *);
/* Start a GET; cb is called once, from the event loop, never from within
 * nw_fetch_start. Returns NULL on out of memory. */
struct nw_fetch *nw_fetch_start(
    struct nw_fetcher *, const struct nw_fetch_req *, nw_fetch_cb, void *arg);
/* Cancel a transfer: its callback is not called. */
void nw_fetch_cancel(struct nw_fetch *);
size_t nw_fetcher_running(const struct nw_fetcher *);

#endif
