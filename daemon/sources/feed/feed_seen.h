/* The feed source's memory of confirmed items: GUIDs (or links) and the
 * version each was confirmed at, in a small append-only journal in the state
 * directory, compacted by write-then-rename.
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
/* 1 when key is known, with *version what was recorded (NULL: a line from
 * before items were versioned, meaning any version). */
int nw_seen_get(struct nw_seen *, const char *key, const char **version);
/* Remember key; on disk (fdatasync'd) when it returns 0. Adding a key
 * already there refreshes its age if it is half-way to expiry, so items
 * that linger in a feed never expire while they are still listed. */
int nw_seen_add(struct nw_seen *, const char *key, int64_t now_ms);
/* nw_seen_add with the item's version (NULL keeps the one recorded); a
 * changed version is written at once. */
int nw_seen_put(
    struct nw_seen *, const char *key, const char *version, int64_t now_ms);
size_t nw_seen_count(const struct nw_seen *);
void nw_seen_close(struct nw_seen *);

#endif
