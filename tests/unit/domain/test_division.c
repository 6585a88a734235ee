/* SPDX-License-Identifier: MIT */
/* Tests of domain/division.c: parsing, lookup, paths, scope ranges, bad lines. */
#include <time.h>
#include "test.h"
#include "domain/division.h"
#include "domain/err.h"

/* sg_divisions_parse takes a malloc'ed buffer without a trailing NUL. */
static struct sg_divisions *parse(const char *text, bool allow_orphans, size_t *bad_line)
{
    size_t len = strlen(text);
    char *buf = malloc(len == 0 ? 1 : len);
    memcpy(buf, text, len);
    return sg_divisions_parse(buf, len, allow_orphans, bad_line);
}

static const char guangxi[] = "# code\tname\n"
                              "450102001001\t新竹社区\n"
                              "45\t广西壮族自治区\n"
                              "4501\t南宁市\r\n"
                              "\n"
                              "450102\t兴宁区\n"
                              "450102001\t民生街道\n"
                              "450102001002\t民乐社区\n"
                              "4502\t柳州市\n"
                              "450103\t青秀区\n"
                              "450103001\t新竹街道\n"
                              "450103001001\t某村\n"
                              "44\t广东省\n"
                              "4419\t东莞市"; /* no final newline */

static void test_levels(void)
{
    ASSERT_EQ(sg_level_code_len(SG_LEVEL_PROVINCE), 2);
    ASSERT_EQ(sg_level_code_len(SG_LEVEL_VILLAGE), 12);
    ASSERT_EQ(sg_level_code_len(5), 0);
    ASSERT_EQ(sg_level_from_len(9), SG_LEVEL_TOWNSHIP);
    ASSERT_EQ(sg_level_from_len(3), -1);
    ASSERT_STREQ(sg_level_name(SG_LEVEL_COUNTY), "county");
    ASSERT_STREQ(sg_level_name(SG_LEVEL_VILLAGE), "village");
}

static void test_parse_find(void)
{
    size_t bad = 99;
    struct sg_divisions *ds = parse(guangxi, false, &bad);
    ASSERT(ds != NULL);
    ASSERT_EQ(bad, 0);
    ASSERT_EQ(sg_divisions_count(ds), 12);
    ASSERT_STREQ(sg_divisions_at(ds, 0)->code, "44");
    ASSERT_STREQ(sg_divisions_at(ds, 1)->code, "4419");
    ASSERT_STREQ(sg_divisions_at(ds, 2)->code, "45");
    ASSERT_STREQ(sg_divisions_at(ds, 11)->code, "4502");
    for (size_t i = 1; i < sg_divisions_count(ds); ++i)
        ASSERT(strcmp(sg_divisions_at(ds, i - 1)->code, sg_divisions_at(ds, i)->code) < 0);
    const struct sg_division *d = sg_divisions_find(ds, "4501", 4);
    ASSERT(d != NULL);
    ASSERT_STREQ(d->name, "南宁市"); /* CR stripped */
    ASSERT_EQ(d->level, SG_LEVEL_CITY);
    ASSERT_EQ(d->len, 4);
    ASSERT_STREQ(sg_divisions_find(ds, "4419", 4)->name, "东莞市");
    d = sg_divisions_find(ds, "450102001001xyz", 9); /* not NUL-terminated */
    ASSERT(d != NULL);
    ASSERT_STREQ(d->name, "民生街道");
    ASSERT_EQ(sg_divisions_index(ds, d), 5);
    ASSERT(sg_divisions_find(ds, "4503", 4) == NULL);
    ASSERT(sg_divisions_find(ds, "450", 3) == NULL);
    ASSERT(sg_divisions_find(ds, "", 0) == NULL);
    ASSERT(sg_divisions_find(ds, "4", 1) == NULL);
    ASSERT(sg_divisions_find(ds, "450102001003", 12) == NULL);
    ASSERT(sg_divisions_at(ds, 12) == NULL);
    sg_divisions_free(ds);
}

/* Found by fuzz_routes: a path's bytes may hold a NUL (h2o decodes %00), and the bytes
 * before it must not find the shorter code ("/api/divisions/4501%00%23" is no city). */
static void test_find_nul(void)
{
    size_t bad = 0;
    struct sg_divisions *ds = parse(guangxi, false, &bad);
    ASSERT(ds != NULL);
    ASSERT(sg_divisions_find(ds, "4501\0#", 6) == NULL);
    ASSERT(sg_divisions_find(ds, "450102001\0xy", 12) == NULL);
    ASSERT(sg_divisions_find(ds, "45\0\0", 4) == NULL);
    ASSERT(sg_divisions_find(ds, "4501\0#", 4) != NULL); /* len says where the code ends */
    sg_divisions_free(ds);
}

