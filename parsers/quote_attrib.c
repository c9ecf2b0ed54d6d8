/* Attribution: who said each quotation. Reads the clause after a quotation
 * ("...," he said / said X, head of Y / », — заявил X) and the clause
 * before it (X said: / X noted that / По словам X, / When asked ..., X
 * said), finds the reporting verb and its subject, and resolves pronouns
 * and nominal references ("the minister") to the most recent compatible
 * person or body. Reported speech without marks is quote_reported.c. */
#include <stdlib.h>
#include <string.h>

#include "quote_attrib.h"
#include "quote_int.h"

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int
is_word(const struct qpara *p, size_t t)
{
	return (p->tok[t].flags & QF_WORD) != 0;
}

static int
is_lower_word(const struct qpara *p, size_t t)
{
	return is_word(p, t) && !(p->tok[t].flags & QF_CAP);
}

static int
tok_is(const struct qpara *p, size_t t, const char *w)
{
	return t < p->ntok && strcmp(q_low(p, t), w) == 0;
}

/* An English auxiliary of the passive before a participle ("was
 * promised", "had been told"). */
static int
passive_aux(const struct qpara *p, size_t t)
{
	const char *w;
	size_t n = p->tok[t].e - p->tok[t].b;

	if (n < 2 || n > 5 || !is_word(p, t) || (p->tok[t].flags & QF_CYR))
		return 0;
	w = q_low(p, t);
	switch (n) { /* by length: one or two compares */
	case 2:
		return strcmp(w, "be") == 0 || strcmp(w, "is") == 0;
	case 3:
		return strcmp(w, "was") == 0;
	case 4:
		return strcmp(w, "been") == 0 || strcmp(w, "were") == 0;
	default:
		return strcmp(w, "being") == 0;
	}
}

/* Is token t a reporting verb (and what kind)? */
uint32_t
nw_qattr_verb_at(const struct qctx *c, const struct qpara *p, size_t t)
{
	uint32_t v;

	if (!is_word(p, t) || p->tok[t].span >= 0)
		return 0;
	if ((p->tok[t].flags & QF_CAP) && !(p->tok[t].flags & QF_SSTART))
		return 0;
	v = p->tok[t].verb;
	if (!(v & (QL_VERB | QL_PART)))
		return 0;
	/* "the money it was promised": a passive tells of no speaker;
	 * but "X was quoted (by Y) as saying" names the one quoted */
	if ((v & QL_VERB) && t > 0 && passive_aux(p, t - 1) &&
	    !tok_is(p, t, "quoted"))
		return 0;
	/* pointed out, summed up, went on */
	if (v & QL_PREPOS) {
		if (t + 1 >= p->ntok || !(q_func(p, t + 1) & QFN_PARTICLE))
			return 0;
	}
	return v;
}

void
nw_qattr_cue_fill(const struct qctx *c, const struct qpara *p, size_t t,
    uint32_t v, struct cue *cu)
{
	size_t n = strlen(q_low(p, t));

	memset(cu, 0, sizeof *cu);
	cu->v = t;
	cu->vend = t + 1;
	cu->cue2 = SIZE_MAX;
	cu->cls = v;
	if (v & QL_FEM)
		cu->gender = 'f';
	else if (v & QL_MASC)
		cu->gender = 'm';
	(void)c;
	(void)n;
	if (v & QL_PREPOS) {
		cu->cue2 = t + 1;
		cu->vend = t + 2;
	} else if (t + 1 < p->ntok && (p->tok[t + 1].lex & QL_ADDR) &&
	    is_word(p, t + 1)) {
		cu->cue2 = t + 1; /* told TASS */
	}
	/* "said in a statement", "говорится в сообщении" */
	if (t + 3 < p->ntok &&
	    (tok_is(p, t + 1, "in") || tok_is(p, t + 1, "в")) &&
	    ((p->tok[t + 2].lex & QL_STATEMENT) ||
		(p->tok[t + 3].lex & QL_STATEMENT)))
		cu->org = 1;
}

/* A cue phrase of the frame table at token t ("according to X", "по
 * словам X", "in his words", "говорится в сообщении X"): fills *cu and
 * returns its frame, or NULL. */
const struct nw_qframe *
nw_qattr_phrase_cue_at(
    const struct qpara *p, size_t t, size_t end, struct cue *cu)
{
	const struct nw_qframe *f;
	size_t n;

	if ((f = nw_qframe_phrase(p, t, end, &n)) == NULL)
		return NULL;
	memset(cu, 0, sizeof *cu);
	cu->v = t;
	cu->vend = t + n;
	cu->cls = QL_VERB;
	switch (f->slot) {
	case QFS_STATEMENT: /* the body speaks; its name follows */
		cu->cue2 = SIZE_MAX;
		cu->org = 2;
		break;
	case QFS_INSIDE: /* the pronoun is the subject */
		cu->cue2 = t + n - 1;
		cu->vend = t + 1;
		cu->accord = 1;
		break;
	default: /* X in the genitive or after "to" */
		cu->cue2 = t + n - 1;
		cu->accord = 1;
		break;
	}
	return f;
}

/* ---- resolving a noun phrase ---- */

static size_t
skip_adverbials(const struct qpara *p, size_t a, size_t b)
{
	while (a < b && !is_word(p, a) && !(p->tok[a].flags & QF_MARK))
		a++;
	return a;
}

/* A comma chunk that names nobody: "in turn", "for his part", "however". */
static int
chunk_adverbial(const struct qpara *p, size_t a, size_t b)
{
	size_t t;

	for (t = a; t < b; t++)
		if (is_word(p, t) &&
		    !(p->tok[t].lex & (QL_ADV | QL_PREP | QL_DET)))
			return 0;
	return 1;
}

/* "who is working aboard the ISS": a relative clause. */
static int
chunk_relative(const struct qpara *p, size_t a, size_t b)
{
	a = skip_adverbials(p, a, b);
	return a < b && (q_func(p, a) & QFN_REL);
}

/* "head of the agency", "an analyst at X", "the project's supervisor":
 * a role standing beside a name. */
int
nw_qattr_chunk_role(const struct qpara *p, size_t a, size_t b)
{
	size_t t;

	a = skip_adverbials(p, a, b);
	if (a >= b)
		return 0;
	for (t = a; t < b && t < a + 6; t++) {
		if (!is_word(p, t))
			continue;
		if (p->tok[t].lex & (QL_DET | QL_INDEF | QL_NAT))
			continue;
		if (p->tok[t].flags & QF_POSS)
			continue;
		if (p->tok[t].lex & QL_TITLE)
			return 1;
		if (is_lower_word(p, t))
			continue;
		return 0;
	}
	return 0;
}

/* Does [a, b) hold a capitalised word that is no role, place or body
 * word (a name)? */
int
nw_qattr_chunk_names(const struct qpara *p, size_t a, size_t b)
{
	size_t t;
	int g;

	for (t = a; t < b; t++) {
		const struct qtok *k = &p->tok[t];

		if (!nw_qnames_is_name_tok(p, t) || (k->flags & QF_UPPER))
			continue;
		if (k->lex & (QL_GIVEN_M | QL_GIVEN_F))
			return 1;
		if ((k->flags & QF_CYR) && nw_qlex_ru_given(q_low(p, t), &g))
			return 1;
	}
	return 0;
}

static int
run_tok(const struct qpara *p, size_t t)
{
	if (p->tok[t].flags & QF_MARK)
		return (p->tok[t].flags & QF_INLINE) != 0;
	if (!nw_qnames_is_name_tok(p, t))
		return 0;
	return 1;
}

/* Capitalised words the lexicon knows nothing of: a name. */
static int
plain_run(const struct qpara *p, size_t t, size_t r)
{
	for (; t < r; t++)
		if ((p->tok[t].lex &
			~(QL_ASIAN | QL_PARTICLE | QL_GIVEN_M | QL_GIVEN_F)) ||
		    (p->tok[t].flags & (QF_UPPER | QF_MARK)))
			return 0;
	return 1;
}

/* "van der" in "Jorrit van der Meer": particles before a capital. */
static int
particle_run(const struct qpara *p, size_t r, size_t b)
{
	while (r < b && (p->tok[r].lex & QL_PARTICLE) &&
	    !(p->tok[r].flags & QF_CAP))
		r++;
	return r < b && run_tok(p, r) && r > 0 &&
	    (p->tok[r - 1].lex & QL_PARTICLE);
}

/* Frames: is the capitalised run [t, r) of chunk [a, b) a complement of
 * another noun rather than the head of the subject? Two shapes: the object
 * of a preposition that either follows the head ("она в эфире радио X",
 * "the minister at the X forum") or opens the chunk with the head after it
 * ("в Telegram-канале российская дипмиссия"); and a genitive right after a
 * role noun ("представитель Кремля", "Президент РФ"). A preposition that
 * opens a chunk after the verb and holds all of it ("заявили в МИД") is
 * where a body speaks, and stays; before the verb it never is the subject
 * ("... с Москвой, отметил X"). */
enum { CMP_NONE, CMP_AFTER_HEAD, CMP_OPENS };

