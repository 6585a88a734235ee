/* SPDX-License-Identifier: MIT */
/* domain/match.c and match_min.c: the invariants (capacity, whole groups, seats, trip,
 * pickup areas, minimum loads, everyone placed or reported with a true reason) on many
 * random instances from a seeded generator (random vehicles with areas, sizes, minimums
 * and area levels), the lower bound, and edge cases. */
#include <stdlib.h>
#include <string.h>
#include "domain/demo.h"
#include "domain/err.h"
#include "domain/match.h"
#include "test.h"

static const struct sg_match_config config = {{50, 1000, 150}, {0}, 0};

static const struct sg_match_vehicle *vehicle_of(const struct sg_match_vehicle *v, size_t nv,
                                                 const struct sg_match_result *r, uint32_t idx)
{
    return idx < nv ? &v[idx] : &r->created[idx - nv];
}

static int in_areas(const struct sg_match_vehicle *v, uint64_t place)
{
    for (size_t a = 0; a != v->nareas; ++a)
        if (place >= v->areas[a].lo && place < v->areas[a].hi)
            return 1;
    return v->nareas == 0;
}

static uint32_t min_of(const struct sg_match_config *c, int t)
{
    return c->min_load[t] != 0 ? c->min_load[t] : 1;
}

static uint64_t area_div(const struct sg_match_config *c)
{
    uint64_t d = 1;
    for (unsigned k = c->area_digits; k < 12; ++k)
        d *= 10;
    return c->area_digits != 0 ? d : 0;
}

static int window(const struct sg_match_item *it, int32_t day)
{
    return abs(it->day - day) <= it->flex;
}

/* The longest run of free seats of vehicle j once the run is done. */
static uint32_t longest_free(const uint8_t *taken, uint32_t capacity)
{
    uint32_t best = 0, cur = 0;
    for (uint32_t s = 1; s <= capacity; ++s) {
        cur = taken[s] ? 0 : cur + 1;
        best = cur > best ? cur : best;
    }
    return best;
}

struct checked {
    size_t nall;
    uint32_t *load;
    uint8_t **taken;
};

/* Seats of every vehicle: taken before the run (existing ones), then by each group placed. */
static void check_seats(const struct sg_match_item *items, size_t n, const struct sg_match_vehicle *v, size_t nv,
                        const struct sg_match_result *r, struct checked *c)
{
    c->nall = nv + r->ncreated;
    c->load = calloc(c->nall + 1, sizeof(*c->load));
    c->taken = calloc(c->nall + 1, sizeof(*c->taken));
    ASSERT(c->load != NULL && c->taken != NULL);
    for (size_t j = 0; j != c->nall; ++j) {
        const struct sg_match_vehicle *x = vehicle_of(v, nv, r, (uint32_t)j);
        c->taken[j] = calloc(x->capacity + 1, 1);
        uint32_t before = x->seat_next != 0 ? x->seat_next - 1 : x->used;
        for (uint32_t s = 1; j < nv && s <= before; ++s)
            c->taken[j][s] = 1; /* seats taken before this run */
        for (size_t h = 0; j < nv && x->seat_next != 0 && h != x->nholes; ++h)
            for (uint32_t s = x->holes[h][0]; s <= x->holes[h][1]; ++s)
                c->taken[j][s] = 0; /* but free in its holes */
    }
    for (size_t i = 0; i != n; ++i) {
        uint32_t vi = r->assign[i].vehicle;
        if (vi == SG_MATCH_NONE)
            continue;
        ASSERT(vi < c->nall);
        const struct sg_match_vehicle *x = vehicle_of(v, nv, r, vi);
        ASSERT(r->assign[i].seat >= 1); /* seats adjacent and inside */
        ASSERT(r->assign[i].seat + items[i].size - 1 <= x->capacity);
        for (uint32_t s = r->assign[i].seat; s != r->assign[i].seat + items[i].size; ++s) {
            ASSERT(!c->taken[vi][s]); /* never two people on one seat: never a split, never over */
            c->taken[vi][s] = 1;
        }
        c->load[vi] += items[i].size;
    }
}

