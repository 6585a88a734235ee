/* SPDX-License-Identifier: MIT */
/* /api/employers: POST (staff of a scope register an employer kept by a division in it),
 * GET ?q=&city= (every staff member searches them), GET and PATCH /{id} (staff of the
 * scope it is kept in or located in), and GET /api/employers/names?city= (public: the
 * names the sign-up form offers, nothing else). Changes are audited. */
#include <stdlib.h>
#include <string.h>
#include "domain/err.h"
#include "domain/mask.h"
#include "http/core/json.h"
#include "http/core/reply.h"
#include "http/core/request.h"
#include "http/core/routes.h"
#include "http/jobs/jobs.h"
#include "store/jobs.h"

#define LIST_MAX 200

struct employer_req {
    struct sg_staff_req base;
    char id[SG_EMPLOYER_ID_MAX + 1];
    struct sg_employer e;
};

cJSON *sg__json_employer(const struct sg_app *app, const struct sg_employer *e, bool full_contact)
{
    cJSON *o = cJSON_CreateObject();
    char masked[12] = "";
    if (e->contact_phone[0] != '\0')
        sg_mask_phone(e->contact_phone, masked);
    cJSON_AddStringToObject(o, "id", e->id);
    cJSON_AddStringToObject(o, "name", e->name);
    cJSON_AddStringToObject(o, "credit_code", e->credit_code);
    cJSON_AddStringToObject(o, "scope", e->scope);
    cJSON_AddItemToObject(o, "city", sg_json_city(app, e->city));
    cJSON_AddBoolToObject(o, "in_region", strncmp(e->city, e->scope, 2) == 0);
    cJSON_AddStringToObject(o, "park", e->park);
    cJSON_AddStringToObject(o, "industry", sg_work_name(e->industry));
    cJSON_AddStringToObject(o, "industry_label", sg_work_label(e->industry));
    cJSON_AddBoolToObject(o, "key", e->key);
    cJSON_AddStringToObject(o, "contact_name", e->contact_name);
    cJSON_AddStringToObject(o, "contact_phone", full_contact ? e->contact_phone : masked);
    cJSON_AddBoolToObject(o, "editable", full_contact);
    return o;
}

static bool may_change(const struct sg_staff_req *p, const struct sg_employer *e)
{
    return sg_role_may((enum sg_role)p->session.role, SG_ACT_JOBS) && sg_employer_in_scope(e, p->session.scope);
}

/* The body's fields into p->e (id and scope kept); 0, or the 422 has been sent. */
static int validate_or_reply(struct employer_req *p, const cJSON *o)
{
    struct sg_field_errors errs = {0}, rules = {0};
    struct sg_employer_input in = {
        .name = sg_json_string(o, "name", NULL, &errs),
        .credit_code = sg_json_string(o, "credit_code", NULL, &errs),
        .city = sg_json_string(o, "city", NULL, &errs),
        .park = sg_json_string(o, "park", NULL, &errs),
        .industry = sg_json_string(o, "industry", NULL, &errs),
        .contact_name = sg_json_string(o, "contact_name", NULL, &errs),
        .contact_phone = sg_json_string(o, "contact_phone", NULL, &errs),
        .key = sg_json_bool(o, "key", NULL, &errs),
    };
    sg_employer_validate(&in, p->base.super.app->destinations, &p->e, &rules);
    for (size_t i = 0; i != rules.n; ++i)
        sg_field_errors_add(&errs, rules.e[i].field, rules.e[i].code);
    if (errs.n == 0)
        return 0;
    sg_reply_invalid(p->base.super.req, &errs);
    return -1;
}

static void on_saved(void *data, int status, const struct sg_employer *e, const char *taken_by)
{
    struct employer_req *p = data;
    h2o_req_t *req = p->base.super.req;
    if (status == 0) {
        sg_staff_audit(&p->base, p->id[0] == '\0' ? "employer_create" : "employer_edit", e->id, e->credit_code);
        sg__catalog_stale();
    }
    if (req == NULL) {
        /* gone: the audit entry above is what is left */
    } else if (status == 0) {
        sg_reply_json(req, p->id[0] == '\0' ? 201 : 200, sg__json_employer(p->base.super.app, e, true));
    } else if (status == SG_EEXIST) {
        struct sg_field_errors errs = {0};
        sg_field_errors_add(&errs, "credit_code", "credit_taken");
        (void)taken_by;
        sg_reply_invalid(req, &errs);
    } else {
        sg_reply_store_error(req, status);
    }
    sg_pending_free(p);
}

