/* The metrics registry: a flat list of families, each a list of label sets.
 * Small (tens of series), so linear search is fine and keeps it simple. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "newswire/log.h"

/* Latency buckets in seconds: from a fast file sink to a slow broker. */
static const double buckets[] = {
    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
#define NBUCKETS (sizeof buckets / sizeof buckets[0])

struct series {
	char *labels;
	double value;                       /* counter/gauge; histogram sum */
	unsigned long counts[NBUCKETS + 1]; /* histogram, last is +Inf */
	unsigned long n;
};

struct family {
	char *name;
	char *help;
	enum nw_metric_type type;
	struct series *s;
	size_t ns, cap;
};

struct hook {
	void (*fn)(void *);
	void *arg;
};

static struct family *fams;
static size_t nfams, capfams;
static struct hook *hooks;
static size_t nhooks;

static struct family *
family(const char *name, enum nw_metric_type type, const char *help)
{
	size_t i;
	struct family *f;

	for (i = 0; i < nfams; i++)
		if (strcmp(fams[i].name, name) == 0)
			return &fams[i];
	if (nfams == capfams) {
		capfams = capfams ? capfams * 2 : 16;
		if ((f = reallocarray(fams, capfams, sizeof *fams)) == NULL)
			fatalx("out of memory");
		fams = f;
	}
	f = &fams[nfams++];
	memset(f, 0, sizeof *f);
	f->name = strdup(name);
	f->help = strdup(help ? help : name);
	f->type = type;
	if (f->name == NULL || f->help == NULL)
		fatalx("out of memory");
	return f;
}

static struct series *
series(struct family *f, const char *labels)
{
	size_t i;
	struct series *s;

	if (labels == NULL)
		labels = "";
	for (i = 0; i < f->ns; i++)
		if (strcmp(f->s[i].labels, labels) == 0)
			return &f->s[i];
	if (f->ns == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 8;
		if ((s = reallocarray(f->s, f->cap, sizeof *f->s)) == NULL)
			fatalx("out of memory");
		f->s = s;
	}
	s = &f->s[f->ns++];
	memset(s, 0, sizeof *s);
	if ((s->labels = strdup(labels)) == NULL)
		fatalx("out of memory");
	return s;
}

void
nw_metric_declare(const char *name, enum nw_metric_type type, const char *help)
{
	struct family *f = family(name, type, help);

	if (help != NULL && strcmp(f->help, help) != 0) {
		free(f->help);
		if ((f->help = strdup(help)) == NULL)
			fatalx("out of memory");
	}
	f->type = type;
}

void
nw_metric_add(const char *name, const char *labels, double v)
{
	series(family(name, NW_COUNTER, NULL), labels)->value += v;
}

void
nw_metric_set(const char *name, const char *labels, double v)
{
	series(family(name, NW_GAUGE, NULL), labels)->value = v;
}

void
nw_metric_observe(const char *name, const char *labels, double v)
{
	struct series *s = series(family(name, NW_HISTOGRAM, NULL), labels);
	size_t i;

	for (i = 0; i < NBUCKETS && v > buckets[i]; i++)
		;
	s->counts[i]++;
	s->n++;
	s->value += v;
}

double
nw_metric_get(const char *name, const char *labels)
{
	size_t i, j;

	for (i = 0; i < nfams; i++) {
		if (strcmp(fams[i].name, name) != 0)
			continue;
		for (j = 0; j < fams[i].ns; j++)
			if (strcmp(fams[i].s[j].labels, labels ? labels : "") ==
			    0)
				return fams[i].type == NW_HISTOGRAM
				    ? (double)fams[i].s[j].n
				    : fams[i].s[j].value;
	}
	return 0;
}

const char *
nw_metric_label(char *buf, size_t len, const char *v)
{
	size_t n = 0;

	for (; *v != '\0' && n + 3 < len; v++) {
		if (*v == '\\' || *v == '"') {
			buf[n++] = '\\';
			buf[n++] = *v;
		} else if (*v == '\n') {
			buf[n++] = '\\';
			buf[n++] = 'n';
		} else
			buf[n++] = *v;
	}
	buf[n] = '\0';
	return buf;
}

void
nw_metrics_on_render(void (*fn)(void *), void *arg)
{
	struct hook *h;

	if ((h = reallocarray(hooks, nhooks + 1, sizeof *hooks)) == NULL)
		fatalx("out of memory");
	hooks = h;
	hooks[nhooks].fn = fn;
	hooks[nhooks++].arg = arg;
}

void
nw_metrics_off_render(void (*fn)(void *), void *arg)
{
	size_t i;

	for (i = 0; i < nhooks; i++) {
		if (hooks[i].fn == fn && hooks[i].arg == arg) {
			memmove(&hooks[i], &hooks[i + 1],
			    (nhooks - i - 1) * sizeof *hooks);
			nhooks--;
			return;
		}
	}
}

/* A growable string for the exposition text. */
struct buf {
	char *p;
	size_t n, cap;
	int oom;
};

static void bprintf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
bprintf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	if (b->oom)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->p + b->n, b->cap - b->n, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->oom = 1;
			return;
		}
		if ((size_t)n < b->cap - b->n) {
			b->n += (size_t)n;
			return;
		}
		b->cap = (b->cap + (size_t)n) * 2;
		if ((p = realloc(b->p, b->cap)) == NULL) {
			b->oom = 1;
			return;
		}
		b->p = p;
	}
}

