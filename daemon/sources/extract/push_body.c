/* Decoding a push request body by its Content-Type. JSON is strict (one
 * object, "text" or "html" but not both); HTML goes through the same article
 * extraction as feed pages; plain text passes as it is, with its charset. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "feed_extract.h"
#include "push_body.h"

/* Charsets a partner may name; the parser decodes these. */
static const char *const charsets[] = {"utf-8", "windows-1251", "koi8-r",
    "iso-8859-1", "iso-8859-5", "us-ascii", "cp1251", "utf8", NULL};

static char *msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *
msg(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	return n == -1 ? NULL : s;
}

/* "text/plain; charset=windows-1251" -> media "text/plain", charset. */
static int
media_type(const char *ct, char *media, size_t mlen, const char **charset,
    char **cause)
{
	const char *p = ct, *e, *v;
	char cs[40];
	size_t n, i;

	*charset = NULL;
	while (*p == ' ')
		p++;
	e = p + strcspn(p, "; \t");
	n = (size_t)(e - p);
	if (n == 0 || n >= mlen) {
		*cause = msg("bad Content-Type: %s", ct);
		return 415;
	}
	for (i = 0; i < n; i++)
		media[i] = (char)tolower((unsigned char)p[i]);
	media[n] = '\0';
	if ((v = strcasestr(e, "charset=")) == NULL)
		return 0;
	v += 8;
	if (*v == '"')
		v++;
	n = strcspn(v, "\"; \t");
	if (n == 0 || n >= sizeof cs) {
		*cause = msg("bad charset in Content-Type: %s", ct);
		return 415;
	}
	memcpy(cs, v, n);
	cs[n] = '\0';
	for (i = 0; charsets[i] != NULL; i++)
		if (strcasecmp(cs, charsets[i]) == 0) {
			/* UTF-8 is the default: no charset to pass on. */
			if (strcasecmp(cs, "utf-8") != 0 &&
			    strcasecmp(cs, "utf8") != 0 &&
			    strcasecmp(cs, "us-ascii") != 0)
				*charset = charsets[i];
			return 0;
		}
	*cause = msg("unsupported charset: %s", cs);
	return 415;
}

static int
from_html(const char *data, size_t len, const char *charset,
    struct nw_push_body *b, char **cause)
{
	struct nw_article art;
	char *why = NULL;

	if (nw_article_from_html(data, len, charset, &art, &why) == -1) {
		*cause = why;
		return 422;
	}
	b->text = nw_article_text(&art, &b->len);
	b->published_at_ms = art.published_ms;
	b->charset = "utf-8"; /* libxml2 decoded the page */
	nw_article_clear(&art);
	if (b->text == NULL) {
		*cause = strdup("out of memory");
		return 400;
	}
	return 0;
}

static int
only_space(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!isspace((unsigned char)s[i]))
			return 0;
	return 1;
}

static int
from_json(const char *data, size_t len, struct nw_push_body *b, char **cause)
{
	json_error_t err;
	json_t *o, *text, *html, *url, *rec;
	const char *k;
	json_t *v;
	int rc = 400;

	if ((o = json_loadb(data, len, JSON_REJECT_DUPLICATES, &err)) == NULL) {
		*cause = msg("invalid JSON: %s", err.text);
		return 400;
	}
	if (!json_is_object(o)) {
		*cause = strdup("the body must be a JSON object");
		goto out;
	}
	json_object_foreach(o, k, v)
	{
		if (strcmp(k, "text") != 0 && strcmp(k, "html") != 0 &&
		    strcmp(k, "url") != 0 && strcmp(k, "received_at") != 0) {
			*cause = msg("unknown field \"%s\"", k);
			goto out;
		}
	}
	text = json_object_get(o, "text");
	html = json_object_get(o, "html");
	url = json_object_get(o, "url");
	rec = json_object_get(o, "received_at");
	if ((text != NULL) == (html != NULL) ||
	    (text != NULL && !json_is_string(text)) ||
	    (html != NULL && !json_is_string(html))) {
		*cause =
		    strdup("exactly one of \"text\" or \"html\", a string");
		goto out;
	}
	if (url != NULL && !json_is_string(url)) {
		*cause = strdup("\"url\" must be a string");
		goto out;
	}
	if (rec != NULL) {
		if (json_is_integer(rec) && json_integer_value(rec) > 0)
			b->received_at_ms = json_integer_value(rec);
		else if (json_is_string(rec))
			b->received_at_ms =
			    nw_feed_date(json_string_value(rec));
		if (b->received_at_ms <= 0) {
			*cause = strdup("\"received_at\" must be an RFC 3339 "
					"time or Unix milliseconds");
			goto out;
		}
	}
	if (url != NULL && (b->url = strdup(json_string_value(url))) == NULL)
		goto out;
	if (text != NULL) {
		b->len = json_string_length(text);
		if (b->len == 0 ||
		    only_space(json_string_value(text), b->len)) {
			*cause = strdup("\"text\" is empty");
			goto out;
		}
		if ((b->text = malloc(b->len + 1)) == NULL)
			goto out;
		memcpy(b->text, json_string_value(text), b->len + 1);
		b->charset = "utf-8"; /* JSON text is UTF-8 */
		rc = 0;
	} else
		rc = from_html(json_string_value(html),
		    json_string_length(html), NULL, b, cause);
out:
	json_decref(o);
	return rc;
}

int
nw_push_body_parse(const char *content_type, const char *data, size_t len,
    struct nw_push_body *b, char **cause)
{
	char media[64];
	const char *cs;
	int rc;

	memset(b, 0, sizeof b[0]);
	*cause = NULL;
	if (content_type == NULL) {
		*cause = strdup("Content-Type is required");
		return 415;
	}
	if ((rc = media_type(content_type, media, sizeof media, &cs, cause)))
		return rc;
	if (strcmp(media, "text/plain") != 0 &&
	    strcmp(media, "text/html") != 0 &&
	    strcmp(media, "application/json") != 0) {
		*cause = msg("unsupported Content-Type %s: use text/plain, "
			     "text/html or application/json",
		    media);
		return 415;
	}
	if (len == 0 || only_space(data, len)) {
		*cause = strdup("empty body");
		return 400;
	}
	if (strcmp(media, "application/json") == 0)
		rc = from_json(data, len, b, cause);
	else if (strcmp(media, "text/html") == 0)
		rc = from_html(data, len, cs, b, cause);
	else {
		b->charset = cs;
		b->len = len;
		if ((b->text = malloc(len + 1)) != NULL) {
			memcpy(b->text, data, len);
			b->text[len] = '\0';
		} else
			rc = 400;
	}
	if (rc != 0)
		nw_push_body_clear(b);
	return rc;
}

void
nw_push_body_clear(struct nw_push_body *b)
{
	free(b->text);
	free(b->url);
	memset(b, 0, sizeof *b);
}
