/* SPDX-License-Identifier: MIT */
/* Unit tests of qr/poster.c through its API: pages are written as they are added (streaming),
 * page counts (pdfinfo), label pages of 24, a PNG poster that decodes (zbarimg), bad input
 * refused without spoiling the document, write errors reported, abandoning writes nothing.
 * Needs pdfinfo (poppler-utils), zbarimg (zbar-tools) and fonts-noto-cjk. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "domain/err.h"
#include "qr/poster.h"
#include "test.h"

#define BASE "https://sg.example.cn"

static char tmpdir[] = "/tmp/sg-poster-XXXXXX";

struct sink {
    unsigned char *bytes;
    size_t len, cap, calls;
    int fail; /* nonzero: refuse writes */
};

static int on_write(void *closure, const unsigned char *data, size_t len)
{
    struct sink *s = closure;
    ++s->calls;
    if (s->fail)
        return -1;
    if (s->len + len > s->cap) {
        s->cap = (s->len + len) * 2;
        s->bytes = realloc(s->bytes, s->cap);
        ASSERT(s->bytes != NULL);
    }
    memcpy(s->bytes + s->len, data, len);
    s->len += len;
    return 0;
}

static const struct sg_poster_config cfg = {BASE, "2027年春节后\"点对点\"返岗", {2027, 1, 1}, {2027, 3, 31}};

static struct sg_poster_place place(int i)
{
    static char codes[64][13];
    snprintf(codes[i % 64], sizeof(codes[0]), "450225101%03d", 201 + (i & 63));
    return (struct sg_poster_place){codes[i % 64], "融水苗族自治县", "和睦镇", "古顶村委会",
                                    i % 2 ? "韦主任 13800000000" : NULL};
}

static const char *save(const struct sink *s, const char *name)
{
    static char path[256];
    snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    ASSERT(f != NULL);
    ASSERT_EQ(fwrite(s->bytes, 1, s->len, f), s->len);
    ASSERT_EQ(fclose(f), 0);
    return path;
}

static const char *run(const char *fmt, const char *arg)
{
    static char out[4096];
    char cmd[512];
    snprintf(cmd, sizeof(cmd), fmt, arg);
    FILE *p = popen(cmd, "r");
    ASSERT(p != NULL);
    size_t n = fread(out, 1, sizeof(out) - 1, p);
    int status = pclose(p);
    if (status != 0)
        SG_FAIL("command failed (status %d): %s", status, cmd);
    out[n] = '\0';
    while (n > 0 && out[n - 1] == '\n')
        out[--n] = '\0';
    return out;
}

static long pdf_pages(const char *path)
{
    return strtol(run("pdfinfo '%s' | sed -n 's/^Pages: *//p'", path), NULL, 10);
}

static void test_streams_page_by_page(void)
{
    struct sink s = {0};
    struct sg_poster_pdf *pdf = sg_poster_pdf_new(&cfg, SG_POSTER_A4, on_write, &s);
    ASSERT(pdf != NULL);
    ASSERT_EQ(s.len, 0);
    size_t before = 0;
    for (int i = 0; i != 3; ++i) {
        struct sg_poster_place pl = place(i);
        ASSERT_EQ(sg_poster_pdf_add(pdf, &pl), 0);
        ASSERT(s.len > before); /* the page went out before add returned */
        before = s.len;
    }
    ASSERT_EQ(sg_poster_pdf_pages(pdf), 3);
    ASSERT_EQ(sg_poster_pdf_finish(pdf), 0);
    ASSERT(s.len > before); /* fonts and trailer */
    ASSERT(memcmp(s.bytes, "%PDF-", 5) == 0);
    ASSERT_EQ(pdf_pages(save(&s, "three.pdf")), 3);
    free(s.bytes);
}

static void test_labels_24_per_page(void)
{
    struct sink s = {0};
    struct sg_poster_pdf *pdf = sg_poster_pdf_new(&cfg, SG_POSTER_LABELS, on_write, &s);
    ASSERT(pdf != NULL);
    for (int i = 0; i != SG_POSTER_LABELS_PER_PAGE + 1; ++i) {
        struct sg_poster_place pl = place(i);
        ASSERT_EQ(sg_poster_pdf_add(pdf, &pl), 0);
    }
    ASSERT_EQ(sg_poster_pdf_pages(pdf), 2);
    ASSERT_EQ(sg_poster_pdf_finish(pdf), 0);
    ASSERT_EQ(pdf_pages(save(&s, "labels.pdf")), 2);
    free(s.bytes);
}

