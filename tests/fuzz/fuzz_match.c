/* SPDX-License-Identifier: MIT */
/* Fuzz target: matching (domain/match.c) with sign-ups and vehicles decoded from the fuzz
 * bytes in the shapes the store gives: groups of 1 to 10 people with a city, a day, 0-3
 * days of flexibility, a mode and a village; existing vehicles of every type within their
 * capacity range, with seats taken, sorted free runs ("holes") below seat_next, seat_next
 * possibly past a capacity lowered later; new vehicles' sizes within their ranges.
 * Invariants: no vehicle over capacity, no seat given twice, every group placed at most
 * once, whole, in a vehicle of its city and an allowed type within its days, on free seats
 * of an existing vehicle; a group is left out only when no allowed type can hold it; the
 * counts (people placed, unassigned, vehicles proposed) agree with the assignment.
 * Pickup areas and minimum loads: an existing vehicle with areas takes only villages in
 * them; a proposed one takes only its own pickup area and carries at least its type's
 * minimum; a group left out has its reason (too big, no stop, below the minimum). */
#include <string.h>
#include "domain/match.h"
#include "domain/registration.h"
#include "domain/vehicle.h"
#include "fuzz.h"

#define ITEMS_MAX 2000
#define VEHICLES_MAX 8
#define BASE_DAY 20480 /* 2026-01-28 */

static const uint32_t cities[] = {4401, 4403, 4419, 3301, 1101, 4501};
static uint64_t *places; /* every village code of the table as a number */
static size_t nplaces;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const struct sg_fuzz_data *d = sg_fuzz_data();
    size_t n = sg_divisions_count(d->divisions);
    places = malloc(n * sizeof(*places));
    for (size_t i = 0; i != n; ++i) {
        const struct sg_division *v = sg_divisions_at(d->divisions, i);
        if (v->level == SG_LEVEL_VILLAGE)
            places[nplaces++] = strtoull(v->code, NULL, 10);
    }
    return 0;
}

struct input {
    struct sg_match_config config;
    struct sg_match_vehicle vehicles[VEHICLES_MAX];
    uint32_t holes[VEHICLES_MAX][SG_VEHICLE_HOLES_MAX][2];
    size_t nvehicles;
    struct sg_match_area areas[VEHICLES_MAX][2];
    struct sg_match_item items[ITEMS_MAX];
    size_t nitems;
};

static uint32_t city_of(uint8_t b)
{
    return b < 240 ? cities[b % (sizeof(cities) / sizeof(cities[0]))] : 1100 + b; /* a few odd ones */
}

/* An area around a village of the table: its county, township or the village itself. */
static struct sg_match_area area_near(struct sg_fuzz_reader *r)
{
    static const uint64_t widths[] = {1000000, 1000, 1};
    uint64_t place = places[sg_fuzz_u16(r) % nplaces], w = widths[sg_fuzz_u8(r) % 3];
    return (struct sg_match_area){place / w * w, place / w * w + w};
}

static void read_vehicle(struct sg_fuzz_reader *r, struct input *in, size_t j)
{
    struct sg_match_vehicle *v = &in->vehicles[j];
    uint32_t lo, hi, next;
    v->city = city_of(sg_fuzz_u8(r));
    v->day = BASE_DAY + (int8_t)sg_fuzz_u8(r) % 8;
    v->type = sg_fuzz_u8(r) % SG_VEHICLE_TYPES;
    sg_vehicle_capacity_range((enum sg_vehicle_type)v->type, &lo, &hi);
    v->capacity = lo + sg_fuzz_u16(r) % (hi - lo + 1);
    next = sg_fuzz_u16(r) % (v->capacity + 20); /* 0: only "used" is known */
    v->seat_next = next;
    v->used = next != 0 ? 0 : sg_fuzz_u16(r) % (v->capacity + 1);
    size_t n = 0;
    uint32_t at = 1, free_below = 0;
    for (size_t k = sg_fuzz_u8(r) % (SG_VEHICLE_HOLES_MAX + 1); next != 0 && k != 0; --k) {
        uint32_t first = at + sg_fuzz_u8(r) % 16, last = first + sg_fuzz_u8(r) % 16;
        if (last + 1 >= next) /* sorted, apart, and below seat_next - 1 (seats.lua merges the rest) */
            break;
        in->holes[j][n][0] = first, in->holes[j][n][1] = last, ++n;
        free_below += last - first + 1;
        at = last + 2;
    }
    if (next != 0)
        v->used = next - 1 - free_below;
    v->holes = (const uint32_t(*)[2])in->holes[j];
    v->nholes = n;
    v->nareas = sg_fuzz_u8(r) % 3; /* none: every village */
    for (size_t k = 0; k != v->nareas; ++k)
        in->areas[j][k] = area_near(r);
    v->areas = in->areas[j];
    v->owner = v->nareas != 0 ? (struct sg_match_area){in->areas[j][0].lo / 1000000 * 1000000,
                                                       in->areas[j][0].lo / 1000000 * 1000000 + 1000000}
                              : (struct sg_match_area){0, 0};
}

