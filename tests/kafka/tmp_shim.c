/* TEMPORARY until the daemon's conf.c lands. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "newswire/config.h"
int nw_key_set(const struct nw_key *, void *, const char *, const char *, char **);
void nw_keys_free(const struct nw_key *, void *);
int
nw_key_set(const struct nw_key *k, void *conf, const char *v, const char *b, char **cause)
{
	char *p = (char *)conf + k->offset, *end;
	double n;
	switch (k->type) {
	case NW_KEY_STRING:
		free(*(char **)p);
		*(char **)p = strdup(v);
		return 0;
	case NW_KEY_INT:
		*(long *)p = strtol(v, NULL, 10);
		return 0;
	case NW_KEY_DURATION:
		n = strtod(v, &end);
		if (strcmp(end, "ms") == 0) ;
		else if (strcmp(end, "s") == 0 || *end == 0) n *= 1000;
		else if (strcmp(end, "m") == 0) n *= 60000;
		*(int64_t *)p = (int64_t)n;
		return 0;
	case NW_KEY_SIZE:
		n = strtod(v, &end);
		if (*end == 'k') n *= 1024;
		if (*end == 'M') n *= 1048576;
		*(size_t *)p = (size_t)n;
		return 0;
	default:
		return -1;
	}
}
void
nw_keys_free(const struct nw_key *k, void *conf)
{
	for (; k->name; k++)
		if (k->type == NW_KEY_STRING) free(*(char **)((char *)conf + k->offset));
}
