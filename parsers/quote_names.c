/* People and organisations in wire copy: finding the name in a run of
 * capitalised words (titles, nationality words and bodies stripped), the
 * entities a dispatch mentions and how a later mention (surname alone,
 * Russian oblique case) finds them again, and Russian names put back in
 * the nominative. */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "quote_int.h"

static int
ends_with(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);

	return n >= m && memcmp(s + n - m, suf, m) == 0;
}

int
nw_qnames_is_name_tok(const struct qpara *p, size_t t)
{
	const struct qtok *k = &p->tok[t];

	if (!(k->flags & QF_WORD) || !(k->flags & QF_CAP) || k->span >= 0)
		return 0;
	if (k->flags & QF_DIGIT)
		return 0;
	return 1;
}

/* Byte end of a token without a possessive 's. */
static size_t
tok_end(const struct qpara *p, size_t t)
{
	size_t e = p->tok[t].e;

	if (p->tok[t].flags & QF_POSS)
		e -= (p->s[e - 2] == '\'') ? 2 : 4;
	return e;
}

static char *
dup_range(const struct qpara *p, size_t a, size_t b)
{
	size_t s = p->tok[a].b, e = tok_end(p, b - 1);

	return strndup(p->s + s, e - s);
}

static char *
dup_lower(const char *s)
{
	size_t len = strlen(s), i = 0, n = 0;
	utf8proc_int32_t c;
	utf8proc_ssize_t k;
	char *out;

	if ((out = malloc(len * 2 + 4)) == NULL)
		return NULL;
	while (i < len) {
		k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
		    (utf8proc_ssize_t)(len - i), &c);
		if (k <= 0) {
			out[n++] = s[i++];
			continue;
		}
		i += (size_t)k;
		c = utf8proc_tolower(c);
		if (c == 0x451)
			c = 0x435;
		if (c == 0x2019)
			c = '\'';
		n += (size_t)utf8proc_encode_char(
		    c, (utf8proc_uint8_t *)out + n);
	}
	out[n] = '\0';
	return out;
}

static char *
dup_lower_tok(const struct qpara *p, size_t t)
{
	char *s = strndup(p->s + p->tok[t].b, p->tok[t].e - p->tok[t].b);
	char *l;

	if (s == NULL)
		return NULL;
	l = dup_lower(s);
	free(s);
	return l;
}

/* Gender from the shape of a surname in the nominative. */
static int
surname_gender(const char *low)
{
	static const char *const fem[] = {"ова", "ева", "ина", "ына", "ая",
	    "ova", "eva", "ina", "yna", "aya", "skaya", "kaya"};
	static const char *const masc[] = {"ов", "ев", "ин", "ын", "ий", "ый",
	    "ov", "ev", "yov", "in", "yn", "sky", "skiy", "ky"};
	size_t i;

	for (i = 0; i < sizeof fem / sizeof fem[0]; i++)
		if (ends_with(low, fem[i]))
			return 'f';
	for (i = 0; i < sizeof masc / sizeof masc[0]; i++)
		if (ends_with(low, masc[i]))
			return 'm';
	return 0;
}

static void
cap_first(char *s)
{
	utf8proc_int32_t c;
	utf8proc_ssize_t n;
	utf8proc_uint8_t buf[4];

	n = utf8proc_iterate((utf8proc_uint8_t *)s, -1, &c);
	if (n <= 0)
		return;
	c = utf8proc_toupper(c);
	if (utf8proc_encode_char(c, buf) == n)
		memcpy(s, buf, (size_t)n);
}

/* A Russian surname in an oblique case (after "по словам", "слова")
 * put back in the nominative by its paradigm (quote_morph.c); gender 'f',
 * 'm' or 0 (guess). malloc'd. */
char *
nw_qnames_ru_nominative(const char *w, size_t len, int gender)
{
	char *low, *out;

	if ((low = strndup(w, len)) == NULL)
		return NULL;
	out = nw_qmorph_surname_nom(low, gender);
	free(low);
	return out;
}

long
nw_qnames_entity_new(
    struct qctx *c, const char *name, size_t len, enum nw_speaker_type type)
{
	struct qent *e, *ne;
	char *sp;

	if (c->failed || len == 0)
		return -1;
	if (c->nent == c->capent) {
		size_t ncap = c->capent ? c->capent * 2 : 16;

		if (c->nent >= 512)
			return -1; /* bounded work on hostile input */
		if ((ne = realloc(c->ent, ncap * sizeof *ne)) == NULL) {
			c->failed = 1;
			return -1;
		}
		c->ent = ne;
		c->capent = ncap;
	}
	e = &c->ent[c->nent];
	memset(e, 0, sizeof *e);
	e->type = type;
	e->speaker = -1;
	if ((e->name = strndup(name, len)) == NULL)
		goto fail;
	if ((e->key = dup_lower(e->name)) == NULL)
		goto fail;
	if (type == NW_SPEAKER_PERSON) {
		/* the key is the surname: the last word */
		if ((sp = strrchr(e->key, ' ')) != NULL)
			memmove(e->key, sp + 1, strlen(sp + 1) + 1);
	} else if (strncmp(e->key, "the ", 4) == 0) {
		memmove(e->key, e->key + 4, strlen(e->key + 4) + 1);
		memmove(e->name, e->name + 4, strlen(e->name + 4) + 1);
	}
	e->ru = ((unsigned char)e->key[0] >= 0xd0);
	{
		uint32_t h = nw_qent_bucket(e->key);

		e->next = c->bucket[h];
		c->bucket[h] = (int32_t)c->nent + 1;
	}
	nw_qent_touch(c, (long)c->nent);
	return (long)c->nent++;
fail:
	free(e->name);
	free(e->key);
	c->failed = 1;
	return -1;
}

/* The person a surname (lower-case, any case form) refers to: the most
 * recently mentioned one with that surname. */
long
nw_qnames_find_surname(struct qctx *c, const char *low, int ru)
{
	long best = -1;
	size_t i;

	uint32_t h = nw_qent_bucket(low);
	int32_t x;

	for (x = c->bucket[h]; x > 0; x = c->ent[x - 1].next) {
		const struct qent *e = &c->ent[x - 1];

		c->work.entities++;
		i = (size_t)x - 1;
		if (e->type != NW_SPEAKER_PERSON)
			continue;
		if ((strcmp(e->key, low) == 0 ||
			((ru || e->ru) && nw_qmorph_inflects(e->key, low))) &&
		    (best < 0 || e->last > c->ent[best].last ||
			(e->last == c->ent[best].last && (long)i > best)))
			best = (long)i;
	}
	for (x = c->bucket2[h]; x > 0; x = c->ent[x - 1].next2) {
		const struct qent *e = &c->ent[x - 1];

		c->work.entities++;
		i = (size_t)x - 1;
		if (e->type == NW_SPEAKER_PERSON && strcmp(e->key2, low) == 0 &&
		    (best < 0 || e->last > c->ent[best].last ||
			(e->last == c->ent[best].last && (long)i > best)))
			best = (long)i;
	}
	return best;
}

static long
find_org(struct qctx *c, const char *key)
{
	uint32_t h = nw_qent_bucket(key);
	long best = -1;
	int32_t x;

	/* the first made, as a scan in order would find it */
	for (x = c->bucket[h]; x > 0;
	     x = c->ent[x - 1].next, c->work.entities++)
		if (c->ent[x - 1].type == NW_SPEAKER_ORGANISATION &&
		    strcmp(c->ent[x - 1].key, key) == 0)
			best = x - 1;
	for (x = c->bucket2[h]; x > 0;
	     x = c->ent[x - 1].next2, c->work.entities++)
		if (c->ent[x - 1].type == NW_SPEAKER_ORGANISATION &&
		    strcmp(c->ent[x - 1].key2, key) == 0 &&
		    (best < 0 || x - 1 < best))
			best = x - 1;
	return best;
}

uint32_t
nw_qent_bucket(const char *key)
{
	uint32_t h = (unsigned char)key[0];

	if (key[0] != '\0')
		h = h * 31 + (unsigned char)key[1];
	return h % QENT_BUCKETS;
}

void
nw_qent_touch(struct qctx *c, long e)
{
	size_t i, n = c->nrecent;

	c->work.entities += n;
	for (i = 0; i < n; i++)
		if (c->recent[i] == (int32_t)e)
			break;
	if (i == n) {
		if (n < QENT_RECENT)
			c->nrecent++;
		i = c->nrecent - 1;
	}
	memmove(&c->recent[1], &c->recent[0], i * sizeof c->recent[0]);
	c->recent[0] = (int32_t)e;
}

void
nw_qent_seen(struct qctx *c, long e, uint64_t pos)
{
	c->ent[e].last = pos;
	if (c->ent[e].first == 0)
		c->ent[e].first = pos;
	nw_qent_touch(c, e);
}

void
nw_qent_set_key2(struct qctx *c, long e, char *key2)
{
	uint32_t h;

	if (key2 == NULL)
		return;
	free(c->ent[e].key2);
	c->ent[e].key2 = key2;
	h = nw_qent_bucket(key2);
	c->ent[e].next2 = c->bucket2[h];
	c->bucket2[h] = (int32_t)e + 1;
}

