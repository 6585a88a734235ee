/* SPDX-License-Identifier: MIT */
/* Funding entries (report columns 14-15): POST /api/funding records an amount (万元) and its
 * source for a division and campaign (organisers and admins, in scope; audited); GET
 * /api/funding?scope=CODE lists the entries under a scope with their sum. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "domain/err.h"
#include "domain/text.h"
#include "http/core/reply.h"
#include "http/core/request.h"
#include "http/staff/staff.h"
#include "http/core/routes.h"
#include "http/report/report.h"
#include "store/report.h"

struct funding_req {
    struct sg_staff_req base;
    struct sg_funding funding;
};

static cJSON *json_funding(const struct sg_app *app, const struct sg_funding *f)
{
    char date[11], at[32], amount[32];
    time_t secs = (time_t)(f->at_ms / 1000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm);
    sg_date_format(f->date, date);
    snprintf(amount, sizeof(amount), "%lld.%04lld", (long long)(f->yuan / 10000), (long long)(f->yuan % 10000));
    const struct sg_division *d = sg_divisions_find(app->divisions, f->scope, strlen(f->scope));
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", f->id);
    cJSON_AddStringToObject(o, "scope", f->scope);
    cJSON_AddStringToObject(o, "scope_name", d != NULL ? d->name : "");
    cJSON_AddStringToObject(o, "amount", amount);
    cJSON_AddNumberToObject(o, "yuan", (double)f->yuan);
    cJSON_AddStringToObject(o, "source", f->source);
    cJSON_AddStringToObject(o, "date", date);
    cJSON_AddStringToObject(o, "entered_by", f->user);
    cJSON_AddStringToObject(o, "entered_at", at);
    return o;
}

static void on_added(void *data, int status, const struct sg_funding *f, size_t n)
{
    struct funding_req *p = data;
    h2o_req_t *req = p->base.super.req;
    if (status == 0 && n == 1) {
        char detail[320];
        snprintf(detail, sizeof(detail), "%lld yuan, %s", (long long)f->yuan, f->source);
        sg_staff_audit(&p->base, "funding", f->scope, detail);
    }
    if (req != NULL && status != 0)
        sg_reply_store_error(req, status);
    else if (req != NULL)
        sg_reply_json(req, 201, json_funding(p->base.super.app, f));
    sg_pending_free(p);
}

/* The amount as text: a JSON number becomes its 4-decimal form without trailing zeros. */
static void amount_text(const cJSON *amount, char *out, size_t outsz)
{
    snprintf(out, outsz, "%s", cJSON_IsString(amount) ? amount->valuestring : "");
    if (!cJSON_IsNumber(amount) || amount->valuedouble <= 0 || amount->valuedouble >= 1e6)
        return;
    size_t n = (size_t)snprintf(out, outsz, "%.4f", amount->valuedouble);
    while (n > 0 && out[n - 1] == '0')
        out[--n] = '\0';
    if (n > 0 && out[n - 1] == '.')
        out[--n] = '\0';
}

