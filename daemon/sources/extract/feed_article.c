/* Article extraction from an HTML page, by the page's general structure:
 * JSON-LD NewsArticle, OpenGraph and <meta> for the headline, lede and date;
 * the <article> element (or the block holding most paragraph text) for the
 * body. Navigation, related links and advertising are dropped by what they
 * are (nav/aside/footer, ARIA roles, link density, generic ad/related
 * markers), never by one site's class names. Pure: bytes in, text out. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "feed_extract.h"

/* A growable byte buffer. */
struct sbuf {
	char *s;
	size_t len, cap;
};

static int
sbuf_add(struct sbuf *b, const char *s, size_t n)
{
	char *ns;
	size_t ncap;

	if (b->len + n + 1 > b->cap) {
		ncap = b->cap ? b->cap : 256;
		while (ncap < b->len + n + 1)
			ncap *= 2;
		if ((ns = realloc(b->s, ncap)) == NULL)
			return -1;
		b->s = ns;
		b->cap = ncap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
	return 0;
}

/* Append text collapsing runs of white space (including NBSP) to one
 * space, never starting a paragraph with one. */
static int
sbuf_add_text(struct sbuf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int sp;

	for (; *p != '\0'; p++) {
		sp = isspace(*p) || (p[0] == 0xc2 && p[1] == 0xa0);
		if (sp) {
			if (p[0] == 0xc2)
				p++;
			if (b->len > 0 && b->s[b->len - 1] != ' ' &&
			    sbuf_add(b, " ", 1) == -1)
				return -1;
		} else if (sbuf_add(b, (const char *)p, 1) == -1)
			return -1;
	}
	return 0;
}

/* The collapsed text, trimmed, malloc'd; NULL when empty. */
static char *
sbuf_take(struct sbuf *b)
{
	char *s;
	size_t len = b->len;

	while (len > 0 && b->s[len - 1] == ' ')
		len--;
	s = len > 0 ? strndup(b->s, len) : NULL;
	b->len = 0;
	if (b->s != NULL)
		b->s[0] = '\0';
	return s;
}

static char *
collapse(const char *s)
{
	struct sbuf b = {0};
	char *r;

	if (s == NULL || sbuf_add_text(&b, s) == -1) {
		free(b.s);
		return NULL;
	}
	r = sbuf_take(&b);
	free(b.s);
	return r;
}

static int
is_elem(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->name != NULL &&
	    strcasecmp((const char *)n->name, name) == 0;
}

static int
name_in(const xmlNode *n, const char *const *names)
{
	for (; *names != NULL; names++)
		if (is_elem(n, *names))
			return 1;
	return 0;
}

static char *
attr(const xmlNode *n, const char *name)
{
	return (char *)xmlGetProp(n, (const xmlChar *)name);
}

/* Whether a class or id attribute holds one of the words (split on space,
 * '-' and '_'), case-insensitively. */
static int
attr_has_word(const xmlNode *n, const char *aname, const char *const *words)
{
	char *v, *p, *tok, *save = NULL;
	const char *const *w;
	int hit = 0;

	if ((v = attr(n, aname)) == NULL)
		return 0;
	for (p = v; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	for (tok = strtok_r(v, " \t\n-_", &save); tok != NULL && !hit;
	     tok = strtok_r(NULL, " \t\n-_", &save))
		for (w = words; *w != NULL && !hit; w++)
			hit = strcmp(tok, *w) == 0;
	xmlFree(v);
	return hit;
}

static int
marked(const xmlNode *n, const char *const *words)
{
	return attr_has_word(n, "class", words) ||
	    attr_has_word(n, "id", words);
}

/* Generic words that mark page furniture on any site. */
static const char *const furniture_words[] = {"ad", "ads", "adv", "advert",
    "advertisement", "adsbygoogle", "banner", "promo", "sponsor", "sponsored",
    "related", "recommended", "recommendations", "share", "sharing", "social",
    "subscribe", "subscription", "newsletter", "comments", "comment",
    "breadcrumb", "breadcrumbs", "sidebar", "popular", "readmore", "teaser",
    "teasers", "outbrain", "taboola", "tags", "menu", "navbar", "paywall",
    "cookie", "cookies", "byline", NULL};

static const char *const skip_tags[] = {"script", "style", "noscript", "iframe",
    "nav", "aside", "footer", "form", "button", "svg", "template", "select",
    "input", "textarea", "object", "embed", "video", "audio", "canvas", "map",
    "dialog", "menu", "head", "title", NULL};

static const char *const skip_roles[] = {"navigation", "complementary",
    "banner", "contentinfo", "menu", "menubar", "search", "dialog",
    "alertdialog", "toolbar", NULL};

static const char *const block_tags[] = {"p", "div", "section", "article",
    "main", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt",
    "dd", "blockquote", "pre", "table", "tr", "td", "th", "tbody", "thead",
    "figure", "figcaption", "header", "hr", "address", "center", "body", NULL};

static const char *const container_tags[] = {
    "div", "section", "ul", "ol", "table", "dl", "header", NULL};

static size_t
text_len(const xmlNode *n, int links_only, int in_link)
{
	const xmlNode *c;
	size_t len = 0;
	const unsigned char *p;

	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
		if (links_only && !in_link)
			return 0;
		for (p = n->content; p != NULL && *p != '\0'; p++)
			len += !isspace(*p);
		return len;
	}
	if (n->type != XML_ELEMENT_NODE || name_in(n, skip_tags))
		return 0;
	in_link = in_link || is_elem(n, "a");
	for (c = n->children; c != NULL; c = c->next)
		len += text_len(c, links_only, in_link);
	return len;
}

static size_t
count_elems(const xmlNode *n, const char *name)
{
	const xmlNode *c;
	size_t k = is_elem(n, name);

	for (c = n->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			k += count_elems(c, name);
	return k;
}

/* Mostly links: a menu, a list of related stories, a tag cloud. A single
 * link inside running text is fine; a paragraph that is one link
 * ("Read also: ...") is not. */
static int
link_dense(const xmlNode *n)
{
	size_t all = text_len(n, 0, 0), links;

	if (all == 0)
		return 0;
	links = text_len(n, 1, 0);
	if (is_elem(n, "p") || is_elem(n, "li"))
		return links * 10 >= all * 8;
	return links * 2 > all && count_elems(n, "a") >= 2;
}

static int
is_hidden(const xmlNode *n)
{
	char *v;
	int hidden = 0;

	if (xmlHasProp(n, (const xmlChar *)"hidden"))
		return 1;
	if ((v = attr(n, "aria-hidden")) != NULL) {
		hidden = strcasecmp(v, "true") == 0;
		xmlFree(v);
	}
	if (!hidden && (v = attr(n, "style")) != NULL) {
		hidden = strstr(v, "display:none") != NULL ||
		    strstr(v, "display: none") != NULL;
		xmlFree(v);
	}
	return hidden;
}

static int
has_data_ad_attr(const xmlNode *n)
{
	const xmlAttr *a;

	for (a = n->properties; a != NULL; a = a->next)
		if (strncasecmp((const char *)a->name, "data-ad", 7) == 0)
			return 1;
	return 0;
}

/* Whether a subtree is page furniture rather than article text. */
static int
is_furniture(const xmlNode *n)
{
	char *role;
	size_t i;
	int skip = 0;

	if (name_in(n, skip_tags) || is_hidden(n) || has_data_ad_attr(n))
		return 1;
	if ((role = attr(n, "role")) != NULL) {
		for (i = 0; skip_roles[i] != NULL && !skip; i++)
			skip = strcasecmp(role, skip_roles[i]) == 0;
		xmlFree(role);
		if (skip)
			return 1;
	}
	if (is_elem(n, "figure") || is_elem(n, "figcaption"))
		return 0;
	if (marked(n, furniture_words))
		return 1;
	return (name_in(n, container_tags) || is_elem(n, "p") ||
		   is_elem(n, "li")) &&
	    link_dense(n);
}

struct walk {
	struct nw_article *art;
	struct sbuf para;
	const xmlNode *skip; /* the headline element, already taken */
	const xmlNode *lede; /* the lede element, already taken */
	char *dateline;      /* a separate dateline element's text */
	int err;
};

static void
flush(struct walk *w)
{
	char *s, *j;

	if ((s = sbuf_take(&w->para)) == NULL)
		return;
	if (w->dateline != NULL) {
		if (asprintf(&j, "%s %s", w->dateline, s) == -1) {
			w->err = 1;
			free(s);
			return;
		}
		free(s);
		free(w->dateline);
		w->dateline = NULL;
		s = j;
	}
	if (nw_strv_push(&w->art->body, s) == -1)
		w->err = 1;
	free(s);
}

static const char *const credit_words[] = {
    "credit", "credits", "copyright", "author", "source", "photographer", NULL};

static int
looks_like_credit(const char *s)
{
	return strncmp(s, "\xc2\xa9", 2) == 0 ||
	    strncasecmp(s, "photo:", 6) == 0 ||
	    strncmp(s, "\xd0\xa4\xd0\xbe\xd1\x82\xd0\xbe:", 9) == 0; /* Фото: */
}

static void
gather_text(const xmlNode *n, struct sbuf *b, const xmlNode *except)
{
	const xmlNode *c;

	if (n == except)
		return;
	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
		if (n->content != NULL)
			sbuf_add_text(b, (const char *)n->content);
		return;
	}
	if (n->type != XML_ELEMENT_NODE || name_in(n, skip_tags))
		return;
	if (is_elem(n, "br") || name_in(n, block_tags))
		sbuf_add_text(b, " ");
	for (c = n->children; c != NULL; c = c->next)
		gather_text(c, b, except);
}

static const xmlNode *
find_credit(const xmlNode *n)
{
	const xmlNode *c, *r;
	struct sbuf b = {0};
	char *s;
	int hit;

	for (c = n->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		hit = is_elem(c, "cite") || is_elem(c, "small") ||
		    marked(c, credit_words);
		if (!hit) {
			gather_text(c, &b, NULL);
			s = sbuf_take(&b);
			hit = s != NULL && looks_like_credit(s);
			free(s);
		}
		if (hit) {
			free(b.s);
			return c;
		}
		if ((r = find_credit(c)) != NULL) {
			free(b.s);
			return r;
		}
	}
	free(b.s);
	return NULL;
}

/* "© Name/AGENCY" -> "Name/AGENCY"; the layout writes the © back. */
static char *
strip_credit_mark(char *s)
{
	char *p = s;

	if (s == NULL)
		return NULL;
	if (strncmp(p, "\xc2\xa9", 2) == 0)
		p += 2;
	else if (strncasecmp(p, "photo:", 6) == 0)
		p += 6;
	while (*p == ' ')
		p++;
	if (*p == '\0') {
		free(s);
		return NULL;
	}
	memmove(s, p, strlen(p) + 1);
	return s;
}

static void
add_caption(struct walk *w, const xmlNode *figcap)
{
	struct nw_article_caption *nv, *cap;
	const xmlNode *cr = find_credit(figcap);
	struct sbuf b = {0};
	char *text, *credit = NULL, *mark;

	gather_text(figcap, &b, cr);
	text = sbuf_take(&b);
	if (cr != NULL) {
		gather_text(cr, &b, NULL);
		credit = strip_credit_mark(sbuf_take(&b));
	} else if (text != NULL && (mark = strstr(text, "\xc2\xa9")) != NULL) {
		/* "Caption © Name/AGENCY" in one run of text. */
		credit = strip_credit_mark(strdup(mark));
		*mark = '\0';
		while (mark > text && mark[-1] == ' ')
			*--mark = '\0';
		if (*text == '\0') {
			free(text);
			text = NULL;
		}
	}
	free(b.s);
	if (text == NULL && credit == NULL)
		return;
	nv = realloc(w->art->captions, (w->art->ncaptions + 1) * sizeof *nv);
	if (nv == NULL) {
		free(text);
		free(credit);
		w->err = 1;
		return;
	}
	w->art->captions = nv;
	cap = &nv[w->art->ncaptions++];
	cap->text = text;
	cap->credit = credit;
}

static const char *const dateline_words[] = {"dateline", NULL};

static void
walk(struct walk *w, const xmlNode *n)
{
	const xmlNode *c;
	int block;

	for (; n != NULL && !w->err; n = n->next) {
		if (n->type == XML_TEXT_NODE ||
		    n->type == XML_CDATA_SECTION_NODE) {
			if (n->content != NULL &&
			    sbuf_add_text(&w->para, (const char *)n->content) ==
				-1)
				w->err = 1;
			continue;
		}
		if (n->type != XML_ELEMENT_NODE)
			continue;
		/* The header holds the headline, lede, byline and time,
		 * taken (or dropped) separately. */
		if (n == w->skip || n == w->lede || is_furniture(n) ||
		    is_elem(n, "header") || is_elem(n, "time") ||
		    is_elem(n, "address"))
			continue;
		if (is_elem(n, "figure")) {
			flush(w);
			for (c = n->children; c != NULL; c = c->next)
				if (is_elem(c, "figcaption"))
					add_caption(w, c);
			continue;
		}
		if (is_elem(n, "figcaption")) {
			add_caption(w, n);
			continue;
		}
		if (marked(n, dateline_words)) {
			/* A fresh buffer each time: a page may mark several
			 * elements as its dateline. */
			struct sbuf b = {0};

			flush(w);
			gather_text(n, &b, NULL);
			free(w->dateline);
			w->dateline = sbuf_take(&b);
			free(b.s);
			continue;
		}
		if (is_elem(n, "br")) {
			/* <br><br> separates paragraphs in older markup. */
			if (n->next != NULL && is_elem(n->next, "br"))
				flush(w);
			else
				sbuf_add_text(&w->para, " ");
			continue;
		}
		if (is_elem(n, "img") || is_elem(n, "picture"))
			continue;
		block = name_in(n, block_tags);
		if (block)
			flush(w);
		walk(w, n->children);
		if (block)
			flush(w);
	}
}

/* The element holding the article body: the <article> (or itemprop
 * articleBody) with most paragraph text, else the element whose <p>
 * children hold most text. */
struct best {
	const xmlNode *node;
	size_t score;
};

static size_t
para_text(const xmlNode *n)
{
	const xmlNode *c;
	size_t s = 0;

	if (n->type != XML_ELEMENT_NODE || is_furniture(n))
		return 0;
	if (is_elem(n, "p"))
		return text_len(n, 0, 0);
	for (c = n->children; c != NULL; c = c->next)
		s += para_text(c);
	return s;
}

static void
find_marked_root(const xmlNode *n, struct best *b)
{
	char *ip;
	size_t s;
	int cand;

	for (; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		cand = is_elem(n, "article");
		if (!cand && (ip = attr(n, "itemprop")) != NULL) {
			cand = strcasecmp(ip, "articleBody") == 0;
			xmlFree(ip);
		}
		if (cand && (s = para_text(n)) > b->score) {
			b->score = s;
			b->node = n;
		}
		if (name_in(n, skip_tags))
			continue;
		find_marked_root(n->children, b);
	}
}

static void
find_dense_root(const xmlNode *n, struct best *b)
{
	const xmlNode *c;
	size_t s;

	for (; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE || is_furniture(n))
			continue;
		s = 0;
		for (c = n->children; c != NULL; c = c->next)
			if (is_elem(c, "p") && !is_furniture(c))
				s += text_len(c, 0, 0);
		if (s > b->score) {
			b->score = s;
			b->node = n;
		}
		find_dense_root(n->children, b);
	}
}

