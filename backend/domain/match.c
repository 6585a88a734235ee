/* SPDX-License-Identifier: MIT */
/* Matching as bin packing with small items. Items are sorted by destination city,
 * departure day and village code, so that walking them in order keeps villages and
 * townships together. Existing vehicles are filled first (the preferred day, then the
 * nearest days), each from the villages of its area only. The rest is packed per city
 * and pickup area, type by type and day by day: bins are filled in village order, and
 * when the next group does not fit, the gap is closed with the nearest smaller groups
 * still waiting (largest first), so that every vehicle but a day's last leaves full
 * whenever the sizes allow: with most groups of one person, that reaches the lower
 * bound. Flexible dates then let a day's partly filled vehicle join another day's.
 * Minimum loads (match_min.c) come last: a proposed vehicle below its type's minimum is
 * undone, and its people try the area's other vehicles, then new ones on the day most of
 * them accept; what is still left is reported. Seats follow the order groups were put
 * in, so a group's seats are adjacent. */
#include <stdlib.h>
#include <string.h>
#include "domain/err.h"
#include "domain/match_internal.h"
#include "domain/registration.h"
#include "domain/sort.h"

#define GAP_SIZES 16 /* groups up to this size can close a gap */

static const char *const type_names[SG_VEHICLE_TYPES] = {"bus", "train", "flight"};
static const char *const type_labels[SG_VEHICLE_TYPES] = {"专车", "专列", "专机"};
static const char *const reason_names[] = {"", "too_big", "no_stop", "below_minimum"};

const char *sg_vehicle_type_name(enum sg_vehicle_type t)
{
    return (unsigned)t < SG_VEHICLE_TYPES ? type_names[t] : "";
}

const char *sg_vehicle_type_label(enum sg_vehicle_type t)
{
    return (unsigned)t < SG_VEHICLE_TYPES ? type_labels[t] : "";
}

int sg_vehicle_type_parse(const char *s)
{
    for (int t = 0; s != NULL && t != SG_VEHICLE_TYPES; ++t)
        if (strcmp(s, type_names[t]) == 0)
            return t;
    return -1;
}

const char *sg_match_reason_name(enum sg_match_reason r)
{
    return (unsigned)r < sizeof(reason_names) / sizeof(reason_names[0]) ? reason_names[r] : "";
}

unsigned sg_mode_allows(int mode)
{
    switch (mode) {
    case SG_MODE_BUS:
        return 1u << SG_VEHICLE_BUS;
    case SG_MODE_TRAIN:
        return 1u << SG_VEHICLE_TRAIN;
    case SG_MODE_FLIGHT:
        return 1u << SG_VEHICLE_FLIGHT;
    default:
        return SG_MODE_MASK_ANY;
    }
}

struct sg_match_area sg_match_area_of(const char *code)
{
    size_t len = code != NULL ? strlen(code) : 0;
    struct sg_match_area a = {0, 0};
    if (len < 2 || len > 12 || strspn(code, "0123456789") != len)
        return a;
    uint64_t p = 0, scale = 1;
    for (size_t i = 0; i != len; ++i)
        p = p * 10 + (uint64_t)(code[i] - '0');
    for (size_t i = len; i != 12; ++i)
        scale *= 10;
    a.lo = p * scale;
    a.hi = (p + 1) * scale;
    return a;
}

unsigned sg_match_area_digits(const char *name)
{
    return name == NULL                    ? 0
           : strcmp(name, "county") == 0   ? 6
           : strcmp(name, "township") == 0 ? 9
           : strcmp(name, "village") == 0  ? 12
                                           : 0;
}

const char *sg_match_area_name(unsigned digits)
{
    return digits == 6 ? "county" : digits == 9 ? "township" : digits == 12 ? "village" : "";
}

/* An item's sort key: (city, day) in hi, village in lo, the item index last. The keys are
 * compared directly (no lookup through the items, no shared state: safe on any thread). */
struct order_key {
    uint64_t hi, lo;
    uint32_t item;
};

