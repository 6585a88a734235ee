/* SPDX-License-Identifier: MIT */
/* POST /api/registrations (a worker signs up, alone or with companions) and
 * GET /api/registrations/{code}?phone4=NNNN (a worker looks the sign-up up, masked);
 * the worker's own cancel is in cancel.c. JSON in, domain validation, one atomic store
 * call, JSON out. Staff requests on the same paths are dispatched from here to
 * staff_registrations.c and registration_edit.c. */
#include <string.h>
#include <time.h>
#include <sodium.h>
#include "domain/code.h"
#include "domain/err.h"
#include "domain/mask.h"
#include "http/app.h"
#include "http/pending.h"
#include "http/reply.h"
#include "http/routes.h"
#include "http/staff.h"
#include "store/store.h"
#include "store/transport.h"

#define BODY_MAX (16 * 1024)
#define IDEM_MIN 8
#define IDEM_MAX 64

struct save_pending {
    struct sg_pending super;
    struct sg_registration reg;
};

/* A string member; NULL when missing or null, a "type" error when of another JSON type. */
static const char *get_string(const cJSON *obj, const char *name, const char *field, struct sg_field_errors *errs)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (item == NULL || cJSON_IsNull(item))
        return NULL;
    if (!cJSON_IsString(item)) {
        sg_field_errors_add(errs, field, "type");
        return NULL;
    }
    return item->valuestring;
}

static int get_bool(const cJSON *obj, const char *name, struct sg_field_errors *errs)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (item == NULL || cJSON_IsNull(item))
        return -1;
    if (!cJSON_IsBool(item)) {
        sg_field_errors_add(errs, name, "type");
        return -1;
    }
    return cJSON_IsTrue(item) ? 1 : 0;
}

static long get_small_int(const cJSON *obj, const char *name, struct sg_field_errors *errs)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (item == NULL || cJSON_IsNull(item))
        return -1;
    if (!cJSON_IsNumber(item)) {
        sg_field_errors_add(errs, name, "type");
        return -1;
    }
    double v = item->valuedouble;
    return v >= 0 && v <= 1000 && v == (double)(long)v ? (long)v : 1000; /* out of range: the domain says so */
}

static void read_person(const cJSON *obj, const char *prefix, struct sg_person_input *p, struct sg_field_errors *errs)
{
    char field[40];
    snprintf(field, sizeof(field), "%sname", prefix);
    p->name = get_string(obj, "name", field, errs);
    snprintf(field, sizeof(field), "%sid_number", prefix);
    p->id_number = get_string(obj, "id_number", field, errs);
    snprintf(field, sizeof(field), "%sphone", prefix);
    p->phone = get_string(obj, "phone", field, errs);
    snprintf(field, sizeof(field), "%spoverty", prefix);
    p->poverty = get_string(obj, "poverty", field, errs);
}

static void read_companions(const cJSON *root, struct sg_registration_input *in, struct sg_field_errors *errs)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "companions"), *item;
    in->npeople = 1;
    if (list == NULL || cJSON_IsNull(list))
        return;
    if (!cJSON_IsArray(list)) {
        sg_field_errors_add(errs, "companions", "type");
        return;
    }
    if (cJSON_GetArraySize(list) > SG_MAX_COMPANIONS) {
        sg_field_errors_add(errs, "companions", "too_many_companions");
        return;
    }
    cJSON_ArrayForEach(item, list) {
        char prefix[24];
        snprintf(prefix, sizeof(prefix), "companions[%zu].", in->npeople - 1);
        if (!cJSON_IsObject(item)) {
            prefix[strlen(prefix) - 1] = '\0';
            sg_field_errors_add(errs, prefix, "type");
            continue;
        }
        read_person(item, prefix, &in->people[in->npeople++], errs);
    }
}

static void read_input(const cJSON *root, struct sg_registration_input *in, struct sg_field_errors *errs)
{
    in->village = get_string(root, "village", "village", errs);
    in->dest_city = get_string(root, "dest_city", "dest_city", errs);
    in->employer = get_string(root, "employer", "employer", errs);
    in->depart_date = get_string(root, "depart_date", "depart_date", errs);
    in->mode = get_string(root, "mode", "mode", errs);
    in->job_confirmed = get_bool(root, "job_confirmed", errs);
    in->flex_days = get_small_int(root, "flex_days", errs);
    in->consent = get_bool(root, "consent", errs) == 1;
    read_person(root, "", &in->people[0], errs);
    read_companions(root, in, errs);
}

