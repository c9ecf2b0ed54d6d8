/* Configuration loading: libinih reads the INI syntax, the key tables of the
 * daemon and of each source and sink type drive values, defaults and
 * validation. Every error is collected as FILE:LINE: reason; any error
 * rejects the whole file. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <ini.h>

#include "conf.h"

#define CONF_MAX_SIZE (1024 * 1024)
#define CONF_MAX_LINE 65536

const struct nw_key nw_daemon_keys[] = {
    {.name = "state_dir",
	.type = NW_KEY_PATH,
	.def = "/var/lib/newswired",
	.offset = offsetof(struct nw_daemon_conf, state_dir),
	.desc =
	    "directory for the daemon's persistent state (feed GUIDs, ...)"},
    {.name = "log_level",
	.type = NW_KEY_ENUM,
	.def = "info",
	.offset = offsetof(struct nw_daemon_conf, log_level),
	.desc = "least important log level written",
	.choices = "error|warning|info|debug"},
    {.name = "log_format",
	.type = NW_KEY_ENUM,
	.def = "text",
	.offset = offsetof(struct nw_daemon_conf, log_format),
	.desc = "text for people, json for one JSON object per line",
	.choices = "text|json"},
    {.name = "admin_address",
	.type = NW_KEY_STRING,
	.def = "none",
	.offset = offsetof(struct nw_daemon_conf, admin_address),
	.desc = "HOST:PORT of the admin endpoint (/healthz, /readyz, "
		"/metrics), or none"},
    {.name = "admin_credentials",
	.type = NW_KEY_SECRET,
	.offset = offsetof(struct nw_daemon_conf, admin_credentials),
	.desc = "file of USER:PASSWORD lines (the password may be a crypt(3) "
		"hash): HTTP Basic credentials for the admin endpoint but "
		"/healthz and /readyz; unset: no credentials"},
    {.name = "shutdown_timeout",
	.type = NW_KEY_DURATION,
	.def = "30s",
	.offset = offsetof(struct nw_daemon_conf, shutdown_timeout_ms),
	.desc = "on SIGTERM or reload: how long in-flight dispatches and "
		"sinks may take to finish"},
    {.name = "max_dispatch_size",
	.type = NW_KEY_SIZE,
	.def = "512k",
	.offset = offsetof(struct nw_daemon_conf, max_dispatch_size),
	.desc = "larger dispatches fail with reason too_large"},
    {.name = "max_inflight",
	.type = NW_KEY_INT,
	.def = "4096",
	.offset = offsetof(struct nw_daemon_conf, max_inflight),
	.desc =
	    "dispatches handed to sinks and not yet confirmed before the "
	    "sources are paused; each holds its bytes in memory, and a wide "
	    "window fills Kafka's batches"},
    {.name = "story_window",
	.type = NW_KEY_DURATION,
	.def = "36h",
	.offset = offsetof(struct nw_daemon_conf, story_window_ms),
	.desc = "how long a story takes new versions (updates, corrections, "
		"repeats) after its last one; older stories are forgotten"},
    {.name = "story_flash_window",
	.type = NW_KEY_DURATION,
	.def = "30m",
	.offset = offsetof(struct nw_daemon_conf, story_flash_window_ms),
	.desc = "how long a flash waits for the first full version to join "
		"its story"},
    {.name = "story_max",
	.type = NW_KEY_INT,
	.def = "20000",
	.offset = offsetof(struct nw_daemon_conf, story_max),
	.desc = "stories kept in the index (state_dir/stories.journal); the "
		"oldest are dropped first"},
    {.name = "repeats",
	.type = NW_KEY_ENUM,
	.def = "drop",
	.offset = offsetof(struct nw_daemon_conf, repeats),
	.desc = "a dispatch whose event is already in its story: drop "
		"(acknowledged, not published) or publish (marked as a repeat)",
	.choices = "drop|publish"},
    {.name = "workers",
	.type = NW_KEY_INT,
	.def = "0",
	.offset = offsetof(struct nw_daemon_conf, workers),
	.desc = "threads that parse dispatches and render their events, off "
		"the event loop; 0: one per CPU"},
    {.name = NULL},
};

const struct nw_key nw_source_common_keys[] = {
    {.name = "type",
	.type = NW_KEY_STRING,
	.offset = offsetof(struct nw_source_common, type),
	.desc = "source type",
	.flags = NW_KEY_REQUIRED},
    {.name = "sinks",
	.type = NW_KEY_LIST,
	.offset = offsetof(struct nw_source_common, sinks),
	.desc = "comma-separated names of the [sink NAME] sections every "
		"dispatch from this source goes to",
	.flags = NW_KEY_REQUIRED},
    {.name = "charset",
	.type = NW_KEY_STRING,
	.offset = offsetof(struct nw_source_common, charset),
	.desc = "charset of the dispatches (e.g. CP1251, KOI8-R); default: "
		"UTF-8 or detected"},
    {.name = NULL},
};

static const struct nw_key sink_common_keys[] = {
    {.name = "type",
	.type = NW_KEY_STRING,
	.offset = 0,
	.desc = "sink type",
	.flags = NW_KEY_REQUIRED},
    {.name = NULL},
};

/* One key = value as read, before its section's type is known. */
struct entry {
	char *section;
	char *key;
	char *value;
	int line;
	int used;
};

