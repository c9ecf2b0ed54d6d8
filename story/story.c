/* The story index: which story each dispatch is a version of. A dispatch
 * joins a story by what the source says (the same dispatch again, the same
 * event id, the same feed item) or, failing that, by the words of its
 * headline and opening paragraphs against the stories of the same agency,
 * language, dateline city and date within the window. Every lookup goes
 * through one hash table of 64-bit keys (story key, event id, dispatch,
 * feed item, word stem), so assigning costs the same with ten stories or a
 * hundred thousand. Decisions are records: replaying them restores the
 * index, and a dump of the live stories is a compacted journal. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "newswire/story.h"
#include "story_int.h"

/* A word stem held by more stories than this says nothing about which
 * story a dispatch belongs to ("said", "России"): it is not followed. */
#define POSTING_MAX 64
/* At most this many candidate stories are compared per dispatch. */
#define CANDIDATES_MAX 256
/* Share of headline names (names_fit) a version must share with its story
 * both ways, and how much of a second flash's line must be the first's.
 * Measured on the train part of tests/stories. */
#define NAMES_MIN       0.5
#define FLASH_AGAIN_MIN 0.8
#define UNNAMED_EXTRA   0.09

struct entry {
	uint64_t k;
	struct story *s;
	struct entry *next;
	uint32_t aux; /* dispatch: version, top bit repeat; id: version */
};

struct version {
	char id[65];
	enum nw_story_kind kind;
	int64_t at_ms;
};

struct dispatch {
	uint64_t dkey, gkey;
	int64_t at_ms;
	uint32_t version;
	int repeat;
};

struct story {
	char key[33];
	uint64_t agency, city; /* hashes, 0 when unknown */
	char date[11];
	char lang[3];
	int64_t first_ms, last_ms;
	struct version *vers;
	size_t nver, capver;
	struct dispatch *disp;
	size_t ndisp, capdisp;
	int has_full; /* a version with a body (not only a flash or a kill) */
	struct nw_tokset head_first, head_last, full_first, full_last;
	struct nw_tokset names; /* of the last headline that had some */
	/* Stems registered in the table: a set (open addressing, 0 a free
	 * slot, the stem 0 kept aside) that a story of thousands of versions
	 * adds to in constant time. */
	struct nw_tokset indexed;
	int indexed_zero;
	struct story *older, *newer;
};

struct nw_story_index {
	struct nw_story_limits lim;
	struct entry **b;
	size_t nb, ne;
	/* The word stems held by more than POSTING_MAX stories: a common
	 * stem is looked up for nearly every dispatch, and walking its chain
	 * to find it too common cost more than the rest of an assignment.
	 * Open addressing, 0 marks a free slot; removal shifts the run back.
	 * Few stems are so common, so it costs little memory. */
	uint64_t *common;
	size_t ncommon, ncommonused;
	struct story *oldest, *newest;
	size_t count;
};

/* One decision: what nw_story_assign decided and a record replays. */
struct rec {
	char key[33];
	unsigned version;
	enum nw_story_kind kind;
	int repeat;
	char id[65];
	int64_t at_ms, first_ms;
	uint64_t dkey, gkey, agency, city;
	char date[11];
	char lang[3];
	const struct nw_tokset *head, *full, *names;
};

static const struct nw_tokset no_tokens;

/* ---- the key table ---- */

static uint64_t
tagged(char tag, const void *p, size_t n)
{
	char buf[160];

	if (n + 1 > sizeof buf) {
		/* long keys: hash the tag into the hash of the rest */
		return nw_hash_mem(p, n) ^ ((uint64_t)(unsigned char)tag << 56);
	}
	buf[0] = tag;
	memcpy(buf + 1, p, n);
	return nw_hash_mem(buf, n + 1);
}

static uint64_t
str_key(char tag, const char *s)
{
	return s != NULL && *s != '\0' ? tagged(tag, s, strlen(s)) : 0;
}

static uint64_t
token_key(uint32_t t)
{
	return tagged('T', &t, sizeof t);
}

static int
table_grow(struct nw_story_index *x)
{
	struct entry **nb, *e, *next;
	size_t n = x->nb ? x->nb * 2 : 1024, i;

	if ((nb = calloc(n, sizeof *nb)) == NULL)
		return -1;
	for (i = 0; i < x->nb; i++)
		for (e = x->b[i]; e != NULL; e = next) {
			next = e->next;
			e->next = nb[e->k & (n - 1)];
			nb[e->k & (n - 1)] = e;
		}
	free(x->b);
	x->b = nb;
	x->nb = n;
	return 0;
}

static int
table_add(struct nw_story_index *x, uint64_t k, struct story *s, uint32_t aux)
{
	struct entry *e;

	if (x->ne >= x->nb && table_grow(x) < 0)
		return -1;
	if ((e = malloc(sizeof *e)) == NULL)
		return -1;
	e->k = k;
	e->s = s;
	e->aux = aux;
	e->next = x->b[k & (x->nb - 1)];
	x->b[k & (x->nb - 1)] = e;
	x->ne++;
	return 0;
}

