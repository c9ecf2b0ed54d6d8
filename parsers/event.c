/* The event: allocation and JSON serialisation of the
 * newswired.event/1 contract (docs/event.schema.json). The serialiser is a
 * direct writer (no DOM): rendering is on the hot path of every dispatch. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif
/* GCC keeps the CPU's features from start-up (see sha256.c); elsewhere
 * the SSE2 path alone. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#include <immintrin.h>
#define NW_JW_AVX2 1
#endif

#include "newswire/event.h"
#include "newswire/story.h"
#include "newswire/version.h"
#include "wire.h"

struct nw_event *
nw_event_new(void)
{
	return calloc(1, sizeof(struct nw_event));
}

void
nw_event_free(struct nw_event *ev)
{
	size_t i;

	if (ev == NULL)
		return;
	free(ev->agency);
	free(ev->headline);
	free(ev->lede);
	if (ev->dateline != NULL) {
		free(ev->dateline->text);
		free(ev->dateline->city);
		free(ev->dateline->region);
		free(ev->dateline->agency);
		free(ev->dateline);
	}
	for (i = 0; i < ev->ncaptions; i++) {
		free(ev->captions[i].text);
		free(ev->captions[i].credit);
	}
	free(ev->captions);
	nw_strv_clear(&ev->body);
	for (i = 0; i < ev->nquotes; i++) {
		free(ev->quotes[i].text);
		free(ev->quotes[i].cue);
	}
	free(ev->quotes);
	for (i = 0; i < ev->nspeakers; i++) {
		free(ev->speakers[i].name);
		free(ev->speakers[i].title);
		free(ev->speakers[i].organisation);
	}
	free(ev->speakers);
	free(ev->source.type);
	free(ev->source.name);
	free(ev->source.uri);
	nw_strv_clear(&ev->warnings);
	nw_strv_clear(&ev->story_markers);
	free(ev->story);
	free(ev);
}

void
nw_event_warn(struct nw_event *ev, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	(void)nw_strv_push(&ev->warnings, buf);
}

const char *
nw_quote_kind_name(enum nw_quote_kind k)
{
	switch (k) {
	case NW_QUOTE_DIRECT:
		return "direct";
	case NW_QUOTE_PARTIAL:
		return "partial";
	case NW_QUOTE_INDIRECT:
		return "indirect";
	}
	return "direct";
}

const char *
nw_speaker_type_name(enum nw_speaker_type t)
{
	return t == NW_SPEAKER_ORGANISATION ? "organisation" : "person";
}

/* A JSON writer into one growing buffer, compact or indented by two
 * spaces (the layout jansson's JSON_INDENT(2) gives). */
enum jw_state {
	JW_AFTER_KEY, /* a value follows directly (also at the top) */
	JW_FIRST,     /* first member of an object or array */
	JW_NEXT,      /* a comma before the next member */
};

struct jw {
	char *b;
	size_t len, cap;
	int pretty, depth, err;
	enum jw_state state;
};

static void
jw_grow_slow(struct jw *w, size_t n)
{
	char *nb;
	size_t ncap;

	/* most events of a dispatch with quotations pass 4 KB: starting at
	 * 8 saves them a realloc and its copy */
	ncap = w->cap ? w->cap : 8192;
	while (ncap < w->len + n)
		ncap *= 2;
	if ((nb = realloc(w->b, ncap)) == NULL) {
		w->err = 1;
		return;
	}
	w->b = nb;
	w->cap = ncap;
}

/* Room for n more bytes; the test is inlined, the growing is not, so
 * that each key and comma costs a compare. */
static inline void
jw_grow(struct jw *w, size_t n)
{
	if (w->len + n > w->cap)
		jw_grow_slow(w, n);
}

static inline void
jw_raw(struct jw *w, const char *s, size_t n)
{
	jw_grow(w, n);
	if (w->err)
		return;
	memcpy(w->b + w->len, s, n);
	w->len += n;
}

