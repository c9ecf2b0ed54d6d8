/* Private interface between the attribution stages (quote_attrib.c, the
 * cues and their subjects; quote_reported.c, reported speech without
 * marks): what a cue is, what a subject resolves to. */
#ifndef NW_QUOTE_ATTRIB_H
#define NW_QUOTE_ATTRIB_H

#include <stddef.h>
#include <stdint.h>

#include "quote_int.h"

enum subj_kind {
	S_NONE,
	S_ENT,     /* a named person or body */
	S_NULL,    /* nobody named: "a source", "one resident" */
	S_INHERIT, /* a participle cue: the speaker of the clause before */
};

struct subj {
	enum subj_kind kind;
	long ent;
	/* for --explain: how the mention was read, and its tokens */
	const char *how;
	size_t ma, mb;
	size_t head; /* head noun of a nominal reference, 0 none */
};

struct cue {
	size_t v;    /* verb token */
	size_t vend; /* first token after the cue words */
	size_t cue2; /* second word of the cue ("out", "TASS"), or SIZE_MAX */
	uint32_t cls;
	int gender; /* from a Russian verb ending */
	int org; /* "говорится в сообщении X", "in a statement" */
	int accord; /* "according to X", "по словам X": X in the genitive */
};

/* Is token t a reporting verb (and what kind)? */
uint32_t nw_qattr_verb_at(
    const struct qctx *c, const struct qpara *p, size_t t);
/* Fills *cu for reporting verb t of classes v (its particle, addressee). */
void nw_qattr_cue_fill(const struct qctx *c, const struct qpara *p, size_t t,
    uint32_t v, struct cue *cu);
/* A cue phrase of the frame table at token t (quote_frames.c). */
const struct nw_qframe *nw_qattr_phrase_cue_at(
    const struct qpara *p, size_t t, size_t end, struct cue *cu);
/* Is [a, b) a role ("head of the agency") rather than a name? */
int nw_qattr_chunk_role(const struct qpara *p, size_t a, size_t b);
/* Does [a, b) hold a name? */
int nw_qattr_chunk_names(const struct qpara *p, size_t a, size_t b);
/* The subject of the verb at v, read back to lo. */
struct subj nw_qattr_subject_before(struct qctx *c, const struct qpara *p,
    size_t lo, size_t v, int oblique, int g);
/* The subject after the verb ending at v, up to hi. */
struct subj nw_qattr_subject_after(struct qctx *c, const struct qpara *p,
    size_t v, size_t hi, int oblique, int g);
/* Who speaks through cue cu found in [lo, hi). */
struct subj nw_qattr_cue_subject(struct qctx *c, const struct qpara *p,
    size_t lo, size_t hi, const struct cue *cu);
/* The first cue in [a, b). */
int nw_qattr_find_cue_forward(
    struct qctx *c, const struct qpara *p, size_t a, size_t b, struct cue *cu);
/* Entity e spoke at token v: salience and the speaker of the moment. */
void nw_qattr_spoke(struct qctx *c, long e, const struct qpara *p, size_t v);
/* Reported speech (indirect quotations) in the sentences starting in
 * [a, b), emitted as met; quote_reported.c. */
void nw_qattr_reported(struct qctx *, struct qpara *, size_t a, size_t b);

#endif
