/* Private interfaces of the story index: the word sets its similarity is
 * measured on (text.c). */
#ifndef NW_STORY_INT_H
#define NW_STORY_INT_H

#include <stddef.h>
#include <stdint.h>

#include "newswire/event.h"

/* A set of word stems, as sorted distinct 32-bit hashes. */
struct nw_tokset {
	uint32_t *v;
	size_t n, cap;
};

/* The words of a version that stories are compared on. head: the headline
 * (a dateline-less one-liner for a flash without one); full: the headline,
 * the standfirst and the opening paragraphs without their dateline. */
struct nw_story_text {
	struct nw_tokset head, full;
	/* the headline's names: capitalised words after the first (the first
	 * too when it is in capitals, "ЦБ"); none for a headline all in
	 * capitals, where capitals say nothing */
	struct nw_tokset names;
};

int nw_story_text_of(const struct nw_event *, struct nw_story_text *);
void nw_story_text_clear(struct nw_story_text *);
/* Add the stems of s[0..n) to t (call nw_tokset_finish before use). */
int nw_tokset_add_text(struct nw_tokset *t, const char *s, size_t n);
/* Append one hash (the set is unsorted until nw_tokset_finish). */
int nw_tokset_push(struct nw_tokset *t, uint32_t h);
void nw_tokset_finish(struct nw_tokset *t);
int nw_tokset_copy(struct nw_tokset *to, const struct nw_tokset *from);
void nw_tokset_clear(struct nw_tokset *t);
size_t nw_tokset_common(const struct nw_tokset *, const struct nw_tokset *);
double nw_tokset_jaccard(const struct nw_tokset *, const struct nw_tokset *);
/* Share of a's stems that are in b. */
double nw_tokset_containment(
    const struct nw_tokset *a, const struct nw_tokset *b);

#endif
