/* SPDX-License-Identifier: MIT */
/* Minimum loads and what is left. A proposed vehicle below its type's minimum (a bus half
 * full, a train of 300, a flight of 100 by default) is one nobody would run: it is
 * undone, and its groups try, in this order, a kept vehicle of their area of any type
 * their mode allows on a day their flexibility allows (nearest day first), then a new
 * vehicle on the day most of the leftovers accept, made only when it reaches the
 * minimum. Nothing is ever forced in: what is left stays unassigned, with its reason. */
#include <stdlib.h>
#include <string.h>
#include "domain/match_internal.h"
#include "domain/sort.h"

static uint32_t min_of(const struct sg__matcher *m, uint8_t t)
{
    return m->config->min_load[t] != 0 ? m->config->min_load[t] : 1;
}

static void undo_bin(struct sg__matcher *m, struct sg__bin *b)
{
    for (uint32_t i = b->head; i != SG_MATCH_NONE; i = m->next[i]) {
        m->res->assign[i].vehicle = SG_MATCH_NONE;
        m->res->people_placed -= m->items[i].size;
    }
    b->used = 0;
    b->head = b->tail = SG_MATCH_NONE;
}

/* Take group i (after prev in the list, SG_MATCH_NONE when first) out of bin s. */
static void unlink_group(struct sg__matcher *m, struct sg__bin *s, uint32_t prev, uint32_t i)
{
    if (prev == SG_MATCH_NONE)
        s->head = m->next[i];
    else
        m->next[prev] = m->next[i];
    if (s->tail == i)
        s->tail = prev;
    s->used -= m->items[i].size;
    m->res->assign[i].vehicle = SG_MATCH_NONE;
    m->res->people_placed -= m->items[i].size;
}

/* Groups of the other bins of [first, nbins) of b's type that may move into b: each
 * accepts b's day, fits, and leaves its bin above its minimum. With move they move;
 * else they are only counted. The people that move (or would), stopping at need. */
static uint32_t top_up(struct sg__matcher *m, size_t first, uint32_t bj, uint32_t need, int move)
{
    uint32_t got = 0, min = min_of(m, m->bins[bj].type), room = m->bins[bj].capacity - m->bins[bj].used;
    for (size_t k = first; k < m->nbins && got < need; ++k) {
        struct sg__bin *s = &m->bins[k];
        if (k == bj || s->type != m->bins[bj].type || s->used <= min)
            continue;
        uint32_t spare = s->used - min, prev = SG_MATCH_NONE;
        for (uint32_t i = s->head, next; i != SG_MATCH_NONE && got < need; i = next) {
            uint16_t size = m->items[i].size;
            next = m->next[i];
            if (size <= spare && size <= room - got && sg__match_fits_window(&m->items[i], m->bins[bj].day)) {
                spare -= size, got += size;
                if (move) {
                    unlink_group(m, s, prev, i);
                    sg__match_put(m, bj, i);
                    continue;
                }
            }
            prev = i;
        }
    }
    return got;
}

/* The bins [first, nbins) below their minimum: topped up from the others where their
 * groups may move, else undone. How many were undone. */
static size_t undo_small(struct sg__matcher *m, size_t first)
{
    size_t undone = 0;
    for (size_t j = first; j < m->nbins; ++j) {
        struct sg__bin *b = &m->bins[j];
        uint32_t min = min_of(m, b->type);
        if (b->used == 0 || b->used >= min)
            continue;
        if (top_up(m, first, (uint32_t)j, min - b->used, 0) >= min - b->used)
            top_up(m, first, (uint32_t)j, min - b->used, 1);
        else {
            undo_bin(m, b);
            ++undone;
        }
    }
    return undone;
}

/* The kept bin of kept[0, nkept) of type t that item i may join, the nearest day first;
 * SG_MATCH_NONE when there is none. Kept bins carry their minimum already: joining only
 * adds. */
static uint32_t join_target(const struct sg__matcher *m, const uint32_t *kept, size_t nkept, uint32_t i, uint8_t t)
{
    const struct sg_match_item *it = &m->items[i];
    uint32_t best = SG_MATCH_NONE;
    int32_t best_off = INT32_MAX;
    for (size_t k = 0; k != nkept; ++k) {
        const struct sg__bin *b = &m->bins[kept[k]];
        if (b->type != t || b->used + it->size > b->capacity || !sg__match_fits_window(it, b->day))
            continue;
        int32_t off = b->day > it->day ? b->day - it->day : it->day - b->day;
        if (off < best_off)
            best = kept[k], best_off = off;
    }
    return best;
}

/* Each unassigned group of seq joins a kept bin of [first, nbins): its preferred type
 * first, then the others its mode allows. Nothing to do (and nothing read) when the area
 * kept no bin, the usual case for a small area. */
