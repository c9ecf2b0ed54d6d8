/* Quotation extraction: reads each paragraph of a dispatch once into tokens,
 * finds the quoted spans by their marks (straight, curly, guillemets, with
 * nesting), links quotations that run over paragraphs, and hands each
 * paragraph to the attribution (quote_attrib.c). Pure: no I/O, no globals. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "hash.h"
#include "newswire/parse.h"
#include "quote_int.h"

/* Per emitted quote, what the attribution knows beyond the event. */
struct qmeta {
	long ent;
	long fb;      /* the speaker of the moment where it stands */
	uint8_t expl; /* 1 own cue, 2 inherited, 3 reported speech, 0 none */
	uint8_t nul;  /* explicitly by nobody named */
	uint8_t fbnul;
	/* for --explain (struct qspan) */
	const char *stage, *how, *mention;
	size_t mentionlen;
	uint64_t pos; /* q_pos of its opening mark */
	uint8_t pend; /* see struct qspan */
	int pgender;
	const char *proles;
};

struct qrun {
	struct qmeta *meta;
	size_t cap;
	size_t chain_first, chain_last; /* a quotation over paragraphs */
	int open;
};

static int
grow(void **v, size_t *cap, size_t need, size_t size)
{
	size_t ncap;
	void *nv;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 16;
	while (ncap < need)
		ncap *= 2;
	if ((nv = realloc(*v, ncap * size)) == NULL)
		return -1;
	*v = nv;
	*cap = ncap;
	return 0;
}

static inline int
is_space(int32_t c)
{
	if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xa0 ||
	    c == 0x202f || c == 0x2009 || c == 0xfeff || c == 0x200b)
		return 1;
	return c > 0x7f && utf8proc_category(c) == UTF8PROC_CATEGORY_ZS;
}

static inline int
is_alnum(int32_t c)
{
	utf8proc_category_t k;

	if (c < 0x80)
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9');
	if (c >= 0x400 && c <= 0x45f)
		return 1;
	k = utf8proc_category(c);
	return (k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_MC) ||
	    (k >= UTF8PROC_CATEGORY_ND && k <= UTF8PROC_CATEGORY_NO);
}

static inline int
is_letter(int32_t c)
{
	utf8proc_category_t k;

	if (c < 0x80)
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
	if (c >= 0x400 && c <= 0x45f)
		return 1;
	k = utf8proc_category(c);
	return k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_MC;
}

static inline int
is_upper(int32_t c)
{
	if (c < 0x80)
		return c >= 'A' && c <= 'Z';
	if (c >= 0x410 && c <= 0x44f)
		return c < 0x430;
	return utf8proc_category(c) == UTF8PROC_CATEGORY_LU ||
	    utf8proc_category(c) == UTF8PROC_CATEGORY_LT;
}

#define AC_ALNUM  0x1
#define AC_LETTER 0x2
#define AC_UPPER  0x4
#define AC_SPACE  0x8  /* the ASCII bytes is_space takes */
#define AC_JOIN   0x10 /* may join two parts of a word: - ' . */

/* Classes of the ASCII bytes, for the tokeniser's fast path. */
static const unsigned char ascii_class[256] = {
    ['-'] = AC_JOIN,
    ['\''] = AC_JOIN,
    ['.'] = AC_JOIN,
    [' '] = AC_SPACE,
    ['\t'] = AC_SPACE,
    ['\n'] = AC_SPACE,
    ['\r'] = AC_SPACE,
    ['0'] = AC_ALNUM,
    ['1'] = AC_ALNUM,
    ['2'] = AC_ALNUM,
    ['3'] = AC_ALNUM,
    ['4'] = AC_ALNUM,
    ['5'] = AC_ALNUM,
    ['6'] = AC_ALNUM,
    ['7'] = AC_ALNUM,
    ['8'] = AC_ALNUM,
    ['9'] = AC_ALNUM,
#define L(c) [c] = AC_ALNUM | AC_LETTER
#define U(c) [c] = AC_ALNUM | AC_LETTER | AC_UPPER
    L('a'),
    L('b'),
    L('c'),
    L('d'),
    L('e'),
    L('f'),
    L('g'),
    L('h'),
    L('i'),
    L('j'),
    L('k'),
    L('l'),
    L('m'),
    L('n'),
    L('o'),
    L('p'),
    L('q'),
    L('r'),
    L('s'),
    L('t'),
    L('u'),
    L('v'),
    L('w'),
    L('x'),
    L('y'),
    L('z'),
    U('A'),
    U('B'),
    U('C'),
    U('D'),
    U('E'),
    U('F'),
    U('G'),
    U('H'),
    U('I'),
    U('J'),
    U('K'),
    U('L'),
    U('M'),
    U('N'),
    U('O'),
    U('P'),
    U('Q'),
    U('R'),
    U('S'),
    U('T'),
    U('U'),
    U('V'),
    U('W'),
    U('X'),
    U('Y'),
    U('Z'),
#undef L
#undef U
};

#ifdef __SSE2__
/* The run of ASCII letters and digits at u[i], sixteen bytes a step while
 * the paragraph has them: each step writes all sixteen lower-cased at w
 * (lowbuf has room past any word: nw_qpara_tokenise sizes it at five bytes
 * a byte of text, twice what the forms can take) and keeps the run's
 * part. Returns the bytes of the run it took, *ended 1 when the run ends
 * there; else the caller's byte loop ends it within the last sixteen
 * bytes. */
static inline size_t
ascii_run16(const unsigned char *u, size_t i, size_t len, char *w, int *ended)
{
	size_t n = 0;

	*ended = 0;

	while (i + n + 16 <= len) {
		__m128i v = _mm_loadu_si128((const __m128i *)(u + i + n));
		__m128i lv = _mm_or_si128(v, _mm_set1_epi8(0x20));
		/* signed compares: bytes of 0x80 and up are negative and fail
		 * both ranges; v | 0x20 is a lower-case letter only for a
		 * letter */
		__m128i dig =
		    _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
			_mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
		__m128i let =
		    _mm_and_si128(_mm_cmpgt_epi8(lv, _mm_set1_epi8('a' - 1)),
			_mm_cmplt_epi8(lv, _mm_set1_epi8('z' + 1)));
		unsigned m =
		    (unsigned)_mm_movemask_epi8(_mm_or_si128(dig, let));

		_mm_storeu_si128((__m128i *)(w + n),
		    _mm_or_si128(v, _mm_and_si128(let, _mm_set1_epi8(0x20))));
		if (m != 0xffff) {
			*ended = 1;
			return n + (size_t)__builtin_ctz(~m);
		}
		n += 16;
	}
	return n;
}

/* The same for a run of Cyrillic letters U+0400..U+045F (two bytes each,
 * one to a 16-bit lane), folded as fold_cp does: the capitals and the old
 * letters down, ё as е. Returns an even count of bytes. */
