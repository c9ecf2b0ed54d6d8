/* Pure extraction for the feed and push sources: RSS 2.0 / Atom items from a
 * feed document, and the article (headline, lede, captions, body) from an
 * HTML page, rendered as the same dispatch text a spool file carries.
 * No I/O and no event loop: the fuzzers and unit tests call these directly. */
#ifndef NW_FEED_EXTRACT_H
#define NW_FEED_EXTRACT_H

#include <stddef.h>
#include <stdint.h>

#include "newswire/event.h"

enum nw_fulltext {
	NW_FULLTEXT_NONE,
	NW_FULLTEXT_TEXT, /* plain text, paragraphs on separate lines */
	NW_FULLTEXT_HTML, /* an HTML fragment */
};

struct nw_feed_item {
	char *key;  /* what the seen store remembers: guid, id, or link */
	char *link; /* the article page, or NULL */
	char *title;
	char *summary; /* description / summary, or NULL */
	char *fulltext;
	enum nw_fulltext fulltext_kind;
	int64_t published_ms; /* 0: unknown */
	int64_t updated_ms;   /* Atom <updated>; 0: none */
};

struct nw_feed {
	struct nw_feed_item
	    *items; /* in document order (newest first, usually) */
	size_t nitems;
	char *title;
};

/* Parse an RSS 2.0 or Atom document. charset is the HTTP Content-Type
 * charset (authoritative, as RFC 7303 says; if decoding with it fails the
 * document's own declaration is tried), or NULL. Returns 0, or -1 with a
 * malloc'd *cause that starts with a reason code ("malformed_xml: ..."). */
int nw_feed_parse(const void *buf, size_t len, const char *charset,
    struct nw_feed *, char **cause);
void nw_feed_clear(struct nw_feed *);

struct nw_article_caption {
	char *text;
	char *credit; /* or NULL */
};

struct nw_article {
	char *headline;
	char *lede;
	struct nw_article_caption *captions;
	size_t ncaptions;
	struct nw_strv body; /* paragraphs, dateline in the first */
	int64_t published_ms;
};

/* Extract the article from an HTML page (charset: HTTP charset or NULL).
 * Returns 0, or -1 with *cause ("no_article: ...") when the page holds no
 * article text. */
int nw_article_from_html(const void *buf, size_t len, const char *charset,
    struct nw_article *, char **cause);
/* Paragraphs from an HTML fragment or from plain text (a feed's full-text
 * element), appended to art->body; captions of figures too. */
int nw_article_body_from_fragment(
    const char *s, size_t len, enum nw_fulltext, struct nw_article *);
/* The dispatch text: headline, blank line, lede and captions, blank line,
 * body paragraphs separated by blank lines. malloc'd, NUL-terminated. */
char *nw_article_text(const struct nw_article *, size_t *lenp);
void nw_article_clear(struct nw_article *);
/* The dispatch text of a feed item carrying its full text (title as the
 * headline); NULL when it carries none or it holds no text. */
char *nw_feed_item_text(const struct nw_feed_item *, size_t *lenp);

/* RFC 822 (RSS pubDate) or RFC 3339 (Atom, JSON-LD) date to Unix ms;
 * 0 when it can't be read. */
int64_t nw_feed_date(const char *);

#endif