static int by_city_day_place(const void *a, const void *b)
{
    const struct order_key *x = a, *y = b;
    if (x->hi != y->hi)
        return x->hi < y->hi ? -1 : 1;
    if (x->lo != y->lo)
        return x->lo < y->lo ? -1 : 1;
    return x->item < y->item ? -1 : x->item > y->item;
}

/* order[] = the item indices by (city, day, place), ties by index. With days spanning less
 * than 1,024 (a season), one 64-bit key holds all three (14 + 10 + 40 bits) and a radix
 * sort does it; when the items come sorted by place already (the open index is in
 * village order), a stable sort on (city, day) alone is enough: 3 bytes a key, not 8.
 * Else qsort on the wide keys. True when the items came sorted by place. */
static int sort_order(uint32_t *order, const struct sg_match_item *items, size_t n)
{
    int32_t lo = INT32_MAX, hi = INT32_MIN;
    int narrow = 1, by_place = 1;
    for (size_t i = 0; i != n; ++i) {
        lo = items[i].day < lo ? items[i].day : lo;
        hi = items[i].day > hi ? items[i].day : hi;
        narrow &= items[i].city < (1u << 14) && items[i].place < (1ull << 40);
        by_place &= i == 0 || items[i].place >= items[i - 1].place;
    }
    if (n == 0 || (narrow && (int64_t)hi - lo < 1024)) {
        struct sg_sort_pair *p = malloc((n != 0 ? n : 1) * sizeof(*p));
        if (p == NULL)
            abort();
        for (size_t i = 0; i != n; ++i)
            p[i] = (struct sg_sort_pair){by_place ? (uint64_t)items[i].city << 10 | (uint64_t)(items[i].day - lo)
                                                  : (uint64_t)items[i].city << 50 |
                                                        (uint64_t)(items[i].day - lo) << 40 | items[i].place,
                                         (uint32_t)i};
        sg_sort_pairs(p, n);
        for (size_t i = 0; i != n; ++i)
            order[i] = p[i].value;
        free(p);
        return by_place && narrow;
    }
    struct order_key *keys = malloc(n * sizeof(*keys));
    if (keys == NULL)
        abort();
    for (size_t i = 0; i != n; ++i)
        keys[i] = (struct order_key){(uint64_t)items[i].city << 32 | (uint32_t)((int64_t)items[i].day - INT32_MIN),
                                     items[i].place, (uint32_t)i};
    qsort(keys, n, sizeof(*keys), by_city_day_place);
    for (size_t i = 0; i != n; ++i)
        order[i] = keys[i].item;
    free(keys);
    return 0;
}

/* First index in order[lo, hi) whose item has (day, place) >= (day, place): order[] is by
 * (city, day, place) and the items there share a city. (day, 0) starts the day. */
