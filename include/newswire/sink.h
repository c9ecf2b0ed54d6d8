/* The sink interface. A sink serialises and delivers; it confirms each
 * message only when it is stored (written and synced, or acknowledged by the
 * broker). The pipeline acknowledges a dispatch to its source only after
 * every sink it is routed to has confirmed it. */
#ifndef NEWSWIRE_SINK_H
#define NEWSWIRE_SINK_H

#include <stddef.h>

#include "newswire/config.h"
#include "newswire/event.h"
#include "newswire/parse.h"

struct event_base;
struct nw_dispatch;
struct nw_sink;
struct nw_sink_host;

/* One message handed to a sink. Either an event, or (dead letter) the raw
 * bytes of a dispatch that could not be parsed, with the reason. */
struct nw_sink_msg {
	const struct nw_event *event; /* NULL for a dead letter */
	const char *json;             /* the event rendered, NUL-terminated */
	size_t jsonlen;
	const void *raw; /* dead letter: the dispatch as received */
	size_t rawlen;
	enum nw_reason reason; /* dead letter: why */
	const char *error;     /* dead letter: message for people */
	const char *source;    /* source name */
	const char *uri;       /* origin uri, or NULL */
	void *token;           /* hand back to nw_sink_confirm */
	/* The dispatch this message comes from (reception time, and for a
	 * transactional Kafka sink its Kafka origin, d->eos). */
	const struct nw_dispatch *dispatch;
};

enum nw_deliver_rc {
	NW_DELIVER_QUEUED = 0, /* accepted; nw_sink_confirm follows */
	NW_DELIVER_FULL,       /* queue full: retry after nw_sink_ready */
	NW_DELIVER_ERROR, /* refused now; the dispatch stays at its source */
};

enum nw_confirm {
	NW_CONFIRM_OK,        /* stored */
	NW_CONFIRM_RETRY,     /* failed for now: keep at source, retry later */
	NW_CONFIRM_PERMANENT, /* can never be stored (e.g. too large) */
};

struct nw_sink_ops {
	const char *type;
	const struct nw_key *keys; /* NULL-terminated */
	size_t conf_size;          /* size of the struct keys fill */
	/* Keys not in the table (e.g. "kafka.*" pass-through); NULL rejects. */
	int (*extra_key)(
	    void *conf, const char *key, const char *value, char **cause);
	int (*check)(void *conf, char **cause); /* cross-key validation */
	/* Free what extra_key stored in conf (the table's keys are freed by
	 * the loader); NULL when there is nothing. */
	void (*conf_free)(void *conf);
	/* limits: the daemon's settings (newswire/config.h). */
	int (*start)(struct nw_sink *, struct event_base *,
	    const struct nw_limits *limits, char **cause);
	/* Whether this sink takes dead letters (e.g. a dead-letter topic). */
	int (*takes_dead_letters)(struct nw_sink *);
	/* Whether this sink forwards raw dispatches rather than events (the
	 * "edge" mode feeding a parsing cluster). When every sink of a source
	 * does, the pipeline does not parse: msg->event and msg->json are
	 * NULL, msg->raw is the dispatch and msg->reason is NW_OK. NULL: no. */
	int (*wants_raw)(struct nw_sink *);
	/* Whether this sink publishes events for a story hop, which assigns
	 * their stories (docs/kafka-cluster.md). When every sink of a source
	 * does, the pipeline's story stage leaves its events alone. NULL:
	 * no. */
	int (*defers_stories)(struct nw_sink *);
	enum nw_deliver_rc (*deliver)(
	    struct nw_sink *, const struct nw_sink_msg *);
	/* Messages handed over but not yet confirmed. */
	size_t (*pending)(struct nw_sink *);
	/* Try to confirm everything within timeout_ms; returns what is left. */
	size_t (*flush)(struct nw_sink *, int timeout_ms);
	void (*reopen)(struct nw_sink *); /* SIGHUP: e.g. logrotate */
	void (*stop)(struct nw_sink *);   /* free everything */
};

struct nw_sink {
	const struct nw_sink_ops *ops;
	char *name;
	void *conf;     /* filled from the key table */
	void *priv;     /* the implementation's state */
	void *pipeline; /* opaque, for the host below */
	/* Set by whoever runs the sink (the pipeline, a test): where
	 * nw_sink_confirm() and nw_sink_ready() lead. */
	const struct nw_sink_host *host;
};

struct nw_sink_host {
	void (*confirm)(
	    struct nw_sink *, void *token, enum nw_confirm, const char *error);
	void (*ready)(struct nw_sink *);
};

/* Called by a sink, from the event loop, once per delivered message. */
void nw_sink_confirm(
    struct nw_sink *, void *token, enum nw_confirm, const char *error);
/* Called by a sink when a full queue has room again. */
void nw_sink_ready(struct nw_sink *);

/* The registry: one line per sink type, NULL-terminated. */
extern const struct nw_sink_ops *const nw_sink_types[];

#endif
