/* The sink registry: adding a sink type is one file and one line here. */
#include <stddef.h>

#include "newswire/sink.h"

#include "kafka.h"

const struct nw_sink_ops *const nw_sink_types[] = {
    &nw_sink_kafka,
    NULL,
};
