/* SPDX-License-Identifier: MIT */
/* domain/match_min.c, through sg_match: a small vehicle is topped up from its area's
 * others before it is undone; a leftover rides another type its mode allows; what stays
 * out gets the right reason (a vehicle passing by without a stop comes first). */
#include <stdlib.h>
#include "domain/match.h"
#include "test.h"

static const struct sg_match_config cfg = {{50, 1000, 150}, {25, 300, 100}, 9};

static void test_top_up(void)
{
    /* 60 people of one township: 50 + 10, the 10 topped up to 25 from the full bus */
    struct sg_match_item items[60];
    for (size_t i = 0; i != 60; ++i)
        items[i] = (struct sg_match_item){4419, 20852, 0, SG_MODE_MASK_ANY, 1, 450126103201ull};
    struct sg_match_result r;
    ASSERT_EQ(sg_match(items, 60, NULL, 0, &cfg, &r), 0);
    ASSERT_EQ(r.ncreated, 2);
    ASSERT_EQ(r.created[0].used + r.created[1].used, 60);
    ASSERT(r.created[0].used >= 25 && r.created[1].used >= 25);
    ASSERT_EQ(r.unassigned, 0);
    sg_match_result_dispose(&r);
}

static void test_reasons(void)
{
    /* a bus for 4419 on day 20852 serving another township, with room; three groups of one
     * township stay out: one passes by it (no_stop), one a day off with no flexibility
     * (below_minimum), one of 9 that only flies, in flights of 8 (too_big) */
    struct sg_match_area area = sg_match_area_of("450126101");
    struct sg_match_vehicle v[] = {
        {.city = 4419, .day = 20852, .type = SG_VEHICLE_BUS, .capacity = 50, .areas = &area, .nareas = 1}};
    struct sg_match_item items[] = {{4419, 20852, 0, SG_MODE_MASK_ANY, 1, 450126103201ull},
                                    {4419, 20855, 0, SG_MODE_MASK_ANY, 1, 450126103201ull},
                                    {4419, 20852, 0, 1u << SG_VEHICLE_FLIGHT, 9, 450126103201ull}};
    struct sg_match_config small = cfg;
    small.capacity[SG_VEHICLE_FLIGHT] = 8;
    small.min_load[SG_VEHICLE_FLIGHT] = 8;
    struct sg_match_result r;
    ASSERT_EQ(sg_match(items, 3, v, 1, &small, &r), 0);
    ASSERT_EQ(r.reason[0], SG_MATCH_NO_STOP);
    ASSERT_EQ(r.reason[1], SG_MATCH_BELOW_MINIMUM);
    ASSERT_EQ(r.reason[2], SG_MATCH_TOO_BIG); /* the bus passes by, but it flies only */
    ASSERT_EQ(r.people_unplaced, 11);
    ASSERT_STREQ(sg_match_reason_name(SG_MATCH_NO_STOP), "no_stop");
    ASSERT_STREQ(sg_match_reason_name(SG_MATCH_TOO_BIG), "too_big");
    sg_match_result_dispose(&r);
}

int main(void)
{
    RUN(test_top_up);
    RUN(test_reasons);
    TEST_DONE();
}
