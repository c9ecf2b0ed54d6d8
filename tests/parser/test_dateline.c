/* Unit tests of dateline recognition (parsers/dateline.c): every form the
 * agencies print, months in both languages, and the inferred year. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wire.h"

/* 2025-06-10T12:00:00Z */
#define JUNE_2025 1749556800000LL
/* 2026-01-03T08:00:00Z */
#define JAN_2026 1767427200000LL

struct dl_case {
	const char *para;
	const char *text; /* NULL: no dateline */
	const char *city;
	const char *region;
	int month, day, year;
	const char *date;
	const char *agency;
	int64_t ref; /* reception time the year is inferred from */
};

static const struct dl_case cases[] = {
    {"MOSCOW, June 6. /TASS/. The need to restore contacts.",
	"MOSCOW, June 6. /TASS/.", "MOSCOW", NULL, 6, 6, 2025, "2025-06-06",
	"TASS", JUNE_2025},
    {"IGORA /Leningrad Region/, December 26. /TASS/. Russia could.",
	"IGORA /Leningrad Region/, December 26. /TASS/.", "IGORA",
	"Leningrad Region", 12, 26, 2025, "2025-12-26", "TASS", JAN_2026},
    {"ST. PETERSBURG, November 12. /TASS/. The State Hermitage.",
	"ST. PETERSBURG, November 12. /TASS/.", "ST. PETERSBURG", NULL, 11, 12,
	2024, "2024-11-12", "TASS", JUNE_2025},
    {"UNITED NATIONS, October 14. /TASS/. Russia is ready.",
	"UNITED NATIONS, October 14. /TASS/.", "UNITED NATIONS", NULL, 10, 14,
	2025, "2025-10-14", "TASS", JAN_2026},
    {"NEW YORK, Sept. 9. /TASS/. Text.", "NEW YORK, Sept. 9. /TASS/.",
	"NEW YORK", NULL, 9, 9, 2024, "2024-09-09", "TASS", JUNE_2025},
    {"ROSTOV-ON-DON, July 15. /TASS/. Farmers.",
	"ROSTOV-ON-DON, July 15. /TASS/.", "ROSTOV-ON-DON", NULL, 7, 15, 2024,
	"2024-07-15", "TASS", JUNE_2025},
    {"МОСКВА, 6 июня. /ТАСС/. Добыча нефти.", "МОСКВА, 6 июня. /ТАСС/.",
	"МОСКВА", NULL, 6, 6, 2025, "2025-06-06", "TASS", JUNE_2025},
    {"НИЖНИЙ НОВГОРОД, 30 декабря. /ТАСС/. Текст.",
	"НИЖНИЙ НОВГОРОД, 30 декабря. /ТАСС/.", "НИЖНИЙ НОВГОРОД", NULL, 12, 30,
	2025, "2025-12-30", "TASS", JAN_2026},
    {"WASHINGTON, May 5 (Reuters) - The U.S. Senate.",
	"WASHINGTON, May 5 (Reuters) -", "WASHINGTON", NULL, 5, 5, 2025,
	"2025-05-05", "Reuters", JUNE_2025},
    {"BEIJING, March 3 (Xinhua) -- China's team.",
	"BEIJING, March 3 (Xinhua) --", "BEIJING", NULL, 3, 3, 2025,
	"2025-03-03", "Xinhua", JUNE_2025},
    {"MINSK. July 26 (Interfax) - Belarus.", "MINSK. July 26 (Interfax) -",
	"MINSK", NULL, 7, 26, 2024, "2024-07-26", "Interfax", JUNE_2025},
    {"MOSCOW, Feb 12 (Interfax) - Arc7.", "MOSCOW, Feb 12 (Interfax) -",
	"MOSCOW", NULL, 2, 12, 2025, "2025-02-12", "Interfax", JAN_2026},
    {"МОСКВА, 1 мар - РИА Новости. Президент.", "МОСКВА, 1 мар - РИА Новости.",
	"МОСКВА", NULL, 3, 1, 2025, "2025-03-01", "RIA Novosti", JUNE_2025},
    {"LONDON (Reuters) - British inflation.", "LONDON (Reuters) -", "LONDON",
	NULL, 0, 0, 0, "", "Reuters", JUNE_2025},
    {"TOKYO (AP) \xE2\x80\x94 Japan's economy.", "TOKYO (AP) \xE2\x80\x94",
	"TOKYO", NULL, 0, 0, 0, "", "AP", JUNE_2025},
    {"Paris (AFP) \xE2\x80\x93 France said.", "Paris (AFP) \xE2\x80\x93",
	"Paris", NULL, 0, 0, 0, "", "AFP", JUNE_2025},
    {"(ANSA) - Rome, August 7 - Italy's premier.", "(ANSA) - Rome, August 7 -",
	"Rome", NULL, 8, 7, 2024, "2024-08-07", "ANSA", JUNE_2025},
    {"BERLIN, Jan 3 (dpa) - Germany.", "BERLIN, Jan 3 (dpa) -", "BERLIN", NULL,
	1, 3, 2026, "2026-01-03", "dpa", JAN_2026},
    {"SEOUL, Dec. 30 (Kyodo) - Text.", "SEOUL, Dec. 30 (Kyodo) -", "SEOUL",
	NULL, 12, 30, 2025, "2025-12-30", "Kyodo", JAN_2026},
    {"WASHINGTON, April 2 (UPI) -- Text.", "WASHINGTON, April 2 (UPI) --",
	"WASHINGTON", NULL, 4, 2, 2025, "2025-04-02", "UPI", JUNE_2025},
    {"KYIV, May 5, 2023 (Reuters) - Text.", "KYIV, May 5, 2023 (Reuters) -",
	"KYIV", NULL, 5, 5, 2023, "2023-05-05", "Reuters", JUNE_2025},
    {"ХАБАРОВСК, 3 авг. /ТАСС/. Текст.", "ХАБАРОВСК, 3 авг. /ТАСС/.",
	"ХАБАРОВСК", NULL, 8, 3, 2024, "2024-08-03", "TASS", JUNE_2025},
    {"MOSCOW, June 6. /TASS correspondent Ivan Petrov/. Text.",
	"MOSCOW, June 6. /TASS correspondent Ivan Petrov/.", "MOSCOW", NULL, 6,
	6, 2025, "2025-06-06", "TASS", JUNE_2025},
    {"МОСКВА, 6 июня. /Корр. ТАСС Иван Петров/. Текст.",
	"МОСКВА, 6 июня. /Корр. ТАСС Иван Петров/.", "МОСКВА", NULL, 6, 6, 2025,
	"2025-06-06", "TASS", JUNE_2025},
    {"Москва. 12 февраля. INTERFAX.RU - Текст.",
	"Москва. 12 февраля. INTERFAX.RU -", "Москва", NULL, 2, 12, 2025,
	"2025-02-12", "Interfax", JUNE_2025},
    {"MINSK, 6 June (BelTA) - Text.", "MINSK, 6 June (BelTA) -", "MINSK", NULL,
	6, 6, 2025, "2025-06-06", "BelTA", JUNE_2025},
    {"PARIS, June 6, 2023 (AFP) - Text.", "PARIS, June 6, 2023 (AFP) -",
	"PARIS", NULL, 6, 6, 2023, "2023-06-06", "AFP", JUNE_2025},
    /* spacing as agencies print it: no space before the tag, spaces
     * inside the slashes, a run of dashes */
    {"KAZAN, March 3./TASS/. Builders said.", "KAZAN, March 3./TASS/.", "KAZAN",
	NULL, 3, 3, 2025, "2025-03-03", "TASS", JUNE_2025},
    {"OMSK, March 3 /TASS/ Builders said.", "OMSK, March 3 /TASS/", "OMSK",
	NULL, 3, 3, 2025, "2025-03-03", "TASS", JUNE_2025},
    {"OREL, July 02. /ITAR-TASS/. Farmers.", "OREL, July 02. /ITAR-TASS/.",
	"OREL", NULL, 7, 2, 2024, "2024-07-02", "TASS", JUNE_2025},
    {"ТВЕРЬ, 16 июня. /ИТАР-ТАСС/. Текст.", "ТВЕРЬ, 16 июня. /ИТАР-ТАСС/.",
	"ТВЕРЬ", NULL, 6, 16, 2024, "2024-06-16", "TASS", JUNE_2025},
    {"OSLO, April 9 (Itar-Tass) \xE2\x80\x94\xE2\x80\x94 Work goes on.",
	"OSLO, April 9 (Itar-Tass) \xE2\x80\x94\xE2\x80\x94", "OSLO", NULL, 4,
	9, 2025, "2025-04-09", "TASS", JUNE_2025},
    /* a country before the city; the agency between loose slashes with
     * its correspondent, as a paragraph of its own */
    {"Georgia, Batumi, May 3 / Trend , B. Petrov/",
	"Georgia, Batumi, May 3 / Trend , B. Petrov/", "Batumi", "Georgia", 5,
	3, 2025, "2025-05-03", "Trend", JUNE_2025},
    /* mixed-case places */
    {"United Nations, September 5. /TASS/. The council.",
	"United Nations, September 5. /TASS/.", "United Nations", NULL, 9, 5,
	2024, "2024-09-05", "TASS", JUNE_2025},
    /* the dash form: other agencies, a correspondent after the agency,
     * an agency missing from the table printed in capitals */
    {"ТВЕРЬ, 16 ноя - ПРАЙМ. Цены растут.", "ТВЕРЬ, 16 ноя - ПРАЙМ.", "ТВЕРЬ",
	NULL, 11, 16, 2024, "2024-11-16", "PRIME", JUNE_2025},
    {"ООН, 2 июн \xE2\x80\x93 РИА Новости, Анна Смирнова. Совет собрался.",
	"ООН, 2 июн \xE2\x80\x93 РИА Новости, Анна Смирнова.", "ООН", NULL, 6,
	2, 2025, "2025-06-02", "RIA Novosti", JUNE_2025},
    {"ТВЕРЬ, 16 ноя - ВОЛГА-ИНФО. Текст.", "ТВЕРЬ, 16 ноя - ВОЛГА-ИНФО.",
	"ТВЕРЬ", NULL, 11, 16, 2024, "2024-11-16", "ВОЛГА-ИНФО", JUNE_2025},
    /* no agency at all: the agency signs off at the end instead */
    {"OSLO, March 2 - Prime Minister Erna Lunde said.", "OSLO, March 2 -",
	"OSLO", NULL, 3, 2, 2025, "2025-03-02", NULL, JUNE_2025},
    {"NEW YORK, Feb 26 - Oil prices fell.", "NEW YORK, Feb 26 -", "NEW YORK",
	NULL, 2, 26, 2025, "2025-02-26", NULL, JUNE_2025},
    /* a word after the dash that is no agency starts the text */
    {"ТВЕРЬ, 16 ноя - ЛУКОЙЛ, как сообщалось, растёт.", "ТВЕРЬ, 16 ноя -",
	"ТВЕРЬ", NULL, 11, 16, 2024, "2024-11-16", NULL, JUNE_2025},
    /* not datelines */
    {"Oslo, March 2 - the talks went on.", NULL},
    {"Тверь, 16 ноя - цены растут.", NULL},
    {"Georgia, Batumi, Poti, May 3 / Trend/", NULL},
    {"The Gostiny Dvor of the Tobolsk Kremlin, one of the largest.", NULL},
    {"Moscow, June is hot.", NULL},
    {"MOSCOW, June 6 the talks went on.", NULL},
    {"LONDON (Britain) - text.", NULL},
    {"All news", NULL},
    {"\"We are ready,\" he said. (Reuters) - no", NULL},
    {"Putin (AP) said.", NULL},
    {"MOSCOW, June 32. /TASS/. Text.", NULL},
    {"MOSCOW, June 6. /Leningrad/. Text.", NULL},
};

