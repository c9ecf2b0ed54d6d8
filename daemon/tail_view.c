/* Readable lines for `newswired tail`: each message is turned into one view
 * (time, agency, city, headline, speakers, quotations, story version)
 * whatever contract it came in, then filtered and printed from the view, so
 * a new contract is one more reader and nothing else changes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>
#include <utf8proc.h>

#include "tail_view.h"

#define MAX_PEOPLE 64

struct person {
	const char *name, *title;
};

struct quote {
	const char *text, *kind;
	struct person who;
};

struct view {
	const char *contract; /* "1", "2", "ninjs" */
	const char *time, *agency, *city, *headline, *language;
	const char *story_key, *story_kind, *story_version;
	char version_buf[24];
	char opening_buf[124]; /* a headline-less event's first words */
	struct person people[MAX_PEOPLE];
	size_t npeople;
	struct quote *quotes;
	size_t nquotes;
};

/* Colours by role, and nothing at all when off. */
enum role { R_TIME, R_AGENCY, R_CITY, R_HEAD, R_WHO, R_STORY, R_ALERT };
static const char *const colors[] = {
    [R_TIME] = "\033[2m",
    [R_AGENCY] = "\033[1;34m",
    [R_CITY] = "\033[36m",
    [R_HEAD] = "\033[1m",
    [R_WHO] = "\033[32m",
    [R_STORY] = "\033[33m",
    [R_ALERT] = "\033[1;31m",
};

static const char *
str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) && json_string_length(v) > 0
	    ? json_string_value(v)
	    : NULL;
}

/* Dispatch text is untrusted: a control character (an escape sequence, a
 * carriage return) must not reach the terminal, nor a newline split a line.
 * C0, DEL and C1 controls become a space; the rest passes as is. */
static void
put_text(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			fputc(' ', f);
		else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			fputc(' ', f);
			p++;
		} else
			fputc(*p, f);
	}
}

static void
put(FILE *f, const struct nw_tail_opts *o, enum role r, const char *s)
{
	if (o->color)
		fputs(colors[r], f);
	put_text(f, s);
	if (o->color)
		fputs("\033[0m", f);
}

static void
add_person(struct view *v, const char *name, const char *title)
{
	size_t i;

	if (name == NULL)
		return;
	for (i = 0; i < v->npeople; i++)
		if (strcmp(v->people[i].name, name) == 0)
			return;
	if (v->npeople < MAX_PEOPLE) {
		v->people[v->npeople].name = name;
		v->people[v->npeople++].title = title;
	}
}

static int
read_quotes(struct view *v, json_t *arr)
{
	size_t i;
	json_t *q, *sp;

	if (!json_is_array(arr) || json_array_size(arr) == 0)
		return 0;
	v->quotes = calloc(json_array_size(arr), sizeof *v->quotes);
	if (v->quotes == NULL)
		return -1;
	json_array_foreach(arr, i, q)
	{
		if (str(q, "text") == NULL)
			continue;
		sp = json_object_get(q, "speaker");
		v->quotes[v->nquotes].text = str(q, "text");
		v->quotes[v->nquotes].kind = str(q, "kind");
		v->quotes[v->nquotes].who.name = str(sp, "name");
		v->quotes[v->nquotes++].who.title = str(sp, "title");
	}
	return 0;
}

/* The start of a paragraph, cut at a UTF-8 character boundary, for an
 * event that has neither headline nor lede. */
static const char *
opening(struct view *v, json_t *para)
{
	const char *s = json_string_value(para);
	size_t n, max = sizeof v->opening_buf - 4;

	if (s == NULL || *s == '\0')
		return NULL;
	if ((n = strlen(s)) <= max)
		return s;
	for (n = max; n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80; n--)
		;
	memcpy(v->opening_buf, s, n);
	memcpy(v->opening_buf + n, "\xe2\x80\xa6", 4); /* ellipsis */
	return v->opening_buf;
}

