/* Unit tests of the quotation stage: each attribution form, in English and
 * Russian, on sentences written for these tests. Each test builds an event
 * by hand (headline, lede, body paragraphs), runs nw_quotes_extract and
 * checks the quotations, their kinds, cues, offsets and speakers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "newswire/parse.h"
#include "quote_int.h"

/* An event from a language, a lede (or NULL) and body paragraphs. */
static struct nw_event *
make(const char *lang, const char *lede, ...)
{
	struct nw_event *ev = nw_event_new();
	const char *para;
	va_list ap;

	assert_non_null(ev);
	memcpy(ev->language, lang, 3);
	ev->headline = strdup("Headline of the test dispatch");
	if (lede != NULL)
		ev->lede = strdup(lede);
	va_start(ap, lede);
	while ((para = va_arg(ap, const char *)) != NULL)
		assert_int_equal(nw_strv_push(&ev->body, para), 0);
	va_end(ap);
	nw_quotes_extract(ev);
	return ev;
}

static struct nw_quote no_quote = {.text = (char *)"", .speaker = -1};
static struct nw_speaker no_speaker = {.name = (char *)""};

/* The i-th quotation that is not indirect. */
static const struct nw_quote *
quote(const struct nw_event *ev, size_t i)
{
	size_t k;

	for (k = 0; k < ev->nquotes; k++) {
		if (ev->quotes[k].kind == NW_QUOTE_INDIRECT)
			continue;
		if (i-- == 0)
			return &ev->quotes[k];
	}
	fail_msg("no quotation %zu", i);
	return &no_quote;
}

static size_t
nquotes(const struct nw_event *ev)
{
	size_t k, n = 0;

	for (k = 0; k < ev->nquotes; k++)
		n += ev->quotes[k].kind != NW_QUOTE_INDIRECT;
	return n;
}

static const char *
speaker(const struct nw_event *ev, const struct nw_quote *q)
{
	if (q->speaker < 0)
		return NULL;
	assert_true((size_t)q->speaker < ev->nspeakers);
	return ev->speakers[q->speaker].name;
}

static const struct nw_speaker *
speaker_of(const struct nw_event *ev, const struct nw_quote *q)
{
	if (q->speaker < 0 || (size_t)q->speaker >= ev->nspeakers) {
		fail_msg("no speaker");
		return &no_speaker;
	}
	return &ev->speakers[q->speaker];
}

#define assert_speaker(ev, i, name)                                            \
	assert_string_equal(speaker((ev), quote((ev), (i))), (name))

/* resolution stage: a title fits a role class when it holds one of its
 * words as a word (or after a hyphen), in either alphabet and case */
static void
resolve_title_fits_role_words(void **state)
{
	(void)state;
	assert_true(nw_qres_title_fits("Foreign Minister", "minister"));
	assert_true(
	    nw_qres_title_fits("Вице-Губернатор области", "губернатор"));
	assert_true(nw_qres_title_fits("постпред РФ при ЕС", "посол постпред"));
	assert_false(
	    nw_qres_title_fits("Foreign Minister", "ambassador envoy"));
	/* a word inside another is no fit: "administrator" is no minister */
	assert_false(nw_qres_title_fits("site administrator", "minister"));
	assert_false(nw_qres_title_fits(NULL, "minister"));
}

static void
lexicon_tables_are_sorted_and_indexed(void **state)
{
	(void)state;
	assert_true(nw_qlex_selfcheck());
	/* function words by their part in a clause */
	assert_true(nw_qlex_func("которые") & QFN_REL);
	assert_true(nw_qlex_func("whose") & QFN_REL);
	assert_true(nw_qlex_func("и") & QFN_CONJ);
	assert_true(nw_qlex_func("из") & QFN_PARTITIVE);
	assert_false(nw_qlex_func("из") & QFN_GENLINK);
	assert_int_equal(nw_qlex_func("minister"), 0);
	/* body nouns and what they refer back to, in any case form */
	assert_string_equal(nw_qlex_body_ref("министерством"), "мин");
	assert_string_equal(nw_qlex_body_ref("ведомству"), "*");
	assert_null(nw_qlex_body_ref("агентство"));
	assert_true(nw_qlex_lookup("said") & QL_VERB);
	assert_true(nw_qlex_lookup("заявила") & QL_FEM);
	assert_true(nw_qlex_lookup("сказали") & QL_PLURAL);
	assert_int_equal(nw_qlex_lookup("zzzz"), 0);
}

static void
quote_then_pronoun_cue_takes_the_person_before(void **state)
{
	struct nw_event *ev = make("en", NULL,
	    "MURMANSK, May 3. /TASS/. The port will reopen for tankers next "
	    "week, Harbour Master Oleg Tarasov said on Monday.",
	    "\"All berths have been inspected and the channel is clear for "
	    "traffic,\" he said.",
	    NULL);

	(void)state;
	assert_int_equal(nquotes(ev), 1);
	assert_string_equal(quote(ev, 0)->text,
	    "All berths have been inspected and the channel is clear for "
	    "traffic,");
	assert_int_equal(quote(ev, 0)->kind, NW_QUOTE_DIRECT);
	assert_string_equal(quote(ev, 0)->cue, "said");
	assert_int_equal(quote(ev, 0)->paragraph, 1);
	assert_int_equal(quote(ev, 0)->start, 1);
	assert_speaker(ev, 0, "Oleg Tarasov");
	assert_string_equal(
	    speaker_of(ev, quote(ev, 0))->title, "Harbour Master");
	nw_event_free(ev);
}

static void
told_tass_cue_is_kept_whole(void **state)
{
	struct nw_event *ev = make("en", NULL,
	    "Climber Irina Vostrikova reached the summit on Sunday.",
	    "\"The last two hundred meters were the hardest of my life,\" "
	    "Vostrikova told TASS.",
	    NULL);

	(void)state;
	assert_speaker(ev, 0, "Irina Vostrikova");
	assert_string_equal(quote(ev, 0)->cue, "told TASS");
	nw_event_free(ev);
}

