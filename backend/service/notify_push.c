/* SPDX-License-Identifier: MIT */
/* A push event turned into messages: the push and its first job read, the target group
 * read again page by page (service/target.c) and each page's phones queued (once per
 * phone and push, notify_enqueue.lua); the last call acknowledges the event, so a sender
 * that dies half way leaves it pending and the next one queues what is missing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "domain/err.h"
#include "service/notify_internal.h"
#include "service/target.h"
#include "store/jobs.h"

struct expand {
    struct sg__sender *s;
    struct sg_notify_entry e;
    sg_store_status_cb done;
    struct sg_push push;
    struct sg_target target;
    char params[512];
    size_t njobs;
    bool failed; /* a page could not be queued: the event stays pending */
};

static void finish(struct expand *x, int status)
{
    x->done(x->s, status);
    free(x);
}

static void on_acked(void *data, int status)
{
    finish(data, status);
}

static void drop(struct expand *x)
{
    if (sg_store_notify_ack(x->s->app.store, SG_NOTIFY_EVENTS, x->e.id, on_acked, x) != 0)
        finish(x, SG_EUNAVAIL);
}

struct page {
    struct expand *x;
    struct sg_target_scan *scan;
};

static void on_enqueued(void *data, int status)
{
    struct page *pg = data;
    struct sg_target_scan *scan = pg->scan;
    if (status < 0) /* the event stays pending: a later turn goes over the group again */
        pg->x->failed = true;
    free(pg);
    sg_target_scan_next(scan);
}

static void on_page(void *data, struct sg_target_scan *scan, const struct sg_target_recipient *r, size_t n)
{
    struct expand *x = data;
    struct sg_notify_recipient *rs = calloc(n + 1, sizeof(*rs));
    struct page *pg = malloc(sizeof(*pg));
    if (rs == NULL || pg == NULL)
        abort();
    for (size_t i = 0; i != n; ++i)
        rs[i] = (struct sg_notify_recipient){r[i].phone, r[i].ph, r[i].masked, r[i].village, r[i].code};
    *pg = (struct page){x, scan};
    if (n == 0 || x->failed ||
        sg_store_notify_push_enqueue(x->s->app.store, x->push.id, "job", x->params, NULL, rs, n, sg_app_now_ms(),
                                     on_enqueued, pg) != 0)
        on_enqueued(pg, n == 0 || x->failed ? 0 : SG_EUNAVAIL);
    free(rs);
}

static void on_last(void *data, int status)
{
    finish(data, status);
}

static void on_scanned(void *data, int status, const struct sg_target_count *c)
{
    struct expand *x = data;
    if (status != 0 || x->failed ||
        sg_store_notify_push_enqueue(x->s->app.store, x->push.id, "job", x->params, x->e.id, NULL, 0, sg_app_now_ms(),
                                     on_last, x) != 0)
        finish(x, status != 0 ? status : SG_EUNAVAIL);
}

/* The job's message parameters: employer, title, count, wage, place. */
static void job_params(struct expand *x, const struct sg_job *j)
{
    char title[256], count[16], wage[64];
    const struct sg_division *city = sg_divisions_find(x->s->app.destinations, j->city, strlen(j->city));
    if (x->njobs > 1)
        snprintf(title, sizeof(title), "%s等%zu个岗位", j->title, x->njobs);
    else
        snprintf(title, sizeof(title), "%s", j->title);
    snprintf(count, sizeof(count), "%u", j->headcount);
    if (j->wage_min != 0 && j->wage_max != 0)
        snprintf(wage, sizeof(wage), "月薪%u-%u元", j->wage_min, j->wage_max);
    else if (j->wage_min != 0)
        snprintf(wage, sizeof(wage), "月薪%u元起", j->wage_min);
    else
        snprintf(wage, sizeof(wage), "工资面议");
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "employer", j->employer_name);
    cJSON_AddStringToObject(o, "title", title);
    cJSON_AddStringToObject(o, "count", count);
    cJSON_AddStringToObject(o, "wage", wage);
    cJSON_AddStringToObject(o, "place", city != NULL ? city->name : j->city);
    char *text = cJSON_PrintUnformatted(o);
    snprintf(x->params, sizeof(x->params), "%s", text != NULL ? text : "{}");
    cJSON_free(text);
    cJSON_Delete(o);
}

static void on_job(void *data, int status, const struct sg_job *j)
{
    struct expand *x = data;
    if (status == SG_ENOENT) {
        drop(x);
        return;
    }
    if (status != 0) {
        finish(x, status);
        return;
    }
    job_params(x, j);
    int ret = sg_target_scan_start(x->s->app.store, x->push.campaign, &x->target, sg_app_today(&x->s->app), on_page,
                                   on_scanned, x);
    if (ret != 0)
        finish(x, ret);
}

/* The target as the push keeps it (the JSON POST /api/pushes stored after checking it). */
static bool read_target(struct expand *x)
{
    cJSON *o = cJSON_Parse(x->push.filter);
    const cJSON *v;
    struct sg_target_input in = {.age_min = -1, .age_max = -1, .no_job = -1, .seeking = -1};
    struct sg_field_errors errs;
#define STR(name) ((v = cJSON_GetObjectItemCaseSensitive(o, name)) != NULL && cJSON_IsString(v) ? v->valuestring : NULL)
#define NUM(name)                                                                                                      \
    ((v = cJSON_GetObjectItemCaseSensitive(o, name)) != NULL && cJSON_IsNumber(v) ? (long)v->valuedouble : -1)
    in.scope = STR("scope"), in.poverty = STR("poverty"), in.work = STR("work"), in.dest = STR("dest");
    in.age_min = NUM("age_min"), in.age_max = NUM("age_max");
    in.no_job = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "no_job"));
    in.seeking = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "seeking"));
    in.low_income = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "low_income"));
#undef STR
#undef NUM
    bool ok = o != NULL && sg_target_validate(&in, x->s->app.divisions, x->s->app.destinations, &x->target, &errs) == 0;
    cJSON_Delete(o);
    return ok;
}

static void on_push(void *data, int status, const struct sg_push *p)
{
    struct expand *x = data;
    char first[16];
    if (status == SG_ENOENT) {
        drop(x);
        return;
    }
    if (status != 0) {
        finish(x, status);
        return;
    }
    x->push = *p;
    x->njobs = p->jobs[0] != '\0';
    for (const char *c = p->jobs; *c != '\0'; ++c)
        x->njobs += *c == ',';
    snprintf(first, sizeof(first), "%.*s", (int)strcspn(p->jobs, ","), p->jobs);
    if (!read_target(x) || first[0] == '\0')
        drop(x);
    else if (sg_store_job_get(x->s->app.store, first, on_job, x) != 0)
        finish(x, SG_EUNAVAIL);
}

void sg__notify_push_expand(struct sg__sender *s, const struct sg_notify_entry *e, sg_store_status_cb done)
{
    struct expand *x = calloc(1, sizeof(*x));
    if (x == NULL)
        abort();
    x->s = s, x->e = *e, x->done = done;
    if (sg_store_push_get(s->app.store, e->ref, on_push, x) != 0)
        finish(x, SG_EUNAVAIL);
}
