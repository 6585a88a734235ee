/* SPDX-License-Identifier: MIT */
/* The offload instance of service/worker.c: one thread; new jobs are bounded, the next
 * steps of admitted ones are not (a stream must not break half way). */
#include "service/offload.h"

static struct sg_worker *worker(void)
{
    static struct sg_worker *w;
    if (w == NULL) {
        w = sg_worker_new("sg-offload", 1, SG_OFFLOAD_QUEUE);
        sg_worker_set_nice(w, 10); /* drawing waits for the event loops: their answers come first */
    }
    return w;
}

void sg_offload_start(h2o_multithread_queue_t *queue)
{
    sg_worker_attach(worker(), queue);
}

size_t sg_offload_pending(void)
{
    return sg_worker_pending(worker());
}

void sg_offload_stop(void)
{
    sg_worker_detach(worker());
}

int sg_offload_try(sg_offload_fn work, sg_offload_fn done, void *arg)
{
    return sg_worker_run(worker(), work, done, arg);
}

void sg_offload_run(sg_offload_fn work, sg_offload_fn done, void *arg)
{
    sg_worker_run_always(worker(), work, done, arg);
}

size_t sg_offload_queued(void)
{
    return sg_worker_queued(worker());
}
