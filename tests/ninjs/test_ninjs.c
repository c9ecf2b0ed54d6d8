/* Unit tests of the ninjs mapping: hand-built events in, the rendered
 * document parsed back with jansson and checked field by field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "newswire/ninjs.h"
#include "newswire/story.h"

#define ID "3f2a9c0d1e4b5a6978c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2"
/* 2026-06-07T10:00:00Z and 2026-06-07T08:30:00.250Z */
#define RECEIVED  1780826400000LL
#define PUBLISHED 1780821000250LL

static struct nw_event *
event_new(void)
{
	struct nw_event *ev = nw_event_new();

	assert_non_null(ev);
	memcpy(ev->id, ID, sizeof ev->id);
	memcpy(ev->language, "en", 3);
	ev->received_at_ms = RECEIVED;
	return ev;
}

static void
set_dateline(struct nw_event *ev, const char *city, const char *region,
    const char *agency)
{
	ev->dateline = calloc(1, sizeof *ev->dateline);
	assert_non_null(ev->dateline);
	ev->dateline->city = city ? strdup(city) : NULL;
	ev->dateline->region = region ? strdup(region) : NULL;
	ev->dateline->agency = agency ? strdup(agency) : NULL;
}

static void
add_speaker(struct nw_event *ev, const char *name, enum nw_speaker_type type,
    const char *title, const char *org, size_t quotes)
{
	struct nw_speaker *sp;

	ev->speakers =
	    realloc(ev->speakers, (ev->nspeakers + 1) * sizeof *ev->speakers);
	assert_non_null(ev->speakers);
	sp = &ev->speakers[ev->nspeakers++];
	memset(sp, 0, sizeof *sp);
	sp->name = name ? strdup(name) : NULL;
	sp->type = type;
	sp->title = title ? strdup(title) : NULL;
	sp->organisation = org ? strdup(org) : NULL;
	sp->quotes = quotes;
}

static void
add_quote(struct nw_event *ev, const char *text, enum nw_quote_kind kind,
    long speaker, const char *cue, size_t para, size_t start, size_t end)
{
	struct nw_quote *q;

	ev->quotes =
	    realloc(ev->quotes, (ev->nquotes + 1) * sizeof *ev->quotes);
	assert_non_null(ev->quotes);
	q = &ev->quotes[ev->nquotes++];
	memset(q, 0, sizeof *q);
	q->text = strdup(text);
	q->kind = kind;
	q->speaker = speaker;
	q->cue = cue ? strdup(cue) : NULL;
	q->paragraph = para;
	q->start = start;
	q->end = end;
}

/* Renders ev (and frees it), checks it is one line, and parses it back. */
static json_t *
render(struct nw_event *ev)
{
	json_error_t jerr;
	json_t *doc;
	char *s;

	s = nw_event_ninjs(ev, 0);
	assert_non_null(s);
	assert_null(strchr(s, '\n'));
	doc = json_loads(s, 0, &jerr);
	if (doc == NULL)
		fail_msg("not JSON: %s: %s", jerr.text, s);
	free(s);
	nw_event_free(ev);
	return doc;
}

static const char *
str_at(json_t *doc, const char *path)
{
	json_t *v = doc;
	char key[64];
	const char *p = path, *dot;
	size_t n;

	while (v != NULL && *p != '\0') {
		dot = strchr(p, '.');
		n = dot ? (size_t)(dot - p) : strlen(p);
		assert_true(n < sizeof key);
		memcpy(key, p, n);
		key[n] = '\0';
		if (json_is_array(v))
			v = json_array_get(v, (size_t)atoi(key));
		else
			v = json_object_get(v, key);
		p = dot ? dot + 1 : p + n;
	}
	return json_string_value(v);
}

static void
test_uri_is_urn_of_event_id(void **state)
{
	json_t *doc = render(event_new());

	assert_string_equal(str_at(doc, "uri"), "urn:newswired:event:" ID);
	assert_string_equal(str_at(doc, "altids.0.role"), "newswired");
	assert_string_equal(str_at(doc, "altids.0.value"), ID);
	assert_string_equal(str_at(doc, "type"), "text");
	assert_string_equal(str_at(doc, "representationtype"), "full");
	assert_string_equal(str_at(doc, "standard.name"), "ninjs");
	assert_string_equal(str_at(doc, "standard.version"), "2.1");
	assert_string_equal(str_at(doc, "standard.schema"), NW_NINJS_SCHEMA_ID);
	assert_string_equal(str_at(doc, "language"), "en");
	json_decref(doc);
}