static int
run_is_complement(const struct qpara *p, size_t a, size_t b, size_t t, size_t r,
    int after, int plural)
{
	size_t k = t;

	/* "президент Сербии Имя Фамилия": three words or more are the
	 * genitive and then the name (person_in_run splits them), unless
	 * every word is in the genitive ("представитель МИД Южной Кореи":
	 * all of it completes the role) */
	if (t > a && is_word(p, t - 1) &&
	    (p->tok[t - 1].lex & (QL_TITLE | QL_NOMINAL)) &&
	    !(p->tok[t - 1].lex & (QL_ORG | QL_ORGSUB | QL_PREP)) &&
	    (p->tok[t].flags & QF_CYR) && !(p->tok[t - 1].flags & QF_POSS))
		return r - t < 3 || nw_qnames_ru_all_genitive(p, t, r)
		    ? CMP_AFTER_HEAD
		    : CMP_NONE;
	/* "Президент РФ": a run led by a role word, with no name in it, is
	 * that role and its genitive: a nominal reference */
	if ((p->tok[t].flags & QF_CYR) && r - t >= 2 && r - t < 3 &&
	    (p->tok[t].lex & (QL_TITLE | QL_NOMINAL)) &&
	    !(p->tok[t].lex & (QL_ORG | QL_ORGSUB | QL_ORGNAME)))
		return CMP_AFTER_HEAD;
	while (k > a && is_word(p, k - 1) &&
	    !(p->tok[k - 1].flags & QF_CAP &&
		!(p->tok[k - 1].flags & QF_SSTART)) &&
	    !(p->tok[k - 1].lex & (QL_PREP | QL_STOP | QL_VERB)))
		k--;
	/* the chunk may start right after its preposition ("в" skipped
	 * with the addressees) */
	if (k == a && a > 0 && is_word(p, a - 1) &&
	    (p->tok[a - 1].lex & QL_PREP) &&
	    !(q_func(p, a - 1) & QFN_GENLINK)) {
		while (r < b && !is_word(p, r))
			r++;
		return r < b ? CMP_OPENS : CMP_NONE;
	}
	if (k <= a || !(p->tok[k - 1].lex & QL_PREP) ||
	    (q_func(p, k - 1) & QFN_GENLINK))
		return CMP_NONE;
	if (k - 1 > a)
		return CMP_AFTER_HEAD;
	/* "В МИД РФ заявили": with a plural verb and no subject, the body
	 * the preposition holds is where it was said */
	while (r < b && !is_word(p, r))
		r++;
	if (!after)
		return plural ? CMP_NONE : CMP_OPENS;
	return r < b ? CMP_OPENS : CMP_NONE;
}

/* Is token t a Russian given name not in the nominative (Павлу, Анной)? */
static int
ru_given_oblique(const struct qpara *p, size_t t)
{
	const char *nom;
	int g;

	if (!(p->tok[t].flags & QF_CYR) || !nw_qnames_is_name_tok(p, t))
		return 0;
	nom = nw_qlex_ru_given(q_low(p, t), &g);
	return nom != NULL && strcmp(nom, q_low(p, t)) != 0;
}

/* Whom an interlocutor noun can belong to: the agency or outlet that
 * talked to the speaker ("собеседник агентства", "собеседница
 * издания", "собеседник ТАСС"). As data; the genitive forms. */
static const char *const outlet_nouns[] = {
    "агентства",
    "газеты",
    "издания",
    "портала",
    "радиостанции",
    "телеканала",
};

/* "собеседник агентства": token t is the noun of the one who talked to
 * the outlet (the next word is an outlet noun or a capitalised name of
 * one); alone or with an adjective it describes no one ("собеседник в
 * правительстве" is a source). */
static int
interlocutor(const struct qpara *p, size_t t, size_t b)
{
	const char *w;
	size_t i;

	if (!(p->tok[t].flags & QF_CYR) || t + 1 >= b || !is_word(p, t + 1))
		return 0;
	w = q_low(p, t);
	if (strncmp(w, "собеседни", strlen("собеседни")) != 0)
		return 0;
	if ((p->tok[t + 1].flags & QF_UPPER) && (p->tok[t + 1].lex & QL_ADDR))
		return 1;
	w = q_low(p, t + 1);
	for (i = 0; i < sizeof outlet_nouns / sizeof outlet_nouns[0]; i++)
		if (strcmp(w, outlet_nouns[i]) == 0)
			return 1;
	return 0;
}

/* The entity a noun phrase [a, b) (one comma chunk) names. role: tokens
 * [ra, rb) of a role beside it. */
