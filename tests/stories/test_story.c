/* Unit tests of the story index (story/): versions numbered with their
 * kinds and supersedes links, repeats, idempotence per dispatch, records
 * replayed and dumped, expiry by time and size, memory per story. The
 * dispatches are our own sentences. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "newswire/parse.h"
#include "newswire/story.h"

#define T0   1780000000000LL /* 2026-05-28, about */
#define MIN  (60 * 1000LL)
#define HOUR (60 * MIN)

static const char *const flash =
    "МОЛНИЯ\n\nКАЗАНЬ, 28 мая. /ТАСС/. Мост через Каму в Казани закрыт "
    "после обрушения пролета.\n";
static const char *const first =
    "Мост через Каму в Казани закрыт после обрушения пролета\n\n"
    "КАЗАНЬ, 28 мая. /ТАСС/. Движение по мосту через Каму в Казани "
    "закрыто после обрушения одного из пролетов, сообщили в мэрии "
    "города.\n\nПо предварительным данным, пострадавших нет.\n";
static const char *const update =
    "Мэрия Казани: пострадавших при обрушении пролета моста через Каму "
    "нет\n\nКАЗАНЬ, 28 мая. /ТАСС/. Движение по мосту через Каму в Казани "
    "закрыто после обрушения одного из пролетов, сообщили в мэрии "
    "города.\n\nПострадавших нет, на месте работают спасатели.\n\n"
    "Объезд организован по соседнему мосту.\n";
static const char *const correction =
    "Мэрия Казани: пострадавших при обрушении пролета моста через Каму "
    "нет\n\nКАЗАНЬ, 28 мая. /ТАСС/. Движение по мосту через Каму в Казани "
    "закрыто после обрушения одного из пролетов, сообщили в мэрии "
    "города.\n\nПострадавших нет, на месте работают спасатели.\n\n"
    "Объезд организован по северному мосту.\n\nВ новость внесена правка "
    "(12:40 мск) - передается с исправлением названия моста объезда.\n";
/* the same city and day, another story */
static const char *const other =
    "Казанский зоопарк получил двух снежных барсов\n\nКАЗАНЬ, 28 мая. "
    "/ТАСС/. Зоопарк Казани получил двух снежных барсов из питомника в "
    "Новосибирске, сообщили в пресс-службе зоопарка.\n\nЖивотных покажут "
    "посетителям через месяц.\n";

static struct nw_event *
parse(const char *s, int64_t at)
{
	struct nw_parse_opts opts = {.received_at_ms = at};
	struct nw_event *ev = NULL;

	assert_int_equal(nw_parse(s, strlen(s), &opts, &ev, NULL), NW_OK);
	return ev;
}

/* Assign text from source/uri at time at; the record is appended to the
 * journal j (one record a line) when j is not NULL. */
static struct nw_story
assign(struct nw_story_index *x, const char *text, const char *source,
    const char *uri, int64_t at, FILE *j)
{
	struct nw_story_hint hint = {.source = source, .uri = uri};
	struct nw_event *ev = parse(text, at);
	struct nw_story st;
	char *rec = NULL;
	size_t len = 0;

	assert_int_equal(nw_story_assign(x, ev, &hint, at, &st,
			     j != NULL ? &rec : NULL, j != NULL ? &len : NULL),
	    0);
	if (j != NULL) {
		assert_non_null(rec);
		assert_int_equal(strlen(rec), len);
		fprintf(j, "%s\n", rec);
	}
	free(rec);
	nw_event_free(ev);
	return st;
}