static const xmlNode *
first_elem(const xmlNode *n, const char *name)
{
	const xmlNode *r;

	for (; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (is_elem(n, name))
			return n;
		if (is_furniture(n) && !is_elem(n, "head"))
			continue;
		if ((r = first_elem(n->children, name)) != NULL)
			return r;
	}
	return NULL;
}

static const char *const lede_words[] = {"lead", "lede", "intro", "summary",
    "subtitle", "standfirst", "deck", "subheadline", "description", NULL};

/* An element near the top of the article marked as its lede. */
static const xmlNode *
find_lede(const xmlNode *n)
{
	const xmlNode *r;

	for (; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (is_furniture(n) && !is_elem(n, "header"))
			continue;
		if (marked(n, lede_words) && text_len(n, 0, 0) > 0)
			return n;
		if (is_elem(n, "p") || is_elem(n, "figure"))
			return NULL; /* the body has begun */
		if ((r = find_lede(n->children)) != NULL)
			return r;
	}
	return NULL;
}

static char *
node_collapsed(const xmlNode *n)
{
	struct sbuf b = {0};
	char *s;

	gather_text(n, &b, NULL);
	s = sbuf_take(&b);
	free(b.s);
	return s;
}

/* <meta property|name="key" content="..."> in the head. */
static char *
meta(const xmlNode *n, const char *key)
{
	const xmlNode *c;
	char *p, *v = NULL;

	for (; n != NULL && v == NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (is_elem(n, "meta")) {
			if ((p = attr(n, "property")) == NULL)
				p = attr(n, "name");
			if (p != NULL && strcasecmp(p, key) == 0) {
				xmlFree(p);
				p = attr(n, "content");
				v = collapse(p);
			}
			xmlFree(p);
			continue;
		}
		if (is_elem(n, "body") || is_elem(n, "script"))
			continue;
		c = n->children;
		v = meta(c, key);
	}
	return v;
}

