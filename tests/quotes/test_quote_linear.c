/* The quotation stage is linear on every input shape that once made it
 * super-linear (tests/bench/shapes.h): a 500 KB dispatch of a shape costs at
 * most 12 times a 50 KB one. Cost is the work the stage counts as it goes
 * (tokens made and read, entities looked at, bytes stepped over), not wall
 * time, so the check holds under a sanitizer and on a loaded machine. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "newswire/parse.h"
#include "quote_int.h"
#include "shapes.h"

#define SMALL 50000
#define BIG   500000
#define BOUND 12

/* The work of the quotation stage on one dispatch of shape fn. */
static struct nw_qwork
work_of(shape_fn fn, size_t size)
{
	struct nw_parse_opts opts = {.received_at_ms = 1749556800000LL,
	    .max_size = 4 * 1024 * 1024,
	    .flags = NW_PARSE_NO_QUOTES};
	struct buf b = {.rng = 7};
	struct nw_event *ev = NULL;
	struct nw_qwork w;

	memset(&w, 0, sizeof w);
	fn(&b, size);
	assert_int_equal(nw_parse(b.s, b.len, &opts, &ev, NULL), NW_OK);
	nw_quotes_extract_work(ev, &w);
	nw_event_free(ev);
	free(b.s);
	return w;
}

/* One counter: ten times the input may cost at most BOUND times the work
 * (a counter of bounded work, such as entities under the cap, may not
 * grow at all). */
static int
within(const char *shape, const char *what, uint64_t small, uint64_t big)
{
	print_message("%-32s %-8s %10llu %11llu  x%.1f\n", shape, what,
	    (unsigned long long)small, (unsigned long long)big,
	    small ? (double)big / (double)small : 0.0);
	return big <= BOUND * small;
}

static void
every_shape_costs_at_most_12x_for_10x_the_bytes(void **state)
{
	size_t i;
	int bad = 0;

	(void)state;
	for (i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
		struct nw_qwork s = work_of(shapes[i].fn, SMALL),
				b = work_of(shapes[i].fn, BIG);

		/* the counters are wired: every shape makes and reads
		 * tokens */
		assert_true(s.tokens > 1000 && s.visits > s.tokens);
		bad += !within(shapes[i].name, "tokens", s.tokens, b.tokens);
		bad += !within(shapes[i].name, "visits", s.visits, b.visits);
		bad +=
		    !within(shapes[i].name, "entities", s.entities, b.entities);
		bad += !within(shapes[i].name, "bytes", s.bytes, b.bytes);
	}
	assert_int_equal(bad, 0);
}

/* The entity lookups are counted: a dispatch with a speaker a paragraph
 * looks entities up, and one without names does not. */
static void
entity_lookups_are_counted(void **state)
{
	struct nw_qwork named = work_of(many_speakers, SMALL),
			nameless = work_of(short_paragraphs, SMALL);

	(void)state;
	assert_true(named.entities > 1000);
	assert_true(named.bytes > 0);
	assert_true(nameless.entities < named.entities / 100);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(every_shape_costs_at_most_12x_for_10x_the_bytes),
	    cmocka_unit_test(entity_lookups_are_counted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