static int
is_given(const struct qpara *p, size_t t, int *gender)
{
	const struct qtok *k = &p->tok[t];
	int g = 0;

	if (!nw_qnames_is_name_tok(p, t))
		return 0;
	if (k->lex & QL_GIVEN_M) {
		*gender = 'm';
		return 1;
	}
	if (k->lex & QL_GIVEN_F) {
		*gender = 'f';
		return 1;
	}
	if (!(k->flags & QF_CYR))
		return 0;
	/* the lookup tries many endings: remember its answer */
	if (k->rgiven == 0) {
		p->tok[t].rgiven =
		    nw_qlex_ru_given(q_low(p, t), &g) != NULL ? (char)g : 'n';
	}
	if (k->rgiven == 'n')
		return 0;
	*gender = k->rgiven;
	return 1;
}

/* "Chinese Foreign Ministry Spokesperson Mao Ning": a run with a role word
 * and one to three plain name words after it names a person, who starts
 * after the role. Sets *ns. */
static int lone_surname_ok(const struct qpara *, size_t);

int
nw_qnames_titled(const struct qpara *p, size_t t, size_t r, size_t *ns)
{
	size_t k, n;
	int found = 0;

	for (k = r; k > t; k--)
		if ((p->tok[k - 1].lex & QL_TITLE) &&
		    !(p->tok[k - 1].lex & QL_ORG)) {
			found = 1;
			break;
		}
	if (!found || k >= r || (p->tok[k - 1].flags & QF_MARK))
		return 0;
	k--; /* the role word */
	if (r - (k + 1) > 3)
		return 0;
	if (r - (k + 1) == 1 && !lone_surname_ok(p, k + 1))
		return 0; /* "Президент Сербии" */
	for (n = k + 1; n < r; n++) {
		uint32_t l = p->tok[n].lex &
		    ~(QL_ASIAN | QL_GIVEN_M | QL_GIVEN_F | QL_PARTICLE);

		if (l != 0 || (p->tok[n].flags & (QF_UPPER | QF_MARK)) ||
		    !(p->tok[n].flags & QF_WORD))
			return 0;
	}
	*ns = k + 1;
	return 1;
}

/* "Ольги Беленькой": a Russian given name not in the nominative tells the
 * case of the whole name. */
static int
given_oblique(const struct qpara *p, size_t t)
{
	const char *nom;
	int g;

	if (!(p->tok[t].flags & QF_CYR))
		return 0;
	nom = nw_qlex_ru_given(q_low(p, t), &g);
	return nom != NULL && strcmp(nom, q_low(p, t)) != 0;
}

/* "слова ... Александра Ивлева": in an oblique case, a given name that
 * reads as a woman's nominative or a man's genitive is the man's when the
 * surname has a man's genitive ending. Returns the male nominative. */
static const char *
ambiguous_male(const struct qpara *p, size_t a, size_t b)
{
	const char *low = q_low(p, a), *nom, *sur = q_low(p, b - 1);
	char buf[64];
	size_t n = strlen(low);
	int g = 0;

	if (b - a < 2 || n < 4 || n >= sizeof buf ||
	    strcmp(low + n - 2, "а") != 0)
		return NULL;
	memcpy(buf, low, n - 2);
	buf[n - 2] = '\0';
	if ((nom = nw_qlex_ru_given(buf, &g)) == NULL || g != 'm' ||
	    strcmp(nom, buf) != 0)
		return NULL;
	return nw_qmorph_surname_in_case(sur, 'm', NW_QCASE_GEN) ? nom : NULL;
}

/* "Vice Minister of Energy X Y", "Governor of the Bank of Russia X Y":
 * a role word opens the chain of "of" phrases ending at token o. */
static int
role_of_before(const struct qpara *p, size_t a, size_t o)
{
	size_t k, n = 0;

	for (k = o; k > a && n < 8; k--, n++) {
		const struct qtok *w = &p->tok[k - 1];

		if (!(w->flags & QF_WORD))
			return 0;
		if ((w->lex & QL_TITLE) && !(w->lex & QL_ORG))
			return 1;
		if (w->lex & (QL_VERB | QL_STOP) || w->verb)
			return 0;
	}
	return 0;
}

/* One capitalised word after a role: "министр Лавров" names a person,
 * "президент Сербии", "глава МИД" a place or body in the genitive. An
 * acronym never is a surname; a Russian word is one when it ends like a
 * surname in some case. */
static int
lone_surname_ok(const struct qpara *p, size_t t)
{
	static const char *const ends[] = {"ко", "ук", "юк", "як", "дзе",
	    "швили", "ич", "ян", "янц", "ова", "ову", "овым", "ове", "ева",
	    "еву", "евым", "ине", "ину", "иным", "ого", "ому"};
	const char *low = q_low(p, t);
	size_t i;

	if (p->tok[t].flags & QF_UPPER)
		return 0;
	if (!(p->tok[t].flags & QF_CYR) || nw_qmorph_surname_gender(low))
		return 1;
	for (i = 0; i < sizeof ends / sizeof ends[0]; i++)
		if (ends_with(low, ends[i]) && strlen(low) >= 8)
			return 1;
	return 0;
}

/* A given name the table does not know, in the genitive beside a surname
 * in the genitive ("Тимофея Белякова", "Снежаны Лосевой"): the nominative
 * by the regular endings, the gender from the surname. malloc'd or NULL. */
static char *
guess_given_nom(const struct qpara *p, size_t a, size_t b, int *gender)
{
	static const struct {
		const char *end, *nom;
		int g, kase; /* 1 genitive, 2 dative, 4 instrumental */
	} rules[] = {
	    {"ея", "ей", 'm', 1},
	    {"ия", "ий", 'm', 1},
	    {"ая", "ай", 'm', 1},
	    {"ья", "ий", 'm', 1},
	    {"я", "ь", 'm', 1},
	    {"а", "", 'm', 1},
	    {"ии", "ия", 'f', 1},
	    {"ьи", "ья", 'f', 1},
	    {"ы", "а", 'f', 1},
	    {"и", "а", 'f', 1},
	    /* "(с) Касым-Жомартом Токаевым", "Нурсултану Назарбаеву" */
	    {"ом", "", 'm', 4},
	    {"у", "", 'm', 2},
	    {"ой", "а", 'f', 4},
	};
	int kase;
	const char *low = q_low(p, a), *sur = q_low(p, b - 1);
	size_t n = strlen(low), i, m;
	int g = 0;
	char *out;

	if (b - a != 2 || !(p->tok[a].flags & QF_CAP))
		return NULL;
	/* the surname's genitive tells the gender */
	if (nw_qmorph_surname_in_case(sur, 'f', NW_QCASE_GEN))
		g = 'f';
	else if (nw_qmorph_surname_in_case(sur, 'm', NW_QCASE_GEN))
		g = 'm';
	/* else the instrumental, then the dative */
	for (kase = g ? 1 : 4; !g && kase >= 2; kase -= 2) {
		if (nw_qmorph_surname_in_case(sur, 'm', kase))
			g = 'm';
		else if (nw_qmorph_surname_in_case(sur, 'f', kase))
			g = 'f';
		if (g)
			break;
	}
	if (!g)
		return NULL;
	for (i = 0; i < sizeof rules / sizeof rules[0]; i++) {
		m = strlen(rules[i].end);
		if (rules[i].g != g || rules[i].kase != kase ||
		    !ends_with(low, rules[i].end) || n <= m + 4)
			continue;
		if ((out = malloc(n - m + strlen(rules[i].nom) + 1)) == NULL)
			return NULL;
		memcpy(out, low, n - m);
		strcpy(out + n - m, rules[i].nom);
		/* "Касым-Жомарт": each part of a hyphenated name */
		{
			char *h;

			for (h = strchr(out, '-'); h != NULL && h[1] != '\0';
			     h = strchr(h + 1, '-'))
				cap_first(h + 1);
		}
		*gender = g;
		return out;
	}
	return NULL;
}

/* "По словам Ирины Яровой ... — отметила Яровая": a woman's genitive in
 * -ой reads as -ова/-ина (Ярова, the common type) or as adjectival -ая
 * (Яровая); the paradigms cannot tell, the dispatch can. A nominative in
 * -ая met later whose genitive reads back to a woman known by the other
 * reading is that woman, and her name is corrected to it. Returns her
 * entity, or -1. */
