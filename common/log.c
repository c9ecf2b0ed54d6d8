/* Logging to stderr for people tailing the journal (text) or for machines
 * (one JSON object per line). Under systemd, JOURNAL_STREAM is set and each
 * text line starts with its sd-daemon(3) <N> priority prefix. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "newswire/log.h"

static enum nw_log_level log_level = NW_LOG_INFO;
static enum nw_log_format log_format = NW_LOG_TEXT;
static int log_journal; /* stderr is the journal */

static const char *const level_names[] = {"error", "warning", "info", "debug"};
static const int level_prio[] = {3, 4, 6, 7}; /* syslog priorities */

/* JOURNAL_STREAM names the device and inode of the journal's stream; it is
 * inherited by children whose stderr may go elsewhere, so compare. */
static int
stderr_is_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (js == NULL || sscanf(js, "%llu:%llu", &dev, &ino) != 2)
		return 0;
	if (fstat(STDERR_FILENO, &st) != 0)
		return 0;
	return (unsigned long long)st.st_dev == dev &&
	    (unsigned long long)st.st_ino == ino;
}

void
log_init(enum nw_log_level level, enum nw_log_format format)
{
	log_level = level;
	log_format = format;
	log_journal = stderr_is_journal();
}

void
log_set_level(enum nw_log_level level)
{
	log_level = level;
}

int
log_level_parse(const char *s, enum nw_log_level *out)
{
	size_t i;

	for (i = 0; i < sizeof level_names / sizeof level_names[0]; i++) {
		if (strcmp(s, level_names[i]) == 0) {
			*out = (enum nw_log_level)i;
			return 0;
		}
	}
	if (strcmp(s, "warn") == 0) {
		*out = NW_LOG_WARNING;
		return 0;
	}
	return -1;
}

/* For machines: "published id=X source=Y ms=3" also becomes fields
 * {"event": "published", "id": "X", "source": "Y", "ms": 3}. Values may be
 * double-quoted with backslash escapes. */
static void
add_fields(json_t *o, const char *msg)
{
	char key[64], val[1024];
	const char *p = msg, *eq;
	size_t n, k;
	int first = 1, digits;

	while (*p != '\0') {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		eq = p + strcspn(p, "= ");
		if (*eq != '=') {
			if (first && (n = (size_t)(eq - p)) < sizeof val) {
				memcpy(val, p, n);
				val[n] = '\0';
				json_object_set_new(
				    o, "event", json_string(val));
			}
			p = eq;
			first = 0;
			continue;
		}
		first = 0;
		n = (size_t)(eq - p);
		if (n == 0 || n >= sizeof key) {
			p = eq + 1;
			continue;
		}
		memcpy(key, p, n);
		key[n] = '\0';
		p = eq + 1;
		k = 0;
		if (*p == '"') {
			for (p++; *p != '\0' && *p != '"'; p++) {
				if (*p == '\\' && p[1] != '\0')
					p++;
				if (k + 1 < sizeof val)
					val[k++] = *p;
			}
			if (*p == '"')
				p++;
		} else {
			while (*p != '\0' && *p != ' ') {
				if (k + 1 < sizeof val)
					val[k++] = *p;
				p++;
			}
		}
		val[k] = '\0';
		if (strcmp(key, "time") == 0 || strcmp(key, "level") == 0 ||
		    strcmp(key, "msg") == 0)
			continue;
		digits = k > 0 && k < 16;
		for (n = 0; n < k && digits; n++)
			if (val[n] < '0' || val[n] > '9')
				digits = 0;
		if (digits)
			json_object_set_new(
			    o, key, json_integer(strtoll(val, NULL, 10)));
		else
			json_object_set_new(o, key, json_string(val));
	}
}

static void
log_emit(enum nw_log_level level, const char *msg)
{
	char ts[96];
	struct timespec now;
	struct tm tm;
	json_t *o;
	char *s;

	if (log_format == NW_LOG_JSON) {
		clock_gettime(CLOCK_REALTIME, &now);
		gmtime_r(&now.tv_sec, &tm);
		snprintf(ts, sizeof ts, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec, now.tv_nsec / 1000000);
		o = json_pack("{s:s, s:s, s:s}", "time", ts, "level",
		    level_names[level], "msg", msg);
		if (o != NULL)
			add_fields(o, msg);
		s = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
		if (s != NULL)
			fprintf(stderr, "%s\n", s);
		free(s);
		json_decref(o);
	} else if (log_journal)
		fprintf(stderr, "<%d>%s\n", level_prio[level], msg);
	else
		fprintf(stderr, "newswired: %s%s%s\n",
		    level <= NW_LOG_WARNING ? level_names[level] : "",
		    level <= NW_LOG_WARNING ? ": " : "", msg);
	fflush(stderr);
}

static void log_vlog(enum nw_log_level, const char *, const char *, va_list)
    __attribute__((format(printf, 3, 0)));

static void
log_vlog(enum nw_log_level level, const char *with_errno, const char *fmt,
    va_list ap)
{
	char buf[4096], *p;
	int n;

	if (level > log_level)
		return;
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	if (with_errno != NULL && n >= 0 && (size_t)n < sizeof buf)
		snprintf(buf + n, sizeof buf - (size_t)n, ": %s", with_errno);
	/* One event, one line: a message from a file or a peer may hold
	 * line breaks. */
	for (p = buf; *p != '\0'; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	log_emit(level, buf);
}

#define LOG_FN(fn, level, errno_too)                                           \
	void fn(const char *fmt, ...)                                          \
	{                                                                      \
		va_list ap;                                                    \
		const char *e = (errno_too) ? strerror(errno) : NULL;          \
                                                                               \
		va_start(ap, fmt);                                             \
		log_vlog(level, e, fmt, ap);                                   \
		va_end(ap);                                                    \
	}

LOG_FN(log_warn, NW_LOG_WARNING, 1)
LOG_FN(log_warnx, NW_LOG_WARNING, 0)
LOG_FN(log_error, NW_LOG_ERROR, 0)
LOG_FN(log_info, NW_LOG_INFO, 0)
LOG_FN(log_debug, NW_LOG_DEBUG, 0)

void
fatal(const char *fmt, ...)
{
	va_list ap;
	const char *e = strerror(errno);

	va_start(ap, fmt);
	log_vlog(NW_LOG_ERROR, e, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vlog(NW_LOG_ERROR, NULL, fmt, ap);
	va_end(ap);
	exit(1);
}
