/* Russian surnames in their six cases, as data: one paradigm per surname
 * type (-ов/-ев/-ин, -ский/-цкий, adjectival -ой/-ый/-кий/-ий, -ец, a
 * consonant, -й, -ь, first declension -а/-я) and the few functions that
 * read it: the nominative of an oblique form, the gender a nominative
 * shows, whether a form inflects a known nominative. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "quote_int.h"

enum { NOM, GEN, DAT, ACC, INS, PREP, NCASES };

#define CASE_BIT(c) (1u << (c))
#define OBLIQUE                                                                \
	(CASE_BIT(GEN) | CASE_BIT(DAT) | CASE_BIT(ACC) | CASE_BIT(INS) |       \
	    CASE_BIT(PREP))

/* Endings by case, nominative first; alternatives joined by '|'. A
 * column left NULL: that gender does not decline (Саркисян for a woman).
 * marked: the nominative alone says "surname" and its gender (an
 * adjectival -ая or a consonant says neither). guess: the oblique cases
 * read back to the nominative when the case is not known; one-letter
 * endings only in the genitive, since a dative "-у" or a prepositional
 * "-е" is also how indeclinable names end (Шойгу, Доренко). */
struct paradigm {
	const char *m[NCASES];
	const char *f[NCASES];
	unsigned marked : 1;
	unsigned guess;
};

static const struct paradigm paradigms[] = {
    {{"ов", "ова", "ову", "ова", "овым", "ове"},
	{"ова", "овой", "овой", "ову", "овой", "овой"}, 1, OBLIQUE},
    {{"ев", "ева", "еву", "ева", "евым", "еве"},
	{"ева", "евой", "евой", "еву", "евой", "евой"}, 1, OBLIQUE},
    {{"ёв", "ёва", "ёву", "ёва", "ёвым", "ёве"},
	{"ёва", "ёвой", "ёвой", "ёву", "ёвой", "ёвой"}, 1, OBLIQUE},
    {{"ин", "ина", "ину", "ина", "иным", "ине"},
	{"ина", "иной", "иной", "ину", "иной", "иной"}, 1, OBLIQUE},
    {{"ын", "ына", "ыну", "ына", "ыным", "ыне"},
	{"ына", "ыной", "ыной", "ыну", "ыной", "ыной"}, 1, OBLIQUE},
    {{"ский", "ского", "скому", "ского", "ским", "ском"},
	{"ская", "ской", "ской", "скую", "ской", "ской"}, 1, OBLIQUE},
    {{"цкий", "цкого", "цкому", "цкого", "цким", "цком"},
	{"цкая", "цкой", "цкой", "цкую", "цкой", "цкой"}, 1, OBLIQUE},
    /* adjectival: Толстой, Белый; Беленькая */
    {{"ой", "ого", "ому", "ого", "ым", "ом"},
	{"ая", "ой", "ой", "ую", "ой", "ой"}, 0, CASE_BIT(GEN)},
    {{"ый", "ого", "ому", "ого", "ым", "ом"},
	{"ая", "ой", "ой", "ую", "ой", "ой"}, 0, CASE_BIT(GEN)},
    /* after г, к, х the hard endings are spelt with и: Горький */
    {{"кий", "кого", "кому", "кого", "ким", "ком"},
	{"кая", "кой", "кой", "кую", "кой", "кой"}, 0, CASE_BIT(GEN)},
    {{"гий", "гого", "гому", "гого", "гим", "гом"},
	{"гая", "гой", "гой", "гую", "гой", "гой"}, 0, CASE_BIT(GEN)},
    {{"хий", "хого", "хому", "хого", "хим", "хом"},
	{"хая", "хой", "хой", "хую", "хой", "хой"}, 0, CASE_BIT(GEN)},
    /* soft and after a hissing consonant: Пригожий, Пригожего */
    {{"ий", "его", "ему", "его", "им", "ем"}, {NULL}, 0, CASE_BIT(GEN)},
    /* a fleeting vowel: Кравец, Кравца */
    {{"ец", "ца|еца", "цу|ецу", "ца|еца", "цом|ецом", "це|еце"}, {NULL}, 0,
	CASE_BIT(GEN)},
    {{"й", "я", "ю", "я", "ем", "е"}, {NULL}, 0, CASE_BIT(GEN)},
    {{"ь", "я", "ю", "я", "ем", "е"}, {NULL}, 0, 0},
    /* a consonant: Саркисян, Саркисяна; a woman's does not decline */
    {{"", "а", "у", "а", "ом|ем", "е"}, {NULL}, 0, CASE_BIT(GEN)},
    /* first declension, either gender: Кочерга, Берия */
    {{"а", "ы|и", "е", "у", "ой", "е"}, {"а", "ы|и", "е", "у", "ой", "е"}, 0,
	0},
    {{"я", "и", "е", "ю", "ей", "е"}, {"я", "и", "е", "ю", "ей", "е"}, 0, 0},
};

