/* ninjs: renders the normalised event as an IPTC ninjs 2.1 document, with
 * the quotations in one provider extension property. Pure (no I/O, no
 * globals); the sinks call it when configured with `format = ninjs`. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <utf8proc.h>

#include "newswire/ninjs.h"
#include "newswire/story.h"

/* A growable string; err latches the first allocation failure so callers
 * check once at the end. */
struct buf {
	char *p;
	size_t n;
	size_t cap;
	int err;
};

static void
buf_add(struct buf *b, const char *s, size_t len)
{
	char *np;
	size_t ncap;

	if (b->err)
		return;
	if (b->n + len + 1 > b->cap) {
		ncap = b->cap ? b->cap : 256;
		while (ncap < b->n + len + 1)
			ncap *= 2;
		if ((np = realloc(b->p, ncap)) == NULL) {
			b->err = 1;
			return;
		}
		b->p = np;
		b->cap = ncap;
	}
	memcpy(b->p + b->n, s, len);
	b->n += len;
	b->p[b->n] = '\0';
}

static void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

/* One code point at s; a byte that is not UTF-8 counts as one U+FFFD so a
 * scan always advances. Returns the bytes consumed. */
static size_t
next_cp(const char *s, size_t len, utf8proc_int32_t *cp)
{
	utf8proc_ssize_t r;

	r = utf8proc_iterate(
	    (const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, cp);
	if (r <= 0) {
		*cp = 0xFFFD;
		return 1;
	}
	return (size_t)r;
}

static int
is_space(utf8proc_int32_t cp)
{
	utf8proc_category_t c;

	if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r')
		return 1;
	c = utf8proc_category(cp);
	return c == UTF8PROC_CATEGORY_ZS || c == UTF8PROC_CATEGORY_ZL ||
	    c == UTF8PROC_CATEGORY_ZP;
}

static int
is_letter(utf8proc_int32_t cp)
{
	utf8proc_category_t c = utf8proc_category(cp);

	return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}

/* ninjs charcount and wordcount of the body: code points of the paragraphs'
 * text (not of the separators or markup), and runs of non-space. */
static void
body_counts(const struct nw_strv *body, size_t *chars, size_t *words)
{
	utf8proc_int32_t cp;
	const char *s;
	size_t i, len, k;
	int in_word;

	*chars = *words = 0;
	for (i = 0; i < body->n; i++) {
		s = body->v[i];
		len = strlen(s);
		in_word = 0;
		while (len > 0) {
			k = next_cp(s, len, &cp);
			s += k;
			len -= k;
			(*chars)++;
			if (is_space(cp))
				in_word = 0;
			else if (!in_word) {
				in_word = 1;
				(*words)++;
			}
		}
	}
}

/* Datelines print the city in capitals ("ST. PETERSBURG", "МОСКВА");
 * "located" is a name for people, so a name without any lower-case letter
 * is title-cased ("St. Petersburg", "Москва"). Mixed case is kept. */
static char *
title_case(const char *s)
{
	utf8proc_uint8_t enc[4];
	utf8proc_int32_t cp;
	struct buf b = {0};
	const char *p = s;
	size_t len = strlen(s), k;
	int start = 1;

	while (len > 0) {
		k = next_cp(p, len, &cp);
		if (utf8proc_islower(cp))
			return strdup(s);
		p += k;
		len -= k;
	}
	p = s;
	len = strlen(s);
	while (len > 0) {
		k = next_cp(p, len, &cp);
		if (is_letter(cp)) {
			if (!start)
				cp = utf8proc_tolower(cp);
			buf_add(&b, (const char *)enc,
			    (size_t)utf8proc_encode_char(cp, enc));
			start = 0;
		} else {
			buf_add(&b, p, k);
			/* "N'DJAMENA": an apostrophe does not start a word */
			start = !(cp == '\'' || cp == 0x2019);
		}
		p += k;
		len -= k;
	}
	if (b.err) {
		free(b.p);
		return NULL;
	}
	return b.p != NULL ? b.p : strdup("");
}

/* RFC 3339 UTC with milliseconds, as in the newswired event. */
static json_t *
time_json(int64_t ms)
{
	char out[48];
	int64_t sec = ms / 1000, frac = ms % 1000;
	time_t t;
	struct tm tm;

	if (frac < 0) {
		frac += 1000;
		sec--;
	}
	t = (time_t)sec;
	if (gmtime_r(&t, &tm) == NULL)
		return NULL;
	snprintf(out, sizeof out, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
	    tm.tm_sec, (int)frac);
	return json_string(out);
}

/* Sets o[key] = v, stealing v; a NULL v (failed allocation) or a failed set
 * latches *err. */
static void
put(json_t *o, const char *key, json_t *v, int *err)
{
	if (v == NULL || json_object_set_new(o, key, v) != 0)
		*err = 1;
}

static void
append(json_t *a, json_t *v, int *err)
{
	if (v == NULL || json_array_append_new(a, v) != 0)
		*err = 1;
}

static int
nonempty(const char *s)
{
	return s != NULL && *s != '\0';
}

/* "City, Region" from the dateline, or NULL. */
static char *
located(const struct nw_dateline *d, int *err)
{
	struct buf b = {0};
	char *city = NULL;

	if (d == NULL || (!nonempty(d->city) && !nonempty(d->region)))
		return NULL;
	if (nonempty(d->city)) {
		if ((city = title_case(d->city)) == NULL) {
			*err = 1;
			return NULL;
		}
		buf_adds(&b, city);
		free(city);
	}
	if (nonempty(d->region)) {
		if (b.n > 0)
			buf_adds(&b, ", ");
		buf_adds(&b, d->region);
	}
	if (b.err) {
		free(b.p);
		*err = 1;
		return NULL;
	}
	return b.p;
}

static void
add_text(struct buf *b, const char *s, int html)
{
	const char *p;

	if (!html) {
		buf_adds(b, s);
		return;
	}
	for (p = s; *p != '\0'; p++) {
		switch (*p) {
		case '&':
			buf_adds(b, "&amp;");
			break;
		case '<':
			buf_adds(b, "&lt;");
			break;
		case '>':
			buf_adds(b, "&gt;");
			break;
		default:
			buf_add(b, p, 1);
		}
	}
}

/* One body: paragraphs separated by a blank line (text/plain) or each in
 * its own <p> (text/html). Either way paragraph i of the event's body is
 * the i-th block, which is what the quotations' "paragraph" counts. */
static json_t *
body_json(const struct nw_event *ev, int html, size_t chars, size_t words)
{
	struct buf b = {0};
	json_t *o;
	size_t i;

	for (i = 0; i < ev->body.n; i++) {
		if (html)
			buf_adds(&b, i > 0 ? "\n<p>" : "<p>");
		else if (i > 0)
			buf_adds(&b, "\n\n");
		add_text(&b, ev->body.v[i], html);
		if (html)
			buf_adds(&b, "</p>");
	}
	if (b.err) {
		free(b.p);
		return NULL;
	}
	o = json_pack("{s:s, s:s, s:s, s:I, s:I}", "role", "main",
	    "contenttype", html ? "text/html" : "text/plain", "value",
	    b.p != NULL ? b.p : "", "charcount", (json_int_t)chars, "wordcount",
	    (json_int_t)words);
	free(b.p);
	return o;
}

/* A person's or organisation's relationship to the story: the speakers are
 * there because they are quoted; one with no quote left is only mentioned. */
static const char *
speaker_rel(const struct nw_speaker *sp)
{
	return sp->quotes > 0 ? "quoted" : "mentions";
}

static json_t *
speakers_json(const struct nw_event *ev, enum nw_speaker_type type, int *err)
{
	json_t *a;
	size_t i;

	if ((a = json_array()) == NULL) {
		*err = 1;
		return NULL;
	}
	for (i = 0; i < ev->nspeakers; i++) {
		const struct nw_speaker *sp = &ev->speakers[i];

		if (sp->type != type || !nonempty(sp->name))
			continue;
		append(a,
		    json_pack(
			"{s:s, s:s}", "name", sp->name, "rel", speaker_rel(sp)),
		    err);
	}
	return a;
}

/* The extension property: the event's quotations, each with its speaker
 * inline, paragraph and [start, end) code-point offsets into that
 * paragraph. Absent values are left out, as ninjs does, not null. */
static json_t *
quotes_json(const struct nw_event *ev, int *err)
{
	const struct nw_quote *q;
	const struct nw_speaker *sp;
	json_t *a, *o, *s;
	size_t i;

	if ((a = json_array()) == NULL) {
		*err = 1;
		return NULL;
	}
	for (i = 0; i < ev->nquotes; i++) {
		q = &ev->quotes[i];
		o = json_pack("{s:s, s:s}", "text", q->text ? q->text : "",
		    "kind", nw_quote_kind_name(q->kind));
		if (o == NULL) {
			*err = 1;
			continue;
		}
		if (q->speaker >= 0 && (size_t)q->speaker < ev->nspeakers &&
		    nonempty(ev->speakers[q->speaker].name)) {
			sp = &ev->speakers[q->speaker];
			s = json_pack("{s:s, s:s}", "name", sp->name, "type",
			    nw_speaker_type_name(sp->type));
			if (s != NULL && nonempty(sp->title))
				put(s, "title", json_string(sp->title), err);
			if (s != NULL && nonempty(sp->organisation))
				put(s, "organisation",
				    json_string(sp->organisation), err);
			put(o, "speaker", s, err);
		}
		if (nonempty(q->cue))
			put(o, "cue", json_string(q->cue), err);
		put(o, "paragraph", json_integer((json_int_t)q->paragraph),
		    err);
		put(o, "offset",
		    json_pack(
			"[I, I]", (json_int_t)q->start, (json_int_t)q->end),
		    err);
		append(a, o, err);
	}
	return a;
}

/* Photo captions: the pictures are not ours to deliver, so each becomes a
 * partial "picture" association carrying its caption and credit (either may
 * be missing: a lone credit line still says there is a photo). */
static json_t *
captions_json(const struct nw_event *ev, int *err)
{
	char name[32], uri[160];
	json_t *a, *o;
	size_t i;

	if ((a = json_array()) == NULL) {
		*err = 1;
		return NULL;
	}
	for (i = 0; i < ev->ncaptions; i++) {
		const struct nw_caption *c = &ev->captions[i];

		if (!nonempty(c->text) && !nonempty(c->credit))
			continue;
		snprintf(name, sizeof name, "picture-%zu", i + 1);
		snprintf(uri, sizeof uri, "%s%s:picture:%zu",
		    NW_NINJS_URI_PREFIX, ev->id, i + 1);
		o = json_pack("{s:s, s:s, s:s, s:s}", "name", name, "uri", uri,
		    "type", "picture", "representationtype", "partial");
		if (o != NULL && nonempty(c->text))
			put(o, "descriptions",
			    json_pack("[{s:s, s:s, s:s}]", "role", "caption",
				"contenttype", "text/plain", "value", c->text),
			    err);
		if (o != NULL && nonempty(c->credit))
			put(o, "by", json_string(c->credit), err);
		append(a, o, err);
	}
	return a;
}

static json_t *
ninjs_object(const struct nw_event *ev)
{
	char uri[sizeof NW_NINJS_URI_PREFIX + sizeof ev->id], ver[16];
	const struct nw_story *st = ev->story;
	const char *agency;
	json_t *o, *a;
	char *loc;
	int64_t created;
	size_t chars, words;
	int err = 0;

	if ((o = json_object()) == NULL)
		return NULL;
	if (st != NULL)
		snprintf(uri, sizeof uri, "%s%s", NW_NINJS_STORY_URI_PREFIX,
		    st->key);
	else
		snprintf(uri, sizeof uri, "%s%s", NW_NINJS_URI_PREFIX, ev->id);
	put(o, "uri", json_string(uri), &err);
	put(o, "standard",
	    json_pack("{s:s, s:s, s:s}", "name", "ninjs", "version", "2.1",
		"schema", NW_NINJS_SCHEMA_ID),
	    &err);
	put(o, "type", json_string("text"), &err);
	put(o, "representationtype", json_string("full"), &err);
	if (ev->language[0] != '\0')
		put(o, "language", json_string(ev->language), &err);

	/* The agency's publication time when the source gave one; else the
	 * moment we received it, the best "version created" we know. */
	created =
	    ev->published_at_ms ? ev->published_at_ms : ev->received_at_ms;
	if (st != NULL) {
		snprintf(ver, sizeof ver, "%u", st->version);
		put(o, "version", json_string(ver), &err);
	}
	if (created != 0) {
		put(o, "versioncreated", time_json(created), &err);
		/* the story's first version, when a story stage ran */
		put(o, "firstcreated",
		    time_json(st != NULL && st->first_created_ms
			    ? st->first_created_ms
			    : created),
		    &err);
	}
	/* a kill withdraws the story: clients take it down */
	put(o, "pubstatus",
	    json_string(
		(st != NULL ? st->kind : ev->story_kind) == NW_STORY_KILL
		    ? "canceled"
		    : "usable"),
	    &err);

	if ((loc = located(ev->dateline, &err)) != NULL) {
		put(o, "located", json_string(loc), &err);
		free(loc);
	}

	if (nonempty(ev->headline) || nonempty(ev->lede)) {
		if ((a = json_array()) == NULL)
			err = 1;
		else {
			if (nonempty(ev->headline))
				append(a,
				    json_pack("{s:s, s:s}", "role", "main",
					"value", ev->headline),
				    &err);
			/* The standfirst: ninjs's own guide names a
			 * subheadline "subhead". */
			if (nonempty(ev->lede))
				append(a,
				    json_pack("{s:s, s:s}", "role", "subhead",
					"value", ev->lede),
				    &err);
			put(o, "headlines", a, &err);
		}
	}

	if (ev->body.n > 0) {
		body_counts(&ev->body, &chars, &words);
		if ((a = json_array()) == NULL)
			err = 1;
		else {
			append(a, body_json(ev, 0, chars, words), &err);
			append(a, body_json(ev, 1, chars, words), &err);
			put(o, "bodies", a, &err);
		}
	}

	/* NewsML-G2, which ninjs maps infosource to, gives a role only to a
	 * party that did something other than originate the content; the
	 * agency originated the dispatch, so it has none. */
	agency = nonempty(ev->agency) ? ev->agency
	    : ev->dateline != NULL && nonempty(ev->dateline->agency)
	    ? ev->dateline->agency
	    : NULL;
	if (agency != NULL)
		put(o, "infosources", json_pack("[{s:s}]", "name", agency),
		    &err);

	a = speakers_json(ev, NW_SPEAKER_PERSON, &err);
	if (a != NULL && json_array_size(a) > 0)
		put(o, "people", a, &err);
	else
		json_decref(a);
	a = speakers_json(ev, NW_SPEAKER_ORGANISATION, &err);
	if (a != NULL && json_array_size(a) > 0)
		put(o, "organisations", a, &err);
	else
		json_decref(a);
	a = captions_json(ev, &err);
	if (a != NULL && json_array_size(a) > 0)
		put(o, "associations", a, &err);
	else
		json_decref(a);

	/* The event id on its own, for joining with newswired.event/2. */
	put(o, "altids",
	    json_pack("[{s:s, s:s}]", "role", "newswired", "value", ev->id),
	    &err);
	/* Present even when empty, like "quotes" in the event: it says the
	 * story was searched for quotations and none was found. */
	put(o, NW_NINJS_QUOTES_PROPERTY, quotes_json(ev, &err), &err);

	if (err) {
		json_decref(o);
		return NULL;
	}
	return o;
}

char *
nw_event_ninjs(const struct nw_event *ev, int pretty)
{
	json_t *o;
	char *s;

	if ((o = ninjs_object(ev)) == NULL)
		return NULL;
	s = json_dumps(
	    o, JSON_PRESERVE_ORDER | (pretty ? JSON_INDENT(2) : JSON_COMPACT));
	json_decref(o);
	return s;
}