static long
reread_adjectival(struct qctx *c, const char *low)
{
	size_t n = strlen(low);
	char gen[96], *other;
	long e = -1;

	if (n < 8 || n + 2 >= sizeof gen || strcmp(low + n - 4, "ая") != 0)
		return -1;
	memcpy(gen, low, n - 4);
	strcpy(gen + n - 4, "ой");
	if ((other = nw_qmorph_surname_nom(gen, 'f')) == NULL)
		return -1;
	if (strcmp(other, low) != 0 &&
	    nw_qent_bucket(other) == nw_qent_bucket(low))
		e = nw_qnames_find_surname(c, other, 1);
	if (e >= 0 &&
	    (c->ent[e].gender != 'f' || strcmp(c->ent[e].key, other) != 0))
		e = -1;
	free(other);
	if (e >= 0) {
		struct qent *en = &c->ent[e];
		char *last = strrchr(en->name, ' '), *nn, *key;
		size_t keep = last ? (size_t)(last + 1 - en->name) : 0;

		/* the name with its last word in the new reading (the
		 * capital is the first two bytes of a Cyrillic word) */
		if ((key = strdup(low)) == NULL ||
		    (nn = malloc(keep + n + 1)) == NULL) {
			free(key);
			return e;
		}
		memcpy(nn, en->name, keep);
		memcpy(nn + keep, en->name + keep, 2);
		strcpy(nn + keep + 2, low + 2);
		free(en->name);
		en->name = nn;
		free(en->key);
		en->key = key;
	}
	return e;
}

/* The case a Russian given name at t is in, told by its ending against
 * its nominative: 1 genitive, 2 dative, 3 accusative, 4 instrumental, 5
 * prepositional; 0 when it is the nominative, unknown, or ambiguous
 * ("Марии" is a genitive, dative or prepositional). */
static int
given_case(const struct qpara *p, size_t t)
{
	static const struct {
		const char *end;
		int gender, kase;
	} ends[] = {
	    {"ом", 'm', 4},
	    {"ем", 'm', 4},
	    {"ой", 'f', 4},
	    {"ей", 'f', 4},
	    {"ью", 'f', 4},
	    {"а", 'm', 1},
	    {"я", 'm', 1},
	    {"у", 'm', 2},
	    {"ю", 'm', 2},
	    {"е", 'm', 5},
	    {"ы", 'f', 1},
	    {"и", 'f', 1},
	    {"у", 'f', 3},
	    {"ю", 'f', 3},
	    {"е", 'f', 2},
	};
	const char *low = q_low(p, t), *nom;
	size_t i, n = strlen(low);
	int g = 0;

	if (!(p->tok[t].flags & QF_CYR) ||
	    (nom = nw_qlex_ru_given(low, &g)) == NULL || strcmp(nom, low) == 0)
		return 0;
	/* -ия names: the genitive, dative and prepositional are one form */
	if (ends_with(nom, "ия") && ends_with(low, "и"))
		return 0;
	for (i = 0; i < sizeof ends / sizeof ends[0]; i++)
		if (ends[i].gender == g && ends_with(low, ends[i].end) &&
		    n > strlen(ends[i].end))
			return ends[i].kase;
	return 0;
}

/* Builds the person name at [a, b) (a given name and surname, or a
 * surname) and finds or makes its entity. oblique: the words are in a
 * Russian oblique case. */
static char *strip_case(
    const struct qpara *, size_t t, int last, int kase, int g);

static long
person_at(struct qctx *c, const struct qpara *p, size_t a, size_t b,
    int oblique, int gender, int hint)
{
	char name[512], *w;
	size_t n = 0, t, len;
	long e;
	int g = 0, gg;

	if (b <= a || b - a > 5)
		return -1;
	if (is_given(p, a, &gg)) {
		g = gg;
		if (b - a > 1 && given_oblique(p, a))
			oblique = 1;
	}
	if (!g)
		g = gender;
	if (!g && !oblique && (p->tok[b - 1].flags & QF_CYR))
		g = nw_qmorph_surname_gender(q_low(p, b - 1));
	for (t = a; t < b; t++) {
		const char *src = p->s + p->tok[t].b;
		size_t l = tok_end(p, t) - p->tok[t].b;
		char *tmp = NULL;

		if ((p->tok[t].flags & QF_CYR) && oblique) {
			int gx = 0, kase;
			const char *nom;

			if (t == a && b - a > 1 &&
			    (nom = ambiguous_male(p, a, b)) != NULL) {
				tmp = strdup(nom);
				g = 'm';
			} else if (t == a && b - a > 1 &&
			    (nom = nw_qlex_ru_given(q_low(p, t), &gx)) !=
				NULL) {
				tmp = strdup(nom);
			} else if (t == a &&
			    (tmp = guess_given_nom(p, a, b, &gx)) != NULL) {
				g = gx;
			} else if (hint && b - a > 1 &&
			    (tmp = strip_case(p, t, t == b - 1, hint, g)) !=
				NULL) {
				/* "(с министром) Хаканом Фиданом": the case
				 * of the role in front */
			} else if (t == b - 1 && b - a > 1 &&
			    (kase = given_case(p, a)) != 0) {
				/* the surname in the case of the given name
				 * ("Фридрихом Мерцем": instrumental, Мерц) */
				tmp = nw_qmorph_surname_nom_case(
				    q_low(p, t), g, kase);
			} else if (t == b - 1) {
				tmp = nw_qnames_ru_nominative(
				    q_low(p, t), strlen(q_low(p, t)), g);
			} else if (t > a &&
			    (tmp = nw_qmorph_patronymic_nom(
				 q_low(p, t), &gx)) != NULL) {
				/* "Ирины Ивановны Петровой" */
				if (!g)
					g = gx;
			}
			if (tmp != NULL) {
				cap_first(tmp);
				src = tmp;
				l = strlen(tmp);
			}
		}
		if (n + l + 2 >= sizeof name) {
			free(tmp);
			return -1;
		}
		if (n > 0)
			name[n++] = ' ';
		memcpy(name + n, src, l);
		n += l;
		free(tmp);
	}
	name[n] = '\0';
	/* known already? by the surname, lower-cased */
	{
		const char *last = strrchr(name, ' ');

		last = last ? last + 1 : name;
		if (!oblique || !(p->tok[b - 1].flags & QF_CYR)) {
			e = nw_qnames_find_surname(c, q_low(p, b - 1),
			    (p->tok[a].flags & QF_CYR) != 0);
		} else {
			if ((w = dup_lower(last)) == NULL)
				return -1;
			e = nw_qnames_find_surname(
			    c, w, (p->tok[a].flags & QF_CYR) != 0);
			free(w);
			/* the reading guessed may not be the one known:
			 * "Яровой" is a case of "Яровая" met before */
			if (e < 0)
				e = nw_qnames_find_surname(
				    c, q_low(p, b - 1), 1);
		}
		if (e < 0 && b - a > 1 && (p->tok[a].lex & QL_ASIAN))
			e = nw_qnames_find_surname(c, q_low(p, a), 0);
		if (e < 0 && !oblique && (p->tok[b - 1].flags & QF_CYR))
			e = reread_adjectival(c, q_low(p, b - 1));
	}
	if (e >= 0) {
		struct qent *en = &c->ent[e];

		/* a fuller name than the one known: keep the fuller */
		len = strlen(name);
		if (b - a > 1 && strchr(en->name, ' ') == NULL) {
			char *nn = strdup(name);

			if (nn != NULL) {
				free(en->name);
				en->name = nn;
			}
		}
		(void)len;
		if (!en->gender && g)
			en->gender = g;
		return e;
	}
	if ((e = nw_qnames_entity_new(c, name, n, NW_SPEAKER_PERSON)) < 0)
		return -1;
	if (b - a > 1 && (p->tok[a].lex & QL_ASIAN) &&
	    !(p->tok[a].lex & (QL_GIVEN_M | QL_GIVEN_F))) {
		nw_qent_set_key2(
		    c, e, strndup(q_low(p, a), strlen(q_low(p, a))));
	}
	/* "Sheikh Ali al-Khalifa al-Sabah" is "Sheikh Ali" later: a name
	 * with joined particles is also known by its first word */
	if (b - a > 2 && c->ent[e].key2 == NULL &&
	    (unsigned char)p->s[p->tok[a + 1].b] >= 'a' &&
	    (unsigned char)p->s[p->tok[a + 1].b] <= 'z' &&
	    (p->tok[a + 1].flags & QF_CAP))
		nw_qent_set_key2(
		    c, e, strndup(q_low(p, a), strlen(q_low(p, a))));
	if (!g)
		g = surname_gender(c->ent[e].key);
	c->ent[e].gender = g;
	return e;
}

/* Is low a patronymic in some case? (the paradigms in quote_morph.c) */
int
nw_qnames_role_link(const struct qpara *p, size_t t)
{
	static const char *const links[] = {"for", "of", "to"};
	size_t i;

	if (!(p->tok[t].flags & QF_WORD))
		return 0;
	for (i = 0; i < sizeof links / sizeof links[0]; i++)
		if (strcmp(q_low(p, t), links[i]) == 0)
			return 1;
	return 0;
}

static int
patronymic(const char *low)
{
	char *nom = nw_qmorph_patronymic_nom(low, NULL);

	free(nom);
	return nom != NULL;
}

static int
is_title_word(const struct qtok *k)
{
	return (k->lex & (QL_TITLE | QL_NAT)) != 0;
}

/* The person named inside the capitalised run [a, b): strip role,
 * nationality and body words in front, start at a given name when there
 * is one. Sets *ns, *ne to the name tokens. */
