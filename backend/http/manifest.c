/* SPDX-License-Identifier: MIT */
/* GET /api/vehicles/{id}/manifest[.csv|.xlsx|.pdf] and /boarding: a vehicle's passengers. */
#include "http/reply.h"
#include "http/transport.h"

int sg_on_vehicle_sub(h2o_req_t *req, struct sg_app *app, const char *id, h2o_iovec_t sub)
{
    sg_reply_error(req, 404, "not_found", NULL);
    return 0;
}
