/* SPDX-License-Identifier: MIT */
/* The URL map: every route's handler object, and the registration of all of them. The
 * handlers themselves are declared by their folders (public/, staff/, registrations/,
 * transport/, report/). */
#ifndef SG_HTTP_CORE_ROUTES_H
#define SG_HTTP_CORE_ROUTES_H

#include <h2o.h>
#include "service/app.h"

/** The handler object every route uses: h2o's handler plus the app. */
struct sg_handler {
    h2o_handler_t super;
    struct sg_app *app;
};

/** The on_req callback of a route. */
typedef int (*sg_route_fn)(h2o_handler_t *self, h2o_req_t *req);

/**
 * Register on_req for the path prefix. Returns the path's configuration for adding
 * filters; it is valid only until the next path is registered (h2o reallocates).
 */
h2o_pathconf_t *sg_handler_add(h2o_hostconf_t *hostconf, const char *path, struct sg_app *app, sg_route_fn on_req);

static inline struct sg_app *sg_handler_app(h2o_handler_t *self)
{
    return ((struct sg_handler *)self)->app;
}

/** Register every route on hostconf (order matters: first registered prefix wins). */
void sg_http_routes(h2o_hostconf_t *hostconf, struct sg_app *app);

#endif