/* An existing vehicle of a division holding item i's village, with room for it, goes its
 * way but does not stop in its area. */
static int passes_by(const struct sg_match_item *it, const struct sg_match_vehicle *v, size_t nv,
                     const struct checked *c)
{
    for (size_t j = 0; j != nv; ++j)
        if (v[j].city == it->city && window(it, v[j].day) && (it->modes >> v[j].type & 1u) &&
            (v[j].owner.hi == 0 || (it->place >= v[j].owner.lo && it->place < v[j].owner.hi)) &&
            longest_free(c->taken[j], v[j].capacity) >= it->size)
            return 1;
    return 0;
}

/* A kept proposed vehicle of item i's area it could still join (type, day, room). */
static int could_join(const struct sg_match_item *it, const struct sg_match_config *cfg,
                      const struct sg_match_result *r, size_t nv, const struct checked *c)
{
    uint64_t div = area_div(cfg);
    for (size_t k = 0; k != r->ncreated; ++k) {
        const struct sg_match_vehicle *x = &r->created[k];
        if (x->city == it->city && (div == 0 || it->place / div == x->area) && window(it, x->day) &&
            (it->modes >> x->type & 1u) && c->load[nv + k] + it->size <= x->capacity)
            return 1;
    }
    return 0;
}

/* Why an unplaced group stayed out, checked against the instance. */
static void check_reason(const struct sg_match_item *it, uint8_t reason, const struct sg_match_vehicle *v, size_t nv,
                         const struct sg_match_config *cfg, const struct sg_match_result *r, const struct checked *c)
{
    int fits_some = 0;
    for (int t = 0; t != SG_VEHICLE_TYPES; ++t)
        fits_some |= (it->modes >> t & 1u) && it->size <= cfg->capacity[t];
    if (reason == SG_MATCH_NO_STOP) {
        ASSERT(passes_by(it, v, nv, c));
        return;
    }
    ASSERT(!passes_by(it, v, nv, c));
    if (reason == SG_MATCH_TOO_BIG) {
        ASSERT(!fits_some);
        return;
    }
    ASSERT_EQ(reason, SG_MATCH_BELOW_MINIMUM);
    ASSERT(fits_some);
    ASSERT(!could_join(it, cfg, r, nv, c)); /* never left out while a vehicle of its area had room */
}

/* Every invariant the issues name, for any instance. */
static void check(const struct sg_match_item *items, size_t n, const struct sg_match_vehicle *v, size_t nv,
                  const struct sg_match_config *cfg, const struct sg_match_result *r)
{
    struct checked c;
    uint64_t div = area_div(cfg), people = 0, unplaced = 0;
    size_t unassigned = 0;
    check_seats(items, n, v, nv, r, &c);
    for (size_t i = 0; i != n; ++i) {
        const struct sg_match_item *it = &items[i];
        uint32_t vi = r->assign[i].vehicle;
        people += it->size;
        if (vi == SG_MATCH_NONE) { /* everyone placed or reported */
            ++unassigned, unplaced += it->size;
            check_reason(it, r->reason[i], v, nv, cfg, r, &c);
            continue;
        }
        ASSERT_EQ(r->reason[i], SG_MATCH_OK);
        const struct sg_match_vehicle *x = vehicle_of(v, nv, r, vi);
        ASSERT_EQ(x->city, it->city);              /* destination */
        ASSERT(abs(x->day - it->day) <= it->flex); /* date window */
        ASSERT(it->modes >> x->type & 1u);         /* mode */
        if (vi < nv)
            ASSERT(in_areas(x, it->place)); /* never a person outside a vehicle's area */
        else if (div != 0)
            ASSERT_EQ(it->place / div, x->area); /* a proposed vehicle serves one pickup area */
    }
    for (size_t j = 0; j != c.nall; ++j) {
        const struct sg_match_vehicle *x = vehicle_of(v, nv, r, (uint32_t)j);
        ASSERT((j < nv ? x->used : 0) + c.load[j] <= x->capacity); /* capacity never exceeded */
        if (j >= nv) {
            ASSERT_EQ(c.load[j], x->used);           /* a proposed vehicle reports what it carries */
            ASSERT(x->used >= min_of(cfg, x->type)); /* never a new vehicle below the minimum */
            ASSERT_EQ(x->capacity, cfg->capacity[x->type]);
        }
        free(c.taken[j]);
    }
    ASSERT_EQ(unassigned, r->unassigned);
    ASSERT_EQ(unplaced, r->people_unplaced);
    ASSERT_EQ(people, r->people_placed + r->people_unplaced);
    ASSERT(r->ncreated >= r->lower_bound_city); /* each new vehicle carries its capacity at most */
    free(c.load);
    free(c.taken);
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
        /* 3 counties of 4 townships of 8 villages: 450102 00t 00v */
        it->place = 450102000000ull + (x >> 36) % 3 * 1000000 + (x >> 40) % 4 * 1000 + (x >> 44) % 8;
    }
}

