/* What `newswired tail` prints for one message: recognises the event
 * contracts (newswired.event/1 and /2, ninjs 2.1, the file sink's dead-letter
 * lines), applies the filters and renders readable lines. Pure: bytes in,
 * text out, no I/O, so it is unit-tested without a broker. */
#ifndef NW_TAIL_VIEW_H
#define NW_TAIL_VIEW_H

#include <stddef.h>

struct nw_tail_opts {
	int quotes; /* one line per quotation rather than per event */
	int color;  /* ANSI colours */
	int json;   /* pass the message through unchanged */
	/* Filters, NULL for none. speaker: a case-insensitive part of a
	 * speaker's name; agency and language: whole, case-insensitive;
	 * story: story.key exactly (contract 2). */
	const char *speaker, *agency, *language, *story;
};

enum nw_tail_rc {
	NW_TAIL_SHOWN = 0,   /* *out holds the lines to print */
	NW_TAIL_FILTERED,    /* an event, but the filters leave it out */
	NW_TAIL_UNKNOWN = -1 /* none of the contracts: *out says why */
};

/* Render message msg (len bytes, not NUL-terminated). *out is malloc'd,
 * every line ends in "\n"; NULL for NW_TAIL_FILTERED. */
enum nw_tail_rc nw_tail_render(
    const char *msg, size_t len, const struct nw_tail_opts *, char **out);

#endif
