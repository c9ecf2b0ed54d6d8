/* Legacy Cyrillic charsets: telling CP1251 from KOI8-R by how Russian the
 * letters they decode to look, and converting to UTF-8 with iconv. */
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "wire.h"

/* Letter frequencies of Russian text in per mille, а..я (ё folded into е). */
static const unsigned char ru_freq[32] = {80, 16, 45, 17, 30, 85, 9, 16, 74, 12,
    35, 44, 32, 67, 110, 28, 47, 55, 63, 26, 3, 10, 5, 14, 7, 4, 1, 19, 17, 3,
    6, 20};

/* KOI8-R puts its letters in Latin-transliteration order: 0xC0..0xDF are
 * the lower-case letters in this order (indices into а..я), 0xE0..0xFF
 * the same letters in upper case. */
static const unsigned char koi8_order[32] = {30, 0, 1, 22, 4, 5, 20, 3, 21, 8,
    9, 10, 11, 12, 13, 14, 15, 31, 16, 17, 18, 19, 6, 2, 28, 27, 7, 24, 29, 25,
    23, 26};

/* Map a byte >= 0x80 to a letter index (0..31) and case; -1 if no letter. */
static int
letter_of(int koi8, unsigned char c, int *upper)
{
	if (koi8) {
		if (c == 0xA3 || c == 0xB3) {
			*upper = c == 0xB3;
			return 5;
		}
		if (c < 0xC0)
			return -1;
		*upper = c >= 0xE0;
		return koi8_order[c & 0x1F];
	}
	if (c == 0xA8 || c == 0xB8) {
		*upper = c == 0xA8;
		return 5;
	}
	if (c < 0xC0)
		return -1;
	*upper = c < 0xE0;
	return c & 0x1F;
}

const char *
nw_charset_detect(const unsigned char *buf, size_t len)
{
	/* score: frequency of the letters, lower case counting in full and
	 * upper case (rarer in running text) at a quarter. */
	unsigned long score[2] = {0, 0}, letters[2] = {0, 0}, lower[2] = {0, 0};
	size_t i, high = 0;
	int k, upper, idx, best;

	for (i = 0; i < len; i++) {
		if (buf[i] < 0x80)
			continue;
		high++;
		for (k = 0; k < 2; k++) {
			if ((idx = letter_of(k, buf[i], &upper)) < 0)
				continue;
			letters[k]++;
			if (!upper)
				lower[k]++;
			score[k] += upper ? ru_freq[idx] / 4u : ru_freq[idx];
		}
	}
	if (high < 4)
		return NULL;
	best = score[1] > score[0];
	/* Russian text: nearly every high byte a letter, mostly lower case,
	 * and common letters common (uniform noise averages ~31 per mille). */
	if (letters[best] * 10 < high * 7 || lower[best] * 2 < letters[best] ||
	    score[best] < 40 * lower[best])
		return NULL;
	return best ? "KOI8-R" : "CP1251";
}

int
nw_charset_is_utf8(const char *name)
{
	return strcasecmp(name, "utf-8") == 0 ||
	    strcasecmp(name, "utf8") == 0 ||
	    strcasecmp(name, "us-ascii") == 0 || strcasecmp(name, "ascii") == 0;
}

int
nw_charset_convert(const char *charset, const char *buf, size_t len, char **out,
    size_t *outlen, size_t *nbad)
{
	iconv_t cd;
	char *res, *in = (char *)(uintptr_t)buf, *o, *nres;
	size_t cap, inleft = len, oleft, used;

	*out = NULL;
	*nbad = 0;
	if ((cd = iconv_open("UTF-8", charset)) == (iconv_t)-1)
		return -1;
	cap = len * 3 + 16;
	if ((res = malloc(cap)) == NULL)
		goto fail;
	o = res;
	oleft = cap - 1;
	while (inleft > 0) {
		if (iconv(cd, &in, &inleft, &o, &oleft) != (size_t)-1)
			break;
		if (errno == E2BIG || oleft < 4) {
			used = (size_t)(o - res);
			cap *= 2;
			if ((nres = realloc(res, cap)) == NULL)
				goto fail;
			res = nres;
			o = res + used;
			oleft = cap - used - 1;
			continue;
		}
		/* EILSEQ or a truncated sequence: one U+FFFD, skip a byte. */
		o += nw_utf8_encode(NW_REPLACEMENT, o);
		oleft -= 3;
		in++;
		inleft--;
		(*nbad)++;
		iconv(cd, NULL, NULL, NULL, NULL);
	}
	*o = '\0';
	*outlen = (size_t)(o - res);
	*out = res;
	iconv_close(cd);
	return 0;
fail:
	free(res);
	iconv_close(cd);
	return -2;
}
