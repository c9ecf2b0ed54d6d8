/* The headline block and the body: tells site furniture ("All news",
 * section names, "Read also", "Source: ... | Editor: ..."), photo captions
 * and credits ("© Name/TASS", "caption Name/TASS" glued on one line) from
 * the headline and the lede, in whatever order a scraped page has them,
 * and keeps the body paragraphs free of the same furniture. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "wire.h"

/* The first two bytes alike without case: a cheap test that rejects
 * nearly every line before the full comparison. It may pass bytes that
 * strncasecmp tells apart (0x20 is only the ASCII case bit), never the
 * other way round. */
static int
first_alike(const char *s, size_t n, const char *lit)
{
	return n > 0 && (s[0] | 0x20) == (lit[0] | 0x20) &&
	    (lit[1] == '\0' || (n > 1 && (s[1] | 0x20) == (lit[1] | 0x20)));
}

/* s[0..n) is lit (len bytes) without ASCII case: the length first, the
 * cheapest test. */
static inline int
line_isn(const char *s, size_t n, const char *lit, size_t len)
{
	return n == len && first_alike(s, n, lit) &&
	    strncasecmp(s, lit, n) == 0;
}

static inline int
starts_withn(const char *s, size_t n, const char *lit, size_t len)
{
	return first_alike(s, n, lit) && n >= len &&
	    strncasecmp(s, lit, len) == 0;
}

/* For literals, whose length the compiler knows: inlined, a line that
 * starts otherwise costs a compare or two, not a call and a strlen. */
#define line_is(s, n, lit)     line_isn(s, n, "" lit, sizeof(lit) - 1)
#define starts_with(s, n, lit) starts_withn(s, n, "" lit, sizeof(lit) - 1)

/* A literal with its length. */
#define LIT(w)                                                                 \
	{                                                                      \
		w, sizeof w - 1                                                \
	}
struct lit {
	const char *w;
	size_t n;
};

static const struct lit read_also[] = {LIT("Read also"), LIT("Read more"),
    LIT("See also"), LIT("Also read"), LIT("Читайте также"),
    LIT("Читать также"), LIT("Также читайте"), LIT("Смотрите также")};

static int
is_read_also(const char *s, size_t n, int *alone)
{
	size_t i, len;

	for (i = 0; i < sizeof read_also / sizeof read_also[0]; i++) {
		len = read_also[i].n;
		if (!starts_withn(s, n, read_also[i].w, len))
			continue;
		*alone = n == len || (n == len + 1 && s[len] == ':');
		if (*alone || s[len] == ':')
			return 1;
	}
	return 0;
}

static int
is_upper_start(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t c;

	if (n == 0 || nw_utf8_decode(u, n, &c) == 0)
		return 0;
	return (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE) ||
	    (c >= 0x400 && c <= 0x42F);
}

/* Where a "Name Surname/AGENCY" credit at the end of s starts: the offset
 * of the token holding the last '/'. SIZE_MAX when the line doesn't. */
static size_t
credit_tail(const char *s, size_t n, size_t *nwords_after)
{
	const char *slash = memrchr(s, '/', n), *p;
	size_t after, i, words = 1, tok;

	if (slash == NULL || slash == s || slash[-1] == ' ')
		return SIZE_MAX;
	after = (size_t)(s + n - slash) - 1;
	if (after == 0 || after > 40 || !is_upper_start(slash + 1, after))
		return SIZE_MAX;
	/* one to four capitalised words after the slash ("TASS", "TASS Host
	 * Photo Agency"), no sentence end */
	for (i = 1; i < after; i++) {
		p = slash + 1 + i;
		if (p[-1] == ' ') {
			if (!is_upper_start(p, after - i) || ++words > 4)
				return SIZE_MAX;
		}
	}
	if (strchr(".!?:;,\"»”", s[n - 1]) != NULL)
		return SIZE_MAX;
	/* the name's last word is glued to the slash and capitalised */
	for (tok = (size_t)(slash - s); tok > 0 && s[tok - 1] != ' '; tok--)
		;
	if (!is_upper_start(s + tok, (size_t)(slash - s) - tok))
		return SIZE_MAX;
	*nwords_after = words;
	return tok;
}

static size_t
count_words(const char *s, size_t n)
{
	size_t i, w = n > 0;

	for (i = 0; i < n; i++)
		w += s[i] == ' ';
	return w;
}

