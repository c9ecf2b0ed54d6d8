/* The file sink: JSON Lines appended to one file. A message is confirmed
 * only once its line is written and, by the fsync policy, on disk; lines
 * written together share one fsync (group commit). On a write error (a full
 * disk) nothing is confirmed and the write is retried, losing nothing. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <jansson.h>

#include "format.h"
#include "newswire/log.h"
#include "newswire/sink.h"
#include "nwtime.h"

#define RETRY_MS 1000

struct file_conf {
	char *path;
	char *fsync;
	int64_t fsync_interval_ms;
	size_t max_buffer;
	int dead_letters;
	char *mode;
	char *format;
};

static const struct nw_key file_keys[] = {
    {.name = "path",
	.type = NW_KEY_PATH,
	.offset = offsetof(struct file_conf, path),
	.desc = "file the events are appended to, one JSON object per line",
	.flags = NW_KEY_REQUIRED},
    {.name = "fsync",
	.type = NW_KEY_ENUM,
	.def = "always",
	.offset = offsetof(struct file_conf, fsync),
	.desc = "always: fsync before confirming each batch of lines "
		"written together; batch: fsync every fsync_interval",
	.choices = "always|batch"},
    {.name = "fsync_interval",
	.type = NW_KEY_DURATION,
	.def = "200ms",
	.offset = offsetof(struct file_conf, fsync_interval_ms),
	.desc = "with fsync = batch: how long lines wait for their fsync"},
    {.name = "max_buffer",
	.type = NW_KEY_SIZE,
	.def = "8M",
	.offset = offsetof(struct file_conf, max_buffer),
	.desc = "bytes waiting to be written before the sources are paused"},
    {.name = "dead_letters",
	.type = NW_KEY_BOOL,
	.def = "no",
	.offset = offsetof(struct file_conf, dead_letters),
	.desc = "also write dispatches that could not be parsed, as "
		"{\"dead_letter\": {reason, error, source, uri, raw}} lines"},
    {.name = "mode",
	.type = NW_KEY_STRING,
	.def = "0640",
	.offset = offsetof(struct file_conf, mode),
	.desc = "permissions of the file when it is created (octal)"},
    {.name = "format",
	.type = NW_KEY_ENUM,
	.def = "json",
	.choices = NW_SINK_FORMATS,
	.offset = offsetof(struct file_conf, format),
	.desc = NW_SINK_FORMAT_DESC},
    {.name = NULL},
};

struct fpend {
	void *token;
	uint64_t end; /* stream offset just past the line */
};

struct file_sink {
	struct file_conf *conf;
	struct event_base *base;
	int fd;
	mode_t mode;
	char *buf; /* appended and not yet written */
	size_t len, cap;
	uint64_t appended; /* bytes ever appended */
	uint64_t written;  /* bytes ever written */
	struct fpend *pend;
	size_t npend, cappend;
	struct event *flush_ev;
	int armed;
	int failing; /* last write failed; waiting for a retry */
	int want_ready;
};

static int
file_check(void *vconf, char **cause)
{
	struct file_conf *c = vconf;
	char *end;
	unsigned long m;

	m = strtoul(c->mode, &end, 8);
	if (c->mode[0] == '\0' || *end != '\0' || m > 07777) {
		*cause = strdup("mode must be octal, like 0640");
		return -1;
	}
	if (c->fsync_interval_ms < 1 || c->fsync_interval_ms > 60000) {
		*cause = strdup("fsync_interval must be within 1ms..60s");
		return -1;
	}
	if (c->max_buffer < 4096) {
		*cause = strdup("max_buffer must be at least 4k");
		return -1;
	}
	return 0;
}

/* A crash can leave half a line at the end; drop it so every line stays
 * whole JSON. The dispatch it belonged to was never confirmed, so it is
 * still at its source and comes again. */
static int
trim_torn(int fd, const char *path, char **cause)
{
	struct stat st;
	char chunk[4096];
	off_t pos, start;
	ssize_t n, i;

	if (fstat(fd, &st) != 0 || st.st_size == 0)
		return 0;
	if (pread(fd, chunk, 1, st.st_size - 1) != 1)
		goto fail;
	if (chunk[0] == '\n')
		return 0;
	for (pos = st.st_size; pos > 0; pos = start) {
		start =
		    pos > (off_t)sizeof chunk ? pos - (off_t)sizeof chunk : 0;
		if ((n = pread(fd, chunk, (size_t)(pos - start), start)) < 0)
			goto fail;
		for (i = n - 1; i >= 0; i--)
			if (chunk[i] == '\n')
				break;
		if (i >= 0) {
			pos = start + i + 1;
			break;
		}
	}
	if (pos < 0)
		pos = 0;
	log_warnx("sink file %s: trimming a torn last line (%lld bytes)", path,
	    (long long)(st.st_size - pos));
	if (ftruncate(fd, pos) != 0 || fsync(fd) != 0)
		goto fail;
	return 0;
fail:
	if (asprintf(cause, "%s: %s", path, strerror(errno)) < 0)
		*cause = NULL;
	return -1;
}

