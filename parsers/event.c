/* The event: allocation, string vectors and JSON serialisation of the
 * newswired.event/1 contract (docs/event.schema.json). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "newswire/event.h"
#include "newswire/version.h"

int
nw_strv_pushn(struct nw_strv *sv, const char *s, size_t len)
{
	char **nv, *copy;
	size_t ncap;

	if (sv->n == sv->cap) {
		ncap = sv->cap ? sv->cap * 2 : 8;
		if ((nv = realloc(sv->v, ncap * sizeof *nv)) == NULL)
			return -1;
		sv->v = nv;
		sv->cap = ncap;
	}
	if ((copy = strndup(s, len)) == NULL)
		return -1;
	sv->v[sv->n++] = copy;
	return 0;
}

int
nw_strv_push(struct nw_strv *sv, const char *s)
{
	return nw_strv_pushn(sv, s, strlen(s));
}

void
nw_strv_clear(struct nw_strv *sv)
{
	size_t i;

	for (i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	memset(sv, 0, sizeof *sv);
}

struct nw_event *
nw_event_new(void)
{
	return calloc(1, sizeof(struct nw_event));
}

void
nw_event_free(struct nw_event *ev)
{
	size_t i;

	if (ev == NULL)
		return;
	free(ev->agency);
	free(ev->headline);
	free(ev->lede);
	if (ev->dateline != NULL) {
		free(ev->dateline->text);
		free(ev->dateline->city);
		free(ev->dateline->region);
		free(ev->dateline->agency);
		free(ev->dateline);
	}
	for (i = 0; i < ev->ncaptions; i++) {
		free(ev->captions[i].text);
		free(ev->captions[i].credit);
	}
	free(ev->captions);
	nw_strv_clear(&ev->body);
	for (i = 0; i < ev->nquotes; i++) {
		free(ev->quotes[i].text);
		free(ev->quotes[i].cue);
	}
	free(ev->quotes);
	for (i = 0; i < ev->nspeakers; i++) {
		free(ev->speakers[i].name);
		free(ev->speakers[i].title);
		free(ev->speakers[i].organisation);
	}
	free(ev->speakers);
	free(ev->source.type);
	free(ev->source.name);
	free(ev->source.uri);
	nw_strv_clear(&ev->warnings);
	free(ev);
}

void
nw_event_warn(struct nw_event *ev, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	(void)nw_strv_push(&ev->warnings, buf);
}

const char *
nw_quote_kind_name(enum nw_quote_kind k)
{
	switch (k) {
	case NW_QUOTE_DIRECT:
		return "direct";
	case NW_QUOTE_PARTIAL:
		return "partial";
	case NW_QUOTE_INDIRECT:
		return "indirect";
	}
	return "direct";
}

const char *
nw_speaker_type_name(enum nw_speaker_type t)
{
	return t == NW_SPEAKER_ORGANISATION ? "organisation" : "person";
}

/* A string, or JSON null for NULL. */
static json_t *
str_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

/* RFC 3339 UTC with milliseconds. */
static json_t *
time_json(int64_t ms)
{
	char buf[96];
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
	    tm.tm_sec, (int)(ms % 1000));
	return json_string(buf);
}

static json_t *
strv_json(const struct nw_strv *sv)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < sv->n; i++)
		json_array_append_new(a, json_string(sv->v[i]));
	return a;
}

static json_t *
speaker_json(const struct nw_speaker *sp, int with_count)
{
	json_t *o;

	o = json_pack("{s:o, s:s, s:o, s:o}", "name", str_or_null(sp->name),
	    "type", nw_speaker_type_name(sp->type), "title",
	    str_or_null(sp->title), "organisation",
	    str_or_null(sp->organisation));
	if (with_count)
		json_object_set_new(
		    o, "quotes", json_integer((json_int_t)sp->quotes));
	return o;
}

static json_t *
dateline_json(const struct nw_dateline *d)
{
	if (d == NULL)
		return json_null();
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "text",
	    str_or_null(d->text), "city", str_or_null(d->city), "region",
	    str_or_null(d->region), "month",
	    d->month ? json_integer(d->month) : json_null(), "day",
	    d->day ? json_integer(d->day) : json_null(), "year",
	    d->year ? json_integer(d->year) : json_null(), "date",
	    d->date[0] ? json_string(d->date) : json_null(), "agency",
	    str_or_null(d->agency));
}

static json_t *
event_to_json(const struct nw_event *ev)
{
	json_t *o, *caps, *quotes, *speakers, *q;
	size_t i;

	caps = json_array();
	for (i = 0; i < ev->ncaptions; i++)
		json_array_append_new(caps,
		    json_pack("{s:o, s:o}", "text",
			str_or_null(ev->captions[i].text), "credit",
			str_or_null(ev->captions[i].credit)));
	quotes = json_array();
	for (i = 0; i < ev->nquotes; i++) {
		const struct nw_quote *qt = &ev->quotes[i];

		q = json_pack("{s:s, s:s, s:o, s:o, s:o, s:[I,I]}", "text",
		    qt->text, "kind", nw_quote_kind_name(qt->kind), "speaker",
		    qt->speaker >= 0 && (size_t)qt->speaker < ev->nspeakers
			? speaker_json(&ev->speakers[qt->speaker], 0)
			: json_null(),
		    "cue", str_or_null(qt->cue), "paragraph",
		    qt->in_lede ? json_null()
				: json_integer((json_int_t)qt->paragraph),
		    "offset", (json_int_t)qt->start, (json_int_t)qt->end);
		json_array_append_new(quotes, q);
	}
	speakers = json_array();
	for (i = 0; i < ev->nspeakers; i++)
		json_array_append_new(
		    speakers, speaker_json(&ev->speakers[i], 1));

	o = json_object();
	json_object_set_new(o, "schema", json_string(NW_SCHEMA));
	json_object_set_new(o, "id", json_string(ev->id));
	json_object_set_new(o, "language", json_string(ev->language));
	json_object_set_new(o, "agency", str_or_null(ev->agency));
	json_object_set_new(o, "headline", str_or_null(ev->headline));
	json_object_set_new(o, "lede", str_or_null(ev->lede));
	json_object_set_new(o, "dateline", dateline_json(ev->dateline));
	json_object_set_new(o, "captions", caps);
	json_object_set_new(o, "body", strv_json(&ev->body));
	json_object_set_new(o, "quotes", quotes);
	json_object_set_new(o, "speakers", speakers);
	json_object_set_new(o, "received_at", time_json(ev->received_at_ms));
	json_object_set_new(o, "published_at",
	    ev->published_at_ms ? time_json(ev->published_at_ms) : json_null());
	json_object_set_new(o, "source",
	    json_pack("{s:o, s:o, s:o}", "type",
		str_or_null(ev->source.type ? ev->source.type : "file"), "name",
		str_or_null(ev->source.name), "uri",
		str_or_null(ev->source.uri)));
	json_object_set_new(o, "parser",
	    json_pack(
		"{s:s, s:s}", "name", NW_PARSER_NAME, "version", NW_VERSION));
	json_object_set_new(o, "warnings", strv_json(&ev->warnings));
	return o;
}

char *
nw_event_json(const struct nw_event *ev, int pretty)
{
	json_t *o;
	char *s;

	if ((o = event_to_json(ev)) == NULL)
		return NULL;
	s = json_dumps(
	    o, JSON_PRESERVE_ORDER | (pretty ? JSON_INDENT(2) : JSON_COMPACT));
	json_decref(o);
	return s;
}
