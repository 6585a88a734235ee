/* SPDX-License-Identifier: MIT */
/* Village sign-up posters and label sheets with cairo and pango. Text that is the same on
 * every page (title, steps, dates) is laid out once per document; per village only the
 * place, the link and the QR code are new. The PDF surface writes each page out when it is
 * shown, so a document of 16,681 pages holds one page in memory. Coordinates are PDF points
 * (1/72 inch); a PNG scales its context to match. */
#include <assert.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cairo.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include "domain/err.h"
#include "qr/internal.h"
#include "domain/division.h"
#include "qr/poster.h"
#include "qr/qr.h"

#define MM (72.0 / 25.4)
#define PAGE_W (210 * MM)
#define PAGE_H (297 * MM)
#define MARGIN (13 * MM)
#define FONT_FAMILY "Noto Sans CJK SC, Noto Sans SC, sans-serif"
#define QR_DARK (120 * MM) /* width of the code itself, quiet zone not counted */
#define STEPS 4
#define URL_MAX 320
#define LABEL_W (PAGE_W / SG_POSTER_LABEL_COLUMNS)
#define LABEL_H (PAGE_H / SG_POSTER_LABEL_ROWS)

/* Red of Chinese public notices; dark enough to stay legible on a black-and-white printer. */
static const double RED[3] = {0.75, 0.07, 0.11};
static const double INK[3] = {0.10, 0.10, 0.10};
static const double GREY[3] = {0.33, 0.33, 0.33};
static const double GOLD[3] = {1.00, 0.87, 0.45};

static const char *const step_words[STEPS] = {"扫码", "填写", "记下报名号", "等通知"};
static const char *const step_notes[STEPS] = {"用微信扫一扫", "姓名 身份证 手机", "报名后抄下来", "村里通知坐车"};

/* Layouts bound to one cairo context: the fixed ones are filled once, the others per page. */
struct painter {
    cairo_t *cr;
    PangoLayout *title, *headline, *tagline, *dates, *scan, *words[STEPS], *notes[STEPS], *digits[STEPS];
    PangoLayout *place, *village, *link, *contact;
    PangoLayout *label_place, *label_village, *label_link;
};

struct sg_poster_pdf {
    cairo_surface_t *surface;
    struct painter painter;
    enum sg_poster_layout layout;
    char public_url[URL_MAX];
    sg_poster_write_cb write;
    void *closure;
    size_t pages, labels_on_page;
    bool write_failed;
};

static PangoLayout *new_layout(cairo_t *cr, double size, PangoWeight weight, PangoAlignment align)
{
    PangoLayout *l = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_from_string(FONT_FAMILY);
    pango_font_description_set_weight(fd, weight);
    /* Absolute: user units, which are points here, whatever pango's resolution. */
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_alignment(l, align);
    return l;
}

static double layout_width(PangoLayout *l)
{
    int w, h;
    pango_layout_get_size(l, &w, &h);
    return (double)w / PANGO_SCALE;
}

static double layout_height(PangoLayout *l)
{
    int w, h;
    pango_layout_get_size(l, &w, &h);
    return (double)h / PANGO_SCALE;
}

/* Set text at size points, shrinking it (once, proportionally) when wider than max_w. */
static void set_fit(PangoLayout *l, const char *text, double size, double max_w)
{
    PangoFontDescription *fd = pango_font_description_copy(pango_layout_get_font_description(l));
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_layout_set_font_description(l, fd);
    pango_layout_set_text(l, text, -1);
    double w = layout_width(l);
    if (w > max_w) {
        pango_font_description_set_absolute_size(fd, size * (max_w / w) * 0.98 * PANGO_SCALE);
        pango_layout_set_font_description(l, fd);
    }
    pango_font_description_free(fd);
}

static void set_rgb(cairo_t *cr, const double rgb[3])
{
    cairo_set_source_rgb(cr, rgb[0], rgb[1], rgb[2]);
}

/* Draw l with its top edge at y: centred on cx, or from cx when left is set. */
static void show_at(cairo_t *cr, PangoLayout *l, const double rgb[3], double cx, double y, bool left)
{
    set_rgb(cr, rgb);
    cairo_move_to(cr, left ? cx : cx - layout_width(l) / 2, y);
    pango_cairo_show_layout(cr, l);
    cairo_new_path(cr); /* drop the current point, or the next arc starts with a line from it */
}

