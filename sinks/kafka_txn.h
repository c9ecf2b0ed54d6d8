/* The transactional Kafka sink (exactly-once with a Kafka source, and the
 * raw "edge" mode): see kafka_txn.c. */
#ifndef NW_SINK_KAFKA_TXN_H
#define NW_SINK_KAFKA_TXN_H

#include "newswire/sink.h"

extern const struct nw_sink_ops nw_sink_kafka_txn;

#endif
