/* The story stage: runs the story index on the loop, in arrival order, and
 * keeps its journal. A record is written before the event goes to any sink,
 * so what a consumer saw is what a restart replays; the journal is
 * compacted from the live index by write-then-rename. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hash.h"
#include "newswire/log.h"
#include "story_stage.h"
#include "fdio.h"

#define JOURNAL_NAME "stories.journal"
/* Framing of one record: "LLLLLLLL HHHHHHHHHHHHHHHH <rec>\n", the length
 * and the FNV-1a hash of rec in hex, so a torn or garbled tail is known
 * whatever the record holds. */
#define FRAME_HEAD 26
/* Compact when the journal has grown by this much over twice the live
 * records. */
#define COMPACT_SLACK (256 * 1024)

struct nw_story_stage {
	struct nw_story_index *idx;
	char *path; /* NULL: memory only */
	int fd;
	int dirty; /* appended since the last sync */
	/* Records framed since the last flush: the loop writes a batch's
	 * records with one write(), not one per record. */
	char *buf;
	size_t buflen, bufcap;
	size_t jbytes;    /* journal size */
	size_t livebytes; /* journal size right after the last compaction */
	size_t max;
};

static int
set_cause(char **cause, const char *what, const char *path)
{
	if (asprintf(cause, "%s %s: %s", what, path, strerror(errno)) == -1)
		*cause = NULL;
	return -1;
}

/* n as lower-case hex in exactly width digits (snprintf was a visible
 * share of the loop's time, once per record). */
static void
put_hex(char *p, uint64_t n, int width)
{
	static const char digits[] = "0123456789abcdef";

	while (width-- > 0) {
		p[width] = digits[n & 0xf];
		n >>= 4;
	}
}

/* Frame one record into buf, which has room for FRAME_HEAD + reclen + 1. */
static size_t
frame_into(char *buf, const char *rec, size_t reclen)
{
	put_hex(buf, (uint64_t)reclen, 8);
	buf[8] = ' ';
	put_hex(buf + 9, nw_hash_mem(rec, reclen), 16);
	buf[25] = ' ';
	memcpy(buf + FRAME_HEAD, rec, reclen);
	buf[FRAME_HEAD + reclen] = '\n';
	return FRAME_HEAD + reclen + 1;
}

/* One framed record in a malloc'd buffer. */
static char *
frame(const char *rec, size_t reclen, size_t *lenp)
{
	char *buf;

	if ((buf = malloc(FRAME_HEAD + reclen + 1)) == NULL)
		return NULL;
	*lenp = frame_into(buf, rec, reclen);
	return buf;
}

/* Replay buf; returns the length of its good prefix. */
static size_t
replay(struct nw_story_stage *st, const char *buf, size_t len, size_t *nrec,
    size_t *nbad)
{
	size_t off = 0, reclen;
	uint64_t h;
	char head[FRAME_HEAD + 1], *end;

	while (len - off >= FRAME_HEAD + 1) {
		memcpy(head, buf + off, FRAME_HEAD);
		head[FRAME_HEAD] = '\0';
		if (head[8] != ' ' || head[25] != ' ')
			break;
		reclen = (size_t)strtoull(head, &end, 16);
		if (end != head + 8)
			break;
		h = strtoull(head + 9, &end, 16);
		if (end != head + 25 || len - off - FRAME_HEAD < reclen + 1 ||
		    buf[off + FRAME_HEAD + reclen] != '\n' ||
		    nw_hash_mem(buf + off + FRAME_HEAD, reclen) != h)
			break;
		/* A record the index refuses (from an older version, say)
		 * is skipped, not a reason to lose the rest. */
		if (nw_story_index_replay(
			st->idx, buf + off + FRAME_HEAD, reclen) == 0)
			(*nrec)++;
		else
			(*nbad)++;
		off += FRAME_HEAD + reclen + 1;
	}
	return off;
}

