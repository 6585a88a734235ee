/* SPDX-License-Identifier: MIT */
/* The statistics table over HTTP: GET /api/report (JSON), GET /api/report.xlsx, GET
 * /api/report/schedule (next deadline, filed or not), GET/POST /api/report/filings (list,
 * file = freeze a copy), GET /api/report/filings/{id}[.xlsx] (the frozen copy, unchanged).
 * The .xlsx is written off the loop (offload.c). Scope-checked like every staff read. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "domain/err.h"
#include "service/offload.h"
#include "http/core/reply.h"
#include "http/core/request.h"
#include "http/staff/staff.h"
#include "service/report.h"
#include "http/core/routes.h"
#include "http/report/report.h"
#include "store/report.h"

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

enum report_kind { KIND_JSON, KIND_XLSX, KIND_FILE };

struct report_req {
    struct sg_staff_req base;
    enum report_kind kind;
    const struct sg_campaign *campaign;
    struct sg_report_doc doc; /* a copy that outlives the gather (its rows are ours) */
    char *json;               /* KIND_FILE: the report's JSON text */
    unsigned char *xlsx;
    size_t xlsx_len;
    struct sg_due due;
    char id[16];
};

static void send_bytes(h2o_req_t *req, const void *bytes, size_t len, const char *type, const char *filename)
{
    h2o_iovec_t body = h2o_strdup(&req->pool, bytes, len);
    req->res.status = 200;
    req->res.reason = "OK";
    req->res.content_length = body.len;
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, type, strlen(type));
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL, H2O_STRLIT("no-store"));
    if (filename != NULL) {
        char disp[128];
        snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", filename);
        h2o_iovec_t dv = h2o_strdup(&req->pool, disp, strlen(disp));
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_DISPOSITION, NULL, dv.base, dv.len);
    }
    h2o_send_inline(req, body.base, body.len);
}

static void free_req(struct report_req *p)
{
    free(p->doc.report.rows);
    free(p->json);
    free(p->xlsx);
    sg_pending_free(p);
}

/* Minutes after midnight in China now (UTC+8, no DST). */
static int china_minutes(void)
{
    return (int)((sg_app_now_ms() / 60000 + 8 * 60) % (24 * 60));
}

static cJSON *json_due(const struct sg_due *due)
{
    char date[11], before[6];
    if (due->date.y == 0)
        return cJSON_CreateNull();
    cJSON *o = cJSON_CreateObject();
    sg_date_format(due->date, date);
    sg_schedule_time_format(due->before_min, before);
    cJSON_AddStringToObject(o, "date", date);
    cJSON_AddStringToObject(o, "before", before);
    return o;
}

/* ---- the table: JSON, .xlsx, filing ----------------------------------------------------- */

static void on_filed(void *data, int status, const struct sg_filing *f, size_t n)
{
    struct report_req *p = data;
    h2o_req_t *req = p->base.super.req;
    if (status == 0 && n == 1) {
        char detail[96], until[11];
        sg_date_format(f->until, until);
        snprintf(detail, sizeof(detail), "filing %s, until %s", f->id, until);
        sg_staff_audit(&p->base, "report_file", f->scope, detail);
    }
    if (req != NULL && status != 0) {
        sg_reply_store_error(req, status);
    } else if (req != NULL) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "id", f->id);
        cJSON_AddStringToObject(o, "scope", f->scope);
        cJSON_AddItemToObject(o, "due", json_due(&f->due));
        cJSON_AddStringToObject(o, "filed_by", f->user);
        sg_reply_json(req, 201, o);
    }
    free_req(p);
}

static void file_copy(struct report_req *p)
{
    struct sg_filing f = {.until = p->doc.report.until, .due = p->due, .at_ms = sg_app_now_ms()};
    snprintf(f.campaign, sizeof(f.campaign), "%s", p->campaign->id);
    snprintf(f.scope, sizeof(f.scope), "%s", p->doc.report.scope->code);
    snprintf(f.user, sizeof(f.user), "%s", p->base.session.user);
    f.json = p->json, f.json_len = strlen(p->json);
    f.xlsx = p->xlsx, f.xlsx_len = p->xlsx_len;
    int ret = sg_store_filing_save(p->base.super.app->store, &f, on_filed, p);
    if (ret != 0) {
        if (p->base.super.req != NULL)
            sg_reply_store_error(p->base.super.req, ret);
        free_req(p);
    }
}

