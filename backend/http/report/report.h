/* SPDX-License-Identifier: MIT */
/* Figures for staff: the live dashboard (stats.c, stats_stream.c), the villages' return
 * figures (returns.c), the statistics table and its filings (report.c), funding
 * entries (funding.c). */
#ifndef SG_HTTP_REPORT_REPORT_H
#define SG_HTTP_REPORT_REPORT_H

#include <h2o.h>
#include <cjson/cJSON.h>
#include "domain/campaign.h"
#include "service/app.h"

int sg_on_stats(h2o_handler_t *self, h2o_req_t *req);        /* stats.c: GET /api/stats */
int sg_on_stats_stream(h2o_handler_t *self, h2o_req_t *req); /* stats_stream.c: GET /api/stats/stream */
int sg_on_returns(h2o_handler_t *self, h2o_req_t *req);      /* returns.c: /api/returns */
int sg_on_report(h2o_handler_t *self, h2o_req_t *req);       /* report.c: /api/report... */
int sg_on_funding(h2o_handler_t *self, h2o_req_t *req);      /* funding.c: /api/funding */
/**
 * The rest of "/api/report/filings/{id}[.xlsx]" (report.c; len bytes): 1 to 15 digits into
 * id and whether ".xlsx" follows. 0, or -1 when it is no filing's path. Pure.
 */
int sg_report_filing_path_parse(const char *rest, size_t len, char id[16], bool *xlsx);

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
/** Close every event stream (server shutdown): each ends cleanly after its pending write. */
void sg_stats_streams_close(void);

#endif
