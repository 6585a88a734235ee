/* SPDX-License-Identifier: MIT */
/* Which registrations a staff list or export shows: a search text (a name, a
 * confirmation code, or the last 4 characters of an ID or phone number), a status, a
 * destination city and a departure date. Matches against masked numbers only. Pure. */
#ifndef SG_DOMAIN_FILTER_H
#define SG_DOMAIN_FILTER_H

#include <stdbool.h>
#include "domain/code.h"
#include "domain/date.h"
#include "domain/registration.h"

struct sg_filter {
    char name[128];             /* substring of a person's name, "" = any */
    char code[SG_CODE_LEN + 1]; /* q read as a confirmation code, "" when it is not one */
    char last4[5];              /* q read as the last 4 of an ID or phone number ("123X") */
    char status[16];            /* "registered", "cancelled", "assigned", "" = any */
    char dest_city[5];          /* 4-digit city code, "" = any */
    bool has_date;
    struct sg_date depart_date;
};

/**
 * Read the query parameters (each may be NULL or ""). Returns 0, or SG_EINVAL with the
 * name of the bad parameter (static string) in *bad.
 */
int sg_filter_init(struct sg_filter *f, const char *q, const char *status, const char *dest_city, const char *date,
                   const char **bad);

/** True when anything but the status narrows the list (then it cannot be counted from an index). */
bool sg_filter_narrows(const struct sg_filter *f);

/**
 * True when the registration matches. id_masked / phone_masked hold each person's masked
 * numbers ("450102********123X", "138****5678" or ""), r->npeople of each.
 */
bool sg_filter_match(const struct sg_filter *f, const char *code, const char *status, const struct sg_registration *r,
                     const char (*id_masked)[19], const char (*phone_masked)[12]);

#endif