/* The optional Idempotency-Key: "" when absent, NULL when malformed. */
const char *sg_idempotency_key(h2o_req_t *req)
{
    ssize_t i = h2o_find_header_by_str(&req->headers, H2O_STRLIT("idempotency-key"), -1);
    if (i == -1)
        return "";
    h2o_iovec_t v = req->headers.entries[i].value;
    if (v.len < IDEM_MIN || v.len > IDEM_MAX)
        return NULL;
    for (size_t j = 0; j != v.len; ++j) {
        char c = v.base[j];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            return NULL;
    }
    return h2o_strdup(&req->pool, v.base, v.len).base;
}

void sg_reply_duplicate(h2o_req_t *req, int person)
{
    char field[40];
    if (person <= 0)
        snprintf(field, sizeof(field), "id_number");
    else
        snprintf(field, sizeof(field), "companions[%d].id_number", person - 1);
    sg_reply_error(req, 409, "duplicate", field);
}

void sg_reply_saved(h2o_req_t *req, int status, const struct sg_save_result *res)
{
    if (status == 0) {
        cJSON *root = cJSON_CreateObject();
        cJSON_AddStringToObject(root, "code", res->code);
        cJSON_AddNumberToObject(root, "people", (double)res->people);
        sg_reply_json(req, 201, root);
    } else if (status == SG_EEXIST) {
        sg_reply_duplicate(req, res->duplicate_person);
    } else {
        sg_reply_store_error(req, status);
    }
}

static void on_saved(void *data, int status, const struct sg_save_result *res)
{
    struct save_pending *p = data;
    h2o_req_t *req = p->super.req;
    if (req == NULL)
        goto Exit;
    sg_reply_saved(req, status, res);
Exit:
    sodium_memzero(&p->reg, sizeof(p->reg));
    sg_pending_free(p);
}

static int has_error(const struct sg_field_errors *errs, const char *code)
{
    for (size_t i = 0; i != errs->n; ++i)
        if (strcmp(errs->e[i].code, code) == 0)
            return 1;
    return 0;
}

int sg_registration_read_or_reply(h2o_req_t *req, const struct sg_app *app, const struct sg_campaign *c,
                                  const cJSON *root, unsigned how, struct sg_registration *out)
{
    struct sg_registration_input in = {0};
    struct sg_field_errors errs = {0}, rules = {0};
    struct sg_validate_ctx ctx = {.divisions = app->divisions,
                                  .destinations = app->destinations,
                                  .regions = app->regions,
                                  .today = sg_app_today(app),
                                  .starts = c->starts,
                                  .ends = c->ends,
                                  .worker_phone_optional = (how & SG_READ_BY_STAFF) != 0};
    read_input(root, &in, &errs); /* JSON type errors first: they explain a "required" better */
    if (how & SG_READ_CONSENT_GIVEN)
        in.consent = 1;
    sg_registration_validate(&in, &ctx, out, &rules);
    for (size_t i = 0; i != rules.n; ++i)
        sg_field_errors_add(&errs, rules.e[i].field, rules.e[i].code);
    if (has_error(&errs, "unknown_village"))
        sg_reply_error(req, 404, "unknown_village", "village");
    else if (errs.n != 0)
        sg_reply_invalid(req, &errs);
    return errs.n != 0 ? SG_EINVAL : 0;
}

static void validate_and_save(h2o_req_t *req, struct sg_app *app, const struct sg_campaign *c, const cJSON *root,
                              const char *idem)
{
    struct save_pending *p = sg_pending_new(req, app, sizeof(*p));
    int ret = sg_registration_read_or_reply(req, app, c, root, 0, &p->reg);
    if (ret == 0 && (ret = sg_store_registration_save(app->store, c->id, &p->reg, idem, NULL, sg_app_now_ms(),
                                                      sg_app_today(app), on_saved, p)) != 0)
        sg_reply_store_error(req, ret);
    if (ret != 0) {
        sodium_memzero(&p->reg, sizeof(p->reg));
        sg_pending_free(p);
    }
}

cJSON *sg_registration_body_or_reply(h2o_req_t *req)
{
    if (!sg_request_is_json(req)) {
        sg_reply_error(req, 415, "unsupported_media_type", NULL);
        return NULL;
    }
    if (req->entity.len > BODY_MAX) {
        sg_reply_error(req, 413, "too_large", NULL);
        return NULL;
    }
    cJSON *root = cJSON_ParseWithLength(req->entity.base != NULL ? req->entity.base : "", req->entity.len);
    if (root == NULL || !cJSON_IsObject(root)) {
        cJSON_Delete(root);
        sg_reply_error(req, 400, "bad_json", NULL);
        return NULL;
    }
    return root;
}

