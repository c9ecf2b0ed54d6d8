/* The source interface. A source does I/O only and never parses: it reads
 * raw dispatches and hands them to the pipeline, which calls back its ack
 * once the dispatch's fate is settled. Until then the dispatch stays where it
 * came from (spool file in incoming/, feed item not marked seen, ...). */
#ifndef NEWSWIRE_SOURCE_H
#define NEWSWIRE_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "newswire/config.h"
#include "newswire/parse.h"

struct event_base;
struct nw_event;
struct nw_kafka_eos;
struct nw_source;

/* How a dispatch ended, as told to its source. */
enum nw_outcome {
	NW_OUTCOME_DONE,   /* event confirmed by every sink: move to done/ */
	NW_OUTCOME_FAILED, /* unparseable or permanently undeliverable, and
			      the dead letter (if any) confirmed: failed/ */
	NW_OUTCOME_RETRY,  /* a sink failed for now: leave it, retry later */
};

struct nw_dispatch {
	struct nw_source *source;
	void *data; /* raw bytes, malloc'd, owned by the dispatch */
	size_t len;
	char *uri; /* file path, URL, ... (malloc'd) */
	/* What the source calls the item, when it has a name for it apart
	 * from where it came from (a feed item's guid): the story index takes
	 * it as the source's word that two dispatches are one story. */
	char *item_id; /* malloc'd or NULL */
	int64_t received_at_ms;
	int64_t published_at_ms; /* 0: unknown */
	const char *charset;     /* NULL: UTF-8 or detected */
	void *cookie;            /* the source's own handle */
	/* Set by a Kafka source with exactly_once: what a transactional sink
	 * needs to commit the dispatch's offset (newswire/kafka_eos.h). */
	struct nw_kafka_eos *eos;
	/* Set by a source that reads events rather than raw dispatches (the
	 * story hop's Kafka source, input = parsed): data is the event
	 * rendered with its story, this the event with its story; the
	 * pipeline neither parses nor assigns it. Owned by the source. */
	struct nw_event *event;
	/* Filled by the pipeline before ack. */
	enum nw_reason reason; /* NW_OK unless it failed to parse */
	/* Why it failed, for failed/NAME.error.json and logs: a code of
	 * nw_reason_code(), or "rejected" when a sink refused the event
	 * permanently (NW_CONFIRM_PERMANENT). NULL when it did not fail. */
	const char *reason_code;
	char *error;    /* message for people, or NULL */
	char id[65];    /* event id, "" when not parsed */
	void *pl_state; /* pipeline-private */
};

struct nw_source_ops {
	const char *type;
	const struct nw_key *keys; /* NULL-terminated */
	size_t conf_size;
	int (*check)(void *conf, char **cause);
	/* limits: the daemon's settings (newswire/config.h). */
	int (*start)(struct nw_source *, struct event_base *,
	    const struct nw_limits *limits, char **cause);
	void (*pause)(struct nw_source *); /* backpressure: stop reading */
	void (*resume)(struct nw_source *);
	void (*stop_intake)(struct nw_source *); /* shutting down */
	/* The dispatch's fate; the source frees it with nw_dispatch_free. */
	void (*ack)(struct nw_source *, struct nw_dispatch *, enum nw_outcome);
	void (*stop)(struct nw_source *); /* free everything */
};

struct nw_source {
	const struct nw_source_ops *ops;
	char *name;
	void *conf;
	void *priv;
	void *pipeline; /* opaque, for the host below */
	/* Set by whoever runs the source: where nw_source_submit() leads. */
	void (*submit)(struct nw_source *, struct nw_dispatch *);
};

/* Hand a dispatch to the pipeline, which takes ownership until ack. */
void nw_source_submit(struct nw_source *, struct nw_dispatch *);
struct nw_dispatch *nw_dispatch_new(
    struct nw_source *, void *data, size_t len, const char *uri);
void nw_dispatch_free(struct nw_dispatch *);

/* The registry: one line per source type, NULL-terminated. */
extern const struct nw_source_ops *const nw_source_types[];

#endif