/* The entry of k, of story s when s is not NULL. */
static struct entry *
table_find(const struct nw_story_index *x, uint64_t k, const struct story *s)
{
	struct entry *e;

	if (x->nb == 0 || k == 0)
		return NULL;
	for (e = x->b[k & (x->nb - 1)]; e != NULL; e = e->next)
		if (e->k == k && (s == NULL || e->s == s))
			return e;
	return NULL;
}

/* 1 when an entry went. */
static int
table_del(struct nw_story_index *x, uint64_t k, const struct story *s)
{
	struct entry **pe, *e;

	if (x->nb == 0 || k == 0)
		return 0;
	for (pe = &x->b[k & (x->nb - 1)]; (e = *pe) != NULL; pe = &e->next)
		if (e->k == k && e->s == s) {
			*pe = e->next;
			free(e);
			x->ne--;
			return 1;
		}
	return 0;
}

/* The common set's keys are never 0, the mark of a free slot. */
#define COMMON_KEY(k)     ((k) != 0 ? (k) : 1)
#define COMMON_HOME(x, k) ((size_t)((k) >> 20) & ((x)->ncommon - 1))

static size_t
common_slot(const struct nw_story_index *x, uint64_t k)
{
	size_t m = x->ncommon - 1, i = COMMON_HOME(x, k);

	while (x->common[i] != 0 && x->common[i] != k)
		i = (i + 1) & m;
	return i;
}

static int
is_common(const struct nw_story_index *x, uint64_t k)
{
	return x->ncommonused > 0 &&
	    x->common[common_slot(x, COMMON_KEY(k))] != 0;
}

static int
common_add(struct nw_story_index *x, uint64_t k)
{
	uint64_t *old = x->common;
	size_t n = x->ncommon, i;

	if ((x->ncommonused + 1) * 2 > x->ncommon) {
		x->ncommon = n ? n * 2 : 256;
		if ((x->common = calloc(x->ncommon, sizeof *x->common)) ==
		    NULL) {
			x->common = old;
			x->ncommon = n;
			return -1;
		}
		for (i = 0; i < n; i++)
			if (old[i] != 0)
				x->common[common_slot(x, old[i])] = old[i];
		free(old);
	}
	k = COMMON_KEY(k);
	i = common_slot(x, k);
	if (x->common[i] == 0) {
		x->common[i] = k;
		x->ncommonused++;
	}
	return 0;
}

static void
common_del(struct nw_story_index *x, uint64_t k)
{
	size_t m, i, j, h;

	if (x->ncommonused == 0)
		return;
	k = COMMON_KEY(k);
	if (x->common[i = common_slot(x, k)] == 0)
		return;
	/* Shift back each later key of the run that may sit at i: one whose
	 * home slot is not cyclically within (i, j]. */
	m = x->ncommon - 1;
	for (j = (i + 1) & m; x->common[j] != 0; j = (j + 1) & m) {
		h = COMMON_HOME(x, x->common[j]);
		if (i <= j ? (h <= i || h > j) : (h <= i && h > j)) {
			x->common[i] = x->common[j];
			i = j;
		}
	}
	x->common[i] = 0;
	x->ncommonused--;
}

/* ---- stories ---- */

static void
lru_unlink(struct nw_story_index *x, struct story *s)
{
	if (s->older != NULL)
		s->older->newer = s->newer;
	else
		x->oldest = s->newer;
	if (s->newer != NULL)
		s->newer->older = s->older;
	else
		x->newest = s->older;
	s->older = s->newer = NULL;
}

static void
lru_newest(struct nw_story_index *x, struct story *s)
{
	if (x->newest == s)
		return;
	if (s->older != NULL || s->newer != NULL || x->oldest == s)
		lru_unlink(x, s);
	s->older = x->newest;
	if (x->newest != NULL)
		x->newest->newer = s;
	else
		x->oldest = s;
	x->newest = s;
}

static void
story_free(struct story *s)
{
	free(s->vers);
	free(s->disp);
	nw_tokset_clear(&s->head_first);
	nw_tokset_clear(&s->head_last);
	nw_tokset_clear(&s->full_first);
	nw_tokset_clear(&s->full_last);
	nw_tokset_clear(&s->names);
	nw_tokset_clear(&s->indexed);
	free(s);
}

static size_t postings(const struct nw_story_index *, uint64_t);

static void
story_drop(struct nw_story_index *x, struct story *s)
{
	size_t i;

	table_del(x, str_key('K', s->key), s);
	for (i = 0; i < s->nver; i++)
		table_del(x, str_key('I', s->vers[i].id), s);
	for (i = 0; i < s->ndisp; i++) {
		table_del(x, s->disp[i].dkey, s);
		if (s->disp[i].gkey != 0)
			while (table_find(x, s->disp[i].gkey, s) != NULL)
				table_del(x, s->disp[i].gkey, s);
	}
	for (i = 0; i <= s->indexed.cap; i++) {
		uint64_t k;

		if (i == s->indexed.cap ? !s->indexed_zero
					: s->indexed.v[i] == 0)
			continue;
		k = token_key(i == s->indexed.cap ? 0 : s->indexed.v[i]);
		if (table_del(x, k, s) && is_common(x, k) &&
		    postings(x, k) <= POSTING_MAX)
			common_del(x, k);
	}
	lru_unlink(x, s);
	x->count--;
	story_free(s);
}