static void
jw_newline(struct jw *w)
{
	jw_grow(w, 1 + 2 * (size_t)w->depth);
	if (w->err)
		return;
	w->b[w->len++] = '\n';
	memset(w->b + w->len, ' ', 2 * (size_t)w->depth);
	w->len += 2 * (size_t)w->depth;
}

/* Before a key or an array item: the comma and, pretty, the line. */
static void
jw_sep(struct jw *w)
{
	if (w->state == JW_NEXT)
		jw_raw(w, ",", 1);
	if (w->pretty)
		jw_newline(w);
	w->state = JW_NEXT;
}

/* Eight bytes that go into a JSON string as they are: ASCII from 0x20 up,
 * neither '"' nor '\\'. Word-at-a-time tests; a byte that needs escaping
 * or starts a UTF-8 sequence sets its 0x80 bit in one of them. */
#define JW_ONES 0x0101010101010101ULL
#define JW_HIGH 0x8080808080808080ULL

static int
jw_plain8(uint64_t v)
{
	uint64_t q = v ^ (JW_ONES * '"'), b = v ^ (JW_ONES * '\\');

	return ((v | ((v - JW_ONES * 0x20) & ~v) | ((q - JW_ONES) & ~q) |
		    ((b - JW_ONES) & ~b)) &
		   JW_HIGH) == 0;
}

/* Eight bytes of plain ASCII and whole two-byte UTF-8 sequences
 * (U+0080..U+07FF: Cyrillic, accented Latin) in any mix, which go in as
 * they are: every lead (C2..DF) followed by a second byte (80..BF) and
 * every second byte preceded by a lead, inside the eight. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define JW_NEXT(m) ((m) >> 8)
#define JW_LAST    (JW_HIGH & 0xFF)
#else
#define JW_NEXT(m) ((m) << 8)
#define JW_LAST    (JW_HIGH << 56 & JW_HIGH)
#endif

/* The 0x80 bit of each byte of v that is zero, exactly (no carry crosses
 * a byte). */
static uint64_t
jw_zero(uint64_t v)
{
	return ~(((v & ~JW_HIGH) + ~JW_HIGH) | v) & JW_HIGH;
}

static int
jw_mixed8(uint64_t v)
{
	/* shifting left by one or two brings bit 6 or 5 of a byte to its
	 * bit 7 */
	uint64_t cont = v & ~(v << 1) & JW_HIGH, lead = v & (v << 1) & JW_HIGH,
		 low = v & (JW_ONES * 0x1E);

	return (lead & (v << 2)) == 0 && /* no longer sequence's lead */
	    (lead & ~((low + JW_ONES * 0x7F) & JW_HIGH)) == 0 && /* C0, C1 */
	    JW_NEXT(lead) == cont && (lead & JW_LAST) == 0 &&
	    (jw_zero(v ^ (JW_ONES * '"')) | jw_zero(v ^ (JW_ONES * '\\')) |
		(~((v & ~JW_HIGH) + JW_ONES * 0x60) & ~v & JW_HIGH)) == 0;
}

/* Where a run of bytes that go into a JSON string as they are stops, in
 * a window of width bytes (16 or 32), given one bit per byte for each
 * kind: ASCII from 0x20 up other than '"' and '\\', a continuation byte
 * (80..BF), the lead of a two-byte sequence (C2..DF) and the lead of a
 * three-byte one whose every continuation is valid (E1..EC, EE, EF: no
 * overlong form, no surrogate). cont also has the two bytes after the
 * window (bits width and width + 1), so that a sequence the window's end
 * cuts is judged whole rather than stopping the run (which was a
 * mispredicted branch in every other window of Cyrillic text); *carry
 * holds the continuations the window before still wanted, and gets those
 * this one leaves to the next. The stop is the first byte of no known
 * kind or a continuation out of place or missing, moved back to the
 * start of a sequence it cuts. */
