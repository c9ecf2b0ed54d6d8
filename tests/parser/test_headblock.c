/* Unit tests of the headline block and body (parsers/headblock.c):
 * furniture, section names, headline, lede, captions and credits in the
 * orders scraped pages put them, and furniture removed from the body. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wire.h"

static struct nw_event *
parse(const char *s)
{
	struct nw_parse_opts opts = {.received_at_ms = 1749556800000LL};
	struct nw_event *ev = NULL;

	assert_int_equal(nw_parse(s, strlen(s), &opts, &ev, NULL), NW_OK);
	return ev;
}

static void
assert_caption(
    const struct nw_event *ev, size_t i, const char *text, const char *credit)
{
	assert_true(i < ev->ncaptions);
	if (text == NULL)
		assert_null(ev->captions[i].text);
	else
		assert_string_equal(ev->captions[i].text, text);
	if (credit == NULL)
		assert_null(ev->captions[i].credit);
	else
		assert_string_equal(ev->captions[i].credit, credit);
}

static void
tass_page_with_glued_caption(void **state)
{
	struct nw_event *ev =
	    parse("All news\n\n"
		  "Russia sees no need for extra oil cuts\n\n"
		  "The deputy minister said demand was recovering\n"
		  "Oil pump jacks in the Tyumen Region Arseny Volynkin/TASS\n"
		  "Oil pump jacks in the Tyumen Region\n"
		  "\xC2\xA9 Arseny Volynkin/TASS\n\n"
		  "MOSCOW, April 17. /TASS/. Russia sees no need for cuts.\n\n"
		  "\"The market is balanced,\" he said.\n\n"
		  "Read also\n"
		  "Oil prices rise on Monday\n\n"
		  "Last paragraph.");

	assert_string_equal(
	    ev->headline, "Russia sees no need for extra oil cuts");
	assert_string_equal(
	    ev->lede, "The deputy minister said demand was recovering");
	assert_int_equal(ev->ncaptions, 1);
	assert_caption(ev, 0, "Oil pump jacks in the Tyumen Region",
	    "Arseny Volynkin/TASS");
	assert_int_equal(ev->body.n, 3);
	assert_string_equal(ev->body.v[0],
	    "MOSCOW, April 17. /TASS/. Russia sees no need for cuts.");
	assert_string_equal(
	    ev->body.v[1], "\"The market is balanced,\" he said.");
	assert_string_equal(ev->body.v[2], "Last paragraph.");
	assert_int_equal(ev->warnings.n, 0);
	nw_event_free(ev);
}

static void
plain_headline_lede_dateline(void **state)
{
	struct nw_event *ev = parse("All news\n\nPutin says things\n\n"
				    "The president spoke to reporters\n\n"
				    "IGORA /Leningrad Region/, December 26. "
				    "/TASS/. Russia could.\n\nMore text.");

	assert_string_equal(ev->headline, "Putin says things");
	assert_string_equal(ev->lede, "The president spoke to reporters");
	assert_int_equal(ev->ncaptions, 0);
	assert_int_equal(ev->body.n, 2);
	assert_string_equal(ev->dateline->region, "Leningrad Region");
	nw_event_free(ev);
}

static void
section_name_and_credit_without_caption(void **state)
{
	struct nw_event *ev =
	    parse("Экономика и бизнес\n\n"
		  "Минэнерго ожидает роста добычи нефти\n\n"
		  "По словам замминистра, компании перестроили логистику\n"
		  "\xC2\xA9 Роман Зябликов/ТАСС\n\n"
		  "МОСКВА, 6 июня. /ТАСС/. Добыча нефти может вырасти.");

	assert_string_equal(
	    ev->headline, "Минэнерго ожидает роста добычи нефти");
	assert_string_equal(
	    ev->lede, "По словам замминистра, компании перестроили логистику");
	assert_int_equal(ev->ncaptions, 1);
	assert_caption(ev, 0, NULL, "Роман Зябликов/ТАСС");
	assert_string_equal(ev->language, "ru");
	nw_event_free(ev);
}

static void
xinhua_source_line_is_furniture(void **state)
{
	struct nw_event *ev =
	    parse("China's skaters eye breakthrough\n\n"
		  "Source: Xinhua | 2025-03-03 21:07:45 | Editor: huaxia\n\n"
		  "BEIJING, March 3 (Xinhua) -- China's team will race.");

	assert_string_equal(ev->headline, "China's skaters eye breakthrough");
	assert_null(ev->lede);
	assert_int_equal(ev->body.n, 1);
	assert_string_equal(ev->agency, "Xinhua");
	nw_event_free(ev);
}

static void
one_word_section_over_headline(void **state)
{
	struct nw_event *ev =
	    parse("Business\n\n"
		  "Arc7 gas carriers to make up to 14 winter voyages\n\n"
		  "MOSCOW, Feb 12 (Interfax) - Arc7 carriers will sail.");

	assert_string_equal(
	    ev->headline, "Arc7 gas carriers to make up to 14 winter voyages");
	assert_null(ev->lede);
	nw_event_free(ev);
}

static void
captions_before_the_headline(void **state)
{
	struct nw_event *ev =
	    parse("All news\n\n"
		  "A rail ferry at the port Anatoly Zhidkov/TASS\n"
		  "A rail ferry at the port\n"
		  "\xC2\xA9 Anatoly Zhidkov/TASS\n\n"
		  "Kaliningrad to get third rail ferry\n\n"
		  "The new vessel will increase capacity\n\n"
		  "KALININGRAD, March 11. /TASS/. A third ferry.");

	assert_string_equal(
	    ev->headline, "Kaliningrad to get third rail ferry");
	assert_string_equal(ev->lede, "The new vessel will increase capacity");
	assert_int_equal(ev->ncaptions, 1);
	assert_caption(
	    ev, 0, "A rail ferry at the port", "Anatoly Zhidkov/TASS");
	nw_event_free(ev);
}

static void
caption_between_headline_and_lede(void **state)
{
	struct nw_event *ev = parse("Kaliningrad to get third rail ferry\n\n"
				    "A rail ferry at the port\n"
				    "\xC2\xA9 Anatoly Zhidkov/TASS\n\n"
				    "The new vessel will increase capacity\n\n"
				    "KALININGRAD, March 11. /TASS/. A ferry.");

	assert_string_equal(
	    ev->headline, "Kaliningrad to get third rail ferry");
	assert_string_equal(ev->lede, "The new vessel will increase capacity");
	assert_caption(
	    ev, 0, "A rail ferry at the port", "Anatoly Zhidkov/TASS");
	nw_event_free(ev);
}

static void
bare_credit_line_after_caption(void **state)
{
	struct nw_event *ev =
	    parse("Grushko calls for contacts with NATO\n\n"
		  "The diplomat spoke to TASS\n"
		  "Deputy Foreign Minister Alexander Grushko\n"
		  "Sergei Bobylev/TASS\n\n"
		  "MOSCOW, June 6. /TASS/. Text.");

	assert_string_equal(
	    ev->headline, "Grushko calls for contacts with NATO");
	assert_string_equal(ev->lede, "The diplomat spoke to TASS");
	assert_caption(ev, 0, "Deputy Foreign Minister Alexander Grushko",
	    "Sergei Bobylev/TASS");
	nw_event_free(ev);
}

static void
glued_caption_alone_is_split_at_the_name(void **state)
{
	struct nw_event *ev = parse("Headline of the day here\n\n"
				    "Lede of the day here\n"
				    "Soybean field in Primorye Semyon "
				    "Dyachenko/TASS\n\n"
				    "VLADIVOSTOK, September 3. /TASS/. Text.");

	assert_caption(
	    ev, 0, "Soybean field in Primorye", "Semyon Dyachenko/TASS");
	assert_string_equal(ev->lede, "Lede of the day here");
	nw_event_free(ev);
}

static void
no_dateline_still_parses_with_a_warning(void **state)
{
	struct nw_event *ev = parse(
	    "All news\n\n"
	    "Tobolsk Kremlin's Gostiny Dvor reopens\n\n"
	    "The building now houses an exhibition\n"
	    "The Gostiny Dvor Darya Nechayeva/TASS\n"
	    "The Gostiny Dvor\n"
	    "\xC2\xA9 Darya Nechayeva/TASS\n\n"
	    "The Gostiny Dvor of the Tobolsk Kremlin reopened on Saturday.\n\n"
	    "Second paragraph.");

	assert_null(ev->dateline);
	assert_null(ev->agency);
	assert_string_equal(
	    ev->headline, "Tobolsk Kremlin's Gostiny Dvor reopens");
	assert_string_equal(ev->lede, "The building now houses an exhibition");
	assert_int_equal(ev->body.n, 2);
	assert_string_equal(ev->body.v[0],
	    "The Gostiny Dvor of the Tobolsk Kremlin reopened on Saturday.");
	assert_int_equal(ev->warnings.n, 1);
	assert_string_equal(ev->warnings.v[0], "no dateline found");
	nw_event_free(ev);
}

static void
no_dateline_plain_text_has_no_lede(void **state)
{
	struct nw_event *ev = parse("A headline without a dateline\n\n"
				    "First paragraph of the story.\n\n"
				    "Second paragraph.");

	assert_string_equal(ev->headline, "A headline without a dateline");
	assert_null(ev->lede);
	assert_int_equal(ev->body.n, 2);
	nw_event_free(ev);
}

static void
photo_in_the_body_becomes_a_caption(void **state)
{
	struct nw_event *ev =
	    parse("Headline of a story\n\nMOSCOW, June 6. /TASS/. First.\n\n"
		  "Second paragraph.\n\n"
		  "Visitors at the museum Vera Sokolovskaya/TASS\n"
		  "Visitors at the museum\n"
		  "\xC2\xA9 Vera Sokolovskaya/TASS\n\n"
		  "Read also: Museum opens new wing\n\n"
		  "Third paragraph.");

	assert_int_equal(ev->body.n, 3);
	assert_string_equal(ev->body.v[2], "Third paragraph.");
	assert_caption(
	    ev, 0, "Visitors at the museum", "Vera Sokolovskaya/TASS");
	nw_event_free(ev);
}

static void
wrapped_lines_join_into_one_paragraph(void **state)
{
	struct nw_event *ev = parse("Headline of a story\n\n"
				    "MOSCOW, June 6. /TASS/. The first\n"
				    "paragraph is wrapped\nover three lines.");

	assert_int_equal(ev->body.n, 1);
	assert_string_equal(ev->body.v[0],
	    "MOSCOW, June 6. /TASS/. The first "
	    "paragraph is wrapped over three "
	    "lines.");
	nw_event_free(ev);
}

static void
long_section_names(void **state)
{
	struct nw_event *ev = parse("Russian Politics & Diplomacy\n\n"
				    "Lavrov to visit Ankara next week\n\n"
				    "MOSCOW, June 6. /TASS/. Text.");

	assert_string_equal(ev->headline, "Lavrov to visit Ankara next week");
	assert_null(ev->lede);
	nw_event_free(ev);
	ev = parse("Армия и ОПК\n\nМинобороны получило новые самолеты\n\n"
		   "МОСКВА, 6 июня. /ТАСС/. Текст.");
	assert_string_equal(ev->headline, "Минобороны получило новые самолеты");
	assert_null(ev->lede);
	nw_event_free(ev);
}

/* A Title Case line over a longer sentence-case headline is the site's
 * section, even with only a byline between them and the dateline. */
