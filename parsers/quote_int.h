/* Private to the quotation stage (parsers/quote*.c): the token stream of a
 * paragraph, the quoted spans found in it, the entities (people and
 * organisations) a dispatch mentions, and the lexicon lookups. */
#ifndef NW_QUOTE_INT_H
#define NW_QUOTE_INT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "newswire/event.h"

/* Token flags. */
#define QF_WORD   0x0001 /* letters or digits */
#define QF_CAP    0x0002 /* starts with an upper-case letter */
#define QF_UPPER  0x0004 /* two or more letters, all upper-case (acronym) */
#define QF_CYR    0x0008 /* Cyrillic */
#define QF_POSS   0x0010 /* ended in 's / ’s, stripped from the lower form */
#define QF_DIGIT  0x0020 /* starts with a digit */
#define QF_SSTART 0x0040 /* first token of a sentence */
#define QF_MARK   0x0080 /* a quotation mark */
#define QF_INLINE 0x0100 /* mark of a short span read as part of the text */
#define QF_SPACEB 0x0200 /* whitespace (or paragraph start) before it */
#define QF_READ   0x0400 /* the stage reads its lower-cased form (q_low) */
#define QF_HYPHEN 0x0800 /* an ASCII hyphen joins two of its parts */

/* Lexicon classes: one word can be several. */
#define QL_VERB      0x00000001u /* finite reporting verb: said, заявил */
#define QL_PART      0x00000002u /* participle cue: adding, отметив */
#define QL_TITLE     0x00000004u /* role word: minister, deputy, глава */
#define QL_ORG       0x00000008u /* organisation head: ministry, агентство */
#define QL_ORGSUB    0x00000010u /* part of a body: press service, government */
#define QL_NAT       0x00000020u /* nationality or place adjective: Russian */
#define QL_DET       0x00000040u /* the, a, this */
#define QL_INDEF     0x00000080u /* a, an, one: nobody named */
#define QL_ADV       0x00000100u /* skippable: also, however, then */
#define QL_PRON_M    0x00000200u /* he, он */
#define QL_PRON_F    0x00000400u /* she, она */
#define QL_PRON_PL   0x00000800u /* they, они */
#define QL_PRON_IT   0x00001000u /* it (an organisation) */
#define QL_NOMINAL   0x00002000u /* person reference: diplomat, minister */
#define QL_ANON      0x00004000u /* source, resident: a nameless speaker */
#define QL_ADDR      0x00008000u /* addressee after told: TASS, reporters */
#define QL_PARTICLE  0x00010000u /* van, der, de, bin inside names */
#define QL_GIVEN_M   0x00020000u /* male given name */
#define QL_GIVEN_F   0x00040000u /* female given name */
#define QL_ASIAN     0x00080000u /* surname written first: Liu, Wang */
#define QL_STOP      0x00100000u /* ends a noun phrase: and, that, who, when */
#define QL_ABBR      0x00200000u /* abbreviation taking a period: St, Mr */
#define QL_ORGNAME   0x00400000u /* a body known by one word: Kremlin */
#define QL_STATEMENT 0x00800000u /* statement, сообщении: what a body issues */
#define QL_PREP      0x01000000u /* of, at, for: inside titles */
#define QL_ASK       0x02000000u /* asked: a question, not an answer */
#define QL_PLURAL    0x04000000u /* plural verb or noun: said by several */
#define QL_FEM       0x08000000u /* feminine verb form: сказала */
#define QL_MASC      0x10000000u /* masculine verb form: сказал */
#define QL_PREPOS    0x20000000u /* verb that wants a particle: pointed (out) */
#define QL_WHEN      0x40000000u /* when, while, if: opens a side clause */
#define QL_CUEHEAD   0x80000000u /* starts a cue phrase: according, по */

