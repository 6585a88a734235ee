/* SPDX-License-Identifier: MIT */
/* POST /api/match: propose (and with "accept":true apply) the matching of a scope. */
#include "http/reply.h"
#include "http/routes.h"

int sg_on_match(h2o_handler_t *self, h2o_req_t *req)
{
    sg_reply_error(req, 404, "not_found", NULL);
    return 0;
}
