/* Unit tests of the attribution stages one by one (frames, resolution,
 * --explain), on sentences written for these tests: each test builds an
 * event by hand, runs the quotation stage and checks the speakers and the
 * explanation lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "newswire/parse.h"

struct lines {
	char buf[8192];
	size_t len;
	int n;
};

static void
collect(void *arg, const char *line)
{
	struct lines *l = arg;
	int w = snprintf(l->buf + l->len, sizeof l->buf - l->len, "%s\n", line);

	if (w > 0 && (size_t)w < sizeof l->buf - l->len)
		l->len += (size_t)w;
	l->n++;
}

/* An event of language lang from body paragraphs; explain lines go to l
 * when l is not NULL. */
static struct nw_event *
make(struct lines *l, const char *lang, ...)
{
	struct nw_event *ev = nw_event_new();
	const char *para;
	va_list ap;

	assert_non_null(ev);
	memcpy(ev->language, lang, 3);
	ev->headline = strdup("Headline of the test dispatch");
	va_start(ap, lang);
	while ((para = va_arg(ap, const char *)) != NULL)
		assert_int_equal(nw_strv_push(&ev->body, para), 0);
	va_end(ap);
	if (l != NULL)
		nw_quotes_extract_explain(ev, collect, l);
	else
		nw_quotes_extract(ev);
	return ev;
}

/* Speaker of the i-th direct or partial quotation, NULL for none. */
static const char *
speaker(const struct nw_event *ev, size_t i)
{
	size_t k;

	for (k = 0; k < ev->nquotes; k++) {
		if (ev->quotes[k].kind == NW_QUOTE_INDIRECT)
			continue;
		if (i-- > 0)
			continue;
		if (ev->quotes[k].speaker < 0)
			return NULL;
		assert_true((size_t)ev->quotes[k].speaker < ev->nspeakers);
		return ev->speakers[ev->quotes[k].speaker].name;
	}
	fail_msg("no such quotation");
	return NULL;
}

/* frames: a body in the genitive after a role noun belongs to the title;
 * the role noun refers back to the person who holds it */
static void
frame_genitive_after_role_is_no_speaker(void **state)
{
	struct nw_event *ev = make(NULL, "ru",
	    "Представитель Минтранса Олег Ветров сообщил о новых мерах.",
	    "\"Все службы ведомства работают в усиленном режиме\", - сказал "
	    "представитель Минтранса журналистам.",
	    NULL);

	(void)state;
	assert_string_equal(speaker(ev, 0), "Олег Ветров");
	nw_event_free(ev);
}

/* frames: a quoted title of a programme is nobody's words, and the
 * quotation after it still finds its cue before the title */
static void
frame_title_of_a_work_has_no_speaker(void **state)
{
	struct nw_event *ev = make(NULL, "en",
	    "Senator Grace Holt, speaking on the weekly program, \"Capital "
	    "Questions This Week,\" admitted \"the bill will not pass this "
	    "year.\"",
	    NULL);

	(void)state;
	assert_null(speaker(ev, 0));
	assert_string_equal(speaker(ev, 1), "Grace Holt");
	nw_event_free(ev);
}

/* frames: the medium a person speaks in is no speaker */
static void
frame_medium_after_pronoun_is_no_speaker(void **state)
{
	struct nw_event *ev = make(NULL, "ru",
	    "Глава района Ирина Соколова провела совещание.",
	    "\"Дороги будут расчищены к утру понедельника\", - написала она "
	    "в своем Telegram-канале.",
	    NULL);

	(void)state;
	assert_string_equal(speaker(ev, 0), "Ирина Соколова");
	nw_event_free(ev);
}

/* frames: a preposition that holds the whole subject is where a body
 * speaks ("заявили в министерстве"), and that body stays the speaker */
static void
frame_body_after_impersonal_verb_speaks(void **state)
{
	struct nw_event *ev = make(NULL, "ru",
	    "\"Работы на станции будут завершены до конца года\", - заявили "
	    "в Минэнерго.",
	    NULL);

	(void)state;
	assert_non_null(speaker(ev, 0));
	assert_string_equal(speaker(ev, 0), "Минэнерго");
	nw_event_free(ev);
}

/* resolution: a pronoun takes the subject of the sentence before, not the
 * object named after it */
static void
salience_pronoun_prefers_subject_over_later_object(void **state)
{
	struct nw_event *ev = make(NULL, "en",
	    "Transport Minister Daniel Okafor briefed Governor Lucia Brandt "
	    "on the new rail link on Tuesday.",
	    "\"The first trains will run before the end of the summer,\" he "
	    "said.",
	    NULL);

	(void)state;
	assert_string_equal(speaker(ev, 0), "Daniel Okafor");
	nw_event_free(ev);
}

/* resolution, Russian: "он" after "X заявил, что ... с Y" is X */
static void
salience_russian_pronoun_prefers_subject(void **state)
{
	struct nw_event *ev = make(NULL, "ru",
	    "Мэр города Павел Зорин заявил, что обсудит проект с министром "
	    "Игорем Ласточкиным.",
	    "\"Мост должен быть открыт уже следующей осенью\", - сказал он.",
	    NULL);

	(void)state;
	assert_string_equal(speaker(ev, 0), "Павел Зорин");
	nw_event_free(ev);
}

/* resolution, cataphora: a nominal reference before anyone is named takes
 * the next person named whose title fits it */
static void
cataphora_nominal_takes_next_fitting_person(void **state)
{
	struct nw_event *ev = make(NULL, "en",
	    "The deal is \"the best we could get in the circumstances,\" the "
	    "country's top diplomat said.",
	    "Talks with Trade Commissioner Ruth Adler lasted six hours, "
	    "Foreign Minister Pavel Drozd told reporters afterwards.",
	    NULL);

	(void)state;
	assert_string_equal(speaker(ev, 0), "Pavel Drozd");
	nw_event_free(ev);
}

/* resolution, cataphora: a lead quotation with no cue and nobody before
 * it takes the person named right after it */
static void
cataphora_lead_quote_takes_person_named_next(void **state)
{
	struct nw_event *ev = make(NULL, "ru",
	    "\"Все дороги района будут открыты к вечеру пятницы\".",
	    "Об этом сообщил глава района Артем Клименко.", NULL);

	(void)state;
	assert_string_equal(speaker(ev, 0), "Артем Клименко");
	nw_event_free(ev);
}

/* cues: a reporting clause closing the sentence speaks for a quotation
 * inside it, even with another clause between them */
