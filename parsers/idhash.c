/* The stable event id: SHA-256 over the story's normalised text (headline
 * and body after furniture removal, Unicode NFC, white space collapsed),
 * never over parsed fields, so that a better parser keeps old ids. */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "wire.h"

/* Whether s is certainly in NFC and already collapsed (single spaces,
 * no other white space): only code points whose NFC quick-check is "yes"
 * and that never compose with a neighbour (no combining marks, no Hangul,
 * no singletons). The cleaned text of most wire copy is; the check runs
 * on bytes, since it sees every byte of every dispatch. */
static int
surely_plain(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t k;
	uint32_t c;

	if (*s == ' ')
		return 0;
	while (*s != '\0') {
		if (*s < 0x80) {
			if (*s < 0x20 ||
			    (*s == ' ' && (s[1] == ' ' || s[1] == '\0')))
				return 0;
			s++;
			continue;
		}
		/* U+0080..U+02FF and Cyrillic U+0400..U+047F */
		if ((*s >= 0xC2 && *s <= 0xCB) || *s == 0xD0 || *s == 0xD1) {
			if (*s == 0xC2 && (s[1] == 0xA0 || s[1] == 0x85))
				return 0; /* no-break space, NEL */
			s += 2;
			continue;
		}
		if ((k = nw_utf8_decode(s, 4, &c)) == 0)
			return 0;
		s += k;
		if ((c >= 0x400 && c <= 0x482) || (c >= 0x48A && c <= 0x52F) ||
		    (c >= 0x2010 && c <= 0x2027) ||
		    (c >= 0x2030 && c <= 0x205E) ||
		    (c >= 0x2070 && c <= 0x20CF))
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

/* The slow way: one buffer, white space collapsed, then NFC. */
static char *
normalised_text(const struct nw_event *ev, size_t *len)
{
	size_t i, cap = 1, o = 0;
	char *buf, *nfc;

	if (ev->headline != NULL)
		cap += strlen(ev->headline) + 1;
	for (i = 0; i < ev->body.n; i++)
		cap += strlen(ev->body.v[i]) + 1;
	if ((buf = malloc(cap)) == NULL)
		return NULL;
	if (ev->headline != NULL)
		append_collapsed(buf, &o, ev->headline);
	for (i = 0; i < ev->body.n; i++)
		append_collapsed(buf, &o, ev->body.v[i]);
	buf[o] = '\0';
	nfc = (char *)utf8proc_NFC((const utf8proc_uint8_t *)buf);
	free(buf);
	if (nfc != NULL)
		*len = strlen(nfc);
	return nfc;
}

int
nw_event_id(struct nw_event *ev, int plain, const struct nw_lens *lens)
{
	static const char hex[] = "0123456789abcdef";
	struct nw_sha256 sh;
	unsigned char md[32];
	size_t i, len;
	char *text;
	int any = 0;

	if (!plain) {
		plain = ev->headline == NULL || surely_plain(ev->headline);
		for (i = 0; plain && i < ev->body.n; i++)
			plain = surely_plain(ev->body.v[i]);
	}
	nw_sha256_init(&sh);
	if (plain) {
		/* already normal: hash the pieces joined by single spaces */
		if (ev->headline != NULL && ev->headline[0] != '\0') {
			nw_sha256_update(&sh, ev->headline,
			    lens != NULL ? lens->headline
					 : strlen(ev->headline));
			any = 1;
		}
		for (i = 0; i < ev->body.n; i++) {
			if (ev->body.v[i][0] == '\0')
				continue;
			if (any)
				nw_sha256_update(&sh, " ", 1);
			nw_sha256_update(&sh, ev->body.v[i],
			    lens != NULL ? lens->body[i]
					 : strlen(ev->body.v[i]));
			any = 1;
		}
	} else {
		if ((text = normalised_text(ev, &len)) == NULL)
			return -1;
		nw_sha256_update(&sh, text, len);
		free(text);
	}
	nw_sha256_final(&sh, md);
	for (i = 0; i < 32; i++) {
		ev->id[2 * i] = hex[md[i] >> 4];
		ev->id[2 * i + 1] = hex[md[i] & 15];
	}
	ev->id[64] = '\0';
	return 0;
}