struct ld {
	char *headline, *description, *body;
	int64_t published_ms;
	int found; /* the first article object wins */
};

static int
ld_type_is_article(json_t *t)
{
	static const char *const types[] = {"NewsArticle", "Article",
	    "ReportageNewsArticle", "AnalysisNewsArticle", "BlogPosting",
	    "OpinionNewsArticle", "BackgroundNewsArticle", "LiveBlogPosting",
	    NULL};
	const char *const *k;

	if (!json_is_string(t))
		return 0;
	for (k = types; *k != NULL; k++)
		if (strcmp(json_string_value(t), *k) == 0)
			return 1;
	return 0;
}

static int
ld_is_article(json_t *o)
{
	json_t *t = json_object_get(o, "@type"), *e;
	size_t i;

	if (json_is_array(t)) {
		json_array_foreach(t, i, e)
		{
			if (ld_type_is_article(e))
				return 1;
		}
		return 0;
	}
	return ld_type_is_article(t);
}

static void
ld_take(json_t *o, struct ld *ld, int depth)
{
	json_t *e;
	size_t i;

	if (depth > 8 || ld->found)
		return;
	if (json_is_array(o)) {
		json_array_foreach(o, i, e)
		{
			ld_take(e, ld, depth + 1);
		}
		return;
	}
	if (!json_is_object(o))
		return;
	if (ld_is_article(o)) {
		ld->found = 1;
		ld->headline =
		    collapse(json_string_value(json_object_get(o, "headline")));
		ld->description = collapse(
		    json_string_value(json_object_get(o, "description")));
		e = json_object_get(o, "articleBody");
		if (json_is_string(e))
			ld->body = strdup(json_string_value(e));
		ld->published_ms = nw_feed_date(
		    json_string_value(json_object_get(o, "datePublished")));
		return;
	}
	ld_take(json_object_get(o, "@graph"), ld, depth + 1);
}