static void
all_dateline_forms(void **state)
{
	struct nw_dateline d;
	size_t i, len;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct dl_case *c = &cases[i];
		print_message("case %zu: %s\n", i, c->para);
		len = nw_dateline_parse(c->para, strlen(c->para), c->ref, &d);
		if (c->text == NULL) {
			assert_int_equal(len, 0);
			continue;
		}
		assert_int_equal(len, strlen(c->text));
		assert_string_equal(d.text, c->text);
		assert_string_equal(d.city, c->city);
		if (c->region == NULL)
			assert_null(d.region);
		else
			assert_string_equal(d.region, c->region);
		assert_int_equal(d.month, c->month);
		assert_int_equal(d.day, c->day);
		assert_int_equal(d.year, c->year);
		assert_string_equal(d.date, c->date);
		if (c->agency == NULL)
			assert_null(d.agency);
		else
			assert_string_equal(d.agency, c->agency);
		free(d.text);
		free(d.city);
		free(d.region);
		free(d.agency);
	}
}

static void
months_in_both_languages(void **state)
{
	static const char *const en[] = {"January", "February", "March",
	    "April", "May", "June", "July", "August", "September", "October",
	    "November", "December"};
	static const char *const en_short[] = {"Jan.", "Feb", "Mar.", "Apr",
	    "MAY", "Jun", "Jul.", "Aug", "Sept.", "Oct", "Nov.", "Dec"};
	static const char *const ru[] = {"января", "февраля", "марта", "апреля",
	    "мая", "июня", "июля", "августа", "сентября", "октября", "ноября",
	    "декабря"};
	static const char *const ru_short[] = {"янв", "фев", "мар", "апр",
	    "мая", "июн", "июл", "авг", "сен", "окт", "ноя", "дек."};
	int m;

	for (m = 0; m < 12; m++) {
		assert_int_equal(nw_month_lookup(en[m], strlen(en[m])), m + 1);
		assert_int_equal(
		    nw_month_lookup(en_short[m], strlen(en_short[m])), m + 1);
		assert_int_equal(nw_month_lookup(ru[m], strlen(ru[m])), m + 1);
		assert_int_equal(
		    nw_month_lookup(ru_short[m], strlen(ru_short[m])), m + 1);
	}
	assert_int_equal(nw_month_lookup("ИЮНЯ", strlen("ИЮНЯ")), 6);
	assert_int_equal(nw_month_lookup("Moscow", 6), 0);
	assert_int_equal(nw_month_lookup("", 0), 0);
}

