/* newswired parse: one JSON event per input file (or "-" for standard
 * input), as JSON Lines in input order; failures go to standard error as
 * "FILE: reason-code: message" and the others are still printed. The files
 * go through one story index in order, so a chain can be tried here. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "newswire/parse.h"
#include "newswire/story.h"
#include "nwtime.h"

/* Parse an RFC 3339 time ("2025-01-02T03:04:05Z", "...05.250+03:00")
 * into Unix milliseconds. -1 when malformed. */
static int
parse_rfc3339(const char *s, int64_t *ms)
{
	int y, mo, d, h, mi, sec, n = 0, frac = 0, digits = 0, oh, om;
	int64_t off = 0;
	struct tm tm;
	time_t t;

	if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
		return -1;
	s += n;
	if (*s != 'T' && *s != 't' && *s != ' ')
		return -1;
	s++;
	if (sscanf(s, "%2d:%2d:%2d%n", &h, &mi, &sec, &n) != 3 || n != 8)
		return -1;
	s += n;
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++, digits++)
			if (digits < 3)
				frac = frac * 10 + (*s - '0');
		if (digits == 0)
			return -1;
		for (; digits < 3; digits++)
			frac *= 10;
	}
	if (*s == 'Z' || *s == 'z') {
		s++;
	} else if (*s == '+' || *s == '-') {
		if (sscanf(s + 1, "%2d:%2d%n", &oh, &om, &n) != 2 || n != 5 ||
		    oh > 23 || om > 59)
			return -1;
		off = (int64_t)(oh * 60 + om) * 60;
		if (*s == '-')
			off = -off;
		s += 6;
	} else {
		return -1;
	}
	if (*s != '\0' || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || sec > 60)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	if ((t = timegm(&tm)) == (time_t)-1)
		return -1;
	*ms = ((int64_t)t - off) * 1000 + frac;
	return 0;
}

/* Read all of f, but no more than limit + 1 bytes: that is enough to
 * know the input is too large without holding all of it. */
static int
read_input(FILE *f, size_t limit, char **bufp, size_t *lenp)
{
	size_t cap = 65536, len = 0, want = limit + 1, got;
	char *buf = NULL, *nb;

	for (;;) {
		if (len == cap || buf == NULL) {
			if (buf != NULL)
				cap *= 2;
			if (cap > want)
				cap = want;
			if ((nb = realloc(buf, cap + 1)) == NULL)
				goto fail;
			buf = nb;
		}
		if (len == want)
			break;
		got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0) {
			if (ferror(f))
				goto fail;
			break;
		}
	}
	*bufp = buf;
	*lenp = len;
	return 0;
fail:
	free(buf);
	return -1;
}

/* --explain: why each quotation has its speaker, on standard error so the
 * events on standard output stay as they are. */
static void
explain_line(void *arg, const char *line)
{
	fprintf(stderr, "%s: explain: %s\n", (const char *)arg, line);
}

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: newswired parse [--pretty] [--explain] [--received-at "
	    "TIME] [--charset NAME] [--max-size BYTES] FILE...\n"
	    "       FILE may be - for standard input\n");
}

/* The story stage over the files in order: one index for the run. */
static int
story_one(struct nw_story_index *idx, struct nw_event *ev)
{
	struct nw_story_hint hint = {.source = "file", .uri = ev->source.uri};

	if (idx == NULL || (ev->story = malloc(sizeof *ev->story)) == NULL)
		return -1;
	return nw_story_assign(
	    idx, ev, &hint, ev->received_at_ms, ev->story, NULL, NULL);
}

static int
parse_one(const char *path, struct nw_parse_opts *opts, int pretty,
    struct nw_story_index *idx)
{
	struct nw_origin origin = {.type = "file", .name = NULL};
	struct nw_event *ev = NULL;
	enum nw_reason rc;
	char *buf = NULL, *json, *cause = NULL;
	size_t len, limit;
	FILE *f;
	int stdin_input = strcmp(path, "-") == 0;

	limit = opts->max_size ? opts->max_size : NW_MAX_DISPATCH_DEFAULT;
	if (stdin_input)
		f = stdin;
	else if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "%s: io: %s\n", path, strerror(errno));
		return -1;
	}
	if (read_input(f, limit, &buf, &len) < 0) {
		fprintf(stderr, "%s: io: %s\n", path, strerror(errno));
		if (!stdin_input)
			fclose(f);
		return -1;
	}
	if (!stdin_input)
		fclose(f);
	if (len > limit) {
		/* only limit + 1 bytes were read: say so rather than a size */
		fprintf(stderr, "%s: %s: more than the limit of %zu bytes\n",
		    path, nw_reason_code(NW_ERR_TOO_LARGE), limit);
		free(buf);
		return -1;
	}
	origin.uri = stdin_input ? NULL : (char *)(uintptr_t)path;
	opts->source = &origin;
	if (opts->explain != NULL)
		opts->explain_arg = (void *)(uintptr_t)path;
	rc = nw_parse(buf, len, opts, &ev, &cause);
	free(buf);
	if (rc != NW_OK) {
		fprintf(stderr, "%s: %s: %s\n", path, nw_reason_code(rc),
		    cause != NULL ? cause : "failed");
		free(cause);
		return -1;
	}
	if (story_one(idx, ev) < 0 ||
	    (json = nw_event_json(ev, pretty)) == NULL) {
		fprintf(stderr, "%s: internal: cannot serialise\n", path);
		nw_event_free(ev);
		return -1;
	}
	puts(json);
	free(json);
	nw_event_free(ev);
	return 0;
}

static int
cmd_parse_exec(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"pretty", no_argument, NULL, 'p'},
	    {"explain", no_argument, NULL, 'x'},
	    {"received-at", required_argument, NULL, 'r'},
	    {"charset", required_argument, NULL, 'c'},
	    {"max-size", required_argument, NULL, 'm'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct nw_parse_opts opts = {0};
	struct nw_story_index *idx;
	unsigned long long size;
	char *end;
	int ch, i, pretty = 0, failed = 0;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
		switch (ch) {
		case 'p':
			pretty = 1;
			break;
		case 'x':
			opts.explain = explain_line;
			break;
		case 'r':
			if (parse_rfc3339(optarg, &opts.received_at_ms) < 0) {
				fprintf(stderr,
				    "newswired parse: --received-at: not an "
				    "RFC 3339 time: %s\n",
				    optarg);
				return 2;
			}
			break;
		case 'c':
			opts.charset = optarg;
			break;
		case 'm':
			errno = 0;
			size = strtoull(optarg, &end, 10);
			if (errno != 0 || end == optarg || *end != '\0' ||
			    size == 0 || optarg[0] == '-') {
				fprintf(stderr,
				    "newswired parse: --max-size: not a "
				    "positive number of bytes: %s\n",
				    optarg);
				return 2;
			}
			opts.max_size = (size_t)size;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			fprintf(stderr, "newswired parse: bad option %s\n",
			    argv[optind - 1]);
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	if (opts.received_at_ms == 0) {
		opts.received_at_ms = nw_now_ms();
	}
	idx = nw_story_index_new(NULL);
	for (i = optind; i < argc; i++)
		if (parse_one(argv[i], &opts, pretty, idx) < 0)
			failed = 1;
	nw_story_index_free(idx);
	fflush(stdout);
	return failed;
}

const struct nw_cmd_entry nw_cmd_parse_entry = {
    .name = "parse",
    .usage = "[--pretty] [--explain] [--received-at TIME] [--charset NAME] "
	     "[--max-size BYTES] FILE...",
    .summary = "parse dispatches and print one JSON event each",
    .exec = cmd_parse_exec,
};
