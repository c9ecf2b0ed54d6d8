/* Word sets for comparing versions of a story: words of letters or digits,
 * case-folded and cut to a short stem (so that Russian and English endings
 * do not hide the same word), hashed into a sorted set. */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "hash.h"
#include "newswire/story.h"
#include "story_int.h"

/* A stem is this many code points: "землетрясения" and "землетрясение"
 * meet at "землет", "extends" and "extend" at "extend". */
#define STEM_CP 6
/* Shorter words (prepositions, "в", "of", "the") carry no story. */
#define MIN_WORD_CP 3
/* How many body paragraphs after the dateline count as the opening. */
#define OPENING_PARAGRAPHS 2

int
nw_tokset_push(struct nw_tokset *t, uint32_t h)
{
	uint32_t *nv;
	size_t ncap;

	if (t->n == t->cap) {
		ncap = t->cap ? t->cap * 2 : 32;
		if ((nv = realloc(t->v, ncap * sizeof *nv)) == NULL)
			return -1;
		t->v = nv;
		t->cap = ncap;
	}
	t->v[t->n++] = h;
	return 0;
}

int
nw_tokset_add_text(struct nw_tokset *t, const char *s, size_t n)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t cp;
	utf8proc_ssize_t k;
	char stem[STEM_CP * 4];
	size_t slen = 0, ncp = 0, i = 0;
	int digits = 1;

	while (i <= n) {
		int word = 0;

		cp = -1;
		if (i < n) {
			k = utf8proc_iterate(
			    p + i, (utf8proc_ssize_t)(n - i), &cp);
			if (k <= 0) {
				k = 1;
				cp = -1;
			}
		} else {
			k = 1;
		}
		if (cp >= 0) {
			utf8proc_category_t c = utf8proc_category(cp);

			word = (c >= UTF8PROC_CATEGORY_LU &&
				   c <= UTF8PROC_CATEGORY_LO) ||
			    c == UTF8PROC_CATEGORY_ND;
		}
		if (word) {
			if (utf8proc_category(cp) != UTF8PROC_CATEGORY_ND)
				digits = 0;
			cp = utf8proc_tolower(cp);
			if (cp == 0x451)
				cp = 0x435; /* ё is written е as often */
			if (ncp < STEM_CP)
				slen += (size_t)utf8proc_encode_char(
				    cp, (utf8proc_uint8_t *)stem + slen);
			ncp++;
		} else if (ncp > 0) {
			/* numbers count whatever their length: figures
			 * tell stories apart */
			if ((ncp >= MIN_WORD_CP || digits) &&
			    nw_tokset_push(
				t, (uint32_t)nw_hash_mem(stem, slen)) < 0)
				return -1;
			ncp = slen = 0;
			digits = 1;
		}
		i += (size_t)k;
	}
	return 0;
}

/* The names of a headline (see struct nw_story_text). */
static int
add_names(struct nw_tokset *t, const char *s, size_t n)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t cp;
	utf8proc_ssize_t k;
	size_t i, start = 0, words = 0;
	int in = 0, upper_first = 0, lower = 0, any_lower = 0;

	for (i = 0; i < n; i += (size_t)k) {
		if ((k = utf8proc_iterate(
			 p + i, (utf8proc_ssize_t)(n - i), &cp)) <= 0)
			return 0;
		if (utf8proc_category(cp) == UTF8PROC_CATEGORY_LL)
			any_lower = 1;
	}
	if (!any_lower)
		return 0;
	for (i = 0; i <= n; i += (size_t)k) {
		utf8proc_category_t c = UTF8PROC_CATEGORY_CN;

		cp = -1;
		k = 1;
		if (i < n &&
		    (k = utf8proc_iterate(
			 p + i, (utf8proc_ssize_t)(n - i), &cp)) <= 0)
			return 0;
		if (cp >= 0)
			c = utf8proc_category(cp);
		if (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) {
			if (!in) {
				in = 1;
				start = i;
				upper_first = c == UTF8PROC_CATEGORY_LU;
				lower = 0;
			} else if (c == UTF8PROC_CATEGORY_LL)
				lower = 1;
			continue;
		}
		if (c == UTF8PROC_CATEGORY_ND && in)
			continue;
		if (in) {
			/* the first word is a capital by custom, unless it
			 * is all capitals (an acronym) */
			if (upper_first && (words > 0 || !lower) &&
			    nw_tokset_add_text(t, s + start, i - start) < 0)
				return -1;
			words++;
			in = 0;
		}
	}
	return 0;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

