/* SPDX-License-Identifier: MIT */
/* POST /api/registrations: a worker signs up, alone or with companions. JSON in, domain
 * validation, one atomic store call, JSON out. The reading and validation of the body
 * and the answer to a save are shared with the staff's face-to-face entry
 * (staff_entry.c). */
#include <string.h>
#include <time.h>
#include <sodium.h>
#include "domain/err.h"
#include "http/core/limits.h"
#include "http/core/metrics.h"
#include "http/core/pending.h"
#include "http/core/reply.h"
#include "http/core/request.h"
#include "http/registrations/registrations.h"
#include "store/store.h"

struct save_pending {
    struct sg_pending super;
    struct sg_registration reg;
    char address[48]; /* the client's: its sign-up counter */
};

/* A person's fields; an error names the field with prefix in front ("companions[2].phone"),
 * the name made only then (every sign-up reads its people here). */
static void read_person(const cJSON *obj, const char *prefix, struct sg_person_input *p, struct sg_field_errors *errs)
{
    size_t before = errs->n;
    p->name = sg_json_string(obj, "name", NULL, errs);
    p->id_number = sg_json_string(obj, "id_number", NULL, errs);
    p->phone = sg_json_string(obj, "phone", NULL, errs);
    p->poverty = sg_json_string(obj, "poverty", NULL, errs);
    p->low_income = sg_json_bool(obj, "low_income", NULL, errs) == 1;
    for (size_t i = before; i < errs->n && prefix[0] != '\0'; ++i) {
        char field[sizeof(errs->e[i].field)];
        snprintf(field, sizeof(field), "%s%s", prefix, errs->e[i].field);
        memcpy(errs->e[i].field, field, sizeof(field));
    }
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

void sg_registration_input_read(const cJSON *root, struct sg_registration_input *in, struct sg_field_errors *errs)
{
    in->village = sg_json_string(root, "village", NULL, errs);
    in->dest_city = sg_json_string(root, "dest_city", NULL, errs);
    in->employer = sg_json_string(root, "employer", NULL, errs);
    in->depart_date = sg_json_string(root, "depart_date", NULL, errs);
    in->mode = sg_json_string(root, "mode", NULL, errs);
    in->job_confirmed = sg_json_bool(root, "job_confirmed", NULL, errs);
    in->flex_days = sg_json_count(root, "flex_days", NULL, 999, errs);
    in->consent = sg_json_bool(root, "consent", NULL, errs) == 1;
    in->employer_id = sg_json_string(root, "employer_id", NULL, errs); /* jobs (issue 17) */
    in->seek_job = sg_json_bool(root, "seek_job", NULL, errs);
    in->work = sg_json_string(root, "work", NULL, errs);
    read_person(root, "", &in->people[0], errs);
    read_companions(root, in, errs);
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
    if (status == SG_ELIMITED) {
        sg_reply_limited(req, 429, "rate_limited", res->retry_after_s);
        return;
    }
    if (status == SG_ECONFLICT) {
        sg_reply_error(req, 422, "idempotency_mismatch", "Idempotency-Key");
        return;
    }
    if (status != 0 && status != SG_EEXIST && res->idem_key[0] != '\0') {
        /* the key the attempt ran under: a retry with it finds out what became of it */
        h2o_iovec_t k = h2o_strdup(&req->pool, res->idem_key, strlen(res->idem_key));
        h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("idempotency-key"), 0, NULL, k.base, k.len);
    }
    if (status == SG_ECANCELED) { /* settled: not stored, and never will be */
        sg_reply_5xx(req, 503, "unavailable", "Redis's answer was lost; the attempt was settled as not stored");
        return;
    }
    if (status == 0) {
        if (!res->replayed)
            sg_metrics_signup();
        /* {"code":"...","people":N} by hand: every sign-up answers it (the code is 8 letters
         * and digits, people 1 to 10) */
        char body[64];
        size_t n = 0;
        memcpy(body, "{\"code\":\"", 9), n = 9;
        memcpy(body + n, res->code, SG_CODE_LEN), n += SG_CODE_LEN;
        memcpy(body + n, "\",\"people\":", 11), n += 11;
        if (res->people >= 10)
            body[n++] = (char)('0' + res->people / 10 % 10);
        body[n++] = (char)('0' + res->people % 10);
        body[n++] = '}';
        sg_reply_json_text(req, 201, body, n);
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
    sg_registration_input_read(root, &in, &errs); /* JSON type errors first: they explain a "required" better */
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
    sg_client_address(req, p->address);
    struct sg_limit limit = sg_limit_of(app, SG_LIMIT_SIGNUP, p->address);
    struct sg_save_options o = {.idem_key = idem, .limit = &limit};
    int ret = sg_registration_read_or_reply(req, app, c, root, 0, &p->reg);
    if (ret == 0 && (ret = sg_store_registration_save(app->store, c->id, &p->reg, &o, sg_app_now_ms(),
                                                      sg_app_today(app), on_saved, p)) != 0)
        sg_reply_store_error(req, ret);
    if (ret != 0) {
        sodium_memzero(&p->reg, sizeof(p->reg));
        sg_pending_free(p);
    }
}

int sg__registration_signup(h2o_req_t *req, struct sg_app *app)
{
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
    cJSON *root = sg_json_body_or_reply(req, SG_BODY_FORM);
    if (root != NULL)
        validate_and_save(req, app, c, root, idem);
    cJSON_Delete(root);
    return 0;
}