static inline size_t
cyr_run16(const unsigned char *u, size_t i, size_t len, char *w, int *ended)
{
	size_t n = 0;

	*ended = 0;

	while (i + n + 16 <= len) {
		__m128i v = _mm_loadu_si128((const __m128i *)(u + i + n));
		__m128i lead = _mm_and_si128(v, _mm_set1_epi16(0xff));
		__m128i cont = _mm_srli_epi16(v, 8);
		__m128i y = _mm_or_si128(
		    _mm_slli_epi16(
			_mm_and_si128(lead, _mm_set1_epi16(0x1f)), 6),
		    _mm_and_si128(cont, _mm_set1_epi16(0x3f)));
		__m128i ok = _mm_and_si128(
		    _mm_cmpeq_epi16(_mm_and_si128(lead, _mm_set1_epi16(0xfe)),
			_mm_set1_epi16(0xd0)),
		    _mm_cmpeq_epi16(_mm_and_si128(cont, _mm_set1_epi16(0xc0)),
			_mm_set1_epi16(0x80)));
		__m128i caps =
		    _mm_and_si128(_mm_cmpgt_epi16(y, _mm_set1_epi16(0x40f)),
			_mm_cmplt_epi16(y, _mm_set1_epi16(0x430)));
		__m128i old = _mm_cmplt_epi16(y, _mm_set1_epi16(0x410));
		__m128i yo =
		    _mm_or_si128(_mm_cmpeq_epi16(y, _mm_set1_epi16(0x401)),
			_mm_cmpeq_epi16(y, _mm_set1_epi16(0x451)));
		__m128i f;
		unsigned m;

		ok = _mm_and_si128(
		    ok, _mm_cmplt_epi16(y, _mm_set1_epi16(0x460)));
		m = (unsigned)_mm_movemask_epi8(ok);
		f = _mm_add_epi16(y,
		    _mm_or_si128(_mm_and_si128(caps, _mm_set1_epi16(32)),
			_mm_and_si128(old, _mm_set1_epi16(0x50))));
		f = _mm_or_si128(_mm_andnot_si128(yo, f),
		    _mm_and_si128(yo, _mm_set1_epi16(0x435)));
		f = _mm_or_si128(
		    _mm_or_si128(_mm_srli_epi16(f, 6), _mm_set1_epi16(0xc0)),
		    _mm_slli_epi16(
			_mm_or_si128(_mm_and_si128(f, _mm_set1_epi16(0x3f)),
			    _mm_set1_epi16(0x80)),
			8));
		_mm_storeu_si128((__m128i *)(w + n), f);
		if (m != 0xffff) {
			*ended = 1;
			return n + (size_t)__builtin_ctz(~m);
		}
		n += 16;
	}
	return n;
}
#endif

/* Next code point at s[*i]; invalid bytes read as U+FFFD, one byte. */
static inline int32_t
next_cp(const char *s, size_t len, size_t *i)
{
	utf8proc_int32_t c;
	utf8proc_ssize_t n;
	const unsigned char *u = (const unsigned char *)s + *i;

	/* the common cases inline: ASCII and two-byte sequences */
	if (u[0] < 0x80) {
		*i += 1;
		return u[0];
	}
	if (u[0] >= 0xc2 && u[0] < 0xe0 && *i + 1 < len &&
	    (u[1] & 0xc0) == 0x80) {
		*i += 2;
		return ((int32_t)(u[0] & 0x1f) << 6) | (u[1] & 0x3f);
	}
	n = utf8proc_iterate(
	    (const utf8proc_uint8_t *)s + *i, (utf8proc_ssize_t)(len - *i), &c);
	if (n <= 0) {
		*i += 1;
		return 0xfffd;
	}
	*i += (size_t)n;
	return c;
}

/* The code point ending just before byte i (which starts one). */
static int32_t
prev_cp(const char *s, size_t i)
{
	size_t k = i;

	if (i == 0)
		return -1;
	k--;
	while (k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80 && i - k < 4)
		k--;
	return next_cp(s, i, &k);
}

static int32_t
peek_cp(const char *s, size_t len, size_t i)
{
	if (i >= len)
		return -1;
	return next_cp(s, len, &i);
}

static enum qmark
mark_of(int32_t c)
{
	switch (c) {
	case '"':
		return QM_STRAIGHT;
	case 0x201c:
		return QM_LDQ;
	case 0x201d:
		return QM_RDQ;
	case 0x201e:
		return QM_LOW;
	case 0xab:
		return QM_LAQ;
	case 0xbb:
		return QM_RAQ;
	}
	return QM_NONE;
}

/* The lower-case form of one code point as the lexicon spells words: ё
 * read as е, a typographic apostrophe as a straight one. */
static int32_t
fold_cp(int32_t c)
{
	if (c < 0x80)
		return (c >= 'A' && c <= 'Z') ? c + 32 : c;
	if (c >= 0x410 && c < 0x430)
		c += 32;
	else if (c == 0x401)
		c = 0x435;
	else if (c >= 0x430 && c < 0x460)
		;
	else
		c = utf8proc_tolower(c);
	if (c == 0x451)
		c = 0x435;
	if (c == 0x2019)
		c = '\'';
	return c;
}

/* Writes the folded form of code point c at w; returns the byte after
 * it. (By value, not through a char **: the tokeniser's write pointer
 * stays in a register.) */
static inline char *
put_folded(char *w, int32_t c)
{
	c = fold_cp(c);
	if (c < 0x80) {
		*w = (char)c;
		return w + 1;
	}
	return w + utf8proc_encode_char(c, (utf8proc_uint8_t *)w);
}

/* Makes the lower-cased form of a word token readable through q_low. The
 * tokeniser wrote every word's form once; q_low reads a token's form as
 * the empty string until the stage first needs it, as the attribution
 * reads the words it was given and no others. */
static inline int
lower_tok(struct qpara *p, size_t t)
{
	struct qtok *k = &p->tok[t];

	if (k->flags & QF_WORD)
		k->flags |= QF_READ;
	return 0;
}

static inline struct qtok *
new_tok(struct qpara *p, size_t b, size_t cp, int space)
{
	struct qtok *t;

	if (p->ntok == p->captok &&
	    grow((void **)&p->tok, &p->captok, p->ntok + 1, sizeof *p->tok) < 0)
		return NULL;
	t = &p->tok[p->ntok++];
	/* low 0 and no QF_READ: q_low reads the empty string */
	*t = (struct qtok){.b = (uint32_t)b,
	    .cp = (uint32_t)cp,
	    .span = -1,
	    .flags = space ? QF_SPACEB : 0};
	return t;
}

static char
punct_class(int32_t c)
{
	switch (c) {
	case ',':
	case '.':
	case ':':
	case ';':
	case '!':
	case '?':
	case '(':
	case ')':
		return (char)c;
	case '-':
	case 0x2012:
	case 0x2013:
	case 0x2014:
	case 0x2015:
	case 0x2212:
		return 'D';
	case 0x2026:
		return 'E';
	}
	return 0;
}

/* Arabic article particles written joined to a capitalised name
 * ("al-Khalifa", "el-Sayed"): the word is part of the name. */
static const char *const name_particles[] = {
    "ad",
    "al",
    "an",
    "ar",
    "as",
    "ash",
    "at",
    "az",
    "el",
    "ul",
    "ur",
};

static int
name_particle(const char *w, size_t n)
{
	size_t i, k;

	for (k = 0; k < n && k < 4 && w[k] != '-'; k++)
		;
	if (k == 0 || k >= n - 1 || w[k] != '-' ||
	    !((unsigned char)w[k + 1] >= 'A' && (unsigned char)w[k + 1] <= 'Z'))
		return 0;
	for (i = 0; i < sizeof name_particles / sizeof name_particles[0]; i++)
		if (strlen(name_particles[i]) == k &&
		    memcmp(name_particles[i], w, k) == 0)
			return 1;
	return 0;
}

