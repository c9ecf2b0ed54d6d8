/* The seen-item store: an append-only journal ("MS KEY[ VERSION]\n" per
 * line, the key percent-escaped; the version, written since items are
 * versioned, is what the item looked like), loaded into a hash table at
 * start; the last line of a key wins. Each add is one
 * O_APPEND write and an fdatasync, so a crash loses at most the line being
 * written; a torn last line is ignored on load. The journal is compacted,
 * dropping expired and evicted keys, by writing a temporary file, syncing
 * it and renaming it over the journal. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "feed_seen.h"
#include "hash.h"
#include "fdio.h"

struct entry {
	char *key; /* NULL: evicted */
	int64_t ms;
	char *version; /* NULL: any (a line from before versions) */
};

struct nw_seen {
	char *path;
	int fd;
	size_t max;
	int64_t ttl_ms;
	struct entry *ent; /* insertion order: oldest first */
	size_t nent, cap, head, live;
	size_t *slot; /* hash: index+1 into ent, 0 empty */
	size_t nslot;
	size_t journal_lines;
};

static size_t *
find_slot(struct nw_seen *st, const char *key)
{
	size_t i = nw_hash_str(key) & (st->nslot - 1), *s;

	for (;; i = (i + 1) & (st->nslot - 1)) {
		s = &st->slot[i];
		if (*s == 0 || strcmp(st->ent[*s - 1].key, key) == 0)
			return s;
	}
}

/* Rebuild the index and drop evicted entries from the array. */
static int
reindex(struct nw_seen *st)
{
	size_t i, j = 0, n;

	for (i = st->head; i < st->nent; i++)
		if (st->ent[i].key != NULL)
			st->ent[j++] = st->ent[i];
	st->nent = j;
	st->head = 0;
	st->live = j;
	for (n = 64; n < (st->max + 1) * 2 || n < j * 2; n *= 2)
		;
	free(st->slot);
	if ((st->slot = calloc(n, sizeof *st->slot)) == NULL)
		return -1;
	st->nslot = n;
	for (i = 0; i < st->nent; i++)
		*find_slot(st, st->ent[i].key) = i + 1;
	return 0;
}

static void
evict_head(struct nw_seen *st)
{
	struct entry *e = &st->ent[st->head++];

	if (e->key != NULL) {
		/* Lazy deletion: the slot stays pointing at a NULL key until
		 * reindex; find_slot must not compare against it. */
		free(e->key);
		free(e->version);
		e->key = NULL;
		e->version = NULL;
		st->live--;
	}
}

/* Lookup that tolerates evicted entries still in the index. */
static struct entry *
lookup(struct nw_seen *st, const char *key)
{
	size_t i = nw_hash_str(key) & (st->nslot - 1), s;

	for (;; i = (i + 1) & (st->nslot - 1)) {
		if ((s = st->slot[i]) == 0)
			return NULL;
		if (st->ent[s - 1].key != NULL &&
		    strcmp(st->ent[s - 1].key, key) == 0)
			return &st->ent[s - 1];
	}
}

static int
insert(struct nw_seen *st, char *key, int64_t ms, char *version)
{
	struct entry *nv;
	size_t i, s;

	if (st->nent == st->cap) {
		if (st->head > st->cap / 2) {
			if (reindex(st) == -1)
				return -1;
		} else {
			st->cap = st->cap ? st->cap * 2 : 256;
			if ((nv = realloc(st->ent, st->cap * sizeof *nv)) ==
			    NULL)
				return -1;
			st->ent = nv;
		}
	}
	st->ent[st->nent] = (struct entry){key, ms, version};
	st->nent++;
	st->live++;
	/* Insert without comparing against evicted keys. */
	for (i = nw_hash_str(key) & (st->nslot - 1);;
	     i = (i + 1) & (st->nslot - 1)) {
		s = st->slot[i];
		if (s == 0 || st->ent[s - 1].key == NULL) {
			st->slot[i] = st->nent;
			break;
		}
	}
	while (st->live > st->max)
		evict_head(st);
	/* Too many tombstones make probing slow: rebuild. */
	if (st->nent > st->nslot / 2)
		return reindex(st);
	return 0;
}