#define NPARADIGMS (sizeof paradigms / sizeof paradigms[0])

/* Length of the alternative of ends (joined by '|') that s ends with, the
 * longest; -1 when none. */
static long
ending_len(const char *s, size_t n, const char *ends)
{
	long best = -1;

	while (ends != NULL) {
		const char *bar = strchr(ends, '|');
		size_t m = bar ? (size_t)(bar - ends) : strlen(ends);

		if (m <= n && memcmp(s + n - m, ends, m) == 0 && (long)m > best)
			best = (long)m;
		ends = bar ? bar + 1 : NULL;
	}
	return best;
}

/* Does the stem low[0..n) end in a Russian vowel (two bytes)? */
static int
strchr_vowel_before(const char *low, size_t n)
{
	static const char *const vowels[] = {
	    "а", "е", "ё", "и", "о", "у", "ы", "э", "ю", "я"};
	size_t i;

	if (n < 2)
		return 0;
	for (i = 0; i < sizeof vowels / sizeof vowels[0]; i++)
		if (memcmp(low + n - 2, vowels[i], 2) == 0)
			return 1;
	return 0;
}

/* Does the stem low[0..n) end in ц, ж, ш, ч or щ (two bytes)? */
static int
hard_before(const char *low, size_t n)
{
	static const char *const cons[] = {"ц", "ж", "ш", "ч", "щ"};
	size_t i;

	if (n < 2)
		return 0;
	for (i = 0; i < sizeof cons / sizeof cons[0]; i++)
		if (memcmp(low + n - 2, cons[i], 2) == 0)
			return 1;
	return 0;
}

/* The first alternative of an ending. */
static size_t
first_alt(const char *ends)
{
	const char *bar = strchr(ends, '|');

	return bar ? (size_t)(bar - ends) : strlen(ends);
}

/* The nominative of low read in the cases of casemask (0: the cases each
 * paradigm guesses, and the nominative last). */
static char *
surname_nom_(const char *low, int gender, unsigned casemask)
{
	size_t n = strlen(low), i, best_m = 0;
	const char *best_nom = NULL;
	long best = -1, score;
	int c, g;
	char *out;

	/* the longest ending wins; on a tie, a man's reading before a
	 * woman's and an oblique case before the nominative, in table
	 * order */
	for (g = 0; g < 2; g++) {
		if (gender && gender != (g == 0 ? 'm' : 'f'))
			continue;
		for (i = 0; i < NPARADIGMS; i++) {
			const char *const *col =
			    g == 0 ? paradigms[i].m : paradigms[i].f;

			if (col[NOM] == NULL)
				continue;
			for (c = 0; c < NCASES; c++) {
				int cc = (c + 1) % NCASES; /* NOM last */
				long m;

				if (casemask != 0 && !(casemask & CASE_BIT(cc)))
					continue;
				if (casemask == 0 && cc != NOM &&
				    !(paradigms[i].guess & CASE_BIT(cc)))
					continue;
				if (cc == NOM && !paradigms[i].marked &&
				    col[NOM][0] == '\0')
					continue;
				m = ending_len(low, n, col[cc]);
				/* a stem of more than one letter */
				if (m < 0 || n <= (size_t)m + 2)
					continue;
				/* й follows a vowel and a man's ь no hissing
				 * consonant or ц: "Мерцем" is no "Мерцй",
				 * no "Мерць" */
				if (strcmp(col[NOM], "й") == 0 &&
				    !strchr_vowel_before(low, n - (size_t)m))
					continue;
				if (strcmp(col[NOM], "ь") == 0 &&
				    hard_before(low, n - (size_t)m))
					continue;
				score = m * 4 + (cc != NOM ? 2 : 0) +
				    (g == 0 ? 1 : 0);
				if (score <= best)
					continue;
				best = score;
				best_m = (size_t)m;
				best_nom = col[NOM];
			}
		}
	}
	if (best_nom == NULL)
		return strdup(low);
	if ((out = malloc(n - best_m + first_alt(best_nom) + 1)) == NULL)
		return NULL;
	memcpy(out, low, n - best_m);
	memcpy(out + n - best_m, best_nom, first_alt(best_nom));
	out[n - best_m + first_alt(best_nom)] = '\0';
	return out;
}

