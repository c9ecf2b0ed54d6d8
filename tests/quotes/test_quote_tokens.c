/* Unit tests of the quotation tokeniser's word forms (parsers/quotes.c):
 * the lower-cased form of every word, written sixteen bytes a step where
 * the paragraph allows and byte by byte near its end, must be the same
 * fold either way, and the lexicon must find the words by it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "newswire/parse.h"
#include "quote_int.h"

static void
tokenise(struct qpara *p, const char *s)
{
	memset(p, 0, sizeof *p);
	p->s = s;
	p->len = strlen(s);
	assert_int_equal(nw_qpara_tokenise(p), 0);
}

/* UTF-8 of a code point below U+0800. */
static size_t
put2(char *w, int c)
{
	if (c < 0x80) {
		w[0] = (char)c;
		return 1;
	}
	w[0] = (char)(0xc0 | (c >> 6));
	w[1] = (char)(0x80 | (c & 0x3f));
	return 2;
}

/* The fold the lexicon spells words in, for the letters these tests use,
 * written out case by case. */
static int
expect_fold(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c + 32;
	if (c == 0x401 || c == 0x451)
		return 0x435; /* Ё ё -> е */
	if (c >= 0x400 && c < 0x410)
		return c + 0x50; /* Ѐ..Џ -> ѐ..џ */
	if (c >= 0x410 && c < 0x430)
		return c + 32; /* А..Я -> а..я */
	return c;
}

/* Every letter U+0400..U+045F and A..Z, a..z, at every place of a long
 * word (the step path) and of a word at the paragraph's end (the byte
 * path): each word's form is its letters folded one by one. */
static void
every_letter_folds_the_same_on_both_paths(void **state)
{
	static const int filler[] = {0x43e, 0x41a, 'q', 0x44f};
	int cp, pos, f;
	(void)state;

	for (f = 0; f < 4; f++)
		for (cp = 0x400; cp < 0x460 + 52; cp++)
			for (pos = 0; pos < 12; pos++) {
				int c = cp < 0x460    ? cp
				    : cp < 0x460 + 26 ? 'A' + (cp - 0x460)
						      : 'a' + (cp - 0x460 - 26);
				int fc = filler[f];
				char s[256], want[256];
				size_t n = 0, wn = 0, k, t, words = 0;
				struct qpara p;

				/* a long word, then the same word last */
				for (k = 0; k < 2; k++) {
					size_t i;

					if (k)
						s[n++] = ' ';
					for (i = 0; i < 12; i++)
						n += put2(s + n,
						    i == (size_t)pos ? c : fc);
				}
				s[n] = '\0';
				for (k = 0; k < 12; k++)
					wn += put2(want + wn,
					    expect_fold(
						k == (size_t)pos ? c : fc));
				want[wn] = '\0';
				tokenise(&p, s);
				for (t = 0; t < p.ntok; t++) {
					if (!(p.tok[t].flags & QF_WORD))
						continue;
					/* a word of both scripts is one
					 * word: the runs join */
					words++;
					if (strcmp(q_low(&p, t), want) != 0)
						fail_msg("U+%04X at %d (filler "
							 "U+%04X): '%s', not "
							 "'%s'",
						    c, pos, fc, q_low(&p, t),
						    want);
				}
				assert_int_equal(words, 2);
				nw_qpara_free(&p);
			}
}

/* Words of every length around the step of sixteen bytes, in capitals,
 * still reach the lexicon (its hash reads eight bytes a step). */
static void
capital_words_of_any_length_reach_the_lexicon(void **state)
{
	static const struct {
		const char *s, *w;
		uint32_t cls;
	} cases[] = {
	    {"Officials say the SPOKESWOMAN spoke.", "SPOKESWOMAN", QL_TITLE},
	    {"SPOKESWOMAN", "SPOKESWOMAN", QL_TITLE},
	    {"Она ЗАЯВИЛА об этом в четверг вечером в Москве.", "ЗАЯВИЛА",
		QL_VERB | QL_FEM},
	    {"В четверг вечером в Москве об этом Заявил", "Заявил",
		QL_VERB | QL_MASC},
	    {"The minister said on Thursday evening in Moscow.", "said",
		QL_VERB},
	    {"ACCORDING TO THE MINISTRY OF ENERGY, PRICES ROSE.", "ACCORDING",
		QL_CUEHEAD},
	};
	size_t i, t;
	(void)state;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct qpara p;
		size_t wl = strlen(cases[i].w);
		int found = 0;

		tokenise(&p, cases[i].s);
		for (t = 0; t < p.ntok; t++)
			if ((p.tok[t].flags & QF_WORD) &&
			    p.tok[t].e - p.tok[t].b == wl &&
			    memcmp(p.s + p.tok[t].b, cases[i].w, wl) == 0) {
				found = 1;
				if ((p.tok[t].lex & cases[i].cls) !=
				    cases[i].cls)
					fail_msg("%s: classes %#x", cases[i].w,
					    (unsigned)p.tok[t].lex);
			}
		assert_true(found);
		nw_qpara_free(&p);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(every_letter_folds_the_same_on_both_paths),
	    cmocka_unit_test(capital_words_of_any_length_reach_the_lexicon),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
