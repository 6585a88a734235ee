/* SPDX-License-Identifier: MIT */
/* domain/stats.c: which hashes a scope reads, and how their fields add up. */
#include <stdlib.h>
#include <string.h>
#include "domain/err.h"
#include "domain/stats.h"
#include "test.h"

static const char table[] = "45\t广西\n4501\t南宁市\n450102\t兴宁区\n450102001\t甲街道\n"
                            "450102001001\t一村\n450102001002\t二村\n450102002\t乙镇\n450102002001\t三村\n"
                            "450103\t青秀区\n450103001\t丙镇\n450103001001\t四村\n4502\t柳州市\n450202\t城中区\n";

static struct sg_divisions *load(void)
{
    size_t bad = 0, n = sizeof(table) - 1;
    char *buf = malloc(n);
    memcpy(buf, table, n);
    struct sg_divisions *ds = sg_divisions_parse(buf, n, false, &bad);
    ASSERT(ds != NULL);
    return ds;
}

static const struct sg_date today = {2027, 1, 10};

static void add(struct sg_stats *st, size_t src, const char *field, long n)
{
    sg_stats_add(st, src, field, strlen(field), n);
}

static void test_region_reads_counties_children_cities(void)
{
    struct sg_divisions *ds = load();
    struct sg_stats st;
    ASSERT_EQ(sg_stats_init(&st, ds, "45", today), 0);
    ASSERT_EQ(st.nsources, 3);
    ASSERT_STREQ(st.sources[0]->code, "450102");
    ASSERT_STREQ(st.sources[2]->code, "450202");
    ASSERT_EQ(st.nchildren, 2);
    ASSERT_STREQ(st.children[1].division->code, "4502");
    add(&st, 0, "people", 5);
    add(&st, 1, "people", 2);
    add(&st, 2, "people", 1);
    add(&st, 0, "day:2027-01-10", 3);
    add(&st, 0, "day:2027-01-09", 2);
    add(&st, 2, "returns:outbound", 40);
    add(&st, 0, "t:assigned", 6);
    add(&st, 1, "t:assigned", 2);
    add(&st, 0, "t:notified", 4);
    add(&st, 0, "t:boarded", 3);
    add(&st, 0, "t:departed", 3);
    add(&st, 0, "t:arrived", 1);
    add(&st, 0, "t:unknown", 9);
    ASSERT_EQ(st.total.assigned, 8); /* the transport counters */
    ASSERT_EQ(st.children[0].counts.assigned, 8);
    ASSERT_EQ(st.children[1].counts.assigned, 0);
    ASSERT_EQ(st.total.notified, 4);
    ASSERT_EQ(st.total.boarded, 3);
    ASSERT_EQ(st.total.departed, 3);
    ASSERT_EQ(st.total.arrived, 1);
    ASSERT_EQ(st.total.people, 8);
    ASSERT_EQ(st.total.today, 3);
    ASSERT_EQ(st.children[0].counts.people, 7);
    ASSERT_EQ(st.children[1].counts.people, 1);
    ASSERT_EQ(st.children[1].counts.outbound, 40);
    sg_stats_dispose(&st);
    sg_divisions_free(ds);
}

static void test_county_reads_villages_children_townships(void)
{
    struct sg_divisions *ds = load();
    struct sg_stats st;
    ASSERT_EQ(sg_stats_init(&st, ds, "450102", today), 0);
    ASSERT_EQ(st.nsources, 3);
    ASSERT_EQ(st.nchildren, 2);
    ASSERT_EQ(st.source_child[1], 0);
    ASSERT_EQ(st.source_child[2], 1);
    add(&st, 2, "regs", 1);
    ASSERT_EQ(st.children[1].counts.regs, 1);
    sg_stats_dispose(&st);
    sg_divisions_free(ds);
}

static void test_township_and_village(void)
{
    struct sg_divisions *ds = load();
    struct sg_stats st;
    ASSERT_EQ(sg_stats_init(&st, ds, "450102001", today), 0);
    ASSERT_EQ(st.nsources, 2);
    ASSERT_EQ(st.nchildren, 2);
    ASSERT_EQ(st.source_child[1], 1);
    sg_stats_dispose(&st);
    ASSERT_EQ(sg_stats_init(&st, ds, "450102001002", today), 0);
    ASSERT_EQ(st.nsources, 1);
    ASSERT_EQ(st.nchildren, 0);
    add(&st, 0, "poverty", 2); /* no child to add to */
    ASSERT_EQ(st.total.poverty, 2);
    add(&st, 0, "low", 3);
    ASSERT_EQ(st.total.low, 3);
    sg_stats_dispose(&st);
    ASSERT_EQ(sg_stats_init(&st, ds, "4509", today), SG_ENOENT);
    sg_divisions_free(ds);
}

static void test_breakdowns(void)
{
    struct sg_divisions *ds = load();
    struct sg_stats st;
    ASSERT_EQ(sg_stats_init(&st, ds, "4501", today), 0);
    add(&st, 0, "dest:4419", 3);
    add(&st, 1, "dest:4403", 5);
    add(&st, 1, "dest:4419", 1);
    add(&st, 0, "dest:44", 1); /* malformed: ignored */
    add(&st, 0, "date:2027-02-03", 4);
    add(&st, 1, "date:2027-02-01", 1);
    add(&st, 1, "date:2027-02-03", 2);
    add(&st, 1, "unknown", 9);
    sg_stats_finish(&st);
    ASSERT_EQ(st.ndest, 2);
    ASSERT_STREQ(st.dest[0].key, "4403");
    ASSERT_EQ(st.dest[0].n, 5);
    ASSERT_EQ(st.dest[1].n, 4);
    ASSERT_EQ(st.ndates, 2);
    ASSERT_STREQ(st.dates[0].key, "2027-02-01");
    ASSERT_EQ(st.dates[1].n, 6);
    ASSERT_EQ(st.total.people, 0);
    sg_stats_dispose(&st);
    sg_divisions_free(ds);
}

int main(void)
{
    RUN(test_region_reads_counties_children_cities);
    RUN(test_county_reads_villages_children_townships);
    RUN(test_township_and_village);
    RUN(test_breakdowns);
    TEST_DONE();
}
