/* SPDX-License-Identifier: MIT */
/* domain/schedule.c: the 2023 notice's schedule as data (28 Jan; every Wednesday before
 * noon in Feb-Mar; the 25th of every month from April), next deadline, weekdays. */
#include "domain/err.h"
#include "domain/schedule.h"
#include "test.h"

static struct sg_schedule schedule_2023(void)
{
    struct sg_schedule s = {.n = 3};
    s.rules[0] = (struct sg_schedule_rule){.kind = SG_SCHEDULE_DATE, .date = {2023, 1, 28}, .before_min = SG_DAY_END};
    s.rules[1] = (struct sg_schedule_rule){
        .kind = SG_SCHEDULE_WEEKLY, .weekday = 3, .from = {2023, 2, 1}, .to = {2023, 3, 31}, .before_min = 720};
    s.rules[2] = (struct sg_schedule_rule){
        .kind = SG_SCHEDULE_MONTHLY, .day = 25, .from = {2023, 4, 1}, .to = {2023, 12, 31}, .before_min = 720};
    return s;
}

static void expect_next(const struct sg_schedule *s, struct sg_date today, int now_min, struct sg_date want, int before)
{
    struct sg_due due;
    ASSERT_EQ(sg_schedule_next(s, today, now_min, &due), 0);
    ASSERT_EQ(sg_date_cmp(due.date, want), 0);
    ASSERT_EQ(due.before_min, before);
}

static void test_weekday(void)
{
    ASSERT_EQ(sg_date_weekday((struct sg_date){1970, 1, 1}), 4);
    ASSERT_EQ(sg_date_weekday((struct sg_date){2023, 2, 1}), 3);
    ASSERT_EQ(sg_date_weekday((struct sg_date){2023, 1, 28}), 6);
    ASSERT_EQ(sg_date_weekday((struct sg_date){2027, 1, 10}), 7);
    ASSERT_EQ(sg_date_weekday((struct sg_date){1969, 12, 29}), 1);
}

static void test_list_2023(void)
{
    struct sg_schedule s = schedule_2023();
    struct sg_due due[40];
    char d[11];
    size_t n = sg_schedule_list(&s, due, 40);
    /* 28 Jan, 9 Wednesdays in Feb-Mar (1, 8, 15, 22 Feb; 1, 8, 15, 22, 29 Mar), 25 Apr-Dec (9) */
    ASSERT_EQ(n, 1 + 9 + 9);
    sg_date_format(due[0].date, d);
    ASSERT_STREQ(d, "2023-01-28");
    ASSERT_EQ(due[0].before_min, SG_DAY_END);
    static const char *const wednesdays[] = {"2023-02-01", "2023-02-08", "2023-02-15", "2023-02-22", "2023-03-01",
                                             "2023-03-08", "2023-03-15", "2023-03-22", "2023-03-29"};
    for (size_t i = 0; i != 9; ++i) {
        sg_date_format(due[1 + i].date, d);
        ASSERT_STREQ(d, wednesdays[i]);
        ASSERT_EQ(due[1 + i].before_min, 720);
    }
    for (size_t i = 0; i != 9; ++i) {
        ASSERT_EQ(due[10 + i].date.m, 4 + (int)i);
        ASSERT_EQ(due[10 + i].date.d, 25);
    }
}

static void test_next_2023(void)
{
    struct sg_schedule s = schedule_2023();
    struct sg_due due;
    expect_next(&s, (struct sg_date){2023, 1, 9}, 600, (struct sg_date){2023, 1, 28}, SG_DAY_END);
    expect_next(&s, (struct sg_date){2023, 1, 28}, 1439, (struct sg_date){2023, 1, 28}, SG_DAY_END);
    expect_next(&s, (struct sg_date){2023, 1, 29}, 0, (struct sg_date){2023, 2, 1}, 720);
    /* Wednesday morning: due today before noon; at noon: next week */
    expect_next(&s, (struct sg_date){2023, 2, 8}, 11 * 60 + 59, (struct sg_date){2023, 2, 8}, 720);
    expect_next(&s, (struct sg_date){2023, 2, 8}, 12 * 60, (struct sg_date){2023, 2, 15}, 720);
    expect_next(&s, (struct sg_date){2023, 3, 29}, 13 * 60, (struct sg_date){2023, 4, 25}, 720);
    expect_next(&s, (struct sg_date){2023, 4, 26}, 0, (struct sg_date){2023, 5, 25}, 720);
    expect_next(&s, (struct sg_date){2022, 12, 1}, 0, (struct sg_date){2023, 1, 28}, SG_DAY_END);
    ASSERT_EQ(sg_schedule_next(&s, (struct sg_date){2023, 12, 25}, 720, &due), SG_ENOENT);
    struct sg_schedule none = {.n = 0};
    ASSERT_EQ(sg_schedule_next(&none, (struct sg_date){2023, 1, 1}, 0, &due), SG_ENOENT);
}

static void test_monthly_short_month(void)
{
    struct sg_schedule s = {.n = 1};
    s.rules[0] = (struct sg_schedule_rule){
        .kind = SG_SCHEDULE_MONTHLY, .day = 31, .from = {2024, 2, 1}, .to = {2024, 4, 30}, .before_min = 720};
    expect_next(&s, (struct sg_date){2024, 2, 1}, 0, (struct sg_date){2024, 2, 29}, 720);
    expect_next(&s, (struct sg_date){2024, 3, 1}, 0, (struct sg_date){2024, 3, 31}, 720);
    expect_next(&s, (struct sg_date){2024, 4, 1}, 0, (struct sg_date){2024, 4, 30}, 720);
}

static void test_times_and_checks(void)
{
    int m = -1;
    char t[6];
    ASSERT_EQ(sg_schedule_time_parse("12:00", &m), 0);
    ASSERT_EQ(m, 720);
    ASSERT_EQ(sg_schedule_time_parse("24:00", &m), 0);
    ASSERT_EQ(m, SG_DAY_END);
    ASSERT_EQ(sg_schedule_time_parse("24:01", &m), SG_EINVAL);
    ASSERT_EQ(sg_schedule_time_parse("9:00", &m), SG_EINVAL);
    ASSERT_EQ(sg_schedule_time_parse("12:60", &m), SG_EINVAL);
    sg_schedule_time_format(720, t);
    ASSERT_STREQ(t, "12:00");
    struct sg_schedule s = schedule_2023();
    for (size_t i = 0; i != s.n; ++i)
        ASSERT_EQ(sg_schedule_rule_check(&s.rules[i]), 0);
    struct sg_schedule_rule bad = s.rules[1];
    bad.weekday = 8;
    ASSERT_EQ(sg_schedule_rule_check(&bad), SG_EINVAL);
    bad = s.rules[2];
    bad.from = (struct sg_date){2024, 1, 1};
    ASSERT_EQ(sg_schedule_rule_check(&bad), SG_EINVAL);
}

int main(void)
{
    RUN(test_weekday);
    RUN(test_list_2023);
    RUN(test_next_2023);
    RUN(test_monthly_short_month);
    RUN(test_times_and_checks);
    TEST_DONE();
}
