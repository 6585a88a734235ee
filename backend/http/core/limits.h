/* SPDX-License-Identifier: MIT */
/* Attempt limits at the HTTP boundary: the counters a request is checked against (kept in
 * Redis by the store, so every server process shares them) and the 429 answer. */
#ifndef SG_HTTP_CORE_LIMITS_H
#define SG_HTTP_CORE_LIMITS_H

#include <h2o.h>
#include "service/app.h"
#include "store/store.h"

/** The counter of kind for subject (borrowed: it must outlive the use), with the app's rule. */
struct sg_limit sg_limit_of(const struct sg_app *app, enum sg_limit_kind kind, const char *subject);
/**
 * status (429, or 423 for a login's lock-out) with Retry-After (seconds) and
 * {"error":{"code","message"}}: code "rate_limited" (an address's limit),
 * "too_many_attempts" (a code's, an ID number's) or "locked".
 */
void sg_reply_limited(h2o_req_t *req, int status, const char *code, unsigned retry_after_s);

#endif
