/* SPDX-License-Identifier: MIT */
/* Jobs: validation, openness, region, fit for a worker; and the push target filter. */
#include <stdio.h>
#include <string.h>
#include "domain/err.h"
#include "domain/job.h"
#include "domain/text.h"

static const char *const status_names[] = {"open", "closed"};
static const char *const sex_names[] = {"any", "male", "female"};

static int lookup(const char *const *names, int n, const char *s)
{
    for (int i = 0; s != NULL && i != n; ++i)
        if (strcmp(names[i], s) == 0)
            return i;
    return -1;
}

const char *sg_job_status_name(enum sg_job_status s)
{
    return (unsigned)s < 2 ? status_names[s] : "open";
}

int sg_job_status_parse(const char *s)
{
    return lookup(status_names, 2, s);
}

const char *sg_job_sex_name(int sex)
{
    return sex >= 0 && sex < 3 ? sex_names[sex] : "any";
}

int sg_job_sex_parse(const char *s)
{
    return lookup(sex_names, 3, s);
}

static void text_field(struct sg_field_errors *errs, const char *field, const char *s, size_t max, bool required,
                       char *out, size_t outsz)
{
    int r = sg_text_normalize(s, max, out, outsz);
    if (r != 0)
        sg_field_errors_add(errs, field, sg_text_error_code(r));
    else if (required && out[0] == '\0')
        sg_field_errors_add(errs, field, "required");
}

/* A count in [0, max] (lo..max when required), -1 missing: 0 then. */
static uint32_t count_field(struct sg_field_errors *errs, const char *field, long v, long lo, long max, bool required)
{
    if (v == -1 && required)
        sg_field_errors_add(errs, field, "required");
    else if (v != -1 && (v < lo || v > max))
        sg_field_errors_add(errs, field, "count_range");
    return v >= lo && v <= max ? (uint32_t)v : 0;
}

static void date_field(struct sg_field_errors *errs, const char *field, const char *s, bool required,
                       struct sg_date *out)
{
    if (s == NULL || s[0] == '\0') {
        if (required)
            sg_field_errors_add(errs, field, "required");
    } else if (sg_date_parse(s, out) != 0) {
        sg_field_errors_add(errs, field, "date_format");
    }
}

static void check_place(const struct sg_job_input *in, const struct sg_divisions *destinations, struct sg_job *out,
                        struct sg_field_errors *errs)
{
    const struct sg_division *d = in->city != NULL ? sg_divisions_find(destinations, in->city, strlen(in->city)) : NULL;
    if (in->city == NULL || in->city[0] == '\0')
        sg_field_errors_add(errs, "city", "required");
    else if (d == NULL || d->level != SG_LEVEL_CITY)
        sg_field_errors_add(errs, "city", "unknown_city");
    else
        snprintf(out->city, sizeof(out->city), "%.4s", d->code);
    out->kind = sg_work_parse(in->kind);
    if (in->kind == NULL || in->kind[0] == '\0')
        sg_field_errors_add(errs, "kind", "required");
    else if (out->kind < 0)
        sg_field_errors_add(errs, "kind", "work_enum");
}

static void check_terms(const struct sg_job_input *in, struct sg_job *out, struct sg_field_errors *errs)
{
    out->headcount = count_field(errs, "headcount", in->headcount, 1, SG_JOB_HEADCOUNT_MAX, true);
    out->wage_min = count_field(errs, "wage_min", in->wage_min, 0, SG_JOB_WAGE_MAX, false);
    out->wage_max = count_field(errs, "wage_max", in->wage_max, 0, SG_JOB_WAGE_MAX, false);
    if (out->wage_max != 0 && out->wage_min > out->wage_max)
        sg_field_errors_add(errs, "wage_max", "wage_order");
    out->age_min = count_field(errs, "age_min", in->age_min, 0, 99, false);
    out->age_max = count_field(errs, "age_max", in->age_max, 0, 99, false);
    if (out->age_max != 0 && out->age_min > out->age_max)
        sg_field_errors_add(errs, "age_max", "age_order");
    int sex = in->sex == NULL || in->sex[0] == '\0' ? 0 : sg_job_sex_parse(in->sex);
    if (sex < 0)
        sg_field_errors_add(errs, "sex", "sex_enum");
    out->sex = sex < 0 ? 0 : sex;
}

int sg_job_validate(const struct sg_job_input *in, const struct sg_divisions *destinations, struct sg_date today,
                    struct sg_job *out, struct sg_field_errors *errs)
{
    errs->n = 0;
    text_field(errs, "title", in->title, SG_JOB_TITLE_MAX_CHARS, true, out->title, sizeof(out->title));
    check_place(in, destinations, out, errs);
    check_terms(in, out, errs);
    text_field(errs, "skills", in->skills, SG_JOB_SKILLS_MAX_CHARS, false, out->skills, sizeof(out->skills));
    out->starts = (struct sg_date){0, 0, 0};
    date_field(errs, "starts", in->starts, false, &out->starts);
    date_field(errs, "closes", in->closes, true, &out->closes);
    if (sg_date_valid(out->starts) && sg_date_valid(out->closes) && sg_date_cmp(out->closes, out->starts) < 0)
        sg_field_errors_add(errs, "closes", "date_order");
    int st = in->status == NULL || in->status[0] == '\0' ? SG_JOB_OPEN : sg_job_status_parse(in->status);
    if (st < 0)
        sg_field_errors_add(errs, "status", "status_enum");
    out->status = st == SG_JOB_CLOSED ? SG_JOB_CLOSED : SG_JOB_OPEN;
    if (out->status == SG_JOB_OPEN && sg_date_valid(out->closes) && sg_date_valid(today) &&
        sg_date_cmp(out->closes, today) < 0)
        sg_field_errors_add(errs, "closes", "date_past");
    return errs->n == 0 ? 0 : SG_EINVAL;
}

