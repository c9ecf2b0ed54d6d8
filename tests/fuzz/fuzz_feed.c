/* libFuzzer target: the feed source's extraction of untrusted bytes, as an
 * RSS/Atom document (items and their full-text dispatches) and as an HTML
 * article page. The first byte picks the charset the HTTP header claimed. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "feed_extract.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const charsets[] = {
    NULL, "utf-8", "windows-1251", "koi8-r", "iso-8859-1"};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *cs = NULL;
	struct nw_feed feed;
	struct nw_article art;
	char *cause = NULL, *text;
	size_t i, len;

	if (size > 0) {
		cs = charsets[data[0] % (sizeof charsets / sizeof charsets[0])];
		data++;
		size--;
	}
	if (nw_feed_parse(data, size, cs, &feed, &cause) == 0) {
		for (i = 0; i < feed.nitems; i++) {
			text = nw_feed_item_text(&feed.items[i], &len);
			free(text);
			nw_feed_date(feed.items[i].key);
		}
		nw_feed_clear(&feed);
	}
	free(cause);
	cause = NULL;
	if (nw_article_from_html(data, size, cs, &art, &cause) == 0) {
		text = nw_article_text(&art, &len);
		free(text);
		nw_article_clear(&art);
	}
	free(cause);
	return 0;
}