static int by_place(const void *a, const void *b)
{
    const struct sg_match_item *x = a, *y = b;
    return x->place < y->place ? -1 : x->place > y->place;
}

/* A division code of the random instances' places: a county, a township or a village. */
static struct sg_match_area random_area(struct sg_demo_rng *rng)
{
    uint64_t x = sg_demo_rng_next(rng);
    char code[13];
    unsigned county = (unsigned)(x % 3), township = (unsigned)(x >> 4) % 4, village = (unsigned)(x >> 8) % 8;
    switch (x >> 12 & 3) {
    case 0:
        snprintf(code, sizeof(code), "%06u", 450102 + county);
        break;
    case 1:
        snprintf(code, sizeof(code), "%06u%03u", 450102 + county, township);
        break;
    default:
        snprintf(code, sizeof(code), "%06u%03u%03u", 450102 + county, township, village);
    }
    return sg_match_area_of(code);
}

/* Random existing vehicles (some with areas, some full, some with holes) and a random run config. */
struct instance {
    struct sg_match_vehicle v[8];
    struct sg_match_area areas[8][3];
    uint32_t holes[8][2][2];
    size_t nv;
    struct sg_match_config cfg;
};

static void random_vehicles(uint64_t seed, struct instance *in)
{
    static const uint32_t caps[SG_VEHICLE_TYPES][2] = {{20, 45}, {100, 300}, {30, 170}};
    static const unsigned digits[] = {0, 6, 9, 12};
    struct sg_demo_rng rng;
    sg_demo_rng_seed(&rng, seed * 7919);
    memset(in, 0, sizeof(*in));
    in->nv = (size_t)(sg_demo_rng_next(&rng) % 9);
    for (size_t j = 0; j != in->nv; ++j) {
        uint64_t x = sg_demo_rng_next(&rng);
        struct sg_match_vehicle *v = &in->v[j];
        v->city = 4400 + (uint32_t)(x % 5);
        v->day = 20850 + (int32_t)(x >> 4) % 10;
        v->type = (uint8_t)((x >> 8) % 3);
        v->capacity = caps[v->type][0] + (uint32_t)(x >> 12) % (caps[v->type][1] - caps[v->type][0]);
        v->used = (uint32_t)(x >> 24) % (v->capacity + 1) / 2;
        if ((x >> 32) % 3 == 0 && v->used >= 6) { /* seats given out past used: holes freed by cancels */
            v->seat_next = v->used + 4;
            in->holes[j][0][0] = 2, in->holes[j][0][1] = 3;
            in->holes[j][1][0] = v->seat_next - 2, in->holes[j][1][1] = v->seat_next - 1;
            v->holes = (const uint32_t(*)[2])in->holes[j], v->nholes = 2;
            v->used = v->seat_next - 1 - 4;
        }
        v->nareas = (size_t)((x >> 40) % 4);
        for (size_t a = 0; a != v->nareas; ++a)
            in->areas[j][a] = random_area(&rng);
        v->areas = in->areas[j];
        if ((x >> 44) % 2) /* owned by one of the counties (stops of other counties: as if they were inside) */
            v->owner = sg_match_area_of((x >> 45) % 3 == 0 ? "450102" : (x >> 45) % 3 == 1 ? "450103" : "450104");
    }
    uint64_t x = sg_demo_rng_next(&rng);
    for (int t = 0; t != SG_VEHICLE_TYPES; ++t) {
        in->cfg.capacity[t] = caps[t][0] + (uint32_t)(x >> (8 * t)) % (caps[t][1] - caps[t][0]);
        unsigned how = (unsigned)(x >> (30 + 4 * t)) % 4; /* none, half, a little, all seats */
        in->cfg.min_load[t] = how == 0   ? 0
                              : how == 1 ? (in->cfg.capacity[t] + 1) / 2
                              : how == 2 ? 3
                                         : in->cfg.capacity[t];
    }
    in->cfg.area_digits = digits[(x >> 50) % 4];
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
        check(items, n, v, 5, &config, &r);
        ASSERT_EQ(r.unassigned, 0);
        ASSERT(r.ncreated <= r.lower_bound); /* flexible dates only ever save vehicles */
        sg_match_result_dispose(&r);
        free(items);
    }
}