/* A Cyrillic letter of U+0400..U+045F, two bytes, at u[i]. */
static inline int
is_cyr2(const unsigned char *u, size_t i, size_t len)
{
	return i + 1 < len &&
	    (u[i] == 0xd0 || (u[i] == 0xd1 && u[i + 1] < 0xa0)) &&
	    (u[i + 1] & 0xc0) == 0x80;
}

/* Are the code points of [b, e) two letters or more, all upper-case
 * (connecting marks and digits aside)? Stops at the first lower-case
 * letter, which most capitalised words have second. */
static int
all_caps(const char *s, size_t b, size_t e)
{
	size_t i = b;
	int nlet = 0;
	int32_t c;

	while (i < e) {
		unsigned cl = ascii_class[(unsigned char)s[i]];

		if ((unsigned char)s[i] < 0x80) {
			if ((cl & AC_LETTER) && !(cl & AC_UPPER))
				return 0;
			nlet += (cl >> 1) & 1;
			i++;
			continue;
		}
		c = next_cp(s, e, &i);
		if (is_letter(c)) {
			if (!is_upper(c))
				return 0;
			nlet++;
		}
	}
	return nlet >= 2;
}

/* A punctuation mark or quotation mark, code point c at [at, i). */
static int
punct_tok(struct qpara *p, size_t at, size_t i, size_t cp, int space, int32_t c)
{
	struct qtok *t;

	if ((t = new_tok(p, at, cp, space)) == NULL)
		return -1;
	t->e = (uint32_t)i;
	/* a straight mark between two letters ("Kuwait"s", as some wires
	 * print an apostrophe) is no mark */
	if (mark_of(c) != QM_NONE &&
	    !(c == '"' && at > 0 && !space && is_alnum(prev_cp(p->s, at)) &&
		is_alnum(peek_cp(p->s, p->len, i))))
		t->flags |= QF_MARK;
	else
		t->ch = punct_class(c);
	return 0;
}

/* Splits the paragraph into words, punctuation and marks, and writes the
 * lower-cased form of each word into lowbuf in the same pass (sized by
 * nw_qpara_tokenise for all of them): the bytes are read once. The word
 * loop keeps little state (what a word's letters say about its case is
 * counted again only for the few words that can be all capitals), so that
 * it stays in registers. */
static int
tokenise_words(struct qpara *p)
{
	const char *s = p->s;
	const unsigned char *u = (const unsigned char *)s;
	size_t len = p->len, i = 0, cp = 0, wb, j, k, at;
	int space = 1, poss, ended = 0;
	int32_t c, d;
	struct qtok *t;
	char *w = p->lowbuf + 1, *w0;

	/* offset 0 is the empty string: the form of a token not yet read */
	p->lowbuf[0] = '\0';
	/* the dateline is no text of the dispatch: no token, so no sentence,
	 * mention or quotation starts in it; offsets stay the paragraph's */
	for (; i < p->from && i < len; i++)
		if ((u[i] & 0xc0) != 0x80)
			cp++;
	while (i < len) {
		unsigned cl = ascii_class[u[i]];

		at = i;
		if (cl & AC_SPACE) {
			i++;
			space = 1;
			cp++;
			continue;
		}
		if (cl & AC_ALNUM) {
			c = u[i]; /* the runs below read it */
		} else if (is_cyr2(u, i, len)) {
			c = ((int32_t)(u[i] & 0x1f) << 6) | (u[i + 1] & 0x3f);
		} else if (u[i] < 0x80) {
			if (punct_tok(p, at, i + 1, cp, space, u[i]) < 0)
				return -1;
			i++;
			cp++;
			space = 0;
			continue;
		} else {
			c = next_cp(s, len, &i);
			if (is_space(c)) {
				space = 1;
				cp++;
				continue;
			}
			if (!is_alnum(c)) {
				if (punct_tok(p, at, i, cp, space, c) < 0)
					return -1;
				cp++;
				space = 0;
				continue;
			}
			/* a letter of no run: written here */
			w0 = w;
			w = put_folded(w, c);
			cp++;
			goto word;
		}
		/* A word: letters and digits joined by hyphens, apostrophes
		 * and dots that sit between letters. */
		w0 = w;
	word:
		wb = at;
		poss = 0;
		if ((t = new_tok(p, wb, cp - (i > at), space)) == NULL)
			return -1;
		for (;;) {
			size_t st = i;

			/* the common cases: runs of ASCII letters and digits,
			 * and of Cyrillic letters (U+0400..U+045F) */
#ifdef __SSE2__
			ended = 0;
			if (i < len && (ascii_class[u[i]] & AC_ALNUM)) {
				size_t n = ascii_run16(u, i, len, w, &ended);

				i += n;
				w += n;
			}
#endif
			while (!ended && i < len &&
			    (ascii_class[u[i]] & AC_ALNUM)) {
				*w++ = (char)(u[i] |
				    ((ascii_class[u[i]] & AC_UPPER) ? 0x20
								    : 0));
				i++;
			}
			cp += i - st;
			st = i;
#ifdef __SSE2__
			ended = 0;
			if (i < len && (u[i] & 0xfe) == 0xd0) {
				size_t n = cyr_run16(u, i, len, w, &ended);

				i += n;
				w += n;
			}
#endif
			while (!ended && i + 1 < len) {
				unsigned b0 = u[i], b1 = u[i + 1];
				int32_t y =
				    (int32_t)(((b0 & 0x1f) << 6) | (b1 & 0x3f));

				/* as is_cyr2, in fewer branches */
				if ((b0 & 0xfe) != 0xd0 ||
				    (b1 & 0xc0) != 0x80 || y >= 0x460)
					break;
				if (y < 0x430)
					y = y < 0x410
					    ? (y == 0x401 ? 0x435 : y + 0x50)
					    : y + 32;
				else if (y == 0x451)
					y = 0x435;
				*w++ = (char)(0xc0 | (y >> 6));
				*w++ = (char)(0x80 | (y & 0x3f));
				i += 2;
			}
			cp += (i - st) / 2;
			/* the word ends at a space or a comma: most words */
			if (i >= len ||
			    (u[i] < 0x80 &&
				!(ascii_class[u[i]] & (AC_ALNUM | AC_JOIN))))
				break;
			if (i > st)
				continue;
			j = i;
			d = next_cp(s, len, &j);
			if (is_alnum(d)) {
				i = j;
				cp++;
				w = put_folded(w, d);
				continue;
			}
			/* what sits before the mark is always a letter or
			 * digit of the word: the loop ends at anything else */
			if (d == '-' || d == 0x2010 || d == 0x2011 ||
			    d == '\'' || d == 0x2019 || d == '.') {
				int32_t e2 = peek_cp(s, len, j);

				if (e2 < 0 || !is_alnum(e2))
					break;
				if (d == '.' &&
				    (!is_letter(e2) ||
					!(u[i - 1] < 0x80
						? (ascii_class[u[i - 1]] &
						      AC_LETTER)
						: is_letter(prev_cp(s, i)))))
					break;
				if ((d == '\'' || d == 0x2019) &&
				    (e2 == 's' || e2 == 'S')) {
					k = j + 1;
					if (k >= len ||
					    !is_alnum(peek_cp(s, len, k))) {
						poss = 1;
						break;
					}
				}
				if (d == '-')
					t->flags |= QF_HYPHEN;
				i = j;
				cp++;
				w = put_folded(w, d);
				continue;
			}
			break;
		}
		*w++ = '\0';
		t->flags |= QF_WORD;
		t->low = (uint32_t)(w0 - p->lowbuf);
		/* all capitals: only a word that starts with no lower-case
		 * letter can be */
		if (c < 0x80 ? (ascii_class[c] & AC_UPPER) || c <= '9'
			     : !(c >= 0x430 && c < 0x460)) {
			if (all_caps(s, wb, i))
				t->flags |= QF_UPPER;
		}
		if (poss) {
			/* skip the apostrophe and the s */
			next_cp(s, len, &i);
			i++;
			cp += 2;
			t->flags |= QF_POSS;
		}
		t->e = (uint32_t)i;
		if (c < 0x80 ? (ascii_class[c] & AC_UPPER) != 0 : is_upper(c))
			t->flags |= QF_CAP;
		else if ((c == 'a' || c == 'e' || c == 'u') && i - wb >= 4 &&
		    (u[wb + 2] == '-' || u[wb + 3] == '-') &&
		    name_particle(s + wb, i - wb))
			t->flags |= QF_CAP;
		if (c >= 0x400 && c < 0x530)
			t->flags |= QF_CYR;
		if (c >= '0' && c <= '9')
			t->flags |= QF_DIGIT;
		space = 0;
	}
	p->lowlen = (size_t)(w - p->lowbuf);
	p->cplen = cp;
	/* counted here rather than in new_tok: every token is made here */
	p->work->tokens += p->ntok;
	return 0;
}

