/* SPDX-License-Identifier: MIT */
/* GET /api/vehicles/{id}/boarding: the escort's list at the door, who is on board and
 * who is still missing, for staff whose scope contains the vehicle's, audited. The
 * missing passengers' phone numbers are shown in full (the escort calls them: a masked
 * number has no call button). */
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