static void
cue_closing_the_sentence_speaks_for_the_quote(void **state)
{
	struct nw_event *ev = make(NULL, "ru",
	    "Власти соседней страны \"снова обещают открыть границу к "
	    "весне\", а тем временем очереди на переходе растут и "
	    "грузовики стоят сутками, отметил посол по особым поручениям "
	    "Геннадий Орлов.",
	    NULL);

	(void)state;
	assert_string_equal(speaker(ev, 0), "Геннадий Орлов");
	nw_event_free(ev);
}

/* cues: "Об этом говорится в письме X" names who said the quotation in
 * the sentence before */
static void
cue_about_this_in_the_next_sentence(void **state)
{
	struct nw_event *ev = make(NULL, "ru",
	    "Министр транспорта Олег Ветров выступил на форуме.",
	    "Порт \"готов принять первые суда уже в начале навигации\". Об "
	    "этом говорится в письме губернатора области Инны Карповой.",
	    NULL);

	(void)state;
	assert_string_equal(speaker(ev, 0), "Инна Карпова");
	nw_event_free(ev);
}

/* marks: a straight mark between two letters is an apostrophe as some
 * wires print it, not a quotation mark */
static void
marks_straight_mark_inside_a_word_is_no_quote(void **state)
{
	struct nw_event *ev = make(NULL, "en",
	    "Norway\"s Energy Minister, in remarks published today, said "
	    "output would hold.",
	    "\"We see no reason to change course this year,\" she said.", NULL);
	size_t k, n = 0;

	(void)state;
	for (k = 0; k < ev->nquotes; k++)
		n += ev->quotes[k].kind != NW_QUOTE_INDIRECT;
	assert_int_equal(n, 1);
	assert_string_equal(ev->quotes[ev->nquotes - 1].text,
	    "We see no reason to change course this year,");
	nw_event_free(ev);
}

/* mentions: a name keeps its joined Arabic particles */
static void
mention_name_keeps_joined_particles(void **state)
{
	struct nw_event *ev = make(NULL, "en",
	    "\"Our output will stay at the agreed level all year,\" said "
	    "Sheikh Hamad al-Rashid al-Tamimi, the oil minister.",
	    "Shipments to Asia rose in the spring.",
	    "\"Nobody has asked us for a cut,\" Sheikh Hamad told a news "
	    "conference.",
	    NULL);

	(void)state;
	assert_string_equal(speaker(ev, 0), "Hamad al-Rashid al-Tamimi");
	/* later known by the first word of the name */
	assert_string_equal(speaker(ev, 1), "Hamad al-Rashid al-Tamimi");
	nw_event_free(ev);
}

/* mentions: a role with an abbreviated title and a second role before
 * the name ("former Ohio Sen. and party elder X") */
static void
mention_abbreviated_title_and_second_role(void **state)
{
	struct nw_event *ev =
	    make(NULL, "en", "The vote in the committee was close.",
		"\"The plan is dead and everyone knows it,\" said former Ohio "
		"Sen. and party elder John Marsh.",
		NULL);

	(void)state;
	assert_string_equal(speaker(ev, 0), "John Marsh");
	nw_event_free(ev);
}

/* --explain: one line per quotation naming the stage and the mention */
static void
explain_names_stage_and_mention(void **state)
{
	struct lines l = {0};
	struct nw_event *ev =
	    make(&l, "en", "Port director Hannah Kowalski spoke on Monday.",
		"\"The new quay will open in the spring,\" she said.",
		"\"We expect twice the traffic by next year.\"", NULL);

	(void)state;
	assert_string_equal(speaker(ev, 0), "Hannah Kowalski");
	assert_string_equal(speaker(ev, 1), "Hannah Kowalski");
	assert_int_equal(l.n, 2);
	assert_non_null(strstr(l.buf,
	    "stage=\"cue after\" mention=\"she\" "
	    "read-as=\"pronoun"));
	assert_non_null(strstr(l.buf, "speaker=\"Hannah Kowalski\""));
	assert_non_null(strstr(l.buf, "quote=1 paragraph=2"));
	nw_event_free(ev);
}

/* without an explain callback the event is the same */
static void
explain_leaves_the_event_unchanged(void **state)
{
	struct lines l = {0};
	const char *p1 = "Analyst Tomas Berg said prices would fall.",
		   *p2 = "\"Supply is growing faster than demand,\" he said.";
	struct nw_event *a = make(&l, "en", p1, p2, NULL),
			*b = make(NULL, "en", p1, p2, NULL);

	(void)state;
	assert_int_equal(a->nquotes, b->nquotes);
	assert_string_equal(speaker(a, 0), speaker(b, 0));
	nw_event_free(a);
	nw_event_free(b);
}

/* salience: a pronoun after a sentence whose subject is a person
 * described but not named refers to that subject, not to a name further
 * down the sentence: no speaker rather than the wrong one; once a person
 * has spoken, the description refers back to her instead */
static void
salience_unnamed_subject_outranks_a_named_object(void **state)
{
	struct lines l = {0};
	struct nw_event *ev = make(&l, "en",
	    "The port authority spokesman told reporters the minister would "
	    "not meet the Danish envoy Henrik Madsen this week.",
	    "\"We have no plans for such a meeting right now,\" he said.",
	    NULL);

	(void)state;
	assert_null(speaker(ev, 0));
	assert_non_null(strstr(l.buf, "not named before"));
	nw_event_free(ev);
	ev = make(NULL, "en",
	    "\"The harbour stays closed until Friday,\" port director Ingrid "
	    "Dahl said.",
	    "The port director told reporters the inspectors would meet the "
	    "Danish envoy Henrik Madsen this week.",
	    "\"We expect them to finish the inspection quickly,\" she said.",
	    NULL);
	assert_string_equal(speaker(ev, 1), "Ingrid Dahl");
	nw_event_free(ev);
}

/* frames: a Russian given name in an oblique case is an object of the
 * clause (the one talked to or about), never the subject of the cue */
static void
frame_oblique_given_name_is_no_speaker(void **state)
{
	struct nw_event *ev = make(NULL, "ru",
	    "«Мы не планируем никаких встреч на этой неделе», - сказал "
	    "представитель мэрии в интервью телеведущему Андрею Смирнову.",
	    NULL);

	(void)state;
	assert_null(speaker(ev, 0));
	nw_event_free(ev);
	ev = make(NULL, "ru",
	    "«Работы на мосту закончатся к осени», - сказал министр Олег "
	    "Савельев в беседе с журналистом Павлом Ивановым.",
	    NULL);
	assert_string_equal(speaker(ev, 0), "Олег Савельев");
	nw_event_free(ev);
}

