/* Dispatch parsing entry point: input hygiene, then the stages in order
 * (version markers, dateline, headline block and body, language, id,
 * quotations). */
#include <stdlib.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "wire.h"

/* How far into a dispatch a dateline is looked for, in lines. */
#define DATELINE_LOOKAHEAD 60

static const char *const reason_codes[NW_REASON_MAX] = {
    [NW_OK] = "ok",
    [NW_ERR_EMPTY] = "empty",
    [NW_ERR_TOO_LARGE] = "too_large",
    [NW_ERR_BINARY] = "binary",
    [NW_ERR_CHARSET] = "charset",
    [NW_ERR_NO_TEXT] = "no_text",
    [NW_ERR_INTERNAL] = "internal",
};

const char *
nw_reason_code(enum nw_reason r)
{
	return r < NW_REASON_MAX ? reason_codes[r] : "internal";
}

int
nw_reason_from_code(const char *s)
{
	int i;

	for (i = 0; i < NW_REASON_MAX; i++)
		if (strcmp(reason_codes[i], s) == 0)
			return i;
	return -1;
}

/* Which script a byte counts for: 1 a Latin letter, 2 the lead byte of a
 * Cyrillic one (U+0400..U+047F). */
static const unsigned char script_of[256] = {
    ['A' ... 'Z'] = 1,
    ['a' ... 'z'] = 1,
    [0xD0] = 2,
    [0xD1] = 2,
};

#define ONES 0x0101010101010101ULL
#define HIGH 0x8080808080808080ULL

/* The 0x80 bit of each byte of v that is zero, exactly. */
static uint64_t
zero_bytes(uint64_t v)
{
	return ~(((v & ~HIGH) + ~HIGH) | v) & HIGH;
}

/* How many bytes of a mask of 0x80 bits are set: the bits moved down to
 * 1 and summed into the top byte by one multiplication (a popcount
 * instruction is not in the baseline x86-64 the build targets). */
static size_t
count_high(uint64_t m)
{
	return (size_t)(((m >> 7) * ONES) >> 56);
}

/* Latin letters and Cyrillic lead bytes among eight bytes, counted as
 * script_of counts them. */
static void
count8(uint64_t v, size_t *lat, size_t *cyr)
{
	uint64_t x = (v | (ONES * 0x20)) & ~HIGH, ascii = ~v & HIGH;
	uint64_t ge_a = (x + ONES * (0x80 - 'a')) & HIGH,
		 past_z = (x + ONES * (0x80 - 'z' - 1)) & HIGH;

	*lat += count_high(ge_a & ~past_z & ascii);
	*cyr += count_high(zero_bytes((v & (ONES * 0xFE)) ^ (ONES * 0xD0)));
}

#ifdef __SSE2__
/* The bytes of x summed (each 0..255, as the counters below are). */
static size_t
sum_bytes(__m128i x)
{
	x = _mm_sad_epu8(x, _mm_setzero_si128());
	return (size_t)_mm_cvtsi128_si64(x) +
	    (size_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(x, x));
}

/* count8 sixteen bytes at a time from s + *k (SSE2, in every x86-64
 * CPU), while sixteen more letters cannot pass the thousand: in batches
 * that cannot, counted in byte lanes and summed once a batch. */
static void
count16(const unsigned char *s, size_t n, size_t *k, size_t *lat, size_t *cyr)
{
	size_t m, j, seen;
	__m128i v, x, al, ac;

	for (;;) {
		seen = *lat + *cyr;
		/* before each chunk of the batch at most 16 a chunk more have
		 * been seen: all stay below 1000 - 16 */
		m = seen < 1000 - 16 ? (1000 - 16 - 1 - seen) / 16 + 1 : 0;
		if (m > (n - *k) / 16)
			m = (n - *k) / 16;
		if (m == 0)
			return;
		al = ac = _mm_setzero_si128();
		for (j = 0; j < m; j++, *k += 16) {
			v = _mm_loadu_si128(
			    (const __m128i *)(const void *)(s + *k));
			x = _mm_or_si128(v, _mm_set1_epi8(0x20));
			/* signed compares: bytes from 0x80 are below 'a';
			 * a match is -1, so subtracting counts it */
			al = _mm_sub_epi8(al,
			    _mm_and_si128(
				_mm_cmpgt_epi8(x, _mm_set1_epi8('a' - 1)),
				_mm_cmplt_epi8(x, _mm_set1_epi8('z' + 1))));
			ac = _mm_sub_epi8(ac,
			    _mm_cmpeq_epi8(
				_mm_and_si128(v, _mm_set1_epi8((char)0xFE)),
				_mm_set1_epi8((char)0xD0)));
		}
		*lat += sum_bytes(al);
		*cyr += sum_bytes(ac);
	}
}
#endif

/* en or ru, by which script has more letters in the headline and body
 * (the first thousand letters settle it). */
