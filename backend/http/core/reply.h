/* SPDX-License-Identifier: MIT */
/* Sending JSON answers and errors, and the one table that maps error codes to HTTP
 * status and Chinese messages. */
#ifndef SG_HTTP_CORE_REPLY_H
#define SG_HTTP_CORE_REPLY_H

#include <h2o.h>
#include <cjson/cJSON.h>
#include "domain/registration.h"

/** Send json (taken: deleted here) with status. Sets Content-Type and Content-Length. */
void sg_reply_json(h2o_req_t *req, int status, cJSON *json);
/** The same for JSON text made by the caller (copied). */
void sg_reply_json_text(h2o_req_t *req, int status, const char *text, size_t len);
/** Send {"error":{"code","message"[,"field"]}}; message defaults to the table's. */
void sg_reply_error(h2o_req_t *req, int status, const char *code, const char *field);
/** 422 {"error":{"code":"invalid","fields":{field: message}}}. */
void sg_reply_invalid(h2o_req_t *req, const struct sg_field_errors *errs);
/** 404 / 503 / 504 / 500 for a store status (SG_ENOENT, SG_EUNAVAIL, SG_ETIMEDOUT, other); a 5xx is logged with what
 * Redis said. */
void sg_reply_store_error(h2o_req_t *req, int status);
/** The Chinese message for an error code (never NULL). */
const char *sg_message(const char *code);

/** 405 with Allow; returns 0 (handled). */
int sg_reply_method_not_allowed(h2o_req_t *req, const char *allow);
/**
 * A 5xx answer with error code and one line in the server's error log: the method, the
 * path without its query string, the status and cause (static or caller's text; digit
 * runs that could be personal numbers are masked). Every 5xx goes through here.
 */
void sg_reply_5xx(h2o_req_t *req, int status, const char *code, const char *cause);
/** The same line without an answer (for a failure after the response has started). */
void sg_log_error(h2o_req_t *req, int status, const char *cause);
/** 503 busy with Retry-After: the drawing queue is full (logged as every 5xx). */
void sg_reply_busy(h2o_req_t *req);
/** Send bytes (taken: freed here) as a download named filename with Content-Type type. */
void sg_reply_file(h2o_req_t *req, unsigned char *bytes, size_t len, const char *type, const char *filename);

#endif
