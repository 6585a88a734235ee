/* SPDX-License-Identifier: MIT */
/* A registration as JSON, as a worker sees it (their own, masked) and as staff see it
 * (masked, with age, flags and who entered it). Never an unmasked ID or phone number. */
#include <string.h>
#include <time.h>
#include "domain/employer.h"
#include "http/core/json.h"
#include "http/registrations/registrations.h"

static cJSON *json_person(const struct sg_app *app, const struct sg_stored_registration *s, size_t i, bool staff)
{
    const struct sg_person *p = &s->reg.people[i];
    cJSON *obj = cJSON_CreateObject();
    cJSON_AddStringToObject(obj, "name", p->name);
    cJSON_AddStringToObject(obj, "id_number", s->id_masked[i]);
    cJSON_AddStringToObject(obj, "phone", s->phone_masked[i]);
    cJSON_AddStringToObject(obj, "sex", p->id.sex == 1 ? "male" : "female");
    if (staff)
        cJSON_AddNumberToObject(obj, "age", sg_idno_age(&p->id, sg_app_today(app)));
    cJSON_AddStringToObject(obj, "poverty", sg_poverty_name(p->poverty));
    if (staff)
        cJSON_AddBoolToObject(obj, "region_unknown", p->region_unknown);
    return obj;
}

static void add_staff_fields(cJSON *obj, const struct sg_stored_registration *s)
{
    cJSON_AddStringToObject(obj, "entered_by", s->entered_by);
    cJSON_AddBoolToObject(obj, "flag_checked", s->flag_checked);
    if (strcmp(s->status, "cancelled") == 0) {
        char at[32];
        sg_format_time(s->cancelled_ms, at);
        cJSON_AddStringToObject(obj, "cancelled_by", s->cancelled_by);
        cJSON_AddStringToObject(obj, "cancelled_at", at);
    }
}

cJSON *sg_json_registration(const struct sg_app *app, const struct sg_stored_registration *s, bool staff)
{
    const struct sg_registration *r = &s->reg;
    char date[11], created[32];
    sg_format_time(s->created_ms, created);
    sg_date_format(r->depart_date, date);
    cJSON *obj = cJSON_CreateObject(), *people = cJSON_CreateArray();
    cJSON_AddStringToObject(obj, "code", s->code);
    cJSON_AddStringToObject(obj, "campaign", s->campaign);
    cJSON_AddStringToObject(obj, "status", s->status);
    const struct sg_division *v = sg_divisions_find(app->divisions, r->village, strlen(r->village));
    cJSON_AddItemToObject(obj, "village", v != NULL ? sg_json_division(app->divisions, v) : cJSON_CreateNull());
    for (size_t i = 0; i != r->npeople; ++i)
        cJSON_AddItemToArray(people, json_person(app, s, i, staff));
    cJSON_AddItemToObject(obj, "people", people);
    cJSON_AddItemToObject(obj, "dest_city", sg_json_city(app, r->dest_city));
    cJSON_AddStringToObject(obj, "employer", r->employer);
    cJSON_AddBoolToObject(obj, "job_confirmed", r->job_confirmed);
    cJSON_AddStringToObject(obj, "employer_id", r->employer_id); /* jobs (issue 17) */
    cJSON_AddBoolToObject(obj, "seek_job", r->seek_job);
    cJSON_AddStringToObject(obj, "work", sg_work_name(r->work));
    cJSON_AddStringToObject(obj, "depart_date", date);
    cJSON_AddNumberToObject(obj, "flex_days", r->flex_days);
    cJSON_AddStringToObject(obj, "mode", sg_mode_name(r->mode));
    cJSON_AddStringToObject(obj, "created_at", created);
    if (staff) {
        add_staff_fields(obj, s);
    } else {
        if (strcmp(s->status, "cancelled") == 0) { /* the worker sees when, not who */
            sg_format_time(s->cancelled_ms, created);
            cJSON_AddStringToObject(obj, "cancelled_at", created);
        }
        cJSON_AddNullToObject(obj, "assignment");
    }
    return obj;
}
