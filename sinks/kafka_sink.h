/* The Kafka sinks over the producer core (kafka/kafka.h), and what their
 * tests reach inside the plain one: its librdkafka handle and statistics. */
#ifndef NW_SINK_KAFKA_H
#define NW_SINK_KAFKA_H

#include "kafka.h"
#include "newswire/sink.h"

extern const struct nw_sink_ops nw_sink_kafka;
extern const struct nw_sink_ops nw_sink_kafka_txn;

const struct nw_kafka_stats *nw_kafka_stats(struct nw_sink *);
rd_kafka_t *nw_kafka_handle(struct nw_sink *);

#endif