static void
flash_first_update_correction_make_one_story_in_order(void **state)
{
	struct nw_story_index *x = nw_story_index_new(NULL);
	struct nw_story a, b, c, d, e;

	a = assign(x, flash, "spool", "a.txt", T0, NULL);
	b = assign(x, first, "spool", "b.txt", T0 + 4 * MIN, NULL);
	c = assign(x, update, "feed", "https://x/1", T0 + HOUR, NULL);
	d = assign(x, correction, "spool", "d.txt", T0 + 2 * HOUR, NULL);
	e = assign(x, other, "spool", "e.txt", T0 + 2 * HOUR, NULL);
	assert_string_equal(a.key, b.key);
	assert_string_equal(a.key, c.key);
	assert_string_equal(a.key, d.key);
	assert_string_not_equal(a.key, e.key);
	assert_int_equal(a.version, 1);
	assert_int_equal(b.version, 2);
	assert_int_equal(c.version, 3);
	assert_int_equal(d.version, 4);
	assert_int_equal(e.version, 1);
	assert_int_equal(a.kind, NW_STORY_FLASH);
	assert_int_equal(b.kind, NW_STORY_FIRST);
	assert_int_equal(c.kind, NW_STORY_UPDATE);
	assert_int_equal(d.kind, NW_STORY_CORRECTION);
	assert_int_equal(e.kind, NW_STORY_FIRST);
	assert_string_equal(a.supersedes, "");
	assert_true(a.first_created_ms == T0 && d.first_created_ms == T0);
	/* each supersedes the one before: the previous event's id */
	{
		struct nw_event *ev = parse(first, T0);

		assert_string_equal(c.supersedes, ev->id);
		assert_memory_equal(ev->id, b.key, 0); /* key is a's */
		nw_event_free(ev);
		ev = parse(flash, T0);
		assert_string_equal(b.supersedes, ev->id);
		assert_memory_equal(a.key, ev->id, 32);
		nw_event_free(ev);
	}
	assert_int_equal(nw_story_index_count(x), 2);
	nw_story_index_free(x);
}

static void
same_text_from_a_second_source_is_a_repeat_of_its_version(void **state)
{
	struct nw_story_index *x = nw_story_index_new(NULL);
	struct nw_story a, b, c;

	a = assign(x, first, "spool", "b.txt", T0, NULL);
	b = assign(x, update, "spool", "c.txt", T0 + HOUR, NULL);
	c = assign(x, first, "feed", "https://x/1", T0 + 2 * HOUR, NULL);
	assert_false(a.repeat || b.repeat);
	assert_true(c.repeat);
	assert_string_equal(c.key, a.key);
	assert_int_equal(c.version, 1);
	assert_int_equal(c.kind, NW_STORY_FIRST);
	nw_story_index_free(x);
}

static void
redelivered_dispatch_gets_the_version_it_had(void **state)
{
	struct nw_story_index *x = nw_story_index_new(NULL);
	struct nw_story a, b, again;

	a = assign(x, first, "spool", "b.txt", T0, NULL);
	b = assign(x, update, "spool", "c.txt", T0 + HOUR, NULL);
	again = assign(x, first, "spool", "b.txt", T0 + 3 * HOUR, NULL);
	assert_memory_equal(&a, &again, sizeof a);
	again = assign(x, update, "spool", "c.txt", T0 + 3 * HOUR, NULL);
	assert_memory_equal(&b, &again, sizeof b);
	assert_false(again.repeat);
	nw_story_index_free(x);
}

static void
feed_item_id_joins_what_the_text_would_not(void **state)
{
	struct nw_story_index *x = nw_story_index_new(NULL);
	struct nw_story_hint hint = {
	    .source = "feed", .uri = "u1", .item_id = "https://x/item/7"};
	struct nw_event *a = parse(first, T0), *b = parse(other, T0 + MIN);
	struct nw_story sa, sb;

	assert_int_equal(nw_story_assign(x, a, &hint, T0, &sa, NULL, NULL), 0);
	hint.uri = "u2";
	assert_int_equal(
	    nw_story_assign(x, b, &hint, T0 + MIN, &sb, NULL, NULL), 0);
	assert_string_equal(sa.key, sb.key);
	assert_int_equal(sb.version, 2);
	assert_int_equal(sb.kind, NW_STORY_UPDATE);
	nw_event_free(a);
	nw_event_free(b);
	nw_story_index_free(x);
}