/* Page and wire furniture other than "All news" and "Read also": tags,
 * bylines, an editor's line, the agency's sign-off and a bare date or
 * time stamp ("26 DEC 2024, 14:35", "Updated: 2025-03-03 21:07"). */
static const struct lit furniture_prefixes[] = {LIT("Tags:"), LIT("Теги:"),
    LIT("Editor:"), LIT("Редактор:"), LIT("Reporting by "),
    LIT("(Reporting by "), LIT("Editing by "), LIT("Writing by "),
    LIT("Our Standards:"), LIT("Updated:"), LIT("Published:"),
    LIT("Обновлено:")};

/* Words a time stamp may hold besides numbers and month names, with
 * their lengths: every short line of every dispatch is tried on them. */
#define STAMP_WORD(w)                                                          \
	{                                                                      \
		w, sizeof w - 1                                                \
	}
static const struct {
	const char *w;
	size_t n;
} stamp_words[] = {STAMP_WORD("Updated"), STAMP_WORD("Published"),
    STAMP_WORD("Posted"), STAMP_WORD("UPD"), STAMP_WORD("AM"), STAMP_WORD("PM"),
    STAMP_WORD("a.m."), STAMP_WORD("p.m."), STAMP_WORD("UTC"),
    STAMP_WORD("GMT"), STAMP_WORD("MSK"), STAMP_WORD("EST"), STAMP_WORD("EDT"),
    STAMP_WORD("CET"), STAMP_WORD("CEST"), STAMP_WORD("МСК"),
    STAMP_WORD("Monday"), STAMP_WORD("Tuesday"), STAMP_WORD("Wednesday"),
    STAMP_WORD("Thursday"), STAMP_WORD("Friday"), STAMP_WORD("Saturday"),
    STAMP_WORD("Sunday"), STAMP_WORD("Обновлено"), STAMP_WORD("ago"),
    STAMP_WORD("min"), STAMP_WORD("minute"), STAMP_WORD("minutes"),
    STAMP_WORD("hour"), STAMP_WORD("hours"), STAMP_WORD("day"),
    STAMP_WORD("days"), STAMP_WORD("назад")};

static int
is_stamp_word(const char *s, size_t n)
{
	size_t i;

	if (nw_month_lookup(s, n) != 0)
		return 1;
	if (n > 0 && s[n - 1] == ':')
		n--;
	/* "GMT+3", "UTC-05:00" */
	if (n > 4 && (strncmp(s, "GMT", 3) == 0 || strncmp(s, "UTC", 3) == 0) &&
	    (s[3] == '+' || s[3] == '-') && s[4] >= '0' && s[4] <= '9')
		return 1;
	for (i = 0; i < sizeof stamp_words / sizeof stamp_words[0]; i++)
		if (stamp_words[i].n == n &&
		    strncasecmp(stamp_words[i].w, s, n) == 0)
			return 1;
	return 0;
}

/* What separates the words of a stamp: " ,()" (and the NUL that
 * strchr would find in that string). */
static int
stamp_sep(char c)
{
	return c == ' ' || c == ',' || c == '(' || c == ')' || c == '\0';
}

/* "26 DEC 2024, 14:35", "2025-03-03 21:07:45", "Updated 2:35 PM EST,
 * March 3, 2025": numbers, month names and a few stamp words only. */
static int
is_stamp(const char *s, size_t n)
{
	size_t i = 0, j, k, digits = 0;

	/* two digits at least, wherever they are: most lines have none,
	 * and this runs on every short one */
	for (k = 0; k < n && digits < 2; k++)
		digits += s[k] >= '0' && s[k] <= '9';
	if (digits < 2)
		return 0;
	digits = 0;

	while (i < n) {
		while (i < n && stamp_sep(s[i]))
			i++;
		for (j = i; j < n && !stamp_sep(s[j]); j++)
			;
		if (j == i)
			break;
		if ((s[i] >= '0' && s[i] <= '9') || s[i] == '+') {
			for (k = i; k < j; k++) {
				if (s[k] >= '0' && s[k] <= '9')
					digits++;
				else if (!strchr(":.-/+", s[k]))
					return 0;
			}
		} else if (!is_stamp_word(s + i, j - i)) {
			return 0;
		}
		i = j;
	}
	return digits >= 2;
}

/* "Türkiye Materials 20 September 2009 11:26 (UTC +04:00)": a site's
 * rubric of one to three capitalised words, then a stamp that holds a
 * clock time. */
