/* SPDX-License-Identifier: MIT */
/* domain/report.c: rows of a scope, what counts (departed or arrived, up to the date,
 * in scope), 万人 and 万元 rounding, funding amounts, the self-checks. */
#include <stdlib.h>
#include <string.h>
#include "domain/err.h"
#include "domain/report.h"
#include "test.h"

static struct sg_divisions *load(void)
{
    static const char table[] = "45\t广西\n4501\t南宁市\n450102\t兴宁区\n450103\t青秀区\n450102001\t甲街道\n"
                                "450102001001\t一村\n4502\t柳州市\n450202\t城中区\n450202001\t乙街道\n"
                                "450202001001\t二村\n";
    size_t bad = 0, n = sizeof(table) - 1;
    char *buf = malloc(n);
    memcpy(buf, table, n);
    return sg_divisions_parse(buf, n, false, &bad);
}

static struct sg_vehicle vehicle(const char *scope, enum sg_vehicle_type t, enum sg_vehicle_status st, const char *city,
                                 int day, uint32_t people, uint32_t poverty)
{
    struct sg_vehicle v;
    memset(&v, 0, sizeof(v));
    snprintf(v.scope, sizeof(v.scope), "%s", scope);
    snprintf(v.dest_city, sizeof(v.dest_city), "%s", city);
    v.type = t, v.status = st, v.depart_date = (struct sg_date){2027, 2, day};
    v.boarded_people = people, v.boarded_poverty = poverty;
    return v;
}

static void test_wan_rounding(void)
{
    char s[24];
    static const struct {
        long people;
        const char *wan;
    } cases[] = {{0, "0.00"},     {49, "0.00"},    {50, "0.01"},     {149, "0.01"},
                 {150, "0.02"},   {12345, "1.23"}, {12349, "1.23"},  {12350, "1.24"},
                 {9999, "1.00"},  {10000, "1.00"}, {99950, "10.00"}, {1234567, "123.46"},
                 {99949, "9.99"}, {-150, "-0.02"}, {1, "0.00"},      {5000, "0.50"}};
    for (size_t i = 0; i != sizeof(cases) / sizeof(cases[0]); ++i) {
        sg_report_wan(cases[i].people, s);
        ASSERT_STREQ(s, cases[i].wan);
    }
    ASSERT_EQ(sg_report_wan_hundredths(12350), 124);
    char y[32];
    sg_report_wanyuan(125000, y);
    ASSERT_STREQ(y, "12.50");
    sg_report_wanyuan(350, y);
    ASSERT_STREQ(y, "0.04");
    sg_report_wanyuan(349, y);
    ASSERT_STREQ(y, "0.03");
}

static void test_amount_parse(void)
{
    int64_t yuan = 0;
    ASSERT_EQ(sg_funding_amount_parse("12.5", &yuan), 0);
    ASSERT_EQ(yuan, 125000);
    ASSERT_EQ(sg_funding_amount_parse("3", &yuan), 0);
    ASSERT_EQ(yuan, 30000);
    ASSERT_EQ(sg_funding_amount_parse("0.0350", &yuan), 0);
    ASSERT_EQ(yuan, 350);
    ASSERT_EQ(sg_funding_amount_parse("999999.9999", &yuan), 0);
    static const char *const bad[] = {"", ".5", "5.", "1.23456", "1000000", "-1", "1e3", "0", "0.0000", "1,5", NULL};
    for (size_t i = 0; bad[i] != NULL; ++i)
        ASSERT_EQ(sg_funding_amount_parse(bad[i], &yuan), SG_EINVAL);
    ASSERT_EQ(sg_funding_amount_parse(NULL, &yuan), SG_EINVAL);
}