/* Replaces ASCII double quotes by alternating Chinese quotes “ ” (campaign names are typed in ASCII). */
static void typeset_quotes(const char *in, char *out, size_t outlen)
{
    size_t n = 0;
    bool open = true;
    for (; *in != '\0' && n + 4 < outlen; ++in) {
        if (*in == '"') {
            memcpy(out + n, open ? "\xe2\x80\x9c" : "\xe2\x80\x9d", 3);
            n += 3;
            open = !open;
        } else {
            out[n++] = *in;
        }
    }
    out[n] = '\0';
}

static void format_dates(struct sg_date a, struct sg_date b, char *out, size_t outlen)
{
    if (a.y == b.y)
        snprintf(out, outlen, "活动时间：%d年%d月%d日 至 %d月%d日", a.y, a.m, a.d, b.m, b.d);
    else
        snprintf(out, outlen, "活动时间：%d年%d月%d日 至 %d年%d月%d日", a.y, a.m, a.d, b.y, b.m, b.d);
}

static void painter_init_fixed(struct painter *p, const struct sg_poster_config *cfg)
{
    char title[512], dates[160];
    const double inner = PAGE_W - 2 * MARGIN - 24;
    typeset_quotes(cfg->campaign_name, title, sizeof(title));
    format_dates(cfg->starts, cfg->ends, dates, sizeof(dates));
    set_fit(p->title = new_layout(p->cr, 27, PANGO_WEIGHT_BOLD, PANGO_ALIGN_CENTER), title, 27, inner);
    set_fit(p->headline = new_layout(p->cr, 56, PANGO_WEIGHT_HEAVY, PANGO_ALIGN_CENTER), "扫码报名", 56, inner);
    set_fit(p->tagline = new_layout(p->cr, 20, PANGO_WEIGHT_BOLD, PANGO_ALIGN_CENTER), "免费专车专列　送您返岗", 18,
            inner);
    set_fit(p->dates = new_layout(p->cr, 14, PANGO_WEIGHT_NORMAL, PANGO_ALIGN_CENTER), dates, 14, inner);
    set_fit(p->scan = new_layout(p->cr, 9, PANGO_WEIGHT_BOLD, PANGO_ALIGN_LEFT), "微信扫码报名", 9, 200);
    for (int i = 0; i != STEPS; ++i) {
        char digit[2] = {(char)('1' + i), '\0'};
        double col = (PAGE_W - 2 * MARGIN) / STEPS - 8;
        set_fit(p->words[i] = new_layout(p->cr, 26, PANGO_WEIGHT_BOLD, PANGO_ALIGN_CENTER), step_words[i], 26, col);
        p->notes[i] = new_layout(p->cr, 13, PANGO_WEIGHT_NORMAL, PANGO_ALIGN_CENTER);
        pango_layout_set_text(p->notes[i], step_notes[i], -1);
        set_fit(p->digits[i] = new_layout(p->cr, 17, PANGO_WEIGHT_HEAVY, PANGO_ALIGN_CENTER), digit, 17, 40);
    }
}

static void painter_init(struct painter *p, cairo_t *cr, const struct sg_poster_config *cfg)
{
    memset(p, 0, sizeof(*p));
    p->cr = cr;
    painter_init_fixed(p, cfg);
    p->place = new_layout(cr, 24, PANGO_WEIGHT_NORMAL, PANGO_ALIGN_CENTER);
    p->village = new_layout(cr, 52, PANGO_WEIGHT_HEAVY, PANGO_ALIGN_CENTER);
    p->link = new_layout(cr, 19, PANGO_WEIGHT_BOLD, PANGO_ALIGN_CENTER);
    p->contact = new_layout(cr, 20, PANGO_WEIGHT_BOLD, PANGO_ALIGN_CENTER);
    p->label_place = new_layout(cr, 8, PANGO_WEIGHT_NORMAL, PANGO_ALIGN_LEFT);
    p->label_village = new_layout(cr, 13, PANGO_WEIGHT_BOLD, PANGO_ALIGN_LEFT);
    pango_layout_set_wrap(p->label_village, PANGO_WRAP_WORD_CHAR);
    p->label_link = new_layout(cr, 6.5, PANGO_WEIGHT_NORMAL, PANGO_ALIGN_LEFT);
    pango_layout_set_wrap(p->label_link, PANGO_WRAP_CHAR);
}

