/* SPDX-License-Identifier: MIT */
/* Sums of the statistics table. Everything is counted in whole people and yuan and only
 * turned into 万人 / 万元 for display, so the total row is the rounding of the sum (not the
 * sum of rounded rows), as a spreadsheet's SUM of the raw figures would give. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "domain/err.h"
#include "domain/report.h"

long sg_report_trips(const struct sg_report_figures *f)
{
    return f->trains + f->buses;
}

const char *sg_report_check_code(enum sg_report_check c)
{
    return c == SG_CHECK_RETURNS_SUM ? "returns_sum" : c == SG_CHECK_PEOPLE_SUM ? "people_sum" : "no_funding";
}

const char *sg_report_check_message(enum sg_report_check c)
{
    switch (c) {
    case SG_CHECK_RETURNS_SUM:
        return "第1栏不等于第2栏加第3栏";
    case SG_CHECK_PEOPLE_SUM:
        return "第5栏不等于（第9栏+第11栏+第13栏）÷10000";
    default:
        return "有已发车辆但没有资金投入记录";
    }
}

int sg_report_init(struct sg_report *r, const struct sg_divisions *ds, const char *scope, struct sg_date until)
{
    size_t begin, end, n = 0;
    memset(r, 0, sizeof(*r));
    if (sg_divisions_range(ds, scope, &begin, &end) != 0)
        return SG_ENOENT;
    r->scope = sg_divisions_at(ds, begin);
    if (r->scope->level != SG_LEVEL_PROVINCE && r->scope->level != SG_LEVEL_CITY)
        return SG_EINVAL;
    r->until = until;
    if ((r->rows = calloc(end - begin + 1, sizeof(*r->rows))) == NULL)
        abort();
    for (size_t i = begin + 1; i != end; ++i) {
        const struct sg_division *d = sg_divisions_at(ds, i);
        if (d->level == r->scope->level + 1)
            r->rows[n++].division = d;
    }
    r->rows[n].division = r->scope;
    r->rows[n++].own = true;
    r->nrows = n;
    r->total.division = r->scope;
    return 0;
}

void sg_report_dispose(struct sg_report *r)
{
    free(r->rows);
    r->rows = NULL;
    r->nrows = 0;
}

/* The row of a code under the scope: its child, or the own row for the scope itself (and
 * anything not under a known child). NULL when code is outside the scope. */
static struct sg_report_row *row_of(struct sg_report *r, const char *code)
{
    if (!sg_scope_contains(r->scope->code, code))
        return NULL;
    for (size_t i = 0; i + 1 < r->nrows; ++i)
        if (sg_scope_contains(r->rows[i].division->code, code))
            return &r->rows[i];
    return &r->rows[r->nrows - 1];
}

void sg_report_add_returns(struct sg_report *r, const char *village, long outbound, long returned, long not_returned)
{
    struct sg_report_row *row = row_of(r, village);
    if (row == NULL)
        return;
    row->f.outbound += outbound;
    row->f.returned += returned;
    row->f.not_returned += not_returned;
}

bool sg_report_add_vehicle(struct sg_report *r, const struct sg_vehicle *v)
{
    struct sg_report_row *row = row_of(r, v->scope);
    if (row == NULL || (v->status != SG_VEHICLE_DEPARTED && v->status != SG_VEHICLE_ARRIVED) ||
        sg_date_cmp(v->depart_date, r->until) > 0)
        return false;
    long people = (long)v->boarded_people;
    struct sg_report_figures *f = &row->f;
    f->people += people;
    f->poverty += (long)v->boarded_poverty;
    if (strncmp(v->dest_city, "44", 2) == 0)
        f->guangdong += people;
    if (v->type == SG_VEHICLE_TRAIN)
        f->trains++, f->train_people += people;
    else if (v->type == SG_VEHICLE_BUS)
        f->buses++, f->bus_people += people;
    else
        f->flights++, f->flight_people += people;
    return true;
}

/* Append source to the list unless it is there already. */
static void add_source(char *list, const char *source)
{
    static const char sep[] = "、";
    size_t len = strlen(list), slen = strlen(source);
    for (const char *p = list; slen != 0 && (p = strstr(p, source)) != NULL; p += slen) {
        bool starts = p == list || strncmp(p - (sizeof(sep) - 1), sep, sizeof(sep) - 1) == 0;
        if (starts && (p[slen] == '\0' || strncmp(p + slen, sep, sizeof(sep) - 1) == 0))
            return;
    }
    if (slen == 0 || len + (len != 0 ? sizeof(sep) - 1 : 0) + slen >= SG_REPORT_SOURCES_MAX)
        return;
    snprintf(list + len, SG_REPORT_SOURCES_MAX - len, "%s%s", len != 0 ? sep : "", source);
}

