/* SPDX-License-Identifier: MIT */
/* The statistics table as .xlsx in the layout of the notice's attachment: title, 填报单位
 * and 填报时间 lines, the two-level header with merged cells (组织包车运输 over columns
 * 4-13, 资金投入 over 14-15), the 甲,1..16 numbering row, one row per division, the total,
 * 审核人 / 填报人; landscape A4, fit to one page. Figures are numeric cells (万人 with two
 * decimals) so that the office can add the cities' tables up. libxlsxwriter writes files
 * only: the server runs this off the loop (service/offload.h), like the exports' zip step. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include "print/report.h"

#define LAST_COL 16
#define HEAD_ROW 4 /* first header row; the numbering row is HEAD_ROW + 2 */

/* Header texts as printed (line breaks where the attachment breaks them). */
static const char *const heads[SG_REPORT_COLUMNS] = {"地区",
                                                     "外出\n农民工\n总量\n(万人)",
                                                     "返乡\n农民工\n人数\n(万人)",
                                                     "未返乡\n农民工\n人数\n(万人)",
                                                     "专列、\n专车\n合计\n(次)",
                                                     "接送\n人数\n合计\n(万人)",
                                                     "其中：接送脱贫人口(含防止返贫监测对象)人数合计\n(万人)",
                                                     "其中：接送广东方向人数合计\n(万人)",
                                                     "组织\n专列数\n(列)",
                                                     "运送\n人数\n(人)",
                                                     "组织\n专车数\n(辆)",
                                                     "运送\n人数\n(人)",
                                                     "组织\n专机数\n(次)",
                                                     "运送\n人数\n(人)",
                                                     "投入\n金额\n(万元)",
                                                     "资金\n出处",
                                                     "备注"};
static const double widths[SG_REPORT_COLUMNS] = {11, 8, 8, 8, 7, 8, 12, 10, 7, 8, 7, 8, 7, 8, 8, 18, 8};

struct formats {
    lxw_format *title, *line, *head, *text, *wan, *count, *total_text, *total_wan, *total_count;
};

static lxw_format *cell_format(lxw_workbook *wb, const char *num, bool bold, bool left)
{
    lxw_format *f = workbook_add_format(wb);
    format_set_border(f, LXW_BORDER_THIN);
    format_set_align(f, left ? LXW_ALIGN_LEFT : LXW_ALIGN_CENTER);
    format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    format_set_text_wrap(f);
    format_set_font_name(f, "宋体");
    format_set_font_size(f, 10);
    if (num != NULL)
        format_set_num_format(f, num);
    if (bold)
        format_set_bold(f);
    return f;
}

static void make_formats(lxw_workbook *wb, struct formats *fm)
{
    fm->title = workbook_add_format(wb);
    format_set_bold(fm->title);
    format_set_font_size(fm->title, 16);
    format_set_font_name(fm->title, "方正小标宋简体");
    format_set_align(fm->title, LXW_ALIGN_CENTER);
    format_set_align(fm->title, LXW_ALIGN_VERTICAL_CENTER);
    fm->line = workbook_add_format(wb);
    format_set_font_name(fm->line, "宋体");
    format_set_font_size(fm->line, 11);
    fm->head = cell_format(wb, NULL, true, false);
    format_set_font_size(fm->head, 9);
    fm->text = cell_format(wb, NULL, false, false);
    fm->wan = cell_format(wb, "0.00", false, false);
    fm->count = cell_format(wb, "0", false, false);
    fm->total_text = cell_format(wb, NULL, true, false);
    fm->total_wan = cell_format(wb, "0.00", true, false);
    fm->total_count = cell_format(wb, "0", true, false);
}

static void header(lxw_worksheet *ws, const struct formats *fm)
{
    static const int single[] = {0, 1, 2, 3, 16}; /* merged over both header rows */
    for (size_t i = 0; i != sizeof(single) / sizeof(single[0]); ++i) {
        lxw_col_t c = (lxw_col_t)single[i];
        worksheet_merge_range(ws, HEAD_ROW, c, HEAD_ROW + 1, c, heads[c], fm->head);
    }
    worksheet_merge_range(ws, HEAD_ROW, 4, HEAD_ROW, 13, "组织包车运输", fm->head);
    worksheet_merge_range(ws, HEAD_ROW, 14, HEAD_ROW, 15, "资金投入", fm->head);
    for (lxw_col_t c = 4; c != 16; ++c)
        worksheet_write_string(ws, HEAD_ROW + 1, c, heads[c], fm->head);
    for (lxw_col_t c = 0; c <= LAST_COL; ++c) {
        worksheet_write_string(ws, HEAD_ROW + 2, c, sg_report_column_no[c], fm->head);
        worksheet_set_column(ws, c, c, widths[c], NULL);
    }
    worksheet_set_row(ws, HEAD_ROW, 24, NULL);
    worksheet_set_row(ws, HEAD_ROW + 1, 132, NULL);
}

