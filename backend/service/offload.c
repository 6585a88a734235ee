/* SPDX-License-Identifier: MIT */
/* The offload instance of service/worker.c: one thread, an unbounded queue (every caller
 * is a staff request or a command, already limited by sessions). */
#include "service/offload.h"

static struct sg_worker *worker(void)
{
    static struct sg_worker *w;
    if (w == NULL)
        w = sg_worker_new("sg-offload", 1, 0);
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

void sg_offload_run(sg_offload_fn work, sg_offload_fn done, void *arg)
{
    if (sg_worker_run(worker(), work, done, arg) != 0)
        abort(); /* unbounded: never full */
}

size_t sg_offload_queued(void)
{
    return sg_worker_queued(worker());
}