static int on_post(h2o_req_t *req, struct sg_app *app)
{
    /* Staff entering a worker face to face send their session's CSRF token; workers never do. */
    if (h2o_find_header_by_str(&req->headers, H2O_STRLIT("x-csrf-token"), -1) != -1)
        return sg_on_staff_entry(req, app);
    const char *idem = sg_idempotency_key(req);
    if (idem == NULL) {
        sg_reply_error(req, 400, "bad_idempotency_key", "Idempotency-Key");
        return 0;
    }
    const struct sg_campaign *c = sg_app_active_campaign(app);
    if (c == NULL) {
        sg_reply_error(req, 403, "campaign_closed", NULL);
        return 0;
    }
    cJSON *root = sg_registration_body_or_reply(req);
    if (root != NULL)
        validate_and_save(req, app, c, root, idem);
    cJSON_Delete(root);
    return 0;
}

struct get_pending {
    struct sg_pending super;
    char phone4[5];
    cJSON *json; /* the registration, waiting for its vehicle */
    size_t npeople;
    unsigned seat;
    char code[SG_CODE_LEN + 1];
    char village[SG_DIVISION_CODE_MAX + 1]; /* where the group boards (sg_vehicle_stop_for) */
};

/* Where the group sits: the vehicle, each person's seat (carriage + seat on a train), the
 * pickup stop serving its village, the escort's phone (the worker needs to call the escort). */
