/* SPDX-License-Identifier: MIT */
/* POST /api/vehicles/{id}/passengers {"code"} moves a registration into the vehicle by
 * hand; DELETE /api/vehicles/{id}/passengers/{code} takes it out of that vehicle (back to
 * the open ones, unless it is cancelled). For staff whose scope holds both the vehicle's
 * and the registration's village: either outside answers 403 and nothing about the
 * passenger; a registration not on {id} cannot be taken out of it (404). A group that has
 * checked in or whose vehicle has left stays (409 boarded / departed). Audited, and
 * announced to the transport listeners (service/trip_events.h). */
#include <stdbool.h>
#include <string.h>
#include "domain/code.h"
#include "domain/err.h"
#include "http/core/reply.h"
#include "http/core/request.h"
#include "http/staff/staff.h"
#include "http/transport/transport.h"
#include "service/trip_events.h"
#include "store/transport.h"

struct passenger_req {
    struct sg_staff_req base;
    char id[SG_VEHICLE_ID_MAX + 1];
    char code[SG_CODE_LEN + 1];
    char campaign[SG_CAMPAIGN_ID_MAX + 1];
    char village[SG_DIVISION_CODE_MAX + 1];
    char from[16]; /* the vehicle it was on before a move, "" when open */
};

/* 409 for a refusal the store named (a lock, a trip that does not fit), 404 for one not on the vehicle. */
static void reply_refused(h2o_req_t *req, int status, const char *why)
{
    if (status == SG_EINVAL && strcmp(why, "not_on_vehicle") == 0)
        sg_reply_error(req, 404, "not_found", "code");
    else if (status == SG_EINVAL)
        sg_reply_error(req, 409, why, "code");
    else if (status == SG_EEXIST)
        sg_reply_error(req, 409, "match_busy", NULL);
    else if (status == SG_ENOENT)
        sg_reply_error(req, 404, "not_found", NULL);
    else
        sg_reply_store_error(req, status);
}

static void announce(struct passenger_req *p, enum sg_trip_kind kind, uint32_t seat)
{
    const char *codes[] = {p->code};
    struct sg_trip_change c = {.kind = kind,
                               .campaign = p->campaign,
                               .vehicle = p->id,
                               .from_vehicle = p->from,
                               .codes = codes,
                               .seats = &seat,
                               .n = 1,
                               .by = p->base.session.user};
    sg_trip_changed(p->base.super.app, &c);
}

static void on_moved(void *data, int status, const char *why, uint32_t seat)
{
    struct passenger_req *p = data;
    h2o_req_t *req = p->base.super.req;
    if (status == 0 && strcmp(p->from, p->id) != 0) {
        sg_staff_audit(&p->base, "passenger_move", p->code, p->id);
        announce(p, SG_TRIP_MOVED, seat);
    }
    if (req == NULL) {
        /* gone: the move stands, the audit entry says so */
    } else if (status == 0) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "code", p->code);
        cJSON_AddStringToObject(o, "vehicle", p->id);
        cJSON_AddNumberToObject(o, "seat", seat);
        sg_reply_json(req, 200, o);
    } else {
        reply_refused(req, status, why);
    }
    sg_pending_free(p);
}

static void on_released(void *data, int status, const char *why, uint32_t seat)
{
    struct passenger_req *p = data;
    h2o_req_t *req = p->base.super.req;
    (void)seat;
    if (status == 0) {
        sg_staff_audit(&p->base, "passenger_remove", p->code, p->id);
        announce(p, SG_TRIP_REMOVED, 0);
    }
    if (req != NULL && status == 0) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "code", p->code);
        cJSON_AddNullToObject(o, "vehicle");
        sg_reply_json(req, 200, o);
    } else if (req != NULL) {
        reply_refused(req, status, why);
    }
    sg_pending_free(p);
}