static void read_input(struct sg_fuzz_reader *r, struct input *in)
{
    uint8_t flags = sg_fuzz_u8(r);
    in->config.capacity[SG_VEHICLE_BUS] = 5 + sg_fuzz_u8(r) % 61;
    in->config.capacity[SG_VEHICLE_TRAIN] = 100 + sg_fuzz_u16(r) % 2301;
    in->config.capacity[SG_VEHICLE_FLIGHT] = 30 + sg_fuzz_u16(r) % 371;
    static const unsigned digits[] = {0, 6, 9, 12};
    in->config.area_digits = digits[flags >> 1 & 3];
    for (int t = 0; t != SG_VEHICLE_TYPES; ++t) /* 0 (none) or up to the whole vehicle */
        in->config.min_load[t] = (flags & 8) ? sg_fuzz_u16(r) % (in->config.capacity[t] + 1) : 0;
    in->nvehicles = sg_fuzz_u8(r) % (VEHICLES_MAX + 1);
    for (size_t j = 0; j != in->nvehicles; ++j)
        read_vehicle(r, in, j);
    in->nitems = 0;
    while (r->n >= 6 && in->nitems != ITEMS_MAX) {
        struct sg_match_item *it = &in->items[in->nitems++];
        it->city = city_of(sg_fuzz_u8(r));
        int8_t off = (int8_t)sg_fuzz_u8(r);
        it->day = BASE_DAY + ((flags & 1) ? off * 97 : off % 8); /* a wide span takes the other sort */
        uint8_t b = sg_fuzz_u8(r);
        it->flex = b % 4;
        it->modes = (uint8_t)sg_mode_allows(b / 4 % 4);
        it->size = 1 + sg_fuzz_u8(r) % SG_MAX_PEOPLE;
        it->place = places[sg_fuzz_u16(r) % nplaces];
    }
}

static bool fits_window(const struct sg_match_item *it, int32_t day)
{
    int32_t d = it->day - day;
    return (d < 0 ? -d : d) <= it->flex;
}

/* Seat s of existing vehicle v was free before the run: in a hole or from the tail on. */
static bool seat_was_free(const struct sg_match_vehicle *v, uint32_t s)
{
    uint32_t tail = v->seat_next != 0 ? v->seat_next : v->used + 1;
    if (s < 1 || s > v->capacity)
        return false;
    if (s >= tail)
        return true;
    for (size_t h = 0; v->seat_next != 0 && h != v->nholes; ++h)
        if (s >= v->holes[h][0] && s <= v->holes[h][1])
            return true;
    return false;
}