static void
cue_then_colon_quote(void **state)
{
	struct nw_event *ev = make("en", NULL,
	    "Deputy Mayor Pyotr Lomakin said: \"The bridge will carry its "
	    "first cars in October.\"",
	    NULL);

	(void)state;
	assert_speaker(ev, 0, "Pyotr Lomakin");
	assert_int_equal(quote(ev, 0)->kind, NW_QUOTE_DIRECT);
	assert_string_equal(
	    speaker_of(ev, quote(ev, 0))->title, "Deputy Mayor");
	nw_event_free(ev);
}

static void
name_after_cue_with_role(void **state)
{
	struct nw_event *ev = make("en", NULL,
	    "\"We expect the water to fall by the end of the week,\" said "
	    "Olga Dmitrieva, head of the regional water agency.",
	    NULL);

	(void)state;
	assert_speaker(ev, 0, "Olga Dmitrieva");
	assert_string_equal(speaker_of(ev, quote(ev, 0))->title,
	    "head of the regional water agency");
	nw_event_free(ev);
}

static void
said_adding_gives_both_parts_one_speaker(void **state)
{
	struct nw_event *ev =
	    make("en", NULL, "Engineer Boris Kalinin inspected the dam.",
		"\"The concrete has held up well over the winter,\" he said, "
		"adding: \"We will still replace two of the gates.\"",
		NULL);

	(void)state;
	assert_int_equal(nquotes(ev), 2);
	assert_speaker(ev, 0, "Boris Kalinin");
	assert_speaker(ev, 1, "Boris Kalinin");
	assert_string_equal(
	    quote(ev, 1)->text, "We will still replace two of the gates.");
	nw_event_free(ev);
}

static void
surname_alone_finds_the_full_name(void **state)
{
	struct nw_event *ev = make("en", NULL,
	    "Russian Deputy Energy Minister Ivan Sorokin visited the plant.",
	    "Sorokin noted: \"The second unit will start up before the "
	    "winter.\"",
	    NULL);

	(void)state;
	assert_speaker(ev, 0, "Ivan Sorokin");
	assert_string_equal(speaker_of(ev, quote(ev, 0))->title,
	    "Russian Deputy Energy Minister");
	assert_int_equal(ev->nspeakers, 1);
	assert_int_equal(ev->speakers[0].quotes, 1);
	nw_event_free(ev);
}

static void
she_goes_to_the_woman_he_to_the_man(void **state)
{
	struct nw_event *ev = make("en", NULL,
	    "Coach Anton Belyakov and swimmer Kseniya Orlova spoke after the "
	    "final.",
	    "\"I did not expect to win this race at all,\" she said.",
	    "\"She has worked harder than anyone this season,\" he said.",
	    NULL);

	(void)state;
	assert_speaker(ev, 0, "Kseniya Orlova");
	assert_speaker(ev, 1, "Anton Belyakov");
	nw_event_free(ev);
}

static void
nominal_reference_takes_the_matching_role(void **state)
{
	struct nw_event *ev = make("en", NULL,
	    "Governor Yegor Vlasov met the head of the bus company, Nikolai "
	    "Shubin, on Tuesday.",
	    "\"Buses will run every ten minutes from September,\" the "
	    "governor stressed.",
	    NULL);

	(void)state;
	assert_speaker(ev, 0, "Yegor Vlasov");
	assert_string_equal(quote(ev, 0)->cue, "stressed");
	nw_event_free(ev);
}

static void
when_asked_whether_is_partial_with_the_answerer(void **state)
{
	struct nw_event *ev = make("en", NULL,
	    "When asked whether fares would rise, Petrov said \"there are no "
	    "such plans for this year.\"",
	    NULL);

	(void)state;
	assert_speaker(ev, 0, "Petrov");
	assert_int_equal(quote(ev, 0)->kind, NW_QUOTE_PARTIAL);
	nw_event_free(ev);
}

static void
two_speakers_in_one_paragraph(void **state)
{
	struct nw_event *ev = make("en", NULL,
	    "\"The harvest is ahead of last year,\" Farmer Lev Gorin said. "
	    "\"Prices are what worry us,\" said Marina Kuzmina, a grain "
	    "trader.",
	    NULL);

	(void)state;
	assert_int_equal(nquotes(ev), 2);
	assert_speaker(ev, 0, "Lev Gorin");
	assert_speaker(ev, 1, "Marina Kuzmina");
	assert_int_equal(ev->nspeakers, 2);
	nw_event_free(ev);
}

static void
nameless_speaker_is_null(void **state)
{
	struct nw_event *ev = make("en", NULL,
	    "Mayor Denis Frolov opened the new market.",
	    "\"I have been selling fish here for thirty years,\" a local "
	    "trader told TASS.",
	    "\"The roof leaks in two places already,\" the source said.", NULL);

	(void)state;
	assert_null(speaker(ev, quote(ev, 0)));
	assert_null(speaker(ev, quote(ev, 1)));
	nw_event_free(ev);
}

static void
organisation_speaks_and_is_referred_to(void **state)
{
	struct nw_event *ev = make("en", NULL,
	    "\"The talks will continue in Geneva next month,\" the Russian "
	    "Foreign Ministry said in a statement.",
	    "\"Both delegations have agreed on the agenda,\" the ministry "
	    "added.",
	    "\"The next round is the decisive one,\" the statement said.",
	    NULL);

	(void)state;
	assert_speaker(ev, 0, "Russian Foreign Ministry");
	assert_int_equal(
	    speaker_of(ev, quote(ev, 0))->type, NW_SPEAKER_ORGANISATION);
	assert_speaker(ev, 1, "Russian Foreign Ministry");
	assert_speaker(ev, 2, "Russian Foreign Ministry");
	assert_int_equal(ev->nspeakers, 1);
	assert_int_equal(ev->speakers[0].quotes, 3);
	nw_event_free(ev);
}

