/* Unit tests for the feed source's pure parts: the seen-item store (bounded,
 * expiring, crash-safe) and the feed date formats. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "feed_extract.h"
#include "feed_seen.h"

#define DAY (86400LL * 1000)
#define T0  (1790000000LL * 1000)

static char dir[] = "/tmp/nw-seen-XXXXXX";

static char *
path(const char *name)
{
	static char buf[256];

	snprintf(buf, sizeof buf, "%s/%s", dir, name);
	return buf;
}

static void
test_seen_survives_reopen(void **state)
{
	char *cause = NULL;
	struct nw_seen *st = nw_seen_open(path("a"), 100, 30 * DAY, T0, &cause);

	assert_non_null(st);
	assert_false(nw_seen_has(st, "guid-1"));
	assert_int_equal(nw_seen_add(st, "guid-1", T0), 0);
	assert_int_equal(nw_seen_add(st, "with space\nand newline%", T0), 0);
	assert_true(nw_seen_has(st, "guid-1"));
	nw_seen_close(st);
	st = nw_seen_open(path("a"), 100, 30 * DAY, T0 + 1000, &cause);
	assert_non_null(st);
	assert_true(nw_seen_has(st, "guid-1"));
	assert_true(nw_seen_has(st, "with space\nand newline%"));
	assert_false(nw_seen_has(st, "guid-2"));
	assert_int_equal(nw_seen_count(st), 2);
	nw_seen_close(st);
}

/* An item is remembered with its version; a line from before versions
 * (no version field) means "any version"; the last version written wins
 * after a reopen. */
static void
test_seen_versions_legacy_lines_and_last_wins(void **state)
{
	char *cause = NULL;
	const char *v;
	struct nw_seen *st;
	FILE *f = fopen(path("v"), "w");

	assert_non_null(f);
	fprintf(f, "%lld legacy-guid\n", (long long)T0);
	fclose(f);
	st = nw_seen_open(path("v"), 100, 30 * DAY, T0, &cause);
	assert_non_null(st);
	assert_true(nw_seen_get(st, "legacy-guid", &v));
	assert_null(v);
	assert_false(nw_seen_get(st, "item", &v));
	assert_int_equal(nw_seen_put(st, "item", "aaaa", T0), 0);
	assert_true(nw_seen_get(st, "item", &v));
	assert_string_equal(v, "aaaa");
	/* A changed version is recorded at once, not at half the TTL. */
	assert_int_equal(nw_seen_put(st, "item", "bbbb", T0 + 1000), 0);
	/* nw_seen_add keeps the version recorded. */
	assert_int_equal(nw_seen_add(st, "item", T0 + 20 * DAY), 0);
	assert_int_equal(nw_seen_put(st, "legacy-guid", "cccc", T0), 0);
	assert_int_equal(nw_seen_count(st), 2);
	nw_seen_close(st);
	st = nw_seen_open(path("v"), 100, 30 * DAY, T0 + 1000, &cause);
	assert_non_null(st);
	assert_true(nw_seen_get(st, "item", &v));
	assert_string_equal(v, "bbbb");
	assert_true(nw_seen_get(st, "legacy-guid", &v));
	assert_string_equal(v, "cccc");
	nw_seen_close(st);
}

static void
test_seen_torn_last_line_is_ignored(void **state)
{
	char *cause = NULL;
	struct nw_seen *st;
	FILE *f = fopen(path("b"), "w");

	assert_non_null(f);
	fprintf(f, "%lld one\n%lld two\n%lld thr", T0, T0, T0);
	fclose(f);
	st = nw_seen_open(path("b"), 100, 30 * DAY, T0, &cause);
	assert_non_null(st);
	assert_true(nw_seen_has(st, "one"));
	assert_true(nw_seen_has(st, "two"));
	assert_false(nw_seen_has(st, "thr"));
	assert_int_equal(nw_seen_count(st), 2);
	/* The torn line is gone from the compacted journal too. */
	assert_int_equal(nw_seen_add(st, "three", T0), 0);
	nw_seen_close(st);
	st = nw_seen_open(path("b"), 100, 30 * DAY, T0, &cause);
	assert_int_equal(nw_seen_count(st), 3);
	assert_true(nw_seen_has(st, "three"));
	nw_seen_close(st);
}

static void
test_seen_old_keys_expire_on_load(void **state)
{
	char *cause = NULL;
	struct nw_seen *st = nw_seen_open(path("c"), 100, 7 * DAY, T0, &cause);

	assert_int_equal(nw_seen_add(st, "old", T0), 0);
	assert_int_equal(nw_seen_add(st, "new", T0 + 5 * DAY), 0);
	nw_seen_close(st);
	st = nw_seen_open(path("c"), 100, 7 * DAY, T0 + 8 * DAY, &cause);
	assert_false(nw_seen_has(st, "old"));
	assert_true(nw_seen_has(st, "new"));
	nw_seen_close(st);
}

