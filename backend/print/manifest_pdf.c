/* SPDX-License-Identifier: MIT */
/* The printed passenger list: A4 landscape, the vehicle's plan as a header on every
 * page, the table with its header row repeated, page numbers, and on the last page the
 * totals and the 审核人 / 填报人 lines (19 rows and the totals fit one page; a last page
 * never holds the totals alone). cairo draws, pango lays the Chinese text out
 * (Noto Sans CJK from fonts-noto-cjk). The server draws on its offload worker: pango's
 * default font map is per thread, so this file keeps a font map of its own, which the
 * loop frees at shutdown once the worker is idle. */
#include <stdlib.h>
#include <string.h>
#include <cairo.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include "print/manifest.h"

#define PAGE_W 841.89
#define PAGE_H 595.28
#define MARGIN 30.0
#define ROW_H 19.0
#define HEAD_ROW_H 22.0
#define PLAN_H 90.0
#define FOOT_H 26.0
#define TOTALS_H 70.0 /* the totals line, the signature line and the hand-over line */
#define FONT "Noto Sans CJK SC"
#define NCOLS SG_MANIFEST_COLS

/* Column widths (pt) for sg_manifest_heads. */
static const double widths[NCOLS] = {30, 58, 28, 118, 74, 118, 84, 150, 50, 42, 29.89};

/* What draws a document: the surface's context and pango's context for the font map below. */
struct pen {
    cairo_t *cr;
    PangoContext *pc;
};

static PangoFontMap *font_map; /* made on first use, kept across documents (loading fonts is slow) */

struct bytes {
    unsigned char *buf;
    size_t len, cap;
};

static cairo_status_t on_write(void *closure, const unsigned char *data, unsigned int length)
{
    struct bytes *b = closure;
    if (b->len + length > b->cap) {
        b->cap = (b->len + length) * 2;
        if ((b->buf = realloc(b->buf, b->cap)) == NULL)
            abort();
    }
    memcpy(b->buf + b->len, data, length);
    b->len += length;
    return CAIRO_STATUS_SUCCESS;
}

/* Text at x, y in a box of width w (ellipsized), size in points; align 0 left, 1 centre. */
static void text(const struct pen *pen, double x, double y, double w, const char *s, double size, int bold, int align)
{
    PangoLayout *l = pango_layout_new(pen->pc);
    PangoFontDescription *fd = pango_font_description_from_string(FONT);
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(l, fd);
    pango_layout_set_text(l, s, -1);
    if (w > 0) {
        pango_layout_set_width(l, (int)(w * PANGO_SCALE));
        pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
        pango_layout_set_alignment(l, align ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT);
    }
    cairo_move_to(pen->cr, x, y);
    pango_cairo_show_layout(pen->cr, l);
    pango_font_description_free(fd);
    g_object_unref(l);
}

static void plan_header(const struct pen *pen, const struct sg_manifest_doc *d)
{
    const struct sg_vehicle *v = d->v;
    char line[2560], date[11];
    size_t at = 0;
    sg_date_format(v->depart_date, date);
    text(pen, MARGIN, MARGIN - 4, PAGE_W - 2 * MARGIN, "乘车人员名单（一车一方案）", 15, 1, 1);
    snprintf(line, sizeof(line), "%s %s　车辆编号 %s　｜　目的地 %s%s%s　｜　出发 %s %s%s%s　｜　座位 %u，本单 %zu 人",
             sg_vehicle_type_label(v->type), v->number[0] != '\0' ? v->number : "（待定）", v->id, d->city_name,
             v->employer[0] != '\0' ? "　用工企业 " : "", v->employer, date, sg_manifest_time(v->depart_time),
             v->arrive_time[0] != '\0' ? "　预计到达 " : "", v->arrive_time, v->capacity, d->n);
    text(pen, MARGIN, MARGIN + 18, PAGE_W - 2 * MARGIN, line, 8.5, 0, 0);
    sg_manifest_stops_line(v, line, sizeof(line));
    text(pen, MARGIN, MARGIN + 31, PAGE_W - 2 * MARGIN, line, 8.5, 0, 0);
    at = (size_t)snprintf(line, sizeof(line), "带队人：%s %s　｜　司机：", v->escort_name, v->escort_phone);
    for (size_t i = 0; i != v->ndrivers && at < sizeof(line); ++i)
        at += (size_t)snprintf(line + at, sizeof(line) - at, "%s%s", i != 0 ? "、" : "", v->drivers[i]);
    if (at < sizeof(line))
        snprintf(line + at, sizeof(line) - at, "　｜　应急联系人：%s　｜　组织单位：%s", v->emergency, d->owner_name);
    text(pen, MARGIN, MARGIN + 44, PAGE_W - 2 * MARGIN, line, 8.5, 0, 0);
    double y = MARGIN + 57;
    sg_manifest_crew_line(v, line, sizeof(line));
    if (line[0] != '\0') {
        text(pen, MARGIN, y, PAGE_W - 2 * MARGIN, line, 8.5, 0, 0);
        y += 13;
    }
    if (sg_vehicle_notes(v)[0] != '\0') {
        snprintf(line, sizeof(line), "注意事项：%s", sg_vehicle_notes(v));
        text(pen, MARGIN, y, PAGE_W - 2 * MARGIN, line, 8.5, 0, 0);
    }
}

