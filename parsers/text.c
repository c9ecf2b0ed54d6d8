/* Input hygiene: size limit, binary and empty input, charset detection,
 * UTF-8 validation with replacement, and whitespace normalisation (line
 * ends, spaces, blank lines), so later stages see one clean text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif
/* GCC keeps the CPU's features from start-up (see sha256.c); elsewhere
 * the SSE2 path alone. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#include <immintrin.h>
#define NW_TEXT_AVX2 1
#endif

#include "wire.h"

size_t
nw_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c;
	size_t len, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		len = 2, c = s[0] & 0x1F;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		len = 3, c = s[0] & 0x0F;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		len = 4, c = s[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3F);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

size_t
nw_utf8_encode(uint32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;

	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | cp >> 6);
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | cp >> 12);
		o[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | cp >> 18);
	o[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
	o[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

size_t
nw_utf8_count(const char *s, size_t n)
{
	size_t i, count = 0;

	for (i = 0; i < n; i++)
		count += ((unsigned char)s[i] & 0xC0) != 0x80;
	return count;
}

/* Horizontal white space other than the ASCII space: tab, form feed,
 * no-break and the typographic spaces. */
static int
is_hspace(uint32_t c)
{
	return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == 0xA0 ||
	    c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x202F ||
	    c == 0x205F || c == 0x3000;
}

/* Characters dropped outright: controls, C1 controls, byte order marks
 * and soft hyphens, which only get in the way of matching. */
static int
is_dropped(uint32_t c)
{
	return (c < 0x20 && c != '\n' && c != '\r') || c == 0x7F ||
	    (c >= 0x80 && c <= 0x9F) || c == 0xFEFF || c == 0xAD;
}

struct survey {
	size_t invalid; /* bytes that are not UTF-8, replaced by U+FFFD */
	size_t ctrl;    /* control characters dropped */
	size_t nul;     /* of them NUL bytes */
	int risky;      /* code points that NFC might change in context */
	struct nw_line *lines; /* the lines written, with their blocks */
	size_t nlines, cap;
	unsigned block;
	int nomem;
};

/* Record the line out[from..to) in the current block. */
static void
add_line(struct survey *sv, const char *out, size_t from, size_t to)
{
	struct nw_line *nl;
	size_t ncap;

	if (sv->nlines == sv->cap) {
		ncap = sv->cap ? sv->cap * 2 : 64;
		if ((nl = realloc(sv->lines, ncap * sizeof *nl)) == NULL) {
			sv->nomem = 1;
			return;
		}
		sv->lines = nl;
		sv->cap = ncap;
	}
	nl = &sv->lines[sv->nlines++];
	nl->p = out + from;
	nl->n = to - from;
	nl->block = sv->block;
}

/* Two-byte sequences led by b (second byte c) that NFC leaves alone
 * whatever surrounds them: Latin, Greek, Cyrillic letters, not the
 * combining marks (U+0300..U+036F, U+0483..U+0489) or scripts with
 * their own marks (Hebrew, Arabic and on). */
static int
two_byte_plain(unsigned char b, unsigned char c)
{
	return b <= 0xCB || b == 0xD0 || b == 0xD1 || b == 0xD3 || b == 0xD4 ||
	    (b == 0xD2 && (c < 0x83 || c > 0x89));
}

/* The same for other code points: general punctuation and symbols. */
static int
cp_plain(uint32_t c)
{
	return c < 0x300 || (c >= 0x2010 && c <= 0x2027) ||
	    (c >= 0x2030 && c <= 0x205E) || (c >= 0x2070 && c <= 0x20CF);
}

#define ONES 0x0101010101010101ULL
#define HIGH 0x8080808080808080ULL
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define FIRST_BYTE (HIGH << 56 & HIGH)
#define LAST_BYTE  (HIGH & 0xFF)
#else
#define FIRST_BYTE (HIGH & 0xFF)
#define LAST_BYTE  (HIGH << 56 & HIGH)
#endif

/* The 0x80 bit of each byte of v (ASCII only) that is zero; exact, as no
 * carry crosses a byte. */
static uint64_t
zero_bytes(uint64_t v)
{
	return ~(((v & ~HIGH) + ~HIGH) | v) & HIGH;
}

/* Eight bytes of ASCII text that stay as they are: printable, spaces
 * single and between two other characters. */
