/* SPDX-License-Identifier: MIT */
/* The handlers of every route, one resource per file, and JSON helpers they share. */
#ifndef SG_HTTP_ROUTES_H
#define SG_HTTP_ROUTES_H

#include <h2o.h>
#include <cjson/cJSON.h>
#include "domain/campaign.h"
#include "domain/division.h"

int sg_on_health(h2o_handler_t *self, h2o_req_t *req);        /* health.c */
int sg_on_division(h2o_handler_t *self, h2o_req_t *req);      /* divisions.c */
int sg_on_destinations(h2o_handler_t *self, h2o_req_t *req);  /* divisions.c */
int sg_on_campaign(h2o_handler_t *self, h2o_req_t *req);      /* divisions.c */
int sg_on_registrations(h2o_handler_t *self, h2o_req_t *req); /* registrations.c */
int sg_on_qr(h2o_handler_t *self, h2o_req_t *req);            /* qrcode.c */
int sg_on_signup_page(h2o_handler_t *self, h2o_req_t *req);   /* site.c */
int sg_on_login(h2o_handler_t *self, h2o_req_t *req);         /* auth.c */
int sg_on_logout(h2o_handler_t *self, h2o_req_t *req);        /* auth.c */
int sg_on_me(h2o_handler_t *self, h2o_req_t *req);            /* auth.c */
int sg_on_audit(h2o_handler_t *self, h2o_req_t *req);         /* audit.c */
int sg_on_vehicles(h2o_handler_t *self, h2o_req_t *req);      /* vehicles.c */
int sg_on_match(h2o_handler_t *self, h2o_req_t *req);         /* match.c */
int sg_on_checkin(h2o_handler_t *self, h2o_req_t *req);       /* checkin.c */

/** {"code","name","level","path":[...]} for d of ds. */
cJSON *sg_json_division(const struct sg_divisions *ds, const struct sg_division *d);
/** {"id","name","starts","ends","active"}. */
cJSON *sg_json_campaign(const struct sg_campaign *c);

#endif
