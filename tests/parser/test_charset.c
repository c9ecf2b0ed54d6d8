/* Unit tests of charset handling (parsers/charset.c): CP1251 and KOI8-R
 * told apart by letter frequencies, conversion through iconv, --charset. */
#include <iconv.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wire.h"

static const char ru_text[] =
    "Экономика\n\nМинэнерго ожидает роста добычи нефти\n\n"
    "МОСКВА, 6 июня. /ТАСС/. Добыча нефти в России по итогам текущего "
    "года может вырасти на 1,5%, заявил замминистра энергетики.\n\n"
    "\"Компании в целом адаптировались к новым условиям\", - сказал он.";

/* ru_text in charset cs (malloc'd), made with iconv as a feed would. */
static char *
encode(const char *cs, size_t *len)
{
	iconv_t cd = iconv_open(cs, "UTF-8");
	size_t inleft = strlen(ru_text), outleft = 2 * inleft + 4;
	char *out = malloc(outleft), *o = out, *in = (char *)(uintptr_t)ru_text;

	assert_true(cd != (iconv_t)-1);
	assert_int_not_equal(iconv(cd, &in, &inleft, &o, &outleft), (size_t)-1);
	iconv_close(cd);
	*len = (size_t)(o - out);
	return out;
}

static void
cp1251_is_detected(void **state)
{
	size_t len;
	char *b = encode("CP1251", &len);

	assert_string_equal(
	    nw_charset_detect((const unsigned char *)b, len), "CP1251");
	free(b);
}

static void
koi8r_is_detected(void **state)
{
	size_t len;
	char *b = encode("KOI8-R", &len);

	assert_string_equal(
	    nw_charset_detect((const unsigned char *)b, len), "KOI8-R");
	free(b);
}

static void
latin_text_is_not_cyrillic(void **state)
{
	const char *s =
	    "Caf\xE9 cr\xE8me br\xFBl\xE9\x65 na\xEFve r\xE9sum\xE9";

	assert_null(nw_charset_detect((const unsigned char *)s, strlen(s)));
}

static void
parse_detects_and_converts_with_a_warning(void **state)
{
	static const char *const cs[] = {"CP1251", "KOI8-R"};
	struct nw_parse_opts opts = {.received_at_ms = 1749200000000};
	struct nw_event *ev;
	size_t len, i;
	char *b;

	for (i = 0; i < 2; i++) {
		b = encode(cs[i], &len);
		assert_int_equal(nw_parse(b, len, &opts, &ev, NULL), NW_OK);
		assert_string_equal(
		    ev->headline, "Минэнерго ожидает роста добычи нефти");
		assert_string_equal(ev->language, "ru");
		assert_string_equal(ev->dateline->city, "МОСКВА");
		assert_string_equal(ev->agency, "TASS");
		assert_int_equal(ev->warnings.n, 1);
		assert_non_null(strstr(ev->warnings.v[0], cs[i]));
		nw_event_free(ev);
		free(b);
	}
}

static void
named_charset_is_used(void **state)
{
	struct nw_parse_opts opts = {.charset = "koi8-r"};
	struct nw_event *ev;
	size_t len;
	char *b = encode("KOI8-R", &len);

	assert_int_equal(nw_parse(b, len, &opts, &ev, NULL), NW_OK);
	assert_string_equal(ev->body.v[1],
	    "\"Компании в целом адаптировались к новым условиям\", - сказал "
	    "он.");
	assert_int_equal(ev->warnings.n, 0);
	nw_event_free(ev);
	free(b);
}

static void
unknown_charset_is_charset_error(void **state)
{
	struct nw_parse_opts opts = {.charset = "X-NO-SUCH-CHARSET"};
	struct nw_event *ev;
	char *cause = NULL;

	assert_int_equal(nw_parse("Headline\n\nBody.", 15, &opts, &ev, &cause),
	    NW_ERR_CHARSET);
	assert_null(ev);
	assert_non_null(strstr(cause, "X-NO-SUCH-CHARSET"));
	free(cause);
}

static void
utf8_charset_name_means_no_conversion(void **state)
{
	struct nw_parse_opts opts = {.charset = "UTF-8"};
	struct nw_event *ev;

	assert_int_equal(
	    nw_parse(ru_text, strlen(ru_text), &opts, &ev, NULL), NW_OK);
	assert_string_equal(
	    ev->headline, "Минэнерго ожидает роста добычи нефти");
	nw_event_free(ev);
}

static void
named_utf16_is_converted_despite_nul_bytes(void **state)
{
	struct nw_parse_opts opts = {.charset = "UTF-16"};
	struct nw_event *ev;
	char *cause = NULL;
	size_t len;
	char *b = encode("UTF-16", &len); /* with a byte order mark */

	assert_non_null(memchr(b, '\0', len));
	assert_int_equal(nw_parse(b, len, &opts, &ev, &cause), NW_OK);
	assert_string_equal(
	    ev->headline, "Минэнерго ожидает роста добычи нефти");
	nw_event_free(ev);
	/* unnamed, the same bytes are binary */
	opts.charset = NULL;
	assert_int_equal(nw_parse(b, len, &opts, &ev, &cause), NW_ERR_BINARY);
	free(cause);
	free(b);
}

static void
convert_replaces_unmapped_bytes(void **state)
{
	char *out;
	size_t outlen, nbad;

	/* 0x98 has no character in CP1251 */
	assert_int_equal(nw_charset_convert(
			     "CP1251", "\xC0\x98\xE0", 3, &out, &outlen, &nbad),
	    0);
	assert_string_equal(out, "А\xEF\xBF\xBDа");
	assert_int_equal(nbad, 1);
	free(out);
	assert_int_equal(
	    nw_charset_convert("NOPE-1", "a", 1, &out, &outlen, &nbad), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(cp1251_is_detected),
	    cmocka_unit_test(koi8r_is_detected),
	    cmocka_unit_test(latin_text_is_not_cyrillic),
	    cmocka_unit_test(parse_detects_and_converts_with_a_warning),
	    cmocka_unit_test(named_charset_is_used),
	    cmocka_unit_test(unknown_charset_is_charset_error),
	    cmocka_unit_test(utf8_charset_name_means_no_conversion),
	    cmocka_unit_test(named_utf16_is_converted_despite_nul_bytes),
	    cmocka_unit_test(convert_replaces_unmapped_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