static int
is_rubric_stamp(const char *s, size_t n)
{
	size_t i = 0, words = 0;

	/* the clock time needs a colon */
	if (memchr(s, ':', n) == NULL)
		return 0;

	while (i < n && !(s[i] >= '0' && s[i] <= '9')) {
		if (!is_upper_start(s + i, n - i) || ++words > 3)
			return 0;
		while (i < n && s[i] != ' ')
			i++;
		i++;
	}
	if (words == 0 || i >= n || !is_stamp(s + i, n - i))
		return 0;
	for (; i + 2 < n; i++)
		if (s[i] >= '0' && s[i] <= '9' && s[i + 1] == ':' &&
		    s[i + 2] >= '0' && s[i + 2] <= '9')
			return 1;
	return 0;
}

/* "3 min read", "5 minute read" */
static int
is_reading_time(const char *s, size_t n)
{
	return n < 24 && s[0] >= '0' && s[0] <= '9' &&
	    (memmem(s, n, " min read", 9) != NULL ||
		memmem(s, n, " minute read", 12) != NULL ||
		memmem(s, n, " minutes read", 13) != NULL);
}

static int
is_furniture_line(const char *s, size_t n)
{
	size_t i, words;

	for (i = 0;
	     i < sizeof furniture_prefixes / sizeof furniture_prefixes[0]; i++)
		if (starts_withn(
			s, n, furniture_prefixes[i].w, furniture_prefixes[i].n))
			return n < 200;
	/* "Source: Xinhua" (with "| Editor: ..." it is caught above) */
	if ((starts_with(s, n, "Source:") || starts_with(s, n, "Источник:")) &&
	    n < 80)
		return 1;
	if (line_is(s, n, "Перейти в фотобанк") || line_is(s, n, "Share") ||
	    line_is(s, n, "Поделиться"))
		return 1;
	if (n <= 64 && is_stamp(s, n))
		return 1;
	if (n <= 80 && is_rubric_stamp(s, n))
		return 1;
	if (is_reading_time(s, n))
		return 1;
	/* "By John Smith": a byline, not a lede starting with "By 2030" */
	if (starts_with(s, n, "By ") && n < 60 && s[n - 1] != '.' &&
	    (words = count_words(s, n)) >= 3 && words <= 6 &&
	    is_upper_start(s + 3, n - 3))
		return 1;
	return 0;
}

/* "... | Editor: ...": memmem's search for the whole string costs more
 * than finding the rare '|' first, on every line. */
static int
editor_bar(const char *s, size_t n)
{
	const char *p = s, *end = s + n;

	while ((p = memchr(p, '|', (size_t)(end - p))) != NULL) {
		if ((size_t)(end - p) >= 9 && memcmp(p, "| Editor:", 9) == 0)
			return 1;
		p++;
	}
	return 0;
}

enum nw_line_kind
nw_line_classify(const char *s, size_t n)
{
	size_t tok, after;
	int alone;

	/* furniture and credit lines are short; most body paragraphs are
	 * not, and this runs on every line */
	if (n > 300)
		return NW_LINE_TEXT;
	/* a longer line ending a sentence is a paragraph of text */
	if (n > 120 &&
	    (strchr(".!?\"", s[n - 1]) != NULL ||
		(n > 3 &&
		    (memcmp(s + n - 2, "»", 2) == 0 ||
			memcmp(s + n - 3, "”", 3) == 0))))
		return NW_LINE_TEXT;
	if (line_is(s, n, "All news") || line_is(s, n, "Все новости") ||
	    line_is(s, n, "Top news") || line_is(s, n, "Latest news"))
		return NW_LINE_FURNITURE;
	if ((starts_with(s, n, "Source:") || starts_with(s, n, "Источник:")) &&
	    memchr(s, '|', n) != NULL)
		return NW_LINE_FURNITURE;
	if (editor_bar(s, n))
		return NW_LINE_FURNITURE;
	if (is_read_also(s, n, &alone))
		return NW_LINE_READALSO;
	if (is_furniture_line(s, n))
		return NW_LINE_FURNITURE;
	if (starts_with(s, n, "©") || starts_with(s, n, "(c) ") ||
	    starts_with(s, n, "Photo: ") || starts_with(s, n, "Фото: "))
		return NW_LINE_CREDIT;
	if (n < 200 && (tok = credit_tail(s, n, &after)) != SIZE_MAX) {
		/* "Sergei Bobylev/TASS" alone, or glued after a caption */
		size_t i, spaces = 0;

		for (i = 0; i < tok; i++)
			spaces += s[i] == ' ';
		return spaces <= 2 && n < 60 ? NW_LINE_CREDIT : NW_LINE_GLUED;
	}
	return NW_LINE_TEXT;
}

