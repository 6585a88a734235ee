/* SPDX-License-Identifier: MIT */
/* What the server tells operators: one access line per request on stderr (method, path
 * without its query string, status, bytes, time; never a body), and GET /metrics in
 * Prometheus's text format: requests by route and status, a latency histogram per
 * route, sign-ups, Redis errors and reconnects, worker queue depths, live streams, RSS.
 * Counters are atomics shared by every event-loop thread. */
#ifndef SG_HTTP_CORE_METRICS_H
#define SG_HTTP_CORE_METRICS_H

#include <stdbool.h>
#include <h2o.h>
#include "service/app.h"

/** Settings read once at start (before any thread serves). */
struct sg_metrics_config {
    bool access_log;   /* SONGGONG_ACCESS_LOG: "off" turns the access lines off */
    const char *token; /* SONGGONG_METRICS_TOKEN: "Authorization: Bearer TOKEN" reads /metrics from anywhere */
};
void sg_metrics_configure(const struct sg_metrics_config *c);

/** Count and log the requests of pathconf under the name route (a static string: the path prefix). */
void sg_metrics_route(h2o_pathconf_t *pathconf, const char *route);
/** GET /metrics: from loopback without a proxy's forwarding headers, or with the token. */
int sg_on_metrics(h2o_handler_t *self, h2o_req_t *req);

/** One sign-up stored (worker or staff entry; a replayed retry does not count). */
void sg_metrics_signup(void);
/** A live dashboard stream opened (+1) or closed (-1). */
void sg_metrics_streams(int delta);
/** Write what the calling thread's access log holds (at shutdown). */
void sg_metrics_flush(void);

#endif
