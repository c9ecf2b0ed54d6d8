/* The quotation stage's lexicon, as data: reporting verbs (English and
 * Russian, with their inflections), pronouns, nominal references, role and
 * organisation words, given names. Each table is sorted by strcmp so a
 * lookup is one binary search; tests/quotes checks the order. */
#include <stdlib.h>
#include <string.h>

#include "quote_int.h"

#include "quote_lexicon_words.h"

struct givenent {
	const char *w;
	char gender;
};

#include "quote_lexicon_hash.h"

/* Russian given names in the nominative. */
static const struct givenent ru_given[] = {
    {"абдулла", 'm'},
    {"азат", 'm'},
    {"айгуль", 'f'},
    {"айдар", 'm'},
    {"александр", 'm'},
    {"александра", 'f'},
    {"алексей", 'm'},
    {"алена", 'f'},
    {"али", 'm'},
    {"алина", 'f'},
    {"алиса", 'f'},
    {"алла", 'f'},
    {"альберт", 'm'},
    {"альфия", 'f'},
    {"анастасия", 'f'},
    {"анатолий", 'm'},
    {"ангела", 'f'},
    {"андрей", 'm'},
    {"анжела", 'f'},
    {"анна", 'f'},
    {"анналена", 'f'},
    {"антон", 'm'},
    {"антонина", 'f'},
    {"антониу", 'm'},
    {"арам", 'm'},
    {"арина", 'f'},
    {"аркадий", 'm'},
    {"арсений", 'm'},
    {"артем", 'm'},
    {"артур", 'm'},
    {"асель", 'f'},
    {"аслан", 'm'},
    {"ахмат", 'm'},
    {"ашот", 'm'},
    {"бахтияр", 'm'},
    {"башар", 'm'},
    {"бидзина", 'm'},
    {"богдан", 'm'},
    {"борис", 'm'},
    {"вадим", 'm'},
    {"валентин", 'm'},
    {"валентина", 'f'},
    {"валерий", 'm'},
    {"валерия", 'f'},
    {"варвара", 'f'},
    {"василий", 'm'},
    {"василиса", 'f'},
    {"вениамин", 'm'},
    {"вера", 'f'},
    {"вероника", 'f'},
    {"виктор", 'm'},
    {"виктория", 'f'},
    {"виолетта", 'f'},
    {"виталий", 'm'},
    {"владимир", 'm'},
    {"владислав", 'm'},
    {"владлен", 'm'},
    {"всеволод", 'm'},
    {"вячеслав", 'm'},
    {"галина", 'f'},
    {"геннадий", 'm'},
    {"георгий", 'm'},
    {"герман", 'm'},
    {"гия", 'm'},
    {"глеб", 'm'},
    {"григорий", 'm'},
    {"гульнара", 'f'},
    {"давид", 'm'},
    {"дамир", 'm'},
    {"даниил", 'm'},
    {"дарья", 'f'},
    {"денис", 'm'},
    {"джо", 'm'},
    {"джозеф", 'm'},
    {"джон", 'm'},
    {"джорджа", 'f'},
    {"диана", 'f'},
    {"дина", 'f'},
    {"дмитрий", 'm'},
    {"дональд", 'm'},
    {"евгений", 'm'},
    {"евгения", 'f'},
    {"егор", 'm'},
    {"екатерина", 'f'},
    {"елена", 'f'},
    {"елизавета", 'f'},
    {"ерлан", 'm'},
    {"ефим", 'm'},
    {"жаир", 'm'},
    {"жан", 'm'},
    {"жанна", 'f'},
    {"зарема", 'f'},
    {"захар", 'm'},
    {"зинаида", 'f'},
    {"зоя", 'f'},
    {"зураб", 'm'},
    {"иван", 'm'},
    {"игнат", 'm'},
    {"игорь", 'm'},
    {"изабель", 'f'},
    {"ильдар", 'm'},
    {"ильнур", 'm'},
    {"ильхам", 'm'},
    {"илья", 'm'},
    {"инна", 'f'},
    {"ираклий", 'm'},
    {"ирина", 'f'},
    {"йоханн", 'm'},
    {"йоханнес", 'm'},
    {"камала", 'f'},
    {"камиль", 'm'},
    {"карина", 'f'},
    {"карлос", 'm'},
    {"каролин", 'f'},
    {"касым", 'm'},
    {"кая", 'f'},
    {"ким", 'm'},
    {"кир", 'm'},
    {"кира", 'f'},
    {"кирилл", 'm'},
    {"клавдия", 'f'},
    {"константин", 'm'},
    {"кристина", 'f'},
    {"ксения", 'f'},
    {"лариса", 'f'},
    {"ларс", 'm'},
    {"лев", 'm'},
    {"лейла", 'f'},
    {"леонид", 'm'},
    {"лидия", 'f'},
    {"лилия", 'f'},
    {"луис", 'm'},
    {"лула", 'm'},
    {"любовь", 'f'},
    {"людмила", 'f'},
    {"магомед", 'm'},
    {"майя", 'f'},
    {"максим", 'm'},
    {"мамука", 'm'},
    {"мануэль", 'm'},
    {"марат", 'm'},
    {"маргарита", 'f'},
    {"мари", 'f'},
    {"марина", 'f'},
    {"мария", 'f'},
    {"марк", 'm'},
    {"марко", 'm'},
    {"матвей", 'm'},
    {"махмуд", 'm'},
    {"микаэл", 'm'},
    {"милена", 'f'},
    {"мирон", 'm'},
    {"михаил", 'm'},
    {"мохаммед", 'm'},
    {"мурат", 'm'},
    {"мухаммед", 'm'},
    {"надежда", 'f'},
    {"нарендра", 'm'},
    {"наталия", 'f'},
    {"наталья", 'f'},
    {"нелли", 'f'},
    {"никита", 'm'},
    {"никол", 'm'},
    {"николай", 'm'},
    {"нина", 'f'},
    {"нурлан", 'm'},
    {"оксана", 'f'},
    {"олаф", 'm'},
    {"олег", 'm'},
    {"олеся", 'f'},
    {"ольга", 'f'},
    {"павел", 'm'},
    {"педро", 'm'},
    {"педру", 'm'},
    {"петр", 'm'},
    {"платон", 'm'},
    {"полина", 'f'},
    {"пьер", 'm'},
    {"радик", 'm'},
    {"раиса", 'f'},
    {"рамзан", 'm'},
    {"рамиль", 'm'},
    {"рашид", 'm'},
    {"регина", 'f'},
    {"реджеп", 'm'},
    {"ренат", 'm'},
    {"римма", 'f'},
    {"ринат", 'm'},
    {"родион", 'm'},
    {"роман", 'm'},
    {"ростислав", 'm'},
    {"рубен", 'm'},
    {"руслан", 'm'},
    {"рустам", 'm'},
    {"савва", 'm'},
    {"светлана", 'f'},
    {"семен", 'm'},
    {"сергей", 'm'},
    {"серж", 'm'},
    {"снежана", 'f'},
    {"софия", 'f'},
    {"софья", 'f'},
    {"станислав", 'm'},
    {"стелла", 'f'},
    {"степан", 'm'},
    {"тагир", 'm'},
    {"таисия", 'f'},
    {"тамара", 'f'},
    {"тарас", 'm'},
    {"татьяна", 'f'},
    {"тереза", 'f'},
    {"тигран", 'm'},
    {"тимофей", 'm'},
    {"тимур", 'm'},
    {"ульф", 'm'},
    {"ульяна", 'f'},
    {"умар", 'm'},
    {"урсула", 'f'},
    {"фарид", 'm'},
    {"федор", 'm'},
    {"филипп", 'm'},
    {"франк", 'm'},
    {"франсуа", 'm'},
    {"фридрих", 'm'},
    {"ханс", 'm'},
    {"хасан", 'm'},
    {"хиллари", 'f'},
    {"хосе", 'm'},
    {"шамиль", 'm'},
    {"эвелина", 'f'},
    {"эдуард", 'm'},
    {"эльвира", 'f'},
    {"эльдар", 'm'},
    {"эльмира", 'f'},
    {"эмиль", 'm'},
    {"эмма", 'f'},
    {"эммануэль", 'm'},
    {"эрик", 'm'},
    {"юлия", 'f'},
    {"юрий", 'm'},
    {"юхан", 'm'},
    {"яков", 'm'},
    {"яна", 'f'},
    {"ярослав", 'm'},
};

