/* SPDX-License-Identifier: MIT */
/* POST /api/checkin/{token}: an escort scans a passenger's QR code and marks the group
 * boarded on its vehicle. GET /api/vehicles/{id}/boarding: who has boarded and who is
 * missing. Both for staff whose scope contains the vehicle's. The boarding view shows the
 * missing passengers' phone numbers in full (the escort calls them: a masked number has
 * no call button), and each such view is audited. */
#include <string.h>
#include <sodium.h>
#include "domain/err.h"
#include "http/manifest.h"
#include "http/reply.h"
#include "http/routes.h"
#include "http/staff.h"
#include "http/transport.h"
#include "store/transport.h"

struct checkin_req {
    struct sg_staff_req base;
    char token[SG_CHECKIN_TOKEN_LEN + 1];
    char code[SG_CODE_LEN + 1];
    char vehicle[SG_VEHICLE_ID_MAX + 1];
    struct sg_registration reg;
    unsigned seat;
};

static void free_req(struct checkin_req *p)
{
    sodium_memzero(&p->reg, sizeof(p->reg));
    sg_pending_free(p);
}

static void on_checked_in(void *data, int status, bool again, const char *why)
{
    struct checkin_req *p = data;
    h2o_req_t *req = p->base.super.req;
    if (status == 0)
        sg_staff_audit(&p->base, "checkin", p->code, p->vehicle);
    if (req != NULL && status == 0) {
        cJSON *o = cJSON_CreateObject(), *people = cJSON_AddArrayToObject(o, "people");
        cJSON_AddStringToObject(o, "code", p->code);
        cJSON_AddStringToObject(o, "vehicle", p->vehicle);
        cJSON_AddBoolToObject(o, "again", again);
        for (size_t i = 0; i != p->reg.npeople; ++i) {
            cJSON *x = cJSON_CreateObject();
            cJSON_AddStringToObject(x, "name", p->reg.people[i].name);
            cJSON_AddNumberToObject(x, "seat", p->seat + (unsigned)i);
            cJSON_AddItemToArray(people, x);
        }
        sg_reply_json(req, 200, o);
    } else if (req != NULL && status == SG_EINVAL) {
        sg_reply_error(req, 409, why, NULL);
    } else if (req != NULL && status == SG_ENOENT) {
        sg_reply_error(req, 404, "not_found", NULL);
    } else if (req != NULL) {
        sg_reply_store_error(req, status);
    }
    free_req(p);
}

static void on_vehicle(void *data, int status, const struct sg_vehicle *v)
{
    struct checkin_req *p = data;
    h2o_req_t *req = p->base.super.req;
    int ret = -1;
    if (req != NULL && status != 0) {
        sg_reply_store_error(req, status);
    } else if (req != NULL && sg_staff_allow_or_reply(&p->base, v->scope, SG_ACT_VIEW)) {
        if ((ret = sg_store_checkin(p->base.super.app->store, p->code, v->id, on_checked_in, p)) != 0)
            sg_reply_store_error(req, ret);
    }
    if (ret != 0)
        free_req(p);
}

static void on_registration(void *data, int status, const struct sg_stored_registration *r)
{
    struct checkin_req *p = data;
    h2o_req_t *req = p->base.super.req;
    int ret = -1;
    if (req != NULL && status == 0 && r->vehicle[0] == '\0') {
        sg_reply_error(req, 409, "not_assigned", NULL);
    } else if (req != NULL && status == 0) {
        p->reg = r->reg;
        p->seat = r->seat;
        snprintf(p->vehicle, sizeof(p->vehicle), "%s", r->vehicle);
        if ((ret = sg_store_vehicle_get(p->base.super.app->store, r->vehicle, on_vehicle, p)) != 0)
            sg_reply_store_error(req, ret);
    } else if (req != NULL && status == SG_ENOENT) {
        sg_reply_error(req, 404, "not_found", NULL);
    } else if (req != NULL) {
        sg_reply_store_error(req, status);
    }
    if (ret != 0)
        free_req(p);
}

