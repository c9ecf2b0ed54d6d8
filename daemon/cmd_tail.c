/* newswired tail: follow what the daemon publishes, from a Kafka topic (its
 * own consumer, no group, nothing committed) or from a file sink's file
 * (across logrotate's rename and copytruncate), and print it for people.
 * What a message looks like is tail_view.c's business; this file is I/O. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>

#include "cmd.h"
#include "tail_view.h"

#define MAX_X 32 /* -X settings */

struct tail {
	struct nw_tail_opts o;
	const char *brokers, *topic, *file;
	const char *x[MAX_X];
	int nx;
	int from_beginning;
	int exit_at_end; /* stop at the end rather than wait for more */
	long count;      /* stop after this many shown; 0: never */
	long shown;
};

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void
nap_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

/* One message from wherever: print it, or say why it is not an event.
 * Returns 1 when --count is reached. */
static int
show(struct tail *t, const char *msg, size_t len, const char *where)
{
	char *out = NULL;

	switch (nw_tail_render(msg, len, &t->o, &out)) {
	case NW_TAIL_SHOWN:
		fputs(out, stdout);
		fflush(stdout);
		t->shown++;
		break;
	case NW_TAIL_FILTERED:
		break;
	case NW_TAIL_UNKNOWN:
		fprintf(stderr, "newswired tail: %s: %s", where,
		    out ? out : "not an event\n");
		break;
	}
	free(out);
	return t->count > 0 && t->shown >= t->count;
}

/* Kafka ------------------------------------------------------------------ */

static rd_kafka_t *
consumer(struct tail *t)
{
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	rd_kafka_t *rk;
	char err[512], key[256], group[64];
	const char *eq;
	int i;

	/* librdkafka's consumer wants a group.id even for partitions assigned
	 * by hand, as here: a name of its own that never joins a group (no
	 * subscribe) and never commits (no auto commit, no commit call). */
	snprintf(group, sizeof group, "newswired-tail-%ld-%ld", (long)getpid(),
	    (long)time(NULL));
	if (rd_kafka_conf_set(conf, "bootstrap.servers", t->brokers, err,
		sizeof err) != RD_KAFKA_CONF_OK ||
	    rd_kafka_conf_set(conf, "group.id", group, err, sizeof err) !=
		RD_KAFKA_CONF_OK ||
	    rd_kafka_conf_set(conf, "enable.auto.offset.store", "false", err,
		sizeof err) != RD_KAFKA_CONF_OK ||
	    rd_kafka_conf_set(conf, "client.id", "newswired-tail", err,
		sizeof err) != RD_KAFKA_CONF_OK ||
	    rd_kafka_conf_set(conf, "enable.auto.commit", "false", err,
		sizeof err) != RD_KAFKA_CONF_OK ||
	    rd_kafka_conf_set(conf, "enable.partition.eof",
		t->exit_at_end ? "true" : "false", err,
		sizeof err) != RD_KAFKA_CONF_OK ||
	    rd_kafka_conf_set(conf, "auto.offset.reset",
		t->from_beginning ? "earliest" : "latest", err,
		sizeof err) != RD_KAFKA_CONF_OK)
		goto fail;
	for (i = 0; i < t->nx; i++) {
		if ((eq = strchr(t->x[i], '=')) == NULL ||
		    (size_t)(eq - t->x[i]) >= sizeof key) {
			snprintf(
			    err, sizeof err, "-X %s: want key=value", t->x[i]);
			goto fail;
		}
		snprintf(key, sizeof key, "%.*s", (int)(eq - t->x[i]), t->x[i]);
		if (rd_kafka_conf_set(conf, key, eq + 1, err, sizeof err) !=
		    RD_KAFKA_CONF_OK)
			goto fail;
	}
	if ((rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err)) ==
	    NULL)
		goto fail;
	return rk;
fail:
	fprintf(stderr, "newswired tail: %s\n", err);
	rd_kafka_conf_destroy(conf);
	return NULL;
}

/* The topic's partitions, waiting for the topic to exist. */
static int
partitions(rd_kafka_t *rk, const char *topic, int *n, int *waited)
{
	rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topic, NULL);
	const struct rd_kafka_metadata *md = NULL;
	rd_kafka_resp_err_t err;
	int said = 0;

	*n = 0;
	*waited = 0;
	while (!stop && rkt != NULL) {
		err = rd_kafka_metadata(rk, 0, rkt, &md, 5000);
		if (err == RD_KAFKA_RESP_ERR_NO_ERROR && md->topic_cnt == 1 &&
		    md->topics[0].err == RD_KAFKA_RESP_ERR_NO_ERROR &&
		    md->topics[0].partition_cnt > 0) {
			*n = md->topics[0].partition_cnt;
			rd_kafka_metadata_destroy(md);
			break;
		}
		*waited = 1;
		if (!said++)
			fprintf(stderr,
			    "newswired tail: waiting for topic %s (%s)\n",
			    topic,
			    rd_kafka_err2str(err != RD_KAFKA_RESP_ERR_NO_ERROR
				    ? err
				    : md->topics[0].err));
		if (md != NULL)
			rd_kafka_metadata_destroy(md);
		md = NULL;
		nap_ms(500);
	}
	if (rkt != NULL)
		rd_kafka_topic_destroy(rkt);
	return *n > 0 ? 0 : -1;
}

