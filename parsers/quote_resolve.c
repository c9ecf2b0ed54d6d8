/* The resolution stage: pronouns ("he", "она") and nominal references
 * ("the minister", "глава региона", "the ministry") to the entity they
 * refer to, by salience over the window of entities touched last. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "quote_int.h"

/* Words (or their stems) of a lower rank: "the mayor" is not the deputy
 * mayor, "губернатор" not the вице-губернатор. */
static const char *const lower_ranks[] = {
    "deputy", "vice", "вице-", "замест", "замглав"};

static int
has_rank(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof lower_ranks / sizeof lower_ranks[0]; i++)
		if (strstr(s, lower_ranks[i]) != NULL)
			return 1;
	return 0;
}

/* Lower-cases ASCII and Cyrillic title into tl (size cap), byte for byte. */
static void
lower_title(const char *title, char *tl, size_t cap)
{
	size_t i, n = strlen(title);

	if (n >= cap)
		n = cap - 1;
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)title[i];

		tl[i] = (ch >= 'A' && ch <= 'Z') ? (char)(ch + 32) : (char)ch;
		if (ch == 0xd0 && i + 1 < n) {
			unsigned char d = (unsigned char)title[i + 1];

			tl[i + 1] = (char)d;
			if (d >= 0x90 && d <= 0x9f) {
				tl[i + 1] = (char)(d + 0x20);
			} else if (d >= 0xa0 && d <= 0xaf) {
				tl[i] = (char)0xd1;
				tl[i + 1] = (char)(d - 0x20);
			} else if (d == 0x81) { /* Ё */
				tl[i + 1] = (char)0xb5;
			}
			i++;
		}
	}
	tl[n] = '\0';
}

/* Do the words w (lower case) and the word of tl at h share a stem: the
 * same word, or one a short ending away from the other, as a modifier and
 * the title's own word for one country ("belarusian" and "belarus",
 * "белорусский" and "Белоруссии")? Five letters at least in common, and
 * what is left of the shorter word no more than three letters. */
static int
same_stem(const char *w, const char *h)
{
	size_t i = 0, lw = strlen(w), lh = strcspn(h, " -,"), sh, cyr;

	while (i < lw && i < lh && w[i] == h[i])
		i++;
	if (i == lw && i == lh)
		return 1;
	cyr = (unsigned char)w[0] >= 0xc0 ? 2 : 1;
	sh = lw < lh ? lw : lh;
	return i >= 5 * cyr && sh - i <= 3 * cyr;
}

/* Does tl (lower case) hold a word of the stem of w? */
static int
title_has_stem(const char *tl, const char *w)
{
	const char *h;

	for (h = tl; *h; h++)
		if ((h == tl || h[-1] == ' ' || h[-1] == '-') && *h == *w &&
		    same_stem(w, h))
			return 1;
	return 0;
}

/* Role words that tell a person's gender, as data. */
static const struct {
	const char *w;
	int g;
} gendered_roles[] = {
    {"actress", 'f'},
    {"anchorwoman", 'f'},
    {"baroness", 'f'},
    {"businessman", 'm'},
    {"businesswoman", 'f'},
    {"chairman", 'm'},
    {"chairwoman", 'f'},
    {"congressman", 'm'},
    {"congresswoman", 'f'},
    {"councilman", 'm'},
    {"councilwoman", 'f'},
    {"duchess", 'f'},
    {"king", 'm'},
    {"madam", 'f'},
    {"mr", 'm'},
    {"mrs", 'f'},
    {"ms", 'f'},
    {"policeman", 'm'},
    {"policewoman", 'f'},
    {"prince", 'm'},
    {"princess", 'f'},
    {"queen", 'f'},
    {"spokesman", 'm'},
    {"spokeswoman", 'f'},
    {"statesman", 'm'},
    {"stateswoman", 'f'},
    {"актриса", 'f'},
    {"вдова", 'f'},
    {"депутатка", 'f'},
    {"журналистка", 'f'},
    {"певица", 'f'},
    {"супруга", 'f'},
    {"телеведущая", 'f'},
};

int
nw_qres_title_gender(const char *title)
{
	char tl[512];
	const char *h;
	size_t i, n;

	if (title == NULL)
		return 0;
	lower_title(title, tl, sizeof tl);
	for (h = tl; *h; h += strcspn(h, " -.,"), h += strspn(h, " -.,")) {
		n = strcspn(h, " -.,");
		for (i = 0;
		     i < sizeof gendered_roles / sizeof gendered_roles[0]; i++)
			if (strlen(gendered_roles[i].w) == n &&
			    memcmp(gendered_roles[i].w, h, n) == 0)
				return gendered_roles[i].g;
		if (n == 0)
			break;
	}
	return 0;
}