/* An event whose first paragraph starts with the dateline dl, as the
 * parser found it. */
static struct nw_event *
with_dateline(const char *lang, const char *dl, const char *para)
{
	struct nw_event *ev = nw_event_new();

	assert_non_null(ev);
	memcpy(ev->language, lang, 3);
	ev->dateline = calloc(1, sizeof *ev->dateline);
	assert_non_null(ev->dateline);
	ev->dateline->text = strdup(dl);
	assert_int_equal(nw_strv_push(&ev->body, para), 0);
	nw_quotes_extract(ev);
	return ev;
}

/* the quotation stage skips the dateline by the length the dateline
 * parser gave it, whatever its form: no reported clause starts in it */
static void
dateline_parsed_length_keeps_it_out_of_reported_speech(void **state)
{
	static const struct {
		const char *lang, *dl, *para, *text;
		size_t start;
	} cases[] = {
	    {"en", "OSLO, March 2 -",
		"OSLO, March 2 - The fishing talks would resume next week, "
		"Fisheries Minister Kari Solberg said.",
		"The fishing talks would resume next week", 16},
	    {"en", "BEIJING, March 2 (Xinhua) --",
		"BEIJING, March 2 (Xinhua) -- The harbour would reopen in "
		"April, port director Wang Lei said.",
		"The harbour would reopen in April", 29},
	    {"ru", "ЕРЕВАН, 4 марта (Итар-Тасс) ——",
		"ЕРЕВАН, 4 марта (Итар-Тасс) —— Переговоры продолжатся в "
		"апреле, заявил министр Арам Саркисян.",
		"Переговоры продолжатся в апреле", 31},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct nw_event *ev =
		    with_dateline(cases[i].lang, cases[i].dl, cases[i].para);

		assert_int_equal(ev->nquotes, 1);
		assert_int_equal(ev->quotes[0].kind, NW_QUOTE_INDIRECT);
		assert_string_equal(ev->quotes[0].text, cases[i].text);
		assert_int_equal(ev->quotes[0].start, cases[i].start);
		assert_true(ev->quotes[0].speaker >= 0);
		nw_event_free(ev);
	}
}

/* resolution: "the official" after an indefinite description as subject
 * is that unnamed person, not a named one mentioned before it; with a
 * named official after the description, the named one */
static void
salience_indefinite_description_is_nobody_named(void **state)
{
	struct lines l = {0};
	struct nw_event *ev = make(&l, "en",
	    "\"The border talks went well this week,\" Deputy Minister Tomas "
	    "Verhoeven told reporters.",
	    "A senior Dutch official, who declined to be identified, said the "
	    "next round was set. \"We expect a draft text by Monday,\" the "
	    "official said.",
	    NULL);

	(void)state;
	assert_string_equal(speaker(ev, 0), "Tomas Verhoeven");
	assert_null(speaker(ev, 1));
	assert_non_null(strstr(l.buf, "indefinite description"));
	nw_event_free(ev);
	ev = make(NULL, "en",
	    "A senior Dutch official said the next round was set.",
	    "Deputy Minister Tomas Verhoeven, the official in charge of the "
	    "talks, met the delegation on Friday. \"We expect a draft text by "
	    "Monday,\" the official said.",
	    NULL);
	assert_string_equal(speaker(ev, 0), "Tomas Verhoeven");
	nw_event_free(ev);
}

/* mentions: a body's name in "of" phrases ends at a role word, so the
 * person after the role is a mention of its own */
static void
mention_body_name_ends_at_a_role_word(void **state)
{
	struct nw_event *ev = make(NULL, "en",
	    "Bank of Estonia Governor Madis Toomsalu and Finance Minister "
	    "Jurgen Ligi spoke at the forum on Thursday.",
	    "\"Price growth has begun to slow, but it stays too high,\" he "
	    "said.",
	    "\"The deficit will stay within the limits set by law,\" the "
	    "minister said.",
	    NULL);

	(void)state;
	assert_string_equal(speaker(ev, 0), "Madis Toomsalu");
	assert_string_equal(speaker(ev, 1), "Jurgen Ligi");
	nw_event_free(ev);
}

/* mentions: a body in the genitive after a person noun, then a name not
 * in the genitive: the name is the person the noun describes; a place in
 * the genitive after the body is no person */
static void
mention_ru_name_after_body_in_a_run(void **state)
{
	struct nw_event *ev = make(NULL, "ru",
	    "Об этом на брифинге заявил официальный представитель МИД КНР "
	    "Чжан Вэй.",
	    "«Мы выступаем за урегулирование путем переговоров», — сказал он.",
	    "«Все стороны должны проявлять сдержанность», — заявил "
	    "официальный представитель МИД КНР Чжан Вэй.",
	    NULL);

	(void)state;
	assert_string_equal(speaker(ev, 0), "Чжан Вэй");
	assert_string_equal(speaker(ev, 1), "Чжан Вэй");
	nw_event_free(ev);
	ev = make(NULL, "ru",
	    "«Мы выступаем за урегулирование путем переговоров», — заявил "
	    "представитель МИД Южной Кореи.",
	    NULL);
	assert_null(speaker(ev, 0));
	nw_event_free(ev);
	ev = make(NULL, "ru",
	    "«Мы выступаем за урегулирование путем переговоров», — заявил "
	    "глава МИД Словении Рупников.",
	    NULL);
	assert_string_equal(speaker(ev, 0), "Рупников");
	nw_event_free(ev);
}

/* mentions: a name with a patronymic in an oblique case, and a woman's
 * given name in the genitive beside a surname that does not decline, are
 * put in the nominative word by word */
static void
mention_ru_patronymic_and_indeclinable_in_the_nominative(void **state)
{
	struct nw_event *ev = make(NULL, "ru",
	    "По словам Веры Степановны Гончаренко, «работы на объекте будут "
	    "завершены к осени».",
	    "По словам Глеба Аркадьевича Лосева, «новых задержек не будет "
	    "ни на одном участке».",
	    "По словам Алины Черных, «все подрядчики уже получили "
	    "необходимые материалы».",
	    NULL);

	(void)state;
	assert_string_equal(speaker(ev, 0), "Вера Степановна Гончаренко");
	assert_string_equal(speaker(ev, 1), "Глеб Аркадьевич Лосев");
	assert_string_equal(speaker(ev, 2), "Алина Черных");
	nw_event_free(ev);
}

