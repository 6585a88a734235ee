/* SPDX-License-Identifier: MIT */
/* POST /api/checkin/{token}: an escort scans a passenger's QR code and marks the group
 * boarded on its vehicle. POST /api/checkin {"code","vehicle"}: the same from the boarding
 * view without a scan (a passenger whose phone is flat). For staff whose scope contains
 * the passenger's village (checked first: 403 and nothing about them otherwise) and the
 * vehicle's, audited. */
#include <string.h>
#include <sodium.h>
#include "domain/err.h"
#include "http/core/reply.h"
#include "http/core/request.h"
#include "http/core/routes.h"
#include "http/staff/staff.h"
#include "http/transport/transport.h"
#include "store/transport.h"

struct checkin_req {
    struct sg_staff_req base;
    char token[SG_CHECKIN_TOKEN_LEN + 1]; /* "" when checked in by code */
    char code[SG_CODE_LEN + 1];
    char vehicle[SG_VEHICLE_ID_MAX + 1];  /* the passenger's */
    char boarding[SG_VEHICLE_ID_MAX + 1]; /* the one the escort is boarding; "" when not said */
    const char *bad_body;                 /* the gate's error code when the body was refused */
    int bad_status;                       /* and its status */
    struct sg_field_errors errs;          /* what the body lacks (answered after the session check) */
    struct sg_registration reg;
    unsigned seat;
    struct sg_vehicle v;
};

static void free_req(struct checkin_req *p)
{
    sodium_memzero(&p->reg, sizeof(p->reg));
    sg_pending_free(p);
}

/* Each person's seat; on a train also the carriage and the seat in it ("seat" stays the
 * vehicle's running number, as on the boarding view). */
static cJSON *json_people(const struct checkin_req *p)
{
    cJSON *people = cJSON_CreateArray();
    for (size_t i = 0; i != p->reg.npeople; ++i) {
        cJSON *x = cJSON_CreateObject();
        uint32_t seat = p->seat + (uint32_t)i, carriage, in_carriage;
        cJSON_AddStringToObject(x, "name", p->reg.people[i].name);
        cJSON_AddNumberToObject(x, "seat", seat);
        if (p->v.type == SG_VEHICLE_TRAIN && p->v.carriage_size != 0) {
            sg_vehicle_train_seat(p->v.carriage_size, seat, &carriage, &in_carriage);
            cJSON_AddNumberToObject(x, "carriage", carriage);
            cJSON_AddNumberToObject(x, "carriage_seat", in_carriage);
        }
        cJSON_AddItemToArray(people, x);
    }
    return people;
}

static void reply_checked_in(h2o_req_t *req, const struct checkin_req *p, bool again)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "code", p->code);
    cJSON_AddStringToObject(o, "vehicle", p->vehicle);
    cJSON_AddStringToObject(o, "number", p->v.number);
    cJSON_AddStringToObject(o, "type", sg_vehicle_type_name(p->v.type));
    cJSON_AddStringToObject(o, "type_label", sg_vehicle_type_label(p->v.type));
    cJSON_AddBoolToObject(o, "again", again);
    cJSON_AddItemToObject(o, "people", json_people(p));
    sg_reply_json(req, 200, o);
}

/* 409 naming the vehicle the passenger is really on (in the escort's scope: checked before). */
static void reply_wrong_vehicle(h2o_req_t *req, const struct checkin_req *p)
{
    cJSON *o = cJSON_CreateObject(), *e = cJSON_AddObjectToObject(o, "error");
    cJSON *v = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "code", "wrong_vehicle");
    cJSON_AddStringToObject(e, "message", sg_message("wrong_vehicle"));
    cJSON_AddStringToObject(v, "id", p->v.id);
    cJSON_AddStringToObject(v, "number", p->v.number);
    cJSON_AddStringToObject(v, "type_label", sg_vehicle_type_label(p->v.type));
    cJSON_AddItemToObject(e, "vehicle", v);
    cJSON_AddItemToObject(e, "people", json_people(p));
    sg_reply_json(req, 409, o);
}

