/* SPDX-License-Identifier: MIT */
/* Tests of domain/job.c: a job's fields, open or closed, 区内/区外, how a job fits a
 * worker, and the push target filter (scope, poverty, age band, no job, wish, destination). */
#include "test.h"
#include "domain/err.h"
#include "domain/job.h"

static struct sg_divisions *destinations, *divisions;
static const struct sg_date today = {2027, 1, 10};

static struct sg_divisions *parse(const char *text)
{
    size_t bad = 0, n = strlen(text);
    char *buf = malloc(n);
    memcpy(buf, text, n);
    struct sg_divisions *d = sg_divisions_parse(buf, n, true, &bad);
    ASSERT(d != NULL);
    return d;
}

static bool has(const struct sg_field_errors *e, const char *field, const char *code)
{
    for (size_t i = 0; i != e->n; ++i)
        if (strcmp(e->e[i].field, field) == 0 && strcmp(e->e[i].code, code) == 0)
            return true;
    return false;
}

static void test_validate(void)
{
    struct sg_job j = {0};
    struct sg_field_errors errs;
    struct sg_job_input in = {.title = "普工",
                              .city = "4419",
                              .kind = "manufacturing",
                              .headcount = 30,
                              .wage_min = 4500,
                              .wage_max = 6500,
                              .age_min = 18,
                              .age_max = 55,
                              .sex = "",
                              .skills = "能适应倒班",
                              .starts = "2027-02-10",
                              .closes = "2027-03-31"};
    ASSERT_EQ(sg_job_validate(&in, destinations, today, &j, &errs), 0);
    ASSERT_EQ(j.headcount, 30);
    ASSERT_EQ(j.sex, 0);
    ASSERT_EQ(j.status, SG_JOB_OPEN);
    ASSERT(sg_job_open(&j, today));
    ASSERT(!sg_job_open(&j, (struct sg_date){2027, 4, 1}));
    ASSERT(!sg_job_in_region(&j, "45"));
    in = (struct sg_job_input){.city = "9999",
                               .kind = "x",
                               .headcount = 0,
                               .wage_min = 7000,
                               .wage_max = 5000,
                               .age_min = 60,
                               .age_max = 40,
                               .sex = "x",
                               .starts = "2027-03-01",
                               .closes = "2027-02-01",
                               .status = "open"};
    ASSERT_EQ(sg_job_validate(&in, destinations, today, &j, &errs), SG_EINVAL);
    ASSERT(has(&errs, "title", "required"));
    ASSERT(has(&errs, "city", "unknown_city"));
    ASSERT(has(&errs, "kind", "work_enum"));
    ASSERT(has(&errs, "headcount", "count_range"));
    ASSERT(has(&errs, "wage_max", "wage_order"));
    ASSERT(has(&errs, "age_max", "age_order"));
    ASSERT(has(&errs, "sex", "sex_enum"));
    ASSERT(has(&errs, "closes", "date_order"));
    in = (struct sg_job_input){.title = "保洁",
                               .city = "4501",
                               .kind = "domestic",
                               .headcount = 2,
                               .wage_min = -1,
                               .wage_max = -1,
                               .age_min = -1,
                               .age_max = -1,
                               .closes = "2027-01-09"};
    ASSERT_EQ(sg_job_validate(&in, destinations, today, &j, &errs), SG_EINVAL);
    ASSERT(has(&errs, "closes", "date_past")); /* an open job that already closed */
    in.status = "closed";
    ASSERT_EQ(sg_job_validate(&in, destinations, today, &j, &errs), 0);
    ASSERT(sg_job_in_region(&(struct sg_job){.city = "4501"}, "45"));
}

static void test_fit(void)
{
    struct sg_job j = {.city = "4419", .kind = 0, .age_min = 18, .age_max = 50, .closes = {2027, 3, 1}};
    struct sg_job_seeker s = {.age = 40, .sex = 1, .dest = "4419", .village = "450102001001", .want = -1};
    ASSERT_EQ(sg_job_fit(&j, today, &s), 3);
    s.want = 0;
    ASSERT_EQ(sg_job_fit(&j, today, &s), 4);
    s.dest = "4403";
    ASSERT_EQ(sg_job_fit(&j, today, &s), 3); /* same province */
    s.dest = "3301";
    ASSERT_EQ(sg_job_fit(&j, today, &s), 0);
    s.dest = "4419", s.age = 55;
    ASSERT_EQ(sg_job_fit(&j, today, &s), 0);
    s.age = 40;
    j.sex = 2;
    ASSERT_EQ(sg_job_fit(&j, today, &s), 0);
    j.sex = 0;
    j.status = SG_JOB_CLOSED;
    ASSERT_EQ(sg_job_fit(&j, today, &s), 0);
    struct sg_job near = {.city = "4501", .kind = 1, .closes = {2027, 3, 1}};
    s.want = -1;
    ASSERT_EQ(sg_job_fit(&near, today, &s), 1); /* work near home */
}

