/* SPDX-License-Identifier: MIT */
/* service/offload.c: jobs run on the worker thread (named sg-offload), one at a time in the
 * order given, and each is handed back to the loop's thread exactly once, after its work;
 * the pending count says how many are not yet back. A loop and its queue, no sockets. */
#include <pthread.h>
#include <h2o.h>
#include "service/offload.h"
#include "test.h"

#define JOBS 64

struct job {
    int n;
    pthread_t worked_on, done_on;
    char thread_name[16];
    int worked, done;
};

static h2o_evloop_t *loop; /* h2o 2.2.5 cannot destroy a loop: reachable until exit */
static struct job jobs[JOBS];
static int done_order[JOBS], ndone;

static void work(void *arg)
{
    struct job *j = arg;
    j->worked_on = pthread_self();
    pthread_getname_np(pthread_self(), j->thread_name, sizeof(j->thread_name));
    ++j->worked;
}

static void on_done(void *arg)
{
    struct job *j = arg;
    j->done_on = pthread_self();
    ++j->done;
    ASSERT_EQ(j->worked, 1); /* the work is finished and visible here */
    done_order[ndone++] = j->n;
}

static void test_jobs_run_off_the_loop_and_come_back_in_order(void)
{
    for (int i = 0; i != JOBS; ++i) {
        jobs[i].n = i;
        sg_offload_run(work, on_done, &jobs[i]);
    }
    ASSERT(sg_offload_pending() > 0);
    while (ndone != JOBS)
        h2o_evloop_run(loop, 10);
    ASSERT_EQ(sg_offload_pending(), 0);
    for (int i = 0; i != JOBS; ++i) {
        ASSERT_EQ(done_order[i], i);
        ASSERT_EQ(jobs[i].worked, 1);
        ASSERT_EQ(jobs[i].done, 1);
        ASSERT(!pthread_equal(jobs[i].worked_on, pthread_self()));
        ASSERT(pthread_equal(jobs[i].worked_on, jobs[0].worked_on)); /* one worker */
        ASSERT(pthread_equal(jobs[i].done_on, pthread_self()));
        ASSERT_STREQ(jobs[i].thread_name, "sg-offload");
    }
}

int main(void)
{
    loop = h2o_evloop_create();
    h2o_multithread_queue_t *queue = h2o_multithread_create_queue(loop);
    sg_offload_start(queue);
    sg_offload_start(queue); /* a second start is a no-op */
    RUN(test_jobs_run_off_the_loop_and_come_back_in_order);
    sg_offload_stop();
    h2o_multithread_destroy_queue(queue);
    TEST_DONE();
}