/* frames: a possessive before a person noun names whose role it is, not
 * the speaker ("X's spokesman, Y" is Y, set off before the sentence end
 * or before the verb) */
static void
frame_possessive_owner_is_no_speaker(void **state)
{
	struct nw_event *ev = make(NULL, "en",
	    "\"We will not comment on drafts still under discussion,\" said "
	    "Chancellor Maren Lindqvist's spokesman, Oskar Falk.",
	    "\"The cabinet will meet on Thursday as planned,\" Chancellor "
	    "Maren Lindqvist's spokesman, Oskar Falk, told reporters.",
	    NULL);

	(void)state;
	assert_string_equal(speaker(ev, 0), "Oskar Falk");
	assert_string_equal(speaker(ev, 1), "Oskar Falk");
	nw_event_free(ev);
}

/* mentions: a hyphenated role the lexicon does not know is a role by its
 * last part, so the name after it is a person with that title */
static void
mention_hyphenated_role_by_its_last_part(void **state)
{
	struct nw_event *ev = make(NULL, "en",
	    "Liberal co-leader Henrike Sauer criticised the budget plan on "
	    "Tuesday.",
	    "\"This plan leaves the regions without any money,\" she said.",
	    NULL);

	(void)state;
	assert_string_equal(speaker(ev, 0), "Henrike Sauer");
	nw_event_free(ev);
}

/* mentions: a woman's genitive in -ой reads as -ова or as adjectival -ая;
 * the dispatch decides, whichever form comes first */
static void
mention_ru_adjectival_surname_read_by_the_dispatch(void **state)
{
	struct nw_event *ev = make(NULL, "ru",
	    "Депутат Дарина Луговая внесла законопроект о штрафах.",
	    "По словам Дарины Луговой, «штрафы должны быть соразмерны "
	    "ущербу».",
	    NULL);

	(void)state;
	assert_string_equal(speaker(ev, 0), "Дарина Луговая");
	nw_event_free(ev);
	ev = make(NULL, "ru",
	    "По словам Дарины Луговой, «штрафы должны быть соразмерны "
	    "ущербу».",
	    "«Компании обязаны вкладываться в защиту данных», — отметила "
	    "Луговая.",
	    NULL);
	assert_string_equal(speaker(ev, 0), "Дарина Луговая");
	assert_string_equal(speaker(ev, 1), "Дарина Луговая");
	nw_event_free(ev);
}

/* mentions and frames: given names of the table beyond the commonest
 * (Вениамин, foreign names in Russian) make a person of the run; one in
 * the instrumental after the body of a title is still an object */
static void
mention_ru_given_names_table(void **state)
{
	struct nw_event *ev = make(NULL, "ru",
	    "Итоги подвел губернатор региона Вениамин Ряполов.",
	    "«Урожай полностью обеспечит потребности края», — добавил "
	    "губернатор.",
	    "«Мы не имеем к этому никакого отношения», — заявил Ряполов на "
	    "пресс-конференции с премьер-министром Бельгии Фридрихом "
	    "Ваутерсом.",
	    NULL);

	(void)state;
	assert_string_equal(speaker(ev, 0), "Вениамин Ряполов");
	assert_string_equal(speaker(ev, 1), "Вениамин Ряполов");
	nw_event_free(ev);
}

/* frames: "цитирует ее агентство": the one quoted is the pronoun in the
 * accusative, resolved by gender, not the agency that quotes */
static void
frame_quoted_pronoun_object_speaks(void **state)
{
	struct nw_event *ev = make(NULL, "ru",
	    "Ранее еврокомиссар Хелена Линдберг заявила, что ЕС готовит новые "
	    "меры. «Мы не остановимся, пока давление не даст результата», — "
	    "цитирует ее агентство Рейтер.",
	    NULL);

	(void)state;
	assert_string_equal(speaker(ev, 0), "Хелена Линдберг");
	nw_event_free(ev);
}

/* mentions: a country adjective before a ministry or an acronym names the
 * country the body's name carries; other bodies keep their name */
static void
mention_ru_country_adjective_before_a_ministry(void **state)
{
	struct nw_event *ev = make(NULL, "ru",
	    "«Стороны обсудили подготовку визита в Анкару», — говорится в "
	    "сообщении российского МИД.",
	    "«Работы на космодроме идут по графику», — говорится в "
	    "сообщении турецкого Минэнерго.",
	    NULL);

	(void)state;
	assert_string_equal(speaker(ev, 0), "МИД России");
	assert_string_equal(speaker(ev, 1), "Минэнерго Турции");
	nw_event_free(ev);
}

/* resolution: a title noun the lexicon does not list refers back by the
 * paradigm of title nouns, and a name met in the instrumental is read in
 * that case */
static void
nominal_ru_title_noun_by_paradigm(void **state)
{
	struct nw_event *ev = make(NULL, "ru",
	    "Премьер Нидерландов Рутгер Виссер встретился с канцлером "
	    "Австрии Фридрихом Штольцем.",
	    "«Мы договорились о совместных проектах в энергетике», — сказал "
	    "австрийский канцлер.",
	    NULL);

	(void)state;
	assert_string_equal(speaker(ev, 0), "Фридрих Штольц");
	nw_event_free(ev);
}

/* resolution: a pronoun falls back on the speaker of the moment only when
 * the two agree; the given-name table tells a woman from a man */
static void
salience_pronoun_fallback_agrees_in_gender(void **state)
{
	struct nw_event *ev = make(NULL, "en",
	    "Fire chief Anthony Brandt said crews had contained the fire.",
	    "Resident Linda Okafor, who fled with her dogs, said she had not "
	    "been told when she could return. \"We just want to know if our "
	    "house is still standing,\" she said.",
	    NULL);

	(void)state;
	assert_string_equal(speaker(ev, 0), "Linda Okafor");
	nw_event_free(ev);
	ev = make(NULL, "en",
	    "Fire chief Anthony Brandt said crews had contained the fire.",
	    "\"We just want to know if our house is still standing,\" she "
	    "said.",
	    NULL);
	assert_null(speaker(ev, 0));
	nw_event_free(ev);
}

/* frames: with a name or a person noun before an English verb, what
 * follows the verb is its object, never a subject ("X told a ceremony" is
 * not "a ceremony" speaking, nobody named); "Ambassador to <place> <name>"
 * names the person after the place */