static void
press_service_keeps_its_body_name(void **state)
{
	struct nw_event *ev = make("en", NULL,
	    "\"The president has been informed of the fire,\" the Kremlin "
	    "press service said.",
	    NULL);

	(void)state;
	assert_speaker(ev, 0, "Kremlin press service");
	nw_event_free(ev);
}

static void
interrupted_quote_is_two_entries(void **state)
{
	struct nw_event *ev =
	    make("en", NULL, "Captain Roman Lesnikov brought the ship in.",
		"\"The ice was thinner than forecast,\" he said, \"so we saved "
		"almost a day.\"",
		NULL);

	(void)state;
	assert_int_equal(nquotes(ev), 2);
	assert_string_equal(
	    quote(ev, 0)->text, "The ice was thinner than forecast,");
	assert_string_equal(quote(ev, 1)->text, "so we saved almost a day.");
	assert_speaker(ev, 0, "Roman Lesnikov");
	assert_speaker(ev, 1, "Roman Lesnikov");
	nw_event_free(ev);
}

static void
quote_over_paragraphs_is_one_entry_each_with_one_speaker(void **state)
{
	struct nw_event *ev = make("en", NULL,
	    "Rector Vera Antonova described the plans.",
	    "\"We will open two new faculties next year. Both will teach in "
	    "English and Russian.",
	    "\"Applications open in March, and the first students arrive in "
	    "September,\" Antonova said.",
	    "The ministry has approved the budget.", NULL);

	(void)state;
	assert_int_equal(nquotes(ev), 2);
	assert_string_equal(quote(ev, 0)->text,
	    "We will open two new faculties next year. Both will teach in "
	    "English and Russian.");
	assert_int_equal(quote(ev, 0)->paragraph, 1);
	assert_int_equal(quote(ev, 1)->paragraph, 2);
	assert_speaker(ev, 0, "Vera Antonova");
	assert_speaker(ev, 1, "Vera Antonova");
	nw_event_free(ev);
}

static void
unbalanced_mark_stops_at_the_paragraph_end(void **state)
{
	struct nw_event *ev = make("en", NULL,
	    "Analyst Igor Panin wrote that \"the market is cooling down fast",
	    "The central bank meets on Friday.",
	    "\"Rates will stay where they are,\" Panin said.", NULL);

	(void)state;
	assert_int_equal(nquotes(ev), 2);
	assert_string_equal(
	    quote(ev, 0)->text, "the market is cooling down fast");
	assert_string_equal(
	    quote(ev, 1)->text, "Rates will stay where they are,");
	assert_int_equal(quote(ev, 1)->paragraph, 2);
	assert_speaker(ev, 1, "Igor Panin");
	nw_event_free(ev);
}

static void
nested_marks_stay_in_the_outer_text(void **state)
{
	struct nw_event *ev = make("en", NULL,
	    "“We call this project ‘the northern bridge’ for a reason,” "
	    "Director Fyodor Zotov said. \"The plant 'Severny' will be the "
	    "first to use it,\" he added.",
	    NULL);

	(void)state;
	assert_int_equal(nquotes(ev), 2);
	assert_string_equal(quote(ev, 0)->text,
	    "We call this project ‘the northern bridge’ for a reason,");
	assert_string_equal(quote(ev, 1)->text,
	    "The plant 'Severny' will be the first to use it,");
	assert_speaker(ev, 0, "Fyodor Zotov");
	assert_speaker(ev, 1, "Fyodor Zotov");
	/* code points, not bytes: the curly mark is one */
	assert_int_equal(quote(ev, 0)->start, 1);
	assert_int_equal(quote(ev, 0)->end, 1 + 56);
	nw_event_free(ev);
}

static void
short_scare_quotes_are_not_quotations(void **state)
{
	struct nw_event *ev = make("en", NULL,
	    "The so-called \"grey zone\" has grown, Professor Inna Gurova "
	    "said.",
	    NULL);

	(void)state;
	assert_int_equal(nquotes(ev), 0);
	nw_event_free(ev);
}

static void
according_to_is_indirect_with_the_clause(void **state)
{
	struct nw_event *ev =
	    make("en", NULL, "Chief engineer Maxim Rudnev spoke at the site.",
		"According to Rudnev, the tunnel will be finished in spring.",
		NULL);
	size_t k;
	int found = 0;

	(void)state;
	for (k = 0; k < ev->nquotes; k++)
		if (ev->quotes[k].kind == NW_QUOTE_INDIRECT &&
		    strcmp(ev->quotes[k].text,
			"the tunnel will be finished in spring") == 0) {
			assert_string_equal(
			    speaker(ev, &ev->quotes[k]), "Maxim Rudnev");
			assert_string_equal(ev->quotes[k].cue, "According to");
			found = 1;
		}
	assert_true(found);
	nw_event_free(ev);
}

static void
quote_in_the_lede_has_no_paragraph(void **state)
{
	struct nw_event *ev = make("en",
	    "Nadezhda Sokolova said the museum \"will reopen with a new "
	    "wing\"",
	    "ST. PETERSBURG, May 5. /TASS/. The museum closed for repairs, "
	    "director Nadezhda Sokolova said.",
	    NULL);

	(void)state;
	assert_int_equal(nquotes(ev), 1);
	assert_true(quote(ev, 0)->in_lede);
	assert_speaker(ev, 0, "Nadezhda Sokolova");
	assert_int_equal(quote(ev, 0)->kind, NW_QUOTE_PARTIAL);
	nw_event_free(ev);
}

static void
quote_without_cue_takes_the_speaker_of_the_moment(void **state)
{
	struct nw_event *ev = make("en", NULL,
	    "MOSCOW, May 6. /TASS/. The country will raise its output, "
	    "President Ilya Voronin told reporters.",
	    "Exports will grow. \"We are ready to supply more to our "
	    "partners in Asia.\"",
	    NULL);

	(void)state;
	assert_speaker(ev, 0, "Ilya Voronin");
	nw_event_free(ev);
}