static int32_t
cp_before(const struct qpara *p, size_t t)
{
	size_t b = p->tok[t].b, i;

	if (b == 0)
		return -1;
	i = b - 1;
	while (i > 0 && ((unsigned char)p->s[i] & 0xc0) == 0x80)
		i--;
	return peek_cp(p->s, p->len, i);
}

static int32_t
cp_after(const struct qpara *p, size_t t)
{
	return peek_cp(p->s, p->len, p->tok[t].e);
}

static int
span_new(struct qpara *p, size_t open)
{
	struct qspan *sp;

	if (grow((void **)&p->span, &p->capspan, p->nspan + 1,
		sizeof *p->span) < 0)
		return -1;
	sp = &p->span[p->nspan++];
	memset(sp, 0, sizeof *sp);
	sp->open = (uint32_t)open;
	sp->close = (uint32_t)p->ntok;
	sp->unclosed = 1;
	sp->ent = -1;
	return 0;
}

static void
span_close(struct qpara *p, size_t close)
{
	struct qspan *sp = &p->span[p->nspan - 1];

	sp->close = (uint32_t)close;
	sp->unclosed = 0;
}

/* A straight mark opens when text follows it, closes when text precedes
 * it. */
static int
straight_opens(const struct qpara *p, size_t t)
{
	int32_t a = cp_after(p, t), b = cp_before(p, t);

	if (a < 0 || is_space(a))
		return 0;
	return b < 0 || is_space(b) || b == '(' || b == '[' || b == 0x2014 ||
	    b == 0x2013 || b == '/' || mark_of(b) != QM_NONE;
}

/* A straight mark right after text and before a space, punctuation or
 * the end closes. */
static int
straight_closes(const struct qpara *p, size_t t)
{
	int32_t a = cp_after(p, t), b = cp_before(p, t);

	return b >= 0 && !is_space(b) && !straight_opens(p, t) &&
	    (a < 0 || is_space(a) || a == ',' || a == '.' || a == ';' ||
		a == ':' || a == ')' || a == 0x2014 || a == 0x2013);
}

/* Token of the paragraph's last curly closing mark (”), 0 none; read
 * once per paragraph, on demand (*memo is SIZE_MAX until then). */
static size_t
last_rdq(const struct qpara *p, size_t *memo)
{
	size_t t;

	if (*memo != SIZE_MAX)
		return *memo;
	*memo = 0;
	p->work->visits += p->ntok;
	for (t = p->ntok; t-- > 0;)
		if ((p->tok[t].flags & QF_MARK) &&
		    mark_of(peek_cp(p->s, p->len, p->tok[t].b)) == QM_RDQ) {
			*memo = t;
			break;
		}
	return *memo;
}

/* Finds the outermost quoted spans. Nested marks stay inside; a mark that
 * cannot close what is open ends it and starts a new span, so an
 * unbalanced mark runs at most to the next mark or the paragraph end. */
static int
find_spans(struct qpara *p)
{
	enum qmark stack[8];
	int depth = 0;
	size_t t, rdq = SIZE_MAX;

	p->work->visits += p->ntok;
	for (t = 0; t < p->ntok; t++) {
		enum qmark m, top;
		int32_t c;

		if (!(p->tok[t].flags & QF_MARK))
			continue;
		c = peek_cp(p->s, p->len, p->tok[t].b);
		m = mark_of(c);
		if (depth == 0) {
			if (m == QM_RDQ || m == QM_RAQ)
				continue; /* a stray closing mark */
			if (m == QM_STRAIGHT || m == QM_LDQ) {
				int32_t a = cp_after(p, t);

				if (a < 0 || is_space(a))
					continue;
			}
			if (span_new(p, t) < 0)
				return -1;
			stack[depth++] = m;
			continue;
		}
		top = stack[depth - 1];
		switch (m) {
		case QM_STRAIGHT:
			if (top == QM_STRAIGHT) {
				if (straight_opens(p, t) && depth == 1) {
					/* unbalanced: end here, open anew */
					span_close(p, t);
					p->span[p->nspan - 1].unclosed = 1;
					if (span_new(p, t) < 0)
						return -1;
					continue;
				}
				depth--;
			} else if (straight_opens(p, t) && depth < 8) {
				stack[depth++] = m;
			} else if (depth == 1) {
				/* “...," Putin said: a straight mark after text
				 * closes a curly opening when no curly closing
				 * mark follows in the paragraph (copy that mixes
				 * the two); else it is a stray mark inside */
				if ((top == QM_LDQ || top == QM_LOW) &&
				    straight_closes(p, t) &&
				    last_rdq(p, &rdq) <= t) {
					depth--;
					break;
				}
				continue;
			}
			break;
		case QM_LDQ:
			if (top == QM_LOW) {
				depth--;
			} else if (top == QM_LDQ && !straight_opens(p, t)) {
				depth--; /* “ used as a closing mark */
			} else if (depth < 8) {
				stack[depth++] = m;
			}
			break;
		case QM_RDQ:
			if (top == QM_LDQ || top == QM_LOW)
				depth--;
			else
				continue;
			break;
		case QM_LOW:
		case QM_LAQ:
			if (depth < 8)
				stack[depth++] = m;
			break;
		case QM_RAQ:
			if (top == QM_LAQ)
				depth--;
			else
				continue;
			break;
		case QM_NONE:
			break;
		}
		if (depth == 0)
			span_close(p, t);
	}
	return 0;
}

static int
is_ru_verb_tok(const struct qpara *p, size_t t)
{
	return (nw_qlex_verb(q_low(p, t), 1) & (QL_VERB | QL_PART)) != 0;
}

