/* SPDX-License-Identifier: MIT */
/* GET /api/registrations (staff list and search, paged, masked) and
 * GET /api/registrations/{code} with a staff session. Unfiltered pages come straight
 * from the division index (one round trip); a search reads the scope page by page,
 * 500 registrations a round trip, and matches here on masked numbers only. Each assigned
 * item carries its assignment (vehicle, date and time, pickup stop and time, seats,
 * whether the village told the person): the page's vehicles are read in one more round
 * trip. notified=0 keeps the assigned people not told yet (the village's call list),
 * notified=1 the told ones. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "domain/err.h"
#include "service/app.h"
#include "http/core/reply.h"
#include "http/core/request.h"
#include "http/registrations/registrations.h"
#include "http/core/routes.h"
#include "http/staff/staff.h"
#include "store/transport.h"

#define SCAN_PAGE 1000 /* rows a search reads a round trip (Redis leaves out the unlikely ones) */
#define PER_PAGE_DEFAULT 50
#define PER_PAGE_MAX 200

/* An item of the page that waits for its vehicle: what its assignment needs (no personal number). */
struct waiting {
    cJSON *item;
    struct sg_assigned s;
};

struct list_req {
    struct sg_staff_req base;
    struct sg_listing l;
    int notified; /* -1 any; 0 assigned and not told; 1 told */
    size_t per_page, skip, matched, total;
    cJSON *root, *items;
    struct waiting wait[PER_PAGE_MAX];
    size_t nwait;
};

static void list_free(struct list_req *r)
{
    cJSON_Delete(r->items);
    cJSON_Delete(r->root);
    sg_pending_free(r);
}

/* The item of s on the page; an assigned one waits for its vehicle. */
static void add_item(struct list_req *r, const struct sg_stored_registration *s)
{
    cJSON *item = sg_json_registration(r->base.super.app, s, true);
    cJSON_AddItemToArray(r->items, item);
    if (s->vehicle[0] != '\0' && r->nwait != PER_PAGE_MAX) {
        struct waiting *w = &r->wait[r->nwait++];
        w->item = item;
        sg_assigned_of(s, &w->s);
    }
}

static void send_list(struct list_req *r)
{
    cJSON_AddNumberToObject(r->root, "total", (double)r->total);
    cJSON_AddNumberToObject(r->root, "page", (double)(r->skip / r->per_page + 1));
    cJSON_AddNumberToObject(r->root, "per_page", (double)r->per_page);
    cJSON_AddItemToObject(r->root, "items", r->items);
    sg_reply_json(r->base.super.req, 200, r->root);
    r->root = r->items = NULL;
}

static void on_vehicles(void *data, int status, const struct sg_vehicle *v, size_t n)
{
    struct list_req *r = data;
    if (r->base.super.req != NULL && status != 0) {
        sg_reply_store_error(r->base.super.req, status);
    } else if (r->base.super.req != NULL) {
        for (size_t k = 0; k != r->nwait; ++k)
            for (size_t i = 0; i != n; ++i)
                if (strcmp(v[i].id, r->wait[k].s.vehicle) == 0)
                    cJSON_ReplaceItemInObjectCaseSensitive(
                        r->wait[k].item, "assignment",
                        sg_json_assignment(r->base.super.app, &r->wait[k].s, &v[i], true));
        send_list(r);
    }
    list_free(r);
}

/* The page is complete: its vehicles are read (one round trip), then it is sent. */
static void list_reply(struct list_req *r, size_t total)
{
    const char *ids[PER_PAGE_MAX];
    size_t n = 0;
    r->total = total;
    for (size_t k = 0; k != r->nwait; ++k) {
        size_t i = 0;
        while (i != n && strcmp(ids[i], r->wait[k].s.vehicle) != 0)
            ++i;
        if (i == n)
            ids[n++] = r->wait[k].s.vehicle;
    }
    int ret = n != 0 ? sg_store_vehicles_get(r->base.super.app->store, ids, n, on_vehicles, r) : SG_ENOENT;
    if (ret == 0)
        return;
    if (ret == SG_ENOENT)
        send_list(r);
    else
        sg_reply_store_error(r->base.super.req, ret);
    list_free(r);
}

/* Index order is the answer: the page is the index's slice, the total its count. */
static void on_slice(void *data, int status, const struct sg_scan_page *page)
{
    struct list_req *r = data;
    if (r->base.super.req != NULL && status == 0) {
        for (size_t i = 0; i != page->n; ++i)
            add_item(r, &page->rows[i]);
        list_reply(r, page->total); /* frees r */
        return;
    }
    if (r->base.super.req != NULL)
        sg_reply_store_error(r->base.super.req, status);
    list_free(r);
}

static bool row_matches(const struct list_req *r, const struct sg_stored_registration *s)
{
    if (!sg_filter_match(&r->l.filter, s->code, s->status, &s->reg, s->id_masked, s->phone_masked))
        return false;
    return r->notified < 0 || (s->vehicle[0] != '\0' && s->notified == (r->notified == 1));
}

