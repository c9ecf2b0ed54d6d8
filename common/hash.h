/* The one string hash of the tree (FNV-1a, 64 bits), for every hash table
 * keyed by a string: spool file names, feed GUIDs. Not for security: an
 * attacker choosing keys can make buckets collide. */
#ifndef NW_HASH_H
#define NW_HASH_H

#include <stddef.h>
#include <stdint.h>

uint64_t nw_hash_str(const char *);
uint64_t nw_hash_mem(const void *, size_t);

#endif