static struct subj
resolve_chunk(struct qctx *c, const struct qpara *p, size_t a, size_t b,
    int oblique, int g, size_t ra, size_t rb, int after)
{
	struct subj s = {S_NONE, -1};
	size_t t, r, best_a = 0, best_b = 0, head = SIZE_MAX, tn;
	size_t desc = SIZE_MAX; /* head of a capitalised description */
	int have = 0, best_given = -1, best_org = 0, cmp;
	size_t na; /* the noun phrase starts after any complement before */
	uint64_t pos = q_pos(p, b);

	a = skip_adverbials(p, a, b);
	if (a >= b)
		return s;
	na = a;
	/* nobody named: "a resident", "one teacher", "одна из жительниц" */
	if ((p->tok[a].lex & QL_INDEF) &&
	    !(p->tok[a].flags & QF_CAP && !(p->tok[a].flags & QF_SSTART))) {
		s.kind = S_NULL;
		return s;
	}
	/* capitalised runs: the person or body named */
	for (t = a; t < b;) {
		int given = 0, org = 0, gg;
		size_t k, h, kg = 0;

		if (!run_tok(p, t) || (p->tok[t].flags & QF_MARK) ||
		    (p->tok[t].lex &
			(QL_DET | QL_ADV | QL_STOP | QL_PREP | QL_INDEF |
			    QL_PRON_M | QL_PRON_F | QL_PRON_PL | QL_PRON_IT)) ||
		    ((p->tok[t].lex & QL_ADDR) &&
			!(p->tok[t].lex & QL_ORGNAME))) {
			t++;
			continue;
		}
		r = t;
		while (r < b && (run_tok(p, r) || particle_run(p, r, b))) {
			r++;
			if (p->tok[r - 1].flags & QF_POSS)
				break;
		}
		/* "представитель МИД КНР Линь Цзянь": the body completes the
		 * role, the name after it is the person */
		if ((k = nw_qnames_ru_name_after_body(p, a, t, r)) < r) {
			if (!have ||
			    (after ? 3 > best_given : 3 >= best_given)) {
				best_a = k;
				best_b = r;
				best_given = 3;
				best_org = 0;
				have = 1;
			}
			t = r;
			continue;
		}
		/* lower-case body words after: "Kremlin press service" */
		h = r;
		for (k = r; k < b && k < r + 3 && is_lower_word(p, k); k++) {
			/* "слова Ющенко его пресс-служба": a pronoun
			 * starts another noun phrase */
			if (p->tok[k].lex &
			    (QL_STOP | QL_VERB | QL_PREP | QL_DET | QL_PRON_M |
				QL_PRON_F | QL_PRON_PL | QL_PRON_IT))
				break;
			if (p->tok[k].lex & (QL_ORG | QL_ORGSUB))
				h = k + 1;
		}
		for (k = t; k < r; k++) {
			if (!(p->tok[k].flags & QF_MARK) &&
			    (p->tok[k].lex & (QL_ORG | QL_ORGNAME)) &&
			    !((p->tok[k].lex & QL_ADDR) && r - t == 1))
				org = 1;
			if (nw_qnames_is_name_tok(p, k) &&
			    ((p->tok[k].lex & (QL_GIVEN_M | QL_GIVEN_F)) ||
				((p->tok[k].flags & QF_CYR) &&
				    nw_qlex_ru_given(q_low(p, k), &gg)))) {
				if (!given)
					kg = k;
				given = 1;
			}
		}
		if (h > r)
			org = 1;
		/* "Министерство обороны РФ сообщило": the body's name goes
		 * on in lower-case genitives; "РФ" is part of it, no body
		 * of its own */
		if (org && h == r && (p->tok[t].flags & QF_CYR)) {
			size_t h2 = nw_qnames_org_tail(p, t, r, b), j;

			/* not over a person's name after the body ("аналитик
			 * Фонда энергетической политики Дарья X") */
			for (j = r; j < h2; j++)
				if ((p->tok[j].flags & QF_CAP) &&
				    ((p->tok[j].lex &
					 (QL_GIVEN_M | QL_GIVEN_F)) ||
					nw_qlex_ru_given(q_low(p, j), &gg)))
					break;
			if (j == h2)
				h = h2;
		}
		/* "the Roscosmos official": a modifier of a person noun;
		 * "Prime Minister X's spokesman": a possessive one, whoever it
		 * names (the speaker is the spokesman, named or not) */
		if (h == r && r < b && is_lower_word(p, r) &&
		    (p->tok[r].lex & (QL_NOMINAL | QL_TITLE)) &&
		    !(p->tok[r].lex & QL_ORG) &&
		    (!given || (p->tok[r - 1].flags & QF_POSS))) {
			t = r;
			continue;
		}
		/* how surely the run names a person: a given name, a role
		 * and a name after it ("Ministry Spokesperson Mao Ning"), a
		 * surname known already, two or three unknown capitalised
		 * words; a body otherwise */
		if (!given && r - t == 1 && (p->tok[t].flags & QF_UPPER) &&
		    !(p->tok[t].lex & (QL_TITLE | QL_NAT | QL_ADDR)))
			org = 1; /* "the CNSA said": an acronym is a body */
		/* "the Oklahoma Republican said": capitalised words after
		 * "the" that name no one known describe a person; the last
		 * is the head of a nominal reference */
		if (!given && !org && t > a && tok_is(p, t - 1, "the") &&
		    r - t <= 3 && plain_run(p, t, r) &&
		    !nw_qnames_titled(p, t, r, &tn) &&
		    nw_qnames_find_surname(c, q_low(p, r - 1), 0) < 0) {
			desc = r - 1;
			t = r;
			continue;
		}
		if (given) {
			org = 0;
			given = 4;
		} else if (nw_qnames_titled(p, t, r, &tn)) {
			org = 0;
			given = 3;
		} else if (r - t == 1 && !org &&
		    nw_qnames_find_surname(
			c, q_low(p, t), (p->tok[t].flags & QF_CYR) != 0) >= 0) {
			given = 2;
		} else if (!org && r - t >= 2 && r - t <= 3 &&
		    plain_run(p, t, r)) {
			given = 1;
		} else if (!org && r - t == 3 && (p->tok[t].lex & QL_NAT) &&
		    plain_run(p, t + 1, r)) {
			given = 1; /* "(Bank of) Russia Elvira Nabiullina" */
		} else if (!org && r - t == 3 && t > a &&
		    nw_qnames_role_link(p, t - 1) && plain_run(p, t + 1, r)) {
			given = 3; /* "Ambassador to Pakistan Jiang Zaidong" */
		}
		/* a Russian given name in an oblique case ("журналисту
		 * Павлу Иванову", "в беседе с Анной Ивановой") is an
		 * object of the clause: the subject of a reporting verb
		 * is in the nominative */
		if (!oblique && given == 4 && ru_given_oblique(p, kg)) {
			t = r;
			continue;
		}
		/* a body or place that completes another noun is no
		 * speaker: "представитель Кремля", "в эфире радио X" */
		if (given < 2 &&
		    (cmp = run_is_complement(
			 p, a, b, t, r, after, c->cue_plural)) != CMP_NONE) {
			t = (org ? h : r) > t ? (org ? h : r) : t + 1;
			if (cmp == CMP_OPENS && !have)
				na = t;
			continue;
		}
		if (!(r - t == 1 && (p->tok[t].flags & QF_POSS) && !given &&
			!org) &&
		    (after ? given > best_given : given >= best_given)) {
			best_a = t;
			best_b = org ? h : r;
			best_given = given;
			best_org = org;
			have = 1;
		}
		t = (org ? h : r) > t ? (org ? h : r) : t + 1;
	}
	if (have && c->strict && !best_org && best_given <= 0 &&
	    best_b - best_a == 1 &&
	    nw_qnames_find_surname(
		c, q_low(p, best_a), (p->tok[best_a].flags & QF_CYR) != 0) < 0)
		have = 0; /* "Kiev announced": a place, not a person */
	if (have) {
		if (best_org) {
			s.ent = nw_qnames_org(c, p, best_a, best_b, oblique);
		} else {
			size_t ta = a, tb = a;

			if (rb > ra) {
				ta = ra;
				tb = rb;
			}
			s.ent = nw_qnames_person(
			    c, p, best_a, best_b, oblique, ta, tb, g);
			if (s.ent >= 0 && g && !c->ent[s.ent].gender)
				c->ent[s.ent].gender = g;
		}
		if (s.ent >= 0) {
			s.kind = S_ENT;
			s.how = best_org ? "body" : "name";
			s.ma = best_a;
			s.mb = best_b;
			return s;
		}
	}
	/* pronouns */
	for (t = a; t < b; t++) {
		uint32_t l = p->tok[t].lex;

		if (!is_word(p, t))
			continue;
		if (l & (QL_PRON_M | QL_PRON_F)) {
			int pg = (l & QL_PRON_M) ? 'm' : 'f';

			s.ent = nw_qres_pronoun(c, pos, pg);
			s.kind = s.ent >= 0 ? S_ENT : S_NONE;
			s.how = "pronoun, most recent person who agrees";
			if (s.ent == QRES_UNNAMED) {
				s.kind = S_NULL;
				s.ent = -1;
				s.how = "pronoun, the subject described but "
					"not named before";
			}
			s.ma = t;
			s.mb = t + 1;
			return s;
		}
		if (l & (QL_PRON_IT | QL_PRON_PL)) {
			s.ent = nw_qres_recent_org(c, pos, NULL);
			if (s.ent < 0 && (l & QL_PRON_PL) &&
			    (s.ent = nw_qres_pronoun(c, pos, 0)) < 0)
				s.ent = -1;
			s.kind = s.ent >= 0 ? S_ENT : S_NONE;
			s.how = "pronoun, most recent body";
			s.ma = t;
			s.mb = t + 1;
			return s;
		}
	}
	/* "the owner of one of the companies", "водитель одной из
	 * компаний": one of many, nobody named */
	for (t = a; t + 1 < b; t++)
		if ((p->tok[t].lex & QL_INDEF) &&
		    (q_func(p, t + 1) & QFN_PARTITIVE)) {
			s.kind = S_NULL;
			return s;
		}
	/* nominal references: the last head word before "of" */
	for (t = na; t < b; t++) {
		uint32_t l = p->tok[t].lex;

		if (!is_word(p, t) || (p->tok[t].flags & QF_POSS))
			continue;
		if (head != SIZE_MAX && (l & QL_PREP))
			break;
		/* "a representative of one of the companies", "водитель
		 * одной из компаний": an indefinite description, nobody
		 * named (a name, had there been one, was taken above) */
		if (l & (QL_ANON | QL_INDEF)) {
			/* "собеседник агентства": the one who was talking to
			 * the agency, named or not, as a pronoun would be */
			if ((l & QL_ANON) && interlocutor(p, t, b)) {
				long o = nw_qres_recent_org(c, pos, NULL);
				uint64_t k = 0;

				s.ent = nw_qres_pronoun(c, pos, g);
				if (s.ent >= 0)
					k = c->ent[s.ent].last >
						c->ent[s.ent].spoke
					    ? c->ent[s.ent].last
					    : c->ent[s.ent].spoke;
				/* "Об этом сообщили ТАСС в ведомстве": a
				 * body told the agency since the person */
				if (c->org_src > k &&
				    c->org_src < q_pos(p, t)) {
					s.ent = o;
					k = c->org_src;
				}
				if (s.ent >= 0 && c->anon_src < q_pos(p, t) &&
				    c->anon_src > k)
					s.ent = -1; /* a source spoke since */
				if (s.ent >= 0) {
					s.kind = S_ENT;
					s.how =
					    "the agency's interlocutor, most "
					    "recent person who agrees";
					s.ma = t;
					s.mb = t + 1;
					return s;
				}
				s.ent = -1;
			}
			s.kind = S_NULL;
			return s;
		}
		/* "замглавы МИД", "представитель МИД РФ": a body after a
		 * person noun is its genitive, the person noun stays head */
		if (head != SIZE_MAX && (l & (QL_ORG | QL_ORGNAME)) &&
		    (p->tok[head].lex & (QL_TITLE | QL_NOMINAL)) &&
		    !(p->tok[head].lex & (QL_ORG | QL_STATEMENT)) &&
		    (p->tok[t].flags & QF_CYR))
			break;
		if ((l & (QL_NOMINAL | QL_ORG | QL_STATEMENT)) ||
		    nw_qlex_nominal_class(q_low(p, t)) != NULL)
			head = t;
	}
	if (head == SIZE_MAX)
		head = desc;
	if (head == SIZE_MAX && b > a && is_word(p, b - 1) &&
	    (p->tok[b - 1].flags & QF_POSS) &&
	    (p->tok[b - 1].lex & (QL_ORG | QL_NOMINAL)))
		head = b - 1;
	if (head != SIZE_MAX) {
		s.ent = nw_qres_nominal(c, p, na, b, head, pos, g);
		s.kind = s.ent >= 0 ? S_ENT : S_NONE;
		s.how = "nominal reference, person or body whose role fits";
		if (s.ent == QRES_UNNAMED) {
			s.kind = S_NULL;
			s.ent = -1;
			s.how = "nominal reference, the person an indefinite "
				"description introduced, never named";
		}
		s.ma = a;
		s.mb = b;
		s.head = head;
	}
	return s;
}

/* Is a capitalised body word (Center, Institute, Ministry) in [a, b)? */
static int
body_word_in(const struct qpara *p, size_t a, size_t b)
{
	size_t t;

	for (t = a; t < b; t++)
		if ((p->tok[t].flags & QF_CAP) && (p->tok[t].lex & QL_ORG))
			return 1;
	return 0;
}

/* The subject ending just before token v, read backwards over comma
 * chunks: skip adverbials ("in turn") and relative clauses; a role chunk
 * gives the title of the name before it. */