static void save(struct employer_req *p, bool update)
{
    int ret = sg_store_employer_save(p->base.super.app->store, &p->e, update, on_saved, p);
    if (ret != 0) {
        sg_reply_store_error(p->base.super.req, ret);
        sg_pending_free(p);
    }
}

static void create(struct sg_staff_req *base)
{
    struct employer_req *p = (struct employer_req *)base;
    h2o_req_t *req = base->super.req;
    cJSON *o = sg_json_body_or_reply(req, SG_BODY_FORM);
    const char *scope = o != NULL ? sg_json_string(o, "scope", NULL, NULL) : NULL;
    int ok = 0;
    if (o != NULL) {
        if (scope == NULL || scope[0] == '\0')
            scope = base->session.scope;
        if (sg_divisions_find(base->super.app->divisions, scope, strlen(scope)) == NULL)
            sg_reply_error(req, 404, "unknown_division", "scope");
        else if (sg_staff_allow_or_reply(base, scope, SG_ACT_JOBS) && validate_or_reply(p, o) == 0)
            ok = 1;
    }
    if (ok)
        snprintf(p->e.scope, sizeof(p->e.scope), "%s", scope);
    cJSON_Delete(o);
    if (ok)
        save(p, false);
    else
        sg_pending_free(p);
}

/* PATCH: the stored employer as JSON with the body's fields laid over it, validated whole. */
static void patch(struct employer_req *p, const struct sg_employer *cur)
{
    h2o_req_t *req = p->base.super.req;
    cJSON *o = sg_json_body_or_reply(req, SG_BODY_FORM), *merged = NULL, *item;
    int ok = 0;
    if (o != NULL) {
        merged = sg__json_employer(p->base.super.app, cur, true);
        cJSON_ReplaceItemInObjectCaseSensitive(merged, "city", cJSON_CreateString(cur->city));
        cJSON_ArrayForEach(item, o) {
            if (strcmp(item->string, "id") == 0 || strcmp(item->string, "scope") == 0)
                continue; /* not the client's to change */
            cJSON_DeleteItemFromObjectCaseSensitive(merged, item->string);
            cJSON_AddItemToObject(merged, item->string, cJSON_Duplicate(item, 1));
        }
        p->e = *cur;
        ok = validate_or_reply(p, merged) == 0;
    }
    cJSON_Delete(o);
    cJSON_Delete(merged);
    if (ok)
        save(p, true);
    else
        sg_pending_free(p);
}

static void on_employer(void *data, int status, const struct sg_employer *e, const char *taken_by)
{
    struct employer_req *p = data;
    h2o_req_t *req = p->base.super.req;
    bool patching = req != NULL && sg_method_is(req, "PATCH");
    if (req != NULL && status != 0)
        sg_reply_store_error(req, status); /* 404 for SG_ENOENT */
    else if (req != NULL && patching && !may_change(&p->base, e))
        sg_reply_error(req, 403, "forbidden", "scope");
    else if (req != NULL && patching) {
        patch(p, e); /* frees p */
        return;
    } else if (req != NULL)
        sg_reply_json(req, 200, sg__json_employer(p->base.super.app, e, may_change(&p->base, e)));
    sg_pending_free(p);
}

static void get_one(struct sg_staff_req *base)
{
    struct employer_req *p = (struct employer_req *)base;
    int ret = sg_store_employer_get(base->super.app->store, p->id, on_employer, p);
    if (ret != 0) {
        sg_reply_store_error(base->super.req, ret);
        sg_pending_free(p);
    }
}

static bool matches(const struct sg_employer *e, const char *q, const char *city)
{
    return (city == NULL || city[0] == '\0' || strncmp(e->city, city, strlen(city)) == 0) &&
           (q == NULL || q[0] == '\0' || strstr(e->name, q) != NULL || strstr(e->credit_code, q) != NULL ||
            strstr(e->park, q) != NULL);
}

