/* Private interfaces between the stages of the wire-dispatch parser
 * (text hygiene, charsets, datelines, the headline block, the id).
 * Nothing here is part of the public contract in include/newswire/. */
#ifndef NW_PARSERS_WIRE_H
#define NW_PARSERS_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "newswire/parse.h"

#define NW_REPLACEMENT 0xFFFDu

/* Decode one UTF-8 sequence at s (n bytes left). Returns its length and
 * stores the code point, or returns 0 when the bytes are not valid UTF-8
 * (overlong, surrogate, truncated, out of range). */
size_t nw_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);
/* Encode cp into out (4 bytes room); returns the length. */
size_t nw_utf8_encode(uint32_t cp, char *out);
/* Number of code points in s[0..n) (valid UTF-8). */
size_t nw_utf8_count(const char *s, size_t n);

/* charset.c: Cyrillic 8-bit charsets. */
/* "CP1251" or "KOI8-R" when buf reads as 8-bit Cyrillic text, else NULL. */
const char *nw_charset_detect(const unsigned char *buf, size_t len);
/* Convert buf from charset to UTF-8 into a new buffer. *nbad counts bytes
 * that had no mapping (replaced by U+FFFD). -1 when the charset is
 * unknown to iconv. */
int nw_charset_convert(const char *charset, const char *buf, size_t len,
    char **out, size_t *outlen, size_t *nbad);
/* Whether name means UTF-8 (or plain ASCII). */
int nw_charset_is_utf8(const char *name);

/* One line of the cleaned text; lines of one paragraph share a block. */
struct nw_line {
	const char *p;
	size_t n;
	unsigned block;
};

/* text.c: input hygiene. The cleaned text is valid UTF-8 with LF line
 * ends, no BOM, spaces collapsed, lines trimmed, at most one blank line
 * between paragraphs and none at either end (NUL-terminated, malloc'd).
 * Its lines are found on the way, where the cleaning writes the line
 * ends, rather than by a second pass over the text. */
struct nw_clean {
	char *text;
	size_t len;
	int plain; /* only code points that are NFC whatever their neighbours */
	struct nw_line *lines; /* the text's lines, none empty (malloc'd) */
	size_t nlines;
};
enum nw_reason nw_text_clean(const void *buf, size_t len,
    const struct nw_parse_opts *opts, struct nw_event *ev, struct nw_clean *out,
    char **cause);

/* agency.c */
/* Canonical Latin name of an agency written s[0..n), or NULL. */
const char *nw_agency_canon(const char *s, size_t n);
/* The agency of a dispatch whose dateline names none, from a sign-off
 * line after the dateline's line dl ("Reuter" as the last line) or a byline
 * above it ("By Peter Smith, Reuters"); NULL when there is neither. */
const char *nw_agency_signoff(
    const struct nw_line *lines, size_t nlines, size_t dl);

/* dateline.c */
/* Recognise a dateline at the start of s[0..n). Returns the length of the
 * dateline as printed (0 when there is none) and fills *d (strings are
 * malloc'd; the year is inferred from ref_ms when not printed). d->agency
 * is NULL for a dateline that prints no agency ("TOKYO, March 2 -"). */
size_t nw_dateline_parse(
    const char *s, size_t n, int64_t ref_ms, struct nw_dateline *d);
/* Lower-case the ASCII and Russian letters of s[0..n) into out (cap
 * bytes, NUL-terminated); 0 when it doesn't fit or isn't UTF-8. */
size_t nw_fold_lower(const char *s, size_t n, char *out, size_t cap);
/* Month 1..12 named by the word s[0..n) (English or Russian, full or
 * short, any case, optional trailing dot), else 0. */
int nw_month_lookup(const char *s, size_t n);
/* Year for month/day nearest to, and not after, ref_ms (two days' grace
 * for time zones). 0 when the day doesn't exist in any candidate year. */
int nw_infer_year(int month, int day, int64_t ref_ms);

/* headblock.c: furniture, headline, lede, captions and body. */
enum nw_line_kind {
	NW_LINE_TEXT,
	NW_LINE_FURNITURE, /* "All news", "Source: ... | Editor: ...", ... */
	NW_LINE_READALSO,  /* "Read also" (and the linked title after it) */
	NW_LINE_CREDIT,    /* "© Name/AGENCY" or a bare "Name/AGENCY" */
	NW_LINE_GLUED,     /* "caption Name/AGENCY" on one line */
	NW_LINE_CAPTION,   /* decided later: a caption's text */
	NW_LINE_SECTION,   /* decided later: a section name */
};
enum nw_line_kind nw_line_classify(const char *s, size_t n);
/* The lengths of the headline and of each body paragraph, which the
 * headline block knows as it cuts them, so that the stages after it (the
 * language, the id) need not strlen every paragraph again. */
struct nw_lens {
	size_t headline; /* 0 when there is none */
	size_t *body;    /* ev->body.n of them, malloc'd */
	size_t cap;
};
/* Fill headline, lede, captions and body from the cleaned lines; dl is the
 * index of the line holding the dateline, or nlines when there is none.
 * lens (zeroed by the caller, its body freed by the caller) gets the
 * lengths. */
int nw_headblock_build(struct nw_event *ev, const struct nw_line *lines,
    size_t nlines, size_t dl, struct nw_lens *lens);

/* markers.c: version markers (markers.tsv). Takes the marker lines of the
 * head area out of lines[0..*nlines) and the markers off the headline line,
 * records them in ev->story_markers and sets ev->story_kind. -1 on out of
 * memory. */
int nw_markers_take(struct nw_event *ev, struct nw_line *lines, size_t *nlines);

/* sha256.c */
struct nw_sha256 {
	uint32_t h[8];
	uint64_t len;
	unsigned char buf[64];
	size_t nbuf;
	int hw; /* use the CPU's SHA instructions */
};
void nw_sha256_init(struct nw_sha256 *);
void nw_sha256_update(struct nw_sha256 *, const void *, size_t);
void nw_sha256_final(struct nw_sha256 *, unsigned char out[32]);

/* idhash.c: ev->id from the headline and body. plain: they are cut from
 * a cleaned text that nw_text_clean found plain (no NFC work needed).
 * lens: their lengths, or NULL to measure them. -1 on out of memory. */
int nw_event_id(struct nw_event *ev, int plain, const struct nw_lens *lens);

#endif
