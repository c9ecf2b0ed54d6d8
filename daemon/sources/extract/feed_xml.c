/* RSS 2.0 and Atom item parsing with libxml2, and the two date formats
 * feeds use (RFC 822 in RSS, RFC 3339 in Atom). Pure: bytes in, items out.
 * The parser never fetches anything (XML_PARSE_NONET) and never expands
 * external entities. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "feed_extract.h"

#define NS_ATOM    "http://www.w3.org/2005/Atom"
#define NS_CONTENT "http://purl.org/rss/1.0/modules/content/"
#define NS_YANDEX  "http://news.yandex.ru"
#define NS_DC      "http://purl.org/dc/elements/1.1/"

static int
node_is(const xmlNode *n, const char *name, const char *ns)
{
	if (n->type != XML_ELEMENT_NODE || n->name == NULL)
		return 0;
	if (strcmp((const char *)n->name, name) != 0)
		return 0;
	if (ns == NULL)
		return n->ns == NULL || n->ns->href == NULL ||
		    n->ns->href[0] == '\0';
	/* Yandex's namespace is written with and without a trailing slash. */
	return n->ns != NULL && n->ns->href != NULL &&
	    strncmp((const char *)n->ns->href, ns, strlen(ns)) == 0;
}

/* The trimmed text content of a node, or NULL when empty. */
static char *
node_text(const xmlNode *n)
{
	xmlChar *c;
	char *s, *b, *e;

	if ((c = xmlNodeGetContent(n)) == NULL)
		return NULL;
	for (b = (char *)c; *b != '\0' && isspace((unsigned char)*b); b++)
		;
	e = b + strlen(b);
	while (e > b && isspace((unsigned char)e[-1]))
		e--;
	s = e > b ? strndup(b, (size_t)(e - b)) : NULL;
	xmlFree(c);
	return s;
}

static void
set_once(char **dst, char *s)
{
	if (*dst == NULL)
		*dst = s;
	else
		free(s);
}

static int
push_item(struct nw_feed *f, struct nw_feed_item *it)
{
	struct nw_feed_item *nv;

	if (it->key == NULL)
		it->key = it->link != NULL ? strdup(it->link) : NULL;
	if (it->key == NULL) {
		/* No guid and no link: nothing to remember it by. */
		free(it->title);
		free(it->summary);
		free(it->fulltext);
		return 0;
	}
	nv = realloc(f->items, (f->nitems + 1) * sizeof *nv);
	if (nv == NULL)
		return -1;
	f->items = nv;
	f->items[f->nitems++] = *it;
	return 0;
}

static void
rss_item(const xmlNode *item, struct nw_feed_item *it)
{
	const xmlNode *c;
	char *s;

	for (c = item->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (node_is(c, "guid", NULL))
			set_once(&it->key, node_text(c));
		else if (node_is(c, "link", NULL))
			set_once(&it->link, node_text(c));
		else if (node_is(c, "title", NULL))
			set_once(&it->title, node_text(c));
		else if (node_is(c, "description", NULL))
			set_once(&it->summary, node_text(c));
		else if (node_is(c, "pubDate", NULL) ||
		    node_is(c, "date", NS_DC)) {
			if (it->published_ms == 0 && (s = node_text(c))) {
				it->published_ms = nw_feed_date(s);
				free(s);
			}
		} else if (node_is(c, "updated", NS_ATOM)) {
			/* RSS with Atom's <updated>: an item changed in place. */
			if ((s = node_text(c)) != NULL) {
				it->updated_ms = nw_feed_date(s);
				free(s);
			}
		} else if (node_is(c, "full-text", NS_YANDEX)) {
			/* Yandex full text wins over content:encoded. */
			if ((s = node_text(c)) != NULL) {
				free(it->fulltext);
				it->fulltext = s;
				it->fulltext_kind = NW_FULLTEXT_TEXT;
			}
		} else if (node_is(c, "encoded", NS_CONTENT)) {
			if (it->fulltext == NULL &&
			    (it->fulltext = node_text(c)) != NULL)
				it->fulltext_kind = NW_FULLTEXT_HTML;
		}
	}
}

