/* SPDX-License-Identifier: MIT */
/* One worker thread, a mutex-protected job list in, h2o's multithread queue out. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "http/pwhash.h"

struct job {
    h2o_multithread_message_t super; /* first: the receiver casts back */
    struct job *next;
    sg_pwhash_cb cb;
    void *data;
    int ok;
    char hash[crypto_pwhash_STRBYTES];
    char password[256];
};

static struct {
    pthread_mutex_t mutex;
    pthread_cond_t cond;
    struct job *head, **tail;
    h2o_multithread_queue_t *queue;
    h2o_multithread_receiver_t receiver;
    char dummy[crypto_pwhash_STRBYTES];
    int started;
    size_t pending; /* jobs handed out and not yet answered; touched on the loop only */
} w = {.mutex = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER, .tail = &w.head};

static void *run(void *arg)
{
    for (;;) {
        pthread_mutex_lock(&w.mutex);
        while (w.head == NULL)
            pthread_cond_wait(&w.cond, &w.mutex);
        struct job *job = w.head;
        if ((w.head = job->next) == NULL)
            w.tail = &w.head;
        pthread_mutex_unlock(&w.mutex);
        const char *hash = job->hash[0] != '\0' ? job->hash : w.dummy;
        job->ok = crypto_pwhash_str_verify(hash, job->password, strlen(job->password)) == 0 && job->hash[0] != '\0';
        sodium_memzero(job->password, sizeof(job->password));
        h2o_multithread_send_message(&w.receiver, &job->super);
    }
    return NULL;
}

static void on_results(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages)
{
    while (!h2o_linklist_is_empty(messages)) {
        struct job *job = H2O_STRUCT_FROM_MEMBER(struct job, super.link, messages->next);
        h2o_linklist_unlink(&job->super.link);
        --w.pending;
        job->cb(job->data, job->ok);
        free(job);
    }
}

void sg_pwhash_start(h2o_context_t *ctx)
{
    pthread_t tid;
    if (w.started++)
        return;
    /* The dummy hash makes unknown user names cost as much as known ones. */
    static const char pw[] = "songgong-dummy-password";
    if (crypto_pwhash_str(w.dummy, pw, sizeof(pw) - 1, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        abort();
    w.queue = ctx->queue;
    h2o_multithread_register_receiver(w.queue, &w.receiver, on_results);
    h2o_multithread_create_thread(&tid, NULL, run, NULL);
    pthread_detach(tid);
}

void sg_pwhash_stop(void)
{
    if (w.queue != NULL)
        h2o_multithread_unregister_receiver(w.queue, &w.receiver);
    w.queue = NULL;
}

void sg_pwhash_verify(const char *hash, const char *password, sg_pwhash_cb cb, void *data)
{
    struct job *job = calloc(1, sizeof(*job));
    if (job == NULL)
        abort();
    ++w.pending;
    job->cb = cb;
    job->data = data;
    size_t hl = strlen(hash), pl = strlen(password);
    if (hl < sizeof(job->hash))
        memcpy(job->hash, hash, hl + 1);
    memcpy(job->password, password, pl < sizeof(job->password) ? pl : sizeof(job->password) - 1);
    pthread_mutex_lock(&w.mutex);
    *w.tail = job;
    w.tail = &job->next;
    pthread_cond_signal(&w.cond);
    pthread_mutex_unlock(&w.mutex);
}

size_t sg_pwhash_pending(void)
{
    return w.pending;
}
