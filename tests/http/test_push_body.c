/* Unit tests for the push endpoint's body decoding: which Content-Types
 * and JSON shapes are accepted, and which HTTP status each refusal gets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "push_body.h"

static int
parse(const char *ct, const char *body, struct nw_push_body *b)
{
	char *cause = NULL;
	int rc = nw_push_body_parse(ct, body, strlen(body), b, &cause);

	if (rc != 0) {
		assert_non_null(cause); /* every refusal says why */
		free(cause);
	}
	return rc;
}

static void
test_plain_text_passes_with_its_charset(void **state)
{
	struct nw_push_body b;

	assert_int_equal(parse("text/plain", "MOSCOW. /TASS/. Text.", &b), 0);
	assert_string_equal(b.text, "MOSCOW. /TASS/. Text.");
	assert_null(b.charset);
	nw_push_body_clear(&b);
	assert_int_equal(
	    parse("text/plain; charset=\"KOI8-R\"", "\xf4\xe5\xeb\xf3", &b), 0);
	assert_string_equal(b.charset, "koi8-r");
	assert_int_equal(b.len, 4);
	nw_push_body_clear(&b);
	assert_int_equal(parse("Text/Plain;charset=utf-8", "x", &b), 0);
	assert_null(b.charset);
	nw_push_body_clear(&b);
}

static void
test_json_text_url_received_at(void **state)
{
	struct nw_push_body b;

	assert_int_equal(parse("application/json",
			     "{\"text\": \"Body\", \"url\": \"http://x/1\", "
			     "\"received_at\": \"2026-11-03T06:15:00Z\"}",
			     &b),
	    0);
	assert_string_equal(b.text, "Body");
	assert_string_equal(b.url, "http://x/1");
	assert_int_equal(b.received_at_ms, 1793686500000LL);
	nw_push_body_clear(&b);
	assert_int_equal(
	    parse("application/json",
		"{\"text\": \"B\", \"received_at\": 1793686500123}", &b),
	    0);
	assert_int_equal(b.received_at_ms, 1793686500123LL);
	nw_push_body_clear(&b);
}

static void
test_json_html_is_extracted(void **state)
{
	struct nw_push_body b;

	assert_int_equal(
	    parse("application/json",
		"{\"html\": \"<html><body><nav><a href=/>Home</a> <a "
		"href=/x>X</a></nav><article><h1>Head</h1><p>MOSCOW, "
		"June 6. /TASS/. Body one.</p><p>Two.</p></article>"
		"</body></html>\"}",
		&b),
	    0);
	assert_string_equal(
	    b.text, "Head\n\nMOSCOW, June 6. /TASS/. Body one.\n\nTwo.\n");
	assert_string_equal(b.charset, "utf-8"); /* decoded already */
	nw_push_body_clear(&b);
}

static void
test_refusals_and_their_status(void **state)
{
	struct nw_push_body b;

	assert_int_equal(parse(NULL, "x", &b), 415);
	assert_int_equal(parse("application/xml", "<x/>", &b), 415);
	assert_int_equal(parse("text/plain; charset=ebcdic", "x", &b), 415);
	assert_int_equal(parse("text/plain", "  \n ", &b), 400);
	assert_int_equal(parse("application/json", "{\"text\": ", &b), 400);
	assert_int_equal(parse("application/json", "[1]", &b), 400);
	assert_int_equal(parse("application/json", "{\"text\": 1}", &b), 400);
	assert_int_equal(parse("application/json",
			     "{\"text\": \"a\", \"html\": \"<p>b</p>\"}", &b),
	    400);
	assert_int_equal(
	    parse("application/json", "{\"text\": \"a\", \"x\": 1}", &b), 400);
	assert_int_equal(
	    parse("application/json",
		"{\"text\": \"a\", \"received_at\": \"soon\"}", &b),
	    400);
	assert_int_equal(
	    parse("application/json", "{\"text\": \" \"}", &b), 400);
	/* HTML with no article text in it can't become a dispatch. */
	assert_int_equal(
	    parse("text/html", "<html><body><nav><a href=/>x</a></nav>", &b),
	    422);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plain_text_passes_with_its_charset),
	    cmocka_unit_test(test_json_text_url_received_at),
	    cmocka_unit_test(test_json_html_is_extracted),
	    cmocka_unit_test(test_refusals_and_their_status),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