struct nw_story_index *
nw_story_index_new(const struct nw_story_limits *lim)
{
	struct nw_story_index *x;

	if ((x = calloc(1, sizeof *x)) == NULL)
		return NULL;
	if (lim != NULL)
		x->lim = *lim;
	if (x->lim.window_ms <= 0)
		x->lim.window_ms = NW_STORY_WINDOW_DEFAULT_MS;
	if (x->lim.flash_window_ms <= 0)
		x->lim.flash_window_ms = NW_STORY_FLASH_WINDOW_DEFAULT_MS;
	if (x->lim.max_stories == 0)
		x->lim.max_stories = NW_STORY_MAX_DEFAULT;
	if (x->lim.min_similarity <= 0)
		x->lim.min_similarity = NW_STORY_MIN_SIMILARITY_DEFAULT;
	if (x->lim.min_containment <= 0)
		x->lim.min_containment = NW_STORY_MIN_CONTAINMENT_DEFAULT;
	if (table_grow(x) < 0) {
		free(x);
		return NULL;
	}
	return x;
}

void
nw_story_index_free(struct nw_story_index *x)
{
	struct story *s, *next;
	struct entry *e, *en;
	size_t i;

	if (x == NULL)
		return;
	for (s = x->oldest; s != NULL; s = next) {
		next = s->newer;
		story_free(s);
	}
	for (i = 0; i < x->nb; i++)
		for (e = x->b[i]; e != NULL; e = en) {
			en = e->next;
			free(e);
		}
	free(x->b);
	free(x->common);
	free(x);
}

/* How many stories hold key k, counted up to POSTING_MAX + 1. */
static size_t
postings(const struct nw_story_index *x, uint64_t k)
{
	const struct entry *e;
	size_t n = 0;

	for (e = x->b[k & (x->nb - 1)]; e != NULL && n <= POSTING_MAX;
	     e = e->next)
		n += e->k == k;
	return n;
}

/* Add h to s's stem set: 1 added, 0 there already, -1 out of memory. */
static int
stem_add(struct story *s, uint32_t h)
{
	struct nw_tokset *t = &s->indexed;
	uint32_t *nv;
	size_t i, j, ncap;

	if (h == 0) {
		if (s->indexed_zero)
			return 0;
		s->indexed_zero = 1;
		return 1;
	}
	if ((t->n + 1) * 4 > t->cap * 3) { /* at most 3/4 full */
		ncap = t->cap ? t->cap * 2 : 32;
		if ((nv = calloc(ncap, sizeof *nv)) == NULL)
			return -1;
		for (i = 0; i < t->cap; i++) {
			if (t->v[i] == 0)
				continue;
			j = (t->v[i] * 2654435761u) & (ncap - 1);
			while (nv[j] != 0)
				j = (j + 1) & (ncap - 1);
			nv[j] = t->v[i];
		}
		free(t->v);
		t->v = nv;
		t->cap = ncap;
	}
	j = (h * 2654435761u) & (t->cap - 1);
	while (t->v[j] != 0) {
		if (t->v[j] == h)
			return 0;
		j = (j + 1) & (t->cap - 1);
	}
	t->v[j] = h;
	t->n++;
	return 1;
}

/* Register the stems of t not yet registered for s. */
static int
index_tokens(
    struct nw_story_index *x, struct story *s, const struct nw_tokset *t)
{
	size_t i, n;
	uint64_t k;
	int added;

	for (i = 0; i < t->n; i++) {
		if ((added = stem_add(s, t->v[i])) < 0)
			return -1;
		if (added == 0)
			continue;
		/* a stem already too common to be followed is not added:
		 * one more entry is enough to say so, and its chain stays
		 * short for lookups and for dropping a story */
		k = token_key(t->v[i]);
		if (is_common(x, k))
			continue;
		n = postings(x, k);
		if (table_add(x, k, s, 0) < 0 ||
		    (n + 1 > POSTING_MAX && common_add(x, k) < 0))
			return -1;
	}
	return 0;
}

static int
set_tokens(struct nw_tokset *to, const struct nw_tokset *from)
{
	return nw_tokset_copy(to, from);
}

