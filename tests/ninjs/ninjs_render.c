/* Test driver: parses each dispatch file with nw_parse, runs the story
 * index over the files in order (as `newswired parse` does) and prints one
 * JSON line per file, {"file", "event", "ninjs"}, so check-schemas.py can
 * validate the ninjs document and compare it with the event it came from.
 * The argument "--sample" stands for a hand-built event with every field
 * the renderer maps filled in (a kill, version 3 of its story), so the
 * validator sees each property whatever the parser finds in the fixtures. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "newswire/ninjs.h"
#include "newswire/parse.h"
#include "newswire/story.h"

/* 2026-06-07T10:00:00Z: a fixed reception time keeps the output stable. */
#define RECEIVED_AT_MS 1780826400000LL

static char *
xstrdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		abort();
	return p;
}

/* A story with a dateline and region, agency, lede, caption, a person, an
 * organisation and quotes with and without a speaker. */
static struct nw_event *
sample_event(void)
{
	struct nw_event *ev = nw_event_new();

	if (ev == NULL)
		abort();
	memcpy(ev->id,
	    "5d41402abc4b2a76b9719d911017c592"
	    "7b2f0a1c3e4d5f60718293a4b5c6d7e8",
	    65);
	memcpy(ev->language, "en", 3);
	ev->received_at_ms = RECEIVED_AT_MS;
	ev->published_at_ms = RECEIVED_AT_MS - 90000;
	ev->agency = xstrdup("TASS");
	ev->headline = xstrdup("Ski season opens at Leningrad Region resorts");
	ev->lede = xstrdup("More than 20 slopes are ready");
	ev->dateline = calloc(1, sizeof *ev->dateline);
	ev->captions = calloc(1, sizeof *ev->captions);
	ev->speakers = calloc(2, sizeof *ev->speakers);
	ev->quotes = calloc(2, sizeof *ev->quotes);
	if (!ev->dateline || !ev->captions || !ev->speakers || !ev->quotes)
		abort();
	ev->dateline->text =
	    xstrdup("IGORA /Leningrad Region/, December 26. /TASS/.");
	ev->dateline->city = xstrdup("IGORA");
	ev->dateline->region = xstrdup("Leningrad Region");
	ev->dateline->agency = xstrdup("TASS");
	ev->ncaptions = 1;
	ev->captions[0].text = xstrdup("Skiers at Igora");
	ev->captions[0].credit = xstrdup("Peter Kovalev/TASS");
	nw_strv_push(&ev->body,
	    "IGORA /Leningrad Region/, December 26. /TASS/. The season "
	    "opened, the committee said.");
	nw_strv_push(
	    &ev->body, "\"Snow is the best in years,\" Marina Volkova said.");
	ev->nspeakers = 2;
	ev->speakers[0].name = xstrdup("Marina Volkova");
	ev->speakers[0].type = NW_SPEAKER_PERSON;
	ev->speakers[0].title = xstrdup("committee head");
	ev->speakers[0].organisation = xstrdup("Tourism Committee");
	ev->speakers[0].quotes = 1;
	ev->speakers[1].name = xstrdup("Tourism Committee");
	ev->speakers[1].type = NW_SPEAKER_ORGANISATION;
	ev->speakers[1].quotes = 1;
	ev->nquotes = 2;
	ev->quotes[0].text = xstrdup("Snow is the best in years,");
	ev->quotes[0].kind = NW_QUOTE_DIRECT;
	ev->quotes[0].speaker = 0;
	ev->quotes[0].cue = xstrdup("said");
	ev->quotes[0].paragraph = 1;
	ev->quotes[0].start = 1;
	ev->quotes[0].end = 27;
	ev->quotes[1].text = xstrdup("The season opened");
	ev->quotes[1].kind = NW_QUOTE_INDIRECT;
	ev->quotes[1].speaker = -1;
	ev->quotes[1].paragraph = 0;
	ev->quotes[1].start = 47;
	ev->quotes[1].end = 64;
	ev->story_kind = NW_STORY_KILL;
	if ((ev->story = calloc(1, sizeof *ev->story)) == NULL)
		abort();
	memcpy(ev->story->key, ev->id, 32);
	ev->story->version = 3;
	ev->story->kind = NW_STORY_KILL;
	memcpy(ev->story->supersedes, ev->id, 65);
	ev->story->supersedes[0] = 'f';
	ev->story->first_created_ms = RECEIVED_AT_MS - 3600000;
	return ev;
}

static int
render(const char *path, struct nw_story_index *idx)
{
	struct nw_story_hint hint = {.source = "file", .uri = path};
	struct nw_parse_opts opts = {.received_at_ms = RECEIVED_AT_MS};
	struct nw_event *ev = NULL;
	json_t *line = NULL, *event, *ninjs;
	char *buf = NULL, *ejson = NULL, *njson = NULL, *cause = NULL, *out;
	size_t len;
	FILE *f;
	int rc = -1;

	if (strcmp(path, "--sample") == 0)
		ev = sample_event();
	else if ((f = fopen(path, "rb")) == NULL) {
		perror(path);
		return -1;
	} else {
		buf = malloc(NW_MAX_DISPATCH_DEFAULT);
		len = buf ? fread(buf, 1, NW_MAX_DISPATCH_DEFAULT, f) : 0;
		fclose(f);
		if (buf == NULL)
			goto fail;
	}
	if (ev == NULL && nw_parse(buf, len, &opts, &ev, &cause) != NW_OK) {
		fprintf(stderr, "%s: %s\n", path, cause ? cause : "not parsed");
		goto fail;
	}
	if (ev->story == NULL &&
	    ((ev->story = malloc(sizeof *ev->story)) == NULL ||
		nw_story_assign(idx, ev, &hint, opts.received_at_ms, ev->story,
		    NULL, NULL) < 0)) {
		fprintf(stderr, "%s: no story\n", path);
		goto fail;
	}
	if ((ejson = nw_event_json(ev, 0)) == NULL ||
	    (njson = nw_event_ninjs(ev, 0)) == NULL) {
		fprintf(stderr, "%s: not rendered\n", path);
		goto fail;
	}
	/* The sinks write one document per line: it must not span two. */
	if (strchr(njson, '\n') != NULL) {
		fprintf(stderr, "%s: ninjs output has a newline\n", path);
		goto fail;
	}
	event = json_loads(ejson, 0, NULL);
	ninjs = json_loads(njson, 0, NULL);
	if (event == NULL || ninjs == NULL) {
		fprintf(stderr, "%s: output is not JSON\n", path);
		json_decref(event);
		json_decref(ninjs);
		goto fail;
	}
	line = json_pack(
	    "{s:s, s:o, s:o}", "file", path, "event", event, "ninjs", ninjs);
	if (line == NULL || (out = json_dumps(line, JSON_COMPACT)) == NULL)
		goto fail;
	puts(out);
	free(out);
	rc = 0;
fail:
	json_decref(line);
	free(ejson);
	free(njson);
	free(cause);
	free(buf);
	nw_event_free(ev);
	return rc;
}

int
main(int argc, char **argv)
{
	struct nw_story_index *idx = nw_story_index_new(NULL);
	int i, rc = 0;

	if (argc < 2 || idx == NULL) {
		fprintf(stderr, "usage: ninjs_render FILE...\n");
		return 2;
	}
	for (i = 1; i < argc; i++)
		if (render(argv[i], idx) != 0)
			rc = 1;
	nw_story_index_free(idx);
	return rc;
}
