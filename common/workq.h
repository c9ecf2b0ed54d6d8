/* The worker pool: jobs run on a few threads and come back to the event loop
 * in the order they were pushed, one lane per owner, each with its own
 * wake-up. The owner's data is touched by the loop only, so it needs no lock;
 * a job's run() touches nothing but the job. */
#ifndef NW_WORKQ_H
#define NW_WORKQ_H

#include <stdatomic.h>
#include <stddef.h>

struct event_base;
struct nw_workq;
struct nw_lane;

/* Embedded in the owner's struct; the pool never allocates one. */
struct nw_job {
	void (*run)(struct nw_job *);  /* on a worker; NULL: nothing to run */
	void (*done)(struct nw_job *); /* on the loop, in push order */
	struct nw_lane *lane;
	struct nw_job *next;  /* the pool's queue (under its lock) */
	struct nw_job *lnext; /* the lane's order (loop only) */
	atomic_int finished;
};

/* nthreads < 1: one per CPU. */
struct nw_workq *nw_workq_new(int nthreads, char **cause);
int nw_workq_threads(const struct nw_workq *);
/* Every lane must be freed first. Joins the threads. */
void nw_workq_free(struct nw_workq *);

struct nw_lane *nw_lane_new(struct nw_workq *, struct event_base *);
/* Fill job->run and job->done first. done() may push again. */
void nw_lane_push(struct nw_lane *, struct nw_job *);
/* The same, but the job goes to the next free thread ahead of every job
 * already waiting (of any lane): for a short job that others wait on, such
 * as the journal's sync behind thousands of queued parses. */
void nw_lane_push_first(struct nw_lane *, struct nw_job *);
/* Jobs pushed and not yet done. */
size_t nw_lane_pending(const struct nw_lane *);
/* Waits for the lane's jobs to run, calls their done() in order, frees. */
void nw_lane_free(struct nw_lane *);

#endif