static char *
escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char *o = malloc(strlen(s) * 3 + 1), *p = o;

	if (o == NULL)
		return NULL;
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s <= ' ' || *s == '%' || *s == 0x7f) {
			*p++ = '%';
			*p++ = hex[(unsigned char)*s >> 4];
			*p++ = hex[(unsigned char)*s & 15];
		} else
			*p++ = *s;
	}
	*p = '\0';
	return o;
}

static char *
unescape(const char *s, size_t len)
{
	char *o = malloc(len + 1), *p = o;
	unsigned v;
	size_t i;

	if (o == NULL)
		return NULL;
	for (i = 0; i < len; i++) {
		if (s[i] == '%' && i + 2 < len &&
		    sscanf(s + i + 1, "%2x", &v) == 1) {
			*p++ = (char)v;
			i += 2;
		} else
			*p++ = s[i];
	}
	*p = '\0';
	return o;
}

static int
line_out(int fd, const struct entry *e)
{
	char *k, *line;
	int n, rc;

	if ((k = escape(e->key)) == NULL)
		return -1;
	n = asprintf(&line, "%lld %s%s%s\n", (long long)e->ms, k,
	    e->version != NULL ? " " : "",
	    e->version != NULL ? e->version : "");
	free(k);
	if (n == -1)
		return -1;
	rc = nw_write_all(fd, line, (size_t)n);
	free(line);
	return rc;
}

static void
sync_dir(const char *path)
{
	char *copy = strdup(path);
	int fd;

	if (copy == NULL)
		return;
	if ((fd = open(dirname(copy), O_RDONLY | O_DIRECTORY)) != -1) {
		fsync(fd);
		close(fd);
	}
	free(copy);
}

/* Write the live entries to PATH.tmp, sync, rename over PATH. */
static int
compact(struct nw_seen *st)
{
	char *tmp = NULL;
	size_t i;
	int fd = -1;

	if (asprintf(&tmp, "%s.tmp", st->path) == -1)
		return -1;
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) ==
	    -1)
		goto fail;
	for (i = st->head; i < st->nent; i++)
		if (st->ent[i].key != NULL && line_out(fd, &st->ent[i]) == -1)
			goto fail;
	if (fsync(fd) == -1 || close(fd) == -1) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, st->path) == -1)
		goto fail;
	sync_dir(st->path);
	free(tmp);
	if (st->fd != -1)
		close(st->fd);
	st->fd = open(st->path, O_WRONLY | O_APPEND | O_CLOEXEC);
	st->journal_lines = st->live;
	return st->fd == -1 ? -1 : 0;
fail:
	if (fd != -1)
		close(fd);
	unlink(tmp);
	free(tmp);
	return -1;
}

static int
load(struct nw_seen *st, int64_t now_ms)
{
	FILE *f;
	char *line = NULL, *sp, *sp2, *key, *ver;
	size_t cap = 0;
	ssize_t n;
	long long ms;
	struct entry *e;

	if ((f = fopen(st->path, "r")) == NULL)
		return errno == ENOENT ? 0 : -1;
	while ((n = getline(&line, &cap, f)) != -1) {
		/* A line without its newline was torn by a crash. */
		if (n < 3 || line[n - 1] != '\n')
			continue;
		line[--n] = '\0';
		if ((sp = strchr(line, ' ')) == NULL ||
		    sscanf(line, "%lld", &ms) != 1 || sp[1] == '\0')
			continue;
		if (st->ttl_ms > 0 && now_ms - ms > st->ttl_ms)
			continue;
		ver = NULL;
		if ((sp2 = strchr(sp + 1, ' ')) != NULL && sp2[1] != '\0' &&
		    (ver = strdup(sp2 + 1)) == NULL)
			goto fail;
		if ((key = unescape(sp + 1,
			 sp2 != NULL ? (size_t)(sp2 - sp - 1)
				     : strlen(sp + 1))) == NULL) {
			free(ver);
			goto fail;
		}
		if ((e = lookup(st, key)) != NULL) {
			if (ms > e->ms)
				e->ms = ms;
			/* Lines are in the order written: the later wins. */
			if (ver != NULL) {
				free(e->version);
				e->version = ver;
			}
			free(key);
			continue;
		}
		if (insert(st, key, ms, ver) == -1) {
			free(key);
			free(ver);
			goto fail;
		}
	}
	free(line);
	fclose(f);
	return 0;
fail:
	free(line);
	fclose(f);
	return -1;
}