static cJSON *json_assignment(const struct sg_app *app, const struct get_pending *p, const struct sg_vehicle *v)
{
    const char *code = p->code;
    unsigned seat = p->seat;
    size_t npeople = p->npeople;
    const struct sg_stop *stop = v->nstops != 0 ? &v->stops[sg_vehicle_stop_for(v, p->village)] : NULL;
    char token[SG_CHECKIN_TOKEN_LEN + 1], url[512];
    char date[11];
    cJSON *o = cJSON_CreateObject(), *seats = cJSON_CreateArray();
    sg_date_format(v->depart_date, date);
    cJSON_AddStringToObject(o, "vehicle", v->id);
    cJSON_AddStringToObject(o, "type", sg_vehicle_type_name(v->type));
    cJSON_AddStringToObject(o, "type_label", sg_vehicle_type_label(v->type));
    cJSON_AddStringToObject(o, "number", v->number);
    cJSON_AddStringToObject(o, "status", sg_vehicle_status_name(v->status));
    for (size_t i = 0; i != npeople; ++i) {
        uint32_t carriage, s;
        sg_vehicle_train_seat(v->carriage_size, seat + (uint32_t)i, &carriage, &s);
        cJSON *x = cJSON_CreateObject();
        if (v->type == SG_VEHICLE_TRAIN)
            cJSON_AddNumberToObject(x, "carriage", carriage);
        cJSON_AddNumberToObject(x, "seat", s);
        cJSON_AddItemToArray(seats, x);
    }
    cJSON_AddItemToObject(o, "seats", seats);
    cJSON_AddStringToObject(o, "depart_date", date);
    cJSON_AddStringToObject(o, "depart_time", v->depart_time);
    cJSON_AddStringToObject(o, "pickup", stop != NULL ? stop->name : "");
    cJSON_AddStringToObject(o, "pickup_time", stop != NULL ? stop->time : "");
    cJSON_AddStringToObject(o, "escort_name", v->escort_name);
    cJSON_AddStringToObject(o, "escort_phone", v->escort_phone);
    /* shown as a QR code on the status page; the escort's phone opens it to check in */
    sg_store_checkin_token(app->store, code, token);
    snprintf(url, sizeof(url), "%s/staff/checkin.html#%s", app->public_url, token);
    cJSON *c = cJSON_AddObjectToObject(o, "checkin");
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
            cJSON_ReplaceItemInObjectCaseSensitive(p->json, "assignment", json_assignment(p->super.app, p, v));
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
        p->json = sg_json_registration(p->super.app, s, false); /* "assignment": null until a vehicle is found */
        p->npeople = s->reg.npeople;
        p->seat = s->seat;
        memcpy(p->code, s->code, sizeof(p->code));
        memcpy(p->village, s->reg.village, sizeof(p->village));
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

int sg__registration_proof_ok(const struct sg_stored_registration *s, const char *phone4)
{
    const char *phone = s->reg.people[0].phone;
    return strlen(phone) == 11 && sodium_memcmp(phone + 7, phone4, 4) == 0;
}

int sg__registration_code(const char *typed, size_t len, const char *phone4, char code[SG_CODE_LEN + 1])
{
    char buf[32];
    if (len >= sizeof(buf) || phone4 == NULL || strlen(phone4) != 4 || strspn(phone4, "0123456789") != 4)
        return SG_EINVAL;
    memcpy(buf, typed, len);
    buf[len] = '\0';
    return sg_code_normalize(buf, code) == 0 ? 0 : SG_EINVAL;
}

static int on_get(h2o_req_t *req, struct sg_app *app, const char *rest, size_t restlen)
{
    char code[SG_CODE_LEN + 1];
    const char *phone4 = sg_query_param(req, "phone4");
    if (sg__registration_code(rest, restlen, phone4, code) != 0) {
        sg_reply_error(req, 404, "not_found", NULL);
        return 0;
    }
    struct get_pending *p = sg_pending_new(req, app, sizeof(*p));
    memcpy(p->phone4, phone4, 5);
    int ret = sg_store_registration_get(app->store, code, on_found, p);
    if (ret != 0) {
        sg_pending_free(p);
        sg_reply_store_error(req, ret);
    }
    return 0;
}

static int action_is_none(const char *rest, size_t restlen)
{
    return memchr(rest, '/', restlen) == NULL;
}

/* "{code}" or "{code}/{action}" after "/api/registrations/": the code normalized into code. */
static int split_rest(const char *rest, size_t restlen, char code[SG_CODE_LEN + 1], h2o_iovec_t *action)
{
    char typed[32];
    const char *slash = memchr(rest, '/', restlen);
    size_t n = slash != NULL ? (size_t)(slash - rest) : restlen;
    *action = slash != NULL ? h2o_iovec_init(slash + 1, restlen - n - 1) : h2o_iovec_init(NULL, 0);
    if (n >= sizeof(typed))
        return SG_EINVAL;
    memcpy(typed, rest, n);
    typed[n] = '\0';
    return sg_code_normalize(typed, code);
}

/* /api/registrations/{code}[/action]: the worker's lookup (with ?phone4) or staff work. */
static int on_one(h2o_req_t *req, struct sg_app *app, const char *rest, size_t restlen)
{
    char code[SG_CODE_LEN + 1];
    h2o_iovec_t action;
    int get = sg_method_is(req, "GET") || sg_method_is(req, "HEAD");
    /* Without a session it is the worker's lookup, exactly as before (404 without phone4). */
    if (get && action_is_none(rest, restlen) && (sg_query_param(req, "phone4") != NULL || !sg_staff_has_session(req)))
        return on_get(req, app, rest, restlen);
    if (split_rest(rest, restlen, code, &action) != 0) {
        sg_reply_error(req, 404, "not_found", NULL);
        return 0;
    }
    const char *c = h2o_strdup(&req->pool, code, SG_CODE_LEN).base;
    if (action.len == 0 && get)
        return sg_on_staff_detail(req, app, c);
    if (action.len == 0 && sg_method_is(req, "PATCH"))
        return sg_on_staff_edit(req, app, c);
    if (action.len == 0)
        return sg_reply_method_not_allowed(req, "GET, HEAD, PATCH");
    if (!h2o_memis(action.base, action.len, H2O_STRLIT("cancel")) &&
        !h2o_memis(action.base, action.len, H2O_STRLIT("flag-checked"))) {
        sg_reply_error(req, 404, "not_found", NULL);
        return 0;
    }
    if (!sg_method_is(req, "POST"))
        return sg_reply_method_not_allowed(req, "POST");
    return action.base[0] == 'c' ? sg_on_cancel(req, app, c) : sg_on_flag_checked(req, app, c);
}

int sg_on_registrations(h2o_handler_t *self, h2o_req_t *req)
{
    struct sg_app *app = sg_handler_app(self);
    static const char base[] = "/api/registrations";
    h2o_iovec_t path = req->path_normalized;
    size_t baselen = sizeof(base) - 1;
    if (path.len == baselen || (path.len == baselen + 1 && path.base[baselen] == '/')) {
        if (sg_method_is(req, "POST"))
            return on_post(req, app);
        if (sg_method_is(req, "GET") || sg_method_is(req, "HEAD"))
            return sg_on_staff_list(req, app);
        return sg_reply_method_not_allowed(req, "GET, HEAD, POST");
    }
    if (path.base[baselen] != '/')
        return -1;
    return on_one(req, app, path.base + baselen + 1, path.len - baselen - 1);
}
