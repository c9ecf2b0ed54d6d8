/* Memory and time per story of the story index: N distinct dispatches
 * (made-up words, so they do not group) are parsed and assigned; the heap in
 * use (mallinfo2) before and after, over the stories the index holds, is
 * the memory one story costs, and is printed beside what the index itself
 * reports (nw_story_index_bytes). With files instead of N, each file is one
 * dispatch (real copy: they do group where they are one story).
 *   usage: bench_story_memory [N | FILE...] */
#include <inttypes.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "newswire/parse.h"
#include "newswire/story.h"

static const char *cities[] = {"MOSCOW", "KAZAN", "OMSK", "SOCHI", "PERM",
    "TULA", "KURSK", "SAMARA", "TOMSK", "KIROV"};

/* n made-up words: distinct stems, so dispatches share no words but
 * by chance. */
static void
sentence(char *buf, size_t size, unsigned *seed, int n)
{
	size_t len = strlen(buf);
	int i, k, w;

	for (i = 0; i < n && len + 16 < size; i++) {
		if (i)
			buf[len++] = ' ';
		w = 4 + rand_r(seed) % 6;
		for (k = 0; k < w; k++)
			buf[len++] = (char)('a' + rand_r(seed) % 26);
	}
	if (len + 2 < size)
		buf[len++] = '.';
	buf[len] = '\0';
}

static size_t
read_file(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "rb");
	size_t n = 0;

	if (f != NULL) {
		n = fread(buf, 1, size - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
	return n;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	int files = argc > 2 ||
	    (argc == 2 && strspn(argv[1], "0123456789") != strlen(argv[1]));
	size_t n = files ? (size_t)argc - 1
	    : argc > 1   ? strtoul(argv[1], NULL, 10)
			 : 20000,
	       i;
	struct nw_story_limits lim = {.max_stories = n + 1};
	struct nw_story_index *idx;
	struct nw_story out;
	struct nw_parse_opts opts = {0};
	size_t before, after, count;
	static char text[1 << 20];
	char uri[64], *rec;
	size_t reclen, recbytes = 0;
	double t_assign = 0, t0;
	unsigned seed = 7;

	if ((idx = nw_story_index_new(&lim)) == NULL)
		return 1;
	before = mallinfo2().uordblks;
	for (i = 0; i < n; i++) {
		struct nw_event *ev = NULL;
		struct nw_story_hint h = {.source = "bench", .uri = uri};
		int64_t t = 1790000000000LL + (int64_t)i * 1000;

		snprintf(uri, sizeof uri, "incoming/%zu.txt", i);
		opts.received_at_ms = t;
		if (files) {
			size_t len = read_file(argv[1 + i], text, sizeof text);
			if (nw_parse(text, len, &opts, &ev, NULL) != NW_OK)
				continue;
		} else {
			text[0] = '\0';
			sentence(text, sizeof text, &seed, 8);
			snprintf(text + strlen(text),
			    sizeof text - strlen(text),
			    "\n\n%s, March 3. /TASS/. ",
			    cities[rand_r(&seed) % 10]);
			sentence(text, sizeof text, &seed, 40);
			strncat(text, "\n\n", sizeof text - strlen(text) - 1);
			sentence(text, sizeof text, &seed, 40);
			if (nw_parse(text, strlen(text), &opts, &ev, NULL) !=
			    NW_OK)
				return 1;
		}
		t0 = now_s();
		if (nw_story_assign(idx, ev, &h, t, &out, &rec, &reclen) != 0)
			return 1;
		t_assign += now_s() - t0;
		recbytes += reclen;
		free(rec);
		nw_event_free(ev);
	}
	after = mallinfo2().uordblks;
	count = nw_story_index_count(idx);
	printf("dispatches %zu, stories %zu\n", n, count);
	printf("heap held by the index: %zu bytes, %.0f bytes per story\n",
	    after - before, count ? (double)(after - before) / count : 0);
	printf("nw_story_index_bytes: %zu, %.0f bytes per story\n",
	    nw_story_index_bytes(idx),
	    count ? (double)nw_story_index_bytes(idx) / count : 0);
	printf("journal records: %.0f bytes per dispatch\n",
	    n ? (double)recbytes / n : 0);
	printf("assign: %.1f us per dispatch (index of up to %zu stories)\n",
	    n ? t_assign / n * 1e6 : 0, count);
	nw_story_index_free(idx);
	return 0;
}
