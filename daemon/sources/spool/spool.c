/* The spool source: dispatches are files dropped into PATH/incoming. Found
 * by inotify (or by polling, for network filesystems), read whole and closed,
 * handed to the pipeline, and moved to PATH/done (or PATH/failed with a
 * NAME.error.json) only once the pipeline settled their fate. Until then a
 * file stays in incoming/, so a crash at any moment loses nothing. Reads,
 * moves to done/ and pruning run on the daemon's workers, off the loop. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/queue.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <jansson.h>

#include "hash.h"
#include "workq.h"
#include "newswire/log.h"
#include "newswire/source.h"
#include "newswire/version.h"
#include "nwtime.h"

#define NBUCKETS       4096
#define SCAN_SETTLE_MS 1000 /* files found by a scan may still be written */
#define MAX_DEPTH      16
#define READ_WINDOW    64  /* files being read at once, at most */
#define MOVE_BATCH     128 /* moves to done/ handed to a worker at once */

struct spool_conf {
	char *path;
	char *watch;
	int64_t poll_interval_ms;
	int64_t settle_ms;
	int recursive;
	char *on_done;
	int64_t done_retention_ms;
	int64_t retry_min_ms;
	int64_t retry_max_ms;
};

static const struct nw_key spool_keys[] = {
    {.name = "path",
	.type = NW_KEY_PATH,
	.offset = offsetof(struct spool_conf, path),
	.desc = "spool directory; dispatches are dropped into PATH/incoming, "
		"and end in PATH/done or PATH/failed",
	.flags = NW_KEY_REQUIRED},
    {.name = "watch",
	.type = NW_KEY_ENUM,
	.def = "inotify",
	.offset = offsetof(struct spool_conf, watch),
	.desc = "inotify, or poll for network filesystems where inotify sees "
		"nothing",
	.choices = "inotify|poll"},
    {.name = "poll_interval",
	.type = NW_KEY_DURATION,
	.def = "2s",
	.offset = offsetof(struct spool_conf, poll_interval_ms),
	.desc = "with watch = poll: how often incoming/ is scanned"},
    {.name = "settle",
	.type = NW_KEY_DURATION,
	.def = "0",
	.offset = offsetof(struct spool_conf, settle_ms),
	.desc = "a file is read only once unmodified this long (for writers "
		"that close before they finish); files found by a scan wait "
		"at least 1s"},
    {.name = "recursive",
	.type = NW_KEY_BOOL,
	.def = "no",
	.offset = offsetof(struct spool_conf, recursive),
	.desc = "also take files from sub-directories of incoming/"},
    {.name = "on_done",
	.type = NW_KEY_ENUM,
	.def = "move",
	.offset = offsetof(struct spool_conf, on_done),
	.desc = "what happens to a file once its event is confirmed: move to "
		"done/, or delete",
	.choices = "move|delete"},
    {.name = "done_retention",
	.type = NW_KEY_DURATION,
	.def = "0",
	.offset = offsetof(struct spool_conf, done_retention_ms),
	.desc = "delete files from done/ this long after they got there; 0 "
		"keeps them"},
    {.name = "retry_min",
	.type = NW_KEY_DURATION,
	.def = "1s",
	.offset = offsetof(struct spool_conf, retry_min_ms),
	.desc = "first back-off when a sink asked for a retry; doubles each "
		"time"},
    {.name = "retry_max",
	.type = NW_KEY_DURATION,
	.def = "5m",
	.offset = offsetof(struct spool_conf, retry_max_ms),
	.desc = "longest back-off between retries of one file"},
    {.name = NULL},
};

/* S_READING and S_MOVING: a worker has the file; the sfile must stay. */
enum sstate {
	S_QUEUED,
	S_SETTLING,
	S_READING,
	S_INFLIGHT,
	S_MOVING,
	S_WAITING
};

/* Which file, and which content of it, a read saw. */
struct fid {
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtim;
};

static void
fid_of(struct fid *id, const struct stat *st)
{
	id->dev = st->st_dev;
	id->ino = st->st_ino;
	id->size = st->st_size;
	id->mtim = st->st_mtim;
}

static int
fid_same(const struct fid *a, const struct fid *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	    a->mtim.tv_sec == b->mtim.tv_sec &&
	    a->mtim.tv_nsec == b->mtim.tv_nsec;
}

struct sfile {
	char *rel; /* path below incoming/ */
	enum sstate state;
	int scanned;
	int again; /* an event named it while in flight: check it once more */
	int attempts;
	struct fid
	    seen; /* what was read, to tell a late event from a rewrite */
	struct event *timer;
	struct spool *sp;
	struct sfile *hnext;
	TAILQ_ENTRY(sfile) q;
};

struct wdir {
	int wd;
	char *rel; /* "" for incoming/ itself */
};