static void
year_is_inferred_from_the_reference(void **state)
{
	/* a December dateline received in January is last year's */
	assert_int_equal(nw_infer_year(12, 26, JAN_2026), 2025);
	assert_int_equal(nw_infer_year(1, 2, JAN_2026), 2026);
	/* two days' grace for time zones, then it must be last year */
	assert_int_equal(nw_infer_year(1, 5, JAN_2026), 2026);
	assert_int_equal(nw_infer_year(1, 6, JAN_2026), 2025);
	assert_int_equal(nw_infer_year(6, 6, JUNE_2025), 2025);
	assert_int_equal(nw_infer_year(7, 6, JUNE_2025), 2024);
	/* February 29 goes back to the last leap year */
	assert_int_equal(nw_infer_year(2, 29, JUNE_2025), 2024);
	assert_int_equal(nw_infer_year(2, 30, JUNE_2025), 0);
}

static void
published_at_wins_over_received_at(void **state)
{
	const char *s = "All news\n\nHeadline of the story\n\n"
			"MOSCOW, December 30. /TASS/. Text.";
	struct nw_parse_opts opts = {
	    .received_at_ms = JUNE_2025, .published_at_ms = JAN_2026};
	struct nw_event *ev;

	assert_int_equal(nw_parse(s, strlen(s), &opts, &ev, NULL), NW_OK);
	assert_string_equal(ev->dateline->date, "2025-12-30");
	nw_event_free(ev);
	opts.published_at_ms = 0;
	assert_int_equal(nw_parse(s, strlen(s), &opts, &ev, NULL), NW_OK);
	assert_string_equal(ev->dateline->date, "2024-12-30");
	nw_event_free(ev);
}

