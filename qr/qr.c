/* SPDX-License-Identifier: MIT */
/* QR codes of sign-up links: PNG bytes through a cairo image surface, a hand-written SVG
 * document, and rectangles drawn into a caller's cairo context. The only file that includes
 * qrencode.h. Everything is built in memory; nothing here touches files or logs. */
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cairo.h>
#include <qrencode.h>
#include "domain/err.h"
#include "qr/qr.h"
#include "qr/internal.h"

/* cairo refuses image surfaces wider than this. */
#define SG_QR_MAX_PX 32767

struct buf {
    unsigned char *bytes;
    size_t len, cap;
};

static int buf_append(struct buf *b, const void *data, size_t len)
{
    if (len > b->cap - b->len) {
        size_t cap = b->cap ? b->cap : 1024;
        while (len > cap - b->len)
            cap *= 2;
        unsigned char *bytes = realloc(b->bytes, cap);
        if (bytes == NULL)
            return SG_ENOMEM;
        b->bytes = bytes;
        b->cap = cap;
    }
    memcpy(b->bytes + b->len, data, len);
    b->len += len;
    return 0;
}

static int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int buf_printf(struct buf *b, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    /* Only short fragments (numbers, path commands) go through here. */
    assert(n >= 0 && (size_t)n < sizeof(tmp));
    return buf_append(b, tmp, (size_t)n);
}

/* libqrencode keeps static state while it encodes: one encode at a time in the process
 * (the server's event loops, the offload worker and the poster writer all come here). */
static pthread_mutex_t encode_lock = PTHREAD_MUTEX_INITIALIZER;

int sg__qr_encode(const char *text, QRcode **code)
{
    if (text == NULL || text[0] == '\0')
        return SG_EINVAL;
    pthread_mutex_lock(&encode_lock);
    errno = 0;
    *code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    int err = errno;
    pthread_mutex_unlock(&encode_lock);
    if (*code == NULL)
        return err == ENOMEM ? SG_ENOMEM : SG_EINVAL; /* ERANGE: too long for version 40 */
    return 0;
}

/* Finds the first dark module at or after *x in row y, stores its column in *x and returns
 * the length of the dark run starting there, or 0 when the row has no more dark modules. */
static int next_run(const QRcode *code, int y, int *x)
{
    const unsigned char *row = code->data + (size_t)y * (size_t)code->width;
    int start = *x, end;
    while (start < code->width && !(row[start] & 1))
        ++start;
    for (end = start; end < code->width && (row[end] & 1); ++end)
        ;
    *x = start;
    return end - start;
}

static bool dark(const QRcode *code, int x, int y)
{
    return x >= 0 && y >= 0 && x < code->width && y < code->width && (code->data[y * code->width + x] & 1);
}

/* Directions on the lattice of module corners, clockwise in y-down coordinates. */
static const int DX[4] = {1, 0, -1, 0}, DY[4] = {0, 1, 0, -1};

/* Bit d of edges[corner] for every boundary edge leaving that corner in direction d, oriented
 * so that the dark module lies on its right: each dark region's outline runs clockwise and
 * each hole's anticlockwise, which the winding rule fills correctly. */
static void find_edges(const QRcode *code, unsigned char *edges)
{
    int n = code->width + 1;
    for (int y = 0; y < code->width; ++y) {
        for (int x = 0; x < code->width; ++x) {
            if (!dark(code, x, y))
                continue;
            if (!dark(code, x, y - 1))
                edges[y * n + x] |= 1 << 0; /* top, rightwards */
            if (!dark(code, x + 1, y))
                edges[y * n + x + 1] |= 1 << 1; /* right side, downwards */
            if (!dark(code, x, y + 1))
                edges[(y + 1) * n + x + 1] |= 1 << 2; /* bottom, leftwards */
            if (!dark(code, x - 1, y))
                edges[(y + 1) * n + x] |= 1 << 3; /* left side, upwards */
        }
    }
}

/* Follow the edges from corner (x, y) until back there, adding a line only where the
 * direction changes. At a corner where two dark modules touch diagonally two edges leave;
 * turning right first keeps such modules' outlines apart. */
static void trace_outline(cairo_t *cr, unsigned char *edges, int n, int x, int y, double ox, double oy, double m)
{
    int sx = x, sy = y, d = 0;
    while (!(edges[y * n + x] & (1 << d)))
        ++d;
    cairo_move_to(cr, ox + x * m, oy + y * m);
    do {
        edges[y * n + x] &= (unsigned char)~(1 << d);
        x += DX[d];
        y += DY[d];
        unsigned char out = edges[y * n + x];
        int next = (out & (1 << ((d + 1) & 3))) ? (d + 1) & 3 : (out & (1 << d)) ? d : (d + 3) & 3;
        if (next != d && !(x == sx && y == sy))
            cairo_line_to(cr, ox + x * m, oy + y * m);
        d = next;
    } while (!(x == sx && y == sy));
    cairo_close_path(cr);
}

