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
	if (rc == NW_OK)
		free(c.lines);
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
	free(c.lines);
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

/* The cleaning rule spelled out the slow way, to hold the word-at-a-time
 * copy to: decode (an invalid byte becomes U+FFFD), every line end a LF,
 * controls dropped, white space one space, lines trimmed, one blank line
 * at most and none at either end. */
static size_t
clean_slowly(const unsigned char *s, size_t n, char *out)
{
	uint32_t *cp = malloc((n + 1) * sizeof *cp), c;
	size_t i = 0, k, m = 0, o = 0, j, blanks = 0;
	int space, started = 0;

	while (i < n) {
		if ((k = nw_utf8_decode(s + i, n - i, &c)) == 0)
			c = 0xFFFD, k = 1;
		i += k;
		if (c == '\r' && i < n && s[i] == '\n')
			i++;
		if (c == '\r' || c == 0x2028 || c == 0x2029 || c == 0x85)
			c = '\n';
		if ((c < 0x20 && c != '\n' && c != '\t' && c != '\f' &&
			c != '\v') ||
		    c == 0x7F || (c >= 0x80 && c <= 0x9F && c != 0x85) ||
		    c == 0xFEFF || c == 0xAD)
			continue;
		if (c == '\t' || c == '\f' || c == '\v' || c == 0xA0 ||
		    c == 0x1680 || (c >= 0x2000 && c <= 0x200A) ||
		    c == 0x202F || c == 0x205F || c == 0x3000)
			c = ' ';
		cp[m++] = c;
	}
	cp[m++] = '\n';
	for (i = 0; i < m; i = j + 1) {
		size_t line = o;

		for (j = i; cp[j] != '\n'; j++)
			;
		space = 0;
		for (k = i; k < j; k++) {
			if (cp[k] == ' ') {
				space = o > line;
				continue;
			}
			if (space && o == line)
				space = 0;
			if (space)
				out[o++] = ' ';
			space = 0;
			if (line == o && started) {
				/* a new line of text: the blank line
				 * before it, if any, then LF */
				out[o++] = '\n';
				if (blanks)
					out[o++] = '\n';
				line = o;
			}
			o += nw_utf8_encode(cp[k], out + o);
			started = 1;
			blanks = 0;
		}
		if (o == line && started)
			blanks = 1;
	}
	out[o] = '\0';
	free(cp);
	return o;
}

/* Random texts from the pieces wire copy is made of, and the awkward
 * ones, cleaned both ways. */
static void
cleaning_matches_the_slow_rule(void **state)
{
	static const char *const pieces[] = {"word", "Moscow", "said.", " ",
	    " ", " ", "  ", "\t", "\n", "\n\n", "\r\n", "\xC2\xA0",
	    "\xD0\xBC\xD0\xB8\xD1\x80", "\xD0\x9C", "\xE2\x80\x94", "\"",
	    "\xC2\xAD", "\xE2\x80\xA8", "a.b,c", "12345678",
	    "\xC3\xA9t\xC3\xA9", " \n", "\n "};
	/* rarer, or the text would be judged binary or 8-bit */
	static const char *const odd[] = {
	    "\x01", "\xFF", "\xD0", "\x7F", "\x9C", "\xBC"};
	unsigned char in[512];
	char want[2048], *got;
	uint64_t rng = 42;
	struct nw_event *ev;
	size_t n, len, r, i, k, compared = 0, nlines;
	struct nw_line *lines;
	unsigned block;

	for (r = 0; r < 3000; r++) {
		n = 0;
		/* printable first, so that the input is never all blank */
		memcpy(in, "x", 1), n = 1;
		for (i = 0; i < 40; i++) {
			const char *p;

			rng = rng * 6364136223846793005ULL +
			    1442695040888963407ULL;
			if ((rng >> 60) == 0)
				p = odd[(rng >> 33) %
				    (sizeof odd / sizeof odd[0])];
			else
				p = pieces[(rng >> 33) %
				    (sizeof pieces / sizeof pieces[0])];
			len = strlen(p);
			memcpy(in + n, p, len);
			n += len;
		}
		clean_slowly(in, n, want);
		ev = nw_event_new();
		{
			struct nw_parse_opts opts = {0};
			struct nw_clean c;

			if (nw_text_clean(in, n, &opts, ev, &c, NULL) !=
			    NW_OK) {
				nw_event_free(ev);
				continue; /* judged binary: not this test's */
			}
			got = c.text;
			lines = c.lines;
			nlines = c.nlines;
		}
		print_message("round %zu\n", r);
		assert_string_equal(got, want);
		/* the lines found on the way are the text split at its line
		 * ends, a blank line starting the next block */
		for (i = 0, k = 0, block = 0; got[i] != '\0'; i += len + 1) {
			len = strcspn(got + i, "\n");
			if (len == 0) {
				block++;
				continue;
			}
			assert_true(k < nlines);
			assert_ptr_equal(lines[k].p, got + i);
			assert_int_equal(lines[k].n, len);
			assert_int_equal(lines[k].block, block);
			k++;
			if (got[i + len] == '\0')
				break;
		}
		assert_int_equal(k, nlines);
		compared++;
		free(lines);
		free(got);
		nw_event_free(ev);
	}
	assert_true(compared > 2000);
}

