/* What `newswired tail` prints for one message, without a broker: the
 * contracts it reads (newswired.event/1, /2 with its story object, ninjs,
 * the file sink's dead letters), the filters, and that control characters
 * in dispatch text never reach the terminal. The events are hand-written
 * lines (contract 2's story object is issue 13's, not yet produced). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tail_view.h"

#define EV1                                                                    \
	"{\"schema\":\"newswired.event/1\",\"id\":\"a1\",\"language\":\"en\"," \
	"\"agency\":\"TASS\",\"headline\":\"Port handles record coal\","       \
	"\"dateline\":{\"city\":\"MURMANSK\"},"                                \
	"\"received_at\":\"2026-07-03T09:14:02.000Z\","                        \
	"\"speakers\":[{\"name\":\"Igor Semyonov\",\"title\":\"port "          \
	"chief\"}],"                                                           \
	"\"quotes\":[{\"text\":\"Two more trains a day\",\"kind\":\"direct\"," \
	"\"speaker\":{\"name\":\"Igor Semyonov\",\"title\":\"port chief\"}},"  \
	"{\"text\":\"Exports grew\",\"kind\":\"indirect\","                    \
	"\"speaker\":{\"name\":\"Igor Semyonov\"}}]}"

#define EV2                                                                          \
	"{\"schema\":\"newswired.event/2\",\"id\":\"b2\",\"language\":\"ru\","       \
	"\"agency\":\"TASS\",\"headline\":\"Мост откроют осенью\"," \
	"\"dateline\":{\"city\":\"КАЗАНЬ\"},"                                  \
	"\"received_at\":\"2026-07-05T10:00:00.000Z\","                              \
	"\"speakers\":[{\"name\":\"Ильсур Метшин\"}],\"quotes\":[],"     \
	"\"story\":{\"key\":\"kazan-bridge\",\"version\":3,\"kind\":"                \
	"\"correction\",\"supersedes\":\"b1\"}}"

#define NINJS                                                                  \
	"{\"uri\":\"urn:newswired:event:c3\",\"standard\":{\"name\":"          \
	"\"ninjs\","                                                           \
	"\"version\":\"2.1\"},\"language\":\"en\",\"versioncreated\":"         \
	"\"2026-07-04T08:00:00.000Z\",\"located\":\"Vladivostok\","            \
	"\"headlines\":[{\"role\":\"subhead\",\"value\":\"sub\"},{\"role\":"   \
	"\"main\",\"value\":\"Ferry to run all winter\"}],\"infosources\":"    \
	"[{\"name\":\"TASS\"}],\"newswired_quotes\":[{\"text\":\"An "          \
	"ice-class "                                                           \
	"vessel\",\"kind\":\"direct\",\"speaker\":{\"name\":\"Oksana "         \
	"Belova\"}}]}"

static char *
render(const char *msg, const struct nw_tail_opts *o, enum nw_tail_rc *rc)
{
	char *out = NULL;

	*rc = nw_tail_render(msg, strlen(msg), o, &out);
	return out;
}

static void
contract_1_line_has_time_agency_city_headline_speaker(void **state)
{
	struct nw_tail_opts o = {0};
	enum nw_tail_rc rc;
	char *out = render(EV1 "\n", &o, &rc);

	assert_int_equal(rc, NW_TAIL_SHOWN);
	assert_string_equal(out,
	    "07-03 09:14:02  TASS  MURMANSK  Port handles record coal  "
	    "\xe2\x80\x94 Igor Semyonov, port chief\n");
	free(out);
}

static void
contract_2_shows_story_version_and_kind(void **state)
{
	struct nw_tail_opts o = {0};
	enum nw_tail_rc rc;
	char *out = render(EV2, &o, &rc);

	assert_int_equal(rc, NW_TAIL_SHOWN);
	assert_non_null(strstr(out, "Мост откроют осенью"));
	assert_non_null(strstr(out, "[v3 correction]\n"));
	free(out);
	o.color = 1;
	out = render(EV2, &o, &rc);
	/* A correction stands out in red. */
	assert_non_null(strstr(out, "\033[1;31m[v3 correction]\033[0m"));
	free(out);
}

static void
quotes_one_line_each_direct_in_quotation_marks(void **state)
{
	struct nw_tail_opts o = {.quotes = 1};
	enum nw_tail_rc rc;
	char *out = render(EV1, &o, &rc);

	assert_int_equal(rc, NW_TAIL_SHOWN);
	assert_string_equal(out,
	    "07-03 09:14:02  TASS  Igor Semyonov, port chief: \"Two more "
	    "trains a day\"\n"
	    "07-03 09:14:02  TASS  Igor Semyonov (reported): Exports grew\n");
	free(out);
}