static int
person_in_run(const struct qpara *p, size_t a, size_t b, size_t *ns, size_t *ne)
{
	size_t t, s = a;
	int g;

	/* the last given name that still leaves a surname after it */
	for (t = b; t-- > a;)
		if (is_given(p, t, &g) && t + 1 < b &&
		    !(p->tok[t + 1].lex & (QL_ORG | QL_TITLE))) {
			*ns = t;
			*ne = b;
			/* a run ending in a possessive is not longer */
			return 0;
		}
	for (t = a; t < b; t++)
		if (is_title_word(&p->tok[t]) ||
		    (p->tok[t].lex & (QL_ORG | QL_ORGNAME)) ||
		    (p->tok[t].flags & QF_POSS && t + 1 < b))
			s = t + 1;
	if (s >= b)
		return -1;
	if (b - s > 3)
		s = b - 2;
	/* "Vice Minister of Trade Nurlan Abenov": after "of", the first of
	 * three capitalised words ends the role */
	if (b - s == 3 && s == a && a > 0 && !(p->tok[s].flags & QF_CYR) &&
	    nw_qnames_role_link(p, a - 1))
		s = b - 2;
	/* Russian names have two words, or three with a patronymic in the
	 * middle: "Казахстана Айдарбек Сапаров" is a place and a name */
	if (b - s == 3 && (p->tok[s].flags & QF_CYR) &&
	    !patronymic(q_low(p, s + 1)))
		s = b - 2;
	/* a name does not start at a particle inside a run: "(to Belarus)
	 * Nguyen Van Thanh", "(of France) Charles de Gaulle" */
	while (s > a && (p->tok[s].lex & QL_PARTICLE) &&
	    !is_title_word(&p->tok[s - 1]) &&
	    !(p->tok[s - 1].lex & (QL_ORG | QL_ORGNAME)))
		s--;
	*ns = s;
	*ne = b;
	return 0;
}

/* Is the role noun in front of the name at ns (over a body or place in
 * the genitive) in the dative or instrumental ("с президентом Казахстана
 * Касым-Жомартом Токаевым", "министру X")? Then the name in apposition is
 * in that case too. The genitive is left alone: "пресс-секретарь
 * президента Дмитрий Песков" is a name in the nominative. */
static int
title_oblique_before(const struct qpara *p, size_t ns)
{
	static const struct {
		const char *end;
		int kase;
	} ends[] = {
	    {"ом", 4}, {"ем", 4}, {"ому", 2}, {"ему", 2}, {"у", 2}, {"ю", 2}};
	const char *w, *nom;
	size_t k = ns, i, n;

	while (k > 0 && ns - k < 4 && (p->tok[k - 1].flags & QF_CAP) &&
	    (p->tok[k - 1].flags & QF_CYR) &&
	    !(p->tok[k - 1].flags & QF_SSTART))
		k--;
	/* over the role's own genitive: "министром иностранных дел" */
	while (k > 0 && ns - k < 7 && q_is_lower_word(p, k - 1) &&
	    (p->tok[k - 1].flags & QF_CYR) && !(p->tok[k - 1].lex & QL_TITLE) &&
	    !(p->tok[k - 1].lex & (QL_VERB | QL_STOP | QL_PREP)) &&
	    !p->tok[k - 1].verb)
		k--;
	if (k == 0 || !(p->tok[k - 1].flags & QF_CYR) ||
	    !(p->tok[k - 1].flags & QF_WORD) || !(p->tok[k - 1].lex & QL_TITLE))
		return 0;
	w = q_low(p, k - 1);
	if ((nom = nw_qmorph_title_nom(w)) == NULL || strcmp(nom, w) == 0)
		return 0;
	n = strlen(w);
	for (i = 0; i < sizeof ends / sizeof ends[0]; i++)
		if (n > strlen(ends[i].end) &&
		    strcmp(w + n - strlen(ends[i].end), ends[i].end) == 0)
			return ends[i].kase;
	return 0;
}

/* The nominative of word t of a man's name in case kase (2 dative, 4
 * instrumental) known from the role in front: the surname paradigms
 * first, then the plain consonant stem of a foreign name ("Хаканом" ->
 * "Хакан", "Фидану" -> "Фидан"); NULL when neither reads it. malloc'd. */
static char *
strip_case(const struct qpara *p, size_t t, int last, int kase, int g)
{
	const char *low = q_low(p, t), *end = kase == 4 ? "ом" : "у";
	size_t n = strlen(low), m = strlen(end);
	char *out;

	if (g == 'f')
		return NULL;
	if (last) {
		out = nw_qmorph_surname_nom_case(low, 'm', kase);
		if (out == NULL || strcmp(out, low) != 0)
			return out;
		free(out);
	}
	if (n <= m + 4 || !ends_with(low, end))
		return NULL;
	if ((out = malloc(n - m + 1)) == NULL)
		return NULL;
	memcpy(out, low, n - m);
	out[n - m] = '\0';
	return out;
}

/* A capitalised word that can be part of a person's name: not a role,
 * body, nationality or acronym, not the sentence's first word. */
static int
cap_name_word(const struct qpara *p, size_t k)
{
	return (p->tok[k].flags & QF_WORD) && (p->tok[k].flags & QF_CAP) &&
	    !(p->tok[k].flags & (QF_UPPER | QF_SSTART)) &&
	    !(p->tok[k].lex & (QL_TITLE | QL_ORG | QL_ORGNAME | QL_NAT));
}

/* Endings of a Russian word in the genitive (singular or plural). */
static const char *const ru_gen_ends[] = {
    "а", "я", "ы", "и", "ой", "ей", "ого", "его", "ых", "их", "ов", "ев"};

/* Where the role in front of the name at ns starts, at ta or later: past
 * the last given name (and the surname after it) or reporting verb. */
static size_t
role_start(const struct qpara *p, size_t ta, size_t ns)
{
	size_t k;
	int g;

	for (k = ns; k-- > ta;) {
		if ((p->tok[k].flags & QF_WORD) &&
		    ((p->tok[k].lex & QL_VERB) || p->tok[k].verb))
			return k + 1;
		/* "Министр X Петер Сийярто провел переговоры с": a name of
		 * two capitalised words, a lower-case word after it, the
		 * last word in no genitive (that would be a body's or a
		 * place's name: "Совета Федерации Федерального собрания") */
		if (k > ta && k + 1 < ns && q_is_lower_word(p, k + 1) &&
		    cap_name_word(p, k) && cap_name_word(p, k - 1)) {
			size_t i;

			for (i = 0;
			     i < sizeof ru_gen_ends / sizeof ru_gen_ends[0];
			     i++)
				if (ends_with(q_low(p, k), ru_gen_ends[i]))
					break;
			if (i == sizeof ru_gen_ends / sizeof ru_gen_ends[0])
				return k + 1;
		}
		if (is_given(p, k, &g) && k + 1 < ns) {
			k++;
			while (k < ns && (p->tok[k].flags & QF_CAP) &&
			    !(p->tok[k].lex & (QL_TITLE | QL_ORG)))
				k++;
			return k;
		}
	}
	return ta;
}

long
nw_qnames_person(struct qctx *c, const struct qpara *p, size_t a, size_t b,
    int oblique, size_t ta, size_t tb, int gender)
{
	size_t ns, ne;
	long e;

	int hint = 0, had_role;

	if (person_in_run(p, a, b, &ns, &ne) < 0)
		return -1;
	if (ne - ns > 1 && given_oblique(p, ns))
		oblique = 1;
	if (!oblique && (hint = title_oblique_before(p, ns)) != 0)
		oblique = 1;
	if ((e = person_at(c, p, ns, ne, oblique, gender, hint)) < 0)
		return -1;
	had_role = c->ent[e].title != NULL || c->ent[e].role != NULL;
	/* found through an inflected surname: the words around it are in
	 * an oblique case too */
	if ((p->tok[ne - 1].flags & QF_CYR) &&
	    strcmp(q_low(p, ne - 1), c->ent[e].key) != 0)
		oblique = 1;
	/* the role in front never reaches over another person's name or a
	 * reporting verb: "Министр X Павел Корнеев в беседе с телеведущим
	 * Владимиром Соловьевым" gives Соловьев no minister's role */
	if (ta < ns)
		ta = role_start(p, ta, ns);
	/* the role that came with it: words in front of the name (from an
	 * oblique case only for matching: "мэра города" is no title) */
	if (c->ent[e].title == NULL && oblique && c->ent[e].role == NULL &&
	    ta < ns && ns - ta <= 14) {
		size_t bb = p->tok[ta].b, eb = p->tok[ns - 1].e;

		c->ent[e].role = strndup(p->s + bb, eb - bb);
	}
	if (c->ent[e].title == NULL && !oblique) {
		size_t s = ta, t2 = ns;

		if (tb > ta)
			t2 = tb; /* an appositive after the name */
		else
			tb = ns;
		(void)t2;
		while (s < tb && (p->tok[s].lex & QL_DET))
			s++;
		if (tb > s && tb - s <= 14) {
			size_t bb = p->tok[s].b, eb = tok_end(p, tb - 1);

			if (p->tok[tb - 1].ch == ',' || p->tok[tb - 1].ch)
				eb = p->tok[tb - 1].b;
			while (eb > bb && p->s[eb - 1] == ' ')
				eb--;
			if (eb > bb)
				c->ent[e].title = strndup(p->s + bb, eb - bb);
		}
	}
	/* "spokeswoman Tammy Bruce": a role that tells the gender of a
	 * name that does not (read once, when the role is first known) */
	if (!c->ent[e].gender && !had_role &&
	    (c->ent[e].title != NULL || c->ent[e].role != NULL))
		c->ent[e].gender = nw_qres_title_gender(
		    c->ent[e].title ? c->ent[e].title : c->ent[e].role);
	return e;
}

