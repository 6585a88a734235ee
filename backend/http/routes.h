/* SPDX-License-Identifier: MIT */
/* The handlers of every route, one resource per file, and JSON helpers they share. */
#ifndef SG_HTTP_ROUTES_H
#define SG_HTTP_ROUTES_H

#include <h2o.h>
#include <cjson/cJSON.h>
#include "domain/campaign.h"
#include "domain/code.h"
#include "domain/division.h"
#include "store/store.h"

struct sg_app;

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
int sg_on_vehicles(h2o_handler_t *self, h2o_req_t *req);      /* vehicles.c */
int sg_on_match(h2o_handler_t *self, h2o_req_t *req);         /* match.c */
int sg_on_checkin(h2o_handler_t *self, h2o_req_t *req);       /* checkin.c */
int sg_on_posters(h2o_handler_t *self, h2o_req_t *req);       /* posters.c */
int sg_on_stats(h2o_handler_t *self, h2o_req_t *req);         /* stats.c */
int sg_on_stats_stream(h2o_handler_t *self, h2o_req_t *req);  /* stats_stream.c */
int sg_on_returns(h2o_handler_t *self, h2o_req_t *req);       /* returns.c */
int sg_on_exports(h2o_handler_t *self, h2o_req_t *req);       /* exports.c: .csv and .xlsx */
int sg_on_report(h2o_handler_t *self, h2o_req_t *req);        /* report_http.c */
int sg_on_funding(h2o_handler_t *self, h2o_req_t *req);       /* funding.c */

/* Staff work on registrations, dispatched by sg_on_registrations; code is normalized. */
int sg_on_staff_list(h2o_req_t *req, struct sg_app *app);                     /* staff_registrations.c */
int sg_on_staff_detail(h2o_req_t *req, struct sg_app *app, const char *code); /* staff_registrations.c */
int sg_on_staff_edit(h2o_req_t *req, struct sg_app *app, const char *code);   /* registration_edit.c */
int sg_on_cancel(h2o_req_t *req, struct sg_app *app, const char *code);       /* registration_edit.c */
int sg_on_flag_checked(h2o_req_t *req, struct sg_app *app, const char *code); /* registration_edit.c */
int sg_on_staff_entry(h2o_req_t *req, struct sg_app *app);                    /* registration_edit.c */

/* registrations.c: the sign-up body, shared by the worker's and the staff's paths */
/** The request body as a JSON object (caller deletes), or NULL after answering 415, 413 or 400. */
cJSON *sg_registration_body_or_reply(h2o_req_t *req);
#define SG_READ_CONSENT_GIVEN 1u /* an edit: consent was given at sign-up */
#define SG_READ_BY_STAFF 2u      /* staff enter it: the worker may have no phone */
/**
 * Read and validate root for campaign c into out (how: SG_READ_* flags): 0, or SG_EINVAL
 * after answering 404 (unknown village) or 422.
 */
int sg_registration_read_or_reply(h2o_req_t *req, const struct sg_app *app, const struct sg_campaign *c,
                                  const cJSON *root, unsigned how, struct sg_registration *out);
/** The answer to a sign-up save: 201 {"code","people"}, 409 duplicate, or the store error. */
void sg_reply_saved(h2o_req_t *req, int status, const struct sg_save_result *res);
/** 409 duplicate naming person's ID field ("id_number", "companions[0].id_number", ...). */
void sg_reply_duplicate(h2o_req_t *req, int person);
/** The optional Idempotency-Key header: "" when absent, NULL when malformed. */
const char *sg_idempotency_key(h2o_req_t *req);

/* registration_json.c */
/** The registration as JSON (masked); staff adds age, flags, entered_by, cancellation. */
cJSON *sg_json_registration(const struct sg_app *app, const struct sg_stored_registration *s, bool staff);
/** {"code","name","province"} of a destination city. */
cJSON *sg_json_city(const struct sg_app *app, const char *code);
/** "YYYY-MM-DDTHH:MM:SSZ". */
void sg_format_time(uint64_t ms, char out[32]);

/** {"code","name","level","path":[...]} for d of ds. */
cJSON *sg_json_division(const struct sg_divisions *ds, const struct sg_division *d);
/** {"id","name","starts","ends","active"}. */
cJSON *sg_json_campaign(const struct sg_campaign *c);

/* Between registrations.c and cancel.c. */
/** The typed code (len bytes, any case) normalized into code, when phone4 is 4 digits too: 0 or SG_EINVAL. */
int sg__registration_code(const char *typed, size_t len, const char *phone4, char code[SG_CODE_LEN + 1]);
/** True when phone4 are the last 4 digits of the worker's phone (constant time). */
int sg__registration_proof_ok(const struct sg_stored_registration *s, const char *phone4);
/** POST /api/registrations/{code}/cancel, typed = the {code} part. */
int sg__registration_cancel(h2o_req_t *req, struct sg_app *app, const char *typed, size_t len);

#endif
