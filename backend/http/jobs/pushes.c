/* SPDX-License-Identifier: MIT */
/* POST /api/pushes {"jobs":[ids],"filter":{scope, poverty, age_min, age_max, no_job,
 * seeking, work, dest},"dry_run":bool[,"campaign"]}: the people a job push reaches,
 * counted before sending (dry_run), or counted, stored and queued for the sender (201),
 * audited with its filter and count. GET /api/pushes?scope=: the pushes of a scope with
 * what was queued and sent. Staff who may handle jobs, for a filter inside their scope. */
#include <stdlib.h>
#include <string.h>
#include "domain/err.h"
#include "http/core/json.h"
#include "http/core/reply.h"
#include "http/core/request.h"
#include "http/core/routes.h"
#include "http/jobs/jobs.h"
#include "service/target.h"
#include "store/jobs.h"

#define PUSH_JOBS_MAX 5

struct push_req {
    struct sg_staff_req base;
    cJSON *body;
    struct sg_target target;
    const struct sg_campaign *campaign;
    char jobs[PUSH_JOBS_MAX][SG_JOB_ID_MAX + 1];
    size_t njobs;
    bool dry_run;
    char filter[512];
};

static void finish(struct push_req *p)
{
    cJSON_Delete(p->body);
    sg_pending_free(p);
}

static cJSON *json_count(const struct sg_target_count *c, bool dry_run)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "people", (double)c->reachable);
    cJSON_AddNumberToObject(o, "matched", (double)c->matched);
    cJSON_AddNumberToObject(o, "no_phone", (double)c->no_phone);
    cJSON_AddNumberToObject(o, "no_consent", (double)c->no_consent);
    cJSON_AddNumberToObject(o, "opted_out", (double)c->opted_out);
    cJSON_AddBoolToObject(o, "dry_run", dry_run);
    return o;
}

struct created {
    struct push_req *p;
    struct sg_target_count c;
};

static void on_created(void *data, int status, const struct sg_push *push)
{
    struct created *x = data;
    struct push_req *p = x->p;
    h2o_req_t *req = p->base.super.req;
    if (status == 0) {
        char detail[1024];
        snprintf(detail, sizeof(detail), "people %ld jobs %s filter %s", x->c.reachable, push->jobs, p->filter);
        detail[255] = '\0'; /* the audit entry's room */
        sg_staff_audit(&p->base, "push", push->id, detail);
    }
    if (req != NULL && status == 0) {
        cJSON *o = json_count(&x->c, false);
        cJSON_AddStringToObject(o, "id", push->id);
        sg_reply_json(req, 201, o);
    } else if (req != NULL) {
        sg_reply_store_error(req, status);
    }
    free(x);
    finish(p);
}

static void on_counted(void *data, int status, const struct sg_target_count *c)
{
    struct push_req *p = data;
    h2o_req_t *req = p->base.super.req;
    if (status != 0 || p->dry_run || req == NULL) {
        if (req != NULL && status != 0)
            sg_reply_store_error(req, status);
        else if (req != NULL)
            sg_reply_json(req, 200, json_count(c, true));
        finish(p);
        return;
    }
    struct sg_push push = {.counted = c->reachable, .at_ms = sg_app_now_ms()};
    struct created *x = malloc(sizeof(*x));
    if (x == NULL)
        abort();
    *x = (struct created){p, *c};
    snprintf(push.scope, sizeof(push.scope), "%s", p->target.scope);
    snprintf(push.campaign, sizeof(push.campaign), "%s", p->campaign->id);
    snprintf(push.user, sizeof(push.user), "%s", p->base.session.user);
    snprintf(push.filter, sizeof(push.filter), "%s", p->filter);
    for (size_t i = 0; i != p->njobs; ++i)
        snprintf(push.jobs + strlen(push.jobs), sizeof(push.jobs) - strlen(push.jobs), "%s%s", i ? "," : "",
                 p->jobs[i]);
    int ret = sg_store_push_create(p->base.super.app->store, &push, on_created, x);
    if (ret != 0) {
        sg_reply_store_error(req, ret);
        free(x);
        finish(p);
    }
}