static void
agency_slug_joins_versions_like_a_feed_item(void **state)
{
	static const char *const lead =
	    "BC-Storm-Texas,1st Ld-Writethru\nHail storm hits Amarillo\n\n"
	    "AMARILLO, Texas (AP) — A hail storm broke windows across "
	    "Amarillo on Sunday, police said.\n\nNo one was hurt.\n";
	static const char *const other_words =
	    "BC-Storm-Texas,2nd Ld-Writethru\nCity opens shelters after "
	    "night of damage\n\nAMARILLO, Texas (AP) — Shelters opened at "
	    "three schools on Monday for families whose roofs leak, the "
	    "mayor's office said.\n\nInsurers sent adjusters.\n";
	struct nw_story_index *x = nw_story_index_new(NULL);
	struct nw_story a, b;

	a = assign(x, lead, "spool", "a.txt", T0, NULL);
	b = assign(x, other_words, "spool", "b.txt", T0 + HOUR, NULL);
	assert_string_equal(a.key, b.key);
	assert_int_equal(b.version, 2);
	nw_story_index_free(x);
}

static int
to_file(const char *rec, size_t len, void *arg)
{
	return fprintf(arg, "%.*s\n", (int)len, rec) < 0 ? -1 : 0;
}

/* Replay every line of f into a new index. */
static struct nw_story_index *
replayed(FILE *f)
{
	struct nw_story_index *x = nw_story_index_new(NULL);
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	rewind(f);
	while ((n = getline(&line, &cap, f)) > 0)
		assert_int_equal(nw_story_index_replay(x, line, (size_t)n), 0);
	free(line);
	return x;
}

static void
journal_and_dump_restore_the_index_after_a_restart(void **state)
{
	struct nw_story_index *x = nw_story_index_new(NULL), *y, *z;
	struct nw_story a, b, c, e, want, got;
	FILE *j = tmpfile(), *dump = tmpfile();

	a = assign(x, flash, "spool", "a.txt", T0, j);
	b = assign(x, first, "spool", "b.txt", T0 + 4 * MIN, j);
	c = assign(x, first, "feed", "https://x/1", T0 + 5 * MIN, j);
	e = assign(x, other, "spool", "e.txt", T0 + 6 * MIN, j);
	assert_true(c.repeat);
	want = assign(x, update, "spool", "c.txt", T0 + HOUR, NULL);
	assert_int_equal(nw_story_index_dump(x, to_file, dump), 0);

	/* a restart: the journal replayed, then the same update arrives */
	y = replayed(j);
	assert_int_equal(nw_story_index_count(y), 2);
	got = assign(y, update, "spool", "c.txt", T0 + HOUR, NULL);
	assert_memory_equal(&want, &got, sizeof want);
	/* and the dispatches it had seen keep their versions */
	got = assign(y, first, "spool", "b.txt", T0 + 2 * HOUR, NULL);
	assert_memory_equal(&b, &got, sizeof b);
	got = assign(y, first, "feed", "https://x/1", T0 + 2 * HOUR, NULL);
	assert_memory_equal(&c, &got, sizeof c);
	got = assign(y, other, "spool", "e.txt", T0 + 2 * HOUR, NULL);
	assert_memory_equal(&e, &got, sizeof e);

	/* the dump is a compacted journal of the same state */
	z = replayed(dump);
	assert_int_equal(nw_story_index_count(z), 2);
	got = assign(z, update, "spool", "c.txt", T0 + 2 * HOUR, NULL);
	assert_memory_equal(&want, &got, sizeof want);
	got = assign(z, flash, "spool", "a.txt", T0 + 2 * HOUR, NULL);
	assert_memory_equal(&a, &got, sizeof a);
	got = assign(z, correction, "spool", "d.txt", T0 + 2 * HOUR, NULL);
	assert_string_equal(got.key, a.key);
	assert_int_equal(got.version, 4);
	fclose(j);
	fclose(dump);
	nw_story_index_free(x);
	nw_story_index_free(y);
	nw_story_index_free(z);
}

static void
malformed_records_are_refused(void **state)
{
	struct nw_story_index *x = nw_story_index_new(NULL);
	static const char *const bad[] = {
	    "",
	    "A",
	    "B 0123456789abcdef0123456789abcdef 1 first 0",
	    "A nothex 1 first 0 - 1 1 1 0 0 0 - ru - - -",
	    /* a version 3 of a story that has none */
	    "A 0123456789abcdef0123456789abcdef 3 update 0 "
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef "
	    "1 1 1 0 0 0 - ru - - -",
	};
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(
		    nw_story_index_replay(x, bad[i], strlen(bad[i])), -1);
	assert_int_equal(nw_story_index_count(x), 0);
	nw_story_index_free(x);
}