/* newswired.event/1 and /2: /2 adds the story object. */
static int
read_contract(struct view *v, json_t *ev)
{
	json_t *dl = json_object_get(ev, "dateline");
	json_t *st = json_object_get(ev, "story"), *sp, *ver;
	size_t i;

	v->time = str(ev, "published_at");
	if (v->time == NULL)
		v->time = str(ev, "received_at");
	v->agency = str(ev, "agency");
	if (v->agency == NULL)
		v->agency = str(dl, "agency");
	v->city = str(dl, "city");
	v->headline = str(ev, "headline");
	if (v->headline == NULL)
		v->headline = str(ev, "lede");
	if (v->headline == NULL)
		v->headline =
		    opening(v, json_array_get(json_object_get(ev, "body"), 0));
	v->language = str(ev, "language");
	if (json_is_object(st)) {
		v->story_key = str(st, "key");
		v->story_kind = str(st, "kind");
		ver = json_object_get(st, "version");
		if (json_is_integer(ver)) {
			snprintf(v->version_buf, sizeof v->version_buf, "%lld",
			    (long long)json_integer_value(ver));
			v->story_version = v->version_buf;
		}
	}
	json_array_foreach(json_object_get(ev, "speakers"), i, sp)
	    add_person(v, str(sp, "name"), str(sp, "title"));
	return read_quotes(v, json_object_get(ev, "quotes"));
}

/* ninjs 2.1 as the ninjs sinks write it (docs/ninjs): the quotations are in
 * the provider property newswired_quotes. */
static int
read_ninjs(struct view *v, json_t *doc)
{
	json_t *h, *src;
	size_t i;

	v->time = str(doc, "versioncreated");
	if (v->time == NULL)
		v->time = str(doc, "firstcreated");
	src = json_array_get(json_object_get(doc, "infosources"), 0);
	v->agency = str(src, "name");
	v->city = str(doc, "located");
	/* The main headline, else the first. */
	json_array_foreach(json_object_get(doc, "headlines"), i, h)
	{
		if (v->headline == NULL)
			v->headline = str(h, "value");
		if (str(h, "role") != NULL && str(h, "value") != NULL &&
		    strcmp(str(h, "role"), "main") == 0) {
			v->headline = str(h, "value");
			break;
		}
	}
	v->language = str(doc, "language");
	v->story_version = str(doc, "version");
	if (read_quotes(v, json_object_get(doc, "newswired_quotes")) != 0)
		return -1;
	for (i = 0; i < v->nquotes; i++)
		add_person(v, v->quotes[i].who.name, v->quotes[i].who.title);
	json_array_foreach(json_object_get(doc, "people"), i, h)
	    add_person(v, str(h, "name"), NULL);
	return 0;
}

/* NFKC case-folded copy (Cyrillic folds too), or NULL. */
static char *
fold(const char *s)
{
	utf8proc_uint8_t *out = NULL;

	if (utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
		UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
		    UTF8PROC_COMPAT | UTF8PROC_CASEFOLD) < 0)
		return NULL;
	return (char *)out;
}

static int
same(const char *a, const char *b)
{
	char *fa, *fb;
	int r;

	if (a == NULL || b == NULL)
		return 0;
	fa = fold(a);
	fb = fold(b);
	r = fa != NULL && fb != NULL && strcmp(fa, fb) == 0;
	free(fa);
	free(fb);
	return r;
}

static int
contains(const char *hay, const char *needle)
{
	char *fh, *fn;
	int r;

	if (hay == NULL || needle == NULL)
		return 0;
	fh = fold(hay);
	fn = fold(needle);
	r = fh != NULL && fn != NULL && strstr(fh, fn) != NULL;
	free(fh);
	free(fn);
	return r;
}

static int
event_matches(const struct view *v, const struct nw_tail_opts *o)
{
	size_t i;

	if (o->agency != NULL && !same(v->agency, o->agency))
		return 0;
	if (o->language != NULL && !same(v->language, o->language))
		return 0;
	if (o->story != NULL &&
	    (v->story_key == NULL || strcmp(v->story_key, o->story) != 0))
		return 0;
	if (o->speaker == NULL)
		return 1;
	for (i = 0; i < v->npeople; i++)
		if (contains(v->people[i].name, o->speaker))
			return 1;
	return 0;
}