/* The jobs must exist and be open (a closed job is not advertised). */
static void on_catalog(void *data, int status, const struct sg__catalog *c)
{
    struct push_req *p = data;
    h2o_req_t *req = p->base.super.req;
    struct sg_field_errors errs = {0};
    if (req == NULL || status != 0) {
        if (req != NULL)
            sg_reply_store_error(req, status);
        finish(p);
        return;
    }
    for (size_t k = 0; k != p->njobs; ++k) {
        const struct sg_job *found = NULL;
        for (size_t i = 0; i != c->njobs && found == NULL; ++i)
            if (strcmp(c->jobs[i].id, p->jobs[k]) == 0)
                found = &c->jobs[i];
        if (found == NULL || !sg_job_open(found, sg_app_today(p->base.super.app))) {
            char field[24];
            snprintf(field, sizeof(field), "jobs[%zu]", k);
            sg_field_errors_add(&errs, field, found == NULL ? "unknown_job" : "job_closed");
        }
    }
    int ret = errs.n == 0 ? sg_target_scan_start(p->base.super.app->store, p->campaign->id, &p->target,
                                                 sg_app_today(p->base.super.app), NULL, on_counted, p)
                          : 0;
    if (errs.n != 0)
        sg_reply_invalid(req, &errs);
    else if (ret != 0)
        sg_reply_store_error(req, ret);
    if (errs.n != 0 || ret != 0)
        finish(p);
}

/* The filter as the sender will read it back (service/notify_push.c). */
static void keep_filter(struct push_req *p)
{
    const struct sg_target *t = &p->target;
    cJSON *o = cJSON_CreateObject();
    static const char *const poverty[] = {"any", "poverty", "alleviated", "monitored"};
    cJSON_AddStringToObject(o, "scope", t->scope);
    cJSON_AddStringToObject(o, "poverty", poverty[t->poverty]);
    cJSON_AddNumberToObject(o, "age_min", t->age_min);
    cJSON_AddNumberToObject(o, "age_max", t->age_max);
    cJSON_AddBoolToObject(o, "no_job", t->no_job);
    cJSON_AddBoolToObject(o, "seeking", t->seeking);
    cJSON_AddBoolToObject(o, "low_income", t->low_income);
    cJSON_AddStringToObject(o, "work", sg_work_name(t->work));
    cJSON_AddStringToObject(o, "dest", t->dest);
    char *text = cJSON_PrintUnformatted(o);
    snprintf(p->filter, sizeof(p->filter), "%s", text != NULL ? text : "{}");
    cJSON_free(text);
    cJSON_Delete(o);
}

