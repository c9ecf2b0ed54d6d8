/* The configuration loader: every error path reports FILE:LINE: reason and
 * rejects the whole file; a good file gets its values and defaults. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "conf.h"

static char dir[] = "/tmp/nwconfXXXXXX";
static char path[256];

static void
write_conf(const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Load text; expect failure with an error containing each of the
 * NULL-terminated substrings, each formatted with the path first. */
static void
expect_errors(const char *text, ...)
{
	struct nw_strv errs = {0};
	struct nw_conf *c = NULL;
	const char *want;
	char full[512];
	size_t i;
	int found;
	va_list ap;

	write_conf(text);
	assert_int_equal(nw_conf_load(path, &c, &errs), -1);
	assert_null(c);
	assert_true(errs.n > 0);
	va_start(ap, text);
	while ((want = va_arg(ap, const char *)) != NULL) {
		/* Every expectation starts with "%s", the file's path. */
		snprintf(full, sizeof full, "%s%s", path, want + 2);
		for (i = 0, found = 0; i < errs.n; i++)
			if (strstr(errs.v[i], full) != NULL)
				found = 1;
		if (!found) {
			for (i = 0; i < errs.n; i++)
				fprintf(stderr, "got: %s\n", errs.v[i]);
			fail_msg("no error contains '%s'", full);
		}
	}
	va_end(ap);
	nw_strv_clear(&errs);
}

#define GOOD_TAIL                                                              \
	"[sink out]\n"                                                         \
	"type = stdout\n"

static void
good_config_gets_values_and_defaults(void **state)
{
	struct nw_strv errs = {0};
	struct nw_conf *c = NULL;

	write_conf("; comment\n"
		   "[daemon]\n"
		   "log_level = debug\n"
		   "shutdown_timeout = 1500ms\n"
		   "max_dispatch_size = 1M\n"
		   "\n"
		   "[source tass]\n"
		   "type = spool\n"
		   "path = spool/tass\n"
		   "sinks = out , file\n"
		   "charset = CP1251\n"
		   "[sink out]\n"
		   "type = stdout\n"
		   "[sink file]\n"
		   "type = file\n"
		   "path = /tmp/x.jsonl\n"
		   "fsync = batch\n");
	assert_int_equal(nw_conf_load(path, &c, &errs), 0);
	assert_int_equal(errs.n, 0);
	assert_non_null(c);
	assert_string_equal(c->daemon.log_level, "debug");
	assert_string_equal(c->daemon.log_format, "text"); /* default */
	assert_int_equal(c->daemon.shutdown_timeout_ms, 1500);
	assert_int_equal(c->daemon.max_dispatch_size, 1024 * 1024);
	assert_int_equal(c->daemon.max_inflight, 4096); /* default */
	assert_int_equal(c->daemon.workers, 0);       /* default: one per CPU */
	assert_int_equal(c->daemon.story_max, 20000); /* defaults */
	assert_true(c->daemon.story_window_ms == 36LL * 3600 * 1000);
	assert_string_equal(c->daemon.repeats, "drop");
	assert_int_equal(c->nsources, 1);
	assert_int_equal(c->nsinks, 2);
	assert_string_equal(c->sources[0].name, "tass");
	assert_string_equal(c->sources[0].common.charset, "CP1251");
	assert_int_equal(c->sources[0].nroutes, 2);
	assert_int_equal(c->sources[0].routes[0], 0);
	assert_int_equal(c->sources[0].routes[1], 1);
	assert_string_equal(c->sinks[1].type, "file");
	/* Relative paths are relative to the file's directory. */
	{
		char want[300];
		char *spool = *(char **)c->sources[0].conf;
		snprintf(want, sizeof want, "%s/spool/tass", dir);
		assert_string_equal(spool, want);
	}
	nw_conf_free(c);
}

/* "a/./b/../c" relative to the file reads as "a/c" in logs; ".." above the
 * file's directory stays meaningful. */
static void
relative_paths_are_tidied(void **state)
{
	struct nw_strv errs = {0};
	struct nw_conf *c = NULL;
	char want[300], *parent, *slash;

	write_conf("[source tass]\n"
		   "type = spool\n"
		   "path = ./a/./b/../spool//tass/\n"
		   "sinks = out\n"
		   "[source other]\n"
		   "type = spool\n"
		   "path = ../up\n"
		   "sinks = out\n" GOOD_TAIL);
	assert_int_equal(nw_conf_load(path, &c, &errs), 0);
	snprintf(want, sizeof want, "%s/a/spool/tass", dir);
	assert_string_equal(*(char **)c->sources[0].conf, want);
	parent = strdup(dir);
	slash = strrchr(parent, '/');
	*slash = '\0';
	snprintf(want, sizeof want, "%s/up", parent);
	assert_string_equal(*(char **)c->sources[1].conf, want);
	free(parent);
	nw_conf_free(c);
}