struct qtok {
	uint32_t b, e; /* bytes [b, e) in the paragraph */
	uint32_t cp;   /* code point offset of b */
	uint32_t low;  /* offset of the lower-cased form in lowbuf; q_low
			* reads it as the empty string (offset 0) until
			* QF_READ is set */
	uint32_t lex;  /* lexicon classes of the lower form (outside quotes) */
	uint32_t verb; /* reporting verb classes (outside quotes) */
	int32_t span;  /* quotation holding the token, -1 outside */
	uint16_t flags;
	char ch;     /* punctuation: ASCII, 'D' dash, 'E' ellipsis, 0 other */
	char rgiven; /* Russian given name: 0 unknown yet, 'n' no, 'm', 'f' */
};

enum qmark {
	QM_NONE,
	QM_STRAIGHT, /* " */
	QM_LDQ,      /* “ */
	QM_RDQ,      /* ” */
	QM_LOW,      /* „ */
	QM_LAQ,      /* « */
	QM_RAQ,      /* » */
};

struct qspan {
	uint32_t open;  /* token of the opening mark */
	uint32_t close; /* token of the closing mark, ntok when unclosed */
	uint32_t words;
	uint8_t unclosed;
	uint8_t quote;   /* a quotation (else a short name or title in marks) */
	uint8_t kind;    /* enum nw_quote_kind */
	uint8_t chained; /* continues the previous paragraph's quotation */
	uint8_t explicit_attr; /* its own cue was found */
	long ent;              /* speaker entity, -1 none */
	uint8_t null_speaker;  /* explicitly nobody named */
	long fb;               /* the speaker of the moment where it stands */
	uint8_t fbnul;         /* ... who was nobody named */
	const char *cue;       /* into the paragraph, cuelen bytes */
	size_t cuelen;
	const char *cue2; /* second cue word ("out", "TASS"), or NULL */
	size_t cue2len;
	/* for --explain: the stage that chose the speaker, how the mention
	 * was read (name, pronoun, nominal, ...) and the mention itself */
	const char *stage, *how;
	const char *mention; /* into the paragraph, mentionlen bytes */
	size_t mentionlen;
	/* nobody before it fits: the person named right after it speaks
	 * (a lead quotation, "Russia's top diplomat said" before the name) */
	uint8_t pend;
	int pgender;
	const char *proles; /* role words the person must fit, or NULL */
};

/* Work done on a dispatch, counted as it is done: what the linearity test
 * compares between a small and a large input of one shape (wall time
 * would not hold under a sanitizer or on a loaded machine). Counting is
 * an increment where the work is anyway, so it is always compiled in. */
struct nw_qwork {
	uint64_t tokens;   /* tokens made */
	uint64_t visits;   /* tokens read: the scans of spans and sentences,
			      and every q_low / q_is_word / q_tok_is */
	uint64_t entities; /* entities looked at by a lookup (index chains,
			      the salience window) */
	uint64_t bytes;    /* bytes stepped over by byte loops past the
			      tokeniser (code point offsets of quotes) */
};

/* A paragraph being read. */
struct qpara {
	const char *s;
	size_t len;
	struct qtok *tok;
	size_t ntok, captok;
	char *lowbuf;
	size_t lowlen, lowcap;
	struct qspan *span;
	size_t nspan, capspan;
	size_t cplen; /* length in code points */
	long unit;    /* body paragraph index, -1 for the lede, -2 headline */
	size_t from;  /* first byte tokenised: past the dateline, else 0 */
	/* where work is counted: the dispatch's (qctx), or own when the
	 * paragraph is read alone (nw_qpara_tokenise sets it) */
	struct nw_qwork *work;
	struct nw_qwork own;
};

struct qent {
	char *name;
	char *key;  /* lower-case surname, or the lower-case name of a body */
	char *key2; /* lower-case first token for surname-first names */
	char *title;
	char *role; /* a role seen only in an oblique case, for matching */
	char *org;
	enum nw_speaker_type type;
	int gender;     /* 0 unknown, 'm', 'f' */
	uint64_t last;  /* position of the last mention */
	uint64_t spoke; /* position of the last time it spoke, 0 never */
	/* salience: start of the sentence of its last mention, and of the
	 * last sentence where it was the subject or spoke; 0 none */
	uint64_t sent_last, sent_subj;
	uint64_t first;      /* position of its first mention, 0 none yet */
	long speaker;        /* index into event->speakers, -1 none yet */
	int ru;              /* a Russian name (keys are stems) */
	int32_t next, next2; /* key and key2 bucket chains: index + 1 */
};

