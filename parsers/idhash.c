/* The stable event id: SHA-256 over the story's normalised text (headline
 * and body after furniture removal, Unicode NFC, white space collapsed),
 * never over parsed fields, so that a better parser keeps old ids. */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "wire.h"

/* Whether s is certainly in NFC already: only code points whose NFC
 * quick-check is "yes" and that never compose with a neighbour (no
 * combining marks, no Hangul, no singletons). Most wire copy is. */
static int
surely_nfc(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, k;
	uint32_t c;

	while (i < n) {
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		if ((k = nw_utf8_decode(u + i, n - i, &c)) == 0)
			return 0;
		i += k;
		if (c < 0x300 || (c >= 0x400 && c <= 0x482) ||
		    (c >= 0x48A && c <= 0x52F) || (c >= 0x2010 && c <= 0x20CF))
			continue;
		return 0;
	}
	return 1;
}

/* Append s to buf at *o, collapsing runs of white space to one space. */
static void
append_collapsed(char *buf, size_t *o, const char *s)
{
	size_t i = *o;
	int space = i > 0;

	for (; *s != '\0'; s++) {
		if (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r' ||
		    *s == '\f' || *s == '\v') {
			space = i > 0;
			continue;
		}
		if (space) {
			buf[i++] = ' ';
			space = 0;
		}
		buf[i++] = *s;
	}
	*o = i;
}

int
nw_event_id(struct nw_event *ev)
{
	static const char hex[] = "0123456789abcdef";
	struct nw_sha256 sh;
	unsigned char md[32];
	size_t i, len = 1, o = 0;
	char *buf, *nfc = NULL;
	const char *text;

	if (ev->headline != NULL)
		len += strlen(ev->headline) + 1;
	for (i = 0; i < ev->body.n; i++)
		len += strlen(ev->body.v[i]) + 1;
	if ((buf = malloc(len)) == NULL)
		return -1;
	if (ev->headline != NULL)
		append_collapsed(buf, &o, ev->headline);
	for (i = 0; i < ev->body.n; i++)
		append_collapsed(buf, &o, ev->body.v[i]);
	buf[o] = '\0';
	text = buf;
	if (!surely_nfc(buf, o)) {
		nfc = (char *)utf8proc_NFC((const utf8proc_uint8_t *)buf);
		if (nfc == NULL) {
			free(buf);
			return -1;
		}
		text = nfc;
		o = strlen(nfc);
	}
	nw_sha256_init(&sh);
	nw_sha256_update(&sh, text, o);
	nw_sha256_final(&sh, md);
	for (i = 0; i < 32; i++) {
		ev->id[2 * i] = hex[md[i] >> 4];
		ev->id[2 * i + 1] = hex[md[i] & 15];
	}
	ev->id[64] = '\0';
	free(nfc);
	free(buf);
	return 0;
}
