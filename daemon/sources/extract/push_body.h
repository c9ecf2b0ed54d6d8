/* The push endpoint's request body: text/plain, text/html (the article is
 * extracted) or JSON {"text"|"html", "url", "received_at"}, turned into a
 * dispatch's bytes. Pure, so the fuzzer can call it. */
#ifndef NW_PUSH_BODY_H
#define NW_PUSH_BODY_H

#include <stddef.h>
#include <stdint.h>

struct nw_push_body {
	char *text; /* the dispatch, malloc'd, NUL-terminated */
	size_t len;
	char *url;               /* or NULL */
	int64_t received_at_ms;  /* 0: now */
	int64_t published_at_ms; /* 0: unknown */
	/* A static name; "utf-8" for JSON and extracted HTML (already
	 * decoded), NULL for plain text without one: then the source's
	 * configured charset applies. */
	const char *charset;
};

/* Returns 0, or the HTTP status to answer (400, 415, 422) with a malloc'd
 * message in *cause. content_type may be NULL. */
int nw_push_body_parse(const char *content_type, const char *data, size_t len,
    struct nw_push_body *, char **cause);
void nw_push_body_clear(struct nw_push_body *);

#endif
