/* String vectors (struct nw_strv in newswire/event.h): the list type of
 * config values, event paragraphs and warnings alike. */
#include <stdlib.h>
#include <string.h>

#include "newswire/event.h"

int
nw_strv_pushn(struct nw_strv *sv, const char *s, size_t len)
{
	char **nv, *copy;
	size_t ncap;

	if (sv->n == sv->cap) {
		ncap = sv->cap ? sv->cap * 2 : 8;
		if ((nv = realloc(sv->v, ncap * sizeof *nv)) == NULL)
			return -1;
		sv->v = nv;
		sv->cap = ncap;
	}
	/* Callers pass the span they hold, so no search for a NUL (the
	 * cleaning drops them from dispatch text; one in a span would end
	 * the string for its readers, as strndup's copy did). */
	if ((copy = malloc(len + 1)) == NULL)
		return -1;
	memcpy(copy, s, len);
	copy[len] = '\0';
	sv->v[sv->n++] = copy;
	return 0;
}

int
nw_strv_push(struct nw_strv *sv, const char *s)
{
	return nw_strv_pushn(sv, s, strlen(s));
}

void
nw_strv_clear(struct nw_strv *sv)
{
	size_t i;

	for (i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	memset(sv, 0, sizeof *sv);
}