struct subj
nw_qattr_subject_before(struct qctx *c, const struct qpara *p, size_t lo,
    size_t v, int oblique, int g)
{
	struct subj s = {S_NONE, -1};
	size_t e = v, a, ra = 0, rb = 0;
	int n;

	for (n = 0; n < 4 && e > lo; n++) {
		while (e > lo && !is_word(p, e - 1) &&
		    !(p->tok[e - 1].flags & QF_MARK &&
			p->tok[e - 1].flags & QF_INLINE))
			e--;
		if (e <= lo)
			break;
		a = e;
		while (a > lo && p->tok[a - 1].ch != ',' &&
		    p->tok[a - 1].ch != ';' && p->tok[a - 1].ch != ':' &&
		    p->tok[a - 1].ch != 'D' && p->tok[a - 1].ch != '(' &&
		    p->tok[a - 1].ch != ')' &&
		    !((p->tok[a - 1].flags & QF_MARK) &&
			!(p->tok[a - 1].flags & QF_INLINE)) &&
		    !(p->tok[a - 1].lex & QL_STOP) &&
		    !(nw_qattr_verb_at(c, p, a - 1) & QL_VERB) && e - a < 14)
			a--;
		/* "X of Harvard's Energy and Environment Policy Center said":
		 * "and" inside a body's capitalised name does not end the
		 * subject */
		if (a > lo + 1 && a < e && (p->tok[a].flags & QF_CAP) &&
		    (tok_is(p, a - 1, "and") || tok_is(p, a - 1, "и")) &&
		    is_word(p, a - 2) && (p->tok[a - 2].flags & QF_CAP) &&
		    !(p->tok[a - 2].flags & QF_SSTART) &&
		    body_word_in(p, a, e)) {
			a -= 2;
			while (a > lo && p->tok[a - 1].ch != ',' &&
			    p->tok[a - 1].ch != ';' &&
			    p->tok[a - 1].ch != ':' &&
			    p->tok[a - 1].ch != 'D' &&
			    p->tok[a - 1].ch != '(' &&
			    p->tok[a - 1].ch != ')' &&
			    !((p->tok[a - 1].flags & QF_MARK) &&
				!(p->tok[a - 1].flags & QF_INLINE)) &&
			    !(p->tok[a - 1].lex & QL_STOP) &&
			    !(nw_qattr_verb_at(c, p, a - 1) & QL_VERB) &&
			    e - a < 20)
				a--;
		}
		/* ", who is on a visit to Ankara,": a relative clause */
		if (a > lo + 1 && p->tok[a - 2].ch == ',' &&
		    (q_func(p, a - 1) & QFN_REL)) {
			e = a - 2;
			continue;
		}
		/* ", who asked not to be named because he ...,": the chunk
		 * is a side clause inside a relative clause; its pronoun is
		 * no subject of the verb */
		if (a > lo + 1 && is_word(p, a - 1) &&
		    (p->tok[a - 1].lex & QL_STOP)) {
			size_t k = a - 1;

			while (k > lo + 1 && p->tok[k - 1].ch != ',' &&
			    !(p->tok[k - 1].flags & QF_MARK) && a - k < 24)
				k--;
			if (k > lo + 1 && p->tok[k - 1].ch == ',' &&
			    (q_func(p, k) & QFN_REL) &&
			    !(p->tok[k].lex & QL_VERB)) {
				e = k - 1;
				continue;
			}
		}
		if (a == e) {
			/* "and said": the subject is further back */
			break;
		}
		if (chunk_adverbial(p, a, e) || chunk_relative(p, a, e)) {
			e = a;
			continue;
		}
		if (n == 0 && a > lo && e < v && p->tok[e].ch == ',' &&
		    nw_qattr_chunk_role(p, a, e) &&
		    !nw_qattr_chunk_names(p, a, e)) {
			/* ", CEO of X, said": the name is before the role */
			ra = a;
			rb = e;
			e = a;
			continue;
		}
		/* "the head of the laboratory, Natalia Orlova, said": the
		 * role set off before the name */
		if (rb == ra && a > lo + 1 && p->tok[a - 1].ch == ',') {
			size_t r = a - 1, k;
			int named = 0, verb = 0;

			while (r > lo && p->tok[r - 1].ch != ',' &&
			    p->tok[r - 1].ch != ';' &&
			    p->tok[r - 1].ch != ':' &&
			    p->tok[r - 1].ch != 'D' &&
			    !(p->tok[r - 1].flags & QF_MARK &&
				!(p->tok[r - 1].flags & QF_INLINE)) &&
			    !(p->tok[r].flags & QF_SSTART) && a - r < 12)
				r--;
			for (k = a; k < e; k++)
				if (nw_qnames_is_name_tok(p, k) &&
				    (p->tok[k].flags & QF_CAP) &&
				    !(p->tok[k].lex & (QL_TITLE | QL_ORG)))
					named = 1;
			for (k = r; k < a - 1; k++)
				if (nw_qattr_verb_at(c, p, k) ||
				    (p->tok[k].lex & QL_STOP))
					verb = 1;
			if (named && !verb && r < a - 1 &&
			    (r == lo || (p->tok[r].flags & QF_SSTART) ||
				(r > 0 &&
				    (p->tok[r - 1].ch == ',' ||
					p->tok[r - 1].ch == 'D' ||
					(p->tok[r - 1].flags & QF_MARK)))) &&
			    (p->tok[r].lex & QL_DET) &&
			    nw_qattr_chunk_role(p, r, a - 1) &&
			    !nw_qattr_chunk_names(p, r, a - 1)) {
				ra = r;
				rb = a - 1;
			}
		}
		s = resolve_chunk(c, p, a, e, oblique, g, ra, rb, 0);
		if (s.kind == S_NONE && rb > ra)
			s = resolve_chunk(c, p, ra, rb, oblique, g, 0, 0, 0);
		return s;
	}
	return s;
}

/* A finite verb right after a capitalised word: "said Moscow expected",
 * "said Russia would". Then the word is the subject of the reported clause,
 * not the one who said it. English only; Russian puts "что" between. */
static int
clause_verb_at(const struct qpara *p, size_t t)
{
	static const char *const aux[] = {"would", "will", "could", "can",
	    "should", "must", "may", "might", "is", "was", "were", "are", "has",
	    "had", "have", "did", "does", "do", "remains", "wants", "intends",
	    "plans", "hopes", "expects", NULL};
	const char *w;
	size_t n, i;

	if (t >= p->ntok || !is_lower_word(p, t) || (p->tok[t].flags & QF_CYR))
		return 0;
	if (p->tok[t].lex &
	    (QL_TITLE | QL_NOMINAL | QL_ORG | QL_ORGSUB | QL_PREP | QL_DET |
		QL_ADDR | QL_ANON | QL_NAT | QL_PARTICLE | QL_STATEMENT))
		return 0;
	w = q_low(p, t);
	for (i = 0; aux[i] != NULL; i++)
		if (strcmp(w, aux[i]) == 0)
			return 1;
	n = strlen(w);
	return n > 3 && strcmp(w + n - 2, "ed") == 0;
}

/* The period of an abbreviation ("Sen.", "Gen."): no end of a phrase. */
static int
abbr_dot(const struct qpara *p, size_t t)
{
	return t > 0 && is_word(p, t - 1) && (p->tok[t - 1].lex & QL_ABBR) &&
	    !(p->tok[t].flags & QF_SPACEB);
}

/* Nouns of a conversation whose other side is an addressee ("в интервью
 * ТАСС", "в беседе с журналистами"), as data. Sorted. */
static const char *const talk_nouns[] = {
    "беседе",
    "интервью",
    "разговоре",
};

/* Where a statement was published ("написал в своем Telegram-канале",
 * "сообщила в соцсетях российская дипмиссия"): the phrase stands between
 * the verb and its subject and names no one. Word endings, as data. */
static const char *const medium_ends[] = {
    "блоге",
    "канале",
    "соцсети",
    "соцсетях",
    "сети",
    "эфире",
};
static const char *const medium_mods[] = {
    "официальном",
    "своем",
    "своём",
    "своих",
};

/* The end of a medium phrase "в|на [своем] <medium>" at t, else t. */
static size_t
medium_phrase(const struct qpara *p, size_t t, size_t hi)
{
	size_t k = t + 1, i, n;
	const char *w;

	if (!(tok_is(p, t, "в") || tok_is(p, t, "на")))
		return t;
	for (i = 0; k < hi && i < sizeof medium_mods / sizeof medium_mods[0];
	     i++)
		if (tok_is(p, k, medium_mods[i])) {
			k++;
			break;
		}
	if (k >= hi || !is_word(p, k))
		return t;
	w = q_low(p, k);
	n = strlen(w);
	for (i = 0; i < sizeof medium_ends / sizeof medium_ends[0]; i++) {
		size_t l = strlen(medium_ends[i]);

		if (n >= l && strcmp(w + n - l, medium_ends[i]) == 0)
			return k + 1;
	}
	return t;
}

static int
is_talk_noun(const struct qpara *p, size_t t)
{
	const char *w;

	if (t >= p->ntok || !is_word(p, t))
		return 0;
	w = q_low(p, t);
	return bsearch(&w, talk_nouns, sizeof talk_nouns / sizeof *talk_nouns,
		   sizeof *talk_nouns, cmp_str) != NULL;
}

/* The subject after token v ("said Olga Dmitrieva, head of ..."; "заявил
 * он"; "сказала ТАСС аналитик X"), up to `hi`. */
