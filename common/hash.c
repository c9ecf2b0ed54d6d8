/* FNV-1a over bytes (hash.h): short, branch-free, and good enough spread
 * for table sizes that are powers of two. */
#include <string.h>

#include "hash.h"

#define FNV_OFFSET 1469598103934665603ULL
#define FNV_PRIME  1099511628211ULL

uint64_t
nw_hash_mem(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = FNV_OFFSET;

	while (n-- > 0)
		h = (h ^ *s++) * FNV_PRIME;
	return h;
}

uint64_t
nw_hash_str(const char *s)
{
	return nw_hash_mem(s, strlen(s));
}