void
nw_tokset_finish(struct nw_tokset *t)
{
	size_t i, o = 0;

	if (t->n == 0)
		return;
	qsort(t->v, t->n, sizeof *t->v, cmp_u32);
	for (i = 0; i < t->n; i++)
		if (o == 0 || t->v[o - 1] != t->v[i])
			t->v[o++] = t->v[i];
	t->n = o;
}

int
nw_tokset_copy(struct nw_tokset *to, const struct nw_tokset *from)
{
	uint32_t *v = NULL;

	if (from->n > 0 && (v = malloc(from->n * sizeof *v)) == NULL)
		return -1;
	if (from->n > 0)
		memcpy(v, from->v, from->n * sizeof *v);
	free(to->v);
	to->v = v;
	to->n = to->cap = from->n;
	return 0;
}

void
nw_tokset_clear(struct nw_tokset *t)
{
	free(t->v);
	memset(t, 0, sizeof *t);
}

size_t
nw_tokset_common(const struct nw_tokset *a, const struct nw_tokset *b)
{
	size_t i = 0, j = 0, c = 0;

	while (i < a->n && j < b->n) {
		if (a->v[i] < b->v[j])
			i++;
		else if (a->v[i] > b->v[j])
			j++;
		else {
			c++;
			i++;
			j++;
		}
	}
	return c;
}

double
nw_tokset_jaccard(const struct nw_tokset *a, const struct nw_tokset *b)
{
	size_t c = nw_tokset_common(a, b);

	return a->n + b->n - c ? (double)c / (double)(a->n + b->n - c) : 0;
}

double
nw_tokset_containment(const struct nw_tokset *a, const struct nw_tokset *b)
{
	return a->n ? (double)nw_tokset_common(a, b) / (double)a->n : 0;
}

/* Paragraph p without the dateline that opens it. */
static void
without_dateline(
    const struct nw_event *ev, const char *p, const char **s, size_t *n)
{
	size_t dl;

	*s = p;
	*n = strlen(p);
	if (ev->dateline == NULL || ev->dateline->text == NULL)
		return;
	dl = strlen(ev->dateline->text);
	if (dl <= *n && memcmp(p, ev->dateline->text, dl) == 0) {
		*s += dl;
		*n -= dl;
	}
}

int
nw_story_text_of(const struct nw_event *ev, struct nw_story_text *t)
{
	const char *s;
	size_t n, i;

	memset(t, 0, sizeof *t);
	if (ev->headline != NULL) {
		if (nw_tokset_add_text(
			&t->head, ev->headline, strlen(ev->headline)) < 0)
			goto fail;
	} else if (ev->body.n > 0) {
		without_dateline(ev, ev->body.v[0], &s, &n);
		if (nw_tokset_add_text(&t->head, s, n) < 0)
			goto fail;
	}
	if (nw_tokset_copy(&t->full, &t->head) < 0)
		goto fail;
	t->full.cap = t->full.n;
	if (ev->headline != NULL && ev->lede != NULL &&
	    nw_tokset_add_text(&t->full, ev->lede, strlen(ev->lede)) < 0)
		goto fail;
	for (i = 0; i < ev->body.n && i < OPENING_PARAGRAPHS; i++) {
		if (i == 0 && ev->headline == NULL)
			continue; /* it is the head already */
		without_dateline(ev, ev->body.v[i], &s, &n);
		if (nw_tokset_add_text(&t->full, s, n) < 0)
			goto fail;
	}
	if (ev->headline != NULL &&
	    add_names(&t->names, ev->headline, strlen(ev->headline)) < 0)
		goto fail;
	nw_tokset_finish(&t->head);
	nw_tokset_finish(&t->full);
	nw_tokset_finish(&t->names);
	return 0;
fail:
	nw_story_text_clear(t);
	return -1;
}

struct nw_story_text *
nw_story_text_new(const struct nw_event *ev)
{
	struct nw_story_text *t;

	if ((t = malloc(sizeof *t)) == NULL)
		return NULL;
	if (nw_story_text_of(ev, t) < 0) {
		free(t);
		return NULL;
	}
	return t;
}

void
nw_story_text_free(struct nw_story_text *t)
{
	if (t == NULL)
		return;
	nw_story_text_clear(t);
	free(t);
}

void
nw_story_text_clear(struct nw_story_text *t)
{
	nw_tokset_clear(&t->head);
	nw_tokset_clear(&t->full);
	nw_tokset_clear(&t->names);
}