/* «часть1, — отметил он, — часть2»: one pair of marks around two parts
 * and the attribution between them. Splits such spans in two. */
static int
split_interrupted(struct qpara *p)
{
	size_t i, t, k, j;

	for (i = 0; i < p->nspan; i++) {
		struct qspan *sp = &p->span[i], *np;
		size_t end = sp->close;

		for (t = sp->open + 1; t + 3 < end; t++) {
			int verb = 0;

			p->work->visits++;
			if (p->tok[t].ch != ',' || p->tok[t + 1].ch != 'D')
				continue;
			/* a short clause with a reporting verb, then , — */
			for (k = t + 2; k < end && k < t + 12; k++) {
				p->work->visits++;
				if (p->tok[k].flags & QF_WORD) {
					if (lower_tok(p, k) < 0)
						return -1;
					if (nw_qlex_lookup(q_low(p, k)) &
					    (QL_VERB | QL_PART))
						verb = 1;
					continue;
				}
				if (p->tok[k].ch == ',' || p->tok[k].ch == '.')
					break;
				if (p->tok[k].ch != 0 ||
				    (p->tok[k].flags & QF_MARK))
					break;
			}
			if (!verb || k + 2 >= end ||
			    !((p->tok[k].ch == ',' || p->tok[k].ch == '.') &&
				p->tok[k + 1].ch == 'D'))
				continue;
			j = k + 1; /* the dash opening the second part */
			if (grow((void **)&p->span, &p->capspan, p->nspan + 1,
				sizeof *p->span) < 0)
				return -1;
			sp = &p->span[i];
			memmove(&p->span[i + 2], &p->span[i + 1],
			    (p->nspan - i - 1) * sizeof *p->span);
			p->nspan++;
			np = &p->span[i + 1];
			*np = *sp;
			np->open = (uint32_t)j;
			sp->close = (uint32_t)(t + 1);
			sp->unclosed = 0;
			break;
		}
	}
	return 0;
}

/* Which spans are quotations and which are names or titles in marks. */
static int
classify_spans(struct qpara *p)
{
	size_t i, t;

	for (i = 0; i < p->nspan; i++) {
		struct qspan *sp = &p->span[i];
		size_t end = sp->close;
		char last = 0;

		/* each loop below reads the span's tokens */
		p->work->visits += 3 * (end - sp->open);

		/* words as the corpus counts them: runs of non-space text
		 * with a letter or digit in them */
		{
			int inword = 0, counted = 0;

			for (t = sp->open + 1; t < end; t++) {
				if (t == sp->open + 1 ||
				    (p->tok[t].flags & QF_SPACEB)) {
					inword = 1;
					counted = 0;
				}
				if (inword && !counted &&
				    (p->tok[t].flags & QF_WORD)) {
					sp->words++;
					counted = 1;
				}
			}
		}
		for (t = sp->open + 1; t < end; t++) {
			if (!(p->tok[t].flags & QF_MARK))
				last = p->tok[t].ch;
		}
		sp->quote = sp->words >= 4;
		for (t = sp->close + 1;
		     !sp->unclosed && t < p->ntok && t <= sp->close + 3; t++)
			if (lower_tok(p, t) < 0)
				return -1;
		if (!sp->quote && sp->words > 0 &&
		    (last == ',' || last == '!' || last == '?' ||
			last == 'E')) {
			/* "No," he said: short, but said */
			if (!sp->unclosed && sp->close + 1 < p->ntok &&
			    ((nw_qlex_lookup(q_low(p, sp->close + 1)) &
				 (QL_PRON_M | QL_PRON_F)) ||
				(nw_qlex_verb(q_low(p, sp->close + 1), 0) &
				    QL_VERB)))
				sp->quote = 1;
		}
		if (!sp->quote && sp->words > 0 && sp->open > 0 &&
		    p->tok[sp->open - 1].ch == ':')
			sp->quote = 1;
		if (!sp->quote && sp->words > 0 && !sp->unclosed &&
		    sp->close + 2 < p->ntok &&
		    p->tok[sp->close + 1].ch == ',' &&
		    p->tok[sp->close + 2].ch == 'D' &&
		    sp->close + 3 < p->ntok && is_ru_verb_tok(p, sp->close + 3))
			sp->quote = 1;
		if (sp->quote) {
			for (t = sp->open + 1; t < end; t++)
				p->tok[t].span = (int32_t)i;
		} else {
			p->tok[sp->open].flags |= QF_INLINE;
			if (!sp->unclosed)
				p->tok[sp->close].flags |= QF_INLINE;
		}
	}
	/* keep only the quotations */
	for (i = 0, t = 0; i < p->nspan; i++) {
		if (!p->span[i].quote)
			continue;
		if (t != i) {
			size_t k;

			p->span[t] = p->span[i];
			for (k = p->span[t].open + 1; k < p->span[t].close; k++)
				p->tok[k].span = (int32_t)t;
		}
		t++;
	}
	p->nspan = t;
	return 0;
}

static int
is_sentence_end(char ch)
{
	return ch == '.' || ch == '!' || ch == '?' || ch == 'E';
}

/* Marks the first token of each sentence. */
static void
find_sentences(struct qpara *p)
{
	size_t t, n;

	if (p->ntok == 0)
		return;
	p->tok[0].flags |= QF_SSTART;
	p->work->visits += p->ntok;
	for (t = 0; t + 1 < p->ntok; t++) {
		const struct qtok *k = &p->tok[t];

		if (!is_sentence_end(k->ch))
			continue;
		if (k->ch == '.' && t > 0 && (p->tok[t - 1].flags & QF_WORD) &&
		    !(p->tok[t].flags & QF_SPACEB)) {
			const struct qtok *w = &p->tok[t - 1];

			if (w->lex & QL_ABBR)
				continue;
			/* an initial: "A. Grushko" */
			if ((w->flags & QF_CAP) && w->e - w->b <= 2 &&
			    !(w->flags & QF_DIGIT) &&
			    (w->e - w->b == 1 ||
				((unsigned char)p->s[w->b] >= 0xc0 &&
				    w->e - w->b == 2)))
				continue;
		}
		/* the sentence goes on past closing marks */
		n = t + 1;
		while (n < p->ntok && (p->tok[n].flags & QF_MARK) &&
		    p->tok[n].span < 0 && !(p->tok[n].flags & QF_SPACEB) &&
		    !(p->tok[n].flags & QF_INLINE && n + 1 < p->ntok &&
			(p->tok[n + 1].flags & QF_SPACEB) == 0 &&
			(p->tok[n + 1].flags & QF_WORD)))
			n++;
		if (n >= p->ntok)
			break;
		if (!(p->tok[n].flags & QF_SPACEB))
			continue;
		if ((p->tok[n].flags & (QF_CAP | QF_DIGIT)) ||
		    (p->tok[n].flags & QF_MARK) || p->tok[n].ch == '(')
			p->tok[n].flags |= QF_SSTART;
	}
}

void
nw_qpara_reset(struct qpara *p)
{
	p->ntok = 0;
	p->lowlen = 0;
	p->nspan = 0;
	p->cplen = 0;
}

void
nw_qpara_free(struct qpara *p)
{
	free(p->tok);
	free(p->lowbuf);
	free(p->span);
	memset(p, 0, sizeof *p);
}

