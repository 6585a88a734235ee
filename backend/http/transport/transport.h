/* SPDX-License-Identifier: MIT */
/* Transport: vehicles and their plans, matching, manifests, passengers moved by hand,
 * boarding check-in. vehicles.c routes /api/vehicles/{id}/... to the files that answer. */
#ifndef SG_HTTP_TRANSPORT_TRANSPORT_H
#define SG_HTTP_TRANSPORT_TRANSPORT_H

#include <h2o.h>
#include <cjson/cJSON.h>
#include "domain/registration.h"
#include "domain/vehicle.h"
#include "print/manifest.h"
#include "service/app.h"
#include "store/transport.h"

int sg_on_vehicles(h2o_handler_t *self, h2o_req_t *req); /* vehicles.c: /api/vehicles[/...] */
int sg_on_match(h2o_handler_t *self, h2o_req_t *req);    /* match.c: POST /api/match */
int sg_on_checkin(h2o_handler_t *self, h2o_req_t *req);  /* checkin.c: POST /api/checkin[/{token}] */
/**
 * The check-in path (checkin.c): 1 for "/api/checkin" (check-in by code; token ""), 0 for
 * "/api/checkin/{token}" with the token's SG_CHECKIN_TOKEN_LEN bytes copied into token
 * (not yet checked), -1 for anything else. Pure.
 */
int sg_checkin_path_parse(h2o_iovec_t path, char token[SG_CHECKIN_TOKEN_LEN + 1]);

/** GET /api/vehicles (vehicle_list.c), as vehicles.c dispatches it. */
int sg__vehicle_list(h2o_req_t *req, struct sg_app *app);
/**
 * The id from the rest of "/api/vehicles/{id}[/sub]" (vehicles.c): 1 to 15 digits into id,
 * sub pointing at what follows them (in rest). 0, or -1 when there is no id. Pure.
 */
int sg_vehicle_path_parse(h2o_iovec_t rest, char id[SG_VEHICLE_ID_MAX + 1], h2o_iovec_t *sub);
/* /api/vehicles/{id}/... as vehicles.c dispatches it; id is digits only. */
int sg__manifest(h2o_req_t *req, struct sg_app *app, const char *id, enum sg_manifest_format format); /* manifest.c */
int sg__boarding(h2o_req_t *req, struct sg_app *app, const char *id);                                 /* boarding.c */
int sg__passenger_add(h2o_req_t *req, struct sg_app *app, const char *id); /* passengers.c: POST .../passengers */
/** DELETE .../passengers/{code} (passengers.c): typed is the {code} part. */
int sg__passenger_remove(h2o_req_t *req, struct sg_app *app, const char *id, h2o_iovec_t typed);

/* vehicle_json.c */
/** The vehicle as the API shows it (the same field names POST and PATCH take). */
cJSON *sg_json_vehicle(const struct sg_app *app, const struct sg_vehicle *v);
/** Read the plan fields of a JSON object; strings are borrowed from o. Type errors go to errs. */
void sg_vehicle_input_read(const cJSON *o, struct sg_vehicle_input *in, struct sg_field_errors *errs);

#endif