/* One name for one body: variants of the country in a body's name, as
 * data ("МИД РФ" and "МИД России" are one ministry). */
static const struct {
	const char *from, *to;
} org_variants[] = {
    {" Российской Федерации", " России"},
    {" РФ", " России"},
};

/* Rewrites the variants in name (malloc'd, taken); NULL when out of
 * memory. Only a variant that ends the name or a word is replaced. */
static char *
org_canonical(char *name)
{
	size_t i;

	for (i = 0; i < sizeof org_variants / sizeof org_variants[0]; i++) {
		size_t fl = strlen(org_variants[i].from),
		       tl = strlen(org_variants[i].to);
		char *h = strstr(name, org_variants[i].from), *nn;

		if (h == NULL || (h[fl] != '\0' && h[fl] != ' '))
			continue;
		if ((nn = malloc(strlen(name) - fl + tl + 1)) == NULL) {
			free(name);
			return NULL;
		}
		memcpy(nn, name, (size_t)(h - name));
		memcpy(nn + (h - name), org_variants[i].to, tl);
		strcpy(nn + (h - name) + tl, h + fl);
		free(name);
		name = nn;
	}
	return name;
}

/* Country adjectives by stem (any case and gender) and the country in the
 * genitive, as a ministry's name carries it: "российского МИД" is "МИД
 * России", "американское Минобороны" "Минобороны США". Sorted. */
static const struct {
	const char *stem, *country;
} nat_country[] = {
    {"американск", "США"},
    {"белорусск", "Белоруссии"},
    {"британск", "Великобритании"},
    {"германск", "Германии"},
    {"израильск", "Израиля"},
    {"индийск", "Индии"},
    {"иранск", "Ирана"},
    {"казахстанск", "Казахстана"},
    {"китайск", "Китая"},
    {"немецк", "Германии"},
    {"российск", "России"},
    {"турецк", "Турции"},
    {"украинск", "Украины"},
    {"французск", "Франции"},
    {"японск", "Японии"},
};

/* name (malloc'd, taken) of the one-word body at [a, b) with the country
 * a lower-case adjective before it names; only a ministry or an acronym
 * (МИД, Минфин, МЧС) takes its country after it. NULL when out of
 * memory. */
static char *
org_with_country(const struct qpara *p, size_t a, size_t b, char *name)
{
	const char *adj, *w;
	size_t i;
	char *nn;

	if (name == NULL || a == 0 || b != a + 1 ||
	    !(p->tok[a].flags & QF_CYR) || !(p->tok[a - 1].flags & QF_CYR) ||
	    !(p->tok[a - 1].flags & QF_WORD) || (p->tok[a - 1].flags & QF_CAP))
		return name;
	w = q_low(p, a);
	if (!(p->tok[a].flags & QF_UPPER) && strncmp(w, "мин", 6) != 0)
		return name;
	adj = q_low(p, a - 1);
	for (i = 0; i < sizeof nat_country / sizeof nat_country[0]; i++)
		if (strncmp(adj, nat_country[i].stem,
			strlen(nat_country[i].stem)) == 0)
			break;
	if (i == sizeof nat_country / sizeof nat_country[0])
		return name;
	if ((nn = malloc(strlen(name) + strlen(nat_country[i].country) + 2)) ==
	    NULL) {
		free(name);
		return NULL;
	}
	strcpy(nn, name);
	strcat(nn, " ");
	strcat(nn, nat_country[i].country);
	free(name);
	return nn;
}

/* A Russian adjective by its ending ("Российское", "Белорусская"): it
 * names no body on its own, the noun after it is part of the name. */
static int
ru_adjective(const struct qpara *p, size_t t)
{
	static const char *const ends[] = {
	    "ое", "ая", "ий", "ый", "ой", "ие", "ые"};
	const char *w;
	size_t i, n;

	if (!(p->tok[t].flags & QF_CYR))
		return 0;
	w = q_low(p, t);
	n = strlen(w);
	if (n < 8)
		return 0;
	for (i = 0; i < sizeof ends / sizeof ends[0]; i++)
		if (strcmp(w + n - 4, ends[i]) == 0)
			return 1;
	return 0;
}

/* Words [t, r) that can only be a name: capitalised, no class but a
 * given name's or a particle's, no acronym. */
static int
plain_name_run(const struct qpara *p, size_t t, size_t r)
{
	for (; t < r; t++)
		if ((p->tok[t].lex &
			~(QL_ASIAN | QL_GIVEN_M | QL_GIVEN_F | QL_PARTICLE)) ||
		    (p->tok[t].flags & (QF_UPPER | QF_MARK)) ||
		    !(p->tok[t].flags & QF_WORD))
			return 0;
	return 1;
}

long
nw_qnames_org(
    struct qctx *c, const struct qpara *p, size_t a, size_t b, int oblique)
{
	char *name, *key;
	long e;
	size_t t;

	while (a < b && (p->tok[a].lex & QL_DET))
		a++;
	if (a >= b)
		return -1;
	if ((name = dup_range(p, a, b)) == NULL)
		return -1;
	/* "посольство России в Бельгии" is the name "Посольство ..." */
	if ((p->tok[a].flags & QF_CYR) && !(p->tok[a].flags & QF_CAP) &&
	    (p->tok[a].lex & QL_ORG) && !(p->tok[a].lex & QL_TITLE))
		cap_first(name);
	if (oblique && (p->tok[a].flags & QF_CYR)) {
		const char *nom = nw_qlex_ru_org_nom(q_low(p, a));
		char stem[96];
		size_t sl = strlen(q_low(p, a));

		/* Минтранса -> Минтранс, Роскосмоса -> Роскосмос */
		if (nom == NULL && sl > 4 && sl < sizeof stem &&
		    strcmp(q_low(p, a) + sl - 2, "а") == 0) {
			memcpy(stem, q_low(p, a), sl - 2);
			stem[sl - 2] = '\0';
			if (nw_qlex_lookup(stem) & QL_ORGNAME) {
				size_t l = p->tok[a].e - p->tok[a].b - 2;
				char *nn = strdup(name);

				if (nn != NULL) {
					memmove(nn + l, nn + l + 2,
					    strlen(nn + l + 2) + 1);
					free(name);
					name = nn;
				}
			}
		}

		if (nom != NULL) {
			size_t rest =
			    strlen(name) - (p->tok[a].e - p->tok[a].b);
			char *nn = malloc(strlen(nom) + rest + 1);

			if (nn != NULL) {
				strcpy(nn, nom);
				strcat(nn, name + (p->tok[a].e - p->tok[a].b));
				if (p->tok[a].flags & QF_CAP)
					cap_first(nn);
				free(name);
				name = nn;
			}
		}
	}
	/* a body named by one word and a descriptor: "the Roscosmos state
	 * space corporation" is Roscosmos; an adjective names no body ("the
	 * Russian foreign ministry" is all of it) */
	if (b - a >= 2 && nw_qnames_is_name_tok(p, a) &&
	    !(p->tok[a].lex & QL_NAT) && !ru_adjective(p, a) &&
	    !(p->tok[a + 1].flags & QF_CAP)) {
		int desc = 1;

		for (t = a + 1; t < b; t++)
			if (p->tok[t].lex & QL_ORGSUB)
				desc = 0;
		if (desc && !(p->tok[a].lex & QL_ORG)) {
			free(name);
			if ((name = dup_range(p, a, a + 1)) == NULL)
				return -1;
		}
	}
	name = org_with_country(p, a, b, name);
	name = org_canonical(name);
	if (name == NULL)
		return -1;
	if ((key = dup_lower(name)) == NULL) {
		free(name);
		return -1;
	}
	e = find_org(c, key);
	free(key);
	if (e < 0)
		e = nw_qnames_entity_new(
		    c, name, strlen(name), NW_SPEAKER_ORGANISATION);
	free(name);
	return e;
}

static int
particle_before_name(const struct qpara *p, size_t r, size_t b)
{
	size_t k = r;

	while (k < b && (p->tok[k].lex & QL_PARTICLE) &&
	    !(p->tok[k].flags & QF_CAP))
		k++;
	return k > r && k < b && nw_qnames_is_name_tok(p, k);
}

/* Does a Russian role noun stand before token t, over at most three
 * lower-case words of its genitive ("министром иностранных дел | Турции")?
 */
static int
ru_role_before(const struct qpara *p, size_t a, size_t t)
{
	size_t k;

	for (k = t; k > a && t - k < 4; k--) {
		const struct qtok *w = &p->tok[k - 1];

		if (!(w->flags & QF_WORD) || !(w->flags & QF_CYR) ||
		    ((w->flags & QF_CAP) && !(w->flags & QF_SSTART)) ||
		    (w->lex & (QL_VERB | QL_STOP)) || w->verb)
			return 0;
		if (w->lex & QL_TITLE)
			return 1;
	}
	return 0;
}