/* The entity index: keys hashed by their first two bytes (a Russian
 * surname's stem keeps them in every case), and the entities touched
 * last, most recent first, which is all salience ever looks at. */
#define QENT_BUCKETS 256
#define QENT_RECENT  48

struct qctx {
	struct nw_event *ev;
	int ru;
	struct qent *ent;
	size_t nent, capent;
	long cur_speaker; /* entity that spoke last, -1 none */
	int cur_null;     /* the last quote was by nobody named */
	long lead;        /* first person who spoke, -1 none */
	long stmt;        /* body whose statement is being quoted, -1 */
	int failed;       /* out of memory: stop adding */
	int strict;       /* reported speech: no new one-word names */
	int cue_plural;   /* the cue being read is a plural verb */
	/* the sentence (its q_pos) whose subject was last a person described
	 * but not named ("The Kremlin spokesman told ..."), 0 none: a
	 * referent for pronouns that has no entity */
	uint64_t anon_subj;
	/* the head noun of the last subject introduced by an indefinite
	 * article ("A senior official, who asked not to be named, said"),
	 * lower-case, "" none: "the official" then refers to that person,
	 * who has no entity, when no one named has been mentioned since */
	char anon_head[32];
	uint64_t anon_indef;
	/* where a nameless source was last mentioned outside quotations
	 * ("Об этом ТАСС сообщил источник"), 0 none: "собеседник
	 * агентства" after it is that source, not a person named before */
	uint64_t anon_src;
	/* where a body last told something outside quotations ("сообщили
	 * ТАСС в ведомстве"), 0 none: the agency's interlocutor after it */
	uint64_t org_src;
	/* where the cue of the last quotation by nobody named stands, 0
	 * none: "he added" in that paragraph, no one named since, is that
	 * same unnamed speaker */
	uint64_t null_at;
	int32_t bucket[QENT_BUCKETS], bucket2[QENT_BUCKETS]; /* index + 1 */
	int32_t recent[QENT_RECENT];
	size_t nrecent;
	struct nw_qwork work;
};

/* Position of token t of a paragraph, ordered over the whole dispatch. */
static inline uint64_t
q_pos(const struct qpara *p, size_t t)
{
	return ((uint64_t)(p->unit + 3) << 24) | (uint64_t)t;
}

static inline const char *
q_low(const struct qpara *p, size_t t)
{
	p->work->visits++;
	return p->lowbuf +
	    ((p->tok[t].flags & QF_READ) ? p->tok[t].low : (uint32_t)0);
}

static inline int
q_is_word(const struct qpara *p, size_t t)
{
	p->work->visits++;
	return (p->tok[t].flags & QF_WORD) != 0;
}

static inline int
q_is_lower_word(const struct qpara *p, size_t t)
{
	return q_is_word(p, t) && !(p->tok[t].flags & QF_CAP);
}

static inline int
q_tok_is(const struct qpara *p, size_t t, const char *w)
{
	return t < p->ntok && strcmp(q_low(p, t), w) == 0;
}

/* quote_lexicon.c */
/* The classes of a lower-case word, 0 when the table does not know it. */
uint32_t nw_qlex_lookup(const char *low);
/* The same for a word whose length the caller knows (the tokeniser's). */
uint32_t nw_qlex_lookup_n(const char *low, size_t len);
/* The hash of the lexicon's index (the generator hashes its words with
 * it): eight bytes a step rather than one, as most lookups are of words
 * the table does not hold and the hash is all they cost. */
