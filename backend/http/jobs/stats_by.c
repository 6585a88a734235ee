/* SPDX-License-Identifier: MIT */
/* GET /api/stats?scope=&by=category|dest|employer[&format=csv]: 分类汇集, the sign-ups of a
 * scope grouped by 区内就业 / 区外出行, by destination (cities, with their provinces) or
 * by registered employer (the ones picked on the form, then those without), for the scope
 * and each division one level down, with people and poverty people; as JSON or as CSV for
 * reporting up level by level (逐级报送). One read of the counters kept at write time. */
#include <stdlib.h>
#include <string.h>
#include "domain/category.h"
#include "domain/csv.h"
#include "domain/err.h"
#include "domain/stats.h"
#include "http/core/json.h"
#include "http/core/reply.h"
#include "http/core/request.h"
#include "http/jobs/jobs.h"
#include "store/store.h"

struct by_req {
    struct sg_staff_req *p;
    const struct sg_campaign *campaign;
    struct sg_stats stats; /* which hashes, and their children */
    struct sg_category c;
    bool csv;
};

static void on_counter(void *data, size_t index, const char *field, size_t flen, long n)
{
    struct by_req *b = data;
    sg_category_add(&b->c, b->stats.source_child[index], field, flen, n);
}

static const char *label(struct by_req *b, const struct sg__catalog *cat, const char *key, char *buf, size_t size)
{
    if (b->c.by == SG_BY_CATEGORY)
        return strcmp(key, "in") == 0 ? "区内就业" : "区外出行";
    if (b->c.by == SG_BY_DEST) {
        const struct sg_division *city = sg_divisions_find(b->p->super.app->destinations, key, strlen(key));
        const struct sg_division *prov = sg_divisions_find(b->p->super.app->destinations, key, 2);
        snprintf(buf, size, "%s%s", prov != NULL ? prov->name : "", city != NULL && city != prov ? city->name : key);
        return buf;
    }
    if (key[0] == '\0')
        return "未登记或未填写的企业";
    for (size_t i = 0; cat != NULL && i != cat->nemployers; ++i)
        if (strcmp(cat->employers[i].id, key) == 0)
            return cat->employers[i].name;
    return "（已删除的企业）";
}

/* The JSON names of the measures (enum sg_category_measure); rows add by_division_{name}. */
static const char *const measure_names[SG_CM_N] = {"people", "poverty", "low_income"};

static cJSON *json_rows(struct by_req *b, const struct sg__catalog *cat)
{
    cJSON *root = cJSON_CreateObject(), *divs = cJSON_AddArrayToObject(root, "divisions"),
          *rows = cJSON_AddArrayToObject(root, "rows");
    static const char *const names[] = {"category", "dest", "employer"};
    cJSON_AddStringToObject(root, "scope", b->stats.scope->code);
    cJSON_AddStringToObject(root, "scope_name", b->stats.scope->name);
    cJSON_AddStringToObject(root, "campaign", b->campaign->id);
    cJSON_AddStringToObject(root, "by", names[b->c.by]);
    for (int m = 0; m != SG_CM_N; ++m)
        cJSON_AddNumberToObject(root, measure_names[m], (double)b->c.n[m]);
    for (size_t k = 0; k != b->stats.nchildren; ++k) {
        cJSON *d = cJSON_CreateObject();
        cJSON_AddStringToObject(d, "code", b->stats.children[k].division->code);
        cJSON_AddStringToObject(d, "name", b->stats.children[k].division->name);
        cJSON_AddItemToArray(divs, d);
    }
    for (size_t i = 0; i != b->c.nrows; ++i) {
        const struct sg_category_row *r = &b->c.rows[i];
        char buf[128], by[40];
        cJSON *o = cJSON_CreateObject();
        bool some = false;
        cJSON_AddStringToObject(o, "key", r->key);
        cJSON_AddStringToObject(o, "name", label(b, cat, r->key, buf, sizeof(buf)));
        for (int m = 0; m != SG_CM_N; ++m) {
            cJSON_AddNumberToObject(o, measure_names[m], (double)r->n[m]);
            some = some || r->n[m] != 0;
        }
        for (int m = 0; m != SG_CM_N; ++m) {
            snprintf(by, sizeof(by), "by_division_%s", measure_names[m]);
            cJSON *list = cJSON_AddArrayToObject(o, by);
            for (size_t k = 0; k != b->stats.nchildren; ++k)
                cJSON_AddItemToArray(list, cJSON_CreateNumber((double)r->child[m][k]));
        }
        if (some)
            cJSON_AddItemToArray(rows, o);
        else
            cJSON_Delete(o);
    }
    return root;
}

