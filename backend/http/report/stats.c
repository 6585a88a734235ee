/* SPDX-License-Identifier: MIT */
/* GET /api/stats?scope=CODE&campaign=ID: the dashboard's figures for a scope, summed from
 * the counters kept at write time (docs/redis-keys.md) with one Redis round trip. */
#include <stdlib.h>
#include <string.h>
#include "domain/err.h"
#include "domain/stats.h"
#include "http/core/reply.h"
#include "http/core/request.h"
#include "http/staff/staff.h"
#include "http/core/routes.h"
#include "http/jobs/jobs.h"
#include "http/report/report.h"
#include "store/store.h"

struct stats_read {
    struct sg_app *app;
    const struct sg_campaign *campaign;
    sg_stats_done_cb done;
    void *data;
    struct sg_stats stats;
};

static void on_counter(void *data, size_t index, const char *field, size_t flen, long n)
{
    struct stats_read *r = data;
    sg_stats_add(&r->stats, index, field, flen, n);
}

static cJSON *json_counts(const struct sg_stats_counts *c)
{
    cJSON *obj = cJSON_CreateObject(), *ret;
    cJSON_AddNumberToObject(obj, "people", (double)c->people);
    cJSON_AddNumberToObject(obj, "regs", (double)c->regs);
    cJSON_AddNumberToObject(obj, "poverty", (double)c->poverty);
    cJSON_AddNumberToObject(obj, "age50", (double)c->age50);
    cJSON_AddNumberToObject(obj, "low_income", (double)c->low);
    cJSON_AddNumberToObject(obj, "today", (double)c->today);
    ret = cJSON_AddObjectToObject(obj, "returns");
    cJSON_AddNumberToObject(ret, "outbound", (double)c->outbound);
    cJSON_AddNumberToObject(ret, "returned", (double)c->returned);
    cJSON_AddNumberToObject(ret, "not_returned", (double)c->not_returned);
    cJSON_AddNumberToObject(ret, "villages", (double)c->return_villages);
    cJSON_AddNumberToObject(ret, "flagged", (double)c->return_flagged);
    cJSON *t = cJSON_AddObjectToObject(obj, "transport");
    cJSON_AddNumberToObject(t, "assigned", (double)c->assigned);
    cJSON_AddNumberToObject(t, "notified", (double)c->notified);
    cJSON_AddNumberToObject(t, "boarded", (double)c->boarded);
    cJSON_AddNumberToObject(t, "departed", (double)c->departed);
    cJSON_AddNumberToObject(t, "arrived", (double)c->arrived);
    return obj;
}

static const char *dest_name(const struct sg_app *app, const char *code, size_t len)
{
    const struct sg_division *d = sg_divisions_find(app->destinations, code, len);
    return d != NULL ? d->name : "";
}

/* by_province from the city buckets (sorted by people, so provinces come out in order of
 * their first city; re-sorted by the client when it matters). */
static void add_destinations(cJSON *root, const struct sg_app *app, const struct sg_stats *st)
{
    cJSON *cities = cJSON_AddArrayToObject(root, "by_city"), *provinces = cJSON_AddArrayToObject(root, "by_province");
    for (size_t i = 0; i != st->ndest; ++i) {
        const struct sg_stats_bucket *b = &st->dest[i];
        if (b->n <= 0)
            continue;
        cJSON *c = cJSON_CreateObject(), *p;
        cJSON_AddStringToObject(c, "code", b->key);
        cJSON_AddStringToObject(c, "name", dest_name(app, b->key, 4));
        cJSON_AddStringToObject(c, "province", dest_name(app, b->key, 2));
        cJSON_AddNumberToObject(c, "people", (double)b->n);
        cJSON_AddItemToArray(cities, c);
        cJSON_ArrayForEach(p, provinces) {
            if (strncmp(cJSON_GetObjectItemCaseSensitive(p, "code")->valuestring, b->key, 2) == 0)
                break;
        }
        if (p == NULL) {
            p = cJSON_CreateObject();
            cJSON_AddStringToObject(p, "code", (char[3]){b->key[0], b->key[1], '\0'});
            cJSON_AddStringToObject(p, "name", dest_name(app, b->key, 2));
            cJSON_AddNumberToObject(p, "people", 0);
            cJSON_AddItemToArray(provinces, p);
        }
        cJSON *people = cJSON_GetObjectItemCaseSensitive(p, "people");
        cJSON_SetNumberValue(people, people->valuedouble + (double)b->n);
    }
}