struct subj
nw_qattr_subject_after(struct qctx *c, const struct qpara *p, size_t v,
    size_t hi, int oblique, int g)
{
	struct subj s = {S_NONE, -1};
	size_t a = v, e, ra = 0, rb = 0;
	int in = 0;

	/* "в интервью ТАСС", "в беседе с ТАСС", "журналистам", "в своем
	 * Telegram-канале" */
	while (a < hi && medium_phrase(p, a, hi) > a)
		a = medium_phrase(p, a, hi);
	while (a < hi &&
	    (!is_word(p, a) || (p->tok[a].lex & QL_ADDR) || tok_is(p, a, "в") ||
		is_talk_noun(p, a) ||
		(tok_is(p, a, "с") && a > v && is_talk_noun(p, a - 1))) &&
	    !(p->tok[a].ch == ',' || p->tok[a].ch == '.')) {
		if (tok_is(p, a, "в") && !is_talk_noun(p, a + 1))
			in = 1;
		a++;
	}
	/* "отметили в пресс-службе Кремля": a body, in the prepositional */
	if (in && v > 0 && (p->tok[v - 1].verb & QL_PLURAL)) {
		e = a;
		while (e < hi && p->tok[e].ch != ',' && p->tok[e].ch != '.' &&
		    !(p->tok[e].flags & QF_MARK &&
			!(p->tok[e].flags & QF_INLINE)) &&
		    !(e > a && (p->tok[e].lex & QL_PREP) &&
			(p->tok[e].flags & QF_CAP)) &&
		    e - a < 8)
			e++;
		/* "подчеркнули в дипведомстве": a common noun names no
		 * body, it refers back to the last one */
		if (e - a == 1 && is_lower_word(p, a) &&
		    (s.ent = nw_qres_recent_org(c, q_pos(p, a), NULL)) >= 0) {
			s.kind = S_ENT;
			s.how = "nominal reference to the last body";
			s.ma = a;
			s.mb = e;
			return s;
		}
		if (e > a && (s.ent = nw_qnames_org(c, p, a, e, 1)) >= 0) {
			s.kind = S_ENT;
			s.how = "body where it was said";
			s.ma = a;
			s.mb = e;
		}
		return s;
	}
	/* "said Moscow expected ...": a reported clause, no speaker here */
	for (e = a; e < hi && e < a + 4 && run_tok(p, e) &&
	     !(p->tok[e].flags & QF_MARK);
	     e++)
		;
	if (e > a && clause_verb_at(p, e))
		return s;
	e = a;
	while (e < hi && p->tok[e].ch != ',' &&
	    !(p->tok[e].ch == '.' && !abbr_dot(p, e)) && p->tok[e].ch != ';' &&
	    p->tok[e].ch != ':' &&
	    !(p->tok[e].flags & QF_MARK && !(p->tok[e].flags & QF_INLINE)) &&
	    !(p->tok[e].lex & QL_STOP && e > a) && e - a < 14)
		e++;
	if (e <= a)
		return s;
	/* "министр транспорта и дорожного хозяйства республики X": an
	 * "and" inside a role before the name */
	if (e < hi && (q_func(p, e) & QFN_CONJ) && is_lower_word(p, a)) {
		size_t k, e2 = e + 1;
		int named = 0;

		for (k = a; k < e; k++)
			if (p->tok[k].flags & QF_CAP)
				break;
		while (e2 < hi && e2 - a < 20 && p->tok[e2].ch != ',' &&
		    !(p->tok[e2].ch == '.' && !abbr_dot(p, e2)) &&
		    p->tok[e2].ch != ';' && !(p->tok[e2].flags & QF_MARK) &&
		    !(p->tok[e2].lex & QL_STOP) &&
		    !nw_qattr_verb_at(c, p, e2)) {
			if (nw_qnames_is_name_tok(p, e2) &&
			    (p->tok[e2].flags & QF_CAP))
				named = 1;
			e2++;
		}
		/* "former Nevada Sen. and party elder X": a role that ends
		 * in a title word, capitals or not, then another role */
		{
			size_t l = e;

			while (l > a && !is_word(p, l - 1))
				l--;
			if (l > a && (p->tok[l - 1].lex & QL_TITLE))
				k = e;
		}
		if (k == e && named)
			e = e2;
	}
	/* "said the head of the gas company, Bojan Milic": the role, then
	 * the name set off by a comma */
	if (e < hi && p->tok[e].ch == ',' && (p->tok[a].lex & QL_DET) &&
	    nw_qattr_chunk_role(p, a, e) && !nw_qattr_chunk_names(p, a, e)) {
		size_t n = e + 1, ne = n;
		int named = 0;

		while (ne < hi && ne - n < 5 && p->tok[ne].ch != ',' &&
		    p->tok[ne].ch != '.' && !(p->tok[ne].flags & QF_MARK)) {
			if (!is_word(p, ne) || !(p->tok[ne].flags & QF_CAP))
				break;
			if (nw_qnames_is_name_tok(p, ne) &&
			    !(p->tok[ne].lex & (QL_TITLE | QL_ORG)))
				named = 1;
			ne++;
		}
		if (named && ne > n &&
		    (ne == hi || p->tok[ne].ch == ',' ||
			p->tok[ne].ch == '.')) {
			s = resolve_chunk(c, p, n, ne, oblique, g, a, e, 1);
			if (s.kind == S_ENT)
				return s;
		}
	}
	/* the role after the name: ", head of the agency" */
	if (e < hi && p->tok[e].ch == ',') {
		size_t r = e + 1, re = r;

		while (re < hi && p->tok[re].ch != ',' &&
		    p->tok[re].ch != '.' &&
		    !(p->tok[re].flags & QF_MARK &&
			!(p->tok[re].flags & QF_INLINE)) &&
		    re - r < 16)
			re++;
		if (nw_qattr_chunk_role(p, r, re)) {
			ra = r;
			rb = re;
		}
	}
	s = resolve_chunk(c, p, a, e, oblique, g, ra, rb, 1);
	return s;
}

/* The subject at the start of the sentence holding token t (for "X
 * described ... and said"). */
static struct subj
sentence_subject(
    struct qctx *c, const struct qpara *p, size_t lo, size_t t, int g)
{
	struct subj s = {S_NONE, -1};
	size_t a = t, e;

	while (a > lo && !(p->tok[a].flags & QF_SSTART))
		a--;
	e = a;
	while (e < t && (is_word(p, e) || (p->tok[e].flags & QF_INLINE)) &&
	    !(nw_qattr_verb_at(c, p, e)) &&
	    (!is_lower_word(p, e) ||
		(p->tok[e].lex &
		    (QL_DET | QL_TITLE | QL_NOMINAL | QL_ORG | QL_PREP |
			QL_ORGSUB | QL_PRON_M | QL_PRON_F | QL_PRON_IT |
			QL_PRON_PL | QL_NAT | QL_ANON)) ||
		(p->tok[e].flags & QF_POSS)))
		e++;
	if (e > a)
		s = resolve_chunk(c, p, a, e, 0, g, 0, 0, 0);
	return s;
}

static void
set_cue(struct qspan *sp, const struct qpara *p, const struct cue *cu)
{
	sp->cue = p->s + p->tok[cu->v].b;
	sp->cuelen = p->tok[cu->v].e - p->tok[cu->v].b;
	if (cu->cue2 != SIZE_MAX && cu->cue2 != cu->v) {
		if (cu->accord || cu->org == 2) {
			/* one phrase: "according to", "по словам" */
			sp->cuelen =
			    p->tok[cu->org == 2 ? cu->vend - 1 : cu->cue2].e -
			    p->tok[cu->v].b;
		} else {
			sp->cue2 = p->s + p->tok[cu->cue2].b;
			sp->cue2len = p->tok[cu->cue2].e - p->tok[cu->cue2].b;
		}
	} else if (cu->org == 2) {
		sp->cuelen = p->tok[cu->vend - 1].e - p->tok[cu->v].b;
	}
}

/* A verb frame: "the press service quoted X as saying", "приводит
 * пресс-служба слова X", "цитирует министра пресс-служба": the one quoted
 * speaks, not the one quoting. Fills *out and returns 1 when verb v has a
 * frame whose slot names someone. */
static int
verb_frame_speaker(struct qctx *c, const struct qpara *p, size_t v, size_t vend,
    size_t hi, struct subj *out)
{
	const struct nw_qframe *fr;
	struct subj s;
	size_t to, m, e;

	if ((fr = nw_qframe_verb(p, v)) == NULL || vend >= hi)
		return 0;
	to = hi < vend + 10 ? hi : vend + 10;
	switch (fr->slot) {
	case QFS_BETWEEN:
		m = nw_qframe_mark(p, fr, vend + 1, to);
		if (m == SIZE_MAX)
			return 0;
		*out = nw_qattr_subject_after(c, p, vend, m, 0, 0);
		return 1;
	case QFS_AFTER_MARK:
		m = nw_qframe_mark(p, fr, vend, to);
		if (m == SIZE_MAX || m + 1 >= hi)
			return 0;
		*out = nw_qattr_subject_after(c, p, m + 1, hi, 1, 0);
		return 1;
	case QFS_OBJECT: /* in the accusative, before the quoter */
		for (e = vend; e < hi && is_word(p, e) &&
		     !(p->tok[e].lex & (QL_ORG | QL_ORGSUB)) && e < vend + 4;
		     e++)
			;
		if (e == vend)
			return 0;
		s = resolve_chunk(c, p, vend, e, 1, 0, 0, 0, 1);
		if (s.kind == S_NONE)
			return 0;
		*out = s;
		return 1;
	default:
		return 0;
	}
}

/* Does a noun phrase stand before an English verb at v, in [lo, v): a
 * capitalised word or a person or body noun? */
static int
en_subject_before(const struct qpara *p, size_t lo, size_t v)
{
	size_t t;

	if (v >= p->ntok || (p->tok[v].flags & QF_CYR))
		return 0;
	for (t = lo; t < v; t++)
		if (is_word(p, t) && !(p->tok[t].flags & QF_MARK) &&
		    ((p->tok[t].flags & QF_CAP) ||
			(p->tok[t].lex & (QL_NOMINAL | QL_TITLE | QL_ORG))))
			return 1;
	return 0;
}

