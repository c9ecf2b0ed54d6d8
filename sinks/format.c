/* The formats a sink writes events in; see format.h. */
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "newswire/ninjs.h"

const char *
nw_sink_format(
    const struct nw_sink_msg *m, const char *fmt, char **owned, size_t *len)
{
	*owned = NULL;
	if (fmt == NULL || strcmp(fmt, "ninjs") != 0 || m->event == NULL) {
		*len = m->jsonlen;
		return m->json;
	}
	if ((*owned = nw_event_ninjs(m->event, 0)) == NULL)
		return NULL;
	*len = strlen(*owned);
	return *owned;
}