static void
in_his_words_and_role_before_asian_name(void **state)
{
	struct nw_event *ev = make("en", NULL,
	    "Chinese Foreign Ministry Spokesperson Wu Lihong said Beijing "
	    "welcomed the talks.",
	    "In his words, \"dialogue is the only way to settle the dispute.\"",
	    "\"China is ready to host the next round,\" Wu told a news "
	    "briefing.",
	    NULL);

	(void)state;
	assert_speaker(ev, 0, "Wu Lihong");
	assert_string_equal(quote(ev, 0)->cue, "In his words");
	assert_int_equal(quote(ev, 0)->kind, NW_QUOTE_PARTIAL);
	assert_speaker(ev, 1, "Wu Lihong");
	assert_string_equal(speaker_of(ev, quote(ev, 1))->title,
	    "Chinese Foreign Ministry Spokesperson");
	nw_event_free(ev);
}

static void
cue_ending_a_paragraph_names_the_next_quotation(void **state)
{
	struct nw_event *ev = make("en", NULL,
	    "Deputy Prime Minister Alexei Vorontsov spoke about exports.",
	    "Gromov stated:",
	    "\"We are ready for talks on an equal footing, but not for "
	    "ultimatums.\"",
	    NULL);

	(void)state;
	assert_speaker(ev, 0, "Gromov");
	nw_event_free(ev);
}

static void
quoted_as_saying_names_the_one_quoted(void **state)
{
	struct nw_event *ev = make("en", NULL,
	    "\"The new terminal will double the airport's capacity,\" the "
	    "regional government's press service quoted Governor Pavel "
	    "Reznik as saying.",
	    NULL);

	(void)state;
	assert_speaker(ev, 0, "Pavel Reznik");
	assert_string_equal(quote(ev, 0)->cue, "quoted");
	nw_event_free(ev);
}

/* ---- Russian ---- */

static void
ru_adjectival_surname_in_the_genitive_and_the_expert(void **state)
{
	struct nw_event *ev = make("ru", NULL,
	    "По мнению аналитика банка Ольги Беленькой, «рост экспорта "
	    "продолжится и в следующем году».",
	    "«Цены на нефть останутся в прежнем коридоре», — считает "
	    "эксперт.",
	    NULL);

	(void)state;
	assert_speaker(ev, 0, "Ольга Беленькая");
	assert_speaker(ev, 1, "Ольга Беленькая");
	assert_int_equal(ev->nspeakers, 1);
	nw_event_free(ev);
}

static void
ru_press_service_gives_the_words_of_the_governor(void **state)
{
	struct nw_event *ev = make("ru", NULL,
	    "«Новый терминал удвоит пропускную способность аэропорта», — "
	    "приводит пресс-служба правительства области слова губернатора "
	    "Павла Резника.",
	    NULL);

	(void)state;
	assert_speaker(ev, 0, "Павел Резник");
	nw_event_free(ev);
}

static void
ru_press_service_in_the_prepositional(void **state)
{
	struct nw_event *ev = make("ru", NULL,
	    "«Мы будем внимательно следить за развитием событий», — отметили "
	    "в пресс-службе Кремля.",
	    NULL);

	(void)state;
	assert_speaker(ev, 0, "пресс-служба Кремля");
	assert_int_equal(
	    speaker_of(ev, quote(ev, 0))->type, NW_SPEAKER_ORGANISATION);
	nw_event_free(ev);
}

static void
ru_name_after_verb_before_a_place(void **state)
{
	struct nw_event *ev = make("ru", NULL,
	    "Официальный представитель ведомства Ольга Сизова провела "
	    "брифинг.",
	    "«Ситуация остается напряженной, но управляемой», — написала "
	    "Сизова в своем Telegram-канале.",
	    NULL);

	(void)state;
	assert_speaker(ev, 0, "Ольга Сизова");
	nw_event_free(ev);
}

static void
ru_quote_then_dash_pronoun(void **state)
{
	struct nw_event *ev = make("ru", NULL,
	    "ОМСК, 3 мая. /ТАСС/. Новый мост откроют осенью, сообщил "
	    "журналистам мэр города Олег Лаптев.",
	    "«Все опоры уже установлены, осталось уложить полотно», - сказал "
	    "он.",
	    NULL);

	(void)state;
	assert_int_equal(nquotes(ev), 1);
	assert_string_equal(quote(ev, 0)->text,
	    "Все опоры уже установлены, осталось уложить полотно");
	assert_string_equal(quote(ev, 0)->cue, "сказал");
	assert_speaker(ev, 0, "Олег Лаптев");
	assert_string_equal(speaker_of(ev, quote(ev, 0))->title, "мэр города");
	assert_int_equal(quote(ev, 0)->start, 1);
	assert_int_equal(quote(ev, 0)->end, 52);
	nw_event_free(ev);
}

static void
ru_quote_then_em_dash_name(void **state)
{
	struct nw_event *ev = make("ru", NULL,
	    "«Урожай в этом году будет выше прошлогоднего», — заявила "
	    "министр сельского хозяйства региона Елена Горбунова.",
	    NULL);

	(void)state;
	assert_speaker(ev, 0, "Елена Горбунова");
	assert_string_equal(quote(ev, 0)->cue, "заявила");
	nw_event_free(ev);
}

static void
ru_name_then_colon_quote(void **state)
{
	struct nw_event *ev = make("ru", NULL,
	    "Директор завода Виктор Сомов приехал на площадку.",
	    "Сомов заявил: «Первая очередь цеха заработает уже в декабре».",
	    NULL);

	(void)state;
	assert_speaker(ev, 0, "Виктор Сомов");
	nw_event_free(ev);
}

