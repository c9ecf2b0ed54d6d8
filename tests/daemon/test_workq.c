/* The worker pool: jobs that run for random times on several threads come
 * back to the loop exactly once each, in the order they were pushed, and no
 * wake-up is lost (a lost one stalls the loop, which the timer catches). */
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
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

/* A job pushed first runs on the next free thread ahead of every job
 * already waiting, of its lane or another (the journal's sync does not
 * wait behind the queued parses). One thread, held by a first job while
 * the others are queued, gives the order away. */
static atomic_int hold;
static int order[8], norder;

static void
hold_run(struct nw_job *j)
{
	(void)j;
	while (atomic_load(&hold))
		sched_yield();
	order[norder++] = 0;
}

static void
mark_run(struct nw_job *j)
{
	struct tjob *t = (struct tjob *)(void *)j;

	order[norder++] = t->seq;
}

static void
noop_done(struct nw_job *j)
{
	(void)j;
}

static void
pushed_first_runs_ahead_of_waiting_jobs(void **state)
{
	struct nw_workq *q;
	struct nw_lane *a, *b;
	struct event_base *base = event_base_new();
	struct tjob t[5];
	char *cause = NULL;
	int i;

	memset(t, 0, sizeof t);
	norder = 0;
	atomic_store(&hold, 1);
	q = nw_workq_new(1, &cause);
	assert_non_null(q);
	a = nw_lane_new(q, base);
	b = nw_lane_new(q, base);
	for (i = 0; i < 5; i++) {
		t[i].seq = i;
		t[i].job.run = i == 0 ? hold_run : mark_run;
		t[i].job.done = noop_done;
	}
	nw_lane_push(a, &t[0].job); /* holds the one thread */
	nw_lane_push(a, &t[1].job);
	nw_lane_push(a, &t[2].job);
	nw_lane_push_first(b, &t[3].job);
	nw_lane_push(b, &t[4].job);
	atomic_store(&hold, 0);
	nw_lane_free(a);
	nw_lane_free(b);
	assert_int_equal(norder, 5);
	/* The first job may not have started when the others were pushed:
	 * then job 3 runs even before it. Either way it runs before 1, 2
	 * and 4, which keep their push order. */
	if (order[0] == 0) {
		assert_int_equal(order[1], 3);
	} else {
		assert_int_equal(order[0], 3);
		assert_int_equal(order[1], 0);
	}
	assert_int_equal(order[2], 1);
	assert_int_equal(order[3], 2);
	assert_int_equal(order[4], 4);
	nw_workq_free(q);
	event_base_free(base);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(jobs_return_in_push_order_without_a_lost_wakeup),
	    cmocka_unit_test(lane_free_waits_and_gives_every_job_back),
	    cmocka_unit_test(pushed_first_runs_ahead_of_waiting_jobs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