struct spool {
	struct nw_source *src;
	struct spool_conf *conf;
	const struct nw_limits *limits; /* the daemon's, from start() */
	struct event_base *base;
	char *incoming, *done, *failed;
	int ifd;
	int lockfd;
	struct event *inotify_ev;
	struct wdir *wds;
	size_t nwds, capwds;
	struct sfile *table[NBUCKETS];
	TAILQ_HEAD(, sfile) queue;
	struct event *feed_ev;
	struct event *poll_ev;
	struct event *prune_ev;
	struct nw_lane *lane; /* NULL: no workers, jobs run in place */
	/* Moves to done/ wait here while a batch of them is at a worker:
	 * renames into one directory take its lock in turn anyway, so one
	 * thread at a time does them (two spin on the lock), and one wake-up
	 * brings a whole batch back. */
	struct nw_lane *mlane; /* their own, so reads do not wait behind */
	struct sjob *moves, **moves_tail;
	size_t nmoves;
	int moving;
	size_t nreading;
	int pruning;
	int paused;
	int stopped;
};

/* A read, a move or a prune, done by a worker. Nothing in it is shared
 * with the loop until done() runs there. */
struct sjob {
	struct nw_job job;
	struct spool *sp;
	struct sfile *f;
	char *path, *to; /* to: NULL deletes path (on_done = delete) */
	int rc;          /* JOB_* */
	int err;         /* errno of what failed */
	const char *what;
	/* read */
	size_t max;
	int64_t settle, wait_ms, mtime;
	struct fid id;
	char *buf;
	size_t len;
	/* move */
	int touch; /* restart the retention clock */
	char *parents;
	struct sjob *mnext; /* in spool's moves, or in a batch */
	struct sjob *batch; /* a batch: its moves */
	/* prune */
	int64_t cutoff;
};

enum { JOB_OK, JOB_GONE, JOB_SETTLE, JOB_FAILED };

static struct sjob *
sjob_new(struct spool *sp, struct sfile *f, void (*run)(struct nw_job *),
    void (*done)(struct nw_job *))
{
	struct sjob *j;

	if ((j = calloc(1, sizeof *j)) == NULL)
		fatalx("out of memory");
	j->sp = sp;
	j->f = f;
	j->job.run = run;
	j->job.done = done;
	return j;
}

static void
sjob_push(struct spool *sp, struct sjob *j)
{
	if (sp->lane != NULL) {
		nw_lane_push(sp->lane, &j->job);
		return;
	}
	j->job.run(&j->job);
	j->job.done(&j->job);
}

static void
sjob_free(struct sjob *j)
{
	free(j->path);
	free(j->to);
	free(j->parents);
	free(j->buf);
	free(j);
}

static size_t
bucket(const char *rel)
{
	return (size_t)(nw_hash_str(rel) % NBUCKETS);
}

static struct sfile *
lookup(struct spool *sp, const char *rel)
{
	struct sfile *f;

	for (f = sp->table[bucket(rel)]; f != NULL; f = f->hnext)
		if (strcmp(f->rel, rel) == 0)
			return f;
	return NULL;
}

static void
forget(struct spool *sp, struct sfile *f)
{
	struct sfile **pp;

	for (pp = &sp->table[bucket(f->rel)]; *pp != NULL; pp = &(*pp)->hnext)
		if (*pp == f) {
			*pp = f->hnext;
			break;
		}
	if (f->state == S_QUEUED)
		TAILQ_REMOVE(&sp->queue, f, q);
	if (f->timer != NULL)
		event_free(f->timer);
	free(f->rel);
	free(f);
}

static int
ignored(const char *name)
{
	size_t n = strlen(name);

	if (name[0] == '.' || n == 0)
		return 1;
	if (n >= 4 && strcmp(name + n - 4, ".tmp") == 0)
		return 1;
	if (n >= 5 && strcmp(name + n - 5, ".part") == 0)
		return 1;
	/* Moved back from failed/ along with its file by mistake. */
	if (n >= 11 && strcmp(name + n - 11, ".error.json") == 0)
		return 1;
	return 0;
}

static int
ignored_rel(const char *rel)
{
	const char *slash = strrchr(rel, '/');

	return ignored(slash ? slash + 1 : rel);
}

static void schedule_feed(struct spool *);

/* Note a file: queue it unless we already know it. */
static void
notice(struct spool *sp, const char *rel, int scanned)
{
	struct sfile *f;
	size_t h;

	if (sp->stopped || ignored_rel(rel))
		return;
	if ((f = lookup(sp, rel)) != NULL) {
		/* Written again while it waits to settle: the timer
		 * re-checks. In flight: what was read may be only part of
		 * it, so it is not moved away but read once more. */
		if ((f->state == S_READING || f->state == S_INFLIGHT ||
			f->state == S_MOVING) &&
		    !scanned)
			f->again = 1;
		return;
	}
	if ((f = calloc(1, sizeof *f)) == NULL ||
	    (f->rel = strdup(rel)) == NULL)
		fatalx("out of memory");
	f->sp = sp;
	f->scanned = scanned;
	f->state = S_QUEUED;
	h = bucket(rel);
	f->hnext = sp->table[h];
	sp->table[h] = f;
	TAILQ_INSERT_TAIL(&sp->queue, f, q);
	schedule_feed(sp);
}

