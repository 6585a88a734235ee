/* SPDX-License-Identifier: MIT */
/* GET /api/vehicles?scope=&campaign=: the vehicles of a scope for organisers and admins,
 * in departure order, filtered (date, dest_city, type, status, incomplete=1 for plans not
 * ready, q: part of the number or the id), paged (page, per_page; without either, all),
 * with what the filters can choose from (the days and destinations of the scope's
 * vehicles). fits=CODE keeps the planned vehicles the registration's group may be moved
 * into by hand (destination, day, mode, pickup area, room: sg_vehicle_refusal), its own
 * left out; the registration's village must be in the user's scope (403 otherwise).
 * boarding=1: any staff of the scope (the escort picking the vehicle to check people into). */
#include <stdlib.h>
#include <string.h>
#include "domain/code.h"
#include "domain/err.h"
#include "http/core/reply.h"
#include "http/core/request.h"
#include "http/staff/staff.h"
#include "http/transport/transport.h"
#include "store/transport.h"

#define PER_PAGE_MAX 200

struct list_req {
    struct sg_staff_req base;
    const struct sg_campaign *campaign;
    const char *scope; /* in the request's pool */
    struct sg_vehicle_filter filter;
    long page, per_page; /* per_page 0: all */
    bool fits;
    char fits_code[SG_CODE_LEN + 1];
    struct sg_registration reg; /* with fits: the group to move (its trip, village and size; no names or numbers) */
    char fits_vehicle[16];      /* the vehicle it is on */
};

static int by_departure(const void *a, const void *b)
{
    const struct sg_vehicle *x = *(const struct sg_vehicle *const *)a, *y = *(const struct sg_vehicle *const *)b;
    int c = sg_date_cmp(x->depart_date, y->depart_date);
    if (c == 0)
        c = strcmp(x->depart_time, y->depart_time);
    if (c == 0)
        c = strlen(x->id) != strlen(y->id) ? (strlen(x->id) < strlen(y->id) ? -1 : 1) : strcmp(x->id, y->id);
    return c;
}

/* The days and destinations of all the scope's vehicles (what the filters offer), and their totals. */
static void add_choices(cJSON *root, const struct sg_app *app, const struct sg_vehicle *const *all, size_t n)
{
    cJSON *dates = cJSON_AddArrayToObject(root, "dates"), *cities = cJSON_AddArrayToObject(root, "cities");
    char last_date[11] = "", date[11];
    double people = 0, active = 0;
    for (size_t i = 0; i != n; ++i) { /* all is in departure order */
        sg_date_format(all[i]->depart_date, date);
        if (strcmp(date, last_date) != 0)
            cJSON_AddItemToArray(dates, cJSON_CreateString(date));
        memcpy(last_date, date, sizeof(date));
        if (all[i]->status != SG_VEHICLE_CANCELLED)
            people += all[i]->used, ++active;
        const cJSON *c;
        cJSON_ArrayForEach(c, cities)
            if (strcmp(cJSON_GetObjectItemCaseSensitive(c, "code")->valuestring, all[i]->dest_city) == 0)
                break;
        if (c == NULL) {
            const struct sg_division *d = sg_divisions_find(app->destinations, all[i]->dest_city, 4);
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "code", all[i]->dest_city);
            cJSON_AddStringToObject(o, "name", d != NULL ? d->name : all[i]->dest_city);
            cJSON_AddItemToArray(cities, o);
        }
    }
    cJSON_AddNumberToObject(root, "count_all", (double)n);
    cJSON_AddNumberToObject(root, "active_all", active);
    cJSON_AddNumberToObject(root, "people_all", people);
}

static bool keep(const struct list_req *p, const struct sg_vehicle *v)
{
    if (!sg_vehicle_filter_match(&p->filter, v))
        return false;
    return !p->fits || (strcmp(v->id, p->fits_vehicle) != 0 && sg_vehicle_refusal(v, &p->reg) == NULL);
}

static void on_list(void *data, int status, const struct sg_vehicle *v, size_t n)
{
    struct list_req *p = data;
    h2o_req_t *req = p->base.super.req;
    if (req != NULL && status != 0)
        sg_reply_store_error(req, status);
    else if (req != NULL) {
        const struct sg_vehicle **all = malloc((n + 1) * sizeof(*all));
        if (all == NULL)
            abort();
        for (size_t i = 0; i != n; ++i)
            all[i] = &v[i];
        qsort(all, n, sizeof(*all), by_departure);
        cJSON *root = cJSON_CreateObject(), *list = cJSON_AddArrayToObject(root, "vehicles");
        size_t matched = 0, skip = p->per_page != 0 ? (size_t)((p->page - 1) * p->per_page) : 0;
        for (size_t i = 0; i != n; ++i) {
            if (!keep(p, all[i]))
                continue;
            if (matched++ >= skip && (p->per_page == 0 || (long)cJSON_GetArraySize(list) < p->per_page))
                cJSON_AddItemToArray(list, sg_json_vehicle(p->base.super.app, all[i]));
        }
        cJSON_AddNumberToObject(root, "total", (double)matched);
        cJSON_AddNumberToObject(root, "page", (double)p->page);
        cJSON_AddNumberToObject(root, "per_page", (double)(p->per_page != 0 ? p->per_page : (long)matched));
        add_choices(root, p->base.super.app, all, n);
        free(all);
        sg_reply_json(req, 200, root);
    }
    sg_pending_free(p);
}

