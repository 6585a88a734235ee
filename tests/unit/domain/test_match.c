/* SPDX-License-Identifier: MIT */
/* domain/match.c: invariants on random instances (fixed seeds), the lower bound, and
 * edge cases. */
#include <stdlib.h>
#include <string.h>
#include "domain/demo.h"
#include "domain/err.h"
#include "domain/match.h"
#include "test.h"

static const struct sg_match_config config = {{50, 1000, 150}};

static const struct sg_match_vehicle *vehicle_of(const struct sg_match_vehicle *v, size_t nv,
                                                 const struct sg_match_result *r, uint32_t idx)
{
    return idx < nv ? &v[idx] : &r->created[idx - nv];
}

/* Every invariant the issue names, for any instance. */
static void check(const struct sg_match_item *items, size_t n, const struct sg_match_vehicle *v, size_t nv,
                  const struct sg_match_result *r)
{
    size_t nall = nv + r->ncreated;
    uint32_t *load = calloc(nall, sizeof(*load));
    uint8_t **seat_taken = calloc(nall, sizeof(*seat_taken));
    ASSERT(load != NULL && seat_taken != NULL);
    for (size_t j = 0; j != nall; ++j) {
        const struct sg_match_vehicle *x = j < nv ? &v[j] : &r->created[j - nv];
        seat_taken[j] = calloc(x->capacity + 1, 1);
        uint32_t before = x->seat_next != 0 ? x->seat_next - 1 : x->used;
        for (uint32_t s = 1; j < nv && s <= before; ++s)
            seat_taken[j][s] = 1; /* seats taken before this run */
        for (size_t h = 0; j < nv && x->seat_next != 0 && h != x->nholes; ++h)
            for (uint32_t s = x->holes[h][0]; s <= x->holes[h][1]; ++s)
                seat_taken[j][s] = 0; /* but free in its holes */
    }
    size_t unassigned = 0;
    for (size_t i = 0; i != n; ++i) {
        const struct sg_match_item *it = &items[i];
        uint32_t vi = r->assign[i].vehicle;
        if (vi == SG_MATCH_NONE) {
            ++unassigned;
            ASSERT_EQ(r->reason[i], SG_MATCH_TOO_BIG);
            for (int t = 0; t != SG_VEHICLE_TYPES; ++t)
                ASSERT(!(it->modes >> t & 1u) || it->size > config.capacity[t]);
            continue;
        }
        ASSERT(vi < nall);
        const struct sg_match_vehicle *x = vehicle_of(v, nv, r, vi);
        ASSERT_EQ(x->city, it->city);              /* destination */
        ASSERT(abs(x->day - it->day) <= it->flex); /* date window */
        ASSERT(it->modes >> x->type & 1u);         /* mode */
        ASSERT(r->assign[i].seat >= 1);            /* seats adjacent and inside */
        ASSERT(r->assign[i].seat + it->size - 1 <= x->capacity);
        for (uint32_t s = r->assign[i].seat; s != r->assign[i].seat + it->size; ++s) {
            ASSERT(!seat_taken[vi][s]); /* never two people on one seat: never a split, never over */
            seat_taken[vi][s] = 1;
        }
        load[vi] += it->size;
    }
    for (size_t j = 0; j != nall; ++j) {
        const struct sg_match_vehicle *x = j < nv ? &v[j] : &r->created[j - nv];
        ASSERT((j < nv ? x->used : 0) + load[j] <= x->capacity); /* capacity never exceeded */
        if (j >= nv)
            ASSERT_EQ(load[j], x->used); /* a proposed vehicle reports what it carries */
        free(seat_taken[j]);
    }
    ASSERT_EQ(unassigned, r->unassigned);
    ASSERT(r->ncreated >= r->lower_bound_city);
    free(load);
    free(seat_taken);
}

static void random_instance(uint64_t seed, size_t n, struct sg_match_item *items, int singles_only, int no_flex)
{
    struct sg_demo_rng rng;
    sg_demo_rng_seed(&rng, seed);
    for (size_t i = 0; i != n; ++i) {
        uint64_t x = sg_demo_rng_next(&rng);
        struct sg_match_item *it = &items[i];
        it->city = 4400 + (uint32_t)(x % 5);
        it->day = 20850 + (int32_t)(x >> 8) % 10;
        it->flex = no_flex ? 0 : (uint8_t)((x >> 16) % 4);
        unsigned m = (unsigned)(x >> 20) % 10;
        it->modes = m < 7 ? SG_MODE_MASK_ANY : m < 8 ? 1u : m < 9 ? 2u : 4u;
        unsigned sz = (unsigned)(x >> 28) % 20;
        it->size = singles_only || sz < 15 ? 1 : (uint16_t)(2 + sz % 4);
        it->place = 450102001000ull + (x >> 36) % 60;
    }
}