struct header {
	char *section;
	int line;
};

struct loader {
	const char *path;
	const char *text;
	size_t len, pos;
	int lineno;
	int at_bol;
	struct entry *entries;
	size_t nentries, cap;
	struct header *headers;
	size_t nheaders, hcap;
	struct nw_strv *errs;
	int nerr;
	int oom;
};

static void conf_error(struct loader *l, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
conf_error(struct loader *l, int line, const char *fmt, ...)
{
	char msg[1024];
	char *s;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (asprintf(&s, "%s:%d: %s", l->path, line, msg) < 0) {
		l->oom = 1;
		return;
	}
	nw_strv_push(l->errs, s);
	free(s);
	l->nerr++;
}

/* fgets over the file's text, counting lines and noting section headers,
 * since libinih's handler is not told line numbers. */
static char *
conf_reader(char *buf, int num, void *arg)
{
	struct loader *l = arg;
	size_t n = 0, max;
	const char *p, *e;
	struct header *h;

	if (l->pos >= l->len || num < 2)
		return NULL;
	max = (size_t)num - 1;
	while (n < max && l->pos < l->len) {
		buf[n] = l->text[l->pos++];
		if (buf[n++] == '\n')
			break;
	}
	buf[n] = '\0';
	if (l->at_bol) {
		l->lineno++;
		for (p = buf; *p == ' ' || *p == '\t'; p++)
			;
		if (*p == '[' && (e = strchr(p, ']')) != NULL) {
			if (l->nheaders == l->hcap) {
				l->hcap = l->hcap ? l->hcap * 2 : 16;
				h = reallocarray(
				    l->headers, l->hcap, sizeof *l->headers);
				if (h == NULL) {
					l->oom = 1;
					return NULL;
				}
				l->headers = h;
			}
			p++;
			while (p < e && isspace((unsigned char)*p))
				p++;
			while (e > p && isspace((unsigned char)e[-1]))
				e--;
			h = &l->headers[l->nheaders++];
			h->section = strndup(p, (size_t)(e - p));
			h->line = l->lineno;
			if (h->section == NULL)
				l->oom = 1;
		}
	}
	if (l->at_bol && n == max && buf[n - 1] != '\n' && l->pos < l->len)
		conf_error(l, l->lineno, "line longer than %d bytes", num - 3);
	l->at_bol = n > 0 && buf[n - 1] == '\n';
	return buf;
}

static int
conf_handler(void *arg, const char *section, const char *key, const char *value)
{
	struct loader *l = arg;
	struct entry *e;
	size_t i;

	if (section[0] == '\0') {
		conf_error(l, l->lineno, "key '%s' outside any section", key);
		return 1;
	}
	for (i = 0; i < l->nentries; i++) {
		e = &l->entries[i];
		if (strcmp(e->section, section) == 0 &&
		    strcmp(e->key, key) == 0) {
			conf_error(l, l->lineno,
			    "duplicate key '%s' in [%s] (first on line %d)",
			    key, section, e->line);
			return 1;
		}
	}
	if (l->nentries == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 32;
		e = reallocarray(l->entries, l->cap, sizeof *l->entries);
		if (e == NULL) {
			l->oom = 1;
			return 1;
		}
		l->entries = e;
	}
	e = &l->entries[l->nentries];
	e->section = strdup(section);
	e->key = strdup(key);
	e->value = strdup(value);
	e->line = l->lineno;
	e->used = 0;
	if (e->section == NULL || e->key == NULL || e->value == NULL) {
		free(e->section);
		free(e->key);
		free(e->value);
		l->oom = 1;
		return 1;
	}
	l->nentries++;
	return 1;
}

static int
valid_name(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-' &&
		    *s != '.')
			return 0;
	return 1;
}