static int
plain8(uint64_t v)
{
	uint64_t sp = zero_bytes(v ^ (ONES * ' '));

	return (v & HIGH) == 0 &&
	    (((v & ~HIGH) + ONES * (0x80 - 0x20)) & HIGH) == HIGH &&
	    zero_bytes(v ^ (ONES * 0x7F)) == 0 && (sp & (sp << 8)) == 0 &&
	    (sp & (FIRST_BYTE | LAST_BYTE)) == 0;
}

/* Eight bytes that are four Cyrillic letters (U+0400..U+047F: lead D0 or
 * D1, then 80..BF), which NFC leaves alone. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define CYR_MASK 0xFEC0FEC0FEC0FEC0ULL
#define CYR_WANT 0xD080D080D080D080ULL
#else
#define CYR_MASK 0xC0FEC0FEC0FEC0FEULL
#define CYR_WANT 0x80D080D080D080D0ULL
#endif

/* Where the word loop below must stop in a window of width bytes (16 or
 * 32), given one bit per byte for each kind: printable ASCII, space, the
 * lead of a Cyrillic letter (D0, D1) and a continuation byte (80..BF),
 * each with one bit more for the byte after the window, so that a space
 * or a lead at the window's last place is judged by what follows it
 * rather than stopping the run (a stop there was a mispredicted branch
 * in every other window of Russian text). carry: the window before ended
 * in a lead whose second byte opens this one. The window is copied up to
 * the first byte of no known kind, a lead without its second byte, a
 * second byte without its lead, or a space not followed by a printable
 * or a letter. A lead without its second byte is itself the stop, so the
 * stop never splits a letter. */
static inline unsigned
plain_stop(uint64_t pr, uint64_t sp, uint64_t lead, uint64_t cont,
    uint64_t carry, unsigned width)
{
	uint64_t bad =
	    (~(pr | sp | lead | cont) | (lead & ~(cont >> 1)) |
		(cont & ~(lead << 1 | carry)) | (sp & ~((pr | lead) >> 1))) &
	    ((1ULL << width) - 1);

	return bad == 0 ? width : (unsigned)__builtin_ctzll(bad);
}

/* The kinds of the byte after a window, as bits at place width. */
static inline void
peek_next(unsigned char b, unsigned width, uint64_t *pr, uint64_t *lead,
    uint64_t *cont)
{
	*pr |= (uint64_t)(b > 0x20 && b < 0x7F) << width;
	*lead |= (uint64_t)((b & 0xFE) == 0xD0) << width;
	*cont |= (uint64_t)((b & 0xC0) == 0x80) << width;
}

#ifdef __SSE2__
/* The word loop's run sixteen bytes at a time (SSE2 is in every x86-64
 * CPU): copies from s[0..n) to out while 17 bytes remain and some are
 * plain (printable ASCII, single spaces before a printable or a Cyrillic
 * letter, whole Cyrillic letters U+0400..U+047F, which NFC leaves alone),
 * and returns how many, never cutting a letter. Output keeps pace with
 * input: returning the count rather than moving the caller's offsets
 * keeps them in registers. */
static size_t
plain_run16(const unsigned char *s, size_t n, char *out)
{
	size_t i = 0;
	uint64_t carry = 0, pr, sp, lead, cont;
	unsigned k = 0;

	while (n - i > 16) {
		__m128i v =
		    _mm_loadu_si128((const __m128i *)(const void *)(s + i));

		pr = (unsigned)_mm_movemask_epi8(
		    _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(0x20)),
			_mm_cmplt_epi8(v, _mm_set1_epi8(0x7F))));
		sp = (unsigned)_mm_movemask_epi8(
		    _mm_cmpeq_epi8(v, _mm_set1_epi8(' ')));
		lead = (unsigned)_mm_movemask_epi8(
		    _mm_cmpeq_epi8(_mm_and_si128(v, _mm_set1_epi8((char)0xFE)),
			_mm_set1_epi8((char)0xD0)));
		/* signed: 80..BF are the bytes below C0 among the high ones */
		cont = (unsigned)_mm_movemask_epi8(
		    _mm_cmplt_epi8(v, _mm_set1_epi8((char)0xC0)));
		peek_next(s[i + 16], 16, &pr, &lead, &cont);
		k = plain_stop(pr, sp, lead, cont, carry, 16);
		/* out has room for the run as it is */
		_mm_storeu_si128((__m128i *)(void *)(out + i), v);
		i += k;
		if (k < 16)
			break;
		carry = lead >> 15 & 1;
	}
	/* a letter cut by the last whole window: its second byte, checked
	 * by the peek */
	if (carry && k == 16)
		out[i] = (char)s[i], i++;
	return i;
}
#endif

