/* The story stage of the pipeline: the story index (newswire/story.h) with
 * its journal in the state directory, so that after a restart or kill -9 a
 * redelivered dispatch gets the story and version it had. */
#ifndef NW_STORY_STAGE_H
#define NW_STORY_STAGE_H

#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "newswire/story.h"

struct nw_story_stage;

/* Open the index: replay <state_dir>/stories.journal (a torn last record
 * left by a crash is cut off), expire, and compact it. With no state_dir
 * the index lives in memory only. */
struct nw_story_stage *nw_story_stage_open(
    const struct nw_daemon_conf *, int64_t now_ms, char **cause);
/* Assign ev to its story (ev->story is set) and queue the record for the
 * journal; it is on disk for a kill -9 once nw_story_stage_flush returned
 * 0 and for a power cut after nw_story_stage_sync. -1: the story cannot be
 * assigned and the dispatch must not be published (its source retries
 * it). */
int nw_story_stage_assign(struct nw_story_stage *, struct nw_event *ev,
    const struct nw_story_hint *, int64_t now_ms, char **cause);
/* Append every queued record to the journal with one write. -1: the
 * journal cannot be written, and none of the dispatches assigned since the
 * last flush may be published. */
int nw_story_stage_flush(struct nw_story_stage *, char **cause);
/* Flush, then one fdatasync for every record appended since the last
 * call. */
int nw_story_stage_sync(struct nw_story_stage *, char **cause);
/* The same, done by the caller elsewhere (off the loop), after a flush: a
 * descriptor of the journal to fdatasync and close, covering every record
 * appended since the last call; -2 when there is none; -1 when no
 * descriptor can be had or records wait unflushed (call
 * nw_story_stage_sync instead). A sync that failed is handed back
 * with nw_story_stage_sync_failed, so that the next one covers it again. */
int nw_story_stage_sync_fd(struct nw_story_stage *);
void nw_story_stage_sync_failed(struct nw_story_stage *);
/* Drop expired stories, and rewrite the journal from what is left once it
 * has grown to twice that. */
void nw_story_stage_maintain(struct nw_story_stage *, int64_t now_ms);
size_t nw_story_stage_count(const struct nw_story_stage *);
size_t nw_story_stage_bytes(const struct nw_story_stage *);
void nw_story_stage_close(struct nw_story_stage *);

#endif
