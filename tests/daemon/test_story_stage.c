/* Unit tests of the story stage's journal: a dispatch assigned before a
 * crash gets the same story again after the journal is replayed, a torn
 * tail is cut off, and compaction keeps what the index holds. */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "newswire/parse.h"
#include "story_stage.h"

#define T0 (1790000000LL * 1000)

static char dir[] = "/tmp/nw-story-XXXXXX";

static const char *texts[] = {
    "Ferry service to island resumes after storm\n\nKALININGRAD, March 3. "
    "/TASS/. Ferry crossings to the island resumed on Monday after a "
    "three-day break caused by a storm, the port authority said.\n",
    "Regional parliament passes budget for next year\n\nOMSK, March 3. "
    "/TASS/. Deputies of the regional legislature adopted the budget in the "
    "third reading, the speaker told reporters.\n",
    "Museum opens exhibition of northern icons\n\nVOLOGDA, March 3. /TASS/. "
    "The regional museum opened an exhibition of forty icons from northern "
    "monasteries, its director said.\n",
};
#define NTEXTS (sizeof texts / sizeof texts[0])

static struct nw_event *
event_of(const char *text)
{
	struct nw_parse_opts opts = {0};
	struct nw_event *ev = NULL;
	char *cause = NULL;

	opts.received_at_ms = T0;
	assert_int_equal(
	    nw_parse(text, strlen(text), &opts, &ev, &cause), NW_OK);
	return ev;
}

static struct nw_daemon_conf
conf(void)
{
	struct nw_daemon_conf dc = {0};

	dc.state_dir = dir;
	dc.story_window_ms = 36LL * 3600 * 1000;
	dc.story_flash_window_ms = 30LL * 60 * 1000;
	dc.story_max = 1000;
	return dc;
}

static void
assign_all(struct nw_story_stage *st, struct nw_story *out)
{
	char *cause = NULL, uri[32];
	size_t i;

	for (i = 0; i < NTEXTS; i++) {
		struct nw_event *ev = event_of(texts[i]);
		struct nw_story_hint h = {.source = "wire", .uri = uri};
		snprintf(uri, sizeof uri, "incoming/%zu.txt", i);
		assert_int_equal(nw_story_stage_assign(st, ev, &h,
				     T0 + (int64_t)i * 60000, &cause),
		    0);
		assert_non_null(ev->story);
		out[i] = *ev->story;
		nw_event_free(ev);
	}
}

static off_t
journal_size(void)
{
	char p[128];
	struct stat sb;

	snprintf(p, sizeof p, "%s/stories.journal", dir);
	return stat(p, &sb) == 0 ? sb.st_size : -1;
}

/* The journal is empty or ends with a whole record. */
static int
journal_tail_is_whole(void)
{
	char p[128], c = 0;
	off_t n = journal_size();
	int fd, ok;

	if (n == 0)
		return 1;
	snprintf(p, sizeof p, "%s/stories.journal", dir);
	if (n < 0 || (fd = open(p, O_RDONLY)) == -1)
		return 0;
	ok = pread(fd, &c, 1, n - 1) == 1 && c == '\n';
	close(fd);
	return ok;
}

/* Assign, "crash" (close without the batch sync), leave a torn record at the
 * end, reopen: the same dispatches get the same stories. */
static void
test_redelivery_after_crash_gets_same_story(void **state)
{
	struct nw_daemon_conf dc = conf();
	struct nw_story first[NTEXTS], again[NTEXTS];
	struct nw_story_stage *st;
	char *cause = NULL, p[128];
	size_t i;
	int fd;

	(void)state;
	assert_non_null(st = nw_story_stage_open(&dc, T0, &cause));
	assign_all(st, first);
	assert_int_equal(nw_story_stage_sync(st, &cause), 0);
	assert_true(journal_size() > 0);
	nw_story_stage_close(st);
	/* A record torn by the crash: its head promises more than is there. */
	snprintf(p, sizeof p, "%s/stories.journal", dir);
	assert_true((fd = open(p, O_WRONLY | O_APPEND)) != -1);
	assert_int_equal(write(fd, "00000040 0123456789abcdef tor", 29), 29);
	close(fd);
	assert_non_null(st = nw_story_stage_open(&dc, T0 + 3600000, &cause));
	/* Replayed and compacted: the torn bytes are gone. */
	assert_true(journal_tail_is_whole());
	assign_all(st, again);
	for (i = 0; i < NTEXTS; i++) {
		assert_string_equal(again[i].key, first[i].key);
		assert_int_equal(again[i].version, first[i].version);
		assert_int_equal(again[i].kind, first[i].kind);
		assert_string_equal(again[i].supersedes, first[i].supersedes);
		assert_true(
		    again[i].first_created_ms == first[i].first_created_ms);
	}
	assert_true(nw_story_stage_count(st) >= 1);
	nw_story_stage_close(st);
	assert_int_equal(unlink(p), 0);
}

/* Maintenance drops stories past the window; the journal is rewritten from
 * what is left when it is opened again, and nothing of them comes back. */
