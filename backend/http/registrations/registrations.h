/* SPDX-License-Identifier: MIT */
/* /api/registrations: the worker's sign-up, lookup and cancel (no session), and staff
 * work on registrations (list, open, edit, cancel, mark checked, face-to-face entry,
 * exports). router.c dispatches; the other files answer one kind of request each. */
#ifndef SG_HTTP_REGISTRATIONS_REGISTRATIONS_H
#define SG_HTTP_REGISTRATIONS_REGISTRATIONS_H

#include <stdbool.h>
#include <h2o.h>
#include <cjson/cJSON.h>
#include "domain/campaign.h"
#include "domain/code.h"
#include "service/app.h"
#include "domain/vehicle.h"
#include "http/core/pending.h"
#include "store/store.h"

int sg_on_registrations(h2o_handler_t *self, h2o_req_t *req); /* router.c: /api/registrations[/...] */
int sg_on_exports(h2o_handler_t *self, h2o_req_t *req);       /* exports.c: .csv and .xlsx */

/**
 * "{code}" or "{code}/{action}" after "/api/registrations/" (router.c): the code normalized
 * into code and the action (after the '/', empty when none) pointing into rest. 0, or
 * SG_EINVAL when the code is not one. Pure.
 */
int sg_registration_path_split(const char *rest, size_t restlen, char code[SG_CODE_LEN + 1], h2o_iovec_t *action);
/* The handlers router.c calls; code is normalized. */
int sg__registration_signup(h2o_req_t *req, struct sg_app *app); /* signup.c */
/** GET {code}?phone4 (lookup.c): rest is the {code} part as typed. */
int sg__registration_lookup(h2o_req_t *req, struct sg_app *app, const char *rest, size_t restlen);
/** POST /api/registrations/lookup {"id_number","phone4"} (lookup.c): a worker who lost the code. */
int sg__registration_lookup_by_idno(h2o_req_t *req, struct sg_app *app);
/** POST {code}/cancel by the worker (cancel.c): typed is the {code} part. */
int sg__registration_cancel(h2o_req_t *req, struct sg_app *app, const char *typed, size_t len);
int sg_on_staff_list(h2o_req_t *req, struct sg_app *app);                     /* staff_list.c */
int sg_on_staff_detail(h2o_req_t *req, struct sg_app *app, const char *code); /* staff_list.c */
int sg_on_staff_edit(h2o_req_t *req, struct sg_app *app, const char *code);   /* staff_edit.c */
int sg_on_cancel(h2o_req_t *req, struct sg_app *app, const char *code);       /* staff_edit.c */
int sg_on_flag_checked(h2o_req_t *req, struct sg_app *app, const char *code); /* staff_edit.c */
int sg_on_staff_entry(h2o_req_t *req, struct sg_app *app);                    /* staff_entry.c */
/** POST {code}/phone, /notified, /no-show (trip.c): action is what follows the code; 404 for another. */
int sg_on_trip_action(h2o_req_t *req, struct sg_app *app, const char *code, const char *action);

/* signup.c: the sign-up body, shared by the worker's and the staff's paths */
#define SG_READ_CONSENT_GIVEN 1u /* an edit: consent was given at sign-up */
#define SG_READ_BY_STAFF 2u      /* staff enter it: the worker may have no phone */
/**
 * Read and validate root for campaign c into out (how: SG_READ_* flags): 0, or SG_EINVAL
 * after answering 404 (unknown village) or 422.
 */
int sg_registration_read_or_reply(h2o_req_t *req, const struct sg_app *app, const struct sg_campaign *c,
                                  const cJSON *root, unsigned how, struct sg_registration *out);
/** The fields of a sign-up body (strings borrowed from root), JSON type errors into errs: pure, no reply. */
void sg_registration_input_read(const cJSON *root, struct sg_registration_input *in, struct sg_field_errors *errs);
/** The answer to a sign-up save: 201 {"code","people"}, 409 duplicate, or the store error. */
void sg_reply_saved(h2o_req_t *req, int status, const struct sg_save_result *res);
/** 409 duplicate naming person's ID field ("id_number", "companions[0].id_number", ...). */
void sg_reply_duplicate(h2o_req_t *req, int person);

/* proof.c */
/** A worker's attempt to prove a code (lookup, cancel) or an ID number: counted before it is checked. */
struct sg_proof_attempt {
    struct sg_pending *p; /* the request's pending state, which holds this */
    void (*next)(struct sg_pending *p);
    char address[48];
    char subject[40];          /* what is proved: a normalized code, or "id-" and the ID number's keyed hash */
    struct sg_limit limits[2]; /* per client address, per code */
};
/**
 * Count the attempt on subject (a normalized code, or "id-<hash>": at most 39 bytes) from
 * req's client: then next(p) on the loop; or answer 429 (rate_limited for the address,
 * too_many_attempts for the subject) or the store's error and sg_pending_free(p). a lives in p.
 */
void sg__proof_begin(struct sg_proof_attempt *a, struct sg_pending *p, const char *subject,
                     void (*next)(struct sg_pending *p));
/** The proof was right: the subject's counter is forgotten (only wrong proofs in a row add up). */
void sg__proof_right(struct sg_proof_attempt *a);
/** The typed code (len bytes, any case) normalized into code, when phone4 is 4 digits too: 0 or SG_EINVAL. */
int sg__registration_code(const char *typed, size_t len, const char *phone4, char code[SG_CODE_LEN + 1]);
/** True when phone4 are the last 4 digits of the worker's phone (constant time). */
int sg__registration_proof_ok(const struct sg_stored_registration *s, const char *phone4);

/* json.c */
/**
 * The registration as JSON (masked); staff adds age, flags, entered_by, cancellation.
 * "assignment" is null: the caller puts sg_json_assignment there once it has the vehicle.
 */
cJSON *sg_json_registration(const struct sg_app *app, const struct sg_stored_registration *s, bool staff);
/** What the assignment's JSON needs of an assigned registration (no name, no number). */
struct sg_assigned {
    char code[SG_CODE_LEN + 1];
    char village[SG_DIVISION_CODE_MAX + 1];
    size_t npeople;
    char vehicle[16];
    unsigned seat;
    char trip[12];
    bool notified;
    uint64_t notified_ms;
    char notified_by[64];
};
void sg_assigned_of(const struct sg_stored_registration *s, struct sg_assigned *out);
/**
 * Where registration a (assigned to v) travels: the vehicle, its status and the trip's
 * state (assigned, boarded, departed, arrived, no_show), date and time, the pickup stop
 * serving its village and its time, each person's seat (and carriage on a train), the
 * escort; staff also see whether (when, by whom) the village told the person.
 */
cJSON *sg_json_assignment(const struct sg_app *app, const struct sg_assigned *a, const struct sg_vehicle *v,
                          bool staff);

#endif