static void on_checked_in(void *data, int status, bool again, const char *why)
{
    struct checkin_req *p = data;
    h2o_req_t *req = p->base.super.req;
    if (status == 0) {
        char detail[64];
        snprintf(detail, sizeof(detail), "%s%s", p->vehicle, p->token[0] != '\0' ? "" : " by code");
        sg_staff_audit(&p->base, "checkin", p->code, detail);
    }
    if (req != NULL && status == 0)
        reply_checked_in(req, p, again);
    else if (req != NULL && status == SG_EINVAL)
        sg_reply_error(req, 409, why, NULL);
    else if (req != NULL && status == SG_ENOENT)
        sg_reply_error(req, 404, "not_found", NULL);
    else if (req != NULL)
        sg_reply_store_error(req, status);
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
        p->v = *v;
        if (p->boarding[0] != '\0' && strcmp(p->boarding, v->id) != 0)
            reply_wrong_vehicle(req, p);
        else if ((ret = sg_store_checkin(p->base.super.app->store, p->code, v->id, on_checked_in, p)) != 0)
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
    if (req != NULL && status == 0 && !sg_scope_contains(p->base.session.scope, r->reg.village)) {
        /* Outside the scope nothing is said, not even whether the group has a seat. By code
         * (guessable) it is the answer for no such code; a scanned token is the group's own,
         * proven by its holder: that one hears whose it is not. */
        if (p->token[0] != '\0')
            sg_reply_error(req, 403, "forbidden", NULL);
        else
            sg_reply_error(req, 404, "not_found", NULL);
    } else if (req != NULL && status == 0 && r->vehicle[0] == '\0') {
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
    if (p->bad_body != NULL)
        sg_reply_error(base->super.req, p->bad_status, p->bad_body, NULL);
    else if (p->errs.n != 0)
        sg_reply_invalid(base->super.req, &p->errs);
    else if (p->token[0] != '\0' && !sg_store_checkin_token_open(app->store, p->token, p->code))
        sg_reply_error(base->super.req, 404, "not_found", NULL);
    else if ((ret = sg_store_registration_get(app->store, p->code, on_registration, p)) != 0)
        sg_reply_store_error(base->super.req, ret);
    if (ret != 0)
        free_req(p);
}

/* A vehicle id as the API gives them: 1-15 digits. */
static bool vehicle_id_valid(const char *s)
{
    size_t n = strlen(s);
    return n != 0 && n <= SG_VEHICLE_ID_MAX && strspn(s, "0123456789") == n;
}

/* The body into p: {"vehicle"} (optional with a token: the vehicle the escort is boarding,
 * so that a passenger of another one is told apart), {"code","vehicle"} (both required)
 * without a token. Refusals wait in p until the session is checked. */
static void read_body(h2o_req_t *req, struct checkin_req *p, bool by_code)
{
    cJSON *o = NULL;
    if ((p->bad_status = sg_json_body(req, SG_BODY_SMALL, &o, &p->bad_body)) != 0)
        return;
    const cJSON *vehicle = cJSON_GetObjectItemCaseSensitive(o, "vehicle");
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(o, "code");
    if (cJSON_IsString(vehicle) && vehicle_id_valid(vehicle->valuestring))
        snprintf(p->boarding, sizeof(p->boarding), "%s", vehicle->valuestring);
    else if (vehicle != NULL || by_code)
        sg_field_errors_add(&p->errs, "vehicle", vehicle != NULL ? "type" : "required");
    if (by_code && !(cJSON_IsString(code) && sg_code_normalize(code->valuestring, p->code) == 0))
        sg_field_errors_add(&p->errs, "code", code != NULL ? "type" : "required");
    cJSON_Delete(o);
}

int sg_checkin_path_parse(h2o_iovec_t path, char token[SG_CHECKIN_TOKEN_LEN + 1])
{
    static const char base[] = "/api/checkin";
    size_t n = sizeof(base) - 1;
    token[0] = '\0';
    if (path.len == n && memcmp(path.base, base, n) == 0)
        return 1;
    if (path.len != n + 1 + SG_CHECKIN_TOKEN_LEN || memcmp(path.base, base, n) != 0 || path.base[n] != '/')
        return -1;
    memcpy(token, path.base + n + 1, SG_CHECKIN_TOKEN_LEN);
    token[SG_CHECKIN_TOKEN_LEN] = '\0';
    return 0;
}

int sg_on_checkin(h2o_handler_t *self, h2o_req_t *req)
{
    char token[SG_CHECKIN_TOKEN_LEN + 1];
    int by_code = sg_checkin_path_parse(req->path_normalized, token);
    if (by_code < 0) {
        sg_reply_error(req, 404, "not_found", NULL);
        return 0;
    }
    if (!sg_method_is(req, "POST"))
        return sg_reply_method_not_allowed(req, "POST");
    struct checkin_req *p = sg_pending_new(req, sg_handler_app(self), sizeof(*p));
    memcpy(p->token, token, sizeof(p->token));
    read_body(req, p, by_code);
    sg_staff_begin(&p->base, check_in);
    return 0;
}