#ifdef NW_TEXT_AVX2
/* plain_run16 32 bytes at a time on CPUs with AVX2. */
__attribute__((target("avx2"))) static size_t
plain_run32(const unsigned char *s, size_t n, char *out)
{
	size_t i = 0;
	uint64_t carry = 0, pr, sp, lead, cont;
	unsigned k = 0;

	while (n - i > 32) {
		__m256i v =
		    _mm256_loadu_si256((const __m256i *)(const void *)(s + i));

		/* signed compares: high bytes are below every ASCII one */
		pr = (uint32_t)_mm256_movemask_epi8(_mm256_and_si256(
		    _mm256_cmpgt_epi8(v, _mm256_set1_epi8(0x20)),
		    _mm256_cmpgt_epi8(_mm256_set1_epi8(0x7F), v)));
		sp = (uint32_t)_mm256_movemask_epi8(
		    _mm256_cmpeq_epi8(v, _mm256_set1_epi8(' ')));
		lead = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(
		    _mm256_and_si256(v, _mm256_set1_epi8((char)0xFE)),
		    _mm256_set1_epi8((char)0xD0)));
		cont = (uint32_t)_mm256_movemask_epi8(
		    _mm256_cmpgt_epi8(_mm256_set1_epi8((char)0xC0), v));
		peek_next(s[i + 32], 32, &pr, &lead, &cont);
		k = plain_stop(pr, sp, lead, cont, carry, 32);
		/* out has room for the run as it is */
		_mm256_storeu_si256((__m256i *)(void *)(out + i), v);
		i += k;
		if (k < 32)
			break;
		carry = lead >> 31 & 1;
	}
	/* a letter cut by the last whole window: its second byte, checked
	 * by the peek */
	if (carry && k == 32)
		out[i] = (char)s[i], i++;
	return i;
}

/* Whether the CPU has AVX2: read from what libgcc found at start-up, no
 * cpuid per call. */
static int
cpu_has_avx2(void)
{
	return __builtin_cpu_supports("avx2");
}
#endif

/* The bulk of any text: printable ASCII and two-byte letters (U+00C0..
 * U+07FF, never space or control), with one space between words, which
 * all stay as they are. Copies from i, which holds such a character, to
 * the first byte that needs the careful path; returns its offset. */
static size_t
words(const unsigned char *s, size_t n, size_t i, char *out, size_t *op,
    struct survey *sv, int avx2)
{
	/* every byte goes out as it came in: one offset j serves both, s
	 * and d being the input and the output at the start */
	char *d = out + *op;
	size_t j = 0;
	uint64_t v;
	unsigned char b;

	s += i;
	n -= i;
	while (j < n) {
#ifdef NW_TEXT_AVX2
		if (avx2 && n - j > 32) {
			size_t k = plain_run32(s + j, n - j, d + j);

			j += k;
			if (k > 0)
				continue;
		}
#else
		(void)avx2;
#endif
#ifdef __SSE2__
		if (n - j > 16) {
			size_t k = plain_run16(s + j, n - j, d + j);

			j += k;
			if (k > 0)
				continue;
		}
#endif
		b = s[j];
		if (b > 0x20 && b < 0x7F) {
			if (n - j >= 8) {
				memcpy(&v, s + j, 8);
				if (plain8(v)) {
					memcpy(d + j, &v, 8);
					j += 8;
					continue;
				}
			}
			d[j] = (char)b;
			j++;
		} else if (b >= 0xC3 && b <= 0xDF && j + 1 < n &&
		    (s[j + 1] & 0xC0) == 0x80) {
			if (n - j >= 8) {
				memcpy(&v, s + j, 8);
				if ((v & CYR_MASK) == CYR_WANT) {
					memcpy(d + j, &v, 8);
					j += 8;
					continue;
				}
			}
			sv->risky |= !two_byte_plain(b, s[j + 1]);
			d[j] = (char)b;
			d[j + 1] = (char)s[j + 1];
			j += 2;
		} else if (b == ' ' && j + 1 < n &&
		    ((s[j + 1] > 0x20 && s[j + 1] < 0x7F) ||
			(s[j + 1] >= 0xC3 && s[j + 1] <= 0xDF))) {
			/* a lead byte whose sequence turns out invalid is
			 * replaced after this space, as the careful path
			 * would */
			d[j] = ' ';
			j++;
		} else {
			break;
		}
	}
	*op += j;
	return i + j;
}