static void
find_ld(const xmlNode *n, struct ld *ld)
{
	char *type;
	xmlChar *c;
	json_t *j;

	for (; n != NULL && !ld->found; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (is_elem(n, "script")) {
			type = attr(n, "type");
			if (type != NULL &&
			    strcasecmp(type, "application/ld+json") == 0 &&
			    (c = xmlNodeGetContent(n)) != NULL) {
				j = json_loads((const char *)c,
				    JSON_DECODE_ANY | JSON_REJECT_DUPLICATES,
				    NULL);
				ld_take(j, ld, 0);
				json_decref(j);
				xmlFree(c);
			}
			xmlFree(type);
			continue;
		}
		find_ld(n->children, ld);
	}
}

/* Whether a is b, or the start of b (a truncated og:description). */
static int
same_start(const char *a, const char *b)
{
	size_t n = strlen(a);

	while (n > 0 && (a[n - 1] == '.' || a[n - 1] == ' '))
		n--;
	if (n >= 3 && strcmp(a + n - 3, "\xe2\x80\xa6") == 0) /* … */
		n -= 3;
	while (n > 0 && (a[n - 1] == '.' || a[n - 1] == ' '))
		n--;
	return n > 0 && strncmp(a, b, n) == 0;
}

/* Plain text with paragraphs on their own lines. */
static int
body_from_text(const char *s, size_t len, struct nw_article *art)
{
	const char *p = s, *end = s + len, *nl;
	char *line, *c;
	int rc = 0;

	while (p < end && rc == 0) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		if ((line = strndup(p, (size_t)(nl - p))) == NULL)
			return -1;
		if ((c = collapse(line)) != NULL)
			rc = nw_strv_push(&art->body, c);
		free(c);
		free(line);
		p = nl + 1;
	}
	return rc;
}

