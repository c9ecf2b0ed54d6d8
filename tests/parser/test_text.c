/* Unit tests of input hygiene (parsers/text.c): size limit, empty and
 * binary input, UTF-8 replacement, line ends, spaces and blank lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wire.h"

/* Clean s (n bytes) with default options; returns the reason, the text in
 * *out (caller frees) and the event's warnings in ev. */
static enum nw_reason
clean(const char *s, size_t n, size_t max, char **out, struct nw_event **evp)
{
	struct nw_parse_opts opts = {.max_size = max};
	struct nw_clean c;
	char *cause = NULL;
	enum nw_reason rc;

	*evp = nw_event_new();
	rc = nw_text_clean(s, n, &opts, *evp, &c, &cause);
	*out = c.text;
	if (rc == NW_OK) {
		assert_null(cause);
		assert_int_equal(strlen(*out), c.len);
	} else {
		assert_null(*out);
		assert_non_null(cause); /* every failure says why */
		free(cause);
	}
	return rc;
}

static void
expect_clean(const char *in, const char *want)
{
	struct nw_event *ev;
	char *out;

	assert_int_equal(clean(in, strlen(in), 0, &out, &ev), NW_OK);
	assert_string_equal(out, want);
	free(out);
	nw_event_free(ev);
}

static void
expect_error(const char *in, size_t n, size_t max, enum nw_reason want)
{
	struct nw_event *ev;
	char *out;

	assert_int_equal(clean(in, n, max, &out, &ev), want);
	nw_event_free(ev);
}

static void
empty_input_is_empty_error(void **state)
{
	expect_error("", 0, 0, NW_ERR_EMPTY);
}

static void
whitespace_only_is_empty_error(void **state)
{
	const char *s = " \t\r\n\n  \xC2\xA0\r\n\xEF\xBB\xBF";

	expect_error(s, strlen(s), 0, NW_ERR_EMPTY);
}

static void
over_size_limit_is_too_large(void **state)
{
	char *big = malloc(NW_MAX_DISPATCH_DEFAULT + 1);

	memset(big, 'a', NW_MAX_DISPATCH_DEFAULT + 1);
	expect_error(big, NW_MAX_DISPATCH_DEFAULT + 1, 0, NW_ERR_TOO_LARGE);
	expect_error(big, 101, 100, NW_ERR_TOO_LARGE);
	free(big);
}

static void
exactly_at_size_limit_is_accepted(void **state)
{
	struct nw_event *ev;
	char buf[100], *out;

	memset(buf, 'a', sizeof buf);
	assert_int_equal(clean(buf, sizeof buf, 100, &out, &ev), NW_OK);
	assert_int_equal(strlen(out), 100);
	free(out);
	nw_event_free(ev);
}

static void
nul_bytes_are_binary(void **state)
{
	expect_error("Headline\0body", 13, 0, NW_ERR_BINARY);
}

static void
random_binary_is_binary(void **state)
{
	unsigned char buf[4096];
	uint32_t x = 12345;
	size_t i;

	for (i = 0; i < sizeof buf; i++) {
		x = x * 1103515245 + 12345;
		buf[i] = (unsigned char)(x >> 16);
		if (buf[i] == 0)
			buf[i] = 1; /* binary without NUL bytes too */
	}
	expect_error((const char *)buf, sizeof buf, 0, NW_ERR_BINARY);
}

static void
mostly_undecodable_high_bytes_are_binary(void **state)
{
	/* high bytes that read as neither UTF-8 nor Russian text */
	char buf[400];
	size_t i;

	for (i = 0; i < sizeof buf; i++)
		buf[i] = (char)(i % 3 == 0 ? ' ' : 0x80 + (char)(i % 0x30));
	expect_error(buf, sizeof buf, 0, NW_ERR_BINARY);
}

static void
bom_is_stripped(void **state)
{
	expect_clean("\xEF\xBB\xBFHeadline\n\nBody", "Headline\n\nBody");
}

static void
crlf_and_cr_become_lf(void **state)
{
	expect_clean(
	    "One\r\nTwo\rThree\r\n\r\nFour", "One\nTwo\nThree\n\nFour");
}

static void
spaces_are_collapsed_and_lines_trimmed(void **state)
{
	expect_clean("  Head \t line  \n\xC2\xA0"
		     "body\xE2\x80\x83"
		     "text \n",
	    "Head line\nbody text");
}

static void
blank_lines_collapse_to_one(void **state)
{
	expect_clean("\n\n\nA\n \n\t\n\nB\n\n\n", "A\n\nB");
}

