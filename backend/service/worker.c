/* SPDX-License-Identifier: MIT */
/* Threads take jobs from one mutex-protected list; each job goes back through the
 * receiver of the loop that gave it (a per-thread "port"), so several loops can share
 * one worker. Counts of pending jobs per port are touched on that loop's thread only. */
#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "domain/err.h"
#include "service/worker.h"

#define WORKERS_MAX 8 /* instances in one process */

struct port {
    struct sg_worker *w;
    h2o_multithread_queue_t *queue;
    h2o_multithread_receiver_t receiver;
    size_t pending;
};

struct job {
    h2o_multithread_message_t super; /* first: the receiver casts back */
    struct job *next;
    struct port *port;
    sg_worker_fn work, done;
    void *arg;
};

struct sg_worker {
    pthread_mutex_t mutex;
    pthread_cond_t cond;
    struct job *head, **tail;
    size_t queued, max_queued; /* under mutex */
    unsigned nthreads, index;
    int nice;
    int started;
    char name[16];
};

static _Thread_local struct port *ports[WORKERS_MAX];
static unsigned nworkers;

struct sg_worker *sg_worker_new(const char *name, unsigned nthreads, size_t max_queued)
{
    struct sg_worker *w = calloc(1, sizeof(*w));
    if (w == NULL || nworkers == WORKERS_MAX || nthreads == 0)
        abort();
    pthread_mutex_init(&w->mutex, NULL);
    pthread_cond_init(&w->cond, NULL);
    w->tail = &w->head;
    w->max_queued = max_queued;
    w->nthreads = nthreads;
    w->index = nworkers++;
    snprintf(w->name, sizeof(w->name), "%s", name);
    return w;
}

static void *run(void *arg)
{
    struct sg_worker *w = arg;
    pthread_setname_np(pthread_self(), w->name);
    if (w->nice != 0) /* Linux: a thread's own nice value; failing to lower it is harmless */
        (void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), w->nice);
    for (;;) {
        pthread_mutex_lock(&w->mutex);
        while (w->head == NULL)
            pthread_cond_wait(&w->cond, &w->mutex);
        struct job *job = w->head;
        if ((w->head = job->next) == NULL)
            w->tail = &w->head;
        pthread_mutex_unlock(&w->mutex);
        job->work(job->arg);
        pthread_mutex_lock(&w->mutex);
        --w->queued;
        pthread_mutex_unlock(&w->mutex);
        h2o_multithread_send_message(&job->port->receiver, &job->super);
    }
    return NULL;
}

static void on_done(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages)
{
    struct port *port = H2O_STRUCT_FROM_MEMBER(struct port, receiver, receiver);
    while (!h2o_linklist_is_empty(messages)) {
        struct job *job = H2O_STRUCT_FROM_MEMBER(struct job, super.link, messages->next);
        h2o_linklist_unlink(&job->super.link);
        --port->pending;
        job->done(job->arg);
        free(job);
    }
}

void sg_worker_set_nice(struct sg_worker *w, int nice)
{
    w->nice = nice;
}

void sg_worker_attach(struct sg_worker *w, h2o_multithread_queue_t *queue)
{
    if (ports[w->index] != NULL)
        return;
    struct port *port = calloc(1, sizeof(*port));
    if (port == NULL)
        abort();
    port->w = w;
    port->queue = queue;
    h2o_multithread_register_receiver(queue, &port->receiver, on_done);
    ports[w->index] = port;
    pthread_mutex_lock(&w->mutex);
    int start = !w->started;
    w->started = 1;
    pthread_mutex_unlock(&w->mutex);
    for (unsigned i = 0; start && i != w->nthreads; ++i) {
        pthread_t tid;
        h2o_multithread_create_thread(&tid, NULL, run, w);
        pthread_detach(tid);
    }
}

size_t sg_worker_pending(const struct sg_worker *w)
{
    return ports[w->index] != NULL ? ports[w->index]->pending : 0;
}

size_t sg_worker_queued(struct sg_worker *w)
{
    pthread_mutex_lock(&w->mutex);
    size_t n = w->queued;
    pthread_mutex_unlock(&w->mutex);
    return n;
}

void sg_worker_detach(struct sg_worker *w)
{
    struct port *port = ports[w->index];
    if (port == NULL)
        return;
    h2o_multithread_unregister_receiver(port->queue, &port->receiver);
    ports[w->index] = NULL;
    free(port);
}

static int enqueue(struct sg_worker *w, sg_worker_fn work, sg_worker_fn done, void *arg, bool bounded)
{
    struct port *port = ports[w->index];
    if (port == NULL)
        abort(); /* a programming error: attach first */
    pthread_mutex_lock(&w->mutex);
    if (bounded && w->max_queued != 0 && w->queued >= w->max_queued) {
        pthread_mutex_unlock(&w->mutex);
        return SG_EUNAVAIL;
    }
    struct job *job = calloc(1, sizeof(*job));
    if (job == NULL)
        abort();
    *job = (struct job){.port = port, .work = work, .done = done, .arg = arg};
    ++w->queued;
    *w->tail = job;
    w->tail = &job->next;
    pthread_cond_signal(&w->cond);
    pthread_mutex_unlock(&w->mutex);
    ++port->pending;
    return 0;
}

int sg_worker_run(struct sg_worker *w, sg_worker_fn work, sg_worker_fn done, void *arg)
{
    return enqueue(w, work, done, arg, true);
}

void sg_worker_run_always(struct sg_worker *w, sg_worker_fn work, sg_worker_fn done, void *arg)
{
    enqueue(w, work, done, arg, false);
}