static void
walk_run(struct walk *w, const xmlNode *root)
{
	walk(w, root->children);
	flush(w);
	if (w->dateline != NULL) { /* a dateline with nothing after it */
		nw_strv_push(&w->art->body, w->dateline);
		free(w->dateline);
		w->dateline = NULL;
	}
	free(w->para.s);
	w->para.s = NULL;
}

static const int html_opts = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
    HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_NOIMPLIED;

int
nw_article_body_from_fragment(
    const char *s, size_t len, enum nw_fulltext kind, struct nw_article *art)
{
	htmlDocPtr doc;
	struct walk w;
	const xmlNode *root;

	if (kind != NW_FULLTEXT_HTML)
		return body_from_text(s, len, art);
	if (len > (size_t)0x7fffffff)
		return -1;
	/* libxml2 already decoded the feed: the fragment is UTF-8. */
	doc = htmlReadMemory(
	    s, (int)len, NULL, "UTF-8", html_opts & ~HTML_PARSE_NOIMPLIED);
	if (doc == NULL)
		return body_from_text(s, len, art);
	memset(&w, 0, sizeof w);
	w.art = art;
	if ((root = xmlDocGetRootElement(doc)) != NULL)
		walk_run(&w, root);
	xmlFreeDoc(doc);
	return w.err ? -1 : 0;
}

