/* newswired: the command-line front end. Picks a sub-command from the table
 * and runs it; everything else lives in the cmd_*.c files. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "newswire/version.h"

static const struct nw_cmd_entry *const cmd_table[] = {
    &nw_cmd_parse_entry,
    &nw_cmd_run_entry,
    &nw_cmd_check_config_entry,
    &nw_cmd_tail_entry,
    NULL,
};

static void
usage(FILE *f)
{
	const struct nw_cmd_entry *const *c;

	fprintf(f, "usage: newswired COMMAND [ARGS]\n\ncommands:\n");
	for (c = cmd_table; *c != NULL; c++)
		fprintf(f, "  %-14s %s\n      %s %s\n", (*c)->name,
		    (*c)->summary, (*c)->name, (*c)->usage);
	fprintf(f,
	    "\n  --version      print the version\n"
	    "  --help         print this help\n");
}

int
main(int argc, char **argv)
{
	const struct nw_cmd_entry *const *c;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("newswired %s\n", NW_VERSION);
		return 0;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	for (c = cmd_table; *c != NULL; c++) {
		if (strcmp((*c)->name, argv[1]) == 0)
			return (*c)->exec(argc - 1, argv + 1);
	}
	fprintf(stderr, "newswired: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
