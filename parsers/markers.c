/* Version markers of wire copy (МОЛНИЯ, URGENT:, UPDATE 1-, CORRECTED-,
 * (исправлено), ОТМЕНА, ...): found on a dispatch's first and last lines,
 * taken off the headline block and recorded in ev->story_markers with the
 * kind they say in ev->story_kind. The words are data (markers.tsv, built
 * into markers_table.h); where each may stand is the mechanism here. */
#include <stdlib.h>
#include <string.h>

#include "newswire/story.h"
#include "wire.h"

/* Where a marker stands (the position column of markers.tsv). */
enum mk_pos {
	MK_LINE_BEFORE_HEADLINE, /* a line of its own above the headline */
	MK_HEADLINE_PREFIX,
	MK_HEADLINE_SUFFIX,
	MK_HEADLINE, /* a line that starts with it ("KILL KILL KILL =") */
	MK_WHOLE_HEADLINE_CAPS,
	MK_WHOLE_ITEM,
	MK_SLUG_PREFIX, /* a slug line of its own starting with it */
	MK_SLUG_SUFFIX,
	MK_SLUG_LINE,
	MK_ADVISORY_LINE,  /* "(Adds ...)", "Eds: ..." under the headline */
	MK_TIMESTAMP_LINE, /* "обновлено 15:12" under the headline */
	MK_CLOSING_LINE,
	MK_CLOSING_NOTE,
	MK_BODY_LINE,
	MK_METADATA,
};

/* What a marker says: a kind of version, a repeat, or nothing. */
enum mk_kind {
	MK_FLASH,
	MK_UPDATE,
	MK_CORRECTION,
	MK_KILL,
	MK_REPEAT,
	MK_NONE
};

struct marker {
	const char *text; /* a digit stands for any number, "1st" any ordinal */
	enum mk_pos pos;
	enum mk_kind kind;
};

static const struct marker markers[] = {
#include "markers_table.h"
};

#define NMARKERS (sizeof markers / sizeof markers[0])

/* How far down the head area (markers above and under the headline) goes,
 * and how many last lines may hold a closing note. */
#define HEAD_LINES    8
#define CLOSING_LINES 3
/* A line longer than this is a paragraph of text: the head ends there. */
#define HEAD_LINE_MAX 160
/* A dispatch with a flash marker and more lines than this is a short
 * first version (AFP's URGENT story), not a flash. */
#define FLASH_MAX_LINES 2

static const char *const kind_names[] = {
    [NW_STORY_NONE] = "none",
    [NW_STORY_FLASH] = "flash",
    [NW_STORY_FIRST] = "first",
    [NW_STORY_UPDATE] = "update",
    [NW_STORY_CORRECTION] = "correction",
    [NW_STORY_KILL] = "kill",
};

const char *
nw_story_kind_name(enum nw_story_kind k)
{
	return (size_t)k < sizeof kind_names / sizeof kind_names[0]
	    ? kind_names[k]
	    : "none";
}

int
nw_story_kind_from_name(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof kind_names / sizeof kind_names[0]; i++)
		if (strcmp(kind_names[i], s) == 0)
			return (int)i;
	return -1;
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
is_ordinal(const char *s)
{
	return (s[0] == 's' && s[1] == 't') || (s[0] == 'n' && s[1] == 'd') ||
	    (s[0] == 'r' && s[1] == 'd') || (s[0] == 't' && s[1] == 'h');
}

/* Length of s[0..n) matched by the marker pat at its start, or 0. A digit
 * run in pat matches any digit run, and an ordinal suffix after it any
 * ordinal suffix ("1st" matches "2nd", "UPDATE 1-" "UPDATE 12-"). */
static size_t
match_prefix(const char *s, size_t n, const char *pat)
{
	size_t i = 0;

	while (*pat != '\0') {
		if (is_digit(*pat)) {
			if (i >= n || !is_digit(s[i]))
				return 0;
			while (i < n && is_digit(s[i]))
				i++;
			while (is_digit(*pat))
				pat++;
			if (is_ordinal(pat)) {
				if (i + 2 > n || !is_ordinal(s + i))
					return 0;
				i += 2;
				pat += 2;
			}
			continue;
		}
		if (i >= n || s[i] != *pat)
			return 0;
		i++;
		pat++;
	}
	return i;
}