struct nominalent {
	const char *head;
	const char *roles; /* role words a referent's title may hold */
};

/* A nominal reference ("the diplomat") points back at a person whose role
 * has one of these words; "*" takes anyone. */
static const struct nominalent nominals[] = {
    {"academician", "academician scientist scientific"},
    {"aide", "aide assistant adviser advisor"},
    {"ambassador", "ambassador envoy counterpart"},
    {"analyst", "analyst expert economist"},
    {"athlete", "*"},
    {"biathlete", "biathlete athlete"},
    {"ceo", "ceo director chief head president chairman"},
    {"chairman", "chairman chair head president"},
    {"chief", "chief head director ceo"},
    {"coach", "coach trainer"},
    {"cosmonaut", "cosmonaut astronaut"},
    {"counterpart", "counterpart minister president leader head"},
    {"curator", "curator"},
    {"diplomat",
	"diplomat ambassador envoy foreign representative consul diplomacy "
	"spokeswoman spokesperson spokesman counterpart"},
    {"director", "director head chief ceo"},
    {"envoy", "envoy ambassador representative counterpart"},
    {"expert", "analyst expert economist"},
    {"governor", "governor head counterpart"},
    {"head",
	"head chief director president chairman governor leader counterpart "
	"ceo"},
    {"lawmaker",
	"lawmaker duma deputy senator speaker parliament mp legislator"},
    {"leader",
	"president leader prime chancellor premier head king counterpart"},
    {"legislator",
	"lawmaker duma deputy senator speaker parliament mp legislator"},
    {"manager", "manager director head"},
    {"mayor", "mayor counterpart"},
    {"minister", "minister counterpart"},
    {"official", "*"},
    {"physicist", "*"},
    {"premier", "prime premier counterpart"},
    {"president", "president counterpart"},
    {"rector", "rector"},
    {"representative", "representative envoy ambassador"},
    {"scientist", "*"},
    {"senator", "senator"},
    {"skater", "skater"},
    {"speaker", "speaker chairman"},
    {"spokesman", "spokesman spokeswoman spokesperson press"},
    {"spokesperson", "spokesman spokeswoman spokesperson press"},
    {"spokeswoman", "spokesman spokeswoman spokesperson press"},
    {"swimmer", "swimmer"},
    {"аналитик", "аналитик эксперт экономист"},
    {"глава", "глава губернатор мэр руководитель президент"},
    {"главы", "глава губернатор мэр руководитель президент"},
    {"губернатор", "губернатор глава"},
    {"губернатора", "губернатор глава"},
    {"дипломат", "дипломат посол постпред министр представитель"},
    {"директор", "директор гендиректор руководитель глава"},
    {"директора", "директор гендиректор руководитель глава"},
    {"заместитель", "заместитель замминистра"},
    {"замминистра", "замминистра заместитель"},
    {"лидер", "лидер президент премьер глава канцлер"},
    {"лидера", "лидер президент премьер глава канцлер"},
    {"министр", "министр"},
    {"министра", "министр"},
    {"мэра", "мэр глава"},
    {"посла", "посол"},
    {"посол", "посол"},
    {"председателя", "председатель глава руководитель"},
    {"представитель", "представитель постпред"},
    {"президент", "президент"},
    {"президента", "президент"},
    {"руководитель", "руководитель глава директор"},
    {"руководителя", "руководитель глава директор"},
    {"эксперт", "аналитик эксперт экономист"},
};