/* Validate the body into p->funding; false after answering. */
static bool validate(struct funding_req *p, const cJSON *root, const struct sg_campaign *c)
{
    struct sg_app *app = p->base.super.app;
    struct sg_field_errors errs = {0};
    struct sg_funding *f = &p->funding;
    const cJSON *amount = cJSON_GetObjectItemCaseSensitive(root, "amount"); /* a number or its text */
    const char *scope = sg_json_string(root, "scope", NULL, &errs);
    const char *source = sg_json_string(root, "source", NULL, &errs);
    const char *date = sg_json_string(root, "date", NULL, &errs);
    const char *code = scope != NULL ? scope : p->base.session.scope;
    char num[40];
    if (errs.n != 0) { /* {"scope":123} is not "my own scope" */
        sg_reply_invalid(p->base.super.req, &errs);
        return false;
    }
    if (!sg_staff_allow_or_reply(&p->base, code, SG_ACT_TRANSPORT))
        return false;
    const struct sg_division *d = sg_divisions_find(app->divisions, code, strlen(code));
    if (d == NULL || d->level > SG_LEVEL_COUNTY) {
        sg_reply_error(p->base.super.req, 404, "unknown_division", "scope");
        return false;
    }
    snprintf(f->scope, sizeof(f->scope), "%s", code);
    snprintf(f->campaign, sizeof(f->campaign), "%s", c->id);
    amount_text(amount, num, sizeof(num));
    if (sg_funding_amount_parse(num, &f->yuan) != 0)
        sg_field_errors_add(&errs, "amount", "amount_format");
    if (source == NULL || sg_text_normalize(source, SG_FUNDING_SOURCE_MAX_CHARS, f->source, sizeof(f->source)) != 0 ||
        f->source[0] == '\0')
        sg_field_errors_add(&errs, "source", "required");
    f->date = sg_app_today(app);
    if (date != NULL && sg_date_parse(date, &f->date) != 0)
        sg_field_errors_add(&errs, "date", "date_format");
    else if (sg_date_cmp(f->date, sg_app_today(app)) > 0)
        sg_field_errors_add(&errs, "date", "date_future");
    if (errs.n != 0) {
        sg_reply_invalid(p->base.super.req, &errs);
        return false;
    }
    f->at_ms = sg_app_now_ms();
    snprintf(f->user, sizeof(f->user), "%s", p->base.session.user);
    return true;
}

static void post_funding(struct sg_staff_req *base)
{
    struct funding_req *p = (struct funding_req *)base;
    h2o_req_t *req = base->super.req;
    const struct sg_campaign *c = sg_campaign_param_or_reply(base);
    cJSON *root = c != NULL ? sg_json_body_or_reply(req, SG_BODY_SMALL) : NULL;
    int ret = -1;
    if (root != NULL && validate(p, root, c) &&
        (ret = sg_store_funding_add(base->super.app->store, &p->funding, on_added, p)) != 0)
        sg_reply_store_error(req, ret);
    cJSON_Delete(root);
    if (ret != 0)
        sg_pending_free(p);
}

static void on_list(void *data, int status, const struct sg_funding *f, size_t n)
{
    struct sg_staff_req *p = data;
    h2o_req_t *req = p->super.req;
    if (req != NULL && status != 0) {
        sg_reply_store_error(req, status);
    } else if (req != NULL) {
        cJSON *root = cJSON_CreateObject(), *list = cJSON_AddArrayToObject(root, "entries");
        int64_t yuan = 0;
        for (size_t i = 0; i != n; ++i) {
            cJSON_AddItemToArray(list, json_funding(p->super.app, &f[i]));
            yuan += f[i].yuan;
        }
        char total[32];
        sg_report_wanyuan(yuan, total);
        cJSON_AddNumberToObject(root, "total_yuan", (double)yuan);
        cJSON_AddStringToObject(root, "total", total);
        sg_reply_json(req, 200, root);
    }
    sg_pending_free(p);
}

static void list_funding(struct sg_staff_req *p)
{
    const char *scope = sg_scope_param_or_reply(p, SG_ACT_VIEW);
    const struct sg_campaign *c = scope != NULL ? sg_campaign_param_or_reply(p) : NULL;
    int ret = c != NULL ? sg_store_funding_list(p->super.app->store, c->id, scope, on_list, p) : -1;
    if (c != NULL && ret != 0)
        sg_reply_store_error(p->super.req, ret);
    if (ret != 0)
        sg_pending_free(p);
}

int sg_on_funding(h2o_handler_t *self, h2o_req_t *req)
{
    struct sg_app *app = sg_handler_app(self);
    if (sg_method_is(req, "POST"))
        sg_staff_begin(sg_pending_new(req, app, sizeof(struct funding_req)), post_funding);
    else if (sg_method_is(req, "GET"))
        sg_staff_begin(sg_pending_new(req, app, sizeof(struct sg_staff_req)), list_funding);
    else
        return sg_reply_method_not_allowed(req, "GET, POST");
    return 0;
}
