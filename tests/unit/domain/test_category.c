/* SPDX-License-Identifier: MIT */
/* Tests of domain/category.c: counters grouped into 区内/区外, destinations and employers,
 * per division, with the people no registered employer covers. */
#include "test.h"
#include "domain/category.h"

static void add(struct sg_category *c, size_t child, const char *field, long n)
{
    sg_category_add(c, child, field, strlen(field), n);
}

static void feed(struct sg_category *c)
{
    /* division 0: 5 people to Dongguan (2 poverty), 3 to Nanning; division 1: 4 to Dongguan */
    add(c, 0, "people", 8), add(c, 0, "poverty", 2), add(c, 0, "dest:4419", 5), add(c, 0, "pdest:4419", 2);
    add(c, 0, "dest:4501", 3), add(c, 0, "emp:12", 4), add(c, 0, "pemp:12", 1), add(c, 0, "date:2027-02-03", 8);
    add(c, 1, "people", 4), add(c, 1, "dest:4419", 4), add(c, 1, "emp:7", 4);
    /* 低收入: 3 people of division 0 (2 to 4419 with employer 12, 1 to 4501), 1 of division 1 to 4419 */
    add(c, 0, "low", 3), add(c, 0, "ldest:4419", 2), add(c, 0, "ldest:4501", 1), add(c, 0, "lemp:12", 2);
    add(c, 1, "low", 1), add(c, 1, "ldest:4419", 1);
}

static void test_category(void)
{
    struct sg_category c;
    sg_category_init(&c, SG_BY_CATEGORY, "45", 2);
    feed(&c);
    sg_category_finish(&c);
    ASSERT_EQ(c.nrows, 2);
    ASSERT_STREQ(c.rows[0].key, "in");
    ASSERT_EQ(c.rows[0].n[SG_CM_PEOPLE], 3);
    ASSERT_STREQ(c.rows[1].key, "out");
    ASSERT_EQ(c.rows[1].n[SG_CM_PEOPLE], 9);
    ASSERT_EQ(c.rows[1].n[SG_CM_POVERTY], 2);
    ASSERT_EQ(c.rows[1].child[SG_CM_PEOPLE][0], 5);
    ASSERT_EQ(c.rows[1].child[SG_CM_PEOPLE][1], 4);
    ASSERT_EQ(c.rows[0].n[SG_CM_LOW], 1);
    ASSERT_EQ(c.rows[1].n[SG_CM_LOW], 3);
    ASSERT_EQ(c.rows[1].child[SG_CM_LOW][0], 2);
    ASSERT_EQ(c.rows[1].child[SG_CM_LOW][1], 1);
    ASSERT_EQ(c.rows[1].n[SG_CM_POVERTY], 2); /* the measures stay apart */
    sg_category_dispose(&c);
}

static void test_dest(void)
{
    struct sg_category c;
    sg_category_init(&c, SG_BY_DEST, "45", 2);
    feed(&c);
    sg_category_finish(&c);
    ASSERT_EQ(c.nrows, 2);
    ASSERT_STREQ(c.rows[0].key, "4419"); /* most people first */
    ASSERT_EQ(c.rows[0].n[SG_CM_PEOPLE], 9);
    ASSERT_EQ(c.rows[0].child[SG_CM_POVERTY][0], 2);
    ASSERT_EQ(c.rows[0].n[SG_CM_LOW], 3);
    ASSERT_EQ(c.rows[0].child[SG_CM_LOW][1], 1);
    sg_category_dispose(&c);
}

static void test_employer(void)
{
    struct sg_category c;
    sg_category_init(&c, SG_BY_EMPLOYER, "45", 2);
    feed(&c);
    sg_category_finish(&c);
    ASSERT_EQ(c.nrows, 3);
    ASSERT_STREQ(c.rows[0].key, "12");
    ASSERT_STREQ(c.rows[1].key, "7");
    ASSERT_STREQ(c.rows[2].key, ""); /* not with a registered employer: last */
    ASSERT_EQ(c.rows[2].n[SG_CM_PEOPLE], 4);
    ASSERT_EQ(c.rows[2].n[SG_CM_POVERTY], 1);
    ASSERT_EQ(c.rows[2].child[SG_CM_PEOPLE][0], 4);
    ASSERT_EQ(c.rows[2].child[SG_CM_PEOPLE][1], 0);
    ASSERT_EQ(c.rows[0].n[SG_CM_LOW], 2); /* employer 12 */
    ASSERT_EQ(c.rows[2].n[SG_CM_LOW], 2); /* the rest: 3 + 1 of all, less employer 12's 2 (employer 7's have none) */
    ASSERT_EQ(c.rows[2].child[SG_CM_LOW][0], 1);
    ASSERT_EQ(c.rows[2].child[SG_CM_LOW][1], 1);
    ASSERT_EQ(sg_category_by_parse("dest"), SG_BY_DEST);
    ASSERT_EQ(sg_category_by_parse("x"), -1);
    sg_category_dispose(&c);
}

int main(void)
{
    RUN(test_category);
    RUN(test_dest);
    RUN(test_employer);
    TEST_DONE();
}
