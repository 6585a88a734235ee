/* SPDX-License-Identifier: MIT */
/* Tests of domain/registration.c: a good sign-up, each error code, field naming. */
#include "test.h"
#include "domain/registration.h"
#include "domain/err.h"

static struct sg_divisions *parse(const char *text, bool allow_orphans)
{
    size_t len = strlen(text), bad = 0;
    char *buf = malloc(len);
    memcpy(buf, text, len);
    struct sg_divisions *ds = sg_divisions_parse(buf, len, allow_orphans, &bad);
    if (ds == NULL)
        SG_FAIL("bad line %zu", bad);
    return ds;
}

static struct sg_validate_ctx ctx;

static void setup(void)
{
    ctx.divisions = parse("45\t广西壮族自治区\n4501\t南宁市\n450102\t兴宁区\n450102001\t民生街道\n"
                          "450102001001\t新竹社区\n450102001002\t民乐社区\n",
                          false);
    ctx.destinations = parse("44\t广东省\n4419\t东莞市\n4403\t深圳市\n33\t浙江省\n3302\t宁波市\n", false);
    ctx.regions = parse("450102\t兴宁区\n110105\t朝阳区\n", true);
    ctx.today = (struct sg_date){2023, 1, 9};
    ctx.starts = (struct sg_date){2023, 1, 1};
    ctx.ends = (struct sg_date){2023, 3, 31};
}

static void teardown(void)
{
    sg_divisions_free((struct sg_divisions *)ctx.divisions);
    sg_divisions_free((struct sg_divisions *)ctx.destinations);
    sg_divisions_free((struct sg_divisions *)ctx.regions);
}

/* Valid IDs: 450102 19900101 12n + check. */
static const char *const ids[] = {"450102199001011231", "45010219900101124X", "450102199001011258",
                                  "450102199001011266", "450102199001011274", "450102199001011282"};
static const char *const id_unknown_region = "110106198001011234";

static struct sg_registration_input good(void)
{
    struct sg_registration_input in = {
        .village = "450102001001",
        .dest_city = "4419",
        .employer = " 东莞市宏达电子有限公司 ",
        .depart_date = "2023-02-01",
        .mode = "bus",
        .job_confirmed = 1,
        .flex_days = 2,
        .consent = 1,
        .npeople = 1,
    };
    in.people[0] = (struct sg_person_input){" 韦小宝 ", ids[0], "138 1234 5678", "alleviated", 0};
    return in;
}

static bool has(const struct sg_field_errors *errs, const char *field, const char *code)
{
    for (size_t i = 0; i < errs->n; ++i)
        if (strcmp(errs->e[i].field, field) == 0 && strcmp(errs->e[i].code, code) == 0)
            return true;
    return false;
}

static void expect_one(const struct sg_registration_input *in, const char *field, const char *code)
{
    struct sg_registration out;
    struct sg_field_errors errs;
    int r = sg_registration_validate(in, &ctx, &out, &errs);
    if (r != SG_EINVAL || errs.n != 1 || !has(&errs, field, code))
        SG_FAIL("expected only %s=%s, got r=%d n=%zu first=%s=%s", field, code, r, errs.n,
                errs.n ? errs.e[0].field : "", errs.n ? errs.e[0].code : "");
}

static void test_valid(void)
{
    struct sg_registration_input in = good();
    struct sg_registration out;
    struct sg_field_errors errs;
    ASSERT_EQ(sg_registration_validate(&in, &ctx, &out, &errs), 0);
    ASSERT_EQ(errs.n, 0);
    ASSERT_STREQ(out.village, "450102001001");
    ASSERT_EQ(out.npeople, 1);
    ASSERT_STREQ(out.people[0].name, "韦小宝");
    ASSERT_STREQ(out.people[0].id.number, ids[0]);
    ASSERT_STREQ(out.people[0].phone, "13812345678");
    ASSERT_EQ(out.people[0].poverty, SG_POVERTY_ALLEVIATED);
    ASSERT(!out.people[0].region_unknown);
    ASSERT_STREQ(out.dest_city, "4419");
    ASSERT_STREQ(out.employer, "东莞市宏达电子有限公司");
    ASSERT(out.job_confirmed);
    ASSERT_EQ(sg_date_cmp(out.depart_date, (struct sg_date){2023, 2, 1}), 0);
    ASSERT_EQ(out.flex_days, 2);
    ASSERT_EQ(out.mode, SG_MODE_BUS);
}

