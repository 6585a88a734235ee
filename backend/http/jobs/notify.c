/* SPDX-License-Identifier: MIT */
/* /api/notify: GET (the outbox's figures: events, queued, waiting, dead letters,
 * opt-outs), GET /dead?scope= (the messages given up on in a scope: masked phone, code,
 * why), POST /dead/{mid}/retry {"scope"} (send one again; audited), and POST /reply (a
 * worker's reply forwarded by the SMS platform or its bridge, signed like the webhook:
 * X-Songgong-Timestamp and X-Songgong-Signature over timestamp "." body; TD opts out). */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sodium.h>
#include "domain/err.h"
#include "domain/notify.h"
#include "domain/text.h"
#include "http/core/json.h"
#include "http/core/reply.h"
#include "http/core/request.h"
#include "http/core/routes.h"
#include "http/jobs/jobs.h"
#include "service/sms_sign.h"
#include "store/notify.h"

#define REPLY_SKEW_S 300

struct notify_req {
    struct sg_staff_req base;
    char mid[24];
    char scope[SG_DIVISION_CODE_MAX + 1];
};

static void on_figures(void *data, int status, const struct sg_notify_figures *f)
{
    struct sg_staff_req *p = data;
    h2o_req_t *req = p->super.req;
    if (req != NULL && status != 0)
        sg_reply_store_error(req, status);
    else if (req != NULL) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "events", (double)f->events);
        cJSON_AddNumberToObject(o, "outbox", (double)f->outbox);
        cJSON_AddNumberToObject(o, "waiting", (double)f->delayed);
        cJSON_AddNumberToObject(o, "dead", (double)f->dead);
        cJSON_AddNumberToObject(o, "opted_out", (double)f->optouts);
        sg_reply_json(req, 200, o);
    }
    sg_pending_free(p);
}

static void figures(struct sg_staff_req *p)
{
    if (sg_scope_param_or_reply(p, SG_ACT_VIEW) == NULL) {
        sg_pending_free(p);
        return;
    }
    int ret = sg_store_notify_figures(p->super.app->store, on_figures, p);
    if (ret != 0) {
        sg_reply_store_error(p->super.req, ret);
        sg_pending_free(p);
    }
}

static void on_dead(void *data, int status, const struct sg_notify_dead *d, size_t n)
{
    struct sg_staff_req *p = data;
    h2o_req_t *req = p->super.req;
    if (req != NULL && status != 0)
        sg_reply_store_error(req, status);
    else if (req != NULL) {
        cJSON *root = cJSON_CreateObject(), *list = cJSON_AddArrayToObject(root, "dead");
        for (size_t i = 0; i != n; ++i) {
            cJSON *o = cJSON_CreateObject();
            char at[32];
            sg_format_time(d[i].dead_ms, at);
            cJSON_AddStringToObject(o, "id", d[i].mid);
            cJSON_AddStringToObject(o, "scope", d[i].scope);
            cJSON_AddStringToObject(o, "code", d[i].code);
            cJSON_AddStringToObject(o, "template", d[i].kind);
            cJSON_AddStringToObject(o, "phone", d[i].masked);
            cJSON_AddStringToObject(o, "error", d[i].error);
            cJSON_AddStringToObject(o, "push", d[i].push);
            cJSON_AddStringToObject(o, "vehicle", d[i].vehicle);
            cJSON_AddNumberToObject(o, "attempts", d[i].attempts);
            cJSON_AddStringToObject(o, "at", at);
            cJSON_AddItemToArray(list, o);
        }
        sg_reply_json(req, 200, root);
    }
    sg_pending_free(p);
}

static void dead(struct sg_staff_req *p)
{
    const char *scope = sg_scope_param_or_reply(p, SG_ACT_VIEW);
    int ret = scope != NULL ? sg_store_notify_dead_list(p->super.app->store, scope, on_dead, p) : 0;
    if (ret != 0)
        sg_reply_store_error(p->super.req, ret);
    if (scope == NULL || ret != 0)
        sg_pending_free(p);
}

static void on_revived(void *data, int status)
{
    struct notify_req *p = data;
    h2o_req_t *req = p->base.super.req;
    if (status == 0)
        sg_staff_audit(&p->base, "notify_retry", p->mid, p->scope);
    if (req != NULL && status == 0) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "id", p->mid);
        cJSON_AddStringToObject(o, "status", "queued");
        sg_reply_json(req, 200, o);
    } else if (req != NULL) {
        sg_reply_store_error(req, status);
    }
    sg_pending_free(p);
}

static void revive(struct sg_staff_req *base)
{
    struct notify_req *p = (struct notify_req *)base;
    h2o_req_t *req = base->super.req;
    cJSON *o = sg_json_body_or_reply(req, SG_BODY_SMALL);
    const char *scope = o != NULL ? sg_json_string(o, "scope", NULL, NULL) : NULL;
    int ret = -1;
    if (o != NULL && (scope == NULL || !sg__digits(scope, strlen(scope), SG_DIVISION_CODE_MAX)))
        sg_reply_error(req, 422, "required", "scope");
    else if (o != NULL && sg_staff_allow_or_reply(base, scope, SG_ACT_EDIT)) {
        snprintf(p->scope, sizeof(p->scope), "%s", scope);
        if ((ret = sg_store_notify_revive(base->super.app->store, p->scope, p->mid, on_revived, p)) != 0)
            sg_reply_store_error(req, ret);
    }
    cJSON_Delete(o);
    if (ret != 0)
        sg_pending_free(p);
}

