/* SPDX-License-Identifier: MIT */
/* Proleptic Gregorian civil dates: parsing, checking and day arithmetic. Pure. */
#ifndef SG_DOMAIN_DATE_H
#define SG_DOMAIN_DATE_H

#include <stdbool.h>

struct sg_date {
    int y, m, d;
};

/** True when y-m-d is a real calendar date (leap years included), year 1900..9999. */
bool sg_date_valid(struct sg_date d);
/** Parse exactly "YYYY-MM-DD" (10 chars, NUL-terminated). 0 or SG_EINVAL. */
int sg_date_parse(const char *s, struct sg_date *out);
/** Write "YYYY-MM-DD" and a NUL into out. */
void sg_date_format(struct sg_date d, char out[11]);
/** Days since 1970-01-01 (negative before). d must be valid. */
long sg_date_days(struct sg_date d);
/** Inverse of sg_date_days. */
struct sg_date sg_date_from_days(long days);
/** <0, 0, >0 like strcmp. */
int sg_date_cmp(struct sg_date a, struct sg_date b);

#endif
