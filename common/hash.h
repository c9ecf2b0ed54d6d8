/* The one string hash of the tree (FNV-1a, 64 bits), for every hash table
 * keyed by a string: spool file names, feed GUIDs. Not for security: an
 * attacker choosing keys can make buckets collide. */
#ifndef NW_HASH_H
#define NW_HASH_H

#include <stddef.h>
#include <stdint.h>

#define NW_HASH_INIT 1469598103934665603ULL

/* One byte more of a hash begun at NW_HASH_INIT, for callers that hash
 * while they copy (the quotation tokeniser lower-cases and hashes in one
 * pass). nw_hash_mem is this over every byte. */
static inline uint64_t
nw_hash_step(uint64_t h, unsigned char c)
{
	return (h ^ c) * 1099511628211ULL;
}

uint64_t nw_hash_str(const char *);
uint64_t nw_hash_mem(const void *, size_t);

#endif