static cJSON *json_stats(const struct stats_read *r)
{
    const struct sg_stats *st = &r->stats;
    cJSON *root = cJSON_CreateObject(), *scope = cJSON_AddObjectToObject(root, "scope"), *children, *dates;
    cJSON_AddStringToObject(scope, "code", st->scope->code);
    cJSON_AddStringToObject(scope, "name", st->scope->name);
    cJSON_AddStringToObject(scope, "level", sg_level_name(st->scope->level));
    cJSON_AddStringToObject(root, "campaign", r->campaign->id);
    cJSON_AddStringToObject(root, "today", st->today);
    cJSON_AddItemToObject(root, "totals", json_counts(&st->total));
    cJSON_AddItemToObject(
        root, "transport",
        cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "totals"), "transport"),
                        1));
    children = cJSON_AddArrayToObject(root, "children");
    for (size_t i = 0; i != st->nchildren; ++i) {
        cJSON *c = json_counts(&st->children[i].counts);
        cJSON_AddItemToObject(c, "code", cJSON_CreateString(st->children[i].division->code));
        cJSON_AddItemToObject(c, "name", cJSON_CreateString(st->children[i].division->name));
        cJSON_AddItemToArray(children, c);
    }
    add_destinations(root, r->app, st);
    dates = cJSON_AddArrayToObject(root, "by_date");
    for (size_t i = 0; i != st->ndates; ++i) {
        if (st->dates[i].n <= 0)
            continue;
        cJSON *d = cJSON_CreateObject();
        cJSON_AddStringToObject(d, "date", st->dates[i].key);
        cJSON_AddNumberToObject(d, "people", (double)st->dates[i].n);
        cJSON_AddItemToArray(dates, d);
    }
    return root;
}

static void free_read(struct stats_read *r)
{
    sg_stats_dispose(&r->stats);
    free(r);
}

static void on_counters_done(void *data, int status)
{
    struct stats_read *r = data;
    cJSON *json = NULL;
    if (status == 0) {
        sg_stats_finish(&r->stats);
        json = json_stats(r);
    }
    r->done(r->data, status, json);
    free_read(r);
}

int sg_stats_read(struct sg_app *app, const struct sg_campaign *c, const char *scope, sg_stats_done_cb done, void *data)
{
    struct stats_read *r = calloc(1, sizeof(*r));
    if (r == NULL)
        abort();
    *r = (struct stats_read){.app = app, .campaign = c, .done = done, .data = data};
    if (sg_stats_init(&r->stats, app->divisions, scope, sg_app_today(app)) != 0) {
        free_read(r);
        return SG_ENOENT;
    }
    const char **codes = malloc((r->stats.nsources + 1) * sizeof(*codes));
    if (codes == NULL)
        abort();
    for (size_t i = 0; i != r->stats.nsources; ++i)
        codes[i] = r->stats.sources[i]->code;
    int ret = sg_store_counters_read(app->store, c->id, codes, r->stats.nsources, on_counter, on_counters_done, r);
    free(codes);
    if (ret != 0)
        free_read(r);
    return ret;
}

static void on_stats(void *data, int status, cJSON *json)
{
    struct sg_staff_req *p = data;
    if (p->super.req == NULL)
        cJSON_Delete(json);
    else if (status != 0)
        sg_reply_store_error(p->super.req, status);
    else
        sg_reply_json(p->super.req, 200, json);
    sg_pending_free(p);
}

static void get_stats(struct sg_staff_req *p)
{
    const char *scope = sg_scope_param_or_reply(p, SG_ACT_VIEW);
    const struct sg_campaign *c = scope != NULL ? sg_campaign_param_or_reply(p) : NULL;
    const char *by = sg_query_param(p->super.req, "by");
    if (c != NULL && by != NULL) { /* jobs (issue 17): 分类汇集 */
        sg_stats_by(p, scope, c, by);
        return;
    }
    int ret = c != NULL ? sg_stats_read(p->super.app, c, scope, on_stats, p) : 0;
    if (ret != 0)
        sg_reply_store_error(p->super.req, ret);
    if (c == NULL || ret != 0)
        sg_pending_free(p);
}

int sg_on_stats(h2o_handler_t *self, h2o_req_t *req)
{
    if (!sg_method_is(req, "GET"))
        return sg_reply_method_not_allowed(req, "GET");
    sg_staff_begin(sg_pending_new(req, sg_handler_app(self), sizeof(struct sg_staff_req)), get_stats);
    return 0;
}
