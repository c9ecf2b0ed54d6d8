/* Configuration: one INI file read with libinih. Each component (the daemon,
 * every source and sink type) declares its keys in its own NULL-terminated
 * table; the table drives parsing, defaults, validation and
 * `newswired check-config --describe`. */
#ifndef NEWSWIRE_CONFIG_H
#define NEWSWIRE_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum nw_key_type {
	NW_KEY_STRING, /* char * */
	NW_KEY_PATH,   /* char *, must be absolute or relative to the config */
	NW_KEY_INT,    /* long */
	NW_KEY_BOOL,   /* int: yes/no, true/false, on/off, 1/0 */
	NW_KEY_DURATION, /* int64_t milliseconds: "500ms", "30s", "5m", "2h", "7d" */
	NW_KEY_SIZE,   /* size_t bytes: "512k", "1M" */
	NW_KEY_ENUM,   /* char *, one of choices ("a|b|c") */
	NW_KEY_LIST,   /* struct nw_strv: comma-separated */
	NW_KEY_SECRET, /* char *: the contents of a file (credentials) */
};

struct nw_key {
	const char *name;
	enum nw_key_type type;
	const char *def;     /* default as written in a config, or NULL */
	size_t offset;       /* offsetof() into the component's config */
	const char *desc;    /* one line for --describe */
	const char *choices; /* NW_KEY_ENUM: "a|b|c" */
	unsigned flags;      /* NW_KEY_REQUIRED */
};

#define NW_KEY_REQUIRED 0x1 /* no default: the section must set it */

/* Parse one value into conf according to its key (used by the config loader
 * and by components with their own pass-through keys). basedir resolves
 * relative NW_KEY_PATH values; NW_KEY_SECRET paths are resolved against
 * $CREDENTIALS_DIRECTORY when it is set, else against basedir. */
int nw_key_set(const struct nw_key *, void *conf, const char *value,
    const char *basedir, char **cause);
/* Free what a key table's values own inside conf. */
void nw_keys_free(const struct nw_key *, void *conf);
/* Parse a duration ("500ms", "30s", "5m", "2h", "7d"; bare number: seconds)
 * or a size ("512", "512k", "1M", "2G") */
int nw_parse_duration(const char *, int64_t *ms);
int nw_parse_size(const char *, size_t *);
/* The table's keys with type, default and description, for --describe. */
void nw_keys_describe(FILE *, const struct nw_key *);

/* The daemon's settings that sources and sinks must respect, handed to
 * every start(): components read them here and never reach into the
 * daemon. Valid until the component is stopped. */
struct nw_limits {
	const char *state_dir;    /* persistent state (feed GUIDs, ...) */
	size_t max_dispatch_size; /* larger dispatches fail too_large */
	long max_inflight;        /* unconfirmed dispatches before a pause */
	/* The daemon's worker pool (common/workq.h), for blocking work a
	 * component keeps off the loop (file reads, renames); NULL: none. */
	struct nw_workq *workq;
	/* The [daemon] story settings, for a source that owns story indexes
	 * (the story hop's Kafka source). */
	int64_t story_window_ms;
	int64_t story_flash_window_ms;
	long story_max;
};

#endif
