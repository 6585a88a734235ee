/* SPDX-License-Identifier: MIT */
/* Blocking work off the event loop: one worker thread (named "sg-offload") runs jobs in
 * turn and hands each back to the loop through h2o's multithread queue (as pwhash.c does
 * for passwords). Used for the matching computation, manifest PDFs and .xlsx files, and to
 * zip .xlsx exports and reports: each takes from tens of milliseconds to seconds. A job
 * owns its data while it runs: the loop must not touch it until done is called. */
#ifndef SG_HTTP_OFFLOAD_H
#define SG_HTTP_OFFLOAD_H

#include <h2o.h>

typedef void (*sg_offload_fn)(void *arg);

/** Start the worker and attach to ctx's queue. Call once, after h2o_context_init. */
void sg_offload_start(h2o_context_t *ctx);
/** The same for a loop without an h2o context (the command line): queue is borrowed and must outlive the worker. */
void sg_offload_start_queue(h2o_multithread_queue_t *queue);
/** Jobs not yet handed back: wait for 0 (running the loop) before sg_offload_stop. */
size_t sg_offload_pending(void);
/** Detach from the queue (before h2o_context_dispose); only when nothing is pending. */
void sg_offload_stop(void);
/** Run work(arg) on the worker thread, then done(arg) on the loop, exactly once each. */
void sg_offload_run(sg_offload_fn work, sg_offload_fn done, void *arg);

#endif