/* The property tests: 400 random instances with vehicles that have areas, random sizes,
 * minimum loads (none, half, 3, all seats) and area levels (none, county, township, village). */
static void test_random_areas_and_minimums(void)
{
    size_t placed = 0, below = 0, no_stop = 0, created = 0;
    for (uint64_t seed = 1000; seed != 1400; ++seed) {
        size_t n = 50 + (size_t)(seed * 131 % 1500);
        struct sg_match_item *items = calloc(n, sizeof(*items));
        struct instance in;
        random_instance(seed, n, items, seed % 3 == 0, seed % 5 == 0);
        if (seed % 2 == 1) /* in village order, as the open index gives them (the matcher's shorter sort keys) */
            qsort(items, n, sizeof(*items), by_place);
        random_vehicles(seed, &in);
        struct sg_match_result r;
        ASSERT_EQ(sg_match(items, n, in.v, in.nv, &in.cfg, &r), 0);
        check(items, n, in.v, in.nv, &in.cfg, &r);
        for (size_t i = 0; i != n; ++i) {
            placed += r.reason[i] == SG_MATCH_OK;
            below += r.reason[i] == SG_MATCH_BELOW_MINIMUM;
            no_stop += r.reason[i] == SG_MATCH_NO_STOP;
        }
        created += r.ncreated;
        sg_match_result_dispose(&r);
        free(items);
    }
    /* the instances exercise every outcome */
    ASSERT(placed > 0 && below > 0 && no_stop > 0 && created > 0);
}

/* With single people, what is left below the minimum could not make a vehicle on any day:
 * for every area, type and day, the leftovers that accept them are fewer than the minimum. */