/* The credit a CREDIT line carries: "© Name/TASS" -> "Name/TASS". */
static void
credit_text(const char *s, size_t n, const char **cp, size_t *cn)
{
	static const struct lit prefixes[] = {
	    LIT("©"), LIT("(c) "), LIT("Photo: "), LIT("Фото: ")};
	size_t i, len;

	for (i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
		len = prefixes[i].n;
		if (starts_withn(s, n, prefixes[i].w, len)) {
			s += len, n -= len;
			break;
		}
	}
	while (n > 0 && *s == ' ')
		s++, n--;
	*cp = s;
	*cn = n;
}

struct head {
	struct nw_event *ev;
	struct nw_lens *lens;
	const struct nw_line *lines;
	size_t nlines;
	unsigned char *kinds;
	long *capidx; /* caption made from a glued line, or -1 */
	char *buf;    /* scratch for joining lines */
	size_t bufcap;
};

/* How far apart a glued caption, its plain twin and its © line may be,
 * in lines (and in captions when looking back for a duplicate). */
#define NEAR 4

static int
same(const char *a, size_t an, const char *b, size_t bn)
{
	return an == bn && memcmp(a, b, an) == 0;
}

/* Add a caption unless the same one is there; returns its index or -1. */
static long
add_caption(struct head *h, const char *t, size_t tn, const char *c, size_t cn)
{
	struct nw_event *ev = h->ev;
	struct nw_caption *nc;
	size_t i;

	for (i = ev->ncaptions > NEAR ? ev->ncaptions - NEAR : 0;
	     i < ev->ncaptions; i++) {
		const struct nw_caption *k = &ev->captions[i];

		if (((t == NULL && k->text == NULL) ||
			(t != NULL && k->text != NULL &&
			    same(k->text, strlen(k->text), t, tn))) &&
		    ((c == NULL && k->credit == NULL) ||
			(c != NULL && k->credit != NULL &&
			    same(k->credit, strlen(k->credit), c, cn))))
			return (long)i;
	}
	if ((nc = realloc(ev->captions, (ev->ncaptions + 1) * sizeof *nc)) ==
	    NULL)
		return -1;
	ev->captions = nc;
	nc = &ev->captions[ev->ncaptions];
	nc->text = t != NULL ? strndup(t, tn) : NULL;
	nc->credit = c != NULL ? strndup(c, cn) : NULL;
	if ((t != NULL && nc->text == NULL) ||
	    (c != NULL && nc->credit == NULL)) {
		free(nc->text);
		free(nc->credit);
		return -1;
	}
	return (long)ev->ncaptions++;
}

/* Split a glued "caption Name/AGENCY" line in [from, to): prefer the
 * credit of a © line or the caption of a plain line nearby, else take the
 * name as the two words before the agency. Returns the caption length. */
static size_t
glued_split(struct head *h, size_t li, size_t from, size_t to, int *evidence)
{
	const struct nw_line *l = &h->lines[li];
	const char *cp;
	size_t i, cn, after, tok;

	/* the twin and the © line sit next to the glued line: looking
	 * further would only make pathological input quadratic */
	if (li > from + NEAR)
		from = li - NEAR;
	if (to > li + NEAR + 1)
		to = li + NEAR + 1;
	for (i = from; i < to; i++) {
		const struct nw_line *o = &h->lines[i];

		if (h->kinds[i] == NW_LINE_CREDIT) {
			credit_text(o->p, o->n, &cp, &cn);
			if (cn + 1 < l->n &&
			    memcmp(l->p + l->n - cn, cp, cn) == 0 &&
			    l->p[l->n - cn - 1] == ' ') {
				*evidence = 1;
				return l->n - cn - 1;
			}
		} else if (i != li && o->n + 1 < l->n &&
		    memcmp(l->p, o->p, o->n) == 0 && l->p[o->n] == ' ') {
			*evidence = 1;
			return o->n;
		}
	}
	*evidence = 0;
	if ((tok = credit_tail(l->p, l->n, &after)) == SIZE_MAX)
		return 0;
	/* one word of given name before the surname glued to the agency */
	if (tok > 1) {
		for (i = tok - 1; i > 0 && l->p[i - 1] != ' '; i--)
			;
		if (i > 0 && is_upper_start(l->p + i, tok - 1 - i))
			tok = i;
	}
	return tok > 0 ? tok - 1 : 0;
}

