/* SPDX-License-Identifier: MIT */
/* Unit tests of qr/qr.c: the PNG, the SVG and the cairo drawing each decode back to the exact
 * text with zbarimg (the SVG after rendering with rsvg-convert). Files go to a temporary
 * directory that is removed when every test passed and kept for inspection otherwise. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cairo.h>
#include "domain/err.h"
#include "qr/qr.h"
#include "test.h"

#define URL "http://127.0.0.1:8080/s/450102001001"

static char tmpdir[] = "/tmp/sg-qr-XXXXXX";

static const char *path_of(const char *name)
{
    static char path[4][256];
    static int next;
    char *p = path[next++ % 4];
    int n = snprintf(p, sizeof(path[0]), "%s/%s", tmpdir, name);
    ASSERT(n > 0 && (size_t)n < sizeof(path[0]));
    return p;
}

static void write_file(const char *path, const unsigned char *bytes, size_t len)
{
    FILE *f = fopen(path, "wb");
    ASSERT(f != NULL);
    ASSERT_EQ(fwrite(bytes, 1, len, f), len);
    ASSERT_EQ(fclose(f), 0);
}

/* Runs cmd and returns its standard output without the trailing newline; fails the test
 * when the command exits non-zero. */
static const char *run(const char *cmd)
{
    static char out[4096];
    FILE *p = popen(cmd, "r");
    ASSERT(p != NULL);
    size_t n = fread(out, 1, sizeof(out) - 1, p);
    int status = pclose(p);
    if (status != 0)
        SG_FAIL("command failed (status %d): %s", status, cmd);
    out[n] = '\0';
    while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r'))
        out[--n] = '\0';
    return out;
}

static const char *zbar_decode(const char *png_path)
{
    char cmd[512];
    int n = snprintf(cmd, sizeof(cmd), "zbarimg --raw --nodbus -q '%s'", png_path);
    ASSERT(n > 0 && (size_t)n < sizeof(cmd));
    return run(cmd);
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Modules a side, quiet zone included, read back from the SVG's viewBox. */
static long svg_side(const char *text)
{
    unsigned char *svg;
    size_t len;
    ASSERT_EQ(sg_qr_svg(text, &svg, &len), 0);
    const char *vb = strstr((const char *)svg, "viewBox=\"0 0 ");
    ASSERT(vb != NULL);
    char *end;
    long side = strtol(vb + strlen("viewBox=\"0 0 "), &end, 10);
    ASSERT(*end == ' ');
    free(svg);
    return side;
}

static void check_png(const char *text, const char *name)
{
    unsigned char *png;
    size_t len;
    ASSERT_EQ(sg_qr_png(text, 600, &png, &len), 0);
    ASSERT(len > 33);
    ASSERT(memcmp(png, "\x89PNG\r\n\x1a\n", 8) == 0);
    ASSERT(memcmp(png + 12, "IHDR", 4) == 0);
    uint32_t w = be32(png + 16), h = be32(png + 20);
    ASSERT(w >= 600);
    ASSERT_EQ(w, h);
    long side = svg_side(text);
    ASSERT_EQ(w % side, 0);                       /* whole pixels per module */
    ASSERT_EQ(w / side, (600 + side - 1) / side); /* and no more than needed */
    write_file(path_of(name), png, len);
    ASSERT_STREQ(zbar_decode(path_of(name)), text);
    free(png);
}

static void test_png(void)
{
    check_png(URL, "url.png");
    check_png("HTTP://Example.TEST/s/AbCdE", "case.png"); /* 8-bit mode keeps the case */
}

static void test_svg(void)
{
    unsigned char *svg;
    size_t len;
    ASSERT_EQ(sg_qr_svg(URL, &svg, &len), 0);
    const char *s = (const char *)svg;
    ASSERT_EQ(strlen(s), len);
    ASSERT(strncmp(s, "<?xml", 5) == 0);
    ASSERT(strstr(s, "<svg xmlns=\"http://www.w3.org/2000/svg\"") != NULL);
    ASSERT(strstr(s, "shape-rendering=\"crispEdges\"") != NULL);
    const char *path = strstr(s, "<path");
    ASSERT(path != NULL);
    ASSERT(strstr(path + 1, "<path") == NULL);
    ASSERT(strcmp(s + len - 7, "</svg>\n") == 0);
    write_file(path_of("url.svg"), svg, len);
    free(svg);

    char cmd[512];
    long px = svg_side(URL) * 10;
    int n = snprintf(cmd, sizeof(cmd), "rsvg-convert -w %ld -h %ld -o '%s' '%s'", px, px, path_of("svg.png"),
                     path_of("url.svg"));
    ASSERT(n > 0 && (size_t)n < sizeof(cmd));
    run(cmd);
    ASSERT_STREQ(zbar_decode(path_of("svg.png")), URL);
}

static uint32_t pixel(cairo_surface_t *s, int x, int y)
{
    const unsigned char *data = cairo_image_surface_get_data(s);
    const uint32_t *row = (const uint32_t *)(data + (size_t)y * cairo_image_surface_get_stride(s));
    return row[x] & 0xffffff;
}

static void test_draw(void)
{
    /* A grey page shows that the quiet zone is painted white, and an offset, fractional
     * module size shows that the code survives antialiased edges. */
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 400, 420);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 0.5, 0.5, 0.5);
    cairo_paint(cr);
    cairo_surface_flush(s);
    uint32_t grey = pixel(s, 0, 0);
    ASSERT_EQ(sg_qr_draw(cr, URL, 17.5, 33.25, 350.7), 0);
    ASSERT_EQ(cairo_status(cr), CAIRO_STATUS_SUCCESS);
    cairo_surface_flush(s);
    ASSERT_EQ(pixel(s, 20, 36), 0xffffff);
    ASSERT_EQ(pixel(s, 10, 10), grey);
    ASSERT_EQ(pixel(s, 390, 400), grey);
    ASSERT_EQ(cairo_surface_write_to_png(s, path_of("draw.png")), CAIRO_STATUS_SUCCESS);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    ASSERT_STREQ(zbar_decode(path_of("draw.png")), URL);
}