/* Decode (replacing invalid bytes), normalise line ends and spaces, trim
 * lines and collapse blank lines, in one pass, recording the lines in sv
 * (sv->lines is kept, the rest zeroed). out must have room for
 * 3 * n + 1 bytes. Printable ASCII and two-byte letters take a fast path:
 * this loop sees every byte of every dispatch. */
static size_t
normalise(const unsigned char *s, size_t n, char *out, struct survey *sv)
{
	size_t i = 0, k, o = 0, line_start = 0;
	int blank_run = 2; /* no blank line before the first text */
	int pending_space = 0, avx2 = 0;
	uint32_t c;

#ifdef NW_TEXT_AVX2
	avx2 = cpu_has_avx2();
#endif
	{
		struct nw_line *keep = sv->lines;
		size_t cap = sv->cap;

		memset(sv, 0, sizeof *sv);
		sv->lines = keep;
		sv->cap = cap;
	}
	while (i < n) {
		unsigned char b = s[i];

		if ((b > 0x20 && b < 0x7F) ||
		    (b >= 0xC3 && b <= 0xDF && i + 1 < n &&
			(s[i + 1] & 0xC0) == 0x80)) {
			if (pending_space) {
				out[o++] = ' ';
				pending_space = 0;
			}
			i = words(s, n, i, out, &o, sv, avx2);
			continue;
		}
		if (b == ' ') {
			pending_space = o > line_start;
			i++;
			continue;
		}
		if (b < 0x80) {
			c = b;
			i++;
		} else if ((k = nw_utf8_decode(s + i, n - i, &c)) == 0) {
			c = NW_REPLACEMENT;
			sv->invalid++;
			i++;
		} else {
			i += k;
		}
		if (c == '\r') {
			if (i < n && s[i] == '\n')
				i++;
			c = '\n';
		}
		if (c == 0x2028 || c == 0x2029 || c == 0x85)
			c = '\n';
		if (c == '\n') {
			pending_space = 0;
			if (o == line_start) { /* an empty line */
				if (blank_run == 0) {
					out[o++] = '\n';
					sv->block++;
					line_start = o;
				}
				blank_run = 1;
				continue;
			}
			add_line(sv, out, line_start, o);
			out[o++] = '\n';
			line_start = o;
			blank_run = 0;
			continue;
		}
		if (is_hspace(c)) {
			pending_space = o > line_start;
			continue;
		}
		if (is_dropped(c)) {
			sv->ctrl += c < 0x20 || c == 0x7F;
			sv->nul += c == 0;
			continue;
		}
		if (pending_space) {
			out[o++] = ' ';
			pending_space = 0;
		}
		if (c < 0x80) {
			out[o++] = (char)c;
		} else {
			sv->risky |= !cp_plain(c) ||
			    (c < 0x800 &&
				!two_byte_plain((unsigned char)(0xC0 | c >> 6),
				    (unsigned char)(0x80 | (c & 0x3F))));
			o += nw_utf8_encode(c, out + o);
		}
	}
	if (o > line_start)
		add_line(sv, out, line_start, o);
	/* No trailing newlines or blank lines. */
	while (o > 0 && out[o - 1] == '\n')
		o--;
	out[o] = '\0';
	return o;
}

/* The valid multi-byte sequences normalise decodes in s[0..n), counted
 * only when some bytes were not UTF-8: the loops above need not. */
static size_t
count_multibyte(const unsigned char *s, size_t n)
{
	size_t i = 0, k, count = 0;
	uint32_t c;

	while (i < n) {
		if (s[i] < 0x80) {
			i++;
		} else if ((k = nw_utf8_decode(s + i, n - i, &c)) == 0) {
			i++;
		} else {
			count++;
			i += k;
		}
	}
	return count;
}

/* Binary input: control characters in more than 2% of the bytes. */
static int
too_many_controls(size_t ctrl, size_t len)
{
	return ctrl >= 4 && ctrl * 50 > len;
}

