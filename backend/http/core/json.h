/* SPDX-License-Identifier: MIT */
/* JSON of the reference data every resource shows (divisions, campaigns, destination
 * cities) and the one time format of the API. */
#ifndef SG_HTTP_CORE_JSON_H
#define SG_HTTP_CORE_JSON_H

#include <stdint.h>
#include <cjson/cJSON.h>
#include "domain/campaign.h"
#include "domain/division.h"
#include "service/app.h"

/** {"code","name","level","path":[...]} for d of ds. */
cJSON *sg_json_division(const struct sg_divisions *ds, const struct sg_division *d);
/** {"id","name","starts","ends","active"}. */
cJSON *sg_json_campaign(const struct sg_campaign *c);
/** {"code","name","province"} of a destination city. */
cJSON *sg_json_city(const struct sg_app *app, const char *code);
/** "YYYY-MM-DDTHH:MM:SSZ". */
void sg_format_time(uint64_t ms, char out[32]);

#endif
