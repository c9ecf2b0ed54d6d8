/* http-extract: runs the feed and article extraction on a file and prints
 * what the feed source would hand the pipeline, for the golden tests.
 *   http-extract article FILE [CHARSET]
 *   http-extract feed FILE [CHARSET] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "feed_extract.h"

static char *
slurp(const char *path, size_t *lenp)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, len = 0, n;

	if (f == NULL)
		return NULL;
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			if ((buf = realloc(buf, cap)) == NULL)
				exit(1);
		}
		if ((n = fread(buf + len, 1, cap - len, f)) == 0)
			break;
		len += n;
	}
	fclose(f);
	*lenp = len;
	return buf;
}

static void
iso(int64_t ms, char *out, size_t size)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int
main(int argc, char **argv)
{
	const char *cs = argc > 3 ? argv[3] : NULL;
	struct nw_article art;
	struct nw_feed feed;
	char *buf, *cause = NULL, *text, when[32];
	size_t len, i;
	static const char *const kinds[] = {"none", "text", "html"};

	if (argc < 3 || (buf = slurp(argv[2], &len)) == NULL) {
		fprintf(stderr, "usage: http-extract article|feed FILE [CS]\n");
		return 2;
	}
	if (strcmp(argv[1], "article") == 0) {
		if (nw_article_from_html(buf, len, cs, &art, &cause) == -1) {
			printf("error: %s\n", cause);
			free(cause);
			free(buf);
			return 1;
		}
		text = nw_article_text(&art, NULL);
		fputs(text, stdout);
		if (art.published_ms != 0) {
			iso(art.published_ms, when, sizeof when);
			fprintf(stderr, "published=%s\n", when);
		}
		free(text);
		nw_article_clear(&art);
		free(buf);
		return 0;
	}
	if (nw_feed_parse(buf, len, cs, &feed, &cause) == -1) {
		printf("error: %s\n", cause);
		free(cause);
		free(buf);
		return 1;
	}
	printf("feed: %s\n", feed.title != NULL ? feed.title : "");
	for (i = 0; i < feed.nitems; i++) {
		iso(feed.items[i].published_ms, when, sizeof when);
		printf("\nitem key=%s link=%s published=%s fulltext=%s\n",
		    feed.items[i].key,
		    feed.items[i].link ? feed.items[i].link : "-",
		    feed.items[i].published_ms ? when : "-",
		    kinds[feed.items[i].fulltext_kind]);
		if ((text = nw_feed_item_text(&feed.items[i], NULL)) != NULL)
			printf("%s", text);
		else
			printf("(title) %s\n", feed.items[i].title);
		free(text);
	}
	nw_feed_clear(&feed);
	free(buf);
	return 0;
}