/* CSV, one line per division and group: 区划代码,区划,分类,人数,其中脱贫人口,其中低收入人口 (and the
 * scope's totals). */
static void reply_csv(struct by_req *b, const struct sg__catalog *cat)
{
    h2o_req_t *req = b->p->super.req;
    size_t cap = 256 + b->c.nrows * (b->stats.nchildren + 1) * 700, len = 0;
    unsigned char *out = malloc(cap);
    if (out == NULL)
        abort();
    len += (size_t)snprintf((char *)out, cap, SG_CSV_BOM "区划代码,区划,分类,人数,其中脱贫人口,其中低收入人口\r\n");
    for (size_t i = 0; i != b->c.nrows; ++i) {
        const struct sg_category_row *r = &b->c.rows[i];
        char buf[128], name[SG_CSV_CELL_MAX(128)], place[SG_CSV_CELL_MAX(200)], full[200];
        sg_csv_cell(label(b, cat, r->key, buf, sizeof(buf)), name, sizeof(name));
        for (size_t k = 0; k <= b->stats.nchildren; ++k) {
            bool total = k == b->stats.nchildren;
            const struct sg_division *d = total ? b->stats.scope : b->stats.children[k].division;
            long people = total ? r->n[SG_CM_PEOPLE] : r->child[SG_CM_PEOPLE][k],
                 poverty = total ? r->n[SG_CM_POVERTY] : r->child[SG_CM_POVERTY][k],
                 low = total ? r->n[SG_CM_LOW] : r->child[SG_CM_LOW][k];
            snprintf(full, sizeof(full), "%s%s", d->name, total ? "（合计）" : "");
            sg_csv_cell(full, place, sizeof(place));
            if (people != 0 || poverty != 0 || low != 0)
                len += (size_t)snprintf((char *)out + len, cap - len, "%s,%s,%s,%ld,%ld,%ld\r\n", d->code, place, name,
                                        people, poverty, low);
        }
    }
    sg_reply_file(req, out, len, "text/csv; charset=utf-8", "fenlei.csv");
}

static void on_catalog(void *data, int status, const struct sg__catalog *cat)
{
    struct by_req *b = data;
    h2o_req_t *req = b->p->super.req;
    if (req != NULL && b->csv)
        reply_csv(b, status == 0 ? cat : NULL);
    else if (req != NULL)
        sg_reply_json(req, 200, json_rows(b, status == 0 ? cat : NULL));
    sg_category_dispose(&b->c);
    sg_stats_dispose(&b->stats);
    sg_pending_free(b->p);
    free(b);
}

static void on_done(void *data, int status)
{
    struct by_req *b = data;
    if (status == 0) {
        sg_category_finish(&b->c);
        if (sg__catalog_get(b->p->super.app, on_catalog, b) == 0)
            return;
    }
    if (b->p->super.req != NULL)
        sg_reply_store_error(b->p->super.req, status != 0 ? status : SG_EUNAVAIL);
    sg_category_dispose(&b->c);
    sg_stats_dispose(&b->stats);
    sg_pending_free(b->p);
    free(b);
}

void sg_stats_by(struct sg_staff_req *p, const char *scope, const struct sg_campaign *c, const char *by)
{
    int kind = sg_category_by_parse(by);
    const char *format = sg_query_param(p->super.req, "format");
    if (kind < 0) {
        sg_reply_error(p->super.req, 400, "bad_request", "by");
        sg_pending_free(p);
        return;
    }
    struct by_req *b = calloc(1, sizeof(*b));
    if (b == NULL)
        abort();
    b->p = p, b->campaign = c, b->csv = format != NULL && strcmp(format, "csv") == 0;
    int ret = sg_stats_init(&b->stats, p->super.app->divisions, scope, sg_app_today(p->super.app));
    const char **codes = ret == 0 ? malloc((b->stats.nsources + 1) * sizeof(*codes)) : NULL;
    if (ret == 0) {
        sg_category_init(&b->c, (enum sg_category_by)kind, scope, b->stats.nchildren);
        for (size_t i = 0; i != b->stats.nsources; ++i)
            codes[i] = b->stats.sources[i]->code;
        ret = sg_store_counters_read(p->super.app->store, c->id, codes, b->stats.nsources, on_counter, on_done, b);
    }
    free(codes);
    if (ret != 0) {
        sg_reply_store_error(p->super.req, ret);
        sg_category_dispose(&b->c);
        sg_stats_dispose(&b->stats);
        sg_pending_free(p);
        free(b);
    }
}