static void
ru_po_slovam_puts_the_name_in_the_nominative(void **state)
{
	struct nw_event *ev = make("ru", NULL,
	    "По словам Сергея Малинина, «строительство идет строго по "
	    "графику».",
	    "По словам Натальи Ершовой, «набор студентов будет расширен в "
	    "следующем году».",
	    NULL);

	(void)state;
	assert_speaker(ev, 0, "Сергей Малинин");
	assert_speaker(ev, 1, "Наталья Ершова");
	assert_int_equal(quote(ev, 0)->kind, NW_QUOTE_PARTIAL);
	nw_event_free(ev);
}

static void
ru_po_slovam_surname_finds_the_known_person(void **state)
{
	struct nw_event *ev = make("ru", NULL,
	    "Об этом сообщил руководитель проекта Андрей Кравец.",
	    "По словам Кравца, работы завершатся в мае.", NULL);
	size_t k;
	int found = 0;

	(void)state;
	for (k = 0; k < ev->nquotes; k++)
		if (ev->quotes[k].kind == NW_QUOTE_INDIRECT &&
		    ev->quotes[k].paragraph == 1) {
			assert_string_equal(
			    speaker(ev, &ev->quotes[k]), "Андрей Кравец");
			assert_string_equal(
			    ev->quotes[k].text, "работы завершатся в мае");
			found = 1;
		}
	assert_true(found);
	nw_event_free(ev);
}

static void
ru_interrupted_quote_is_two_entries(void **state)
{
	struct nw_event *ev = make("ru", NULL,
	    "Капитан Илья Бобров привел судно в порт.",
	    "«Лед в проливе оказался тоньше, чем мы ожидали, — отметил он, — "
	    "поэтому мы пришли на сутки раньше»",
	    NULL);

	(void)state;
	assert_int_equal(nquotes(ev), 2);
	assert_string_equal(quote(ev, 0)->text,
	    "Лед в проливе оказался тоньше, чем мы ожидали,");
	assert_string_equal(
	    quote(ev, 1)->text, "поэтому мы пришли на сутки раньше");
	assert_speaker(ev, 0, "Илья Бобров");
	assert_speaker(ev, 1, "Илья Бобров");
	nw_event_free(ev);
}

static void
ru_organisation_in_statement(void **state)
{
	struct nw_event *ev = make("ru", NULL,
	    "«Поставки топлива на внутренний рынок будут увеличены», - "
	    "говорится в сообщении Минэнерго России.",
	    NULL);

	(void)state;
	assert_speaker(ev, 0, "Минэнерго России");
	assert_int_equal(
	    speaker_of(ev, quote(ev, 0))->type, NW_SPEAKER_ORGANISATION);
	assert_string_equal(quote(ev, 0)->cue, "говорится в сообщении");
	nw_event_free(ev);
}

static void
ru_feminine_pronoun_skips_the_man(void **state)
{
	struct nw_event *ev = make("ru", NULL,
	    "Тренер Павел Гущин и спортсменка Алина Рябова дали интервью.",
	    "«Я давно мечтала о такой победе», - сказала она.",
	    "«Она заслужила эту медаль», - добавил он.", NULL);

	(void)state;
	assert_speaker(ev, 0, "Алина Рябова");
	assert_speaker(ev, 1, "Павел Гущин");
	nw_event_free(ev);
}

static void
ru_nominal_governor(void **state)
{
	struct nw_event *ev = make("ru", NULL,
	    "Дорогу отремонтируют к осени, сообщил губернатор области Иван "
	    "Соболев.",
	    "Директор подрядчика Олег Малахов показал технику.",
	    "«Я буду лично следить за каждым участком», - добавил "
	    "губернатор.",
	    NULL);

	(void)state;
	assert_speaker(ev, 0, "Иван Соболев");
	nw_event_free(ev);
}

static void
ru_nameless_resident_is_null(void **state)
{
	struct nw_event *ev = make("ru", NULL,
	    "«Воду нам не давали уже три дня подряд», - рассказала ТАСС одна "
	    "из жительниц поселка.",
	    NULL);

	(void)state;
	assert_null(speaker(ev, quote(ev, 0)));
	nw_event_free(ev);
}

static void
ru_nested_marks_stay_inside(void **state)
{
	struct nw_event *ev = make("ru", NULL,
	    "«Первый поезд по линии „Северный луч“ отправится в июне», - "
	    "сообщил генеральный директор компании «Севтранс» Артем Лукин.",
	    NULL);

	(void)state;
	assert_int_equal(nquotes(ev), 1);
	assert_string_equal(quote(ev, 0)->text,
	    "Первый поезд по линии „Северный луч“ отправится в июне");
	assert_speaker(ev, 0, "Артем Лукин");
	nw_event_free(ev);
}

static void
indefinite_description_after_cue_is_a_new_nameless_speaker(void **state)
{
	struct nw_event *ev = make("en", NULL,
	    "Fisheries Minister Sergei Volkov said the catch was a record.",
	    "\"This is the best season in ten years,\" Volkov said.",
	    "\"We had to hire seasonal workers from other regions,\" the "
	    "owner of one of the fishing cooperatives told TASS.",
	    NULL);

	(void)state;
	assert_speaker(ev, 0, "Sergei Volkov");
	assert_null(speaker(ev, quote(ev, 1)));
	nw_event_free(ev);
}

static void
ru_indefinite_description_and_verb_gender_give_null(void **state)
{
	struct nw_event *ev = make("ru", NULL,
	    "Улов превысил 300 тыс. тонн, сообщила министр рыбного "
	    "хозяйства края Светлана Волкова.",
	    "«Это лучший сезон за десять лет», - сказала Волкова.",
	    "«Нам пришлось нанимать сезонных рабочих», - рассказал ТАСС "
	    "сотрудник одного из рыболовецких кооперативов.",
	    "«Это лучший сезон за десять лет», - сказала Волкова.",
	    "«Рыбы в этом году много, работаем без выходных», - сказал ТАСС "
	    "рыбак с траулера.",
	    NULL);

	(void)state;
	assert_speaker(ev, 0, "Светлана Волкова");
	assert_null(speaker(ev, quote(ev, 1)));
	assert_speaker(ev, 2, "Светлана Волкова");
	assert_null(speaker(ev, quote(ev, 3)));
	nw_event_free(ev);
}