/* Who speaks through cue cu found in [lo, hi). */
static struct subj
cue_subject_(struct qctx *c, const struct qpara *p, size_t lo, size_t hi,
    const struct cue *cu)
{
	struct subj s = {S_NONE, -1};
	size_t k;

	if (cu->org == 2) {
		/* говорится в сообщении Минэнерго России */
		size_t a = cu->vend, e = a;

		while (e < hi && p->tok[e].ch != '.' && p->tok[e].ch != ',' &&
		    !(p->tok[e].flags & QF_MARK &&
			!(p->tok[e].flags & QF_INLINE)))
			e++;
		/* the body named by the whole phrase, unless it is only a
		 * reference ("ведомства") or a person ("губернатора X") */
		/* "в сообщении министерства": the body named before */
		/* "в заявлении кабмина": a common noun the lexicon does not
		 * know, no person noun, refers back to any body */
		if (e - a == 1 && is_lower_word(p, a) &&
		    ((p->tok[a].lex & QL_ORG) ||
			!(p->tok[a].lex & (QL_TITLE | QL_NOMINAL | QL_ANON)))) {
			const char *w = q_low(p, a), *key = nw_qlex_body_ref(w);

			/* a noun of the table, else the body of that name */
			if (!(p->tok[a].lex & QL_ORG))
				key = NULL;
			else if (key == NULL &&
			    (key = nw_qlex_ru_org_nom(w)) == NULL)
				key = w;
			else if (strcmp(key, "*") == 0)
				key = NULL;
			s.ent = nw_qres_recent_org(c, q_pos(p, cu->v), key);
			if (s.ent >= 0) {
				s.kind = S_ENT;
				return s;
			}
		}
		if (e > a && e - a <= 8 &&
		    (p->tok[a].lex & (QL_ORG | QL_ORGNAME | QL_ORGSUB)) &&
		    !(e - a == 1 && !(p->tok[a].flags & QF_CAP) &&
			!(p->tok[a].lex & QL_ORGNAME)) &&
		    !nw_qattr_chunk_names(p, a, e)) {
			s.ent = nw_qnames_org(c, p, a, e, 1);
			s.kind = s.ent >= 0 ? S_ENT : S_NONE;
		} else if (e > a) {
			s = resolve_chunk(c, p, a, e, 1, 0, 0, 0, 1);
			if (s.kind == S_NONE || s.ent < 0) {
				s.ent = nw_qnames_org(c, p, a, e, 1);
				s.kind = s.ent >= 0 ? S_ENT : S_NONE;
			}
		}
		if (s.kind == S_NONE) {
			s.ent = nw_qres_recent_org(c, q_pos(p, cu->v), NULL);
			s.kind = s.ent >= 0 ? S_ENT : S_NONE;
		}
		if (s.how == NULL) {
			s.how = "statement of a body";
			s.ma = a;
			s.mb = e;
		}
		return s;
	}
	if (cu->accord) {
		/* in his words, in her words */
		if (tok_is(p, cu->vend, "his") || tok_is(p, cu->vend, "her")) {
			s.ent = nw_qres_pronoun(c, q_pos(p, cu->vend),
			    tok_is(p, cu->vend, "his") ? 'm' : 'f');
			s.kind = s.ent >= 0         ? S_ENT
			    : s.ent == QRES_UNNAMED ? S_NULL
						    : S_NONE;
			if (s.ent < 0)
				s.ent = -1;
			return s;
		}
		return nw_qattr_subject_after(c, p, cu->vend, hi, 1, 0);
	}
	if (cu->cls & QL_PART) {
		/* adding: the subject of the verb before it */
		for (k = cu->v; k-- > lo;) {
			uint32_t v = nw_qattr_verb_at(c, p, k);

			if (!(v & QL_VERB))
				continue;
			/* "quoted X as saying": the participle is the
			 * mark of the verb's frame */
			if (verb_frame_speaker(c, p, k, k + 1, cu->v + 1, &s))
				return s;
			return nw_qattr_subject_before(
			    c, p, lo, k, 0, cu->gender);
		}
		s.kind = S_INHERIT;
		return s;
	}
	/* a verb frame: the one quoted speaks, not the one quoting */
	if (verb_frame_speaker(c, p, cu->v, cu->vend, hi, &s))
		return s;
	s = nw_qattr_subject_before(c, p, lo, cu->v, 0, cu->gender);
	/* English puts the subject after the verb only when none stands
	 * before it (", said X"); with a name or a person noun before the
	 * verb, what follows is its object ("X told a ceremony") */
	if (s.kind == S_NONE && !en_subject_before(p, lo, cu->v)) {
		s = nw_qattr_subject_after(c, p, cu->vend, hi, 0, cu->gender);
		/* "», — поделился ТАСС водитель автобуса": a person
		 * described, not named nor met before: nobody named. A bare
		 * noun ("», — рассказала синоптик.") refers back instead:
		 * Russian has no article to tell the two apart, the
		 * description that follows the noun does. */
		if (s.kind == S_NONE && cu->v > lo) {
			size_t w = cu->vend;

			while (w < hi && is_word(p, w) &&
			    (p->tok[w].lex & QL_ADDR))
				w++;
			if (w < hi && is_lower_word(p, w) &&
			    (p->tok[w].flags & QF_CYR) &&
			    !(p->tok[w].lex &
				(QL_PRON_M | QL_PRON_F | QL_PRON_PL |
				    QL_PRON_IT | QL_ADV | QL_PREP | QL_STOP |
				    QL_DET | QL_ORG | QL_ORGSUB | QL_STATEMENT |
				    QL_TITLE | QL_NOMINAL)) &&
			    !p->tok[w].verb && !tok_is(p, w, "в") &&
			    w + 1 < hi && is_word(p, w + 1))
				s.kind = S_NULL;
		}
	}
	if (s.kind == S_NONE && cu->v > lo)
		s = sentence_subject(c, p, lo, cu->v, cu->gender);
	/* "X called it \"...\" and said ...": the subject of the sentence,
	 * before the quotation */
	if (s.kind == S_NONE && cu->v > 0 && (q_func(p, cu->v - 1) & QFN_CONJ))
		s = sentence_subject(c, p, 0, cu->v, cu->gender);
	return s;
}

/* The frame of the cue: whether its verb is plural (an impersonal
 * "В МИД заявили" takes the body as speaker) holds while it is read. */
struct subj
nw_qattr_cue_subject(struct qctx *c, const struct qpara *p, size_t lo,
    size_t hi, const struct cue *cu)
{
	struct subj s;

	c->cue_plural = (cu->cls & QL_PLURAL) != 0;
	s = cue_subject_(c, p, lo, hi, cu);
	c->cue_plural = 0;
	return s;
}

/* First cue in [a, b) among the first few words. */
int
nw_qattr_find_cue_forward(
    struct qctx *c, const struct qpara *p, size_t a, size_t b, struct cue *cu)
{
	size_t t;
	int words = 0;

	for (t = a; t < b && words < 24; t++) {
		uint32_t v;

		if (!is_word(p, t))
			continue;
		words++;
		if ((p->tok[t].lex & QL_CUEHEAD) &&
		    nw_qattr_phrase_cue_at(p, t, b, cu) != NULL)
			return 1;
		if ((v = nw_qattr_verb_at(c, p, t)) != 0 &&
		    !(v & QL_ASK && t > a && (p->tok[t - 1].lex & QL_WHEN))) {
			nw_qattr_cue_fill(c, p, t, v, cu);
			return 1;
		}
		if (p->tok[t].lex & QL_STOP && words > 1) {
			/* ", who is on a visit to Ankara, told": skip a
			 * relative clause set off by commas */
			size_t k;

			if (!(t > a && p->tok[t - 1].ch == ',' &&
				(q_func(p, t) & QFN_REL)))
				return 0;
			for (k = t + 1; k < b && k < t + 20; k++)
				if (p->tok[k].ch == ',' || p->tok[k].ch == '.')
					break;
			if (k >= b || p->tok[k].ch != ',')
				return 0;
			t = k;
		}
	}
	return 0;
}

/* ", отметил X." at the end of [a, b): a reporting verb right after a
 * comma with only its subject after it. */
static int
closing_cue(
    struct qctx *c, const struct qpara *p, size_t a, size_t b, struct cue *cu)
{
	size_t t, n = 0;

	for (t = b; t-- > a && n < 20;) {
		uint32_t v;

		if (p->tok[t].flags & QF_MARK)
			return 0;
		if (!is_word(p, t))
			continue;
		n++;
		if ((v = nw_qattr_verb_at(c, p, t)) != 0) {
			if (!(v & QL_VERB) || t == a || p->tok[t - 1].ch != ',')
				return 0;
			nw_qattr_cue_fill(c, p, t, v, cu);
			return 1;
		}
	}
	return 0;
}

/* Last cue in [a, b). */
static int
find_cue_backward(
    struct qctx *c, const struct qpara *p, size_t a, size_t b, struct cue *cu)
{
	size_t t;

	for (t = b; t-- > a;) {
		uint32_t v;

		if (!is_word(p, t))
			continue;
		if ((p->tok[t].lex & QL_CUEHEAD) &&
		    nw_qattr_phrase_cue_at(p, t, b, cu) != NULL)
			return 1;
		if ((v = nw_qattr_verb_at(c, p, t)) != 0) {
			if ((v & QL_ASK) && t > a &&
			    (p->tok[t - 1].lex & QL_WHEN))
				continue;
			nw_qattr_cue_fill(c, p, t, v, cu);
			return 1;
		}
	}
	return 0;
}

/* Entity e spoke through the verb at token v: the subject of that
 * sentence, for salience. */
void
nw_qattr_spoke(struct qctx *c, long e, const struct qpara *p, size_t v)
{
	c->ent[e].spoke = q_pos(p, v);
	if (c->ent[e].first == 0)
		c->ent[e].first = c->ent[e].spoke;
	c->ent[e].sent_subj = q_pos(p, nw_qsentence_start(p, v));
	nw_qent_touch(c, e);
}

/* Records for --explain where the speaker of sp came from. */
static void
explain_set(struct qspan *sp, const struct qpara *p, const char *stage,
    const struct subj *s)
{
	sp->stage = stage;
	sp->how = s != NULL ? s->how : NULL;
	sp->mention = NULL;
	sp->mentionlen = 0;
	if (s != NULL && s->mb > s->ma && s->mb <= p->ntok) {
		sp->mention = p->s + p->tok[s->ma].b;
		sp->mentionlen = p->tok[s->mb - 1].e - p->tok[s->ma].b;
	}
}

