/* SPDX-License-Identifier: MIT */
/* /api/jobs: GET ?city=&q= public (open jobs, no contact's personal data, at most 50 an
 * answer, from the loop's catalog: a flood costs Redis nothing more); GET ?for=CODE&phone4=
 * the open jobs that fit a worker (the lookup's proof); GET ?scope= staff (every job of
 * the scope, closed ones too); POST (staff of the employer's scope) and GET/PATCH /{id}
 * (PATCH {"status":"closed"} closes it). Changes are audited. */
#include <stdlib.h>
#include <string.h>
#include "domain/err.h"
#include "http/core/json.h"
#include "http/core/reply.h"
#include "http/core/request.h"
#include "http/core/routes.h"
#include "http/jobs/jobs.h"
#include "store/jobs.h"

#define PAGE_MAX 50
#define FIT_MAX 10

struct job_req {
    struct sg_staff_req base;
    char id[SG_JOB_ID_MAX + 1];
    struct sg_job j;
    cJSON *body;
    bool update;
};

static bool may_change(const struct sg_staff_req *p, const struct sg_job *j)
{
    return sg_role_may((enum sg_role)p->session.role, SG_ACT_JOBS) &&
           (sg_scope_contains(p->session.scope, j->scope) || sg_scope_contains(p->session.scope, j->city));
}

static int validate_or_reply(struct job_req *p, const cJSON *o)
{
    struct sg_field_errors errs = {0}, rules = {0};
    struct sg_job_input in = {
        .title = sg_json_string(o, "title", NULL, &errs),
        .city = sg_json_string(o, "city", NULL, &errs),
        .kind = sg_json_string(o, "kind", NULL, &errs),
        .sex = sg_json_string(o, "sex", NULL, &errs),
        .skills = sg_json_string(o, "skills", NULL, &errs),
        .starts = sg_json_string(o, "starts", NULL, &errs),
        .closes = sg_json_string(o, "closes", NULL, &errs),
        .status = sg_json_string(o, "status", NULL, &errs),
        .headcount = sg_json_count(o, "headcount", NULL, SG_JOB_HEADCOUNT_MAX, &errs),
        .wage_min = sg_json_count(o, "wage_min", NULL, SG_JOB_WAGE_MAX, &errs),
        .wage_max = sg_json_count(o, "wage_max", NULL, SG_JOB_WAGE_MAX, &errs),
        .age_min = sg_json_count(o, "age_min", NULL, 99, &errs),
        .age_max = sg_json_count(o, "age_max", NULL, 99, &errs),
    };
    sg_job_validate(&in, p->base.super.app->destinations, sg_app_today(p->base.super.app), &p->j, &rules);
    for (size_t i = 0; i != rules.n; ++i)
        sg_field_errors_add(&errs, rules.e[i].field, rules.e[i].code);
    if (errs.n == 0)
        return 0;
    sg_reply_invalid(p->base.super.req, &errs);
    return -1;
}

static void finish(struct job_req *p)
{
    cJSON_Delete(p->body);
    sg_pending_free(p);
}

static void on_saved(void *data, int status, const struct sg_job *j)
{
    struct job_req *p = data;
    h2o_req_t *req = p->base.super.req;
    if (status == 0) {
        sg_staff_audit(&p->base, p->update ? "job_edit" : "job_create", j->id, j->title);
        sg__catalog_stale();
    }
    if (req != NULL && status == 0)
        sg_reply_json(req, p->update ? 200 : 201, sg__json_job(p->base.super.app, j));
    else if (req != NULL)
        sg_reply_store_error(req, status);
    finish(p);
}

static void save(struct job_req *p)
{
    int ret = sg_store_job_save(p->base.super.app->store, &p->j, p->update, on_saved, p);
    if (ret != 0) {
        sg_reply_store_error(p->base.super.req, ret);
        finish(p);
    }
}

