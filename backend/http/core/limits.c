/* SPDX-License-Identifier: MIT */
/* The app's attempt-limit rules as store counters, and the answer when one is full. */
#include <stdio.h>
#include "http/core/limits.h"
#include "http/core/reply.h"

struct sg_limit sg_limit_of(const struct sg_app *app, enum sg_limit_kind kind, const char *subject)
{
    return (struct sg_limit){sg_limit_names[kind], subject, app->limits[kind].count, app->limits[kind].window_s};
}

void sg_reply_limited(h2o_req_t *req, int status, const char *code, unsigned retry_after_s)
{
    char after[16];
    int n = snprintf(after, sizeof(after), "%u", retry_after_s != 0 ? retry_after_s : 1);
    h2o_iovec_t v = h2o_strdup(&req->pool, after, (size_t)n);
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_RETRY_AFTER, NULL, v.base, v.len);
    sg_reply_error(req, status, code, NULL);
}