static char *
join(const char *a, const char *b)
{
	char *s;

	if (b[0] == '\0')
		return strdup(a);
	if (asprintf(&s, "%s/%s", a, b) < 0)
		return NULL;
	return s;
}

static void
settle_cb(evutil_socket_t fd, short what, void *arg)
{
	struct sfile *f = arg;
	struct spool *sp = f->sp;

	event_free(f->timer);
	f->timer = NULL;
	if (sp->stopped) {
		forget(sp, f);
		return;
	}
	f->state = S_QUEUED;
	TAILQ_INSERT_TAIL(&sp->queue, f, q);
	schedule_feed(sp);
}

static void
wait_then_queue(struct spool *sp, struct sfile *f, enum sstate st, int64_t ms)
{
	struct timeval tv;

	if (ms < 1)
		ms = 1;
	tv.tv_sec = (time_t)(ms / 1000);
	tv.tv_usec = (suseconds_t)((ms % 1000) * 1000);
	f->state = st;
	if (f->timer == NULL &&
	    (f->timer = evtimer_new(sp->base, settle_cb, f)) == NULL)
		fatalx("out of memory");
	evtimer_add(f->timer, &tv);
}

/* On a worker: read one queued file whole, unless it must settle first. */
static void
read_run(struct nw_job *job)
{
	struct sjob *j = (struct sjob *)(void *)job;
	struct stat st;
	size_t want;
	ssize_t n;
	int fd;

	fd = open(j->path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		j->rc = JOB_GONE;
		j->err = errno == ENOENT ? 0 : errno;
		j->what = "open";
		return;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		j->rc = JOB_GONE;
		return;
	}
	fid_of(&j->id, &st);
	j->mtime =
	    (int64_t)st.st_mtim.tv_sec * 1000 + st.st_mtim.tv_nsec / 1000000;
	if (j->settle > 0 && nw_now_ms() - j->mtime < j->settle) {
		close(fd);
		j->rc = JOB_SETTLE;
		j->wait_ms = j->settle - (nw_now_ms() - j->mtime);
		return;
	}
	/* One byte over the limit is enough for the parser to say too_large,
	 * and keeps memory bounded whatever lands in the spool. */
	want =
	    (size_t)st.st_size < j->max + 1 ? (size_t)st.st_size : j->max + 1;
	if ((j->buf = malloc(want + 1)) == NULL)
		fatalx("out of memory");
	while (j->len < want) {
		n = read(fd, j->buf + j->len, want - j->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			j->rc = JOB_GONE;
			j->err = errno;
			j->what = "read";
			break;
		}
		if (n == 0)
			break;
		j->len += (size_t)n;
	}
	close(fd);
}

/* Back on the loop, in the order the reads were asked for. */
static void
read_done(struct nw_job *job)
{
	struct sjob *j = (struct sjob *)(void *)job;
	struct spool *sp = j->sp;
	struct sfile *f = j->f;
	struct nw_dispatch *d;

	sp->nreading--;
	if (sp->stopped) {
		forget(sp, f);
		goto out;
	}
	switch (j->rc) {
	case JOB_SETTLE:
		wait_then_queue(sp, f, S_SETTLING, j->wait_ms);
		break;
	case JOB_GONE:
		/* A read error leaves the file; a later scan or event tries
		 * again. */
		if (j->err != 0) {
			errno = j->err;
			log_warn(
			    "source=%s %s %s", sp->src->name, j->what, j->path);
		}
		/* Gone, but a file of that name arrived meanwhile. */
		if (f->again) {
			f->again = 0;
			f->state = S_QUEUED;
			TAILQ_INSERT_TAIL(&sp->queue, f, q);
			break;
		}
		forget(sp, f);
		break;
	default:
		d = nw_dispatch_new(sp->src, j->buf, j->len, j->path);
		if (d == NULL)
			fatalx("out of memory");
		j->buf = NULL;
		d->received_at_ms = j->mtime;
		d->cookie = f;
		f->seen = j->id;
		f->state = S_INFLIGHT;
		nw_source_submit(sp->src, d);
		break;
	}
out:
	sjob_free(j);
	schedule_feed(sp);
}

static void
take(struct spool *sp, struct sfile *f)
{
	struct sjob *j = sjob_new(sp, f, read_run, read_done);

	if ((j->path = join(sp->incoming, f->rel)) == NULL)
		fatalx("out of memory");
	j->max = sp->limits->max_dispatch_size;
	j->settle = sp->conf->settle_ms;
	if (f->scanned && j->settle < SCAN_SETTLE_MS)
		j->settle = SCAN_SETTLE_MS;
	f->state = S_READING;
	sp->nreading++;
	sjob_push(sp, j);
}

