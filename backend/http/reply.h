/* SPDX-License-Identifier: MIT */
/* Sending JSON answers and errors, and the one table that maps error codes to HTTP
 * status and Chinese messages. */
#ifndef SG_HTTP_REPLY_H
#define SG_HTTP_REPLY_H

#include <h2o.h>
#include <cjson/cJSON.h>
#include "domain/registration.h"

/** The handler object every route uses: h2o's handler plus the app. */
struct sg_handler {
    h2o_handler_t super;
    struct sg_app *app;
};
/**
 * Register on_req for the path prefix. Returns the path's configuration for adding
 * filters; it is valid only until the next path is registered (h2o reallocates).
 */
h2o_pathconf_t *sg_handler_add(h2o_hostconf_t *hostconf, const char *path, struct sg_app *app,
                               int (*on_req)(h2o_handler_t *, h2o_req_t *));
static inline struct sg_app *sg_handler_app(h2o_handler_t *self)
{
    return ((struct sg_handler *)self)->app;
}

/** Send json (taken: deleted here) with status. Sets Content-Type and Content-Length. */
void sg_reply_json(h2o_req_t *req, int status, cJSON *json);
/** Send {"error":{"code","message"[,"field"]}}; message defaults to the table's. */
void sg_reply_error(h2o_req_t *req, int status, const char *code, const char *field);
/** 422 {"error":{"code":"invalid","fields":{field: message}}}. */
void sg_reply_invalid(h2o_req_t *req, const struct sg_field_errors *errs);
/** 404 / 503 / 504 / 500 for a store status (SG_ENOENT, SG_EUNAVAIL, SG_ETIMEDOUT, other). */
void sg_reply_store_error(h2o_req_t *req, int status);
/** The Chinese message for an error code (never NULL). */
const char *sg_message(const char *code);

/** True when the request's Content-Type is application/json (parameters allowed). */
int sg_request_is_json(h2o_req_t *req);
/** True when the request method is m ("GET", "POST", ...). */
int sg_method_is(h2o_req_t *req, const char *m);
/** 405 with Allow; returns 0 (handled). */
int sg_reply_method_not_allowed(h2o_req_t *req, const char *allow);
/** Value of the query parameter name, percent-decoded into the pool; NULL when absent. */
const char *sg_query_param(h2o_req_t *req, const char *name);

#endif
