/* The story hop (docs/kafka-cluster.md, "Stories across several
 * instances"): a Kafka source reading events that a parse hop published
 * without their story owns one story index per assigned partition. Story
 * assignment depends only on the events, in partition order, and on their
 * reception times, so a new owner that replays a partition's recent past
 * without publishing rebuilds the index its previous owner had. */
#ifndef NW_STORY_OWNER_H
#define NW_STORY_OWNER_H

#include <stddef.h>
#include <stdint.h>

#include <librdkafka/rdkafka.h>

#include "newswire/event.h"
#include "newswire/story.h"

/* The stories of one partition. */
struct nw_story_part;

struct nw_story_part *nw_story_part_new(const struct nw_story_limits *);
void nw_story_part_free(struct nw_story_part *);
size_t nw_story_part_count(const struct nw_story_part *);
/* The stories and index bytes of every partition this process holds now
 * (a revoked partition's index is freed, so it leaves the sums): the
 * story hop's share of the newswired_stories gauge. Returns 0 when no
 * story partition was ever held, so a daemon without a story hop does not
 * show the gauge for it; 1 otherwise. Event loop thread only. */
int nw_story_parts_held(size_t *stories, size_t *bytes);

/* Assign the event in m (rendered by a parse hop, its story not assigned;
 * headers newswired-item-id and newswired-received-at) to its story, at
 * its reception time. When evp is not NULL, *evp receives the fields the
 * index reads (id, agency, language, headline, lede, dateline, body,
 * source) with ev->story set, and *out the event with its story object
 * filled in (malloc'd, NUL-terminated, *outlen bytes). -1 with *cause when
 * m is not such an event; the index is then unchanged. */
int nw_story_part_take(struct nw_story_part *, rd_kafka_message_t *m,
    struct nw_event **evp, char **out, size_t *outlen, char **cause);
/* The same for json (len bytes) with the headers' values: item_id or
 * NULL, at_ms or 0 for the event's received_at. */
int nw_story_part_take_json(struct nw_story_part *, const char *json,
    size_t len, const char *item_id, int64_t at_ms, struct nw_event **evp,
    char **out, size_t *outlen, char **cause);

/* One partition to rebuild: replay offsets [from, upto) of topic. */
struct nw_story_replay {
	int32_t partition;
	struct nw_story_part *part;
	int64_t upto;           /* the group's committed offset */
	unsigned long replayed; /* events assigned */
	int done;
};

/* Rebuild r[0..n) by reading the topic from the offset of since_ms
 * (offsets_for_times) up to each upto, read_committed, with a consumer of
 * its own outside any group, assigning without publishing. Blocks for up
 * to timeout_ms; -1 with *cause when it could not finish (what was
 * replayed stays). */
int nw_story_replay(const char *brokers, const char *topic,
    struct nw_story_replay *r, size_t n, int64_t since_ms, int timeout_ms,
    char **cause);

#endif