int
nw_article_from_html(const void *buf, size_t len, const char *charset,
    struct nw_article *art, char **cause)
{
	htmlDocPtr doc = NULL;
	const xmlNode *top, *h1, *lede_el = NULL;
	struct best b = {0};
	struct ld ld = {0};
	struct walk w;
	char *s;

	memset(art, 0, sizeof *art);
	*cause = NULL;
	if (len == 0 || len > (size_t)0x7fffffff) {
		*cause = strdup(len ? "too_large: page over 2 GiB"
				    : "no_article: empty page");
		return -1;
	}
	doc = htmlReadMemory(buf, (int)len, NULL, charset, html_opts);
	if (doc == NULL || (top = xmlDocGetRootElement(doc)) == NULL) {
		*cause = strdup("no_article: not an HTML document");
		goto fail;
	}
	find_ld(top, &ld);
	find_marked_root(top, &b);
	if (b.node == NULL || b.score == 0) {
		b.score = 0;
		b.node = NULL;
		find_dense_root(top, &b);
	}

	art->headline = ld.headline;
	ld.headline = NULL;
	h1 = b.node != NULL ? first_elem(b.node->children, "h1") : NULL;
	if (h1 == NULL)
		h1 = first_elem(top, "h1");
	if (art->headline == NULL && h1 != NULL)
		art->headline = node_collapsed(h1);
	if (art->headline == NULL)
		art->headline = meta(top, "og:title");
	if (art->headline == NULL && (h1 = first_elem(top, "title")) != NULL)
		art->headline = node_collapsed(h1);

	if (b.node != NULL && (lede_el = find_lede(b.node->children)) != NULL)
		art->lede = node_collapsed(lede_el);