static struct entry *
find_entry(struct loader *l, const char *section, const char *key)
{
	size_t i;

	for (i = 0; i < l->nentries; i++)
		if (strcmp(l->entries[i].section, section) == 0 &&
		    strcmp(l->entries[i].key, key) == 0)
			return &l->entries[i];
	return NULL;
}

/* Apply a key table to conf: the section's values, else the defaults;
 * required keys without a value are errors. */
static void
apply_keys(struct loader *l, struct nw_conf *c, const char *section, int line,
    const struct nw_key *keys, void *conf)
{
	const struct nw_key *k;
	struct entry *e;
	char *cause;

	if (keys == NULL)
		return;
	for (k = keys; k->name != NULL; k++) {
		e = find_entry(l, section, k->name);
		if (e != NULL) {
			e->used = 1;
			if (nw_key_set(k, conf, e->value, c->dir, &cause) !=
			    0) {
				conf_error(l, e->line, "%s",
				    cause ? cause : "out of memory");
				free(cause);
			}
		} else if (k->def != NULL) {
			if (nw_key_set(k, conf, k->def, c->dir, &cause) != 0) {
				conf_error(l, line, "default of %s: %s",
				    k->name, cause ? cause : "out of memory");
				free(cause);
			}
		} else if (k->flags & NW_KEY_REQUIRED)
			conf_error(l, line, "[%s] needs %s (%s)", section,
			    k->name, k->desc);
	}
}

/* Keys of the section that no table claimed. */
static void
unknown_keys(struct loader *l, const char *section, void *conf,
    int (*extra)(void *, const char *, const char *, char **))
{
	size_t i;
	struct entry *e;
	char *cause;

	for (i = 0; i < l->nentries; i++) {
		e = &l->entries[i];
		if (e->used || strcmp(e->section, section) != 0)
			continue;
		e->used = 1;
		cause = NULL;
		if (extra != NULL) {
			if (extra(conf, e->key, e->value, &cause) == 0)
				continue;
			if (cause != NULL) {
				conf_error(l, e->line, "%s", cause);
				free(cause);
				continue;
			}
		}
		conf_error(
		    l, e->line, "unknown key '%s' in [%s]", e->key, section);
	}
}

/* What the loader needs of a source or sink type: both ops structs carry
 * these, so one loader serves both. */
struct typed {
	const char *type;
	const struct nw_key *keys;
	size_t conf_size;
	int (*extra_key)(void *, const char *, const char *, char **);
	int (*check)(void *, char **);
};

/* The registered types of one kind: nw_source_types or nw_sink_types. */
static size_t
type_count(int sinks)
{
	size_t n = 0;

	if (sinks)
		while (nw_sink_types[n] != NULL)
			n++;
	else
		while (nw_source_types[n] != NULL)
			n++;
	return n;
}

static struct typed
type_at(int sinks, size_t i)
{
	struct typed t;

	if (sinks)
		t = (struct typed){nw_sink_types[i]->type,
		    nw_sink_types[i]->keys, nw_sink_types[i]->conf_size,
		    nw_sink_types[i]->extra_key, nw_sink_types[i]->check};
	else
		t = (struct typed){nw_source_types[i]->type,
		    nw_source_types[i]->keys, nw_source_types[i]->conf_size,
		    NULL, nw_source_types[i]->check};
	return t;
}

/* The line of a key in section, or the section's own line. */
static int
entry_line(struct loader *l, const struct header *h, const char *key)
{
	struct entry *e = find_entry(l, h->section, key);

	return e != NULL ? e->line : h->line;
}

/* One loader for [source NAME] and [sink NAME]: the type's key table, its
 * pass-through keys and its cross-key check. Returns the type's index in
 * its registry, or -1 (errors are recorded). *confp gets the type's
 * struct; check runs later, in load_check(), after any kind-specific
 * validation. */
