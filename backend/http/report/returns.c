/* SPDX-License-Identifier: MIT */
/* Village return figures (report columns 1-3): POST /api/returns enters a village's
 * figures, GET /api/returns?scope=CODE lists the latest of every village in scope with
 * totals, GET /api/returns/{village} gives one village's history. Scope-checked, audited. */
#include <string.h>
#include <time.h>
#include "domain/err.h"
#include "domain/returns.h"
#include "http/core/reply.h"
#include "http/core/request.h"
#include "http/staff/staff.h"
#include "http/core/routes.h"
#include "http/report/report.h"
#include "store/store.h"

#define HISTORY_MAX 200

struct returns_req {
    struct sg_staff_req base;
    struct sg_returns returns;
};

/* A count as domain/returns wants it: -1 missing, -2 not a whole number in range. */
static long get_count(const cJSON *root, const char *name)
{
    struct sg_field_errors type = {0};
    long v = sg_json_count(root, name, NULL, SG_RETURNS_MAX_COUNT, &type);
    return type.n != 0 || v > SG_RETURNS_MAX_COUNT ? -2 : v;
}

static cJSON *json_returns(const struct sg_app *app, const struct sg_returns *r)
{
    char date[11], at[32];
    time_t secs = (time_t)(r->at_ms / 1000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm);
    sg_date_format(r->as_of, date);
    const struct sg_division *v = sg_divisions_find(app->divisions, r->village, strlen(r->village));
    cJSON *obj = cJSON_CreateObject();
    cJSON_AddStringToObject(obj, "village", r->village);
    cJSON_AddStringToObject(obj, "name", v != NULL ? v->name : "");
    cJSON_AddNumberToObject(obj, "outbound", (double)r->outbound);
    cJSON_AddNumberToObject(obj, "returned", (double)r->returned);
    cJSON_AddNumberToObject(obj, "not_returned", (double)r->not_returned);
    cJSON_AddStringToObject(obj, "as_of", date);
    cJSON_AddBoolToObject(obj, "mismatch", sg_returns_mismatch(r));
    cJSON_AddStringToObject(obj, "entered_by", r->user);
    cJSON_AddStringToObject(obj, "entered_at", at);
    return obj;
}

static void on_saved(void *data, int status, bool latest)
{
    struct returns_req *p = data;
    h2o_req_t *req = p->base.super.req;
    if (status == 0) {
        char detail[96];
        snprintf(detail, sizeof(detail), "%ld/%ld/%ld as of %04d-%02d-%02d%s", p->returns.outbound, p->returns.returned,
                 p->returns.not_returned, p->returns.as_of.y, p->returns.as_of.m, p->returns.as_of.d,
                 sg_returns_mismatch(&p->returns) ? " mismatch" : "");
        sg_staff_audit(&p->base, "returns", p->returns.village, detail);
    }
    if (req != NULL && status == 0) {
        cJSON *root = json_returns(p->base.super.app, &p->returns);
        cJSON_AddBoolToObject(root, "latest", latest);
        sg_reply_json(req, 201, root);
    } else if (req != NULL) {
        sg_reply_store_error(req, status);
    }
    sg_pending_free(p);
}

/* Parse, check scope, validate, save; false when it answered already. */
static bool save(struct returns_req *p, const cJSON *root, const struct sg_campaign *c)
{
    struct sg_app *app = p->base.super.app;
    h2o_req_t *req = p->base.super.req;
    struct sg_returns_input in = {sg_json_string(root, "village", NULL, NULL), get_count(root, "outbound"),
                                  get_count(root, "returned"), get_count(root, "not_returned"),
                                  sg_json_string(root, "as_of", NULL, NULL)};
    struct sg_returns_ctx ctx = {app->divisions, sg_app_today(app), c->starts.y};
    struct sg_field_errors errs;
    if (in.village != NULL && !sg_staff_allow_or_reply(&p->base, in.village, SG_ACT_EDIT))
        return false;
    if (sg_returns_validate(&in, &ctx, &p->returns, &errs) != 0) {
        if (errs.n != 0 && strcmp(errs.e[0].code, "unknown_village") == 0)
            sg_reply_error(req, 404, "unknown_village", "village");
        else
            sg_reply_invalid(req, &errs);
        return false;
    }
    p->returns.at_ms = sg_app_now_ms();
    snprintf(p->returns.user, sizeof(p->returns.user), "%s", p->base.session.user);
    int ret = sg_store_returns_save(app->store, c->id, &p->returns, on_saved, p);
    if (ret != 0)
        sg_reply_store_error(req, ret);
    return ret == 0;
}

static void post_returns(struct sg_staff_req *base)
{
    struct returns_req *p = (struct returns_req *)base;
    h2o_req_t *req = base->super.req;
    const struct sg_campaign *c = sg_campaign_param_or_reply(base);
    cJSON *root = c != NULL ? sg_json_body_or_reply(req, SG_BODY_SMALL) : NULL;
    if (root != NULL && save(p, root, c)) {
        cJSON_Delete(root);
        return;
    }
    cJSON_Delete(root);
    sg_pending_free(p);
}

