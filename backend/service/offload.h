/* SPDX-License-Identifier: MIT */
/* The offload worker: one thread (named "sg-offload", service/worker.h) for blocking work
 * of milliseconds to seconds: the matching computation, manifest PDFs and .xlsx files,
 * zipping .xlsx exports and reports, posters and QR codes. The drawing libraries (pango,
 * fontconfig, libqrencode) then run on this one thread only. */
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
#define SG_OFFLOAD_QUEUE 32 /* new drawing jobs waiting or running: more are refused (503, Retry-After) */

/**
 * Run work(arg) on the worker thread, then done(arg) on this loop, exactly once each: a
 * new job of a request (a manifest, posters, a QR code, a report file). 0, or SG_EUNAVAIL
 * without calling either when SG_OFFLOAD_QUEUE jobs are waiting or running.
 */
int sg_offload_try(sg_offload_fn work, sg_offload_fn done, void *arg);
/** The same, never refused: the next step of work already admitted, and the command line. */
void sg_offload_run(sg_offload_fn work, sg_offload_fn done, void *arg);

/** Jobs waiting or running, from every loop. */
size_t sg_offload_queued(void);

#endif