/* Nouns of the press, by stem (any case): the name after one is a
 * paper, channel or agency. Sorted. */
static const char *const press_stems[] = {
    "agency",
    "broadcaster",
    "channel",
    "daily",
    "magazine",
    "newspaper",
    "outlet",
    "tabloid",
    "weekly",
    "агентств",
    "газет",
    "еженедельник",
    "журнал",
    "издани",
    "радиостанци",
    "телеканал",
    "телекомпани",
};

static int
press_noun(const struct qpara *p, size_t k)
{
	const char *w;
	size_t i;

	if (!(p->tok[k].flags & QF_WORD) || (p->tok[k].flags & QF_CAP))
		return 0;
	w = q_low(p, k);
	for (i = 0; i < sizeof press_stems / sizeof press_stems[0]; i++)
		if (w[0] == press_stems[i][0] && w[1] == press_stems[i][1] &&
		    strncmp(w, press_stems[i], strlen(press_stems[i])) == 0)
			return 1;
	return 0;
}

/* Are [a, b) three words with a particle in the middle ("Nguyen Van
 * Thanh", "Ludwig van Beethoven")? */
static int
name_with_particle(const struct qpara *p, size_t a, size_t b)
{
	return b == a + 3 && (p->tok[a + 1].lex & QL_PARTICLE);
}

/* Is the word before token ta part of the role in front of a name? Role,
 * place and body words, "of the", capitalised words, possessives, and a
 * plain noun right before a role word ("project head"); in Russian any
 * word but a verb ("губернатор Архангельской области"). */
static int
title_word_before(const struct qpara *p, size_t ta)
{
	const struct qtok *k = &p->tok[ta - 1];

	if (!(k->flags & QF_WORD) || (k->lex & (QL_STOP | QL_VERB | QL_ADDR)) ||
	    k->verb)
		return 0;
	if (k->lex & (QL_TITLE | QL_NAT | QL_ORG | QL_PREP | QL_DET))
		return 1;
	if (k->flags & (QF_CAP | QF_POSS))
		return 1;
	if (k->flags & QF_CYR)
		return !(k->lex & (QL_PRON_M | QL_PRON_F | QL_PRON_PL));
	/* "Abenov met Deputy Minister X": after a name the plain word is a
	 * verb, not a noun in front of the role */
	if (ta >= 2 && (p->tok[ta - 2].flags & QF_CAP) &&
	    !(p->tok[ta - 2].flags & QF_SSTART) &&
	    !(p->tok[ta - 2].lex & (QL_TITLE | QL_ORG | QL_ORGNAME | QL_NAT)))
		return 0;
	return (p->tok[ta].lex & QL_TITLE) != 0;
}

/* ", deputy director of the Palace Museum,": a role beside a name. */
static size_t
role_after(const struct qpara *p, size_t ne, size_t b, size_t *re)
{
	size_t r, e, t;

	if (ne + 1 >= b || p->tok[ne].ch != ',')
		return 0;
	r = ne + 1;
	for (e = r; e < b && e - r < 16; e++)
		if (p->tok[e].ch == ',' || p->tok[e].ch == '.' ||
		    p->tok[e].ch == ';' || (p->tok[e].lex & QL_VERB))
			break;
	for (t = r; t < e && t < r + 5; t++) {
		uint32_t l = p->tok[t].lex;

		if (l & (QL_DET | QL_INDEF | QL_NAT) ||
		    (p->tok[t].flags & QF_POSS))
			continue;
		if (l & QL_TITLE) {
			*re = e;
			return r;
		}
		if ((p->tok[t].flags & QF_WORD) && !(p->tok[t].flags & QF_CAP))
			continue;
		break;
	}
	return 0;
}

/* "The head of the agency, Dmitry Yadrov, said": a role in the comma
 * chunk before a name set off by commas. Returns 1 with [*rs, *re). */
static int
role_before(const struct qpara *p, size_t a, size_t ns, size_t ne, size_t b,
    size_t *rs, size_t *re)
{
	size_t k, t, rs0;
	int of = 0;

	/* set off by commas, or by a comma and the end of the sentence
	 * ("said X's spokesman, Y.") */
	if (ns < a + 2 || p->tok[ns - 1].ch != ',' ||
	    (ne < b && p->tok[ne].ch != ',' && p->tok[ne].ch != '.' &&
		p->tok[ne].ch != ';'))
		return 0;
	for (k = ns - 1; k > a && ns - k < 14; k--)
		if (p->tok[k - 1].ch == ',' || (p->tok[k].flags & QF_SSTART))
			break;
	if (p->tok[k].ch == ',' || k >= ns - 1)
		return 0;
	/* "Prime Minister X's spokesman, Y": a possessive names whose role
	 * it is; the role words come after it */
	rs0 = k;
	for (t = k; t < ns - 1; t++)
		if (p->tok[t].flags & QF_POSS)
			k = t + 1;
	if (k >= ns - 1)
		return 0;
	/* only role, body and place words: no name, no verb; after "of"
	 * any noun ("the head of the laboratory") */
	for (t = k; t < ns - 1; t++) {
		const struct qtok *w = &p->tok[t];
		int g;

		if (!(w->flags & QF_WORD))
			continue;
		if (is_given(p, t, &g) || w->verb)
			return 0;
		if (w->lex & QL_PREP)
			of = 1;
		if (of && !(w->flags & QF_CAP) && !(w->lex & QL_STOP))
			continue;
		if (!(w->flags & QF_CAP) &&
		    !(w->lex &
			(QL_DET | QL_PREP | QL_TITLE | QL_NAT | QL_ORG |
			    QL_ORGSUB)) &&
		    !(t + 1 < ns - 1 &&
			(p->tok[t + 1].lex & (QL_TITLE | QL_ORG | QL_ORGSUB))))
			return 0;
	}
	for (t = k; t < ns - 1 && t < k + 4; t++) {
		uint32_t l = p->tok[t].lex;

		if (l & (QL_DET | QL_NAT))
			continue;
		if ((l & QL_TITLE) && !(p->tok[t].flags & QF_POSS)) {
			*rs = rs0;
			*re = ns - 1;
			return 1;
		}
		break;
	}
	return 0;
}

/* "her Kazakh counterpart Aidarbek Saparov": capitalised words unknown to
 * the lexicon right after a role word name a person. */
static int
plain_words(const struct qpara *p, size_t t, size_t r)
{
	for (; t < r; t++)
		if ((p->tok[t].lex & ~(QL_ASIAN | QL_PARTICLE)) ||
		    (p->tok[t].flags & (QF_UPPER | QF_MARK)))
			return 0;
	return 1;
}

/* Endings of a Russian noun or adjective in the genitive, the case of a
 * body's or place's name after a body word ("МИД Китая", "посольства
 * Южной Кореи"). A word that ends otherwise is read as a name in the
 * nominative. */

/* Can token k end the name of a body in the genitive ("МИД России",
 * "МИД КНР", "Минобороны")? Not a plain word in no case ("Мао" of "МИД
 * КНР Мао Нин", whose "Нин" only looks like a surname). */
static int
body_word_last(const struct qpara *p, size_t k)
{
	size_t i;

	if ((p->tok[k].flags & QF_UPPER) ||
	    (p->tok[k].lex & (QL_ORG | QL_ORGNAME | QL_NAT)))
		return 1;
	for (i = 0; i < sizeof ru_gen_ends / sizeof ru_gen_ends[0]; i++)
		if (ends_with(q_low(p, k), ru_gen_ends[i]))
			return 1;
	return 0;
}

int
nw_qnames_ru_all_genitive(const struct qpara *p, size_t t, size_t r)
{
	size_t k, i;
	int g, gen;

	for (k = t; k < r; k++) {
		if (!(p->tok[k].flags & QF_CYR))
			return 0;
		if (p->tok[k].flags & QF_UPPER)
			continue; /* an acronym does not decline */
		if (is_given(p, k, &g) && !given_oblique(p, k))
			return 0;
		/* "представитель МИД России Захарова": a word last that
		 * reads as a surname's nominative is a name */
		if (k + 1 == r && nw_qmorph_surname_gender(q_low(p, k)))
			return 0;
		for (i = 0, gen = 0;
		     i < sizeof ru_gen_ends / sizeof ru_gen_ends[0] && !gen;
		     i++)
			gen = ends_with(q_low(p, k), ru_gen_ends[i]);
		if (!gen)
			return 0;
	}
	return 1;
}

/* "официальный представитель МИД КНР Линь Цзянь": a capitalised run
 * [t, r) after a person noun that opens with a body, where the last two
 * words are plain capitalised words not in the genitive (or a known given
 * name and a surname), is a body in the genitive and the name of the
 * person the noun describes. Returns where the name starts, or r. */