static void on_list(void *data, int status, const struct sg__catalog *c)
{
    struct employer_req *p = data;
    h2o_req_t *req = p->base.super.req;
    if (req != NULL && status != 0)
        sg_reply_store_error(req, status);
    else if (req != NULL) {
        const char *q = sg_query_param(req, "q"), *city = sg_query_param(req, "city");
        cJSON *root = cJSON_CreateObject(), *list = cJSON_AddArrayToObject(root, "employers");
        size_t n = 0;
        for (size_t pass = 0; pass != 2; ++pass) /* key enterprises (重点企业) first */
            for (size_t i = 0; i != c->nemployers && n != LIST_MAX; ++i)
                if (c->employers[i].key == (pass == 0) && matches(&c->employers[i], q, city))
                    ++n, cJSON_AddItemToArray(list, sg__json_employer(p->base.super.app, &c->employers[i],
                                                                      may_change(&p->base, &c->employers[i])));
        sg_reply_json(req, 200, root);
    }
    sg_pending_free(p);
}

static void list(struct sg_staff_req *base)
{
    int ret = sg__catalog_get(base->super.app, on_list, base);
    if (ret != 0) {
        sg_reply_store_error(base->super.req, ret);
        sg_pending_free(base);
    }
}

/* GET /api/employers/names?city=: public, names and ids only (the sign-up form's list). */
static void on_names(void *data, int status, const struct sg__catalog *c)
{
    struct sg_pending *p = data;
    h2o_req_t *req = p->req;
    if (req != NULL && status != 0)
        sg_reply_store_error(req, status);
    else if (req != NULL) {
        const char *city = sg_query_param(req, "city");
        cJSON *root = cJSON_CreateObject(), *list = cJSON_AddArrayToObject(root, "employers");
        for (size_t i = 0; city != NULL && strlen(city) == 4 && i != c->nemployers; ++i) {
            if (strcmp(c->employers[i].city, city) != 0)
                continue;
            cJSON *e = cJSON_CreateObject();
            cJSON_AddStringToObject(e, "id", c->employers[i].id);
            cJSON_AddStringToObject(e, "name", c->employers[i].name);
            cJSON_AddItemToArray(list, e);
        }
        sg_reply_json(req, 200, root);
    }
    sg_pending_free(p);
}

static int names(h2o_req_t *req, struct sg_app *app)
{
    struct sg_pending *p = sg_pending_new(req, app, sizeof(*p));
    int ret = sg__catalog_get(app, on_names, p);
    if (ret != 0) {
        sg_reply_store_error(req, ret);
        sg_pending_free(p);
    }
    return 0;
}

int sg_on_employers(h2o_handler_t *self, h2o_req_t *req)
{
    static const char base[] = "/api/employers";
    struct sg_app *app = sg_handler_app(self);
    h2o_iovec_t path = req->path_normalized;
    size_t n = sizeof(base) - 1;
    if (path.len == n || (path.len == n + 1 && path.base[n] == '/')) {
        if (!sg_method_is(req, "GET") && !sg_method_is(req, "POST"))
            return sg_reply_method_not_allowed(req, "GET, POST");
        struct employer_req *p = sg_pending_new(req, app, sizeof(*p));
        sg_staff_begin(&p->base, sg_method_is(req, "POST") ? create : list);
        return 0;
    }
    if (h2o_memis(path.base + n, path.len - n, H2O_STRLIT("/names"))) {
        if (!sg_method_is(req, "GET"))
            return sg_reply_method_not_allowed(req, "GET");
        return names(req, app);
    }
    size_t idlen = path.len - n - 1;
    if (path.base[n] != '/' || !sg__digits(path.base + n + 1, idlen, SG_EMPLOYER_ID_MAX)) {
        sg_reply_error(req, 404, "not_found", NULL);
        return 0;
    }
    if (!sg_method_is(req, "GET") && !sg_method_is(req, "PATCH"))
        return sg_reply_method_not_allowed(req, "GET, PATCH");
    struct employer_req *p = sg_pending_new(req, app, sizeof(*p));
    memcpy(p->id, path.base + n + 1, idlen);
    sg_staff_begin(&p->base, get_one);
    return 0;
}