/* The lexicon is read only outside quotations, where cues and names are:
 * most of the words of a dispatch are inside them. */
static int
lookup_words(struct qpara *p)
{
	const char *lw;
	size_t t, end = p->lowlen, n;

	p->work->visits += p->ntok;
	/* backwards: the tokeniser wrote the word forms one after another,
	 * each with its NUL, so a form ends where the next word's begins */
	for (t = p->ntok; t-- > 0;) {
		struct qtok *k = &p->tok[t];

		if (!(k->flags & QF_WORD))
			continue;
		n = end - k->low - 1;
		end = k->low;
		if (k->span >= 0 || (k->flags & QF_DIGIT))
			continue;
		lower_tok(p, t);
		lw = p->lowbuf + k->low;
		k->lex =
		    n > 0 && nw_qlex_maybe(lw, n) ? nw_qlex_probe(lw, n) : 0;
		k->verb = nw_qlex_verb_of(lw, k->lex);
		/* roles the lexicon lacks: "канцлером", "co-leader" */
		if (k->lex == 0 && k->e - k->b >= 6 &&
		    (!(k->flags & QF_CAP) || (k->flags & QF_SSTART))) {
			int cyr = (k->flags & QF_CYR) != 0,
			    hy = !cyr && (k->flags & QF_HYPHEN);

			if (cyr || hy)
				k->lex = nw_qattr_derived_lex(lw, cyr, hy);
		}
	}
	return 0;
}

int
nw_qpara_tokenise(struct qpara *p)
{
	if (p->work == NULL)
		p->work = &p->own;
	nw_qpara_reset(p);
	/* room for every word lower-cased (at most 4 bytes a code point),
	 * and for about one token in five bytes (grown if text is denser) */
	if (grow((void **)&p->lowbuf, &p->lowcap, p->len * 5 + 16, 1) < 0 ||
	    grow((void **)&p->tok, &p->captok, p->len / 4 + 16,
		sizeof *p->tok) < 0)
		return -1;
	if (tokenise_words(p) < 0 || find_spans(p) < 0)
		return -1;
	if (split_interrupted(p) < 0 || classify_spans(p) < 0 ||
	    lookup_words(p) < 0)
		return -1;
	find_sentences(p);
	return 0;
}

/* Text between the marks of a span, or to the paragraph end. */
static void
span_bytes(const struct qpara *p, const struct qspan *sp, size_t *b, size_t *e,
    size_t *cb, size_t *ce)
{
	const struct qtok *o = &p->tok[sp->open];
	size_t k;

	*b = o->e;
	*cb = o->cp + 1;
	if (!sp->unclosed) {
		*e = p->tok[sp->close].b;
		*ce = p->tok[sp->close].cp;
	} else if (sp->close < p->ntok) {
		/* cut at the mark that could not close it */
		*e = p->tok[sp->close].b;
		*ce = p->tok[sp->close].cp;
	} else {
		*e = p->len;
		*ce = p->cplen;
	}
	/* trim spaces at both ends */
	while (*b < *e && (p->s[*b] == ' ' || p->s[*b] == '\t')) {
		(*b)++;
		(*cb)++;
	}
	k = *e;
	while (k > *b &&
	    (p->s[k - 1] == ' ' || p->s[k - 1] == '\t' || p->s[k - 1] == '\n' ||
		p->s[k - 1] == '\r')) {
		k--;
		(*ce)--;
	}
	*e = k;
}

int
nw_qemit(struct qctx *c, const struct qpara *p, size_t a, size_t b,
    enum nw_quote_kind kind, long ent, const char *cue, size_t cuelen,
    const char *cue2, size_t cue2len)
{
	struct nw_event *ev = c->ev;
	struct nw_quote *q, *nq;
	size_t n = ev->nquotes, cb, ce;

	if (c->failed || a >= b)
		return -1;
	if ((n & (n - 1)) == 0 || n == 0) {
		size_t ncap = n ? n * 2 : 8;

		if ((nq = realloc(ev->quotes, ncap * sizeof *nq)) == NULL)
			goto fail;
		ev->quotes = nq;
	}
	q = &ev->quotes[n];
	memset(q, 0, sizeof *q);
	/* [a, b) is inside one paragraph, which holds no NUL */
	if ((q->text = malloc(b - a + 1)) == NULL)
		goto fail;
	memcpy(q->text, p->s + a, b - a);
	q->text[b - a] = '\0';
	if (cue != NULL) {
		size_t l = cuelen + (cue2 ? cue2len + 1 : 0);

		if ((q->cue = malloc(l + 1)) == NULL) {
			free(q->text);
			goto fail;
		}
		memcpy(q->cue, cue, cuelen);
		if (cue2 != NULL) {
			q->cue[cuelen] = ' ';
			memcpy(q->cue + cuelen + 1, cue2, cue2len);
		}
		q->cue[l] = '\0';
	}
	q->kind = kind;
	q->speaker = ent;
	q->paragraph = p->unit < 0 ? 0 : (size_t)p->unit;
	q->in_lede = p->unit == -1;
	/* code points of [a, b): from the token that starts at or before a */
	{
		size_t i, cp, lo = 0, hi = p->ntok;

		while (lo + 1 < hi) {
			size_t mid = (lo + hi) / 2;

			if (p->tok[mid].b <= a)
				lo = mid;
			else
				hi = mid;
		}
		i = 0;
		cp = 0;
		if (p->ntok > 0 && p->tok[lo].b <= a) {
			i = p->tok[lo].b;
			cp = p->tok[lo].cp;
		}
		p->work->bytes += b - i;
		for (; i < a; i++)
			if (((unsigned char)p->s[i] & 0xc0) != 0x80)
				cp++;
		cb = cp;
		for (; i < b; i++)
			if (((unsigned char)p->s[i] & 0xc0) != 0x80)
				cp++;
		ce = cp;
	}
	q->start = cb;
	q->end = ce;
	ev->nquotes = n + 1;
	return 0;
fail:
	c->failed = 1;
	return -1;
}

/* Emits the quotations of a paragraph; the attribution has filled in the
 * entity of each span. */
static void
emit_spans(struct qctx *c, const struct qpara *p, struct qrun *run)
{
	size_t i, b, e, cb, ce;

	for (i = 0; i < p->nspan; i++) {
		const struct qspan *sp = &p->span[i];
		struct nw_quote *q;

		span_bytes(p, sp, &b, &e, &cb, &ce);
		if (b >= e)
			continue;
		if (nw_qemit(c, p, b, e, (enum nw_quote_kind)sp->kind, sp->ent,
			sp->cue, sp->cuelen, sp->cue2, sp->cue2len) < 0)
			return;
		q = &c->ev->quotes[c->ev->nquotes - 1];
		q->start = cb;
		q->end = ce;
		if (grow((void **)&run->meta, &run->cap, c->ev->nquotes,
			sizeof *run->meta) < 0) {
			c->failed = 1;
			return;
		}
		run->meta[c->ev->nquotes - 1].ent = sp->ent;
		run->meta[c->ev->nquotes - 1].expl = sp->explicit_attr;
		run->meta[c->ev->nquotes - 1].nul = sp->null_speaker;
		run->meta[c->ev->nquotes - 1].fb = sp->fb;
		run->meta[c->ev->nquotes - 1].fbnul = sp->fbnul;
		run->meta[c->ev->nquotes - 1].stage = sp->stage;
		run->meta[c->ev->nquotes - 1].how = sp->how;
		run->meta[c->ev->nquotes - 1].mention = sp->mention;
		run->meta[c->ev->nquotes - 1].mentionlen = sp->mentionlen;
		run->meta[c->ev->nquotes - 1].pos = q_pos(p, sp->open);
		run->meta[c->ev->nquotes - 1].pend = sp->pend;
		run->meta[c->ev->nquotes - 1].pgender = sp->pgender;
		run->meta[c->ev->nquotes - 1].proles = sp->proles;
	}
}