/* Mark "Read also" lines and the linked title that follows one alone. */
static void
mark_read_also(struct head *h, size_t from, size_t to)
{
	size_t i;
	int alone;

	for (i = from; i < to; i++) {
		const struct nw_line *l = &h->lines[i];

		if (h->kinds[i] != NW_LINE_READALSO)
			continue;
		if (is_read_also(l->p, l->n, &alone) && alone && i + 1 < to &&
		    h->lines[i + 1].block == l->block)
			h->kinds[++i] = NW_LINE_READALSO;
	}
}

/* Captions and credits in [from, to). In the body, a plain line right
 * before a © line in the same paragraph is that photo's caption; in the
 * headline block that is decided later (it may be the lede). */
static int
captions(struct head *h, size_t from, size_t to, int in_body)
{
	const char *cp;
	size_t i, j, cn, split;
	long ci;
	int evidence;

	for (i = from; i < to; i++) {
		const struct nw_line *l = &h->lines[i];

		if (h->kinds[i] != NW_LINE_GLUED)
			continue;
		split = glued_split(h, i, from, to, &evidence);
		/* in the body, a paragraph that happens to end in "Word/Word"
		 * is a caption only with its © line or plain twin beside it */
		if (split == 0 || (in_body && !evidence)) {
			h->kinds[i] = NW_LINE_TEXT;
			continue;
		}
		h->capidx[i] = add_caption(
		    h, l->p, split, l->p + split + 1, l->n - split - 1);
		if (h->capidx[i] < 0)
			return -1;
		for (j = i > from + NEAR ? i - NEAR : from;
		     j < to && j <= i + NEAR; j++)
			if (h->kinds[j] == NW_LINE_TEXT &&
			    same(h->lines[j].p, h->lines[j].n, l->p, split))
				h->kinds[j] = NW_LINE_CAPTION;
	}
	for (i = from; i < to; i++) {
		const struct nw_line *l = &h->lines[i];
		const struct nw_caption *k;

		if (h->kinds[i] != NW_LINE_CREDIT)
			continue;
		credit_text(l->p, l->n, &cp, &cn);
		/* its glued twin, if any, is a few lines up or down */
		for (j = i > from + NEAR ? i - NEAR : from;
		     j < to && j <= i + NEAR; j++) {
			if (h->kinds[j] != NW_LINE_GLUED || h->capidx[j] < 0)
				continue;
			k = &h->ev->captions[h->capidx[j]];
			if (k->credit != NULL &&
			    same(k->credit, strlen(k->credit), cp, cn))
				break;
		}
		if (j < to && j <= i + NEAR)
			continue;
		if (in_body && i > from && h->kinds[i - 1] == NW_LINE_TEXT &&
		    h->lines[i - 1].block == l->block) {
			h->kinds[i - 1] = NW_LINE_CAPTION;
			ci = add_caption(
			    h, h->lines[i - 1].p, h->lines[i - 1].n, cp, cn);
		} else {
			ci = add_caption(h, NULL, 0, cp, cn);
		}
		if (ci < 0)
			return -1;
	}
	return 0;
}

/* Words that site sections are named with; a short line made only of
 * them is a section name whatever follows it. */
static const char *const section_words[] = {"all", "news", "latest", "top",
    "breaking", "world", "business", "economy", "markets", "finance",
    "companies", "industry", "energy", "politics", "diplomacy", "russia",
    "russian", "military", "defense", "defence", "science", "space",
    "technology", "tech", "society", "culture", "sports", "sport", "health",
    "emergencies", "incidents", "press", "review", "opinion", "analysis",
    "europe", "asia", "africa", "americas", "middle", "east", "regions",
    "national", "international", "non-political", "education", "moscow",
    "china", "&", "and", "новости", "экономика", "бизнес", "политика",
    "общество", "регионы", "образование", "наука", "космос", "культура",
    "спорт", "происшествия", "в", "мире", "армия", "и", "опк", "международная",
    "панорама", "москва", "технологии", "финансы", "энергетика",
    "промышленность", "экология", "здоровье", "туризм"};

static int
all_section_words(const char *s, size_t n)
{
	char buf[64];
	size_t i = 0, j, k, len;

	while (i < n) {
		for (j = i; j < n && s[j] != ' '; j++)
			;
		if ((len = nw_fold_lower(s + i, j - i, buf, sizeof buf)) == 0)
			return 0;
		/* the first byte before the call: most words are none */
		for (k = 0; k < sizeof section_words / sizeof section_words[0];
		     k++)
			if (section_words[k][0] == buf[0] &&
			    strcmp(section_words[k], buf) == 0)
				break;
		if (k == sizeof section_words / sizeof section_words[0])
			return 0;
		i = j + 1;
	}
	return 1;
}

