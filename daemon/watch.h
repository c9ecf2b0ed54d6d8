/* The live page's server side: the last events confirmed, kept as the
 * pipeline rendered them, and streamed to watchers as server-sent events
 * (GET /events/stream, resuming after Last-Event-ID), plus the page itself
 * and a health summary (GET /status). Routes hang off the admin endpoint. */
#ifndef NW_WATCH_H
#define NW_WATCH_H

struct evhttp_request;
struct nw_httpd;
struct nw_conf;

/* Keep the ring and accept watchers (the admin endpoint is up). */
void nw_watch_start(const struct nw_conf *);
/* Close every stream and forget the events. */
void nw_watch_stop(void);

/* Called by the pipeline once every sink confirmed an event. Takes *json
 * (setting it to NULL) when watching is on; otherwise leaves it. With
 * nobody watching this is a pointer stored in a ring and nothing more. */
void nw_watch_confirmed(char **json);

/* 1 when path is one of the watch routes; then the request is answered. */
int nw_watch_route(
    struct nw_httpd *, struct evhttp_request *, const char *path);

#endif
