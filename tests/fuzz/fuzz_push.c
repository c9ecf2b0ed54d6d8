/* libFuzzer target: the push endpoint's request body. The first byte picks
 * the Content-Type the client sent; the rest is the body. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "push_body.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const types[] = {"application/json",
    "text/plain; charset=utf-8", "text/html", "text/plain; charset=koi8-r",
    "application/json; charset=utf-8", "text/html; charset=windows-1251",
    "text/xml", NULL};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *ct = NULL;
	struct nw_push_body b;
	char *cause = NULL;

	if (size > 0) {
		ct = types[data[0] % (sizeof types / sizeof types[0])];
		data++;
		size--;
	}
	if (nw_push_body_parse(ct, (const char *)data, size, &b, &cause) == 0)
		nw_push_body_clear(&b);
	free(cause);
	return 0;
}
