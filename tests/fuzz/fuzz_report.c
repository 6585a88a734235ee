/* SPDX-License-Identifier: MIT */
/* Fuzz target: the statistics table (domain/report.c) of the region, a city or a scope it
 * refuses, fed as service/report.c feeds it: village return figures read from their stored
 * line (sg_returns_parse, also round-tripped through sg_returns_format), vehicles of any
 * owner, status, type and date with their checked-in people, funding entries whose amount
 * and source pass the funding rules (sg_funding_amount_parse, sg_text_normalize). Invariants:
 * each input is counted exactly when it is under the scope (and, for vehicles, departed or
 * arrived, and dated up to the day); every column of the total is the sum of the rows and
 * of what was counted; each row's self-checks are the rules applied to its figures; the
 * 万人/万元 texts are the rounded figures; no arithmetic overflows (UBSan). */
#include <string.h>
#include "domain/report.h"
#include "domain/returns.h"
#include "domain/text.h"
#include "fuzz.h"

static const char *const dest_cities[] = {"4401", "4419", "3301", "4501"};

static const char *cities[16]; /* the region's cities */
static size_t ncities;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const struct sg_fuzz_data *d = sg_fuzz_data();
    for (size_t i = 0, n = sg_divisions_count(d->divisions); i != n && ncities != 16; ++i)
        if (sg_divisions_at(d->divisions, i)->level == SG_LEVEL_CITY)
            cities[ncities++] = sg_divisions_at(d->divisions, i)->code;
    return 0;
}

/* What the harness counted itself, to compare with the total row. */
struct expect {
    long outbound, returned, not_returned, people, poverty, guangdong, trips, vehicles_people;
    int64_t yuan;
    size_t funding;
};

static const char *pick_code(struct sg_fuzz_reader *r, const struct sg_fuzz_data *d)
{
    return sg_divisions_at(d->divisions, sg_fuzz_u16(r) % sg_divisions_count(d->divisions))->code;
}

static struct sg_date pick_date(struct sg_fuzz_reader *r, const struct sg_fuzz_data *d)
{
    return sg_date_from_days(sg_date_days(d->starts) - 10 + sg_fuzz_u8(r) % 120);
}

static void add_returns(struct sg_report *rep, struct sg_fuzz_reader *r, const struct sg_fuzz_data *d, struct expect *e)
{
    const char *village = pick_code(r, d);
    char line[SG_RETURNS_LINE_MAX];
    size_t len;
    struct sg_returns ret, back;
    if (sg_fuzz_u8(r) & 1) { /* figures within the rules, through the stored form */
        ret = (struct sg_returns){.as_of = pick_date(r, d), .at_ms = sg_fuzz_u32(r)};
        ret.outbound = sg_fuzz_u32(r) % (SG_RETURNS_MAX_COUNT + 1);
        ret.returned = sg_fuzz_u32(r) % (SG_RETURNS_MAX_COUNT + 1);
        ret.not_returned = sg_fuzz_u32(r) % (SG_RETURNS_MAX_COUNT + 1);
        sg_fuzz_str(r, ret.user, 20);
        len = sg_returns_format(&ret, line);
        SG_FUZZ_CHECK(len < SG_RETURNS_LINE_MAX && sg_returns_parse(line, len, &back) == 0);
        SG_FUZZ_CHECK(back.outbound == ret.outbound && back.returned == ret.returned &&
                      back.not_returned == ret.not_returned && sg_date_cmp(back.as_of, ret.as_of) == 0);
    } else { /* a stored line as it may be */
        len = sg_fuzz_str(r, line, SG_RETURNS_LINE_MAX);
        if (sg_returns_parse(line, len, &back) != 0)
            return;
    }
    SG_FUZZ_CHECK(back.outbound >= 0 && back.returned >= 0 && back.not_returned >= 0);
    sg_report_add_returns(rep, village, back.outbound, back.returned, back.not_returned);
    if (sg_scope_contains(rep->scope->code, village)) {
        e->outbound += back.outbound;
        e->returned += back.returned;
        e->not_returned += back.not_returned;
    }
}

