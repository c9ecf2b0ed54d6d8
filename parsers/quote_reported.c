/* Reported speech without marks, one sentence at a time: "According to X,
 * ...", "По словам X, ...", "..., X said.", "X said (that) ...": emitted
 * as indirect quotations with the reported clause as text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "quote_attrib.h"
#include "quote_int.h"

static void indirect_sentences(struct qctx *, struct qpara *, size_t, size_t);

/* ", the head of the laboratory, Natalia Orlova, said": the cue right after
 * comma k has its subject in the chunks before; the comma that starts them
 * (the name's, or the role's before it), else k. */
static size_t
appositive_back(const struct qpara *p, size_t a, size_t k)
{
	size_t k1 = k, k2, t;
	int named = 0;

	while (k1 > a && p->tok[k1 - 1].ch != ',')
		k1--;
	if (k1 <= a + 1)
		return k;
	for (t = k1; t < k; t++)
		if (nw_qnames_is_name_tok(p, t) && (p->tok[t].flags & QF_CAP))
			named = 1;
	if (!named || k - k1 > 5)
		return k;
	k1--; /* the comma before the name */
	k2 = k1;
	while (k2 > a && p->tok[k2 - 1].ch != ',')
		k2--;
	if ((p->tok[k2].lex & QL_DET) && nw_qattr_chunk_role(p, k2, k1) &&
	    !nw_qattr_chunk_names(p, k2, k1))
		/* the role opens the sentence: nothing reported before */
		return k2 > a + 1 ? k2 - 1 : SIZE_MAX;
	return k1;
}

/* "Speaking to reporters, X urged ...", "Выступая на форуме, X
 * призвал ...": a sentence that opens with a participle of speaking
 * makes the person named in its main clause the speaker of the moment,
 * whatever its verb (a quotation with no cue next is theirs). */
static void
speaking_opener(struct qctx *c, const struct qpara *p, size_t a, size_t e)
{
	const char *w;
	size_t k;
	long pe;

	/* by length first, one compare then: this runs on every sentence */
	switch (p->tok[a].e - p->tok[a].b) {
	case 7:
		w = "talking";
		break;
	case 8:
		w = "speaking";
		break;
	case 10:
		w = "addressing";
		break;
	case 14:
		w = "отвечая";
		break;
	case 16:
		w = "выступая";
		break;
	default:
		return;
	}
	if (!(p->tok[a].flags & QF_CAP) || !q_is_word(p, a) ||
	    !q_tok_is(p, a, w))
		return;
	for (k = a + 1; k < e && p->tok[k].ch != ','; k++)
		;
	if (k + 1 >= e)
		return;
	pe = nw_qres_pronoun(c, q_pos(p, e - 1), 0);
	if (pe >= 0 && c->ent[pe].last > q_pos(p, k)) {
		c->cur_speaker = pe;
		nw_qattr_spoke(c, pe, p, k + 1);
	}
}

void
nw_qattr_reported(struct qctx *c, struct qpara *p, size_t a, size_t b)
{
	c->strict = 1;
	indirect_sentences(c, p, a, b);
	c->strict = 0;
}

