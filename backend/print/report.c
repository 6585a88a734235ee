/* SPDX-License-Identifier: MIT */
/* The statistics table's columns as in the notice's attachment, and the printed text of
 * each cell (万人 with two decimals, counts, 万元, sources). */
#include <stdio.h>
#include "print/report.h"

const char *const sg_report_column_no[SG_REPORT_COLUMNS] = {"甲", "1",  "2",  "3",  "4",  "5",  "6",  "7", "8",
                                                            "9",  "10", "11", "12", "13", "14", "15", "16"};
const char *const sg_report_column_name[SG_REPORT_COLUMNS] = {"地区",
                                                              "外出农民工总量",
                                                              "返乡农民工人数",
                                                              "未返乡农民工人数",
                                                              "专列、专车合计",
                                                              "接送人数合计",
                                                              "其中：接送脱贫人口(含防止返贫监测对象)人数合计",
                                                              "其中：接送广东方向人数合计",
                                                              "组织专列数",
                                                              "运送人数",
                                                              "组织专车数",
                                                              "运送人数",
                                                              "组织专机数",
                                                              "运送人数",
                                                              "投入金额",
                                                              "资金出处",
                                                              "备注"};
const char *const sg_report_column_unit[SG_REPORT_COLUMNS] = {
    "", "万人", "万人", "万人", "次", "万人", "万人", "万人", "列", "人", "辆", "人", "次", "人", "万元", "", ""};

static void row_name(const struct sg_report_row *row, const struct sg_report *r, char out[SG_REPORT_CELL_MAX])
{
    if (row == &r->total)
        snprintf(out, SG_REPORT_CELL_MAX, "合计");
    else if (row->own)
        snprintf(out, SG_REPORT_CELL_MAX, "%s", r->scope->level == SG_LEVEL_PROVINCE ? "自治区本级" : "市本级");
    else
        snprintf(out, SG_REPORT_CELL_MAX, "%s", row->division->name);
}

void sg_report_cell(const struct sg_report_row *row, const struct sg_report *r, int col, char out[SG_REPORT_CELL_MAX])
{
    const struct sg_report_figures *f = &row->f;
    const long wan[] = {0, f->outbound, f->returned, f->not_returned, 0, f->people, f->poverty, f->guangdong};
    const long counts[] = {f->trains, f->train_people, f->buses, f->bus_people, f->flights, f->flight_people};
    char buf[32];
    out[0] = '\0';
    if (col == 0)
        row_name(row, r, out);
    else if (col == 4)
        snprintf(out, SG_REPORT_CELL_MAX, "%ld", sg_report_trips(f));
    else if (col <= 7)
        sg_report_wan(wan[col], buf), snprintf(out, SG_REPORT_CELL_MAX, "%s", buf);
    else if (col <= 13)
        snprintf(out, SG_REPORT_CELL_MAX, "%ld", counts[col - 8]);
    else if (col == 14)
        sg_report_wanyuan(f->yuan, buf), snprintf(out, SG_REPORT_CELL_MAX, "%s", buf);
    else if (col == 15)
        snprintf(out, SG_REPORT_CELL_MAX, "%s", f->sources);
    /* col 16 备注: left for the preparer */
}
