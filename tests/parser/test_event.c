/* Unit tests of event serialisation (parsers/event.c): the exact compact
 * layout, escaping, invalid UTF-8 never reaching the output, and pretty
 * output being the same JSON (checked by parsing both with jansson). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "newswire/version.h"
#include "wire.h"

static struct nw_event *
sample(void)
{
	struct nw_event *ev = nw_event_new();

	memset(ev->id, 'a', 64);
	memcpy(ev->language, "en", 3);
	ev->agency = strdup("TASS");
	ev->headline = strdup("Tab\there \"quoted\" back\\slash");
	ev->dateline = calloc(1, sizeof *ev->dateline);
	ev->dateline->text = strdup("LONDON (Reuters) -");
	ev->dateline->city = strdup("LONDON");
	ev->dateline->agency = strdup("Reuters");
	ev->ncaptions = 1;
	ev->captions = calloc(1, sizeof *ev->captions);
	ev->captions[0].credit = strdup("Sergei Bobylev/TASS");
	nw_strv_push(
	    &ev->body, "LONDON (Reuters) - \"We are ready,\" he said.");
	nw_strv_push(&ev->body, "Ctl\x01 bad \xFF end \xD0\x9C");
	ev->nspeakers = 1;
	ev->speakers = calloc(1, sizeof *ev->speakers);
	ev->speakers[0].name = strdup("Ivan Petrov");
	ev->speakers[0].quotes = 1;
	ev->nquotes = 1;
	ev->quotes = calloc(1, sizeof *ev->quotes);
	ev->quotes[0].text = strdup("We are ready,");
	ev->quotes[0].speaker = 0;
	ev->quotes[0].cue = strdup("said");
	ev->quotes[0].start = 20;
	ev->quotes[0].end = 33;
	ev->received_at_ms = 1749556800123LL;
	nw_strv_push(&ev->warnings, "no lede");
	return ev;
}

static void
compact_layout_is_exact(void **state)
{
	struct nw_event *ev = sample();
	char *s = nw_event_json(ev, 0);

	assert_string_equal(s,
	    "{\"schema\":\"newswired.event/"
	    "2\",\"id\":\"aaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"language\":\"en\","
	    "\"agency\":\"TASS\",\"headline\":\"Tab\\there \\\"quoted\\\" "
	    "back\\\\slash\",\"lede\":null,\"dateline\":{\"text\":\"LONDON "
	    "(Reuters) -\",\"city\":\"LONDON\",\"region\":null,\"month\":null,"
	    "\"day\":null,\"year\":null,\"date\":null,\"agency\":\"Reuters\"},"
	    "\"captions\":[{\"text\":null,\"credit\":\"Sergei Bobylev/TASS\"}],"
	    "\"body\":[\"LONDON (Reuters) - \\\"We are ready,\\\" he said.\","
	    "\"Ctl\\u0001 bad \xEF\xBF\xBD end "
	    "\xD0\x9C\"],\"quotes\":[{\"text\":"
	    "\"We are "
	    "ready,\",\"kind\":\"direct\",\"speaker\":{\"name\":\"Ivan "
	    "Petrov\",\"type\":\"person\",\"title\":null,\"organisation\":null}"
	    ","
	    "\"cue\":\"said\",\"paragraph\":0,\"offset\":[20,33]}],"
	    "\"speakers\":"
	    "[{\"name\":\"Ivan Petrov\",\"type\":\"person\",\"title\":null,"
	    "\"organisation\":null,\"quotes\":1}],\"received_at\":\"2025-06-10T"
	    "12:00:00.123Z\",\"published_at\":null,\"source\":{\"type\":"
	    "\"file\","
	    "\"name\":null,\"uri\":null},\"story\":{\"key\":null,"
	    "\"version\":null,\"kind\":null,\"supersedes\":null,"
	    "\"first_created\":null,\"repeat\":false,\"markers\":[]},"
	    "\"parser\":{\"name\":\"" NW_PARSER_NAME
	    "\",\"version\":\"" NW_VERSION "\"},\"warnings\":[\"no lede\"]}");
	free(s);
	nw_event_free(ev);
}

static void
pretty_is_the_same_json(void **state)
{
	struct nw_event *ev = sample();
	char *c = nw_event_json(ev, 0), *p = nw_event_json(ev, 1), *j;
	json_t *jc, *jp;

	jc = json_loads(c, 0, NULL);
	jp = json_loads(p, 0, NULL);
	assert_non_null(jc);
	assert_non_null(jp);
	assert_true(json_equal(jc, jp));
	/* and laid out as jansson lays it out, which the sinks used */
	j = json_dumps(jc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	assert_string_equal(j, p);
	free(j);
	j = json_dumps(jc, JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_string_equal(j, c);
	free(j);
	assert_non_null(strstr(p, "\n  \"body\": [\n    \"LONDON"));
	assert_non_null(strstr(p, "\"offset\": [\n        20,\n"));
	assert_null(strchr(c, '\n'));
	json_decref(jc);
	json_decref(jp);
	free(c);
	free(p);
	nw_event_free(ev);
}

static void
empty_arrays_stay_on_one_line(void **state)
{
	struct nw_event *ev = nw_event_new();
	char *p;

	memcpy(ev->language, "ru", 3);
	p = nw_event_json(ev, 1);
	assert_non_null(strstr(p, "\"captions\": [],\n"));
	assert_non_null(strstr(p, "\"dateline\": null,\n"));
	assert_int_equal(p[strlen(p) - 1], '}');
	free(p);
	nw_event_free(ev);
}

static void
quote_in_the_lede_has_null_paragraph(void **state)
{
	struct nw_event *ev = sample();
	char *s;

	ev->quotes[0].in_lede = 1;
	s = nw_event_json(ev, 0);
	assert_non_null(strstr(s, "\"cue\":\"said\",\"paragraph\":null,"));
	free(s);
	nw_event_free(ev);
}

/* The escaping rule spelled out one byte at a time, to hold the word-at-a-
 * time writer to: '"', '\\' and controls escaped, valid UTF-8 as it is,
 * an invalid byte as U+FFFD. */
static size_t
escape_slowly(const char *s, char *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0, k;
	uint32_t cp;

	out[o++] = '"';
	while (*p != '\0') {
		if (*p == '"' || *p == '\\') {
			out[o++] = '\\';
			out[o++] = (char)*p++;
		} else if (*p < 0x20) {
			o += (size_t)sprintf(out + o, "%s",
			    *p == '\n'       ? "\\n"
				: *p == '\t' ? "\\t"
					     : "");
			if (*p != '\n' && *p != '\t')
				o += (size_t)sprintf(out + o, "\\u%04x", *p);
			p++;
		} else if (*p < 0x80) {
			out[o++] = (char)*p++;
		} else if ((k = nw_utf8_decode(
				p, strlen((const char *)p), &cp)) == 0) {
			memcpy(out + o, "\xEF\xBF\xBD", 3);
			o += 3;
			p++;
		} else {
			memcpy(out + o, p, k);
			o += k;
			p += k;
		}
	}
	out[o++] = '"';
	out[o] = '\0';
	return o;
}

/* Each character that needs care at each offset of a string long enough
 * for several eight-byte words, and at its end. */
static void
escaping_at_every_offset(void **state)
{
	static const char *const odd[] = {"\"", "\\", "\x01", "\n", "\t",
	    "\xD0\x9C", "\xE2\x80\x94", "\xF0\x9F\x93\xB0", "\xFF", "\xD0",
	    "\x7F", " ", "\xC0\x80", "\xC1\xBF", "\xD0\xD0", "\x9C"};
	/* ASCII, and two-byte letters that an inserted byte may split */
	static const char *const base[] = {"a", "\xD0\x9C", "\xD0\x9C a"};
	char text[64], want[512], *json, *at;
	size_t i, pos, len, b, k;
	struct nw_event *ev;

	for (i = 0; i < 3 * sizeof odd / sizeof odd[0]; i++) {
		b = i % 3;
		for (pos = 0; pos <= 26; pos++) {
			len = strlen(odd[i / 3]);
			for (k = 0; k < 26; k += strlen(base[b]))
				memcpy(text + k, base[b], strlen(base[b]));
			memcpy(text + pos, odd[i / 3], len);
			text[pos + len > 26 ? pos + len : 26] = '\0';
			print_message("odd %zu at %zu\n", i, pos);
			ev = nw_event_new();
			ev->headline = strdup(text);
			json = nw_event_json(ev, 0);
			assert_non_null(json);
			at = strstr(json, "\"headline\":");
			assert_non_null(at);
			escape_slowly(text, want);
			strcat(want, ",\"lede\":");
			assert_memory_equal(at + 11, want, strlen(want));
			free(json);
			nw_event_free(ev);
		}
	}
}

/* Long random strings of plain runs and awkward bytes, several to an
 * event: the writer reserves room for plain text only and makes more when
 * escapes grow the output, so the buffer moves in the middle of strings;
 * the sixteen-byte copies meet every kind of byte at every offset. */
static void
long_strings_escape_as_the_rule_says(void **state)
{
	static const char *const pieces[] = {"word ",
	    "\xD0\x9C\xD0\xB8\xD1\x80 ", "\x01", "\x1F", "\"", "\\", "\n",
	    "\xE2\x80\x9C", "\xE2\x80\x94", "\xC2\xAB", "\xF0\x9F\x93\xB0",
	    "\xFF", "\xD0", "\xE2\x80", "\xED\xA0\x80", "\xE0\x80\x80",
	    "\xEF\xBF\xBD", "0123456789abcdef"};
	char *text[4], *want, *json, *at;
	size_t r, t, n, len, cap = 8192;
	uint64_t rng = 7;
	struct nw_event *ev;

	want = malloc(6 * cap + 3);
	assert_non_null(want);
	for (r = 0; r < 200; r++) {
		ev = nw_event_new();
		for (t = 0; t < 4; t++) {
			text[t] = malloc(cap);
			assert_non_null(text[t]);
			/* mostly plain, or mostly awkward, by round */
			for (n = 0;;) {
				const char *p;

				rng = rng * 6364136223846793005ULL +
				    1442695040888963407ULL;
				p = pieces[(r % 2 == 0 && (rng >> 62) != 0)
					? (rng >> 61) % 2
					: (rng >> 33) %
					    (sizeof pieces / sizeof pieces[0])];
				len = strlen(p);
				if (n + len + 1 > (r * 37 + t * 500) % 6000 + 1)
					break;
				memcpy(text[t] + n, p, len);
				n += len;
			}
			text[t][n] = '\0';
			assert_int_equal(nw_strv_push(&ev->body, text[t]), 0);
		}
		json = nw_event_json(ev, (int)(r % 3 == 0));
		assert_non_null(json);
		at = json;
		for (t = 0; t < 4; t++) {
			escape_slowly(text[t], want);
			at = strstr(at, want);
			print_message("round %zu string %zu\n", r, t);
			assert_non_null(at);
			at += strlen(want);
			free(text[t]);
		}
		free(json);
		nw_event_free(ev);
	}
	free(want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(compact_layout_is_exact),
	    cmocka_unit_test(escaping_at_every_offset),
	    cmocka_unit_test(long_strings_escape_as_the_rule_says),
	    cmocka_unit_test(pretty_is_the_same_json),
	    cmocka_unit_test(empty_arrays_stay_on_one_line),
	    cmocka_unit_test(quote_in_the_lede_has_null_paragraph),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