static long
load_typed(struct loader *l, struct nw_conf *c, const struct header *h,
    int sinks, const char *type, void **confp)
{
	struct typed t;
	char types[256];
	size_t i, n = type_count(sinks), len = 0;

	for (i = 0; i < n; i++)
		if (strcmp(type_at(sinks, i).type, type) == 0)
			break;
	if (i == n) {
		types[0] = '\0';
		for (i = 0; i < n && len < sizeof types; i++)
			len += (size_t)snprintf(types + len, sizeof types - len,
			    "%s%s", len ? "|" : "", type_at(sinks, i).type);
		conf_error(l, entry_line(l, h, "type"),
		    "unknown %s type '%s' (known: %s)",
		    sinks ? "sink" : "source", type, types);
		unknown_keys(l, h->section, NULL, NULL);
		return -1;
	}
	t = type_at(sinks, i);
	if ((*confp = calloc(1, t.conf_size ? t.conf_size : 1)) == NULL) {
		l->oom = 1;
		return -1;
	}
	apply_keys(l, c, h->section, h->line, t.keys, *confp);
	unknown_keys(l, h->section, *confp, t.extra_key);
	return (long)i;
}

static void
load_check(struct loader *l, const struct header *h,
    int (*check)(void *, char **), void *conf)
{
	char *cause = NULL;

	if (l->nerr == 0 && check != NULL && check(conf, &cause) != 0) {
		conf_error(l, h->line, "[%s]: %s", h->section,
		    cause ? cause : "invalid");
		free(cause);
	}
}

static void
load_source(struct loader *l, struct nw_conf *c, const struct header *h,
    const char *name)
{
	struct nw_conf_source *s = &c->sources[c->nsources++];
	long t;
	size_t i;

	if ((s->name = strdup(name)) == NULL) {
		l->oom = 1;
		return;
	}
	s->line = h->line;
	apply_keys(
	    l, c, h->section, h->line, nw_source_common_keys, &s->common);
	if (s->common.type == NULL ||
	    (t = load_typed(l, c, h, 0, s->common.type, &s->conf)) == -1)
		return;
	s->ops = nw_source_types[t];
	if (s->common.sinks.n == 0 && find_entry(l, h->section, "sinks"))
		conf_error(l, entry_line(l, h, "sinks"), "sinks is empty");
	for (i = 0; i < s->common.sinks.n; i++) {
		if (!valid_name(s->common.sinks.v[i]))
			conf_error(l, entry_line(l, h, "sinks"),
			    "bad sink name '%s'", s->common.sinks.v[i]);
	}
	load_check(l, h, s->ops->check, s->conf);
}

static void
load_sink(struct loader *l, struct nw_conf *c, const struct header *h,
    const char *name)
{
	struct nw_conf_sink *s = &c->sinks[c->nsinks++];
	long t;

	if ((s->name = strdup(name)) == NULL) {
		l->oom = 1;
		return;
	}
	s->line = h->line;
	apply_keys(l, c, h->section, h->line, sink_common_keys, &s->type);
	if (s->type == NULL ||
	    (t = load_typed(l, c, h, 1, s->type, &s->conf)) == -1)
		return;
	s->ops = nw_sink_types[t];
	load_check(l, h, s->ops->check, s->conf);
}

/* Where a [daemon] key was set, for errors about its value. */
static int
daemon_line(struct loader *l, const char *key)
{
	struct entry *e = find_entry(l, "daemon", key);

	return e != NULL ? e->line : 1;
}