static void
stories_expire_by_time_and_by_size(void **state)
{
	struct nw_story_limits lim = {.window_ms = 6 * HOUR, .max_stories = 2};
	struct nw_story_index *x = nw_story_index_new(&lim);
	struct nw_story a, b;

	a = assign(x, first, "spool", "b.txt", T0, NULL);
	assign(x, other, "spool", "e.txt", T0 + MIN, NULL);
	assert_int_equal(nw_story_index_expire(x, T0 + HOUR), 0);
	assert_int_equal(nw_story_index_count(x), 2);
	/* past the window the update starts a story of its own */
	assert_int_equal(nw_story_index_expire(x, T0 + 7 * HOUR), 2);
	assert_int_equal(nw_story_index_count(x), 0);
	b = assign(x, update, "spool", "c.txt", T0 + 7 * HOUR, NULL);
	assert_string_not_equal(a.key, b.key);
	assert_int_equal(b.version, 1);
	/* the size bound drops the oldest */
	assign(x, first, "spool", "b2.txt", T0 + 8 * HOUR, NULL);
	assign(x, other, "spool", "e2.txt", T0 + 8 * HOUR, NULL);
	assert_int_equal(nw_story_index_count(x), 2);
	nw_story_index_free(x);
}

/* A made-up word of seven letters, different for each (i, k). */
static const char *
word(size_t i, unsigned k, char *buf)
{
	uint64_t h =
	    (i + 1) * 0x9E3779B97F4A7C15ull ^ (k + 1) * 0xC2B2AE3D27D4EB4Full;
	int n;

	buf[0] = (char)('A' + h % 26);
	for (n = 1; n < 7; n++) {
		h = h * 6364136223846793005ull + 1442695040888963407ull;
		buf[n] = (char)('a' + (h >> 33) % 26);
	}
	buf[7] = '\0';
	return buf;
}

/* A word stem held by more than 64 stories is not followed; when dropped
 * stories bring it back to 64 it is followed again. 65 stories of the same
 * words, each dated another day (so none joins another), make every stem
 * too common to follow; dropping two of them makes them followed again.
 * The last paragraph, past the opening ones that stories are compared on,
 * only makes each a dispatch of its own (not a repeat). */
#define COUNCIL                                                                \
	"Regional council approves the river bridge budget\n\nMOSCOW, %s %d. " \
	"/TASS/. The regional council approved the budget for the new river "  \
	"bridge on Thursday, its chairman told reporters.\n\nConstruction "    \
	"of the bridge will start next spring.\n\nFiled as %s.\n"

static struct nw_story
assign_day(struct nw_story_index *x, int day, const char *uri, int64_t at)
{
	static const char *const months[] = {"January", "February", "March"};
	char text[512];

	snprintf(
	    text, sizeof text, COUNCIL, months[day / 28], day % 28 + 1, uri);
	return assign(x, text, "spool", uri, at, NULL);
}

static void
common_stems_are_followed_again_below_the_limit(void **state)
{
	struct nw_story_limits lim = {.window_ms = 70 * MIN};
	struct nw_story_index *x = nw_story_index_new(&lim);
	struct nw_story st, day20;
	char uri[32];
	int i;

	for (i = 0; i < 65; i++) {
		snprintf(uri, sizeof uri, "%d.txt", i);
		st = assign_day(x, i, uri, T0 + i * MIN);
		assert_int_equal(st.version, 1);
		if (i == 20)
			day20 = st;
	}
	assert_int_equal(nw_story_index_count(x), 65);
	/* Every stem is held by 65 stories: nothing leads to day 20's. */
	st = assign_day(x, 20, "again-1.txt", T0 + 66 * MIN);
	assert_int_equal(st.version, 1);
	assert_string_not_equal(st.key, day20.key);
	/* The stories of days 0 and 1 go: the stems are held by 63. */
	assert_int_equal(nw_story_index_expire(x, T0 + 71 * MIN + 1), 2);
	st = assign_day(x, 20, "again-2.txt", T0 + 72 * MIN);
	assert_string_equal(st.key, day20.key);
	assert_int_equal(st.version, 2);
	nw_story_index_free(x);
}