static void
test_seen_listed_key_is_refreshed_not_expired(void **state)
{
	char *cause = NULL;
	struct nw_seen *st = nw_seen_open(path("d"), 100, 10 * DAY, T0, &cause);

	assert_int_equal(nw_seen_add(st, "sticky", T0), 0);
	/* Still listed in the feed 6 days later: the poll adds it again. */
	assert_int_equal(nw_seen_add(st, "sticky", T0 + 6 * DAY), 0);
	nw_seen_close(st);
	st = nw_seen_open(path("d"), 100, 10 * DAY, T0 + 12 * DAY, &cause);
	assert_true(nw_seen_has(st, "sticky"));
	nw_seen_close(st);
}

static void
test_seen_is_bounded_oldest_evicted(void **state)
{
	char *cause = NULL, key[32];
	struct nw_seen *st = nw_seen_open(path("e"), 50, 0, T0, &cause);
	FILE *f;
	int i, lines = 0, c;

	for (i = 0; i < 1000; i++) {
		snprintf(key, sizeof key, "k%d", i);
		assert_int_equal(nw_seen_add(st, key, T0 + i), 0);
	}
	assert_int_equal(nw_seen_count(st), 50);
	assert_false(nw_seen_has(st, "k949"));
	assert_true(nw_seen_has(st, "k950"));
	assert_true(nw_seen_has(st, "k999"));
	nw_seen_close(st);
	/* The journal is compacted: never more than 2*max+64 lines. */
	f = fopen(path("e"), "r");
	while ((c = fgetc(f)) != EOF)
		lines += c == '\n';
	fclose(f);
	assert_true(lines <= 2 * 50 + 64);
	st = nw_seen_open(path("e"), 50, 0, T0, &cause);
	assert_int_equal(nw_seen_count(st), 50);
	assert_true(nw_seen_has(st, "k999"));
	nw_seen_close(st);
}

static void
test_seen_unwritable_dir_is_an_error(void **state)
{
	char *cause = NULL;
	struct nw_seen *st =
	    nw_seen_open("/nonexistent-dir/x/seen", 10, 0, T0, &cause);

	assert_null(st);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "/nonexistent-dir/x/seen"));
	free(cause);
}

static void
test_dates_rfc822_and_rfc3339(void **state)
{
	/* 2026-11-03T06:15:00Z */
	const int64_t want = 1793686500000LL;

	assert_int_equal(nw_feed_date("Tue, 03 Nov 2026 09:15:00 +0300"), want);
	assert_int_equal(nw_feed_date("03 Nov 2026 06:15:00 GMT"), want);
	assert_int_equal(nw_feed_date("Tue, 3 Nov 2026 09:15 MSK"), want);
	assert_int_equal(nw_feed_date("Tue, 03 Nov 26 01:15:00 EST"), want);
	assert_int_equal(nw_feed_date("2026-11-03T09:15:00+03:00"), want);
	assert_int_equal(nw_feed_date("2026-11-03T06:15:00Z"), want);
	assert_int_equal(nw_feed_date("2026-11-03T06:15:00.250Z"), want + 250);
	assert_int_equal(nw_feed_date("2026-11-03 06:15:00"), want);
	assert_int_equal(nw_feed_date("yesterday"), 0);
	assert_int_equal(nw_feed_date("2026-13-03T06:15:00Z"), 0);
	assert_int_equal(nw_feed_date(""), 0);
	assert_int_equal(nw_feed_date(NULL), 0);
}

/* A page that marks two elements as its dateline: the last one is kept
 * and the first one's buffer is not written to after it was freed (found by
 * fuzz_feed). */
static void
test_article_two_datelines(void **state)
{
	static const char page[] =
	    "<html><body><article><h1>Bridge opens over the Lena</h1>"
	    "<p class=\"dateline\">YAKUTSK, May 1. /TASS/.</p>"
	    "<p class=\"dateline\">YAKUTSK, May 2. /TASS/.</p>"
	    "<p>The bridge carries road and rail traffic across the river "
	    "for the first time, the regional government said.</p>"
	    "</article></body></html>";
	struct nw_article art = {0};
	char *cause = NULL;

	(void)state;
	assert_int_equal(
	    nw_article_from_html(page, sizeof page - 1, NULL, &art, &cause), 0);
	assert_string_equal(art.headline, "Bridge opens over the Lena");
	assert_true(art.body.n >= 1);
	assert_non_null(strstr(art.body.v[0], "YAKUTSK, May 2. /TASS/."));
	assert_non_null(strstr(art.body.v[0], "The bridge carries"));
	nw_article_clear(&art);
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_article_two_datelines),
	    cmocka_unit_test(test_seen_survives_reopen),
	    cmocka_unit_test(test_seen_versions_legacy_lines_and_last_wins),
	    cmocka_unit_test(test_seen_torn_last_line_is_ignored),
	    cmocka_unit_test(test_seen_old_keys_expire_on_load),
	    cmocka_unit_test(test_seen_listed_key_is_refreshed_not_expired),
	    cmocka_unit_test(test_seen_is_bounded_oldest_evicted),
	    cmocka_unit_test(test_seen_unwritable_dir_is_an_error),
	    cmocka_unit_test(test_dates_rfc822_and_rfc3339),
	};
	char cmd[300];
	int rc;

	if (mkdtemp(dir) == NULL)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		return 1;
	return rc;
}
