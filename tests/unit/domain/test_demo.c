/* SPDX-License-Identifier: MIT */
/* Tests of domain/demo.c: determinism, and that every made-up sign-up validates. */
#include <stdio.h>
#include "test.h"
#include "domain/demo.h"
#include "domain/mask.h"

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
                          "450102001001\t新竹社区\n450102001002\t民乐社区\n4512\t河池市\n451202\t金城江区\n"
                          "451202100\t东江镇\n451202100201\t加辽村\n451202100202\t东江村\n",
                          false);
    ctx.destinations = parse("44\t广东省\n4401\t广州市\n4403\t深圳市\n4419\t东莞市\n4420\t中山市\n4452\t揭阳市\n"
                             "33\t浙江省\n3302\t宁波市\n32\t江苏省\n3205\t苏州市\n3206\t南通市\n"
                             "45\t广西壮族自治区\n4501\t南宁市\n4502\t柳州市\n11\t北京市\n1101\t市辖区\n",
                             false);
    ctx.regions = parse("450102\t兴宁区\n451202\t金城江区\n", true);
    ctx.today = (struct sg_date){2023, 1, 20};
    ctx.starts = (struct sg_date){2023, 1, 9};
    ctx.ends = (struct sg_date){2023, 3, 31};
}

static void teardown(void)
{
    sg_divisions_free((struct sg_divisions *)ctx.divisions);
    sg_divisions_free((struct sg_divisions *)ctx.destinations);
    sg_divisions_free((struct sg_divisions *)ctx.regions);
}

static void test_rng(void)
{
    struct sg_demo_rng a, b;
    sg_demo_rng_seed(&a, 42);
    sg_demo_rng_seed(&b, 42);
    for (int i = 0; i < 100; ++i)
        ASSERT(sg_demo_rng_next(&a) == sg_demo_rng_next(&b));
    sg_demo_rng_seed(&b, 43);
    ASSERT(sg_demo_rng_next(&a) != sg_demo_rng_next(&b));
    /* splitmix64(0) is a published reference value */
    sg_demo_rng_seed(&a, 0);
    ASSERT(a.s[0] == 0xE220A8397B1DCDAFull);
}

/* Turn a registration back into what a form would send. */
static struct sg_registration_input to_input(const struct sg_registration *r, char date[11])
{
    static const char *const flags[] = {"none", "alleviated", "monitored"};
    struct sg_registration_input in = {
        .village = r->village,
        .dest_city = r->dest_city,
        .employer = r->employer,
        .depart_date = date,
        .mode = sg_mode_name(r->mode),
        .job_confirmed = r->job_confirmed,
        .flex_days = r->flex_days,
        .consent = 1,
        .npeople = r->npeople,
    };
    sg_date_format(r->depart_date, date);
    for (size_t i = 0; i < r->npeople; ++i) {
        const struct sg_person *p = &r->people[i];
        in.people[i] = (struct sg_person_input){p->name, p->id.number, p->phone, flags[p->poverty], 0};
    }
    return in;
}

static void check_same(const struct sg_registration *a, const struct sg_registration *b)
{
    ASSERT_STREQ(a->village, b->village);
    ASSERT_EQ(a->npeople, b->npeople);
    for (size_t i = 0; i < a->npeople; ++i) {
        ASSERT_STREQ(a->people[i].name, b->people[i].name);
        ASSERT_STREQ(a->people[i].id.number, b->people[i].id.number);
        ASSERT_STREQ(a->people[i].phone, b->people[i].phone);
        ASSERT_EQ(a->people[i].poverty, b->people[i].poverty);
        ASSERT_EQ(a->people[i].region_unknown, b->people[i].region_unknown);
        ASSERT_EQ(a->people[i].id.sex, b->people[i].id.sex);
    }
    ASSERT_STREQ(a->dest_city, b->dest_city);
    ASSERT_STREQ(a->employer, b->employer);
    ASSERT_EQ(a->job_confirmed, b->job_confirmed);
    ASSERT_EQ(sg_date_cmp(a->depart_date, b->depart_date), 0);
    ASSERT_EQ(a->flex_days, b->flex_days);
    ASSERT_EQ(a->mode, b->mode);
}