static void test_bad_places_leave_the_document_usable(void)
{
    struct sink s = {0};
    struct sg_poster_pdf *pdf = sg_poster_pdf_new(&cfg, SG_POSTER_A4, on_write, &s);
    struct sg_poster_place pl = place(0);
    pl.code = "45022510120"; /* 11 digits */
    ASSERT_EQ(sg_poster_pdf_add(pdf, &pl), SG_EINVAL);
    pl = place(0);
    pl.village = NULL;
    ASSERT_EQ(sg_poster_pdf_add(pdf, &pl), SG_EINVAL);
    pl = place(0);
    pl.contact = "\xff\xfe not UTF-8";
    ASSERT_EQ(sg_poster_pdf_add(pdf, &pl), SG_EINVAL);
    ASSERT_EQ(sg_poster_pdf_add(pdf, NULL), SG_EINVAL);
    pl = place(0);
    ASSERT_EQ(sg_poster_pdf_add(pdf, &pl), 0);
    ASSERT_EQ(sg_poster_pdf_finish(pdf), 0);
    ASSERT_EQ(pdf_pages(save(&s, "one.pdf")), 1);
    free(s.bytes);
}

static void test_bad_config(void)
{
    struct sink s = {0};
    struct sg_poster_config c = cfg;
    c.public_url = NULL;
    ASSERT(sg_poster_pdf_new(&c, SG_POSTER_A4, on_write, &s) == NULL);
    c = cfg;
    c.ends = (struct sg_date){2027, 2, 30};
    ASSERT(sg_poster_pdf_new(&c, SG_POSTER_A4, on_write, &s) == NULL);
    ASSERT(sg_poster_pdf_new(&cfg, (enum sg_poster_layout)7, on_write, &s) == NULL);
    ASSERT(sg_poster_pdf_new(&cfg, SG_POSTER_A4, NULL, &s) == NULL);
    ASSERT_EQ(s.calls, 0);
}

static void test_write_error_and_abandon(void)
{
    struct sink s = {.fail = 1};
    struct sg_poster_pdf *pdf = sg_poster_pdf_new(&cfg, SG_POSTER_A4, on_write, &s);
    struct sg_poster_place pl = place(0);
    ASSERT_EQ(sg_poster_pdf_add(pdf, &pl), SG_EIO);
    ASSERT_EQ(sg_poster_pdf_add(pdf, &pl), SG_EIO);
    ASSERT_EQ(sg_poster_pdf_finish(pdf), SG_EIO);

    struct sink t = {0};
    pdf = sg_poster_pdf_new(&cfg, SG_POSTER_A4, on_write, &t);
    ASSERT_EQ(sg_poster_pdf_add(pdf, &pl), 0);
    size_t calls = t.calls;
    sg_poster_pdf_free(pdf); /* the client went away: no trailer */
    ASSERT_EQ(t.calls, calls);
    sg_poster_pdf_free(NULL);
    free(t.bytes);
}

static void test_png_decodes(void)
{
    struct sink s = {0};
    struct sg_poster_place pl = place(3);
    ASSERT_EQ(sg_poster_png(&cfg, &pl, 100, on_write, &s), 0);
    ASSERT(memcmp(s.bytes, "\x89PNG", 4) == 0);
    ASSERT_STREQ(run("zbarimg --raw --nodbus -q '%s'", save(&s, "poster.png")), BASE "/s/450225101204");
    ASSERT_EQ(sg_poster_png(&cfg, &pl, 10, on_write, &s), SG_EINVAL);
    free(s.bytes);
}

int main(void)
{
    ASSERT(mkdtemp(tmpdir) != NULL);
    RUN(test_streams_page_by_page);
    RUN(test_labels_24_per_page);
    RUN(test_bad_places_leave_the_document_usable);
    RUN(test_bad_config);
    RUN(test_write_error_and_abandon);
    RUN(test_png_decodes);
    sg_poster_release_caches();
    run("rm -rf '%s'", tmpdir); /* kept when a test failed: exit() comes first */
    TEST_DONE();
}
