/* The daemon's configuration as loaded from one INI file: the [daemon]
 * section, and every [source NAME] and [sink NAME] with its type's key table
 * already applied. A loaded nw_conf is complete and valid, or not at all. */
#ifndef NW_CONF_H
#define NW_CONF_H

#include <stdint.h>
#include <stdio.h>

#include "newswire/config.h"
#include "newswire/event.h"
#include "newswire/sink.h"
#include "newswire/source.h"

/* [daemon] */
struct nw_daemon_conf {
	char *state_dir;
	char *log_level;
	char *log_format;
	char *admin_address;     /* "" or "none": no admin endpoint */
	char *admin_credentials; /* USER:PASSWORD lines, or NULL */
	int64_t shutdown_timeout_ms;
	size_t max_dispatch_size;
	long max_inflight;
	int64_t story_window_ms; /* a story takes new versions this long */
	int64_t
	    story_flash_window_ms; /* a flash waits this long for its text */
	long story_max;            /* stories kept, oldest dropped first */
	char *repeats;             /* "drop" or "publish" */
	long workers;              /* 0: one per CPU */
};

/* Keys every source has, whatever its type. */
struct nw_source_common {
	char *type;
	struct nw_strv sinks; /* routing: names of [sink NAME] sections */
	char *charset;        /* NULL: UTF-8 or detected */
};

struct nw_conf_source {
	char *name;
	const struct nw_source_ops *ops;
	void *conf; /* the type's struct, filled by ops->keys */
	struct nw_source_common common;
	size_t *routes; /* indices into nw_conf.sinks */
	size_t nroutes;
	int line;
};

struct nw_conf_sink {
	char *name;
	const struct nw_sink_ops *ops;
	void *conf;
	char *type;
	int line;
};

struct nw_conf {
	char *path;
	char *dir;  /* the config file's directory, for relative paths */
	char *text; /* the file as read, to notice an unchanged reload */
	struct nw_daemon_conf daemon;
	struct nw_conf_source *sources;
	size_t nsources;
	struct nw_conf_sink *sinks;
	size_t nsinks;
};

/* Load and validate path. On failure returns -1 and appends one
 * "FILE:LINE: reason" line per error to errs. */
int nw_conf_load(const char *path, struct nw_conf **out, struct nw_strv *errs);
void nw_conf_free(struct nw_conf *);
/* Every section's keys with type, default and description. */
void nw_conf_describe(FILE *);

extern const struct nw_key nw_daemon_keys[];
extern const struct nw_key nw_source_common_keys[];

#endif