static void test_validates(void)
{
    struct sg_demo_rng rng;
    sg_demo_rng_seed(&rng, 2023);
    size_t n = 5000, gd = 0, groups = 0, confirmed = 0, poor = 0, people = 0, beijing = 0;
    for (size_t k = 0; k < n; ++k) {
        struct sg_registration r, back;
        struct sg_field_errors errs;
        char date[11];
        sg_demo_registration(&rng, &ctx, &r);
        struct sg_registration_input in = to_input(&r, date);
        if (sg_registration_validate(&in, &ctx, &back, &errs) != 0)
            SG_FAIL("sample %zu: %s=%s", k, errs.e[0].field, errs.e[0].code);
        check_same(&r, &back);
        gd += strncmp(r.dest_city, "44", 2) == 0;
        beijing += strncmp(r.dest_city, "11", 2) == 0;
        groups += r.npeople > 1;
        confirmed += r.job_confirmed;
        ASSERT(r.npeople <= 4);
        for (size_t i = 0; i < r.npeople; ++i) {
            const struct sg_person *p = &r.people[i];
            int age = sg_idno_age(&p->id, ctx.today);
            ASSERT(age >= 18 && age <= 65);
            ASSERT(strncmp(p->id.number, r.village, 6) == 0);
            ASSERT(i > 0 || p->phone[0] != '\0');
            poor += p->poverty != SG_POVERTY_NONE;
            ++people;
        }
    }
    printf("guangdong %zu, groups %zu, confirmed %zu of %zu; poverty %zu of %zu people\n", gd, groups, confirmed, n,
           poor, people);
    ASSERT(gd > n * 65 / 100 && gd < n * 75 / 100);
    ASSERT(groups > n * 20 / 100 && groups < n * 30 / 100);
    ASSERT(confirmed > n * 55 / 100 && confirmed < n * 65 / 100);
    ASSERT(poor > people * 12 / 100 && poor < people * 18 / 100);
    ASSERT_EQ(beijing, 0);
}

static void test_deterministic(void)
{
    struct sg_demo_rng a, b;
    sg_demo_rng_seed(&a, 7);
    sg_demo_rng_seed(&b, 7);
    for (int k = 0; k < 100; ++k) {
        struct sg_registration x, y;
        sg_demo_registration(&a, &ctx, &x);
        sg_demo_registration(&b, &ctx, &y);
        check_same(&x, &y);
    }
}

/* A destinations table without the big cities, or without Guangdong: still valid. */
static void test_sparse_destinations(void)
{
    const struct sg_divisions *full = ctx.destinations;
    struct sg_divisions *sparse = parse("44\t广东省\n4452\t揭阳市\n45\t广西壮族自治区\n", false);
    struct sg_divisions *tiny = parse("11\t北京市\n1101\t市辖区\n", false);
    const struct sg_divisions *tables[] = {sparse, tiny};
    struct sg_demo_rng rng;
    sg_demo_rng_seed(&rng, 1);
    for (size_t t = 0; t < 2; ++t) {
        ctx.destinations = tables[t];
        for (int k = 0; k < 500; ++k) {
            struct sg_registration r, back;
            struct sg_field_errors errs;
            char date[11];
            sg_demo_registration(&rng, &ctx, &r);
            struct sg_registration_input in = to_input(&r, date);
            ASSERT_EQ(sg_registration_validate(&in, &ctx, &back, &errs), 0);
            ASSERT(strcmp(r.dest_city, t == 0 ? "4452" : "1101") == 0);
        }
    }
    ctx.destinations = full;
    sg_divisions_free(sparse);
    sg_divisions_free(tiny);
}

