/* SPDX-License-Identifier: MIT */
/* The handlers of every route, one resource per file, and JSON helpers they share. */
#ifndef SG_HTTP_ROUTES_H
#define SG_HTTP_ROUTES_H

#include <h2o.h>
#include <cjson/cJSON.h>
#include "domain/campaign.h"
#include "domain/code.h"
#include "domain/division.h"

struct sg_app;
struct sg_stored_registration;

int sg_on_health(h2o_handler_t *self, h2o_req_t *req);        /* health.c */
int sg_on_division(h2o_handler_t *self, h2o_req_t *req);      /* divisions.c */
int sg_on_destinations(h2o_handler_t *self, h2o_req_t *req);  /* divisions.c */
int sg_on_campaign(h2o_handler_t *self, h2o_req_t *req);      /* divisions.c */
int sg_on_registrations(h2o_handler_t *self, h2o_req_t *req); /* registrations.c */
int sg_on_qr(h2o_handler_t *self, h2o_req_t *req);            /* qrcode.c */
int sg_on_signup_page(h2o_handler_t *self, h2o_req_t *req);   /* site.c */
int sg_on_status_page(h2o_handler_t *self, h2o_req_t *req);   /* site.c */
int sg_on_login(h2o_handler_t *self, h2o_req_t *req);         /* auth.c */
int sg_on_logout(h2o_handler_t *self, h2o_req_t *req);        /* auth.c */
int sg_on_me(h2o_handler_t *self, h2o_req_t *req);            /* auth.c */
int sg_on_audit(h2o_handler_t *self, h2o_req_t *req);         /* audit.c */
int sg_on_posters(h2o_handler_t *self, h2o_req_t *req);       /* posters.c */

/** {"code","name","level","path":[...]} for d of ds. */
cJSON *sg_json_division(const struct sg_divisions *ds, const struct sg_division *d);
/** {"id","name","starts","ends","active"}. */
cJSON *sg_json_campaign(const struct sg_campaign *c);
/** The registration as GET /api/registrations/{code} answers it, personal numbers masked. */
cJSON *sg_json_registration(const struct sg_app *app, const struct sg_stored_registration *s);

/* Between registrations.c and cancel.c. */
/** The typed code (len bytes, any case) normalized into code, when phone4 is 4 digits too: 0 or SG_EINVAL. */
int sg__registration_code(const char *typed, size_t len, const char *phone4, char code[SG_CODE_LEN + 1]);
/** True when phone4 are the last 4 digits of the worker's phone (constant time). */
int sg__registration_proof_ok(const struct sg_stored_registration *s, const char *phone4);
/** POST /api/registrations/{code}/cancel, typed = the {code} part. */
int sg__registration_cancel(h2o_req_t *req, struct sg_app *app, const char *typed, size_t len);

#endif