static void test_path_range(void)
{
    struct sg_divisions *ds = parse(guangxi, false, NULL);
    const struct sg_division *path[SG_LEVELS];
    const struct sg_division *v = sg_divisions_find(ds, "450102001002", 12);
    ASSERT_EQ(sg_divisions_path(ds, v, path), 5);
    ASSERT_STREQ(path[0]->code, "45");
    ASSERT_STREQ(path[1]->code, "4501");
    ASSERT_STREQ(path[2]->code, "450102");
    ASSERT_STREQ(path[3]->code, "450102001");
    ASSERT(path[4] == v);
    ASSERT_EQ(sg_divisions_path(ds, sg_divisions_find(ds, "45", 2), path), 1);
    size_t b, e;
    ASSERT_EQ(sg_divisions_range(ds, "4501", &b, &e), 0);
    ASSERT_STREQ(sg_divisions_at(ds, b)->code, "4501");
    ASSERT_EQ(e - b, 8);
    ASSERT_STREQ(sg_divisions_at(ds, e)->code, "4502");
    ASSERT_EQ(sg_divisions_range(ds, "45", &b, &e), 0);
    ASSERT_EQ(b, 2);
    ASSERT_EQ(e, 12);
    ASSERT_EQ(sg_divisions_range(ds, "44", &b, &e), 0);
    ASSERT_EQ(b, 0);
    ASSERT_EQ(e, 2);
    ASSERT_EQ(sg_divisions_range(ds, "450102001002", &b, &e), 0);
    ASSERT_EQ(e - b, 1);
    ASSERT_EQ(sg_divisions_range(ds, "4502", &b, &e), 0);
    ASSERT_EQ(e, 12);
    ASSERT_EQ(sg_divisions_range(ds, "4503", &b, &e), SG_ENOENT);
    ASSERT_EQ(sg_divisions_range(ds, "", &b, &e), SG_ENOENT);
    ASSERT_EQ(sg_divisions_range(ds, NULL, &b, &e), SG_ENOENT);
    sg_divisions_free(ds);
}

static void test_scope_contains(void)
{
    ASSERT(sg_scope_contains("45", "450102001001"));
    ASSERT(sg_scope_contains("4501", "4501"));
    ASSERT(sg_scope_contains("450102", "450102001"));
    ASSERT(!sg_scope_contains("4501", "4502"));
    ASSERT(!sg_scope_contains("450102", "4501"));
    ASSERT(!sg_scope_contains("", "4501")); /* an empty scope grants nothing */
    ASSERT(!sg_scope_contains(NULL, "4501"));
    ASSERT(!sg_scope_contains("45", NULL));
}

static void test_bad_lines(void)
{
    size_t bad = 0;
    ASSERT(parse("45\t广西\n4501 南宁市\n", false, &bad) == NULL);
    ASSERT_EQ(bad, 2);
    ASSERT(parse("45\t广西\n\n450\t某地\n", false, &bad) == NULL);
    ASSERT_EQ(bad, 3);
    ASSERT(parse("45\t广西\n45a1\t某地\n", false, &bad) == NULL);
    ASSERT_EQ(bad, 2);
    ASSERT(parse("45\t广西\n4501\t\n", false, &bad) == NULL);
    ASSERT_EQ(bad, 2);
    ASSERT(parse("45\t广西\n4501\t\xC0\x80\n", false, &bad) == NULL);
    ASSERT_EQ(bad, 2);
    ASSERT(parse("45\t广西\n4501\t南宁市\n45\t又一个\n", false, &bad) == NULL);
    ASSERT_EQ(bad, 3);
    ASSERT(parse("\t广西\n", false, &bad) == NULL);
    ASSERT_EQ(bad, 1);
}

