/* SPDX-License-Identifier: MIT */
/* JSON of the reference data every resource shows: divisions, campaigns, destination
 * cities, times. */
#include <string.h>
#include <time.h>
#include "http/core/json.h"

cJSON *sg_json_division(const struct sg_divisions *ds, const struct sg_division *d)
{
    cJSON *obj = cJSON_CreateObject(), *path = cJSON_CreateArray();
    const struct sg_division *chain[SG_LEVELS];
    size_t n = sg_divisions_path(ds, d, chain);
    cJSON_AddStringToObject(obj, "code", d->code);
    cJSON_AddStringToObject(obj, "name", d->name);
    cJSON_AddStringToObject(obj, "level", sg_level_name(d->level));
    for (size_t i = 0; i != n; ++i) {
        cJSON *step = cJSON_CreateObject();
        cJSON_AddStringToObject(step, "code", chain[i]->code);
        cJSON_AddStringToObject(step, "name", chain[i]->name);
        cJSON_AddItemToArray(path, step);
    }
    cJSON_AddItemToObject(obj, "path", path);
    return obj;
}

cJSON *sg_json_campaign(const struct sg_campaign *c)
{
    char starts[11], ends[11];
    sg_date_format(c->starts, starts);
    sg_date_format(c->ends, ends);
    cJSON *obj = cJSON_CreateObject();
    cJSON_AddStringToObject(obj, "id", c->id);
    cJSON_AddStringToObject(obj, "name", c->name);
    cJSON_AddStringToObject(obj, "starts", starts);
    cJSON_AddStringToObject(obj, "ends", ends);
    cJSON_AddBoolToObject(obj, "active", c->active);
    return obj;
}

cJSON *sg_json_city(const struct sg_app *app, const char *code)
{
    cJSON *obj = cJSON_CreateObject();
    const struct sg_division *city = sg_divisions_find(app->destinations, code, strlen(code));
    const struct sg_division *province = sg_divisions_find(app->destinations, code, 2);
    cJSON_AddStringToObject(obj, "code", code);
    cJSON_AddStringToObject(obj, "name", city != NULL ? city->name : "");
    cJSON_AddStringToObject(obj, "province", province != NULL ? province->name : "");
    return obj;
}

void sg_format_time(uint64_t ms, char out[32])
{
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
