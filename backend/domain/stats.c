/* SPDX-License-Identifier: MIT */
/* Summing counter hashes into a scope's figures. The sources are chosen so that each
 * registration is counted exactly once: village hashes below county level, county hashes
 * above (signup.lua keeps both). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "domain/err.h"
#include "domain/stats.h"

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n != 0 ? n : 1, size);
    if (p == NULL)
        abort();
    return p;
}

/* The level whose hashes are read for a scope of level scope_level. */
static int source_level(int scope_level)
{
    if (scope_level == SG_LEVEL_VILLAGE)
        return SG_LEVEL_VILLAGE;
    return scope_level >= SG_LEVEL_COUNTY ? SG_LEVEL_VILLAGE : SG_LEVEL_COUNTY;
}

static void plan(struct sg_stats *st, const struct sg_divisions *ds, size_t begin, size_t end)
{
    int src = source_level(st->scope->level), child = st->scope->level + 1;
    for (size_t i = begin; i != end; ++i) {
        const struct sg_division *d = sg_divisions_at(ds, i);
        if (d->level == child)
            st->children[st->nchildren++].division = d;
        if (d->level == src) {
            /* children come before their descendants in code order */
            st->source_child[st->nsources] =
                child <= SG_LEVEL_VILLAGE && st->nchildren != 0 ? st->nchildren - 1 : SIZE_MAX;
            st->sources[st->nsources++] = d;
        }
    }
}

int sg_stats_init(struct sg_stats *st, const struct sg_divisions *ds, const char *scope, struct sg_date today)
{
    size_t begin, end;
    memset(st, 0, sizeof(*st));
    if (sg_divisions_range(ds, scope, &begin, &end) != 0)
        return SG_ENOENT;
    st->scope = sg_divisions_at(ds, begin);
    sg_date_format(today, st->today);
    st->children = xcalloc(end - begin, sizeof(*st->children));
    st->sources = xcalloc(end - begin, sizeof(*st->sources));
    st->source_child = xcalloc(end - begin, sizeof(*st->source_child));
    st->dest_slot = xcalloc(10000, sizeof(*st->dest_slot));
    plan(st, ds, begin, end);
    return 0;
}

void sg_stats_dispose(struct sg_stats *st)
{
    free(st->children);
    free(st->sources);
    free(st->source_child);
    free(st->dest_slot);
    memset(st, 0, sizeof(*st));
}

static int is(const char *field, size_t flen, const char *name)
{
    return flen == strlen(name) && memcmp(field, name, flen) == 0;
}

static int has_prefix(const char *field, size_t flen, const char *prefix)
{
    size_t n = strlen(prefix);
    return flen > n && memcmp(field, prefix, n) == 0;
}

/* The transport counter "t:{name}" (the name after "t:"), or NULL. */
static long *trip_count_of(struct sg_stats_counts *c, const char *name, size_t len)
{
    static const char *const names[] = {"assigned", "notified", "boarded", "departed", "arrived"};
    long *slots[] = {&c->assigned, &c->notified, &c->boarded, &c->departed, &c->arrived};
    for (size_t i = 0; i != sizeof(names) / sizeof(names[0]); ++i)
        if (is(name, len, names[i]))
            return slots[i];
    return NULL;
}

/* The counts a plain field adds to, or NULL for breakdown and unknown fields. */
static long *count_of(struct sg_stats_counts *c, const char *today, const char *field, size_t flen)
{
    if (is(field, flen, "people"))
        return &c->people;
    if (is(field, flen, "regs"))
        return &c->regs;
    if (is(field, flen, "poverty"))
        return &c->poverty;
    if (is(field, flen, "age50"))
        return &c->age50;
    if (is(field, flen, "low"))
        return &c->low;
    if (flen == 14 && has_prefix(field, flen, "day:"))
        return memcmp(field + 4, today, 10) == 0 ? &c->today : NULL;
    if (has_prefix(field, flen, "t:"))
        return trip_count_of(c, field + 2, flen - 2);
    if (!has_prefix(field, flen, "returns:"))
        return NULL;
    field += 8, flen -= 8;
    if (is(field, flen, "outbound"))
        return &c->outbound;
    if (is(field, flen, "returned"))
        return &c->returned;
    if (is(field, flen, "not_returned"))
        return &c->not_returned;
    if (is(field, flen, "villages"))
        return &c->return_villages;
    if (is(field, flen, "flagged"))
        return &c->return_flagged;
    return NULL;
}

static void add_dest(struct sg_stats *st, const char *city, size_t len, long n)
{
    if (len != 4 || strspn(city, "0123456789") < 4)
        return;
    int code = (city[0] - '0') * 1000 + (city[1] - '0') * 100 + (city[2] - '0') * 10 + (city[3] - '0');
    if (st->dest_slot[code] == 0) {
        if (st->ndest == SG_STATS_BUCKETS_MAX)
            return;
        memcpy(st->dest[st->ndest].key, city, 4);
        st->dest_slot[code] = (short)++st->ndest;
    }
    st->dest[st->dest_slot[code] - 1].n += n;
}

static void add_date(struct sg_stats *st, const char *date, size_t len, long n)
{
    if (len != 10)
        return;
    size_t i = st->ndates;
    while (i != 0 && memcmp(st->dates[i - 1].key, date, 10) != 0)
        --i;
    if (i == 0) {
        if (st->ndates == SG_STATS_BUCKETS_MAX)
            return;
        memcpy(st->dates[st->ndates].key, date, 10);
        i = ++st->ndates;
    }
    st->dates[i - 1].n += n;
}

void sg_stats_add(struct sg_stats *st, size_t source, const char *field, size_t flen, long n)
{
    long *total = count_of(&st->total, st->today, field, flen);
    if (total != NULL) {
        *total += n;
        size_t child = source < st->nsources ? st->source_child[source] : SIZE_MAX;
        if (child != SIZE_MAX)
            *count_of(&st->children[child].counts, st->today, field, flen) += n;
    } else if (has_prefix(field, flen, "dest:")) {
        add_dest(st, field + 5, flen - 5, n);
    } else if (has_prefix(field, flen, "date:")) {
        add_date(st, field + 5, flen - 5, n);
    }
}

static int by_people_desc(const void *a, const void *b)
{
    const struct sg_stats_bucket *x = a, *y = b;
    if (x->n != y->n)
        return x->n < y->n ? 1 : -1;
    return strcmp(x->key, y->key);
}

static int by_key(const void *a, const void *b)
{
    return strcmp(((const struct sg_stats_bucket *)a)->key, ((const struct sg_stats_bucket *)b)->key);
}

void sg_stats_finish(struct sg_stats *st)
{
    qsort(st->dest, st->ndest, sizeof(st->dest[0]), by_people_desc);
    qsort(st->dates, st->ndates, sizeof(st->dates[0]), by_key);
    memset(st->dest_slot, 0, 10000 * sizeof(*st->dest_slot)); /* indexes are stale after sorting */
}