static void rejoin(struct sg__matcher *m, const uint32_t *seq, size_t n, size_t first)
{
    size_t nkept = 0;
    for (size_t j = first; j < m->nbins; ++j)
        nkept += m->bins[j].used != 0;
    if (nkept == 0)
        return;
    uint32_t *kept = malloc(nkept * sizeof(*kept));
    if (kept == NULL)
        abort();
    for (size_t j = first, k = 0; j < m->nbins; ++j)
        if (m->bins[j].used != 0)
            kept[k++] = (uint32_t)j;
    for (size_t k = 0; k != n; ++k) {
        uint32_t i = seq[k];
        if (sg__match_assigned(m, i))
            continue;
        for (int s = -1; s != SG_VEHICLE_TYPES; ++s) {
            uint8_t t = s < 0 ? m->newtype[i] : (uint8_t)s;
            if ((s >= 0 && t == m->newtype[i]) || !(m->items[i].modes >> t & 1u))
                continue;
            uint32_t b = join_target(m, kept, nkept, i, t);
            if (b != SG_MATCH_NONE) {
                sg__match_put(m, b, i);
                break;
            }
        }
    }
    free(kept);
}

/* The leftovers of one type: who may go, the window of days they span and, per day, the
 * people who accept it. */
struct pool {
    uint32_t *cand;
    size_t n;
    int32_t lo;
    size_t span;
    uint64_t *people; /* per day from lo: the candidates' people who accept it */
    uint8_t *tried;   /* per day: bins made there could not reach the minimum */
};

static void pool_count(const struct sg__matcher *m, struct pool *p, uint32_t i, int sign)
{
    const struct sg_match_item *it = &m->items[i];
    for (int32_t d = it->day - it->flex; d <= it->day + it->flex; ++d)
        p->people[d - p->lo] += (uint64_t)((int64_t)sign * it->size);
}

/* 0 when the leftovers of seq that may take type t cannot reach its minimum. */
static int pool_init(const struct sg__matcher *m, const uint32_t *seq, size_t n, uint8_t t, struct pool *p)
{
    uint64_t total = 0;
    int32_t lo = INT32_MAX, hi = INT32_MIN;
    memset(p, 0, sizeof(*p));
    if ((p->cand = malloc((n + 1) * sizeof(*p->cand))) == NULL)
        abort();
    for (size_t k = 0; k != n; ++k) {
        const struct sg_match_item *it = &m->items[seq[k]];
        if (sg__match_assigned(m, seq[k]) || !(it->modes >> t & 1u) || it->size > m->config->capacity[t])
            continue;
        p->cand[p->n++] = seq[k];
        total += it->size;
        lo = it->day - it->flex < lo ? it->day - it->flex : lo;
        hi = it->day + it->flex > hi ? it->day + it->flex : hi;
    }
    if (total < min_of(m, t))
        return 0;
    p->lo = lo;
    p->span = (size_t)((int64_t)hi - lo + 1);
    if ((p->people = calloc(p->span, sizeof(*p->people))) == NULL || (p->tried = calloc(p->span, 1)) == NULL)
        abort();
    for (size_t k = 0; k != p->n; ++k)
        pool_count(m, p, p->cand[k], 1);
    return 1;
}

/* New bins of type t on day for the candidates that accept it (people[day] of them, at
 * least the minimum), as many as the capacity needs but no more than the minimum allows,
 * balanced so that each carries about the same; any still below the minimum (groups are
 * not cut) is undone. True when one was kept. */
static int make_bins(struct sg__matcher *m, struct pool *p, uint8_t t, int32_t day)
{
    uint32_t cap = m->config->capacity[t], bin = SG_MATCH_NONE;
    uint64_t people = p->people[day - p->lo], nbins = (people + cap - 1) / cap;
    if (nbins > people / min_of(m, t))
        nbins = people / min_of(m, t); /* fewer, fuller ones: each reaches the minimum */
    uint64_t target = (people + nbins - 1) / nbins;
    size_t first = m->nbins;
    int kept = 0;
    for (size_t k = 0; k != p->n; ++k) {
        uint32_t i = p->cand[k];
        const struct sg_match_item *it = &m->items[i];
        if (sg__match_assigned(m, i) || !sg__match_fits_window(it, day))
            continue;
        if (bin == SG_MATCH_NONE || m->bins[bin].used >= target || m->bins[bin].used + it->size > cap)
            bin = sg__match_add_bin(m, it->city, day, t, cap, sg__match_area_key(m, i));
        sg__match_put(m, bin, i);
    }
    undo_small(m, first);
    for (size_t j = first; j < m->nbins; ++j) {
        for (uint32_t i = m->bins[j].head; i != SG_MATCH_NONE; i = m->next[i])
            pool_count(m, p, i, -1);
        kept |= m->bins[j].used != 0;
    }
    return kept;
}

/* Leftovers of seq that may take type t into new bins of t, day by day, the day most of
 * them accept first, while one reaches the minimum. */
static void regroup(struct sg__matcher *m, const uint32_t *seq, size_t n, uint8_t t)
{
    struct pool p;
    if (pool_init(m, seq, n, t, &p)) {
        for (;;) {
            size_t best = SIZE_MAX;
            for (size_t d = 0; d != p.span; ++d)
                if (!p.tried[d] && (best == SIZE_MAX || p.people[d] > p.people[best]))
                    best = d;
            if (best == SIZE_MAX || p.people[best] < min_of(m, t))
                break;
            if (!make_bins(m, &p, t, p.lo + (int32_t)best))
                p.tried[best] = 1; /* the groups cannot be cut to reach it: not this day */
        }
    }
    free(p.cand);
    free(p.people);
    free(p.tried);
}

