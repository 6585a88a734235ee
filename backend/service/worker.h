/* SPDX-License-Identifier: MIT */
/* Blocking work off the event loop: a worker is one or more threads that run jobs in the
 * order given and hand each back to the loop that gave it, through that loop's h2o
 * multithread queue. Two instances run in the server: the offload worker (matching,
 * drawing PDFs and .xlsx files) and the password worker (argon2id). A job owns its data
 * while it runs: the loop must not touch it until done is called. */
#ifndef SG_SERVICE_WORKER_H
#define SG_SERVICE_WORKER_H

#include <stddef.h>
#include <h2o.h>

struct sg_worker;
typedef void (*sg_worker_fn)(void *arg);

/**
 * A worker named name (at most 15 bytes: the threads' name, which top -H and the tests
 * show) with nthreads threads (>= 1), started at the first sg_worker_attach. max_queued
 * bounds the jobs waiting or running (0: unbounded). Lives until exit. Aborts on failure.
 */
struct sg_worker *sg_worker_new(const char *name, unsigned nthreads, size_t max_queued);

/** Run the threads at this nice value (before the first attach): background work yields the CPU to the loops. */
void sg_worker_set_nice(struct sg_worker *w, int nice);

/**
 * Make the calling thread's loop able to give jobs (queue: its h2o multithread queue,
 * borrowed, must outlive the attachment). Once per thread and worker; a second call is
 * a no-op. Starts the threads the first time any loop attaches.
 */
void sg_worker_attach(struct sg_worker *w, h2o_multithread_queue_t *queue);
/** Jobs the calling thread gave that are not yet handed back: wait for 0 before detaching. */
size_t sg_worker_pending(const struct sg_worker *w);
/** Jobs waiting or running, from every loop (the queue depth). */
size_t sg_worker_queued(struct sg_worker *w);
/** Undo the calling thread's attach (before h2o_context_dispose); only when nothing is pending. */
void sg_worker_detach(struct sg_worker *w);
/**
 * Run work(arg) on a worker thread, then done(arg) on the calling thread's loop, exactly
 * once each. The calling thread must be attached. Returns 0, or SG_EUNAVAIL without
 * calling either when max_queued jobs are already waiting or running.
 */
int sg_worker_run(struct sg_worker *w, sg_worker_fn work, sg_worker_fn done, void *arg);
/** The same, never refused (max_queued ignored): the next step of work already admitted. */
void sg_worker_run_always(struct sg_worker *w, sg_worker_fn work, sg_worker_fn done, void *arg);

#endif