/* Whether match_prefix(s, n, pat) can be more than 0, by the first byte
 * alone: the loops below try every marker on every line they look at. */
static int
may_start(const char *s, size_t n, const char *pat)
{
	return n > 0 &&
	    (s[0] == pat[0] || (is_digit(pat[0]) && is_digit(s[0])));
}

/* Where the marker pat ends s[0..n) (digits as in match_prefix, without
 * ordinals): the start of the match, or n when it does not end s. */
static size_t
match_suffix(const char *s, size_t n, const char *pat)
{
	size_t i, len;

	/* without a digit the marker has one length: only the tail can
	 * match, and this runs on every headline for every suffix */
	if (strpbrk(pat, "0123456789") == NULL) {
		len = strlen(pat);
		return len <= n && memcmp(s + n - len, pat, len) == 0 ? n - len
								      : n;
	}
	for (i = n; i-- > 0;)
		if (may_start(s + i, n - i, pat) &&
		    match_prefix(s + i, n - i, pat) == n - i)
			return i;
	return n;
}

static void
trim(const char **p, size_t *n)
{
	while (*n > 0 && (**p == ' ' || **p == '\t')) {
		(*p)++;
		(*n)--;
	}
	while (*n > 0 && ((*p)[*n - 1] == ' ' || (*p)[*n - 1] == '\t'))
		(*n)--;
}

/* The line is the marker alone, maybe with a closing ':', '.', '!' or
 * " =" (МОЛНИЯ., FLASH:, ОТМЕНА). */
static int
whole_line(const char *s, size_t n, const char *pat)
{
	size_t k = match_prefix(s, n, pat);

	if (k == 0)
		return 0;
	while (k < n &&
	    (s[k] == ':' || s[k] == '.' || s[k] == '!' || s[k] == ' ' ||
		s[k] == '='))
		k++;
	return k == n;
}

/* A prefix must leave a headline and, when it ends in a letter, be
 * followed by a space ("URGENT Louvre", not "URGENTLY"). */
static size_t
headline_prefix(const char *s, size_t n, const char *pat)
{
	size_t k = match_prefix(s, n, pat);
	unsigned char last;

	if (k == 0 || k >= n)
		return 0;
	last = (unsigned char)s[k - 1];
	if ((last >= 0x80 || (last | 0x20) >= 'a') && s[k] != ' ')
		return 0;
	return k;
}

/* An hour and minute alone on a line ("15:12"), as tass.ru prints its
 * time of publication above "обновлено 15:12". */
static int
time_line(const char *s, size_t n)
{
	return (n == 5 && is_digit(s[0]) && is_digit(s[1]) && s[2] == ':' &&
		   is_digit(s[3]) && is_digit(s[4])) ||
	    (n == 4 && is_digit(s[0]) && s[1] == ':' && is_digit(s[2]) &&
		is_digit(s[3]));
}

/* A dpa slug line: "Germany-Rail/" — words joined by hyphens, ending in a
 * slash, no spaces. */
static int
slug_line(const char *s, size_t n)
{
	size_t i;

	if (n < 3 || n > 60 || s[n - 1] != '/')
		return 0;
	for (i = 0; i + 1 < n; i++)
		if (s[i] == ' ' || s[i] == '/')
			return 0;
	return memchr(s, '-', n) != NULL;
}

/* A slug is one word of keywords, maybe followed by a version note after a
 * comma ("BC-Storm-Texas,2nd Ld-Writethru", "ЭКСПРЕСС-РОССИЯ-ГАЗ"): no
 * space before the first comma. */
static int
slug_words(const char *s, size_t n)
{
	size_t sp = 0, comma;

	while (sp < n && s[sp] != ' ')
		sp++;
	for (comma = 0; comma < n && s[comma] != ','; comma++)
		;
	return n <= 80 && (sp == n || comma < sp);
}

/* The advisory line pat marks: it starts with pat, or it is an "Eds:" note
 * holding pat ("Eds: 2nd Writethru"). */
static int
advisory(const char *s, size_t n, const char *pat)
{
	size_t i;

	if (match_prefix(s, n, pat) > 0)
		return 1;
	if (n < 5 || memcmp(s, "Eds:", 4) != 0)
		return 0;
	for (i = 4; i < n && i < 40; i++)
		if (match_prefix(s + i, n - i, pat) > 0)
			return 1;
	return 0;
}