/* POST: the employer read, its scope checked, the body validated, saved. */
static void on_employer(void *data, int status, const struct sg_employer *e, const char *taken_by)
{
    struct job_req *p = data;
    h2o_req_t *req = p->base.super.req;
    if (req == NULL) {
        finish(p);
        return;
    }
    if (status == SG_ENOENT) {
        struct sg_field_errors errs = {0};
        sg_field_errors_add(&errs, "employer", "unknown_employer");
        sg_reply_invalid(req, &errs);
    } else if (status != 0) {
        sg_reply_store_error(req, status);
    } else if (!sg_role_may((enum sg_role)p->base.session.role, SG_ACT_JOBS) ||
               !sg_employer_in_scope(e, p->base.session.scope)) {
        sg_reply_error(req, 403, "forbidden", "employer");
    } else if (validate_or_reply(p, p->body) == 0) {
        snprintf(p->j.employer, sizeof(p->j.employer), "%s", e->id);
        snprintf(p->j.employer_name, sizeof(p->j.employer_name), "%s", e->name);
        snprintf(p->j.scope, sizeof(p->j.scope), "%s", e->scope);
        save(p);
        return;
    }
    finish(p);
}

static void create(struct sg_staff_req *base)
{
    struct job_req *p = (struct job_req *)base;
    h2o_req_t *req = base->super.req;
    const char *employer = NULL;
    if ((p->body = sg_json_body_or_reply(req, SG_BODY_FORM)) == NULL) {
        finish(p);
        return;
    }
    employer = sg_json_string(p->body, "employer", NULL, NULL);
    if (employer == NULL || !sg__digits(employer, strlen(employer), SG_EMPLOYER_ID_MAX)) {
        struct sg_field_errors errs = {0};
        sg_field_errors_add(&errs, "employer", "required");
        sg_reply_invalid(req, &errs);
        finish(p);
        return;
    }
    int ret = sg_store_employer_get(base->super.app->store, employer, on_employer, p);
    if (ret != 0) {
        sg_reply_store_error(req, ret);
        finish(p);
    }
}

static void patch(struct job_req *p, const struct sg_job *cur)
{
    h2o_req_t *req = p->base.super.req;
    cJSON *o = sg_json_body_or_reply(req, SG_BODY_FORM), *merged = NULL, *item;
    int ok = 0;
    if (o != NULL) {
        merged = sg__json_job(p->base.super.app, cur);
        cJSON_ReplaceItemInObjectCaseSensitive(merged, "city", cJSON_CreateString(cur->city));
        cJSON_ArrayForEach(item, o) {
            if (strcmp(item->string, "id") == 0 || strcmp(item->string, "employer") == 0)
                continue;
            cJSON_DeleteItemFromObjectCaseSensitive(merged, item->string);
            cJSON_AddItemToObject(merged, item->string, cJSON_Duplicate(item, 1));
        }
        p->j = *cur;
        p->update = true;
        ok = validate_or_reply(p, merged) == 0;
    }
    cJSON_Delete(o);
    cJSON_Delete(merged);
    if (ok)
        save(p);
    else
        finish(p);
}

static void on_job(void *data, int status, const struct sg_job *j)
{
    struct job_req *p = data;
    h2o_req_t *req = p->base.super.req;
    bool patching = req != NULL && sg_method_is(req, "PATCH");
    if (req != NULL && status != 0)
        sg_reply_store_error(req, status);
    else if (req != NULL && patching && !may_change(&p->base, j))
        sg_reply_error(req, 403, "forbidden", "scope");
    else if (req != NULL && patching) {
        patch(p, j);
        return;
    } else if (req != NULL)
        sg_reply_json(req, 200, sg__json_job(p->base.super.app, j));
    finish(p);
}

static void get_one(struct sg_staff_req *base)
{
    struct job_req *p = (struct job_req *)base;
    int ret = sg_store_job_get(base->super.app->store, p->id, on_job, p);
    if (ret != 0) {
        sg_reply_store_error(base->super.req, ret);
        finish(p);
    }
}

/* ---- lists ------------------------------------------------------------------------------------ */

static bool text_matches(const struct sg_job *j, const char *q)
{
    return q == NULL || q[0] == '\0' || strstr(j->title, q) != NULL || strstr(j->employer_name, q) != NULL ||
           strstr(j->skills, q) != NULL;
}