static void
title_case_section_over_headline_and_byline(void **state)
{
	struct nw_event *ev = parse(
	    "Sustainable Business\n\n"
	    "Chile to double lithium output by 2030, mining minister says\n\n"
	    "By Ana Rivera\n\n"
	    "SANTIAGO, Jan 9 (Reuters) - Chile plans to double output.");

	assert_string_equal(ev->headline,
	    "Chile to double lithium output by 2030, mining minister says");
	assert_null(ev->lede);
	nw_event_free(ev);
	/* a short headline in sentence case stays the headline */
	ev = parse("Lithium output doubles\n\n"
		   "SANTIAGO, Jan 9 (Reuters) - Chile doubled its output.");
	assert_string_equal(ev->headline, "Lithium output doubles");
	nw_event_free(ev);
}

static void
short_headline_is_not_a_section(void **state)
{
	struct nw_event *ev =
	    parse("Ruble strengthens\n\n"
		  "The currency gained 2% against the dollar\n\n"
		  "MOSCOW, June 6. /TASS/. Text.");

	assert_string_equal(ev->headline, "Ruble strengthens");
	assert_string_equal(
	    ev->lede, "The currency gained 2% against the dollar");
	nw_event_free(ev);
	/* but words that name sections make one, even with no lede */
	ev = parse("World News\n\nRuble strengthens against the dollar\n\n"
		   "MOSCOW, June 6. /TASS/. Text.");
	assert_string_equal(
	    ev->headline, "Ruble strengthens against the dollar");
	assert_null(ev->lede);
	nw_event_free(ev);
	ev = parse("В мире\n\nРубль укрепился к доллару\n\n"
		   "МОСКВА, 6 июня. /ТАСС/. Текст.");
	assert_string_equal(ev->headline, "Рубль укрепился к доллару");
	nw_event_free(ev);
}

