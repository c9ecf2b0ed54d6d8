/* Cue frames as data: the reporting phrases whose speaker does not stand
 * where the subject of a reporting verb stands ("according to X", "quoted X
 * as saying", "приводит ... слова X"), and the one matcher that reads them. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "quote_int.h"

/* A word of a frame is a literal, alternatives joined by '|', or a class:
 * "@pron" a personal pronoun (его, её, их), "@stmt" a statement noun
 * (сообщении, заявлении). Sorted by head (strcmp) for bsearch. */
static const struct nw_qframe frames[] = {
    {.head = "according", .seq = {"to"}, .slot = QFS_AFTER},
    {.head = "in", .seq = {"his|her|their", "words"}, .slot = QFS_INSIDE},
    {.head = "quoted",
	.mark = {"as", "saying"},
	.passive = "was|were|is|are|been|be|being",
	.slot = QFS_BETWEEN},
    {.head = "говорится", .seq = {"в", "@stmt"}, .slot = QFS_STATEMENT},
    {.head = "по", .seq = {"словам|мнению"}, .slot = QFS_AFTER},
    {.head = "по", .seq = {"@pron", "словам"}, .slot = QFS_INSIDE},
    {.head = "приводит", .mark = {"слова"}, .slot = QFS_AFTER_MARK},
    {.head = "цитирует", .slot = QFS_OBJECT},
    {.head = "цитируют", .slot = QFS_OBJECT},
};

#define NFRAMES (sizeof frames / sizeof frames[0])

static int
word_fits(const struct qpara *p, size_t t, const char *pat)
{
	const char *w, *bar;
	size_t n;

	if (t >= p->ntok || !(p->tok[t].flags & QF_WORD))
		return 0;
	if (strcmp(pat, "@pron") == 0)
		return (p->tok[t].lex & (QL_PRON_M | QL_PRON_F | QL_PRON_PL)) !=
		    0;
	if (strcmp(pat, "@stmt") == 0)
		return (p->tok[t].lex & QL_STATEMENT) != 0;
	w = q_low(p, t);
	n = strlen(w);
	for (;;) {
		bar = strchr(pat, '|');
		if ((bar ? (size_t)(bar - pat) : strlen(pat)) == n &&
		    memcmp(pat, w, n) == 0)
			return 1;
		if (bar == NULL)
			return 0;
		pat = bar + 1;
	}
}

static int
cmp_head(const void *key, const void *ent)
{
	return strcmp(key, ((const struct nw_qframe *)ent)->head);
}

/* The first frame with head w, or NULL; the frames of one head are
 * consecutive. */
static const struct nw_qframe *
first_of(const char *w)
{
	const struct nw_qframe *f =
	    bsearch(w, frames, NFRAMES, sizeof frames[0], cmp_head);

	while (f != NULL && f > frames && strcmp(f[-1].head, w) == 0)
		f--;
	return f;
}

static int
is_verb_frame(const struct nw_qframe *f)
{
	return f->slot >= QFS_BETWEEN;
}

const struct nw_qframe *
nw_qframe_phrase(const struct qpara *p, size_t t, size_t end, size_t *n)
{
	const struct nw_qframe *f;
	size_t k;

	if (t >= p->ntok || !(p->tok[t].flags & QF_WORD))
		return NULL;
	for (f = first_of(q_low(p, t)); f != NULL && f < frames + NFRAMES &&
	     strcmp(f->head, q_low(p, t)) == 0;
	     f++) {
		if (is_verb_frame(f))
			continue;
		for (k = 0; k < 3 && f->seq[k] != NULL; k++)
			if (t + 1 + k >= end ||
			    !word_fits(p, t + 1 + k, f->seq[k]))
				break;
		if (k < 3 && f->seq[k] != NULL)
			continue;
		*n = k + 1;
		return f;
	}
	return NULL;
}

const struct nw_qframe *
nw_qframe_verb(const struct qpara *p, size_t v)
{
	const struct nw_qframe *f;

	if (v >= p->ntok || !(p->tok[v].flags & QF_WORD))
		return NULL;
	for (f = first_of(q_low(p, v)); f != NULL && f < frames + NFRAMES &&
	     strcmp(f->head, q_low(p, v)) == 0;
	     f++) {
		if (!is_verb_frame(f))
			continue;
		/* "X was quoted by Y as saying": in the passive the subject
		 * is the one quoted, as with any reporting verb */
		if (f->passive != NULL && v > 0 &&
		    word_fits(p, v - 1, f->passive))
			return NULL;
		return f;
	}
	return NULL;
}

size_t
nw_qframe_mark(
    const struct qpara *p, const struct nw_qframe *f, size_t from, size_t to)
{
	size_t k, i;

	if (f->mark[0] == NULL)
		return SIZE_MAX;
	for (k = from; k < to; k++) {
		for (i = 0; i < 2 && f->mark[i] != NULL; i++)
			if (!word_fits(p, k + i, f->mark[i]))
				break;
		if (i == 2 || f->mark[i] == NULL)
			return k;
		/* the slot ends with the clause */
		if (p->tok[k].ch == '.' || p->tok[k].ch == ',')
			break;
	}
	return SIZE_MAX;
}

/* 1 when the table is sorted by head, as bsearch needs. */
int
nw_qframe_selfcheck(void)
{
	size_t i;

	for (i = 1; i < NFRAMES; i++)
		if (strcmp(frames[i - 1].head, frames[i].head) > 0)
			return 0;
	return 1;
}
