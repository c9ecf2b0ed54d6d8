/* The story hop's partition index without a broker: events rendered by a
 * parse hop (story not assigned) come back with their story spliced in,
 * byte for byte what the renderer gives for the decoded event; a chain
 * gets one key and versions in order; a second index fed the same past
 * without publishing (a new owner's replay) continues the same way; the
 * partitions held sum into the stories gauge. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "newswire/event.h"
#include "newswire/ninjs.h"
#include "newswire/parse.h"
#include "newswire/story.h"
#include "story_owner.h"

#define T0  1780000000000LL
#define MIN 60000LL

static const char *const chain[] = {
    /* flash */
    "URGENT: Cargo train derails near Yaroslavl, line to Kostroma shut\n",
    /* first */
    "Cargo train derails near Yaroslavl, line to Kostroma shut\n\n"
    "YAROSLAVL, May 28. /TASS/. Eleven wagons of a cargo train carrying "
    "timber left the rails near Yaroslavl on Thursday night, the Northern "
    "Railway's press office told TASS.\n\n"
    "Traffic on the line to Kostroma has been suspended. Nobody was hurt.\n",
    /* update, with a quote */
    "Recovery crews start clearing derailed wagons near Yaroslavl\n\n"
    "YAROSLAVL, May 28. /TASS/. Eleven wagons of a cargo train carrying "
    "timber left the rails near Yaroslavl on Thursday night, the Northern "
    "Railway's press office told TASS.\n\n"
    "Traffic on the line to Kostroma has been suspended. Nobody was hurt.\n\n"
    "\"Two recovery trains are at the site, we expect to reopen the line "
    "by the evening,\" the railway's spokesman Ivan Petrov said.\n",
};

/* What a parse hop publishes: the event rendered without its story. */
static char *
parsed(const char *text, int64_t at, char *uri)
{
	struct nw_parse_opts opts = {0};
	struct nw_origin origin = {
	    .type = (char *)"kafka", .name = (char *)"raw", .uri = uri};
	struct nw_event *ev = NULL;
	char *json;

	opts.received_at_ms = at;
	opts.source = &origin;
	assert_int_equal(nw_parse(text, strlen(text), &opts, &ev, NULL), NW_OK);
	assert_null(ev->story);
	json = nw_event_json(ev, 0);
	assert_non_null(json);
	nw_event_free(ev);
	return json;
}

static struct nw_story_part *
part_new(void)
{
	struct nw_story_limits lim = {0};

	return nw_story_part_new(&lim);
}

/* Take one event; check the splice against the renderer. */
static struct nw_event *
take(struct nw_story_part *sp, const char *json)
{
	struct nw_event *ev = NULL;
	char *out = NULL, *cause = NULL, *again;
	size_t len = 0;

	assert_int_equal(nw_story_part_take_json(sp, json, strlen(json), NULL,
			     0, &ev, &out, &len, &cause),
	    0);
	assert_null(cause);
	assert_non_null(ev->story);
	assert_int_equal(len, strlen(out));
	again = nw_event_json(ev, 0);
	assert_string_equal(out, again);
	free(again);
	free(out);
	return ev;
}

static void
spliced_event_is_the_rendering_of_the_decoded_event(void **state)
{
	struct nw_story_part *sp = part_new();
	struct nw_event *ev[3];
	char *j;
	size_t i;

	for (i = 0; i < 3; i++) {
		char uri[32];
		snprintf(uri, sizeof uri, "test:%zu", i);
		j = parsed(chain[i], T0 + (int64_t)i * 5 * MIN, uri);
		ev[i] = take(sp, j);
		free(j);
	}
	assert_true(ev[2]->nquotes > 0);
	assert_string_equal(ev[0]->story->key, ev[1]->story->key);
	assert_string_equal(ev[0]->story->key, ev[2]->story->key);
	assert_int_equal(ev[0]->story->kind, NW_STORY_FLASH);
	assert_int_equal(ev[1]->story->kind, NW_STORY_FIRST);
	assert_int_equal(ev[2]->story->kind, NW_STORY_UPDATE);
	for (i = 0; i < 3; i++)
		assert_int_equal(ev[i]->story->version, i + 1);
	assert_string_equal(ev[1]->story->supersedes, ev[0]->id);
	assert_string_equal(ev[2]->story->supersedes, ev[1]->id);
	assert_int_equal(ev[2]->story->first_created_ms, T0);
	for (i = 0; i < 3; i++)
		nw_event_free(ev[i]);
	nw_story_part_free(sp);
}

/* A new owner replays the partition's past without publishing and then
 * gives the next events what the old owner would have. */
