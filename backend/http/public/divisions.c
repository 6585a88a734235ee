/* SPDX-License-Identifier: MIT */
/* GET /api/divisions/{code}[?children=1][?q=TEXT], GET /api/destinations and GET
 * /api/campaign: the data the server loaded at start, as JSON. No store access. */
#include <string.h>
#include "http/core/json.h"
#include "http/core/routes.h"
#include "http/core/reply.h"
#include "http/core/request.h"
#include "http/public/public.h"

/* The divisions one level below d, in code order (pickers choose a place by name). */
static cJSON *json_children(const struct sg_divisions *ds, const struct sg_division *d)
{
    cJSON *children = cJSON_CreateArray();
    size_t begin, end, len = sg_level_code_len(d->level + 1);
    if (d->level == SG_LEVEL_VILLAGE || sg_divisions_range(ds, d->code, &begin, &end) != 0)
        return children;
    for (size_t i = begin; i != end; ++i) {
        const struct sg_division *c = sg_divisions_at(ds, i);
        if (c->len != len)
            continue;
        cJSON *item = cJSON_CreateObject();
        cJSON_AddStringToObject(item, "code", c->code);
        cJSON_AddStringToObject(item, "name", c->name);
        cJSON_AddItemToArray(children, item);
    }
    return children;
}

#define SEARCH_MAX 30

/* One village found by a search, named from below d down: "民生街道 官桥村委会". */
static cJSON *json_found(const struct sg_division *v, const struct sg_division *county,
                         const struct sg_division *township, const struct sg_division *d)
{
    char where[256];
    cJSON *item = cJSON_CreateObject();
    snprintf(where, sizeof(where), "%s%s%s", county != NULL && d->len < county->len ? county->name : "",
             county != NULL && d->len < county->len ? " " : "", township != NULL ? township->name : "");
    cJSON_AddStringToObject(item, "code", v->code);
    cJSON_AddStringToObject(item, "name", v->name);
    cJSON_AddStringToObject(item, "where", where);
    return item;
}

/* The villages under d whose name, or whose township's or county's, holds q (UTF-8
 * bytes), in code order, at most SEARCH_MAX; "more": true when there were more. */
static cJSON *json_search(const struct sg_divisions *ds, const struct sg_division *d, const char *q)
{
    cJSON *root = cJSON_CreateObject(), *list = cJSON_AddArrayToObject(root, "villages");
    const struct sg_division *county = NULL, *township = NULL;
    size_t begin, end, n = 0;
    bool more = false;
    if (q[0] != '\0' && sg_divisions_range(ds, d->code, &begin, &end) == 0)
        for (size_t i = begin; i != end && !more; ++i) {
            const struct sg_division *c = sg_divisions_at(ds, i);
            if (c->level == SG_LEVEL_COUNTY)
                county = c;
            else if (c->level == SG_LEVEL_TOWNSHIP)
                township = c;
            if (c->level != SG_LEVEL_VILLAGE)
                continue;
            if (strstr(c->name, q) == NULL && (township == NULL || strstr(township->name, q) == NULL) &&
                (county == NULL || d->len >= county->len || strstr(county->name, q) == NULL))
                continue;
            if (n++ == SEARCH_MAX)
                more = true;
            else
                cJSON_AddItemToArray(list, json_found(c, county, township, d));
        }
    cJSON_AddBoolToObject(root, "more", more);
    return root;
}

int sg_on_division(h2o_handler_t *self, h2o_req_t *req)
{
    struct sg_app *app = sg_handler_app(self);
    if (!sg_method_is(req, "GET") && !sg_method_is(req, "HEAD"))
        return sg_reply_method_not_allowed(req, "GET, HEAD");
    static const char prefix[] = "/api/divisions/";
    h2o_iovec_t path = req->path_normalized;
    const struct sg_division *d = NULL;
    if (path.len > sizeof(prefix) - 1)
        d = sg_divisions_find(app->divisions, path.base + sizeof(prefix) - 1, path.len - (sizeof(prefix) - 1));
    if (d == NULL) {
        sg_reply_error(req, 404, "not_found", NULL);
        return 0;
    }
    const char *q = sg_query_param(req, "q");
    if (q != NULL) { /* staff choosing a village by name */
        sg_reply_json(req, 200, json_search(app->divisions, d, q));
        return 0;
    }
    cJSON *o = sg_json_division(app->divisions, d);
    const char *children = sg_query_param(req, "children");
    if (children != NULL && strcmp(children, "1") == 0)
        cJSON_AddItemToObject(o, "children", json_children(app->divisions, d));
    sg_reply_json(req, 200, o);
    return 0;
}

int sg_on_destinations(h2o_handler_t *self, h2o_req_t *req)
{
    struct sg_app *app = sg_handler_app(self);
    if (!sg_method_is(req, "GET") && !sg_method_is(req, "HEAD"))
        return sg_reply_method_not_allowed(req, "GET, HEAD");
    cJSON *root = cJSON_CreateObject(), *provinces = cJSON_AddArrayToObject(root, "provinces"), *cities = NULL;
    for (size_t i = 0, n = sg_divisions_count(app->destinations); i != n; ++i) {
        const struct sg_division *d = sg_divisions_at(app->destinations, i);
        cJSON *item = cJSON_CreateObject();
        cJSON_AddStringToObject(item, "code", d->code);
        cJSON_AddStringToObject(item, "name", d->name);
        if (d->level == SG_LEVEL_PROVINCE) {
            cities = cJSON_AddArrayToObject(item, "cities");
            cJSON_AddItemToArray(provinces, item);
        } else if (cities != NULL) {
            cJSON_AddItemToArray(cities, item);
        } else {
            cJSON_Delete(item);
        }
    }
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL, H2O_STRLIT("public, max-age=3600"));
    sg_reply_json(req, 200, root);
    return 0;
}

int sg_on_campaign(h2o_handler_t *self, h2o_req_t *req)
{
    struct sg_app *app = sg_handler_app(self);
    if (!sg_method_is(req, "GET") && !sg_method_is(req, "HEAD"))
        return sg_reply_method_not_allowed(req, "GET, HEAD");
    const struct sg_campaign *c = sg_app_active_campaign(app);
    if (c == NULL) {
        sg_reply_error(req, 404, "campaign_closed", NULL);
        return 0;
    }
    char today[11];
    sg_date_format(sg_app_today(app), today);
    cJSON *root = sg_json_campaign(c);
    cJSON_AddStringToObject(root, "today", today); /* the page's "not before today", whatever the phone's clock says */
    sg_reply_json(req, 200, root);
    return 0;
}
