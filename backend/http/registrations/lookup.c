/* SPDX-License-Identifier: MIT */
/* GET /api/registrations/{code}?phone4=NNNN: a worker looks the sign-up up, masked, with
 * the vehicle, the trip's state, seats and pickup stop once assigned. A wrong phone4
 * answers exactly like an unknown code. POST /api/registrations/lookup {"id_number","phone4"}: the same
 * answer for a worker who lost the code, found through the ID number's uniqueness key in
 * the active campaign; any wrong pair is one 404 (never whether the ID number is
 * registered). Both are under the same attempt limits (proof.c): per client address
 * (SG_LIMIT_LOOKUP) and per code or per ID number (SG_LIMIT_CODE, its keyed hash, whether
 * registered or not), counted before anything is read. */
#include <string.h>
#include "domain/code.h"
#include "domain/err.h"
#include "domain/idno.h"
#include "http/core/pending.h"
#include "http/core/reply.h"
#include "http/core/request.h"
#include "http/registrations/registrations.h"
#include "store/store.h"
#include "store/transport.h"
#include <sodium.h>

struct get_pending {
    struct sg_pending super;
    struct sg_proof_attempt proof;
    char phone4[5];
    char hash[SG_STORE_HASH_HEX]; /* a lookup by ID number: its keyed hash, else "" */
    cJSON *json;                  /* the registration, waiting for its vehicle */
    struct sg_assigned s;
};

/* The assignment as the worker sees it, with the check-in QR's token and link (the
 * escort's phone opens it), shown on the status page. */
static cJSON *json_assignment(const struct sg_app *app, const struct sg_assigned *s, const struct sg_vehicle *v)
{
    char token[SG_CHECKIN_TOKEN_LEN + 1], url[512];
    cJSON *o = sg_json_assignment(app, s, v, false), *c = cJSON_AddObjectToObject(o, "checkin");
    sg_store_checkin_token(app->store, s->code, token);
    snprintf(url, sizeof(url), "%s/staff/checkin.html#%s", app->public_url, token);
    cJSON_AddStringToObject(c, "token", token);
    cJSON_AddStringToObject(c, "url", url);
    return o;
}

static void on_vehicle(void *data, int status, const struct sg_vehicle *v)
{
    struct get_pending *p = data;
    if (p->super.req != NULL && status != 0 && status != SG_ENOENT) {
        sg_reply_store_error(p->super.req, status);
        cJSON_Delete(p->json);
    } else if (p->super.req != NULL) {
        if (status == 0)
            cJSON_ReplaceItemInObjectCaseSensitive(p->json, "assignment", json_assignment(p->super.app, &p->s, v));
        sg_reply_json(p->super.req, 200, p->json);
    } else {
        cJSON_Delete(p->json);
    }
    sg_pending_free(p);
}

static void on_found(void *data, int status, const struct sg_stored_registration *s)
{
    struct get_pending *p = data;
    h2o_req_t *req = p->super.req;
    if (req == NULL)
        goto Exit;
    /* A wrong phone4 answers exactly like an unknown code. */
    if (status == 0 && sg__registration_proof_ok(s, p->phone4)) {
        sg__proof_right(&p->proof);
        p->json = sg_json_registration(p->super.app, s, false); /* "assignment": null until a vehicle is found */
        sg_assigned_of(s, &p->s);
        if (s->vehicle[0] != '\0' && sg_store_vehicle_get(p->super.app->store, s->vehicle, on_vehicle, p) == 0)
            return;
        sg_reply_json(req, 200, p->json);
    } else if (status == 0 || status == SG_ENOENT)
        sg_reply_error(req, 404, "not_found", NULL);
    else
        sg_reply_store_error(req, status);
Exit:
    sg_pending_free(p);
}

/* Counted: now read it. */
static void read_registration(struct sg_pending *super)
{
    struct get_pending *p = (struct get_pending *)super;
    int ret = sg_store_registration_get(super->app->store, p->proof.subject, on_found, p);
    if (ret != 0) {
        sg_reply_store_error(super->req, ret);
        sg_pending_free(p);
    }
}

int sg__registration_lookup(h2o_req_t *req, struct sg_app *app, const char *rest, size_t restlen)
{
    char code[SG_CODE_LEN + 1];
    const char *phone4 = sg_query_param(req, "phone4");
    if (sg__registration_code(rest, restlen, phone4, code) != 0) {
        sg_reply_error(req, 404, "not_found", NULL);
        return 0;
    }
    struct get_pending *p = sg_pending_new(req, app, sizeof(*p));
    memcpy(p->phone4, phone4, 5);
    sg__proof_begin(&p->proof, &p->super, code, read_registration);
    return 0;
}

/* ---- by ID number ------------------------------------------------------------------------ */

/* Counted: now find the ID number's sign-up in the active campaign. */
static void read_by_idno(struct sg_pending *super)
{
    struct get_pending *p = (struct get_pending *)super;
    const struct sg_campaign *c = sg_app_active_campaign(super->app);
    int ret;
    if (c == NULL) {
        sg_reply_error(super->req, 404, "not_found", NULL);
        sg_pending_free(p);
    } else if ((ret = sg_store_registration_get_by_idno(super->app->store, c->id, p->hash, on_found, p)) != 0) {
        sg_reply_store_error(super->req, ret);
        sg_pending_free(p);
    }
}

/* typed without its spaces (people copy a number in groups: "450102 19900101 1231"), cut to out's size. */
static void drop_spaces(const char *typed, char *out, size_t size)
{
    size_t n = 0;
    for (; typed != NULL && *typed != '\0' && n + 1 < size; ++typed)
        if (*typed != ' ')
            out[n++] = *typed;
    out[n] = '\0';
}

int sg__registration_lookup_by_idno(h2o_req_t *req, struct sg_app *app)
{
    char number[24];
    struct sg_field_errors errs = {0};
    struct sg_idno id;
    cJSON *root = sg_json_body_or_reply(req, SG_BODY_SMALL);
    if (root == NULL)
        return 0;
    const char *typed = sg_json_string(root, "id_number", NULL, &errs),
               *phone4 = sg_json_string(root, "phone4", NULL, &errs);
    drop_spaces(typed, number, sizeof(number));
    int r = sg_idno_validate(number, sg_app_today(app), &id);
    if (r != 0)
        sg_field_errors_add(&errs, "id_number", sg_registration_idno_code(r));
    if (phone4 == NULL || strlen(phone4) != 4 || strspn(phone4, "0123456789") != 4)
        sg_field_errors_add(&errs, "phone4", phone4 == NULL || phone4[0] == '\0' ? "required" : "phone4_format");
    if (errs.n != 0) {
        sg_reply_invalid(req, &errs);
        cJSON_Delete(root);
        return 0;
    }
    struct get_pending *p = sg_pending_new(req, app, sizeof(*p));
    memcpy(p->phone4, phone4, 5);
    cJSON_Delete(root);
    sg_store_idno_hash(app->store, id.number, p->hash);
    sodium_memzero(&id, sizeof(id));
    char subject[sizeof(p->proof.subject)];
    snprintf(subject, sizeof(subject), "id-%s", p->hash);
    sg__proof_begin(&p->proof, &p->super, subject, read_by_idno);
    return 0;
}
