/* libFuzzer target for the whole parser (hygiene, dateline, headline
 * block, id, quotations) and the JSON writer. Beyond "no crash, no
 * sanitizer report" it checks the event's invariants: valid UTF-8 in every
 * string, a 64-digit id, quote positions inside their paragraph. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n, k;
	uint32_t cp;

	if (s == NULL)
		return;
	n = strlen(s);
	while (n > 0) {
		if ((k = nw_utf8_decode(p, n, &cp)) == 0)
			abort();
		p += k;
		n -= k;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nw_parse_opts opts = {.received_at_ms = 1749556800000LL};
	struct nw_event *ev;
	char *cause = NULL, *json;
	size_t i;

	/* the first byte picks a charset now and then */
	if (size > 1 && data[0] == 0xFE) {
		opts.charset = (data[1] & 1) ? "KOI8-R" : "CP1251";
		data += 2;
		size -= 2;
	}
	if (nw_parse(data, size, &opts, &ev, &cause) != NW_OK) {
		if (cause == NULL)
			abort(); /* every failure says why */
		free(cause);
		return 0;
	}
	if (strlen(ev->id) != 64)
		abort();
	check_utf8(ev->headline);
	check_utf8(ev->lede);
	for (i = 0; i < ev->body.n; i++)
		check_utf8(ev->body.v[i]);
	for (i = 0; i < ev->ncaptions; i++) {
		check_utf8(ev->captions[i].text);
		check_utf8(ev->captions[i].credit);
	}
	for (i = 0; i < ev->nquotes; i++) {
		const struct nw_quote *q = &ev->quotes[i];
		const char *para;

		check_utf8(q->text);
		if (q->start > q->end)
			abort();
		if (q->in_lede)
			para = ev->lede;
		else if (q->paragraph < ev->body.n)
			para = ev->body.v[q->paragraph];
		else
			abort();
		if (para == NULL || q->end > nw_utf8_count(para, strlen(para)))
			abort();
	}
	if ((json = nw_event_json(ev, size & 1)) == NULL)
		abort();
	free(json);
	nw_event_free(ev);
	return 0;
}