static void test_sample(void)
{
    struct sg_demo_rng rng;
    struct sg_registration r;
    char idm[19], phm[12], date[11];
    sg_demo_rng_seed(&rng, 9);
    sg_demo_registration(&rng, &ctx, &r);
    sg_mask_idno(r.people[0].id.number, idm);
    sg_mask_phone(r.people[0].phone, phm);
    sg_date_format(r.depart_date, date);
    printf("sample: %s %s %s -> %s %s on %s\n", r.people[0].name, idm, phm, r.dest_city, r.employer, date);
    /* What a demo shows staff must look like the real thing: masked as staff see it, a
     * destination of the table, a day inside the campaign, the same sample for the seed. */
    ASSERT_EQ(strlen(idm), 18);
    ASSERT(strspn(idm, "0123456789") == 6 && strncmp(idm + 6, "********", 8) == 0);
    ASSERT_EQ(strlen(phm), 11);
    ASSERT(phm[0] == '1' && strncmp(phm + 3, "****", 4) == 0);
    ASSERT(sg_divisions_find(ctx.destinations, r.dest_city, strlen(r.dest_city)) != NULL);
    ASSERT(sg_date_cmp(r.depart_date, ctx.starts) >= 0 && sg_date_cmp(r.depart_date, ctx.ends) <= 0);
    ASSERT(r.npeople >= 1 && r.people[0].name[0] != '\0');
    struct sg_demo_rng again;
    struct sg_registration r2;
    sg_demo_rng_seed(&again, 9);
    sg_demo_registration(&again, &ctx, &r2);
    ASSERT_STREQ(r2.people[0].id.number, r.people[0].id.number);
    ASSERT_STREQ(r2.people[0].phone, r.people[0].phone);
}

/* Departures as an organiser sees them: most in the days after 春节 (here 22 January 2023:
 * 27 January to 5 February), the first days the busiest, a few anywhere else. */
static void test_departures_peak(void)
{
    long lo = sg_date_days(ctx.today), hi = sg_date_days(ctx.ends), peak_hi;
    long peak_lo = sg_demo_peak(lo, hi, &peak_hi);
    ASSERT_EQ(peak_lo, sg_date_days((struct sg_date){2023, 1, 27}));
    ASSERT_EQ(peak_hi, sg_date_days((struct sg_date){2023, 2, 5}));
    long cut_hi;
    ASSERT_EQ(sg_demo_peak(lo, peak_lo + 2, &cut_hi), peak_lo); /* cut by the window's end */
    ASSERT_EQ(cut_hi, peak_lo + 2);
    ASSERT_EQ(
        sg_demo_peak(sg_date_days((struct sg_date){2023, 6, 1}), sg_date_days((struct sg_date){2023, 9, 1}), &cut_hi),
        -1);
    struct sg_demo_rng rng;
    sg_demo_rng_seed(&rng, 5);
    unsigned in_peak = 0, first = 0, last = 0, outside = 0, n = 20000;
    for (unsigned i = 0; i < n; ++i) {
        struct sg_registration r;
        sg_demo_registration(&rng, &ctx, &r);
        long d = sg_date_days(r.depart_date);
        ASSERT(d >= lo && d <= hi);
        in_peak += d >= peak_lo && d <= peak_hi;
        outside += d < peak_lo || d > peak_hi;
        first += d == peak_lo;
        last += d == peak_hi;
    }
    printf("departures: %u of %u in the peak, %u on its first day, %u on its last, %u outside\n", in_peak, n, first,
           last, outside);
    ASSERT(in_peak > n * 80 / 100 && in_peak < n * 92 / 100);
    ASSERT(first > 3 * last && outside > n / 20);
}

int main(void)
{
    setup();
    RUN(test_rng);
    RUN(test_validates);
    RUN(test_deterministic);
    RUN(test_sparse_destinations);
    RUN(test_sample);
    RUN(test_departures_peak);
    teardown();
    TEST_DONE();
}
