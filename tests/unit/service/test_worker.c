/* SPDX-License-Identifier: MIT */
/* service/worker.c: a bounded worker refuses a job when max_queued are waiting or running
 * (and calls nothing), takes jobs again once they are done; two loops on two threads
 * share one worker and each gets its own jobs back on its own thread. */
#include <pthread.h>
#include <stdatomic.h>
#include <h2o.h>
#include "domain/err.h"
#include "service/worker.h"
#include "test.h"

static atomic_int gate_open; /* the workers' jobs wait for it: a full queue can be seen */

static void slow(void *arg)
{
    while (!atomic_load(&gate_open))
        usleep(1000);
    ++*(int *)arg; /* the job's own counter: the loop reads it only after done */
}

struct back {
    int worked, done;
    pthread_t done_on;
};

static void on_back(void *arg)
{
    struct back *b = arg;
    b->done_on = pthread_self();
    ++b->done;
}

static void slow_back(void *arg)
{
    slow(&((struct back *)arg)->worked);
}

static h2o_evloop_t *main_loop; /* h2o 2.2.5 cannot destroy a loop: reachable until exit */

static void test_bounded_queue(void)
{
    h2o_evloop_t *loop = main_loop = h2o_evloop_create();
    h2o_multithread_queue_t *queue = h2o_multithread_create_queue(loop);
    struct sg_worker *w = sg_worker_new("sg-test-bound", 1, 3);
    static struct back b[5];
    sg_worker_attach(w, queue);
    atomic_store(&gate_open, 0);
    for (int i = 0; i != 3; ++i)
        ASSERT_EQ(sg_worker_run(w, slow_back, on_back, &b[i]), 0);
    ASSERT_EQ(sg_worker_queued(w), 3);
    ASSERT_EQ(sg_worker_run(w, slow_back, on_back, &b[3]), SG_EUNAVAIL); /* full: refused */
    ASSERT_EQ(sg_worker_pending(w), 3);
    atomic_store(&gate_open, 1);
    while (b[0].done + b[1].done + b[2].done != 3)
        h2o_evloop_run(loop, 10);
    ASSERT_EQ(b[3].worked + b[3].done, 0); /* the refused job never ran */
    ASSERT_EQ(sg_worker_queued(w), 0);
    ASSERT_EQ(sg_worker_run(w, slow_back, on_back, &b[4]), 0); /* room again */
    while (b[4].done != 1)
        h2o_evloop_run(loop, 10);
    ASSERT_EQ(b[4].worked, 1);
    ASSERT_EQ(sg_worker_pending(w), 0);
    sg_worker_detach(w);
    h2o_multithread_destroy_queue(queue);
}

#define PER_LOOP 20
static struct sg_worker *shared;

struct loop_run {
    pthread_t tid;
    h2o_evloop_t *loop; /* reachable until exit */
    struct back b[PER_LOOP];
    int all_home;        /* every job came back on this loop's own thread */
    atomic_int finished; /* the thread then stays (h2o keeps per-thread buffers LSan would call leaked) */
};

static void *run_loop(void *arg)
{
    struct loop_run *r = arg;
    h2o_evloop_t *loop = r->loop = h2o_evloop_create();
    h2o_multithread_queue_t *queue = h2o_multithread_create_queue(loop);
    sg_worker_attach(shared, queue);
    for (int i = 0; i != PER_LOOP; ++i)
        if (sg_worker_run(shared, slow_back, on_back, &r->b[i]) != 0)
            abort(); /* unbounded: cannot happen */
    int done = 0;
    while (done != PER_LOOP) {
        h2o_evloop_run(loop, 10);
        done = 0;
        for (int i = 0; i != PER_LOOP; ++i)
            done += r->b[i].done;
    }
    r->all_home = sg_worker_pending(shared) == 0;
    for (int i = 0; i != PER_LOOP; ++i)
        r->all_home = r->all_home && r->b[i].worked == 1 && pthread_equal(r->b[i].done_on, pthread_self());
    sg_worker_detach(shared);
    h2o_multithread_destroy_queue(queue);
    atomic_store(&r->finished, 1);
    for (;;)
        pause();
    return NULL;
}

static void test_two_loops_share_a_worker(void)
{
    static struct loop_run runs[2];
    shared = sg_worker_new("sg-test-shared", 2, 0);
    atomic_store(&gate_open, 1);
    for (int i = 0; i != 2; ++i)
        ASSERT_EQ(pthread_create(&runs[i].tid, NULL, run_loop, &runs[i]), 0);
    for (int i = 0; i != 2; ++i)
        while (!atomic_load(&runs[i].finished))
            usleep(1000);
    ASSERT(runs[0].all_home);
    ASSERT(runs[1].all_home);
}

int main(void)
{
    RUN(test_bounded_queue);
    RUN(test_two_loops_share_a_worker);
    TEST_DONE();
}
