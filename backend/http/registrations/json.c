/* SPDX-License-Identifier: MIT */
/* A registration as JSON, as a worker sees it (their own, masked) and as staff see it
 * (masked, with age, flags and who entered it), and its assignment: the vehicle, the
 * trip's state, where and when to board, the seats. Never an unmasked ID or phone number. */
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
    cJSON_AddBoolToObject(obj, "low_income", p->low_income);
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
        cJSON_AddNullToObject(obj, "assignment"); /* filled once its vehicle is read (sg_json_assignment) */
    } else {
        if (strcmp(s->status, "cancelled") == 0) { /* the worker sees when, not who */
            sg_format_time(s->cancelled_ms, created);
            cJSON_AddStringToObject(obj, "cancelled_at", created);
        }
        cJSON_AddNullToObject(obj, "assignment");
    }
    return obj;
}

void sg_assigned_of(const struct sg_stored_registration *s, struct sg_assigned *out)
{
    memset(out, 0, sizeof(*out));
    memcpy(out->code, s->code, sizeof(out->code));
    memcpy(out->village, s->reg.village, sizeof(out->village));
    out->npeople = s->reg.npeople;
    memcpy(out->vehicle, s->vehicle, sizeof(out->vehicle));
    out->seat = s->seat;
    memcpy(out->trip, s->trip, sizeof(out->trip));
    out->notified = s->notified;
    out->notified_ms = s->notified_ms;
    memcpy(out->notified_by, s->notified_by, sizeof(out->notified_by));
}

cJSON *sg_json_assignment(const struct sg_app *app, const struct sg_assigned *s, const struct sg_vehicle *v, bool staff)
{
    const struct sg_stop *stop = v->nstops != 0 ? &v->stops[sg_vehicle_stop_for(v, s->village)] : NULL;
    char date[11];
    cJSON *o = cJSON_CreateObject(), *seats = cJSON_CreateArray();
    sg_date_format(v->depart_date, date);
    cJSON_AddStringToObject(o, "vehicle", v->id);
    cJSON_AddStringToObject(o, "type", sg_vehicle_type_name(v->type));
    cJSON_AddStringToObject(o, "type_label", sg_vehicle_type_label(v->type));
    cJSON_AddStringToObject(o, "number", v->number);
    cJSON_AddStringToObject(o, "status", sg_vehicle_status_name(v->status));
    cJSON_AddStringToObject(o, "trip", s->trip[0] != '\0' ? s->trip : "assigned");
    (void)app;
    for (size_t i = 0; i != s->npeople; ++i) {
        uint32_t carriage, seat;
        sg_vehicle_train_seat(v->carriage_size, s->seat + (uint32_t)i, &carriage, &seat);
        cJSON *x = cJSON_CreateObject();
        if (v->type == SG_VEHICLE_TRAIN)
            cJSON_AddNumberToObject(x, "carriage", carriage);
        cJSON_AddNumberToObject(x, "seat", seat);
        cJSON_AddItemToArray(seats, x);
    }
    cJSON_AddItemToObject(o, "seats", seats);
    cJSON_AddStringToObject(o, "depart_date", date);
    cJSON_AddStringToObject(o, "depart_time", v->depart_time);
    cJSON_AddStringToObject(o, "pickup", stop != NULL ? stop->name : "");
    cJSON_AddStringToObject(o, "pickup_time", stop != NULL ? stop->time : "");
    cJSON_AddStringToObject(o, "escort_name", v->escort_name);
    cJSON_AddStringToObject(o, "escort_phone", v->escort_phone);
    if (staff) {
        cJSON_AddBoolToObject(o, "notified", s->notified);
        if (s->notified && s->notified_ms != 0) {
            char at[32];
            sg_format_time(s->notified_ms, at);
            cJSON_AddStringToObject(o, "notified_at", at);
            cJSON_AddStringToObject(o, "notified_by", s->notified_by);
        }
    }
    return o;
}