static int
read_file(const char *path, char **bufp, size_t *lenp)
{
	FILE *f;
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	*bufp = NULL;
	*lenp = 0;
	if ((f = fopen(path, "rb")) == NULL)
		return errno == ENOENT ? 0 : -1;
	for (;;) {
		if (cap - len < 65536) {
			char *nb = realloc(buf, cap + 65536 + 1);
			if (nb == NULL)
				fatalx("out of memory");
			buf = nb;
			cap += 65536;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	*bufp = buf;
	*lenp = len;
	return 0;
}

struct dump_ctx {
	int fd;
	size_t bytes;
	int failed;
};

static int
dump_one(const char *rec, size_t reclen, void *arg)
{
	struct dump_ctx *c = arg;
	char *buf;
	size_t n;

	if ((buf = frame(rec, reclen, &n)) == NULL)
		fatalx("out of memory");
	if (nw_write_all(c->fd, buf, n) == -1)
		c->failed = 1;
	c->bytes += n;
	free(buf);
	return c->failed ? -1 : 0;
}

static void
sync_dir(const char *path)
{
	char *dir = strdup(path), *slash;
	int fd;

	if (dir == NULL)
		fatalx("out of memory");
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	else
		strcpy(dir, ".");
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY)) != -1) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

/* Rewrite the journal from the live index: a new file, synced, renamed over
 * the old one; a crash at any point leaves one whole journal. */
static int
compact(struct nw_story_stage *st, char **cause)
{
	struct dump_ctx c = {.fd = -1};
	char *tmp;
	int fd;

	if (asprintf(&tmp, "%s.tmp", st->path) == -1)
		fatalx("out of memory");
	if ((c.fd = open(
		 tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640)) == -1) {
		set_cause(cause, "cannot create", tmp);
		free(tmp);
		return -1;
	}
	if (nw_story_index_dump(st->idx, dump_one, &c) == -1 || c.failed ||
	    fdatasync(c.fd) == -1) {
		set_cause(cause, "cannot write", tmp);
		goto fail;
	}
	if (rename(tmp, st->path) == -1) {
		set_cause(cause, "cannot rename to", st->path);
		goto fail;
	}
	close(c.fd);
	free(tmp);
	sync_dir(st->path);
	if ((fd = open(st->path, O_WRONLY | O_APPEND | O_CLOEXEC)) == -1)
		return set_cause(cause, "cannot open", st->path);
	if (st->fd != -1)
		close(st->fd);
	st->fd = fd;
	st->jbytes = st->livebytes = c.bytes;
	st->dirty = 0;
	/* What waited to be appended is in the index, so in the dump. */
	st->buflen = 0;
	return 0;
fail:
	close(c.fd);
	unlink(tmp);
	free(tmp);
	return -1;
}

static void
log_size(struct nw_story_stage *st, const char *what)
{
	size_t n = nw_story_index_count(st->idx);
	size_t b = nw_story_index_bytes(st->idx);

	log_info("stories %s count=%zu bytes=%zu per_story=%zu journal=%zu",
	    what, n, b, n > 0 ? b / n : 0, st->jbytes);
}

struct nw_story_stage *
nw_story_stage_open(
    const struct nw_daemon_conf *dc, int64_t now_ms, char **cause)
{
	struct nw_story_stage *st;
	struct nw_story_limits lim = {
	    .window_ms = dc->story_window_ms,
	    .flash_window_ms = dc->story_flash_window_ms,
	    .max_stories = dc->story_max > 0 ? (size_t)dc->story_max : 0,
	};
	char *buf;
	size_t len, good, nrec = 0, nbad = 0;

	*cause = NULL;
	if ((st = calloc(1, sizeof *st)) == NULL)
		fatalx("out of memory");
	st->fd = -1;
	st->max = lim.max_stories;
	if ((st->idx = nw_story_index_new(&lim)) == NULL)
		fatalx("out of memory");
	if (dc->state_dir == NULL || *dc->state_dir == '\0')
		return st;
	if (asprintf(&st->path, "%s/%s", dc->state_dir, JOURNAL_NAME) == -1)
		fatalx("out of memory");
	if (read_file(st->path, &buf, &len) == -1) {
		set_cause(cause, "cannot read", st->path);
		goto fail;
	}
	good = replay(st, buf, len, &nrec, &nbad);
	free(buf);
	if (good < len)
		log_warnx("stories journal %s: cut off a torn or damaged tail "
			  "of %zu bytes after %zu records",
		    st->path, len - good, nrec);
	if (nbad > 0)
		log_warnx("stories journal %s: %zu records not understood, "
			  "skipped",
		    st->path, nbad);
	st->jbytes = len;
	nw_story_index_expire(st->idx, now_ms);
	if (compact(st, cause) == -1)
		goto fail;
	log_size(st, "replayed");
	return st;
fail:
	nw_story_stage_close(st);
	return NULL;
}