/* The file's name must survive a crash as well as its lines. */
static void
sync_parent(const char *path)
{
	char *dir = strdup(path), *slash;
	int fd;

	if (dir == NULL)
		return;
	slash = strrchr(dir, '/');
	if (slash == dir)
		slash[1] = '\0';
	else if (slash != NULL)
		*slash = '\0';
	else
		strcpy(dir, ".");
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

static int
open_file(struct file_sink *f, char **cause)
{
	int fd;

	fd = open(
	    f->conf->path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, f->mode);
	if (fd < 0) {
		if (asprintf(cause, "%s: %s", f->conf->path, strerror(errno)) <
		    0)
			*cause = NULL;
		return -1;
	}
	/* Another daemon appending to the same file would interleave lines,
	 * and trimming its half-written line would tear it. */
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if (asprintf(cause, "%s: %s", f->conf->path,
			errno == EWOULDBLOCK ? "in use by another newswired"
					     : strerror(errno)) < 0)
			*cause = NULL;
		close(fd);
		return -1;
	}
	if (trim_torn(fd, f->conf->path, cause) != 0) {
		close(fd);
		return -1;
	}
	sync_parent(f->conf->path);
	f->fd = fd;
	return 0;
}

static void
arm(struct file_sink *f, long ms)
{
	struct timeval tv = {ms / 1000, (ms % 1000) * 1000};

	if (f->armed)
		return;
	f->armed = 1;
	evtimer_add(f->flush_ev, &tv);
}

/* Confirm, as how, every pending line that is wholly written. Confirming
 * can call back into deliver (a resumed source): take the entries out
 * first. */
static void
confirm_written(struct nw_sink *sink, struct file_sink *f, enum nw_confirm how,
    const char *error)
{
	struct fpend *done;
	size_t n, i;

	for (n = 0; n < f->npend && f->pend[n].end <= f->written; n++)
		;
	if ((done = malloc(n * sizeof *done + 1)) == NULL)
		fatalx("out of memory");
	if (n > 0) {
		memcpy(done, f->pend, n * sizeof *done);
		memmove(f->pend, f->pend + n, (f->npend - n) * sizeof *f->pend);
	}
	f->npend -= n;
	for (i = 0; i < n; i++)
		nw_sink_confirm(sink, done[i].token, how, error);
	free(done);
}

/* Write what is buffered, sync, confirm what is on disk. Returns 0 when
 * everything buffered is confirmed. */
static int
flush_now(struct nw_sink *sink)
{
	struct file_sink *f = sink->priv;
	size_t off = 0;
	ssize_t w;
	int e;

	while (off < f->len) {
		w = write(f->fd, f->buf + off, f->len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			e = errno;
			if (!f->failing)
				log_warnx("sink=%s write %s: %s; retrying, "
					  "nothing confirmed meanwhile",
				    sink->name, f->conf->path, strerror(e));
			f->failing = 1;
			break;
		}
		off += (size_t)w;
		f->written += (uint64_t)w;
	}
	if (off > 0) {
		memmove(f->buf, f->buf + off, f->len - off);
		f->len -= off;
	}
	if (f->written == 0 || f->npend == 0 || f->pend[0].end > f->written)
		return f->len == 0 && f->npend == 0 ? 0 : -1;
	if (fdatasync(f->fd) != 0) {
		e = errno;
		/* After a failed fsync the kernel may have dropped the pages:
		 * nothing written since the last good sync is known to be on
		 * disk. Leave those dispatches at their sources. */
		log_warnx("sink=%s fsync %s: %s", sink->name, f->conf->path,
		    strerror(e));
		confirm_written(sink, f, NW_CONFIRM_RETRY, strerror(e));
		return -1;
	}
	if (f->failing && f->len == 0) {
		log_info(
		    "sink=%s write %s works again", sink->name, f->conf->path);
		f->failing = 0;
	}
	confirm_written(sink, f, NW_CONFIRM_OK, NULL);
	if (f->want_ready && f->len < f->conf->max_buffer / 2) {
		f->want_ready = 0;
		nw_sink_ready(sink);
	}
	return f->len == 0 && f->npend == 0 ? 0 : -1;
}

static void
flush_cb(evutil_socket_t fd, short what, void *arg)
{
	struct nw_sink *sink = arg;
	struct file_sink *f = sink->priv;

	f->armed = 0;
	flush_now(sink);
	if (f->failing)
		arm(f, RETRY_MS);
	else if (f->len > 0 || f->npend > 0)
		arm(f, 0);
}

static int
file_start(struct nw_sink *sink, struct event_base *base,
    const struct nw_limits *limits, char **cause)
{
	struct file_sink *f;

	if ((f = calloc(1, sizeof *f)) == NULL)
		return -1;
	f->conf = sink->conf;
	f->base = base;
	f->mode = (mode_t)strtoul(f->conf->mode, NULL, 8);
	f->fd = -1;
	if (open_file(f, cause) != 0) {
		free(f);
		return -1;
	}
	if ((f->flush_ev = evtimer_new(base, flush_cb, sink)) == NULL) {
		close(f->fd);
		free(f);
		return -1;
	}
	sink->priv = f;
	return 0;
}