static void
test_minimal_event_leaves_absent_fields_out(void **state)
{
	json_t *doc = render(event_new());
	const char *absent[] = {"located", "headlines", "bodies", "infosources",
	    "people", "organisations", "associations"};
	size_t i;

	for (i = 0; i < sizeof absent / sizeof absent[0]; i++)
		if (json_object_get(doc, absent[i]) != NULL)
			fail_msg(
			    "%s present for an event without it", absent[i]);
	/* the extension is there, empty: searched, nothing found */
	assert_true(json_is_array(json_object_get(doc, "newswired_quotes")));
	assert_int_equal(
	    json_array_size(json_object_get(doc, "newswired_quotes")), 0);
	json_decref(doc);
}

static void
test_located_title_cases_capital_city_and_adds_region(void **state)
{
	struct nw_event *ev = event_new();
	json_t *doc;

	set_dateline(ev, "IGORA", "Leningrad Region", "TASS");
	doc = render(ev);
	assert_string_equal(str_at(doc, "located"), "Igora, Leningrad Region");
	json_decref(doc);

	ev = event_new();
	set_dateline(ev, "ST. PETERSBURG", NULL, "TASS");
	doc = render(ev);
	assert_string_equal(str_at(doc, "located"), "St. Petersburg");
	json_decref(doc);

	ev = event_new();
	set_dateline(ev, "САНКТ-ПЕТЕРБУРГ", NULL, "TASS");
	doc = render(ev);
	assert_string_equal(str_at(doc, "located"), "Санкт-Петербург");
	json_decref(doc);

	ev = event_new();
	set_dateline(ev, "N'DJAMENA", NULL, NULL);
	doc = render(ev);
	assert_string_equal(str_at(doc, "located"), "N'djamena");
	json_decref(doc);
}

static void
test_located_keeps_mixed_case_city(void **state)
{
	struct nw_event *ev = event_new();
	json_t *doc;

	set_dateline(ev, "Paris", NULL, "AFP");
	doc = render(ev);
	assert_string_equal(str_at(doc, "located"), "Paris");
	json_decref(doc);

	ev = event_new();
	set_dateline(ev, "McALLEN", NULL, NULL);
	doc = render(ev);
	assert_string_equal(str_at(doc, "located"), "McALLEN");
	json_decref(doc);
}

static void
test_located_absent_for_dateline_without_place(void **state)
{
	struct nw_event *ev = event_new();
	json_t *doc;

	set_dateline(ev, NULL, NULL, "Reuters");
	doc = render(ev);
	assert_null(json_object_get(doc, "located"));
	json_decref(doc);
}

static void
test_infosources_names_agency_without_role(void **state)
{
	struct nw_event *ev = event_new();
	json_t *doc, *src;

	ev->agency = strdup("Interfax");
	set_dateline(ev, "MINSK", NULL, "Interfax");
	doc = render(ev);
	src = json_object_get(doc, "infosources");
	assert_int_equal(json_array_size(src), 1);
	assert_string_equal(str_at(doc, "infosources.0.name"), "Interfax");
	/* originating party: no role (NewsML-G2 infoSource rule) */
	assert_null(json_object_get(json_array_get(src, 0), "role"));
	json_decref(doc);
}

static void
test_infosources_fall_back_to_dateline_agency(void **state)
{
	struct nw_event *ev = event_new();
	json_t *doc;

	set_dateline(ev, "LONDON", NULL, "Reuters");
	doc = render(ev);
	assert_string_equal(str_at(doc, "infosources.0.name"), "Reuters");
	json_decref(doc);
}