static void test_companions(void)
{
    struct sg_registration_input in = good();
    struct sg_registration out;
    struct sg_field_errors errs;
    in.npeople = 4;
    in.people[1] = (struct sg_person_input){"阿卜杜拉\xE3\x83\xBB艾力", "45010219900101124x", NULL, NULL, 0};
    in.people[2] = (struct sg_person_input){"John  Smith", ids[2], "", "monitored", 0};
    in.people[3] = (struct sg_person_input){"覃明", id_unknown_region, "+8613912345678", "none", 0};
    ASSERT_EQ(sg_registration_validate(&in, &ctx, &out, &errs), 0);
    ASSERT_EQ(out.npeople, 4);
    ASSERT_STREQ(out.people[1].name, "阿卜杜拉·艾力");
    ASSERT_STREQ(out.people[1].id.number, ids[1]);
    ASSERT_STREQ(out.people[1].phone, "");
    ASSERT_EQ(out.people[1].poverty, SG_POVERTY_NONE);
    ASSERT_STREQ(out.people[2].name, "John Smith");
    ASSERT_EQ(out.people[2].poverty, SG_POVERTY_MONITORED);
    ASSERT_STREQ(out.people[3].phone, "13912345678");
    ASSERT(!out.people[2].region_unknown);
    ASSERT(out.people[3].region_unknown);
    const struct sg_divisions *regions = ctx.regions;
    ctx.regions = NULL;
    ASSERT_EQ(sg_registration_validate(&in, &ctx, &out, &errs), 0);
    ASSERT(!out.people[3].region_unknown);
    ctx.regions = regions;
}

static void test_field_names(void)
{
    struct sg_registration_input in = good();
    in.npeople = 4;
    in.people[1] = (struct sg_person_input){"李四", ids[1], NULL, NULL, 0};
    in.people[2] = (struct sg_person_input){"王五", ids[2], NULL, NULL, 0};
    in.people[3] = (struct sg_person_input){"赵六", "450102199001011267", NULL, NULL, 0};
    expect_one(&in, "companions[2].id_number", "idno_check");
    in.people[3].id_number = ids[3];
    in.people[2].phone = "12345";
    expect_one(&in, "companions[1].phone", "phone_format");
    in.people[2].phone = NULL;
    in.people[0].phone = NULL;
    expect_one(&in, "phone", "required");
    in.people[0].phone = "13812345678";
    in.people[0].poverty = NULL;
    expect_one(&in, "poverty", "required");
    in.people[0].poverty = "none";
    in.people[1].poverty = "poor";
    expect_one(&in, "companions[0].poverty", "poverty_enum");
    in.people[1].poverty = NULL;
    in.people[1].name = "";
    expect_one(&in, "companions[0].name", "required");
}

static void test_duplicates(void)
{
    struct sg_registration_input in = good();
    in.npeople = 3;
    in.people[1] = (struct sg_person_input){"李四", ids[1], NULL, NULL, 0};
    in.people[2] = (struct sg_person_input){"王五", " 450102199001011231 ", NULL, NULL, 0};
    expect_one(&in, "companions[1].id_number", "duplicate_in_request");
    in.people[2].id_number = "45010219900101124x"; /* the same as companion 0 once normalized */
    expect_one(&in, "companions[1].id_number", "duplicate_in_request");
}