static void
frame_en_object_after_verb_is_no_subject(void **state)
{
	struct nw_event *ev = make(NULL, "en",
	    "\"The new port has already created many jobs,\" Chinese "
	    "Ambassador to Peru Song Ruxin told a ceremony in Lima.",
	    "Trade Minister Rosa Vidal said the next phase would focus on "
	    "industry.",
	    NULL);

	(void)state;
	assert_string_equal(speaker(ev, 0), "Song Ruxin");
	nw_event_free(ev);
}

/* mentions: a role word tells the gender of a name that does not, so
 * "he" passes over the spokeswoman to the man named before her */
static void
salience_role_word_tells_gender(void **state)
{
	struct nw_event *ev = make(NULL, "en",
	    "Trade Minister Oskar Lindqvist said the tariffs would stay.",
	    "Earlier, EU spokeswoman Daryl Whitcombe said Brussels was open to "
	    "talks.",
	    "\"We will not lift a single tariff this year,\" he said.", NULL);

	(void)state;
	assert_string_equal(speaker(ev, 0), "Oskar Lindqvist");
	nw_event_free(ev);
}

/* resolution: "the official" after "A senior U.S. official, ..." is that
 * unnamed official, not the named man before (a dotted acronym inside the
 * indefinite description) */
static void
nominal_indefinite_with_dotted_acronym(void **state)
{
	struct nw_event *ev = make(NULL, "en",
	    "Energy Secretary Colin Harwood said the reserve would be "
	    "released.",
	    "A senior U.S. official, who asked not to be named, said the "
	    "first barrels could ship in May.",
	    "\"Refiners have been told to prepare for the deliveries,\" the "
	    "official said.",
	    NULL);

	(void)state;
	assert_null(speaker(ev, 0));
	nw_event_free(ev);
}

/* mentions: a name does not start at its particle; the role after "to
 * <country>" holds "Nguyen Van Thanh" whole */
static void
mention_particle_name_after_role_link(void **state)
{
	struct nw_event *ev = make(NULL, "en",
	    "President Milan Kovac received Ambassador of Vietnam to Slovakia "
	    "Tran Van Hoa on Monday.",
	    "\"Our trade has doubled in five years,\" the ambassador said.",
	    NULL);

	(void)state;
	assert_string_equal(speaker(ev, 0), "Tran Van Hoa");
	nw_event_free(ev);
}

/* resolution: a modifier matches a title's word of the same stem
 * ("белорусский" and "Белоруссии"), which picks the right one of two
 * leaders */
static void
nominal_modifier_matches_by_stem(void **state)
{
	struct nw_event *ev = make(NULL, "ru",
	    "Президент Белоруссии Александр Лукашенко встретился в Минске, "
	    "сообщил, что российский лидер Владимир Путин приедет летом.",
	    "«Мы готовим к визиту большой пакет соглашений», — сказал "
	    "белорусский лидер.",
	    NULL);

	(void)state;
	assert_string_equal(speaker(ev, 0), "Александр Лукашенко");
	nw_event_free(ev);
}

/* mentions: the role in front of a name in an oblique case stops at
 * another person's name: the TV host gets no minister's role */
static void
mention_role_stops_at_another_name(void **state)
{
	struct nw_event *ev = make(NULL, "ru",
	    "Министр сельского хозяйства Олег Лаптев в беседе с телеведущим "
	    "Игорем Зиминым рассказал об урожае.",
	    "«Зерна в этом году хватит и на экспорт», — сказал министр.", NULL);

	(void)state;
	assert_string_equal(speaker(ev, 0), "Олег Лаптев");
	nw_event_free(ev);
}

/* resolution: "the" and capitalised words no one is known by describe a
 * person; the one being quoted, not the interviewer who asked */
static void
nominal_capitalised_description(void **state)
{
	struct nw_event *ev = make(NULL, "en",
	    "Rep. Dana Whitfield said the bill would pass, speaking to "
	    "ABC's Martin Rhodes.",
	    "\"We have the votes for it this week,\" Whitfield said.",
	    "Rhodes asked whether the leadership agreed.",
	    "\"Nobody in the caucus wants another shutdown,\" the Ohio "
	    "Democrat said.",
	    NULL);

	(void)state;
	assert_string_equal(speaker(ev, 1), "Dana Whitfield");
	nw_event_free(ev);
}

/* resolution: "he added" right after a quotation by someone unnamed in
 * the same paragraph is that unnamed person */
static void
salience_pronoun_after_unnamed_speaker(void **state)
{
	struct nw_event *ev = make(NULL, "en",
	    "Analyst Peter Hollis of Crane Securities said prices would "
	    "rise.",
	    "\"Buyers will come back in spring,\" said a trader at a large "
	    "refiner who asked not to be named. \"Stocks are already "
	    "thin,\" he added.",
	    NULL);

	(void)state;
	assert_null(speaker(ev, 0));
	assert_null(speaker(ev, 1));
	nw_event_free(ev);
}

/* mentions: a lower-case body noun and a country in the genitive are a
 * body; a medium phrase between the verb and its subject is skipped, and
 * "дипмиссия" refers back to that body */
static void
mention_ru_lower_case_body_and_medium(void **state)
{
	struct nw_event *ev = make(NULL, "ru",
	    "Об этом сообщило посольство России в Норвегии.",
	    "«Консульский отдел возобновит прием граждан с понедельника», — "
	    "говорится в сообщении, опубликованном в Telegram-канале.",
	    "«Запись на прием будет открыта на сайте», — уточнила в своем "
	    "Telegram-канале российская дипмиссия.",
	    NULL);

	(void)state;
	assert_string_equal(speaker(ev, 1), "Посольство России в Норвегии");
	nw_event_free(ev);
}

/* mentions: "МИД КНР Мао Нин" is a body and a two-word name; the verb
 * after the name tells her gender over the surname's shape */
static void
mention_ru_foreign_name_after_body_and_verb_gender(void **state)
{
	struct nw_event *ev = make(NULL, "ru",
	    "Официальный представитель МИД КНР Мао Нин ответила на вопросы "
	    "журналистов.",
	    "«Пекин призывает стороны к сдержанности», — сказала она.", NULL);

	(void)state;
	assert_string_equal(speaker(ev, 0), "Мао Нин");
	nw_event_free(ev);
}

/* mentions: a run after a noun of the press is the paper, and
 * "экс-президент" refers to the former president */
