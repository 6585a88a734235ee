/* SPDX-License-Identifier: MIT */
/* A vehicle and its plan as the API shows it, and the plan fields of a request body:
 * the same field names both ways. */
#include <string.h>
#include "http/core/request.h"
#include "http/transport/transport.h"

cJSON *sg_json_vehicle(const struct sg_app *app, const struct sg_vehicle *v)
{
    char date[11];
    cJSON *o = cJSON_CreateObject(), *stops = cJSON_CreateArray(), *drivers = cJSON_CreateArray();
    const struct sg_division *city = sg_divisions_find(app->destinations, v->dest_city, strlen(v->dest_city));
    sg_date_format(v->depart_date, date);
    cJSON_AddStringToObject(o, "id", v->id);
    cJSON_AddStringToObject(o, "campaign", v->campaign);
    cJSON_AddStringToObject(o, "scope", v->scope);
    cJSON_AddStringToObject(o, "type", sg_vehicle_type_name(v->type));
    cJSON_AddStringToObject(o, "type_label", sg_vehicle_type_label(v->type));
    cJSON_AddStringToObject(o, "status", sg_vehicle_status_name(v->status));
    cJSON_AddStringToObject(o, "number", v->number);
    cJSON_AddNumberToObject(o, "capacity", v->capacity);
    if (v->type == SG_VEHICLE_TRAIN)
        cJSON_AddNumberToObject(o, "carriage_size", v->carriage_size);
    cJSON_AddNumberToObject(o, "used", v->used);
    cJSON_AddNumberToObject(o, "boarded_people", v->boarded_people);
    cJSON_AddNumberToObject(o, "boarded_poverty", v->boarded_poverty);
    cJSON_AddStringToObject(o, "dest_city", v->dest_city);
    cJSON_AddStringToObject(o, "dest_city_name", city != NULL ? city->name : "");
    cJSON_AddStringToObject(o, "employer", v->employer);
    cJSON_AddStringToObject(o, "depart_date", date);
    cJSON_AddStringToObject(o, "depart_time", v->depart_time);
    cJSON_AddStringToObject(o, "arrive_time", v->arrive_time);
    for (size_t i = 0; i != v->nstops; ++i) {
        cJSON *s = cJSON_CreateObject();
        cJSON_AddStringToObject(s, "name", v->stops[i].name);
        cJSON_AddStringToObject(s, "time", v->stops[i].time);
        cJSON_AddStringToObject(s, "serves", v->stops[i].serves);
        cJSON_AddItemToArray(stops, s);
    }
    cJSON_AddItemToObject(o, "stops", stops);
    for (size_t i = 0; i != v->ndrivers; ++i)
        cJSON_AddItemToArray(drivers, cJSON_CreateString(v->drivers[i]));
    cJSON_AddItemToObject(o, "drivers", drivers);
    cJSON_AddStringToObject(o, "escort_name", v->escort_name);
    cJSON_AddStringToObject(o, "escort_phone", v->escort_phone);
    cJSON_AddStringToObject(o, "emergency", v->emergency);
    cJSON_AddStringToObject(o, "captain", v->captain);
    cJSON_AddStringToObject(o, "vice_captain", v->vice_captain);
    cJSON_AddStringToObject(o, "convoy", v->convoy);
    cJSON_AddStringToObject(o, "convoy_leader", v->convoy_leader);
    cJSON_AddStringToObject(o, "handover", v->handover);
    cJSON_AddStringToObject(o, "notes", sg_vehicle_notes(v));
    struct sg_field_errors missing = {0};
    cJSON *list = cJSON_CreateArray();
    cJSON_AddBoolToObject(o, "plan_complete", sg_vehicle_ready(v, &missing)); /* what boarding needs */
    for (size_t i = 0; i != missing.n; ++i)
        cJSON_AddItemToArray(list, cJSON_CreateString(missing.e[i].field));
    cJSON_AddItemToObject(o, "plan_missing", list);
    return o;
}

/* Borrowed strings point into o: keep o alive while in is used. */
static void read_lists(const cJSON *o, struct sg_vehicle_input *in, struct sg_field_errors *errs)
{
    const cJSON *stops = cJSON_GetObjectItemCaseSensitive(o, "stops"), *item;
    const cJSON *drivers = cJSON_GetObjectItemCaseSensitive(o, "drivers");
    if (stops != NULL && !cJSON_IsArray(stops) && !cJSON_IsNull(stops))
        sg_field_errors_add(errs, "stops", "type");
    if (!cJSON_IsArray(stops))
        stops = NULL;
    if (drivers != NULL && !cJSON_IsArray(drivers) && !cJSON_IsNull(drivers))
        sg_field_errors_add(errs, "drivers", "type");
    if (!cJSON_IsArray(drivers))
        drivers = NULL;
    cJSON_ArrayForEach(item, stops) {
        if (in->nstops == SG_STOPS_MAX + 1)
            break;
        in->stops[in->nstops].name = sg_json_string(item, "name", NULL, errs);
        in->stops[in->nstops].serves = sg_json_string(item, "serves", NULL, errs);
        in->stops[in->nstops++].time = sg_json_string(item, "time", NULL, errs);
    }
    cJSON_ArrayForEach(item, drivers) {
        if (in->ndrivers == SG_DRIVERS_MAX + 1)
            break;
        in->drivers[in->ndrivers++] = cJSON_IsString(item) ? item->valuestring : NULL;
    }
}

void sg_vehicle_input_read(const cJSON *o, struct sg_vehicle_input *in, struct sg_field_errors *errs)
{
    memset(in, 0, sizeof(*in));
    in->type = sg_json_string(o, "type", NULL, errs);
    in->number = sg_json_string(o, "number", NULL, errs);
    in->dest_city = sg_json_string(o, "dest_city", NULL, errs);
    in->employer = sg_json_string(o, "employer", NULL, errs);
    in->depart_date = sg_json_string(o, "depart_date", NULL, errs);
    in->depart_time = sg_json_string(o, "depart_time", NULL, errs);
    in->arrive_time = sg_json_string(o, "arrive_time", NULL, errs);
    in->escort_name = sg_json_string(o, "escort_name", NULL, errs);
    in->escort_phone = sg_json_string(o, "escort_phone", NULL, errs);
    in->emergency = sg_json_string(o, "emergency", NULL, errs);
    in->notes = sg_json_string(o, "notes", NULL, errs);
    in->captain = sg_json_string(o, "captain", NULL, errs);
    in->vice_captain = sg_json_string(o, "vice_captain", NULL, errs);
    in->convoy = sg_json_string(o, "convoy", NULL, errs);
    in->convoy_leader = sg_json_string(o, "convoy_leader", NULL, errs);
    in->handover = sg_json_string(o, "handover", NULL, errs);
    in->capacity = sg_json_count(o, "capacity", NULL, 999999, errs);
    in->carriage_size = sg_json_count(o, "carriage_size", NULL, 999999, errs);
    read_lists(o, in, errs);
}
