/* Exactly-once between a Kafka source and a transactional Kafka sink: the
 * source tells where each dispatch came from and whether its work still
 * counts; the sink commits the source's offsets inside its transaction, so
 * an event is visible to read_committed consumers exactly when its raw
 * dispatch is marked consumed. */
#ifndef NEWSWIRE_KAFKA_EOS_H
#define NEWSWIRE_KAFKA_EOS_H

#include <stdint.h>

#include <librdkafka/rdkafka.h>

struct nw_dispatch;

/* One per Kafka source with exactly_once = yes, owned by the source;
 * dispatches point to it (nw_dispatch.eos). */
struct nw_kafka_eos {
	rd_kafka_t *consumer; /* for rd_kafka_consumer_group_metadata() */
	const char *name;     /* the source's name, for logs */
	void *source;         /* first argument of the source's callbacks */
	/* Where d was read. Returns -1 when d is stale: its partition was
	 * revoked, or rewound, since d was read; its output must not be
	 * committed, as it is read again (here or by another instance). */
	int (*position)(void *source, const struct nw_dispatch *d,
	    const char **topic, int32_t *partition, int64_t *offset);
	/* After an aborted transaction: everything read so far is stale;
	 * read again from the committed offsets. */
	void (*rewind)(void *source);

	/* Filled by the one transactional sink that commits this source's
	 * offsets, when it first sees one of its dispatches. Before
	 * partitions are revoked the source calls commit(sink), so finished
	 * work is committed (or aborted and redone by the next owner);
	 * returns 0 when committed or nothing was open, -1 when aborted. */
	int (*commit)(void *sink);
	void *sink;
};

#endif
