/* libFuzzer target of the story index: the input is replayed as a journal
 * (one record a line, as a state directory may hold after a crash cut a
 * line short), then parsed as a dispatch and assigned twice, and the index
 * dumped and replayed into a second one. Any crash, leak or sanitizer
 * report is a failure. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "newswire/parse.h"
#include "newswire/story.h"

static int
replay_into(const char *rec, size_t len, void *arg)
{
	(void)nw_story_index_replay(arg, rec, len);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nw_story_limits lim = {.max_stories = 8};
	struct nw_story_index *x = nw_story_index_new(&lim), *y;
	struct nw_story_hint hint = {.source = "spool", .uri = "f"};
	struct nw_parse_opts opts = {.received_at_ms = 1780000000000LL};
	const char *p = (const char *)data, *end = p + size, *nl;
	struct nw_event *ev = NULL;
	struct nw_story st;
	char *rec;
	size_t len;

	if (x == NULL)
		return 0;
	while (p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		(void)nw_story_index_replay(x, p, (size_t)(nl - p));
		p = nl + 1;
	}
	if (nw_parse(data, size, &opts, &ev, NULL) == NW_OK) {
		if (nw_story_assign(x, ev, &hint, opts.received_at_ms, &st,
			&rec, &len) == 0) {
			free(rec);
			(void)nw_story_assign(x, ev, &hint,
			    opts.received_at_ms + 1000, &st, NULL, NULL);
		}
		nw_event_free(ev);
	}
	if ((y = nw_story_index_new(&lim)) != NULL) {
		(void)nw_story_index_dump(x, replay_into, y);
		nw_story_index_free(y);
	}
	(void)nw_story_index_expire(x, opts.received_at_ms + 86400000LL * 3);
	nw_story_index_free(x);
	return 0;
}
