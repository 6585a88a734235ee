/* SPDX-License-Identifier: MIT */
/* A GET to another server (WeChat's API) from the event loop, with H2O's HTTP/1 client:
 * TLS with the system's certificates, names resolved off the loop, the body collected up
 * to a limit. */
#ifndef SG_HTTP_CORE_FETCH_H
#define SG_HTTP_CORE_FETCH_H

#include <h2o.h>

/**
 * err: NULL, or why nothing came (static text); status: the HTTP status; body: len bytes,
 * NUL-terminated, valid during the call only.
 */
typedef void (*sg_fetch_cb)(void *data, const char *err, int status, const char *body, size_t len);

/**
 * GET url (http:// or https://, borrowed) on ctx's loop; cb is called once, later, unless
 * this returns -1 (an unusable URL). Bodies over max bytes end with err "too large".
 */
int sg_fetch_get(h2o_context_t *ctx, const char *url, size_t max, sg_fetch_cb cb, void *data);

#endif
