/* SPDX-License-Identifier: MIT */
/* The offload worker: one thread (named "sg-offload", service/worker.h) for blocking work
 * of tens of milliseconds to seconds: the matching computation, manifest PDFs and .xlsx
 * files, zipping .xlsx exports and reports. */
#ifndef SG_SERVICE_OFFLOAD_H
#define SG_SERVICE_OFFLOAD_H

#include <h2o.h>
#include "service/worker.h"

typedef sg_worker_fn sg_offload_fn;

/** Attach the calling thread's loop (queue borrowed, must outlive it); starts the thread once. */
void sg_offload_start(h2o_multithread_queue_t *queue);
/** Jobs of this loop not yet handed back: wait for 0 (running the loop) before sg_offload_stop. */
size_t sg_offload_pending(void);
/** Detach this loop (before h2o_context_dispose); only when nothing is pending. */
void sg_offload_stop(void);
/** Run work(arg) on the worker thread, then done(arg) on this loop, exactly once each. */
void sg_offload_run(sg_offload_fn work, sg_offload_fn done, void *arg);

/** Jobs waiting or running, from every loop. */
size_t sg_offload_queued(void);

#endif
