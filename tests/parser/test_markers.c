/* Unit tests of the version markers (parsers/markers.c, table from
 * parsers/markers.tsv): each kind recognised where agencies put it, the
 * marker taken off the headline and recorded as printed, and the cases
 * that must not be taken for markers. Sentences are our own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "newswire/story.h"
#include "wire.h"

static struct nw_event *
parse(const char *s)
{
	struct nw_parse_opts opts = {.received_at_ms = 1749556800000LL};
	struct nw_event *ev = NULL;

	assert_int_equal(nw_parse(s, strlen(s), &opts, &ev, NULL), NW_OK);
	return ev;
}

/* Whatever the headline block makes of what is left. */
static const char ANY_HEADLINE[] = "";

/* kind, headline (NULL: none) and the markers, in order */
static void
check(const char *text, enum nw_story_kind kind, const char *headline,
    const char *m1, const char *m2)
{
	struct nw_event *ev = parse(text);

	assert_string_equal(
	    nw_story_kind_name(ev->story_kind), nw_story_kind_name(kind));
	if (headline == NULL)
		assert_null(ev->headline);
	else if (headline != ANY_HEADLINE)
		assert_string_equal(ev->headline, headline);
	assert_int_equal(ev->story_markers.n, (m1 != NULL) + (m2 != NULL));
	if (m1 != NULL)
		assert_string_equal(ev->story_markers.v[0], m1);
	if (m2 != NULL)
		assert_string_equal(ev->story_markers.v[1], m2);
	nw_event_free(ev);
}

static void
molniya_line_above_a_one_sentence_dispatch_is_a_flash(void **state)
{
	check("МОЛНИЯ\n\nКАЗАНЬ, 2 марта. /ТАСС/. Мост через Каму "
	      "открыт для движения.\n",
	    NW_STORY_FLASH, NULL, "МОЛНИЯ", NULL);
}

static void
urgent_prefix_comes_off_a_one_line_headline(void **state)
{
	check("URGENT: Ferry runs aground off Sakhalin, no injuries "
	      "reported\n",
	    NW_STORY_FLASH,
	    "Ferry runs aground off Sakhalin, no injuries reported",
	    "URGENT:", NULL);
}

static void
flash_word_on_a_full_story_is_a_first_version(void **state)
{
	check("URGENT Museum closes after water leak\n\nPARIS, March 3, 2026 "
	      "(AFP) - A museum in central Paris closed on Tuesday after a "
	      "water pipe burst above a gallery, its director said.\n\nNo "
	      "paintings were damaged, she said.\n\nThe museum will reopen "
	      "on Thursday.\n",
	    NW_STORY_NONE, "Museum closes after water leak", "URGENT", NULL);
}

static void
one_line_dispatch_without_marker_is_a_flash(void **state)
{
	check("MOSCOW, March 2. /TASS/. The State Duma passed the road "
	      "safety bill in its final reading.\n",
	    NW_STORY_FLASH, NULL, NULL, NULL);
}

static void
numbered_update_prefix_and_advisory_line_are_taken_off(void **state)
{
	struct nw_event *ev;

	check("UPDATE 3-Copper hits two-year high as mine strike drags "
	      "on\n\n(Adds analyst comment in paragraph 4)\n\nLONDON, March 2 "
	      "(Reuters) - Copper prices rose to their highest in two years "
	      "on Monday as a strike at a large mine entered a third "
	      "week.\n\nTraders said stocks were thin.\n",
	    NW_STORY_UPDATE,
	    "Copper hits two-year high as mine strike drags on", "UPDATE 3-",
	    "(Adds analyst comment in paragraph 4)");
	/* the advisory line is not left in the body either */
	ev = parse("UPDATE 3-Copper hits two-year high\n\n(Adds analyst "
		   "comment)\n\nLONDON, March 2 (Reuters) - Copper prices "
		   "rose on Monday.\n\nTraders said stocks were thin.\n");
	assert_int_equal(ev->body.n, 2);
	assert_non_null(strstr(ev->body.v[0], "Copper prices rose"));
	nw_event_free(ev);
}

static void
ordinal_writethru_prefix_is_an_update(void **state)
{
	check("3rd LD Writethru: Train service resumes after landslide\n\n"
	      "XINING, April 4 (Xinhua) -- Train service on a mountain line "
	      "resumed on Saturday after crews cleared a landslide.\n\nNo one "
	      "was hurt.\n",
	    NW_STORY_UPDATE, "Train service resumes after landslide",
	    "3rd LD Writethru:", NULL);
}

static void
russian_suffix_and_timestamp_line_mark_update_and_correction(void **state)
{
	check("Мост через Каму открыли после ремонта (исправлено)\n\n"
	      "КАЗАНЬ, 2 марта. /ТАСС/. Мост через Каму открыли для движения "
	      "после ремонта, сообщили в мэрии.\n\nРемонт длился два года.\n",
	    NW_STORY_CORRECTION, "Мост через Каму открыли после ремонта",
	    "(исправлено)", NULL);
	check("Мост через Каму открыли после ремонта\n\n09:40\nобновлено "
	      "10:05\n\nКАЗАНЬ, 2 марта. /ТАСС/. Мост через Каму открыли для "
	      "движения после ремонта, сообщили в мэрии.\n\nРемонт длился два "
	      "года.\n",
	    NW_STORY_UPDATE, "Мост через Каму открыли после ремонта",
	    "обновлено 10:05", NULL);
}

