/* SPDX-License-Identifier: MIT */
/* Village return figures: checks and the stored one-line form. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "domain/err.h"
#include "domain/returns.h"

static void check_count(long v, const char *field, struct sg_field_errors *errs)
{
    if (v == -1)
        sg_field_errors_add(errs, field, "required");
    else if (v < 0 || v > SG_RETURNS_MAX_COUNT)
        sg_field_errors_add(errs, field, "count_range");
}

static void check_date(const char *s, const struct sg_returns_ctx *ctx, struct sg_date *out,
                       struct sg_field_errors *errs)
{
    if (s == NULL || s[0] == '\0')
        sg_field_errors_add(errs, "as_of", "required");
    else if (sg_date_parse(s, out) != 0)
        sg_field_errors_add(errs, "as_of", "date_format");
    else if (sg_date_cmp(*out, ctx->today) > 0)
        sg_field_errors_add(errs, "as_of", "date_future");
    else if (out->y != ctx->campaign_year)
        sg_field_errors_add(errs, "as_of", "date_year");
}

int sg_returns_validate(const struct sg_returns_input *in, const struct sg_returns_ctx *ctx, struct sg_returns *out,
                        struct sg_field_errors *errs)
{
    const struct sg_division *v = NULL;
    memset(out, 0, sizeof(*out));
    errs->n = 0;
    if (in->village == NULL || in->village[0] == '\0')
        sg_field_errors_add(errs, "village", "required");
    else if ((v = sg_divisions_find(ctx->divisions, in->village, strlen(in->village))) == NULL ||
             v->level != SG_LEVEL_VILLAGE)
        sg_field_errors_add(errs, "village", "unknown_village");
    else
        memcpy(out->village, v->code, (size_t)v->len + 1);
    check_count(in->outbound, "outbound", errs);
    check_count(in->returned, "returned", errs);
    check_count(in->not_returned, "not_returned", errs);
    check_date(in->as_of, ctx, &out->as_of, errs);
    if (errs->n != 0)
        return SG_EINVAL;
    out->outbound = in->outbound;
    out->returned = in->returned;
    out->not_returned = in->not_returned;
    return 0;
}

bool sg_returns_mismatch(const struct sg_returns *r)
{
    return r->returned + r->not_returned != r->outbound;
}

size_t sg_returns_format(const struct sg_returns *r, char out[SG_RETURNS_LINE_MAX])
{
    char date[11];
    sg_date_format(r->as_of, date);
    int n = snprintf(out, SG_RETURNS_LINE_MAX, "%ld %ld %ld %s %llu %s", r->outbound, r->returned, r->not_returned,
                     date, (unsigned long long)r->at_ms, r->user);
    return n < 0 ? 0 : (size_t)n < SG_RETURNS_LINE_MAX ? (size_t)n : SG_RETURNS_LINE_MAX - 1;
}

/* The next space-separated word of [*p, end) into out (NUL-terminated); 0 or -1. */
static int next_word(const char **p, const char *end, char *out, size_t outsz)
{
    const char *s = *p, *e = s;
    while (e < end && *e != ' ')
        ++e;
    if (e == s || (size_t)(e - s) >= outsz)
        return -1;
    memcpy(out, s, (size_t)(e - s));
    out[e - s] = '\0';
    *p = e < end ? e + 1 : e;
    return 0;
}

static int parse_long(const char *s, long *out)
{
    char *endp;
    errno = 0;
    long v = strtol(s, &endp, 10);
    if (errno != 0 || *endp != '\0' || v < 0)
        return -1;
    *out = v;
    return 0;
}

int sg_returns_parse(const char *line, size_t len, struct sg_returns *out)
{
    char w[4][24], at[24];
    const char *p = line, *end = line + len;
    memset(out, 0, sizeof(*out));
    for (int i = 0; i != 4; ++i)
        if (next_word(&p, end, w[i], sizeof(w[i])) != 0)
            return SG_EINVAL;
    if (parse_long(w[0], &out->outbound) != 0 || parse_long(w[1], &out->returned) != 0 ||
        parse_long(w[2], &out->not_returned) != 0 || sg_date_parse(w[3], &out->as_of) != 0)
        return SG_EINVAL;
    if (next_word(&p, end, at, sizeof(at)) == 0)
        out->at_ms = strtoull(at, NULL, 10);
    if (p < end && (size_t)(end - p) < sizeof(out->user)) {
        memcpy(out->user, p, (size_t)(end - p));
        out->user[end - p] = '\0';
    }
    return 0;
}
