/* SPDX-License-Identifier: MIT */
/* POST /api/vehicles, GET and PATCH /api/vehicles/{id}: vehicles and their plans
 * (一车一方案), for organisers and admins whose scope contains the vehicle's; a stop
 * serves a division inside it. The list (vehicle_list.c) and the sub-resources
 * (manifest, passengers, boarding) live in their own files and are dispatched from
 * here. Every saved change is announced to the transport listeners
 * (service/trip_events.h). */
#include <stdlib.h>
#include <string.h>
#include "domain/err.h"
#include "http/core/reply.h"
#include "http/core/request.h"
#include "http/core/routes.h"
#include "http/staff/staff.h"
#include "http/transport/transport.h"
#include "service/trip_events.h"
#include "store/transport.h"

#define BODY_MAX (32 * 1024)

struct vehicle_req {
    struct sg_staff_req base;
    char id[SG_VEHICLE_ID_MAX + 1];
    struct sg_vehicle v;
    enum sg_vehicle_status read_status;
    const char *trip_field; /* the trip field an update changes ("type", "dest_city", "depart_date"), or NULL */
};

/* Validate o into p->v against the campaign's window, for a vehicle of scope (NULL: not
 * known yet, checked by the caller); 0, or the 422 has been sent. */
static int validate_or_reply(struct vehicle_req *p, const cJSON *o, const struct sg_campaign *c, const char *scope)
{
    struct sg_vehicle_input in;
    struct sg_field_errors errs = {0}, rules = {0};
    struct sg_vehicle_ctx ctx = {p->base.super.app->destinations, c->starts, c->ends};
    sg_vehicle_input_read(o, &in, &errs);
    sg_vehicle_validate(&in, &ctx, &p->v, &rules);
    for (size_t i = 0; i != rules.n; ++i)
        sg_field_errors_add(&errs, rules.e[i].field, rules.e[i].code);
    for (size_t i = 0; i != p->v.nstops; ++i) { /* a stop serves a division that exists, inside the vehicle's */
        const char *code = p->v.stops[i].serves;
        char field[40];
        snprintf(field, sizeof(field), "stops[%zu].serves", i);
        if (code[0] != '\0' && sg_divisions_find(p->base.super.app->divisions, code, strlen(code)) == NULL)
            sg_field_errors_add(&errs, field, "unknown_division");
        else if (code[0] != '\0' && scope != NULL && !sg_scope_contains(scope, code))
            sg_field_errors_add(&errs, field, "serves_scope");
    }
    if (errs.n == 0)
        return 0;
    sg_reply_invalid(p->base.super.req, &errs);
    return -1;
}

/* 409 naming a passenger whose village the changed stops no longer serve (in the organiser's scope: the vehicle is). */
static void reply_outside_area(h2o_req_t *req, const char *code)
{
    cJSON *o = cJSON_CreateObject(), *e = cJSON_AddObjectToObject(o, "error");
    cJSON_AddStringToObject(e, "code", "outside_area");
    cJSON_AddStringToObject(e, "message", sg_message("outside_area"));
    cJSON_AddStringToObject(e, "field", "stops");
    cJSON_AddStringToObject(e, "registration", code);
    sg_reply_json(req, 409, o);
}

static void on_saved(void *data, int status, const struct sg_vehicle *v)
{
    struct vehicle_req *p = data;
    h2o_req_t *req = p->base.super.req;
    if (status == 0)
        sg_staff_audit(&p->base, p->id[0] == '\0' ? "vehicle_create" : "vehicle_edit", v->id, v->scope);
    if (status == 0 && p->id[0] != '\0') {
        struct sg_trip_change c = {.kind = SG_TRIP_VEHICLE_CHANGED,
                                   .campaign = p->v.campaign,
                                   .vehicle = p->id,
                                   .status = sg_vehicle_status_name(p->v.status),
                                   .by = p->base.session.user};
        sg_trip_changed(p->base.super.app, &c);
    }
    if (req == NULL) {
        /* the client went away: the audit entry above is all that is left to do */
    } else if (status == 0) {
        struct sg_vehicle out = p->v;
        memcpy(out.id, v->id, sizeof(out.id));
        if (out.status == SG_VEHICLE_CANCELLED && p->read_status != SG_VEHICLE_CANCELLED) {
            /* vehicle_save.lua sent the passengers back in the same step: the vehicle is empty */
            out.used = out.boarded_people = out.boarded_poverty = 0;
            out.seat_next = 1, out.nholes = 0;
        }
        sg_reply_json(req, p->id[0] == '\0' ? 201 : 200, sg_json_vehicle(p->base.super.app, &out));
    } else if (status == SG_EEXIST)
        sg_reply_error(req, 409, "conflict", NULL);
    else if (status == SG_EINVAL)
        sg_reply_error(req, 409, "below_used", "capacity");
    else if (status == SG_ECONFLICT) /* people were assigned since it was read */
        sg_reply_error(req, 409, "has_passengers", p->trip_field);
    else if (status == SG_ERANGE) /* v->id: the code of a passenger the new stops leave out */
        reply_outside_area(req, v->id);
    else if (status == SG_ELOCKED) /* people checked in: they travel on it */
        sg_reply_error(req, 409, "vehicle_boarded", "status");
    else
        sg_reply_store_error(req, status);
    sg_pending_free(p);
}

