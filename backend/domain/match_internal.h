/* SPDX-License-Identifier: MIT */
/* Shared between match.c (packing), match_bins.c (the vehicles being filled) and
 * match_min.c (minimum loads, leftovers, reasons) only: the matcher's working state. */
#ifndef SG_DOMAIN_MATCH_INTERNAL_H
#define SG_DOMAIN_MATCH_INTERNAL_H

#include "domain/match.h"

/* A vehicle being filled: existing ones first (index < nexisting), then proposed ones. */
struct sg__bin {
    uint32_t city;
    int32_t day, lo, hi; /* the day, and the window every group in it accepts */
    uint8_t type;
    uint32_t capacity, used;
    uint32_t head, tail; /* groups in the order they were put in (next[] links) */
    uint32_t alias;      /* merged into another bin: its index, else itself */
    uint32_t run, nrun;  /* existing vehicles: their free runs of seats, runs[run .. run + nrun) */
    uint64_t area;       /* proposed vehicles: the pickup area */
};

struct sg__run {
    uint32_t first, last; /* free seats first .. last; empty once first > last */
};

struct sg__matcher {
    const struct sg_match_item *items;
    size_t nitems;
    const struct sg_match_config *config;
    uint64_t area_div; /* an item's area is place / area_div (0: one area) */
    int by_place;      /* the items came sorted by place (the usual case: the open index's order) */
    uint32_t *order;   /* item indices by (city, day, place) */
    uint32_t *next;    /* per item: the next group in the same bin */
    uint8_t *newtype;  /* per item: the type a new vehicle for it would be (SG_VEHICLE_TYPES: none can) */
    struct sg__bin *bins;
    size_t nbins, capbins, nexisting;
    struct sg__run *runs;                    /* the existing vehicles' free seats */
    const struct sg_match_vehicle *existing; /* as given */
    struct sg_match_result *res;
};

static inline int sg__match_assigned(const struct sg__matcher *m, uint32_t i)
{
    return m->res->assign[i].vehicle != SG_MATCH_NONE;
}

static inline int sg__match_fits_window(const struct sg_match_item *it, int32_t day)
{
    int32_t d = it->day - day;
    return (d < 0 ? -d : d) <= it->flex;
}

static inline uint64_t sg__match_area_key(const struct sg__matcher *m, uint32_t i)
{
    return m->area_div != 0 ? m->items[i].place / m->area_div : 0;
}

/* match_bins.c */
/** A new bin (capacity seats, nothing in it); its index. */
uint32_t sg__match_add_bin(struct sg__matcher *m, uint32_t city, int32_t day, uint8_t type, uint32_t capacity,
                           uint64_t area);
/** Whether bin can take a group of size (an existing vehicle: a free run that holds it whole). */
int sg__match_fits(const struct sg__matcher *m, uint32_t bin, uint32_t size);
/** Put item i into bin (which fits it): its seats now for an existing vehicle, later for a new one. */
void sg__match_put(struct sg__matcher *m, uint32_t bin, uint32_t i);
/** The longest free run of seats of an existing vehicle's bin. */
uint32_t sg__match_longest_run(const struct sg__matcher *m, const struct sg__bin *b);

/* match_min.c */
/**
 * Minimum loads for one city and area (items seq[0, n), proposed bins first .. nbins):
 * bins below their type's minimum are undone; their groups join the area's other bins
 * where their mode and dates allow, then form new bins on the day most of them accept
 * when these reach the minimum. What is left stays unassigned.
 */
void sg__match_minimums(struct sg__matcher *m, const uint32_t *seq, size_t n, size_t first);
/** The reason of every unassigned item, and the counts of the result. */
void sg__match_reasons(struct sg__matcher *m);

#endif