static void make_xlsx(void *arg)
{
    struct report_req *p = arg;
    p->xlsx = sg_report_xlsx(&p->doc, &p->xlsx_len);
}

static void on_xlsx(void *arg)
{
    struct report_req *p = arg;
    h2o_req_t *req = p->base.super.req;
    char filename[64];
    if (p->xlsx == NULL) {
        if (req != NULL)
            sg_reply_error(req, 500, "internal", NULL);
    } else if (p->kind == KIND_FILE) {
        file_copy(p);
        return;
    } else if (req != NULL) {
        snprintf(filename, sizeof(filename), "report-%s-%s.xlsx", p->campaign->id, p->doc.report.scope->code);
        send_bytes(req, p->xlsx, p->xlsx_len, XLSX_TYPE, filename);
    }
    free_req(p);
}

static void on_report(void *data, int status, struct sg_report_doc *doc)
{
    struct report_req *p = data;
    h2o_req_t *req = p->base.super.req;
    if (status != 0 || (req == NULL && p->kind != KIND_FILE)) {
        if (req != NULL)
            sg_reply_store_error(req, status);
        free_req(p);
        return;
    }
    if (p->kind == KIND_JSON) {
        sg_reply_json(req, 200, sg_report_json(doc));
        free_req(p);
        return;
    }
    p->doc = *doc;
    p->doc.report.rows = malloc(doc->report.nrows * sizeof(*doc->report.rows));
    if (p->doc.report.rows == NULL)
        abort();
    memcpy(p->doc.report.rows, doc->report.rows, doc->report.nrows * sizeof(*doc->report.rows));
    if (p->kind == KIND_FILE) {
        cJSON *json = sg_report_json(doc);
        cJSON_AddItemToObject(json, "due", json_due(&p->due));
        p->json = cJSON_PrintUnformatted(json);
        cJSON_Delete(json);
    }
    if (sg_offload_try(make_xlsx, on_xlsx, p) != 0) {
        sg_reply_busy(req);
        free_req(p);
    }
}

/* Campaign, scope (default the user's), until (default today); false when it answered. */
static bool start_or_reply(struct report_req *p, const char *scope, const char *until_s)
{
    struct sg_app *app = p->base.super.app;
    h2o_req_t *req = p->base.super.req;
    struct sg_date until = sg_app_today(app);
    if ((p->campaign = sg_campaign_param_or_reply(&p->base)) == NULL)
        return false;
    if (until_s != NULL && sg_date_parse(until_s, &until) != 0) {
        sg_reply_error(req, 400, "bad_request", "until");
        return false;
    }
    int ret = sg_report_start(app, p->campaign, scope, until, on_report, p);
    if (ret == SG_EINVAL)
        sg_reply_error(req, 400, "report_scope", "scope");
    else if (ret != 0)
        sg_reply_store_error(req, ret);
    return ret == 0;
}

static void get_report(struct sg_staff_req *base)
{
    struct report_req *p = (struct report_req *)base;
    const char *scope = sg_scope_param_or_reply(base, SG_ACT_VIEW);
    if (scope == NULL || !start_or_reply(p, scope, sg_query_param(base->super.req, "until")))
        free_req(p);
}

static void post_filing(struct sg_staff_req *base)
{
    struct report_req *p = (struct report_req *)base;
    h2o_req_t *req = base->super.req;
    cJSON *root = sg_json_body_or_reply(req, SG_BODY_SMALL);
    struct sg_field_errors errs = {0};
    const char *scope = sg_json_string(root, "scope", NULL, &errs), *until = sg_json_string(root, "until", NULL, &errs);
    bool started = false;
    if (root == NULL) {
        /* answered */
    } else if (errs.n != 0) {
        sg_reply_invalid(req, &errs); /* {"scope":123} is not "my own scope" */
    } else if (sg_staff_allow_or_reply(base, scope != NULL ? scope : base->session.scope, SG_ACT_REPORT)) {
        const struct sg_campaign *c = sg_campaign_param_or_reply(base);
        if (c != NULL && sg_schedule_next(&c->schedule, sg_app_today(base->super.app), china_minutes(), &p->due) != 0)
            memset(&p->due, 0, sizeof(p->due));
        started = c != NULL && start_or_reply(p, scope != NULL ? scope : base->session.scope, until);
    }
    cJSON_Delete(root);
    if (!started)
        free_req(p);
}