static void test_target(void)
{
    struct sg_target t;
    struct sg_field_errors errs;
    struct sg_target_input in = {.scope = "450102",
                                 .poverty = "poverty",
                                 .age_min = 50,
                                 .age_max = -1,
                                 .no_job = 1,
                                 .seeking = -1,
                                 .work = "",
                                 .dest = "44"};
    ASSERT_EQ(sg_target_validate(&in, divisions, destinations, &t, &errs), 0);
    struct sg_registration r = {.village = "450102001001", .dest_city = "4419", .job_confirmed = false, .work = -1};
    ASSERT(sg_target_takes_registration(&t, &r));
    r.job_confirmed = true;
    ASSERT(!sg_target_takes_registration(&t, &r));
    r.job_confirmed = false;
    memcpy(r.dest_city, "3301", 5);
    ASSERT(!sg_target_takes_registration(&t, &r));
    memcpy(r.dest_city, "4419", 5);
    memcpy(r.village, "450103001001", 13);
    ASSERT(!sg_target_takes_registration(&t, &r));
    struct sg_person p = {.poverty = SG_POVERTY_MONITORED, .id = {.birth = {1976, 1, 10}}};
    ASSERT(sg_target_takes_person(&t, &p, today)); /* 51 */
    p.id.birth = (struct sg_date){1977, 1, 11};
    ASSERT(!sg_target_takes_person(&t, &p, today)); /* 49 */
    /* 低收入 only: the same person without the mark is left out, with it taken */
    in.low_income = 1;
    ASSERT_EQ(sg_target_validate(&in, divisions, destinations, &t, &errs), 0);
    p.id.birth = (struct sg_date){1976, 1, 10};
    ASSERT(!sg_target_takes_person(&t, &p, today));
    p.low_income = true;
    ASSERT(sg_target_takes_person(&t, &p, today));
    p.low_income = false;
    in.low_income = 0;
    ASSERT_EQ(sg_target_validate(&in, divisions, destinations, &t, &errs), 0);
    p.id.birth = (struct sg_date){1960, 1, 1};
    p.poverty = SG_POVERTY_NONE;
    ASSERT(!sg_target_takes_person(&t, &p, today));
    in = (struct sg_target_input){.scope = "459999",
                                  .poverty = "rich",
                                  .age_min = 60,
                                  .age_max = 50,
                                  .work = "x",
                                  .dest = "4",
                                  .no_job = -1,
                                  .seeking = -1};
    ASSERT_EQ(sg_target_validate(&in, divisions, destinations, &t, &errs), SG_EINVAL);
    ASSERT(has(&errs, "filter.scope", "unknown_division"));
    ASSERT(has(&errs, "filter.poverty", "poverty_enum"));
    ASSERT(has(&errs, "filter.age_max", "age_order"));
    ASSERT(has(&errs, "filter.work", "work_enum"));
    ASSERT(has(&errs, "filter.dest", "unknown_city"));
    /* a wish for work is asked of those who ticked 想找工作 */
    in = (struct sg_target_input){
        .scope = "45", .work = "construction", .no_job = -1, .seeking = 1, .age_min = -1, .age_max = -1};
    ASSERT_EQ(sg_target_validate(&in, divisions, destinations, &t, &errs), 0);
    struct sg_registration seeker = {.village = "450102001001", .dest_city = "4419", .seek_job = true, .work = 1};
    ASSERT(sg_target_takes_registration(&t, &seeker));
    seeker.work = 0;
    ASSERT(!sg_target_takes_registration(&t, &seeker));
}

int main(void)
{
    destinations = parse("44\t广东省\n4419\t东莞市\n4403\t深圳市\n33\t浙江省\n3301\t杭州市\n45\t广西\n4501\t南宁市\n");
    divisions = parse("45\t广西\n4501\t南宁市\n450102\t兴宁区\n450103\t青秀区\n");
    RUN(test_validate);
    RUN(test_fit);
    RUN(test_target);
    sg_divisions_free(destinations);
    sg_divisions_free(divisions);
    TEST_DONE();
}
