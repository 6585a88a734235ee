/* SPDX-License-Identifier: MIT */
/* The statistics table of a scope up to a date: gathered from the store (return figures,
 * vehicles, funding: three reads at once), summed by domain/report, rendered as JSON;
 * print/report.h draws it as the official .xlsx. Used by the HTTP handlers and by
 * `songgong report`. */
#ifndef SG_SERVICE_REPORT_H
#define SG_SERVICE_REPORT_H

#include <cjson/cJSON.h>
#include "domain/report.h"
#include "print/report.h"
#include "service/app.h"

/** status 0 with the doc (valid during the call only), or a store error / SG_EINVAL / SG_ENOENT. */
typedef void (*sg_report_cb)(void *data, int status, struct sg_report_doc *doc);

/**
 * Compute the table of campaign c for scope (a province or city code) up to until. 0 and cb
 * later, or SG_ENOENT (unknown scope) / SG_EINVAL (not a province or city) / a store error
 * without calling cb.
 */
int sg_report_start(struct sg_app *app, const struct sg_campaign *c, const char *scope, struct sg_date until,
                    sg_report_cb cb, void *data);

/** The whole table as JSON (the answer of GET /api/report). Caller deletes. */
cJSON *sg_report_json(const struct sg_report_doc *d);

#endif