/* A set of two-byte starts, hashed into 1024 bits. */
static unsigned
pair_bit(char a, char b)
{
	return ((unsigned)(unsigned char)a * 37 + (unsigned char)b) & 1023;
}

static void
pair_set(uint64_t *set, char a, char b)
{
	unsigned k = pair_bit(a, b);

	set[k >> 6] |= 1ULL << (k & 63);
}

static int
pair_has(const uint64_t *set, char a, char b)
{
	unsigned k = pair_bit(a, b);

	return (int)(set[k >> 6] >> (k & 63) & 1);
}

struct take {
	struct nw_event *ev;
	struct nw_line *lines;
	size_t nlines;
	int kinds; /* bit per enum mk_kind seen */
	int err;
	uint64_t starts[16]; /* pair_set of the markers' first two bytes */
	int unfiltered;      /* a marker too short for starts */
};

/* The first two bytes of each marker (a digit stands for any), and "Ed"
 * of the "Eds:" notes an advisory may stand in, so that a line that
 * starts like none of them costs one look. A line starting with a digit
 * (an ordinal, "1st LD") is always tried. */
static void
starts_init(struct take *t)
{
	size_t m, k;

	for (m = 0; m < NMARKERS; m++) {
		const char *p = markers[m].text;

		if (p[0] == '\0' || p[1] == '\0') {
			t->unfiltered = 1;
			continue;
		}
		if (is_digit(p[1])) {
			for (k = '0'; k <= '9'; k++)
				pair_set(t->starts, p[0], (char)k);
		} else {
			pair_set(t->starts, p[0], p[1]);
		}
	}
	pair_set(t->starts, 'E', 'd');
}

/* Whether some marker may start s[0..n). */
static int
may_be_marker(const struct take *t, const char *s, size_t n)
{
	return t->unfiltered || (n > 0 && is_digit(s[0])) ||
	    (n >= 2 && pair_has(t->starts, s[0], s[1]));
}

static void
record(struct take *t, const char *s, size_t n, enum mk_kind k)
{
	trim(&s, &n);
	if (n == 0)
		return;
	if (nw_strv_pushn(&t->ev->story_markers, s, n) < 0)
		t->err = 1;
	t->kinds |= 1 << k;
}

static void
drop_line(struct take *t, size_t i)
{
	memmove(t->lines + i, t->lines + i + 1,
	    (t->nlines - i - 1) * sizeof *t->lines);
	t->nlines--;
}

/* A line of its own in the head area that is only a marker: which, or
 * NULL. */
static const struct marker *
head_line_marker(const struct take *t, const char *s, size_t n)
{
	size_t m;

	if (!may_be_marker(t, s, n))
		return NULL;
	for (m = 0; m < NMARKERS; m++) {
		const struct marker *mk = &markers[m];

		/* only an advisory may stand after "Eds:" */
		if (!may_start(s, n, mk->text) &&
		    (mk->pos != MK_ADVISORY_LINE || n < 5 || s[0] != 'E'))
			continue;
		switch (mk->pos) {
		case MK_LINE_BEFORE_HEADLINE:
			if (whole_line(s, n, mk->text))
				return mk;
			break;
		case MK_HEADLINE:
			if (match_prefix(s, n, mk->text) > 0)
				return mk;
			break;
		case MK_SLUG_PREFIX:
			if (match_prefix(s, n, mk->text) > 0 &&
			    slug_words(s, n))
				return mk;
			break;
		case MK_ADVISORY_LINE:
			if (advisory(s, n, mk->text))
				return mk;
			break;
		case MK_TIMESTAMP_LINE:
			if (match_prefix(s, n, mk->text) > 0 && n < 40)
				return mk;
			break;
		default:
			break;
		}
	}
	return NULL;
}

/* Take prefixes (repeatedly: "REPEAT-REFILE-") and suffixes off the
 * headline line. */
