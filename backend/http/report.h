/* SPDX-License-Identifier: MIT */
/* The statistics table of a scope up to a date: gathered from the store (return figures,
 * vehicles, funding: three reads at once), summed by domain/report, rendered as JSON and
 * as the official .xlsx. Used by the HTTP handlers and by `songgong report`. */
#ifndef SG_HTTP_REPORT_H
#define SG_HTTP_REPORT_H

#include <cjson/cJSON.h>
#include "domain/report.h"
#include "http/app.h"

#define SG_REPORT_COLUMNS 17 /* 甲 and 1..16 */
#define SG_REPORT_CELL_MAX SG_REPORT_SOURCES_MAX

/** A computed table with what it needs to be printed. */
struct sg_report_doc {
    const struct sg_campaign *campaign;
    struct sg_report report;
    char title[256];     /* 2023年全区"点对点"送工服务情况统计表 */
    char unit[128];      /* 填报单位 */
    struct sg_date made; /* 填报时间 (the day it was made) */
};

/** Column numbers (甲, 1..16), names and units as in the notice's attachment. */
extern const char *const sg_report_column_no[SG_REPORT_COLUMNS];
extern const char *const sg_report_column_name[SG_REPORT_COLUMNS];
extern const char *const sg_report_column_unit[SG_REPORT_COLUMNS];

/** status 0 with the doc (valid during the call only), or a store error / SG_EINVAL / SG_ENOENT. */
typedef void (*sg_report_cb)(void *data, int status, struct sg_report_doc *doc);

/**
 * Compute the table of campaign c for scope (a province or city code) up to until. 0 and cb
 * later, or SG_ENOENT (unknown scope) / SG_EINVAL (not a province or city) / a store error
 * without calling cb.
 */
int sg_report_start(struct sg_app *app, const struct sg_campaign *c, const char *scope, struct sg_date until,
                    sg_report_cb cb, void *data);

/** The printed text of column col (0 = 甲) of row, into out. */
void sg_report_cell(const struct sg_report_row *row, const struct sg_report *r, int col, char out[SG_REPORT_CELL_MAX]);

/** The whole table as JSON (the answer of GET /api/report). Caller deletes. */
cJSON *sg_report_json(const struct sg_report_doc *d);

/**
 * Write the .xlsx (official layout, one landscape A4 page) to path: blocking (run it off the
 * loop in the server). 0 or -1.
 */
int sg_report_xlsx_write(const struct sg_report_doc *d, const char *path);

/** The .xlsx as bytes through a private temp file: malloc'ed, *len bytes; NULL on failure. Blocking. */
unsigned char *sg_report_xlsx(const struct sg_report_doc *d, size_t *len);

#endif