static void
byline_stamp_and_twice_printed_title_are_furniture(void **state)
{
	struct nw_event *ev = parse("World\n\n"
				    "Lavrov to visit Ankara next week\n\n"
				    "Lavrov to visit Ankara next week\n\n"
				    "26 DEC 2024, 14:35\n\n"
				    "By John Smith\n\n"
				    "The minister will meet his counterpart\n\n"
				    "MOSCOW, June 6. /TASS/. Text.\n\n"
				    "Tags: Russia, Turkey");

	assert_string_equal(ev->headline, "Lavrov to visit Ankara next week");
	assert_string_equal(ev->lede, "The minister will meet his counterpart");
	assert_int_equal(ev->body.n, 1);
	assert_int_equal(ev->warnings.n, 0);
	nw_event_free(ev);
}

static void
news_site_head_with_byline_and_times(void **state)
{
	struct nw_event *ev =
	    parse("World\n\n"
		  "Japan's economy shrinks as exports slump\n\n"
		  "By MARI YAMAGUCHI\n"
		  "Updated 2:35 AM EST, August 15, 2025\n\n"
		  "3 min read\n\n"
		  "TOKYO (AP) \xE2\x80\x94 Japan's economy contracted.\n\n"
		  "Reporting by Mari Yamaguchi; Editing by Ann Lee");

	assert_string_equal(
	    ev->headline, "Japan's economy shrinks as exports slump");
	assert_null(ev->lede);
	assert_int_equal(ev->body.n, 1);
	assert_int_equal(ev->warnings.n, 0);
	nw_event_free(ev);
}