static void save(struct vehicle_req *p, bool update)
{
    int ret = sg_store_vehicle_save(p->base.super.app->store, &p->v, update, p->read_status, on_saved, p);
    if (ret != 0) {
        sg_reply_store_error(p->base.super.req, ret);
        sg_pending_free(p);
    }
}

static void create(struct sg_staff_req *base)
{
    struct vehicle_req *p = (struct vehicle_req *)base;
    h2o_req_t *req = base->super.req;
    cJSON *o = sg_json_body_or_reply(req, BODY_MAX);
    if (o == NULL) {
        sg_pending_free(p);
        return;
    }
    const char *scope = sg_json_string(o, "scope", NULL, NULL);
    const struct sg_campaign *c = sg_app_campaign(base->super.app, sg_json_string(o, "campaign", NULL, NULL));
    int ok = 0;
    if (c == NULL)
        sg_reply_error(req, 404, "unknown_campaign", "campaign");
    else if (scope == NULL || sg_divisions_find(base->super.app->divisions, scope, strlen(scope)) == NULL)
        sg_reply_error(req, 404, "unknown_division", "scope");
    else if (sg_staff_allow_or_reply(base, scope, SG_ACT_TRANSPORT) && validate_or_reply(p, o, c, scope) == 0)
        ok = 1;
    if (ok) {
        snprintf(p->v.campaign, sizeof(p->v.campaign), "%s", c->id);
        snprintf(p->v.scope, sizeof(p->v.scope), "%s", scope);
        p->v.status = SG_VEHICLE_PLANNED;
        p->v.used = 0;
    }
    cJSON_Delete(o);
    if (ok)
        save(p, false);
    else
        sg_pending_free(p);
}

/* PATCH: the stored vehicle as JSON, the body's fields laid over it, validated as a whole. */
static void patch(struct vehicle_req *p, const struct sg_vehicle *cur)
{
    h2o_req_t *req = p->base.super.req;
    cJSON *o = sg_json_body_or_reply(req, BODY_MAX), *merged = NULL, *item;
    int ok = 0;
    if (o == NULL)
        goto Exit;
    merged = sg_json_vehicle(p->base.super.app, cur);
    cJSON_ArrayForEach(item, o) {
        /* id, campaign, scope and used are not the client's to change */
        if (strcmp(item->string, "id") == 0 || strcmp(item->string, "campaign") == 0 ||
            strcmp(item->string, "scope") == 0 || strcmp(item->string, "used") == 0)
            continue;
        cJSON_DeleteItemFromObjectCaseSensitive(merged, item->string);
        cJSON_AddItemToObject(merged, item->string, cJSON_Duplicate(item, 1));
    }
    const struct sg_campaign *c = sg_app_campaign(p->base.super.app, cur->campaign);
    const char *status = sg_json_string(merged, "status", NULL, NULL);
    int to = sg_vehicle_status_parse(status);
    p->v = *cur;
    if (c == NULL || to < 0) {
        sg_reply_error(req, 422, "invalid", "status");
        goto Exit;
    }
    if (validate_or_reply(p, merged, c, cur->scope) != 0)
        goto Exit;
    if (!sg_vehicle_transition_valid(cur->status, (enum sg_vehicle_status)to)) {
        sg_reply_error(req, 409, "status_transition", "status");
        goto Exit;
    }
    p->trip_field = p->v.type != cur->type                                 ? "type"
                    : strcmp(p->v.dest_city, cur->dest_city) != 0          ? "dest_city"
                    : sg_date_cmp(p->v.depart_date, cur->depart_date) != 0 ? "depart_date"
                                                                           : NULL;
    if (p->trip_field != NULL && cur->used > 0) { /* they were matched to this trip */
        sg_reply_error(req, 409, "has_passengers", p->trip_field);
        goto Exit;
    }
    struct sg_field_errors missing = {0};
    if (cur->status == SG_VEHICLE_PLANNED && to == SG_VEHICLE_BOARDING && !sg_vehicle_ready(&p->v, &missing)) {
        sg_reply_invalid(req, &missing);
        goto Exit;
    }
    p->v.status = (enum sg_vehicle_status)to;
    p->read_status = cur->status;
    ok = 1;
Exit:
    cJSON_Delete(o);
    cJSON_Delete(merged);
    if (ok)
        save(p, true);
    else
        sg_pending_free(p);
}