static int
title_matches(const char *title, const char *roles, const struct qpara *p,
    size_t a, size_t b, size_t head)
{
	char tl[512], role[64];
	const char *r = roles, *sp;
	size_t i, n;
	int score = 0;

	if (title == NULL)
		return strcmp(roles, "*") == 0 ? 1 : 0;
	lower_title(title, tl, sizeof tl);
	if (strcmp(roles, "*") == 0)
		score = 1;
	while (*r && !score) {
		sp = strchr(r, ' ');
		n = sp ? (size_t)(sp - r) : strlen(r);
		if (n > 0 && n < sizeof role) {
			const char *h;

			memcpy(role, r, n);
			role[n] = '\0';
			for (h = strstr(tl, role); h; h = strstr(h + 1, role))
				if (h == tl || h[-1] == ' ' || h[-1] == '-') {
					score = 2;
					break;
				}
		}
		r = sp ? sp + 1 : r + n;
	}
	if (!score)
		return 0;
	/* "the mayor" is not the deputy mayor, "губернатор" not the
	 * вице-губернатор: a lower rank in the title the reference lacks */
	if (score == 2 && has_rank(tl)) {
		for (i = a; i < b; i++)
			if (q_is_word(p, i) && has_rank(q_low(p, i)))
				break;
		if (i == b)
			score = 1;
	}
	/* modifiers: "the railway chief", "the Roscosmos official" */
	for (i = a; i < b; i++) {
		const char *w = q_low(p, i);

		if (i == head || !q_is_word(p, i) || strlen(w) < 4 ||
		    (p->tok[i].lex & (QL_DET | QL_PREP)))
			continue;
		if (strstr(tl, w) != NULL || title_has_stem(tl, w))
			score++;
	}
	return score;
}

/* The entities touched last (the salience window), in the order they
 * were made, so that ties resolve as a scan of all would. */
static size_t
recent_sorted(const struct qctx *c, int32_t *out)
{
	size_t n = c->nrecent, i, j;

	for (i = 0; i < n; i++) {
		int32_t v = c->recent[i];

		for (j = i; j > 0 && out[j - 1] > v; j--)
			out[j] = out[j - 1];
		out[j] = v;
	}
	return n;
}

static int
gender_ok(const struct qent *e, int g)
{
	return !g || !e->gender || e->gender == g;
}

int
nw_qres_title_fits(const char *title, const char *roles)
{
	return title != NULL && roles != NULL &&
	    title_matches(title, roles, NULL, 0, 0, 0) > 0;
}

/* He, she, он, она: salience after Lappin and Leass, reduced to an order:
 * the person of the most recent sentence that mentions anyone who agrees,
 * and within it the subject (or the one who spoke) over an object, then
 * the later mention. */
long
nw_qres_pronoun(struct qctx *c, uint64_t pos, int g)
{
	int32_t rec[QENT_RECENT];
	size_t nr, ri;
	long best = -1;
	uint64_t bk = 0, bs = 0;
	int br = 0;
	size_t i;

	nr = recent_sorted(c, rec);
	c->work.entities += nr;
	for (ri = 0; ri < nr; ri++) {
		const struct qent *e = &c->ent[i = (size_t)rec[ri]];
		uint64_t k = e->last > e->spoke ? e->last : e->spoke, s;
		int r;

		if (e->type != NW_SPEAKER_PERSON || !gender_ok(e, g) || k > pos)
			continue;
		s = e->sent_last ? e->sent_last : k;
		if (e->sent_subj > s && e->sent_subj <= pos)
			s = e->sent_subj;
		r = e->sent_subj == s;
		if (best < 0 || s > bs || (s == bs && r > br) ||
		    (s == bs && r == br && k > bk)) {
			best = (long)i;
			bk = k;
			bs = s;
			br = r;
		}
	}
	/* a subject described but not named outranks the persons of its
	 * sentence that are not its subject, and those of older sentences
	 * (Lappin and Leass: subject over object, recency) */
	if (c->anon_subj != 0 && c->anon_subj <= pos &&
	    (best < 0 || c->anon_subj > bs || (c->anon_subj == bs && !br)))
		return QRES_UNNAMED;
	/* "..., said an oil company manager who asked not to be named.
	 * \"...,\" he added": the last speaker, unnamed, is the most
	 * salient in its paragraph while no one is mentioned after */
	if (c->cur_null && c->null_at != 0 && c->null_at <= pos &&
	    (c->null_at >> 24) == (pos >> 24) && (best < 0 || bk < c->null_at))
		return QRES_UNNAMED;
	/* the speaker of the moment only when the pronoun agrees ("she"
	 * is never the man who spoke last) */
	if (best < 0 && c->cur_speaker >= 0 &&
	    c->ent[c->cur_speaker].type == NW_SPEAKER_PERSON &&
	    gender_ok(&c->ent[c->cur_speaker], g))
		best = c->cur_speaker;
	return best;
}

