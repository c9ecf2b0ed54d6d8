/* The source registry: adding a source type is one file and one line here. */
#include <stddef.h>

#include "newswire/source.h"

extern const struct nw_source_ops nw_source_spool;
extern const struct nw_source_ops nw_source_feed;
extern const struct nw_source_ops nw_source_push;
extern const struct nw_source_ops nw_source_kafka;

const struct nw_source_ops *const nw_source_types[] = {
    &nw_source_spool,
    &nw_source_feed,
    &nw_source_push,
    &nw_source_kafka,
    NULL,
};