static void
explain_copy(struct qspan *sp, const struct qspan *from, const char *stage)
{
	sp->stage = stage;
	sp->how = from->how;
	sp->mention = from->mention;
	sp->mentionlen = from->mentionlen;
}

/* The gender the cue tells of its speaker: a Russian verb's ending, else
 * the pronoun it read (he, she, он, она); 0 none. */
static int
subj_gender(const struct qpara *p, const struct cue *cu, const struct subj *s)
{
	if (cu->gender)
		return cu->gender;
	if (s->how != NULL && strncmp(s->how, "pronoun", 7) == 0 &&
	    s->mb == s->ma + 1 && s->ma < p->ntok) {
		if (p->tok[s->ma].lex & QL_PRON_M)
			return 'm';
		if (p->tok[s->ma].lex & QL_PRON_F)
			return 'f';
	}
	return 0;
}

static void
apply(struct qctx *c, struct qspan *sp, const struct qpara *p,
    const struct cue *cu, struct subj s, const char *stage)
{
	sp->explicit_attr = 1;
	set_cue(sp, p, cu);
	explain_set(sp, p, stage, &s);
	if (s.kind == S_NULL) {
		sp->null_speaker = 1;
		sp->ent = -1;
		c->cur_null = 1;
		c->null_at = q_pos(p, cu->v);
	} else if (s.kind == S_ENT) {
		sp->ent = s.ent;
		c->cur_speaker = s.ent;
		c->cur_null = 0;
		nw_qattr_spoke(c, s.ent, p, cu->v);
		/* whose statement it is: a body's, or a person's ("в
		 * заявлении руководителя пресс-бюро X") */
		if (cu->org)
			c->stmt = s.ent;
		if (c->lead < 0 && c->ent[s.ent].type == NW_SPEAKER_PERSON)
			c->lead = s.ent;
	} else if (subj_gender(p, cu, &s) && c->cur_speaker >= 0 &&
	    c->ent[c->cur_speaker].gender &&
	    c->ent[c->cur_speaker].gender != subj_gender(p, cu, &s)) {
		/* "сказал" after a woman spoke, "she said" after a man:
		 * someone else, unnamed */
		sp->how = "verb gender contradicts the last speaker";
		sp->null_speaker = 1;
		sp->ent = -1;
		c->cur_null = 1;
	} else {
		sp->explicit_attr = 0;
		sp->stage = "cue whose subject resolves to no one known: "
			    "speaker of the moment";
		if (s.how != NULL && strncmp(s.how, "nominal", 7) == 0) {
			sp->pend = 1;
			sp->pgender = cu->gender;
			sp->proles = nw_qlex_nominal_class(q_low(p, s.head));
		}
	}
}

/* Start of the sentence holding token t, not before lo. */
static size_t
sentence_start(const struct qpara *p, size_t lo, size_t t)
{
	while (t > lo && !(p->tok[t].flags & QF_SSTART))
		t--;
	return t;
}

static int
span_kind(const struct qpara *p, const struct qspan *sp)
{
	size_t o = sp->open, f = o + 1;

	/* the second part of an interrupted quotation */
	if (p->tok[o].ch == 'D')
		return NW_QUOTE_DIRECT;
	if (o > 1 && p->tok[o - 1].ch == ',' && p->tok[o - 1].span < 0 &&
	    sp > p->span && sp[-1].kind == NW_QUOTE_DIRECT &&
	    !sp[-1].unclosed) {
		size_t k;

		for (k = sp[-1].close + 1; k <= o; k++)
			if (p->tok[k].flags & QF_SSTART)
				break;
		if (k > o)
			return NW_QUOTE_DIRECT;
	}

	if (f < p->ntok && is_word(p, f) && !(p->tok[f].flags & QF_CAP) &&
	    !(p->tok[f].flags & QF_DIGIT))
		return NW_QUOTE_PARTIAL;
	if (o > 0 && !(p->tok[o].flags & QF_SSTART) && is_word(p, o - 1) &&
	    !(p->tok[o - 1].lex & QL_VERB) && !sp->chained)
		return NW_QUOTE_PARTIAL;
	return NW_QUOTE_DIRECT;
}

/* "сообщили ТАСС во внешнеполитическом ведомстве": token t is "в" or
 * "во" after a plural reporting verb in its sentence and before a body
 * noun (adjectives between): people of the body told something, unnamed.
 * Returns the body noun's token, 0 none. */
static size_t
body_told(
    const struct qctx *c, const struct qpara *p, size_t a, size_t b, size_t t)
{
	size_t k, h = 0, lo = t > a + 8 ? t - 8 : a;
	uint32_t n = p->tok[t].e - p->tok[t].b;
	const unsigned char *w = (const unsigned char *)p->s + p->tok[t].b;

	/* the class and length first, the bytes of "в" and "во" then:
	 * this runs on every word outside quotations */
	if (!(p->tok[t].lex & QL_PREP) || (n != 2 && n != 4) || w[0] != 0xd0 ||
	    w[1] != 0xb2 || (n == 4 && (w[2] != 0xd0 || w[3] != 0xbe)))
		return 0;
	for (k = t + 1; k < b && k < t + 4 && is_lower_word(p, k); k++)
		if ((p->tok[k].lex & QL_ORG) ||
		    nw_qlex_body_ref(q_low(p, k)) != NULL) {
			h = k;
			break;
		}
	if (h == 0)
		return 0;
	for (k = t; k > lo; k--) {
		uint32_t v = nw_qattr_verb_at(c, p, k - 1);

		if ((v & QL_VERB) && (v & QL_PLURAL))
			return h;
		if (p->tok[k - 1].flags & QF_SSTART)
			return 0;
	}
	return 0;
}

/* Outlets named in quotation marks after their noun ("пишет газета
 * «Ведомости»"), nominative: the name in the marks is a body, and what
 * "говорится в статье" quotes is its. As data. */
static const char *const outlet_subjects[] = {
    "агентство",
    "газета",
    "журнал",
    "издание",
    "портал",
    "радиостанция",
    "телеканал",
};

static void
outlet_named(struct qctx *c, const struct qpara *p, size_t t, size_t b)
{
	size_t k, i;
	long e;

	if (t + 3 >= b || !(p->tok[t].flags & QF_CYR) || !is_lower_word(p, t) ||
	    !(p->tok[t + 1].flags & QF_MARK) ||
	    !(p->tok[t + 1].flags & QF_INLINE))
		return;
	for (i = 0; i < sizeof outlet_subjects / sizeof outlet_subjects[0]; i++)
		if (tok_is(p, t, outlet_subjects[i]))
			break;
	if (i == sizeof outlet_subjects / sizeof outlet_subjects[0])
		return;
	for (k = t + 2; k < b && k < t + 6 && is_word(p, k); k++)
		;
	if (k == t + 2 || k >= b || !(p->tok[k].flags & QF_MARK))
		return;
	if ((e = nw_qnames_org(c, p, t + 2, k, 0)) >= 0) {
		nw_qent_seen(c, e, q_pos(p, t + 2));
		c->stmt = e;
	}
}

static void
register_mentions(struct qctx *c, struct qpara *p, size_t a, size_t b)
{
	size_t t, k;

	/* "a statement by X": X issues statements */
	for (t = a; t + 2 < b; t++)
		if ((p->tok[t].lex & QL_STATEMENT) && tok_is(p, t + 1, "by")) {
			size_t e = t + 2;
			struct subj s;

			while (e < b && p->tok[e].ch != ',' &&
			    p->tok[e].ch != '.' && !tok_is(p, e, "and"))
				e++;
			s = resolve_chunk(c, p, t + 2, e, 0, 0, 0, 0, 1);
			if (s.kind == S_ENT &&
			    c->ent[s.ent].type == NW_SPEAKER_ORGANISATION)
				c->stmt = s.ent;
		}
	nw_qnames_scan_mentions(c, p, a, b);
	for (t = a; t < b; t++) {
		const struct qtok *q = &p->tok[t];

		if (q->flags & QF_SSTART)
			nw_qres_note_subject(c, p, t, b);
		/* one test for the rare tokens the notes below want */
		if (!(q->lex & (QL_ANON | QL_PREP)) && !(q->flags & QF_MARK))
			continue;
		if ((q->lex & QL_ANON) && !(q->lex & QL_PLURAL) &&
		    !interlocutor(p, t, b))
			c->anon_src = q_pos(p, t);
		if ((q->lex & QL_PREP) && (k = body_told(c, p, a, b, t)) != 0)
			c->org_src = q_pos(p, k);
		if (q->flags & QF_MARK)
			outlet_named(c, p, t - (t > a), b);
	}
}

static const char stage_work[] = "title of a work (programme, book, paper)";

/* Nouns of works whose titles are quoted: a quotation set right after one
 * (", the program, \"This Week With X,\"") is a title. Sorted. */
static const char *const work_nouns[] = {
    "article",
    "book",
    "column",
    "documentary",
    "film",
    "headline",
    "magazine",
    "movie",
    "newspaper",
    "program",
    "programme",
    "series",
    "show",
    "газета",
    "газете",
    "газеты",
    "книга",
    "книге",
    "книги",
    "передаче",
    "передачи",
    "программе",
    "программы",
    "статье",
    "статьи",
    "фильм",
    "фильме",
    "шоу",
};