/* Apply one decision: the only code that changes the index. */
static int
apply(struct nw_story_index *x, const struct rec *r)
{
	struct entry *e = table_find(x, str_key('K', r->key), NULL);
	struct story *s = e != NULL ? e->s : NULL;
	uint32_t aux = r->version | (r->repeat ? 0x80000000u : 0);
	size_t have = s != NULL ? s->nver : 0;

	/* a version follows the last one; a repeat is of one there is */
	if (r->version == 0 ||
	    (r->repeat ? r->version > have : r->version > have + 1))
		return -1;
	if (s == NULL) {
		if ((s = calloc(1, sizeof *s)) == NULL)
			return -1;
		memcpy(s->key, r->key, sizeof s->key);
		s->agency = r->agency;
		s->city = r->city;
		memcpy(s->date, r->date, sizeof s->date);
		memcpy(s->lang, r->lang, sizeof s->lang);
		s->first_ms = r->first_ms;
		s->last_ms = r->at_ms;
		if (table_add(x, str_key('K', s->key), s, 0) < 0) {
			story_free(s);
			return -1;
		}
		lru_newest(x, s);
		x->count++;
	}
	if (!r->repeat && r->version == s->nver + 1) {
		struct version *v;

		if (s->nver == s->capver) {
			size_t ncap = s->capver ? s->capver * 2 : 2;

			if ((v = realloc(s->vers, ncap * sizeof *v)) == NULL)
				return -1;
			s->vers = v;
			s->capver = ncap;
		}
		v = &s->vers[s->nver++];
		memcpy(v->id, r->id, sizeof v->id);
		v->kind = r->kind;
		v->at_ms = r->at_ms;
		if (table_add(x, str_key('I', r->id), s, r->version) < 0)
			return -1;
		if (s->nver == 1 && set_tokens(&s->head_first, r->head) < 0)
			return -1;
		if (r->kind != NW_STORY_KILL && r->head->n > 0 &&
		    set_tokens(&s->head_last, r->head) < 0)
			return -1;
		if (r->kind != NW_STORY_KILL && r->names->n > 0 &&
		    set_tokens(&s->names, r->names) < 0)
			return -1;
		if (r->kind != NW_STORY_KILL && r->kind != NW_STORY_FLASH &&
		    r->full->n > 0) {
			if (!s->has_full &&
			    set_tokens(&s->full_first, r->full) < 0)
				return -1;
			if (set_tokens(&s->full_last, r->full) < 0)
				return -1;
			s->has_full = 1;
		}
		if (r->kind != NW_STORY_KILL &&
		    (index_tokens(x, s, r->head) < 0 ||
			index_tokens(x, s, r->full) < 0))
			return -1;
	}
	if (r->dkey != 0 && table_find(x, r->dkey, s) == NULL) {
		struct dispatch *d;

		if (s->ndisp == s->capdisp) {
			size_t ncap = s->capdisp ? s->capdisp * 2 : 2;

			if ((d = realloc(s->disp, ncap * sizeof *d)) == NULL)
				return -1;
			s->disp = d;
			s->capdisp = ncap;
		}
		d = &s->disp[s->ndisp++];
		d->dkey = r->dkey;
		d->gkey = r->gkey;
		d->at_ms = r->at_ms;
		d->version = r->version;
		d->repeat = r->repeat;
		if (table_add(x, r->dkey, s, aux) < 0)
			return -1;
	}
	if (r->gkey != 0 && table_find(x, r->gkey, s) == NULL &&
	    table_add(x, r->gkey, s, 0) < 0)
		return -1;
	if (r->at_ms > s->last_ms)
		s->last_ms = r->at_ms;
	lru_newest(x, s);
	while (x->count > x->lim.max_stories && x->oldest != s)
		story_drop(x, x->oldest);
	return 0;
}

/* ---- records ---- */

/* Records are written without stdio: one per dispatch on the loop, where
 * open_memstream and fprintf were most of the story stage's time. Each
 * writer returns the end of what it wrote. */
static char *
put_str(char *p, const char *s)
{
	size_t n = strlen(s);

	memcpy(p, s, n);
	return p + n;
}

static char *
put_hex64(char *p, uint64_t v)
{
	static const char hex[] = "0123456789abcdef";
	char buf[16];
	size_t o = sizeof buf;

	do
		buf[--o] = hex[v & 0xf];
	while ((v >>= 4) != 0);
	memcpy(p, buf + o, sizeof buf - o);
	return p + (sizeof buf - o);
}

static char *
put_dec64(char *p, int64_t sv)
{
	char buf[24];
	size_t o = sizeof buf;
	uint64_t v = sv < 0 ? -(uint64_t)sv : (uint64_t)sv;

	do
		buf[--o] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	if (sv < 0)
		buf[--o] = '-';
	memcpy(p, buf + o, sizeof buf - o);
	return p + (sizeof buf - o);
}

/* " -" for none, else " x,y,z" in hex, as "%x". */
static char *
put_tokens(char *p, const struct nw_tokset *t)
{
	size_t i;

	if (t->n == 0)
		return put_str(p, " -");
	for (i = 0; i < t->n; i++) {
		*p++ = i ? ',' : ' ';
		p = put_hex64(p, t->v[i]);
	}
	return p;
}

