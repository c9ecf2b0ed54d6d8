/* Unit tests of the cue-frame stage (parsers/quote_frames.c): the table
 * and its matcher on tokenised sentences, and the speaker each frame gives
 * once the whole stage runs, on sentences written for these tests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "newswire/parse.h"
#include "quote_int.h"

/* Token index of the n-th word w in p, SIZE_MAX when absent. */
static size_t
tok_of(const struct qpara *p, const char *w)
{
	size_t t;

	for (t = 0; t < p->ntok; t++)
		if ((p->tok[t].flags & QF_WORD) &&
		    (size_t)(p->tok[t].e - p->tok[t].b) == strlen(w) &&
		    memcmp(p->s + p->tok[t].b, w, strlen(w)) == 0)
			return t;
	return SIZE_MAX;
}

static void
tokenise(struct qpara *p, const char *s)
{
	memset(p, 0, sizeof *p);
	p->s = s;
	p->len = strlen(s);
	assert_int_equal(nw_qpara_tokenise(p), 0);
}

static void
frames_table_is_sorted(void **state)
{
	(void)state;
	assert_true(nw_qframe_selfcheck());
}

/* a phrase frame matches its words and the classes it names, and is as
 * long as its words; it never runs past the clause end given */
static void
frames_phrase_matches_words_and_classes(void **state)
{
	static const struct {
		const char *s, *head;
		enum nw_qframe_slot slot;
		size_t n;
	} cases[] = {
	    {"According to the ministry, prices rose.", "According", QFS_AFTER,
		2},
	    {"In her words, the plan works.", "In", QFS_INSIDE, 3},
	    {"По его словам, план работает.", "По", QFS_INSIDE, 3},
	    {"По мнению эксперта, план работает.", "По", QFS_AFTER, 2},
	    {"Об этом говорится в заявлении министерства.", "говорится",
		QFS_STATEMENT, 3},
	};
	struct qpara p;
	size_t i, n, t;
	const struct nw_qframe *f;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		tokenise(&p, cases[i].s);
		t = tok_of(&p, cases[i].head);
		assert_true(t != SIZE_MAX);
		f = nw_qframe_phrase(&p, t, p.ntok, &n);
		assert_non_null(f);
		assert_int_equal(f->slot, cases[i].slot);
		assert_int_equal(n, cases[i].n);
		/* cut before its last word, it is no frame */
		assert_null(nw_qframe_phrase(&p, t, t + n - 1, &n));
		nw_qpara_free(&p);
	}
	/* "in his" without "words", "по дороге": no frame */
	tokenise(&p, "In his office, he said. По дороге домой.");
	assert_null(nw_qframe_phrase(&p, tok_of(&p, "In"), p.ntok, &n));
	assert_null(nw_qframe_phrase(&p, tok_of(&p, "По"), p.ntok, &n));
	nw_qpara_free(&p);
}

/* a verb frame bounds the speaker's slot by its mark within the clause */
static void
frames_verb_mark_stays_in_the_clause(void **state)
{
	struct qpara p;
	const struct nw_qframe *f;
	size_t v;

	(void)state;
	tokenise(
	    &p, "The agency quoted the mayor as saying the bridge was safe.");
	v = tok_of(&p, "quoted");
	assert_non_null(f = nw_qframe_verb(&p, v));
	assert_int_equal(f->slot, QFS_BETWEEN);
	assert_int_equal(
	    nw_qframe_mark(&p, f, v + 1, p.ntok), tok_of(&p, "as"));
	nw_qpara_free(&p);
	tokenise(&p,
	    "The agency quoted the mayor, who said it was safe, as "
	    "saying more.");
	v = tok_of(&p, "quoted");
	f = nw_qframe_verb(&p, v);
	assert_int_equal(nw_qframe_mark(&p, f, v + 1, p.ntok), SIZE_MAX);
	/* a reporting verb with no frame */
	assert_null(nw_qframe_verb(&p, tok_of(&p, "said")));
	nw_qpara_free(&p);
	/* in the passive the subject is the one quoted: no frame */
	tokenise(
	    &p, "The mayor was quoted by the agency as saying it was safe.");
	assert_null(nw_qframe_verb(&p, tok_of(&p, "quoted")));
	nw_qpara_free(&p);
}

static struct nw_event *
make(const char *lang, const char *para)
{
	struct nw_event *ev = nw_event_new();

	assert_non_null(ev);
	memcpy(ev->language, lang, 3);
	assert_int_equal(nw_strv_push(&ev->body, para), 0);
	nw_quotes_extract(ev);
	return ev;
}

static const char *
first_speaker(const struct nw_event *ev)
{
	size_t k;

	for (k = 0; k < ev->nquotes; k++) {
		if (ev->quotes[k].kind == NW_QUOTE_INDIRECT)
			continue;
		if (ev->quotes[k].speaker < 0)
			return "(none)";
		return ev->speakers[ev->quotes[k].speaker].name;
	}
	return "(no quotation)";
}

/* the one quoted speaks, not the one quoting, in every verb frame; the
 * phrase frames give the one named after them */
static void
frames_give_the_one_quoted_as_speaker(void **state)
{
	static const struct {
		const char *lang, *para, *who;
	} cases[] = {
	    {"en",
		"The Northern Daily quoted Mayor Lukas Brandt as saying: "
		"\"The bridge will reopen before the winter comes.\"",
		"Lukas Brandt"},
	    {"en",
		"Mayor Lukas Brandt was quoted by the Northern Daily as "
		"saying: \"The bridge will reopen before the winter comes.\"",
		"Lukas Brandt"},
	    {"ru",
		"Пресс-служба губернатора приводит слова Ивана Котова: "
		"«Мост откроют до начала зимы».",
		"Иван Котов"},
	    {"ru",
		"«Мост откроют до начала зимы», - цитирует Ивана Котова "
		"пресс-служба губернатора.",
		"Иван Котов"},
	    {"en",
		"According to port director Maria Lindqvist, \"the harbour "
		"will stay closed until the storm passes.\"",
		"Maria Lindqvist"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct nw_event *ev = make(cases[i].lang, cases[i].para);

		assert_string_equal(first_speaker(ev), cases[i].who);
		nw_event_free(ev);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(frames_table_is_sorted),
	    cmocka_unit_test(frames_phrase_matches_words_and_classes),
	    cmocka_unit_test(frames_verb_mark_stays_in_the_clause),
	    cmocka_unit_test(frames_give_the_one_quoted_as_speaker),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
