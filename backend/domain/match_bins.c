/* SPDX-License-Identifier: MIT */
/* The matcher's vehicles (bins): made, filled group by group (an existing vehicle's seats
 * given from its free runs as the group goes in, a new one's later in order), asked for
 * room. Shared by match.c (packing) and match_min.c (minimum loads, reasons). */
#include <stdlib.h>
#include "domain/match_internal.h"

uint32_t sg__match_add_bin(struct sg__matcher *m, uint32_t city, int32_t day, uint8_t type, uint32_t capacity,
                           uint64_t area)
{
    if (m->nbins == m->capbins) {
        m->capbins = m->capbins != 0 ? m->capbins * 2 : 64;
        if ((m->bins = realloc(m->bins, m->capbins * sizeof(*m->bins))) == NULL)
            abort();
    }
    struct sg__bin *b = &m->bins[m->nbins];
    *b = (struct sg__bin){.city = city,
                          .day = day,
                          .lo = INT32_MIN,
                          .hi = INT32_MAX,
                          .type = type,
                          .capacity = capacity,
                          .head = SG_MATCH_NONE,
                          .tail = SG_MATCH_NONE,
                          .alias = (uint32_t)m->nbins,
                          .area = area};
    return (uint32_t)m->nbins++;
}

/* The free run of an existing vehicle a group of size goes into (the first that holds it
 * whole), or NULL. */
static struct sg__run *run_for(const struct sg__matcher *m, const struct sg__bin *b, uint32_t size)
{
    for (uint32_t r = b->run; r != b->run + b->nrun; ++r)
        if (m->runs[r].first <= m->runs[r].last && m->runs[r].last - m->runs[r].first + 1 >= size)
            return &m->runs[r];
    return NULL;
}

/* The longest free run of an existing vehicle. */
uint32_t sg__match_longest_run(const struct sg__matcher *m, const struct sg__bin *b)
{
    uint32_t best = 0;
    for (uint32_t r = b->run; r != b->run + b->nrun; ++r)
        if (m->runs[r].first <= m->runs[r].last && m->runs[r].last - m->runs[r].first + 1 > best)
            best = m->runs[r].last - m->runs[r].first + 1;
    return best;
}

int sg__match_fits(const struct sg__matcher *m, uint32_t bin, uint32_t size)
{
    const struct sg__bin *b = &m->bins[bin];
    if (bin < m->nexisting)
        return run_for(m, b, size) != NULL;
    return b->used + size <= b->capacity;
}

void sg__match_put(struct sg__matcher *m, uint32_t bin, uint32_t i)
{
    struct sg__bin *b = &m->bins[bin];
    const struct sg_match_item *it = &m->items[i];
    m->res->assign[i].vehicle = bin;
    if (bin < m->nexisting) { /* seats of an existing vehicle are given here, new ones' in finish() */
        struct sg__run *r = run_for(m, b, it->size);
        m->res->assign[i].seat = r->first;
        r->first += it->size;
    }
    m->next[i] = SG_MATCH_NONE;
    if (b->tail == SG_MATCH_NONE)
        b->head = i;
    else
        m->next[b->tail] = i;
    b->tail = i;
    b->used += it->size;
    if (it->day - it->flex > b->lo)
        b->lo = it->day - it->flex;
    if (it->day + it->flex < b->hi)
        b->hi = it->day + it->flex;
    m->res->people_placed += it->size;
}