static void
ru_advice_verbs_name_their_speaker(void **state)
{
	struct nw_event *ev = make("ru", NULL,
	    "Жара продержится до конца недели, сообщил синоптик Олег "
	    "Воронцов.",
	    "«Пейте больше воды и не выходите на улицу в полдень», — "
	    "посоветовал врач-терапевт Игорь Коржиков.",
	    "«Особенно это касается пожилых людей», - порекомендовала "
	    "педиатр Алла Синицына.",
	    "«Кондиционеры работают во всех вагонах», - признался "
	    "машинист Петр Глебов.",
	    NULL);

	(void)state;
	assert_speaker(ev, 0, "Игорь Коржиков");
	assert_string_equal(quote(ev, 0)->cue, "посоветовал");
	assert_speaker(ev, 1, "Алла Синицына");
	assert_speaker(ev, 2, "Петр Глебов");
	nw_event_free(ev);
}

static void
ru_body_in_the_genitive_is_named_in_the_nominative(void **state)
{
	struct nw_event *ev = make("ru", NULL,
	    "«Все автобусы оборудованы кондиционерами», - говорится в "
	    "сообщении Департамента транспорта Москвы.",
	    "«Лаборатории открыты для студентов», - говорится в сообщении "
	    "Института прикладной физики.",
	    NULL);

	(void)state;
	assert_speaker(ev, 0, "Департамент транспорта Москвы");
	assert_speaker(ev, 1, "Институт прикладной физики");
	nw_event_free(ev);
}

static void
said_then_capitalised_subject_of_a_clause_is_not_a_speaker(void **state)
{
	struct nw_event *ev = make("en", NULL,
	    "Belarusian Foreign Minister Andrei Kovalenko called the transit "
	    "restrictions \"a mistake that hurts ordinary people on both "
	    "sides\" and said Minsk expected \"a serious answer from our "
	    "neighbours within a month.\"",
	    "Kovalenko welcomed the offer and said Warsaw would \"have to "
	    "decide on the border crossings before the summer.\"",
	    "\"The border will stay open,\" said Deputy Minister Olga "
	    "Petrova on Monday.",
	    NULL);

	(void)state;
	assert_int_equal(nquotes(ev), 4);
	assert_speaker(ev, 0, "Andrei Kovalenko");
	assert_speaker(ev, 1, "Andrei Kovalenko");
	assert_speaker(ev, 2, "Andrei Kovalenko");
	assert_speaker(ev, 3, "Olga Petrova");
	nw_event_free(ev);
}

static void
ru_person_met_only_in_the_genitive_takes_a_later_pronoun(void **state)
{
	struct nw_event *ev = make("ru", NULL,
	    "«Мы ждали этого дня три года», - рассказала ТАСС учитель "
	    "Гульназ Сафиуллина.",
	    "По словам директора школы Тимофея Белякова, в школе будут "
	    "работать 90 учителей.",
	    "«Половина из них - выпускники местного университета», - сказал "
	    "он.",
	    NULL);

	(void)state;
	assert_speaker(ev, 0, "Гульназ Сафиуллина");
	assert_speaker(ev, 1, "Тимофей Беляков");
	nw_event_free(ev);
}

static void
ru_verb_tass_long_role_with_and_then_name(void **state)
{
	struct nw_event *ev = make("ru", NULL,
	    "Школа открылась в поселке, сообщил глава района Петр Зуев.",
	    "«Дорога до школы займет у детей не больше десяти минут», — "
	    "сказал ТАСС министр строительства и жилищной политики области "
	    "Ринат Мухаметов.",
	    NULL);

	(void)state;
	assert_speaker(ev, 0, "Ринат Мухаметов");
	assert_string_equal(speaker_of(ev, quote(ev, 0))->title,
	    "министр строительства и жилищной политики области");
	nw_event_free(ev);
}

static void
role_set_off_before_the_name_is_the_title(void **state)
{
	struct nw_event *ev = make("en", NULL,
	    "Scientists have found a new species of bacteria in the lake, "
	    "the head of the laboratory, Natalia Orlova, said on Tuesday.",
	    "\"The samples were taken in March,\" the director of the "
	    "institute, Pavel Yermakov, said.",
	    "\"The bacteria can survive without oxygen,\" said Olga "
	    "Dmitrieva, head of the agency.",
	    "\"We will publish the results in autumn,\" Orlova said.", NULL);

	(void)state;
	assert_speaker(ev, 0, "Pavel Yermakov");
	assert_string_equal(
	    speaker_of(ev, quote(ev, 0))->title, "director of the institute");
	assert_speaker(ev, 1, "Olga Dmitrieva");
	assert_string_equal(
	    speaker_of(ev, quote(ev, 1))->title, "head of the agency");
	assert_speaker(ev, 2, "Natalia Orlova");
	assert_string_equal(
	    speaker_of(ev, quote(ev, 2))->title, "head of the laboratory");
	nw_event_free(ev);
}

static void
nominal_reference_prefers_the_title_holding_that_noun(void **state)
{
	struct nw_event *ev = make("en", NULL,
	    "The plant's chief engineer Dmitry Loginov told TASS that the "
	    "new line was ready.",
	    "Trade Minister Pavel Surkov visited the plant on Monday.",
	    "\"We tested every unit twice,\" the engineer said.",
	    "Vice Minister of Energy Nurlan Abenov met Deputy Minister Askar "
	    "Zhumabekov later.",
	    "Abenov said exports would double. \"We have signed new contracts "
	    "with three provinces,\" the vice minister said.",
	    NULL);

	(void)state;
	assert_speaker(ev, 0, "Dmitry Loginov");
	assert_speaker(ev, 1, "Nurlan Abenov");
	assert_string_equal(
	    speaker_of(ev, quote(ev, 1))->title, "Vice Minister of Energy");
	nw_event_free(ev);
}