bool sg_job_open(const struct sg_job *j, struct sg_date today)
{
    return j->status == SG_JOB_OPEN && sg_date_cmp(j->closes, today) >= 0;
}

bool sg_job_in_region(const struct sg_job *j, const char *province)
{
    return strncmp(j->city, province, 2) == 0;
}

int sg_job_fit(const struct sg_job *j, struct sg_date today, const struct sg_job_seeker *s)
{
    if (!sg_job_open(j, today) || (j->age_min != 0 && s->age < (int)j->age_min) ||
        (j->age_max != 0 && s->age > (int)j->age_max) || (j->sex != 0 && j->sex != s->sex))
        return 0;
    int place = s->dest != NULL && strcmp(j->city, s->dest) == 0             ? 3
                : s->dest != NULL && strncmp(j->city, s->dest, 2) == 0       ? 2
                : s->village != NULL && strncmp(j->city, s->village, 4) == 0 ? 1
                                                                             : 0;
    return place == 0 ? 0 : place + (s->want >= 0 && s->want == j->kind);
}

static const char *const poverty_names[] = {"any", "poverty", "alleviated", "monitored"};

int sg_target_validate(const struct sg_target_input *in, const struct sg_divisions *divisions,
                       const struct sg_divisions *destinations, struct sg_target *out, struct sg_field_errors *errs)
{
    errs->n = 0;
    memset(out, 0, sizeof(*out));
    if (in->scope == NULL || in->scope[0] == '\0')
        sg_field_errors_add(errs, "filter.scope", "required");
    else if (sg_divisions_find(divisions, in->scope, strlen(in->scope)) == NULL)
        sg_field_errors_add(errs, "filter.scope", "unknown_division");
    else
        snprintf(out->scope, sizeof(out->scope), "%s", in->scope);
    out->poverty = in->poverty == NULL || in->poverty[0] == '\0' ? 0 : lookup(poverty_names, 4, in->poverty);
    if (out->poverty < 0)
        sg_field_errors_add(errs, "filter.poverty", "poverty_enum");
    out->age_min = in->age_min > 0 && in->age_min < 100 ? (int)in->age_min : 0;
    out->age_max = in->age_max > 0 && in->age_max < 100 ? (int)in->age_max : 0;
    if (in->age_min >= 100 || in->age_max >= 100 || (out->age_max != 0 && out->age_min > out->age_max))
        sg_field_errors_add(errs, "filter.age_max", "age_order");
    out->no_job = in->no_job == 1;
    out->seeking = in->seeking == 1;
    out->low_income = in->low_income == 1;
    out->work = in->work == NULL || in->work[0] == '\0' ? -1 : sg_work_parse(in->work);
    if (in->work != NULL && in->work[0] != '\0' && out->work < 0)
        sg_field_errors_add(errs, "filter.work", "work_enum");
    size_t dl = in->dest != NULL ? strlen(in->dest) : 0;
    if (dl != 0 && ((dl != 2 && dl != 4) || sg_divisions_find(destinations, in->dest, dl) == NULL))
        sg_field_errors_add(errs, "filter.dest", "unknown_city");
    else if (dl != 0)
        memcpy(out->dest, in->dest, dl + 1);
    return errs->n == 0 ? 0 : SG_EINVAL;
}

bool sg_target_takes_registration(const struct sg_target *t, const struct sg_registration *r)
{
    return sg_scope_contains(t->scope, r->village) && (!t->no_job || !r->job_confirmed) &&
           (!t->seeking || r->seek_job) && (t->work < 0 || (r->seek_job && r->work == t->work)) &&
           strncmp(r->dest_city, t->dest, strlen(t->dest)) == 0;
}

bool sg_target_takes_person(const struct sg_target *t, const struct sg_person *p, struct sg_date today)
{
    int age = sg_idno_age(&p->id, today);
    bool poverty = t->poverty == SG_TARGET_ANY          ? true
                   : t->poverty == SG_TARGET_POVERTY    ? p->poverty != SG_POVERTY_NONE
                   : t->poverty == SG_TARGET_ALLEVIATED ? p->poverty == SG_POVERTY_ALLEVIATED
                                                        : p->poverty == SG_POVERTY_MONITORED;
    return poverty && (!t->low_income || p->low_income) && (t->age_min == 0 || age >= t->age_min) &&
           (t->age_max == 0 || age <= t->age_max);
}