enum nw_reason
nw_text_clean(const void *buf, size_t len, const struct nw_parse_opts *opts,
    struct nw_event *ev, struct nw_clean *out, char **cause)
{
	const unsigned char *s = buf;
	size_t max = opts->max_size ? opts->max_size : NW_MAX_DISPATCH_DEFAULT;
	size_t nbad = 0, n = len, cn;
	char *conv = NULL, *res = NULL;
	const char *charset = opts->charset, *why;
	struct survey sv = {.lines = NULL, .cap = 0};
	enum nw_reason rc;
	char msg[160];

	memset(out, 0, sizeof *out);
	if (len == 0) {
		rc = NW_ERR_EMPTY;
		why = "no bytes";
		goto fail;
	}
	if (len > max) {
		snprintf(msg, sizeof msg, "%zu bytes, over the limit of %zu",
		    len, max);
		rc = NW_ERR_TOO_LARGE;
		why = msg;
		goto fail;
	}
	if (charset != NULL && nw_charset_is_utf8(charset))
		charset = NULL;
	if (charset == NULL && len >= 3 && s[0] == 0xEF && s[1] == 0xBB &&
	    s[2] == 0xBF)
		s += 3, n -= 3;

	if (charset == NULL) {
		/* UTF-8 first; only when most non-ASCII bytes are not UTF-8
		 * and they read as Russian is the input taken as 8-bit. */
		if ((res = malloc(n * 3 + 1)) == NULL) {
			rc = NW_ERR_INTERNAL;
			why = "out of memory";
			goto fail;
		}
		out->len = normalise(s, n, res, &sv);
		if (sv.nomem) {
			rc = NW_ERR_INTERNAL;
			why = "out of memory";
			goto fail;
		}
		/* NUL bytes mean binary, except in a named charset such as
		 * UTF-16 (there the converted text is judged instead);
		 * normalise counts them in its one pass over the bytes */
		if (sv.nul > 0) {
			rc = NW_ERR_BINARY;
			why = "NUL bytes in the input";
			goto fail;
		}
		if (sv.invalid > 0 && sv.invalid > count_multibyte(s, n) &&
		    (charset = nw_charset_detect(s, n)) != NULL) {
			nw_event_warn(
			    ev, "input is not UTF-8, decoded as %s", charset);
			free(res);
			res = NULL;
		} else if (too_many_controls(sv.ctrl, len) ||
		    sv.invalid * 4 > n ||
		    (sv.invalid > 64 && sv.invalid * 10 > n)) {
			rc = NW_ERR_BINARY;
			why = too_many_controls(sv.ctrl, len)
			    ? "control bytes in the input"
			    : "mostly undecodable bytes";
			goto fail;
		} else if (sv.invalid > 0) {
			nw_event_warn(ev,
			    "%zu invalid UTF-8 bytes replaced with U+FFFD",
			    sv.invalid);
		}
	}
	if (charset != NULL) {
		switch (nw_charset_convert(
		    charset, (const char *)s, n, &conv, &cn, &nbad)) {
		case 0:
			break;
		case -1:
			snprintf(msg, sizeof msg, "unknown charset \"%.64s\"",
			    charset);
			rc = NW_ERR_CHARSET;
			why = msg;
			goto fail;
		default:
			rc = NW_ERR_INTERNAL;
			why = "out of memory";
			goto fail;
		}
		if (nbad * 10 > n) {
			snprintf(msg, sizeof msg, "mostly undecodable as %.64s",
			    charset);
			rc = NW_ERR_CHARSET;
			why = msg;
			goto fail;
		}
		if ((res = malloc(cn * 3 + 1)) == NULL) {
			rc = NW_ERR_INTERNAL;
			why = "out of memory";
			goto fail;
		}
		out->len = normalise((const unsigned char *)conv, cn, res, &sv);
		if (sv.nomem) {
			rc = NW_ERR_INTERNAL;
			why = "out of memory";
			goto fail;
		}
		if (too_many_controls(sv.ctrl, len)) {
			rc = NW_ERR_BINARY;
			why = "control bytes in the input";
			goto fail;
		}
		if (nbad > 0)
			nw_event_warn(ev, "%zu bytes not valid in %s replaced",
			    nbad, charset);
		free(conv);
		conv = NULL;
	}
	if (out->len == 0) {
		rc = NW_ERR_EMPTY;
		why = "only white space";
		goto fail;
	}
	out->text = res;
	out->plain = !sv.risky;
	out->lines = sv.lines;
	out->nlines = sv.nlines;
	return NW_OK;
fail:
	free(conv);
	free(res);
	free(sv.lines);
	if (cause != NULL)
		*cause = strdup(why);
	return rc;
}