/* ---- replies from workers ------------------------------------------------------------------- */

static bool header(h2o_req_t *req, const char *name, char *out, size_t size)
{
    ssize_t i = h2o_find_header_by_str(&req->headers, name, strlen(name), -1);
    if (i < 0 || req->headers.entries[i].value.len >= size)
        return false;
    memcpy(out, req->headers.entries[i].value.base, req->headers.entries[i].value.len);
    out[req->headers.entries[i].value.len] = '\0';
    return true;
}

static bool signed_ok(h2o_req_t *req, const struct sg_app *app)
{
    char ts[24], sig[80], want[72];
    if (app->notify_secret == NULL || !header(req, "x-songgong-timestamp", ts, sizeof(ts)) ||
        !header(req, "x-songgong-signature", sig, sizeof(sig)) || strlen(sig) != 71)
        return false;
    long t = strtol(ts, NULL, 10), now = (long)time(NULL);
    if (t < now - REPLY_SKEW_S || t > now + REPLY_SKEW_S)
        return false;
    sg_webhook_sign(app->notify_secret, app->notify_secret_len, ts, req->entity.base, req->entity.len, want);
    return sodium_memcmp(sig, want, 71) == 0;
}

struct reply_req {
    struct sg_pending super;
    size_t left, opted;
};

static void on_optout(void *data, int status)
{
    struct reply_req *p = data;
    p->opted += status >= 0;
    if (--p->left != 0)
        return;
    if (p->super.req != NULL) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "opted_out", (double)p->opted);
        sg_reply_json(p->super.req, 200, o);
    }
    sg_pending_free(p);
}

/* The body {phone, text}, or {"replies":[{mobile, text}, ...]} (Tencent's callback items, wrapped). */
static int reply(h2o_req_t *req, struct sg_app *app)
{
    if (!signed_ok(req, app)) {
        sg_reply_error(req, 403, "forbidden", NULL);
        return 0;
    }
    cJSON *root = sg_json_body_or_reply(req, 64 * 1024);
    if (root == NULL)
        return 0;
    struct reply_req *p = sg_pending_new(req, app, sizeof(*p));
    p->left = 1;
    const cJSON *many = cJSON_GetObjectItemCaseSensitive(root, "replies");
    for (const cJSON *e = cJSON_IsArray(many) ? many->child : root; e != NULL;
         e = cJSON_IsArray(many) ? e->next : NULL) {
        const char *phone = sg_json_string(e, "phone", NULL, NULL), *text = sg_json_string(e, "text", NULL, NULL);
        char digits[12], ph[SG_CRYPTO_HASH_HEX];
        if (phone == NULL)
            phone = sg_json_string(e, "mobile", NULL, NULL);
        if (phone == NULL || sg_phone_normalize(phone, digits) != 0 || !sg_reply_is_optout(text))
            continue;
        sg_store_phone_hash(app->store, digits, ph);
        if (sg_store_notify_optout(app->store, ph, on_optout, p) == 0)
            ++p->left;
        sodium_memzero(digits, sizeof(digits));
    }
    cJSON_Delete(root);
    on_optout(p, -1);
    return 0;
}

int sg_on_notify(h2o_handler_t *self, h2o_req_t *req)
{
    static const char base[] = "/api/notify", dead_path[] = "/api/notify/dead/", retry[] = "/retry";
    struct sg_app *app = sg_handler_app(self);
    h2o_iovec_t path = req->path_normalized;
    if (h2o_memis(path.base, path.len, H2O_STRLIT(base)) ||
        h2o_memis(path.base, path.len, H2O_STRLIT("/api/notify/"))) {
        if (!sg_method_is(req, "GET"))
            return sg_reply_method_not_allowed(req, "GET");
        sg_staff_begin(sg_pending_new(req, app, sizeof(struct notify_req)), figures);
        return 0;
    }
    if (h2o_memis(path.base, path.len, H2O_STRLIT("/api/notify/dead"))) {
        if (!sg_method_is(req, "GET"))
            return sg_reply_method_not_allowed(req, "GET");
        sg_staff_begin(sg_pending_new(req, app, sizeof(struct notify_req)), dead);
        return 0;
    }
    if (h2o_memis(path.base, path.len, H2O_STRLIT("/api/notify/reply"))) {
        if (!sg_method_is(req, "POST"))
            return sg_reply_method_not_allowed(req, "POST");
        return reply(req, app);
    }
    size_t n = sizeof(dead_path) - 1, r = sizeof(retry) - 1;
    if (path.len > n + r && memcmp(path.base, dead_path, n) == 0 && memcmp(path.base + path.len - r, retry, r) == 0 &&
        sg__digits(path.base + n, path.len - n - r, 20)) {
        if (!sg_method_is(req, "POST"))
            return sg_reply_method_not_allowed(req, "POST");
        struct notify_req *p = sg_pending_new(req, app, sizeof(*p));
        memcpy(p->mid, path.base + n, path.len - n - r);
        sg_staff_begin(&p->base, revive);
        return 0;
    }
    sg_reply_error(req, 404, "not_found", NULL);
    return 0;
}
