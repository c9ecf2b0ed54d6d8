/* The parser interface: one dispatch's bytes in, one event out.
 * Pure: no I/O, no event loop, no global state; safe to call from anywhere. */
#ifndef NEWSWIRE_PARSE_H
#define NEWSWIRE_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "newswire/event.h"

/* Default input limit. Kept well below the Kafka sink's message.max.bytes
 * so an accepted dispatch (raw, or its event) always fits one message. */
#define NW_MAX_DISPATCH_DEFAULT (512 * 1024)

/* Why a dispatch could not be parsed. The codes (nw_reason_code) are a
 * fixed, documented set: they appear in failed/NAME.error.json, in the
 * dead-letter topic's headers, in logs and in metrics. */
enum nw_reason {
	NW_OK = 0,
	NW_ERR_EMPTY,     /* "empty": no bytes, or only whitespace */
	NW_ERR_TOO_LARGE, /* "too_large": over the configured size limit */
	NW_ERR_BINARY,    /* "binary": NUL bytes, or mostly undecodable */
	NW_ERR_CHARSET,   /* "charset": the named charset is unknown or fails */
	NW_ERR_NO_TEXT,   /* "no_text": nothing that looks like a dispatch */
	NW_ERR_INTERNAL,  /* "internal": out of memory and the like */
	NW_REASON_MAX
};

#define NW_PARSE_NO_QUOTES 0x1 /* skip quotation extraction */

struct nw_parse_opts {
	int64_t received_at_ms;  /* 0: now (the caller fills it) */
	int64_t published_at_ms; /* 0: unknown; else used for the year */
	const char *charset;     /* NULL: UTF-8, or detected */
	size_t max_size;         /* 0: NW_MAX_DISPATCH_DEFAULT */
	unsigned flags;
	const struct nw_origin *source; /* copied into the event */
	/* NULL, or called with one line per quotation saying which stage
	 * chose its speaker and from which mention (parse --explain); the
	 * event is the same either way */
	void (*explain)(void *arg, const char *line);
	void *explain_arg;
};

/* Parse one dispatch. On NW_OK *evp is a new event (free with
 * nw_event_free); otherwise *evp is NULL and *cause (if cause is not NULL)
 * is a malloc'd message for people. */
enum nw_reason nw_parse(const void *buf, size_t len,
    const struct nw_parse_opts *, struct nw_event **evp, char **cause);
const char *nw_reason_code(enum nw_reason);
/* Parse a reason code back; -1 when unknown. */
int nw_reason_from_code(const char *);

/* The quotation stage: reads event->body and event->language, fills
 * event->quotes and event->speakers. Called by nw_parse. */
void nw_quotes_extract(struct nw_event *);
/* The same, calling explain (when not NULL) once per quotation. */
void nw_quotes_extract_explain(
    struct nw_event *, void (*explain)(void *, const char *), void *arg);

#endif