static void test_rows_and_sums(void)
{
    struct sg_divisions *ds = load();
    struct sg_report r;
    ASSERT_EQ(sg_report_init(&r, ds, "45", (struct sg_date){2027, 2, 10}), 0);
    ASSERT_EQ(r.nrows, 3); /* 南宁, 柳州, own */
    ASSERT_STREQ(r.rows[0].division->code, "4501");
    ASSERT(r.rows[2].own);
    sg_report_add_returns(&r, "450102001001", 12000, 10000, 2000);
    sg_report_add_returns(&r, "450202001001", 5000, 4000, 900); /* does not add up */
    struct sg_vehicle vs[] = {
        vehicle("4501", SG_VEHICLE_BUS, SG_VEHICLE_DEPARTED, "4419", 3, 48, 10),
        vehicle("450102", SG_VEHICLE_TRAIN, SG_VEHICLE_ARRIVED, "3301", 4, 900, 100),
        vehicle("450103", SG_VEHICLE_FLIGHT, SG_VEHICLE_DEPARTED, "4403", 5, 150, 20),
        vehicle("4501", SG_VEHICLE_BUS, SG_VEHICLE_BOARDING, "4419", 3, 40, 0),  /* not departed */
        vehicle("4501", SG_VEHICLE_BUS, SG_VEHICLE_DEPARTED, "4419", 11, 40, 0), /* after until */
        vehicle("4502", SG_VEHICLE_BUS, SG_VEHICLE_DEPARTED, "4419", 6, 50, 5),
        vehicle("45", SG_VEHICLE_TRAIN, SG_VEHICLE_DEPARTED, "4401", 7, 1000, 0), /* the region's own */
        vehicle("4601", SG_VEHICLE_BUS, SG_VEHICLE_DEPARTED, "4419", 6, 50, 5),   /* outside */
    };
    bool counted[] = {true, true, true, false, false, true, true, false};
    for (size_t i = 0; i != sizeof(vs) / sizeof(vs[0]); ++i)
        ASSERT_EQ(sg_report_add_vehicle(&r, &vs[i]), counted[i]);
    struct sg_funding f = {.scope = "4501", .yuan = 125000, .source = "自治区就业补助资金", .date = {2027, 2, 1}};
    ASSERT(sg_report_add_funding(&r, &f));
    f.yuan = 50000, snprintf(f.source, sizeof(f.source), "本级就业补助资金");
    ASSERT(sg_report_add_funding(&r, &f));
    f.yuan = 10000, snprintf(f.source, sizeof(f.source), "自治区就业补助资金");
    ASSERT(sg_report_add_funding(&r, &f));
    f.date = (struct sg_date){2027, 2, 11};
    ASSERT(!sg_report_add_funding(&r, &f)); /* after until */
    sg_report_finish(&r);

    const struct sg_report_figures *nn = &r.rows[0].f, *lz = &r.rows[1].f, *own = &r.rows[2].f, *t = &r.total.f;
    ASSERT_EQ(nn->buses, 1);
    ASSERT_EQ(nn->trains, 1);
    ASSERT_EQ(nn->flights, 1);
    ASSERT_EQ(sg_report_trips(nn), 2); /* col 4: trains and buses only */
    ASSERT_EQ(nn->people, 48 + 900 + 150);
    ASSERT_EQ(nn->poverty, 130);
    ASSERT_EQ(nn->guangdong, 48 + 150);
    ASSERT_EQ(nn->yuan, 185000);
    ASSERT_STREQ(nn->sources, "自治区就业补助资金、本级就业补助资金");
    ASSERT_EQ(r.rows[0].checks, 0);
    ASSERT_EQ(r.rows[1].checks, SG_CHECK_RETURNS_SUM | SG_CHECK_NO_FUNDING);
    ASSERT_EQ(lz->bus_people, 50);
    ASSERT_EQ(own->train_people, 1000);
    ASSERT(sg_report_row_shown(&r.rows[2]));
    ASSERT_EQ(t->people, 48 + 900 + 150 + 50 + 1000);
    ASSERT_EQ(t->guangdong, 48 + 150 + 50 + 1000);
    ASSERT_EQ(t->outbound, 17000);
    ASSERT_EQ(sg_report_trips(t), 4);
    ASSERT_STREQ(t->sources, "自治区就业补助资金、本级就业补助资金");
    ASSERT(r.total.checks & SG_CHECK_RETURNS_SUM);
    sg_report_dispose(&r);

    /* a city: rows per county; the city's own vehicles in the own row */
    ASSERT_EQ(sg_report_init(&r, ds, "4501", (struct sg_date){2027, 2, 10}), 0);
    ASSERT_EQ(r.nrows, 3); /* 兴宁区, 青秀区, own */
    for (size_t i = 0; i != sizeof(vs) / sizeof(vs[0]); ++i)
        sg_report_add_vehicle(&r, &vs[i]);
    sg_report_finish(&r);
    ASSERT_EQ(r.rows[0].f.trains, 1);
    ASSERT_EQ(r.rows[1].f.flights, 1);
    ASSERT_EQ(r.rows[2].f.buses, 1);
    ASSERT_EQ(r.total.f.people, 48 + 900 + 150);
    sg_report_dispose(&r);

    ASSERT_EQ(sg_report_init(&r, ds, "450102", (struct sg_date){2027, 2, 10}), SG_EINVAL);
    sg_report_dispose(&r);
    ASSERT_EQ(sg_report_init(&r, ds, "4599", (struct sg_date){2027, 2, 10}), SG_ENOENT);
    sg_divisions_free(ds);
}

static void test_people_check(void)
{
    struct sg_report_row row = {0};
    struct sg_report r = {0};
    (void)r;
    row.f.people = 20000, row.f.bus_people = 19000, row.f.train_people = 949; /* 2.00 vs 1.99 */
    row.f.funding_entries = 1;
    struct sg_divisions *ds = load();
    struct sg_report rep;
    sg_report_init(&rep, ds, "45", (struct sg_date){2027, 2, 10});
    rep.rows[0].f = row.f;
    sg_report_finish(&rep);
    ASSERT_EQ(rep.rows[0].checks, SG_CHECK_PEOPLE_SUM);
    rep.rows[0].f.train_people = 1000;
    sg_report_finish(&rep);
    ASSERT_EQ(rep.rows[0].checks, 0);
    ASSERT_STREQ(sg_report_check_code(SG_CHECK_NO_FUNDING), "no_funding");
    sg_report_dispose(&rep);
    sg_divisions_free(ds);
}

int main(void)
{
    RUN(test_wan_rounding);
    RUN(test_amount_parse);
    RUN(test_rows_and_sums);
    RUN(test_people_check);
    TEST_DONE();
}
