/* The story index (first cut): every dispatch is a story of its own,
 * version 1, keyed by its event id. Grouping comes next; the interface is
 * the one in newswire/story.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newswire/story.h"

struct nw_story_index {
	struct nw_story_limits lim;
	size_t count;
};

struct nw_story_index *
nw_story_index_new(const struct nw_story_limits *lim)
{
	struct nw_story_index *x;

	if ((x = calloc(1, sizeof *x)) == NULL)
		return NULL;
	if (lim != NULL)
		x->lim = *lim;
	return x;
}

void
nw_story_index_free(struct nw_story_index *x)
{
	free(x);
}

int
nw_story_assign(struct nw_story_index *x, const struct nw_event *ev,
    const struct nw_story_hint *hint, int64_t now_ms, struct nw_story *out,
    char **rec, size_t *reclen)
{
	int n;

	memset(out, 0, sizeof *out);
	/* a story's key is the start of its first version's id */
	memcpy(out->key, ev->id, sizeof out->key - 1);
	out->version = 1;
	out->kind =
	    ev->story_kind == NW_STORY_NONE ? NW_STORY_FIRST : ev->story_kind;
	out->first_created_ms = now_ms;
	x->count++;
	if (rec != NULL) {
		*rec = NULL;
		*reclen = 0;
		if ((n = asprintf(rec, "S %s", out->key)) < 0)
			return -1;
		*reclen = (size_t)n;
	}
	return 0;
}

int
nw_story_index_replay(struct nw_story_index *x, const char *rec, size_t reclen)
{
	if (reclen < 2 || rec[0] != 'S')
		return -1;
	x->count++;
	return 0;
}

size_t
nw_story_index_expire(struct nw_story_index *x, int64_t now_ms)
{
	return 0;
}

int
nw_story_index_dump(struct nw_story_index *x,
    int (*fn)(const char *rec, size_t reclen, void *arg), void *arg)
{
	return 0;
}

size_t
nw_story_index_count(const struct nw_story_index *x)
{
	return x->count;
}

size_t
nw_story_index_bytes(const struct nw_story_index *x)
{
	return sizeof *x;
}
