/* SPDX-License-Identifier: MIT */
/* GET /healthz: 200 when Redis answers a PING, 503 when it does not. */
#include "domain/err.h"
#include "service/app.h"
#include "http/core/pending.h"
#include "http/core/reply.h"
#include "http/core/request.h"
#include "http/core/routes.h"
#include "http/public/public.h"
#include "store/store.h"

static void on_pong(void *data, int status)
{
    struct sg_pending *p = data;
    if (p->req != NULL) {
        if (status == 0) {
            cJSON *root = cJSON_CreateObject();
            cJSON_AddBoolToObject(root, "ok", 1);
            cJSON_AddStringToObject(root, "redis", "up");
            sg_reply_json(p->req, 200, root);
        } else {
            sg_reply_error(p->req, 503, "unavailable", NULL);
        }
    }
    sg_pending_free(p);
}

int sg_on_health(h2o_handler_t *self, h2o_req_t *req)
{
    struct sg_app *app = sg_handler_app(self);
    struct sg_pending *p = sg_pending_new(req, app, sizeof(*p));
    int ret = sg_store_ping(app->store, on_pong, p);
    if (ret != 0) {
        sg_pending_free(p);
        sg_reply_error(req, 503, "unavailable", NULL);
    }
    return 0;
}