/* A dateline without an agency takes it from the sign-off line at the
 * end or from a byline above; with neither it stays null. */
static void
agency_from_signoff_or_byline(void **state)
{
	static const struct {
		const char *text;
		const char *agency;
	} docs[] = {
	    {"HARBOUR FEES TO RISE\n\nOSLO, March 2 - Fees rise, the port "
	     "said.\n\nShips pay more.\n\nREUTER",
		"Reuters"},
	    {"HARBOUR FEES TO RISE\n\nBy Kari Nordby, Reuters\n\nOSLO, "
	     "March 2 - Fees rise, the port said.\n\nShips pay more.",
		"Reuters"},
	    {"HARBOUR FEES TO RISE\n\nOSLO, March 2 - Fees rise, the port "
	     "said.\n\nShips pay more.",
		NULL},
	    /* a closing line that names no agency is not a sign-off */
	    {"HARBOUR FEES TO RISE\n\nOSLO, March 2 - Fees rise, the port "
	     "said.\n\nShips pay more.\n\nEnd",
		NULL},
	};
	struct nw_parse_opts opts = {.received_at_ms = JUNE_2025};
	struct nw_event *ev;
	size_t i;

	for (i = 0; i < sizeof docs / sizeof docs[0]; i++) {
		print_message("case %zu\n", i);
		assert_int_equal(nw_parse(docs[i].text, strlen(docs[i].text),
				     &opts, &ev, NULL),
		    NW_OK);
		assert_non_null(ev->dateline);
		assert_string_equal(ev->dateline->text, "OSLO, March 2 -");
		if (docs[i].agency == NULL) {
			assert_null(ev->dateline->agency);
			assert_null(ev->agency);
		} else {
			assert_string_equal(
			    ev->dateline->agency, docs[i].agency);
			assert_string_equal(ev->agency, docs[i].agency);
		}
		nw_event_free(ev);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(all_dateline_forms),
	    cmocka_unit_test(months_in_both_languages),
	    cmocka_unit_test(year_is_inferred_from_the_reference),
	    cmocka_unit_test(published_at_wins_over_received_at),
	    cmocka_unit_test(agency_from_signoff_or_byline),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