/* White square including the quiet zone, then the outlines of the dark regions as one path:
 * no seams between abutting modules, and a third fewer points than one rectangle per run,
 * which is what makes a PDF of thousands of posters fast (cairo prints every coordinate). */
void sg__qr_draw_code(cairo_t *cr, const QRcode *code, double x, double y, double module)
{
    int side = code->width + 2 * SG_QR_QUIET, n = code->width + 1;
    unsigned char *edges = calloc((size_t)n * (size_t)n, 1);
    if (edges == NULL)
        abort();
    find_edges(code, edges);
    cairo_save(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, x, y, side * module, side * module);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
    double ox = x + SG_QR_QUIET * module, oy = y + SG_QR_QUIET * module;
    for (int cy = 0; cy < n; ++cy)
        for (int cx = 0; cx < n; ++cx)
            while (edges[cy * n + cx] != 0)
                trace_outline(cr, edges, n, cx, cy, ox, oy, module);
    cairo_fill(cr);
    cairo_restore(cr);
    free(edges);
}

static cairo_status_t on_png_write(void *closure, const unsigned char *data, unsigned int length)
{
    return buf_append(closure, data, length) == 0 ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_NO_MEMORY;
}

static int render_png(const QRcode *code, unsigned min_px, struct buf *png)
{
    unsigned side = (unsigned)code->width + 2 * SG_QR_QUIET;
    unsigned scale = min_px > side ? (min_px + side - 1) / side : 1;
    if (scale > SG_QR_MAX_PX / side)
        return SG_EINVAL;
    int px = (int)(side * scale), ret = SG_ENOMEM;
    cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, px, px);
    cairo_t *cr = cairo_create(surface);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        goto Exit;
    /* Whole pixels per module: every edge falls on a pixel boundary, no grey pixels. */
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
    sg__qr_draw_code(cr, code, 0, 0, scale);
    cairo_surface_flush(surface);
    cairo_status_t st = cairo_surface_write_to_png_stream(surface, on_png_write, png);
    if (st != CAIRO_STATUS_SUCCESS) {
        ret = st == CAIRO_STATUS_NO_MEMORY ? SG_ENOMEM : SG_EIO;
        goto Exit;
    }
    ret = 0;
Exit:
    cairo_destroy(cr);
    cairo_surface_destroy(surface);
    return ret;
}

int sg_qr_png(const char *text, unsigned min_px, unsigned char **out, size_t *outlen)
{
    QRcode *code;
    struct buf png = {0};
    int ret = sg__qr_encode(text, &code);
    if (ret != 0)
        return ret;
    ret = render_png(code, min_px, &png);
    QRcode_free(code);
    if (ret != 0) {
        free(png.bytes);
        return ret;
    }
    *out = png.bytes;
    *outlen = png.len;
    return 0;
}

static int render_svg(const QRcode *code, struct buf *svg)
{
    int side = code->width + 2 * SG_QR_QUIET;
    int ret =
        buf_printf(svg,
                   "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                   "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" shape-rendering=\"crispEdges\">\n",
                   side, side);
    if (ret == 0)
        ret = buf_printf(svg, "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n<path fill=\"#000\" d=\"", side, side);
    for (int row = 0; ret == 0 && row < code->width; ++row) {
        for (int col = 0, n; ret == 0 && (n = next_run(code, row, &col)) > 0; col += n)
            ret = buf_printf(svg, "M%d %dh%dv1h-%dz", col + SG_QR_QUIET, row + SG_QR_QUIET, n, n);
    }
    if (ret == 0)
        ret = buf_printf(svg, "\"/>\n</svg>\n");
    if (ret == 0) {
        ret = buf_append(svg, "", 1); /* a terminator for callers that treat it as a string */
        svg->len--;
    }
    return ret;
}

int sg_qr_svg(const char *text, unsigned char **out, size_t *outlen)
{
    QRcode *code;
    struct buf svg = {0};
    int ret = sg__qr_encode(text, &code);
    if (ret != 0)
        return ret;
    ret = render_svg(code, &svg);
    QRcode_free(code);
    if (ret != 0) {
        free(svg.bytes);
        return ret;
    }
    *out = svg.bytes;
    *outlen = svg.len;
    return 0;
}

int sg_qr_draw(void *cr, const char *text, double x, double y, double size)
{
    QRcode *code;
    if (cr == NULL || !(size > 0) || cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        return SG_EINVAL;
    /* The header promises 0 or SG_EINVAL only; an encoder out of memory counts as failure. */
    if (sg__qr_encode(text, &code) != 0)
        return SG_EINVAL;
    sg__qr_draw_code(cr, code, x, y, size / (code->width + 2 * SG_QR_QUIET));
    QRcode_free(code);
    return 0;
}