static void test_random_invariants(void)
{
    for (uint64_t seed = 1; seed <= 40; ++seed) {
        size_t n = 200 + (size_t)(seed * 97 % 3000);
        struct sg_match_item *items = calloc(n, sizeof(*items));
        random_instance(seed, n, items, 0, 0);
        static const uint32_t holes[][2] = {{3, 5}, {10, 14}, {20, 21}};
        struct sg_match_vehicle v[] = {
            {.city = 4400, .day = 20852, .type = SG_VEHICLE_BUS, .capacity = 52, .used = 10},
            {.city = 4401, .day = 20855, .type = SG_VEHICLE_TRAIN, .capacity = 600},
            {.city = 4402, .day = 20851, .type = SG_VEHICLE_FLIGHT, .capacity = 60, .used = 59},
            {.city = 4403, .day = 20859, .type = SG_VEHICLE_BUS, .capacity = 49, .used = 49},
            /* cancels left holes: 40 seats given out, 10 of them free again */
            {.city = 4404,
             .day = 20853,
             .type = SG_VEHICLE_BUS,
             .capacity = 50,
             .used = 30,
             .seat_next = 41,
             .holes = holes,
             .nholes = 3}};
        struct sg_match_result r;
        ASSERT_EQ(sg_match(items, n, v, 5, &config, &r), 0);
        check(items, n, v, 5, &r);
        ASSERT(r.ncreated <= r.lower_bound); /* flexible dates only ever save vehicles */
        sg_match_result_dispose(&r);
        free(items);
    }
}

static void test_reaches_lower_bound(void)
{
    /* Mostly single people, some families, no flexibility: exactly the lower bound. */
    size_t hits = 0, runs = 30;
    for (uint64_t seed = 100; seed != 100 + runs; ++seed) {
        size_t n = 5000;
        struct sg_match_item *items = calloc(n, sizeof(*items));
        random_instance(seed, n, items, seed % 2 == 0, 1);
        struct sg_match_result r;
        ASSERT_EQ(sg_match(items, n, NULL, 0, &config, &r), 0);
        check(items, n, NULL, 0, &r);
        if (seed % 2 == 0)
            ASSERT_EQ(r.ncreated, r.lower_bound); /* singles: always */
        hits += r.ncreated == r.lower_bound;
        sg_match_result_dispose(&r);
        free(items);
    }
    ASSERT_EQ(hits, runs); /* with families too, on these instances */
}

static void test_existing_first_and_villages_together(void)
{
    /* 10 villages of 50 single people, one city and day: 10 full buses, one village each;
     * an existing bus with 20 free seats is filled first, from the first village. */
    struct sg_match_item items[500];
    for (size_t i = 0; i != 500; ++i)
        items[i] = (struct sg_match_item){4419, 20852, 0, SG_MODE_MASK_ANY, 1, 450102001000ull + (499 - i) / 50};
    struct sg_match_vehicle v[] = {{.city = 4419, .day = 20852, .type = SG_VEHICLE_BUS, .capacity = 50, .used = 30}};
    struct sg_match_result r;
    ASSERT_EQ(sg_match(items, 500, v, 1, &config, &r), 0);
    check(items, 500, v, 1, &r);
    size_t in_existing = 0;
    for (size_t i = 0; i != 500; ++i)
        if (r.assign[i].vehicle == 0) {
            ++in_existing;
            ASSERT_EQ(items[i].place, 450102001000ull);
            ASSERT(r.assign[i].seat > 30);
        }
    ASSERT_EQ(in_existing, 20);
    ASSERT_EQ(r.ncreated, 10); /* 480 left: 9 full buses and one of 30 */
    ASSERT_EQ(r.lower_bound, 10);
    /* pickup stops: each new bus carries at most two villages */
    for (size_t b = 0; b != r.ncreated; ++b) {
        uint64_t seen[3];
        size_t nseen = 0;
        for (size_t i = 0; i != 500; ++i) {
            if (r.assign[i].vehicle != 1 + b)
                continue;
            size_t k = 0;
            while (k != nseen && seen[k] != items[i].place)
                ++k;
            if (k == nseen) {
                ASSERT(nseen < 2);
                seen[nseen++] = items[i].place;
            }
        }
    }
    sg_match_result_dispose(&r);
}