static void test_single_errors(void)
{
    struct sg_registration_input in = good();
    char long_name[128] = "";
    for (int i = 0; i < 31; ++i)
        memcpy(long_name + 3 * i, "明", 4);
    const struct {
        const char **slot;
        const char *value, *field, *code;
    } cases[] = {
        {&in.village, NULL, "village", "required"},
        {&in.village, "450102001009", "village", "unknown_village"},
        {&in.village, "450102001", "village", "unknown_village"},
        {&in.people[0].name, NULL, "name", "required"},
        {&in.people[0].name, "\xE3\x80\x80", "name", "required"},
        {&in.people[0].name, "韦\xC0\x80", "name", "utf8"},
        {&in.people[0].name, "韦3", "name", "chars"},
        {&in.people[0].name, "韦", "name", "too_short"},
        {&in.people[0].name, long_name, "name", "too_long"},
        {&in.people[0].id_number, NULL, "id_number", "required"},
        {&in.people[0].id_number, " ", "id_number", "required"},
        {&in.people[0].id_number, "450102900101123", "id_number", "idno_legacy15"},
        {&in.people[0].id_number, "4501021990010112", "id_number", "idno_length"},
        {&in.people[0].id_number, "45010219900101123Y", "id_number", "idno_chars"},
        {&in.people[0].id_number, "450102199002301234", "id_number", "idno_date"},
        {&in.people[0].id_number, "450102202301101235", "id_number", "idno_future"},
        {&in.people[0].id_number, "450102199001011232", "id_number", "idno_check"},
        {&in.people[0].phone, "12812345678", "phone", "phone_format"},
        {&in.people[0].poverty, "yes", "poverty", "poverty_enum"},
        {&in.dest_city, NULL, "dest_city", "required"},
        {&in.dest_city, "44", "dest_city", "unknown_city"},
        {&in.dest_city, "4420", "dest_city", "unknown_city"},
        {&in.employer, "东莞\n工厂", "employer", "employer_chars"}, /* not the names' word */
        {&in.employer, "\xED\xA0\x80", "employer", "utf8"},
        {&in.depart_date, NULL, "depart_date", "required"},
        {&in.depart_date, "2023-2-1", "depart_date", "date_format"},
        {&in.depart_date, "2023-02-30", "depart_date", "date_format"},
        {&in.depart_date, "2023-04-01", "depart_date", "date_window"},
        {&in.depart_date, "2023-01-08", "depart_date", "date_past"},
        {&in.mode, NULL, "mode", "required"},
        {&in.mode, "car", "mode", "mode_enum"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); ++i) {
        const char *saved = *cases[i].slot;
        *cases[i].slot = cases[i].value;
        expect_one(&in, cases[i].field, cases[i].code);
        *cases[i].slot = saved;
    }
}

static void test_other_errors(void)
{
    struct sg_registration_input in = good();
    char employer[256] = "";
    for (int i = 0; i < 61; ++i)
        memcpy(employer + 3 * i, "厂", 4);
    in.employer = employer;
    expect_one(&in, "employer", "too_long");
    in = good();
    in.job_confirmed = -1;
    expect_one(&in, "job_confirmed", "required");
    in = good();
    in.flex_days = -1;
    expect_one(&in, "flex_days", "required");
    in.flex_days = 4;
    expect_one(&in, "flex_days", "flex_range");
    in.flex_days = -2;
    expect_one(&in, "flex_days", "flex_range");
    in = good();
    in.consent = 0;
    expect_one(&in, "consent", "consent_required");
    in = good();
    in.npeople = 11;
    for (size_t i = 1; i < SG_MAX_PEOPLE; ++i)
        in.people[i] = (struct sg_person_input){"李四", ids[1 + (i - 1) % 5], NULL, NULL, 0};
    in.npeople = SG_MAX_PEOPLE + 1;
    struct sg_registration out;
    struct sg_field_errors errs;
    ASSERT_EQ(sg_registration_validate(&in, &ctx, &out, &errs), SG_EINVAL);
    ASSERT(has(&errs, "companions", "too_many_companions"));
    ASSERT(has(&errs, "companions[5].id_number", "duplicate_in_request"));
    ASSERT(!has(&errs, "companions[4].id_number", "duplicate_in_request"));
}

