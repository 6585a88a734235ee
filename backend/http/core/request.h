/* SPDX-License-Identifier: MIT */
/* Reading a request: its method, query parameters, the one gate every JSON body passes
 * (Content-Type, size, parse: the same 415 / 413 / 400 answers everywhere) and typed
 * getters for the fields of a JSON object. The parts that need no h2o request are
 * separate functions so that unit tests can call them. */
#ifndef SG_HTTP_CORE_REQUEST_H
#define SG_HTTP_CORE_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <h2o.h>
#include <cjson/cJSON.h>
#include "domain/registration.h"

#define SG_BODY_SMALL 4096        /* a few fields: login, check-in, cancel, match */
#define SG_BODY_FORM (16 * 1024)  /* a sign-up, a vehicle plan, return figures */
#define SG_IDEMPOTENCY_KEY_MAX 64 /* Idempotency-Key: 8 to 64 of [A-Za-z0-9_-] */

/** True when the request method is m ("GET", "POST", ...). */
bool sg_method_is(h2o_req_t *req, const char *m);
/** True when the request's Content-Type is application/json (parameters allowed). */
bool sg_request_is_json(h2o_req_t *req);

/**
 * The raw value of parameter name in query (the part after '?', len bytes, not
 * NUL-terminated): a pointer into query and its length in *vlen; NULL when absent. The
 * first occurrence wins; "name" alone (no '=') is absent.
 */
const char *sg_query_find(const char *query, size_t len, const char *name, size_t *vlen);
/** Percent-decode s (n bytes, '+' as space) into out (n + 1 bytes): a %00 ends the value. Returns its length. */
size_t sg_percent_decode(const char *s, size_t n, char *out);
/** Value of the query parameter name, percent-decoded into the pool; NULL when absent. */
const char *sg_query_param(h2o_req_t *req, const char *name);
/**
 * s as a whole decimal number in [min, max] into *out: true, or false (nothing written)
 * when empty, not all digits (an optional leading '-' when min < 0), or out of range.
 */
bool sg_parse_number(const char *s, long min, long max, long *out);
/**
 * Query parameter name as a number in [min, max] into *out (def when absent or empty):
 * true, or false after answering 400 bad_request naming the parameter.
 */
bool sg_query_number_or_reply(h2o_req_t *req, const char *name, long def, long min, long max, long *out);

/**
 * The gate's decision, without h2o: content_type (ctlen bytes, NULL when absent) and body
 * (len bytes, not NUL-terminated). Returns 0 with *root set to a JSON object (the caller
 * deletes it), or the HTTP status of the refusal with *code set to its error code:
 * 415 "unsupported_media_type" (not application/json), 413 "too_large" (over max bytes),
 * 400 "bad_json" (empty, not JSON, or not an object).
 */
int sg_json_body_parse(const char *content_type, size_t ctlen, const char *body, size_t len, size_t max, cJSON **root,
                       const char **code);
/** The same for req's body, answering the refusal: the object (caller deletes) or NULL after answering. */
cJSON *sg_json_body_or_reply(h2o_req_t *req, size_t max);
/** The same without answering: 0 with *root, or the status with *code (for handlers that answer later). */
int sg_json_body(h2o_req_t *req, size_t max, cJSON **root, const char **code);

/*
 * Typed getters for member name of obj. A missing or null member is "absent" (no error);
 * a member of another JSON type adds {field, "type"} to errs (errs may be NULL; field: the name the answer
 * gives, e.g. "companions[0].phone"; NULL means name). obj may be NULL (all absent).
 */
/** A string member (borrowed from obj), or NULL when absent or of another type. */
const char *sg_json_string(const cJSON *obj, const char *name, const char *field, struct sg_field_errors *errs);
/** 1 true, 0 false, -1 absent or of another type. */
int sg_json_bool(const cJSON *obj, const char *name, const char *field, struct sg_field_errors *errs);
/**
 * A whole number member: its value when within [0, max]; max + 1 when a whole number
 * outside it (the domain's range rule then names it); -1 when absent; a fraction or
 * another type adds "type" and gives -1.
 */
long sg_json_count(const cJSON *obj, const char *name, const char *field, long max, struct sg_field_errors *errs);

/** The TCP peer's address as text ("" when unknown): the connection's, never a header's. */
void sg_peer_address(h2o_req_t *req, char out[48]);

/** The optional Idempotency-Key header: "" when absent, NULL when malformed (pool copy). */
const char *sg_idempotency_key(h2o_req_t *req);

#endif