/* Entities to speakers, in order of their first quotation. */
static void
make_speakers(struct qctx *c)
{
	struct nw_event *ev = c->ev;
	size_t i;

	for (i = 0; i < ev->nquotes; i++) {
		long e = ev->quotes[i].speaker;
		struct qent *en;
		struct nw_speaker *sp, *nsp;

		if (e < 0 || (size_t)e >= c->nent) {
			ev->quotes[i].speaker = -1;
			continue;
		}
		en = &c->ent[e];
		if (en->speaker < 0) {
			nsp = realloc(
			    ev->speakers, (ev->nspeakers + 1) * sizeof *nsp);
			if (nsp == NULL) {
				ev->quotes[i].speaker = -1;
				continue;
			}
			ev->speakers = nsp;
			sp = &ev->speakers[ev->nspeakers];
			memset(sp, 0, sizeof *sp);
			sp->name = en->name ? strdup(en->name) : NULL;
			sp->title = en->title ? strdup(en->title) : NULL;
			sp->organisation = en->org ? strdup(en->org) : NULL;
			sp->type = en->type;
			if (sp->name == NULL) {
				free(sp->title);
				free(sp->organisation);
				ev->quotes[i].speaker = -1;
				continue;
			}
			en->speaker = (long)ev->nspeakers++;
		}
		ev->quotes[i].speaker = en->speaker;
		ev->speakers[en->speaker].quotes++;
	}
}

/* A quotation over several paragraphs has one speaker: the one its last
 * part names, or its first part, or any part. */
static void
settle_chain(struct qctx *c, struct qrun *run, size_t first, size_t last)
{
	struct nw_event *ev = c->ev;
	long ent = -1;
	int found = 0, nul = 0;
	size_t i;

	if (run->meta == NULL || last >= ev->nquotes)
		return;
	if (run->meta[last].expl == 1) {
		ent = run->meta[last].ent;
		nul = run->meta[last].nul;
		found = 1;
	} else if (run->meta[first].expl) {
		ent = run->meta[first].ent;
		nul = run->meta[first].nul;
		found = 1;
	} else {
		for (i = first; i <= last; i++)
			if (run->meta[i].expl && run->meta[i].expl != 3) {
				ent = run->meta[i].ent;
				nul = run->meta[i].nul;
				found = 1;
				break;
			}
	}
	if (!found)
		return;
	for (i = first; i <= last; i++) {
		if (run->meta[i].expl == 3)
			continue;
		if (run->meta[i].expl == 1 && i != first && i != last)
			continue;
		if (run->meta[i].expl == 1 && (i == first || i == last) &&
		    run->meta[i].ent == ent)
			continue;
		if (run->meta[i].expl != 1 || i != last) {
			run->meta[i].stage =
			    "quotation over paragraphs: one speaker";
			ev->quotes[i].speaker = ent;
			run->meta[i].ent = ent;
			run->meta[i].nul = (uint8_t)nul;
			run->meta[i].expl = 2;
		}
	}
	if (!nul && ent >= 0)
		c->cur_speaker = ent;
}

/* Quotations nobody is named for take the speaker of the moment. */
static void
fallback(struct qctx *c, struct qrun *run, size_t from, size_t to)
{
	size_t i;

	for (i = from; i < to; i++) {
		if (run->meta[i].expl || run->meta[i].fbnul)
			continue;
		c->ev->quotes[i].speaker = run->meta[i].fb;
		run->meta[i].ent = run->meta[i].fb;
		/* no cue at all and nobody before: maybe the one named
		 * next (a cue whose subject is unknown is not that) */
		if (run->meta[i].stage == NULL && run->meta[i].fb < 0 &&
		    !run->meta[i].pend)
			run->meta[i].pend = 2;
		if (run->meta[i].stage == NULL)
			run->meta[i].stage = "no cue: speaker of the moment";
	}
}

static void
do_unit(struct qctx *c, struct qpara *p, struct qrun *run)
{
	size_t before = c->ev->nquotes, sbase, i;

	if (nw_qpara_tokenise(p) < 0) {
		c->failed = 1;
		return;
	}
	if (run->open && p->nspan > 0 && p->span[0].open == 0)
		p->span[0].chained = 1;
	/* attribution; reported speech is emitted as it is met */
	nw_qattr_paragraph(c, p);
	if (grow((void **)&run->meta, &run->cap, c->ev->nquotes + 1,
		sizeof *run->meta) < 0) {
		c->failed = 1;
		return;
	}
	for (i = before; i < c->ev->nquotes; i++) {
		memset(&run->meta[i], 0, sizeof run->meta[i]);
		run->meta[i].ent = c->ev->quotes[i].speaker;
		run->meta[i].expl = 3;
		run->meta[i].nul = c->ev->quotes[i].speaker < 0;
		run->meta[i].stage = "reported speech";
	}
	sbase = c->ev->nquotes;
	emit_spans(c, p, run);
	if (c->failed)
		return;
	/* chains: a quotation left open at the paragraph end may go on */
	if (run->open) {
		if (p->nspan > 0 && p->span[0].chained &&
		    sbase < c->ev->nquotes) {
			run->chain_last = sbase;
			if (!p->span[0].unclosed || p->nspan > 1) {
				settle_chain(
				    c, run, run->chain_first, run->chain_last);
				fallback(c, run, run->chain_first,
				    run->chain_last + 1);
				run->open = 0;
			}
		} else {
			settle_chain(c, run, run->chain_first, run->chain_last);
			fallback(c, run, run->chain_first, run->chain_last + 1);
			run->open = 0;
		}
	}
	if (p->nspan > 0 && p->span[p->nspan - 1].unclosed &&
	    p->span[p->nspan - 1].close >= p->ntok && p->unit >= 0) {
		size_t last = c->ev->nquotes - 1;

		if (last >= sbase && last < c->ev->nquotes) {
			if (!run->open)
				run->chain_first = last;
			run->chain_last = last;
			run->open = 1;
		}
	}
	for (i = sbase; i < c->ev->nquotes; i++) {
		if (run->open && i >= run->chain_first)
			break;
		if (!run->meta[i].expl)
			fallback(c, run, i, i + 1);
	}
}

/* Order of appearance: the lede, then the body paragraphs. */
static int
cmp_quote(const void *a, const void *b)
{
	const struct nw_quote *x = a, *y = b;

	if (x->in_lede != y->in_lede)
		return x->in_lede ? -1 : 1;
	if (x->paragraph != y->paragraph)
		return x->paragraph < y->paragraph ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return 0;
}

static int
cmp_first(const void *a, const void *b, void *arg)
{
	const struct qctx *c = arg;
	uint64_t x = c->ent[*(const int32_t *)a].first,
		 y = c->ent[*(const int32_t *)b].first;

	return x < y ? -1 : x > y;
}

