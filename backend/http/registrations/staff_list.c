/* SPDX-License-Identifier: MIT */
/* GET /api/registrations (staff list and search, paged, masked) and
 * GET /api/registrations/{code} with a staff session. Unfiltered pages come straight
 * from the division index (one round trip); a search reads the scope page by page,
 * 500 registrations a round trip, and matches here on masked numbers only. */
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

#define SCAN_PAGE 1000 /* rows a search reads a round trip (Redis leaves out the unlikely ones) */
#define PER_PAGE_DEFAULT 50
#define PER_PAGE_MAX 200

struct list_req {
    struct sg_staff_req base;
    struct sg_listing l;
    size_t per_page, skip, matched;
    cJSON *root, *items;
};

static void list_free(struct list_req *r)
{
    cJSON_Delete(r->items);
    cJSON_Delete(r->root);
    sg_pending_free(r);
}

static void list_reply(struct list_req *r, size_t total)
{
    cJSON_AddNumberToObject(r->root, "total", (double)total);
    cJSON_AddNumberToObject(r->root, "page", (double)(r->skip / r->per_page + 1));
    cJSON_AddNumberToObject(r->root, "per_page", (double)r->per_page);
    cJSON_AddItemToObject(r->root, "items", r->items);
    sg_reply_json(r->base.super.req, 200, r->root);
    r->root = r->items = NULL;
}

/* Index order is the answer: the page is the index's slice, the total its count. */
static void on_slice(void *data, int status, const struct sg_scan_page *page)
{
    struct list_req *r = data;
    if (r->base.super.req != NULL && status != 0)
        sg_reply_store_error(r->base.super.req, status);
    else if (r->base.super.req != NULL) {
        for (size_t i = 0; i != page->n; ++i)
            cJSON_AddItemToArray(r->items, sg_json_registration(r->base.super.app, &page->rows[i], true));
        list_reply(r, page->total);
    }
    list_free(r);
}

static void on_scanned(void *data, int status, const struct sg_scan_page *page)
{
    struct list_req *r = data;
    const struct sg_filter *f = &r->l.filter;
    if (r->base.super.req == NULL || status != 0) {
        if (r->base.super.req != NULL)
            sg_reply_store_error(r->base.super.req, status);
        list_free(r);
        return;
    }
    for (size_t i = 0; i != page->n; ++i) {
        const struct sg_stored_registration *s = &page->rows[i];
        if (!sg_filter_match(f, s->code, s->status, &s->reg, s->id_masked, s->phone_masked))
            continue;
        if (r->matched++ >= r->skip && (size_t)cJSON_GetArraySize(r->items) < r->per_page)
            cJSON_AddItemToArray(r->items, sg_json_registration(r->base.super.app, s, true));
    }
    int ret = SG_ENOENT;
    if (page->next[0] != '\0' &&
        (ret = sg_store_registration_scan(r->base.super.app->store, r->l.campaign->id, r->l.scope, r->l.cancelled,
                                          page->next, 0, SCAN_PAGE, false, false, f, on_scanned, r)) == 0)
        return;
    if (ret == SG_ENOENT)
        list_reply(r, r->matched);
    else
        sg_reply_store_error(r->base.super.req, ret);
    list_free(r);
}

static void list(struct sg_staff_req *p)
{
    struct list_req *r = (struct list_req *)p;
    h2o_req_t *req = p->super.req;
    if (!sg_listing_init_or_reply(p, &r->l, SG_ACT_VIEW)) {
        list_free(r);
        return;
    }
    long page, per_page;
    if (!sg_query_number_or_reply(req, "page", 1, 1, 1000000, &page) ||
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
    /* "registered" (later "assigned") share the active index with each other: matched here. */
    if (!sg_filter_narrows(&r->l.filter) && (r->l.filter.status[0] == '\0' || r->l.cancelled))
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
};

static void on_detail(void *data, int status, const struct sg_stored_registration *s)
{
    struct detail_req *d = data;
    h2o_req_t *req = d->base.super.req;
    if (req == NULL)
        goto Exit;
    if (status != 0)
        sg_reply_store_error(req, status);
    else if (sg_staff_allow_record_or_reply(&d->base, s->reg.village, SG_ACT_VIEW))
        sg_reply_json(req, 200, sg_json_registration(d->base.super.app, s, true));
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