static void add_vehicle(struct sg_report *rep, struct sg_fuzz_reader *r, const struct sg_fuzz_data *d, struct expect *e)
{
    struct sg_vehicle v;
    memset(&v, 0, sizeof(v));
    snprintf(v.scope, sizeof(v.scope), "%s", pick_code(r, d));
    v.status = (enum sg_vehicle_status)(sg_fuzz_u8(r) % SG_VEHICLE_STATUSES);
    v.type = (enum sg_vehicle_type)(sg_fuzz_u8(r) % SG_VEHICLE_TYPES);
    v.depart_date = pick_date(r, d);
    v.boarded_people = sg_fuzz_u16(r) % 2401;
    v.boarded_poverty = v.boarded_people != 0 ? sg_fuzz_u16(r) % (v.boarded_people + 1) : 0;
    memcpy(v.dest_city, dest_cities[sg_fuzz_u8(r) % 4], 5);
    bool counted = sg_report_add_vehicle(rep, &v);
    bool want = sg_scope_contains(rep->scope->code, v.scope) &&
                (v.status == SG_VEHICLE_DEPARTED || v.status == SG_VEHICLE_ARRIVED) &&
                sg_date_cmp(v.depart_date, rep->until) <= 0;
    SG_FUZZ_CHECK(counted == want);
    if (counted) {
        e->people += v.boarded_people, e->poverty += v.boarded_poverty, e->trips += 1;
        e->guangdong += strncmp(v.dest_city, "44", 2) == 0 ? (long)v.boarded_people : 0;
        e->vehicles_people += v.boarded_people;
    }
}

static void add_funding(struct sg_report *rep, struct sg_fuzz_reader *r, const struct sg_fuzz_data *d, struct expect *e)
{
    struct sg_funding f;
    char amount[40], source[256];
    memset(&f, 0, sizeof(f));
    snprintf(f.scope, sizeof(f.scope), "%s", pick_code(r, d));
    f.date = pick_date(r, d);
    sg_fuzz_str(r, amount, sizeof(amount));
    sg_fuzz_str(r, source, sizeof(source));
    if (sg_funding_amount_parse(amount, &f.yuan) != 0 ||
        sg_text_normalize(source, SG_FUNDING_SOURCE_MAX_CHARS, f.source, sizeof(f.source)) != 0 || f.source[0] == 0)
        return; /* refused by POST /api/funding */
    SG_FUZZ_CHECK(f.yuan > 0 && f.yuan < 10000000000LL);
    bool counted = sg_report_add_funding(rep, &f);
    SG_FUZZ_CHECK(counted == (sg_scope_contains(rep->scope->code, f.scope) && sg_date_cmp(f.date, rep->until) <= 0));
    if (counted)
        e->yuan += f.yuan, e->funding += 1;
}

static unsigned checks_of(const struct sg_report_figures *f)
{
    unsigned c = 0;
    long by_type = f->train_people + f->bus_people + f->flight_people;
    c |= f->outbound != f->returned + f->not_returned ? SG_CHECK_RETURNS_SUM : 0;
    c |= sg_report_wan_hundredths(f->people) != sg_report_wan_hundredths(by_type) ? SG_CHECK_PEOPLE_SUM : 0;
    c |= f->trains + f->buses + f->flights != 0 && f->funding_entries == 0 ? SG_CHECK_NO_FUNDING : 0;
    return c;
}

static void check_wan(long people, int64_t yuan)
{
    char text[32], want[32];
    long h = sg_report_wan_hundredths(people);
    SG_FUZZ_CHECK(h == (people + 50) / 100);
    sg_report_wan(people, text);
    snprintf(want, sizeof(want), "%ld.%02ld", h / 100, h % 100);
    SG_FUZZ_CHECK(strcmp(text, want) == 0);
    sg_report_wanyuan(yuan, text);
    snprintf(want, sizeof(want), "%lld.%02lld", (long long)((yuan + 50) / 100 / 100),
             (long long)((yuan + 50) / 100 % 100));
    SG_FUZZ_CHECK(strcmp(text, want) == 0);
}