static void
detect_language(struct nw_event *ev, const struct nw_lens *lens)
{
	size_t i, k, n, lat = 0, cyr = 0;
	const unsigned char *s;
	uint64_t v;
	unsigned c;

	for (i = 0; i <= ev->body.n && lat + cyr < 1000; i++) {
		s = (const unsigned char *)(i == 0 ? ev->headline
						   : ev->body.v[i - 1]);
		if (s == NULL)
			continue;
		n = i == 0 ? lens->headline : lens->body[i - 1];
		/* sixteen or eight bytes at a time while that many more
		 * letters cannot pass the thousand, then byte by byte to stop
		 * where it is */
		k = 0;
#ifdef __SSE2__
		count16(s, n, &k, &lat, &cyr);
#endif
		for (; k + 8 <= n && lat + cyr + 8 < 1000; k += 8) {
			memcpy(&v, s + k, 8);
			count8(v, &lat, &cyr);
		}
		for (; k < n && lat + cyr < 1000; k++) {
			c = script_of[s[k]];
			lat += c & 1;
			cyr += c >> 1;
		}
	}
	memcpy(ev->language, cyr > lat ? "ru" : "en", 3);
}

static int
copy_origin(struct nw_origin *to, const struct nw_origin *from)
{
	if (from == NULL)
		return 0;
	if ((from->type && (to->type = strdup(from->type)) == NULL) ||
	    (from->name && (to->name = strdup(from->name)) == NULL) ||
	    (from->uri && (to->uri = strdup(from->uri)) == NULL))
		return -1;
	return 0;
}

enum nw_reason
nw_parse(const void *buf, size_t len, const struct nw_parse_opts *opts,
    struct nw_event **evp, char **cause)
{
	struct nw_event *ev;
	struct nw_line *lines = NULL;
	struct nw_dateline dl;
	struct nw_clean clean;
	struct nw_lens lens = {0, NULL, 0};
	size_t nlines = 0, i, dli;
	int64_t ref;
	char *text = NULL;
	const char *sign;
	enum nw_reason rc;

	*evp = NULL;
	if (cause != NULL)
		*cause = NULL;
	if ((ev = nw_event_new()) == NULL)
		return NW_ERR_INTERNAL;
	rc = nw_text_clean(buf, len, opts, ev, &clean, cause);
	if (rc != NW_OK)
		goto fail;
	text = clean.text;
	/* found by the cleaning, where it wrote the line ends */
	lines = clean.lines;
	nlines = clean.nlines;
	rc = NW_ERR_INTERNAL;
	ev->received_at_ms = opts->received_at_ms;
	ev->published_at_ms = opts->published_at_ms;
	if (copy_origin(&ev->source, opts->source) < 0)
		goto fail;
	if (nw_markers_take(ev, lines, &nlines) < 0)
		goto fail;

	ref = opts->published_at_ms ? opts->published_at_ms
				    : opts->received_at_ms;
	dli = nlines;
	for (i = 0; i < nlines && i < DATELINE_LOOKAHEAD; i++) {
		if (nw_dateline_parse(lines[i].p, lines[i].n, ref, &dl) > 0) {
			if ((ev->dateline = malloc(sizeof dl)) == NULL) {
				free(dl.text);
				free(dl.city);
				free(dl.region);
				free(dl.agency);
				goto fail;
			}
			*ev->dateline = dl;
			dli = i;
			break;
		}
	}
	if (ev->dateline != NULL && ev->dateline->agency == NULL &&
	    (sign = nw_agency_signoff(lines, nlines, dli)) != NULL &&
	    (ev->dateline->agency = strdup(sign)) == NULL)
		goto fail;
	if (ev->dateline == NULL)
		nw_event_warn(ev, "no dateline found");
	else if (ev->dateline->agency != NULL &&
	    (ev->agency = strdup(ev->dateline->agency)) == NULL)
		goto fail;
	if (nw_headblock_build(ev, lines, nlines, dli, &lens) < 0)
		goto fail;
	if (ev->headline == NULL && ev->body.n == 0) {
		rc = NW_ERR_NO_TEXT;
		if (cause != NULL)
			*cause = strdup("no headline and no body text");
		goto fail;
	}
	detect_language(ev, &lens);
	if (nw_event_id(ev, clean.plain, &lens) < 0)
		goto fail;
	if (!(opts->flags & NW_PARSE_NO_QUOTES))
		nw_quotes_extract_explain(ev, opts->explain, opts->explain_arg);
	free(lines);
	free(text);
	free(lens.body);
	*evp = ev;
	return NW_OK;
fail:
	if (rc == NW_ERR_INTERNAL && cause != NULL && *cause == NULL)
		*cause = strdup("out of memory");
	free(lines);
	free(text);
	free(lens.body);
	nw_event_free(ev);
	return rc;
}