static void
feed(struct spool *sp)
{
	struct sfile *f;

	while (!sp->paused && !sp->stopped && sp->nreading < READ_WINDOW &&
	    (f = TAILQ_FIRST(&sp->queue)) != NULL) {
		TAILQ_REMOVE(&sp->queue, f, q);
		take(sp, f);
	}
}

static void
feed_cb(evutil_socket_t fd, short what, void *arg)
{
	feed(arg);
}

static void
schedule_feed(struct spool *sp)
{
	if (!sp->paused && !sp->stopped)
		event_active(sp->feed_ev, 0, 0);
}

static int add_watch(struct spool *, const char *rel);
static void spool_stop(struct nw_source *);

/* Queue every file below incoming/rel that we do not know yet. */
static void
scan_dir(struct spool *sp, const char *rel, int depth)
{
	DIR *dir;
	struct dirent *de;
	char *path, *sub;
	struct stat st;

	if ((path = join(sp->incoming, rel)) == NULL)
		fatalx("out of memory");
	if ((dir = opendir(path)) == NULL) {
		if (errno != ENOENT)
			log_warn("source=%s scan %s", sp->src->name, path);
		free(path);
		return;
	}
	while ((de = readdir(dir)) != NULL) {
		if (ignored(de->d_name))
			continue;
		if (rel[0] != '\0') {
			if (asprintf(&sub, "%s/%s", rel, de->d_name) < 0)
				fatalx("out of memory");
		} else if ((sub = strdup(de->d_name)) == NULL)
			fatalx("out of memory");
		if (de->d_type == DT_UNKNOWN || de->d_type == DT_LNK) {
			if (fstatat(dirfd(dir), de->d_name, &st,
				AT_SYMLINK_NOFOLLOW) != 0) {
				free(sub);
				continue;
			}
			de->d_type = S_ISDIR(st.st_mode) ? DT_DIR
			    : S_ISREG(st.st_mode)        ? DT_REG
							 : DT_UNKNOWN;
		}
		if (de->d_type == DT_DIR) {
			if (sp->conf->recursive && depth < MAX_DEPTH) {
				if (strcmp(sp->conf->watch, "inotify") == 0)
					add_watch(sp, sub);
				scan_dir(sp, sub, depth + 1);
			}
		} else if (de->d_type == DT_REG)
			notice(sp, sub, 1);
		free(sub);
	}
	closedir(dir);
	free(path);
}

static int
add_watch(struct spool *sp, const char *rel)
{
	char *path;
	int wd;
	size_t i;
	uint32_t mask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_ONLYDIR;
	struct wdir *w;

	if (sp->conf->recursive)
		mask |= IN_CREATE;
	if ((path = join(sp->incoming, rel)) == NULL)
		fatalx("out of memory");
	wd = inotify_add_watch(sp->ifd, path, mask);
	if (wd < 0) {
		log_warn("source=%s watch %s", sp->src->name, path);
		free(path);
		return -1;
	}
	free(path);
	for (i = 0; i < sp->nwds; i++)
		if (sp->wds[i].wd == wd)
			return 0;
	if (sp->nwds == sp->capwds) {
		sp->capwds = sp->capwds ? sp->capwds * 2 : 8;
		if ((w = reallocarray(sp->wds, sp->capwds, sizeof *w)) == NULL)
			fatalx("out of memory");
		sp->wds = w;
	}
	sp->wds[sp->nwds].wd = wd;
	if ((sp->wds[sp->nwds++].rel = strdup(rel)) == NULL)
		fatalx("out of memory");
	return 0;
}

static const char *
wd_rel(struct spool *sp, int wd)
{
	size_t i;

	for (i = 0; i < sp->nwds; i++)
		if (sp->wds[i].wd == wd)
			return sp->wds[i].rel;
	return NULL;
}

static void
drop_wd(struct spool *sp, int wd)
{
	size_t i;

	for (i = 0; i < sp->nwds; i++) {
		if (sp->wds[i].wd == wd) {
			free(sp->wds[i].rel);
			sp->wds[i] = sp->wds[--sp->nwds];
			return;
		}
	}
}