char *
nw_qmorph_surname_nom(const char *low, int gender)
{
	return surname_nom_(low, gender, 0);
}

char *
nw_qmorph_surname_nom_case(const char *low, int gender, int kase)
{
	if (kase <= NOM || kase >= NCASES)
		return surname_nom_(low, gender, 0);
	return surname_nom_(low, gender, CASE_BIT(kase));
}

int
nw_qmorph_surname_gender(const char *low)
{
	size_t n = strlen(low), i;
	long fm = -1, mm = -1, m;

	if (n < 8)
		return 0;
	for (i = 0; i < NPARADIGMS; i++) {
		if (!paradigms[i].marked)
			continue;
		if ((m = ending_len(low, n, paradigms[i].f[NOM])) > fm)
			fm = m;
		if ((m = ending_len(low, n, paradigms[i].m[NOM])) > mm)
			mm = m;
	}
	if (fm < 0 && mm < 0)
		return 0;
	return fm >= mm ? 'f' : 'm';
}

int
nw_qmorph_surname_in_case(const char *low, int gender, int kase)
{
	size_t n = strlen(low), i;

	for (i = 0; i < NPARADIGMS; i++) {
		const char *e =
		    gender == 'f' ? paradigms[i].f[kase] : paradigms[i].m[kase];

		if (paradigms[i].marked && e != NULL &&
		    ending_len(low, n, e) >= 0)
			return 1;
	}
	return 0;
}

int
nw_qmorph_inflects(const char *nom, const char *form)
{
	size_t n = strlen(nom), k = strlen(form), i, stem;
	int g, c;

	if (strcmp(nom, form) == 0)
		return 1;
	if (k < 4 || n < 6)
		return 0;
	for (g = 0; g < 2; g++) {
		for (i = 0; i < NPARADIGMS; i++) {
			const char *const *col =
			    g == 0 ? paradigms[i].m : paradigms[i].f;
			long m;

			if (col[NOM] == NULL ||
			    (m = ending_len(nom, n, col[NOM])) < 0)
				continue;
			stem = n - (size_t)m;
			if (stem < 4 || k <= stem ||
			    memcmp(nom, form, stem) != 0)
				continue;
			for (c = GEN; c < NCASES; c++)
				if (ending_len(form + stem, k - stem, col[c]) ==
				    (long)(k - stem))
					return 1;
		}
	}
	return 0;
}

/* Patronymics in their six cases, as data: the suffix of the nominative
 * (-ович, -евич, -ич for a man; -овна, -евна, -ична, -инична for a woman)
 * and the case endings added to it. The suffix is what marks a
 * patronymic, so any stem is read. */
static const struct {
	const char *suffix;
	int gender;
	const char *ends[NCASES];
} patronymics[] = {
    {"ович", 'm', {"", "а", "у", "а", "ем", "е"}},
    {"евич", 'm', {"", "а", "у", "а", "ем", "е"}},
    {"ич", 'm', {"", "а", "у", "а", "ом|ем", "е"}},
    {"овн", 'f', {"а", "ы", "е", "у", "ой", "е"}},
    {"евн", 'f', {"а", "ы", "е", "у", "ой", "е"}},
    {"ичн", 'f', {"а", "ы", "е", "у", "ой", "е"}},
};