static size_t lower_bound(const struct sg__matcher *m, size_t lo, size_t hi, int32_t day, uint64_t place)
{
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct sg_match_item *it = &m->items[m->order[mid]];
        if (it->day < day || (it->day == day && it->place < place))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* True when group i may go into existing vehicle bin now. */
static bool takes(const struct sg__matcher *m, uint32_t bin, uint32_t i)
{
    const struct sg__bin *b = &m->bins[bin];
    const struct sg_match_item *it = &m->items[i];
    return !sg__match_assigned(m, i) && (it->modes >> b->type & 1u) && sg__match_fits_window(it, b->day) &&
           sg__match_fits(m, bin, it->size);
}

#define TAIL_SEATS 10      /* the last free seats of a vehicle are filled as a whole (a group has 10 at most) */
#define TAIL_CANDIDATES 64 /* from the next groups that fit, at most this many */

/* The free seats of existing vehicle b when they are one run, else 0. */
static uint32_t one_run(const struct sg__matcher *m, const struct sg__bin *b)
{
    uint32_t len = 0, n = 0;
    for (uint32_t r = b->run; r != b->run + b->nrun; ++r)
        if (m->runs[r].first <= m->runs[r].last)
            ++n, len = m->runs[r].last - m->runs[r].first + 1;
    return n == 1 ? len : 0;
}

/* The last `free` seats (one run) of existing vehicle bin from order[k, hi): the groups
 * that fill the most of them, the earliest (nearest in village order) where several do;
 * first-fit there would leave a seat empty behind a pair when only pairs are left. */
static void fill_tail(struct sg__matcher *m, uint32_t bin, size_t k, size_t hi, uint32_t free)
{
    uint32_t cand[TAIL_CANDIDATES];
    bool reach[TAIL_CANDIDATES + 1][TAIL_SEATS + 1] = {{false}};
    size_t n = 0;
    for (; k < hi && n != TAIL_CANDIDATES; ++k)
        if (takes(m, bin, m->order[k]))
            cand[n++] = m->order[k];
    reach[0][0] = true; /* reach[j][s]: s seats filled by some of the first j candidates */
    for (size_t j = 0; j != n; ++j)
        for (uint32_t s = 0; s <= free; ++s)
            reach[j + 1][s] = reach[j][s] || (s >= m->items[cand[j]].size && reach[j][s - m->items[cand[j]].size]);
    uint32_t s = free;
    while (!reach[n][s])
        --s;
    /* back from the last candidate: leave one out whenever the earlier ones reach s without it */
    uint32_t chosen[TAIL_CANDIDATES];
    size_t nchosen = 0;
    for (size_t j = n; j != 0 && s != 0; --j)
        if (!reach[j - 1][s])
            chosen[nchosen++] = cand[j - 1], s -= m->items[cand[j - 1]].size;
    while (nchosen != 0) /* in village order */
        sg__match_put(m, bin, chosen[--nchosen]);
}

/* Put into existing vehicle bin what fits of order[lo, hi): in order, and its last seats
 * as a whole (fill_tail). */
static void fill_range(struct sg__matcher *m, uint32_t bin, size_t lo, size_t hi)
{
    struct sg__bin *b = &m->bins[bin];
    for (size_t k = lo; k < hi && b->used < b->capacity; ++k) {
        uint32_t free = bin < m->nexisting ? one_run(m, b) : 0;
        if (free != 0 && free <= TAIL_SEATS) {
            fill_tail(m, bin, k, hi, free);
            return;
        }
        if (takes(m, bin, m->order[k]))
            sg__match_put(m, bin, m->order[k]);
    }
}

/* Fill one existing vehicle from its city's items [lo, hi): the preferred day first,
 * then one day off either way, and so on; on each day only the villages of its areas. */
static void fill_existing(struct sg__matcher *m, uint32_t bin, const struct sg_match_vehicle *v, size_t lo, size_t hi)
{
    struct sg__bin *b = &m->bins[bin];
    for (int off = 0; off <= 3 * 2 && b->used < b->capacity; ++off) {
        int32_t day = b->day + (off % 2 == 0 ? off / 2 : -(off + 1) / 2);
        size_t from = lower_bound(m, lo, hi, day, 0), to = lower_bound(m, from, hi, day + 1, 0);
        if (v->nareas == 0)
            fill_range(m, bin, from, to);
        for (size_t a = 0; a != v->nareas; ++a) {
            size_t x = lower_bound(m, from, to, day, v->areas[a].lo);
            fill_range(m, bin, x, lower_bound(m, x, to, day, v->areas[a].hi));
        }
    }
}

/* The free runs of seats of existing vehicle v into m->runs from *at; their count. */
static uint32_t free_runs(struct sg__matcher *m, const struct sg_match_vehicle *v, uint32_t *free_seats, size_t *at)
{
    uint32_t n = 0, tail = v->seat_next != 0 ? v->seat_next : v->used + 1;
    *free_seats = 0;
    for (size_t h = 0; v->seat_next != 0 && h != v->nholes; ++h) {
        uint32_t first = v->holes[h][0], last = v->holes[h][1] < tail ? v->holes[h][1] : tail - 1;
        if (first >= 1 && first <= last && last <= v->capacity) {
            m->runs[(*at)++] = (struct sg__run){first, last}, ++n;
            *free_seats += last - first + 1;
        }
    }
    if (tail >= 1 && tail <= v->capacity) {
        m->runs[(*at)++] = (struct sg__run){tail, v->capacity}, ++n;
        *free_seats += v->capacity - tail + 1;
    }
    return n;
}

/* Existing vehicles, in (city, day) order (a radix sort of their indices), each from its city's range of items. */
static void fill_existing_all(struct sg__matcher *m, const struct sg_match_vehicle *v, size_t nv)
{
    size_t nruns = 0, at = 0;
    for (size_t j = 0; j != nv; ++j)
        nruns += (v[j].seat_next != 0 ? v[j].nholes : 0) + 1;
    if ((m->runs = malloc((nruns != 0 ? nruns : 1) * sizeof(*m->runs))) == NULL)
        abort();
    struct sg_sort_pair *by = malloc((nv != 0 ? nv : 1) * sizeof(*by));
    if (by == NULL)
        abort();
    for (size_t j = 0; j != nv; ++j) {
        uint32_t free_seats, run = (uint32_t)at, nrun = free_runs(m, &v[j], &free_seats, &at);
        uint32_t bin = sg__match_add_bin(m, v[j].city, v[j].day, v[j].type, v[j].capacity, 0);
        m->bins[bin].used = v[j].capacity - free_seats;
        m->bins[bin].run = run, m->bins[bin].nrun = nrun;
        by[j] =
            (struct sg_sort_pair){(uint64_t)v[j].city << 32 | (uint32_t)((int64_t)v[j].day - INT32_MIN), (uint32_t)j};
    }
    m->nexisting = nv;
    sg_sort_pairs(by, nv);
    size_t lo = 0;
    for (size_t k = 0; k != nv; ++k) {
        uint32_t j = by[k].value, city = v[j].city;
        while (lo < m->nitems && m->items[m->order[lo]].city < city)
            ++lo;
        size_t hi = lo;
        while (hi < m->nitems && m->items[m->order[hi]].city == city)
            ++hi;
        fill_existing(m, j, &v[j], lo, hi);
    }
    free(by);
}

/* Queues of a bucket's groups by size (positions into the bucket, in village order), to
 * close the gap a full-enough vehicle leaves. */
struct queues {
    uint32_t *pos;
    size_t cur[GAP_SIZES + 1], end[GAP_SIZES + 1];
};

static void queues_build(struct queues *q, const struct sg__matcher *m, const uint32_t *bucket, size_t n)
{
    size_t count[GAP_SIZES + 1] = {0}, at = 0;
    for (size_t k = 0; k != n; ++k)
        if (m->items[bucket[k]].size <= GAP_SIZES)
            ++count[m->items[bucket[k]].size];
    for (size_t sz = 1; sz <= GAP_SIZES; ++sz) {
        q->cur[sz] = at;
        at += count[sz];
        q->end[sz] = q->cur[sz];
    }
    for (size_t k = 0; k != n; ++k) {
        uint16_t sz = m->items[bucket[k]].size;
        if (sz <= GAP_SIZES)
            q->pos[q->end[sz]++] = (uint32_t)k;
    }
}

static void close_gap(struct sg__matcher *m, uint32_t bin, const uint32_t *bucket, struct queues *q)
{
    uint32_t gap = m->bins[bin].capacity - m->bins[bin].used;
    for (size_t sz = gap < GAP_SIZES ? gap : GAP_SIZES; sz >= 1 && gap != 0; --sz) {
        while (gap >= sz && q->cur[sz] < q->end[sz]) {
            uint32_t i = bucket[q->pos[q->cur[sz]++]];
            if (!sg__match_assigned(m, i)) {
                sg__match_put(m, bin, i);
                gap -= (uint32_t)sz;
            }
        }
    }
}

static void pack_bucket(struct sg__matcher *m, const uint32_t *bucket, size_t n, uint8_t type, struct queues *q)
{
    uint32_t cap = m->config->capacity[type], bin = SG_MATCH_NONE;
    uint64_t people = 0;
    for (size_t k = 0; k != n; ++k)
        people += m->items[bucket[k]].size;
    if (people <= cap) { /* one vehicle holds them all (most buckets of a province): no gaps to close */
        bin = sg__match_add_bin(m, m->items[bucket[0]].city, m->items[bucket[0]].day, type, cap,
                                sg__match_area_key(m, bucket[0]));
        for (size_t k = 0; k != n; ++k)
            sg__match_put(m, bin, bucket[k]);
        return;
    }
    queues_build(q, m, bucket, n);
    for (size_t k = 0; k != n; ++k) {
        uint32_t i = bucket[k];
        if (sg__match_assigned(m, i))
            continue;
        if (bin != SG_MATCH_NONE && m->bins[bin].used + m->items[i].size > cap) {
            close_gap(m, bin, bucket, q);
            bin = SG_MATCH_NONE;
        }
        if (bin == SG_MATCH_NONE)
            bin = sg__match_add_bin(m, m->items[i].city, m->items[i].day, type, cap, sg__match_area_key(m, i));
        sg__match_put(m, bin, i);
    }
}

/* Move every group of bin `from` into bin `to`. */
static void merge_bins(struct sg__matcher *m, uint32_t to, uint32_t from)
{
    struct sg__bin *a = &m->bins[to], *b = &m->bins[from];
    for (uint32_t i = b->head; i != SG_MATCH_NONE; i = m->next[i])
        m->res->assign[i].vehicle = to;
    m->next[a->tail] = b->head;
    a->tail = b->tail;
    a->used += b->used;
    a->lo = a->lo > b->lo ? a->lo : b->lo;
    a->hi = a->hi < b->hi ? a->hi : b->hi;
    b->used = 0;
    b->head = b->tail = SG_MATCH_NONE;
    b->alias = to;
}

/* Flexible dates: a partly filled vehicle joins another day's when every group in the
 * one that moves accepts the other's day. Bins [first, nbins) of one city, area and type. */
static void merge_partial(struct sg__matcher *m, size_t first)
{
    for (size_t j = first; j < m->nbins; ++j) {
        struct sg__bin *b = &m->bins[j];
        if (b->used == 0 || b->used == b->capacity)
            continue;
        size_t best = SIZE_MAX;
        for (size_t k = first; k < j; ++k) {
            struct sg__bin *a = &m->bins[k];
            int can = a->used != 0 && a->used + b->used <= a->capacity &&
                      ((a->day >= b->lo && a->day <= b->hi) || (b->day >= a->lo && b->day <= a->hi));
            if (can && (best == SIZE_MAX || a->used > m->bins[best].used))
                best = k;
        }
        if (best == SIZE_MAX)
            continue;
        struct sg__bin *a = &m->bins[best];
        if (a->day >= b->lo && a->day <= b->hi)
            merge_bins(m, (uint32_t)best, (uint32_t)j);
        else {
            merge_bins(m, (uint32_t)j, (uint32_t)best); /* the earlier one moves to this day */
        }
    }
}

/* The type a new vehicle for item i would be: the first allowed (bus, train, flight)
 * that can hold the group; SG_VEHICLE_TYPES when none can. */
static uint8_t new_type(const struct sg__matcher *m, const struct sg_match_item *it)
{
    for (uint8_t t = 0; t != SG_VEHICLE_TYPES; ++t)
        if ((it->modes >> t & 1u) && m->config->capacity[t] >= it->size)
            return t;
    return SG_VEHICLE_TYPES;
}

/* The lower bounds of what one area's new vehicles carry: its items seq[0, n) (in runs
 * of one day) that went into them, by their own day and their vehicle's type; and dates
 * ignored. A proposed vehicle holds at most its capacity, so ncreated is never below
 * lower_bound_city; flexible dates may bring it below lower_bound. */
static void lower_bounds(struct sg__matcher *m, const uint32_t *seq, size_t n)
{
    uint64_t area_people[SG_VEHICLE_TYPES] = {0};
    for (size_t k = 0; k < n;) {
        int32_t day = m->items[seq[k]].day;
        uint64_t people[SG_VEHICLE_TYPES] = {0};
        for (; k < n && m->items[seq[k]].day == day; ++k)
            if (sg__match_assigned(m, seq[k]))
                people[m->bins[m->res->assign[seq[k]].vehicle].type] += m->items[seq[k]].size;
        for (int t = 0; t != SG_VEHICLE_TYPES; ++t) {
            uint32_t cap = m->config->capacity[t];
            m->res->lower_bound += (size_t)((people[t] + cap - 1) / cap);
            area_people[t] += people[t];
        }
    }
    for (int t = 0; t != SG_VEHICLE_TYPES; ++t)
        m->res->lower_bound_city += (size_t)((area_people[t] + m->config->capacity[t] - 1) / m->config->capacity[t]);
}

/* New vehicles for one city and area: its items seq[0, n) (unassigned, each with a type
 * that can hold it, by type, then day and village), type by type, day by day; then the
 * minimum loads (match_min.c). */
static void pack_area(struct sg__matcher *m, const uint32_t *seq, size_t n, struct queues *q)
{
    size_t first = m->nbins;
    for (size_t lo = 0, hi; lo < n; lo = hi) {
        uint8_t t = m->newtype[seq[lo]];
        size_t tfirst = m->nbins;
        for (hi = lo; hi < n && m->newtype[seq[hi]] == t; ++hi)
            ;
        for (size_t k = lo, j; k < hi; k = j) { /* one day's groups of type t: a slice of seq */
            for (j = k + 1; j < hi && m->items[seq[j]].day == m->items[seq[k]].day; ++j)
                ;
            pack_bucket(m, seq + k, j - k, t, q);
        }
        merge_partial(m, tfirst);
    }
    sg__match_minimums(m, seq, n, first);
    lower_bounds(m, seq, n);
}

/* What is left after the existing vehicles, by (city, area, type) and then (day, village)
 * as order[] has it (a stable sort), packed area by area. */
static void pack_new(struct sg__matcher *m)
{
    size_t n = 0;
    struct sg_sort_pair *p = malloc((m->nitems + 1) * sizeof(*p));
    uint32_t *seq = malloc((m->nitems + 1) * sizeof(*seq));
    struct queues q = {.pos = malloc((m->nitems + 1) * sizeof(*q.pos))};
    if (p == NULL || seq == NULL || q.pos == NULL)
        abort();
    /* the area as a number (< 10^12 < 2^40), or when the items came in place order its rank
     * (fewer key bytes for the radix sort to go over); cities < 2^22 */
    uint32_t *rank = m->by_place ? malloc((m->nitems + 1) * sizeof(*rank)) : NULL;
    for (size_t i = 0, r = 0; rank != NULL && i != m->nitems; ++i) {
        r += i != 0 && sg__match_area_key(m, (uint32_t)i) != sg__match_area_key(m, (uint32_t)i - 1);
        rank[i] = (uint32_t)r;
    }
    for (size_t k = 0; k != m->nitems; ++k) {
        uint32_t i = m->order[k];
        uint64_t area = rank != NULL ? rank[i] : sg__match_area_key(m, i);
        if (!sg__match_assigned(m, i) && m->newtype[i] != SG_VEHICLE_TYPES)
            p[n++] = (struct sg_sort_pair){(uint64_t)m->items[i].city << 42 | area << 2 | m->newtype[i], i};
    }
    free(rank);
    sg_sort_pairs(p, n);
    for (size_t k = 0; k != n; ++k)
        seq[k] = p[k].value;
    for (size_t lo = 0, hi; lo < n; lo = hi) {
        for (hi = lo + 1; hi < n && p[hi].key >> 2 == p[lo].key >> 2; ++hi)
            ;
        pack_area(m, seq + lo, hi - lo, &q);
    }
    free(p);
    free(seq);
    free(q.pos);
}

/* Number the kept new vehicles and their seats, groups in the order they were put in. */
static void finish(struct sg__matcher *m, size_t nvehicles)
{
    struct sg_match_result *res = m->res;
    size_t kept = 0;
    for (size_t j = m->nexisting; j != m->nbins; ++j)
        kept += m->bins[j].used != 0;
    if ((res->created = calloc(kept != 0 ? kept : 1, sizeof(*res->created))) == NULL)
        abort();
    for (size_t j = m->nexisting; j < m->nbins; ++j) {
        const struct sg__bin *b = &m->bins[j];
        uint32_t out = (uint32_t)j, seat = 1;
        if (b->used != 0) {
            out = (uint32_t)(nvehicles + res->ncreated);
            res->created[res->ncreated++] = (struct sg_match_vehicle){.city = b->city,
                                                                      .day = b->day,
                                                                      .type = b->type,
                                                                      .capacity = b->capacity,
                                                                      .used = b->used,
                                                                      .area = b->area};
        }
        for (uint32_t i = b->head; i != SG_MATCH_NONE; i = m->next[i]) {
            res->assign[i] = (struct sg_match_assignment){out, seat};
            seat += m->items[i].size;
        }
    }
}

static int config_valid(const struct sg_match_config *c)
{
    for (int t = 0; t != SG_VEHICLE_TYPES; ++t)
        if (c->capacity[t] == 0 || c->min_load[t] > c->capacity[t])
            return 0;
    return c->area_digits == 0 || c->area_digits == 6 || c->area_digits == 9 || c->area_digits == 12;
}

static void matcher_init(struct sg__matcher *m, const struct sg_match_item *items, size_t nitems,
                         const struct sg_match_config *config, struct sg_match_result *res)
{
    size_t n1 = nitems != 0 ? nitems : 1;
    *m = (struct sg__matcher){.items = items, .nitems = nitems, .config = config, .res = res};
    /* the area of a 12-digit village code: its first area_digits digits */
    for (unsigned d = config->area_digits; d != 0 && d <= 12; ++d)
        m->area_div = d == config->area_digits ? 1 : m->area_div * 10;
    m->order = malloc(n1 * sizeof(*m->order));
    m->next = malloc(n1 * sizeof(*m->next));
    m->newtype = malloc(n1);
    res->assign = malloc(n1 * sizeof(*res->assign));
    res->reason = calloc(n1, 1);
    if (!m->order || !m->next || !m->newtype || !res->assign || !res->reason)
        abort();
    for (size_t i = 0; i != nitems; ++i) {
        res->assign[i] = (struct sg_match_assignment){SG_MATCH_NONE, 0};
        m->newtype[i] = new_type(m, &items[i]);
    }
}

int sg_match(const struct sg_match_item *items, size_t nitems, const struct sg_match_vehicle *vehicles,
             size_t nvehicles, const struct sg_match_config *config, struct sg_match_result *res)
{
    memset(res, 0, sizeof(*res));
    if (!config_valid(config))
        return SG_EINVAL;
    for (size_t i = 0; i != nitems; ++i)
        if (items[i].size == 0)
            return SG_EINVAL;
    struct sg__matcher m;
    matcher_init(&m, items, nitems, config, res);
    m.by_place = sort_order(m.order, items, nitems);
    m.existing = vehicles;
    fill_existing_all(&m, vehicles, nvehicles);
    pack_new(&m);
    finish(&m, nvehicles);
    sg__match_reasons(&m);
    free(m.order);
    free(m.next);
    free(m.newtype);
    free(m.bins);
    free(m.runs);
    return 0;
}

void sg_match_result_dispose(struct sg_match_result *res)
{
    free(res->assign);
    free(res->reason);
    free(res->created);
    memset(res, 0, sizeof(*res));
}