static void painter_dispose(struct painter *p)
{
    PangoLayout *all[] = {p->title,   p->headline, p->tagline, p->dates,       p->scan,          p->place,
                          p->village, p->link,     p->contact, p->label_place, p->label_village, p->label_link};
    for (size_t i = 0; i != sizeof(all) / sizeof(all[0]); ++i)
        if (all[i] != NULL)
            g_object_unref(all[i]);
    for (int i = 0; i != STEPS; ++i) {
        if (p->words[i] != NULL)
            g_object_unref(p->words[i]);
        if (p->notes[i] != NULL)
            g_object_unref(p->notes[i]);
        if (p->digits[i] != NULL)
            g_object_unref(p->digits[i]);
    }
}

static void rounded_rect(cairo_t *cr, double x, double y, double w, double h, double r)
{
    cairo_new_sub_path(cr);
    cairo_arc(cr, x + w - r, y + r, r, -G_PI / 2, 0);
    cairo_arc(cr, x + w - r, y + h - r, r, 0, G_PI / 2);
    cairo_arc(cr, x + r, y + h - r, r, G_PI / 2, G_PI);
    cairo_arc(cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
    cairo_close_path(cr);
}

/* The red band: campaign name, 扫码报名, the promise. Noto CJK's line box is about 1.45 em
 * with the glyphs in its middle, so lines are pulled together a little. */
static double band_height(struct painter *p)
{
    double h_title = layout_height(p->title), h_head = layout_height(p->headline), h_tag = layout_height(p->tagline);
    return h_title + h_head + h_tag - 0.22 * h_head + 10;
}

static void draw_band(struct painter *p, double y)
{
    cairo_t *cr = p->cr;
    const double x = 10 * MM, w = PAGE_W - 20 * MM;
    set_rgb(cr, RED);
    rounded_rect(cr, x, y, w, band_height(p), 4 * MM);
    cairo_fill(cr);
    double cy = y + 6;
    show_at(cr, p->title, (const double[]){1, 1, 1}, PAGE_W / 2, cy, false);
    cy += layout_height(p->title) - 0.08 * layout_height(p->headline);
    show_at(cr, p->headline, (const double[]){1, 1, 1}, PAGE_W / 2, cy, false);
    cy += layout_height(p->headline) * 0.86;
    show_at(cr, p->tagline, GOLD, PAGE_W / 2, cy, false);
}

/* County and township on one line, then the village name as large as fits. Returns the y
 * below the village name's glyphs. */
static double draw_place(struct painter *p, const struct sg_poster_place *pl, double y)
{
    char line[400];
    snprintf(line, sizeof(line), "%s%s%s", pl->county ? pl->county : "", pl->county && pl->township ? "　" : "",
             pl->township ? pl->township : "");
    double max_w = PAGE_W - 2 * MARGIN;
    if (line[0] != '\0') {
        set_fit(p->place, line, 20, max_w);
        show_at(p->cr, p->place, GREY, PAGE_W / 2, y, false);
        y += layout_height(p->place) * 0.88;
    }
    set_fit(p->village, pl->village, 46, max_w);
    show_at(p->cr, p->village, INK, PAGE_W / 2, y, false);
    return y + layout_height(p->village) * 0.86;
}

/* The code, its dark modules QR_DARK wide, centred, dark area starting at y. */
static void draw_code(struct painter *p, const QRcode *code, double y)
{
    double module = QR_DARK / code->width, side = (code->width + 2 * SG_QR_QUIET) * module;
    sg__qr_draw_code(p->cr, code, (PAGE_W - side) / 2, y - SG_QR_QUIET * module, module);
}

/* A red disc with the step's digit, the step in large type, a short note below, chevrons
 * between. Returns the y below the notes. */
static double draw_steps(struct painter *p, double y)
{
    cairo_t *cr = p->cr;
    double col = (PAGE_W - 2 * MARGIN) / STEPS, r = 13;
    for (int i = 0; i != STEPS; ++i) {
        double cx = MARGIN + col * (i + 0.5);
        set_rgb(cr, RED);
        cairo_arc(cr, cx, y + r, r, 0, 2 * G_PI);
        cairo_fill(cr);
        show_at(cr, p->digits[i], (const double[]){1, 1, 1}, cx, y + r - layout_height(p->digits[i]) / 2, false);
        show_at(cr, p->words[i], INK, cx, y + 2 * r, false);
        show_at(cr, p->notes[i], GREY, cx, y + 2 * r + layout_height(p->words[i]) * 0.9, false);
        if (i + 1 != STEPS) { /* a chevron towards the next step */
            double ax = MARGIN + col * (i + 1), ay = y + r;
            set_rgb(cr, RED);
            cairo_move_to(cr, ax - 5, ay - 9);
            cairo_line_to(cr, ax + 5, ay);
            cairo_line_to(cr, ax - 5, ay + 9);
            cairo_set_line_width(cr, 3.5);
            cairo_stroke(cr);
        }
    }
    return y + 2 * r + layout_height(p->words[0]) * 0.9 + layout_height(p->notes[0]);
}

/* The whole poster of one village on the current page. The code's quiet zone is painted
 * white first: the line boxes of the text around it reach into it, their glyphs do not. */
static void draw_poster(struct painter *p, const struct sg_poster_place *pl, const QRcode *code, const char *url)
{
    cairo_t *cr = p->cr;
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    const double top = 10 * MM, qr_top = top + band_height(p) + 44 * MM;
    draw_code(p, code, qr_top);
    draw_band(p, top);
    draw_place(p, pl, top + band_height(p) + 3 * MM);
    double y = qr_top + QR_DARK + 5 * MM;
    const char *shown = strstr(url, "://") ? strstr(url, "://") + 3 : url;
    set_fit(p->link, shown, 19, PAGE_W - 2 * MARGIN);
    show_at(cr, p->link, INK, PAGE_W / 2, y, false);
    y = draw_steps(p, y + layout_height(p->link) + 1 * MM) + 1 * MM;
    char contact[400];
    if (pl->contact != NULL && pl->contact[0] != '\0')
        snprintf(contact, sizeof(contact), "本村联系人：%s", pl->contact);
    else
        snprintf(contact, sizeof(contact), "有问题请找村委会或驻村工作队");
    set_fit(p->contact, contact, 20, PAGE_W - 2 * MARGIN);
    show_at(cr, p->contact, RED, PAGE_W / 2, y, false);
    show_at(cr, p->dates, GREY, PAGE_W / 2, y + layout_height(p->contact) * 0.95, false);
}

/* Light dashed lines between the labels, for scissors on plain paper. */
static void draw_label_grid(cairo_t *cr)
{
    cairo_save(cr);
    cairo_set_source_rgb(cr, 0.75, 0.75, 0.75);
    cairo_set_line_width(cr, 0.4);
    cairo_set_dash(cr, (const double[]){3, 3}, 2, 0);
    for (int c = 1; c != SG_POSTER_LABEL_COLUMNS; ++c) {
        cairo_move_to(cr, c * LABEL_W, 0);
        cairo_line_to(cr, c * LABEL_W, PAGE_H);
    }
    for (int r = 1; r != SG_POSTER_LABEL_ROWS; ++r) {
        cairo_move_to(cr, 0, r * LABEL_H);
        cairo_line_to(cr, PAGE_W, r * LABEL_H);
    }
    cairo_stroke(cr);
    cairo_restore(cr);
}

/* One label in cell i of the page: the code on the left; township, village, hint and the
 * short link (no scheme, split after the host) on the right, each on its own lines. */
static void draw_label(struct painter *p, size_t i, const struct sg_poster_place *pl, const QRcode *code,
                       const char *url)
{
    cairo_t *cr = p->cr;
    double x = (double)(i % SG_POSTER_LABEL_COLUMNS) * LABEL_W, y = (double)(i / SG_POSTER_LABEL_COLUMNS) * LABEL_H;
    double side = LABEL_H - 4, module = side / (code->width + 2 * SG_QR_QUIET);
    sg__qr_draw_code(cr, code, x + 2, y + 2, module);
    double tx = x + side + 2, tw = LABEL_W - side - 8, ty = y + 6;
    pango_layout_set_width(p->label_place, (int)(tw * PANGO_SCALE));
    pango_layout_set_text(p->label_place, pl->township ? pl->township : "", -1);
    show_at(cr, p->label_place, GREY, tx, ty, true);
    ty += layout_height(p->label_place);
    pango_layout_set_width(p->label_village, (int)(tw * PANGO_SCALE));
    set_fit(p->label_village, pl->village, 13, 1e9);
    if (pango_layout_get_line_count(p->label_village) > 1)
        set_fit(p->label_village, pl->village, 11, 1e9);
    show_at(cr, p->label_village, INK, tx, ty, true);
    ty += layout_height(p->label_village) + 1;
    show_at(cr, p->scan, RED, tx, ty, true);
    const char *shown = strstr(url, "://") ? strstr(url, "://") + 3 : url, *path = strstr(shown, "/s/");
    char link[URL_MAX + 1];
    snprintf(link, sizeof(link), "%.*s\n%s", (int)(path - shown), shown, path);
    pango_layout_set_width(p->label_link, (int)(tw * PANGO_SCALE));
    pango_layout_set_text(p->label_link, link, -1);
    show_at(cr, p->label_link, GREY, tx, y + LABEL_H - 6 - layout_height(p->label_link), true);
}

static bool text_ok(const char *s, bool required)
{
    if (s == NULL)
        return !required;
    size_t n = strlen(s);
    return (!required || n > 0) && n < 300 && g_utf8_validate(s, (gssize)n, NULL);
}

/* Checks a place and builds its link into url[URL_MAX]. 0 or SG_EINVAL. */
static int place_url(const char *public_url, const struct sg_poster_place *pl, char url[URL_MAX])
{
    if (pl == NULL || pl->code == NULL || strlen(pl->code) != 12 || strspn(pl->code, "0123456789") != 12 ||
        !text_ok(pl->village, true) || !text_ok(pl->county, false) || !text_ok(pl->township, false) ||
        !text_ok(pl->contact, false))
        return SG_EINVAL;
    int n = snprintf(url, URL_MAX, "%s/s/%s", public_url, pl->code);
    return n > 0 && n < URL_MAX ? 0 : SG_EINVAL;
}

static bool config_ok(const struct sg_poster_config *cfg)
{
    return cfg != NULL && text_ok(cfg->public_url, true) && strlen(cfg->public_url) + 16 < URL_MAX &&
           text_ok(cfg->campaign_name, true) && sg_date_valid(cfg->starts) && sg_date_valid(cfg->ends);
}

static cairo_status_t on_pdf_write(void *closure, const unsigned char *data, unsigned int length)
{
    struct sg_poster_pdf *pdf = closure;
    if (pdf->write_failed || pdf->write(pdf->closure, data, length) != 0) {
        pdf->write_failed = true;
        return CAIRO_STATUS_WRITE_ERROR;
    }
    return CAIRO_STATUS_SUCCESS;
}

struct sg_poster_pdf *sg_poster_pdf_new(const struct sg_poster_config *cfg, enum sg_poster_layout layout,
                                        sg_poster_write_cb write, void *closure)
{
    if (!config_ok(cfg) || write == NULL || (layout != SG_POSTER_A4 && layout != SG_POSTER_LABELS))
        return NULL;
    struct sg_poster_pdf *pdf = calloc(1, sizeof(*pdf));
    if (pdf == NULL)
        abort();
    pdf->layout = layout;
    pdf->write = write;
    pdf->closure = closure;
    snprintf(pdf->public_url, sizeof(pdf->public_url), "%s", cfg->public_url);
    pdf->surface = cairo_pdf_surface_create_for_stream(on_pdf_write, pdf, PAGE_W, PAGE_H);
    char title[400];
    snprintf(title, sizeof(title), "%s %s", cfg->campaign_name, layout == SG_POSTER_A4 ? "扫码报名海报" : "扫码标签");
    cairo_pdf_surface_set_metadata(pdf->surface, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(pdf->surface, CAIRO_PDF_METADATA_CREATOR, "Songgong 送工");
    cairo_t *cr = cairo_create(pdf->surface);
    if (cairo_status(cr) == CAIRO_STATUS_NO_MEMORY)
        abort();
    painter_init(&pdf->painter, cr, cfg);
    return pdf;
}

static int page_status(struct sg_poster_pdf *pdf)
{
    return pdf->write_failed || cairo_status(pdf->painter.cr) != CAIRO_STATUS_SUCCESS ? SG_EIO : 0;
}

int sg_poster_pdf_add(struct sg_poster_pdf *pdf, const struct sg_poster_place *pl)
{
    char url[URL_MAX];
    QRcode *code;
    if (page_status(pdf) != 0)
        return SG_EIO;
    if (place_url(pdf->public_url, pl, url) != 0 || sg__qr_encode(url, &code) != 0)
        return SG_EINVAL;
    if (pdf->layout == SG_POSTER_A4) {
        draw_poster(&pdf->painter, pl, code, url);
        cairo_show_page(pdf->painter.cr);
        ++pdf->pages;
    } else {
        if (pdf->labels_on_page == 0) {
            draw_label_grid(pdf->painter.cr);
            ++pdf->pages;
        }
        draw_label(&pdf->painter, pdf->labels_on_page, pl, code, url);
        if (++pdf->labels_on_page == SG_POSTER_LABELS_PER_PAGE) {
            cairo_show_page(pdf->painter.cr);
            pdf->labels_on_page = 0;
        }
    }
    QRcode_free(code);
    return page_status(pdf);
}

size_t sg_poster_pdf_pages(const struct sg_poster_pdf *pdf)
{
    return pdf->pages;
}

static int close_pdf(struct sg_poster_pdf *pdf)
{
    painter_dispose(&pdf->painter);
    cairo_destroy(pdf->painter.cr);
    cairo_surface_finish(pdf->surface);
    int ret = pdf->write_failed || cairo_surface_status(pdf->surface) != CAIRO_STATUS_SUCCESS ? SG_EIO : 0;
    cairo_surface_destroy(pdf->surface);
    free(pdf);
    return ret;
}

int sg_poster_pdf_finish(struct sg_poster_pdf *pdf)
{
    if (pdf->labels_on_page != 0)
        cairo_show_page(pdf->painter.cr);
    return close_pdf(pdf);
}

void sg_poster_pdf_free(struct sg_poster_pdf *pdf)
{
    if (pdf == NULL)
        return;
    pdf->write_failed = true; /* finishing the surface writes the trailer: drop it */
    close_pdf(pdf);
}

struct png_sink {
    sg_poster_write_cb write;
    void *closure;
};

static cairo_status_t on_png_write(void *closure, const unsigned char *data, unsigned int length)
{
    struct png_sink *sink = closure;
    return sink->write(sink->closure, data, length) == 0 ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

int sg_poster_png(const struct sg_poster_config *cfg, const struct sg_poster_place *pl, double dpi,
                  sg_poster_write_cb write, void *closure)
{
    char url[URL_MAX];
    QRcode *code;
    if (!config_ok(cfg) || write == NULL || !(dpi >= 36 && dpi <= 600) || place_url(cfg->public_url, pl, url) != 0 ||
        sg__qr_encode(url, &code) != 0)
        return SG_EINVAL;
    cairo_surface_t *surface =
        cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)(PAGE_W * dpi / 72 + 0.5), (int)(PAGE_H * dpi / 72 + 0.5));
    cairo_t *cr = cairo_create(surface);
    struct painter p;
    int ret = SG_ENOMEM;
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        goto Exit;
    cairo_scale(cr, dpi / 72, dpi / 72);
    painter_init(&p, cr, cfg); /* after scaling: pango lays out for the device resolution */
    draw_poster(&p, pl, code, url);
    painter_dispose(&p);
    cairo_surface_flush(surface);
    struct png_sink sink = {write, closure};
    cairo_status_t st = cairo_surface_write_to_png_stream(surface, on_png_write, &sink);
    ret = st == CAIRO_STATUS_SUCCESS ? 0 : st == CAIRO_STATUS_NO_MEMORY ? SG_ENOMEM : SG_EIO;
Exit:
    QRcode_free(code);
    cairo_destroy(cr);
    cairo_surface_destroy(surface);
    return ret;
}

void sg_poster_release_caches(void)
{
    /* Only pango's default font map: cairo_debug_reset_static_data() and FcFini() would
     * also empty cairo's and fontconfig's caches, but cairo asserts (and aborts the
     * process) when a font it cached is still referenced at that moment, which pango's
     * own lazily freed objects made happen now and then. What stays is reachable from
     * those libraries' globals: not a leak. */
    pango_cairo_font_map_set_default(NULL);
}

struct sg_poster_place sg_poster_place_of(const struct sg_divisions *ds, const struct sg_division *v,
                                          const char *contact)
{
    const struct sg_division *path[SG_LEVELS];
    struct sg_poster_place pl = {.code = v->code, .village = v->name, .contact = contact};
    size_t n = sg_divisions_path(ds, v, path);
    for (size_t i = 0; i != n; ++i) {
        if (path[i]->level == SG_LEVEL_COUNTY)
            pl.county = path[i]->name;
        else if (path[i]->level == SG_LEVEL_TOWNSHIP)
            pl.township = path[i]->name;
    }
    return pl;
}