static void
inotify_cb(evutil_socket_t fd, short what, void *arg)
{
	struct spool *sp = arg;
	char buf[64 * 1024]
	    __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event *ev;
	const char *dir;
	char *rel;
	ssize_t n;
	char *p;
	int rescan = 0;

	for (;;) {
		n = read(sp->ifd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		for (p = buf; p < buf + n; p += sizeof *ev + ev->len) {
			ev = (const struct inotify_event *)(void *)p;
			if (ev->mask & IN_Q_OVERFLOW) {
				rescan = 1;
				continue;
			}
			if (ev->mask & IN_IGNORED) {
				dir = wd_rel(sp, ev->wd);
				if (dir != NULL && dir[0] == '\0' &&
				    !sp->stopped)
					log_error("source=%s %s was removed or "
						  "moved: no more dispatches "
						  "until a restart",
					    sp->src->name, sp->incoming);
				drop_wd(sp, ev->wd);
				continue;
			}
			if (ev->len == 0 || (dir = wd_rel(sp, ev->wd)) == NULL)
				continue;
			if (dir[0] != '\0') {
				if (asprintf(&rel, "%s/%s", dir, ev->name) < 0)
					fatalx("out of memory");
			} else if ((rel = strdup(ev->name)) == NULL)
				fatalx("out of memory");
			if (ev->mask & IN_ISDIR) {
				if (sp->conf->recursive && !ignored(ev->name)) {
					add_watch(sp, rel);
					scan_dir(sp, rel, 1);
				}
			} else if (ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO))
				notice(sp, rel, 0);
			free(rel);
		}
	}
	if (rescan) {
		log_warnx("source=%s inotify queue overflowed; rescanning",
		    sp->src->name);
		scan_dir(sp, "", 0);
	}
}

static void
poll_cb(evutil_socket_t fd, short what, void *arg)
{
	struct spool *sp = arg;

	scan_dir(sp, "", 0);
}

static void
prune_dir(struct spool *sp, const char *path, int64_t cutoff, int depth)
{
	DIR *dir;
	struct dirent *de;
	struct stat st;
	char *sub;

	if ((dir = opendir(path)) == NULL)
		return;
	while ((de = readdir(dir)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (fstatat(dirfd(dir), de->d_name, &st, AT_SYMLINK_NOFOLLOW) !=
		    0)
			continue;
		if (S_ISDIR(st.st_mode) && depth < MAX_DEPTH) {
			if (asprintf(&sub, "%s/%s", path, de->d_name) < 0)
				fatalx("out of memory");
			prune_dir(sp, sub, cutoff, depth + 1);
			free(sub);
		} else if (S_ISREG(st.st_mode) &&
		    (int64_t)st.st_mtim.tv_sec * 1000 < cutoff) {
			if (unlinkat(dirfd(dir), de->d_name, 0) != 0)
				log_warn("source=%s prune %s/%s", sp->src->name,
				    path, de->d_name);
		}
	}
	closedir(dir);
}

static void
prune_run(struct nw_job *job)
{
	struct sjob *j = (struct sjob *)(void *)job;

	prune_dir(j->sp, j->sp->done, j->cutoff, 0);
}

static void
prune_done(struct nw_job *job)
{
	struct sjob *j = (struct sjob *)(void *)job;

	j->sp->pruning = 0;
	sjob_free(j);
}

static void
prune_cb(evutil_socket_t fd, short what, void *arg)
{
	struct spool *sp = arg;
	struct sjob *j;

	if (sp->pruning || sp->stopped)
		return;
	sp->pruning = 1;
	j = sjob_new(sp, NULL, prune_run, prune_done);
	j->cutoff = nw_now_ms() - sp->conf->done_retention_ms;
	sjob_push(sp, j);
}

static int
mkdirs(const char *path, char **cause)
{
	char *p, *s;

	if ((s = strdup(path)) == NULL)
		return -1;
	for (p = s + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(s, 0750) != 0 && errno != EEXIST)
			goto fail;
		*p = '/';
	}
	if (mkdir(s, 0750) != 0 && errno != EEXIST)
		goto fail;
	free(s);
	return 0;
fail:
	if (asprintf(cause, "mkdir %s: %s", s, strerror(errno)) < 0)
		*cause = NULL;
	free(s);
	return -1;
}

/* Create the directories a relative path needs below base. */
static void
mkparents(const char *base, const char *rel)
{
	char *path, *slash;
	char *cause = NULL;

	if (strchr(rel, '/') == NULL)
		return;
	if ((path = join(base, rel)) == NULL)
		fatalx("out of memory");
	if ((slash = strrchr(path, '/')) != NULL) {
		*slash = '\0';
		if (mkdirs(path, &cause) != 0) {
			log_warnx("%s", cause ? cause : "mkdir failed");
			free(cause);
		}
	}
	free(path);
}

static int
spool_check(void *vconf, char **cause)
{
	struct spool_conf *c = vconf;

	if (c->poll_interval_ms < 10) {
		*cause = strdup("poll_interval must be at least 10ms");
		return -1;
	}
	if (c->retry_min_ms < 1 || c->retry_max_ms < c->retry_min_ms) {
		*cause = strdup("retry_min must be > 0 and <= retry_max");
		return -1;
	}
	return 0;
}

