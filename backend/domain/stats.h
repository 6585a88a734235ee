/* SPDX-License-Identifier: MIT */
/* Dashboard figures of a scope from the counters kept at write time: which counter hashes
 * to read (villages or counties under the scope), and how their fields add up to the
 * scope's totals, its children (one level down) and its breakdowns. Pure: the caller reads
 * the hashes and feeds every field to sg_stats_add. */
#ifndef SG_DOMAIN_STATS_H
#define SG_DOMAIN_STATS_H

#include <stddef.h>
#include "domain/date.h"
#include "domain/division.h"

/** What one division (or the whole scope) counts. */
struct sg_stats_counts {
    long people, regs, poverty, age50, low, today; /* today: people who signed up today; low: 低收入人口 */
    /* village return figures, the latest of each village, summed (report columns 1-3) */
    long outbound, returned, not_returned;
    long return_villages; /* villages that reported figures */
    long return_flagged;  /* of those, villages whose returned + not_returned != outbound */
    /* transport, people (the counters t:… kept by the transport scripts): in a vehicle now,
     * of whom the village told; checked in, of whom their vehicle has left, has arrived */
    long assigned, notified, boarded, departed, arrived;
};

/** One slice of a breakdown: a destination city code or a departure date, and its people. */
struct sg_stats_bucket {
    char key[11];
    long n;
};

#define SG_STATS_BUCKETS_MAX 512

struct sg_stats_child {
    const struct sg_division *division; /* borrowed from the table given to sg_stats_init */
    struct sg_stats_counts counts;
};

struct sg_stats {
    const struct sg_division *scope;
    char today[11];
    struct sg_stats_counts total;
    struct sg_stats_child *children; /* divisions one level below the scope, in code order */
    size_t nchildren;
    const struct sg_division **sources; /* the counter hashes to read, in code order */
    size_t *source_child;               /* child index of each source (SIZE_MAX: none) */
    size_t nsources;
    struct sg_stats_bucket dest[SG_STATS_BUCKETS_MAX]; /* people by destination city */
    size_t ndest;
    struct sg_stats_bucket dates[SG_STATS_BUCKETS_MAX]; /* people by departure date */
    size_t ndates;
    short *dest_slot; /* city code (0..9999) -> index into dest + 1 */
};

/**
 * Plan the figures of scope: sources are the counter hashes under it (the village itself;
 * the villages of a township or county; the counties of a city or the province), children
 * the divisions one level down. ds is borrowed and must outlive st. Returns 0, or
 * SG_ENOENT when scope is not in ds. Free with sg_stats_dispose.
 */
int sg_stats_init(struct sg_stats *st, const struct sg_divisions *ds, const char *scope, struct sg_date today);
void sg_stats_dispose(struct sg_stats *st);

/**
 * Add one counter field (e.g. "people", "dest:4419", "date:2027-02-03", "day:2027-01-10",
 * "returns:outbound", "t:assigned") of source hash number source. Unknown fields are ignored.
 */
void sg_stats_add(struct sg_stats *st, size_t source, const char *field, size_t flen, long n);

/** Sort the breakdowns: destinations by people (most first), dates in order. */
void sg_stats_finish(struct sg_stats *st);

#endif