static void test_errors(void)
{
    unsigned char *out = NULL;
    size_t len = 0;
    char long_text[3001];
    memset(long_text, 'a', sizeof(long_text) - 1);
    long_text[sizeof(long_text) - 1] = '\0';

    ASSERT_EQ(sg_qr_png("", 600, &out, &len), SG_EINVAL);
    ASSERT_EQ(sg_qr_png(NULL, 600, &out, &len), SG_EINVAL);
    ASSERT_EQ(sg_qr_png(long_text, 600, &out, &len), SG_EINVAL); /* beyond version 40-M */
    ASSERT_EQ(sg_qr_png(URL, 100000, &out, &len), SG_EINVAL);    /* beyond cairo's limit */
    ASSERT_EQ(sg_qr_svg("", &out, &len), SG_EINVAL);
    ASSERT_EQ(sg_qr_svg(long_text, &out, &len), SG_EINVAL);
    ASSERT(out == NULL);

    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 10, 10);
    cairo_t *cr = cairo_create(s);
    ASSERT_EQ(sg_qr_draw(NULL, URL, 0, 0, 10), SG_EINVAL);
    ASSERT_EQ(sg_qr_draw(cr, URL, 0, 0, 0), SG_EINVAL);
    ASSERT_EQ(sg_qr_draw(cr, "", 0, 0, 10), SG_EINVAL);
    cairo_destroy(cr);
    cairo_surface_destroy(s);

    /* min_px 0 still gives one pixel per module. */
    ASSERT_EQ(sg_qr_png(URL, 0, &out, &len), 0);
    ASSERT_EQ(be32(out + 16), svg_side(URL));
    free(out);
}

static void remove_tmpdir(void)
{
    const char *names[] = {"url.png", "case.png", "url.svg", "svg.png", "draw.png"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); ++i)
        unlink(path_of(names[i]));
    ASSERT_EQ(rmdir(tmpdir), 0);
}

int main(void)
{
    ASSERT(mkdtemp(tmpdir) != NULL);
    RUN(test_png);
    RUN(test_svg);
    RUN(test_draw);
    RUN(test_errors);
    remove_tmpdir();
    TEST_DONE();
}