/* The language is the script of most of the first thousand letters, and
 * only of those: 520 Latin letters then 600 Cyrillic ones is English. */
static void
language_is_settled_by_the_first_thousand_letters(void **state)
{
	struct nw_parse_opts opts = {.received_at_ms = 1749556800000LL};
	struct nw_event *ev;
	char text[4096];
	static const size_t latins[] = {507, 508, 519, 520, 521};
	size_t o = 0, i, l, latin, shift;

	for (shift = 0; shift < 9; shift++) {
		for (l = 0; l < sizeof latins / sizeof latins[0]; l++) {
			latin = latins[l];
			o = 0;
			memcpy(text + o, "Headline\n\n", 10), o += 10;
			/* Latin letters (the headline's eight among them),
			 * with spaces to move the words about */
			for (i = 0; i < latin - 8; i++) {
				text[o++] = 'a';
				if ((i + shift) % 7 == 0)
					text[o++] = ' ';
			}
			text[o++] = '.';
			text[o++] = '\n';
			text[o++] = '\n';
			for (i = 0; i < 600; i++) {
				memcpy(text + o, "\xD0\xB4", 2), o += 2;
				if ((i + shift) % 5 == 0)
					text[o++] = ' ';
			}
			text[o++] = '.';
			print_message("shift %zu latin %zu\n", shift, latin);
			assert_int_equal(
			    nw_parse(text, o, &opts, &ev, NULL), NW_OK);
			/* 519 Latin against 481 Cyrillic, and so on: "en";
			 * counting on past the thousand would make it "ru".
			 * 508 is where the thousandth letter makes a tie
			 * (still "en") and 507 where it tips to "ru": a
			 * count that stops a letter late or early fails */
			assert_string_equal(
			    ev->language, latin >= 508 ? "en" : "ru");
			nw_event_free(ev);
		}
	}
	/* and with Cyrillic first, Russian */
	o = 0;
	for (i = 0; i < 600; i++)
		memcpy(text + o, "\xD0\xB4", 2), o += 2;
	text[o++] = '\n';
	text[o++] = '\n';
	for (i = 0; i < 1000; i++)
		text[o++] = 'b';
	assert_int_equal(nw_parse(text, o, &opts, &ev, NULL), NW_OK);
	assert_string_equal(ev->language, "ru");
	nw_event_free(ev);
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
	    cmocka_unit_test(cleaning_matches_the_slow_rule),
	    cmocka_unit_test(language_is_settled_by_the_first_thousand_letters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
