/* SPDX-License-Identifier: MIT */
/* The store's part of the statistics table: village return figures as they stood on a
 * date, funding entries, and filed reports (frozen copies). Same contract as store.h: a
 * call that returns 0 answers its callback exactly once. Key layout: docs/redis-keys.md. */
#ifndef SG_STORE_REPORT_H
#define SG_STORE_REPORT_H

#include "domain/report.h"
#include "domain/schedule.h"
#include "store/store.h"

/**
 * Every village under scope with return figures: the latest whose as_of is on or before
 * until (ties: the later entry), read in one script from the county hashes counties[0..n)
 * and, for villages whose latest is after until, their history. List as for
 * sg_store_returns_list. Strings are borrowed.
 */
int sg_store_returns_until(struct sg_store *s, const char *campaign, const char *scope, const char *const *counties,
                           size_t ncounties, struct sg_date until, sg_store_returns_cb cb, void *data);

/** Funding entries; valid during the callback only. */
typedef void (*sg_store_funding_cb)(void *data, int status, const struct sg_funding *f, size_t n);
/** Store f (its id is given here; borrowed); cb gets the stored entry with its id. */
int sg_store_funding_add(struct sg_store *s, const struct sg_funding *f, sg_store_funding_cb cb, void *data);
/** Every entry of campaign owned by a division under scope (or above it: the region's entries for a city are not). */
int sg_store_funding_list(struct sg_store *s, const char *campaign, const char *scope, sg_store_funding_cb cb,
                          void *data);

/** A filed report: who filed what, when, for which deadline, and the frozen figures and file. */
struct sg_filing {
    char id[16];
    char campaign[32];
    char scope[SG_DIVISION_CODE_MAX + 1];
    struct sg_date until;
    struct sg_due due; /* the deadline it was filed for (date 0-0-0 when the campaign has none left) */
    uint64_t at_ms;
    char user[64];
    const char *json; /* the report as answered by GET /api/report then (list: NULL) */
    size_t json_len;
    const unsigned char *xlsx; /* the .xlsx bytes (list: NULL) */
    size_t xlsx_len;
};
typedef void (*sg_store_filings_cb)(void *data, int status, const struct sg_filing *f, size_t n);
/** Store f with its json and xlsx (borrowed); cb gets it back with its id (n = 1). */
int sg_store_filing_save(struct sg_store *s, const struct sg_filing *f, sg_store_filings_cb cb, void *data);
/** Filings of campaign under scope, without json and xlsx, oldest first. */
int sg_store_filing_list(struct sg_store *s, const char *campaign, const char *scope, sg_store_filings_cb cb,
                         void *data);
/** One filing with its json and xlsx; SG_ENOENT when unknown. */
int sg_store_filing_get(struct sg_store *s, const char *id, sg_store_filings_cb cb, void *data);

#endif