/* "2026-07-03T17:40:14.431Z" -> "07-03 17:40:14". */
static void
put_time(FILE *f, const struct nw_tail_opts *o, const char *t)
{
	char buf[16];

	if (t == NULL || strlen(t) < 19) {
		put(f, o, R_TIME, "--:--:--      ");
		return;
	}
	snprintf(buf, sizeof buf, "%.5s %.8s", t + 5, t + 11);
	put(f, o, R_TIME, buf);
}

static void
put_story(FILE *f, const struct nw_tail_opts *o, const struct view *v)
{
	char buf[96];
	int alert;

	if (v->story_version == NULL && v->story_kind == NULL)
		return;
	alert = v->story_kind != NULL &&
	    (strcmp(v->story_kind, "kill") == 0 ||
		strcmp(v->story_kind, "correction") == 0);
	snprintf(buf, sizeof buf, "[v%s%s%s]",
	    v->story_version ? v->story_version : "?", v->story_kind ? " " : "",
	    v->story_kind ? v->story_kind : "");
	fputs("  ", f);
	put(f, o, alert ? R_ALERT : R_STORY, buf);
}

static void
render_event(FILE *f, const struct nw_tail_opts *o, const struct view *v)
{
	size_t i;

	put_time(f, o, v->time);
	fputs("  ", f);
	put(f, o, R_AGENCY, v->agency ? v->agency : "-");
	if (v->city != NULL) {
		fputs("  ", f);
		put(f, o, R_CITY, v->city);
	}
	fputs("  ", f);
	put(f, o, R_HEAD, v->headline ? v->headline : "(no headline)");
	for (i = 0; i < v->npeople; i++) {
		fputs(i == 0 ? "  \xe2\x80\x94 " : "; ", f);
		put(f, o, R_WHO, v->people[i].name);
		if (v->people[i].title != NULL) {
			fputs(", ", f);
			put_text(f, v->people[i].title);
		}
	}
	put_story(f, o, v);
	fputc('\n', f);
}

/* One line per quotation; with --speaker only that speaker's. */
static int
render_quotes(FILE *f, const struct nw_tail_opts *o, const struct view *v)
{
	size_t i;
	int n = 0;
	const struct quote *q;

	for (i = 0; i < v->nquotes; i++) {
		q = &v->quotes[i];
		if (o->speaker != NULL && !contains(q->who.name, o->speaker))
			continue;
		put_time(f, o, v->time);
		fputs("  ", f);
		put(f, o, R_AGENCY, v->agency ? v->agency : "-");
		fputs("  ", f);
		put(f, o, R_WHO, q->who.name ? q->who.name : "(unattributed)");
		if (q->who.title != NULL) {
			fputs(", ", f);
			put_text(f, q->who.title);
		}
		if (q->kind != NULL && strcmp(q->kind, "direct") == 0) {
			fputs(": \"", f);
			put_text(f, q->text);
			fputc('"', f);
		} else {
			fputs(" (reported): ", f);
			put_text(f, q->text);
		}
		put_story(f, o, v);
		fputc('\n', f);
		n++;
	}
	return n;
}

static void
render_dead_letter(FILE *f, const struct nw_tail_opts *o, json_t *dl)
{
	put(f, o, R_ALERT, "DEAD LETTER");
	fputs("  source=", f);
	put_text(f, str(dl, "source") ? str(dl, "source") : "-");
	fputs(" reason=", f);
	put_text(f, str(dl, "reason") ? str(dl, "reason") : "-");
	if (str(dl, "uri") != NULL) {
		fputs(" uri=", f);
		put_text(f, str(dl, "uri"));
	}
	if (str(dl, "error") != NULL) {
		fputs("  ", f);
		put_text(f, str(dl, "error"));
	}
	fputc('\n', f);
}

