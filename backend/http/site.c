/* SPDX-License-Identifier: MIT */
/* GET /s/{village}: the sign-up page a village's QR code opens. One static page for
 * every village (it reads the village from its own URL); unknown villages get 404. */
#include <string.h>
#include "http/app.h"
#include "http/reply.h"
#include "http/routes.h"

int sg_on_signup_page(h2o_handler_t *self, h2o_req_t *req)
{
    struct sg_app *app = sg_handler_app(self);
    if (!sg_method_is(req, "GET") && !sg_method_is(req, "HEAD"))
        return sg_reply_method_not_allowed(req, "GET, HEAD");
    static const char prefix[] = "/s/";
    h2o_iovec_t path = req->path_normalized;
    const struct sg_division *v =
        sg_divisions_find(app->divisions, path.base + sizeof(prefix) - 1, path.len - (sizeof(prefix) - 1));
    if (v == NULL || v->level != SG_LEVEL_VILLAGE) {
        h2o_send_error_404(req, "Not Found", "找不到这个村的报名页面，请扫描本村张贴的二维码。\n", 0);
        return 0;
    }
    char file[1024];
    snprintf(file, sizeof(file), "%s/s/index.html", app->site_dir);
    if (h2o_file_send(req, 200, "OK", file, h2o_iovec_init(H2O_STRLIT("text/html; charset=utf-8")), 0) != 0)
        h2o_send_error_404(req, "Not Found", "sign-up page missing\n", 0);
    return 0;
}