static void check(const struct input *in, const struct sg_match_result *res)
{
    size_t nv = in->nvehicles, total = nv + res->ncreated;
    uint32_t *people = calloc(total + 1, sizeof(*people));
    uint8_t **seats = calloc(total + 1, sizeof(*seats));
    uint64_t placed = 0;
    size_t unassigned = 0;
    for (size_t i = 0; i != in->nitems; ++i) {
        const struct sg_match_item *it = &in->items[i];
        struct sg_match_assignment a = res->assign[i];
        if (a.vehicle == SG_MATCH_NONE) { /* left out with its reason */
            ++unassigned;
            bool fits_some = false;
            for (int t = 0; t != SG_VEHICLE_TYPES; ++t)
                fits_some |= (it->modes >> t & 1u) && in->config.capacity[t] >= it->size;
            /* too big: no new vehicle it may take holds it; and one that none holds is too big,
             * unless an existing vehicle that could hold it passes by without a stop for it */
            SG_FUZZ_CHECK(res->reason[i] != SG_MATCH_TOO_BIG || !fits_some);
            SG_FUZZ_CHECK(fits_some || res->reason[i] == SG_MATCH_TOO_BIG || res->reason[i] == SG_MATCH_NO_STOP);
            SG_FUZZ_CHECK(res->reason[i] == SG_MATCH_TOO_BIG || res->reason[i] == SG_MATCH_NO_STOP ||
                          res->reason[i] == SG_MATCH_BELOW_MINIMUM);
            SG_FUZZ_CHECK(sg_match_reason_name((enum sg_match_reason)res->reason[i])[0] != '\0');
            if (res->reason[i] == SG_MATCH_BELOW_MINIMUM) { /* some type holds it, but its minimum is above 1 */
                bool min_above_one = false;
                for (int t = 0; t != SG_VEHICLE_TYPES; ++t)
                    min_above_one |= in->config.min_load[t] > 1;
                SG_FUZZ_CHECK(fits_some && min_above_one);
            }
            continue;
        }
        SG_FUZZ_CHECK(a.vehicle < total && res->reason[i] == SG_MATCH_OK);
        const struct sg_match_vehicle *v = a.vehicle < nv ? &in->vehicles[a.vehicle] : &res->created[a.vehicle - nv];
        SG_FUZZ_CHECK(v->city == it->city && (it->modes >> v->type & 1u) && fits_window(it, v->day));
        SG_FUZZ_CHECK(a.seat >= 1 && a.seat + it->size - 1 <= v->capacity);
        if (a.vehicle < nv && v->nareas != 0) { /* an existing vehicle's stops' areas */
            bool inside = false;
            for (size_t k = 0; k != v->nareas; ++k)
                inside |= it->place >= v->areas[k].lo && it->place < v->areas[k].hi;
            SG_FUZZ_CHECK(inside);
        }
        if (a.vehicle >= nv && in->config.area_digits != 0) { /* a proposed one's own pickup area */
            uint64_t w = 1;
            for (unsigned d = in->config.area_digits; d != 12; ++d)
                w *= 10;
            SG_FUZZ_CHECK(it->place / w == v->area);
        }
        if (seats[a.vehicle] == NULL)
            seats[a.vehicle] = calloc(v->capacity + 1, 1);
        for (uint32_t s = a.seat; s != a.seat + it->size; ++s) {
            SG_FUZZ_CHECK(seats[a.vehicle][s] == 0); /* no seat given twice */
            seats[a.vehicle][s] = 1;
            SG_FUZZ_CHECK(a.vehicle >= nv || seat_was_free(v, s));
        }
        people[a.vehicle] += it->size;
        placed += it->size;
    }
    SG_FUZZ_CHECK(placed == res->people_placed && unassigned == res->unassigned);
    for (size_t k = 0; k != res->ncreated; ++k) {
        const struct sg_match_vehicle *c = &res->created[k];
        SG_FUZZ_CHECK(c->type < SG_VEHICLE_TYPES && c->capacity == in->config.capacity[c->type]);
        SG_FUZZ_CHECK(c->used == people[nv + k] && c->used >= 1 && c->used <= c->capacity);
        SG_FUZZ_CHECK(c->used >= in->config.min_load[c->type]); /* never below its type's minimum */
    }
    SG_FUZZ_CHECK(res->ncreated >= res->lower_bound_city);
    for (size_t k = 0; k != total; ++k)
        free(seats[k]);
    free(seats);
    free(people);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct input in;
    struct sg_fuzz_reader r = {data, size};
    struct sg_match_result res;
    read_input(&r, &in);
    SG_FUZZ_CHECK(sg_match(in.items, in.nitems, in.vehicles, in.nvehicles, &in.config, &res) == 0);
    check(&in, &res);
    sg_match_result_dispose(&res);
    return 0;
}
