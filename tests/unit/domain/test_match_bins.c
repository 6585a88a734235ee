/* SPDX-License-Identifier: MIT */
/* domain/match_bins.c: an existing vehicle's seats come from its free runs, the first that
 * holds a group whole; a new vehicle counts its people and narrows its date window; groups
 * are kept in the order they went in. */
#include <string.h>
#include "domain/match_internal.h"
#include "test.h"

static void test_existing_runs_and_new_bins(void)
{
    struct sg_match_item items[] = {{4419, 100, 1, SG_MODE_MASK_ANY, 3, 1},
                                    {4419, 101, 0, SG_MODE_MASK_ANY, 4, 1},
                                    {4419, 99, 2, SG_MODE_MASK_ANY, 2, 1}};
    struct sg_match_assignment assign[3];
    uint32_t next[3];
    struct sg__run runs[] = {{3, 5}, {10, 12}}; /* free: 3-5 and 10-12 */
    struct sg_match_result res = {.assign = assign};
    struct sg_match_config cfg = {{50, 1000, 150}, {0}, 0};
    struct sg__matcher m = {.items = items, .nitems = 3, .config = &cfg, .next = next, .runs = runs, .res = &res};
    for (int i = 0; i != 3; ++i)
        assign[i] = (struct sg_match_assignment){SG_MATCH_NONE, 0};
    uint32_t ex = sg__match_add_bin(&m, 4419, 100, SG_VEHICLE_BUS, 12, 0);
    m.bins[ex].used = 6, m.bins[ex].run = 0, m.bins[ex].nrun = 2, m.nexisting = 1;
    ASSERT_EQ(sg__match_longest_run(&m, &m.bins[ex]), 3);
    ASSERT(sg__match_fits(&m, ex, 3));
    ASSERT(!sg__match_fits(&m, ex, 4)); /* 6 seats free, but no run of 4 */
    sg__match_put(&m, ex, 0);
    ASSERT_EQ(assign[0].seat, 3);
    ASSERT_EQ(assign[0].vehicle, ex);
    ASSERT_EQ(sg__match_longest_run(&m, &m.bins[ex]), 3); /* 10-12 left */
    ASSERT_EQ(res.people_placed, 3);
    uint32_t nb = sg__match_add_bin(&m, 4419, 100, SG_VEHICLE_BUS, 6, 450126101ull);
    ASSERT_EQ(nb, 1);
    ASSERT(sg__match_fits(&m, nb, 6));
    sg__match_put(&m, nb, 1);
    ASSERT(!sg__match_fits(&m, nb, 3));
    sg__match_put(&m, nb, 2);
    ASSERT_EQ(m.bins[nb].used, 6);
    ASSERT_EQ(m.bins[nb].head, 1);
    ASSERT_EQ(m.bins[nb].tail, 2);
    ASSERT_EQ(next[1], 2);
    ASSERT_EQ(m.bins[nb].lo, 101); /* 101 ± 0 and 99 ± 2: only 101 suits both */
    ASSERT_EQ(m.bins[nb].hi, 101);
    ASSERT_EQ(m.bins[nb].area, 450126101ull);
    free(m.bins);
}

int main(void)
{
    RUN(test_existing_runs_and_new_bins);
    TEST_DONE();
}
