/* SPDX-License-Identifier: MIT */
/* Validation of a sign-up as the form sends it: every field is checked, every bad one
 * named with a stable code, and the good ones normalized into struct sg_registration.
 * Pure: today, the campaign window and the division tables come in through the ctx. */
#include <stdio.h>
#include <string.h>
#include "domain/registration.h"
#include "domain/work.h"
#include "domain/err.h"
#include "domain/text.h"

static const char *const mode_names[] = {"any", "bus", "train", "flight"};
static const char *const poverty_names[] = {"none", "alleviated", "monitored"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *sg_mode_name(enum sg_mode m)
{
    return (unsigned)m < COUNT(mode_names) ? mode_names[m] : "any";
}

const char *sg_poverty_name(enum sg_poverty p)
{
    return (unsigned)p < COUNT(poverty_names) ? poverty_names[p] : "none";
}

static int lookup(const char *const *names, size_t n, const char *s)
{
    if (s == NULL)
        return -1;
    for (size_t i = 0; i < n; ++i)
        if (strcmp(names[i], s) == 0)
            return (int)i;
    return -1;
}

int sg_mode_parse(const char *s)
{
    return lookup(mode_names, COUNT(mode_names), s);
}

int sg_poverty_parse(const char *s)
{
    return lookup(poverty_names, COUNT(poverty_names), s);
}

void sg_field_errors_add(struct sg_field_errors *errs, const char *field, const char *code)
{
    if (errs->n >= SG_FIELD_ERRORS_MAX)
        return;
    struct sg_field_error *e = &errs->e[errs->n++];
    snprintf(e->field, sizeof(e->field), "%s", field);
    e->code = code;
}

static bool blank(const char *s)
{
    if (s == NULL)
        return true;
    while (*s == ' ')
        ++s;
    return *s == '\0';
}

const char *sg_registration_idno_code(int err)
{
    switch (-err) {
    case SG_IDNO_EMPTY:
        return "required";
    case SG_IDNO_LEGACY15:
        return "idno_legacy15";
    case SG_IDNO_LENGTH:
        return "idno_length";
    case SG_IDNO_CHARS:
        return "idno_chars";
    case SG_IDNO_DATE:
        return "idno_date";
    case SG_IDNO_FUTURE:
        return "idno_future";
    default:
        return "idno_check";
    }
}

/* A person's field name: "name" for the worker, "companions[i].name" for companion i. */
struct person_scope {
    size_t idx; /* 0 the worker, then companions from 1 */
    struct sg_field_errors *errs;
    bool phone_optional;
};

static void person_error(const struct person_scope *ps, const char *field, const char *code)
{
    char name[40];
    if (ps->idx == 0)
        snprintf(name, sizeof(name), "%s", field);
    else
        snprintf(name, sizeof(name), "companions[%zu].%s", ps->idx - 1, field);
    sg_field_errors_add(ps->errs, name, code);
}

static bool check_name(const struct person_scope *ps, const char *s, struct sg_person *p)
{
    int r = blank(s) ? -SG_TEXT_EMPTY : sg_name_normalize(s, p->name, sizeof(p->name));
    if (r != 0)
        person_error(ps, "name", sg_text_error_code(r));
    return r == 0;
}

/* Valid ID numbers of earlier people in out->people[0..idx) are compared for duplicates. */
static bool check_idno(const struct person_scope *ps, const char *s, const struct sg_validate_ctx *ctx,
                       struct sg_registration *out, const bool *id_ok)
{
    struct sg_person *p = &out->people[ps->idx];
    int r = s == NULL ? -SG_IDNO_EMPTY : sg_idno_validate(s, ctx->today, &p->id);
    if (r != 0) {
        person_error(ps, "id_number", sg_registration_idno_code(r));
        return false;
    }
    for (size_t i = 0; i < ps->idx; ++i) {
        if (id_ok[i] && strcmp(out->people[i].id.number, p->id.number) == 0) {
            person_error(ps, "id_number", "duplicate_in_request");
            return false;
        }
    }
    p->region_unknown = ctx->regions != NULL && sg_divisions_find(ctx->regions, p->id.region, 6) == NULL;
    return true;
}

static bool check_phone(const struct person_scope *ps, const char *s, struct sg_person *p)
{
    if ((ps->idx > 0 || ps->phone_optional) && blank(s)) {
        p->phone[0] = '\0';
        return true;
    }
    int r = blank(s) ? -SG_TEXT_EMPTY : sg_phone_normalize(s, p->phone);
    if (r != 0)
        person_error(ps, "phone", r == -SG_TEXT_EMPTY ? "required" : "phone_format");
    return r == 0;
}

static bool check_poverty(const struct person_scope *ps, const char *s, struct sg_person *p)
{
    if (blank(s)) {
        p->poverty = SG_POVERTY_NONE;
        if (ps->idx > 0)
            return true;
        person_error(ps, "poverty", "required");
        return false;
    }
    int v = sg_poverty_parse(s);
    if (v < 0) {
        person_error(ps, "poverty", "poverty_enum");
        return false;
    }
    p->poverty = (enum sg_poverty)v;
    return true;
}

static void check_people(const struct sg_registration_input *in, const struct sg_validate_ctx *ctx,
                         struct sg_registration *out, struct sg_field_errors *errs)
{
    static const struct sg_person_input missing;
    bool id_ok[SG_MAX_PEOPLE] = {false};
    size_t n = in->npeople == 0 ? 1 : in->npeople;
    if (n > SG_MAX_PEOPLE) {
        sg_field_errors_add(errs, "companions", "too_many_companions");
        n = SG_MAX_PEOPLE;
    }
    for (size_t i = 0; i < n; ++i) {
        const struct sg_person_input *pi = in->npeople == 0 ? &missing : &in->people[i];
        struct person_scope ps = {i, errs, ctx->worker_phone_optional};
        struct sg_person *p = &out->people[i];
        check_name(&ps, pi->name, p);
        id_ok[i] = check_idno(&ps, pi->id_number, ctx, out, id_ok);
        check_phone(&ps, pi->phone, p);
        check_poverty(&ps, pi->poverty, p);
        p->low_income = pi->low_income == 1;
    }
    out->npeople = n;
}

static void check_village(const char *s, const struct sg_validate_ctx *ctx, struct sg_registration *out,
                          struct sg_field_errors *errs)
{
    if (blank(s)) {
        sg_field_errors_add(errs, "village", "required");
        return;
    }
    const struct sg_division *d = sg_divisions_find(ctx->divisions, s, strlen(s));
    if (d == NULL || d->level != SG_LEVEL_VILLAGE) {
        sg_field_errors_add(errs, "village", "unknown_village");
        return;
    }
    memcpy(out->village, d->code, sizeof(out->village));
}

/* The employer picked from the registered ones (its id, digits), 想找工作 and the kind wanted. */
static void check_jobs(const struct sg_registration_input *in, struct sg_registration *out,
                       struct sg_field_errors *errs)
{
    size_t n = in->employer_id != NULL ? strlen(in->employer_id) : 0;
    if (n > sizeof(out->employer_id) - 1 || strspn(in->employer_id != NULL ? in->employer_id : "", "0123456789") != n)
        sg_field_errors_add(errs, "employer_id", "type");
    else if (n != 0 && !blank(out->employer))
        memcpy(out->employer_id, in->employer_id, n + 1);
    out->seek_job = in->seek_job == 1 && in->job_confirmed == 0;
    out->work = -1;
    if (in->work != NULL && in->work[0] != '\0') {
        out->work = sg_work_parse(in->work);
        if (out->work < 0)
            sg_field_errors_add(errs, "work", "work_enum");
    }
    if (!out->seek_job)
        out->work = -1;
}

static void check_destination(const struct sg_registration_input *in, const struct sg_validate_ctx *ctx,
                              struct sg_registration *out, struct sg_field_errors *errs)
{
    if (blank(in->dest_city)) {
        sg_field_errors_add(errs, "dest_city", "required");
    } else {
        const struct sg_division *d = sg_divisions_find(ctx->destinations, in->dest_city, strlen(in->dest_city));
        if (d == NULL || d->level != SG_LEVEL_CITY)
            sg_field_errors_add(errs, "dest_city", "unknown_city");
        else
            memcpy(out->dest_city, d->code, sizeof(out->dest_city));
    }
    int r = sg_text_normalize(in->employer, SG_EMPLOYER_MAX_CHARS, out->employer, sizeof(out->employer));
    if (r != 0) /* its own word for a bad character: the names' one speaks of names */
        sg_field_errors_add(errs, "employer", r == -SG_TEXT_CHARS ? "employer_chars" : sg_text_error_code(r));
    if (in->job_confirmed != 0 && in->job_confirmed != 1)
        sg_field_errors_add(errs, "job_confirmed", "required");
    else
        out->job_confirmed = in->job_confirmed == 1;
    check_jobs(in, out, errs);
}

static void check_date(const char *s, const struct sg_validate_ctx *ctx, struct sg_registration *out,
                       struct sg_field_errors *errs)
{
    struct sg_date d;
    if (blank(s))
        sg_field_errors_add(errs, "depart_date", "required");
    else if (sg_date_parse(s, &d) != 0)
        sg_field_errors_add(errs, "depart_date", "date_format");
    else if (sg_date_cmp(d, ctx->today) < 0)
        sg_field_errors_add(errs, "depart_date", "date_past");
    else if (sg_date_cmp(d, ctx->starts) < 0 || sg_date_cmp(d, ctx->ends) > 0)
        sg_field_errors_add(errs, "depart_date", "date_window");
    else
        out->depart_date = d;
}

static void check_travel(const struct sg_registration_input *in, const struct sg_validate_ctx *ctx,
                         struct sg_registration *out, struct sg_field_errors *errs)
{
    check_date(in->depart_date, ctx, out, errs);
    if (in->flex_days == -1)
        sg_field_errors_add(errs, "flex_days", "required");
    else if (in->flex_days < 0 || in->flex_days > 3)
        sg_field_errors_add(errs, "flex_days", "flex_range");
    else
        out->flex_days = (int)in->flex_days;
    int mode = blank(in->mode) ? -2 : sg_mode_parse(in->mode);
    if (mode == -2)
        sg_field_errors_add(errs, "mode", "required");
    else if (mode < 0)
        sg_field_errors_add(errs, "mode", "mode_enum");
    else
        out->mode = (enum sg_mode)mode;
}

int sg_registration_validate(const struct sg_registration_input *in, const struct sg_validate_ctx *ctx,
                             struct sg_registration *out, struct sg_field_errors *errs)
{
    memset(out, 0, sizeof(*out));
    errs->n = 0;
    check_village(in->village, ctx, out, errs);
    check_people(in, ctx, out, errs);
    check_destination(in, ctx, out, errs);
    check_travel(in, ctx, out, errs);
    if (in->consent != 1)
        sg_field_errors_add(errs, "consent", "consent_required");
    out->sms = in->consent == 1;
    return errs->n == 0 ? 0 : SG_EINVAL;
}

static void add_counter(struct sg_counter *out, size_t *n, const char *prefix, const char *suffix, long count)
{
    if (count == 0)
        return;
    size_t a = strlen(prefix), b = strlen(suffix), room = sizeof(out[*n].field) - 1; /* no printf: every sign-up */
    a = a < room ? a : room;
    b = b < room - a ? b : room - a;
    memcpy(out[*n].field, prefix, a);
    memcpy(out[*n].field + a, suffix, b);
    out[*n].field[a + b] = '\0';
    out[(*n)++].n = count;
}

size_t sg_registration_counters(const struct sg_registration *r, struct sg_date signed_on,
                                struct sg_counter out[SG_COUNTERS_MAX])
{
    size_t n = 0;
    long people = (long)r->npeople, poverty = 0, older = 0, low = 0;
    char date[11], day[11];
    for (size_t i = 0; i != r->npeople; ++i) {
        poverty += r->people[i].poverty != SG_POVERTY_NONE;
        low += r->people[i].low_income;
        older += sg_idno_age(&r->people[i].id, signed_on) >= SG_OLDER_AGE;
    }
    sg_date_format(r->depart_date, date);
    sg_date_format(signed_on, day);
    add_counter(out, &n, "people", "", people);
    add_counter(out, &n, "regs", "", 1);
    add_counter(out, &n, "dest:", r->dest_city, people);
    add_counter(out, &n, "date:", date, people);
    add_counter(out, &n, "poverty", "", poverty);
    add_counter(out, &n, "age50", "", older);
    add_counter(out, &n, "low", "", low);
    add_counter(out, &n, "day:", day, people);
    add_counter(out, &n, "pdest:", r->dest_city, poverty);
    add_counter(out, &n, "ldest:", r->dest_city, low);
    if (r->employer_id[0] != '\0') {
        add_counter(out, &n, "emp:", r->employer_id, people);
        add_counter(out, &n, "pemp:", r->employer_id, poverty);
        add_counter(out, &n, "lemp:", r->employer_id, low);
    }
    add_counter(out, &n, "seek", "", r->seek_job ? people : 0);
    add_counter(out, &n, "work:", sg_work_name(r->work), r->seek_job && r->work >= 0 ? people : 0);
    return n;
}