size_t
nw_qnames_ru_name_after_body(
    const struct qpara *p, size_t a, size_t t, size_t r)
{
	size_t n = r - 2, k, i;
	int g;

	if (t <= a || r < t + 2 || !(p->tok[t].flags & QF_CYR) ||
	    !(p->tok[t].lex & QL_ORG) || (p->tok[t].lex & QL_TITLE) ||
	    !(p->tok[t - 1].flags & QF_WORD) ||
	    (p->tok[t - 1].flags & QF_CAP) ||
	    !(p->tok[t - 1].lex & (QL_TITLE | QL_NOMINAL)) ||
	    (p->tok[t - 1].lex & QL_ORG))
		return r;
	/* "глава МИД России Лавров": one plain word last that reads as a
	 * surname's nominative */
	if ((p->tok[r - 1].flags & QF_CYR) &&
	    !(p->tok[r - 1].flags & QF_UPPER) &&
	    !(p->tok[r - 1].lex &
		~(QL_GIVEN_M | QL_GIVEN_F | QL_ASIAN | QL_PARTICLE)) &&
	    nw_qmorph_surname_gender(q_low(p, r - 1)) &&
	    !(is_given(p, r - 2, &g) && !given_oblique(p, r - 2)) &&
	    body_word_last(p, r - 2))
		return r - 1;
	if (r < t + 3)
		return r;
	for (k = n; k < r; k++)
		if (!(p->tok[k].flags & QF_CYR) ||
		    (p->tok[k].flags & QF_UPPER) ||
		    (p->tok[k].lex &
			~(QL_GIVEN_M | QL_GIVEN_F | QL_ASIAN | QL_PARTICLE)))
			return r;
	if (is_given(p, n, &g) && !given_oblique(p, n))
		return n;
	for (k = n; k < r; k++)
		for (i = 0; i < sizeof ru_gen_ends / sizeof ru_gen_ends[0]; i++)
			if (ends_with(q_low(p, k), ru_gen_ends[i]))
				return r;
	return n;
}

/* The capitalised runs of [a, b) outside quotations: people (a given name
 * and surname, or a surname already known) and bodies (a run with a body
 * word) are noted as mentioned here. */
/* The rest of a body's name after its run [t, r): "Institute | of
 * Volcanology and Seismology", "Министерство | жилищно-коммунального
 * хозяйства Московской области". Returns the end (r when none). */
size_t
nw_qnames_org_tail(const struct qpara *p, size_t t, size_t r, size_t b)
{
	static const char *const gen[] = {"а", "я", "ы", "и", "ого", "его",
	    "ой", "ей", "ых", "их", "ов", "ев", "ства"};
	/* genitive plurals with no ending, common in bodies' names
	 * ("Министерство иностранных дел", "вооруженных сил") */
	static const char *const gen_bare[] = {"дел", "сил", "служб", "войск"};
	size_t h = r, k, k0, i;
	int of = 0;

	if (!(p->tok[t].flags & QF_CYR)) {
		if (!(p->tok[r - 1].lex & QL_ORG))
			return r;
		while (h + 1 < b && (p->tok[h].flags & QF_WORD) &&
		    (strcmp(q_low(p, h), "of") == 0 ||
			(of && strcmp(q_low(p, h), "and") == 0))) {
			k = h + 1;
			/* "of the Far Eastern Branch of ...": where the
			 * body sits, not its name */
			if (strcmp(q_low(p, k), "the") == 0) {
				if (of)
					break;
				k++;
			}
			if (k >= b || !nw_qnames_is_name_tok(p, k) ||
			    !(p->tok[k].flags & QF_CAP) ||
			    (p->tok[k].flags & QF_SSTART))
				break;
			k0 = k;
			/* "Bank of Russia Governor Elvira Nabiullina": a role
			 * word ends the body's name; the person after it is a
			 * mention of its own (a given name does not: "Marine"
			 * is one, and a word of "Institute of Marine Geology") */
			while (k < b && nw_qnames_is_name_tok(p, k) &&
			    k - r < 12 &&
			    !((p->tok[k].lex & QL_TITLE) &&
				!(p->tok[k].lex & QL_ORG)))
				k++;
			if (k - r >= 12 || k == k0)
				break;
			h = k;
			of = 1;
		}
		return h;
	}
	if (r - t != 1 || !(p->tok[t].lex & QL_ORG) ||
	    (p->tok[t].lex & QL_TITLE))
		return r;
	for (k = r; k < b && k < r + 6; k++) {
		const char *w = q_low(p, k);
		int ok = 0;

		if (!(p->tok[k].flags & QF_WORD) ||
		    (p->tok[k].lex & (QL_STOP | QL_PREP | QL_VERB)) ||
		    p->tok[k].verb)
			break;
		if (p->tok[k].flags & QF_UPPER)
			ok = 1;
		for (i = 0; i < sizeof gen / sizeof gen[0] && !ok; i++)
			if (ends_with(w, gen[i]))
				ok = 1;
		for (i = 0; i < sizeof gen_bare / sizeof gen_bare[0] && !ok;
		     i++)
			if (strcmp(w, gen_bare[i]) == 0)
				ok = 1;
		if (!ok)
			break;
		h = k + 1;
	}
	return h;
}

size_t
nw_qsentence_start(const struct qpara *p, size_t t)
{
	while (t > 0 && !(p->tok[t].flags & QF_SSTART))
		t--;
	return t;
}

/* The subject of a sentence, as news copy writes it: the name with only
 * its title before it from the sentence start ("Russian President X has
 * presented Y"), or a name a reporting verb follows ("..., Minister X
 * assured Y"). Objects, names after prepositions and names after another
 * name ("X briefed Governor Y") are not. */
static int
mention_is_subject(
    struct qctx *c, const struct qpara *p, size_t ss, size_t a, size_t b)
{
	size_t j = a;
	int g;

	/* "X's spokesman said": X owns the subject, it is not the subject */
	if (b > a && (p->tok[b - 1].flags & QF_POSS))
		return 0;
	while (j > ss && (p->tok[j - 1].flags & QF_WORD) &&
	    !p->tok[j - 1].verb &&
	    !((p->tok[j - 1].flags & QF_CAP) &&
		(is_given(p, j - 1, &g) ||
		    nw_qnames_find_surname(c, q_low(p, j - 1),
			(p->tok[j - 1].flags & QF_CYR) != 0) >= 0)) &&
	    (!(p->tok[j - 1].lex &
		 (QL_VERB | QL_PREP | QL_STOP | QL_PRON_M | QL_PRON_F |
		     QL_PRON_PL | QL_PRON_IT)) ||
		strcmp(q_low(p, j - 1), "of") == 0))
		j--;
	if (j == ss)
		return 1;
	while (b < p->ntok && (p->tok[b].lex & QL_ADV))
		b++;
	return b < p->ntok && (p->tok[b].flags & QF_WORD) &&
	    ((p->tok[b].lex & QL_VERB) || (p->tok[b].verb & QL_VERB));
}

void
nw_qnames_mentioned(
    struct qctx *c, long e, const struct qpara *p, size_t a, size_t b)
{
	struct qent *en = &c->ent[e];
	size_t ss = nw_qsentence_start(p, a);

	nw_qent_seen(c, e, q_pos(p, a));
	en->sent_last = q_pos(p, ss);
	if (mention_is_subject(c, p, ss, a, b))
		en->sent_subj = q_pos(p, ss);
	/* "Мао Нин ответила": a Russian past verb right after the name
	 * agrees with it, which a foreign surname's shape ("-ин") does not
	 * tell */
	if (b < p->ntok && en->type == NW_SPEAKER_PERSON &&
	    (p->tok[b].flags & (QF_WORD | QF_CYR)) == (QF_WORD | QF_CYR) &&
	    !(p->tok[b].flags & QF_CAP)) {
		uint32_t v = p->tok[b].verb;

		if ((v & QL_FEM) && !(v & QL_MASC))
			en->gender = 'f';
		else if ((v & QL_MASC) && !(v & QL_FEM))
			en->gender = 'm';
	}
}

void
nw_qnames_scan_mentions(
    struct qctx *c, const struct qpara *p, size_t a, size_t b)
{
	size_t t = a, r, ns, ne, h, re0, rs0;
	long e;
	int g;

