/* SPDX-License-Identifier: MIT */
/* The statistics table (2023年全区"点对点"送工服务情况统计表): one row per division one
 * level below the scope (cities of the region, counties of a city), a row for what the
 * scope itself owns when it has any, and the total; the sums of every column from village
 * return figures, departed vehicles and funding entries; 万人 rounding; the self-checks.
 * Pure: the caller reads the data and feeds it in. Columns: docs/api.md "Report". */
#ifndef SG_DOMAIN_REPORT_H
#define SG_DOMAIN_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "domain/date.h"
#include "domain/division.h"
#include "domain/vehicle.h"

#define SG_FUNDING_SOURCE_MAX_CHARS 60
#define SG_REPORT_SOURCES_MAX 512 /* bytes of the sources listed in one row's column 15 */

/** A funding entry: an amount (万元, kept in yuan) and its source, for a division. */
struct sg_funding {
    char id[16];
    char campaign[32];
    char scope[SG_DIVISION_CODE_MAX + 1]; /* the city (or county, or the region) that spent it */
    int64_t yuan;                         /* amount in yuan: 万元 × 10,000 */
    char source[4 * SG_FUNDING_SOURCE_MAX_CHARS + 1];
    struct sg_date date; /* when it was committed: the report up to a date counts it from then */
    uint64_t at_ms;      /* when it was entered */
    char user[64];
};

/** What one row counts: columns 1-15 as integers (people, trips, yuan). */
struct sg_report_figures {
    long outbound, returned, not_returned; /* cols 1-3, people */
    long people, poverty, guangdong;       /* cols 5-7, people */
    long trains, train_people;             /* cols 8-9 */
    long buses, bus_people;                /* cols 10-11 */
    long flights, flight_people;           /* cols 12-13 */
    int64_t yuan;                          /* col 14 */
    size_t funding_entries;
    char sources[SG_REPORT_SOURCES_MAX]; /* col 15: distinct sources, joined by "、" */
};

/** Col 4: trains and buses (the label names those two; flights are col 12). */
long sg_report_trips(const struct sg_report_figures *f);

enum sg_report_check {
    SG_CHECK_RETURNS_SUM = 1 << 0, /* col 1 != col 2 + col 3 */
    SG_CHECK_PEOPLE_SUM = 1 << 1,  /* col 5 != (col 9 + col 11 + col 13) / 10^4 */
    SG_CHECK_NO_FUNDING = 1 << 2,  /* departed vehicles but no funding entry */
};

/** A short code ("returns_sum", "people_sum", "no_funding") and a Chinese message for one check bit. */
const char *sg_report_check_code(enum sg_report_check c);
const char *sg_report_check_message(enum sg_report_check c);

struct sg_report_row {
    const struct sg_division *division; /* the row's division (for the own row: the scope) */
    bool own;                           /* the scope's own row (vehicles and funding of the scope itself) */
    struct sg_report_figures f;
    unsigned checks; /* enum sg_report_check bits */
};

struct sg_report {
    const struct sg_division *scope; /* the region or a city */
    struct sg_date until;
    struct sg_report_row *rows; /* children in code order, then the own row (shown only when used) */
    size_t nrows;
    struct sg_report_row total;
};

/**
 * Set up the rows of scope (a province or a city code in ds). ds is borrowed and must outlive
 * r. 0; SG_ENOENT when scope is unknown; SG_EINVAL when it is not a province or city.
 * Free with sg_report_dispose.
 */
int sg_report_init(struct sg_report *r, const struct sg_divisions *ds, const char *scope, struct sg_date until);
void sg_report_dispose(struct sg_report *r);

/** Add a village's return figures (the caller picks the latest with as_of <= until). */
void sg_report_add_returns(struct sg_report *r, const char *village, long outbound, long returned, long not_returned);
/**
 * Add a vehicle: counted when its status is departed or arrived, its departure date is on
 * or before until and it is owned under the scope; its checked-in people and their
 * poverty-alleviated part; Guangdong-bound when dest_city starts with "44". Returns true
 * when counted.
 */
bool sg_report_add_vehicle(struct sg_report *r, const struct sg_vehicle *v);
/** Add a funding entry dated on or before until and owned under the scope; true when counted. */
bool sg_report_add_funding(struct sg_report *r, const struct sg_funding *f);
/** Sum the total row and set every row's checks. */
void sg_report_finish(struct sg_report *r);

/** True when the row has anything to show (children always do; the own row only when used). */
bool sg_report_row_shown(const struct sg_report_row *row);

/** People as 万人 with 2 decimals, rounded half up: 12345 -> "1.23", 12350 -> "1.24", 0 -> "0.00". */
void sg_report_wan(long people, char out[24]);
/** The same value in hundredths of 万 (people/100 rounded half up), for comparisons and numeric cells. */
long sg_report_wan_hundredths(long people);
/** Yuan as 万元 with 2 decimals, rounded half up: 125000 -> "12.50". */
void sg_report_wanyuan(int64_t yuan, char out[32]);

/**
 * Parse an amount in 万元 ("12.5", "0.0350", "3"; at most 4 decimals, positive, below
 * 10^6 万元) into yuan. 0 or SG_EINVAL.
 */
int sg_funding_amount_parse(const char *s, int64_t *yuan);

#endif