static void read_list(struct list_req *p)
{
    int ret = sg_store_vehicle_list(p->base.super.app->store, p->campaign->id, p->scope, on_list, p);
    if (ret != 0) {
        sg_reply_store_error(p->base.super.req, ret);
        sg_pending_free(p);
    }
}

static void on_registration(void *data, int status, const struct sg_stored_registration *r)
{
    struct list_req *p = data;
    h2o_req_t *req = p->base.super.req;
    if (req != NULL && status == SG_ENOENT)
        sg_reply_error(req, 404, "not_found", "fits");
    else if (req != NULL && status != 0)
        sg_reply_store_error(req, status);
    else if (req != NULL && sg_staff_allow_record_or_reply(&p->base, r->reg.village, SG_ACT_TRANSPORT, "fits")) {
        memcpy(p->reg.village, r->reg.village, sizeof(p->reg.village));
        memcpy(p->reg.dest_city, r->reg.dest_city, sizeof(p->reg.dest_city));
        p->reg.depart_date = r->reg.depart_date;
        p->reg.flex_days = r->reg.flex_days;
        p->reg.mode = r->reg.mode;
        p->reg.npeople = r->reg.npeople;
        snprintf(p->fits_vehicle, sizeof(p->fits_vehicle), "%s", r->vehicle);
        read_list(p);
        return;
    }
    sg_pending_free(p);
}

/* The query into p; false after answering 400 (naming the parameter), 403 or 404. */
static bool read_query(struct list_req *p)
{
    h2o_req_t *req = p->base.super.req;
    const char *bad, *fits = sg_query_param(req, "fits");
    bool paged = sg_query_param(req, "page") != NULL || sg_query_param(req, "per_page") != NULL;
    p->campaign = sg_app_campaign(p->base.super.app, sg_query_param(req, "campaign"));
    p->scope = sg_query_param(req, "scope") != NULL ? sg_query_param(req, "scope") : p->base.session.scope;
    if (p->campaign == NULL) {
        sg_reply_error(req, 404, "unknown_campaign", "campaign");
        return false;
    }
    /* ?boarding=1: the escort picks the vehicle to check people into: any staff of the
     * scope may, as they may open its boarding list (boarding.c) */
    enum sg_action act = sg_query_param(req, "boarding") != NULL ? SG_ACT_VIEW : SG_ACT_TRANSPORT;
    if (!sg_staff_allow_or_reply(&p->base, p->scope, act) ||
        !sg_query_number_or_reply(req, "page", 1, 1, 100000, &p->page) ||
        !sg_query_number_or_reply(req, "per_page", paged ? 50 : 0, paged ? 1 : 0, PER_PAGE_MAX, &p->per_page))
        return false;
    if (sg_vehicle_filter_init(&p->filter, sg_query_param(req, "date"), sg_query_param(req, "dest_city"),
                               sg_query_param(req, "type"), sg_query_param(req, "status"),
                               sg_query_param(req, "incomplete"), sg_query_param(req, "q"), &bad) != 0) {
        sg_reply_error(req, 400, "bad_request", bad);
        return false;
    }
    if (fits != NULL && sg_code_normalize(fits, p->fits_code) != 0) {
        sg_reply_error(req, 404, "not_found", "fits");
        return false;
    }
    p->fits = fits != NULL;
    return true;
}

static void list(struct sg_staff_req *base)
{
    struct list_req *p = (struct list_req *)base;
    if (!read_query(p)) {
        sg_pending_free(p);
        return;
    }
    if (!p->fits) {
        read_list(p);
        return;
    }
    int ret = sg_store_registration_get(base->super.app->store, p->fits_code, on_registration, p);
    if (ret != 0) {
        sg_reply_store_error(base->super.req, ret);
        sg_pending_free(p);
    }
}

int sg__vehicle_list(h2o_req_t *req, struct sg_app *app)
{
    struct list_req *p = sg_pending_new(req, app, sizeof(*p));
    sg_staff_begin(&p->base, list);
    return 0;
}
