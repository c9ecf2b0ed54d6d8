/* Linearity benchmark: for each input shape that once made the parser
 * super-linear, times parse + JSON of a 50 KB and a 500 KB dispatch of that
 * shape and prints the ratio (ten times the bytes should cost about ten
 * times the time; the bound is 12). CPU time of the process (user
 * and system, so page faults count), median of several runs: on a shared
 * machine wall time mostly measures the neighbours. The counter-based
 * check that holds under a sanitizer is tests/quotes/test_quote_linear.c.
 * usage: bench_linear [--runs N] [--small KB] [--big KB] */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "newswire/parse.h"
#include "shapes.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
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
	printf("parse + JSON, CPU time, median of %d runs; %zu KB vs %zu KB "
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