static int
tail_kafka(struct tail *t)
{
	rd_kafka_t *rk;
	rd_kafka_topic_partition_list_t *parts;
	rd_kafka_message_t *m;
	rd_kafka_resp_err_t err;
	int64_t lo, hi;
	int i, n, waited, at_end = 0, rc = 0;
	char where[300];

	if ((rk = consumer(t)) == NULL)
		return 1;
	if (partitions(rk, t->topic, &n, &waited) != 0) {
		rd_kafka_destroy(rk);
		return stop ? 0 : 1;
	}
	/* Start offsets are fixed here, not resolved lazily by the fetcher:
	 * "from the end" means what is there now, so nothing published after
	 * the line below is missed. A topic that appeared while we waited
	 * holds only what is new: read it whole. */
	if (waited)
		t->from_beginning = 1;
	parts = rd_kafka_topic_partition_list_new(n);
	for (i = 0; i < n; i++) {
		if (t->from_beginning)
			lo = RD_KAFKA_OFFSET_BEGINNING;
		else if ((err = rd_kafka_query_watermark_offsets(
			      rk, t->topic, i, &lo, &hi, 10000)) !=
		    RD_KAFKA_RESP_ERR_NO_ERROR) {
			fprintf(stderr,
			    "newswired tail: topic %s partition %d: %s\n",
			    t->topic, i, rd_kafka_err2str(err));
			rc = 1;
			goto out;
		} else
			lo = hi;
		rd_kafka_topic_partition_list_add(parts, t->topic, i)->offset =
		    lo;
	}
	if ((err = rd_kafka_assign(rk, parts)) != RD_KAFKA_RESP_ERR_NO_ERROR) {
		fprintf(stderr, "newswired tail: %s\n", rd_kafka_err2str(err));
		rc = 1;
		goto out;
	}
	fprintf(stderr,
	    "newswired tail: reading topic %s (%d partitions) from the %s\n",
	    t->topic, n, t->from_beginning ? "beginning" : "end");
	while (!stop) {
		if ((m = rd_kafka_consumer_poll(rk, 200)) == NULL)
			continue;
		if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
			snprintf(where, sizeof where, "%s/%d@%lld", t->topic,
			    (int)m->partition, (long long)m->offset);
			if (m->payload == NULL)
				fprintf(stderr,
				    "newswired tail: %s: empty message\n",
				    where);
			else if (show(t, m->payload, m->len, where))
				stop = 1;
		} else if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
			if (t->exit_at_end && ++at_end == n)
				stop = 1;
		} else
			fprintf(stderr, "newswired tail: %s\n",
			    rd_kafka_message_errstr(m));
		rd_kafka_message_destroy(m);
	}
out:
	rd_kafka_topic_partition_list_destroy(parts);
	rd_kafka_consumer_close(rk);
	rd_kafka_destroy(rk);
	return rc;
}

/* A file ------------------------------------------------------------------ */

struct follow {
	int fd;
	dev_t dev;
	ino_t ino;
	off_t pos;  /* bytes read from fd */
	char *line; /* an incomplete last line */
	size_t len, cap;
	/* The file's first bytes: copytruncate followed by as many bytes as
	 * we had read leaves size and position alike, but not these. */
	char head[128];
	size_t nhead;
};

/* Refresh the first bytes; 1 when they no longer start as they did. */
static int
head_changed(struct follow *fl)
{
	char now[sizeof fl->head];
	ssize_t n = pread(fl->fd, now, sizeof now, 0);

	if (n < 0)
		return 0;
	if ((size_t)n < fl->nhead || memcmp(now, fl->head, fl->nhead) != 0)
		return 1;
	memcpy(fl->head, now, (size_t)n);
	fl->nhead = (size_t)n;
	return 0;
}