struct nw_seen *
nw_seen_open(
    const char *path, size_t max, int64_t ttl_ms, int64_t now_ms, char **cause)
{
	struct nw_seen *st;

	if ((st = calloc(1, sizeof *st)) == NULL)
		goto oom;
	st->fd = -1;
	st->max = max > 0 ? max : 10000;
	st->ttl_ms = ttl_ms;
	if ((st->path = strdup(path)) == NULL || reindex(st) == -1)
		goto oom;
	if (load(st, now_ms) == -1 || compact(st) == -1) {
		if (asprintf(cause, "%s: %s", path, strerror(errno)) == -1)
			*cause = NULL;
		nw_seen_close(st);
		return NULL;
	}
	return st;
oom:
	nw_seen_close(st);
	*cause = strdup("out of memory");
	return NULL;
}

int
nw_seen_has(struct nw_seen *st, const char *key)
{
	return lookup(st, key) != NULL;
}

int
nw_seen_get(struct nw_seen *st, const char *key, const char **version)
{
	struct entry *e = lookup(st, key);

	*version = e != NULL ? e->version : NULL;
	return e != NULL;
}

int
nw_seen_add(struct nw_seen *st, const char *key, int64_t now_ms)
{
	return nw_seen_put(st, key, NULL, now_ms);
}

int
nw_seen_put(
    struct nw_seen *st, const char *key, const char *version, int64_t now_ms)
{
	struct entry *e, tmp;
	char *copy, *vcopy = NULL;
	int changed;

	e = lookup(st, key);
	changed = e != NULL && version != NULL &&
	    (e->version == NULL || strcmp(e->version, version) != 0);
	if (e != NULL && !changed &&
	    (st->ttl_ms <= 0 || now_ms - e->ms < st->ttl_ms / 2))
		return 0;
	if (version != NULL && (vcopy = strdup(version)) == NULL)
		return -1;
	if (e != NULL) {
		e->ms = now_ms;
		if (vcopy != NULL) {
			free(e->version);
			e->version = vcopy;
		}
		tmp = *e;
	} else {
		if ((copy = strdup(key)) == NULL) {
			free(vcopy);
			return -1;
		}
		tmp = (struct entry){copy, now_ms, vcopy};
		if (insert(st, copy, now_ms, vcopy) == -1) {
			free(copy);
			free(vcopy);
			return -1;
		}
	}
	if (line_out(st->fd, &tmp) == -1 || fdatasync(st->fd) == -1)
		return -1;
	/* Keep the journal within a small multiple of what it holds. */
	if (++st->journal_lines > 2 * st->max + 64)
		return compact(st);
	return 0;
}

size_t
nw_seen_count(const struct nw_seen *st)
{
	return st->live;
}

void
nw_seen_close(struct nw_seen *st)
{
	size_t i;

	if (st == NULL)
		return;
	if (st->fd != -1)
		close(st->fd);
	for (i = st->head; i < st->nent; i++) {
		free(st->ent[i].key);
		free(st->ent[i].version);
	}
	free(st->ent);
	free(st->slot);
	free(st->path);
	free(st);
}
