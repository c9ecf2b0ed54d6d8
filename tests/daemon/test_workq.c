/* The worker pool: jobs that run for random times on several threads come
 * back to the loop exactly once each, in the order they were pushed, and no
 * wake-up is lost (a lost one stalls the loop, which the timer catches). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <event2/event.h>

#include "workq.h"

#define TOTAL  100000
#define WINDOW 64

struct tjob {
	struct nw_job job;
	int seq;
	unsigned spin;
	unsigned sum; /* the spin's result, kept so it is not optimised away */
};

struct run {
	struct event_base *base;
	struct nw_lane *lane;
	int pushed, next, inflight, last_seen, stalled;
};

static void
job_run(struct nw_job *j)
{
	struct tjob *t = (struct tjob *)(void *)j;
	volatile unsigned x = 0;
	unsigned i;

	for (i = 0; i < t->spin; i++)
		x += i;
	t->sum = x;
}

static struct run R;

static void push_some(void);

static void
job_done(struct nw_job *j)
{
	struct tjob *t = (struct tjob *)(void *)j;

	assert_int_equal(t->seq, R.next);
	R.next++;
	R.inflight--;
	free(t);
	push_some();
	if (R.next == TOTAL)
		event_base_loopbreak(R.base);
}

static void
push_some(void)
{
	struct tjob *t;

	while (R.inflight < WINDOW && R.pushed < TOTAL) {
		t = calloc(1, sizeof *t);
		assert_non_null(t);
		t->seq = R.pushed++;
		t->spin = (unsigned)(rand() % 3000);
		/* Some jobs have nothing to run: they wait their turn too. */
		t->job.run = t->seq % 17 == 0 ? NULL : job_run;
		t->job.done = job_done;
		R.inflight++;
		nw_lane_push(R.lane, &t->job);
	}
}

static void
watchdog(evutil_socket_t fd, short what, void *arg)
{
	if (R.next == R.last_seen) {
		R.stalled = 1;
		event_base_loopbreak(R.base);
	}
	R.last_seen = R.next;
}

static void
jobs_return_in_push_order_without_a_lost_wakeup(void **state)
{
	struct nw_workq *q;
	struct event *wd;
	struct timeval tv = {2, 0};
	char *cause = NULL;

	R.base = event_base_new();
	q = nw_workq_new(3, &cause);
	assert_non_null(q);
	assert_int_equal(nw_workq_threads(q), 3);
	R.lane = nw_lane_new(q, R.base);
	R.last_seen = -1;
	wd = event_new(R.base, -1, EV_PERSIST, watchdog, NULL);
	event_add(wd, &tv);
	push_some();
	event_base_dispatch(R.base);
	assert_int_equal(R.stalled, 0);
	assert_int_equal(R.next, TOTAL);
	assert_int_equal(nw_lane_pending(R.lane), 0);
	event_free(wd);
	nw_lane_free(R.lane);
	nw_workq_free(q);
	event_base_free(R.base);
}

/* Freeing a lane waits for what its jobs still do and gives each back. */
static void
lane_free_waits_and_gives_every_job_back(void **state)
{
	struct nw_workq *q;
	char *cause = NULL;

	memset(&R, 0, sizeof R);
	R.base = event_base_new();
	q = nw_workq_new(0, &cause); /* one per CPU */
	assert_non_null(q);
	assert_true(nw_workq_threads(q) >= 1);
	R.lane = nw_lane_new(q, R.base);
	push_some(); /* WINDOW jobs, never reaped by a loop */
	assert_int_equal(nw_lane_pending(R.lane), WINDOW);
	nw_lane_free(R.lane); /* done() pushes more while it walks */
	assert_int_equal(R.next, TOTAL);
	nw_workq_free(q);
	event_base_free(R.base);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(jobs_return_in_push_order_without_a_lost_wakeup),
	    cmocka_unit_test(lane_free_waits_and_gives_every_job_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