/* Cataphora: a quotation nobody before it can have said (a lead quote
 * before any name, "the minister said" before the minister is named)
 * takes the first person named after it in its own paragraph or the next.
 * One sort of the people by first mention, one binary search a quote. */
static void
cataphora(struct qctx *c, struct qrun *run)
{
	struct nw_event *ev = c->ev;
	int32_t *by = NULL;
	size_t i, n = 0;

	for (i = 0; i < ev->nquotes; i++)
		if (run->meta[i].pend && ev->quotes[i].speaker < 0 &&
		    !run->meta[i].nul)
			break;
	if (i == ev->nquotes || (by = malloc(c->nent * sizeof *by)) == NULL)
		return;
	for (i = 0; i < c->nent; i++)
		if (c->ent[i].type == NW_SPEAKER_PERSON && c->ent[i].first)
			by[n++] = (int32_t)i;
	qsort_r(by, n, sizeof *by, cmp_first, c);
	for (i = 0; i < ev->nquotes; i++) {
		struct qmeta *m = &run->meta[i];
		size_t lo = 0, hi = n, k;
		long best;

		if (!m->pend || ev->quotes[i].speaker >= 0 || m->nul)
			continue;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (c->ent[by[mid]].first <= m->pos)
				lo = mid + 1;
			else
				hi = mid;
		}
		/* the first whose title fits the reference, else the first */
		best = -1;
		for (k = lo; k < n; k++) {
			const struct qent *e = &c->ent[by[k]];

			if ((e->first >> 24) > (m->pos >> 24) + 1)
				break;
			if (m->pgender && e->gender && e->gender != m->pgender)
				continue;
			if (best < 0)
				best = by[k];
			if (m->proles == NULL ||
			    nw_qres_title_fits(
				e->title ? e->title : e->role, m->proles)) {
				best = by[k];
				break;
			}
		}
		if (best >= 0) {
			ev->quotes[i].speaker = best;
			m->ent = best;
			m->stage = "nobody before fits: the person named next";
		}
	}
	free(by);
}

/* One line per quotation for --explain. Called before the quotations are
 * sorted, so meta[i] still belongs to quotes[i]; the line names the
 * paragraph and offset to match it with the event. */
static void
explain_all(struct qctx *c, const struct qrun *run,
    void (*explain)(void *, const char *), void *arg)
{
	const struct nw_event *ev = c->ev;
	size_t i;

	for (i = 0; i < ev->nquotes && run->meta != NULL; i++) {
		const struct nw_quote *q = &ev->quotes[i];
		const struct qmeta *m = &run->meta[i];
		long e = q->speaker;
		char *line = NULL, para[24];
		int n;

		if (q->in_lede)
			snprintf(para, sizeof para, "lede");
		else
			snprintf(para, sizeof para, "%ld", (long)q->paragraph);
		n = asprintf(&line,
		    "quote=%zu paragraph=%s start=%zu kind=%s speaker=\"%s\" "
		    "stage=\"%s\" mention=\"%.*s\" read-as=\"%s\"%s",
		    i, para, (size_t)q->start, nw_quote_kind_name(q->kind),
		    e >= 0 && (size_t)e < c->nent && c->ent[e].name
			? c->ent[e].name
			: "(none)",
		    m->stage ? m->stage
			     : (m->expl ? "cue" : "no cue, no speaker"),
		    m->mention ? (int)m->mentionlen : 0,
		    m->mention ? m->mention : "", m->how ? m->how : "-",
		    m->nul || m->fbnul ? " nobody-named=1" : "");
		if (n < 0)
			continue;
		explain(arg, line);
		free(line);
	}
}

/* The bytes of s taken by the dateline the parser found (dl, k bytes), when
 * s starts with it: its own rules say where a dateline ends ("OSLO, March 2
 * -", "(Itar-Tass) ——"), so this stage needs none of its own. */
static size_t
dateline_len(const char *dl, size_t k, const char *s, size_t n)
{
	if (k == 0 || k > n || s[0] != dl[0] || memcmp(s, dl, k) != 0)
		return 0;
	return k;
}

void
nw_quotes_extract(struct nw_event *ev)
{
	nw_quotes_extract_explain(ev, NULL, NULL);
}

static void extract(struct nw_event *, void (*)(void *, const char *), void *,
    struct nw_qwork *);

void
nw_quotes_extract_explain(struct nw_event *ev,
    void (*explain)(void *, const char *), void *explain_arg)
{
	extract(ev, explain, explain_arg, NULL);
}

void
nw_quotes_extract_work(struct nw_event *ev, struct nw_qwork *work)
{
	extract(ev, NULL, NULL, work);
}

static void
extract(struct nw_event *ev, void (*explain)(void *, const char *),
    void *explain_arg, struct nw_qwork *work)
{
	struct qctx c;
	struct qpara p;
	struct qrun run = {0};
	const char *dl = NULL;
	size_t i, dlen = 0;

	memset(&c, 0, sizeof c);
	memset(&p, 0, sizeof p);
	c.ev = ev;
	p.work = &c.work;
	c.ru = strcmp(ev->language, "ru") == 0;
	c.cur_speaker = -1;
	c.lead = -1;
	c.stmt = -1;

	/* the paragraph buffers are the dispatch's arena: grown (doubling)
	 * to its longest paragraph by nw_qpara_tokenise, reused by every
	 * paragraph, freed at the end */
	if (ev->dateline != NULL && ev->dateline->text != NULL) {
		dl = ev->dateline->text;
		dlen = strlen(dl);
	}
	if (ev->headline != NULL && !c.failed) {
		p.s = ev->headline;
		p.len = strlen(ev->headline);
		p.unit = -2;
		if (nw_qpara_tokenise(&p) == 0)
			nw_qnames_scan_mentions(&c, &p, 0, p.ntok);
	}
	if (ev->lede != NULL) {
		p.s = ev->lede;
		p.len = strlen(ev->lede);
		p.unit = -1;
		p.from = dateline_len(dl, dlen, p.s, p.len);
		do_unit(&c, &p, &run);
	}
	for (i = 0; i < ev->body.n && !c.failed; i++) {
		p.s = ev->body.v[i];
		p.len = strlen(p.s);
		p.unit = (long)i;
		p.from = dateline_len(dl, dlen, p.s, p.len);
		do_unit(&c, &p, &run);
	}
	if (run.open && !c.failed) {
		settle_chain(&c, &run, run.chain_first, run.chain_last);
		fallback(&c, &run, run.chain_first, run.chain_last + 1);
	}
	if (!c.failed && run.meta != NULL)
		cataphora(&c, &run);
	if (explain != NULL && !c.failed)
		explain_all(&c, &run, explain, explain_arg);
	if (ev->nquotes > 1)
		qsort(ev->quotes, ev->nquotes, sizeof *ev->quotes, cmp_quote);
	make_speakers(&c);
	nw_qpara_free(&p);
	free(run.meta);
	for (i = 0; i < c.nent; i++) {
		free(c.ent[i].name);
		free(c.ent[i].key);
		free(c.ent[i].key2);
		free(c.ent[i].title);
		free(c.ent[i].role);
		free(c.ent[i].org);
	}
	free(c.ent);
	if (work != NULL)
		*work = c.work;
}
