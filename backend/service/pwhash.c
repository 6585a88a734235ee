/* SPDX-License-Identifier: MIT */
/* The password instance of service/worker.c: a job carries copies of the hash and the
 * password, wiped once checked. */
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "service/pwhash.h"
#include "service/worker.h"

struct job {
    sg_pwhash_cb cb;
    void *data;
    int ok;
    char hash[crypto_pwhash_STRBYTES];
    char password[256];
};

static struct sg_worker *worker;
static char dummy[crypto_pwhash_STRBYTES];

static void verify(void *arg)
{
    struct job *job = arg;
    const char *hash = job->hash[0] != '\0' ? job->hash : dummy;
    job->ok = crypto_pwhash_str_verify(hash, job->password, strlen(job->password)) == 0 && job->hash[0] != '\0';
    sodium_memzero(job->password, sizeof(job->password));
}

static void on_verified(void *arg)
{
    struct job *job = arg;
    job->cb(job->data, job->ok);
    free(job);
}

void sg_pwhash_start(h2o_multithread_queue_t *queue)
{
    if (worker == NULL) {
        /* The dummy hash makes unknown user names cost as much as known ones. */
        static const char pw[] = "songgong-dummy-password";
        if (crypto_pwhash_str(dummy, pw, sizeof(pw) - 1, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
            abort();
        worker = sg_worker_new("sg-pwhash", 1, 0);
    }
    sg_worker_attach(worker, queue);
}

size_t sg_pwhash_pending(void)
{
    return worker != NULL ? sg_worker_pending(worker) : 0;
}

void sg_pwhash_stop(void)
{
    if (worker != NULL)
        sg_worker_detach(worker);
}

void sg_pwhash_verify(const char *hash, const char *password, sg_pwhash_cb cb, void *data)
{
    struct job *job = calloc(1, sizeof(*job));
    if (job == NULL)
        abort();
    job->cb = cb;
    job->data = data;
    size_t hl = strlen(hash), pl = strlen(password);
    if (hl < sizeof(job->hash))
        memcpy(job->hash, hash, hl + 1);
    memcpy(job->password, password, pl < sizeof(job->password) ? pl : sizeof(job->password) - 1);
    if (sg_worker_run(worker, verify, on_verified, job) != 0)
        abort(); /* unbounded: never full */
}

size_t sg_pwhash_queued(void)
{
    return worker != NULL ? sg_worker_queued(worker) : 0;
}