static inline unsigned
jw_stop(uint64_t ascii, uint64_t cont, uint64_t lead2, uint64_t lead3,
    uint64_t *carry, unsigned width)
{
	uint64_t full = (1ULL << width) - 1,
		 want = lead2 << 1 | lead3 << 1 | lead3 << 2 | *carry,
		 bad = (~(ascii | cont | lead2 | lead3 | *carry) & full) |
	    ((cont ^ want) & full) | (want & ~cont & ~full);
	unsigned k;

	if (bad == 0) {
		*carry = want >> width;
		return width;
	}
	k = (unsigned)__builtin_ctzll(bad);
	if (k >= 1 && ((lead2 | lead3) >> (k - 1) & 1))
		k--;
	else if (k >= 2 && (lead3 >> (k - 2) & 1))
		k -= 2;
	*carry = 0;
	return k;
}

/* The continuation bits of the two bytes at p, at places width and
 * width + 1. */
static inline uint64_t
jw_peek(const unsigned char *p, unsigned width)
{
	return (uint64_t)((p[0] & 0xC0) == 0x80) << width |
	    (uint64_t)((p[1] & 0xC0) == 0x80) << (width + 1);
}

#ifdef __SSE2__
/* The run sixteen bytes at a time (SSE2 is in every x86-64 CPU): copies
 * from p to o while 18 bytes remain and some go as they are, and returns
 * how many: output keeps pace with input, and the caller has room for
 * the run as it is. Returning the count rather than moving the caller's
 * pointers keeps them in registers in the caller's byte loop. */
static size_t
jw_run16(const unsigned char *p, const unsigned char *end, char *o)
{
	const unsigned char *start = p;
	uint64_t carry = 0;
	unsigned k;

	while (end - p >= 18) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p),
			hi3 = _mm_and_si128(v, _mm_set1_epi8((char)0xF0));
		uint64_t ascii = (unsigned)_mm_movemask_epi8(_mm_andnot_si128(
			     _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
				 _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
			     _mm_cmpgt_epi8(v, _mm_set1_epi8(0x1F)))),
			 /* signed: 80..BF are the bytes below C0 among the
			  * high ones */
		    cont = (unsigned)_mm_movemask_epi8(
			_mm_cmplt_epi8(v, _mm_set1_epi8((char)0xC0))),
			 lead2 = (unsigned)_mm_movemask_epi8(_mm_andnot_si128(
			     _mm_cmpeq_epi8(
				 _mm_and_si128(v, _mm_set1_epi8((char)0xFE)),
				 _mm_set1_epi8((char)0xC0)),
			     _mm_cmpeq_epi8(
				 _mm_and_si128(v, _mm_set1_epi8((char)0xE0)),
				 _mm_set1_epi8((char)0xC0)))),
			 lead3 = (unsigned)_mm_movemask_epi8(_mm_andnot_si128(
			     _mm_or_si128(
				 _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xE0)),
				 _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xED))),
			     _mm_cmpeq_epi8(hi3, _mm_set1_epi8((char)0xE0))));

		k = jw_stop(ascii, cont | jw_peek(p + 16, 16), lead2, lead3,
		    &carry, 16);
		_mm_storeu_si128((__m128i *)(void *)o, v);
		o += k;
		p += k;
		if (k < 16)
			break;
	}
	/* the rest of a sequence the last window cut, checked by the peek */
	for (; carry != 0; carry >>= 1)
		*o++ = (char)*p++;
	return (size_t)(p - start);
}
#endif

