/* SPDX-License-Identifier: MIT */
/* A scope's dashboard figures as JSON: plan (domain/stats), one store read, render.
 * Shared by GET /api/stats and its event stream; also the query parameters every
 * dashboard request reads (scope, campaign). */
#ifndef SG_HTTP_STATS_H
#define SG_HTTP_STATS_H

#include <cjson/cJSON.h>
#include "http/app.h"
#include "http/staff.h"

/**
 * Called once with status 0 and json (taken: the callee deletes it), or with a store
 * status (SG_EUNAVAIL, SG_ETIMEDOUT, SG_EIO) and NULL.
 */
typedef void (*sg_stats_done_cb)(void *data, int status, cJSON *json);

/**
 * Read and render the figures of scope (a division code known to app) in campaign c
 * (borrowed; must outlive the call). Returns 0 (done is called later, exactly once),
 * SG_ENOENT for an unknown scope, or a store status (done is never called).
 */
int sg_stats_read(struct sg_app *app, const struct sg_campaign *c, const char *scope, sg_stats_done_cb done,
                  void *data);

/**
 * The scope a dashboard request asks for (?scope=, default the session's), checked: NULL
 * after answering 403 (outside the user's scope or not allowed act; nothing else said)
 * or 404 (inside it but unknown).
 */
const char *sg_scope_param_or_reply(struct sg_staff_req *p, enum sg_action act);

/** ?campaign= or the active campaign (else the last one); NULL after answering 404. */
const struct sg_campaign *sg_campaign_param_or_reply(struct sg_staff_req *p);

/** Close every event stream (server shutdown): each ends cleanly after its pending write. */
void sg_stats_streams_close(void);

#endif