static void
ninjs_reads_like_an_event(void **state)
{
	struct nw_tail_opts o = {0};
	enum nw_tail_rc rc;
	char *out = render(NINJS, &o, &rc);

	assert_int_equal(rc, NW_TAIL_SHOWN);
	assert_string_equal(out,
	    "07-04 08:00:00  TASS  Vladivostok  Ferry to run all winter  "
	    "\xe2\x80\x94 Oksana Belova\n");
	free(out);
}

static void
filters_keep_exactly_what_they_name(void **state)
{
	struct nw_tail_opts o = {0};
	enum nw_tail_rc rc;
	char *out;

	o.speaker = "SEMYON";
	out = render(EV1, &o, &rc);
	assert_int_equal(rc, NW_TAIL_SHOWN);
	free(out);
	assert_null(render(EV2, &o, &rc));
	assert_int_equal(rc, NW_TAIL_FILTERED);
	o.speaker = "МЕТШИН"; /* case folded in Cyrillic */
	free(render(EV2, &o, &rc));
	assert_int_equal(rc, NW_TAIL_SHOWN);
	memset(&o, 0, sizeof o);
	o.story = "kazan-bridge";
	free(render(EV2, &o, &rc));
	assert_int_equal(rc, NW_TAIL_SHOWN);
	assert_null(render(EV1, &o, &rc)); /* contract 1 has no story */
	assert_int_equal(rc, NW_TAIL_FILTERED);
	memset(&o, 0, sizeof o);
	o.language = "EN";
	free(render(NINJS, &o, &rc));
	assert_int_equal(rc, NW_TAIL_SHOWN);
	assert_null(render(EV2, &o, &rc));
	o.language = NULL;
	o.agency = "ria novosti";
	assert_null(render(EV1, &o, &rc));
	assert_int_equal(rc, NW_TAIL_FILTERED);
}

static void
json_passes_the_message_through(void **state)
{
	struct nw_tail_opts o = {.json = 1};
	enum nw_tail_rc rc;
	char *out = render(EV2 "\r\n", &o, &rc);

	assert_int_equal(rc, NW_TAIL_SHOWN);
	assert_string_equal(out, EV2 "\n");
	free(out);
}

static void
none_of_the_contracts_says_why(void **state)
{
	struct nw_tail_opts o = {0};
	enum nw_tail_rc rc;
	char *out = render("hello there", &o, &rc);

	assert_int_equal(rc, NW_TAIL_UNKNOWN);
	assert_non_null(strstr(out, "not a newswired event"));
	assert_non_null(strstr(out, "not JSON"));
	free(out);
	out = render("{\"schema\":\"newswired.event/9\"}", &o, &rc);
	assert_int_equal(rc, NW_TAIL_UNKNOWN);
	assert_non_null(strstr(out, "newswired.event/9"));
	free(out);
	out = render("{\"title\":\"x\"}", &o, &rc);
	assert_int_equal(rc, NW_TAIL_UNKNOWN);
	free(out);
	out = render("{\"dead_letter\":{\"reason\":\"binary\",\"source\":"
		     "\"wire\"}}",
	    &o, &rc);
	assert_int_equal(rc, NW_TAIL_SHOWN);
	assert_string_equal(out, "DEAD LETTER  source=wire reason=binary\n");
	free(out);
}

static void
control_characters_never_reach_the_terminal(void **state)
{
	struct nw_tail_opts o = {0};
	enum nw_tail_rc rc;
	const char *p;
	int n;
	/* An escape sequence (clear screen), a carriage return, a C1 CSI. */
	char *out =
	    render("{\"schema\":\"newswired.event/1\",\"agency\":\"TASS\","
		   "\"headline\":\"a\\u001b[2Jb\\rc\\u009bd\\ne\"}",
		&o, &rc);

	assert_int_equal(rc, NW_TAIL_SHOWN);
	assert_non_null(strstr(out, "a [2Jb c d e"));
	assert_null(strchr(out, '\033'));
	assert_null(strchr(out, '\r'));
	assert_null(strstr(out, "\xc2\x9b"));
	/* One line: the only newline is the last character. */
	for (n = 0, p = out; *p != '\0'; p++)
		n += *p == '\n';
	assert_int_equal(n, 1);
	assert_int_equal(out[strlen(out) - 1], '\n');
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(
		contract_1_line_has_time_agency_city_headline_speaker),
	    cmocka_unit_test(contract_2_shows_story_version_and_kind),
	    cmocka_unit_test(quotes_one_line_each_direct_in_quotation_marks),
	    cmocka_unit_test(ninjs_reads_like_an_event),
	    cmocka_unit_test(filters_keep_exactly_what_they_name),
	    cmocka_unit_test(json_passes_the_message_through),
	    cmocka_unit_test(none_of_the_contracts_says_why),
	    cmocka_unit_test(control_characters_never_reach_the_terminal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