static void
test_expired_stories_leave_the_journal(void **state)
{
	struct nw_daemon_conf dc = conf();
	struct nw_story out[NTEXTS];
	struct nw_story_stage *st;
	char *cause = NULL, p[128];
	off_t full;

	(void)state;
	dc.story_window_ms = 600000;
	assert_non_null(st = nw_story_stage_open(&dc, T0, &cause));
	assign_all(st, out);
	assert_int_equal(nw_story_stage_sync(st, &cause), 0);
	assert_int_equal(nw_story_stage_count(st), NTEXTS);
	full = journal_size();
	assert_true(full > 0);
	/* Within the window: nothing dropped, nothing rewritten. */
	nw_story_stage_maintain(st, T0 + 150000);
	assert_int_equal(nw_story_stage_count(st), NTEXTS);
	assert_true(journal_size() == full);
	nw_story_stage_maintain(st, T0 + 3600000);
	assert_int_equal(nw_story_stage_count(st), 0);
	nw_story_stage_close(st);
	assert_non_null(st = nw_story_stage_open(&dc, T0 + 3600000, &cause));
	assert_int_equal(nw_story_stage_count(st), 0);
	assert_true(journal_size() < full);
	nw_story_stage_close(st);
	snprintf(p, sizeof p, "%s/stories.journal", dir);
	assert_int_equal(unlink(p), 0);
}

/* A journal grown well past what the index holds is rewritten by the
 * maintenance pass; the stories survive it. */
static void
test_grown_journal_is_compacted(void **state)
{
	struct nw_daemon_conf dc = conf();
	struct nw_story first[NTEXTS], again[NTEXTS];
	struct nw_story_stage *st;
	char *cause = NULL, p[128];
	off_t grown;
	int k;

	(void)state;
	assert_non_null(st = nw_story_stage_open(&dc, T0, &cause));
	assign_all(st, first);
	/* The same dispatches delivered again and again: each delivery is
	 * a record, the index does not grow. */
	for (k = 0; k < 1000; k++)
		assign_all(st, again);
	assert_int_equal(nw_story_stage_sync(st, &cause), 0);
	grown = journal_size();
	assert_true(grown > 300 * 1024);
	nw_story_stage_maintain(st, T0 + 600000);
	assert_true(journal_size() < grown / 10);
	assert_true(journal_tail_is_whole());
	nw_story_stage_close(st);
	assert_non_null(st = nw_story_stage_open(&dc, T0 + 600000, &cause));
	assign_all(st, again);
	assert_string_equal(again[2].key, first[2].key);
	assert_int_equal(again[2].version, first[2].version);
	nw_story_stage_close(st);
	snprintf(p, sizeof p, "%s/stories.journal", dir);
	assert_int_equal(unlink(p), 0);
}

/* With no state_dir the index works in memory and writes nothing. */
static void
test_no_state_dir_is_memory_only(void **state)
{
	struct nw_daemon_conf dc = conf();
	struct nw_story out[NTEXTS];
	struct nw_story_stage *st;
	char *cause = NULL;

	(void)state;
	dc.state_dir = NULL;
	assert_non_null(st = nw_story_stage_open(&dc, T0, &cause));
	assign_all(st, out);
	assert_int_equal(nw_story_stage_sync(st, &cause), 0);
	assert_int_equal(out[0].version, 1);
	nw_story_stage_close(st);
	assert_int_equal(journal_size(), -1);
}

/* A batch's records reach the journal together, at the flush (one write
 * per loop turn, not per record), whole; a flush with nothing queued writes
 * nothing; and what is flushed replays to the same stories. */
static void
test_records_are_written_at_the_flush(void **state)
{
	struct nw_daemon_conf dc = conf();
	struct nw_story first[NTEXTS];
	struct nw_story_stage *st;
	char *cause = NULL, p[128];
	off_t before, after;

	(void)state;
	assert_non_null(st = nw_story_stage_open(&dc, T0, &cause));
	before = journal_size();
	assign_all(st, first);
	assert_int_equal(journal_size(), before);
	assert_int_equal(nw_story_stage_flush(st, &cause), 0);
	after = journal_size();
	assert_true(after > before);
	assert_true(journal_tail_is_whole());
	assert_int_equal(nw_story_stage_flush(st, &cause), 0);
	assert_int_equal(journal_size(), after);
	assert_int_equal(nw_story_stage_sync(st, &cause), 0);
	nw_story_stage_close(st);
	/* Replayed: the stories are there (the first version of each). */
	assert_non_null(st = nw_story_stage_open(&dc, T0 + 3600000, &cause));
	assert_int_equal(nw_story_stage_count(st), NTEXTS);
	nw_story_stage_close(st);
	snprintf(p, sizeof p, "%s/stories.journal", dir);
	assert_int_equal(unlink(p), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_redelivery_after_crash_gets_same_story),
	    cmocka_unit_test(test_expired_stories_leave_the_journal),
	    cmocka_unit_test(test_grown_journal_is_compacted),
	    cmocka_unit_test(test_no_state_dir_is_memory_only),
	    cmocka_unit_test(test_records_are_written_at_the_flush),
	};
	int rc;

	if (mkdtemp(dir) == NULL)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	rmdir(dir);
	return rc;
}