/* Memory per story with many stories held, each of its own words. */
static void
memory_per_story_is_bounded(void **state)
{
	struct nw_story_index *x = nw_story_index_new(NULL);
	size_t i, n = 3000, per;
	char text[512], w[8][8];

	for (i = 0; i < n; i++) {
		unsigned k;

		for (k = 0; k < 8; k++)
			word(i, k, w[k]);
		snprintf(text, sizeof text,
		    "%s opens %s plant in %s\n\nMOSCOW, May 28. /TASS/. %s "
		    "opened the %s production line at %s, director %s said "
		    "on Thursday.\n\nInvestment by %s reached %zu million "
		    "rubles.\n",
		    w[0], w[1], w[2], w[0], w[3], w[4], w[5], w[6], i);
		assign(x, text, "spool", w[7], T0 + (int64_t)i * 1000, NULL);
	}
	assert_int_equal(nw_story_index_count(x), n);
	per = nw_story_index_bytes(x) / n;
	print_message("memory per story: %zu bytes (%zu stories)\n", per, n);
	assert_true(per > 200 && per < 8192);
	nw_story_index_free(x);
}

/* One story of many versions, each bringing a word of its own: every
 * version joins it (the set of its stems grows by one each time), and once
 * it expires nothing of it is left in the index: a second such story,
 * expired in turn, leaves the index exactly as large as the first did (its
 * table has grown to size already; a leaked entry would add bytes). */
static void
story_of_many_versions_keeps_every_stem_once(void **state)
{
	struct nw_story_limits lim = {.window_ms = 6 * HOUR};
	struct nw_story_index *x = nw_story_index_new(&lim);
	struct nw_story st, first_st;
	size_t i, n = 3000, full = 0, left[2];
	char text[512], w[8], uri[32];
	int round;
	int64_t at;

	for (round = 0; round < 2; round++) {
		for (i = 0; i < n; i++) {
			at = T0 + round * 8 * HOUR + (int64_t)i;
			snprintf(text, sizeof text,
			    "Regional council approves the river bridge "
			    "budget\n\nMOSCOW, May 28. /TASS/. The regional "
			    "council approved the budget for the new river "
			    "bridge on Thursday, its chairman told reporters "
			    "after a meeting with %s.\n\nFiled as %d-%zu.\n",
			    word(i, (unsigned)round, w), round, i);
			snprintf(uri, sizeof uri, "v%d-%zu.txt", round, i);
			st = assign(x, text, "spool", uri, at, NULL);
			if (i == 0)
				first_st = st;
			assert_string_equal(st.key, first_st.key);
			assert_int_equal(st.version, i + 1);
		}
		assert_int_equal(nw_story_index_count(x), 1);
		full = nw_story_index_bytes(x);
		assert_int_equal(nw_story_index_expire(x, at + 7 * HOUR), 1);
		assert_int_equal(nw_story_index_count(x), 0);
		left[round] = nw_story_index_bytes(x);
	}
	print_message("index bytes: one story of %zu versions %zu, after it "
		      "expired %zu\n",
	    n, full, left[1]);
	assert_int_equal(left[1], left[0]);
	nw_story_index_free(x);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(
		flash_first_update_correction_make_one_story_in_order),
	    cmocka_unit_test(
		same_text_from_a_second_source_is_a_repeat_of_its_version),
	    cmocka_unit_test(redelivered_dispatch_gets_the_version_it_had),
	    cmocka_unit_test(feed_item_id_joins_what_the_text_would_not),
	    cmocka_unit_test(agency_slug_joins_versions_like_a_feed_item),
	    cmocka_unit_test(
		journal_and_dump_restore_the_index_after_a_restart),
	    cmocka_unit_test(malformed_records_are_refused),
	    cmocka_unit_test(stories_expire_by_time_and_by_size),
	    cmocka_unit_test(memory_per_story_is_bounded),
	    cmocka_unit_test(story_of_many_versions_keeps_every_stem_once),
	    cmocka_unit_test(common_stems_are_followed_again_below_the_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
