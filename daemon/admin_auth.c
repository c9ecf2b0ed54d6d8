/* Checking an "Authorization: Basic ..." header against the credential
 * lines. A crypt(3) hash is slow on purpose, so the last header that passed
 * is remembered (with the credentials it passed against) and a browser's
 * repeated requests cost one comparison. */
#include <crypt.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>

#include "admin_auth.h"

/* Constant time for equal lengths: a guess is not told how much of it was
 * right. */
static int
same(const char *a, size_t alen, const char *b, size_t blen)
{
	unsigned char d = alen != blen;
	size_t i;

	for (i = 0; i < alen && i < blen; i++)
		d |= (unsigned char)a[i] ^ (unsigned char)b[i];
	return d == 0;
}

static int
b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Standard base64 (padding optional) into out; -1 when malformed. */
static int
b64decode(const char *s, char *out, size_t cap, size_t *len)
{
	unsigned acc = 0;
	int bits = 0, v;
	size_t n = 0;

	for (; *s != '\0' && *s != '='; s++) {
		if ((v = b64val((unsigned char)*s)) < 0)
			return -1;
		acc = (acc << 6) | (unsigned)v;
		if ((bits += 6) >= 8) {
			bits -= 8;
			if (n + 1 >= cap)
				return -1;
			out[n++] = (char)((acc >> bits) & 0xff);
		}
	}
	out[n] = '\0';
	*len = n;
	return 0;
}

/* Does user:pass match line (USER:SECRET, no newline)? */
static int
line_ok(const char *line, size_t llen, const char *user, size_t ulen,
    const char *pass)
{
	const char *colon = memchr(line, ':', llen);
	struct crypt_data *cd;
	char secret[512];
	const char *h;
	size_t slen;
	int ok;

	if (colon == NULL || !same(line, (size_t)(colon - line), user, ulen))
		return 0;
	slen = llen - (size_t)(colon - line) - 1;
	if (slen == 0 || slen >= sizeof secret)
		return 0;
	memcpy(secret, colon + 1, slen);
	secret[slen] = '\0';
	if (secret[0] != '$')
		return same(secret, slen, pass, strlen(pass));
	if ((cd = calloc(1, sizeof *cd)) == NULL)
		return 0;
	h = crypt_r(pass, secret, cd);
	ok = h != NULL && h[0] == '$' && same(h, strlen(h), secret, slen);
	explicit_bzero(cd, sizeof *cd);
	free(cd);
	return ok;
}

int
nw_admin_auth_ok(const char *creds, const char *authorization)
{
	static char *last_header;
	static char *last_creds;
	char buf[512], *colon;
	const char *p, *e;
	size_t n;
	int ok = 0;

	if (creds == NULL || creds[0] == '\0')
		return 1;
	if (authorization == NULL ||
	    strncasecmp(authorization, "Basic ", 6) != 0)
		return 0;
	for (p = authorization + 6; *p == ' '; p++)
		;
	if (last_header != NULL && strcmp(last_creds, creds) == 0 &&
	    strcmp(last_header, p) == 0)
		return 1;
	if (b64decode(p, buf, sizeof buf, &n) != 0 ||
	    (colon = memchr(buf, ':', n)) == NULL)
		return 0;
	*colon = '\0';
	for (p = creds; *p != '\0' && !ok; p = *e ? e + 1 : e) {
		e = p + strcspn(p, "\r\n");
		if (e > p && *p != '#')
			ok = line_ok(p, (size_t)(e - p), buf,
			    (size_t)(colon - buf), colon + 1);
	}
	explicit_bzero(buf, sizeof buf);
	if (ok) {
		free(last_header);
		free(last_creds);
		for (p = authorization + 6; *p == ' '; p++)
			;
		last_header = strdup(p);
		last_creds = strdup(creds);
		if (last_header == NULL || last_creds == NULL) {
			free(last_header);
			free(last_creds);
			last_header = last_creds = NULL;
		}
	}
	return ok;
}
