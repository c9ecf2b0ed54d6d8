/* The key-table engine: one value of a config key parsed into the field its
 * table entry names (sizes, durations, paths, lists, secrets, ...), freed
 * again, and described for `check-config --describe`. Knows nothing of INI
 * files or of the daemon: the loader and the components call it. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "newswire/config.h"
#include "newswire/event.h"

int
nw_parse_duration(const char *s, int64_t *ms)
{
	char *end;
	double v;
	double mult;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno != 0 || v < 0 || !isdigit((unsigned char)*s))
		return -1;
	while (*end == ' ')
		end++;
	if (*end == '\0' || strcmp(end, "s") == 0)
		mult = 1000;
	else if (strcmp(end, "ms") == 0)
		mult = 1;
	else if (strcmp(end, "m") == 0 || strcmp(end, "min") == 0)
		mult = 60 * 1000.0;
	else if (strcmp(end, "h") == 0)
		mult = 3600 * 1000.0;
	else if (strcmp(end, "d") == 0)
		mult = 86400 * 1000.0;
	else
		return -1;
	if (v * mult > 1e15)
		return -1;
	*ms = (int64_t)(v * mult + 0.5);
	return 0;
}

int
nw_parse_size(const char *s, size_t *out)
{
	char *end;
	unsigned long long v;
	unsigned long long mult = 1;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return -1;
	while (*end == ' ')
		end++;
	switch (tolower((unsigned char)*end)) {
	case '\0':
		break;
	case 'k':
		mult = 1024;
		break;
	case 'm':
		mult = 1024 * 1024;
		break;
	case 'g':
		mult = 1024 * 1024 * 1024;
		break;
	default:
		return -1;
	}
	if (*end != '\0') {
		end++;
		if (tolower((unsigned char)*end) == 'b')
			end++;
		if (*end != '\0')
			return -1;
	}
	if (v > SIZE_MAX / mult)
		return -1;
	*out = (size_t)(v * mult);
	return 0;
}

/* Drops "." segments and folds "name/.." so that paths relative to the
 * config file read well in logs ("/etc/x/../spool" -> "/etc/spool").
 * Lexical, as most tools treat config-relative paths. In place. */
static void
tidy_path(char *path)
{
	char *segs[256], *p, *tok, *save = NULL;
	size_t n = 0, i;
	int absolute = path[0] == '/';
	char *copy;

	if ((copy = strdup(path)) == NULL)
		return;
	for (tok = strtok_r(copy, "/", &save); tok != NULL;
	     tok = strtok_r(NULL, "/", &save)) {
		if (strcmp(tok, ".") == 0)
			continue;
		if (strcmp(tok, "..") == 0 && n > 0 &&
		    strcmp(segs[n - 1], "..") != 0) {
			n--;
			continue;
		}
		if (strcmp(tok, "..") == 0 && absolute)
			continue; /* "/.." is "/" */
		if (n == sizeof segs / sizeof segs[0]) {
			free(copy);
			return; /* absurdly deep: leave it as written */
		}
		segs[n++] = tok;
	}
	p = path;
	if (absolute)
		*p++ = '/';
	for (i = 0; i < n; i++) {
		if (i > 0)
			*p++ = '/';
		memmove(p, segs[i], strlen(segs[i]));
		p += strlen(segs[i]);
	}
	if (p == path)
		*p++ = '.';
	*p = '\0';
	free(copy);
}

static char *
join_path(const char *dir, const char *rel)
{
	char *s;

	if (rel[0] == '/' || dir == NULL || dir[0] == '\0')
		s = strdup(rel);
	else if (asprintf(&s, "%s/%s", dir, rel) < 0)
		s = NULL;
	if (s != NULL)
		tidy_path(s);
	return s;
}

static int
read_secret(const char *path, char **out, char **cause)
{
	FILE *f;
	char buf[65536];
	size_t n;

	if ((f = fopen(path, "rb")) == NULL) {
		if (asprintf(cause, "cannot read secret %s: %s", path,
			strerror(errno)) < 0)
			*cause = NULL;
		return -1;
	}
	n = fread(buf, 1, sizeof buf - 1, f);
	if (ferror(f) || !feof(f)) {
		fclose(f);
		if (asprintf(cause, "secret %s unreadable or over 64k", path) <
		    0)
			*cause = NULL;
		return -1;
	}
	fclose(f);
	/* A file written by echo ends in a newline that is not the secret. */
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	buf[n] = '\0';
	if ((*out = strdup(buf)) == NULL)
		return -1;
	return 0;
}

static int
enum_ok(const char *choices, const char *v)
{
	size_t n = strlen(v);
	const char *p = choices, *bar;

	for (;;) {
		bar = strchr(p, '|');
		if ((bar ? (size_t)(bar - p) : strlen(p)) == n &&
		    strncmp(p, v, n) == 0)
			return 1;
		if (bar == NULL)
			return 0;
		p = bar + 1;
	}
}

