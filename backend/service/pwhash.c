/* SPDX-License-Identifier: MIT */
/* The password instance of service/worker.c: a job carries copies of the hash and the
 * password, wiped once checked. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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
/* How long a check takes: measured once at start, then following the checks made (half
 * the last one, half the estimate before), so that an unknown name keeps waiting as long
 * as a wrong password is answered on this machine now, whatever its load. */
static _Atomic unsigned typical_ms = 100;

static uint64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

static void verify(void *arg)
{
    struct job *job = arg;
    uint64_t t0 = now_ms();
    job->ok = crypto_pwhash_str_verify(job->hash, job->password, strlen(job->password)) == 0;
    sodium_memzero(job->password, sizeof(job->password));
    uint64_t ms = now_ms() - t0;
    if (ms < 10000)
        typical_ms = (typical_ms + (unsigned)ms + 1) / 2;
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
        /* Measured once: an unknown user name is answered after as long, without a check. */
        static const char pw[] = "songgong-dummy-password";
        char dummy[crypto_pwhash_STRBYTES];
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        if (crypto_pwhash_str(dummy, pw, sizeof(pw) - 1, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
            abort();
        clock_gettime(CLOCK_MONOTONIC, &t1);
        long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
        typical_ms = ms > 0 && ms < 10000 ? (unsigned)ms : 100;
        worker = sg_worker_new("sg-pwhash", 1, SG_PWHASH_QUEUE);
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

unsigned sg_pwhash_typical_ms(void)
{
    return typical_ms;
}

int sg_pwhash_verify(const char *hash, const char *password, sg_pwhash_cb cb, void *data)
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
    int ret = sg_worker_run(worker, verify, on_verified, job);
    if (ret != 0) {
        sodium_memzero(job->password, sizeof(job->password));
        free(job);
    }
    return ret;
}

size_t sg_pwhash_queued(void)
{
    return worker != NULL ? sg_worker_queued(worker) : 0;
}