static void on_vehicle(void *data, int status, const struct sg_vehicle *v)
{
    struct vehicle_req *p = data;
    h2o_req_t *req = p->base.super.req;
    if (req != NULL && status == SG_ENOENT)
        sg_reply_error(req, 404, "not_found", NULL);
    else if (req != NULL && status != 0)
        sg_reply_store_error(req, status);
    else if (req != NULL && sg_staff_allow_or_reply(&p->base, v->scope, SG_ACT_TRANSPORT)) {
        if (sg_method_is(req, "PATCH")) {
            patch(p, v); /* frees p */
            return;
        }
        sg_reply_json(req, 200, sg_json_vehicle(p->base.super.app, v));
    }
    sg_pending_free(p);
}

static void get_one(struct sg_staff_req *base)
{
    struct vehicle_req *p = (struct vehicle_req *)base;
    int ret = sg_store_vehicle_get(base->super.app->store, p->id, on_vehicle, p);
    if (ret != 0) {
        sg_reply_store_error(base->super.req, ret);
        sg_pending_free(p);
    }
}

int sg_vehicle_path_parse(h2o_iovec_t rest, char id[SG_VEHICLE_ID_MAX + 1], h2o_iovec_t *sub)
{
    size_t n = 0;
    while (n < rest.len && rest.base[n] >= '0' && rest.base[n] <= '9')
        ++n;
    if (n == 0 || n > SG_VEHICLE_ID_MAX)
        return -1;
    memcpy(id, rest.base, n);
    id[n] = '\0';
    *sub = h2o_iovec_init(rest.base + n, rest.len - n);
    return 0;
}

static int sub_is(h2o_iovec_t sub, const char *s)
{
    return h2o_memis(sub.base, sub.len, s, strlen(s));
}

/* /api/vehicles/{id}/...: sub starts with '/'. */
static int on_sub(h2o_req_t *req, struct sg_app *app, const char *id, h2o_iovec_t sub)
{
    static const char *const manifests[] = {"/manifest", "/manifest.csv", "/manifest.xlsx", "/manifest.pdf"};
    static const char prefix[] = "/passengers/";
    for (int f = SG_MANIFEST_JSON; f <= SG_MANIFEST_PDF; ++f)
        if (sub_is(sub, manifests[f]))
            return sg__manifest(req, app, id, (enum sg_manifest_format)f);
    if (sub_is(sub, "/boarding"))
        return sg__boarding(req, app, id);
    if (sub_is(sub, "/passengers"))
        return sg__passenger_add(req, app, id);
    if (sub.len > sizeof(prefix) - 1 && memcmp(sub.base, prefix, sizeof(prefix) - 1) == 0)
        return sg__passenger_remove(req, app, id,
                                    h2o_iovec_init(sub.base + sizeof(prefix) - 1, sub.len - sizeof(prefix) + 1));
    sg_reply_error(req, 404, "not_found", NULL);
    return 0;
}

int sg_on_vehicles(h2o_handler_t *self, h2o_req_t *req)
{
    static const char base[] = "/api/vehicles";
    struct sg_app *app = sg_handler_app(self);
    h2o_iovec_t path = req->path_normalized;
    size_t baselen = sizeof(base) - 1;
    if (path.len == baselen || (path.len == baselen + 1 && path.base[baselen] == '/')) {
        struct vehicle_req *p;
        if (!sg_method_is(req, "GET") && !sg_method_is(req, "POST"))
            return sg_reply_method_not_allowed(req, "GET, POST");
        if (sg_method_is(req, "GET"))
            return sg__vehicle_list(req, app);
        p = sg_pending_new(req, app, sizeof(*p));
        sg_staff_begin(&p->base, create);
        return 0;
    }
    char id[SG_VEHICLE_ID_MAX + 1];
    h2o_iovec_t sub;
    if (path.base[baselen] != '/' ||
        sg_vehicle_path_parse(h2o_iovec_init(path.base + baselen + 1, path.len - baselen - 1), id, &sub) != 0) {
        sg_reply_error(req, 404, "not_found", NULL);
        return 0;
    }
    if (sub.len != 0)
        return on_sub(req, app, id, sub);
    if (!sg_method_is(req, "GET") && !sg_method_is(req, "PATCH"))
        return sg_reply_method_not_allowed(req, "GET, PATCH");
    struct vehicle_req *p = sg_pending_new(req, app, sizeof(*p));
    memcpy(p->id, id, sizeof(p->id));
    sg_staff_begin(&p->base, get_one);
    return 0;
}
