/* The calls by which sources and sinks reach whoever runs them (the
 * pipeline, or a test): each follows a pointer the runner set, so the
 * components link against this bottom library and never against the
 * daemon. Also the dispatch's constructor and destructor. */
#include <stdlib.h>
#include <string.h>

#include "newswire/sink.h"
#include "newswire/source.h"
#include "nwtime.h"

void
nw_sink_confirm(
    struct nw_sink *sink, void *token, enum nw_confirm c, const char *error)
{
	sink->host->confirm(sink, token, c, error);
}

void
nw_sink_ready(struct nw_sink *sink)
{
	sink->host->ready(sink);
}

void
nw_source_submit(struct nw_source *src, struct nw_dispatch *d)
{
	src->submit(src, d);
}

struct nw_dispatch *
nw_dispatch_new(struct nw_source *src, void *data, size_t len, const char *uri)
{
	struct nw_dispatch *d;

	if ((d = calloc(1, sizeof *d)) == NULL)
		return NULL;
	d->source = src;
	d->data = data;
	d->len = len;
	if (uri != NULL && (d->uri = strdup(uri)) == NULL) {
		free(d);
		return NULL;
	}
	d->received_at_ms = nw_now_ms();
	return d;
}

void
nw_dispatch_free(struct nw_dispatch *d)
{
	if (d == NULL)
		return;
	free(d->data);
	free(d->uri);
	free(d->item_id);
	free(d->error);
	free(d);
}