static void test_orphans(void)
{
    size_t bad = 0;
    /* a county whose city is missing */
    ASSERT(parse("45\t广西\n4501\t南宁市\n450201\t城中区\n", false, &bad) == NULL);
    ASSERT_EQ(bad, 3);
    /* a village whose township is missing, even though the county exists */
    ASSERT(parse("45\t广西\n4501\t南宁市\n450102\t兴宁区\n450102001001\t某村\n", false, &bad) == NULL);
    ASSERT_EQ(bad, 4);
    /* destinations: provinces and cities only */
    struct sg_divisions *ds = parse("44\t广东省\n4419\t东莞市\n4403\t深圳市\n", false, &bad);
    ASSERT(ds != NULL);
    sg_divisions_free(ds);
    ASSERT(parse("44\t广东省\n3302\t宁波市\n", false, &bad) == NULL);
    ASSERT_EQ(bad, 2);
    /* regions: county codes only */
    ds = parse("450102\t兴宁区\n110105\t朝阳区\n", true, &bad);
    ASSERT(ds != NULL);
    ASSERT_EQ(sg_divisions_count(ds), 2);
    const struct sg_division *path[SG_LEVELS];
    ASSERT_EQ(sg_divisions_path(ds, sg_divisions_find(ds, "450102", 6), path), 1);
    sg_divisions_free(ds);
}

static void test_empty(void)
{
    struct sg_divisions *ds = parse("", false, NULL);
    ASSERT(ds != NULL);
    ASSERT_EQ(sg_divisions_count(ds), 0);
    ASSERT(sg_divisions_find(ds, "45", 2) == NULL);
    sg_divisions_free(ds);
    ds = parse("# only a comment\n\n", false, NULL);
    ASSERT(ds != NULL);
    ASSERT_EQ(sg_divisions_count(ds), 0);
    sg_divisions_free(ds);
}

/* About the size of Guangxi down to villages: 14 x 8 counties x 12 townships x 13 villages. */
static void test_large(void)
{
    size_t cap = 4 << 20, len = 0;
    char *buf = malloc(cap);
    len += (size_t)snprintf(buf + len, cap - len, "45\t广西壮族自治区\n");
    for (int c = 14; c >= 1; --c) {
        len += (size_t)snprintf(buf + len, cap - len, "45%02d\t市%d\n", c, c);
        for (int k = 1; k <= 8; ++k) {
            len += (size_t)snprintf(buf + len, cap - len, "45%02d%02d\t县\n", c, k);
            for (int t = 1; t <= 12; ++t) {
                len += (size_t)snprintf(buf + len, cap - len, "45%02d%02d%03d\t乡镇\n", c, k, t);
                for (int v = 1; v <= 13; ++v)
                    len += (size_t)snprintf(buf + len, cap - len, "45%02d%02d%03d%03d\t村\n", c, k, t, v);
            }
        }
    }
    size_t bad = 0;
    clock_t t0 = clock();
    struct sg_divisions *ds = sg_divisions_parse(buf, len, false, &bad);
    double ms = (double)(clock() - t0) * 1000.0 / CLOCKS_PER_SEC;
    printf("parsed %zu divisions in %.1f ms\n", ds ? sg_divisions_count(ds) : 0, ms);
    ASSERT(ds != NULL);
    ASSERT_EQ(sg_divisions_count(ds), 1 + 14 * (1 + 8 * (1 + 12 * (1 + 13))));
    size_t b, e;
    ASSERT_EQ(sg_divisions_range(ds, "4507", &b, &e), 0);
    ASSERT_EQ(e - b, 1 + 8 * (1 + 12 * (1 + 13)));
    ASSERT_EQ(sg_divisions_range(ds, "450703005", &b, &e), 0);
    ASSERT_EQ(e - b, 14);
    for (size_t i = b; i < e; ++i)
        ASSERT(sg_scope_contains("450703005", sg_divisions_at(ds, i)->code));
    ASSERT(!sg_scope_contains("450703005", sg_divisions_at(ds, e)->code));
    /* a code, a NUL, then bytes up to the next level's length: never found (fuzz_routes) */
    for (size_t i = 0, found = 0; i != sg_divisions_count(ds); ++i) {
        const struct sg_division *d = sg_divisions_at(ds, i);
        char key[16] = {0};
        memcpy(key, d->code, d->len);
        memcpy(key + d->len + 1, "#xy", 3);
        found += d->level != SG_LEVEL_VILLAGE && sg_divisions_find(ds, key, sg_level_code_len(d->level + 1)) != NULL;
        ASSERT_EQ(found, 0);
    }
    sg_divisions_free(ds);
}

int main(void)
{
    RUN(test_levels);
    RUN(test_parse_find);
    RUN(test_find_nul);
    RUN(test_path_range);
    RUN(test_scope_contains);
    RUN(test_bad_lines);
    RUN(test_orphans);
    RUN(test_empty);
    RUN(test_large);
    TEST_DONE();
}