static void on_scanned(void *data, int status, const struct sg_scan_page *page)
{
    struct list_req *r = data;
    if (r->base.super.req == NULL || status != 0) {
        if (r->base.super.req != NULL)
            sg_reply_store_error(r->base.super.req, status);
        list_free(r);
        return;
    }
    for (size_t i = 0; i != page->n; ++i) {
        const struct sg_stored_registration *s = &page->rows[i];
        if (!row_matches(r, s))
            continue;
        if (r->matched++ >= r->skip && (size_t)cJSON_GetArraySize(r->items) < r->per_page)
            add_item(r, s);
    }
    int ret = SG_ENOENT;
    if (page->next[0] != '\0' &&
        (ret = sg_store_registration_scan(r->base.super.app->store, r->l.campaign->id, r->l.scope, r->l.cancelled,
                                          page->next, 0, SCAN_PAGE, false, false, &r->l.filter, on_scanned, r)) == 0)
        return;
    if (ret == SG_ENOENT) {
        list_reply(r, r->matched); /* frees r */
        return;
    }
    sg_reply_store_error(r->base.super.req, ret);
    list_free(r);
}

/* ?notified=0|1 into r (-1 when absent); false after answering 400. */
static bool notified_or_reply(struct list_req *r)
{
    const char *n = sg_query_param(r->base.super.req, "notified");
    r->notified = n == NULL || n[0] == '\0' ? -1 : strcmp(n, "0") == 0 ? 0 : strcmp(n, "1") == 0 ? 1 : -2;
    if (r->notified == -2)
        sg_reply_error(r->base.super.req, 400, "bad_request", "notified");
    return r->notified != -2;
}

static void list(struct sg_staff_req *p)
{
    struct list_req *r = (struct list_req *)p;
    h2o_req_t *req = p->super.req;
    long page, per_page;
    if (!sg_listing_init_or_reply(p, &r->l, SG_ACT_VIEW) || !notified_or_reply(r) ||
        !sg_query_number_or_reply(req, "page", 1, 1, 1000000, &page) ||
        !sg_query_number_or_reply(req, "per_page", PER_PAGE_DEFAULT, 1, PER_PAGE_MAX, &per_page)) {
        list_free(r);
        return;
    }
    r->per_page = (size_t)per_page;
    r->skip = (size_t)(page - 1) * r->per_page;
    r->root = cJSON_CreateObject();
    r->items = cJSON_CreateArray();
    int ret;
    struct sg_store *st = p->super.app->store;
    /* "registered" and "assigned" share the active index with each other: matched here. */
    if (!sg_filter_narrows(&r->l.filter) && r->notified < 0 && (r->l.filter.status[0] == '\0' || r->l.cancelled))
        ret = sg_store_registration_scan(st, r->l.campaign->id, r->l.scope, r->l.cancelled, "", r->skip, r->per_page,
                                         false, true, NULL, on_slice, r);
    else
        ret = sg_store_registration_scan(st, r->l.campaign->id, r->l.scope, r->l.cancelled, "", 0, SCAN_PAGE, false,
                                         false, &r->l.filter, on_scanned, r);
    if (ret != 0) {
        sg_reply_store_error(req, ret);
        list_free(r);
    }
}

int sg_on_staff_list(h2o_req_t *req, struct sg_app *app)
{
    sg_staff_begin(sg_pending_new(req, app, sizeof(struct list_req)), list);
    return 0;
}

struct detail_req {
    struct sg_staff_req base;
    const char *code; /* in req->pool: read only while the request lives */
    cJSON *json;
    struct sg_assigned s;
};

static void on_detail_vehicle(void *data, int status, const struct sg_vehicle *v)
{
    struct detail_req *d = data;
    if (d->base.super.req != NULL && status != 0 && status != SG_ENOENT) {
        sg_reply_store_error(d->base.super.req, status);
        cJSON_Delete(d->json);
    } else if (d->base.super.req != NULL) {
        if (status == 0)
            cJSON_ReplaceItemInObjectCaseSensitive(d->json, "assignment",
                                                   sg_json_assignment(d->base.super.app, &d->s, v, true));
        sg_reply_json(d->base.super.req, 200, d->json);
    } else {
        cJSON_Delete(d->json);
    }
    sg_pending_free(d);
}

static void on_detail(void *data, int status, const struct sg_stored_registration *s)
{
    struct detail_req *d = data;
    h2o_req_t *req = d->base.super.req;
    if (req == NULL)
        goto Exit;
    if (status != 0)
        sg_reply_store_error(req, status);
    else if (sg_staff_allow_record_or_reply(&d->base, s->reg.village, SG_ACT_VIEW, NULL)) {
        d->json = sg_json_registration(d->base.super.app, s, true);
        sg_assigned_of(s, &d->s);
        if (s->vehicle[0] != '\0' &&
            sg_store_vehicle_get(d->base.super.app->store, s->vehicle, on_detail_vehicle, d) == 0)
            return;
        sg_reply_json(req, 200, d->json);
    }
Exit:
    sg_pending_free(d);
}

static void detail(struct sg_staff_req *p)
{
    struct detail_req *d = (struct detail_req *)p;
    int ret = sg_store_registration_get(p->super.app->store, d->code, on_detail, d);
    if (ret != 0) {
        sg_reply_store_error(p->super.req, ret);
        sg_pending_free(d);
    }
}

int sg_on_staff_detail(h2o_req_t *req, struct sg_app *app, const char *code)
{
    struct detail_req *d = sg_pending_new(req, app, sizeof(*d));
    d->code = code;
    sg_staff_begin(&d->base, detail);
    return 0;
}
