/* libFuzzer target for the quotation stage on its own: arbitrary lede and
 * paragraphs in either language go straight to nw_quotes_extract, so the
 * fuzzer spends its time on marks, cues and names rather than on the
 * headline block. Beyond "no crash, no leak, no sanitizer report" it checks
 * what the stage promises: each quotation's offset cuts exactly its text
 * out of its paragraph (or the lede), speakers are valid indexes, and each
 * speaker's count is the number of quotations naming it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "newswire/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Byte offset of code point n in s, or -1 past the end. */
static long
cp_offset(const char *s, size_t n)
{
	size_t i = 0, cp = 0, len = strlen(s);

	while (cp < n) {
		if (i >= len)
			return -1;
		i++;
		while (i < len && ((unsigned char)s[i] & 0xc0) == 0x80)
			i++;
		cp++;
	}
	return (long)i;
}

static void
check(const struct nw_event *ev)
{
	size_t i, *count;

	if ((count = calloc(ev->nspeakers + 1, sizeof *count)) == NULL)
		return;
	for (i = 0; i < ev->nquotes; i++) {
		const struct nw_quote *q = &ev->quotes[i];
		const char *para;
		long a, b;

		para = q->in_lede
		    ? ev->lede
		    : (q->paragraph < ev->body.n ? ev->body.v[q->paragraph]
						 : NULL);
		if (para == NULL || q->text == NULL || q->start > q->end)
			abort();
		a = cp_offset(para, q->start);
		b = cp_offset(para, q->end);
		if (a < 0 || b < 0 || (size_t)(b - a) != strlen(q->text) ||
		    memcmp(para + a, q->text, (size_t)(b - a)) != 0)
			abort();
		if (q->speaker >= 0) {
			if ((size_t)q->speaker >= ev->nspeakers)
				abort();
			count[q->speaker]++;
		}
	}
	for (i = 0; i < ev->nspeakers; i++)
		if (ev->speakers[i].name == NULL ||
		    ev->speakers[i].quotes != count[i])
			abort();
	free(count);
}

/* The stage reads what nw_parse gives it: valid UTF-8 without NULs. */
static int
valid(const char *s, size_t n)
{
	utf8proc_int32_t c;
	utf8proc_ssize_t k;

	while (n > 0) {
		k = utf8proc_iterate(
		    (const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &c);
		if (k <= 0 || c == 0)
			return 0;
		s += k;
		n -= (size_t)k;
	}
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nw_event *ev;
	const char *p, *end, *nl;
	char *json;
	int first = 1;

	if (size < 1)
		return 0;
	if ((ev = nw_event_new()) == NULL)
		return 0;
	/* first byte: bit 0 the language, bit 1 the first line is the lede */
	memcpy(ev->language, (data[0] & 1) ? "ru" : "en", 3);
	p = (const char *)data + 1;
	end = (const char *)data + size;
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		if (valid(p, (size_t)(nl - p))) {
			if (first && (data[0] & 2))
				ev->lede = strndup(p, (size_t)(nl - p));
			else
				nw_strv_pushn(&ev->body, p, (size_t)(nl - p));
		}
		first = 0;
		p = nl + 1;
	}
	nw_quotes_extract(ev);
	check(ev);
	if ((json = nw_event_json(ev, 0)) != NULL)
		free(json);
	nw_event_free(ev);
	return 0;
}