static void test_groups_stay_together_and_flex_merges(void)
{
    /* Two days with 30 people each, flexible by a day: one bus, not two. A group of 4
     * sits in 4 adjacent seats. */
    struct sg_match_item items[60 - 3];
    size_t n = 0;
    for (int i = 0; i != 30; ++i)
        items[n++] = (struct sg_match_item){4419, 20852, 1, SG_MODE_MASK_ANY, 1, 450102001001ull};
    items[n++] = (struct sg_match_item){4419, 20853, 1, SG_MODE_MASK_ANY, 4, 450102001002ull};
    for (int i = 0; i != 26; ++i)
        items[n++] = (struct sg_match_item){4419, 20853, 1, SG_MODE_MASK_ANY, 1, 450102001002ull};
    struct sg_match_result r;
    ASSERT_EQ(sg_match(items, n, NULL, 0, &config, &r), 0);
    check(items, n, NULL, 0, &r);
    ASSERT_EQ(r.lower_bound, 2);
    ASSERT_EQ(r.lower_bound_city, 2); /* 60 people: two buses of 50 at best */
    ASSERT_EQ(r.ncreated, 2);
    sg_match_result_dispose(&r);
    /* 20 + 20 with flex: one bus */
    for (size_t i = 0; i != 40; ++i)
        items[i] = (struct sg_match_item){4419, 20852 + (int32_t)(i % 2), 1, SG_MODE_MASK_ANY, 1, 1};
    ASSERT_EQ(sg_match(items, 40, NULL, 0, &config, &r), 0);
    check(items, 40, NULL, 0, &r);
    ASSERT_EQ(r.lower_bound, 2);
    ASSERT_EQ(r.ncreated, 1);
    sg_match_result_dispose(&r);
}

static void test_too_big_is_reported(void)
{
    struct sg_match_config small = {{8, 1000, 6}};
    struct sg_match_item items[] = {
        {4419, 20852, 0, 1u << SG_VEHICLE_BUS, 10, 1},   /* bus only, 10 > 8 */
        {4419, 20852, 0, 1u << SG_VEHICLE_FLIGHT, 7, 1}, /* flight only, 7 > 6 */
        {4419, 20852, 0, SG_MODE_MASK_ANY, 10, 1},       /* any: a train takes it */
        {4419, 20852, 0, SG_MODE_MASK_ANY, 3, 1},
    };
    struct sg_match_result r;
    ASSERT_EQ(sg_match(items, 4, NULL, 0, &small, &r), 0);
    ASSERT_EQ(r.unassigned, 2);
    ASSERT_EQ(r.reason[0], SG_MATCH_TOO_BIG);
    ASSERT_EQ(r.reason[1], SG_MATCH_TOO_BIG);
    ASSERT(r.assign[2].vehicle != SG_MATCH_NONE);
    ASSERT(r.assign[3].vehicle != SG_MATCH_NONE);
    sg_match_result_dispose(&r);
    struct sg_match_config zero = {{0, 1, 1}};
    ASSERT_EQ(sg_match(items, 4, NULL, 0, &zero, &r), SG_EINVAL);
    ASSERT_EQ(sg_match(NULL, 0, NULL, 0, &config, &r), 0);
    ASSERT_EQ(r.ncreated, 0);
    sg_match_result_dispose(&r);
}

static void test_freed_seats_reused(void)
{
    /* A full bus (50 seats given out) where a pair (seats 7-8) and one person (20) cancelled:
     * a pair and a single take exactly those seats, a group of 3 fits no hole and goes
     * into a new vehicle; seats 1..50 are never given twice. */
    static const uint32_t holes[][2] = {{7, 8}, {20, 20}};
    struct sg_match_vehicle v[] = {{.city = 4419,
                                    .day = 20852,
                                    .type = SG_VEHICLE_BUS,
                                    .capacity = 50,
                                    .used = 47,
                                    .seat_next = 51,
                                    .holes = holes,
                                    .nholes = 2}};
    struct sg_match_item items[] = {{4419, 20852, 0, SG_MODE_MASK_ANY, 3, 450102001001ull},
                                    {4419, 20852, 0, SG_MODE_MASK_ANY, 2, 450102001002ull},
                                    {4419, 20852, 0, SG_MODE_MASK_ANY, 1, 450102001003ull}};
    struct sg_match_result r;
    ASSERT_EQ(sg_match(items, 3, v, 1, &config, &r), 0);
    check(items, 3, v, 1, &r);
    ASSERT_EQ(r.assign[1].vehicle, 0);
    ASSERT_EQ(r.assign[1].seat, 7);
    ASSERT_EQ(r.assign[2].vehicle, 0);
    ASSERT_EQ(r.assign[2].seat, 20);
    ASSERT_EQ(r.assign[0].vehicle, 1); /* the first new vehicle */
    ASSERT_EQ(r.ncreated, 1);
    sg_match_result_dispose(&r);
}

static void test_names(void)
{
    ASSERT_STREQ(sg_vehicle_type_name(SG_VEHICLE_TRAIN), "train");
    ASSERT_STREQ(sg_vehicle_type_label(SG_VEHICLE_FLIGHT), "专机");
    ASSERT_EQ(sg_vehicle_type_parse("bus"), SG_VEHICLE_BUS);
    ASSERT_EQ(sg_vehicle_type_parse("ship"), -1);
}

int main(void)
{
    RUN(test_names);
    RUN(test_random_invariants);
    RUN(test_reaches_lower_bound);
    RUN(test_existing_first_and_villages_together);
    RUN(test_groups_stay_together_and_flex_merges);
    RUN(test_too_big_is_reported);
    RUN(test_freed_seats_reused);
    TEST_DONE();
}