/* The registration is read second: its village must be in the user's scope too. */
static void on_registration(void *data, int status, const struct sg_stored_registration *r)
{
    struct passenger_req *p = data;
    h2o_req_t *req = p->base.super.req;
    struct sg_store *st = p->base.super.app->store;
    int ret = 0;
    bool sent = false;
    if (req != NULL && status == SG_ENOENT) {
        sg_reply_error(req, 404, "not_found", "code");
    } else if (req != NULL && status != 0) {
        sg_reply_store_error(req, status);
    } else if (req != NULL && sg_staff_allow_record_or_reply(&p->base, r->reg.village, SG_ACT_TRANSPORT, "code")) {
        bool add = sg_method_is(req, "POST");
        memcpy(p->village, r->reg.village, sizeof(p->village));
        snprintf(p->from, sizeof(p->from), "%s", r->vehicle);
        if (strcmp(r->campaign, p->campaign) != 0 || (!add && strcmp(r->vehicle, p->id) != 0))
            sg_reply_error(req, 404, "not_found", "code"); /* not on this vehicle: nothing to take out */
        else if ((ret = add ? sg_store_assignment_move(st, p->campaign, p->code, p->id, p->village, on_moved, p)
                            : sg_store_assignment_release(st, p->campaign, p->code, p->id, p->village, true,
                                                          on_released, p)) == 0)
            sent = true;
        else
            sg_reply_store_error(req, ret);
    }
    if (!sent)
        sg_pending_free(p);
}

/* The vehicle is read first: its scope decides before anything of the passenger is looked at. */
static void on_vehicle(void *data, int status, const struct sg_vehicle *v)
{
    struct passenger_req *p = data;
    h2o_req_t *req = p->base.super.req;
    int ret = -1;
    if (req != NULL && status == SG_ENOENT) {
        sg_reply_error(req, 404, "not_found", NULL);
    } else if (req != NULL && status != 0) {
        sg_reply_store_error(req, status);
    } else if (req != NULL && sg_staff_allow_or_reply(&p->base, v->scope, SG_ACT_TRANSPORT)) {
        snprintf(p->campaign, sizeof(p->campaign), "%s", v->campaign);
        if ((ret = sg_store_registration_get(p->base.super.app->store, p->code, on_registration, p)) != 0)
            sg_reply_store_error(req, ret);
    }
    if (ret != 0)
        sg_pending_free(p);
}

static void passengers(struct sg_staff_req *base)
{
    struct passenger_req *p = (struct passenger_req *)base;
    h2o_req_t *req = base->super.req;
    if (sg_method_is(req, "POST")) {
        cJSON *o = sg_json_body_or_reply(req, SG_BODY_SMALL);
        if (o == NULL) {
            sg_pending_free(p);
            return;
        }
        const char *code = sg_json_string(o, "code", NULL, NULL);
        int ok = code != NULL && sg_code_normalize(code, p->code) == 0;
        cJSON_Delete(o);
        if (!ok) {
            sg_reply_error(req, 400, "bad_json", "code");
            sg_pending_free(p);
            return;
        }
    }
    int ret = sg_store_vehicle_get(base->super.app->store, p->id, on_vehicle, p);
    if (ret != 0) {
        sg_reply_store_error(req, ret);
        sg_pending_free(p);
    }
}

int sg__passenger_add(h2o_req_t *req, struct sg_app *app, const char *id)
{
    if (!sg_method_is(req, "POST"))
        return sg_reply_method_not_allowed(req, "POST");
    struct passenger_req *p = sg_pending_new(req, app, sizeof(*p));
    memcpy(p->id, id, sizeof(p->id));
    sg_staff_begin(&p->base, passengers);
    return 0;
}

int sg__passenger_remove(h2o_req_t *req, struct sg_app *app, const char *id, h2o_iovec_t typed)
{
    char buf[SG_CODE_LEN + 1];
    if (typed.len != SG_CODE_LEN) {
        sg_reply_error(req, 404, "not_found", NULL);
        return 0;
    }
    if (!sg_method_is(req, "DELETE"))
        return sg_reply_method_not_allowed(req, "DELETE");
    struct passenger_req *p = sg_pending_new(req, app, sizeof(*p));
    memcpy(p->id, id, sizeof(p->id));
    memcpy(buf, typed.base, SG_CODE_LEN);
    buf[SG_CODE_LEN] = '\0';
    if (sg_code_normalize(buf, p->code) != 0) {
        sg_pending_free(p);
        sg_reply_error(req, 404, "not_found", NULL);
        return 0;
    }
    sg_staff_begin(&p->base, passengers);
    return 0;
}
