/* SPDX-License-Identifier: MIT */
/* POST /api/checkin/{token}: an escort marks a passenger boarded. */
#include "http/reply.h"
#include "http/routes.h"
#include "http/transport.h"

int sg_on_checkin(h2o_handler_t *self, h2o_req_t *req)
{
    sg_reply_error(req, 404, "not_found", NULL);
    return 0;
}

int sg_on_boarding(h2o_req_t *req, struct sg_app *app, const char *id)
{
    sg_reply_error(req, 404, "not_found", NULL);
    return 0;
}