static int
rec_format(const struct rec *r, char **out, size_t *outlen)
{
	const char *kind = nw_story_kind_name(r->kind);
	const char *date = r->date[0] ? r->date : "-";
	const char *lang = r->lang[0] ? r->lang : "-";
	size_t cap;
	char *p;

	*out = NULL;
	*outlen = 0;
	/* Every field at its widest, a stem at most 8 digits and a comma. */
	cap = 2 + sizeof r->key + 11 + strlen(kind) + 1 + 12 + sizeof r->id +
	    2 * 21 + 4 * 17 + strlen(date) + 1 + strlen(lang) + 1 +
	    9 * (r->head->n + r->full->n + r->names->n) + 3 * 2 + 1;
	if ((p = *out = malloc(cap)) == NULL)
		return -1;
	p = put_str(p, "A ");
	p = put_str(p, r->key);
	*p++ = ' ';
	p = put_dec64(p, (int64_t)r->version);
	*p++ = ' ';
	p = put_str(p, kind);
	*p++ = ' ';
	p = put_dec64(p, r->repeat);
	*p++ = ' ';
	p = put_str(p, r->id);
	*p++ = ' ';
	p = put_dec64(p, r->at_ms);
	*p++ = ' ';
	p = put_dec64(p, r->first_ms);
	*p++ = ' ';
	p = put_hex64(p, r->dkey);
	*p++ = ' ';
	p = put_hex64(p, r->gkey);
	*p++ = ' ';
	p = put_hex64(p, r->agency);
	*p++ = ' ';
	p = put_hex64(p, r->city);
	*p++ = ' ';
	p = put_str(p, date);
	*p++ = ' ';
	p = put_str(p, lang);
	p = put_tokens(p, r->head);
	p = put_tokens(p, r->full);
	p = put_tokens(p, r->names);
	*p = '\0';
	*outlen = (size_t)(p - *out);
	return 0;
}

static int
hexes(const char *s, struct nw_tokset *t)
{
	char *end;

	if (strcmp(s, "-") == 0)
		return 0;
	for (;;) {
		unsigned long v = strtoul(s, &end, 16);

		if (end == s || nw_tokset_push(t, (uint32_t)v) < 0)
			return -1;
		if (*end == '\0')
			break;
		if (*end != ',')
			return -1;
		s = end + 1;
	}
	nw_tokset_finish(t);
	return 0;
}

