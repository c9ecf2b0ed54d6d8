/* A small HTTP server on libevent's evhttp with the limits a daemon facing
 * untrusted clients needs: body and header size, connection count (accept
 * pauses at the limit), and a deadline for each request to arrive whole,
 * which cuts off slow senders that an idle timeout alone lets through.
 * Used by the push source and the admin endpoint. */
#ifndef NW_HTTPD_H
#define NW_HTTPD_H

#include <stddef.h>
#include <stdint.h>

struct event_base;
struct evhttp_request;
struct nw_httpd;

struct nw_httpd_limits {
	size_t max_body;     /* 0: 1 MiB */
	size_t max_headers;  /* 0: 16 KiB */
	int max_connections; /* 0: 256 */
	int64_t request_ms;  /* 0: 10 s; a request must arrive within */
	int64_t idle_ms;     /* 0: request_ms; evhttp's read/write idle */
};

struct nw_httpd_stats {
	uint64_t accepted;
	uint64_t cut_off; /* requests that did not arrive in time */
	uint64_t paused;  /* times accept paused at the connection limit */
	int open;
};

typedef void (*nw_httpd_cb)(
    struct nw_httpd *, struct evhttp_request *, void *arg);

/* Listen on address ("127.0.0.1:8080", "[::1]:8080", port 0 picks one). */
struct nw_httpd *nw_httpd_new(struct event_base *, const char *address,
    const struct nw_httpd_limits *, nw_httpd_cb, void *arg, char **cause);
void nw_httpd_free(struct nw_httpd *);
/* The bound address, "127.0.0.1:PORT". */
const char *nw_httpd_address(const struct nw_httpd *);
void nw_httpd_get_stats(const struct nw_httpd *, struct nw_httpd_stats *);
/* Stop accepting new connections (shutdown). */
void nw_httpd_stop_accepting(struct nw_httpd *);

/* A request the handler answers later: called if the client goes away
 * first, after which the request must not be touched. */
void nw_httpd_hold(struct nw_httpd *, struct evhttp_request *,
    void (*gone)(void *), void *arg);
/* Send the reply (body may be NULL) and start the deadline for the
 * connection's next request. The extra header may be NULL. */
void nw_httpd_reply(struct nw_httpd *, struct evhttp_request *, int code,
    const char *content_type, const char *body, const char *hname,
    const char *hvalue);
/* A JSON error body: {"error": code, "message": message}. */
void nw_httpd_error(struct nw_httpd *, struct evhttp_request *, int status,
    const char *code, const char *message);

#endif
