/* SPDX-License-Identifier: MIT */
/* Shared between the transport handlers (vehicles, match, manifest, check-in). */
#ifndef SG_HTTP_TRANSPORT_H
#define SG_HTTP_TRANSPORT_H

#include <h2o.h>
#include <cjson/cJSON.h>
#include "domain/registration.h"
#include "domain/vehicle.h"
#include "http/app.h"

/** The vehicle as the API shows it (the same field names POST and PATCH take). */
cJSON *sg_json_vehicle(const struct sg_app *app, const struct sg_vehicle *v);
/** Read the plan fields of a JSON object; strings are borrowed from o. Type errors go to errs. */
void sg_vehicle_input_read(const cJSON *o, struct sg_vehicle_input *in, struct sg_field_errors *errs);
/** /api/vehicles/{id}/... (manifest, boarding); sub starts with '/'. */
int sg_on_vehicle_sub(h2o_req_t *req, struct sg_app *app, const char *id, h2o_iovec_t sub);

/** GET /api/vehicles/{id}/boarding (checkin.c). */
int sg_on_boarding(h2o_req_t *req, struct sg_app *app, const char *id);

#endif