static void
body_paragraph_ending_in_a_slash_word_stays(void **state)
{
	struct nw_event *ev = parse("Headline of a story\n\n"
				    "MOSCOW, June 6. /TASS/. First.\n\n"
				    "The report was prepared by Lenta Ru/Media "
				    "Group");

	assert_int_equal(ev->body.n, 2);
	assert_int_equal(ev->ncaptions, 0);
	nw_event_free(ev);
}

static void
credits_never_eat_the_headline_and_lede(void **state)
{
	struct nw_event *ev = parse("Politics\n\n"
				    "One caption\n\xC2\xA9 Ann Lee/TASS\n"
				    "Two caption\n\xC2\xA9 Bob Ray/TASS\n"
				    "Three caption\n\xC2\xA9 Cy Dee/TASS");

	/* three plain lines, each above a © line: two must stay text */
	assert_string_equal(ev->headline, "One caption");
	assert_string_equal(ev->lede, "Two caption");
	assert_int_equal(ev->ncaptions, 3);
	assert_caption(ev, 2, "Three caption", "Cy Dee/TASS");
	nw_event_free(ev);
}

static void
many_glued_captions_all_found(void **state)
{
	size_t i, n = 3000, len = 0;
	char *s = malloc(n * 80 + 64);
	struct nw_event *ev;

	len += (size_t)sprintf(s, "A headline over many photos\n\n");
	for (i = 0; i < n; i++)
		len += (size_t)sprintf(s + len,
		    "Photo %zu of the day Ann Lee%zu/TASS\n"
		    "Photo %zu of the day\n\xC2\xA9 Ann Lee%zu/TASS\n",
		    i, i, i, i);
	sprintf(s + len, "\nMOSCOW, June 6. /TASS/. Text.");
	ev = parse(s);
	assert_int_equal(ev->ncaptions, n);
	assert_caption(ev, n - 1, "Photo 2999 of the day", "Ann Lee2999/TASS");
	assert_int_equal(ev->body.n, 1);
	nw_event_free(ev);
	free(s);
}

