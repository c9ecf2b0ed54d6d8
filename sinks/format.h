/* The formats a sink writes events in: the newswired event as the pipeline
 * rendered it ("json"), or IPTC ninjs 2.1 ("ninjs", sinks/ninjs.c). */
#ifndef NW_SINK_FORMAT_H
#define NW_SINK_FORMAT_H

#include <stddef.h>

#include "newswire/sink.h"

#define NW_SINK_FORMATS "json|ninjs"
#define NW_SINK_FORMAT_DESC                                                    \
	"json: the newswired event; ninjs: IPTC ninjs 2.1 with the "           \
	"quotations "                                                          \
	"in newswired_quotes (docs/ninjs)"

/* The text of event message m in format fmt: m->json, or a rendering
 * returned in *owned for the caller to free. NULL when it cannot be
 * rendered (out of memory). */
const char *nw_sink_format(
    const struct nw_sink_msg *m, const char *fmt, char **owned, size_t *len);

#endif