/* Russian body head nouns: genitive and prepositional to nominative. */
static const struct nominalent ru_org_gen[] = {
    {"агентства", "агентство"},
    {"агентстве", "агентство"},
    {"администрации", "администрация"},
    {"ассоциации", "ассоциация"},
    {"банка", "банк"},
    {"банке", "банк"},
    {"ведомства", "ведомство"},
    {"ведомстве", "ведомство"},
    {"департамента", "департамент"},
    {"департаменте", "департамент"},
    {"института", "институт"},
    {"институте", "институт"},
    {"комиссии", "комиссия"},
    {"комитета", "комитет"},
    {"комитете", "комитет"},
    {"компании", "компания"},
    {"корпорации", "корпорация"},
    {"кремле", "Кремль"},
    {"кремля", "Кремль"},
    {"министерства", "министерство"},
    {"министерстве", "министерство"},
    {"правительства", "правительство"},
    {"правительстве", "правительство"},
    {"пресс-службе", "пресс-служба"},
    {"пресс-службы", "пресс-служба"},
    {"службе", "служба"},
    {"службы", "служба"},
    {"университета", "университет"},
    {"университете", "университет"},
    {"управлении", "управление"},
    {"управления", "управление"},
    {"фонда", "фонд"},
    {"фонде", "фонд"},
    {"центра", "центр"},
    {"центре", "центр"},
};