/* Atom content: text, html (escaped), or xhtml (inline elements, which
 * we serialise back so the HTML walker reads them like any fragment). */
static void
atom_content(const xmlNode *c, struct nw_feed_item *it)
{
	xmlChar *type = xmlGetProp(c, (const xmlChar *)"type");
	xmlBufferPtr buf;
	xmlNode *k;

	if (it->fulltext != NULL || xmlHasProp(c, (const xmlChar *)"src"))
		goto out;
	if (type != NULL && strcmp((char *)type, "xhtml") == 0) {
		if ((buf = xmlBufferCreate()) == NULL)
			goto out;
		for (k = c->children; k != NULL; k = k->next)
			xmlNodeDump(buf, c->doc, k, 0, 0);
		if (xmlBufferLength(buf) > 0) {
			it->fulltext =
			    strdup((const char *)xmlBufferContent(buf));
			it->fulltext_kind = NW_FULLTEXT_HTML;
		}
		xmlBufferFree(buf);
	} else if ((it->fulltext = node_text(c)) != NULL)
		it->fulltext_kind =
		    type != NULL && strcmp((char *)type, "html") == 0
		    ? NW_FULLTEXT_HTML
		    : NW_FULLTEXT_TEXT;
out:
	xmlFree(type);
}

static void
atom_entry(const xmlNode *entry, struct nw_feed_item *it)
{
	const xmlNode *c;
	xmlChar *rel, *href;
	char *s;
	int64_t updated = 0;

	for (c = entry->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (node_is(c, "id", NS_ATOM))
			set_once(&it->key, node_text(c));
		else if (node_is(c, "title", NS_ATOM))
			set_once(&it->title, node_text(c));
		else if (node_is(c, "summary", NS_ATOM))
			set_once(&it->summary, node_text(c));
		else if (node_is(c, "link", NS_ATOM)) {
			rel = xmlGetProp(c, (const xmlChar *)"rel");
			href = xmlGetProp(c, (const xmlChar *)"href");
			if (href != NULL &&
			    (rel == NULL ||
				strcmp((char *)rel, "alternate") == 0))
				set_once(&it->link, strdup((char *)href));
			xmlFree(rel);
			xmlFree(href);
		} else if (node_is(c, "published", NS_ATOM)) {
			if ((s = node_text(c)) != NULL) {
				it->published_ms = nw_feed_date(s);
				free(s);
			}
		} else if (node_is(c, "updated", NS_ATOM)) {
			if ((s = node_text(c)) != NULL) {
				updated = nw_feed_date(s);
				free(s);
			}
		} else if (node_is(c, "content", NS_ATOM))
			atom_content(c, it);
	}
	if (it->published_ms == 0)
		it->published_ms = updated;
	it->updated_ms = updated;
}

static char *
cause_fmt(const char *code, const char *msg)
{
	char *s;

	if (asprintf(&s, "%s: %s", code, msg) == -1)
		return NULL;
	return s;
}

static xmlDoc *
read_doc(const void *buf, size_t len, const char *charset, char **cause)
{
	const int opts = XML_PARSE_NONET | XML_PARSE_NOERROR |
	    XML_PARSE_NOWARNING | XML_PARSE_NOCDATA | XML_PARSE_COMPACT;
	xmlParserCtxtPtr ctx;
	xmlDoc *doc = NULL;
	const xmlError *err;
	char msg[256];
	int attempt;

	if (len > (size_t)0x7fffffff) {
		*cause = cause_fmt("too_large", "document over 2 GiB");
		return NULL;
	}
	/* First with the HTTP charset, then with what the document says. */
	for (attempt = charset != NULL ? 0 : 1; attempt < 2; attempt++) {
		if ((ctx = xmlNewParserCtxt()) == NULL)
			break;
		doc = xmlCtxtReadMemory(ctx, buf, (int)len, NULL,
		    attempt == 0 ? charset : NULL, opts);
		if (doc != NULL && ctx->wellFormed) {
			xmlFreeParserCtxt(ctx);
			return doc;
		}
		err = xmlCtxtGetLastError(ctx);
		snprintf(msg, sizeof msg, "line %d: %s",
		    err != NULL ? err->line : 0,
		    err != NULL && err->message != NULL ? err->message
							: "not well-formed");
		msg[strcspn(msg, "\n")] = '\0';
		xmlFreeDoc(doc);
		doc = NULL;
		xmlFreeParserCtxt(ctx);
	}
	free(*cause);
	*cause = cause_fmt("malformed_xml", msg);
	return NULL;
}

