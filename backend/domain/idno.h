/* SPDX-License-Identifier: MIT */
/* Chinese resident ID numbers (GB 11643-1999): structure, birth date, check character. Pure. */
#ifndef SG_DOMAIN_IDNO_H
#define SG_DOMAIN_IDNO_H

#include "domain/date.h"

enum sg_idno_err {
    SG_IDNO_EMPTY = 1,    /* nothing given */
    SG_IDNO_LEGACY15 = 2, /* a 15-digit first-generation number: no longer accepted */
    SG_IDNO_LENGTH = 3,   /* not 18 characters */
    SG_IDNO_CHARS = 4,    /* not 17 digits then a digit or X */
    SG_IDNO_DATE = 5,     /* birth date is not a real date */
    SG_IDNO_FUTURE = 6,   /* birth date after today */
    SG_IDNO_CHECK = 7,    /* check character wrong */
};

struct sg_idno {
    char number[19]; /* normalized: 18 chars, upper-case X, NUL */
    char region[7];  /* first 6 digits */
    struct sg_date birth;
    int sex; /* 1 male (odd sequence), 2 female */
};

/**
 * Validate s (NUL-terminated; surrounding ASCII spaces ignored, lower-case x accepted)
 * against today. On success fills out and returns 0; on failure returns
 * -enum sg_idno_err and out is unspecified. Does not judge the region code. Checked in
 * the order of the enum: a wrong date is reported before a wrong check character.
 */
int sg_idno_validate(const char *s, struct sg_date today, struct sg_idno *out);
/** The check character ('0'..'9' or 'X') for 17 leading digits. */
char sg_idno_check_char(const char first17[17]);
/** Whole years of age on `on`. */
int sg_idno_age(const struct sg_idno *id, struct sg_date on);

#endif