int
nw_story_stage_assign(struct nw_story_stage *st, struct nw_event *ev,
    const struct nw_story_hint *hint, int64_t now_ms, char **cause)
{
	struct nw_story s, *copy;
	char *rec = NULL, *buf;
	size_t reclen = 0, n;

	*cause = NULL;
	/* The size bound holds between maintenance ticks too. */
	if (st->max > 0 && nw_story_index_count(st->idx) >= st->max)
		nw_story_index_expire(st->idx, now_ms);
	memset(&s, 0, sizeof s);
	if (nw_story_assign(st->idx, ev, hint, now_ms, &s,
		st->path != NULL ? &rec : NULL, &reclen) == -1)
		fatalx("out of memory");
	if (rec != NULL) {
		n = FRAME_HEAD + reclen + 1;
		if (st->bufcap - st->buflen < n) {
			size_t cap = st->bufcap ? st->bufcap : 65536;
			while (cap - st->buflen < n)
				cap *= 2;
			if ((buf = realloc(st->buf, cap)) == NULL)
				fatalx("out of memory");
			st->buf = buf;
			st->bufcap = cap;
		}
		st->buflen += frame_into(st->buf + st->buflen, rec, reclen);
		free(rec);
		st->jbytes += n;
		st->dirty = 1;
	}
	if ((copy = malloc(sizeof *copy)) == NULL)
		fatalx("out of memory");
	*copy = s;
	free(ev->story);
	ev->story = copy;
	return 0;
}

int
nw_story_stage_flush(struct nw_story_stage *st, char **cause)
{
	size_t n = st->buflen;

	*cause = NULL;
	if (n == 0)
		return 0;
	st->buflen = 0;
	if (nw_write_all(st->fd, st->buf, n) == -1)
		return set_cause(cause, "cannot append to", st->path);
	return 0;
}

int
nw_story_stage_sync(struct nw_story_stage *st, char **cause)
{
	if (nw_story_stage_flush(st, cause) == -1)
		return -1;
	if (!st->dirty || st->fd == -1)
		return 0;
	if (fdatasync(st->fd) == -1)
		return set_cause(cause, "cannot sync", st->path);
	st->dirty = 0;
	return 0;
}

int
nw_story_stage_sync_fd(struct nw_story_stage *st)
{
	int fd;

	/* The caller flushed (nw_story_stage_flush) first. */
	if (!st->dirty || st->fd == -1 || st->buflen > 0)
		return st->buflen > 0 ? -1 : -2;
	/* A descriptor of its own: a compaction may close st->fd meanwhile,
	 * and what it held is then in the compacted journal, synced. */
	if ((fd = fcntl(st->fd, F_DUPFD_CLOEXEC, 0)) == -1)
		return -1;
	st->dirty = 0;
	return fd;
}

void
nw_story_stage_sync_failed(struct nw_story_stage *st)
{
	st->dirty = 1;
}

void
nw_story_stage_maintain(struct nw_story_stage *st, int64_t now_ms)
{
	char *cause = NULL;

	nw_story_index_expire(st->idx, now_ms);
	if (st->path == NULL)
		return;
	/* Not on every expiry: in a steady state some story expires every
	 * minute, and rewriting the whole journal each time would write it
	 * over and over. Expired records left in it are dropped again when
	 * it is replayed. */
	if (st->jbytes < 2 * st->livebytes + COMPACT_SLACK)
		return;
	if (compact(st, &cause) == -1) {
		/* The old journal is whole and still appended to. */
		log_warnx("stories journal: compaction failed: %s",
		    cause != NULL ? cause : "?");
		free(cause);
		return;
	}
	log_size(st, "compacted");
}

size_t
nw_story_stage_count(const struct nw_story_stage *st)
{
	return nw_story_index_count(st->idx);
}

size_t
nw_story_stage_bytes(const struct nw_story_stage *st)
{
	return nw_story_index_bytes(st->idx);
}

void
nw_story_stage_close(struct nw_story_stage *st)
{
	if (st == NULL)
		return;
	if (st->fd != -1) {
		if (st->buflen > 0 &&
		    nw_write_all(st->fd, st->buf, st->buflen) == -1)
			log_warnx("stories journal %s: cannot append: %s",
			    st->path, strerror(errno));
		if (st->dirty)
			fdatasync(st->fd);
		close(st->fd);
	}
	nw_story_index_free(st->idx);
	free(st->buf);
	free(st->path);
	free(st);
}
