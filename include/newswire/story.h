/* Stories: the versions of one wire story (flash, first dispatch, updates,
 * corrections, a kill) grouped under one key. The index is pure (no I/O, no
 * clock, no event loop): the caller passes times in and persists the records
 * it is handed. The daemon runs it on its event loop in arrival order; the
 * `parse` command runs it over its files in order. */
#ifndef NEWSWIRE_STORY_H
#define NEWSWIRE_STORY_H

#include <stddef.h>
#include <stdint.h>

#include "newswire/event.h"

/* enum nw_story_kind (flash, first, update, correction, kill) is declared in
 * newswire/event.h: the event carries the parser's verdict in story_kind. */

/* The words of a dispatch that stories are compared on, taken from its
 * event. Pure, so a caller may take them beforehand on another thread (the
 * daemon does, on its workers) and keep only the lookup on its loop. */
struct nw_story_text;
struct nw_story_text *nw_story_text_new(const struct nw_event *);
void nw_story_text_free(struct nw_story_text *);

/* What the source knows about a dispatch's story: any of them may be NULL. */
struct nw_story_hint {
	const char *source;  /* configured source name */
	const char *uri;     /* file path, feed item link, ... */
	const char *item_id; /* feed guid/id, an agency story number */
	/* the event's words from nw_story_text_new, or NULL: taken then */
	const struct nw_story_text *text;
};

/* The story object of an event (contract newswired.event/2). */
struct nw_story {
	char key[33];     /* stable story key, hex */
	unsigned version; /* 1, 2, ... within the story */
	enum nw_story_kind kind;
	char supersedes[65]; /* id of the version it supersedes, "" for none */
	int64_t first_created_ms; /* reception time of version 1 */
	int repeat;               /* same event id already in this story */
};

struct nw_story_limits {
	int64_t window_ms; /* how long a story takes new versions */
	int64_t
	    flash_window_ms; /* how long a flash waits for its first version */
	size_t max_stories;  /* bound on the index; oldest dropped first */
	/* Text similarity a version needs to join a story (0: the
	 * measured defaults below). */
	double min_similarity;  /* Jaccard of headline and opening paragraphs */
	double min_containment; /* share of a flash's (or the killed story's
				 * headline's) words found in the other */
};

/* Defaults for a zero field of nw_story_limits. */
#define NW_STORY_WINDOW_DEFAULT_MS       (36LL * 3600 * 1000)
#define NW_STORY_FLASH_WINDOW_DEFAULT_MS (30LL * 60 * 1000)
#define NW_STORY_MAX_DEFAULT             100000
#define NW_STORY_MIN_SIMILARITY_DEFAULT  0.26
#define NW_STORY_MIN_CONTAINMENT_DEFAULT 0.48

struct nw_story_index;

struct nw_story_index *nw_story_index_new(const struct nw_story_limits *);
void nw_story_index_free(struct nw_story_index *);

/* Assign ev (parsed, with ev->story_kind from the parser) to a story at
 * time now_ms and fill *out. Idempotent per (hint->source, hint->uri, ev->id):
 * the same dispatch delivered again gets the version it had. Returns 0, or
 * -1 on out of memory. When rec is not NULL, *rec and *reclen receive a
 * malloc'd record that, replayed through nw_story_index_replay after a
 * restart, restores this assignment (the caller appends it to its journal
 * before acknowledging the dispatch). */
int nw_story_assign(struct nw_story_index *, const struct nw_event *ev,
    const struct nw_story_hint *hint, int64_t now_ms, struct nw_story *out,
    char **rec, size_t *reclen);

/* Restore one record written by nw_story_assign or nw_story_index_dump (one
 * text line; a trailing newline is allowed). -1 if it is malformed, or if
 * it continues a story the index does not hold (dropped by the size bound
 * while replaying): skip it and go on. Replaying a record twice is harmless. */
int nw_story_index_replay(
    struct nw_story_index *, const char *rec, size_t reclen);

/* Drop what fell out of the window or the size bound; returns how many
 * stories were dropped. A compacted journal is the records of what is left:
 * nw_story_index_dump calls fn once per live record. */
size_t nw_story_index_expire(struct nw_story_index *, int64_t now_ms);
int nw_story_index_dump(struct nw_story_index *,
    int (*fn)(const char *rec, size_t reclen, void *arg), void *arg);
size_t nw_story_index_count(const struct nw_story_index *);
size_t nw_story_index_bytes(const struct nw_story_index *); /* memory held */

const char *nw_story_kind_name(enum nw_story_kind);
/* The kind named s ("flash", ...), or -1. */
int nw_story_kind_from_name(const char *s);

#endif
