/* SPDX-License-Identifier: MIT */
/* GET /api/vehicles/{id}/boarding: the escort's list at the door, who is on board and
 * who is still missing (and who was marked as not turning up), for staff whose scope
 * contains the vehicle's, audited. The missing passengers' phone numbers are shown in
 * full (the escort calls them: a masked number has no call button), but only those of
 * passengers in the user's own scope, and only to roles that may call people
 * (SG_ACT_CALL); every other number is masked. */
#include <string.h>
#include "domain/err.h"
#include "domain/mask.h"
#include "http/core/reply.h"
#include "http/core/request.h"
#include "http/staff/staff.h"
#include "http/transport/transport.h"
#include "store/transport.h"

struct boarding_req {
    struct sg_staff_req base;
    char vehicle[SG_VEHICLE_ID_MAX + 1];
};

/* full: the numbers in full (else masked); phones: any number at all (the missing ones). */
static cJSON *json_group(const struct sg_app *app, const struct sg_manifest_entry *e, bool phones, bool full)
{
    cJSON *g = cJSON_CreateObject(), *people = cJSON_AddArrayToObject(g, "people");
    const struct sg_division *d = sg_divisions_find(app->divisions, e->reg.village, strlen(e->reg.village));
    cJSON_AddStringToObject(g, "code", e->code);
    cJSON_AddNumberToObject(g, "seat", e->seat);
    cJSON_AddStringToObject(g, "village", d != NULL ? d->name : "");
    cJSON_AddBoolToObject(g, "no_show", e->no_show);
    for (size_t i = 0; i != e->reg.npeople; ++i) {
        cJSON *x = cJSON_CreateObject();
        char masked[12] = "";
        const char *phone = e->reg.people[i].phone;
        cJSON_AddStringToObject(x, "name", e->reg.people[i].name);
        if (phones && strlen(phone) == 11 && !full)
            sg_mask_phone(phone, masked);
        if (phones && strlen(phone) == 11)
            cJSON_AddStringToObject(x, "phone", full ? phone : masked);
        cJSON_AddItemToArray(people, x);
    }
    return g;
}

static void on_manifest(void *data, int status, const struct sg_vehicle *v, const struct sg_manifest_entry *e, size_t n)
{
    struct boarding_req *p = data;
    h2o_req_t *req = p->base.super.req;
    if (req != NULL && status == SG_ENOENT) {
        sg_reply_error(req, 404, "not_found", NULL);
    } else if (req != NULL && status != 0) {
        sg_reply_store_error(req, status);
    } else if (req != NULL && sg_staff_allow_or_reply(&p->base, v->scope, SG_ACT_VIEW)) {
        cJSON *o = cJSON_CreateObject(), *boarded = cJSON_CreateArray(), *missing = cJSON_CreateArray();
        size_t nmissing = 0;
        char detail[64];
        bool caller = sg_role_may((enum sg_role)p->base.session.role, SG_ACT_CALL);
        for (size_t i = 0; i != n; ++i) {
            bool full = caller && sg_scope_contains(p->base.session.scope, e[i].reg.village);
            cJSON_AddItemToArray(e[i].boarded ? boarded : missing,
                                 json_group(p->base.super.app, &e[i], !e[i].boarded, full));
            nmissing += !e[i].boarded && full;
        }
        cJSON_AddItemToObject(o, "vehicle", sg_json_vehicle(p->base.super.app, v));
        cJSON_AddItemToObject(o, "boarded", boarded);
        cJSON_AddItemToObject(o, "missing", missing);
        snprintf(detail, sizeof(detail), "full phones of %zu missing groups of the scope", nmissing);
        /* the escort's page refreshes every few seconds: one entry per 10 minutes of looking */
        sg_staff_audit_once(&p->base, "boarding_view", v->id, detail, 600);
        sg_reply_json(req, 200, o);
    }
    sg_pending_free(p);
}

static void boarding(struct sg_staff_req *base)
{
    struct boarding_req *p = (struct boarding_req *)base;
    int ret = sg_store_manifest(base->super.app->store, p->vehicle, on_manifest, p);
    if (ret != 0) {
        sg_reply_store_error(base->super.req, ret);
        sg_pending_free(p);
    }
}

int sg__boarding(h2o_req_t *req, struct sg_app *app, const char *id)
{
    if (!sg_method_is(req, "GET"))
        return sg_reply_method_not_allowed(req, "GET");
    struct boarding_req *p = sg_pending_new(req, app, sizeof(*p));
    snprintf(p->vehicle, sizeof(p->vehicle), "%s", id);
    sg_staff_begin(&p->base, boarding);
    return 0;
}