static int
cmp_given(const void *k, const void *e)
{
	return strcmp(k, ((const struct givenent *)e)->w);
}

static int
cmp_nominal(const void *k, const void *e)
{
	return strcmp(k, ((const struct nominalent *)e)->head);
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Might the word be in the table? */
static int
maybe(const char *low, size_t len)
{
	return len == 0 || nw_qlex_maybe(low, len);
}

static uint32_t
lookup_len(const char *low, size_t len, uint32_t hash)
{
	uint32_t h = hash & (QLEX_SLOTS - 1);

	/* the hash and the length first: a word the filter let through but
	 * not in the table is turned away without a string compare */
	while (lex_slots[h].idx != 0) {
		const struct qlex_slot *sl = &lex_slots[h];

		if (sl->hash == hash && sl->len == len) {
			/* the words are short: compared in place, no call */
			const char *w = words[sl->idx - 1].w;
			size_t i;

			for (i = 0; i < len && w[i] == low[i]; i++)
				;
			if (i == len)
				return words[sl->idx - 1].cls;
		}
		h = (h + 1) & (QLEX_SLOTS - 1);
	}
	return 0;
}

uint32_t
nw_qlex_probe(const char *low, size_t len)
{
	return lookup_len(low, len, nw_qlex_hash(low, len));
}

uint32_t
nw_qlex_lookup_n(const char *low, size_t len)
{
	if (!maybe(low, len))
		return 0;
	return nw_qlex_probe(low, len);
}

uint32_t
nw_qlex_lookup(const char *low)
{
	return nw_qlex_lookup_n(low, strlen(low));
}

uint32_t
nw_qlex_verb(const char *low, int ru)
{
	(void)ru;
	return nw_qlex_verb_of(low, nw_qlex_lookup(low));
}

const char *
nw_qlex_nominal_class(const char *low)
{
	const struct nominalent *e;

	e = bsearch(
	    low, nominals, NELEM(nominals), sizeof nominals[0], cmp_nominal);
	return e != NULL ? e->roles : NULL;
}

const char *
nw_qlex_ru_org_nom(const char *low)
{
	const struct nominalent *e;

	e = bsearch(low, ru_org_gen, NELEM(ru_org_gen), sizeof ru_org_gen[0],
	    cmp_nominal);
	return e != NULL ? e->roles : NULL;
}

static const struct givenent *
given_exact(const char *s)
{
	return bsearch(
	    s, ru_given, NELEM(ru_given), sizeof ru_given[0], cmp_given);
}

/* The nominative of a Russian given name in any case: strip a case
 * ending, put back the nominative one, and keep it when the table knows
 * the result. */
const char *
nw_qlex_ru_given(const char *low, int *gender)
{
	/* the ending's length is kept beside it: the loop runs for every
	 * capitalised Cyrillic word a name may be */
#define RULE(e, nm)                                                            \
	{                                                                      \
		e, sizeof(e) - 1, nm                                           \
	}
	static const struct {
		const char *end;
		size_t len;
		const char *nom;
	} rules[] = {
	    RULE("а", ""), RULE("у", ""), RULE("ом", ""), RULE("е", ""),
	    RULE("я", "й"), RULE("ю", "й"), RULE("ем", "й"), RULE("е", "й"),
	    RULE("я", "ь"), RULE("ю", "ь"), RULE("ем", "ь"), RULE("е", "ь"),
	    RULE("и", "а"), RULE("ы", "а"), RULE("е", "а"), RULE("у", "а"),
	    RULE("ой", "а"), RULE("и", "я"), RULE("е", "я"), RULE("ю", "я"),
	    RULE("ей", "я"), RULE("ла", "ел"), /* Павла -> Павел */
	    RULE("лу", "ел"), RULE("лом", "ел"),
	    RULE("ьва", "ев"), /* Льва -> Лев */
	};
#undef RULE
	const struct givenent *g;
	char buf[96];
	size_t n = strlen(low), i, m, k;

	if ((g = given_exact(low)) != NULL) {
		*gender = g->gender;
		return g->w;
	}
	if (n + 8 >= sizeof buf)
		return NULL;
	for (i = 0; i < NELEM(rules); i++) {
		m = rules[i].len;
		if (n <= m + 2)
			continue;
		for (k = 0; k < m && low[n - m + k] == rules[i].end[k]; k++)
			;
		if (k < m)
			continue;
		memcpy(buf, low, n - m);
		strcpy(buf + n - m, rules[i].nom);
		if ((g = given_exact(buf)) != NULL) {
			*gender = g->gender;
			return g->w;
		}
	}
	return NULL;
}

/* Function words by their part in a clause. words[] has no class bit left
 * for them, and they are few: a second table. */
static const struct lexent funcs[] = {
    {"and", QFN_CONJ},
    {"of", QFN_PARTITIVE | QFN_GENLINK},
    {"on", QFN_PARTICLE},
    {"out", QFN_PARTICLE},
    {"that", QFN_THAT},
    {"up", QFN_PARTICLE},
    {"where", QFN_REL},
    {"which", QFN_REL},
    {"who", QFN_REL},
    {"whose", QFN_REL},
    {"и", QFN_CONJ},
    {"из", QFN_PARTITIVE},
    {"которая", QFN_REL},
    {"которое", QFN_REL},
    {"которые", QFN_REL},
    {"который", QFN_REL},
    {"по", QFN_GENLINK},
    {"что", QFN_THAT},
};

static int
cmp_func(const void *key, const void *ent)
{
	return strcmp(key, ((const struct lexent *)ent)->w);
}

uint32_t
nw_qlex_func(const char *low)
{
	const struct lexent *e =
	    bsearch(low, funcs, NELEM(funcs), sizeof funcs[0], cmp_func);

	return e != NULL ? e->cls : 0;
}

/* A common noun for a body and the bodies it can refer back to: a stem
 * their names hold ("министерство" -> Минобороны, Министерство финансов)
 * or "*" for any body ("ведомство": whichever department spoke). Matched
 * by prefix, so every case form is one entry. */
static const struct {
	const char *prefix, *key;
} body_refs[] = {
    {"ведомств", "*"},
    {"дипведомств", "*"},
    {"дипмисси", "*"},
    {"минист", "мин"},
};

const char *
nw_qlex_body_ref(const char *low)
{
	size_t i;

	for (i = 0; i < NELEM(body_refs); i++)
		if (strncmp(low, body_refs[i].prefix,
			strlen(body_refs[i].prefix)) == 0)
			return body_refs[i].key;
	return NULL;
}

static int
sorted(const void *base, size_t n, size_t size)
{
	const char *p = base;
	size_t i;

	for (i = 1; i < n; i++)
		if (strcmp(*(const char *const *)(p + (i - 1) * size),
			*(const char *const *)(p + i * size)) >= 0)
			return 0;
	return 1;
}

int
nw_qlex_selfcheck(void)
{
	size_t i;

	for (i = 0; i < NELEM(words); i++)
		if (nw_qlex_lookup(words[i].w) != words[i].cls)
			return 0;
	return sorted(words, NELEM(words), sizeof words[0]) &&
	    sorted(ru_given, NELEM(ru_given), sizeof ru_given[0]) &&
	    sorted(nominals, NELEM(nominals), sizeof nominals[0]) &&
	    sorted(ru_org_gen, NELEM(ru_org_gen), sizeof ru_org_gen[0]) &&
	    sorted(funcs, NELEM(funcs), sizeof funcs[0]);
}