static void table_row(const struct pen *pen, double y, double h, const char *const cells[NCOLS], int head, int checkbox)
{
    cairo_t *cr = pen->cr;
    double x = MARGIN;
    if (head) {
        cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
        cairo_rectangle(cr, MARGIN, y, PAGE_W - 2 * MARGIN, h);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
    }
    for (int c = 0; c != NCOLS; ++c) {
        cairo_rectangle(cr, x, y, widths[c], h);
        int centre = head || c == 0 || c == 2 || c == 8 || c == 9;
        if (cells[c] != NULL)
            text(pen, x + 2.5, y + (h - 11) / 2, widths[c] - 5, cells[c], 8, head, centre);
        if (checkbox && c == NCOLS - 1) {
            cairo_stroke(cr);
            cairo_rectangle(cr, x + widths[c] / 2 - 5, y + h / 2 - 5, 10, 10);
        }
        x += widths[c];
    }
    cairo_set_line_width(cr, 0.6);
    cairo_stroke(cr);
}

static void totals(const struct pen *pen, double y, const struct sg_manifest_doc *d)
{
    char line[512];
    snprintf(line, sizeof(line), "合计：%zu 人，其中脱贫人口（含防止返贫监测对象）%zu 人；已签到 ______ 人", d->n,
             d->poverty);
    text(pen, MARGIN, y + 8, 0, line, 10, 1, 0);
    text(pen, MARGIN, y + 32, 0,
         "审核人：________________　　填报人：________________　　带队人签字：________________　　日期：______年____月_"
         "___日",
         10, 0, 0);
    sg_manifest_handover_line(d->v, line, sizeof(line));
    text(pen, MARGIN, y + 54, 0, line, 10, 0, 0);
}

/* Rows on each page: full pages, and a last page that has room for the totals and
 * never holds them alone (when the rows of a plain split leave no room, the page before
 * gives it some). The page count; rows[p] the rows of page p (rows has room for n + 2). */
static size_t paginate(size_t n, size_t *rows)
{
    double table = PAGE_H - 2 * MARGIN - PLAN_H - HEAD_ROW_H - FOOT_H;
    size_t per = (size_t)(table / ROW_H), cap = (size_t)((table - TOTALS_H) / ROW_H), pages = 0;
    size_t last = n == 0 ? 0 : (n - 1) % per + 1; /* the last page's rows in a plain split */
    for (size_t full = n > last ? (n - last) / per : 0; full != 0; --full)
        rows[pages++] = per;
    if (last > cap) {
        rows[pages++] = cap;
        last -= cap;
    }
    rows[pages++] = last;
    return pages;
}

unsigned char *sg_manifest_pdf(const struct sg_manifest_doc *d, size_t *len)
{
    struct bytes b = {0};
    size_t *rows = malloc((d->n + 2) * sizeof(*rows)), pages = rows != NULL ? paginate(d->n, rows) : 0;
    if (rows == NULL)
        abort();
    cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(on_write, &b, PAGE_W, PAGE_H);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, "乘车人员名单");
    cairo_t *cr = cairo_create(surface);
    if (font_map == NULL)
        font_map = pango_cairo_font_map_new();
    struct pen pen = {cr, pango_font_map_create_context(font_map)};
    pango_cairo_update_context(
        cr, pen.pc); /* the surface's resolution and font options, as pango_cairo_create_layout does */
    for (size_t page = 0, row = 0; page != pages; ++page) {
        char foot[64], no[16];
        cairo_set_source_rgb(cr, 0, 0, 0);
        plan_header(&pen, d);
        double y = MARGIN + PLAN_H;
        table_row(&pen, y, HEAD_ROW_H, sg_manifest_heads, 1, 0);
        y += HEAD_ROW_H;
        for (size_t k = 0; k != rows[page] && row < d->n; ++k, ++row, y += ROW_H) {
            const char *cells[NCOLS];
            sg_manifest_cells(&d->rows[row], no, cells);
            cells[NCOLS - 1] = NULL; /* 签到: an empty box to tick */
            table_row(&pen, y, ROW_H, cells, 0, 1);
        }
        if (page == pages - 1)
            totals(&pen, y + 4, d);
        snprintf(foot, sizeof(foot), "第 %zu 页 / 共 %zu 页", page + 1, pages);
        text(&pen, MARGIN, PAGE_H - MARGIN - 6, PAGE_W - 2 * MARGIN, foot, 8, 0, 1);
        cairo_show_page(cr);
    }
    free(rows);
    g_object_unref(pen.pc);
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    cairo_status_t st = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    if (st != CAIRO_STATUS_SUCCESS) {
        free(b.buf);
        return NULL;
    }
    *len = b.len;
    return b.buf;
}

void sg_manifest_pdf_cleanup(void)
{
    if (font_map != NULL)
        g_object_unref(font_map);
    font_map = NULL;
    /* not cairo_debug_reset_static_data() or FcFini(): see sg_poster_release_caches */
    pango_cairo_font_map_set_default(NULL);
}