static void
repeat_and_refile_prefixes_both_come_off(void **state)
{
	struct nw_event *a, *b;
	const char *body = "\n\nTOKYO, May 5 (Reuters) - Machine tool orders "
			   "rose 4% in April.\n\nThe data came on Tuesday.\n";
	char buf[512];

	snprintf(
	    buf, sizeof buf, "REPEAT-REFILE-Machine tool orders rise%s", body);
	check(buf, NW_STORY_CORRECTION, "Machine tool orders rise", "REPEAT-",
	    "REFILE-");
	/* the same text refiled and repeated has the same id */
	a = parse(buf);
	snprintf(buf, sizeof buf, "REFILE-Machine tool orders rise%s", body);
	b = parse(buf);
	assert_string_equal(a->id, b->id);
	nw_event_free(a);
	nw_event_free(b);
}

static void
kill_notes_are_kills(void **state)
{
	check("ОТМЕНА\n\nКАЗАНЬ, 2 марта. /ТАСС/. Просим не использовать "
	      "сообщение о мосте, переданное в 10:05 мск.\n\nОно ошибочно.\n",
	    NW_STORY_KILL, NULL, "ОТМЕНА", NULL);
	check("Japan-Ferry/\nKILL KILL KILL =\n\nPlease kill item \"Ferry "
	      "runs aground\". The ferry was not damaged.\n",
	    NW_STORY_KILL, ANY_HEADLINE, "Japan-Ferry/", "KILL KILL KILL =");
}

static void
agency_slug_lines_come_off_the_head(void **state)
{
	check("BC-Storm-Texas,1st Ld-Writethru\nHail storm hits Amarillo\n\n"
	      "AMARILLO, Texas (AP) — A hail storm broke windows across "
	      "Amarillo on Sunday, police said.\n\nNo one was hurt.\n",
	    NW_STORY_NONE, "Hail storm hits Amarillo",
	    "BC-Storm-Texas,1st Ld-Writethru", NULL);
	/* a headline that merely starts like a slug stays a headline */
	check("BC-based miners expand in Yukon\n\nVANCOUVER, May 5 (Reuters) - "
	      "Two miners expanded on Tuesday.\n\nShares rose.\n",
	    NW_STORY_NONE, "BC-based miners expand in Yukon", NULL, NULL);
}

static void
closing_correction_note_stays_in_the_body(void **state)
{
	struct nw_event *ev = parse(
	    "Мост через Каму открыли после ремонта\n\nКАЗАНЬ, 2 марта. /ТАСС/. "
	    "Мост длиной 800 м открыли для движения.\n\nРемонт длился два "
	    "года.\n\nВ новость внесена правка (11:00 мск) - передается с "
	    "исправлением длины моста, верно - 800 м.\n");

	assert_int_equal(ev->story_kind, NW_STORY_CORRECTION);
	assert_int_equal(ev->story_markers.n, 1);
	assert_string_equal(ev->story_markers.v[0], "В новость внесена правка");
	assert_int_equal(ev->body.n, 3);
	nw_event_free(ev);
}

static void
words_that_only_look_like_markers_are_left_alone(void **state)
{
	/* URGENTLY is a word, a flash word inside a headline is text, and an
	 * UPDATE without a number and dash is not Reuters' prefix */
	check("URGENTLY needed: blood donors in Tver\n\nTVER, March 2. /TASS/. "
	      "The regional blood centre asked donors to come in.\n\nStocks "
	      "are low.\n",
	    NW_STORY_NONE, "URGENTLY needed: blood donors in Tver", NULL, NULL);
	check("UPDATE on the bridge: repairs finish early\n\nKAZAN, March 2. "
	      "/TASS/. Repairs of the bridge finished a week early.\n\nIt "
	      "opens on Monday.\n",
	    NW_STORY_NONE, "UPDATE on the bridge: repairs finish early", NULL,
	    NULL);
	check("Москва получит новый парк (исправлено не будет)\n\nМОСКВА, 2 "
	      "марта. /ТАСС/. Новый парк откроют летом.\n\nОн займет 10 га.\n",
	    NW_STORY_NONE, "Москва получит новый парк (исправлено не будет)",
	    NULL, NULL);
}

static void
kind_names_round_trip(void **state)
{
	int k;

	for (k = NW_STORY_NONE; k <= NW_STORY_KILL; k++)
		assert_int_equal(nw_story_kind_from_name(
				     nw_story_kind_name((enum nw_story_kind)k)),
		    k);
	assert_int_equal(nw_story_kind_from_name("rewrite"), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(
		molniya_line_above_a_one_sentence_dispatch_is_a_flash),
	    cmocka_unit_test(urgent_prefix_comes_off_a_one_line_headline),
	    cmocka_unit_test(flash_word_on_a_full_story_is_a_first_version),
	    cmocka_unit_test(one_line_dispatch_without_marker_is_a_flash),
	    cmocka_unit_test(
		numbered_update_prefix_and_advisory_line_are_taken_off),
	    cmocka_unit_test(ordinal_writethru_prefix_is_an_update),
	    cmocka_unit_test(
		russian_suffix_and_timestamp_line_mark_update_and_correction),
	    cmocka_unit_test(repeat_and_refile_prefixes_both_come_off),
	    cmocka_unit_test(kill_notes_are_kills),
	    cmocka_unit_test(agency_slug_lines_come_off_the_head),
	    cmocka_unit_test(closing_correction_note_stays_in_the_body),
	    cmocka_unit_test(words_that_only_look_like_markers_are_left_alone),
	    cmocka_unit_test(kind_names_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