/* Is the quotation opening at token o the title of a work? */
static int
names_a_work(const struct qpara *p, size_t o)
{
	size_t k = o;
	const char *w;

	if (k > 0 && p->tok[k - 1].ch == ',')
		k--;
	if (k == 0 || !is_word(p, k - 1))
		return 0;
	w = q_low(p, k - 1);
	return bsearch(&w, work_nouns, sizeof work_nouns / sizeof *work_nouns,
		   sizeof *work_nouns, cmp_str) != NULL;
}

/* Openings of a sentence that point back at what was said before it, as
 * pairs of lower-case words. */
static const char *const about_this[][2] = {
    {"об", "этом"},
    {"this", "was"},
};

/* The sentence after quotation i opens with "Об этом" and a cue: its
 * subject said the quotation. */
static void
about_this_next(struct qctx *c, struct qpara *p, struct qspan *sp, size_t i)
{
	size_t ns = sp->close + 1, ne, k;
	struct cue cu;
	struct subj s;

	while (ns < p->ntok && !(p->tok[ns].flags & QF_SSTART))
		ns++;
	if (ns + 2 >= p->ntok ||
	    (i + 1 < p->nspan && p->span[i + 1].open <= ns + 2))
		return;
	for (k = 0; k < sizeof about_this / sizeof about_this[0]; k++)
		if (tok_is(p, ns, about_this[k][0]) &&
		    tok_is(p, ns + 1, about_this[k][1]))
			break;
	if (k == sizeof about_this / sizeof about_this[0])
		return;
	for (ne = ns + 2; ne < p->ntok && !(p->tok[ne].flags & QF_SSTART) &&
	     !(i + 1 < p->nspan && ne >= p->span[i + 1].open);
	     ne++)
		;
	if (!nw_qattr_find_cue_forward(c, p, ns + 2, ne, &cu))
		return;
	s = nw_qattr_cue_subject(c, p, ns + 2, ne, &cu);
	if (s.kind == S_ENT || s.kind == S_NULL)
		apply(c, sp, p, &cu, s,
		    "the next sentence: \"Об этом\" and a cue");
}

/* Roles the lexicon does not list: "co-leader", "ex-minister" (a Latin
 * hyphenated word whose last part is a role) and a Russian title noun in
 * a case the lexicon lacks ("канцлером", "спикеру", by the paradigms in
 * quote_morph.c) are roles and person nouns. Called by the tokeniser for
 * a word of six bytes or more the lexicon does not know (low, lower-case;
 * cyr: Cyrillic; hyphen: a Latin word holding a hyphen; the tokeniser
 * looks for no hyphen in Cyrillic words, to keep its cost down); returns
 * the classes to give it, 0 none. */
uint32_t
nw_qattr_derived_lex(const char *low, int cyr, int hyphen)
{
	const char *h;
	uint32_t l;

	if (cyr && nw_qmorph_title_nom(low) != NULL)
		return QL_TITLE | QL_NOMINAL;
	/* "экс-президент", "экс-главы", "вице-спикером": a prefix and a
	 * role noun in any case are that role */
	if (cyr && (h = strrchr(low, '-')) != NULL && h != low &&
	    h[1] != '\0') {
		l = nw_qlex_lookup(h + 1);
		if ((l & QL_TITLE) && !(l & QL_ORG))
			return l & (QL_TITLE | QL_NOMINAL);
		if (nw_qmorph_title_nom(h + 1) != NULL)
			return QL_TITLE | QL_NOMINAL;
		return 0;
	}
	if (!hyphen || (h = strrchr(low, '-')) == NULL || h == low ||
	    h[1] == '\0')
		return 0;
	l = nw_qlex_lookup(h + 1);
	return (l & QL_TITLE) && !(l & QL_ORG) ? l & (QL_TITLE | QL_NOMINAL)
					       : 0;
}

void
nw_qattr_paragraph(struct qctx *c, struct qpara *p)
{
	size_t i, prev_end = 0, prev_close = 0, lo, hi, t, ind = 0, ss;
	struct cue cu;
	struct subj s;

	for (i = 0; i < p->nspan; i++) {
		struct qspan *sp = &p->span[i];
		size_t o = sp->open;

		sp->kind = (uint8_t)span_kind(p, sp);
		/* what is outside quotations before it names people, and
		 * who spoke there without marks */
		register_mentions(c, p, prev_end, o);
		ss = sentence_start(p, 0, o);
		if (ss > ind) {
			nw_qattr_reported(c, p, ind, ss);
			ind = ss;
		}
		/* the programme, "This Week With X,": a title, nobody's words */
		if (names_a_work(p, o)) {
			sp->explicit_attr = 1;
			sp->null_speaker = 1;
			sp->ent = -1;
			sp->stage = stage_work;
			continue;
		}
		/* the clause after it */
		hi = sp->close + 1;
		if (!sp->unclosed) {
			size_t k = sp->close;
			char last = k > 0 ? p->tok[k - 1].ch : 0;
			int ends = last == '.' &&
			    !(k + 1 < p->ntok &&
				(p->tok[k + 1].ch == ',' ||
				    p->tok[k + 1].ch == 'D'));

			hi = sp->close + 1;
			while (hi < p->ntok &&
			    !(p->tok[hi].flags & QF_SSTART) &&
			    !(i + 1 < p->nspan && hi >= p->span[i + 1].open))
				hi++;
			if (!ends && hi > sp->close + 1 &&
			    nw_qattr_find_cue_forward(
				c, p, sp->close + 1, hi, &cu)) {
				s = nw_qattr_cue_subject(
				    c, p, sp->close + 1, hi, &cu);
				if (s.kind == S_INHERIT && i > 0) {
					sp->ent = p->span[i - 1].ent;
					sp->null_speaker =
					    p->span[i - 1].null_speaker;
					sp->explicit_attr = 1;
					set_cue(sp, p, &cu);
					explain_copy(sp, &p->span[i - 1],
					    "cue after (participle): speaker "
					    "of the quotation before");
				} else {
					apply(c, sp, p, &cu, s, "cue after");
				}
			}
			/* "X «...», в это время ..., отметил посол Y.": a
			 * reporting clause that closes the sentence speaks
			 * for all of it */
			if (!sp->explicit_attr && !ends &&
			    (hi >= p->ntok || (p->tok[hi].flags & QF_SSTART)) &&
			    closing_cue(c, p, sp->close + 1, hi, &cu)) {
				s = nw_qattr_cue_subject(c, p, cu.v, hi, &cu);
				if (s.kind == S_ENT || s.kind == S_NULL)
					apply(c, sp, p, &cu, s,
					    "reporting clause closing the "
					    "sentence");
			}
		}
		/* the clause before it */
		if (!sp->explicit_attr && !sp->chained) {
			lo = sentence_start(p, prev_close, o);
			if (o > lo && find_cue_backward(c, p, lo, o, &cu)) {
				s = nw_qattr_cue_subject(c, p, lo, o, &cu);
				if (s.kind == S_INHERIT) {
					if (i > 0 && lo <= prev_close) {
						sp->ent = p->span[i - 1].ent;
						sp->null_speaker =
						    p->span[i - 1].null_speaker;
						sp->explicit_attr = 2;
						set_cue(sp, p, &cu);
						explain_copy(sp,
						    &p->span[i - 1],
						    "cue before (participle): "
						    "speaker of the quotation "
						    "before");
					} else {
						s = sentence_subject(
						    c, p, lo, cu.v, 0);
						apply(c, sp, p, &cu, s,
						    "cue before (participle): "
						    "sentence subject");
					}
				} else {
					apply(c, sp, p, &cu, s, "cue before");
				}
			}
		}
		/* "«...». Об этом заявил X.": the next sentence names who
		 * said what came before */
		if (!sp->explicit_attr && !sp->unclosed && !sp->chained)
			about_this_next(c, p, sp, i);
		if (!sp->explicit_attr) {
			sp->fb = c->cur_speaker >= 0 ? c->cur_speaker : c->lead;
			sp->fbnul = (uint8_t)c->cur_null;
		}
		prev_end = sp->unclosed ? p->ntok : sp->close + 1;
		prev_close = prev_end;
		/* mentions in the attribution clause after it */
		if (!sp->unclosed) {
			t = sp->close + 1;
			hi = t;
			while (hi < p->ntok &&
			    !(i + 1 < p->nspan && hi >= p->span[i + 1].open) &&
			    !(p->tok[hi].flags & QF_SSTART))
				hi++;
			register_mentions(c, p, t, hi);
			prev_end = hi;
		}
	}
	/* a quotation with no cue of its own: its neighbour's speaker when
	 * nothing but an attribution stands between them */
	for (i = 1; i < p->nspan; i++) {
		struct qspan *sp = &p->span[i], *pv = &p->span[i - 1];

		if (sp->explicit_attr || !pv->explicit_attr ||
		    pv->stage == stage_work)
			continue;
		sp->ent = pv->ent;
		sp->null_speaker = pv->null_speaker;
		sp->explicit_attr = 2;
		explain_copy(sp, pv, "continues the quotation before");
	}
	for (i = p->nspan; i-- > 1;) {
		struct qspan *sp = &p->span[i - 1], *nx = &p->span[i];

		if (sp->explicit_attr || !nx->explicit_attr || sp->chained ||
		    nx->stage == stage_work)
			continue;
		sp->ent = nx->ent;
		sp->null_speaker = nx->null_speaker;
		sp->explicit_attr = 2;
		explain_copy(sp, nx, "speaker of the quotation after");
	}
	register_mentions(c, p, prev_end, p->ntok);
	nw_qattr_reported(c, p, ind, p->ntok);
}