static void
ru_nominal_takes_the_subject_with_that_title_not_the_object(void **state)
{
	struct nw_event *ev = make("ru", NULL,
	    "Новая дорога свяжет два района, сообщил вице-губернатор "
	    "области Кирилл Поляков.",
	    "«Подрядчик уже выбран», - сказала ТАСС глава района Елена "
	    "Маркова.",
	    "Поляков поручил заместителю губернатора Андрею Рыжикову "
	    "ускорить работы. «Дорога должна быть сдана до конца следующего "
	    "года», — подчеркнул вице-губернатор.",
	    NULL);

	(void)state;
	assert_speaker(ev, 0, "Елена Маркова");
	assert_speaker(ev, 1, "Кирилл Поляков");
	nw_event_free(ev);
}

static void
definite_body_noun_takes_the_full_name_from_the_lede(void **state)
{
	struct nw_event *ev = make("en",
	    "The volcano spewed ash up to 8 km, the Institute of Marine "
	    "Geology and Hydrology reported.",
	    "\"The ash cloud is moving to the north-east,\" senior researcher "
	    "Olga Girina told TASS.",
	    "\"The aviation color code has been raised to red,\" the "
	    "institute said in a statement.",
	    NULL);

	(void)state;
	assert_speaker(ev, 0, "Olga Girina");
	assert_speaker(ev, 1, "Institute of Marine Geology and Hydrology");
	assert_int_equal(
	    speaker_of(ev, quote(ev, 1))->type, NW_SPEAKER_ORGANISATION);
	nw_event_free(ev);
}

static void
ru_statement_without_a_name_is_the_body_of_the_lede(void **state)
{
	struct nw_event *ev = make("ru",
	    "Министерство сельского хозяйства Тверской области выделит "
	    "фермерам 200 млн рублей.",
	    "«Мы начнем с самых маленьких хозяйств», - сказал ТАСС фермер "
	    "Олег Ветров.",
	    "«Заявки принимаются до конца месяца», — говорится в сообщении.",
	    "«Деньги поступят на счета в июле», - говорится в сообщении "
	    "министерства.",
	    NULL);

	(void)state;
	assert_speaker(ev, 0, "Олег Ветров");
	assert_speaker(
	    ev, 1, "Министерство сельского хозяйства Тверской области");
	assert_speaker(
	    ev, 2, "Министерство сельского хозяйства Тверской области");
	nw_event_free(ev);
}

static void
nominal_without_rank_skips_the_deputy_and_the_object(void **state)
{
	struct nw_event *ev = make("en", NULL,
	    "The mayor of the city, Anton Belov, asked deputy mayor Viktor "
	    "Pavlov to check the works. \"The bridge must open before "
	    "winter,\" the mayor said.",
	    NULL);

	(void)state;
	assert_speaker(ev, 0, "Anton Belov");
	assert_string_equal(
	    speaker_of(ev, quote(ev, 0))->title, "mayor of the city");
	assert_int_equal(ev->nquotes, 1); /* "asked ... to" reports nothing */
	nw_event_free(ev);
}

static void
ru_nominal_skips_the_vice_in_the_dative(void **state)
{
	struct nw_event *ev = make("ru", NULL,
	    "Губернатор области Иван Лосев поручил вице-губернатору Петру "
	    "Сомову ускорить работы. «Дорога должна быть сдана до конца "
	    "следующего года», — подчеркнул губернатор.",
	    "«Мы успеем», — ответил Сомову представитель подрядчика.", NULL);

	(void)state;
	assert_speaker(ev, 0, "Иван Лосев");
	nw_event_free(ev);
}

static void
said_then_role_then_name_set_off_by_a_comma(void **state)
{
	struct nw_event *ev = make("en", NULL,
	    "Energy Minister Dubravka Djedovic opened the plant.",
	    "\"We have already started the design,\" said the head of the "
	    "state gas company, Bojan Milic.",
	    "\"The company will hire two hundred engineers,\" the company's "
	    "CEO said.",
	    NULL);

	(void)state;
	assert_speaker(ev, 0, "Bojan Milic");
	assert_string_equal(speaker_of(ev, quote(ev, 0))->title,
	    "head of the state gas company");
	assert_speaker(ev, 1, "Bojan Milic");
	nw_event_free(ev);
}

static void
ru_person_described_after_the_verb_is_nameless(void **state)
{
	struct nw_event *ev = make("ru", NULL,
	    "По словам начальника переправы Айсена Егорова, движение "
	    "организовано в две полосы.",
	    "«Грузовики пропускаем только днем», - сказал он.",
	    "«Раньше мы ждали парома по три часа», — поделился ТАСС водитель "
	    "рейсового автобуса.",
	    NULL);

	(void)state;
	assert_speaker(ev, 0, "Айсен Егоров");
	assert_null(speaker(ev, quote(ev, 1)));
	nw_event_free(ev);
}

/* A bare noun after the verb refers back to the person met before; only a
 * noun with a description after it is a new, nameless speaker. */
static void
ru_bare_noun_after_the_verb_refers_back(void **state)
{
	struct nw_event *ev = make("ru", NULL,
	    "Паводок ожидается в конце апреля, сообщила ТАСС главный "
	    "гидролог управления Вера Самойлова.",
	    "«Уровень воды в реке поднимется на два метра выше нормы», — "
	    "рассказала гидролог.",
	    "«Лед в этом году толще обычного», — добавила специалист.",
	    "«Мы уже вывезли технику с островов», — сказал житель соседнего "
	    "поселка.",
	    NULL);

	(void)state;
	assert_speaker(ev, 0, "Вера Самойлова");
	assert_speaker(ev, 1, "Вера Самойлова");
	assert_null(speaker(ev, quote(ev, 2)));
	nw_event_free(ev);
}

