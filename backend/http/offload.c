/* SPDX-License-Identifier: MIT */
/* One worker thread, a mutex-protected job list in, h2o's multithread queue out. */
#include <pthread.h>
#include <stdlib.h>
#include "http/offload.h"

struct job {
    h2o_multithread_message_t super; /* first: the receiver casts back */
    struct job *next;
    sg_offload_fn work, done;
    void *arg;
};

static struct {
    pthread_mutex_t mutex;
    pthread_cond_t cond;
    struct job *head, **tail;
    h2o_multithread_queue_t *queue;
    h2o_multithread_receiver_t receiver;
    int started;
    size_t pending; /* touched on the loop only */
} w = {.mutex = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER, .tail = &w.head};

static void *run(void *unused)
{
    (void)unused;
    pthread_setname_np(pthread_self(), "sg-offload"); /* top -H and the tests find it by name */
    for (;;) {
        pthread_mutex_lock(&w.mutex);
        while (w.head == NULL)
            pthread_cond_wait(&w.cond, &w.mutex);
        struct job *job = w.head;
        if ((w.head = job->next) == NULL)
            w.tail = &w.head;
        pthread_mutex_unlock(&w.mutex);
        job->work(job->arg);
        h2o_multithread_send_message(&w.receiver, &job->super);
    }
    return NULL;
}

static void on_done(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages)
{
    (void)receiver;
    while (!h2o_linklist_is_empty(messages)) {
        struct job *job = H2O_STRUCT_FROM_MEMBER(struct job, super.link, messages->next);
        h2o_linklist_unlink(&job->super.link);
        --w.pending;
        job->done(job->arg);
        free(job);
    }
}

void sg_offload_start(h2o_context_t *ctx)
{
    sg_offload_start_queue(ctx->queue);
}

void sg_offload_start_queue(h2o_multithread_queue_t *queue)
{
    pthread_t tid;
    if (w.started++)
        return;
    w.queue = queue;
    h2o_multithread_register_receiver(w.queue, &w.receiver, on_done);
    h2o_multithread_create_thread(&tid, NULL, run, NULL);
    pthread_detach(tid);
}

size_t sg_offload_pending(void)
{
    return w.pending;
}

void sg_offload_stop(void)
{
    if (w.queue != NULL)
        h2o_multithread_unregister_receiver(w.queue, &w.receiver);
    w.queue = NULL;
}

void sg_offload_run(sg_offload_fn work, sg_offload_fn done, void *arg)
{
    struct job *job = calloc(1, sizeof(*job));
    if (job == NULL)
        abort();
    ++w.pending;
    job->work = work;
    job->done = done;
    job->arg = arg;
    pthread_mutex_lock(&w.mutex);
    *w.tail = job;
    w.tail = &job->next;
    pthread_cond_signal(&w.cond);
    pthread_mutex_unlock(&w.mutex);
}