static void
mention_ru_press_noun_and_ex_role(void **state)
{
	struct nw_event *ev = make(NULL, "ru",
	    "Бывший президент Франции Франсуа Олланд в интервью газете Le "
	    "Parisien заявил, что выборы прошли честно.",
	    "«Никаких нарушений наблюдатели не нашли», — сказал бывший "
	    "президент.",
	    "Премьер-министр Франции Габриэль Аттал ранее заявил, что жалобы "
	    "будут рассмотрены.",
	    "«Все жалобы уже переданы в комиссию», — сказал экс-президент.",
	    NULL);

	(void)state;
	assert_string_equal(speaker(ev, 0), "Франсуа Олланд");
	assert_string_equal(speaker(ev, 1), "Франсуа Олланд");
	nw_event_free(ev);
}

/* morphology: a name after a role noun in the instrumental is in the
 * instrumental; a foreign consonant stem loses the ending */
static void
morph_ru_case_from_role_in_front(void **state)
{
	struct nw_event *ev = make(NULL, "ru",
	    "Лавров провел переговоры с министром иностранных дел Египта "
	    "Бадром Абдельатти.",
	    "«Мы обсудили положение в секторе Газа», — сказал египетский "
	    "министр.",
	    NULL);

	(void)state;
	assert_string_equal(speaker(ev, 0), "Бадр Абдельатти");
	nw_event_free(ev);
}

/* resolution: "X's spokesman said" with the spokesman never named: "the
 * spokesman" and "he" are that unnamed person, not X */
static void
salience_possessive_spokesman_unnamed(void **state)
{
	struct nw_event *ev = make(NULL, "en",
	    "Estonian Prime Minister Liis Varik's spokesman said the summit "
	    "would go ahead.",
	    "\"The agenda has not changed,\" the spokesman said.",
	    "\"Security has been reinforced around the venue,\" he said.",
	    NULL);

	(void)state;
	assert_null(speaker(ev, 0));
	assert_null(speaker(ev, 1));
	nw_event_free(ev);
}

/* mentions: the role in front of an oblique name stops after another
 * name of two words and the verb after it, even when that name's given
 * name is not in the table */
static void
mention_role_stops_after_a_two_word_name(void **state)
{
	struct nw_event *ev = make(NULL, "ru",
	    "Министр иностранных дел Словакии Юрай Бланар провел переговоры "
	    "с Сергеем Лавровым.",
	    "«Словакия выступает за диалог с Москвой», — сказал словацкий "
	    "министр.",
	    NULL);

	(void)state;
	assert_string_equal(speaker(ev, 0), "Юрай Бланар");
	nw_event_free(ev);
}

/* mentions: a body speaks in the neuter; its whole name (lower-case
 * genitives and the country acronym) is the subject, not the acronym */
static void
mention_ru_body_with_neuter_verb(void **state)
{
	struct nw_event *ev = make(NULL, "ru",
	    "Министерство обороны РФ сообщило о завершении учений.",
	    "«Все задачи учений выполнены в полном объеме», — говорится в "
	    "сообщении.",
	    "Министерство иностранных дел Армении заявило о вызове посла.",
	    "«Послу вручена нота протеста», — отметило ведомство.", NULL);

	(void)state;
	assert_string_equal(speaker(ev, 0), "Министерство обороны России");
	assert_string_equal(
	    speaker(ev, 1), "Министерство иностранных дел Армении");
	nw_event_free(ev);
}

/* frames: "говорится в заявлении <common noun>" with a noun the lexicon
 * does not know refers back to the last body, it names no new one */
static void
frame_statement_common_noun_refers_back(void **state)
{
	struct nw_event *ev = make(NULL, "ru",
	    "Правительство Норвегии заявило о продлении ограничений.",
	    "«Меры останутся в силе до конца года», — говорится в заявлении "
	    "кабмина.",
	    NULL);

	(void)state;
	assert_string_equal(speaker(ev, 0), "Правительство Норвегии");
	nw_event_free(ev);
}

/* nominal: "собеседник агентства" is whoever talked to the agency, as a
 * pronoun: the named head of an agency after his interview, nobody named
 * after a source; a plain "собеседник" with no outlet stays nobody */
static void
nominal_ru_agency_interlocutor_is_last_speaker(void **state)
{
	struct nw_event *ev = make(NULL, "ru",
	    "Об этом в интервью ТАСС рассказал директор завода Павел "
	    "Корнилов.",
	    "«Линия заработает в марте», — пояснил собеседник агентства.",
	    NULL);
	struct nw_event *ev2 = make(NULL, "ru",
	    "Директор завода Павел Корнилов отказался от комментариев.",
	    "Об этом ТАСС сообщил источник в отрасли.",
	    "«Линия заработает в марте», — сказал собеседник агентства.", NULL);

	(void)state;
	assert_string_equal(speaker(ev, 0), "Павел Корнилов");
	assert_null(speaker(ev2, 0));
	nw_event_free(ev);
	nw_event_free(ev2);
}

/* nominal: "министерство" refers back to a ministry known by its Russian
 * acronym (МИД, МЧС), not to a new body called "министерство" */
static void
nominal_ru_ministry_refers_to_acronym(void **state)
{
	struct nw_event *ev =
	    make(NULL, "ru", "МИД России осудил решение властей Латвии.",
		"«Подобные шаги не останутся без ответа», — говорится в "
		"заявлении министерства.",
		NULL);

	(void)state;
	assert_string_equal(speaker(ev, 0), "МИД России");
	nw_event_free(ev);
}

/* subjects: a pronoun in a side clause inside a relative clause ("who
 * asked not to be named because he ...") is not the subject; the
 * indefinite head before the clause is, so nobody is named */
static void
frame_pronoun_inside_relative_clause_is_no_subject(void **state)
{
	struct nw_event *ev = make(NULL, "en",
	    "\"Prices will keep rising,\" said Laura Benton, a broker.",
	    "Another broker, who asked not to be named because he was not "
	    "allowed to speak to the media, said: \"Nobody wants to sell "
	    "now.\"",
	    NULL);

	(void)state;
	assert_string_equal(speaker(ev, 0), "Laura Benton");
	assert_null(speaker(ev, 1));
	nw_event_free(ev);
}

/* subjects: plural analysts at a firm are several unnamed people, not
 * the analyst quoted before */
static void
salience_plural_analysts_are_nobody_named(void **state)
{
	struct nw_event *ev = make(NULL, "en",
	    "\"Demand is holding up,\" said Mark Oduya, an analyst at Finwell.",
	    "\"We expect another cut in June,\" analysts at Norbank said in "
	    "a note.",
	    NULL);

	(void)state;
	assert_string_equal(speaker(ev, 0), "Mark Oduya");
	assert_null(speaker(ev, 1));
	nw_event_free(ev);
}

