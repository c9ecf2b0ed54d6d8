/* libFuzzer target of the story hop's input, a network input: each line of
 * the input is one message of the parsed topic, decoded, assigned in order
 * by one partition's index and spliced, then the whole run is replayed
 * into a second index without publishing. A decoded event must render, and
 * the splice must be one string. Any crash, leak or sanitizer report is a
 * failure. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kafka_common.h"
#include "newswire/event.h"
#include "newswire/story.h"
#include "story_owner.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The replay over a broker is not fuzzed: stand-ins for what it links. */
int
nw_kafka_conf_set(
    rd_kafka_conf_t *c, const char *name, const char *value, char **cause)
{
	return -1;
}

void
nw_kafka_log(const char *who, int level, const char *fac, const char *buf)
{
}

static void
run(struct nw_story_part *sp, const char *p, const char *end, int publish)
{
	const char *nl;
	struct nw_event *ev;
	char *out, *cause, *again;
	size_t len;

	while (p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		ev = NULL;
		out = NULL;
		if (nw_story_part_take_json(sp, p, (size_t)(nl - p), "item", 0,
			publish ? &ev : NULL, publish ? &out : NULL,
			publish ? &len : NULL, &cause) == 0 &&
		    publish) {
			again = nw_event_json(ev, 0);
			if (again == NULL || len != strlen(out))
				abort();
			free(again);
			nw_event_free(ev);
			free(out);
		}
		free(cause);
		p = nl + 1;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nw_story_limits lim = {.max_stories = 8};
	struct nw_story_part *live = nw_story_part_new(&lim);
	struct nw_story_part *heir = nw_story_part_new(&lim);
	const char *p = (const char *)data;

	run(live, p, p + size, 1);
	run(heir, p, p + size, 0);
	nw_story_part_free(live);
	nw_story_part_free(heir);
	return 0;
}