static inline uint32_t
nw_qlex_hash(const char *low, size_t len)
{
	const unsigned char *u = (const unsigned char *)low;
	uint64_t h = (uint64_t)len * 0x9e3779b97f4a7c15ULL, w;
	size_t i;

	for (; len >= 8; u += 8, len -= 8) {
		memcpy(&w, u, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 29;
	}
	if (len > 0) {
		w = 0;
		for (i = 0; i < len; i++)
			w |= (uint64_t)u[i] << (8 * i);
		h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
	}
	h ^= h >> 32;
	return (uint32_t)h;
}
/* The key of the lexicon's bit filter (the generator sets a bit per word):
 * its length and a few of its bytes; len > 0. A clear bit spares most words
 * not in the table their hash and probe. */
#define QLEX_FILTER_BITS 65536
static inline uint32_t
nw_qlex_filter_key(const char *low, size_t len)
{
	const unsigned char *u = (const unsigned char *)low;
	uint32_t k = (uint32_t)len;

	k = k * 31 + u[0];
	k = k * 31 + u[len > 1 ? 1 : 0];
	k = k * 31 + u[len / 2];
	k = k * 31 + u[len - 1];
	return (k * 0x9e3779b1u) >> 16;
}
/* The filter (generated into quote_lexicon.c): the tokeniser asks it first,
 * inline, as most words it turns away never cost a call. */
extern const uint64_t nw_qlex_filter_bits[QLEX_FILTER_BITS / 64];
/* nw_qlex_lookup_n for a word the filter let through (nw_qlex_maybe). */
uint32_t nw_qlex_probe(const char *low, size_t len);
/* Might the word (len > 0) be in the table? */
static inline int
nw_qlex_maybe(const char *low, size_t len)
{
	uint32_t k = nw_qlex_filter_key(low, len);

	return (int)((nw_qlex_filter_bits[k / 64] >> (k % 64)) & 1);
}
/* Reporting verb classes of a word, with the Russian past-tense gender
 * endings understood (заявила -> QL_VERB|QL_FEM). */
uint32_t nw_qlex_verb(const char *low, int ru);
/* Words of a role that a nominal reference is compatible with:
 * "diplomat" -> "ambassador envoy ..."; NULL when none. */
/* The same from an already looked-up lexicon class. */
static inline uint32_t
nw_qlex_verb_of(const char *low, uint32_t lex)
{
	(void)low;
	if (lex & (QL_VERB | QL_PART))
		return lex &
		    (QL_VERB | QL_PART | QL_PREPOS | QL_ASK | QL_PLURAL |
			QL_FEM | QL_MASC);
	return 0;
}
const char *nw_qlex_nominal_class(const char *low);
/* Nominative of a Russian body's head noun in the genitive
 * ("министерства" -> "министерство"), or NULL. */
const char *nw_qlex_ru_org_nom(const char *low);
/* Russian given name: nominative and gender of any case form. */
const char *nw_qlex_ru_given(const char *low, int *gender);
int nw_qlex_selfcheck(void);
/* Function words by their part in a clause (a table apart from words[]). */
#define QFN_REL       0x01u /* opens a relative clause: who, which, который */
#define QFN_CONJ      0x02u /* joins two clauses or nouns: and, и */
#define QFN_THAT      0x04u /* opens a reported clause: that, что */
#define QFN_PARTICLE  0x08u /* completes a phrasal verb: (pointed) out */
#define QFN_PARTITIVE 0x10u /* one of many: (one) of, (одна) из */
#define QFN_GENLINK   0x20u /* links a noun to its genitive: of, по */
uint32_t nw_qlex_func(const char *low);
/* What a common noun for a body refers back to: a stem the names of those
 * bodies hold, "*" for any body, NULL when the noun is not in the table. */
const char *nw_qlex_body_ref(const char *low);

/* The function-word classes (QFN_*) of token t, 0 for no word. */
static inline uint32_t
q_func(const struct qpara *p, size_t t)
{
	return t < p->ntok && q_is_word(p, t) ? nw_qlex_func(q_low(p, t)) : 0;
}

/* quote_names.c */
uint32_t nw_qent_bucket(const char *key);
/* Entity e was mentioned at pos (moves it to the front of recent[]). */
void nw_qent_seen(struct qctx *, long e, uint64_t pos);
void nw_qent_touch(struct qctx *, long e);
/* Sets the second key of e (takes key2) and indexes it. */
void nw_qent_set_key2(struct qctx *, long e, char *key2);
/* "представитель МИД КНР Линь Цзянь": where the name of the person after
 * the body in the capitalised run [t, r) starts (a, the clause start), or
 * r when the run is all one name. */
size_t nw_qnames_ru_name_after_body(
    const struct qpara *, size_t a, size_t t, size_t r);
/* Is every word of the Cyrillic run [t, r) in the genitive or an acronym,
 * with no given name in the nominative ("МИД Южной Кореи")? */
int nw_qnames_ru_all_genitive(const struct qpara *, size_t t, size_t r);
/* The rest of a body's name after its capitalised run [t, r) in [.., b):
 * "Министерство | обороны РФ", "Institute | of Volcanology"; r when none. */
size_t nw_qnames_org_tail(const struct qpara *, size_t t, size_t r, size_t b);
/* Does token t join a role to what it is of: "Minister of Trade",
 * "spokesman for the ministry", "Ambassador to Pakistan"? */
int nw_qnames_role_link(const struct qpara *, size_t t);
/* Reads the name at tokens [a, b) (a capitalised run), fills *ent_out with
 * a found or new entity. Returns 0, or -1 when it names nobody. */
long nw_qnames_person(struct qctx *, const struct qpara *, size_t a, size_t b,
    int oblique, size_t ta, size_t tb, int gender);
long nw_qnames_org(
    struct qctx *, const struct qpara *, size_t a, size_t b, int oblique);
int nw_qnames_titled(const struct qpara *, size_t t, size_t r, size_t *ns);
long nw_qnames_find_surname(struct qctx *, const char *low, int ru);
int nw_qnames_is_name_tok(const struct qpara *, size_t t);
long nw_qnames_entity_new(
    struct qctx *, const char *name, size_t len, enum nw_speaker_type);
void nw_qnames_scan_mentions(
    struct qctx *, const struct qpara *, size_t a, size_t b);
char *nw_qnames_ru_nominative(const char *word, size_t len, int gender);
/* Records a mention of person e at tokens [a, b): its position, and for
 * salience whether it is the subject of its sentence. */
void nw_qnames_mentioned(
    struct qctx *, long e, const struct qpara *, size_t a, size_t b);
size_t nw_qsentence_start(const struct qpara *, size_t t);

/* quote_frames.c: cue frames, the reporting phrases whose speaker is not
 * the subject of a reporting verb, kept as data */
enum nw_qframe_slot {
	/* phrase frames, matched where a cue may start */
	QFS_AFTER, /* the speaker follows: "according to X", "по словам X" */
	QFS_INSIDE, /* a pronoun inside speaks: "in his words", "по его словам" */
	QFS_STATEMENT, /* a body's statement, its author after it: "говорится в
			  сообщении X" */
	/* verb frames, read once the reporting verb is found */
	QFS_BETWEEN, /* between the verb and the mark: "quoted X as saying" */
	QFS_AFTER_MARK, /* after the mark: "приводит пресс-служба слова X" */
	QFS_OBJECT, /* the verb's object, first: "цитирует министра X" */
};

struct nw_qframe {
	const char *head;    /* the word that opens it, lower case */
	const char *seq[3];  /* phrase frames: the words right after the head */
	const char *mark[2]; /* verb frames: the words that bound the slot */
	const char
	    *passive; /* auxiliaries before the head that undo the frame */
	enum nw_qframe_slot slot;
};

/* The phrase frame that starts at token t and ends before end; *n is its
 * length in tokens. NULL when none does. */
const struct nw_qframe *nw_qframe_phrase(
    const struct qpara *, size_t t, size_t end, size_t *n);
/* The frame of reporting verb v ("quoted", "приводит"), or NULL. */
const struct nw_qframe *nw_qframe_verb(const struct qpara *, size_t v);
/* The token where the mark of verb frame f starts in [from, to), within
 * the clause; SIZE_MAX when there is none. */
size_t nw_qframe_mark(
    const struct qpara *, const struct nw_qframe *, size_t from, size_t to);
/* 1 when the frame table is sorted as bsearch needs. */
int nw_qframe_selfcheck(void);

/* quote_attrib.c: classes for a word the lexicon does not know, by its
 * form: a Russian title noun in any case, a hyphenated role ("co-leader");
 * 0 none. Read once per word by the tokeniser. */
uint32_t nw_qattr_derived_lex(const char *low, int cyr, int hyphen);

/* quote_morph.c: Russian surname paradigms (all six cases) as data */
#define NW_QCASE_GEN 1
/* The nominative of a surname in some case (lower case); gender 'm', 'f'
 * or 0 (either, a man's reading first). malloc'd, NULL when out of
 * memory; the word itself when no paradigm reads it. */
char *nw_qmorph_surname_nom(const char *low, int gender);
/* The same, the case known (from the given name beside it): 1 genitive,
 * 2 dative, 3 accusative, 4 instrumental, 5 prepositional; 0 unknown. */
char *nw_qmorph_surname_nom_case(const char *low, int gender, int kase);
/* 'm' or 'f' when a nominative has the shape of a surname of that gender
 * (Белякова, Лосевский), 0 when it shows none. */
int nw_qmorph_surname_gender(const char *low);
/* Is low a surname of that gender in case kase (NW_QCASE_GEN)? */
int nw_qmorph_surname_in_case(const char *low, int gender, int kase);
/* Is form the nominative nom or one of its case forms? */
int nw_qmorph_inflects(const char *nom, const char *form);
/* The nominative of a patronymic in any case (Ивановича -> иванович,
 * Сергеевной -> сергеевна), its gender in *gender when not NULL;
 * malloc'd, NULL when low is no patronymic (or out of memory). */
char *nw_qmorph_patronymic_nom(const char *low, int *gender);
/* The nominative of a Russian title noun in any case ("канцлером" ->
 * "канцлер"), from the table of title nouns; NULL when low is none. */
const char *nw_qmorph_title_nom(const char *low);

/* quote_resolve.c: pronouns and nominal references by salience */
/* He, she, он, она at pos: the person of the most recent sentence that
 * mentions one who agrees in gender g, its subject over an object;
 * QRES_UNNAMED when that is a subject described but not named. */
long nw_qres_pronoun(struct qctx *, uint64_t pos, int g);
/* nw_qres_pronoun: the pronoun refers to a person described, not named */
#define QRES_UNNAMED (-2)
/* The body met last before pos whose key holds word (any when NULL). */
long nw_qres_recent_org(struct qctx *, uint64_t pos, const char *word);
/* The nominal reference at [a, b) with head noun head ("the minister"):
 * the person whose title fits, or the body it names; QRES_UNNAMED for
 * the person an indefinite description introduced. */
long nw_qres_nominal(struct qctx *, const struct qpara *, size_t a, size_t b,
    size_t head, uint64_t pos, int g);
/* Does "the <head>" at pos refer to the person an indefinite description
 * introduced ("A senior official, who ..."), not to best? Then
 * nw_qres_nominal answers QRES_UNNAMED. */
int nw_qres_nominal_is_indefinite(
    const struct qctx *, const char *head, uint64_t pos, long best);
/* The gender a title tells ("spokeswoman" 'f', "chairman" 'm'), 0 none. */
int nw_qres_title_gender(const char *title);
/* Does a title hold one of the role words ("minister counterpart")? */
int nw_qres_title_fits(const char *title, const char *roles);
/* Records the subject of the sentence starting at token ss when it is a
 * definite description of a person nobody known fits ("The Kremlin
 * spokesman told ..."): a referent for later pronouns. */
void nw_qres_note_subject(
    struct qctx *, const struct qpara *, size_t ss, size_t b);

/* quote_attrib.c */
/* Attributes the quotations of a paragraph and emits its reported speech
 * (indirect quotations) in passing. */
void nw_qattr_paragraph(struct qctx *, struct qpara *);

/* quotes.c */
/* nw_quotes_extract, and the work it did (for tests/quotes). */
void nw_quotes_extract_work(struct nw_event *, struct nw_qwork *);
int nw_qpara_tokenise(struct qpara *);
void nw_qpara_reset(struct qpara *);
void nw_qpara_free(struct qpara *);
int nw_qemit(struct qctx *, const struct qpara *, size_t a, size_t b,
    enum nw_quote_kind, long ent, const char *cue, size_t cuelen,
    const char *cue2, size_t cue2len);

#endif