static int
file_dead_letters(struct nw_sink *sink)
{
	return ((struct file_conf *)sink->conf)->dead_letters;
}

static char *
dead_letter_json(const struct nw_sink_msg *m)
{
	json_t *o, *raw;
	char *s;

	/* Raw bytes as a string when they are UTF-8; jansson refuses
	 * otherwise, and then they go as hex. */
	raw = json_stringn(m->raw, m->rawlen);
	if (raw == NULL) {
		char *hex = malloc(m->rawlen * 2 + 1);
		size_t i;
		if (hex == NULL)
			return NULL;
		for (i = 0; i < m->rawlen; i++)
			snprintf(hex + 2 * i, 3, "%02x",
			    ((const unsigned char *)m->raw)[i]);
		hex[2 * m->rawlen] = '\0';
		raw = json_pack("{s:s}", "hex", hex);
		free(hex);
	}
	o = json_pack("{s:{s:s, s:s?, s:s?, s:s?, s:o}}", "dead_letter",
	    "reason", nw_reason_code(m->reason), "error", m->error, "source",
	    m->source, "uri", m->uri, "raw", raw);
	if (o == NULL)
		return NULL;
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s;
}

static enum nw_deliver_rc
file_deliver(struct nw_sink *sink, const struct nw_sink_msg *m)
{
	struct file_sink *f = sink->priv;
	const char *line = m->json;
	size_t n = m->jsonlen, need;
	char *dl = NULL, *p;
	struct fpend *pp;

	if (f->len >= f->conf->max_buffer) {
		f->want_ready = 1;
		return NW_DELIVER_FULL;
	}
	if (m->event == NULL) {
		if ((dl = dead_letter_json(m)) == NULL)
			return NW_DELIVER_ERROR;
		line = dl;
		n = strlen(dl);
	} else if ((line = nw_sink_format(m, f->conf->format, &dl, &n)) == NULL)
		return NW_DELIVER_ERROR;
	need = f->len + n + 1;
	if (need > f->cap) {
		if ((p = realloc(f->buf, need * 2)) == NULL)
			goto oom;
		f->buf = p;
		f->cap = need * 2;
	}
	if (f->npend == f->cappend) {
		f->cappend = f->cappend ? f->cappend * 2 : 64;
		pp = reallocarray(f->pend, f->cappend, sizeof *f->pend);
		if (pp == NULL)
			goto oom;
		f->pend = pp;
	}
	memcpy(f->buf + f->len, line, n);
	f->buf[f->len + n] = '\n';
	f->len += n + 1;
	f->appended += n + 1;
	f->pend[f->npend].token = m->token;
	f->pend[f->npend++].end = f->appended;
	free(dl);
	if (!f->failing)
		arm(f,
		    strcmp(f->conf->fsync, "batch") == 0
			? (long)f->conf->fsync_interval_ms
			: 0);
	return NW_DELIVER_QUEUED;
oom:
	free(dl);
	return NW_DELIVER_ERROR;
}

static size_t
file_pending(struct nw_sink *sink)
{
	return ((struct file_sink *)sink->priv)->npend;
}

static size_t
file_flush(struct nw_sink *sink, int timeout_ms)
{
	struct file_sink *f = sink->priv;
	int64_t t0 = nw_mono_ms();

	while (flush_now(sink) != 0) {
		if (nw_mono_ms() - t0 >= timeout_ms)
			break;
		usleep(100 * 1000);
	}
	return f->npend;
}

static void
file_reopen(struct nw_sink *sink)
{
	struct file_sink *f = sink->priv;
	int old = f->fd;
	char *cause = NULL;

	struct stat a, b;

	if (flush_now(sink) != 0) {
		log_warnx("sink=%s not reopened: %s has unwritten lines",
		    sink->name, f->conf->path);
		return;
	}
	/* Not rotated: keep the file (and its lock). */
	if (stat(f->conf->path, &a) == 0 && fstat(f->fd, &b) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino)
		return;
	if (open_file(f, &cause) != 0) {
		log_warnx(
		    "sink=%s reopen: %s", sink->name, cause ? cause : "failed");
		free(cause);
		f->fd = old;
		return;
	}
	close(old);
	log_info("sink=%s reopened %s", sink->name, f->conf->path);
}

static void
file_stop(struct nw_sink *sink)
{
	struct file_sink *f = sink->priv;

	if (f == NULL)
		return;
	event_free(f->flush_ev);
	if (f->fd >= 0)
		close(f->fd);
	free(f->buf);
	free(f->pend);
	free(f);
	sink->priv = NULL;
}

const struct nw_sink_ops nw_sink_file = {
    .type = "file",
    .keys = file_keys,
    .conf_size = sizeof(struct file_conf),
    .check = file_check,
    .start = file_start,
    .takes_dead_letters = file_dead_letters,
    .deliver = file_deliver,
    .pending = file_pending,
    .flush = file_flush,
    .reopen = file_reopen,
    .stop = file_stop,
};