/* marks: a curly opening mark closed by a straight one ("“...," X said")
 * ends the quotation there when no curly closing mark follows; the
 * speaker is the one named after it, not the one of the next paragraph */
static void
marks_curly_opening_closed_by_straight_mark(void **state)
{
	struct nw_event *ev = make(NULL, "en",
	    "Interior Minister Karl Brenner briefed President Anna Weil on "
	    "the floods.",
	    "\xe2\x80\x9cWe will keep helping every town that was hit,\" Weil "
	    "said.",
	    "\xe2\x80\x9cThe water has started to go down in most districts,\" "
	    "Brenner said.",
	    "\xe2\x80\x9cHe called the plan \"realistic\" and left "
	    "early,\xe2\x80\x9d "
	    "Brenner added.",
	    NULL);

	(void)state;
	assert_int_equal(ev->nquotes, 3);
	assert_string_equal(speaker(ev, 0), "Anna Weil");
	assert_string_equal(speaker(ev, 1), "Karl Brenner");
	assert_string_equal(speaker(ev, 2), "Karl Brenner");
	assert_non_null(strstr(ev->quotes[2].text, "realistic"));
	nw_event_free(ev);
}

/* subjects: "and" inside a body's name after "X of" does not cut the
 * subject to the body; the person before it said it, and "he" is him */
static void
frame_and_inside_body_name_keeps_the_person(void **state)
{
	struct nw_event *ev = make(NULL, "en",
	    "\"Stocks are too high,\" said Ruth Calder, a trader.",
	    "But Omid Farrokh-Zadeh of Yale University's Energy and Climate "
	    "Policy Center said that demand was rising.",
	    "\"Demand is clearly above forecasts,\" he told Reuters.", NULL);

	(void)state;
	assert_string_equal(speaker(ev, 0), "Ruth Calder");
	assert_string_equal(speaker(ev, 1), "Omid Farrokh-Zadeh");
	nw_event_free(ev);
}

/* nominal: "собеседник агентства" after "сообщили ТАСС в ведомстве" is
 * the body that told the agency, not the person named before it; with
 * no body known by name, nobody named */
static void
nominal_ru_interlocutor_after_body_told_agency(void **state)
{
	struct nw_event *ev = make(NULL, "ru",
	    "МИД Чехии выступил с заявлением. Новым послом в Берлине станет "
	    "дипломат Ян Новак. Об этом сообщили ТАСС в чешском "
	    "внешнеполитическом ведомстве.",
	    "«Кандидатура посла уже согласована с германской стороной», — "
	    "сказал собеседник агентства.",
	    NULL);
	struct nw_event *ev2 = make(NULL, "ru",
	    "Новым послом в Берлине станет дипломат Ян Новак. Об этом "
	    "сообщили ТАСС во внешнеполитическом ведомстве Чехии.",
	    "«Кандидатура посла уже согласована с германской стороной», — "
	    "сказал собеседник агентства.",
	    NULL);

	(void)state;
	assert_string_equal(speaker(ev, 0), "МИД Чехии");
	assert_null(speaker(ev2, 0));
	nw_event_free(ev);
	nw_event_free(ev2);
}

/* reported speech: a reporting verb in the passive ("the money it was
 * promised") is no cue, so a lead quotation after it takes the person
 * named next, not the place of the sentence before */
static void
cue_passive_reporting_verb_is_no_cue(void **state)
{
	struct nw_event *ev = make(NULL, "en",
	    "Two months after the storm, the village of Stone Creek is still "
	    "waiting for the repairs it was promised.",
	    "\"Every week they tell us the crews are coming, and every week "
	    "nobody comes.\"",
	    "That is how Mayor Ellen Drake described the wait on Monday.",
	    NULL);

	(void)state;
	assert_int_equal(ev->nquotes, 1);
	assert_string_equal(speaker(ev, 0), "Ellen Drake");
	nw_event_free(ev);
}

/* mentions: an outlet named in marks after its noun ("пишет газета
 * «Ведомости»") is a body, and "говорится в статье" quotes it, not the
 * person named after the quotation */
static void
mention_ru_outlet_named_in_marks(void **state)
{
	struct nw_event *ev = make(NULL, "ru",
	    "Цены на жилье в регионах растут быстрее, чем в столице, пишет "
	    "газета «Известия».",
	    "«Спрос смещается в города с населением до миллиона человек», — "
	    "говорится в статье.",
	    "Экономист Ирина Волкова считает, что рост замедлится.", NULL);

	(void)state;
	assert_string_equal(speaker(ev, 0), "Известия");
	nw_event_free(ev);
}

/* mentions: a capitalised Russian adjective and a body noun after it
 * ("Российское посольство") are one body, not the adjective alone */
static void
mention_ru_adjective_and_body_noun(void **state)
{
	struct nw_event *ev = make(NULL, "ru",
	    "Белорусское посольство в Вильнюсе выразило протест.",
	    "«Такие действия противоречат нормам права», — говорится в "
	    "заявлении "
	    "дипмиссии.",
	    NULL);

	(void)state;
	assert_string_equal(speaker(ev, 0), "Белорусское посольство");
	nw_event_free(ev);
}

/* cues: "Об этом заявил X." says nothing itself, but X spoke: the
 * quotation without a cue in the next paragraph is X's, not that of the
 * person named after it; a capitalised "Ему" opening a sentence is a
 * pronoun, no name */
static void
cue_ob_etom_sentence_makes_the_speaker(void **state)
{
	struct nw_event *ev = make(NULL, "ru",
	    "Москва ждет ответа на свои предложения. Об этом в среду заявил "
	    "журналистам министр иностранных дел Олег Чернов.",
	    "«Мы свои идеи изложили давно и очень подробно».",
	    "Ему возразил депутат Госдумы Илья Лосев: «Ждать ответа сейчас "
	    "совершенно бессмысленно».",
	    NULL);

	(void)state;
	assert_string_equal(speaker(ev, 0), "Олег Чернов");
	assert_string_equal(speaker(ev, 1), "Илья Лосев");
	nw_event_free(ev);
}

/* cues: "X was quoted by Y as saying" is the one passive that names
 * the speaker as its subject */