#ifdef NW_JW_AVX2
/* jw_run16 32 bytes at a time on CPUs with AVX2. */
__attribute__((target("avx2"))) static size_t
jw_run32(const unsigned char *p, const unsigned char *end, char *o)
{
	const unsigned char *start = p;
	uint64_t carry = 0;
	unsigned k;

	while (end - p >= 34) {
		__m256i v = _mm256_loadu_si256(
			    (const __m256i *)(const void *)p),
			hi3;
		uint64_t ascii, cont, lead2, lead3;

		/* 32 bytes of printable ASCII without '"' and '\\' (English
		 * copy, most of the time) go as they are at the cost of three
		 * compares; a high byte counts as below 0x20 in the signed
		 * compare, and a sequence the window before cut would start
		 * this one with one */
		if (_mm256_movemask_epi8(_mm256_or_si256(
			_mm256_or_si256(
			    _mm256_cmpeq_epi8(v, _mm256_set1_epi8('"')),
			    _mm256_cmpeq_epi8(v, _mm256_set1_epi8('\\'))),
			_mm256_cmpgt_epi8(_mm256_set1_epi8(0x20), v))) == 0) {
			_mm256_storeu_si256((__m256i *)(void *)o, v);
			o += 32;
			p += 32;
			continue;
		}
		hi3 = _mm256_and_si256(v, _mm256_set1_epi8((char)0xF0));
		/* signed compares: high bytes are below every ASCII one */
		ascii = (uint32_t)_mm256_movemask_epi8(_mm256_andnot_si256(
		    _mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('"')),
			_mm256_cmpeq_epi8(v, _mm256_set1_epi8('\\'))),
		    _mm256_cmpgt_epi8(v, _mm256_set1_epi8(0x1F)))),
		cont = (uint32_t)_mm256_movemask_epi8(
		    _mm256_cmpgt_epi8(_mm256_set1_epi8((char)0xC0), v)),
		lead2 = (uint32_t)_mm256_movemask_epi8(_mm256_andnot_si256(
		    _mm256_cmpeq_epi8(
			_mm256_and_si256(v, _mm256_set1_epi8((char)0xFE)),
			_mm256_set1_epi8((char)0xC0)),
		    _mm256_cmpeq_epi8(
			_mm256_and_si256(v, _mm256_set1_epi8((char)0xE0)),
			_mm256_set1_epi8((char)0xC0)))),
		lead3 = (uint32_t)_mm256_movemask_epi8(_mm256_andnot_si256(
		    _mm256_or_si256(
			_mm256_cmpeq_epi8(v, _mm256_set1_epi8((char)0xE0)),
			_mm256_cmpeq_epi8(v, _mm256_set1_epi8((char)0xED))),
		    _mm256_cmpeq_epi8(hi3, _mm256_set1_epi8((char)0xE0))));

		k = jw_stop(ascii, cont | jw_peek(p + 32, 32), lead2, lead3,
		    &carry, 32);
		_mm256_storeu_si256((__m256i *)(void *)o, v);
		o += k;
		p += k;
		if (k < 32)
			break;
	}
	/* the rest of a sequence the last window cut, checked by the peek */
	for (; carry != 0; carry >>= 1)
		*o++ = (char)*p++;
	return (size_t)(p - start);
}
#endif

/* A string, escaped; invalid UTF-8 (which no parser stage should make)
 * is written as U+FFFD so that the output is always valid JSON. Plain
 * ASCII and runs of two-byte letters are copied eight bytes at a time;
 * the rest byte by byte. */