/* Does a body's key fit the stem of the noun that refers to it? Its name
 * holds the stem, or (for "министерство") the name is a Russian
 * ministry's acronym: a first word of two to four letters starting with
 * "м" ("МИД России", "МЧС", "МВД РФ"); keys are lower-case. */
static int
org_key_fits(const struct qent *e, const char *word)
{
	size_t n;

	if (strstr(e->key, word) != NULL ||
	    (e->key2 != NULL && strcmp(e->key2, word) == 0))
		return 1;
	if (strcmp(word, "мин") != 0 || strncmp(e->key, "м", strlen("м")) != 0)
		return 0;
	n = strcspn(e->key, " ");
	/* two to four Cyrillic letters, two bytes each */
	return n >= 4 && n <= 8;
}

long
nw_qres_recent_org(struct qctx *c, uint64_t pos, const char *word)
{
	int32_t rec[QENT_RECENT];
	size_t nr, ri;
	long best = -1;
	size_t i;

	if (c->cur_speaker >= 0 &&
	    c->ent[c->cur_speaker].type == NW_SPEAKER_ORGANISATION &&
	    (word == NULL || org_key_fits(&c->ent[c->cur_speaker], word)))
		return c->cur_speaker;
	nr = recent_sorted(c, rec);
	c->work.entities += nr;
	for (ri = 0; ri < nr; ri++) {
		const struct qent *e = &c->ent[i = (size_t)rec[ri]];

		if (e->type != NW_SPEAKER_ORGANISATION || e->last > pos)
			continue;
		if (word != NULL && !org_key_fits(e, word))
			continue;
		if (best < 0 || e->last >= c->ent[best].last)
			best = (long)i;
	}
	return best;
}

/* "the minister", "the Russian leader", "главы региона": the most recent
 * person whose role fits; bodies for "the ministry", "it", "the statement". */