static void
whole_head_in_one_paragraph(void **state)
{
	struct nw_event *ev =
	    parse("Экономика и бизнес\n"
		  "Минэнерго ожидает роста добычи нефти\n"
		  "По словам замминистра, компании перестроили логистику\n"
		  "\xC2\xA9 Роман Зябликов/ТАСС\n\n"
		  "МОСКВА, 6 июня. /ТАСС/. Добыча нефти может вырасти.");

	assert_string_equal(
	    ev->headline, "Минэнерго ожидает роста добычи нефти");
	assert_string_equal(
	    ev->lede, "По словам замминистра, компании перестроили логистику");
	nw_event_free(ev);
}

static void
captions_first_without_dateline(void **state)
{
	struct nw_event *ev = parse("All news\n\n"
				    "The Gostiny Dvor Darya Nechayeva/TASS\n"
				    "The Gostiny Dvor\n"
				    "\xC2\xA9 Darya Nechayeva/TASS\n\n"
				    "Tobolsk Kremlin's Gostiny Dvor reopens\n\n"
				    "The building now houses an exhibition\n\n"
				    "The Gostiny Dvor reopened on Saturday.");

	assert_string_equal(
	    ev->headline, "Tobolsk Kremlin's Gostiny Dvor reopens");
	assert_caption(ev, 0, "The Gostiny Dvor", "Darya Nechayeva/TASS");
	assert_null(ev->dateline);
	/* without a dateline or a photo after it, a lone line is not
	 * known to be a lede: it is the first paragraph */
	assert_int_equal(ev->body.n, 2);
	nw_event_free(ev);
}

