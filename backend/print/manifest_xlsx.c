/* SPDX-License-Identifier: MIT */
/* The passenger list as .xlsx: the plan in merged rows on top, the table (its header
 * repeated on every printed page, A4 landscape, fit to one page wide), totals and the
 * 审核人 / 填报人 lines. libxlsxwriter 1.1.4 writes only to files: a temporary file is
 * written, read back and removed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include "print/manifest.h"

static const double widths[SG_MANIFEST_COLS] = {6, 10, 6, 21, 13, 22, 16, 30, 10, 9, 8};

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    long n;
    if (f == NULL)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (buf = malloc((size_t)n)) != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    if (buf != NULL)
        *len = (size_t)n;
    fclose(f);
    return buf;
}

static void plan_rows(lxw_worksheet *ws, lxw_format *title, const struct sg_manifest_doc *d)
{
    const struct sg_vehicle *v = d->v;
    char line[1024], date[11];
    size_t at;
    sg_date_format(v->depart_date, date);
    worksheet_merge_range(ws, 0, 0, 0, 10, "乘车人员名单（一车一方案）", title);
    snprintf(line, sizeof(line), "%s %s（编号 %s）　目的地 %s %s　出发 %s %s　预计到达 %s　座位 %u",
             sg_vehicle_type_label(v->type), v->number[0] != '\0' ? v->number : "（待定）", v->id, d->city_name,
             v->employer, date, sg_manifest_time(v->depart_time), v->arrive_time, v->capacity);
    worksheet_merge_range(ws, 1, 0, 1, 10, line, NULL);
    sg_manifest_stops_line(v, line, sizeof(line));
    worksheet_merge_range(ws, 2, 0, 2, 10, line, NULL);
    at = (size_t)snprintf(line, sizeof(line), "带队人：%s %s　司机：", v->escort_name, v->escort_phone);
    for (size_t i = 0; i != v->ndrivers && at < sizeof(line); ++i)
        at += (size_t)snprintf(line + at, sizeof(line) - at, "%s%s", i != 0 ? "、" : "", v->drivers[i]);
    if (at < sizeof(line))
        snprintf(line + at, sizeof(line) - at, "　应急联系人：%s　组织单位：%s", v->emergency, d->owner_name);
    worksheet_merge_range(ws, 3, 0, 3, 10, line, NULL);
    sg_manifest_crew_line(v, line, sizeof(line));
    if (line[0] != '\0')
        worksheet_merge_range(ws, 4, 0, 4, 10, line, NULL);
}

static void table(lxw_worksheet *ws, lxw_format *head, lxw_format *cell, const struct sg_manifest_doc *d)
{
    for (int c = 0; c != SG_MANIFEST_COLS; ++c) {
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], NULL);
        worksheet_write_string(ws, 5, (lxw_col_t)c, sg_manifest_heads[c], head);
    }
    for (size_t i = 0; i != d->n; ++i) {
        lxw_row_t row = (lxw_row_t)(6 + i);
        const char *s[SG_MANIFEST_COLS];
        char no[16];
        sg_manifest_cells(&d->rows[i], no, s);
        worksheet_write_number(ws, row, 0, d->rows[i].no, cell); /* 序号 as a number */
        for (int c = 1; c != SG_MANIFEST_COLS; ++c)
            worksheet_write_string(ws, row, (lxw_col_t)c, s[c], cell);
    }
}

unsigned char *sg_manifest_xlsx(const struct sg_manifest_doc *d, size_t *len)
{
    char path[] = "/tmp/songgong-manifest-XXXXXX";
    int fd = mkstemp(path);
    unsigned char *out = NULL;
    char line[512];
    if (fd < 0)
        return NULL;
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "乘车人员名单");
    lxw_format *title = workbook_add_format(wb), *head = workbook_add_format(wb), *cell = workbook_add_format(wb);
    format_set_bold(title);
    format_set_font_size(title, 14);
    format_set_align(title, LXW_ALIGN_CENTER);
    format_set_bold(head);
    format_set_border(head, LXW_BORDER_THIN);
    format_set_bg_color(head, 0xE0E0E0);
    format_set_align(head, LXW_ALIGN_CENTER);
    format_set_border(cell, LXW_BORDER_THIN);
    plan_rows(ws, title, d);
    table(ws, head, cell, d);
    snprintf(line, sizeof(line), "合计：%zu 人，其中脱贫人口（含防止返贫监测对象）%zu 人", d->n, d->poverty);
    worksheet_write_string(ws, (lxw_row_t)(7 + d->n), 0, line, NULL);
    worksheet_write_string(ws, (lxw_row_t)(9 + d->n), 0, "审核人：", NULL);
    worksheet_write_string(ws, (lxw_row_t)(9 + d->n), 5, "填报人：", NULL);
    sg_manifest_handover_line(d->v, line, sizeof(line));
    worksheet_write_string(ws, (lxw_row_t)(11 + d->n), 0, line, NULL);
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9); /* A4 */
    worksheet_repeat_rows(ws, 5, 5);
    worksheet_fit_to_pages(ws, 1, 0);
    if (workbook_close(wb) == LXW_NO_ERROR)
        out = slurp(path, len);
    unlink(path);
    return out;
}