static void
missing_file_is_an_error(void **state)
{
	struct nw_strv errs = {0};
	struct nw_conf *c = NULL;

	assert_int_equal(nw_conf_load("/nonexistent/x.conf", &c, &errs), -1);
	assert_int_equal(errs.n, 1);
	assert_non_null(strstr(errs.v[0], "/nonexistent/x.conf"));
	nw_strv_clear(&errs);
}

static void
syntax_error_has_line(void **state)
{
	expect_errors("[daemon]\nlog_level = info\nthis is not ini\n",
	    "%s:3: syntax error", NULL);
}

static void
key_outside_section(void **state)
{
	expect_errors("stray = 1\n", "%s:1: key 'stray' outside", NULL);
}

static void
duplicate_key(void **state)
{
	expect_errors("[source a]\ntype = spool\npath = /x\nsinks = out\n"
		      "path = /y\n" GOOD_TAIL,
	    "%s:5: duplicate key 'path' in [source a] (first on line 3)", NULL);
}

static void
repeated_section(void **state)
{
	expect_errors("[source a]\ntype = spool\npath = /x\nsinks = out\n"
		      "[sink out]\ntype = stdout\n[source a]\n",
	    "%s:7: section [source a] repeated", NULL);
}

static void
unknown_section(void **state)
{
	expect_errors(
	    "[source a]\ntype = spool\npath = /x\nsinks = out\n" GOOD_TAIL
	    "[frobnicate]\nx = 1\n",
	    "%s:7: unknown section [frobnicate]", NULL);
}

static void
bad_component_name(void **state)
{
	expect_errors(
	    "[source a/b]\ntype = spool\n", "%s:1: bad name 'a/b'", NULL);
}

static void
missing_type_and_required_keys(void **state)
{
	expect_errors("[source a]\nsinks = out\n" GOOD_TAIL
		      "[source b]\ntype = spool\nsinks = out\n",
	    "%s:1: [source a] needs type", "%s:5: [source b] needs path", NULL);
}

static void
unknown_types(void **state)
{
	expect_errors("[source a]\ntype = carrier-pigeon\nsinks = out\n"
		      "[sink out]\ntype = fax\n",
	    "%s:2: unknown source type 'carrier-pigeon' (known: spool",
	    "%s:5: unknown sink type 'fax' (known: ", NULL);
}

static void
unknown_keys_everywhere(void **state)
{
	expect_errors("[daemon]\nloglevel = info\n"
		      "[source a]\ntype = spool\npath = /x\nsinks = out\n"
		      "colour = red\n"
		      "[sink out]\ntype = stdout\nsize = 3\n",
	    "%s:2: unknown key 'loglevel' in [daemon]",
	    "%s:7: unknown key 'colour' in [source a]",
	    "%s:10: unknown key 'size' in [sink out]", NULL);
}

static void
bad_values_of_each_type(void **state)
{
	expect_errors("[daemon]\n"
		      "max_inflight = lots\n"        /* 2 int */
		      "shutdown_timeout = 3 weeks\n" /* 3 duration */
		      "max_dispatch_size = 12Q\n"    /* 4 size */
		      "log_format = xml\n"           /* 5 enum */
		      "[source a]\ntype = spool\npath = /x\nsinks = out\n"
		      "recursive = perhaps\n" /* 10 bool */
	    GOOD_TAIL,
	    "%s:2: invalid integer value for max_inflight: 'lots'",
	    "%s:3: invalid duration value for shutdown_timeout",
	    "%s:4: invalid size value for max_dispatch_size",
	    "%s:5: log_format must be one of text|json, not 'xml'",
	    "%s:10: invalid boolean value for recursive", NULL);
}

static void
routing_errors(void **state)
{
	expect_errors(
	    "[source a]\ntype = spool\npath = /x\nsinks = out, nowhere\n"
	    "[source b]\ntype = spool\npath = /y\nsinks = out, out\n"
	    "[sink out]\ntype = stdout\n"
	    "[sink idle]\ntype = stdout\n",
	    "%s:1: [source a] routes to sink 'nowhere'",
	    "%s:5: [source b] lists sink 'out' twice",
	    "%s:11: [sink idle] is not in any source's sinks", NULL);
}

static void
empty_sinks_and_no_sources(void **state)
{
	expect_errors("[source a]\ntype = spool\npath = /x\nsinks = ,\n",
	    "%s:4: sinks is empty", NULL);
	expect_errors(
	    "[daemon]\nlog_level = info\n", "%s:2: no [source NAME]", NULL);
}

