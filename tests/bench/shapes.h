/* The input shapes that once made the parser super-linear, each written
 * to a given size: shared by build/bench_linear (wall time) and the
 * quotation stage's linearity test (counts of work). The sentences are
 * made up for these programs. */
#ifndef NW_BENCH_SHAPES_H
#define NW_BENCH_SHAPES_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct buf {
	char *s;
	size_t len, cap;
	uint64_t rng;
};

static void
put(struct buf *b, const char *s)
{
	size_t n = strlen(s);

	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		if ((b->s = realloc(b->s, b->cap)) == NULL) {
			perror("realloc");
			exit(1);
		}
	}
	memcpy(b->s + b->len, s, n + 1);
	b->len += n;
}

static unsigned
pick(struct buf *b, unsigned n)
{
	b->rng = b->rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)(b->rng >> 33) % n;
}

/* A made-up capitalised name, different for every i. */
static void
name(char *out, size_t len, unsigned i)
{
	static const char *syl[] = {"ka", "ro", "mi", "ten", "vo", "shal",
	    "dre", "pu", "lan", "zo", "bert", "gis", "nov", "ul", "fe", "tar"};
	char w[64] = "";
	unsigned k = i;

	do {
		strcat(w, syl[k % 16]);
		k /= 16;
	} while (k > 0);
	w[0] = (char)(w[0] - 32);
	snprintf(out, len, "%s", w);
}

static void
head(struct buf *b)
{
	put(b,
	    "Ministers meet again over the grain corridor\n\n"
	    "MOSCOW, June 6. /TASS/. ");
}

typedef void (*shape_fn)(struct buf *, size_t);

static void
many_speakers(struct buf *b, size_t size)
{
	char line[512], first[64], last[64];
	unsigned i = 0;

	head(b);
	while (b->len < size) {
		name(first, sizeof first, i * 7 + 3);
		name(last, sizeof last, i + 4096);
		snprintf(line, sizeof line,
		    "\"The talks will go on next week,\" said %s %s, a "
		    "deputy minister of trade. %s added that the ports were "
		    "open.\n\n",
		    first, last, last);
		put(b, line);
		i++;
	}
}

static void
many_quote_marks(struct buf *b, size_t size)
{
	head(b);
	while (b->len < size)
		put(b,
		    "He said \"yes\" and \"no\", then \"maybe\", \"later\" "
		    "and \"never\" to the \"plan\".\n\n");
}

static void
unbalanced_quotes(struct buf *b, size_t size)
{
	head(b);
	while (b->len < size) {
		put(b,
		    pick(b, 2) ? "\"The harvest is late this year, the "
				 "minister said on Tuesday.\n\n"
			       : "Officials said \"the ports will reopen "
				 "soon and the ships will sail.\n\n");
	}
}

static void
giant_paragraph(struct buf *b, size_t size)
{
	head(b);
	while (b->len < size)
		put(b,
		    "The committee met on Tuesday and said that the "
		    "harvest was late, \"but the crop is not lost,\" the "
		    "chairman "
		    "added. ");
	put(b, "\n");
}

static void
short_paragraphs(struct buf *b, size_t size)
{
	head(b);
	while (b->len < size)
		put(b, "Prices rose.\n\n");
}

static void
capitalised_runs(struct buf *b, size_t size)
{
	char w[64];
	unsigned i = 0;

	head(b);
	while (b->len < size) {
		name(w, sizeof w, i++);
		put(b, w);
		put(b, i % 400 == 0 ? ".\n\n" : " ");
	}
}

static const struct {
	const char *name;
	shape_fn fn;
} shapes[] = {
    {"many speakers", many_speakers},
    {"many quotation marks", many_quote_marks},
    {"unbalanced quotes", unbalanced_quotes},
    {"one giant paragraph", giant_paragraph},
    {"thousands of short paragraphs", short_paragraphs},
    {"long runs of capitalised words", capitalised_runs},
};

#endif