static int
open_file(struct tail *t, struct follow *fl, int at_end)
{
	struct stat st;

	if ((fl->fd = open(t->file, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if (fstat(fl->fd, &st) != 0) {
		close(fl->fd);
		fl->fd = -1;
		return -1;
	}
	fl->dev = st.st_dev;
	fl->ino = st.st_ino;
	fl->pos = at_end ? lseek(fl->fd, 0, SEEK_END) : 0;
	fl->len = 0;
	fl->nhead = 0;
	head_changed(fl);
	return 0;
}

/* Complete lines of what was read (the n bytes just before fl->pos);
 * keeps an incomplete last line for later. */
static int
take(struct tail *t, struct follow *fl, const char *buf, size_t n)
{
	const char *nl, *line;
	size_t chunk, linelen;
	char where[64], *p;

	while (n > 0 && !stop) {
		nl = memchr(buf, '\n', n);
		chunk = nl != NULL ? (size_t)(nl - buf) : n;
		snprintf(where, sizeof where, "%s at byte %lld", t->file,
		    (long long)(fl->pos - (off_t)n - (off_t)fl->len));
		if (fl->len > 0 || nl == NULL) {
			if (fl->len + chunk > fl->cap) {
				fl->cap = (fl->len + chunk) * 2;
				if ((p = realloc(fl->line, fl->cap)) == NULL)
					return -1;
				fl->line = p;
			}
			memcpy(fl->line + fl->len, buf, chunk);
			fl->len += chunk;
		}
		if (nl == NULL)
			return 0;
		line = fl->len > 0 ? fl->line : buf;
		linelen = fl->len > 0 ? fl->len : chunk;
		if (linelen > 0 && show(t, line, linelen, where))
			stop = 1;
		fl->len = 0;
		n -= chunk + 1;
		buf = nl + 1;
	}
	return 0;
}

/* Renamed or replaced: the name now points to another file. */
static int
renamed(struct tail *t, struct follow *fl)
{
	struct stat st;

	return stat(t->file, &st) == 0 &&
	    (st.st_ino != fl->ino || st.st_dev != fl->dev);
}

/* Truncated in place (copytruncate), perhaps written again since. Checked
 * after each pause and before reading on, so that new lines written from
 * the start are not read from our old position. */
static int
truncated(struct follow *fl)
{
	struct stat st;
	char c;

	if (fstat(fl->fd, &st) == 0 && st.st_size < fl->pos)
		return 1;
	/* The byte before our position ended a line when we read it. */
	if (fl->len == 0 && fl->pos > 0 &&
	    pread(fl->fd, &c, 1, fl->pos - 1) == 1 && c != '\n')
		return 1;
	return head_changed(fl);
}

static int
tail_file(struct tail *t)
{
	struct follow fl = {.fd = -1};
	char buf[65536];
	ssize_t n;
	int said = 0, napped = 0;

	/* A file that appears while we wait is all new: read it whole. */
	while (open_file(t, &fl, !t->from_beginning && !said) != 0) {
		if (errno != ENOENT) {
			fprintf(stderr, "newswired tail: %s: %s\n", t->file,
			    strerror(errno));
			return 1;
		}
		if (!said++)
			fprintf(stderr,
			    "newswired tail: waiting for %s to appear\n",
			    t->file);
		if (stop)
			return 0;
		nap_ms(200);
	}
	fprintf(stderr, "newswired tail: reading %s from the %s\n", t->file,
	    t->from_beginning || said ? "beginning" : "end");
	while (!stop) {
		if (napped && truncated(&fl)) {
			fprintf(stderr,
			    "newswired tail: %s was truncated; reading it "
			    "again from the start\n",
			    t->file);
			lseek(fl.fd, 0, SEEK_SET);
			fl.pos = 0;
			fl.len = 0;
			fl.nhead = 0;
		}
		napped = 0;
		if ((n = read(fl.fd, buf, sizeof buf)) > 0) {
			fl.pos += n;
			if (take(t, &fl, buf, (size_t)n) != 0) {
				fprintf(stderr,
				    "newswired tail: out of "
				    "memory\n");
				break;
			}
			continue;
		}
		if (n < 0 && errno != EINTR) {
			fprintf(stderr, "newswired tail: %s: %s\n", t->file,
			    strerror(errno));
			break;
		}
		if (t->exit_at_end)
			break;
		/* At the end: the writer may have moved on to a new file. */
		if (renamed(t, &fl)) {
			/* Drain what the old file got after our last read. */
			while ((n = read(fl.fd, buf, sizeof buf)) > 0) {
				fl.pos += n;
				take(t, &fl, buf, (size_t)n);
			}
			close(fl.fd);
			fl.fd = -1;
			while (!stop && open_file(t, &fl, 0) != 0)
				nap_ms(100);
			if (fl.fd < 0)
				break;
			fprintf(stderr,
			    "newswired tail: %s was rotated; reading the new "
			    "file\n",
			    t->file);
			continue;
		}
		napped = 1;
		nap_ms(100);
	}
	if (fl.fd >= 0)
		close(fl.fd);
	free(fl.line);
	return 0;
}

/* The command ------------------------------------------------------------- */

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: newswired tail -b BROKERS -t TOPIC [OPTIONS]\n"
	    "       newswired tail [-f] FILE [OPTIONS]\n"
	    "  -b, --brokers LIST     Kafka bootstrap servers\n"
	    "  -t, --topic TOPIC      the topic to read\n"
	    "  -X KEY=VALUE           a librdkafka setting (e.g. TLS, SASL)\n"
	    "  -f, --file FILE        follow a file sink's file\n"
	    "      --from-beginning   start at the beginning (default: the "
	    "end)\n"
	    "  -q, --quotes           one line per quotation\n"
	    "      --json             print the events as they are\n"
	    "      --speaker NAME     only events quoting NAME (part of a "
	    "name)\n"
	    "      --agency NAME      only events from this agency\n"
	    "      --language CODE    only events in this language\n"
	    "      --story KEY        only versions of this story\n"
	    "      --color WHEN       auto (default), always or never\n"
	    "  -n, --count N          stop after N events\n"
	    "  -e, --exit-at-end      stop at the end instead of waiting for "
	    "more\n");
}

static int
tail_exec(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"brokers", required_argument, NULL, 'b'},
	    {"topic", required_argument, NULL, 't'},
	    {"file", required_argument, NULL, 'f'},
	    {"from-beginning", no_argument, NULL, 'B'},
	    {"quotes", no_argument, NULL, 'q'},
	    {"json", no_argument, NULL, 'j'},
	    {"speaker", required_argument, NULL, 's'},
	    {"agency", required_argument, NULL, 'a'},
	    {"language", required_argument, NULL, 'l'},
	    {"story", required_argument, NULL, 'S'},
	    {"color", required_argument, NULL, 'c'},
	    {"colour", required_argument, NULL, 'c'},
	    {"count", required_argument, NULL, 'n'},
	    {"exit-at-end", no_argument, NULL, 'e'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct tail t = {0};
	struct sigaction sa;
	const char *color = "auto", *term = getenv("TERM");
	char *end;
	int ch;

	optind = 1;
	while ((ch = getopt_long(
		    argc, argv, "b:t:f:qjn:X:eh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'b':
			t.brokers = optarg;
			break;
		case 't':
			t.topic = optarg;
			break;
		case 'f':
			t.file = optarg;
			break;
		case 'B':
			t.from_beginning = 1;
			break;
		case 'q':
			t.o.quotes = 1;
			break;
		case 'j':
			t.o.json = 1;
			break;
		case 's':
			t.o.speaker = optarg;
			break;
		case 'a':
			t.o.agency = optarg;
			break;
		case 'l':
			t.o.language = optarg;
			break;
		case 'S':
			t.o.story = optarg;
			break;
		case 'c':
			color = optarg;
			break;
		case 'n':
			t.count = strtol(optarg, &end, 10);
			if (*end != '\0' || t.count < 0) {
				fprintf(stderr,
				    "newswired tail: --count wants a number\n");
				return 2;
			}
			break;
		case 'e':
			t.exit_at_end = 1;
			break;
		case 'X':
			if (t.nx == MAX_X) {
				fprintf(
				    stderr, "newswired tail: too many -X\n");
				return 2;
			}
			t.x[t.nx++] = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc && t.file == NULL)
		t.file = argv[optind++];
	if (optind < argc || (t.file != NULL) == (t.topic != NULL) ||
	    (t.topic != NULL && t.brokers == NULL)) {
		fprintf(stderr,
		    "newswired tail: give -b BROKERS -t TOPIC, or "
		    "a FILE\n");
		usage(stderr);
		return 2;
	}
	if (strcmp(color, "always") == 0)
		t.o.color = 1;
	else if (strcmp(color, "auto") == 0)
		t.o.color = isatty(STDOUT_FILENO) &&
		    getenv("NO_COLOR") == NULL &&
		    (term == NULL || strcmp(term, "dumb") != 0);
	else if (strcmp(color, "never") != 0) {
		fprintf(stderr,
		    "newswired tail: --color is auto, always or never\n");
		return 2;
	}
	if (t.o.json)
		t.o.color = 0;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal; /* no SA_RESTART: sleeps end early */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	return t.topic != NULL ? tail_kafka(&t) : tail_file(&t);
}

const struct nw_cmd_entry nw_cmd_tail_entry = {
    .name = "tail",
    .usage = "-b BROKERS -t TOPIC | FILE [--from-beginning] [--quotes] "
	     "[--json] [--speaker NAME] [--agency NAME] [--language CODE] "
	     "[--story KEY]",
    .summary = "follow published events from Kafka or a file, readably",
    .exec = tail_exec,
};
