/* SPDX-License-Identifier: MIT */
/* Tests of domain/idno.c: check character, birth date, legacy numbers, normalization. */
#include "test.h"
#include "domain/idno.h"

static const struct sg_date today = {2023, 1, 9};

/* 17 leading digits plus their computed check character. */
static const char *with_check(const char *first17)
{
    static char buf[19];
    memcpy(buf, first17, 17);
    buf[17] = sg_idno_check_char(first17);
    buf[18] = '\0';
    return buf;
}

static void test_check_char(void)
{
    ASSERT_EQ(sg_idno_check_char("11010519491231002"), 'X');
    ASSERT_EQ(sg_idno_check_char("44052418800101001"), '4');
    ASSERT_EQ(sg_idno_check_char("45010219900101123"), '1'); /* computed independently */
}

static void test_valid_x(void)
{
    struct sg_idno id;
    ASSERT_EQ(sg_idno_validate("11010519491231002X", today, &id), 0);
    ASSERT_STREQ(id.number, "11010519491231002X");
    ASSERT_STREQ(id.region, "110105");
    ASSERT_EQ(id.birth.y, 1949);
    ASSERT_EQ(id.birth.m, 12);
    ASSERT_EQ(id.birth.d, 31);
    ASSERT_EQ(id.sex, 2); /* sequence 002: even */
    ASSERT_EQ(sg_idno_age(&id, today), 73);
}

static void test_lower_x_and_spaces(void)
{
    struct sg_idno id;
    ASSERT_EQ(sg_idno_validate("  11010519491231002x ", today, &id), 0);
    ASSERT_STREQ(id.number, "11010519491231002X");
}

static void test_bad_check(void)
{
    struct sg_idno id;
    ASSERT_EQ(sg_idno_validate("110105194912310021", today, &id), -SG_IDNO_CHECK);
    ASSERT_EQ(sg_idno_validate("110105194912310020", today, &id), -SG_IDNO_CHECK);
    /* a swapped pair of digits is caught */
    ASSERT_EQ(sg_idno_validate("11010519491213002X", today, &id), -SG_IDNO_CHECK);
}

static void test_dates(void)
{
    struct sg_idno id;
    ASSERT_EQ(sg_idno_validate(with_check("45010219901301123"), today, &id), -SG_IDNO_DATE);
    ASSERT_EQ(sg_idno_validate(with_check("45010219900431123"), today, &id), -SG_IDNO_DATE);
    ASSERT_EQ(sg_idno_validate(with_check("45010219900001123"), today, &id), -SG_IDNO_DATE);
    ASSERT_EQ(sg_idno_validate(with_check("45010218991231123"), today, &id), -SG_IDNO_DATE);
    ASSERT_EQ(sg_idno_validate(with_check("45010220000229123"), today, &id), 0);
    ASSERT_EQ(id.sex, 1);
    ASSERT_EQ(sg_idno_validate(with_check("45010219960229124"), today, &id), 0);
    ASSERT_EQ(id.sex, 2);
    ASSERT_EQ(sg_idno_validate(with_check("45010219000229123"), today, &id), -SG_IDNO_DATE);
    ASSERT_EQ(sg_idno_validate(with_check("45010220010229123"), today, &id), -SG_IDNO_DATE);
}

static void test_future(void)
{
    struct sg_idno id;
    ASSERT_EQ(sg_idno_validate(with_check("45010220230110123"), today, &id), -SG_IDNO_FUTURE);
    ASSERT_EQ(sg_idno_validate(with_check("45010220300101123"), today, &id), -SG_IDNO_FUTURE);
    ASSERT_EQ(sg_idno_validate(with_check("45010220230109123"), today, &id), 0); /* born today */
    ASSERT_EQ(sg_idno_age(&id, today), 0);
}

static void test_shape(void)
{
    struct sg_idno id;
    ASSERT_EQ(sg_idno_validate("450102900101123", today, &id), -SG_IDNO_LEGACY15);
    ASSERT_EQ(sg_idno_validate(" 450102900101123 ", today, &id), -SG_IDNO_LEGACY15);
    ASSERT_EQ(sg_idno_validate("", today, &id), -SG_IDNO_EMPTY);
    ASSERT_EQ(sg_idno_validate("   ", today, &id), -SG_IDNO_EMPTY);
    ASSERT_EQ(sg_idno_validate(NULL, today, &id), -SG_IDNO_EMPTY);
    ASSERT_EQ(sg_idno_validate("4501021990010112", today, &id), -SG_IDNO_LENGTH);
    ASSERT_EQ(sg_idno_validate("4501021990010112345", today, &id), -SG_IDNO_LENGTH);
    ASSERT_EQ(sg_idno_validate("45010219900101123Y", today, &id), -SG_IDNO_CHARS);
    ASSERT_EQ(sg_idno_validate("4501021990010112X4", today, &id), -SG_IDNO_CHARS);
    ASSERT_EQ(sg_idno_validate("450102 9900101123X", today, &id), -SG_IDNO_CHARS);
    ASSERT_EQ(sg_idno_validate("45010219900101123\xEF", today, &id), -SG_IDNO_CHARS);
}

static void test_age(void)
{
    struct sg_idno id;
    struct sg_date before = {2023, 3, 14}, on = {2023, 3, 15};
    ASSERT_EQ(sg_idno_validate(with_check("45010219800315123"), today, &id), 0);
    ASSERT_EQ(sg_idno_age(&id, before), 42);
    ASSERT_EQ(sg_idno_age(&id, on), 43);
}

int main(void)
{
    RUN(test_check_char);
    RUN(test_valid_x);
    RUN(test_lower_x_and_spaces);
    RUN(test_bad_check);
    RUN(test_dates);
    RUN(test_future);
    RUN(test_shape);
    RUN(test_age);
    TEST_DONE();
}