int
nw_feed_parse(const void *buf, size_t len, const char *charset,
    struct nw_feed *f, char **cause)
{
	xmlDoc *doc;
	const xmlNode *root, *ch, *c;
	struct nw_feed_item it;
	int atom;

	memset(f, 0, sizeof *f);
	*cause = NULL;
	if ((doc = read_doc(buf, len, charset, cause)) == NULL)
		return -1;
	root = xmlDocGetRootElement(doc);
	atom = root != NULL && node_is(root, "feed", NS_ATOM);
	if (root == NULL ||
	    (!atom && !node_is(root, "rss", NULL) &&
		strcmp((const char *)root->name, "RDF") != 0)) {
		*cause = cause_fmt("not_a_feed", "root is not rss or feed");
		goto fail;
	}
	ch = root;
	if (!atom) { /* RSS 2.0 items live in <channel>; RSS 1.0 beside it */
		for (c = root->children; c != NULL; c = c->next)
			if (node_is(c, "channel", NULL) ||
			    (c->type == XML_ELEMENT_NODE &&
				strcmp((const char *)c->name, "channel") == 0))
				break;
		if (c == NULL) {
			*cause = cause_fmt("not_a_feed", "no channel");
			goto fail;
		}
		ch = c;
	}
	for (c = ch->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (strcmp((const char *)c->name, "title") == 0)
			set_once(&f->title, node_text(c));
	}
	/* RSS 1.0 keeps items next to the channel, RSS 2.0 inside it. */
	for (c = atom ? root->children : ch->children; c != NULL; c = c->next) {
		memset(&it, 0, sizeof it);
		if (atom && node_is(c, "entry", NS_ATOM))
			atom_entry(c, &it);
		else if (!atom && c->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)c->name, "item") == 0)
			rss_item(c, &it);
		else
			continue;
		if (push_item(f, &it) == -1) {
			*cause = cause_fmt("internal", "out of memory");
			goto fail;
		}
	}
	if (!atom && root->children != NULL && ch != root)
		for (c = root->children; c != NULL; c = c->next) {
			if (c == ch || c->type != XML_ELEMENT_NODE ||
			    strcmp((const char *)c->name, "item") != 0)
				continue;
			memset(&it, 0, sizeof it);
			rss_item(c, &it);
			if (push_item(f, &it) == -1) {
				*cause = cause_fmt("internal", "out of memory");
				goto fail;
			}
		}
	xmlFreeDoc(doc);
	return 0;
fail:
	xmlFreeDoc(doc);
	nw_feed_clear(f);
	return -1;
}

void
nw_feed_clear(struct nw_feed *f)
{
	size_t i;

	for (i = 0; i < f->nitems; i++) {
		free(f->items[i].key);
		free(f->items[i].link);
		free(f->items[i].title);
		free(f->items[i].summary);
		free(f->items[i].fulltext);
	}
	free(f->items);
	free(f->title);
	memset(f, 0, sizeof *f);
}

static const char *const months[] = {"jan", "feb", "mar", "apr", "may", "jun",
    "jul", "aug", "sep", "oct", "nov", "dec"};

