/* The sink registry: adding a sink type is one file and one line here. */
#include <stddef.h>

#include "newswire/sink.h"

extern const struct nw_sink_ops nw_sink_file;
extern const struct nw_sink_ops nw_sink_stdout;
extern const struct nw_sink_ops nw_sink_kafka;
extern const struct nw_sink_ops nw_sink_kafka_txn;

const struct nw_sink_ops *const nw_sink_types[] = {
    &nw_sink_file,
    &nw_sink_stdout,
    &nw_sink_kafka,
    &nw_sink_kafka_txn,
    NULL,
};