/* 0 with p filled, or the answer has been sent. */
static int read_or_reply(struct push_req *p)
{
    h2o_req_t *req = p->base.super.req;
    struct sg_field_errors errs = {0}, rules = {0};
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(p->body, "filter"), *jobs, *item;
    struct sg_target_input in = {
        .scope = sg_json_string(f, "scope", "filter.scope", &errs),
        .poverty = sg_json_string(f, "poverty", "filter.poverty", &errs),
        .work = sg_json_string(f, "work", "filter.work", &errs),
        .dest = sg_json_string(f, "dest", "filter.dest", &errs),
        .age_min = sg_json_count(f, "age_min", "filter.age_min", 99, &errs),
        .age_max = sg_json_count(f, "age_max", "filter.age_max", 99, &errs),
        .no_job = sg_json_bool(f, "no_job", "filter.no_job", &errs),
        .seeking = sg_json_bool(f, "seeking", "filter.seeking", &errs),
        .low_income = sg_json_bool(f, "low_income", "filter.low_income", &errs),
    };
    if (in.scope == NULL || in.scope[0] == '\0')
        in.scope = p->base.session.scope;
    p->dry_run = sg_json_bool(p->body, "dry_run", NULL, &errs) != 0; /* absent: a dry run */
    jobs = cJSON_GetObjectItemCaseSensitive(p->body, "jobs");
    jobs = cJSON_IsArray(jobs) ? jobs : NULL;
    cJSON_ArrayForEach(item, jobs) {
        if (!cJSON_IsString(item) || !sg__digits(item->valuestring, strlen(item->valuestring), SG_JOB_ID_MAX) ||
            p->njobs == PUSH_JOBS_MAX) {
            sg_field_errors_add(&errs, "jobs", p->njobs == PUSH_JOBS_MAX ? "too_many" : "type");
            break;
        }
        snprintf(p->jobs[p->njobs++], sizeof(p->jobs[0]), "%s", item->valuestring);
    }
    if (p->njobs == 0 && errs.n == 0)
        sg_field_errors_add(&errs, "jobs", "required");
    sg_target_validate(&in, p->base.super.app->divisions, p->base.super.app->destinations, &p->target, &rules);
    for (size_t i = 0; i != rules.n; ++i)
        sg_field_errors_add(&errs, rules.e[i].field, rules.e[i].code);
    if (errs.n != 0) {
        sg_reply_invalid(req, &errs);
        return -1;
    }
    if (!sg_staff_allow_or_reply(&p->base, p->target.scope, SG_ACT_JOBS))
        return -1;
    p->campaign = sg_app_campaign(p->base.super.app, sg_json_string(p->body, "campaign", NULL, NULL));
    if (p->campaign == NULL) {
        sg_reply_error(req, 404, "unknown_campaign", "campaign");
        return -1;
    }
    keep_filter(p);
    return 0;
}

static void create(struct sg_staff_req *base)
{
    struct push_req *p = (struct push_req *)base;
    h2o_req_t *req = base->super.req;
    if ((p->body = sg_json_body_or_reply(req, SG_BODY_SMALL)) == NULL || read_or_reply(p) != 0) {
        finish(p);
        return;
    }
    int ret = sg__catalog_get(base->super.app, on_catalog, p);
    if (ret != 0) {
        sg_reply_store_error(req, ret);
        finish(p);
    }
}

static void on_list(void *data, int status, const struct sg_push *list, size_t n)
{
    struct push_req *p = data;
    h2o_req_t *req = p->base.super.req;
    if (req != NULL && status != 0)
        sg_reply_store_error(req, status);
    else if (req != NULL) {
        cJSON *root = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(root, "pushes");
        for (size_t i = 0; i != n; ++i) {
            cJSON *o = cJSON_CreateObject();
            char at[32];
            sg_format_time(list[i].at_ms, at);
            cJSON_AddStringToObject(o, "id", list[i].id);
            cJSON_AddStringToObject(o, "scope", list[i].scope);
            cJSON_AddStringToObject(o, "user", list[i].user);
            cJSON_AddStringToObject(o, "at", at);
            cJSON_AddStringToObject(o, "jobs", list[i].jobs);
            cJSON_AddItemToObject(o, "filter", cJSON_Parse(list[i].filter));
            cJSON_AddNumberToObject(o, "people", (double)list[i].counted);
            cJSON_AddNumberToObject(o, "queued", (double)list[i].queued);
            cJSON_AddNumberToObject(o, "sent", (double)list[i].sent);
            cJSON_AddItemToArray(arr, o);
        }
        sg_reply_json(req, 200, root);
    }
    finish(p);
}

static void list(struct sg_staff_req *base)
{
    const char *scope = sg_scope_param_or_reply(base, SG_ACT_JOBS);
    int ret = scope != NULL ? sg_store_push_list(base->super.app->store, scope, on_list, base) : 0;
    if (ret != 0)
        sg_reply_store_error(base->super.req, ret);
    if (scope == NULL || ret != 0)
        finish((struct push_req *)base);
}

int sg_on_pushes(h2o_handler_t *self, h2o_req_t *req)
{
    if (!sg_method_is(req, "GET") && !sg_method_is(req, "POST"))
        return sg_reply_method_not_allowed(req, "GET, POST");
    struct push_req *p = sg_pending_new(req, sg_handler_app(self), sizeof(*p));
    sg_staff_begin(&p->base, sg_method_is(req, "POST") ? create : list);
    return 0;
}