/* Every word capitalised ("Sustainable Business", "Arctic & Energy"),
 * joining words aside: how site sections are named, while wire headlines
 * are written in sentence case. */
static int
title_cased(const char *s, size_t n)
{
	size_t i = 0, j;

	while (i < n) {
		for (j = i; j < n && s[j] != ' '; j++)
			;
		if (!is_upper_start(s + i, j - i) &&
		    !((j - i == 1 && s[i] == '&') ||
			(j - i == 3 && memcmp(s + i, "and", 3) == 0) ||
			(j - i == 2 && memcmp(s + i, "of", 2) == 0) ||
			(j - i == 2 && memcmp(s + i, "и", 2) == 0)))
			return 0;
		i = j + 1;
	}
	return 1;
}

/* The number of words of the next plain line after line i, or 0. */
static size_t
next_text_words(const struct head *h, size_t i)
{
	size_t j;

	for (j = i + 1; j < h->nlines; j++)
		if (h->kinds[j] == NW_LINE_TEXT)
			return count_words(h->lines[j].p, h->lines[j].n);
	return 0;
}

/* A section name over the headline ("Business", "Экономика и бизнес",
 * "Russian Politics & Diplomacy"): a short line without sentence
 * punctuation. One word, or words sections are named with, make a section
 * whatever follows; other short lines only when a headline and a lede
 * follow them, since short headlines exist ("Ruble strengthens"). */
static int
section_like(const struct head *h, size_t i, size_t text_after)
{
	const struct nw_line *l = &h->lines[i];
	size_t words = count_words(l->p, l->n);

	if (text_after == 0 || l->n > 48 || words > 5 ||
	    strchr(".!?:;,", l->p[l->n - 1]) != NULL)
		return 0;
	if (words == 1 || all_section_words(l->p, l->n))
		return 1;
	/* "Sustainable Business" over a longer sentence-case headline. */
	if (words <= 4 && title_cased(l->p, l->n) &&
	    next_text_words(h, i) > words + 2)
		return 1;
	if (text_after < 2)
		return 0;
	if (memmem(l->p, l->n, " & ", 3) != NULL ||
	    memmem(l->p, l->n, " and ", 5) != NULL ||
	    memmem(l->p, l->n, " и ", 4) != NULL)
		return 1;
	return words <= 3;
}

/* A copy of s[0..n): the lines hold no NUL (the cleaning drops it), so
 * strndup's search for one would be a wasted pass. */
