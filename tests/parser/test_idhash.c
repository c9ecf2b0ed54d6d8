/* Unit tests of the event id (parsers/idhash.c, parsers/sha256.c): SHA-256
 * test vectors, and the same story getting the same id whatever its
 * furniture, white space, normalisation form, source or reception time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wire.h"

static void
hex(const unsigned char md[32], char out[65])
{
	static const char digits[] = "0123456789abcdef";
	int i;

	for (i = 0; i < 32; i++) {
		out[2 * i] = digits[md[i] >> 4];
		out[2 * i + 1] = digits[md[i] & 15];
	}
	out[64] = '\0';
}

/* hw: 1 to use the CPU's SHA instructions where the build has them, 0 to
 * force the portable code, so both are tested on machines with SHA-NI. */
static void
sha256_of_hw(const char *s, size_t n, char out[65], int hw)
{
	struct nw_sha256 sh;
	unsigned char md[32];

	nw_sha256_init(&sh);
	if (!hw)
		sh.hw = 0;
	nw_sha256_update(&sh, s, n);
	nw_sha256_final(&sh, md);
	hex(md, out);
}

static void
sha256_of(const char *s, size_t n, char out[65])
{
	char sw[65];

	sha256_of_hw(s, n, out, 1);
	sha256_of_hw(s, n, sw, 0);
	assert_string_equal(out, sw);
}

static void
sha256_known_vectors(void **state)
{
	char out[65];

	sha256_of("", 0, out);
	assert_string_equal(out,
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b"
	    "934ca495991b7852b855");
	sha256_of("abc", 3, out);
	assert_string_equal(out,
	    "ba7816bf8f01cfea414140de5dae2223b00361a39617"
	    "7a9cb410ff61f20015ad");
	sha256_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	    56, out);
	assert_string_equal(out,
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff"
	    "2167f6ecedd419db06c1");
}

static void
sha256_million_a_in_odd_chunks(void **state)
{
	struct nw_sha256 sh;
	unsigned char md[32];
	char chunk[997], out[65];
	size_t left = 1000000, n;

	memset(chunk, 'a', sizeof chunk);
	nw_sha256_init(&sh);
	if (!*(int *)*state)
		sh.hw = 0; /* once as it comes, once the portable way */
	for (; left > 0; left -= n) {
		n = left < sizeof chunk ? left : sizeof chunk;
		nw_sha256_update(&sh, chunk, n);
	}
	nw_sha256_final(&sh, md);
	hex(md, out);
	assert_string_equal(out,
	    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497"
	    "200e046d39ccc7112cd0");
}

static void
id_of(const char *s, int64_t received, const char *uri, char id[65])
{
	struct nw_origin src = {.type = "file", .uri = (char *)(uintptr_t)uri};
	struct nw_parse_opts opts = {
	    .received_at_ms = received, .source = &src};
	struct nw_event *ev;
	size_t i;

	assert_int_equal(nw_parse(s, strlen(s), &opts, &ev, NULL), NW_OK);
	assert_int_equal(strlen(ev->id), 64);
	for (i = 0; i < 64; i++)
		assert_non_null(strchr("0123456789abcdef", ev->id[i]));
	memcpy(id, ev->id, 65);
	nw_event_free(ev);
}

static const char story[] =
    "Russia sees no need for extra oil cuts\n\n"
    "MOSCOW, April 17. /TASS/. Russia sees no need for cuts.\n\n"
    "\"The market is balanced,\" he said.";

static void
same_story_different_furniture_same_id(void **state)
{
	char a[65], b[65];

	id_of(story, 1, "a.txt", a);
	id_of("All news\n\n"
	      "Russia sees no need for extra oil cuts\n\n"
	      "Oil pump jacks Arseny Volynkin/TASS\n"
	      "Oil pump jacks\n"
	      "\xC2\xA9 Arseny Volynkin/TASS\n\n"
	      "MOSCOW, April 17. /TASS/. Russia sees no need for cuts.\n\n"
	      "Read also\nOil prices rise\n\n"
	      "\"The market is balanced,\" he said.",
	    1, "a.txt", b);
	assert_string_equal(a, b);
}

static void
same_story_different_whitespace_same_id(void **state)
{
	char a[65], b[65];

	id_of(story, 1, "a.txt", a);
	id_of("\xEF\xBB\xBF  Russia sees  no need for extra oil cuts \r\n\r\n"
	      "\r\n MOSCOW, April 17. /TASS/. Russia sees\r\nno need for "
	      "cuts.\r\n\r\n\"The market\t is balanced,\" he said.\r\n",
	    1, "a.txt", b);
	assert_string_equal(a, b);
}

static void
same_story_other_source_and_time_same_id(void **state)
{
	char a[65], b[65];

	id_of(story, 1, "a.txt", a);
	id_of(story, 1767427200000LL, "/spool/b.txt", b);
	assert_string_equal(a, b);
}

static void
nfd_and_nfc_text_same_id(void **state)
{
	char a[65], b[65];

	/* "й" precomposed, and as "и" + combining breve; "é" both ways */
	id_of("Новый кафе\xCC\x81 мой\n\nМОСКВА, 6 июня. /ТАСС/. Текст.", 1,
	    "a", a);
	id_of("Новый caf\xC3\xA9 мо\xD0\xB8\xCC\x86\n\nМОСКВА, 6 июня. "
	      "/ТАСС/. Текст.",
	    1, "a", b);
	assert_string_not_equal(a, b); /* "кафе" is not "café" */
	id_of("Новый café мой\n\nМОСКВА, 6 июня. /ТАСС/. Текст.", 1, "a", a);
	assert_string_equal(a, b);
}

static void
different_story_different_id(void **state)
{
	char a[65], b[65];

	id_of(story, 1, "a.txt", a);
	id_of("Russia sees no need for extra oil cuts\n\n"
	      "MOSCOW, April 18. /TASS/. Russia sees no need for cuts.\n\n"
	      "\"The market is balanced,\" he said.",
	    1, "a.txt", b);
	assert_string_not_equal(a, b);
}

int
main(void)
{
	static int yes = 1, no = 0;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(sha256_known_vectors),
	    cmocka_unit_test_prestate(sha256_million_a_in_odd_chunks, &yes),
	    cmocka_unit_test_prestate(sha256_million_a_in_odd_chunks, &no),
	    cmocka_unit_test(same_story_different_furniture_same_id),
	    cmocka_unit_test(same_story_different_whitespace_same_id),
	    cmocka_unit_test(same_story_other_source_and_time_same_id),
	    cmocka_unit_test(nfd_and_nfc_text_same_id),
	    cmocka_unit_test(different_story_different_id),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