static void
invalid_utf8_is_replaced_with_a_warning(void **state)
{
	struct nw_event *ev;
	char *out;
	/* a stray Latin-1 byte, an overlong slash and a lone continuation */
	const char *in = "Caf\xE9 au lait \xC0\xAF ok \x80"
			 "!";

	assert_int_equal(clean(in, strlen(in), 0, &out, &ev), NW_OK);
	assert_string_equal(out,
	    "Caf\xEF\xBF\xBD au lait \xEF\xBF\xBD"
	    "\xEF\xBF\xBD ok \xEF\xBF\xBD!");
	assert_int_equal(ev->warnings.n, 1);
	assert_non_null(strstr(ev->warnings.v[0], "4 invalid UTF-8"));
	free(out);
	nw_event_free(ev);
}

static void
surrogates_and_truncated_sequences_are_invalid(void **state)
{
	uint32_t cp;

	assert_int_equal(
	    nw_utf8_decode((const unsigned char *)"\xED\xA0\x80", 3, &cp), 0);
	assert_int_equal(
	    nw_utf8_decode((const unsigned char *)"\xE2\x82", 2, &cp), 0);
	assert_int_equal(
	    nw_utf8_decode((const unsigned char *)"\xF4\x90\x80\x80", 4, &cp),
	    0);
	assert_int_equal(
	    nw_utf8_decode((const unsigned char *)"\xE2\x82\xAC", 3, &cp), 3);
	assert_int_equal(cp, 0x20AC);
}

static void
control_characters_are_dropped(void **state)
{
	expect_clean("A\x01"
		     "B\x1b"
		     "C",
	    "ABC");
}

static int
plain(const char *s)
{
	struct nw_parse_opts opts = {0};
	struct nw_event *ev = nw_event_new();
	struct nw_clean c;

	assert_int_equal(
	    nw_text_clean(s, strlen(s), &opts, ev, &c, NULL), NW_OK);
	free(c.text);
	nw_event_free(ev);
	return c.plain;
}

static void
plain_flag_marks_text_needing_no_nfc_work(void **state)
{
	assert_true(plain("Plain ASCII \"text\" \xE2\x80\x94 dash"));
	assert_true(plain("Кириллица с буквой й и ё, caf\xC3\xA9"));
	/* a combining acute, a combining Cyrillic titlo, Hebrew, U+FFFD */
	assert_false(plain("cafe\xCC\x81"));
	assert_false(plain("\xD0\xB0\xD2\x83"));
	assert_false(plain("\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D"));
	assert_false(plain("bad \xFF byte"));
	/* the Kelvin sign is a singleton NFC replaces */
	assert_false(plain("300 \xE2\x84\xAA"));
}

static void
parse_reports_reason_codes(void **state)
{
	struct nw_parse_opts opts = {0};
	struct nw_event *ev = NULL;
	char *cause = NULL;

	assert_int_equal(nw_parse("", 0, &opts, &ev, &cause), NW_ERR_EMPTY);
	assert_null(ev);
	assert_non_null(cause);
	free(cause);
	assert_string_equal(nw_reason_code(NW_ERR_TOO_LARGE), "too_large");
	assert_int_equal(nw_reason_from_code("binary"), NW_ERR_BINARY);
	assert_int_equal(nw_reason_from_code("nonsense"), -1);
	/* furniture only: nothing that looks like a dispatch */
	assert_int_equal(nw_parse("All news\n\n\xC2\xA9 Ivan Petrov/TASS", 29,
			     &opts, &ev, &cause),
	    NW_ERR_NO_TEXT);
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(empty_input_is_empty_error),
	    cmocka_unit_test(whitespace_only_is_empty_error),
	    cmocka_unit_test(over_size_limit_is_too_large),
	    cmocka_unit_test(exactly_at_size_limit_is_accepted),
	    cmocka_unit_test(nul_bytes_are_binary),
	    cmocka_unit_test(random_binary_is_binary),
	    cmocka_unit_test(mostly_undecodable_high_bytes_are_binary),
	    cmocka_unit_test(bom_is_stripped),
	    cmocka_unit_test(crlf_and_cr_become_lf),
	    cmocka_unit_test(spaces_are_collapsed_and_lines_trimmed),
	    cmocka_unit_test(blank_lines_collapse_to_one),
	    cmocka_unit_test(invalid_utf8_is_replaced_with_a_warning),
	    cmocka_unit_test(surrogates_and_truncated_sequences_are_invalid),
	    cmocka_unit_test(control_characters_are_dropped),
	    cmocka_unit_test(plain_flag_marks_text_needing_no_nfc_work),
	    cmocka_unit_test(parse_reports_reason_codes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