static void test_everything_wrong(void)
{
    struct sg_registration_input in = {.job_confirmed = -1, .flex_days = -1};
    struct sg_registration out;
    struct sg_field_errors errs;
    in.npeople = 0;
    ASSERT_EQ(sg_registration_validate(&in, &ctx, &out, &errs), SG_EINVAL);
    const char *fields[] = {"village",   "name",          "id_number",   "phone",     "poverty",
                            "dest_city", "job_confirmed", "depart_date", "flex_days", "mode"};
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); ++i)
        ASSERT(has(&errs, fields[i], "required"));
    ASSERT(has(&errs, "consent", "consent_required"));
    ASSERT_EQ(errs.n, 11);
    /* 7 + 1 + 10 x 4 errors: the list is capped, not overrun */
    in.npeople = SG_MAX_PEOPLE + 1;
    in.employer = "\x01";
    for (size_t i = 0; i < SG_MAX_PEOPLE; ++i)
        in.people[i] = (struct sg_person_input){"1", "x", "x", "x", 0};
    ASSERT_EQ(sg_registration_validate(&in, &ctx, &out, &errs), SG_EINVAL);
    ASSERT_EQ(errs.n, SG_FIELD_ERRORS_MAX);
}

static void test_names(void)
{
    ASSERT_STREQ(sg_mode_name(SG_MODE_TRAIN), "train");
    ASSERT_STREQ(sg_poverty_name(SG_POVERTY_MONITORED), "monitored");
    ASSERT_EQ(sg_mode_parse("flight"), SG_MODE_FLIGHT);
    ASSERT_EQ(sg_mode_parse("Flight"), -1);
    ASSERT_EQ(sg_mode_parse(NULL), -1);
    ASSERT_EQ(sg_poverty_parse("alleviated"), SG_POVERTY_ALLEVIATED);
    ASSERT_EQ(sg_poverty_parse(""), -1);
}

static long counter(const struct sg_counter *c, size_t n, const char *field)
{
    for (size_t i = 0; i != n; ++i)
        if (strcmp(c[i].field, field) == 0)
            return c[i].n;
    return 0;
}

static void test_counters(void)
{
    struct sg_registration r;
    struct sg_field_errors errs;
    struct sg_registration_input in = good();
    ASSERT_EQ(sg_registration_validate(&in, &ctx, &r, &errs), 0);
    /* make the second person 50+ on the day of sign-up and poverty-alleviated */
    r.npeople = 2;
    r.people[1] = r.people[0];
    r.people[1].id.birth = (struct sg_date){1972, 1, 9};
    r.people[1].poverty = SG_POVERTY_MONITORED;
    r.people[1].low_income = true;
    r.people[0].poverty = SG_POVERTY_NONE;
    r.people[0].low_income = false;
    r.people[0].id.birth = (struct sg_date){1990, 1, 1};
    struct sg_counter c[SG_COUNTERS_MAX];
    size_t n = sg_registration_counters(&r, (struct sg_date){2022, 1, 9}, c);
    ASSERT_EQ(counter(c, n, "people"), 2);
    ASSERT_EQ(counter(c, n, "regs"), 1);
    char dest[24];
    snprintf(dest, sizeof(dest), "dest:%s", r.dest_city);
    ASSERT_EQ(counter(c, n, dest), 2);
    ASSERT_EQ(counter(c, n, "poverty"), 1);
    ASSERT_EQ(counter(c, n, "age50"), 1); /* 50 exactly on 2022-01-09 */
    ASSERT_EQ(counter(c, n, "low"), 1);
    ASSERT_EQ(counter(c, n, "day:2022-01-09"), 2);
    n = sg_registration_counters(&r, (struct sg_date){2022, 1, 8}, c);
    ASSERT_EQ(counter(c, n, "age50"), 0); /* one day short of 50: not counted, and left out */
    for (size_t i = 0; i != n; ++i)
        ASSERT(c[i].n != 0 && strcmp(c[i].field, "age50") != 0);
}