static char *
dupn(const char *s, size_t n)
{
	char *d;

	if ((d = malloc(n + 1)) == NULL)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

/* Room for n more paragraphs in the body and in lens. */
static int
reserve_body(struct head *h, size_t n)
{
	struct nw_strv *sv = &h->ev->body;
	struct nw_lens *lens = h->lens;
	char **nv;
	size_t *nl;

	if (sv->n + n > sv->cap) {
		if ((nv = realloc(sv->v, (sv->n + n) * sizeof *nv)) == NULL)
			return -1;
		sv->v = nv;
		sv->cap = sv->n + n;
	}
	if (sv->n + n > lens->cap) {
		if ((nl = realloc(lens->body, (sv->n + n) * sizeof *nl)) ==
		    NULL)
			return -1;
		lens->body = nl;
		lens->cap = sv->n + n;
	}
	return 0;
}

/* Append a paragraph of n bytes to the body, its length to lens. */
static int
body_push(struct head *h, const char *s, size_t n)
{
	struct nw_lens *lens = h->lens;
	size_t ncap, *nl, at = h->ev->body.n;

	if (at == lens->cap) {
		ncap = lens->cap ? lens->cap * 2 : 8;
		if ((nl = realloc(lens->body, ncap * sizeof *nl)) == NULL)
			return -1;
		lens->body = nl;
		lens->cap = ncap;
	}
	if (nw_strv_pushn(&h->ev->body, s, n) == -1)
		return -1;
	lens->body[at] = n;
	return 0;
}

/* The lines of kind want in [from, to), joined by spaces: a body
 * paragraph when into is set, else a new string at *out. */
static int
join(struct head *h, size_t from, size_t to, unsigned char want, int into,
    char **out)
{
	size_t i, len = 0, o = 0, only = SIZE_MAX;
	char *nb;

	for (i = from; i < to; i++) {
		if (h->kinds[i] == want) {
			len += h->lines[i].n + 1;
			only = only == SIZE_MAX ? i : SIZE_MAX - 1;
		}
	}
	if (len == 0)
		return 0;
	/* one line (most paragraphs): copied once, not through buf */
	if (only < SIZE_MAX - 1) {
		if (into)
			return body_push(h, h->lines[only].p, h->lines[only].n);
		*out = dupn(h->lines[only].p, h->lines[only].n);
		return *out != NULL ? 0 : -1;
	}
	if (len > h->bufcap) {
		if ((nb = realloc(h->buf, len)) == NULL)
			return -1;
		h->buf = nb;
		h->bufcap = len;
	}
	for (i = from; i < to; i++) {
		if (h->kinds[i] != want)
			continue;
		if (o > 0)
			h->buf[o++] = ' ';
		memcpy(h->buf + o, h->lines[i].p, h->lines[i].n);
		o += h->lines[i].n;
	}
	if (into)
		return body_push(h, h->buf, o);
	if ((*out = dupn(h->buf, o)) == NULL)
		return -1;
	return 0;
}

/* A plain line that a glued "caption Name/AGENCY" line nearby repeats is
 * a caption wherever it is: mark it before the headline block is sought. */
static void
mark_glued_twins(struct head *h)
{
	size_t i, j, from, to;

	for (i = 0; i < h->nlines; i++) {
		const struct nw_line *g = &h->lines[i];

		if (h->kinds[i] != NW_LINE_GLUED)
			continue;
		from = i > NEAR ? i - NEAR : 0;
		to = i + NEAR + 1 < h->nlines ? i + NEAR + 1 : h->nlines;
		for (j = from; j < to; j++) {
			const struct nw_line *o = &h->lines[j];

			if (h->kinds[j] == NW_LINE_TEXT && o->n + 1 < g->n &&
			    memcmp(g->p, o->p, o->n) == 0 && g->p[o->n] == ' ')
				h->kinds[j] = NW_LINE_CAPTION;
		}
	}
}

/* Without a dateline: where does the headline block end? After the
 * headline's paragraph, take paragraphs that carry captions, credits or
 * furniture, and a one-line lede only if such a paragraph follows it. */
static size_t
head_end_without_dateline(const struct head *h)
{
	size_t i, first = SIZE_MAX, b_end, j;
	unsigned b;
	int special, nlines, taken_lede = 0;

	for (i = 0; i < h->nlines; i++) {
		if (h->kinds[i] != NW_LINE_TEXT)
			continue;
		if (first == SIZE_MAX && section_like(h, i, 1)) {
			first = i; /* maybe a section name: look further */
			continue;
		}
		break;
	}
	if (i == h->nlines)
		return h->nlines;
	b = h->lines[i].block;
	while (i < h->nlines && h->lines[i].block == b)
		i++;
	for (;;) {
		if (i >= h->nlines)
			return i;
		b = h->lines[i].block;
		special = 0;
		nlines = 0;
		for (b_end = i; b_end < h->nlines && h->lines[b_end].block == b;
		     b_end++, nlines++)
			special |= h->kinds[b_end] != NW_LINE_TEXT;
		if (!special) {
			if (taken_lede || nlines != 1 || b_end >= h->nlines)
				return i;
			/* a lone line followed by a caption paragraph */
			for (j = b_end; j < h->nlines &&
			     h->lines[j].block == h->lines[b_end].block;
			     j++)
				if (h->kinds[j] != NW_LINE_TEXT)
					break;
			if (j == h->nlines ||
			    h->lines[j].block != h->lines[b_end].block)
				return i;
			taken_lede = 1;
		}
		i = b_end;
	}
}

/* Give the credit on line i (a © line whose photo got no caption text)
 * the plain line above it as caption text. 1 when it did, -1 on error. */
static int
caption_text_for_credit(struct head *h, size_t i)
{
	struct nw_event *ev = h->ev;
	const struct nw_line *l = &h->lines[i], *above = &h->lines[i - 1];
	const char *cp;
	size_t cn, c;

	credit_text(l->p, l->n, &cp, &cn);
	for (c = ev->ncaptions; c-- > 0;) {
		if (ev->captions[c].text != NULL ||
		    ev->captions[c].credit == NULL ||
		    !same(ev->captions[c].credit,
			strlen(ev->captions[c].credit), cp, cn))
			continue;
		if ((ev->captions[c].text = strndup(above->p, above->n)) ==
		    NULL)
			return -1;
		h->kinds[i - 1] = NW_LINE_CAPTION;
		return 1;
	}
	return 0;
}

int
nw_headblock_build(struct nw_event *ev, const struct nw_line *lines,
    size_t nlines, size_t dl, struct nw_lens *lens)
{
	struct head h = {ev, lens, lines, nlines, NULL, NULL, NULL, 0};
	size_t i, hend, t[3], nt = 0, ntext = 0, from, to, sec;
	unsigned b;
	int rc = -1;

	/* one block for both: capidx first, for its alignment */
	if ((h.capidx = malloc((nlines + 1) * (sizeof *h.capidx + 1))) == NULL)
		goto fail;
	h.kinds = (unsigned char *)(h.capidx + nlines + 1);
	for (i = 0; i < nlines; i++)
		h.kinds[i] =
		    (unsigned char)nw_line_classify(lines[i].p, lines[i].n);
	mark_read_also(&h, 0, nlines);
	mark_glued_twins(&h);
	hend = dl < nlines ? dl : head_end_without_dateline(&h);

	/* The headline block. Captions first: a plain line before a © line
	 * is a caption only when a headline and a lede remain besides. */
	if (captions(&h, 0, hend, 0) < 0)
		goto fail;
	/* A section name only if a headline follows it. */
	sec = SIZE_MAX;
	for (i = 0; i < hend; i++) {
		size_t j, after = 0;

		if (h.kinds[i] != NW_LINE_TEXT)
			continue;
		for (j = i + 1; j < hend; j++)
			after += h.kinds[j] == NW_LINE_TEXT;
		if (section_like(&h, i, after)) {
			h.kinds[i] = NW_LINE_SECTION;
			sec = i;
		}
		break;
	}
	for (i = 0; i < hend; i++)
		ntext += h.kinds[i] == NW_LINE_TEXT;
	/* © lines with no caption yet take the plain line above them as
	 * their caption, last first, while a headline and a lede remain. */
	for (i = hend; i-- > 1 && ntext > 2;) {
		if (h.kinds[i] == NW_LINE_CREDIT &&
		    h.kinds[i - 1] == NW_LINE_TEXT &&
		    lines[i - 1].block == lines[i].block) {
			switch (caption_text_for_credit(&h, i)) {
			case -1:
				goto fail;
			case 1:
				ntext--;
			}
		}
	}
	if (sec != SIZE_MAX && ntext == 0)
		h.kinds[sec] = NW_LINE_TEXT; /* it was the headline after all */
	for (i = 0; i < hend && nt < 3; i++) {
		if (h.kinds[i] != NW_LINE_TEXT)
			continue;
		/* pages that print the title twice (<title> and <h1>) */
		if (nt > 0 &&
		    same(
			lines[i].p, lines[i].n, lines[t[0]].p, lines[t[0]].n)) {
			h.kinds[i] = NW_LINE_FURNITURE;
			continue;
		}
		t[nt++] = i;
	}
	if (nt > 0) {
		if ((ev->headline = dupn(lines[t[0]].p, lines[t[0]].n)) == NULL)
			goto fail;
		lens->headline = lines[t[0]].n;
	}
	if (nt > 1) {
		/* the lede, with any lines wrapped in its paragraph */
		b = lines[t[1]].block;
		for (i = t[1]; i < hend; i++)
			if (h.kinds[i] == NW_LINE_TEXT && lines[i].block != b)
				nw_event_warn(ev,
				    "line before the dateline not understood: "
				    "%.60s",
				    lines[i].p);
		for (i = t[1]; i < hend && lines[i].block == b; i++)
			;
		if (join(&h, t[1], i, NW_LINE_TEXT, 0, &ev->lede) < 0)
			goto fail;
	}
	if (ev->headline == NULL)
		nw_event_warn(ev, "no headline found");

	/* The body: paragraph by paragraph from the dateline on, no more
	 * of them than lines, room made for that many at once */
	if (hend < nlines && reserve_body(&h, nlines - hend) < 0)
		goto fail;
	for (from = hend; from < nlines; from = to) {
		b = lines[from].block;
		for (to = from; to < nlines && lines[to].block == b; to++)
			;
		if (captions(&h, from, to, 1) < 0)
			goto fail;
		if (join(&h, from, to, NW_LINE_TEXT, 1, NULL) < 0)
			goto fail;
	}
	rc = 0;
fail:
	free(h.capidx);
	free(h.buf);
	return rc;
}