/* ---- schedule and filings --------------------------------------------------------------- */

static cJSON *json_filing(const struct sg_app *app, const struct sg_filing *f)
{
    char date[11], at[32];
    time_t secs = (time_t)(f->at_ms / 1000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm);
    const struct sg_division *d = sg_divisions_find(app->divisions, f->scope, strlen(f->scope));
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", f->id);
    cJSON_AddStringToObject(o, "campaign", f->campaign);
    cJSON_AddStringToObject(o, "scope", f->scope);
    cJSON_AddStringToObject(o, "scope_name", d != NULL ? d->name : "");
    sg_date_format(f->until, date);
    cJSON_AddStringToObject(o, "until", date);
    cJSON_AddItemToObject(o, "due", json_due(&f->due));
    cJSON_AddStringToObject(o, "filed_at", at);
    cJSON_AddStringToObject(o, "filed_by", f->user);
    return o;
}

static void on_filings(void *data, int status, const struct sg_filing *f, size_t n)
{
    struct report_req *p = data;
    h2o_req_t *req = p->base.super.req;
    if (req != NULL && status != 0) {
        sg_reply_store_error(req, status);
    } else if (req != NULL && p->kind == KIND_JSON) { /* the list */
        cJSON *root = cJSON_CreateObject(), *list = cJSON_AddArrayToObject(root, "filings");
        for (size_t i = 0; i != n; ++i)
            cJSON_AddItemToArray(list, json_filing(p->base.super.app, &f[i]));
        sg_reply_json(req, 200, root);
    } else if (req != NULL) { /* the schedule: next deadline, and whether the user's scope filed for it */
        cJSON *root = cJSON_CreateObject(), *filing = cJSON_CreateNull();
        cJSON_AddStringToObject(root, "campaign", p->campaign->id);
        cJSON_AddItemToObject(root, "next_due", json_due(&p->due));
        cJSON_AddStringToObject(root, "scope", p->base.session.scope);
        /* cities file; the region receives their reports (its staff are told who filed, not "not filed") */
        bool files =
            strlen(p->base.session.scope) == 4 && sg_role_may((enum sg_role)p->base.session.role, SG_ACT_REPORT);
        for (size_t i = 0; files && p->due.date.y != 0 && i != n; ++i)
            if (strcmp(f[i].scope, p->base.session.scope) == 0 && sg_date_cmp(f[i].due.date, p->due.date) == 0 &&
                f[i].due.before_min == p->due.before_min) {
                cJSON_Delete(filing);
                filing = json_filing(p->base.super.app, &f[i]);
            }
        if (files)
            cJSON_AddBoolToObject(root, "filed", !cJSON_IsNull(filing));
        else
            cJSON_AddNullToObject(root, "filed");
        cJSON_AddItemToObject(root, "filing", filing);
        sg_reply_json(req, 200, root);
    }
    free_req(p);
}

static void list_filings(struct sg_staff_req *base, bool schedule)
{
    struct report_req *p = (struct report_req *)base;
    const char *scope = schedule ? base->session.scope : sg_scope_param_or_reply(base, SG_ACT_VIEW);
    p->kind = schedule ? KIND_XLSX : KIND_JSON; /* reused as "which answer" by on_filings */
    if (scope == NULL || (p->campaign = sg_campaign_param_or_reply(base)) == NULL) {
        free_req(p);
        return;
    }
    if (schedule &&
        sg_schedule_next(&p->campaign->schedule, sg_app_today(base->super.app), china_minutes(), &p->due) != 0)
        memset(&p->due, 0, sizeof(p->due));
    int ret = sg_store_filing_list(base->super.app->store, p->campaign->id, scope, on_filings, p);
    if (ret != 0) {
        sg_reply_store_error(base->super.req, ret);
        free_req(p);
    }
}

static void get_schedule(struct sg_staff_req *base)
{
    list_filings(base, true);
}

static void get_filings(struct sg_staff_req *base)
{
    list_filings(base, false);
}

