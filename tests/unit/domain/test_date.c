/* SPDX-License-Identifier: MIT */
/* Tests of domain/date.c: validity, parsing, formatting, day arithmetic. */
#include "test.h"
#include "domain/date.h"
#include "domain/err.h"

static struct sg_date D(int y, int m, int d) {
    struct sg_date r = {y, m, d};
    return r;
}

static void
test_valid(void)
{
    ASSERT(sg_date_valid(D(2023, 1, 9)));
    ASSERT(sg_date_valid(D(2024, 2, 29)));
    ASSERT(sg_date_valid(D(2000, 2, 29)));
    ASSERT(!sg_date_valid(D(1900, 2, 29)));
    ASSERT(!sg_date_valid(D(2023, 2, 29)));
    ASSERT(!sg_date_valid(D(2023, 4, 31)));
    ASSERT(!sg_date_valid(D(2023, 13, 1)));
    ASSERT(!sg_date_valid(D(2023, 0, 1)));
    ASSERT(!sg_date_valid(D(2023, 1, 0)));
    ASSERT(!sg_date_valid(D(1899, 12, 31)));
    ASSERT(sg_date_valid(D(1900, 1, 1)));
    ASSERT(!sg_date_valid(D(10000, 1, 1)));
}

static void test_parse_format(void)
{
    struct sg_date d;
    char buf[11];
    ASSERT_EQ(sg_date_parse("2023-01-28", &d), 0);
    ASSERT_EQ(d.y, 2023);
    ASSERT_EQ(d.m, 1);
    ASSERT_EQ(d.d, 28);
    sg_date_format(d, buf);
    ASSERT_STREQ(buf, "2023-01-28");
    ASSERT_EQ(sg_date_parse("2023-1-28", &d), SG_EINVAL);
    ASSERT_EQ(sg_date_parse("2023-01-28 ", &d), SG_EINVAL);
    ASSERT_EQ(sg_date_parse("2023/01/28", &d), SG_EINVAL);
    ASSERT_EQ(sg_date_parse("2023-02-29", &d), SG_EINVAL);
    ASSERT_EQ(sg_date_parse("2023-0a-01", &d), SG_EINVAL);
    ASSERT_EQ(sg_date_parse("+023-01-01", &d), SG_EINVAL);
    ASSERT_EQ(sg_date_parse("", &d), SG_EINVAL);
    ASSERT_EQ(sg_date_parse(NULL, &d), SG_EINVAL);
    sg_date_format(D(1905, 3, 7), buf);
    ASSERT_STREQ(buf, "1905-03-07");
}

static void test_days(void)
{
    ASSERT_EQ(sg_date_days(D(1970, 1, 1)), 0);
    ASSERT_EQ(sg_date_days(D(1970, 1, 2)), 1);
    ASSERT_EQ(sg_date_days(D(1969, 12, 31)), -1);
    ASSERT_EQ(sg_date_days(D(2000, 3, 1)), 11017);
    ASSERT_EQ(sg_date_days(D(1900, 1, 1)), -25567);
    long prev = sg_date_days(D(1900, 1, 1)) - 1;
    for (struct sg_date d = D(1900, 1, 1); d.y < 2101;) {
        long n = sg_date_days(d);
        ASSERT_EQ(n, prev + 1);
        struct sg_date back = sg_date_from_days(n);
        ASSERT_EQ(sg_date_cmp(back, d), 0);
        prev = n;
        d = sg_date_from_days(n + 1);
        ASSERT(sg_date_valid(d));
    }
}

static void test_cmp(void)
{
    ASSERT(sg_date_cmp(D(2023, 1, 9), D(2023, 1, 10)) < 0);
    ASSERT(sg_date_cmp(D(2023, 2, 1), D(2023, 1, 31)) > 0);
    ASSERT(sg_date_cmp(D(2022, 12, 31), D(2023, 1, 1)) < 0);
    ASSERT_EQ(sg_date_cmp(D(2023, 1, 9), D(2023, 1, 9)), 0);
}

int main(void)
{
    RUN(test_valid);
    RUN(test_parse_format);
    RUN(test_days);
    RUN(test_cmp);
    TEST_DONE();
}
