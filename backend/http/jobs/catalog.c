/* SPDX-License-Identifier: MIT */
/* Every employer and job, kept in memory per event loop for a few seconds: the public
 * lists (the sign-up form's employer names, the jobs list) and the checks of pushes read
 * it instead of Redis, so that a flood of public requests costs one read per period. */
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "domain/err.h"
#include "http/jobs/jobs.h"
#include "store/jobs.h"

#define FRESH_MS 5000

struct waiter {
    struct waiter *next;
    sg__catalog_cb cb;
    void *data;
};

/* Bumped by every change made through any loop: each loop's copy is then read again. */
static atomic_uint generation;

static _Thread_local struct {
    struct sg__catalog c;
    uint64_t at;
    unsigned generation;
    bool loaded, loading;
    struct waiter *waiting;
    struct sg_app *app;
    int status;
} cat;

static void answer(int status)
{
    struct waiter *w = cat.waiting;
    cat.waiting = NULL;
    while (w != NULL) {
        struct waiter *next = w->next;
        w->cb(w->data, status, status == 0 ? &cat.c : NULL);
        free(w);
        w = next;
    }
}

static void on_jobs(void *data, int status, const struct sg_job *list, size_t n)
{
    if (status == 0) {
        free(cat.c.jobs);
        cat.c.jobs = n != 0 ? malloc(n * sizeof(*list)) : NULL;
        if (n != 0 && cat.c.jobs == NULL)
            abort();
        if (n != 0)
            memcpy(cat.c.jobs, list, n * sizeof(*list));
        cat.c.njobs = n;
        cat.loaded = true;
        cat.generation = (unsigned)(uintptr_t)data;
        cat.at = sg_app_now_ms();
    }
    cat.loading = false;
    answer(status);
}

static void on_employers(void *data, int status, const struct sg_employer *list, size_t n)
{
    if (status == 0) {
        free(cat.c.employers);
        cat.c.employers = n != 0 ? malloc(n * sizeof(*list)) : NULL;
        if (n != 0 && cat.c.employers == NULL)
            abort();
        if (n != 0)
            memcpy(cat.c.employers, list, n * sizeof(*list));
        cat.c.nemployers = n;
    }
    int ret = status == 0 ? sg_store_job_list(cat.app->store, on_jobs, data) : status;
    if (ret != 0) {
        cat.loading = false;
        answer(ret);
    }
}

void sg__catalog_stale(void)
{
    atomic_fetch_add(&generation, 1);
}

int sg__catalog_get(struct sg_app *app, sg__catalog_cb cb, void *data)
{
    unsigned now = atomic_load(&generation);
    if (cat.loaded && cat.generation == now && sg_app_now_ms() - cat.at < FRESH_MS) {
        cb(data, 0, &cat.c);
        return 0;
    }
    struct waiter *w = malloc(sizeof(*w));
    if (w == NULL)
        abort();
    *w = (struct waiter){cat.waiting, cb, data};
    if (cat.loading) {
        cat.waiting = w;
        return 0;
    }
    cat.app = app;
    int ret = sg_store_employer_list(app->store, on_employers, (void *)(uintptr_t)now); /* read after the change */
    if (ret != 0) {
        free(w);
        return ret;
    }
    cat.waiting = w;
    cat.loading = true;
    return 0;
}