void sg__match_minimums(struct sg__matcher *m, const uint32_t *seq, size_t n, size_t first)
{
    int any = 0;
    for (uint8_t t = 0; t != SG_VEHICLE_TYPES; ++t)
        any |= min_of(m, t) > 1;
    if (!any || undo_small(m, first) == 0)
        return;
    size_t nleft = 0; /* the groups the undone vehicles gave back, read once */
    uint32_t *left = malloc(n * sizeof(*left));
    if (left == NULL)
        abort();
    for (size_t k = 0; k != n; ++k)
        if (!sg__match_assigned(m, seq[k]))
            left[nleft++] = seq[k];
    rejoin(m, left, nleft, first);
    for (uint8_t t = 0; t != SG_VEHICLE_TYPES; ++t)
        regroup(m, left, nleft, t);
    rejoin(m, left, nleft, first);
    free(left);
}

/* The existing vehicles by (city, day): a trip is one (city, day), its vehicles
 * vehicles[first .. first + n) in the sorted list, and the longest free run of seats among
 * them by type after the run (a quick no for most groups). */
struct trip {
    uint64_t key;
    uint32_t room[SG_VEHICLE_TYPES];
    uint32_t first, n;
};

struct trips {
    struct trip *t;
    size_t n;
    uint32_t *vehicles;
};

static uint64_t trip_key(uint32_t city, int32_t day)
{
    return (uint64_t)city << 32 | (uint32_t)((int64_t)day - INT32_MIN);
}

static void trips_build(const struct sg__matcher *m, struct trips *out)
{
    size_t n = m->nexisting;
    struct sg_sort_pair *p = malloc((n + 1) * sizeof(*p));
    out->t = calloc(n + 1, sizeof(*out->t));
    out->vehicles = malloc((n + 1) * sizeof(*out->vehicles));
    out->n = 0;
    if (p == NULL || out->t == NULL || out->vehicles == NULL)
        abort();
    for (size_t j = 0; j != n; ++j)
        p[j] = (struct sg_sort_pair){trip_key(m->bins[j].city, m->bins[j].day), (uint32_t)j};
    sg_sort_pairs(p, n);
    for (size_t k = 0; k != n; ++k) {
        const struct sg__bin *b = &m->bins[p[k].value];
        struct trip *t = &out->t[out->n - (out->n != 0 && out->t[out->n - 1].key == p[k].key)];
        if (out->n == 0 || out->t[out->n - 1].key != p[k].key)
            *(t = &out->t[out->n++]) = (struct trip){.key = p[k].key, .first = (uint32_t)k};
        out->vehicles[k] = p[k].value;
        ++t->n;
        uint32_t room = sg__match_longest_run(m, b);
        if (b->type < SG_VEHICLE_TYPES && room > t->room[b->type])
            t->room[b->type] = room;
    }
    free(p);
}

static const struct trip *trip_find(const struct trips *t, uint64_t key)
{
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->t[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < t->n && t->t[lo].key == key ? &t->t[lo] : NULL;
}

/* An existing vehicle of a division holding its village (a stop for it could be added),
 * with room for it, goes its way on a day it accepts: it stayed out only because no stop
 * serves its village (else filling would have put it in). */
static int no_stop(const struct sg__matcher *m, const struct sg_match_item *it, const struct trips *trips)
{
    for (int32_t d = it->day - it->flex; d <= it->day + it->flex; ++d) {
        const struct trip *x = trip_find(trips, trip_key(it->city, d));
        int room = 0;
        for (uint8_t ty = 0; x != NULL && ty != SG_VEHICLE_TYPES; ++ty)
            room |= (it->modes >> ty & 1u) && x->room[ty] >= it->size;
        for (uint32_t k = 0; room && k != x->n; ++k) {
            uint32_t j = trips->vehicles[x->first + k];
            const struct sg_match_area *own = &m->existing[j].owner;
            const struct sg__bin *b = &m->bins[j];
            if ((own->hi == 0 || (it->place >= own->lo && it->place < own->hi)) && (it->modes >> b->type & 1u) &&
                sg__match_longest_run(m, b) >= it->size)
                return 1;
        }
    }
    return 0;
}

void sg__match_reasons(struct sg__matcher *m)
{
    struct trips trips;
    struct sg_match_result *res = m->res;
    trips_build(m, &trips);
    for (size_t i = 0; i != m->nitems; ++i) {
        const struct sg_match_item *it = &m->items[i];
        if (res->assign[i].vehicle != SG_MATCH_NONE)
            continue;
        ++res->unassigned;
        res->people_unplaced += it->size;
        res->reason[i] = no_stop(m, it, &trips)              ? SG_MATCH_NO_STOP
                         : m->newtype[i] == SG_VEHICLE_TYPES ? SG_MATCH_TOO_BIG
                                                             : SG_MATCH_BELOW_MINIMUM;
    }
    free(trips.t);
    free(trips.vehicles);
}