static void
line_kinds(void **state)
{
#define K(s) nw_line_classify(s, strlen(s))
	assert_int_equal(K("All news"), NW_LINE_FURNITURE);
	assert_int_equal(K("Все новости"), NW_LINE_FURNITURE);
	assert_int_equal(K("Source: Xinhua | 2025-03-03 | Editor: huaxia"),
	    NW_LINE_FURNITURE);
	assert_int_equal(K("Read also"), NW_LINE_READALSO);
	assert_int_equal(K("Читайте также"), NW_LINE_READALSO);
	assert_int_equal(K("\xC2\xA9 Sergei Bobylev/TASS"), NW_LINE_CREDIT);
	assert_int_equal(K("Sergei Bobylev/TASS"), NW_LINE_CREDIT);
	assert_int_equal(K("Anna Maria Smith/AP"), NW_LINE_CREDIT);
	assert_int_equal(
	    K("Oil pump jacks in the Tyumen Region Arseny Volynkin/TASS"),
	    NW_LINE_GLUED);
	assert_int_equal(
	    K("Putin and Xi discuss EU/US trade ties"), NW_LINE_TEXT);
	assert_int_equal(K("He said it was 50/50."), NW_LINE_TEXT);
	assert_int_equal(K("IGORA /Leningrad Region/, December 26. /TASS/. "
			   "Russia could."),
	    NW_LINE_TEXT);
	assert_int_equal(K("Readiness is all"), NW_LINE_TEXT);
	assert_int_equal(K("26 DEC 2024, 14:35"), NW_LINE_FURNITURE);
	assert_int_equal(K("2025-03-03 21:07:45"), NW_LINE_FURNITURE);
	assert_int_equal(K("By John Smith"), NW_LINE_FURNITURE);
	assert_int_equal(
	    K("By 2030 Russia will build ten plants"), NW_LINE_TEXT);
	assert_int_equal(K("June 2025"), NW_LINE_FURNITURE);
	assert_int_equal(
	    K("Updated 2:35 PM EST, March 3, 2025"), NW_LINE_FURNITURE);
	assert_int_equal(K("Thursday, 26 December 2024"), NW_LINE_FURNITURE);
	assert_int_equal(K("3 min read"), NW_LINE_FURNITURE);
	assert_int_equal(K("March 3, 2025 9:41 AM GMT+3 Updated 2 hours ago"),
	    NW_LINE_FURNITURE);
	assert_int_equal(K("Source: Xinhua"), NW_LINE_FURNITURE);
	assert_int_equal(K("By JOHN SMITH"), NW_LINE_FURNITURE);
	assert_int_equal(K("Updated plans for 2025 unveiled"), NW_LINE_TEXT);
	assert_int_equal(K("Putin to visit Minsk in June 2025"), NW_LINE_TEXT);
	/* a site rubric before a stamp with a clock time */
	assert_int_equal(K("Caucasus Materials 3 May 2025 10:15 (UTC +04:00)"),
	    NW_LINE_FURNITURE);
	assert_int_equal(K("Economy 12 March 2025, 09:30"), NW_LINE_FURNITURE);
	assert_int_equal(K("Ministers Meet 3 May 2025"), NW_LINE_TEXT);
	assert_int_equal(K("Talks set for 3 May 2025 10:15"), NW_LINE_TEXT);
	assert_int_equal(K("Reporting by Ivan Petrov; Editing by Anna Lee"),
	    NW_LINE_FURNITURE);
	assert_int_equal(
	    K("The plant near Kazan Valery Sharifulin/TASS Host Photo Agency"),
	    NW_LINE_GLUED);
#undef K
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(tass_page_with_glued_caption),
	    cmocka_unit_test(plain_headline_lede_dateline),
	    cmocka_unit_test(section_name_and_credit_without_caption),
	    cmocka_unit_test(xinhua_source_line_is_furniture),
	    cmocka_unit_test(one_word_section_over_headline),
	    cmocka_unit_test(captions_before_the_headline),
	    cmocka_unit_test(caption_between_headline_and_lede),
	    cmocka_unit_test(bare_credit_line_after_caption),
	    cmocka_unit_test(glued_caption_alone_is_split_at_the_name),
	    cmocka_unit_test(no_dateline_still_parses_with_a_warning),
	    cmocka_unit_test(no_dateline_plain_text_has_no_lede),
	    cmocka_unit_test(photo_in_the_body_becomes_a_caption),
	    cmocka_unit_test(wrapped_lines_join_into_one_paragraph),
	    cmocka_unit_test(long_section_names),
	    cmocka_unit_test(short_headline_is_not_a_section),
	    cmocka_unit_test(title_case_section_over_headline_and_byline),
	    cmocka_unit_test(
		byline_stamp_and_twice_printed_title_are_furniture),
	    cmocka_unit_test(news_site_head_with_byline_and_times),
	    cmocka_unit_test(body_paragraph_ending_in_a_slash_word_stays),
	    cmocka_unit_test(credits_never_eat_the_headline_and_lede),
	    cmocka_unit_test(many_glued_captions_all_found),
	    cmocka_unit_test(whole_head_in_one_paragraph),
	    cmocka_unit_test(captions_first_without_dateline),
	    cmocka_unit_test(line_kinds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
