/* Runs the story index over the chain set, as the daemon would: each line
 * of standard input is one dispatch in arrival order,
 *   ITEM <TAB> PATH <TAB> ARRIVAL_MS <TAB> SOURCE <TAB> FEED_GUID (or -)
 * and each line of output the prediction score_stories.py reads. Optional
 * arguments override the similarity thresholds (for tuning on train):
 *   story_chains [MIN_SIMILARITY [MIN_CONTAINMENT]]
 * The last line on standard error gives the stories held and their bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newswire/parse.h"
#include "newswire/story.h"

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n + 1)) != NULL &&
	    fread(buf, 1, (size_t)n, f) == (size_t)n) {
		*len = (size_t)n;
	} else {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

int
main(int argc, char **argv)
{
	struct nw_story_limits lim = {0};
	struct nw_story_index *idx;
	char line[4096];
	int failed = 0;

	if (argc > 1)
		lim.min_similarity = atof(argv[1]);
	if (argc > 2)
		lim.min_containment = atof(argv[2]);
	if ((idx = nw_story_index_new(&lim)) == NULL)
		return 2;
	while (fgets(line, sizeof line, stdin) != NULL) {
		char *f[5], *save = NULL, *p, *buf, *json;
		struct nw_origin origin = {.type = "file"};
		struct nw_parse_opts opts = {0};
		struct nw_story_hint hint = {0};
		struct nw_event *ev = NULL;
		struct nw_story st;
		size_t len, n = 0;

		line[strcspn(line, "\n")] = '\0';
		for (p = strtok_r(line, "\t", &save); p != NULL && n < 5;
		     p = strtok_r(NULL, "\t", &save))
			f[n++] = p;
		if (n != 5)
			continue;
		if ((buf = slurp(f[1], &len)) == NULL) {
			fprintf(stderr, "%s: cannot read\n", f[1]);
			failed = 1;
			continue;
		}
		opts.received_at_ms = strtoll(f[2], NULL, 10);
		origin.uri = f[1];
		opts.source = &origin;
		if (nw_parse(buf, len, &opts, &ev, NULL) != NW_OK) {
			fprintf(stderr, "%s: does not parse\n", f[1]);
			free(buf);
			failed = 1;
			continue;
		}
		free(buf);
		hint.source = f[3];
		hint.uri = f[1];
		hint.item_id = strcmp(f[4], "-") != 0 ? f[4] : NULL;
		if (nw_story_assign(idx, ev, &hint, opts.received_at_ms, &st,
			NULL, NULL) < 0) {
			fprintf(stderr, "%s: cannot assign\n", f[1]);
			failed = 1;
		} else {
			json = NULL;
			if (asprintf(&json,
				"{\"item\": \"%s\", \"story\": \"%s\", "
				"\"version\": %u, \"kind\": \"%s\", "
				"\"repeat\": %s}",
				f[0], st.key, st.version,
				nw_story_kind_name(st.kind),
				st.repeat ? "true" : "false") > 0)
				puts(json);
			free(json);
		}
		nw_event_free(ev);
	}
	fprintf(stderr, "stories %zu bytes %zu\n", nw_story_index_count(idx),
	    nw_story_index_bytes(idx));
	nw_story_index_free(idx);
	return failed;
}
