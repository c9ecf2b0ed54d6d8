/* Sub-commands of the newswired binary: one constant entry per command,
 * filled in by field name, listed in main.c's NULL-terminated table. */
#ifndef NW_CMD_H
#define NW_CMD_H

struct nw_cmd_entry {
	const char *name;
	const char *usage;   /* arguments after the name */
	const char *summary; /* one line for --help */
	/* argv[0] is the command name. Returns the process exit status. */
	int (*exec)(int argc, char **argv);
};

extern const struct nw_cmd_entry nw_cmd_parse_entry;
extern const struct nw_cmd_entry nw_cmd_run_entry;
extern const struct nw_cmd_entry nw_cmd_check_config_entry;
extern const struct nw_cmd_entry nw_cmd_tail_entry;

#endif