char *
nw_qmorph_patronymic_nom(const char *low, int *gender)
{
	size_t n = strlen(low), i, sl;
	int c;
	long m;

	for (i = 0; i < sizeof patronymics / sizeof patronymics[0]; i++) {
		sl = strlen(patronymics[i].suffix);
		for (c = 0; c < NCASES; c++) {
			char *out;

			if ((m = ending_len(low, n, patronymics[i].ends[c])) <
				0 ||
			    n < (size_t)m + sl + 2 ||
			    memcmp(low + n - (size_t)m - sl,
				patronymics[i].suffix, sl) != 0)
				continue;
			if ((out = malloc(n - (size_t)m +
				 first_alt(patronymics[i].ends[NOM]) + 1)) ==
			    NULL)
				return NULL;
			memcpy(out, low, n - (size_t)m);
			memcpy(out + n - (size_t)m, patronymics[i].ends[NOM],
			    first_alt(patronymics[i].ends[NOM]));
			out[n - (size_t)m +
			    first_alt(patronymics[i].ends[NOM])] = '\0';
			if (gender != NULL)
				*gender = patronymics[i].gender;
			return out;
		}
	}
	return NULL;
}

/* Russian title nouns (the head of a person's title) in their six cases,
 * as data: the nominative of each and the paradigm it declines by. A
 * form the lexicon does not list ("канцлером", "послу", "спикеру") is a
 * role by this table. Sorted by nominative. */
enum { TP_HARD, TP_SOFT, TP_A, TP_YA, NTP };

static const char *const title_endings[NTP][NCASES] = {
    [TP_HARD] = {"", "а", "у", "а", "ом|ем", "е"},
    [TP_SOFT] = {"ь", "я", "ю", "я", "ем", "е"},
    [TP_A] = {"а", "ы|и", "е", "у", "ой|ей", "е"},
    [TP_YA] = {"я", "и", "е", "ю", "ей", "е"},
};

static const struct {
	const char *nom;
	int type;
} title_nouns[] = {
    {"адмирал", TP_HARD},
    {"академик", TP_HARD},
    {"аналитик", TP_HARD},
    {"вице-губернатор", TP_HARD},
    {"вице-канцлер", TP_HARD},
    {"вице-мэр", TP_HARD},
    {"вице-президент", TP_HARD},
    {"вице-премьер", TP_HARD},
    {"вице-спикер", TP_HARD},
    {"генерал", TP_HARD},
    {"генконсул", TP_HARD},
    {"генпрокурор", TP_HARD},
    {"генсек", TP_HARD},
    {"генсекретарь", TP_SOFT},
    {"глава", TP_A},
    {"госсекретарь", TP_SOFT},
    {"губернатор", TP_HARD},
    {"депутат", TP_HARD},
    {"дипломат", TP_HARD},
    {"директор", TP_HARD},
    {"заместитель", TP_SOFT},
    {"зампред", TP_HARD},
    {"канцлер", TP_HARD},
    {"командир", TP_HARD},
    {"консул", TP_HARD},
    {"король", TP_SOFT},
    {"лидер", TP_HARD},
    {"министр", TP_HARD},
    {"мэр", TP_HARD},
    {"начальник", TP_HARD},
    {"омбудсмен", TP_HARD},
    {"политолог", TP_HARD},
    {"полпред", TP_HARD},
    {"помощник", TP_HARD},
    {"посланник", TP_HARD},
    {"постпред", TP_HARD},
    {"председатель", TP_SOFT},
    {"представитель", TP_SOFT},
    {"президент", TP_HARD},
    {"премьер", TP_HARD},
    {"премьер-министр", TP_HARD},
    {"пресс-секретарь", TP_SOFT},
    {"прокурор", TP_HARD},
    {"профессор", TP_HARD},
    {"ректор", TP_HARD},
    {"руководитель", TP_SOFT},
    {"секретарь", TP_SOFT},
    {"сенатор", TP_HARD},
    {"советник", TP_HARD},
    {"сопредседатель", TP_SOFT},
    {"спецпредставитель", TP_SOFT},
    {"спикер", TP_HARD},
    {"судья", TP_YA},
    {"экономист", TP_HARD},
    {"эксперт", TP_HARD},
};

/* Is rest (what follows a title's stem) one of the endings of its type,
 * in some case? */