static void
test_people_and_organisations_from_speakers(void **state)
{
	struct nw_event *ev = event_new();
	json_t *doc;

	add_speaker(ev, "Sergei Ryabkov", NW_SPEAKER_PERSON,
	    "Deputy Foreign Minister", "Russian Foreign Ministry", 2);
	add_speaker(ev, "Kremlin", NW_SPEAKER_ORGANISATION, NULL, NULL, 1);
	add_speaker(ev, "Maria Ivanova", NW_SPEAKER_PERSON, NULL, NULL, 0);
	add_speaker(ev, NULL, NW_SPEAKER_PERSON, NULL, NULL, 1);
	doc = render(ev);
	assert_int_equal(json_array_size(json_object_get(doc, "people")), 2);
	assert_string_equal(str_at(doc, "people.0.name"), "Sergei Ryabkov");
	assert_string_equal(str_at(doc, "people.0.rel"), "quoted");
	assert_string_equal(str_at(doc, "people.1.name"), "Maria Ivanova");
	assert_string_equal(str_at(doc, "people.1.rel"), "mentions");
	assert_int_equal(
	    json_array_size(json_object_get(doc, "organisations")), 1);
	assert_string_equal(str_at(doc, "organisations.0.name"), "Kremlin");
	assert_string_equal(str_at(doc, "organisations.0.rel"), "quoted");
	json_decref(doc);
}

static void
test_quotes_extension_carries_speaker_and_offsets(void **state)
{
	struct nw_event *ev = event_new();
	json_t *doc, *q, *off;

	nw_strv_push(&ev->body, "MOSCOW, June 6. /TASS/. Text.");
	nw_strv_push(&ev->body, "\"We are ready,\" Ryabkov said.");
	add_speaker(ev, "Sergei Ryabkov", NW_SPEAKER_PERSON,
	    "Deputy Foreign Minister", NULL, 1);
	add_quote(ev, "We are ready,", NW_QUOTE_DIRECT, 0, "said", 1, 1, 14);
	add_quote(
	    ev, "talks will go on", NW_QUOTE_INDIRECT, -1, NULL, 0, 2, 18);
	doc = render(ev);
	q = json_object_get(doc, NW_NINJS_QUOTES_PROPERTY);
	assert_int_equal(json_array_size(q), 2);
	assert_string_equal(
	    str_at(doc, "newswired_quotes.0.text"), "We are ready,");
	assert_string_equal(str_at(doc, "newswired_quotes.0.kind"), "direct");
	assert_string_equal(str_at(doc, "newswired_quotes.0.cue"), "said");
	assert_string_equal(
	    str_at(doc, "newswired_quotes.0.speaker.name"), "Sergei Ryabkov");
	assert_string_equal(
	    str_at(doc, "newswired_quotes.0.speaker.type"), "person");
	assert_string_equal(str_at(doc, "newswired_quotes.0.speaker.title"),
	    "Deputy Foreign Minister");
	assert_null(json_object_get(
	    json_object_get(json_array_get(q, 0), "speaker"), "organisation"));
	assert_int_equal(json_integer_value(json_object_get(
			     json_array_get(q, 0), "paragraph")),
	    1);
	off = json_object_get(json_array_get(q, 0), "offset");
	assert_int_equal(json_integer_value(json_array_get(off, 0)), 1);
	assert_int_equal(json_integer_value(json_array_get(off, 1)), 14);
	/* no speaker, no cue: left out, not null */
	assert_null(json_object_get(json_array_get(q, 1), "speaker"));
	assert_null(json_object_get(json_array_get(q, 1), "cue"));
	assert_string_equal(str_at(doc, "newswired_quotes.1.kind"), "indirect");
	json_decref(doc);
}

static void
test_quote_with_out_of_range_speaker_has_none(void **state)
{
	struct nw_event *ev = event_new();
	json_t *doc;

	nw_strv_push(&ev->body, "\"Yes,\" he said.");
	add_quote(ev, "Yes,", NW_QUOTE_DIRECT, 7, "said", 0, 1, 5);
	doc = render(ev);
	assert_null(json_object_get(
	    json_array_get(json_object_get(doc, "newswired_quotes"), 0),
	    "speaker"));
	json_decref(doc);
}