static enum nw_tail_rc
unknown(const char *msg, size_t len, const char *why, char **out)
{
	char head[61];
	size_t n = len < 60 ? len : 60, i;

	memcpy(head, msg, n);
	head[n] = '\0';
	for (i = 0; i < n; i++)
		if ((unsigned char)head[i] < 0x20 || head[i] == 0x7f)
			head[i] = ' ';
	if (asprintf(out,
		"not a newswired event (newswired.event/1 or /2) nor ninjs "
		"2.1: %s; it starts: %s\n",
		why, head) < 0)
		*out = NULL;
	return NW_TAIL_UNKNOWN;
}

enum nw_tail_rc
nw_tail_render(
    const char *msg, size_t len, const struct nw_tail_opts *o, char **out)
{
	json_t *doc, *std, *dl;
	json_error_t jerr;
	struct view v;
	const char *schema;
	char *buf = NULL, why[160];
	size_t blen = 0;
	FILE *f;
	enum nw_tail_rc rc = NW_TAIL_SHOWN;
	int err = 0;

	*out = NULL;
	memset(&v, 0, sizeof v);
	while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == '\r'))
		len--;
	if ((doc = json_loadb(msg, len, 0, &jerr)) == NULL) {
		snprintf(why, sizeof why, "not JSON (%.100s)", jerr.text);
		return unknown(msg, len, why, out);
	}
	if (!json_is_object(doc)) {
		json_decref(doc);
		return unknown(msg, len, "JSON, but not an object", out);
	}
	schema = str(doc, "schema");
	std = json_object_get(doc, "standard");
	dl = json_object_get(doc, "dead_letter");
	if (schema != NULL &&
	    (strcmp(schema, "newswired.event/1") == 0 ||
		strcmp(schema, "newswired.event/2") == 0)) {
		v.contract = schema + strlen("newswired.event/");
		err = read_contract(&v, doc);
	} else if (schema != NULL) {
		snprintf(why, sizeof why,
		    "schema \"%.60s\" is not one this tail reads", schema);
		json_decref(doc);
		return unknown(msg, len, why, out);
	} else if (json_is_object(std) && str(std, "name") != NULL &&
	    strcmp(str(std, "name"), "ninjs") == 0) {
		v.contract = "ninjs";
		err = read_ninjs(&v, doc);
	} else if (json_is_object(dl)) {
		v.contract = NULL;
	} else {
		json_decref(doc);
		return unknown(msg, len,
		    "an object without \"schema\", ninjs \"standard\" or "
		    "\"dead_letter\"",
		    out);
	}
	if (err != 0)
		goto oom;
	if (o->json) {
		if (v.contract == NULL || !event_matches(&v, o))
			rc = NW_TAIL_FILTERED;
		else if ((*out = malloc(len + 2)) == NULL)
			goto oom;
		else {
			memcpy(*out, msg, len);
			memcpy(*out + len, "\n", 2);
		}
		goto done;
	}
	if ((f = open_memstream(&buf, &blen)) == NULL)
		goto oom;
	if (v.contract == NULL) {
		/* A dead letter has no speaker, agency or story to match. */
		if (o->quotes || o->speaker || o->agency || o->language ||
		    o->story)
			rc = NW_TAIL_FILTERED;
		else
			render_dead_letter(f, o, dl);
	} else if (!event_matches(&v, o))
		rc = NW_TAIL_FILTERED;
	else if (o->quotes) {
		if (render_quotes(f, o, &v) == 0)
			rc = NW_TAIL_FILTERED;
	} else
		render_event(f, o, &v);
	if (fclose(f) != 0) {
		free(buf);
		goto oom;
	}
	if (rc == NW_TAIL_SHOWN)
		*out = buf;
	else
		free(buf);
done:
	free(v.quotes);
	json_decref(doc);
	return rc;
oom:
	free(v.quotes);
	json_decref(doc);
	return unknown(msg, len, "out of memory", out);
}
