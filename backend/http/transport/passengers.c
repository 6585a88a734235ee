/* SPDX-License-Identifier: MIT */
/* POST /api/vehicles/{id}/passengers {"code"} moves a registration into the vehicle by
 * hand; DELETE /api/vehicles/{id}/passengers/{code} takes it out (back to the open ones).
 * For staff whose scope contains the vehicle's; audited. */
#include <string.h>
#include "domain/code.h"
#include "domain/err.h"
#include "http/core/reply.h"
#include "http/core/request.h"
#include "http/staff/staff.h"
#include "http/transport/transport.h"
#include "store/notify.h"
#include "store/transport.h"

struct passenger_req {
    struct sg_staff_req base;
    char id[SG_VEHICLE_ID_MAX + 1];
    char code[SG_CODE_LEN + 1];
};

static void on_moved(void *data, int status, const char *why, uint32_t seat)
{
    struct passenger_req *p = data;
    h2o_req_t *req = p->base.super.req;
    if (status == 0)
        sg_staff_audit(&p->base, "passenger_move", p->code, p->id);
    if (status == 0) /* jobs (issue 17): tell the passenger of the vehicle */
        sg_store_notify_vehicle(p->base.super.app->store, p->id, "moved");
    if (req == NULL) {
        /* gone: the move stands, the audit entry says so */
    } else if (status == 0) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "code", p->code);
        cJSON_AddStringToObject(o, "vehicle", p->id);
        cJSON_AddNumberToObject(o, "seat", seat);
        sg_reply_json(req, 200, o);
    } else if (status == SG_EINVAL)
        sg_reply_error(req, 409, why, "code");
    else if (status == SG_EEXIST)
        sg_reply_error(req, 409, "match_busy", NULL);
    else
        sg_reply_store_error(req, status);
    sg_pending_free(p);
}

static void on_released(void *data, int status)
{
    struct passenger_req *p = data;
    h2o_req_t *req = p->base.super.req;
    if (status == 0)
        sg_staff_audit(&p->base, "passenger_remove", p->code, p->id);
    if (status == 0) /* jobs (issue 17): tell the passenger they were taken off */
        sg_store_notify_vehicle(p->base.super.app->store, p->id, "removed");
    if (req != NULL && status == 0) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "code", p->code);
        cJSON_AddNullToObject(o, "vehicle");
        sg_reply_json(req, 200, o);
    } else if (req != NULL && status == SG_ENOENT) {
        sg_reply_error(req, 404, "not_found", NULL);
    } else if (req != NULL) {
        sg_reply_store_error(req, status);
    }
    sg_pending_free(p);
}

/* The vehicle is read first: its scope decides, and a move needs its campaign. */
static void on_target(void *data, int status, const struct sg_vehicle *v)
{
    struct passenger_req *p = data;
    h2o_req_t *req = p->base.super.req;
    int ret = -1;
    if (req != NULL && status != 0) {
        sg_reply_store_error(req, status);
    } else if (req != NULL && sg_staff_allow_or_reply(&p->base, v->scope, SG_ACT_TRANSPORT)) {
        if (sg_method_is(req, "POST"))
            ret = sg_store_assignment_move(p->base.super.app->store, v->campaign, p->code, v->id, on_moved, p);
        else
            ret = sg_store_assignment_release(p->base.super.app->store, v->campaign, p->code, true, on_released, p);
        if (ret != 0)
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
    int ret = sg_store_vehicle_get(base->super.app->store, p->id, on_target, p);
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