static void check_in(struct sg_staff_req *base)
{
    struct checkin_req *p = (struct checkin_req *)base;
    struct sg_app *app = base->super.app;
    int ret = -1;
    if (!sg_store_checkin_token_open(app->store, p->token, p->code))
        sg_reply_error(base->super.req, 404, "not_found", NULL);
    else if ((ret = sg_store_registration_get(app->store, p->code, on_registration, p)) != 0)
        sg_reply_store_error(base->super.req, ret);
    if (ret != 0)
        free_req(p);
}

int sg_on_checkin(h2o_handler_t *self, h2o_req_t *req)
{
    static const char base[] = "/api/checkin/";
    h2o_iovec_t path = req->path_normalized;
    size_t n = sizeof(base) - 1;
    if (path.len != n + SG_CHECKIN_TOKEN_LEN || memcmp(path.base, base, n) != 0) {
        sg_reply_error(req, 404, "not_found", NULL);
        return 0;
    }
    if (!sg_method_is(req, "POST"))
        return sg_reply_method_not_allowed(req, "POST");
    struct checkin_req *p = sg_pending_new(req, sg_handler_app(self), sizeof(*p));
    memcpy(p->token, path.base + n, SG_CHECKIN_TOKEN_LEN);
    sg_staff_begin(&p->base, check_in);
    return 0;
}

/* ---- the boarding view ------------------------------------------------------------------ */

static cJSON *json_group(const struct sg_manifest_entry *e, bool phones)
{
    cJSON *g = cJSON_CreateObject(), *people = cJSON_AddArrayToObject(g, "people");
    cJSON_AddStringToObject(g, "code", e->code);
    cJSON_AddNumberToObject(g, "seat", e->seat);
    for (size_t i = 0; i != e->reg.npeople; ++i) {
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "name", e->reg.people[i].name);
        if (phones)
            cJSON_AddStringToObject(x, "phone", e->reg.people[i].phone);
        cJSON_AddItemToArray(people, x);
    }
    return g;
}

static void on_manifest(void *data, int status, const struct sg_vehicle *v, const struct sg_manifest_entry *e, size_t n)
{
    struct checkin_req *p = data;
    h2o_req_t *req = p->base.super.req;
    if (req != NULL && status == SG_ENOENT) {
        sg_reply_error(req, 404, "not_found", NULL);
    } else if (req != NULL && status != 0) {
        sg_reply_store_error(req, status);
    } else if (req != NULL && sg_staff_allow_or_reply(&p->base, v->scope, SG_ACT_VIEW)) {
        cJSON *o = cJSON_CreateObject(), *boarded = cJSON_CreateArray(), *missing = cJSON_CreateArray();
        size_t nmissing = 0;
        char detail[64];
        for (size_t i = 0; i != n; ++i) {
            cJSON_AddItemToArray(e[i].boarded ? boarded : missing, json_group(&e[i], !e[i].boarded));
            nmissing += !e[i].boarded;
        }
        cJSON_AddItemToObject(o, "vehicle", sg_json_vehicle(p->base.super.app, v));
        cJSON_AddItemToObject(o, "boarded", boarded);
        cJSON_AddItemToObject(o, "missing", missing);
        snprintf(detail, sizeof(detail), "full phones of %zu missing groups", nmissing);
        /* the escort's page refreshes every few seconds: one entry per 10 minutes of looking */
        sg_staff_audit_once(&p->base, "boarding_view", v->id, detail, 600);
        sg_reply_json(req, 200, o);
    }
    free_req(p);
}

static void boarding(struct sg_staff_req *base)
{
    struct checkin_req *p = (struct checkin_req *)base;
    int ret = sg_store_manifest(base->super.app->store, p->vehicle, on_manifest, p);
    if (ret != 0) {
        sg_reply_store_error(base->super.req, ret);
        free_req(p);
    }
}

int sg_on_boarding(h2o_req_t *req, struct sg_app *app, const char *id)
{
    if (!sg_method_is(req, "GET"))
        return sg_reply_method_not_allowed(req, "GET");
    struct checkin_req *p = sg_pending_new(req, app, sizeof(*p));
    snprintf(p->vehicle, sizeof(p->vehicle), "%s", id);
    sg_staff_begin(&p->base, boarding);
    return 0;
}
