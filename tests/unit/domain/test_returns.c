/* SPDX-License-Identifier: MIT */
/* domain/returns.c: village return figures, validation, flag, stored form. */
#include <stdlib.h>
#include <string.h>
#include "domain/err.h"
#include "domain/returns.h"
#include "test.h"

static struct sg_divisions *load(void)
{
    static const char table[] = "45\t广西\n4501\t南宁市\n450102\t兴宁区\n450102001\t甲街道\n450102001001\t一村\n";
    size_t bad = 0, n = sizeof(table) - 1;
    char *buf = malloc(n);
    memcpy(buf, table, n);
    return sg_divisions_parse(buf, n, false, &bad);
}

static const char *code_of(const struct sg_field_errors *e, const char *field)
{
    for (size_t i = 0; i != e->n; ++i)
        if (strcmp(e->e[i].field, field) == 0)
            return e->e[i].code;
    return "";
}

static void test_valid_and_mismatch(void)
{
    struct sg_divisions *ds = load();
    struct sg_returns_ctx ctx = {ds, {2027, 1, 10}, 2027};
    struct sg_returns_input in = {"450102001001", 120, 100, 20, "2027-01-09"};
    struct sg_returns r;
    struct sg_field_errors errs;
    ASSERT_EQ(sg_returns_validate(&in, &ctx, &r, &errs), 0);
    ASSERT(!sg_returns_mismatch(&r));
    in.not_returned = 19;
    ASSERT_EQ(sg_returns_validate(&in, &ctx, &r, &errs), 0);
    ASSERT(sg_returns_mismatch(&r));
    in.as_of = "2027-01-10"; /* today is fine */
    ASSERT_EQ(sg_returns_validate(&in, &ctx, &r, &errs), 0);
    sg_divisions_free(ds);
}

static void test_invalid(void)
{
    struct sg_divisions *ds = load();
    struct sg_returns_ctx ctx = {ds, {2027, 1, 10}, 2027};
    struct sg_returns_input in = {"450102001", -1, -2, SG_RETURNS_MAX_COUNT + 1, "2027-01-11"};
    struct sg_returns r;
    struct sg_field_errors errs;
    ASSERT_EQ(sg_returns_validate(&in, &ctx, &r, &errs), SG_EINVAL);
    ASSERT_STREQ(code_of(&errs, "village"), "unknown_village");
    ASSERT_STREQ(code_of(&errs, "outbound"), "required");
    ASSERT_STREQ(code_of(&errs, "returned"), "count_range");
    ASSERT_STREQ(code_of(&errs, "not_returned"), "count_range");
    ASSERT_STREQ(code_of(&errs, "as_of"), "date_future");
    in = (struct sg_returns_input){"450102001001", 1, 1, 0, "2026-12-31"};
    ASSERT_EQ(sg_returns_validate(&in, &ctx, &r, &errs), SG_EINVAL);
    ASSERT_STREQ(code_of(&errs, "as_of"), "date_year");
    in.as_of = "2027-1-5";
    ASSERT_EQ(sg_returns_validate(&in, &ctx, &r, &errs), SG_EINVAL);
    ASSERT_STREQ(code_of(&errs, "as_of"), "date_format");
    in.as_of = NULL, in.village = NULL;
    ASSERT_EQ(sg_returns_validate(&in, &ctx, &r, &errs), SG_EINVAL);
    ASSERT_STREQ(code_of(&errs, "as_of"), "required");
    ASSERT_STREQ(code_of(&errs, "village"), "required");
    sg_divisions_free(ds);
}

static void test_line_round_trip(void)
{
    struct sg_returns r = {"450102001001", 120, 100, 19, {2027, 1, 9}, 1799999999000ULL, "cun.zhang"}, back;
    char line[SG_RETURNS_LINE_MAX];
    size_t n = sg_returns_format(&r, line);
    ASSERT_STREQ(line, "120 100 19 2027-01-09 1799999999000 cun.zhang");
    ASSERT_EQ(sg_returns_parse(line, n, &back), 0);
    ASSERT_EQ(back.outbound, 120);
    ASSERT_EQ(back.not_returned, 19);
    ASSERT_EQ(back.as_of.d, 9);
    ASSERT_EQ(back.at_ms, 1799999999000ULL);
    ASSERT_STREQ(back.user, "cun.zhang");
    ASSERT_EQ(sg_returns_parse("1 2", 3, &back), SG_EINVAL);
    ASSERT_EQ(sg_returns_parse("1 -2 3 2027-01-01", 17, &back), SG_EINVAL);
}

int main(void)
{
    RUN(test_valid_and_mismatch);
    RUN(test_invalid);
    RUN(test_line_round_trip);
    TEST_DONE();
}
