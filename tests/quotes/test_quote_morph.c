/* Unit tests of the Russian surname paradigms (parsers/quote_morph.c):
 * every case of every surname type back to the nominative, the gender a
 * nominative shows, and the forms that inflect a known surname. The names
 * are made up. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "quote_int.h"

static void
check_nom(const char *form, int gender, const char *want)
{
	char *got = nw_qmorph_surname_nom(form, gender);

	assert_non_null(got);
	if (strcmp(got, want) != 0)
		fail_msg("%s (gender %c): %s, want %s", form,
		    gender ? gender : '0', got, want);
	free(got);
}

/* a man's and a woman's surname of each type, in each case, with the
 * gender known (from a given name or a verb) */
static void
morph_every_case_back_to_the_nominative(void **state)
{
	static const struct {
		const char *nom, *forms[5];
		int g;
	} cases[] = {
	    {"сорокин",
		{"сорокина", "сорокину", "сорокина", "сорокиным", "сорокине"},
		'm'},
	    {"сорокина",
		{"сорокиной", "сорокиной", "сорокину", "сорокиной",
		    "сорокиной"},
		'f'},
	    {"бельтюков",
		{"бельтюкова", "бельтюкову", "бельтюкова", "бельтюковым",
		    "бельтюкове"},
		'm'},
	    {"бельтюкова",
		{"бельтюковой", "бельтюковой", "бельтюкову", "бельтюковой",
		    "бельтюковой"},
		'f'},
	    {"гурьев", {"гурьева", "гурьеву", "гурьева", "гурьевым", "гурьеве"},
		'm'},
	    {"ольшанский",
		{"ольшанского", "ольшанскому", "ольшанского", "ольшанским",
		    "ольшанском"},
		'm'},
	    {"ольшанская",
		{"ольшанской", "ольшанской", "ольшанскую", "ольшанской",
		    "ольшанской"},
		'f'},
	    {"брацкий",
		{"брацкого", "брацкому", "брацкого", "брацким", "брацком"},
		'm'},
	    {"брацкая", {"брацкой", "брацкой", "брацкую", "брацкой", "брацкой"},
		'f'},
	};
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		check_nom(cases[i].nom, cases[i].g, cases[i].nom);
		for (k = 0; k < 5; k++)
			check_nom(cases[i].forms[k], cases[i].g, cases[i].nom);
	}
}

/* without the gender: a man's reading of an ambiguous form, a woman's
 * where only she fits; consonant, -й and -ец surnames in the genitive;
 * an adjectival surname */
static void
morph_gender_unknown_reads_the_genitive(void **state)
{
	(void)state;
	check_nom("бельтюкова", 0, "бельтюков");
	check_nom("бельтюковой", 0, "бельтюкова");
	check_nom("гамбарян", 0, "гамбарян");
	check_nom("гамбаряна", 0, "гамбарян");
	check_nom("горностая", 'm', "горностай");
	/* "-ая" read as a woman's nominative (Бережная) before a man's
	 * genitive of "-ай" when nothing tells the gender */
	check_nom("горностая", 0, "горностая");
	check_nom("мельниченца", 0, "мельниченец");
	check_nom("пригожего", 0, "пригожий");
	check_nom("горького", 0, "горький");
	check_nom("горькой", 'f', "горькая");
	check_nom("кругленькой", 0, "кругленькая");
	check_nom("кругленькая", 0, "кругленькая");
	/* a woman's consonant surname does not decline */
	check_nom("гамбарян", 'f', "гамбарян");
}

/* a name that ends in a vowel and does not decline stays as it is: a
 * one-letter dative or prepositional ending is not read */
static void
morph_indeclinable_names_stay(void **state)
{
	(void)state;
	check_nom("тарамбу", 0, "тарамбу");
	check_nom("гриценко", 0, "гриценко");
	check_nom("гамбаряне", 0, "гамбаряне");
}

static void
morph_nominative_shows_gender(void **state)
{
	(void)state;
	assert_int_equal(nw_qmorph_surname_gender("бельтюкова"), 'f');
	assert_int_equal(nw_qmorph_surname_gender("бельтюков"), 'm');
	assert_int_equal(nw_qmorph_surname_gender("ольшанская"), 'f');
	assert_int_equal(nw_qmorph_surname_gender("ольшанский"), 'm');
	/* an adjective or a consonant shows none */
	assert_int_equal(nw_qmorph_surname_gender("кругленькая"), 0);
	assert_int_equal(nw_qmorph_surname_gender("гамбарян"), 0);
	assert_true(nw_qmorph_surname_in_case("ольшанской", 'f', NW_QCASE_GEN));
	assert_true(nw_qmorph_surname_in_case("гурьева", 'm', NW_QCASE_GEN));
	assert_false(nw_qmorph_surname_in_case("гурьеву", 'm', NW_QCASE_GEN));
}

static void
morph_forms_inflect_their_nominative(void **state)
{
	(void)state;
	assert_true(nw_qmorph_inflects("сорокин", "сорокиным"));
	assert_true(nw_qmorph_inflects("ольшанская", "ольшанскую"));
	assert_true(nw_qmorph_inflects("гамбарян", "гамбаряну"));
	assert_true(nw_qmorph_inflects("мельниченец", "мельниченца"));
	assert_true(nw_qmorph_inflects("кочерга", "кочерги"));
	/* another name sharing the stem, another gender's case */
	assert_false(nw_qmorph_inflects("сорокин", "сорокинский"));
	assert_false(nw_qmorph_inflects("сорокин", "сорокиной"));
}