static void test_leftovers_cannot_reach_minimum(void)
{
    enum { CITIES = 5, AREAS = 12, DAYS = 30, DAY0 = 20836 };
    for (uint64_t seed = 2000; seed != 2060; ++seed) {
        size_t n = 300 + (size_t)(seed * 53 % 1200);
        struct sg_match_item *items = calloc(n, sizeof(*items));
        static uint32_t left[CITIES][AREAS][SG_VEHICLE_TYPES][DAYS];
        struct instance in;
        random_instance(seed, n, items, 1, 0);
        random_vehicles(seed, &in);
        in.cfg.area_digits = 9;
        struct sg_match_result r;
        ASSERT_EQ(sg_match(items, n, in.v, in.nv, &in.cfg, &r), 0);
        check(items, n, in.v, in.nv, &in.cfg, &r);
        memset(left, 0, sizeof(left));
        for (size_t i = 0; i != n; ++i) {
            const struct sg_match_item *it = &items[i];
            size_t area = (size_t)(it->place / 1000000 - 450102) * 4 + (size_t)(it->place / 1000 % 1000);
            for (int t = 0; r.reason[i] == SG_MATCH_BELOW_MINIMUM && t != SG_VEHICLE_TYPES; ++t)
                for (int32_t d = it->day - it->flex; (it->modes >> t & 1u) && d <= it->day + it->flex; ++d)
                    left[it->city - 4400][area][t][d - DAY0] += it->size;
        }
        for (size_t c = 0; c != CITIES; ++c)
            for (size_t a = 0; a != AREAS; ++a)
                for (int t = 0; t != SG_VEHICLE_TYPES; ++t)
                    for (size_t d = 0; d != DAYS; ++d)
                        ASSERT(left[c][a][t][d] < min_of(&in.cfg, t));
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
        check(items, n, NULL, 0, &config, &r);
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
    check(items, 500, v, 1, &config, &r);
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

/* An existing vehicle's last seats are filled as a whole: with 5 free and groups of 2, 2, 3
 * in village order, 2 + 3 fill it (first-fit would stop at 2 + 2 with a seat empty); with 7
 * free, 2 + 2 + 3. Groups stay whole and nearest first. */
static void test_existing_tail_filled(void)
{
    for (int round = 0; round != 2; ++round) {
        struct sg_match_item items[] = {{4419, 20852, 0, SG_MODE_MASK_ANY, 2, 450102001001ull},
                                        {4419, 20852, 0, SG_MODE_MASK_ANY, 2, 450102001002ull},
                                        {4419, 20852, 0, SG_MODE_MASK_ANY, 3, 450102001003ull}};
        uint32_t used = round == 0 ? 45 : 43;
        struct sg_match_vehicle v[] = {
            {.city = 4419, .day = 20852, .type = SG_VEHICLE_BUS, .capacity = 50, .used = used}};
        struct sg_match_result r;
        ASSERT_EQ(sg_match(items, 3, v, 1, &config, &r), 0);
        check(items, 3, v, 1, &config, &r);
        uint32_t filled = 0;
        for (size_t i = 0; i != 3; ++i)
            filled += r.assign[i].vehicle == 0 ? items[i].size : 0;
        ASSERT_EQ(used + filled, 50);
        if (round == 0) {
            ASSERT_EQ(r.assign[0].vehicle, 0); /* the first pair, not the second */
            ASSERT(r.assign[1].vehicle != 0);
            ASSERT_EQ(r.assign[2].vehicle, 0);
            ASSERT_EQ(r.assign[0].seat, 46);
            ASSERT_EQ(r.assign[2].seat, 48);
        }
        sg_match_result_dispose(&r);
    }
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
    check(items, n, NULL, 0, &config, &r);
    ASSERT_EQ(r.lower_bound, 2);
    ASSERT_EQ(r.lower_bound_city, 2); /* 60 people: two buses of 50 at best */
    ASSERT_EQ(r.ncreated, 2);
    sg_match_result_dispose(&r);
    /* 20 + 20 with flex: one bus */
    for (size_t i = 0; i != 40; ++i)
        items[i] = (struct sg_match_item){4419, 20852 + (int32_t)(i % 2), 1, SG_MODE_MASK_ANY, 1, 1};
    ASSERT_EQ(sg_match(items, 40, NULL, 0, &config, &r), 0);
    check(items, 40, NULL, 0, &config, &r);
    ASSERT_EQ(r.lower_bound, 2);
    ASSERT_EQ(r.ncreated, 1);
    sg_match_result_dispose(&r);
}

static void test_too_big_is_reported(void)
{
    struct sg_match_config small = {{8, 1000, 6}, {0}, 0};
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
    struct sg_match_config zero = {{0, 1, 1}, {0}, 0};
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
    check(items, 3, v, 1, &config, &r);
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

/* Issue 12's bus: stops serving only 甘棠镇 (a township) and 六律 (a village); people of five
 * townships want to go the same day. The bus takes only its two areas; the others get
 * vehicles of their own township when they reach the minimum, else are reported. */
static void test_vehicle_takes_only_its_areas(void)
{
    struct sg_match_area areas[] = {sg_match_area_of("450127101"), sg_match_area_of("450127102203")};
    struct sg_match_vehicle v[] = {
        {.city = 4419, .day = 20852, .type = SG_VEHICLE_BUS, .capacity = 50, .areas = areas, .nareas = 2}};
    struct sg_match_item items[120];
    size_t n = 0;
    for (int i = 0; i != 20; ++i) /* 甘棠镇, two villages */
        items[n++] = (struct sg_match_item){4419, 20852, 0, SG_MODE_MASK_ANY, 1, 450127101200ull + (uint64_t)(i % 2)};
    for (int i = 0; i != 5; ++i) /* 六律村 */
        items[n++] = (struct sg_match_item){4419, 20852, 0, SG_MODE_MASK_ANY, 1, 450127102203ull};
    for (int i = 0; i != 5; ++i) /* another village of 六律's township */
        items[n++] = (struct sg_match_item){4419, 20852, 0, SG_MODE_MASK_ANY, 1, 450127102204ull};
    for (int i = 0; i != 60; ++i) /* 思陇镇: a bus of its own */
        items[n++] = (struct sg_match_item){4419, 20852, 0, SG_MODE_MASK_ANY, 1, 450127103201ull};
    for (int i = 0; i != 30; ++i) /* 黎塘镇: 30 */
        items[n++] = (struct sg_match_item){4419, 20852, 0, SG_MODE_MASK_ANY, 1, 450127104201ull};
    struct sg_match_config cfg = {{50, 1000, 150}, {25, 300, 100}, 9};
    struct sg_match_result r;
    ASSERT_EQ(sg_match(items, n, v, 1, &cfg, &r), 0);
    check(items, n, v, 1, &cfg, &r);
    for (size_t i = 0; i != n; ++i) {
        int ours = items[i].place / 1000 == 450127101ull || items[i].place == 450127102203ull;
        ASSERT_EQ(r.assign[i].vehicle == 0, ours);
        if (items[i].place == 450127102204ull) /* the bus passes by with room, no stop for it */
            ASSERT_EQ(r.reason[i], SG_MATCH_NO_STOP);
    }
    ASSERT_EQ(r.ncreated, 3); /* 思陇镇's 60: two buses of at least 25 (not 50 + 10); 黎塘镇's 30: one */
    for (size_t b = 0; b != r.ncreated; ++b)
        ASSERT(r.created[b].used >= 25 && r.created[b].area / 1000 == 450127ull);
    ASSERT_EQ(r.unassigned, 5); /* 六律's other village: reported, not carried to another township's stop */
    sg_match_result_dispose(&r);
}

/* "南京市 2月22日：1人 → 1列专列": one person who takes only a train, and a charter flight
 * for one: reported, no vehicle proposed. */
static void test_no_vehicle_below_minimum(void)
{
    struct sg_match_item items[] = {{3201, 20871, 0, 1u << SG_VEHICLE_TRAIN, 1, 450127101200ull},
                                    {3201, 20871, 0, 1u << SG_VEHICLE_FLIGHT, 1, 450127101200ull}};
    struct sg_match_config cfg = {{50, 1000, 150}, {25, 300, 100}, 9};
    struct sg_match_result r;
    ASSERT_EQ(sg_match(items, 2, NULL, 0, &cfg, &r), 0);
    check(items, 2, NULL, 0, &cfg, &r);
    ASSERT_EQ(r.ncreated, 0);
    ASSERT_EQ(r.unassigned, 2);
    ASSERT_EQ(r.reason[0], SG_MATCH_BELOW_MINIMUM);
    ASSERT_EQ(r.reason[1], SG_MATCH_BELOW_MINIMUM);
    ASSERT_EQ(r.people_unplaced, 2);
    ASSERT_STREQ(sg_match_reason_name(SG_MATCH_BELOW_MINIMUM), "below_minimum");
    sg_match_result_dispose(&r);
    cfg.min_load[SG_VEHICLE_TRAIN] = 1001; /* above the seats: refused */
    ASSERT_EQ(sg_match(items, 2, NULL, 0, &cfg, &r), SG_EINVAL);
    cfg.min_load[SG_VEHICLE_TRAIN] = 1;
    cfg.area_digits = 8;
    ASSERT_EQ(sg_match(items, 2, NULL, 0, &cfg, &r), SG_EINVAL);
}

/* Before giving up: the neighbouring days the flexibility allows, and another type the
 * mode allows. */
static void test_small_groups_rescued(void)
{
    struct sg_match_config cfg = {{50, 1000, 150}, {25, 300, 100}, 9};
    struct sg_match_item items[340];
    size_t n = 0;
    /* day D: 10 who may go a day later and 10 who may not; day D+1: 20 who may not. No two
     * whole days join, but D+1 gathers 30. */
    for (int i = 0; i != 20; ++i)
        items[n++] = (struct sg_match_item){4419, 20852, (uint8_t)(i < 10), 1u << SG_VEHICLE_BUS, 1, 450127101200ull};
    for (int i = 0; i != 20; ++i)
        items[n++] = (struct sg_match_item){4419, 20853, 0, 1u << SG_VEHICLE_BUS, 1, 450127101201ull};
    struct sg_match_result r;
    ASSERT_EQ(sg_match(items, n, NULL, 0, &cfg, &r), 0);
    check(items, n, NULL, 0, &cfg, &r);
    ASSERT_EQ(r.ncreated, 1);
    ASSERT_EQ(r.created[0].day, 20853);
    ASSERT_EQ(r.created[0].used, 30);
    ASSERT_EQ(r.unassigned, 10); /* the 10 of day D who could not move */
    sg_match_result_dispose(&r);
    /* 300 who take only a train and 12 who take anything: the 12 are too few for a bus and ride the train */
    n = 0;
    for (int i = 0; i != 300; ++i)
        items[n++] = (struct sg_match_item){4403, 20860, 0, 1u << SG_VEHICLE_TRAIN, 1, 450127101200ull};
    for (int i = 0; i != 12; ++i)
        items[n++] = (struct sg_match_item){4403, 20860, 0, SG_MODE_MASK_ANY, 1, 450127101202ull};
    ASSERT_EQ(sg_match(items, n, NULL, 0, &cfg, &r), 0);
    check(items, n, NULL, 0, &cfg, &r);
    ASSERT_EQ(r.unassigned, 0);
    ASSERT_EQ(r.ncreated, 1);
    ASSERT_EQ(r.created[0].type, SG_VEHICLE_TRAIN);
    ASSERT_EQ(r.created[0].used, 312);
    sg_match_result_dispose(&r);
}

static void test_area_of(void)
{
    struct sg_match_area a = sg_match_area_of("450127101");
    ASSERT_EQ(a.lo, 450127101000ull);
    ASSERT_EQ(a.hi, 450127102000ull);
    a = sg_match_area_of("45");
    ASSERT_EQ(a.lo, 450000000000ull);
    ASSERT_EQ(a.hi, 460000000000ull);
    a = sg_match_area_of("450127101200");
    ASSERT_EQ(a.hi - a.lo, 1);
    a = sg_match_area_of("45x");
    ASSERT_EQ(a.hi, 0);
    a = sg_match_area_of("4");
    ASSERT_EQ(a.hi, 0);
}

int main(void)
{
    RUN(test_names);
    RUN(test_area_of);
    RUN(test_random_invariants);
    RUN(test_random_areas_and_minimums);
    RUN(test_leftovers_cannot_reach_minimum);
    RUN(test_reaches_lower_bound);
    RUN(test_existing_first_and_villages_together);
    RUN(test_groups_stay_together_and_flex_merges);
    RUN(test_existing_tail_filled);
    RUN(test_too_big_is_reported);
    RUN(test_freed_seats_reused);
    RUN(test_vehicle_takes_only_its_areas);
    RUN(test_no_vehicle_below_minimum);
    RUN(test_small_groups_rescued);
    TEST_DONE();
}
