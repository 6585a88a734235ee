/* SPDX-License-Identifier: MIT */
/* POST /api/registrations (a worker signs up, alone or with companions) and
 * GET /api/registrations/{code}?phone4=NNNN (a worker looks the sign-up up, masked).
 * JSON in, domain validation, one atomic store call, JSON out. Staff requests on the
 * same paths are dispatched from here to staff_registrations.c and registration_edit.c. */
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

static int is_json(h2o_req_t *req)
{
    ssize_t i = h2o_find_header(&req->headers, H2O_TOKEN_CONTENT_TYPE, -1);
    if (i == -1)
        return 0;
    h2o_iovec_t v = req->headers.entries[i].value;
    static const char want[] = "application/json";
    size_t n = sizeof(want) - 1;
    return v.len >= n && h2o_lcstris(v.base, n, want, n) && (v.len == n || v.base[n] == ';' || v.base[n] == ' ');
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

static void on_saved(void *data, int status, const struct sg_save_result *res)
{
    struct save_pending *p = data;
    h2o_req_t *req = p->super.req;
    if (req == NULL)
        goto Exit;
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
                                  const cJSON *root, bool consent_given, struct sg_registration *out)
{
    struct sg_registration_input in = {0};
    struct sg_field_errors errs = {0}, rules = {0};
    struct sg_validate_ctx ctx = {app->divisions,    app->destinations, app->regions,
                                  sg_app_today(app), c->starts,         c->ends};
    read_input(root, &in, &errs); /* JSON type errors first: they explain a "required" better */
    if (consent_given)
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
    int ret = sg_registration_read_or_reply(req, app, c, root, false, &p->reg);
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
    if (!is_json(req)) {
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
};

static void on_found(void *data, int status, const struct sg_stored_registration *s)
{
    struct get_pending *p = data;
    h2o_req_t *req = p->super.req;
    if (req == NULL)
        goto Exit;
    /* A wrong phone4 answers exactly like an unknown code. */
    if (status == 0 && strlen(s->reg.people[0].phone) == 11 &&
        sodium_memcmp(s->reg.people[0].phone + 7, p->phone4, 4) == 0)
        sg_reply_json(req, 200, sg_json_registration(p->super.app, s, false));
    else if (status == 0 || status == SG_ENOENT)
        sg_reply_error(req, 404, "not_found", NULL);
    else
        sg_reply_store_error(req, status);
Exit:
    sg_pending_free(p);
}

static int on_get(h2o_req_t *req, struct sg_app *app, const char *rest, size_t restlen)
{
    char typed[32], code[SG_CODE_LEN + 1];
    const char *phone4 = sg_query_param(req, "phone4");
    int ok = restlen < sizeof(typed) && phone4 != NULL && strlen(phone4) == 4 && strspn(phone4, "0123456789") == 4;
    if (ok) {
        memcpy(typed, rest, restlen);
        typed[restlen] = '\0';
        ok = sg_code_normalize(typed, code) == 0;
    }
    if (!ok) {
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