static int
spool_start(struct nw_source *src, struct event_base *base,
    const struct nw_limits *limits, char **cause)
{
	struct spool *sp;
	struct timeval tv;
	int64_t every;
	char *lock;

	if ((sp = calloc(1, sizeof *sp)) == NULL)
		return -1;
	sp->src = src;
	sp->conf = src->conf;
	sp->limits = limits;
	if (limits->workq != NULL) {
		sp->lane = nw_lane_new(limits->workq, base);
		sp->mlane = nw_lane_new(limits->workq, base);
	}
	sp->moves_tail = &sp->moves;
	sp->base = base;
	sp->ifd = -1;
	sp->lockfd = -1;
	TAILQ_INIT(&sp->queue);
	src->priv = sp;
	sp->incoming = join(sp->conf->path, "incoming");
	sp->done = join(sp->conf->path, "done");
	sp->failed = join(sp->conf->path, "failed");
	if (sp->incoming == NULL || sp->done == NULL || sp->failed == NULL)
		fatalx("out of memory");
	if (mkdirs(sp->incoming, cause) != 0 ||
	    mkdirs(sp->failed, cause) != 0 ||
	    (strcmp(sp->conf->on_done, "move") == 0 &&
		mkdirs(sp->done, cause) != 0))
		goto fail;
	/* Two daemons on one spool would race for its files. */
	if ((lock = join(sp->conf->path, ".newswired.lock")) == NULL)
		fatalx("out of memory");
	sp->lockfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0640);
	if (sp->lockfd < 0 || flock(sp->lockfd, LOCK_EX | LOCK_NB) != 0) {
		if (asprintf(cause, "%s: %s", lock,
			errno == EWOULDBLOCK
			    ? "spool in use by another newswired"
			    : strerror(errno)) < 0)
			*cause = NULL;
		free(lock);
		goto fail;
	}
	free(lock);
	if ((sp->feed_ev = event_new(base, -1, 0, feed_cb, sp)) == NULL)
		fatalx("out of memory");
	if (strcmp(sp->conf->watch, "inotify") == 0) {
		sp->ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
		if (sp->ifd < 0) {
			if (asprintf(cause, "inotify: %s", strerror(errno)) < 0)
				*cause = NULL;
			goto fail;
		}
		if (add_watch(sp, "") != 0) {
			if (asprintf(cause, "cannot watch %s", sp->incoming) <
			    0)
				*cause = NULL;
			goto fail;
		}
		sp->inotify_ev = event_new(
		    base, sp->ifd, EV_READ | EV_PERSIST, inotify_cb, sp);
		if (sp->inotify_ev == NULL)
			fatalx("out of memory");
		event_add(sp->inotify_ev, NULL);
	} else {
		sp->poll_ev = event_new(base, -1, EV_PERSIST, poll_cb, sp);
		if (sp->poll_ev == NULL)
			fatalx("out of memory");
		tv.tv_sec = (time_t)(sp->conf->poll_interval_ms / 1000);
		tv.tv_usec =
		    (suseconds_t)((sp->conf->poll_interval_ms % 1000) * 1000);
		event_add(sp->poll_ev, &tv);
	}
	if (sp->conf->done_retention_ms > 0 &&
	    strcmp(sp->conf->on_done, "move") == 0) {
		every = sp->conf->done_retention_ms / 10;
		if (every > 3600 * 1000)
			every = 3600 * 1000;
		if (every < 1000)
			every = 1000;
		tv.tv_sec = (time_t)(every / 1000);
		tv.tv_usec = (suseconds_t)((every % 1000) * 1000);
		sp->prune_ev = event_new(base, -1, EV_PERSIST, prune_cb, sp);
		if (sp->prune_ev == NULL)
			fatalx("out of memory");
		event_add(sp->prune_ev, &tv);
		prune_cb(-1, 0, sp);
	}
	/* Files left from before (or from a crash) go first. */
	scan_dir(sp, "", 0);
	log_info("source=%s watching %s (%s)", src->name, sp->incoming,
	    sp->conf->watch);
	return 0;
fail:
	spool_stop(src);
	return -1;
}

static void
spool_pause(struct nw_source *src)
{
	struct spool *sp = src->priv;

	sp->paused = 1;
}

static void
spool_resume(struct nw_source *src)
{
	struct spool *sp = src->priv;

	sp->paused = 0;
	schedule_feed(sp);
}

static void
spool_stop_intake(struct nw_source *src)
{
	struct spool *sp = src->priv;
	struct sfile *f;
	size_t i;

	sp->stopped = 1;
	if (sp->inotify_ev != NULL)
		event_del(sp->inotify_ev);
	if (sp->poll_ev != NULL)
		event_del(sp->poll_ev);
	/* What is not in flight stays in incoming/ for the next start. */
	for (i = 0; i < NBUCKETS; i++) {
		struct sfile *next;
		for (f = sp->table[i]; f != NULL; f = next) {
			next = f->hnext;
			if (f->state != S_INFLIGHT && f->state != S_READING &&
			    f->state != S_MOVING)
				forget(sp, f);
		}
	}
}