static void
jw_strn(struct jw *w, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s, *end = p + len,
			    *stop;
	uint64_t v;
	size_t k;
	uint32_t cp;
	char *o;
#ifdef NW_JW_AVX2
	int avx2 = __builtin_cpu_supports("avx2");
#endif

	/* room for the string as it is, and the quotes; the byte loop
	 * below makes more when it meets bytes that grow (an escape is up to
	 * six bytes, a U+FFFD three), so that plain text does not reserve six
	 * times its size and move the buffer for it */
	jw_grow(w, len + 2);
	if (w->err)
		return;
	o = w->b + w->len;
	*o++ = '"';
	while (p < end) {
#ifdef NW_JW_AVX2
		/* output keeps pace with input here, so o + 32 is in room */
		if (avx2 && end - p >= 34) {
			k = jw_run32(p, end, o);
			p += k;
			o += k;
		}
#endif
#ifdef __SSE2__
		/* output keeps pace with input here, so o + 16 is in room */
		if (end - p >= 18) {
			k = jw_run16(p, end, o);
			p += k;
			o += k;
		}
#endif
		while (end - p >= 8) {
			memcpy(&v, p, 8);
			if (!jw_plain8(v) && !jw_mixed8(v))
				break;
			memcpy(o, &v, 8);
			o += 8;
			p += 8;
		}
		/* byte by byte through the next eight, then words again; room
		 * for those eight at their worst and the rest as they are */
		stop = end - p > 8 ? p + 8 : end;
		if (w->cap - (size_t)(o - w->b) <
		    6 * 8 + (size_t)(end - p) + 1) {
			w->len = (size_t)(o - w->b);
			jw_grow(w, 6 * 8 + (size_t)(end - p) + 1);
			if (w->err)
				return;
			o = w->b + w->len;
		}
		while (p < stop) {
			if (*p >= 0x20 && *p < 0x80 && *p != '"' &&
			    *p != '\\') {
				*o++ = (char)*p++;
				continue;
			}
			if (*p >= 0x80) {
				/* the string ends in NUL, which no sequence
				 * spans, so decoding may look up to 4 bytes
				 * ahead */
				if (*p >= 0xC2 && *p <= 0xDF &&
				    (p[1] & 0xC0) == 0x80) {
					/* Cyrillic and the like: no loop */
					o[0] = (char)p[0];
					o[1] = (char)p[1];
					o += 2;
					p += 2;
					continue;
				}
				if ((k = nw_utf8_decode(p, 4, &cp)) == 0) {
					*o++ = '\xEF';
					*o++ = '\xBF';
					*o++ = '\xBD';
					p++;
					continue;
				}
				while (k-- > 0) /* short: no memcpy call */
					*o++ = (char)*p++;
				continue;
			}
			*o++ = '\\';
			switch (*p) {
			case '"':
			case '\\':
				*o++ = (char)*p;
				break;
			case '\n':
				*o++ = 'n';
				break;
			case '\r':
				*o++ = 'r';
				break;
			case '\t':
				*o++ = 't';
				break;
			case '\b':
				*o++ = 'b';
				break;
			case '\f':
				*o++ = 'f';
				break;
			default:
				memcpy(o, "u00", 3);
				o[3] = hex[*p >> 4];
				o[4] = hex[*p & 15];
				o += 5;
			}
			p++;
		}
	}
	*o++ = '"';
	w->len = (size_t)(o - w->b);
}

/* A key is one of ours, a literal that needs no escaping: written with
 * its quotes and colon as one piece ("\"key\":"). */
#define jw_key(w, k) jw_keyn(w, "\"" k "\": ", sizeof(k) + 2)

static inline void
jw_keyn(struct jw *w, const char *quoted, size_t n)
{
	jw_sep(w);
	/* the literal ends in the space that pretty output keeps after the
	 * colon: copied always (a copy of known size is a few moves), kept
	 * only when pretty, overwritten by what follows otherwise */
	jw_grow(w, n + 1);
	if (w->err)
		return;
	memcpy(w->b + w->len, quoted, n + 1);
	w->len += w->pretty ? n + 1 : n;
	w->state = JW_AFTER_KEY;
}

static void
jw_value_start(struct jw *w)
{
	if (w->state == JW_AFTER_KEY)
		w->state = JW_NEXT;
	else
		jw_sep(w);
}

static void
jw_s(struct jw *w, const char *s)
{
	jw_value_start(w);
	if (s == NULL)
		jw_raw(w, "null", 4);
	else
		jw_strn(w, s, strlen(s));
}

static void
jw_i(struct jw *w, long long v, int null_if_zero)
{
	char buf[24], *p = buf + sizeof buf;
	unsigned long long u =
	    v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	jw_value_start(w);
	if (null_if_zero && v == 0) {
		jw_raw(w, "null", 4);
		return;
	}
	/* digits from the right: no printf on the hot path */
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--p = '-';
	jw_raw(w, p, (size_t)(buf + sizeof buf - p));
}

static void
jw_open(struct jw *w, char c)
{
	jw_value_start(w);
	jw_raw(w, &c, 1);
	w->depth++;
	w->state = JW_FIRST;
}

static void
jw_close(struct jw *w, char c)
{
	int empty = w->state == JW_FIRST;

	w->depth--;
	if (w->pretty && !empty)
		jw_newline(w);
	jw_raw(w, &c, 1);
	w->state = JW_NEXT;
}