/* Jobs (issue 17): the employer picked by id, 想找工作 with the kind of work only without
 * a job, consent to SMS, and their counters for the grouping by category. */
static void test_jobs_fields(void)
{
    struct sg_registration r;
    struct sg_field_errors errs;
    struct sg_registration_input in = good();
    in.job_confirmed = 0, in.seek_job = 1, in.work = "construction", in.employer_id = "12";
    in.people[0].low_income = 1;
    ASSERT_EQ(sg_registration_validate(&in, &ctx, &r, &errs), 0);
    ASSERT(r.people[0].low_income); /* 低收入: kept as given */
    ASSERT(r.seek_job && r.sms);
    ASSERT_EQ(r.work, 1);
    ASSERT_STREQ(r.employer_id, "12");
    r.people[0].poverty = SG_POVERTY_ALLEVIATED;
    snprintf(r.employer_id, sizeof(r.employer_id), "12");
    struct sg_counter c[SG_COUNTERS_MAX];
    size_t n = sg_registration_counters(&r, (struct sg_date){2022, 1, 9}, c);
    char f[24];
    snprintf(f, sizeof(f), "pdest:%s", r.dest_city);
    ASSERT_EQ(counter(c, n, f), 1);
    ASSERT_EQ(counter(c, n, "emp:12"), (long)r.npeople);
    ASSERT_EQ(counter(c, n, "pemp:12"), 1);
    ASSERT_EQ(counter(c, n, "seek"), (long)r.npeople);
    ASSERT_EQ(counter(c, n, "work:construction"), (long)r.npeople);
    ASSERT_EQ(counter(c, n, "low"), 1);
    ASSERT(n <= SG_COUNTERS_MAX);
    in.job_confirmed = 1; /* a confirmed job: no wish kept */
    ASSERT_EQ(sg_registration_validate(&in, &ctx, &r, &errs), 0);
    ASSERT(!r.seek_job);
    ASSERT_EQ(r.work, -1);
    in.work = "mining", in.employer_id = "1x";
    ASSERT_EQ(sg_registration_validate(&in, &ctx, &r, &errs), SG_EINVAL);
}

static void test_worker_phone_optional_for_staff(void)
{
    struct sg_registration r;
    struct sg_field_errors errs;
    struct sg_registration_input in = good();
    in.people[0].phone = "";
    ASSERT_EQ(sg_registration_validate(&in, &ctx, &r, &errs), SG_EINVAL);
    ASSERT(has(&errs, "phone", "required"));
    ctx.worker_phone_optional = true;
    ASSERT_EQ(sg_registration_validate(&in, &ctx, &r, &errs), 0);
    ASSERT_STREQ(r.people[0].phone, "");
    in.people[0].phone = "12345"; /* optional, but what is given is still checked */
    ASSERT_EQ(sg_registration_validate(&in, &ctx, &r, &errs), SG_EINVAL);
    ASSERT(has(&errs, "phone", "phone_format"));
    ctx.worker_phone_optional = false;
}

int main(void)
{
    setup();
    RUN(test_valid);
    RUN(test_field_names);
    RUN(test_duplicates);
    RUN(test_single_errors);
    RUN(test_other_errors);
    RUN(test_everything_wrong);
    RUN(test_names);
    RUN(test_companions);
    RUN(test_counters);
    RUN(test_jobs_fields);
    RUN(test_worker_phone_optional_for_staff);
    teardown();
    TEST_DONE();
}