static int
write_error_json(struct spool *sp, const char *rel, const char *file,
    const struct nw_dispatch *d)
{
	json_t *o;
	char *path = NULL, *tmp = NULL, *s = NULL;
	char ts[64];
	struct tm tm;
	time_t now = time(NULL);
	FILE *f = NULL;
	int rc = -1;

	gmtime_r(&now, &tm);
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "reason",
	    d->reason_code ? d->reason_code : "internal", "message",
	    d->error ? d->error : "", "file", file, "time", ts, "parser",
	    NW_PARSER_NAME "/" NW_VERSION, "source", sp->src->name);
	if (o == NULL || (s = json_dumps(o, JSON_INDENT(2))) == NULL)
		goto out;
	if (asprintf(&path, "%s/%s.error.json", sp->failed, rel) < 0 ||
	    asprintf(&tmp, "%s/%s.error.json.tmp", sp->failed, rel) < 0) {
		path = tmp = NULL;
		goto out;
	}
	if ((f = fopen(tmp, "w")) == NULL)
		goto out;
	if (fprintf(f, "%s\n", s) < 0 || fflush(f) != 0 ||
	    fsync(fileno(f)) != 0) {
		fclose(f);
		unlink(tmp);
		goto out;
	}
	fclose(f);
	if (rename(tmp, path) != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0)
		log_warn(
		    "source=%s cannot write %s.error.json", sp->src->name, rel);
	json_decref(o);
	free(s);
	free(path);
	free(tmp);
	return rc;
}

/* On a worker: the move (or unlink) of a confirmed file. */
static void
move_run(struct nw_job *job)
{
	struct sjob *j = (struct sjob *)(void *)job;

	if (j->to == NULL) {
		if (unlink(j->path) != 0 && errno != ENOENT) {
			j->rc = JOB_FAILED;
			j->err = errno;
			j->what = "unlink";
		}
		return;
	}
	if (j->parents != NULL)
		mkparents(j->parents, j->f->rel);
	if (rename(j->path, j->to) != 0) {
		j->rc = JOB_FAILED;
		j->err = errno;
		j->what = "move to done/";
	} else if (j->touch)
		utimensat(AT_FDCWD, j->to, NULL, 0); /* retention starts */
}

static void
move_done(struct nw_job *job)
{
	struct sjob *j = (struct sjob *)(void *)job;
	struct spool *sp = j->sp;
	struct sfile *f = j->f;

	if (j->rc == JOB_FAILED) {
		errno = j->err;
		log_warn("source=%s %s %s", sp->src->name, j->what, j->path);
	}
	/* A file of the same name arrived while this one was moved: it is
	 * a new dispatch. */
	if (f->again && !sp->stopped) {
		f->again = 0;
		f->attempts = 0;
		f->state = S_QUEUED;
		TAILQ_INSERT_TAIL(&sp->queue, f, q);
		schedule_feed(sp);
	} else
		forget(sp, f);
	sjob_free(j);
}

/* On a worker: a batch of moves, in the order they were asked for. */
static void
moves_run(struct nw_job *job)
{
	struct sjob *b = (struct sjob *)(void *)job, *j;

	for (j = b->batch; j != NULL; j = j->mnext)
		move_run(&j->job);
}

static void push_moves(struct spool *);

static void
moves_done(struct nw_job *job)
{
	struct sjob *b = (struct sjob *)(void *)job, *j, *next;
	struct spool *sp = b->sp;

	for (j = b->batch; j != NULL; j = next) {
		next = j->mnext;
		move_done(&j->job);
	}
	sjob_free(b);
	sp->moving = 0;
	push_moves(sp);
}

/* Hand the waiting moves to a worker, unless a batch is there already. */
static void
push_moves(struct spool *sp)
{
	struct sjob *b, **pj;
	size_t n;

	if (sp->moving || sp->moves == NULL)
		return;
	b = sjob_new(sp, NULL, moves_run, moves_done);
	/* Bounded, so that files leave the table in good time. */
	for (pj = &sp->moves, n = 0; *pj != NULL && n < MOVE_BATCH; n++)
		pj = &(*pj)->mnext;
	b->batch = sp->moves;
	sp->moves = *pj;
	*pj = NULL;
	sp->nmoves -= n;
	if (sp->moves == NULL)
		sp->moves_tail = &sp->moves;
	sp->moving = 1;
	nw_lane_push(sp->mlane, &b->job);
}

/* Takes from. The sfile stays known until the move is done, so that a
 * scan meanwhile does not read the file again. */