static int
title_ending(const char *rest, int type)
{
	const char *ends, *bar;
	size_t m, rl = strlen(rest);
	int c;

	for (c = 0; c < NCASES; c++)
		for (ends = title_endings[type][c]; ends != NULL;
		     ends = bar ? bar + 1 : NULL) {
			bar = strchr(ends, '|');
			m = bar ? (size_t)(bar - ends) : strlen(ends);
			if (m == rl && memcmp(rest, ends, m) == 0)
				return 1;
		}
	return 0;
}

/* The first three letters of every title noun: for a first and a second
 * letter (а..я without ё, by index), the set of third letters; most words
 * are turned away by one table read. Derived from title_nouns[] (the
 * tests look every nominative up). */
static const uint32_t title_third[32][32] = {
    [0][4] = 0x00001000u,   /* ад */
    [0][10] = 0x00000001u,  /* ак */
    [0][13] = 0x00000001u,  /* ан */
    [2][8] = 0x00400000u,   /* ви */
    [3][5] = 0x00002000u,   /* ге */
    [3][11] = 0x00000001u,  /* гл */
    [3][14] = 0x00020000u,  /* го */
    [3][19] = 0x00000002u,  /* гу */
    [4][5] = 0x00008000u,   /* де */
    [4][8] = 0x00018000u,   /* ди */
    [7][0] = 0x00001000u,   /* за */
    [10][0] = 0x00002000u,  /* ка */
    [10][14] = 0x00013000u, /* ко */
    [11][8] = 0x00000010u,  /* ли */
    [12][8] = 0x00002000u,  /* ми */
    [12][29] = 0x00010000u, /* мэ */
    [13][0] = 0x00800000u,  /* на */
    [14][12] = 0x00000002u, /* ом */
    [15][14] = 0x00021800u, /* по */
    [15][16] = 0x00004020u, /* пр */
    [16][5] = 0x00000400u,  /* ре */
    [16][19] = 0x00000400u, /* ру */
    [17][5] = 0x00002400u,  /* се */
    [17][14] = 0x00008004u, /* со */
    [17][15] = 0x00000120u, /* сп */
    [17][19] = 0x00000010u, /* су */
    [29][10] = 0x00024000u, /* эк */
};

/* Index 0..31 of the lower-case Cyrillic letter at s (а..я), -1 other. */
static int
letter_index(const unsigned char *s)
{
	if (s[0] == 0xd0 && s[1] >= 0xb0 && s[1] <= 0xbf)
		return s[1] - 0xb0;
	if (s[0] == 0xd1 && s[1] >= 0x80 && s[1] <= 0x8f)
		return s[1] - 0x80 + 16;
	return -1;
}

/* Can low (at least three letters) begin a title noun? */
static int
title_prefix(const char *low)
{
	const unsigned char *u = (const unsigned char *)low;
	int a = letter_index(u), b, c;

	if (a < 0 || (b = letter_index(u + 2)) < 0 ||
	    (c = letter_index(u + 4)) < 0)
		return 0;
	return (title_third[a][b] >> c) & 1u;
}

/* One binary search a word: a form begins with its title's stem, so its
 * nominative sorts just before it (or at it, when the nominative's own
 * ending sorts after the form's: "секретарем" < "секретарь"); the few
 * entries there whose stem begins the word are the only candidates. */
const char *
nw_qmorph_title_nom(const char *low)
{
	size_t n, lo = 0, hi, k, sl, nt;

	/* the two-letter test first: it needs no length */
	if (low[0] == '\0' || low[1] == '\0' || low[2] == '\0' ||
	    low[3] == '\0' || low[4] == '\0' || low[5] == '\0' ||
	    !title_prefix(low))
		return NULL;
	n = strlen(low);
	nt = sizeof title_nouns / sizeof title_nouns[0];
	if (n < 8)
		return NULL;
	hi = nt;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(title_nouns[mid].nom, low) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (k = lo + 1; k-- > 0 && k + 4 > lo;) {
		const char *nom;

		if (k >= nt)
			continue;
		nom = title_nouns[k].nom;
		sl = strlen(nom) -
		    first_alt(title_endings[title_nouns[k].type][NOM]);
		if (sl < 4 || n < sl || memcmp(low, nom, sl) != 0)
			continue;
		if (title_ending(low + sl, title_nouns[k].type))
			return nom;
	}
	return NULL;
}
