/* SPDX-License-Identifier: MIT */
/* The statistics table (统计表) as printed: its columns as in the notice's attachment,
 * the text of each cell, and the official .xlsx (merged two-level header, one landscape
 * A4 page). The figures come from service/report.h. */
#ifndef SG_PRINT_REPORT_H
#define SG_PRINT_REPORT_H

#include <stddef.h>
#include "domain/campaign.h"
#include "domain/date.h"
#include "domain/report.h"

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

/** The printed text of column col (0 = 甲) of row, into out. */
void sg_report_cell(const struct sg_report_row *row, const struct sg_report *r, int col, char out[SG_REPORT_CELL_MAX]);

/**
 * Write the .xlsx (official layout, one landscape A4 page) to path: blocking (run it off the
 * loop in the server). 0 or -1.
 */
int sg_report_xlsx_write(const struct sg_report_doc *d, const char *path);

/** The .xlsx as bytes through a private temp file: malloc'ed, *len bytes; NULL on failure. Blocking. */
unsigned char *sg_report_xlsx(const struct sg_report_doc *d, size_t *len);

#endif
