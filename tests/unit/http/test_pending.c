/* SPDX-License-Identifier: MIT */
/* http/core/pending.c: a request that goes away (its pool cleared, as an HTTP/2 reset does)
 * cuts the link, and a pending state freed first leaves nothing behind in the pool. */
#include <h2o.h>
#include "http/core/pending.h"
#include "test.h"

static void test_request_goes_first(void)
{
    h2o_req_t req;
    memset(&req, 0, sizeof(req));
    h2o_mem_init_pool(&req.pool);
    struct sg_pending *p = sg_pending_new(&req, NULL, sizeof(*p) + 16);
    ASSERT(p->req == &req);
    h2o_mem_clear_pool(&req.pool); /* the client reset the stream */
    ASSERT(p->req == NULL);
    sg_pending_free(p); /* the store's answer comes later and frees its state */
}

static void test_store_answers_first(void)
{
    h2o_req_t req;
    memset(&req, 0, sizeof(req));
    h2o_mem_init_pool(&req.pool);
    struct sg_pending *p = sg_pending_new(&req, NULL, sizeof(*p));
    struct sg_pending *q = sg_pending_new(&req, NULL, sizeof(*q));
    ASSERT(p->link != NULL && p->link != q->link);
    sg_pending_free(p);
    /* Clearing the pool runs both links' destructors: p's must not touch the freed state
     * (ASan checks), q's still cuts q's link. */
    h2o_mem_clear_pool(&req.pool);
    ASSERT(q->req == NULL);
    ASSERT(q->link == NULL);
    sg_pending_free(q);
}

int main(void)
{
    RUN(test_request_goes_first);
    RUN(test_store_answers_first);
    TEST_DONE();
}