static void
indirect_sentences(struct qctx *c, struct qpara *p, size_t a, size_t b)
{
	size_t e, t;
	struct cue cu;
	struct subj s;
	const struct nw_qframe *fr;

	while (a < p->ntok && a < b) {
		int has_quote = 0;

		e = a + 1;
		while (e < p->ntok && !(p->tok[e].flags & QF_SSTART))
			e++;
		for (t = a; t < e; t++)
			if (p->tok[t].span >= 0 ||
			    ((p->tok[t].flags & QF_MARK) &&
				!(p->tok[t].flags & QF_INLINE)))
				has_quote = 1;
		if (has_quote || e - a < 3) {
			a = e;
			continue;
		}
		/* "According to X, ..." */
		if ((fr = nw_qattr_phrase_cue_at(p, a, e, &cu)) != NULL &&
		    fr->slot != QFS_STATEMENT) {
			size_t k = cu.vend;

			while (k < e && p->tok[k].ch != ',')
				k++;
			if (k + 2 < e) {
				s = nw_qattr_subject_after(
				    c, p, cu.vend, k, 1, 0);
				if (s.kind == S_ENT || s.kind == S_NULL) {
					size_t tb = p->tok[k + 1].b,
					       te = p->tok[e - 1].b;

					if (q_is_word(p, e - 1))
						te = p->tok[e - 1].e;
					if (s.kind == S_ENT) {
						c->cur_speaker = s.ent;
						nw_qattr_spoke(
						    c, s.ent, p, cu.v);
					}
					if (nw_qemit(c, p, tb, te,
						NW_QUOTE_INDIRECT,
						s.kind == S_ENT ? s.ent : -1,
						p->s + p->tok[cu.v].b,
						p->tok[cu.cue2].e -
						    p->tok[cu.v].b,
						NULL, 0) < 0)
						return;
				}
			}
			a = e;
			continue;
		}
		/* "..., X said." : the last comma chunk holds the cue */
		{
			size_t k = e, cm = SIZE_MAX;

			while (k > a) {
				k--;
				if (p->tok[k].ch == ',' &&
				    (cm == SIZE_MAX || k < cm)) {
					struct cue c2;

					if (nw_qattr_find_cue_forward(
						c, p, k + 1, e, &c2)) {
						cm = k;
						cu = c2;
						if (c2.v == k + 1)
							cm = appositive_back(
							    p, a, k);
						break;
					}
				}
			}
			if (cm != SIZE_MAX && cm > a + 2 &&
			    !(cu.cls & QL_PART)) {
				s = nw_qattr_cue_subject(c, p, cm + 1, e, &cu);
				if (s.kind == S_ENT || s.kind == S_NULL) {
					size_t tb = p->tok[a].b,
					       te = p->tok[cm].b;

					if (s.kind == S_ENT) {
						c->cur_speaker = s.ent;
						nw_qattr_spoke(
						    c, s.ent, p, cu.v);
						if (c->lead < 0 &&
						    c->ent[s.ent].type ==
							NW_SPEAKER_PERSON)
							c->lead = s.ent;
						if (cu.org)
							c->stmt = s.ent;
					}
					if (nw_qemit(c, p, tb, te,
						NW_QUOTE_INDIRECT,
						s.kind == S_ENT ? s.ent : -1,
						p->s + p->tok[cu.v].b,
						p->tok[cu.v].e - p->tok[cu.v].b,
						NULL, 0) < 0)
						return;
					a = e;
					continue;
				}
			}
		}
		/* "X said (that) ..." */
		{
			size_t k;
			int words = 0;

			for (k = a; k < e && words < 12; k++) {
				uint32_t v;

				if (!q_is_word(p, k))
					continue;
				words++;
				v = nw_qattr_verb_at(c, p, k);
				if (!(v & QL_VERB) || k == a)
					continue;
				/* "X asked Y to check": a request, not
				 * reported speech */
				if (v & QL_ASK)
					break;
				nw_qattr_cue_fill(c, p, k, v, &cu);
				/* "Lavrov stated:" before a quotation in the
				 * next paragraph names its speaker */
				if (p->tok[e - 1].ch == ':')
					c->strict = 0;
				s = nw_qattr_subject_before(
				    c, p, a, k, 0, cu.gender);
				c->strict = 1;
				/* "Об этом заявил журналистам X.": nothing
				 * reported, but X spoke, after the verb; a
				 * quotation with no cue next is X's */
				if (s.kind == S_NONE && k <= a + 6 &&
				    (p->tok[k].flags & QF_CYR) &&
				    q_tok_is(p, a, "об") &&
				    q_tok_is(p, a + 1, "этом")) {
					/* the person the mentions found
					 * after the verb (role chains and
					 * all), not a new reading */
					long pe = nw_qres_pronoun(
					    c, q_pos(p, e - 1), cu.gender);

					if (pe >= 0 &&
					    c->ent[pe].last >= q_pos(p, k)) {
						c->cur_speaker = pe;
						nw_qattr_spoke(c, pe, p, k);
					}
					break;
				}
				if (s.kind == S_ENT || s.kind == S_NULL) {
					size_t f = cu.vend;

					while (f < e &&
					    ((q_func(p, f) & QFN_THAT) ||
						p->tok[f].ch == ',' ||
						(p->tok[f].lex & QL_ADDR)))
						f++;
					if (s.kind == S_ENT) {
						c->cur_speaker = s.ent;
						nw_qattr_spoke(c, s.ent, p, k);
						if (c->lead < 0 &&
						    c->ent[s.ent].type ==
							NW_SPEAKER_PERSON)
							c->lead = s.ent;
					}
					if (f + 2 < e) {
						size_t te = p->tok[e - 1].b;

						if (q_is_word(p, e - 1))
							te = p->tok[e - 1].e;
						if (nw_qemit(c, p, p->tok[f].b,
							te, NW_QUOTE_INDIRECT,
							s.kind == S_ENT ? s.ent
									: -1,
							p->s + p->tok[k].b,
							p->tok[k].e -
							    p->tok[k].b,
							NULL, 0) < 0)
							return;
					}
				}
				break;
			}
		}
		speaking_opener(c, p, a, e);
		a = e;
	}
}
