/* The worker pool (workq.h): one queue under one lock for the threads, and
 * per lane a list in push order that only the loop walks. A worker marks a
 * job finished and wakes the lane's eventfd; the loop then calls done() for
 * the finished jobs at the head of the list, which restores the push order
 * however the threads raced. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <event2/event.h>

#include "newswire/log.h"
#include "workq.h"

#define MAX_THREADS 256

struct nw_workq {
	pthread_mutex_t mu;
	pthread_cond_t work; /* a job was queued, or stop */
	pthread_cond_t idle; /* a job finished */
	struct nw_job *head, *tail;
	int stop;
	int nthreads;
	pthread_t *threads;
	size_t nlanes;
};

struct nw_lane {
	struct nw_workq *q;
	struct event *ev;
	int efd;
	atomic_int signalled; /* a wake-up is pending: workers skip theirs */
	size_t queued;        /* at the workers, under q->mu */
	size_t pending;       /* pushed, done() not yet called (loop only) */
	struct nw_job *head, *tail;
};

static void *
worker(void *arg)
{
	struct nw_workq *q = arg;
	struct nw_job *j;
	struct nw_lane *l;
	uint64_t one = 1;

	pthread_mutex_lock(&q->mu);
	for (;;) {
		while (q->head == NULL && !q->stop)
			pthread_cond_wait(&q->work, &q->mu);
		if ((j = q->head) == NULL)
			break;
		if ((q->head = j->next) == NULL)
			q->tail = NULL;
		pthread_mutex_unlock(&q->mu);
		j->run(j);
		pthread_mutex_lock(&q->mu);
		/* Under the lock, so that nw_lane_free cannot close the
		 * eventfd between the mark and the write. */
		l = j->lane;
		atomic_store_explicit(&j->finished, 1, memory_order_release);
		if (atomic_exchange(&l->signalled, 1) == 0)
			while (write(l->efd, &one, sizeof one) < 0 &&
			    errno == EINTR)
				;
		if (--l->queued == 0)
			pthread_cond_broadcast(&q->idle);
	}
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

struct nw_workq *
nw_workq_new(int nthreads, char **cause)
{
	struct nw_workq *q;
	long ncpu;
	int i, rc;

	if (nthreads < 1) {
		ncpu = sysconf(_SC_NPROCESSORS_ONLN);
		nthreads = ncpu < 1      ? 1
		    : ncpu > MAX_THREADS ? MAX_THREADS
					 : (int)ncpu;
	}
	if ((q = calloc(1, sizeof *q)) == NULL ||
	    (q->threads = calloc((size_t)nthreads, sizeof *q->threads)) == NULL)
		fatalx("out of memory");
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->work, NULL);
	pthread_cond_init(&q->idle, NULL);
	for (i = 0; i < nthreads; i++) {
		if ((rc = pthread_create(&q->threads[i], NULL, worker, q)) !=
		    0) {
			if (asprintf(cause, "cannot start worker %d: %s", i,
				strerror(rc)) < 0)
				*cause = NULL;
			q->nthreads = i;
			nw_workq_free(q);
			return NULL;
		}
		q->nthreads = i + 1;
	}
	return q;
}

int
nw_workq_threads(const struct nw_workq *q)
{
	return q->nthreads;
}

void
nw_workq_free(struct nw_workq *q)
{
	int i;

	if (q == NULL)
		return;
	if (q->nlanes != 0)
		fatalx("worker pool freed with %zu lanes", q->nlanes);
	pthread_mutex_lock(&q->mu);
	q->stop = 1;
	pthread_cond_broadcast(&q->work);
	pthread_mutex_unlock(&q->mu);
	for (i = 0; i < q->nthreads; i++)
		pthread_join(q->threads[i], NULL);
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->work);
	pthread_cond_destroy(&q->idle);
	free(q->threads);
	free(q);
}

/* Call done() for every finished job at the head, in push order. */
static void
reap(struct nw_lane *l)
{
	struct nw_job *j;

	while ((j = l->head) != NULL &&
	    atomic_load_explicit(&j->finished, memory_order_acquire)) {
		if ((l->head = j->lnext) == NULL)
			l->tail = NULL;
		l->pending--;
		j->done(j); /* may free j, may push */
	}
}

static void
lane_cb(evutil_socket_t fd, short what, void *arg)
{
	struct nw_lane *l = arg;
	uint64_t n;

	/* The counter is consumed before the flag is cleared, and the flag
	 * before the walk: a job finishing after the clear writes again, and
	 * one finishing before it is seen by the walk. (Cleared first, a
	 * worker's write could be consumed here while the flag stays set, and
	 * no worker would ever wake us again.) */
	if (read(l->efd, &n, sizeof n) < 0 && errno != EAGAIN && errno != EINTR)
		log_warn("worker lane read");
	atomic_store(&l->signalled, 0);
	reap(l);
}

struct nw_lane *
nw_lane_new(struct nw_workq *q, struct event_base *base)
{
	struct nw_lane *l;

	if ((l = calloc(1, sizeof *l)) == NULL)
		fatalx("out of memory");
	l->q = q;
	if ((l->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) < 0)
		fatal("eventfd");
	l->ev = event_new(base, l->efd, EV_READ | EV_PERSIST, lane_cb, l);
	if (l->ev == NULL)
		fatalx("out of memory");
	event_add(l->ev, NULL);
	q->nlanes++;
	return l;
}

static void
lane_push(struct nw_lane *l, struct nw_job *j, int first)
{
	struct nw_workq *q = l->q;

	j->lane = l;
	j->next = j->lnext = NULL;
	if (l->tail != NULL)
		l->tail->lnext = j;
	else
		l->head = j;
	l->tail = j;
	l->pending++;
	if (j->run == NULL) {
		/* Nothing to run, but it waits its turn all the same. */
		atomic_store_explicit(&j->finished, 1, memory_order_relaxed);
		if (l->head == j)
			event_active(l->ev, EV_READ, 0);
		return;
	}
	atomic_store_explicit(&j->finished, 0, memory_order_relaxed);
	pthread_mutex_lock(&q->mu);
	if (first) {
		if ((j->next = q->head) == NULL)
			q->tail = j;
		q->head = j;
	} else {
		if (q->tail != NULL)
			q->tail->next = j;
		else
			q->head = j;
		q->tail = j;
	}
	l->queued++;
	pthread_cond_signal(&q->work);
	pthread_mutex_unlock(&q->mu);
}

void
nw_lane_push(struct nw_lane *l, struct nw_job *j)
{
	lane_push(l, j, 0);
}

void
nw_lane_push_first(struct nw_lane *l, struct nw_job *j)
{
	lane_push(l, j, 1);
}

size_t
nw_lane_pending(const struct nw_lane *l)
{
	return l->pending;
}

void
nw_lane_free(struct nw_lane *l)
{
	struct nw_workq *q;

	if (l == NULL)
		return;
	q = l->q;
	/* done() may push more (a source answering its own job), so wait
	 * and walk until the lane is empty. The wait comes first even when
	 * every job was reaped: a worker marks a job finished, so the loop
	 * may reap it, a moment before it lets go of the lane. */
	do {
		pthread_mutex_lock(&q->mu);
		while (l->queued > 0)
			pthread_cond_wait(&q->idle, &q->mu);
		pthread_mutex_unlock(&q->mu);
		reap(l);
	} while (l->head != NULL);
	event_free(l->ev);
	close(l->efd);
	q->nlanes--;
	free(l);
}
