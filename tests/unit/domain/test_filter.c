/* SPDX-License-Identifier: MIT */
/* Tests of domain/filter.c. */
#include "test.h"
#include "domain/err.h"
#include "domain/filter.h"

static struct sg_registration reg(void)
{
    struct sg_registration r = {.npeople = 2, .dest_city = "4419", .depart_date = {2027, 2, 3}};
    strcpy(r.people[0].name, "韦小宝");
    strcpy(r.people[1].name, "黄秀英");
    return r;
}

static const char ids[2][19] = {"450102********123X", "450102********5678"};
static const char phones[2][12] = {"138****4321", ""};

static bool match(const char *q, const char *status, const char *city, const char *date, const char *row_status)
{
    struct sg_filter f;
    const char *bad = NULL;
    struct sg_registration r = reg();
    ASSERT_EQ(sg_filter_init(&f, q, status, city, date, &bad), 0);
    return sg_filter_match(&f, "7KQ2M9XA", row_status, &r, ids, phones);
}

static void test_query(void)
{
    ASSERT(match(NULL, NULL, NULL, NULL, "registered"));
    ASSERT(match("小宝", NULL, NULL, NULL, "registered"));
    ASSERT(match("秀英", NULL, NULL, NULL, "registered"));
    ASSERT(!match("张三", NULL, NULL, NULL, "registered"));
    ASSERT(match("7kq2-m9xa", NULL, NULL, NULL, "registered"));
    ASSERT(!match("7KQ2M9XB", NULL, NULL, NULL, "registered"));
    ASSERT(match("123X", NULL, NULL, NULL, "registered"));
    ASSERT(match("123x", NULL, NULL, NULL, "registered"));
    ASSERT(match("5678", NULL, NULL, NULL, "registered"));
    ASSERT(match("4321", NULL, NULL, NULL, "registered"));
    ASSERT(!match("9999", NULL, NULL, NULL, "registered"));
}

static void test_fields(void)
{
    ASSERT(match(NULL, "registered", NULL, NULL, "registered"));
    ASSERT(!match(NULL, "cancelled", NULL, NULL, "registered"));
    ASSERT(match(NULL, NULL, "4419", "2027-02-03", "registered"));
    ASSERT(!match(NULL, NULL, "4401", NULL, "registered"));
    ASSERT(!match(NULL, NULL, NULL, "2027-02-04", "registered"));
    ASSERT(!match("小宝", NULL, "4401", NULL, "registered"));
}

static void test_bad(void)
{
    struct sg_filter f;
    const char *bad = NULL;
    ASSERT_EQ(sg_filter_init(&f, NULL, "deleted", NULL, NULL, &bad), SG_EINVAL);
    ASSERT_STREQ(bad, "status");
    ASSERT_EQ(sg_filter_init(&f, NULL, NULL, "44", NULL, &bad), SG_EINVAL);
    ASSERT_STREQ(bad, "dest_city");
    ASSERT_EQ(sg_filter_init(&f, NULL, NULL, NULL, "2027-02-30", &bad), SG_EINVAL);
    ASSERT_STREQ(bad, "date");
    ASSERT_EQ(sg_filter_init(&f, "", "", "", "", &bad), 0);
    ASSERT(!sg_filter_narrows(&f));
    ASSERT_EQ(sg_filter_init(&f, NULL, "cancelled", NULL, NULL, &bad), 0);
    ASSERT(!sg_filter_narrows(&f));
    ASSERT_EQ(sg_filter_init(&f, "1234", NULL, NULL, NULL, &bad), 0);
    ASSERT(sg_filter_narrows(&f));
}

int main(void)
{
    RUN(test_query);
    RUN(test_fields);
    RUN(test_bad);
    TEST_DONE();
}
