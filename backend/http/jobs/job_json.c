/* SPDX-License-Identifier: MIT */
/* A job as the API shows it, to the public and to staff alike: the employer's name only,
 * never a contact person or phone. */
#include <string.h>
#include "http/core/json.h"
#include "http/jobs/jobs.h"

cJSON *sg__json_job(const struct sg_app *app, const struct sg_job *j)
{
    cJSON *o = cJSON_CreateObject();
    char starts[11] = "", closes[11];
    if (sg_date_valid(j->starts))
        sg_date_format(j->starts, starts);
    sg_date_format(j->closes, closes);
    cJSON_AddStringToObject(o, "id", j->id);
    cJSON_AddStringToObject(o, "employer", j->employer);
    cJSON_AddStringToObject(o, "employer_name", j->employer_name);
    cJSON_AddStringToObject(o, "title", j->title);
    cJSON_AddItemToObject(o, "city", sg_json_city(app, j->city));
    cJSON_AddStringToObject(o, "zone", strncmp(j->city, j->scope, 2) == 0 ? "in" : "out"); /* 区内 / 区外 */
    cJSON_AddStringToObject(o, "kind", sg_work_name(j->kind));
    cJSON_AddStringToObject(o, "kind_label", sg_work_label(j->kind));
    cJSON_AddNumberToObject(o, "headcount", j->headcount);
    cJSON_AddNumberToObject(o, "wage_min", j->wage_min);
    cJSON_AddNumberToObject(o, "wage_max", j->wage_max);
    cJSON_AddNumberToObject(o, "age_min", j->age_min);
    cJSON_AddNumberToObject(o, "age_max", j->age_max);
    cJSON_AddStringToObject(o, "sex", sg_job_sex_name(j->sex));
    cJSON_AddStringToObject(o, "skills", j->skills);
    cJSON_AddStringToObject(o, "starts", starts);
    cJSON_AddStringToObject(o, "closes", closes);
    cJSON_AddStringToObject(o, "status", sg_job_status_name(j->status));
    return o;
}