static void on_list(void *data, int status, const struct sg_returns *list, size_t n)
{
    struct sg_staff_req *p = data;
    if (p->super.req == NULL)
        goto Exit;
    if (status != 0) {
        sg_reply_store_error(p->super.req, status);
        goto Exit;
    }
    long out = 0, back = 0, away = 0, flagged = 0;
    cJSON *root = cJSON_CreateObject(), *villages = cJSON_AddArrayToObject(root, "villages"), *totals;
    for (size_t i = 0; i != n; ++i) {
        cJSON_AddItemToArray(villages, json_returns(p->super.app, &list[i]));
        out += list[i].outbound, back += list[i].returned, away += list[i].not_returned;
        flagged += sg_returns_mismatch(&list[i]);
    }
    totals = cJSON_AddObjectToObject(root, "totals");
    cJSON_AddNumberToObject(totals, "outbound", (double)out);
    cJSON_AddNumberToObject(totals, "returned", (double)back);
    cJSON_AddNumberToObject(totals, "not_returned", (double)away);
    cJSON_AddNumberToObject(totals, "villages", (double)n);
    cJSON_AddNumberToObject(totals, "flagged", (double)flagged);
    cJSON_AddBoolToObject(totals, "mismatch", back + away != out);
    sg_reply_json(p->super.req, 200, root);
Exit:
    sg_pending_free(p);
}

/* The county codes whose return hashes cover scope. */
static size_t counties_of(const struct sg_app *app, const char *scope, const char **out, size_t max)
{
    size_t begin, end, n = 0;
    if (strlen(scope) >= 6) {
        out[0] = sg_divisions_find(app->divisions, scope, 6)->code;
        return 1;
    }
    sg_divisions_range(app->divisions, scope, &begin, &end);
    for (size_t i = begin; i != end && n != max; ++i)
        if (sg_divisions_at(app->divisions, i)->level == SG_LEVEL_COUNTY)
            out[n++] = sg_divisions_at(app->divisions, i)->code;
    return n;
}

static void list_returns(struct sg_staff_req *p)
{
    const char *scope = sg_scope_param_or_reply(p, SG_ACT_VIEW);
    const struct sg_campaign *c = scope != NULL ? sg_campaign_param_or_reply(p) : NULL;
    if (c == NULL) {
        sg_pending_free(p);
        return;
    }
    const char *counties[512];
    size_t n = counties_of(p->super.app, scope, counties, 512);
    int ret = sg_store_returns_list(p->super.app->store, c->id, scope, counties, n, on_list, p);
    if (ret != 0) {
        sg_reply_store_error(p->super.req, ret);
        sg_pending_free(p);
    }
}

static void on_history(void *data, int status, const struct sg_returns *list, size_t n)
{
    struct sg_staff_req *p = data;
    if (p->super.req == NULL)
        goto Exit;
    if (status != 0) {
        sg_reply_store_error(p->super.req, status);
        goto Exit;
    }
    cJSON *root = cJSON_CreateObject(), *entries = cJSON_AddArrayToObject(root, "entries");
    for (size_t i = 0; i != n; ++i)
        cJSON_AddItemToArray(entries, json_returns(p->super.app, &list[i]));
    sg_reply_json(p->super.req, 200, root);
Exit:
    sg_pending_free(p);
}

static void village_history(struct sg_staff_req *p)
{
    h2o_req_t *req = p->super.req;
    static const char prefix[] = "/api/returns/";
    char village[SG_DIVISION_CODE_MAX + 1];
    size_t len = req->path_normalized.len - (sizeof(prefix) - 1);
    const struct sg_campaign *c = NULL;
    snprintf(village, sizeof(village), "%.*s", (int)(len <= SG_DIVISION_CODE_MAX ? len : 0),
             req->path_normalized.base + sizeof(prefix) - 1);
    if (sg_staff_allow_or_reply(p, village, SG_ACT_VIEW)) {
        const struct sg_division *v = sg_divisions_find(p->super.app->divisions, village, strlen(village));
        if (v == NULL || v->level != SG_LEVEL_VILLAGE)
            sg_reply_error(req, 404, "not_found", "village");
        else
            c = sg_campaign_param_or_reply(p);
    }
    int ret = c != NULL ? sg_store_returns_history(p->super.app->store, c->id, village, HISTORY_MAX, on_history, p) : 0;
    if (ret != 0)
        sg_reply_store_error(req, ret);
    if (c == NULL || ret != 0)
        sg_pending_free(p);
}

int sg_on_returns(h2o_handler_t *self, h2o_req_t *req)
{
    struct sg_app *app = sg_handler_app(self);
    static const char base[] = "/api/returns";
    h2o_iovec_t path = req->path_normalized;
    bool one = path.len > sizeof(base) && path.base[sizeof(base) - 1] == '/';
    if (one) {
        if (!sg_method_is(req, "GET"))
            return sg_reply_method_not_allowed(req, "GET");
        sg_staff_begin(sg_pending_new(req, app, sizeof(struct sg_staff_req)), village_history);
    } else if (sg_method_is(req, "POST")) {
        sg_staff_begin(sg_pending_new(req, app, sizeof(struct returns_req)), post_returns);
    } else if (sg_method_is(req, "GET")) {
        sg_staff_begin(sg_pending_new(req, app, sizeof(struct sg_staff_req)), list_returns);
    } else {
        return sg_reply_method_not_allowed(req, "GET, POST");
    }
    return 0;
}