long
nw_qres_nominal(struct qctx *c, const struct qpara *p, size_t a, size_t b,
    size_t head, uint64_t pos, int g)
{
	const struct qtok *h = &p->tok[head];
	const char *roles, *w = q_low(p, head);
	int32_t rec[QENT_RECENT];
	size_t nr, ri;
	long best = -1;
	int bs = 0, s;
	size_t i;

	if (h->lex & QL_STATEMENT) {
		if (c->stmt >= 0)
			return c->stmt;
		return nw_qres_recent_org(c, pos, NULL);
	}
	if ((h->lex & QL_ORG) && !(h->lex & QL_TITLE)) {
		const char *stem = nw_qlex_body_ref(w);
		long e;

		if (stem == NULL)
			stem = w;
		else if (strcmp(stem, "*") == 0)
			stem = NULL;
		if ((e = nw_qres_recent_org(c, pos, stem)) >= 0)
			return e;
		/* "the agency": the body spoken of; "the regional
		 * government": a body not named before */
		/* "российская дипмиссия": lower-case adjectives, a
		 * description of a body already named */
		for (i = a; i < head; i++)
			if (q_is_word(p, i) && !(p->tok[i].lex & QL_DET) &&
			    !((p->tok[i].lex & QL_NAT) &&
				q_is_lower_word(p, i) &&
				(p->tok[i].flags & QF_CYR)))
				break;
		if (i == head && (e = nw_qres_recent_org(c, pos, NULL)) >= 0)
			return e;
		if (!(p->tok[a].lex & QL_INDEF) && head + 1 - a <= 4 &&
		    (e = nw_qnames_org(c, p, a, head + 1, 0)) >= 0)
			return e;
		return nw_qres_recent_org(c, pos, NULL);
	}
	if (h->lex & QL_PLURAL) {
		long e = nw_qres_recent_org(c, pos, NULL);

		return e;
	}
	roles = nw_qlex_nominal_class(w);
	/* "экс-президент", "ex-minister": a former holder of the role is
	 * the person of that role ("бывший президент" before) */
	if (roles == NULL &&
	    (strncmp(w, "экс-", strlen("экс-")) == 0 ||
		strncmp(w, "ex-", 3) == 0)) {
		const char *r0 = strchr(w, '-') + 1;

		roles = nw_qlex_nominal_class(r0);
		if (roles == NULL && *r0 != '\0')
			roles = r0;
	}
	/* "head of state" */
	if (head + 2 < b && q_tok_is(p, head + 1, "of") &&
	    q_tok_is(p, head + 2, "state"))
		roles = "president leader king";
	/* a noun of no class: the person whose title holds that noun
	 * ("the spokeswoman", "вице-губернатор"), else anyone */
	if (roles == NULL)
		roles = w;
again:
	nr = recent_sorted(c, rec);
	c->work.entities += nr;
	for (ri = 0; ri < nr; ri++) {
		const struct qent *e = &c->ent[i = (size_t)rec[ri]];

		if (e->type != NW_SPEAKER_PERSON || e->last > pos ||
		    !gender_ok(e, g))
			continue;
		s = title_matches(
		    e->title ? e->title : e->role, roles, p, a, b, head);
		if (s > bs ||
		    (s == bs && s > 0 && e->last >= c->ent[best].last)) {
			best = (long)i;
			bs = s;
		}
	}
	if (nw_qres_nominal_is_indefinite(c, w, pos, best))
		return QRES_UNNAMED;
	if (best >= 0)
		return best;
	/* a noun no title holds ("the Oklahoma Republican", "the veteran"):
	 * a new description of the one being quoted, before anyone else */
	if (roles == w && c->cur_speaker >= 0 &&
	    c->ent[c->cur_speaker].type == NW_SPEAKER_PERSON &&
	    c->ent[c->cur_speaker].last <= pos &&
	    gender_ok(&c->ent[c->cur_speaker], g))
		return c->cur_speaker;
	if (roles == w) {
		roles = "*";
		goto again;
	}
	if (c->cur_speaker >= 0 &&
	    c->ent[c->cur_speaker].type == NW_SPEAKER_PERSON)
		return c->cur_speaker;
	if (c->lead >= 0)
		return c->lead;
	return nw_qres_pronoun(c, pos, g);
}

/* A dotted acronym ("U.S.", "U.K."): the tokeniser keeps "U.S" one word,
 * capitalised, short, with a period inside. */
static int
dotted_initial(const struct qpara *p, size_t t)
{
	return t < p->ntok && q_is_word(p, t) && (p->tok[t].flags & QF_CAP) &&
	    p->tok[t].e - p->tok[t].b <= 6 &&
	    memchr(p->s + p->tok[t].b, '.', p->tok[t].e - p->tok[t].b) != NULL;
}

/* The subject of the sentence at ss is a person described by the noun at
 * h and never named: "the <noun>" later refers to that person. */
static void
note_unnamed(struct qctx *c, const struct qpara *p, size_t ss, size_t h)
{
	const char *w = q_low(p, h);

	if (strlen(w) >= sizeof c->anon_head)
		return;
	strcpy(c->anon_head, w);
	c->anon_indef = c->anon_subj = q_pos(p, ss);
}

/* "A senior South Korean official, who asked not to be named, said ...":
 * an indefinite description as the subject introduces a person who is
 * never named. Noted as the subject described but not named, with its
 * head noun, so that "the official" later finds that person rather than
 * a named one whose title happens to fit. */
static void
note_indefinite(struct qctx *c, const struct qpara *p, size_t ss, size_t b)
{
	size_t h;

	for (h = ss + 1; h < b && h < ss + 7; h++) {
		/* "A senior U.S. official", "a senior EU diplomat": a
		 * country or body as an acronym, dotted or not, modifies */
		if (dotted_initial(p, h) ||
		    (h > ss + 1 && p->tok[h].ch == '.' &&
			dotted_initial(p, h - 1)))
			continue;
		if (!q_is_word(p, h) ||
		    (p->tok[h].flags & QF_CAP && !(p->tok[h].lex & QL_NAT) &&
			!(p->tok[h].flags & QF_UPPER)))
			return;
		if ((p->tok[h].lex & QL_NOMINAL) &&
		    !(p->tok[h].lex & (QL_ORG | QL_ORGSUB)))
			break;
	}
	if (h >= b || h >= ss + 7 || h + 1 >= b)
		return;
	/* the verb, or an apposition or relative clause set off by a comma;
	 * "a spokesman for X" names the body, not a person left unnamed */
	if (!(p->tok[h + 1].ch == ',' ||
		(q_is_lower_word(p, h + 1) && !(p->tok[h + 1].lex & QL_PREP))))
		return;
	note_unnamed(c, p, ss, h);
}