/* Public: open jobs of a city or province (prefix), matching q, offset/limit; nobody's personal data. */
static void on_public(void *data, int status, const struct sg__catalog *c)
{
    struct sg_pending *p = data;
    h2o_req_t *req = p->req;
    long offset = 0;
    if (req != NULL && status != 0)
        sg_reply_store_error(req, status);
    else if (req != NULL && sg_query_number_or_reply(req, "offset", 0, 0, 100000, &offset)) {
        const char *q = sg_query_param(req, "q"), *city = sg_query_param(req, "city");
        struct sg_date today = sg_app_today(p->app);
        cJSON *root = cJSON_CreateObject(), *list = cJSON_AddArrayToObject(root, "jobs");
        size_t total = 0;
        for (size_t i = 0; i != c->njobs; ++i) {
            const struct sg_job *j = &c->jobs[i];
            if (!sg_job_open(j, today) || !text_matches(j, q) ||
                (city != NULL && city[0] != '\0' && strncmp(j->city, city, strlen(city)) != 0))
                continue;
            if (total >= (size_t)offset && total < (size_t)offset + PAGE_MAX)
                cJSON_AddItemToArray(list, sg__json_job(p->app, j));
            ++total;
        }
        cJSON_AddNumberToObject(root, "total", (double)total);
        sg_reply_json(req, 200, root);
    }
    sg_pending_free(p);
}

static void on_staff_list(void *data, int status, const struct sg__catalog *c)
{
    struct sg_staff_req *p = data;
    h2o_req_t *req = p->super.req;
    if (req != NULL && status != 0)
        sg_reply_store_error(req, status);
    else if (req != NULL) {
        const char *scope = sg_query_param(req, "scope"), *q = sg_query_param(req, "q");
        cJSON *root = cJSON_CreateObject(), *list = cJSON_AddArrayToObject(root, "jobs");
        for (size_t i = 0; i != c->njobs; ++i)
            if ((sg_scope_contains(scope, c->jobs[i].scope) || sg_scope_contains(scope, c->jobs[i].city)) &&
                text_matches(&c->jobs[i], q))
                cJSON_AddItemToArray(list, sg__json_job(p->super.app, &c->jobs[i]));
        sg_reply_json(req, 200, root);
    }
    sg_pending_free(p);
}

static void staff_list(struct sg_staff_req *base)
{
    const char *scope = sg_scope_param_or_reply(base, SG_ACT_VIEW);
    int ret = scope != NULL ? sg__catalog_get(base->super.app, on_staff_list, base) : 0;
    if (ret != 0)
        sg_reply_store_error(base->super.req, ret);
    if (scope == NULL || ret != 0)
        sg_pending_free(base);
}

static int list(h2o_req_t *req, struct sg_app *app)
{
    const char *code = sg_query_param(req, "for");
    if (code != NULL)
        return sg__jobs_fit(req, app, code);
    if (sg_query_param(req, "scope") != NULL) {
        struct sg_staff_req *p = sg_pending_new(req, app, sizeof(struct job_req));
        sg_staff_begin(p, staff_list);
        return 0;
    }
    struct sg_pending *p = sg_pending_new(req, app, sizeof(*p));
    int ret = sg__catalog_get(app, on_public, p);
    if (ret != 0) {
        sg_reply_store_error(req, ret);
        sg_pending_free(p);
    }
    return 0;
}

int sg_on_jobs(h2o_handler_t *self, h2o_req_t *req)
{
    static const char base[] = "/api/jobs";
    struct sg_app *app = sg_handler_app(self);
    h2o_iovec_t path = req->path_normalized;
    size_t n = sizeof(base) - 1;
    if (path.len == n || (path.len == n + 1 && path.base[n] == '/')) {
        if (sg_method_is(req, "GET"))
            return list(req, app);
        if (!sg_method_is(req, "POST"))
            return sg_reply_method_not_allowed(req, "GET, POST");
        struct job_req *p = sg_pending_new(req, app, sizeof(*p));
        sg_staff_begin(&p->base, create);
        return 0;
    }
    if (path.base[n] != '/' || !sg__digits(path.base + n + 1, path.len - n - 1, SG_JOB_ID_MAX)) {
        sg_reply_error(req, 404, "not_found", NULL);
        return 0;
    }
    if (!sg_method_is(req, "GET") && !sg_method_is(req, "PATCH"))
        return sg_reply_method_not_allowed(req, "GET, PATCH");
    struct job_req *p = sg_pending_new(req, app, sizeof(*p));
    memcpy(p->id, path.base + n + 1, path.len - n - 1);
    sg_staff_begin(&p->base, get_one);
    return 0;
}