static void
body_noun_before_a_name_is_found_by_that_noun(void **state)
{
	struct nw_event *ev = make("en",
	    "The Russian airline Aurora Sky will launch flights from Kazan to "
	    "Tashkent in April.",
	    "Aviation analyst Boris Lunin expects prices to fall.",
	    "\"Demand for these destinations has grown by a third,\" the "
	    "airline said in a statement.",
	    NULL);

	(void)state;
	assert_speaker(ev, 0, "Aurora Sky");
	assert_int_equal(
	    speaker_of(ev, quote(ev, 0))->type, NW_SPEAKER_ORGANISATION);
	nw_event_free(ev);
}

static void
empty_and_markless_events_give_nothing(void **state)
{
	struct nw_event *ev = make("en", NULL, NULL);

	(void)state;
	assert_int_equal(ev->nquotes, 0);
	nw_event_free(ev);
	ev = make("en", NULL, "\"", "«", "“”", "\"\"\"\"", NULL);
	assert_int_equal(nquotes(ev), 0);
	nw_event_free(ev);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(lexicon_tables_are_sorted_and_indexed),
	    cmocka_unit_test(resolve_title_fits_role_words),
	    cmocka_unit_test(quote_then_pronoun_cue_takes_the_person_before),
	    cmocka_unit_test(told_tass_cue_is_kept_whole),
	    cmocka_unit_test(cue_then_colon_quote),
	    cmocka_unit_test(name_after_cue_with_role),
	    cmocka_unit_test(said_adding_gives_both_parts_one_speaker),
	    cmocka_unit_test(surname_alone_finds_the_full_name),
	    cmocka_unit_test(she_goes_to_the_woman_he_to_the_man),
	    cmocka_unit_test(nominal_reference_takes_the_matching_role),
	    cmocka_unit_test(when_asked_whether_is_partial_with_the_answerer),
	    cmocka_unit_test(two_speakers_in_one_paragraph),
	    cmocka_unit_test(nameless_speaker_is_null),
	    cmocka_unit_test(organisation_speaks_and_is_referred_to),
	    cmocka_unit_test(press_service_keeps_its_body_name),
	    cmocka_unit_test(interrupted_quote_is_two_entries),
	    cmocka_unit_test(
		quote_over_paragraphs_is_one_entry_each_with_one_speaker),
	    cmocka_unit_test(unbalanced_mark_stops_at_the_paragraph_end),
	    cmocka_unit_test(nested_marks_stay_in_the_outer_text),
	    cmocka_unit_test(short_scare_quotes_are_not_quotations),
	    cmocka_unit_test(according_to_is_indirect_with_the_clause),
	    cmocka_unit_test(quote_in_the_lede_has_no_paragraph),
	    cmocka_unit_test(quote_without_cue_takes_the_speaker_of_the_moment),
	    cmocka_unit_test(in_his_words_and_role_before_asian_name),
	    cmocka_unit_test(cue_ending_a_paragraph_names_the_next_quotation),
	    cmocka_unit_test(quoted_as_saying_names_the_one_quoted),
	    cmocka_unit_test(
		ru_adjectival_surname_in_the_genitive_and_the_expert),
	    cmocka_unit_test(ru_press_service_gives_the_words_of_the_governor),
	    cmocka_unit_test(ru_press_service_in_the_prepositional),
	    cmocka_unit_test(ru_name_after_verb_before_a_place),
	    cmocka_unit_test(ru_quote_then_dash_pronoun),
	    cmocka_unit_test(ru_quote_then_em_dash_name),
	    cmocka_unit_test(ru_name_then_colon_quote),
	    cmocka_unit_test(ru_po_slovam_puts_the_name_in_the_nominative),
	    cmocka_unit_test(ru_po_slovam_surname_finds_the_known_person),
	    cmocka_unit_test(ru_interrupted_quote_is_two_entries),
	    cmocka_unit_test(ru_organisation_in_statement),
	    cmocka_unit_test(ru_feminine_pronoun_skips_the_man),
	    cmocka_unit_test(ru_nominal_governor),
	    cmocka_unit_test(ru_nameless_resident_is_null),
	    cmocka_unit_test(ru_nested_marks_stay_inside),
	    cmocka_unit_test(
		indefinite_description_after_cue_is_a_new_nameless_speaker),
	    cmocka_unit_test(
		ru_indefinite_description_and_verb_gender_give_null),
	    cmocka_unit_test(ru_advice_verbs_name_their_speaker),
	    cmocka_unit_test(
		ru_body_in_the_genitive_is_named_in_the_nominative),
	    cmocka_unit_test(
		said_then_capitalised_subject_of_a_clause_is_not_a_speaker),
	    cmocka_unit_test(
		ru_person_met_only_in_the_genitive_takes_a_later_pronoun),
	    cmocka_unit_test(ru_verb_tass_long_role_with_and_then_name),
	    cmocka_unit_test(role_set_off_before_the_name_is_the_title),
	    cmocka_unit_test(
		nominal_reference_prefers_the_title_holding_that_noun),
	    cmocka_unit_test(
		ru_nominal_takes_the_subject_with_that_title_not_the_object),
	    cmocka_unit_test(
		definite_body_noun_takes_the_full_name_from_the_lede),
	    cmocka_unit_test(
		ru_statement_without_a_name_is_the_body_of_the_lede),
	    cmocka_unit_test(
		nominal_without_rank_skips_the_deputy_and_the_object),
	    cmocka_unit_test(ru_nominal_skips_the_vice_in_the_dative),
	    cmocka_unit_test(said_then_role_then_name_set_off_by_a_comma),
	    cmocka_unit_test(ru_person_described_after_the_verb_is_nameless),
	    cmocka_unit_test(ru_bare_noun_after_the_verb_refers_back),
	    cmocka_unit_test(body_noun_before_a_name_is_found_by_that_noun),
	    cmocka_unit_test(empty_and_markless_events_give_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