static void on_filing(void *data, int status, const struct sg_filing *f, size_t n)
{
    struct report_req *p = data;
    h2o_req_t *req = p->base.super.req;
    char filename[96];
    if (req == NULL) {
        /* gone */
    } else if (status != 0) {
        sg_reply_store_error(req, status);
    } else if (n != 1 || f->json == NULL) {
        sg_reply_error(req, 404, "not_found", NULL);
    } else if (sg_staff_allow_or_reply(&p->base, f->scope, SG_ACT_VIEW)) {
        snprintf(filename, sizeof(filename), "report-%s-%s-filing-%s.xlsx", f->campaign, f->scope, f->id);
        if (p->kind == KIND_XLSX)
            send_bytes(req, f->xlsx, f->xlsx_len, XLSX_TYPE, filename);
        else
            send_bytes(req, f->json, f->json_len, "application/json; charset=utf-8", NULL);
    }
    free_req(p);
}

static void get_filing(struct sg_staff_req *base)
{
    struct report_req *p = (struct report_req *)base;
    int ret = sg_store_filing_get(base->super.app->store, p->id, on_filing, p);
    if (ret != 0) {
        sg_reply_store_error(base->super.req, ret);
        free_req(p);
    }
}

/* ---- routing ------------------------------------------------------------------------------ */

static bool path_is(h2o_req_t *req, const char *path)
{
    return req->path_normalized.len == strlen(path) && memcmp(req->path_normalized.base, path, strlen(path)) == 0;
}

int sg_report_filing_path_parse(const char *rest, size_t len, char id[16], bool *xlsx)
{
    size_t digits = 0;
    while (digits < len && digits < 15 && rest[digits] >= '0' && rest[digits] <= '9')
        ++digits;
    *xlsx = len == digits + 5 && memcmp(rest + digits, ".xlsx", 5) == 0;
    if (digits == 0 || (len != digits && !*xlsx))
        return -1;
    memcpy(id, rest, digits);
    id[digits] = '\0';
    return 0;
}

static int filing_route(h2o_req_t *req, struct sg_app *app)
{
    static const char prefix[] = "/api/report/filings/";
    char id[16];
    bool xlsx;
    if (sg_report_filing_path_parse(req->path_normalized.base + sizeof(prefix) - 1,
                                    req->path_normalized.len - (sizeof(prefix) - 1), id, &xlsx) != 0)
        return sg_reply_error(req, 404, "not_found", NULL), 0;
    if (!sg_method_is(req, "GET"))
        return sg_reply_method_not_allowed(req, "GET");
    struct report_req *p = sg_pending_new(req, app, sizeof(struct report_req));
    memcpy(p->id, id, sizeof(p->id));
    p->kind = xlsx ? KIND_XLSX : KIND_JSON;
    sg_staff_begin(&p->base, get_filing);
    return 0;
}

int sg_on_report(h2o_handler_t *self, h2o_req_t *req)
{
    struct sg_app *app = sg_handler_app(self);
    bool xlsx = path_is(req, "/api/report.xlsx"), filings = path_is(req, "/api/report/filings");
    if (req->path_normalized.len > sizeof("/api/report/filings/") - 1 &&
        memcmp(req->path_normalized.base, "/api/report/filings/", sizeof("/api/report/filings/") - 1) == 0)
        return filing_route(req, app);
    if (!xlsx && !filings && !path_is(req, "/api/report") && !path_is(req, "/api/report/schedule"))
        return sg_reply_error(req, 404, "not_found", NULL), 0;
    if (filings && sg_method_is(req, "POST")) {
        struct report_req *p = sg_pending_new(req, app, sizeof(struct report_req));
        p->kind = KIND_FILE;
        sg_staff_begin(&p->base, post_filing);
        return 0;
    }
    if (!sg_method_is(req, "GET"))
        return sg_reply_method_not_allowed(req, filings ? "GET, POST" : "GET");
    struct report_req *p = sg_pending_new(req, app, sizeof(struct report_req));
    p->kind = xlsx ? KIND_XLSX : KIND_JSON;
    sg_staff_begin(&p->base, filings ? get_filings : path_is(req, "/api/report/schedule") ? get_schedule : get_report);
    return 0;
}