static void
component_check_rejects(void **state)
{
	expect_errors("[source a]\ntype = spool\npath = /x\nsinks = out\n"
		      "retry_min = 10s\nretry_max = 1s\n" GOOD_TAIL,
	    "%s:1: [source a]: retry_min must be > 0 and <= retry_max", NULL);
	expect_errors("[source a]\ntype = spool\npath = /x\nsinks = out\n"
		      "[sink out]\ntype = file\npath = /x\nmode = rw\n",
	    "%s:5: [sink out]: mode must be octal", NULL);
}

static void
daemon_range_checks(void **state)
{
	expect_errors(
	    "[daemon]\nmax_inflight = 0\n"
	    "[source a]\ntype = spool\npath = /x\nsinks = out\n" GOOD_TAIL,
	    "%s:2: max_inflight must be within 1..100000", NULL);
	expect_errors(
	    "[daemon]\nstory_max = 0\nstory_window = 10s\n"
	    "repeats = sometimes\n"
	    "[source a]\ntype = spool\npath = /x\nsinks = out\n" GOOD_TAIL,
	    "%s:4: repeats must be one of drop|publish, not 'sometimes'",
	    "%s:2: story_max must be within 1..1000000",
	    "%s:3: story_window must be at least 1m, story_flash_window at "
	    "least 1s",
	    NULL);
}

static void
more_value_errors(void **state)
{
	expect_errors("[daemon]\nmax_dispatch_size = 0\n"
		      "[source a]\ntype = spool\npath =\nsinks = out, b/c\n"
		      "[source]\ntype = spool\n" GOOD_TAIL,
	    "%s:2: max_dispatch_size must not be 0",
	    "%s:5: invalid empty value for path", "%s:6: bad sink name 'b/c'",
	    "%s:7: unknown section [source]", NULL);
}

static void
oversized_config_and_secret_rejected(void **state)
{
	struct nw_strv errs = {0};
	struct secret_conf_big {
		char *s;
	} sc = {0};
	static const struct nw_key k = {
	    .name = "s", .type = NW_KEY_SECRET, .offset = 0};
	struct nw_conf *c;
	char p[300], *cause = NULL;
	FILE *f = fopen(path, "w");
	size_t i;

	for (i = 0; i < 70000; i++)
		fputs("; padding a comment line to make the file large\n", f);
	fclose(f);
	assert_int_equal(nw_conf_load(path, &c, &errs), -1);
	assert_non_null(strstr(errs.v[0], "larger than 1M"));
	nw_strv_clear(&errs);
	snprintf(p, sizeof p, "%s/big-secret", dir);
	f = fopen(p, "w");
	for (i = 0; i < 70000; i++)
		fputc('x', f);
	fclose(f);
	assert_int_equal(nw_key_set(&k, &sc, p, dir, &cause), -1);
	assert_non_null(strstr(cause, "over 64k"));
	free(cause);
	unlink(p);
}

static void
long_lines(void **state)
{
	struct nw_strv errs = {0};
	struct nw_conf *c = NULL;
	char *text = malloc(200000);

	/* 600 bytes: fine, and later line numbers stay right. */
	snprintf(text, 200000,
	    "[daemon]\nstate_dir = /tmp/%0600d\n"
	    "[source a]\ntype = spool\npath = /x\nsinks = out\n" GOOD_TAIL,
	    0);
	write_conf(text);
	assert_int_equal(nw_conf_load(path, &c, &errs), 0);
	assert_int_equal(strlen(c->daemon.state_dir), 605);
	nw_conf_free(c);
	snprintf(text, 200000,
	    "[daemon]\nstate_dir = /tmp/%0600d\n"
	    "[source a]\ntype = spool\npath = /x\nsinks = out\nx = "
	    "1\n" GOOD_TAIL,
	    0);
	expect_errors(text, "%s:7: unknown key 'x'", NULL);
	/* Over 64k: an error on its line. */
	snprintf(text, 200000, "[daemon]\nstate_dir = /tmp/%070000d\n", 0);
	expect_errors(text, "%s:2: line longer than 65536 bytes", NULL);
	free(text);
}

static void
binary_file_rejected(void **state)
{
	FILE *f = fopen(path, "w");
	struct nw_strv errs = {0};
	struct nw_conf *c;

	fwrite("[daemon]\n\0\0", 1, 11, f);
	fclose(f);
	assert_int_equal(nw_conf_load(path, &c, &errs), -1);
	assert_non_null(strstr(errs.v[0], "binary"));
	nw_strv_clear(&errs);
}

static void
errors_sorted_by_line(void **state)
{
	struct nw_strv errs = {0};
	struct nw_conf *c;
	size_t i;
	long prev = 0, line;

	write_conf("[sink zz]\ntype = nope\n[daemon]\nbad = 1\n"
		   "[source a]\ntype = spool\nsinks = zz\nfoo = 1\n");
	assert_int_equal(nw_conf_load(path, &c, &errs), -1);
	assert_true(errs.n >= 3);
	for (i = 0; i < errs.n; i++) {
		line = strtol(strchr(errs.v[i], ':') + 1, NULL, 10);
		assert_true(line >= prev);
		prev = line;
	}
	nw_strv_clear(&errs);
}