static void check(const struct sg_report *rep, const struct expect *e)
{
    struct sg_report_figures sum;
    memset(&sum, 0, sizeof(sum));
    for (size_t i = 0; i != rep->nrows; ++i) {
        const struct sg_report_figures *f = &rep->rows[i].f;
        SG_FUZZ_CHECK(rep->rows[i].checks == checks_of(f));
        SG_FUZZ_CHECK(rep->rows[i].own == (i + 1 == rep->nrows) &&
                      (rep->rows[i].own || sg_report_row_shown(&rep->rows[i])));
        SG_FUZZ_CHECK(f->poverty <= f->people && f->guangdong <= f->people);
        sum.outbound += f->outbound, sum.returned += f->returned, sum.not_returned += f->not_returned;
        sum.people += f->people, sum.poverty += f->poverty, sum.guangdong += f->guangdong;
        sum.trains += f->trains, sum.buses += f->buses, sum.flights += f->flights;
        sum.train_people += f->train_people, sum.bus_people += f->bus_people, sum.flight_people += f->flight_people;
        sum.yuan += f->yuan, sum.funding_entries += f->funding_entries;
    }
    const struct sg_report_figures *t = &rep->total.f;
    SG_FUZZ_CHECK(t->outbound == sum.outbound && t->returned == sum.returned && t->not_returned == sum.not_returned);
    SG_FUZZ_CHECK(t->people == sum.people && t->poverty == sum.poverty && t->guangdong == sum.guangdong);
    SG_FUZZ_CHECK(t->trains == sum.trains && t->buses == sum.buses && t->flights == sum.flights);
    SG_FUZZ_CHECK(t->train_people == sum.train_people && t->bus_people == sum.bus_people &&
                  t->flight_people == sum.flight_people);
    SG_FUZZ_CHECK(t->yuan == sum.yuan && t->funding_entries == sum.funding_entries);
    SG_FUZZ_CHECK(t->outbound == e->outbound && t->returned == e->returned && t->not_returned == e->not_returned);
    SG_FUZZ_CHECK(t->people == e->people && t->poverty == e->poverty && t->guangdong == e->guangdong);
    SG_FUZZ_CHECK(t->trains + t->buses + t->flights == e->trips && t->yuan == e->yuan &&
                  t->funding_entries == e->funding);
    SG_FUZZ_CHECK(t->train_people + t->bus_people + t->flight_people == e->vehicles_people);
    SG_FUZZ_CHECK(rep->total.checks == checks_of(t));
    SG_FUZZ_CHECK(strlen(t->sources) < SG_REPORT_SOURCES_MAX && sg_utf8_valid(t->sources, strlen(t->sources)));
    check_wan(t->people, t->yuan);
}

static const char *pick_scope(struct sg_fuzz_reader *r)
{
    uint8_t b = sg_fuzz_u8(r);
    if (b < 64)
        return "45";
    if (b < 240) /* a city of the region */
        return cities[b % ncities];
    return b < 250 ? "450102" : b < 253 ? "99" : ""; /* refused: a county, unknown, empty */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const struct sg_fuzz_data *d = sg_fuzz_data();
    struct sg_fuzz_reader r = {data, size};
    struct sg_report rep;
    struct expect e;
    memset(&e, 0, sizeof(e));
    const char *scope = pick_scope(&r);
    int ret = sg_report_init(&rep, d->divisions, scope, pick_date(&r, d));
    if (ret != 0) {
        SG_FUZZ_CHECK(strcmp(scope, "45") != 0 && strlen(scope) != 4);
        sg_report_dispose(&rep);
        return 0;
    }
    SG_FUZZ_CHECK(strcmp(rep.scope->code, scope) == 0 && rep.nrows >= 1);
    while (r.n != 0) {
        switch (sg_fuzz_u8(&r) % 3) {
        case 0:
            add_returns(&rep, &r, d, &e);
            break;
        case 1:
            add_vehicle(&rep, &r, d, &e);
            break;
        default:
            add_funding(&rep, &r, d, &e);
        }
    }
    sg_report_finish(&rep);
    check(&rep, &e);
    sg_report_dispose(&rep);
    return 0;
}