static int
parse_bool(const char *v, int *out)
{
	static const char *const yes[] = {"yes", "true", "on", "1"};
	static const char *const no[] = {"no", "false", "off", "0"};
	size_t i;

	for (i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(v, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return -1;
}

static int
parse_list(const char *v, struct nw_strv *out)
{
	const char *p = v, *e, *comma;

	nw_strv_clear(out);
	while (*p != '\0') {
		comma = strchr(p, ',');
		e = comma ? comma : p + strlen(p);
		while (p < e && isspace((unsigned char)*p))
			p++;
		while (e > p && isspace((unsigned char)e[-1]))
			e--;
		if (e > p && nw_strv_pushn(out, p, (size_t)(e - p)) != 0)
			return -1;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	return 0;
}

static void
key_free_one(const struct nw_key *k, void *conf)
{
	char *field = (char *)conf + k->offset;

	switch (k->type) {
	case NW_KEY_STRING:
	case NW_KEY_PATH:
	case NW_KEY_ENUM:
	case NW_KEY_SECRET: {
		char **sp = (char **)(void *)field;
		if (k->type == NW_KEY_SECRET && *sp != NULL)
			explicit_bzero(*sp, strlen(*sp));
		free(*sp);
		*sp = NULL;
		break;
	}
	case NW_KEY_LIST:
		nw_strv_clear((struct nw_strv *)(void *)field);
		break;
	default:
		break;
	}
}

int
nw_key_set(const struct nw_key *k, void *conf, const char *value,
    const char *basedir, char **cause)
{
	char *field = (char *)conf + k->offset;
	char *s = NULL, *end;
	const char *cred;
	long lv;
	int b;
	int64_t ms;
	size_t sz;

	*cause = NULL;
	switch (k->type) {
	case NW_KEY_STRING:
		if ((s = strdup(value)) == NULL)
			goto oom;
		key_free_one(k, conf);
		*(char **)(void *)field = s;
		return 0;
	case NW_KEY_PATH:
		if (value[0] == '\0')
			goto bad;
		if ((s = join_path(basedir, value)) == NULL)
			goto oom;
		key_free_one(k, conf);
		*(char **)(void *)field = s;
		return 0;
	case NW_KEY_ENUM:
		if (k->choices == NULL || !enum_ok(k->choices, value)) {
			if (asprintf(cause, "%s must be one of %s, not '%s'",
				k->name, k->choices ? k->choices : "",
				value) < 0)
				*cause = NULL;
			return -1;
		}
		if ((s = strdup(value)) == NULL)
			goto oom;
		key_free_one(k, conf);
		*(char **)(void *)field = s;
		return 0;
	case NW_KEY_SECRET:
		if (value[0] == '\0')
			goto bad;
		cred = getenv("CREDENTIALS_DIRECTORY");
		if ((s = join_path(cred != NULL ? cred : basedir, value)) ==
		    NULL)
			goto oom;
		{
			char *secret;
			int rc = read_secret(s, &secret, cause);
			free(s);
			if (rc != 0)
				return -1;
			key_free_one(k, conf);
			*(char **)(void *)field = secret;
		}
		return 0;
	case NW_KEY_INT:
		errno = 0;
		lv = strtol(value, &end, 10);
		if (value[0] == '\0' || *end != '\0' || errno != 0)
			goto bad;
		*(long *)(void *)field = lv;
		return 0;
	case NW_KEY_BOOL:
		if (parse_bool(value, &b) != 0)
			goto bad;
		*(int *)(void *)field = b;
		return 0;
	case NW_KEY_DURATION:
		if (nw_parse_duration(value, &ms) != 0)
			goto bad;
		*(int64_t *)(void *)field = ms;
		return 0;
	case NW_KEY_SIZE:
		if (nw_parse_size(value, &sz) != 0)
			goto bad;
		*(size_t *)(void *)field = sz;
		return 0;
	case NW_KEY_LIST:
		if (parse_list(value, (struct nw_strv *)(void *)field) != 0)
			goto oom;
		return 0;
	}
bad:
	if (asprintf(cause, "invalid %s value for %s: '%s'",
		k->type == NW_KEY_INT            ? "integer"
		    : k->type == NW_KEY_BOOL     ? "boolean"
		    : k->type == NW_KEY_DURATION ? "duration"
		    : k->type == NW_KEY_SIZE     ? "size"
						 : "empty",
		k->name, value) < 0)
		*cause = NULL;
	return -1;
oom:
	*cause = strdup("out of memory");
	return -1;
}

void
nw_keys_free(const struct nw_key *keys, void *conf)
{
	const struct nw_key *k;

	if (keys == NULL || conf == NULL)
		return;
	for (k = keys; k->name != NULL; k++)
		key_free_one(k, conf);
}

static const char *
type_name(enum nw_key_type t)
{
	switch (t) {
	case NW_KEY_STRING:
		return "string";
	case NW_KEY_PATH:
		return "path";
	case NW_KEY_INT:
		return "integer";
	case NW_KEY_BOOL:
		return "boolean";
	case NW_KEY_DURATION:
		return "duration";
	case NW_KEY_SIZE:
		return "size";
	case NW_KEY_ENUM:
		return "enum";
	case NW_KEY_LIST:
		return "list";
	case NW_KEY_SECRET:
		return "secret file";
	}
	return "?";
}

void
nw_keys_describe(FILE *f, const struct nw_key *keys)
{
	const struct nw_key *k;

	if (keys == NULL)
		return;
	for (k = keys; k->name != NULL; k++) {
		fprintf(f, "  %-22s %s", k->name, type_name(k->type));
		if (k->type == NW_KEY_ENUM && k->choices != NULL)
			fprintf(f, " (%s)", k->choices);
		if (k->flags & NW_KEY_REQUIRED)
			fprintf(f, ", required");
		else if (k->def != NULL)
			fprintf(f, ", default %s", k->def[0] ? k->def : "\"\"");
		fprintf(f, "\n      %s\n", k->desc ? k->desc : "");
	}
}
