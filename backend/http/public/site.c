/* SPDX-License-Identifier: MIT */
/* The worker's pages: GET /s/{village}, the sign-up page a village's QR code opens (one
 * static page for every village: it reads the village from its own URL; unknown villages
 * get 404 with a page that helps to the right one), and GET /status, where a worker looks up or cancels a sign-up.
 * Headers (CSP, caching) and gzip come from the filters in routes.c. */
#include <string.h>
#include "service/app.h"
#include "http/core/reply.h"
#include "http/core/request.h"
#include "http/core/routes.h"
#include "http/public/public.h"

static void send_page(h2o_req_t *req, const struct sg_app *app, int status, const char *file)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", app->site_dir, file);
    if (h2o_file_send(req, status, status == 200 ? "OK" : "Not Found", path,
                      h2o_iovec_init(H2O_STRLIT("text/html; charset=utf-8")), 0) != 0)
        h2o_send_error_404(req, "Not Found", "page missing\n", 0);
}

int sg_on_signup_page(h2o_handler_t *self, h2o_req_t *req)
{
    struct sg_app *app = sg_handler_app(self);
    if (!sg_method_is(req, "GET") && !sg_method_is(req, "HEAD"))
        return sg_reply_method_not_allowed(req, "GET, HEAD");
    static const char prefix[] = "/s/";
    size_t prefixlen = sizeof(prefix) - 1;
    h2o_iovec_t path = req->path_normalized;
    const struct sg_division *v = NULL;
    if (path.len > prefixlen)
        v = sg_divisions_find(app->divisions, path.base + prefixlen, path.len - prefixlen);
    /* a wrong or old QR code: a page (404) that says so, gives the way to the right
     * village by name and whom to ask */
    send_page(req, app, v == NULL || v->level != SG_LEVEL_VILLAGE ? 404 : 200,
              v == NULL || v->level != SG_LEVEL_VILLAGE ? "s/notfound.html" : "s/index.html");
    return 0;
}

int sg_on_status_page(h2o_handler_t *self, h2o_req_t *req)
{
    struct sg_app *app = sg_handler_app(self);
    h2o_iovec_t path = req->path_normalized;
    if (!h2o_memis(path.base, path.len, H2O_STRLIT("/status")) &&
        !h2o_memis(path.base, path.len, H2O_STRLIT("/status/")))
        return -1; /* not this page: h2o answers 404 */
    if (!sg_method_is(req, "GET") && !sg_method_is(req, "HEAD"))
        return sg_reply_method_not_allowed(req, "GET, HEAD");
    send_page(req, app, 200, "status/index.html");
    return 0;
}
