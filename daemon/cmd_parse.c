/* newswired parse: one JSON event per input file, as JSON Lines. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cmd.h"
#include "newswire/parse.h"

/* BOOTSTRAP: the foundation work replaces this with the full command. */
static int
cmd_parse_exec(int argc, char **argv)
{
	struct nw_parse_opts opts = {0};
	struct nw_event *ev;
	char *buf, *json;
	size_t len;
	FILE *f;
	int i;

	for (i = 1; i < argc; i++) {
		if ((f = fopen(argv[i], "rb")) == NULL)
			return 1;
		buf = malloc(NW_MAX_DISPATCH_DEFAULT);
		len = fread(buf, 1, NW_MAX_DISPATCH_DEFAULT, f);
		fclose(f);
		opts.received_at_ms = (int64_t)time(NULL) * 1000;
		if (nw_parse(buf, len, &opts, &ev, NULL) == NW_OK) {
			json = nw_event_json(ev, 0);
			puts(json);
			free(json);
			nw_event_free(ev);
		}
		free(buf);
	}
	return 0;
}

const struct nw_cmd_entry nw_cmd_parse_entry = {
    .name = "parse",
    .usage = "[--pretty] [--received-at TIME] [--charset NAME] FILE...",
    .summary = "parse dispatches and print one JSON event each",
    .exec = cmd_parse_exec,
};