/* v (not negative) in n decimal digits, zero-padded, at p. */
static void
put_digits(char *p, int n, int v)
{
	while (n-- > 0) {
		p[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

/* RFC 3339 UTC with milliseconds. */
static void
jw_time(struct jw *w, int64_t ms)
{
	char buf[96];
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	int y;

	gmtime_r(&t, &tm);
	y = tm.tm_year + 1900;
	if (y < 0 || y > 9999 || ms < 0) {
		snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
		    y, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
		    tm.tm_sec, (int)(ms % 1000));
		jw_s(w, buf);
		return;
	}
	/* the common case by hand: printf is most of the cost here */
	memcpy(buf, "0000-00-00T00:00:00.000Z", 25);
	put_digits(buf, 4, y);
	put_digits(buf + 5, 2, tm.tm_mon + 1);
	put_digits(buf + 8, 2, tm.tm_mday);
	put_digits(buf + 11, 2, tm.tm_hour);
	put_digits(buf + 14, 2, tm.tm_min);
	put_digits(buf + 17, 2, tm.tm_sec);
	put_digits(buf + 20, 3, (int)(ms % 1000));
	jw_value_start(w);
	jw_strn(w, buf, 24);
}

static void
jw_strv(struct jw *w, const struct nw_strv *sv)
{
	size_t i;

	jw_open(w, '[');
	for (i = 0; i < sv->n; i++)
		jw_s(w, sv->v[i]);
	jw_close(w, ']');
}

static void
jw_speaker(struct jw *w, const struct nw_speaker *sp, int with_count)
{
	jw_open(w, '{');
	jw_key(w, "name");
	jw_s(w, sp->name);
	jw_key(w, "type");
	jw_s(w, nw_speaker_type_name(sp->type));
	jw_key(w, "title");
	jw_s(w, sp->title);
	jw_key(w, "organisation");
	jw_s(w, sp->organisation);
	if (with_count) {
		jw_key(w, "quotes");
		jw_i(w, (long long)sp->quotes, 0);
	}
	jw_close(w, '}');
}

static void
jw_dateline(struct jw *w, const struct nw_dateline *d)
{
	if (d == NULL) {
		jw_s(w, NULL);
		return;
	}
	jw_open(w, '{');
	jw_key(w, "text");
	jw_s(w, d->text);
	jw_key(w, "city");
	jw_s(w, d->city);
	jw_key(w, "region");
	jw_s(w, d->region);
	jw_key(w, "month");
	jw_i(w, d->month, 1);
	jw_key(w, "day");
	jw_i(w, d->day, 1);
	jw_key(w, "year");
	jw_i(w, d->year, 1);
	jw_key(w, "date");
	jw_s(w, d->date[0] ? d->date : NULL);
	jw_key(w, "agency");
	jw_s(w, d->agency);
	jw_close(w, '}');
}

/* The story object (contract v2): what the story stage decided, or, when
 * no stage ran, only the parser's kind and markers with the rest null. */
static void
jw_story(struct jw *w, const struct nw_event *ev)
{
	const struct nw_story *st = ev->story;
	enum nw_story_kind k = st != NULL ? st->kind : ev->story_kind;

	jw_open(w, '{');
	jw_key(w, "key");
	jw_s(w, st != NULL ? st->key : NULL);
	jw_key(w, "version");
	jw_i(w, st != NULL ? (long long)st->version : 0, 1);
	jw_key(w, "kind");
	jw_s(w, k != NW_STORY_NONE ? nw_story_kind_name(k) : NULL);
	jw_key(w, "supersedes");
	jw_s(w, st != NULL && st->supersedes[0] ? st->supersedes : NULL);
	jw_key(w, "first_created");
	if (st != NULL && st->first_created_ms)
		jw_time(w, st->first_created_ms);
	else
		jw_s(w, NULL);
	jw_key(w, "repeat");
	jw_value_start(w);
	jw_raw(w, st != NULL && st->repeat ? "true" : "false",
	    st != NULL && st->repeat ? 4 : 5);
	jw_key(w, "markers");
	jw_strv(w, &ev->story_markers);
	jw_close(w, '}');
}

char *
nw_event_json(const struct nw_event *ev, int pretty)
{
	struct jw w = {.pretty = pretty, .state = JW_AFTER_KEY};
	size_t i;

	jw_open(&w, '{');
	jw_key(&w, "schema");
	jw_s(&w, NW_SCHEMA);
	jw_key(&w, "id");
	jw_s(&w, ev->id);
	jw_key(&w, "language");
	jw_s(&w, ev->language);
	jw_key(&w, "agency");
	jw_s(&w, ev->agency);
	jw_key(&w, "headline");
	jw_s(&w, ev->headline);
	jw_key(&w, "lede");
	jw_s(&w, ev->lede);
	jw_key(&w, "dateline");
	jw_dateline(&w, ev->dateline);
	jw_key(&w, "captions");
	jw_open(&w, '[');
	for (i = 0; i < ev->ncaptions; i++) {
		jw_open(&w, '{');
		jw_key(&w, "text");
		jw_s(&w, ev->captions[i].text);
		jw_key(&w, "credit");
		jw_s(&w, ev->captions[i].credit);
		jw_close(&w, '}');
	}
	jw_close(&w, ']');
	jw_key(&w, "body");
	jw_strv(&w, &ev->body);
	jw_key(&w, "quotes");
	jw_open(&w, '[');
	for (i = 0; i < ev->nquotes; i++) {
		const struct nw_quote *qt = &ev->quotes[i];

		jw_open(&w, '{');
		jw_key(&w, "text");
		jw_s(&w, qt->text != NULL ? qt->text : "");
		jw_key(&w, "kind");
		jw_s(&w, nw_quote_kind_name(qt->kind));
		jw_key(&w, "speaker");
		if (qt->speaker >= 0 && (size_t)qt->speaker < ev->nspeakers)
			jw_speaker(&w, &ev->speakers[qt->speaker], 0);
		else
			jw_s(&w, NULL);
		jw_key(&w, "cue");
		jw_s(&w, qt->cue);
		jw_key(&w, "paragraph");
		if (qt->in_lede)
			jw_s(&w, NULL);
		else
			jw_i(&w, (long long)qt->paragraph, 0);
		jw_key(&w, "offset");
		jw_open(&w, '[');
		jw_i(&w, (long long)qt->start, 0);
		jw_i(&w, (long long)qt->end, 0);
		jw_close(&w, ']');
		jw_close(&w, '}');
	}
	jw_close(&w, ']');
	jw_key(&w, "speakers");
	jw_open(&w, '[');
	for (i = 0; i < ev->nspeakers; i++)
		jw_speaker(&w, &ev->speakers[i], 1);
	jw_close(&w, ']');
	jw_key(&w, "received_at");
	jw_time(&w, ev->received_at_ms);
	jw_key(&w, "published_at");
	if (ev->published_at_ms)
		jw_time(&w, ev->published_at_ms);
	else
		jw_s(&w, NULL);
	jw_key(&w, "source");
	jw_open(&w, '{');
	jw_key(&w, "type");
	jw_s(&w, ev->source.type ? ev->source.type : "file");
	jw_key(&w, "name");
	jw_s(&w, ev->source.name);
	jw_key(&w, "uri");
	jw_s(&w, ev->source.uri);
	jw_close(&w, '}');
	jw_key(&w, "story");
	jw_story(&w, ev);
	jw_key(&w, "parser");
	jw_open(&w, '{');
	jw_key(&w, "name");
	jw_s(&w, NW_PARSER_NAME);
	jw_key(&w, "version");
	jw_s(&w, NW_VERSION);
	jw_close(&w, '}');
	jw_key(&w, "warnings");
	jw_strv(&w, &ev->warnings);
	jw_close(&w, '}');
	jw_raw(&w, "", 1);
	if (w.err) {
		free(w.b);
		return NULL;
	}
	return w.b;
}