static int
is_hex(const char *s, size_t n)
{
	size_t i;

	if (strlen(s) != n)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
			(s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

int
nw_story_index_replay(struct nw_story_index *x, const char *rec, size_t reclen)
{
	struct nw_tokset head = {0}, full = {0}, names = {0};
	struct rec r;
	char *buf, *f[17], *save = NULL, *p;
	int n = 0, rc = -1, kind;

	if ((buf = strndup(rec, reclen)) == NULL)
		return -1;
	buf[strcspn(buf, "\n")] = '\0';
	for (p = strtok_r(buf, " ", &save); p != NULL && n < 17;
	     p = strtok_r(NULL, " ", &save))
		f[n++] = p;
	if (n != 17 || p != NULL || strcmp(f[0], "A") != 0 ||
	    !is_hex(f[1], 32) || !is_hex(f[5], 64) ||
	    (kind = nw_story_kind_from_name(f[3])) <= 0)
		goto out;
	memset(&r, 0, sizeof r);
	memcpy(r.key, f[1], 33);
	r.version = (unsigned)strtoul(f[2], NULL, 10);
	r.kind = (enum nw_story_kind)kind;
	r.repeat = strcmp(f[4], "1") == 0;
	memcpy(r.id, f[5], 65);
	r.at_ms = strtoll(f[6], NULL, 10);
	r.first_ms = strtoll(f[7], NULL, 10);
	r.dkey = strtoull(f[8], NULL, 16);
	r.gkey = strtoull(f[9], NULL, 16);
	r.agency = strtoull(f[10], NULL, 16);
	r.city = strtoull(f[11], NULL, 16);
	if (strcmp(f[12], "-") != 0 && strlen(f[12]) == 10)
		memcpy(r.date, f[12], 11);
	if (strcmp(f[13], "-") != 0 && strlen(f[13]) == 2)
		memcpy(r.lang, f[13], 3);
	if (r.version == 0 || hexes(f[14], &head) < 0 ||
	    hexes(f[15], &full) < 0 || hexes(f[16], &names) < 0)
		goto out;
	r.head = &head;
	r.full = &full;
	r.names = &names;
	rc = apply(x, &r);
out:
	nw_tokset_clear(&head);
	nw_tokset_clear(&full);
	nw_tokset_clear(&names);
	free(buf);
	return rc;
}

/* ---- assignment ---- */

static uint64_t
fold_key(char tag, const char *s)
{
	char buf[128];
	size_t i;

	if (s == NULL || *s == '\0')
		return 0;
	/* ASCII and Cyrillic capitals to lower case: "МОСКВА" is "Москва" */
	for (i = 0; s[i] != '\0' && i + 1 < sizeof buf; i++) {
		unsigned char c = (unsigned char)s[i];

		buf[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		if (c == 0xD0 && i + 2 < sizeof buf && s[i + 1] != '\0') {
			unsigned char d = (unsigned char)s[i + 1];

			buf[i++] = (char)c;
			if (d >= 0x90 && d <= 0x9F)
				buf[i] = (char)(d + 0x20);
			else if (d >= 0xA0 && d <= 0xAF) {
				buf[i - 1] = (char)0xD1;
				buf[i] = (char)(d - 0x20);
			} else if (d == 0x81) {
				buf[i - 1] = (char)0xD1;
				buf[i] = (char)0x91;
			} else
				buf[i] = (char)d;
		}
	}
	return tagged(tag, buf, i);
}

static int
compatible(const struct story *s, const struct rec *r)
{
	return (s->agency == 0 || r->agency == 0 || s->agency == r->agency) &&
	    (s->lang[0] == '\0' || r->lang[0] == '\0' ||
		strcmp(s->lang, r->lang) == 0) &&
	    (s->city == 0 || r->city == 0 || s->city == r->city) &&
	    (s->date[0] == '\0' || r->date[0] == '\0' ||
		strcmp(s->date, r->date) == 0);
}

static double
max2(double a, double b)
{
	return a > b ? a : b;
}

static int
has(const struct nw_tokset *t, uint32_t v)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (t->v[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < t->n && t->v[lo] == v;
}

/* Share of the names in headline names found in the words of a or b
 * (1 when there are none): a version's headline names the people, places
 * and companies of its story, and two stories cut from one template (two
 * banks losing their licences) differ in exactly those. */
static double
names_found(const struct nw_tokset *names, const struct nw_tokset *a,
    const struct nw_tokset *b)
{
	size_t i, found = 0;

	if (names->n == 0)
		return 1;
	for (i = 0; i < names->n; i++)
		found += has(a, names->v[i]) || has(b, names->v[i]);
	return (double)found / (double)names->n;
}

/* Both ways: the dispatch's names in the story, the story's in it. */
static double
names_fit(const struct story *s, const struct nw_story_text *t)
{
	double a = names_found(&t->names, &s->full_last, &s->full_first),
	       b = names_found(&s->names, &t->full, &t->head);

	/* a flash's one line cannot hold every name of the story */
	if (!s->has_full)
		return b;
	if (t->names.n == 0 && s->names.n == 0)
		return -1; /* no names to go by */
	return a < b ? a : b;
}

/* How well the dispatch (kind r->kind, words t) fits story s: its score,
 * or 0 when it does not belong there. */
static double
fit(const struct nw_story_index *x, const struct story *s, const struct rec *r,
    const struct nw_story_text *t, int64_t now)
{
	const struct nw_story_limits *l = &x->lim;
	double j = 0, c = 0, nf;

	if (now - s->last_ms > l->window_ms || !compatible(s, r))
		return 0;
	if (r->kind == NW_STORY_KILL) {
		/* a kill quotes the headline it withdraws */
		c = max2(nw_tokset_containment(&s->head_first, &t->full),
		    nw_tokset_containment(&s->head_last, &t->full));
		return c >= l->min_containment ? c : 0;
	}
	if ((nf = names_fit(s, t)) < NAMES_MIN && nf >= 0)
		return 0;
	if (r->kind == NW_STORY_FLASH) {
		/* a flash after the story's first version, or a second
		 * flash: its line in what the story said */
		c = max2(nw_tokset_containment(&t->head, &s->full_last),
		    nw_tokset_containment(&t->head, &s->full_first));
		if (!s->has_full)
			c = nw_tokset_containment(&t->head, &s->head_last) >=
				FLASH_AGAIN_MIN
			    ? 1
			    : 0;
		return c >= l->min_containment ? c : 0;
	}
	if (s->has_full)
		j = max2(nw_tokset_jaccard(&t->full, &s->full_first),
		    nw_tokset_jaccard(&t->full, &s->full_last));
	else if (now - s->first_ms <= l->flash_window_ms)
		/* a flash alone: its line in this headline and opening */
		c = nw_tokset_containment(&s->head_first, &t->full);
	/* without names to agree on, the words must agree more */
	if (j >= l->min_similarity + (nf < 0 ? UNNAMED_EXTRA : 0))
		return j;
	return c >= l->min_containment ? c : 0;
}

/* The best story for a dispatch with no source key, or NULL. */
static struct story *
by_text(const struct nw_story_index *x, const struct rec *r,
    const struct nw_story_text *t, int64_t now)
{
	struct story *cand[CANDIDATES_MAX], *best = NULL;
	size_t nc = 0, i, j;
	double score, bs = 0;

	for (i = 0; i < t->full.n + t->head.n; i++) {
		uint32_t tok =
		    i < t->full.n ? t->full.v[i] : t->head.v[i - t->full.n];
		uint64_t k = token_key(tok);
		struct story *found[POSTING_MAX];
		size_t nf = 0;
		struct entry *e;

		if (is_common(x, k))
			continue; /* too common to tell stories apart */
		for (e = x->b[k & (x->nb - 1)]; e != NULL; e = e->next) {
			if (e->k != k)
				continue;
			if (nf == POSTING_MAX) {
				nf = 0; /* too common to tell stories apart */
				break;
			}
			found[nf++] = e->s;
		}
		for (j = 0; j < nf; j++) {
			size_t m;

			for (m = 0; m < nc && cand[m] != found[j]; m++)
				;
			if (m == nc && nc < CANDIDATES_MAX)
				cand[nc++] = found[j];
		}
	}
	for (i = 0; i < nc; i++) {
		score = fit(x, cand[i], r, t, now);
		/* ties go to the story heard of last */
		if (score > bs ||
		    (score == bs && score > 0 &&
			cand[i]->last_ms > best->last_ms)) {
			bs = score;
			best = cand[i];
		}
	}
	return best;
}

static void
fill_out(
    const struct story *s, unsigned version, int repeat, struct nw_story *out)
{
	const struct version *v = &s->vers[version - 1];

	memset(out, 0, sizeof *out);
	memcpy(out->key, s->key, sizeof out->key);
	out->version = version;
	out->kind = v->kind;
	if (version > 1)
		memcpy(out->supersedes, s->vers[version - 2].id,
		    sizeof out->supersedes);
	out->first_created_ms = s->first_ms;
	out->repeat = repeat;
}

/* Appends n bytes of s to buf (which holds *len of at most cap), cut at
 * cap as snprintf would. */
static void
put_capped(char *buf, size_t cap, size_t *len, const char *s, size_t n)
{
	if (n > cap - *len)
		n = cap - *len;
	memcpy(buf + *len, s, n);
	*len += n;
}

/* "source NUL uri NUL id", at most 1023 bytes: the bytes snprintf gave
 * (journals hold these keys), without a printf per dispatch. */
static uint64_t
dispatch_key(const struct nw_story_hint *hint, const char *id)
{
	const char *src = hint != NULL && hint->source ? hint->source : "";
	const char *uri = hint != NULL && hint->uri ? hint->uri : "";
	char buf[1024];
	size_t n = 0, cap = sizeof buf - 1;

	put_capped(buf, cap, &n, src, strlen(src));
	put_capped(buf, cap, &n, "", 1);
	put_capped(buf, cap, &n, uri, strlen(uri));
	put_capped(buf, cap, &n, "", 1);
	put_capped(buf, cap, &n, id, strlen(id));
	return tagged('D', buf, n);
}

/* An agency's story slug, when the parser took one off the head: AP's
 * keyword slug ("BC-Tornado-Oklahoma,2nd Ld-Writethru") is repeated in
 * the same form on every later version, the part before the comma. */
static uint64_t
slug_key(const struct nw_event *ev)
{
	char buf[128];
	size_t i, n;

	for (i = 0; i < ev->story_markers.n; i++) {
		const char *m = ev->story_markers.v[i];

		if (strncmp(m, "BC-", 3) != 0)
			continue;
		n = strcspn(m, ", ");
		if (n <= 3 || n >= sizeof buf - 1)
			continue;
		snprintf(buf, sizeof buf, "%s/%.*s",
		    ev->agency != NULL ? ev->agency : "", (int)n, m);
		return str_key('G', buf);
	}
	return 0;
}

int
nw_story_assign(struct nw_story_index *x, const struct nw_event *ev,
    const struct nw_story_hint *hint, int64_t now_ms, struct nw_story *out,
    char **rec, size_t *reclen)
{
	struct nw_story_text t = {0};
	const struct nw_story_text *tp;
	struct story *s = NULL;
	struct entry *e;
	struct rec r;
	int rc = -1;

	if (rec != NULL) {
		*rec = NULL;
		*reclen = 0;
	}
	memset(&r, 0, sizeof r);
	memcpy(r.id, ev->id, sizeof r.id);
	r.at_ms = now_ms;
	r.dkey = dispatch_key(hint, ev->id);
	r.gkey = hint != NULL ? str_key('G', hint->item_id) : 0;
	if (r.gkey == 0)
		r.gkey = slug_key(ev);
	r.agency = fold_key('A', ev->agency);
	if (ev->dateline != NULL) {
		r.city = fold_key('C', ev->dateline->city);
		memcpy(r.date, ev->dateline->date, sizeof r.date);
	}
	memcpy(r.lang, ev->language, sizeof r.lang);
	r.kind = ev->story_kind;
	r.head = r.full = r.names = &no_tokens;

	if ((e = table_find(x, r.dkey, NULL)) != NULL) {
		/* the same dispatch again: the version it had */
		s = e->s;
		r.version = e->aux & 0x7fffffffu;
		r.repeat = (e->aux & 0x80000000u) != 0;
	} else if ((e = table_find(x, str_key('I', ev->id), NULL)) != NULL) {
		s = e->s; /* the same text: a repeat of that version */
		r.version = e->aux;
		r.repeat = 1;
	}
	if (s != NULL) {
		memcpy(r.key, s->key, sizeof r.key);
		r.kind = s->vers[r.version - 1].kind;
		r.first_ms = s->first_ms;
		goto decided;
	}
	if ((tp = hint != NULL ? hint->text : NULL) == NULL) {
		if (nw_story_text_of(ev, &t) < 0)
			return -1;
		tp = &t;
	}
	r.head = &tp->head;
	r.full = &tp->full;
	r.names = &tp->names;
	if (r.gkey != 0 && (e = table_find(x, r.gkey, NULL)) != NULL)
		s = e->s; /* the feed says so: an item updated in place */
	else
		s = by_text(x, &r, tp, now_ms);
	if (s != NULL) {
		memcpy(r.key, s->key, sizeof r.key);
		r.version = (unsigned)s->nver + 1;
		r.first_ms = s->first_ms;
		/* after a flash alone, the first full version is "first" */
		if (r.kind == NW_STORY_NONE)
			r.kind = s->has_full ? NW_STORY_UPDATE : NW_STORY_FIRST;
	} else {
		/* a new story: its key is the start of its first id */
		memcpy(r.key, ev->id, sizeof r.key - 1);
		r.key[sizeof r.key - 1] = '\0';
		r.version = 1;
		r.first_ms = now_ms;
		if (r.kind == NW_STORY_NONE)
			r.kind = NW_STORY_FIRST;
	}
decided:
	if (apply(x, &r) < 0)
		goto out;
	if ((e = table_find(x, str_key('K', r.key), NULL)) == NULL)
		goto out;
	fill_out(e->s, r.version, r.repeat, out);
	if (rec != NULL && rec_format(&r, rec, reclen) < 0)
		goto out;
	rc = 0;
out:
	nw_story_text_clear(&t);
	return rc;
}

/* ---- bounds, dump, metrics ---- */

size_t
nw_story_index_expire(struct nw_story_index *x, int64_t now_ms)
{
	size_t n = 0;

	while (x->oldest != NULL &&
	    (now_ms - x->oldest->last_ms > x->lim.window_ms ||
		x->count > x->lim.max_stories)) {
		story_drop(x, x->oldest);
		n++;
	}
	return n;
}

/* The record of dispatch d of s; the first dispatch of version 1, of the
 * first version with a body and of the last version carry their words, so
 * a replay restores what the story is compared on. */
static int
dump_one(const struct story *s, const struct dispatch *d, int first_of_version,
    char **out, size_t *outlen)
{
	const struct version *v = &s->vers[d->version - 1];
	struct rec r;
	size_t i, first_full = 0;

	memset(&r, 0, sizeof r);
	memcpy(r.key, s->key, sizeof r.key);
	r.version = d->version;
	r.kind = v->kind;
	r.repeat = d->repeat;
	memcpy(r.id, v->id, sizeof r.id);
	r.at_ms = d->at_ms;
	r.first_ms = s->first_ms;
	r.dkey = d->dkey;
	r.gkey = d->gkey;
	r.agency = s->agency;
	r.city = s->city;
	memcpy(r.date, s->date, sizeof r.date);
	memcpy(r.lang, s->lang, sizeof r.lang);
	r.head = r.full = r.names = &no_tokens;
	for (i = 0; i < s->nver; i++)
		if (s->vers[i].kind != NW_STORY_FLASH &&
		    s->vers[i].kind != NW_STORY_KILL) {
			first_full = i + 1;
			break;
		}
	if (first_of_version) {
		if (d->version == 1)
			r.head = &s->head_first;
		if (d->version == s->nver)
			r.head = &s->head_last;
		if (d->version == first_full)
			r.full = &s->full_first;
		if (d->version == s->nver && s->has_full)
			r.full = &s->full_last;
		if (d->version == s->nver)
			r.names = &s->names;
	}
	return rec_format(&r, out, outlen);
}

int
nw_story_index_dump(struct nw_story_index *x,
    int (*fn)(const char *rec, size_t reclen, void *arg), void *arg)
{
	const struct story *s;
	size_t i, j;
	char *r;
	size_t rl;

	for (s = x->oldest; s != NULL; s = s->newer) {
		for (i = 0; i < s->ndisp; i++) {
			int first = !s->disp[i].repeat;

			for (j = 0; j < i && first; j++)
				if (!s->disp[j].repeat &&
				    s->disp[j].version == s->disp[i].version)
					first = 0;
			if (dump_one(s, &s->disp[i], first, &r, &rl) < 0)
				return -1;
			if (fn(r, rl, arg) < 0) {
				free(r);
				return -1;
			}
			free(r);
		}
	}
	return 0;
}

size_t
nw_story_index_count(const struct nw_story_index *x)
{
	return x->count;
}

size_t
nw_story_index_bytes(const struct nw_story_index *x)
{
	const struct story *s;
	size_t b = sizeof *x + x->nb * sizeof *x->b +
	    x->ne * sizeof(struct entry) + x->ncommon * sizeof *x->common;

	for (s = x->oldest; s != NULL; s = s->newer)
		b += sizeof *s + s->capver * sizeof *s->vers +
		    s->capdisp * sizeof *s->disp +
		    (s->head_first.cap + s->head_last.cap + s->full_first.cap +
			s->full_last.cap + s->names.cap + s->indexed.cap) *
			sizeof(uint32_t);
	return b;
}