static void
replayed_index_continues_like_the_live_one(void **state)
{
	struct nw_story_part *live = part_new(), *heir = part_new();
	struct nw_event *a, *b;
	char *j[4], *out, *cause, again[] = "test:again";
	size_t i, len;

	for (i = 0; i < 3; i++) {
		char uri[32];
		snprintf(uri, sizeof uri, "test:%zu", i);
		j[i] = parsed(chain[i], T0 + (int64_t)i * 5 * MIN, uri);
	}
	/* the first version again through a second channel: a repeat */
	j[3] = parsed(chain[1], T0 + 20 * MIN, again);
	for (i = 0; i < 2; i++) {
		nw_event_free(take(live, j[i]));
		assert_int_equal(
		    nw_story_part_take_json(heir, j[i], strlen(j[i]), NULL, 0,
			NULL, NULL, NULL, &cause),
		    0);
	}
	assert_int_equal(nw_story_part_count(heir), 1);
	for (i = 2; i < 4; i++) {
		a = take(live, j[i]);
		b = take(heir, j[i]);
		assert_string_equal(a->story->key, b->story->key);
		assert_int_equal(a->story->version, b->story->version);
		assert_int_equal(a->story->kind, b->story->kind);
		assert_int_equal(a->story->repeat, b->story->repeat);
		assert_string_equal(a->story->supersedes, b->story->supersedes);
		if (i == 3)
			assert_true(b->story->repeat && b->story->version == 2);
		nw_event_free(a);
		nw_event_free(b);
	}
	/* Something that is not such an event leaves the index alone. */
	out = NULL;
	assert_int_equal(nw_story_part_take_json(heir, "{\"id\":1}", 8, NULL, 0,
			     &a, &out, &len, &cause),
	    -1);
	assert_non_null(cause);
	free(cause);
	assert_int_equal(nw_story_part_count(heir), 1);
	/* Nor does a real event with a raw NUL byte between two of its
	 * values: Jansson's reader skips it, the splice would carry it. */
	{
		char *comma = strstr(j[0], ",\"language\":");
		size_t n = strlen(j[0]);
		char *nul = malloc(n + 1);

		assert_non_null(comma);
		memcpy(nul, j[0], (size_t)(comma - j[0]));
		nul[comma - j[0]] = '\0';
		memcpy(nul + (comma - j[0]) + 1, comma,
		    n - (size_t)(comma - j[0]));
		out = NULL;
		assert_int_equal(nw_story_part_take_json(heir, nul, n + 1, NULL,
				     0, &a, &out, &len, &cause),
		    -1);
		assert_non_null(strstr(cause, "NUL byte"));
		assert_null(out);
		free(cause);
		free(nul);
	}
	assert_int_equal(nw_story_part_count(heir), 1);
	for (i = 0; i < 4; i++)
		free(j[i]);
	nw_story_part_free(live);
	nw_story_part_free(heir);
}

/* A withdrawal crosses the parse hop as text only: the story hop must see
 * its kind from the decoded event, so ninjs says canceled. */
static void
withdrawal_across_the_hop_is_a_kill_and_canceled(void **state)
{
	static const char withdrawn[] =
	    "STORY WITHDRAWN\n\n"
	    "Cargo train derails near Yaroslavl, line to Kostroma shut\n\n"
	    "(Story withdrawn. The railway says the derailment was an "
	    "exercise. No replacement will be sent.)\n";
	struct nw_story_part *sp = part_new();
	struct nw_event *first, *kill;
	char *j, *doc;

	j = parsed(chain[1], T0, (char *)"test:first");
	first = take(sp, j);
	free(j);
	j = parsed(withdrawn, T0 + 30 * MIN, (char *)"test:kill");
	kill = take(sp, j);
	free(j);
	assert_int_equal(kill->story->kind, NW_STORY_KILL);
	assert_string_equal(kill->story->key, first->story->key);
	assert_int_equal(kill->story->version, 2);
	doc = nw_event_ninjs(kill, 0);
	assert_non_null(doc);
	assert_non_null(strstr(doc, "\"pubstatus\":\"canceled\""));
	free(doc);
	doc = nw_event_ninjs(first, 0);
	assert_non_null(strstr(doc, "\"pubstatus\":\"usable\""));
	free(doc);
	nw_event_free(first);
	nw_event_free(kill);
	nw_story_part_free(sp);
}

/* The gauge's share: the sum over the partitions held now; a revoked
 * (freed) partition's stories leave it at once. */
static void
held_partitions_sum_into_the_gauge(void **state)
{
	struct nw_story_part *p0 = part_new(), *p1 = part_new();
	size_t stories, bytes, b0;
	char *j;
	int i;

	assert_int_equal(nw_story_parts_held(&stories, &bytes), 1);
	assert_int_equal(stories, 0);
	b0 = bytes;
	/* one story on p0 (two versions), two unrelated ones on p1 */
	for (i = 0; i < 2; i++) {
		j = parsed(chain[i], T0 + i * 5 * MIN, (char *)"test:p0");
		nw_event_free(take(p0, j));
		free(j);
	}
	j = parsed(chain[1], T0, (char *)"test:p1a");
	nw_event_free(take(p1, j));
	free(j);
	j = parsed("Flood closes the bridge at Tver for a second day\n\n"
		   "TVER, May 28. /TASS/. The Volga bridge stays closed after "
		   "the river rose another half metre overnight, the city "
		   "administration said.\n",
	    T0 + MIN, (char *)"test:p1b");
	nw_event_free(take(p1, j));
	free(j);
	assert_int_equal(nw_story_part_count(p0), 1);
	assert_int_equal(nw_story_part_count(p1), 2);
	assert_int_equal(nw_story_parts_held(&stories, &bytes), 1);
	assert_int_equal(stories, 3);
	assert_true(bytes > b0);
	nw_story_part_free(p1);
	assert_int_equal(nw_story_parts_held(&stories, &bytes), 1);
	assert_int_equal(stories, 1);
	nw_story_part_free(p0);
	assert_int_equal(nw_story_parts_held(&stories, &bytes), 1);
	assert_int_equal(stories, 0);
	assert_int_equal(bytes, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(
		spliced_event_is_the_rendering_of_the_decoded_event),
	    cmocka_unit_test(replayed_index_continues_like_the_live_one),
	    cmocka_unit_test(held_partitions_sum_into_the_gauge),
	    cmocka_unit_test(withdrawal_across_the_hop_is_a_kill_and_canceled),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