/* A sentence opening "<Capitalised words>'s <person noun> <verb>" (a
 * run of at most six words ending in a possessive, then one lower-case
 * person noun, then a lower-case word): the person the noun describes is
 * unnamed, and "the <noun>" later refers to that person, as after an
 * indefinite description. */
static void
note_possessive(struct qctx *c, const struct qpara *p, size_t ss, size_t b)
{
	size_t t, h;

	for (t = ss; t < b && t < ss + 6; t++) {
		if (!q_is_word(p, t) || !(p->tok[t].flags & QF_CAP))
			return;
		if (p->tok[t].flags & QF_POSS)
			break;
	}
	h = t + 1;
	if (t >= b || t >= ss + 6 || h + 1 >= b || !q_is_lower_word(p, h) ||
	    !(p->tok[h].lex & QL_NOMINAL) ||
	    (p->tok[h].lex & (QL_ORG | QL_ORGSUB)) ||
	    !q_is_lower_word(p, h + 1) || (p->tok[h + 1].lex & QL_PREP))
		return;
	note_unnamed(c, p, ss, h);
}

/* Hook for nw_qres_nominal: does "the <head>" at pos refer to the person
 * introduced by an indefinite description, rather than to entity best?
 * Only when the heads are the same noun and nobody fitting was mentioned
 * after that description. */
int
nw_qres_nominal_is_indefinite(
    const struct qctx *c, const char *head, uint64_t pos, long best)
{
	if (c->anon_indef == 0 || c->anon_indef > pos ||
	    strcmp(c->anon_head, head) != 0)
		return 0;
	return best < 0 || c->ent[best].last < c->anon_indef;
}

static void note_possessive(
    struct qctx *, const struct qpara *, size_t ss, size_t b);

void
nw_qres_note_subject(struct qctx *c, const struct qpara *p, size_t ss, size_t b)
{
	int32_t rec[QENT_RECENT];
	const char *roles;
	size_t t = ss, h, nr, ri;
	long r = -1;

	/* "Finnish President X's spokesman said ...": a possessive run and
	 * a person noun, the verb after it; the spokesman is never named */
	if (t < b && q_is_word(p, t) && !(p->tok[t].lex & QL_DET)) {
		note_possessive(c, p, ss, b);
		return;
	}
	/* "The [Kremlin|Russian|...] spokesman", a definite article first */
	if (t >= b || !q_is_word(p, t) || !(p->tok[t].lex & QL_DET))
		return;
	if (p->tok[t].lex & QL_INDEF) {
		note_indefinite(c, p, ss, b);
		return;
	}
	for (h = t + 1; h < b && h < t + 5; h++) {
		if (!q_is_word(p, h))
			return;
		if ((p->tok[h].lex & QL_NOMINAL) &&
		    !(p->tok[h].lex & (QL_ORG | QL_ORGSUB)))
			break;
	}
	if (h >= b || h >= t + 5)
		return;
	/* a name or an apposition after the head names the person; only a
	 * lower-case word (the verb) leaves it unnamed */
	if (h + 1 >= b || !q_is_lower_word(p, h + 1) ||
	    (p->tok[h + 1].lex & QL_PREP))
		return;
	/* the person it refers back to, as nw_qres_nominal reads it: the
	 * one known whose title fits (the latest), else the one who spoke */
	roles = nw_qlex_nominal_class(q_low(p, h));
	if (roles == NULL)
		roles = q_low(p, h);
	nr = recent_sorted(c, rec);
	c->work.entities += nr;
	for (ri = 0; ri < nr; ri++) {
		const struct qent *e = &c->ent[rec[ri]];

		if (e->type == NW_SPEAKER_PERSON &&
		    title_matches(e->title ? e->title : e->role, roles, NULL, 0,
			0, 0) > 0 &&
		    (r < 0 || e->last >= c->ent[r].last))
			r = rec[ri];
	}
	if (r < 0 && c->cur_speaker >= 0 &&
	    c->ent[c->cur_speaker].type == NW_SPEAKER_PERSON)
		r = c->cur_speaker;
	if (r < 0)
		r = c->lead;
	if (r >= 0) {
		/* a mention of that person, as the subject of its sentence */
		nw_qent_seen(c, r, q_pos(p, h));
		c->ent[r].sent_last = c->ent[r].sent_subj = q_pos(p, ss);
		return;
	}
	c->anon_subj = q_pos(p, ss);
}