bool sg_report_add_funding(struct sg_report *r, const struct sg_funding *fu)
{
    struct sg_report_row *row = row_of(r, fu->scope);
    if (row == NULL || sg_date_cmp(fu->date, r->until) > 0)
        return false;
    row->f.yuan += fu->yuan;
    row->f.funding_entries++;
    add_source(row->f.sources, fu->source);
    return true;
}

static unsigned checks_of(const struct sg_report_figures *f)
{
    unsigned c = 0;
    if (f->outbound != f->returned + f->not_returned)
        c |= SG_CHECK_RETURNS_SUM;
    if (sg_report_wan_hundredths(f->people) !=
        sg_report_wan_hundredths(f->train_people + f->bus_people + f->flight_people))
        c |= SG_CHECK_PEOPLE_SUM;
    if (f->trains + f->buses + f->flights != 0 && f->funding_entries == 0)
        c |= SG_CHECK_NO_FUNDING;
    return c;
}

static void add_figures(struct sg_report_figures *t, const struct sg_report_figures *f)
{
    t->outbound += f->outbound, t->returned += f->returned, t->not_returned += f->not_returned;
    t->people += f->people, t->poverty += f->poverty, t->guangdong += f->guangdong;
    t->trains += f->trains, t->train_people += f->train_people;
    t->buses += f->buses, t->bus_people += f->bus_people;
    t->flights += f->flights, t->flight_people += f->flight_people;
    t->yuan += f->yuan;
    t->funding_entries += f->funding_entries;
}

void sg_report_finish(struct sg_report *r)
{
    memset(&r->total.f, 0, sizeof(r->total.f));
    for (size_t i = 0; i != r->nrows; ++i) {
        struct sg_report_row *row = &r->rows[i];
        add_figures(&r->total.f, &row->f);
        row->checks = checks_of(&row->f);
    }
    /* the total's sources: every row's, once each */
    for (size_t i = 0; i != r->nrows; ++i) {
        char copy[SG_REPORT_SOURCES_MAX], *p = copy, *q;
        memcpy(copy, r->rows[i].f.sources, sizeof(copy));
        while (*p != '\0') {
            if ((q = strstr(p, "、")) != NULL)
                *q = '\0';
            add_source(r->total.f.sources, p);
            p = q != NULL ? q + strlen("、") : p + strlen(p);
        }
    }
    r->total.checks = checks_of(&r->total.f);
}

bool sg_report_row_shown(const struct sg_report_row *row)
{
    const struct sg_report_figures *f = &row->f;
    return !row->own || f->outbound || f->returned || f->not_returned || f->trains || f->buses || f->flights ||
           f->funding_entries;
}

long sg_report_wan_hundredths(long people)
{
    return people >= 0 ? (people + 50) / 100 : -((-people + 50) / 100);
}

void sg_report_wan(long people, char out[24])
{
    long h = sg_report_wan_hundredths(people);
    snprintf(out, 24, "%s%ld.%02ld", h < 0 ? "-" : "", labs(h) / 100, labs(h) % 100);
}

void sg_report_wanyuan(int64_t yuan, char out[32])
{
    int64_t h = yuan >= 0 ? (yuan + 50) / 100 : -((-yuan + 50) / 100); /* hundredths of 万元 */
    int64_t a = h < 0 ? -h : h;
    snprintf(out, 32, "%s%lld.%02lld", h < 0 ? "-" : "", (long long)(a / 100), (long long)(a % 100));
}

int sg_funding_amount_parse(const char *s, int64_t *yuan)
{
    int64_t whole = 0, frac = 0;
    int digits = 0, decimals = -1;
    for (const char *p = s != NULL ? s : ""; *p != '\0'; ++p) {
        if (*p == '.' && decimals < 0 && digits != 0) {
            decimals = 0;
        } else if (*p >= '0' && *p <= '9' && decimals < 0 && digits < 6) {
            whole = whole * 10 + (*p - '0'), ++digits;
        } else if (*p >= '0' && *p <= '9' && decimals >= 0 && decimals < 4) {
            frac = frac * 10 + (*p - '0'), ++decimals;
        } else {
            return SG_EINVAL;
        }
    }
    if (digits == 0 || decimals == 0)
        return SG_EINVAL;
    for (int i = decimals < 0 ? 0 : decimals; i < 4; ++i)
        frac *= 10;
    *yuan = whole * 10000 + frac;
    return *yuan > 0 ? 0 : SG_EINVAL;
}
