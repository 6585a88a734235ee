/* SPDX-License-Identifier: MIT */
/* A request waiting for the store. The waiting state is its own heap object, linked to
 * the request through a pool destructor: when the client goes away (HTTP/2 reset frees
 * req->pool at once) the link is cut, and the store's answer finds no request to touch. */
#ifndef SG_HTTP_PENDING_H
#define SG_HTTP_PENDING_H

#include <h2o.h>

struct sg_pending {
    h2o_req_t *req; /* NULL once the request is gone */
    struct sg_app *app;
    struct pending_link *link;
};

/**
 * Allocate size bytes (>= sizeof(struct sg_pending), zeroed) whose head is a linked
 * struct sg_pending. Owned by the caller until sg_pending_free.
 */
void *sg_pending_new(h2o_req_t *req, struct sg_app *app, size_t size);
/** Cut the link (if the request still lives) and free. */
void sg_pending_free(void *pending);

#endif