/* patronymics: every case of each suffix back to the nominative, with
 * its gender; a word with no patronymic suffix is none */
static void
morph_patronymic_every_case(void **state)
{
	static const struct {
		const char *nom, *forms[5];
		int g;
	} cases[] = {
	    {"петрович",
		{"петровича", "петровичу", "петровича", "петровичем",
		    "петровиче"},
		'm'},
	    {"андреевич",
		{"андреевича", "андреевичу", "андреевича", "андреевичем",
		    "андреевиче"},
		'm'},
	    {"фомич", {"фомича", "фомичу", "фомича", "фомичом", "фомиче"}, 'm'},
	    {"петровна",
		{"петровны", "петровне", "петровну", "петровной", "петровне"},
		'f'},
	    {"андреевна",
		{"андреевны", "андреевне", "андреевну", "андреевной",
		    "андреевне"},
		'f'},
	    {"фоминична",
		{"фоминичны", "фоминичне", "фоминичну", "фоминичной",
		    "фоминичне"},
		'f'},
	};
	size_t i, k;
	int g;
	char *got;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		for (k = 0; k < 5; k++) {
			g = 0;
			got = nw_qmorph_patronymic_nom(cases[i].forms[k], &g);
			assert_non_null(got);
			if (strcmp(got, cases[i].nom) != 0)
				fail_msg("%s: %s, want %s", cases[i].forms[k],
				    got, cases[i].nom);
			assert_int_equal(g, cases[i].g);
			free(got);
		}
		got = nw_qmorph_patronymic_nom(cases[i].nom, &g);
		assert_string_equal(got, cases[i].nom);
		free(got);
	}
	assert_null(nw_qmorph_patronymic_nom("петрова", NULL));
	assert_null(nw_qmorph_patronymic_nom("ирины", NULL));
}

/* title nouns: every case back to the nominative of the table; a word
 * that only looks like one is none */
static void
morph_title_nouns_every_case(void **state)
{
	static const struct {
		const char *form, *nom;
	} cases[] = {
	    {"канцлера", "канцлер"},
	    {"канцлеру", "канцлер"},
	    {"канцлером", "канцлер"},
	    {"канцлере", "канцлер"},
	    {"спикеру", "спикер"},
	    {"секретарем", "секретарь"},
	    {"руководителю", "руководитель"},
	    {"главой", "глава"},
	    {"главе", "глава"},
	    {"судьей", "судья"},
	    {"судьи", "судья"},
	    {"премьер-министром", "премьер-министр"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *got = nw_qmorph_title_nom(cases[i].form);

		if (got == NULL || strcmp(got, cases[i].nom) != 0)
			fail_msg("%s: %s, want %s", cases[i].form,
			    got ? got : "(none)", cases[i].nom);
	}
	/* every nominative of the table, in the dative (the prefix masks
	 * must let each through) */
	{
		static const char *const noms[] = {"адмиралу", "академику",
		    "аналитику", "вице-губернатору", "вице-канцлеру",
		    "вице-мэру", "вице-президенту", "вице-премьеру",
		    "вице-спикеру", "генералу", "генконсулу", "генпрокурору",
		    "генсеку", "генсекретарю", "главе", "госсекретарю",
		    "губернатору", "депутату", "дипломату", "директору",
		    "заместителю", "зампреду", "канцлеру", "командиру",
		    "консулу", "королю", "лидеру", "министру", "мэру",
		    "начальнику", "омбудсмену", "политологу", "полпреду",
		    "помощнику", "посланнику", "постпреду", "председателю",
		    "президенту", "премьеру", "премьер-министру",
		    "представителю", "пресс-секретарю", "прокурору",
		    "профессору", "ректору", "руководителю", "секретарю",
		    "сенатору", "советнику", "сопредседателю",
		    "спецпредставителю", "спикеру", "судье", "экономисту",
		    "эксперту"};
		size_t k;

		for (k = 0; k < sizeof noms / sizeof noms[0]; k++)
			if (nw_qmorph_title_nom(noms[k]) == NULL)
				fail_msg("%s: no title", noms[k]);
	}
	assert_null(nw_qmorph_title_nom("канцелярия"));
	assert_null(nw_qmorph_title_nom("министерство"));
}

/* a surname read in the case its given name shows: the instrumental of a
 * consonant surname after ц is -ем, and no -й or -ь reading takes it */
static void
morph_surname_in_a_known_case(void **state)
{
	char *got;

	(void)state;
	got = nw_qmorph_surname_nom_case("мерцем", 'm', 4);
	assert_string_equal(got, "мерц");
	free(got);
	got = nw_qmorph_surname_nom_case("гайдаем", 'm', 4);
	assert_string_equal(got, "гайдай");
	free(got);
	got = nw_qmorph_surname_nom_case("туском", 'm', 4);
	assert_string_equal(got, "туск");
	free(got);
	got = nw_qmorph_surname_nom_case("лавровым", 'm', 4);
	assert_string_equal(got, "лавров");
	free(got);
	got = nw_qmorph_surname_nom_case("захаровой", 'f', 1);
	assert_string_equal(got, "захарова");
	free(got);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(morph_title_nouns_every_case),
	    cmocka_unit_test(morph_surname_in_a_known_case),
	    cmocka_unit_test(morph_patronymic_every_case),
	    cmocka_unit_test(morph_every_case_back_to_the_nominative),
	    cmocka_unit_test(morph_gender_unknown_reads_the_genitive),
	    cmocka_unit_test(morph_indeclinable_names_stay),
	    cmocka_unit_test(morph_nominative_shows_gender),
	    cmocka_unit_test(morph_forms_inflect_their_nominative),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