	while (t < b) {
		if (!nw_qnames_is_name_tok(p, t)) {
			t++;
			continue;
		}
		r = t;
		while (r < b &&
		    (nw_qnames_is_name_tok(p, r) ||
			particle_before_name(p, r, b))) {
			r++;
			if (p->tok[r - 1].flags & QF_POSS)
				break;
		}
		/* "East Siberian Railway Vadim Tolmachyov": a body (or place)
		 * then a person; the person starts at the given name */
		{
			size_t k;

			for (k = r; k-- > t + 1;)
				if (is_given(p, k, &g) && k + 1 < r &&
				    nw_qnames_is_name_tok(p, k + 1))
					break;
			if (!(k > t && k < r) && !nw_qnames_titled(p, t, r, &k))
				k = t;
			/* "Vice Minister of Energy Nurlan Abenov",
			 * "Ambassador to Belarus Nguyen Van Thanh": a place
			 * and a name of two words (a particle between) */
			if (k == t &&
			    (r - t == 3 || name_with_particle(p, t + 1, r)) &&
			    t >= 2 && !(p->tok[t].flags & QF_CYR) &&
			    nw_qnames_role_link(p, t - 1) &&
			    role_of_before(p, a, t - 1) &&
			    !(p->tok[t + 1].lex &
				~(QL_GIVEN_M | QL_GIVEN_F | QL_ASIAN)) &&
			    !(p->tok[r - 1].lex &
				~(QL_GIVEN_M | QL_GIVEN_F | QL_ASIAN)))
				k = t + 1;
			/* "Gov. Gavin Newsom": an abbreviated title, its
			 * period ends the run; the name after it is a person
			 * whatever its given name */
			if (k == t && t >= a + 2 && r - t >= 1 && r - t <= 3 &&
			    p->tok[t - 1].ch == '.' &&
			    !(p->tok[t - 1].flags & QF_SPACEB) &&
			    (p->tok[t - 2].lex & QL_ABBR) &&
			    (p->tok[t - 2].lex & QL_TITLE) &&
			    plain_name_run(p, t, r)) {
				e = nw_qnames_person(
				    c, p, t, r, 0, t - 2, t - 2, 0);
				if (e >= 0)
					nw_qnames_mentioned(c, e, p, t, r);
				t = r;
				continue;
			}
			if (k > t && k < r) {
				size_t ta = k, rs, re = 0;

				while (ta > a && ta > k - (k > 12 ? 12 : k) &&
				    title_word_before(p, ta))
					ta--;
				while (ta < k &&
				    (p->tok[ta].lex & (QL_DET | QL_PREP)))
					ta++;
				if ((rs = role_after(p, r, b, &re)) > 0)
					e = nw_qnames_person(
					    c, p, k, r, 0, rs, re, 0);
				else
					e = nw_qnames_person(
					    c, p, k, r, 0, ta, ta, 0);
				if (e >= 0)
					nw_qnames_mentioned(c, e, p, k, r);
				t = r;
				continue;
			}
		}
		/* "представитель МИД КНР Линь Цзянь": the body, then the
		 * person the role describes */
		if ((h = nw_qnames_ru_name_after_body(p, a, t, r)) < r) {
			size_t ta = t;

			if ((e = nw_qnames_org(c, p, t, h, 1)) >= 0)
				nw_qent_seen(c, e, q_pos(p, t));
			while (ta > a && ta > t - (t > 12 ? 12 : t) &&
			    title_word_before(p, ta))
				ta--;
			e = nw_qnames_person(c, p, h, r, 0, ta, ta, 0);
			if (e >= 0)
				nw_qnames_mentioned(c, e, p, h, r);
			t = r;
			continue;
		}
		/* a body: a body word in the run, or lower-case ones after */
		h = r;
		while (h < b && !(p->tok[h].flags & QF_CAP) &&
		    (p->tok[h].lex & (QL_ORG | QL_ORGSUB)) &&
		    (p->tok[h].flags & QF_WORD) && h - r < 3)
			h++;
		{
			int org = h > r;
			size_t k;

			for (k = t; k < r && !org; k++)
				if ((p->tok[k].lex & QL_ORG) &&
				    !(p->tok[k].lex & QL_TITLE))
					org = 1;
			if (r - t == 1 && (p->tok[t].lex & QL_ORGNAME) &&
			    !(p->tok[t].lex & QL_ADDR))
				org = 1;
			if (org && h == r)
				h = nw_qnames_org_tail(p, t, r, b);
			/* "газете Le Figaro", "the daily Kommersant": a
			 * run after a noun of the press is the paper or
			 * channel, a body, never a person */
			if (!org && t > a && r - t <= 3 &&
			    press_noun(p, t - 1)) {
				if ((e = nw_qnames_org(c, p, t, r, 0)) >= 0)
					nw_qent_seen(c, e, q_pos(p, t));
				t = r;
				continue;
			}
			/* "the airline Aurora Sky": a body noun before the
			 * run names what it is; "the airline" finds it */
			if (!org && t > a && r - t <= 3 &&
			    (p->tok[t - 1].flags & QF_WORD) &&
			    !(p->tok[t - 1].flags & QF_CAP) &&
			    (p->tok[t - 1].lex & QL_ORG) &&
			    !(p->tok[t - 1].lex & QL_TITLE) &&
			    !(p->tok[t - 1].flags & QF_CYR)) {
				for (k = t; k < r; k++)
					if (is_given(p, k, &g))
						break;
				if (k == r &&
				    (e = nw_qnames_org(c, p, t, r, 0)) >= 0) {
					nw_qent_seen(c, e, q_pos(p, t));
					if (c->ent[e].key2 == NULL)
						nw_qent_set_key2(c, e,
						    dup_lower_tok(p, t - 1));
					t = r;
					continue;
				}
			}
			/* "посольство России в Бельгии", "правительства
			 * Японии": a lower-case body noun before a country in
			 * the genitive, with where it sits, is a body */
			if (!org && t > a && (p->tok[t - 1].flags & QF_CYR) &&
			    q_is_lower_word(p, t - 1) &&
			    (p->tok[t - 1].lex & QL_ORG) &&
			    !(p->tok[t - 1].lex & QL_TITLE) &&
			    !(p->tok[t].lex & (QL_ORG | QL_TITLE)) &&
			    nw_qnames_ru_all_genitive(p, t, r)) {
				size_t e2 = r;

				if (r + 1 < b &&
				    (q_tok_is(p, r, "в") ||
					q_tok_is(p, r, "при")) &&
				    nw_qnames_is_name_tok(p, r + 1) &&
				    (p->tok[r + 1].flags & QF_CYR))
					for (e2 = r + 1; e2 < b &&
					     nw_qnames_is_name_tok(p, e2);)
						e2++;
				e = nw_qnames_org(c, p, t - 1, e2,
				    nw_qlex_ru_org_nom(q_low(p, t - 1)) !=
					NULL);
				if (e >= 0)
					nw_qent_seen(c, e, q_pos(p, t - 1));
				t = e2;
				continue;
			}
			if (org) {
				if (h > r || r - t > 1 ||
				    (p->tok[t].lex & QL_ORGNAME)) {
					e = nw_qnames_org(c, p, t, h, 0);
					if (e >= 0)
						nw_qent_seen(c, e, q_pos(p, t));
					/* "the China National Space
					 * Administration (CNSA)" */
					if (e >= 0 && h + 2 < b &&
					    p->tok[h].ch == '(' &&
					    (p->tok[h + 1].flags & QF_UPPER) &&
					    p->tok[h + 2].ch == ')' &&
					    c->ent[e].key2 == NULL)
						nw_qent_set_key2(c, e,
						    dup_lower_tok(p, h + 1));
				}
				t = h;
				continue;
			}
		}
		g = 0;
		if (person_in_run(p, t, r, &ns, &ne) == 0 &&
		    (is_given(p, ns, &g) ||
			(ne - ns >= 2 && ne - ns <= 3 && ns == t && t > a &&
			    (p->tok[t - 1].lex & QL_TITLE) &&
			    plain_words(p, ns, ne)) ||
			(ne - ns == 2 && (p->tok[ns].lex & QL_ASIAN)) ||
			/* "президент Франции Николя Саркози": a role, its
			 * country in the genitive, a name of two words */
			(ne - ns == 2 && ns > t && t > a &&
			    (p->tok[t].flags & QF_CYR) &&
			    ru_role_before(p, a, t) &&
			    nw_qnames_ru_all_genitive(p, t, ns) &&
			    plain_words(p, ns, ne)) ||
			/* "Seizaburo Sato, professor of politics at X," */
			(ne - ns == 2 && ns == t && plain_words(p, ns, ne) &&
			    role_after(p, ne, b, &re0) > 0) ||
			/* "X's spokesman, Tom Bradley, said" */
			(ne - ns == 2 && ns == t && plain_words(p, ns, ne) &&
			    role_before(p, a, ns, ne, b, &rs0, &re0)) ||
			(ne - ns == 1 && ns > t &&
			    (p->tok[ns - 1].lex & QL_TITLE) &&
			    lone_surname_ok(p, ns)) ||
			(ne - ns == 1 &&
			    nw_qnames_find_surname(c, q_low(p, ns),
				(p->tok[ns].flags & QF_CYR) != 0) >= 0))) {
			size_t ta = ns, rs, re = 0;

			if ((rs = role_after(p, ne, b, &re)) > 0 ||
			    role_before(p, a, ns, ne, b, &rs, &re)) {
				e = nw_qnames_person(
				    c, p, ns, ne, 0, rs, re, 0);
				if (e >= 0)
					nw_qnames_mentioned(c, e, p, ns, ne);
				t = r > t ? r : t + 1;
				continue;
			}

			/* the role in front: "head of the X Railway" */
			while (ta > a && ta > ns - (ns > 12 ? 12 : ns) &&
			    title_word_before(p, ta))
				ta--;
			while (ta < ns && (p->tok[ta].lex & (QL_DET | QL_PREP)))
				ta++;
			e = nw_qnames_person(c, p, ns, ne, 0, ta, ta, 0);
			if (e >= 0)
				nw_qnames_mentioned(c, e, p, ns, ne);
		}
		t = r > t ? r : t + 1;
	}
}