static const struct {
	const char *name;
	int minutes;
} zones[] = {{"GMT", 0}, {"UT", 0}, {"UTC", 0}, {"Z", 0}, {"EST", -300},
    {"EDT", -240}, {"CST", -360}, {"CDT", -300}, {"MST", -420}, {"MDT", -360},
    {"PST", -480}, {"PDT", -420}, {"MSK", 180}};

/* "+0300", "+03:00", "Z", "GMT": offset east of UTC in minutes. */
static int
zone_offset(const char *s, int *minutes)
{
	size_t i;
	int sign, h, m;

	while (*s == ' ')
		s++;
	if (*s == '+' || *s == '-') {
		sign = *s == '-' ? -1 : 1;
		if (sscanf(s + 1, "%2d:%2d", &h, &m) == 2 ||
		    sscanf(s + 1, "%2d%2d", &h, &m) == 2) {
			*minutes = sign * (h * 60 + m);
			return 0;
		}
		return -1;
	}
	if (*s == '\0') {
		*minutes = 0; /* no zone: UTC is the least surprising guess */
		return 0;
	}
	for (i = 0; i < sizeof zones / sizeof zones[0]; i++)
		if (strncasecmp(s, zones[i].name, strlen(zones[i].name)) == 0) {
			*minutes = zones[i].minutes;
			return 0;
		}
	return -1;
}

static int64_t
to_ms(struct tm *tm, int frac_ms, int off_minutes)
{
	time_t t;

	if (tm->tm_mon < 0 || tm->tm_mon > 11 || tm->tm_mday < 1 ||
	    tm->tm_mday > 31 || tm->tm_hour > 23 || tm->tm_min > 59 ||
	    tm->tm_sec > 60 || tm->tm_year < 70 || tm->tm_year > 1100)
		return 0;
	if ((t = timegm(tm)) == (time_t)-1)
		return 0;
	return ((int64_t)t - (int64_t)off_minutes * 60) * 1000 + frac_ms;
}

int64_t
nw_feed_date(const char *s)
{
	struct tm tm;
	char mon[4], frac[10];
	int n = 0, off = 0, fl, i;
	int frac_ms = 0;
	const char *p;

	if (s == NULL)
		return 0;
	while (isspace((unsigned char)*s))
		s++;
	memset(&tm, 0, sizeof tm);
	/* RFC 3339: 2026-11-26T17:45:16.123+03:00 */
	if (sscanf(s, "%4d-%2d-%2d%*[Tt ]%2d:%2d:%2d%n", &tm.tm_year,
		&tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec,
		&n) == 6) {
		tm.tm_year -= 1900;
		tm.tm_mon -= 1;
		p = s + n;
		if (*p == '.' && sscanf(p + 1, "%9[0-9]%n", frac, &fl) == 1) {
			for (i = 0; i < 3; i++)
				frac_ms =
				    frac_ms * 10 + (i < fl ? frac[i] - '0' : 0);
			p += 1 + fl;
		}
		if (zone_offset(p, &off) == -1)
			return 0;
		return to_ms(&tm, frac_ms, off);
	}
	/* RFC 822: [Thu, ]26 Nov 2026 17:45[:16] +0300 */
	if ((p = strchr(s, ',')) != NULL)
		s = p + 1;
	n = 0;
	if (sscanf(s, "%2d %3s %4d %2d:%2d%n", &tm.tm_mday, mon, &tm.tm_year,
		&tm.tm_hour, &tm.tm_min, &n) != 5)
		return 0;
	p = s + n;
	if (*p == ':' && sscanf(p, ":%2d%n", &tm.tm_sec, &fl) == 1)
		p += fl;
	tm.tm_mon = -1;
	for (i = 0; i < 12; i++)
		if (strncasecmp(mon, months[i], 3) == 0)
			tm.tm_mon = i;
	if (tm.tm_year < 100) /* two-digit years of RFC 822 */
		tm.tm_year += tm.tm_year < 70 ? 2000 : 1900;
	tm.tm_year -= 1900;
	if (zone_offset(p, &off) == -1)
		return 0;
	return to_ms(&tm, 0, off);
}
