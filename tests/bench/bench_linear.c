/* Linearity benchmark: for each input shape that once made the parser
 * super-linear, times parse + JSON of a 50 KB and a 500 KB dispatch of that
 * shape and prints the ratio (ten times the bytes should cost about ten
 * times the time; the bound is 12). Wall time, median of several
 * runs: the counter-based check that holds under a sanitizer lives in the
 * parser's tests.
 * usage: bench_linear [--runs N] [--small KB] [--big KB] */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "newswire/parse.h"

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
		    "harvest was late, \"but not lost,\" the chairman "
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

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median seconds of parse + JSON over runs. */
static double
measure(shape_fn fn, size_t size, int runs)
{
	struct nw_parse_opts opts = {
	    .received_at_ms = 1749556800000LL, .max_size = 4 * 1024 * 1024};
	struct buf b = {.rng = 7};
	struct nw_event *ev;
	double t[64], t0;
	char *json;
	int r;

	fn(&b, size);
	for (r = 0; r < runs && r < 64; r++) {
		t0 = now();
		if (nw_parse(b.s, b.len, &opts, &ev, NULL) == NW_OK) {
			json = nw_event_json(ev, 0);
			free(json);
			nw_event_free(ev);
		}
		t[r] = now() - t0;
	}
	free(b.s);
	qsort(t, (size_t)r, sizeof t[0], cmp);
	return t[r / 2];
}

int
main(int argc, char **argv)
{
	size_t small = 50, big = 500, i;
	int runs = 5, worst_over = 0;
	double ts, tb, ratio, worst = 0;

	for (i = 1; i < (size_t)argc; i++) {
		if (strcmp(argv[i], "--runs") == 0 && i + 1 < (size_t)argc)
			runs = atoi(argv[++i]);
		else if (strcmp(argv[i], "--small") == 0 &&
		    i + 1 < (size_t)argc)
			small = strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--big") == 0 && i + 1 < (size_t)argc)
			big = strtoul(argv[++i], NULL, 10);
		else {
			fprintf(stderr,
			    "usage: bench_linear [--runs N] "
			    "[--small KB] [--big KB]\n");
			return 2;
		}
	}
	if (runs < 1)
		runs = 1;
	printf("parse + JSON, wall time, median of %d runs; %zu KB vs %zu KB "
	       "(linear: %.0fx)\n",
	    runs, small, big, (double)big / (double)small);
	for (i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
		ts = measure(shapes[i].fn, small * 1000, runs);
		tb = measure(shapes[i].fn, big * 1000, runs);
		ratio = tb / ts;
		if (ratio > worst)
			worst = ratio;
		worst_over += ratio > 12.0;
		printf("shape %-32s %8.2f ms %9.2f ms  ratio %5.1f\n",
		    shapes[i].name, ts * 1e3, tb * 1e3, ratio);
	}
	printf("worst ratio %.1f; %d shape(s) over 12\n", worst, worst_over);
	return 0;
}
