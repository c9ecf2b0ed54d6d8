/* The feed source's memory of confirmed items: GUIDs (or links) in a small
 * append-only journal in the state directory, compacted by write-then-rename.
 * Bounded by count and by age; a torn last line left by a crash is ignored. */
#ifndef NW_FEED_SEEN_H
#define NW_FEED_SEEN_H

#include <stddef.h>
#include <stdint.h>

struct nw_seen;

/* Open (creating it if needed) the journal at path, keep at most max
 * entries younger than ttl_ms. */
struct nw_seen *nw_seen_open(
    const char *path, size_t max, int64_t ttl_ms, int64_t now_ms, char **cause);
int nw_seen_has(struct nw_seen *, const char *key);
/* Remember key; on disk (fdatasync'd) when it returns 0. Adding a key
 * already there refreshes its age if it is half-way to expiry, so items
 * that linger in a feed never expire while they are still listed. */
int nw_seen_add(struct nw_seen *, const char *key, int64_t now_ms);
size_t nw_seen_count(const struct nw_seen *);
void nw_seen_close(struct nw_seen *);

#endif