static void data_row(lxw_worksheet *ws, lxw_row_t at, const struct sg_report_row *row, const struct sg_report *r,
                     const struct formats *fm, bool total)
{
    const struct sg_report_figures *f = &row->f;
    const long hundredths[] = {0,
                               sg_report_wan_hundredths(f->outbound),
                               sg_report_wan_hundredths(f->returned),
                               sg_report_wan_hundredths(f->not_returned),
                               0,
                               sg_report_wan_hundredths(f->people),
                               sg_report_wan_hundredths(f->poverty),
                               sg_report_wan_hundredths(f->guangdong)};
    const long counts[] = {f->trains, f->train_people, f->buses, f->bus_people, f->flights, f->flight_people};
    char cell[SG_REPORT_CELL_MAX];
    lxw_format *text = total ? fm->total_text : fm->text, *wan = total ? fm->total_wan : fm->wan;
    lxw_format *count = total ? fm->total_count : fm->count;
    sg_report_cell(row, r, 0, cell);
    worksheet_write_string(ws, at, 0, cell, text);
    for (lxw_col_t c = 1; c <= 7; ++c)
        if (c == 4)
            worksheet_write_number(ws, at, c, (double)sg_report_trips(f), count);
        else
            worksheet_write_number(ws, at, c, (double)hundredths[c] / 100.0, wan);
    for (lxw_col_t c = 8; c <= 13; ++c)
        worksheet_write_number(ws, at, c, (double)counts[c - 8], count);
    int64_t h = (f->yuan + 50) / 100; /* hundredths of 万元, as sg_report_wanyuan rounds */
    worksheet_write_number(ws, at, 14, (double)h / 100.0, wan);
    worksheet_write_string(ws, at, 15, f->sources, text);
    worksheet_write_string(ws, at, 16, "", text);
    worksheet_set_row(ws, at, 30, NULL);
}

static void date_cn(struct sg_date d, char out[32])
{
    snprintf(out, 32, "%d年%d月%d日", d.y, d.m, d.d);
}

int sg_report_xlsx_write(const struct sg_report_doc *d, const char *path)
{
    const struct sg_report *r = &d->report;
    struct formats fm;
    char line[512], made[32], until[32];
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = wb != NULL ? workbook_add_worksheet(wb, "统计表") : NULL;
    if (ws == NULL) {
        if (wb != NULL)
            lxw_workbook_free(wb);
        return -1;
    }
    make_formats(wb, &fm);
    worksheet_merge_range(ws, 0, 0, 0, LAST_COL, d->title, fm.title);
    worksheet_set_row(ws, 0, 30, NULL);
    snprintf(line, sizeof(line), "填报单位：%s", d->unit);
    worksheet_merge_range(ws, 1, 0, 1, LAST_COL, line, fm.line);
    date_cn(d->made, made);
    date_cn(r->until, until);
    snprintf(line, sizeof(line), "填报时间：%s　　（统计截至%s，%s）", made, until, d->campaign->name);
    worksheet_merge_range(ws, 2, 0, 2, LAST_COL, line, fm.line);
    header(ws, &fm);
    lxw_row_t at = HEAD_ROW + 3;
    for (size_t i = 0; i != r->nrows; ++i)
        if (sg_report_row_shown(&r->rows[i]))
            data_row(ws, at++, &r->rows[i], r, &fm, false);
    data_row(ws, at++, &r->total, r, &fm, true);
    worksheet_write_string(ws, at + 1, 0, "审核人：", fm.line);
    worksheet_write_string(ws, at + 1, 9, "填报人：", fm.line);
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9); /* A4 */
    worksheet_set_margins(ws, 0.4, 0.4, 0.5, 0.5);
    worksheet_center_horizontally(ws);
    worksheet_fit_to_pages(ws, 1, 1);
    worksheet_print_area(ws, 0, 0, at + 1, LAST_COL);
    return workbook_close(wb) == LXW_NO_ERROR ? 0 : -1;
}

unsigned char *sg_report_xlsx(const struct sg_report_doc *d, size_t *len)
{
    const char *tmp = getenv("TMPDIR") != NULL && strlen(getenv("TMPDIR")) < 32 ? getenv("TMPDIR") : "/tmp";
    char path[64];
    unsigned char *out = NULL;
    FILE *f;
    long n;
    snprintf(path, sizeof(path), "%s/songgong-report-XXXXXX", tmp);
    int fd = mkstemp(path);
    if (fd < 0)
        return NULL;
    close(fd);
    if (sg_report_xlsx_write(d, path) == 0 && (f = fopen(path, "rb")) != NULL) {
        if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
            if ((out = malloc((size_t)n)) == NULL)
                abort();
            if (fread(out, 1, (size_t)n, f) != (size_t)n) {
                free(out);
                out = NULL;
            }
            *len = (size_t)n;
        }
        fclose(f);
    }
    unlink(path);
    return out;
}
