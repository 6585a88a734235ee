/* SPDX-License-Identifier: MIT */
/* Village return figures (the report's columns 1-3): how many of a village's migrant
 * workers went out, how many came home for the festival and how many did not, as of a
 * date. Validation, the mismatch flag, and the one-line form the store keeps. Pure. */
#ifndef SG_DOMAIN_RETURNS_H
#define SG_DOMAIN_RETURNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "domain/date.h"
#include "domain/division.h"
#include "domain/registration.h"

#define SG_RETURNS_MAX_COUNT 1000000L /* more people than any village has */

struct sg_returns {
    char village[SG_DIVISION_CODE_MAX + 1];
    long outbound, returned, not_returned;
    struct sg_date as_of;
    uint64_t at_ms; /* when it was entered */
    char user[64];  /* who entered it */
};

/** Raw input: counts are -1 when missing, -2 when not a non-negative integer. */
struct sg_returns_input {
    const char *village;
    long outbound, returned, not_returned;
    const char *as_of;
};

struct sg_returns_ctx {
    const struct sg_divisions *divisions;
    struct sg_date today;
    int campaign_year; /* as_of must fall in this year, and not after today */
};

/**
 * Validate into out (village, counts, as_of; at_ms and user are left to the caller).
 * Returns 0, or SG_EINVAL with every bad field in errs. Codes: required, count_range,
 * unknown_village (the caller answers 404), date_format, date_future, date_year.
 * A mismatch (sg_returns_mismatch) is not an error: it is stored and flagged.
 */
int sg_returns_validate(const struct sg_returns_input *in, const struct sg_returns_ctx *ctx, struct sg_returns *out,
                        struct sg_field_errors *errs);

/** True when returned + not_returned != outbound. */
bool sg_returns_mismatch(const struct sg_returns *r);

#define SG_RETURNS_LINE_MAX 160
/**
 * The stored form: "outbound returned not_returned as_of at_ms user" (returns_save.lua
 * reads the first four). Returns its length.
 */
size_t sg_returns_format(const struct sg_returns *r, char out[SG_RETURNS_LINE_MAX]);
/** Parse the stored form (village is not part of it). 0 or SG_EINVAL. */
int sg_returns_parse(const char *line, size_t len, struct sg_returns *out);

#endif