static void
move_to_done(struct spool *sp, struct sfile *f, char *from)
{
	struct sjob *j = sjob_new(sp, f, move_run, move_done);

	j->path = from;
	if (strcmp(sp->conf->on_done, "delete") != 0) {
		if ((j->to = join(sp->done, f->rel)) == NULL)
			fatalx("out of memory");
		if (strchr(f->rel, '/') != NULL &&
		    (j->parents = strdup(sp->done)) == NULL)
			fatalx("out of memory");
		j->touch = sp->conf->done_retention_ms > 0;
	}
	f->state = S_MOVING;
	if (sp->lane == NULL) {
		sjob_push(sp, j);
		return;
	}
	j->mnext = NULL;
	*sp->moves_tail = j;
	sp->moves_tail = &j->mnext;
	sp->nmoves++;
	push_moves(sp);
}

static int
unchanged(const char *path, const struct fid *seen)
{
	struct stat st;
	struct fid now;

	if (stat(path, &st) != 0)
		return 0;
	fid_of(&now, &st);
	return fid_same(&now, seen);
}

static void
spool_ack(struct nw_source *src, struct nw_dispatch *d, enum nw_outcome out)
{
	struct spool *sp = src->priv;
	struct sfile *f = d->cookie;
	char *from = NULL, *to = NULL;
	int64_t backoff;
	int i;

	if ((from = join(sp->incoming, f->rel)) == NULL)
		fatalx("out of memory");
	/* An event that arrived during the read may be the late news of the
	 * very write that was read (or a scan and an event that both saw
	 * one arrival): only a different file or content is read again. */
	if (f->again && unchanged(from, &f->seen))
		f->again = 0;
	if (f->again && !sp->stopped && out != NW_OUTCOME_RETRY) {
		log_info("source=%s file=%s changed while in flight; reading "
			 "it again",
		    src->name, from);
		f->again = 0;
		f->state = S_QUEUED;
		TAILQ_INSERT_TAIL(&sp->queue, f, q);
		schedule_feed(sp);
		free(from);
		nw_dispatch_free(d);
		return;
	}
	switch (out) {
	case NW_OUTCOME_DONE:
		move_to_done(sp, f, from);
		nw_dispatch_free(d);
		return;
	case NW_OUTCOME_FAILED:
		mkparents(sp->failed, f->rel);
		/* The reason first: a crash in between leaves the file in
		 * incoming/, where it is tried again. */
		write_error_json(sp, f->rel, from, d);
		if ((to = join(sp->failed, f->rel)) == NULL)
			fatalx("out of memory");
		if (rename(from, to) != 0)
			log_warn(
			    "source=%s move %s to failed/", src->name, from);
		break;
	case NW_OUTCOME_RETRY:
		if (sp->stopped)
			break;
		backoff = sp->conf->retry_min_ms;
		for (i = 0; i < f->attempts && backoff < sp->conf->retry_max_ms;
		     i++)
			backoff *= 2;
		if (backoff > sp->conf->retry_max_ms)
			backoff = sp->conf->retry_max_ms;
		f->attempts++;
		f->scanned = 0;
		log_info("source=%s file=%s retry in %lldms", src->name, from,
		    (long long)backoff);
		wait_then_queue(sp, f, S_WAITING, backoff);
		free(from);
		nw_dispatch_free(d);
		return;
	}
	forget(sp, f);
	free(from);
	free(to);
	nw_dispatch_free(d);
}

static void
spool_stop(struct nw_source *src)
{
	struct spool *sp = src->priv;
	struct sfile *f, *next;
	size_t i;

	if (sp == NULL)
		return;
	/* Reads and moves the workers still do finish first; their done()
	 * sees stopped and forgets the file. */
	sp->stopped = 1;
	nw_lane_free(sp->lane);
	sp->lane = NULL;
	nw_lane_free(sp->mlane); /* a batch pushes the moves left */
	sp->mlane = NULL;
	for (i = 0; i < NBUCKETS; i++) {
		for (f = sp->table[i]; f != NULL; f = next) {
			next = f->hnext;
			if (f->timer != NULL)
				event_free(f->timer);
			free(f->rel);
			free(f);
		}
	}
	for (i = 0; i < sp->nwds; i++)
		free(sp->wds[i].rel);
	free(sp->wds);
	if (sp->inotify_ev != NULL)
		event_free(sp->inotify_ev);
	if (sp->poll_ev != NULL)
		event_free(sp->poll_ev);
	if (sp->prune_ev != NULL)
		event_free(sp->prune_ev);
	if (sp->feed_ev != NULL)
		event_free(sp->feed_ev);
	if (sp->ifd >= 0)
		close(sp->ifd);
	if (sp->lockfd >= 0)
		close(sp->lockfd);
	free(sp->incoming);
	free(sp->done);
	free(sp->failed);
	free(sp);
	src->priv = NULL;
}

const struct nw_source_ops nw_source_spool = {
    .type = "spool",
    .keys = spool_keys,
    .conf_size = sizeof(struct spool_conf),
    .check = spool_check,
    .start = spool_start,
    .pause = spool_pause,
    .resume = spool_resume,
    .stop_intake = spool_stop_intake,
    .ack = spool_ack,
    .stop = spool_stop,
};