static void
test_bodies_plain_and_html_with_counts(void **state)
{
	struct nw_event *ev = event_new();
	json_t *doc, *b;

	nw_strv_push(&ev->body, "МОСКВА, 6 июня. /ТАСС/. Rates < 5% & rising");
	nw_strv_push(&ev->body, "Second  paragraph.");
	doc = render(ev);
	b = json_object_get(doc, "bodies");
	assert_int_equal(json_array_size(b), 2);
	assert_string_equal(str_at(doc, "bodies.0.role"), "main");
	assert_string_equal(str_at(doc, "bodies.0.contenttype"), "text/plain");
	assert_string_equal(str_at(doc, "bodies.0.value"),
	    "МОСКВА, 6 июня. /ТАСС/. Rates < 5% & rising\n\n"
	    "Second  paragraph.");
	assert_string_equal(str_at(doc, "bodies.1.role"), "main");
	assert_string_equal(str_at(doc, "bodies.1.contenttype"), "text/html");
	assert_string_equal(str_at(doc, "bodies.1.value"),
	    "<p>МОСКВА, 6 июня. /ТАСС/. Rates &lt; 5% &amp; rising</p>\n"
	    "<p>Second  paragraph.</p>");
	/* code points, not bytes: 43 + 18 */
	assert_int_equal(json_integer_value(json_object_get(
			     json_array_get(b, 0), "charcount")),
	    61);
	assert_int_equal(json_integer_value(json_object_get(
			     json_array_get(b, 1), "charcount")),
	    61);
	assert_int_equal(json_integer_value(json_object_get(
			     json_array_get(b, 0), "wordcount")),
	    11);
	json_decref(doc);
}

static void
test_headlines_main_and_lede_as_subhead(void **state)
{
	struct nw_event *ev = event_new();
	json_t *doc;

	ev->headline = strdup("Russia, Serbia agree on grain");
	ev->lede = strdup("Deliveries to double by next year");
	doc = render(ev);
	assert_string_equal(str_at(doc, "headlines.0.role"), "main");
	assert_string_equal(
	    str_at(doc, "headlines.0.value"), "Russia, Serbia agree on grain");
	assert_string_equal(str_at(doc, "headlines.1.role"), "subhead");
	assert_string_equal(str_at(doc, "headlines.1.value"),
	    "Deliveries to double by next year");
	json_decref(doc);

	ev = event_new();
	ev->headline = strdup("Only a headline");
	doc = render(ev);
	assert_int_equal(json_array_size(json_object_get(doc, "headlines")), 1);
	json_decref(doc);
}

static void
test_versioncreated_prefers_published_at(void **state)
{
	struct nw_event *ev = event_new();
	json_t *doc;

	doc = render(ev);
	assert_string_equal(
	    str_at(doc, "versioncreated"), "2026-06-07T10:00:00.000Z");
	assert_string_equal(
	    str_at(doc, "firstcreated"), "2026-06-07T10:00:00.000Z");
	json_decref(doc);

	ev = event_new();
	ev->published_at_ms = PUBLISHED;
	doc = render(ev);
	assert_string_equal(
	    str_at(doc, "versioncreated"), "2026-06-07T08:30:00.250Z");
	assert_string_equal(
	    str_at(doc, "firstcreated"), "2026-06-07T08:30:00.250Z");
	json_decref(doc);
}

/* A version of a story: the story's uri, its version and first time, the
 * event id kept in altids; a kill is canceled. */
static void
test_story_version_maps_to_uri_version_firstcreated_pubstatus(void **state)
{
	struct nw_event *ev = event_new();
	json_t *doc;

	doc = render(ev);
	assert_string_equal(str_at(doc, "pubstatus"), "usable");
	assert_null(json_object_get(doc, "version"));
	json_decref(doc);

	ev = event_new();
	ev->story = calloc(1, sizeof *ev->story);
	assert_non_null(ev->story);
	memcpy(ev->story->key, "0123456789abcdef0123456789abcdef", 33);
	ev->story->version = 4;
	ev->story->kind = NW_STORY_CORRECTION;
	ev->story->first_created_ms = PUBLISHED;
	doc = render(ev);
	assert_string_equal(str_at(doc, "uri"),
	    "urn:newswired:story:0123456789abcdef0123456789abcdef");
	assert_string_equal(str_at(doc, "version"), "4");
	assert_string_equal(
	    str_at(doc, "firstcreated"), "2026-06-07T08:30:00.250Z");
	assert_string_equal(
	    str_at(doc, "versioncreated"), "2026-06-07T10:00:00.000Z");
	assert_string_equal(str_at(doc, "altids.0.value"), ID);
	assert_string_equal(str_at(doc, "pubstatus"), "usable");
	json_decref(doc);

	ev = event_new();
	ev->story = calloc(1, sizeof *ev->story);
	assert_non_null(ev->story);
	memcpy(ev->story->key, "0123456789abcdef0123456789abcdef", 33);
	ev->story->version = 5;
	ev->story->kind = NW_STORY_KILL;
	doc = render(ev);
	assert_string_equal(str_at(doc, "pubstatus"), "canceled");
	assert_string_equal(str_at(doc, "version"), "5");
	json_decref(doc);
}