static void
cue_passive_quoted_as_saying_names_the_subject(void **state)
{
	struct nw_event *ev = make(NULL, "en",
	    "\"There is no date yet,\" Kremlin spokesman Dmitry Peskov said.",
	    "Earlier, US envoy Steve Witkoff was quoted by Fox News as saying "
	    "that \"both sides want the meeting well prepared.\"",
	    NULL);

	(void)state;
	assert_string_equal(speaker(ev, 0), "Dmitry Peskov");
	assert_string_equal(speaker(ev, 1), "Steve Witkoff");
	nw_event_free(ev);
}

/* mentions: an abbreviated title ("Gov.") before a name whose given name
 * the table lacks still makes a person, whom "he" then refers to */
static void
mention_abbreviated_title_before_unknown_given_name(void **state)
{
	struct nw_event *ev = make(NULL, "en",
	    "Gov. Delmar Okafor ordered the evacuation of three towns.",
	    "\"If you are told to leave, leave right away,\" he said.", NULL);

	(void)state;
	assert_string_equal(speaker(ev, 0), "Delmar Okafor");
	nw_event_free(ev);
}

/* salience: "Speaking to reporters, X toured ..." makes X the speaker of
 * the moment, so a quotation with no cue next is X's, not that of the
 * person named after it */
static void
salience_speaking_opener_makes_the_speaker(void **state)
{
	struct nw_event *ev = make(NULL, "en",
	    "Speaking to reporters near the fire line, Gov. Delmar Okafor "
	    "toured the damaged streets.",
	    "\"Houses can be rebuilt, but lives cannot be replaced.\"",
	    "\"The wind is the biggest problem we face,\" said Fire Chief "
	    "Lena Brooks.",
	    NULL);

	(void)state;
	assert_string_equal(speaker(ev, 0), "Delmar Okafor");
	assert_string_equal(speaker(ev, 1), "Lena Brooks");
	nw_event_free(ev);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(frame_genitive_after_role_is_no_speaker),
	    cmocka_unit_test(frame_medium_after_pronoun_is_no_speaker),
	    cmocka_unit_test(frame_title_of_a_work_has_no_speaker),
	    cmocka_unit_test(frame_body_after_impersonal_verb_speaks),
	    cmocka_unit_test(
		salience_pronoun_prefers_subject_over_later_object),
	    cmocka_unit_test(salience_russian_pronoun_prefers_subject),
	    cmocka_unit_test(cataphora_nominal_takes_next_fitting_person),
	    cmocka_unit_test(cataphora_lead_quote_takes_person_named_next),
	    cmocka_unit_test(cue_closing_the_sentence_speaks_for_the_quote),
	    cmocka_unit_test(cue_about_this_in_the_next_sentence),
	    cmocka_unit_test(marks_straight_mark_inside_a_word_is_no_quote),
	    cmocka_unit_test(mention_name_keeps_joined_particles),
	    cmocka_unit_test(mention_abbreviated_title_and_second_role),
	    cmocka_unit_test(explain_names_stage_and_mention),
	    cmocka_unit_test(explain_leaves_the_event_unchanged),
	    cmocka_unit_test(
		dateline_parsed_length_keeps_it_out_of_reported_speech),
	    cmocka_unit_test(salience_unnamed_subject_outranks_a_named_object),
	    cmocka_unit_test(frame_oblique_given_name_is_no_speaker),
	    cmocka_unit_test(salience_indefinite_description_is_nobody_named),
	    cmocka_unit_test(mention_body_name_ends_at_a_role_word),
	    cmocka_unit_test(mention_ru_name_after_body_in_a_run),
	    cmocka_unit_test(
		mention_ru_patronymic_and_indeclinable_in_the_nominative),
	    cmocka_unit_test(frame_possessive_owner_is_no_speaker),
	    cmocka_unit_test(mention_hyphenated_role_by_its_last_part),
	    cmocka_unit_test(
		mention_ru_adjectival_surname_read_by_the_dispatch),
	    cmocka_unit_test(mention_ru_given_names_table),
	    cmocka_unit_test(frame_quoted_pronoun_object_speaks),
	    cmocka_unit_test(mention_ru_country_adjective_before_a_ministry),
	    cmocka_unit_test(nominal_ru_title_noun_by_paradigm),
	    cmocka_unit_test(salience_pronoun_fallback_agrees_in_gender),
	    cmocka_unit_test(frame_en_object_after_verb_is_no_subject),
	    cmocka_unit_test(salience_role_word_tells_gender),
	    cmocka_unit_test(nominal_indefinite_with_dotted_acronym),
	    cmocka_unit_test(mention_particle_name_after_role_link),
	    cmocka_unit_test(nominal_modifier_matches_by_stem),
	    cmocka_unit_test(mention_role_stops_at_another_name),
	    cmocka_unit_test(nominal_capitalised_description),
	    cmocka_unit_test(salience_pronoun_after_unnamed_speaker),
	    cmocka_unit_test(mention_ru_lower_case_body_and_medium),
	    cmocka_unit_test(
		mention_ru_foreign_name_after_body_and_verb_gender),
	    cmocka_unit_test(mention_ru_press_noun_and_ex_role),
	    cmocka_unit_test(morph_ru_case_from_role_in_front),
	    cmocka_unit_test(salience_possessive_spokesman_unnamed),
	    cmocka_unit_test(mention_role_stops_after_a_two_word_name),
	    cmocka_unit_test(mention_ru_body_with_neuter_verb),
	    cmocka_unit_test(frame_statement_common_noun_refers_back),
	    cmocka_unit_test(nominal_ru_agency_interlocutor_is_last_speaker),
	    cmocka_unit_test(nominal_ru_ministry_refers_to_acronym),
	    cmocka_unit_test(
		frame_pronoun_inside_relative_clause_is_no_subject),
	    cmocka_unit_test(salience_plural_analysts_are_nobody_named),
	    cmocka_unit_test(marks_curly_opening_closed_by_straight_mark),
	    cmocka_unit_test(frame_and_inside_body_name_keeps_the_person),
	    cmocka_unit_test(nominal_ru_interlocutor_after_body_told_agency),
	    cmocka_unit_test(cue_passive_reporting_verb_is_no_cue),
	    cmocka_unit_test(mention_ru_outlet_named_in_marks),
	    cmocka_unit_test(mention_ru_adjective_and_body_noun),
	    cmocka_unit_test(cue_ob_etom_sentence_makes_the_speaker),
	    cmocka_unit_test(cue_passive_quoted_as_saying_names_the_subject),
	    cmocka_unit_test(
		mention_abbreviated_title_before_unknown_given_name),
	    cmocka_unit_test(salience_speaking_opener_makes_the_speaker),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
