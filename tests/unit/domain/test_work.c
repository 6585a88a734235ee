/* SPDX-License-Identifier: MIT */
/* Tests of domain/work.c: every kind of work has a name that parses back and a label. */
#include "test.h"
#include "domain/work.h"

static void test_kinds(void)
{
    for (int i = 0; i != SG_WORK_KINDS; ++i) {
        ASSERT_EQ(sg_work_parse(sg_work_name(i)), i);
        ASSERT(sg_work_label(i)[0] != '\0');
    }
    ASSERT_STREQ(sg_work_name(0), "manufacturing");
    ASSERT_STREQ(sg_work_label(1), "建筑装修");
    ASSERT_EQ(sg_work_parse("x"), -1);
    ASSERT_EQ(sg_work_parse(NULL), -1);
    ASSERT_STREQ(sg_work_name(-1), "");
    ASSERT_STREQ(sg_work_name(SG_WORK_KINDS), "");
}

int main(void)
{
    RUN(test_kinds);
    TEST_DONE();
}
