/* SPDX-License-Identifier: MIT */
/* The request owns a small link object in its pool; the pending state owns nothing of
 * the request. Whichever goes first clears the other's pointer. */
#include <stdlib.h>
#include "http/core/pending.h"

struct pending_link {
    struct sg_pending *pending;
};

static void on_pool_dispose(void *p)
{
    struct pending_link *link = p;
    if (link->pending != NULL) {
        link->pending->req = NULL;
        link->pending->link = NULL;
    }
}

void *sg_pending_new(h2o_req_t *req, struct sg_app *app, size_t size)
{
    struct sg_pending *p = calloc(1, size);
    if (p == NULL)
        abort();
    struct pending_link *link = h2o_mem_alloc_shared(&req->pool, sizeof(*link), on_pool_dispose);
    link->pending = p;
    p->req = req;
    p->app = app;
    p->link = link;
    return p;
}

void sg_pending_free(void *pending)
{
    struct sg_pending *p = pending;
    if (p->link != NULL)
        p->link->pending = NULL;
    free(p);
}