static void
fmt_value(char *out, size_t len, double v)
{
	if (isinf(v))
		snprintf(out, len, "%s", v > 0 ? "+Inf" : "-Inf");
	else if (v == floor(v) && fabs(v) < 1e15)
		snprintf(out, len, "%.0f", v);
	else
		snprintf(out, len, "%.15g", v); /* keeps ms on Unix times */
}

char *
nw_metrics_render_prometheus(void)
{
	static const char *const tnames[] = {"counter", "gauge", "histogram"};
	struct buf b = {0};
	struct family *f;
	struct series *s;
	size_t i, j, k;
	unsigned long cum;
	char v[64], le[64];

	for (i = 0; i < nhooks; i++)
		hooks[i].fn(hooks[i].arg);
	if ((b.p = malloc(4096)) == NULL)
		return NULL;
	b.cap = 4096;
	b.p[0] = '\0';
	for (i = 0; i < nfams; i++) {
		f = &fams[i];
		bprintf(&b, "# HELP %s %s\n# TYPE %s %s\n", f->name, f->help,
		    f->name, tnames[f->type]);
		for (j = 0; j < f->ns; j++) {
			s = &f->s[j];
			if (f->type != NW_HISTOGRAM) {
				fmt_value(v, sizeof v, s->value);
				if (s->labels[0] != '\0')
					bprintf(&b, "%s{%s} %s\n", f->name,
					    s->labels, v);
				else
					bprintf(&b, "%s %s\n", f->name, v);
				continue;
			}
			for (k = 0, cum = 0; k <= NBUCKETS; k++) {
				cum += s->counts[k];
				if (k < NBUCKETS)
					fmt_value(le, sizeof le, buckets[k]);
				else
					snprintf(le, sizeof le, "+Inf");
				bprintf(&b, "%s_bucket{%s%sle=\"%s\"} %lu\n",
				    f->name, s->labels, s->labels[0] ? "," : "",
				    le, cum);
			}
			fmt_value(v, sizeof v, s->value);
			bprintf(&b, "%s_sum%s%s%s %s\n%s_count%s%s%s %lu\n",
			    f->name, s->labels[0] ? "{" : "", s->labels,
			    s->labels[0] ? "}" : "", v, f->name,
			    s->labels[0] ? "{" : "", s->labels,
			    s->labels[0] ? "}" : "", s->n);
		}
	}
	if (b.oom) {
		free(b.p);
		return NULL;
	}
	return b.p;
}

void
nw_metrics_reset(void)
{
	size_t i, j;

	for (i = 0; i < nfams; i++) {
		for (j = 0; j < fams[i].ns; j++)
			free(fams[i].s[j].labels);
		free(fams[i].s);
		free(fams[i].name);
		free(fams[i].help);
	}
	free(fams);
	fams = NULL;
	nfams = capfams = 0;
	free(hooks);
	hooks = NULL;
	nhooks = 0;
}