static void
strip_headline(struct take *t, struct nw_line *l)
{
	size_t m, k;
	int again = 1;

	while (again) {
		again = 0;
		for (m = 0; m < NMARKERS; m++) {
			const struct marker *mk = &markers[m];

			if (mk->pos == MK_HEADLINE_PREFIX &&
			    may_start(l->p, l->n, mk->text) &&
			    (k = headline_prefix(l->p, l->n, mk->text)) > 0) {
				record(t, l->p, k, mk->kind);
				l->p += k;
				l->n -= k;
				trim(&l->p, &l->n);
				again = 1;
			} else if ((mk->pos == MK_HEADLINE_SUFFIX ||
				       mk->pos == MK_SLUG_SUFFIX) &&
			    (k = match_suffix(l->p, l->n, mk->text)) < l->n &&
			    k > 0) {
				record(t, l->p + k, l->n - k, mk->kind);
				l->n = k;
				trim(&l->p, &l->n);
				again = 1;
			}
		}
	}
}

/* Closing notes and body lines say a kind but are the agency's text: they
 * stay in the body, only recorded. */
static void
body_markers(struct take *t, size_t from)
{
	size_t i, m, k;

	/* a paragraph that starts like no marker costs one look */
	for (i = from; i < t->nlines; i++) {
		const struct nw_line *l = &t->lines[i];
		int closing = i + CLOSING_LINES >= t->nlines;

		if (!may_be_marker(t, l->p, l->n))
			continue;
		for (m = 0; m < NMARKERS; m++) {
			const struct marker *mk = &markers[m];

			/* every marker here starts the line, "(" included */
			if (!may_start(l->p, l->n, mk->text))
				continue;
			if (mk->pos == MK_BODY_LINE ||
			    (closing &&
				(mk->pos == MK_CLOSING_NOTE ||
				    mk->pos == MK_CLOSING_LINE))) {
				if ((k = match_prefix(l->p, l->n, mk->text)) >
				    0) {
					record(t, l->p, k, mk->kind);
					break;
				}
			} else if (closing && mk->pos == MK_ADVISORY_LINE &&
			    l->p[0] == '(' && advisory(l->p, l->n, mk->text)) {
				record(t, l->p, l->n, mk->kind);
				break;
			}
		}
	}
}

int
nw_markers_take(struct nw_event *ev, struct nw_line *lines, size_t *nlines)
{
	struct take t = {ev, lines, *nlines, 0, 0, {0}, 0};
	const struct marker *mk;
	size_t i = 0, body = 0;
	int headline = 0;

	starts_init(&t);
	while (i < t.nlines && i < HEAD_LINES) {
		struct nw_line *l = &t.lines[i];

		if (time_line(l->p, l->n) && i + 1 < t.nlines &&
		    (mk = head_line_marker(
			 &t, t.lines[i + 1].p, t.lines[i + 1].n)) != NULL &&
		    mk->pos == MK_TIMESTAMP_LINE) {
			drop_line(&t, i); /* the time above "обновлено" */
			continue;
		}
		if ((mk = head_line_marker(&t, l->p, l->n)) != NULL) {
			record(&t, l->p, l->n, mk->kind);
			drop_line(&t, i);
			continue;
		}
		if (slug_line(l->p, l->n) && i + 1 < t.nlines) {
			record(&t, l->p, l->n, MK_NONE);
			drop_line(&t, i);
			continue;
		}
		if (headline) {
			/* a site's furniture may stand between the headline
			 * and its time stamp; a paragraph ends the head */
			if (l->n > HEAD_LINE_MAX)
				break;
			i++;
			continue;
		}
		strip_headline(&t, l);
		headline = 1;
		body = ++i;
	}
	body_markers(&t, body);
	*nlines = t.nlines;
	if (t.kinds & (1 << MK_KILL))
		ev->story_kind = NW_STORY_KILL;
	else if (t.kinds & (1 << MK_CORRECTION))
		ev->story_kind = NW_STORY_CORRECTION;
	else if (t.kinds & (1 << MK_UPDATE))
		ev->story_kind = NW_STORY_UPDATE;
	else if (t.kinds & (1 << MK_FLASH))
		ev->story_kind = t.nlines <= FLASH_MAX_LINES ? NW_STORY_FLASH
							     : NW_STORY_NONE;
	else if (t.nlines == 1)
		ev->story_kind = NW_STORY_FLASH; /* a one-line dispatch */
	return t.err ? -1 : 0;
}