static void
test_captions_become_picture_associations(void **state)
{
	struct nw_event *ev = event_new();
	json_t *doc;

	ev->captions = calloc(3, sizeof *ev->captions);
	assert_non_null(ev->captions);
	ev->ncaptions = 3;
	ev->captions[0].text = strdup("Firefighters near Chita");
	ev->captions[0].credit = strdup("Ivan Ivanov/TASS");
	ev->captions[2].credit = strdup("Anna Petrova/TASS");
	doc = render(ev);
	/* the empty second caption is skipped; a lone credit is kept */
	assert_int_equal(
	    json_array_size(json_object_get(doc, "associations")), 2);
	assert_string_equal(str_at(doc, "associations.1.name"), "picture-3");
	assert_string_equal(
	    str_at(doc, "associations.1.by"), "Anna Petrova/TASS");
	assert_null(json_object_get(
	    json_array_get(json_object_get(doc, "associations"), 1),
	    "descriptions"));
	assert_string_equal(str_at(doc, "associations.0.name"), "picture-1");
	assert_string_equal(str_at(doc, "associations.0.uri"),
	    "urn:newswired:event:" ID ":picture:1");
	assert_string_equal(str_at(doc, "associations.0.type"), "picture");
	assert_string_equal(
	    str_at(doc, "associations.0.representationtype"), "partial");
	assert_string_equal(
	    str_at(doc, "associations.0.descriptions.0.role"), "caption");
	assert_string_equal(str_at(doc, "associations.0.descriptions.0.value"),
	    "Firefighters near Chita");
	assert_string_equal(
	    str_at(doc, "associations.0.by"), "Ivan Ivanov/TASS");
	json_decref(doc);
}

static void
test_pretty_is_the_same_document(void **state)
{
	struct nw_event *ev = event_new();
	json_t *a, *b;
	char *compact, *pretty;

	ev->headline = strdup("Headline");
	nw_strv_push(&ev->body, "Body.");
	compact = nw_event_ninjs(ev, 0);
	pretty = nw_event_ninjs(ev, 1);
	assert_non_null(compact);
	assert_non_null(pretty);
	assert_non_null(strchr(pretty, '\n'));
	a = json_loads(compact, 0, NULL);
	b = json_loads(pretty, 0, NULL);
	assert_true(json_equal(a, b));
	/* the uri leads, as in IPTC's examples */
	assert_memory_equal(compact, "{\"uri\":", 7);
	json_decref(a);
	json_decref(b);
	free(compact);
	free(pretty);
	nw_event_free(ev);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_uri_is_urn_of_event_id),
	    cmocka_unit_test(
		test_story_version_maps_to_uri_version_firstcreated_pubstatus),
	    cmocka_unit_test(test_minimal_event_leaves_absent_fields_out),
	    cmocka_unit_test(
		test_located_title_cases_capital_city_and_adds_region),
	    cmocka_unit_test(test_located_keeps_mixed_case_city),
	    cmocka_unit_test(test_located_absent_for_dateline_without_place),
	    cmocka_unit_test(test_infosources_names_agency_without_role),
	    cmocka_unit_test(test_infosources_fall_back_to_dateline_agency),
	    cmocka_unit_test(test_people_and_organisations_from_speakers),
	    cmocka_unit_test(test_quotes_extension_carries_speaker_and_offsets),
	    cmocka_unit_test(test_quote_with_out_of_range_speaker_has_none),
	    cmocka_unit_test(test_bodies_plain_and_html_with_counts),
	    cmocka_unit_test(test_headlines_main_and_lede_as_subhead),
	    cmocka_unit_test(test_versioncreated_prefers_published_at),
	    cmocka_unit_test(test_captions_become_picture_associations),
	    cmocka_unit_test(test_pretty_is_the_same_document),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
