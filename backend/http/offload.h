/* SPDX-License-Identifier: MIT */
/* Blocking work off the event loop: one worker thread runs jobs in turn and hands each
 * back to the loop through h2o's multithread queue (as pwhash.c does for passwords).
 * Used to zip an .xlsx export, which takes a second or more for 100,000 rows. */
#ifndef SG_HTTP_OFFLOAD_H
#define SG_HTTP_OFFLOAD_H

#include <h2o.h>

typedef void (*sg_offload_fn)(void *arg);

/** Start the worker and attach to ctx's queue. Call once, after h2o_context_init. */
void sg_offload_start(h2o_context_t *ctx);
/** Jobs not yet handed back: wait for 0 (running the loop) before sg_offload_stop. */
size_t sg_offload_pending(void);
/** Detach from the queue (before h2o_context_dispose); only when nothing is pending. */
void sg_offload_stop(void);
/** Run work(arg) on the worker thread, then done(arg) on the loop, exactly once each. */
void sg_offload_run(sg_offload_fn work, sg_offload_fn done, void *arg);

#endif