	memset(&w, 0, sizeof w);
	w.art = art;
	w.skip = h1;
	w.lede = lede_el;
	if (b.node != NULL)
		walk_run(&w, b.node);
	if (w.err) {
		*cause = strdup("internal: out of memory");
		goto fail;
	}
	if (art->body.n == 0 && ld.body != NULL &&
	    body_from_text(ld.body, strlen(ld.body), art) == -1) {
		*cause = strdup("internal: out of memory");
		goto fail;
	}
	if (art->body.n == 0) {
		*cause = strdup("no_article: no article text found");
		goto fail;
	}
	if (art->lede == NULL) {
		s = ld.description;
		ld.description = NULL;
		if (s == NULL)
			s = meta(top, "og:description");
		if (s == NULL)
			s = meta(top, "description");
		/* Only a lede the body doesn't already start with. */
		if (s != NULL && same_start(s, art->body.v[0]))
			free(s);
		else
			art->lede = s;
	}
	art->published_ms = ld.published_ms;
	if (art->published_ms == 0 &&
	    (s = meta(top, "article:published_time")) != NULL) {
		art->published_ms = nw_feed_date(s);
		free(s);
	}
	free(ld.headline);
	free(ld.description);
	free(ld.body);
	xmlFreeDoc(doc);
	return 0;
fail:
	free(ld.headline);
	free(ld.description);
	free(ld.body);
	xmlFreeDoc(doc);
	nw_article_clear(art);
	return -1;
}

char *
nw_article_text(const struct nw_article *art, size_t *lenp)
{
	struct sbuf b = {0};
	size_t i;
	int rc = 0;

	if (art->headline != NULL) {
		rc |= sbuf_add(&b, art->headline, strlen(art->headline));
		rc |= sbuf_add(&b, "\n\n", 2);
	}
	if (art->lede != NULL) {
		rc |= sbuf_add(&b, art->lede, strlen(art->lede));
		rc |= sbuf_add(&b, "\n", 1);
	}
	for (i = 0; i < art->ncaptions; i++) {
		if (art->captions[i].text != NULL) {
			rc |= sbuf_add(&b, art->captions[i].text,
			    strlen(art->captions[i].text));
			rc |= sbuf_add(&b, "\n", 1);
		}
		if (art->captions[i].credit != NULL) {
			rc |= sbuf_add(&b, "\xc2\xa9 ", 3);
			rc |= sbuf_add(&b, art->captions[i].credit,
			    strlen(art->captions[i].credit));
			rc |= sbuf_add(&b, "\n", 1);
		}
	}
	if (art->lede != NULL || art->ncaptions > 0)
		rc |= sbuf_add(&b, "\n", 1);
	for (i = 0; i < art->body.n; i++) {
		rc |= sbuf_add(&b, art->body.v[i], strlen(art->body.v[i]));
		rc |= sbuf_add(&b, i + 1 < art->body.n ? "\n\n" : "\n",
		    i + 1 < art->body.n ? 2 : 1);
	}
	if (rc != 0 || b.s == NULL) {
		free(b.s);
		return NULL;
	}
	if (lenp != NULL)
		*lenp = b.len;
	return b.s;
}

void
nw_article_clear(struct nw_article *art)
{
	size_t i;

	free(art->headline);
	free(art->lede);
	for (i = 0; i < art->ncaptions; i++) {
		free(art->captions[i].text);
		free(art->captions[i].credit);
	}
	free(art->captions);
	nw_strv_clear(&art->body);
	memset(art, 0, sizeof *art);
}

char *
nw_feed_item_text(const struct nw_feed_item *it, size_t *lenp)
{
	struct nw_article art;
	char *text = NULL;

	if (it->fulltext == NULL || it->fulltext_kind == NW_FULLTEXT_NONE)
		return NULL;
	memset(&art, 0, sizeof art);
	if (nw_article_body_from_fragment(it->fulltext, strlen(it->fulltext),
		it->fulltext_kind, &art) == 0 &&
	    art.body.n > 0) {
		art.headline = it->title != NULL ? collapse(it->title) : NULL;
		text = nw_article_text(&art, lenp);
	}
	nw_article_clear(&art);
	return text;
}
