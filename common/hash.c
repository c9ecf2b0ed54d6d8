/* FNV-1a over bytes (hash.h): short, branch-free, and good enough spread
 * for table sizes that are powers of two. */
#include <string.h>

#include "hash.h"

uint64_t
nw_hash_mem(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = NW_HASH_INIT;

	while (n-- > 0)
		h = nw_hash_step(h, *s++);
	return h;
}

uint64_t
nw_hash_str(const char *s)
{
	return nw_hash_mem(s, strlen(s));
}