static int
read_file(const char *path, char **out, size_t *len, char **cause)
{
	FILE *f;
	char *buf;
	size_t n;

	if ((f = fopen(path, "rb")) == NULL) {
		if (asprintf(cause, "%s: %s", path, strerror(errno)) < 0)
			*cause = NULL;
		return -1;
	}
	if ((buf = malloc(CONF_MAX_SIZE + 1)) == NULL) {
		fclose(f);
		return -1;
	}
	n = fread(buf, 1, CONF_MAX_SIZE + 1, f);
	if (ferror(f) || n > CONF_MAX_SIZE) {
		if (asprintf(cause, "%s: %s", path,
			ferror(f) ? strerror(errno) : "larger than 1M") < 0)
			*cause = NULL;
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	buf[n] = '\0';
	if (memchr(buf, '\0', n) != NULL) {
		free(buf);
		if (asprintf(cause, "%s: binary file", path) < 0)
			*cause = NULL;
		return -1;
	}
	*out = buf;
	*len = n;
	return 0;
}

static int
cmp_err(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	const char *px = strchr(x, ':'), *py = strchr(y, ':');
	long lx = px ? strtol(px + 1, NULL, 10) : 0;
	long ly = py ? strtol(py + 1, NULL, 10) : 0;

	return (lx > ly) - (lx < ly);
}

int
nw_conf_load(const char *path, struct nw_conf **out, struct nw_strv *errs)
{
	struct loader l = {0};
	struct nw_conf *c;
	const struct header *h;
	const char *name, *slash;
	char *cause = NULL, *sect = NULL, *abs;
	size_t i, j, k, daemon_sections = 0;
	int rc, found;
	size_t nerr0 = errs->n;

	*out = NULL;
	l.path = path;
	l.errs = errs;
	l.at_bol = 1;
	if ((c = calloc(1, sizeof *c)) == NULL)
		return -1;
	c->path = strdup(path);
	slash = strrchr(path, '/');
	c->dir = slash ? strndup(path, (size_t)(slash - path + (slash == path)))
		       : strdup(".");
	if (c->path == NULL || c->dir == NULL)
		goto oom;
	/* Relative paths in the file are relative to the file, whatever the
	 * working directory is when a reload happens. */
	if ((abs = realpath(c->dir, NULL)) != NULL) {
		free(c->dir);
		c->dir = abs;
	}
	if (read_file(path, &c->text, &l.len, &cause) != 0) {
		nw_strv_push(errs, cause ? cause : "out of memory");
		free(cause);
		goto fail;
	}
	l.text = c->text;

	ini_allow_multiline = false;
	ini_allow_inline_comments = true;
	ini_use_stack = false;
	ini_allow_realloc = true;
	/* Long lines (lists of brokers, paths) fit; longer ones are errors. */
	ini_max_line = CONF_MAX_LINE + 3;
	ini_initial_alloc = CONF_MAX_LINE + 3;
	ini_stop_on_first_error = false;
	rc = ini_parse_stream(conf_reader, &l, conf_handler, &l);
	if (l.oom || rc < 0)
		goto oom;
	if (rc > 0)
		conf_error(&l, rc,
		    "syntax error: expected [section] or "
		    "key = value");

	c->sources = calloc(l.nheaders + 1, sizeof *c->sources);
	c->sinks = calloc(l.nheaders + 1, sizeof *c->sinks);
	if (c->sources == NULL || c->sinks == NULL)
		goto oom;
	for (i = 0; i < l.nheaders; i++) {
		h = &l.headers[i];
		for (j = 0; j < i; j++) {
			if (strcmp(l.headers[j].section, h->section) == 0)
				break;
		}
		if (j < i) {
			conf_error(&l, h->line,
			    "section [%s] repeated (first on line %d)",
			    h->section, l.headers[j].line);
			continue;
		}
		if (strcmp(h->section, "daemon") == 0) {
			daemon_sections++;
			apply_keys(&l, c, h->section, h->line, nw_daemon_keys,
			    &c->daemon);
			unknown_keys(&l, h->section, NULL, NULL);
			continue;
		}
		name = strpbrk(h->section, " \t");
		if (name != NULL) {
			free(sect);
			sect = strndup(h->section, (size_t)(name - h->section));
			while (*name == ' ' || *name == '\t')
				name++;
		}
		if (name == NULL || sect == NULL ||
		    (strcmp(sect, "source") != 0 &&
			strcmp(sect, "sink") != 0)) {
			conf_error(&l, h->line,
			    "unknown section [%s] (expected [daemon], "
			    "[source NAME] or [sink NAME])",
			    h->section);
			unknown_keys(&l, h->section, NULL, NULL);
			continue;
		}
		if (!valid_name(name)) {
			conf_error(&l, h->line,
			    "bad name '%s': letters, digits, '_', '-', '.'",
			    name);
			unknown_keys(&l, h->section, NULL, NULL);
			continue;
		}
		if (strcmp(sect, "source") == 0)
			load_source(&l, c, h, name);
		else
			load_sink(&l, c, h, name);
	}
	if (daemon_sections == 0) {
		apply_keys(&l, c, "daemon", 1, nw_daemon_keys, &c->daemon);
	}
	/* Keys in sections we never visited cannot exist: every key follows
	 * a header the reader saw. */
	if (c->daemon.max_inflight < 1 || c->daemon.max_inflight > 100000)
		conf_error(&l, daemon_line(&l, "max_inflight"),
		    "max_inflight must be within 1..100000");
	if (c->daemon.story_max < 1 || c->daemon.story_max > 1000000)
		conf_error(&l, daemon_line(&l, "story_max"),
		    "story_max must be within 1..1000000");
	if (c->daemon.story_window_ms < 60000 ||
	    c->daemon.story_flash_window_ms < 1000)
		conf_error(&l,
		    daemon_line(&l,
			c->daemon.story_window_ms < 60000
			    ? "story_window"
			    : "story_flash_window"),
		    "story_window must be at least 1m, story_flash_window at "
		    "least 1s");
	if (c->daemon.workers < 0 || c->daemon.workers > 256)
		conf_error(&l, daemon_line(&l, "workers"),
		    "workers must be within 0..256");
	if (c->daemon.max_dispatch_size == 0)
		conf_error(&l, daemon_line(&l, "max_dispatch_size"),
		    "max_dispatch_size must not be 0");
	if (c->nsources == 0 && l.nerr == 0)
		conf_error(&l, l.lineno ? l.lineno : 1, "no [source NAME]");

	/* Routing: every named sink must exist, and every sink be used. */
	for (i = 0; i < c->nsources; i++) {
		struct nw_conf_source *s = &c->sources[i];
		if (s->common.sinks.n == 0)
			continue;
		s->routes = calloc(s->common.sinks.n, sizeof *s->routes);
		if (s->routes == NULL)
			goto oom;
		for (j = 0; j < s->common.sinks.n; j++) {
			for (k = 0; k < c->nsinks; k++)
				if (strcmp(c->sinks[k].name,
					s->common.sinks.v[j]) == 0)
					break;
			if (k == c->nsinks) {
				conf_error(&l, s->line,
				    "[source %s] routes to sink '%s', which "
				    "has no [sink %s] section",
				    s->name, s->common.sinks.v[j],
				    s->common.sinks.v[j]);
				continue;
			}
			for (found = 0, rc = 0; (size_t)rc < s->nroutes; rc++)
				if (s->routes[rc] == k)
					found = 1;
			if (found)
				conf_error(&l, s->line,
				    "[source %s] lists sink '%s' twice",
				    s->name, s->common.sinks.v[j]);
			else
				s->routes[s->nroutes++] = k;
		}
	}
	for (k = 0; k < c->nsinks; k++) {
		for (i = 0, found = 0; i < c->nsources && !found; i++)
			for (j = 0; j < c->sources[i].nroutes; j++)
				if (c->sources[i].routes[j] == k)
					found = 1;
		if (!found && c->sinks[k].ops != NULL)
			conf_error(&l, c->sinks[k].line,
			    "[sink %s] is not in any source's sinks",
			    c->sinks[k].name);
	}
	if (l.oom)
		goto oom;
	if (l.nerr > 0)
		goto fail;
	for (i = 0; i < l.nentries; i++) {
		free(l.entries[i].section);
		free(l.entries[i].key);
		free(l.entries[i].value);
	}
	for (i = 0; i < l.nheaders; i++)
		free(l.headers[i].section);
	free(l.entries);
	free(l.headers);
	free(sect);
	*out = c;
	return 0;
oom:
	nw_strv_push(errs, "out of memory");
fail:
	qsort(errs->v + nerr0, errs->n - nerr0, sizeof *errs->v, cmp_err);
	for (i = 0; i < l.nentries; i++) {
		free(l.entries[i].section);
		free(l.entries[i].key);
		free(l.entries[i].value);
	}
	for (i = 0; i < l.nheaders; i++)
		free(l.headers[i].section);
	free(l.entries);
	free(l.headers);
	free(sect);
	nw_conf_free(c);
	return -1;
}

void
nw_conf_free(struct nw_conf *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nsources; i++) {
		struct nw_conf_source *s = &c->sources[i];
		if (s->ops != NULL)
			nw_keys_free(s->ops->keys, s->conf);
		nw_keys_free(nw_source_common_keys, &s->common);
		free(s->conf);
		free(s->routes);
		free(s->name);
	}
	for (i = 0; i < c->nsinks; i++) {
		struct nw_conf_sink *s = &c->sinks[i];
		if (s->ops != NULL) {
			nw_keys_free(s->ops->keys, s->conf);
			if (s->ops->conf_free != NULL && s->conf != NULL)
				s->ops->conf_free(s->conf);
		}
		free(s->conf);
		free(s->type);
		free(s->name);
	}
	nw_keys_free(nw_daemon_keys, &c->daemon);
	free(c->sources);
	free(c->sinks);
	free(c->path);
	free(c->dir);
	free(c->text);
	free(c);
}