struct secret_conf {
	char *token;
};

static const struct nw_key secret_keys[] = {
    {.name = "token",
	.type = NW_KEY_SECRET,
	.offset = offsetof(struct secret_conf, token),
	.desc = "a token"},
    {.name = NULL},
};

static void
secret_read_from_credentials_directory(void **state)
{
	struct secret_conf sc = {0};
	char p[300], *cause = NULL;
	FILE *f;

	snprintf(p, sizeof p, "%s/tok", dir);
	f = fopen(p, "w");
	fputs("s3cret\n", f);
	fclose(f);
	setenv("CREDENTIALS_DIRECTORY", dir, 1);
	assert_int_equal(
	    nw_key_set(&secret_keys[0], &sc, "tok", "/", &cause), 0);
	assert_string_equal(sc.token, "s3cret"); /* newline stripped */
	unsetenv("CREDENTIALS_DIRECTORY");
	/* Without it, relative to the config's directory. */
	assert_int_equal(
	    nw_key_set(&secret_keys[0], &sc, "tok", dir, &cause), 0);
	assert_string_equal(sc.token, "s3cret");
	assert_int_equal(
	    nw_key_set(&secret_keys[0], &sc, "missing", dir, &cause), -1);
	assert_non_null(strstr(cause, "cannot read secret"));
	free(cause);
	nw_keys_free(secret_keys, &sc);
	assert_null(sc.token);
	unlink(p);
}

static void
durations_and_sizes(void **state)
{
	int64_t ms;
	size_t sz;

	assert_int_equal(nw_parse_duration("500ms", &ms), 0);
	assert_int_equal(ms, 500);
	assert_int_equal(nw_parse_duration("30", &ms), 0);
	assert_int_equal(ms, 30000);
	assert_int_equal(nw_parse_duration("7d", &ms), 0);
	assert_int_equal(ms, 7 * 86400 * 1000LL);
	assert_int_equal(nw_parse_duration("1.5s", &ms), 0);
	assert_int_equal(ms, 1500);
	assert_int_equal(nw_parse_duration("-1s", &ms), -1);
	assert_int_equal(nw_parse_duration("s", &ms), -1);
	assert_int_equal(nw_parse_size("512k", &sz), 0);
	assert_int_equal(sz, 512 * 1024);
	assert_int_equal(nw_parse_size("2MB", &sz), 0);
	assert_int_equal(sz, 2 * 1024 * 1024);
	assert_int_equal(nw_parse_size("12Q", &sz), -1);
	assert_int_equal(nw_parse_size("", &sz), -1);
}

static void
describe_lists_every_type(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	nw_conf_describe(f);
	fclose(f);
	assert_non_null(strstr(buf, "[daemon]"));
	assert_non_null(strstr(buf, "type = spool"));
	assert_non_null(strstr(buf, "type = file"));
	assert_non_null(strstr(buf, "type = stdout"));
	assert_non_null(strstr(buf, "shutdown_timeout"));
	assert_non_null(strstr(buf, "default 30s"));
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(good_config_gets_values_and_defaults),
	    cmocka_unit_test(relative_paths_are_tidied),
	    cmocka_unit_test(missing_file_is_an_error),
	    cmocka_unit_test(syntax_error_has_line),
	    cmocka_unit_test(key_outside_section),
	    cmocka_unit_test(duplicate_key),
	    cmocka_unit_test(repeated_section),
	    cmocka_unit_test(unknown_section),
	    cmocka_unit_test(bad_component_name),
	    cmocka_unit_test(missing_type_and_required_keys),
	    cmocka_unit_test(unknown_types),
	    cmocka_unit_test(unknown_keys_everywhere),
	    cmocka_unit_test(bad_values_of_each_type),
	    cmocka_unit_test(routing_errors),
	    cmocka_unit_test(empty_sinks_and_no_sources),
	    cmocka_unit_test(component_check_rejects),
	    cmocka_unit_test(daemon_range_checks),
	    cmocka_unit_test(more_value_errors),
	    cmocka_unit_test(oversized_config_and_secret_rejected),
	    cmocka_unit_test(long_lines),
	    cmocka_unit_test(binary_file_rejected),
	    cmocka_unit_test(errors_sorted_by_line),
	    cmocka_unit_test(secret_read_from_credentials_directory),
	    cmocka_unit_test(durations_and_sizes),
	    cmocka_unit_test(describe_lists_every_type),
	};
	int rc;

	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof path, "%s/test.conf", dir);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	unlink(path);
	rmdir(dir);
	return rc;
}
