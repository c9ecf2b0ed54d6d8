/* Dispatch parsing entry point: input hygiene, then the stages. */
#include <stdlib.h>
#include <string.h>

#include "newswire/parse.h"

static const char *const reason_codes[NW_REASON_MAX] = {
    [NW_OK] = "ok",
    [NW_ERR_EMPTY] = "empty",
    [NW_ERR_TOO_LARGE] = "too_large",
    [NW_ERR_BINARY] = "binary",
    [NW_ERR_CHARSET] = "charset",
    [NW_ERR_NO_TEXT] = "no_text",
    [NW_ERR_INTERNAL] = "internal",
};

const char *
nw_reason_code(enum nw_reason r)
{
	return r < NW_REASON_MAX ? reason_codes[r] : "internal";
}

int
nw_reason_from_code(const char *s)
{
	int i;

	for (i = 0; i < NW_REASON_MAX; i++)
		if (strcmp(reason_codes[i], s) == 0)
			return i;
	return -1;
}

/* BOOTSTRAP: splits paragraphs only; the foundation work replaces this. */
enum nw_reason
nw_parse(const void *buf, size_t len, const struct nw_parse_opts *opts,
    struct nw_event **evp, char **cause)
{
	struct nw_event *ev;
	const char *p = buf, *end = p + len, *nl;

	*evp = NULL;
	if (len == 0)
		return NW_ERR_EMPTY;
	if ((ev = nw_event_new()) == NULL)
		return NW_ERR_INTERNAL;
	memcpy(ev->language, "en", 3);
	ev->received_at_ms = opts->received_at_ms;
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		if (nl > p)
			nw_strv_pushn(&ev->body, p, (size_t)(nl - p));
		p = nl + 1;
	}
	if (!(opts->flags & NW_PARSE_NO_QUOTES))
		nw_quotes_extract(ev);
	*evp = ev;
	return NW_OK;
}
