/* SPDX-License-Identifier: MIT */
/* A matching run's report as JSON (POST /api/match, `songgong match --json`): what the
 * existing vehicles take, the proposed vehicles by city, date and type (with a line an
 * organiser reads), the city × date plan of every vehicle that carries people of the run
 * (people, vehicles by type, seats, load), and what was left, grouped by reason, city
 * and preferred date with the first codes of each group. Sorting is by radix keys (no
 * shared state: reports are made on any loop's thread). */
#include <stdlib.h>
#include <string.h>
#include "domain/sort.h"
#include "service/matching.h"
#include "store/transport.h"

static const char *city_name(const struct sg_app *app, uint32_t city, char code[5])
{
    snprintf(code, 5, "%04u", city % 10000);
    const struct sg_division *d = sg_divisions_find(app->destinations, code, 4);
    return d != NULL ? d->name : "";
}

static cJSON *json_group(const struct sg_app *app, const struct sg_match_vehicle *c, size_t vehicles, uint64_t people)
{
    char city[5], date[11], summary[256];
    static const char *const units[SG_VEHICLE_TYPES] = {"辆专车", "列专列", "架次专机"};
    const char *name = city_name(app, c->city, city);
    struct sg_date d = sg_date_from_days(c->day);
    sg_date_format(d, date);
    snprintf(summary, sizeof(summary), "%s %d月%d日：%llu人 → %zu%s", name[0] != '\0' ? name : city, d.m, d.d,
             (unsigned long long)people, vehicles, units[c->type]);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "dest_city", city);
    cJSON_AddStringToObject(o, "dest_city_name", name);
    cJSON_AddStringToObject(o, "depart_date", date);
    cJSON_AddStringToObject(o, "type", sg_vehicle_type_name((enum sg_vehicle_type)c->type));
    cJSON_AddNumberToObject(o, "vehicles", (double)vehicles);
    cJSON_AddNumberToObject(o, "people", (double)people);
    cJSON_AddStringToObject(o, "summary", summary);
    return o;
}

/* (city, day, type) of a vehicle as one sortable key; days of a season fit in 24 bits from an offset. */
static uint64_t trip_key(uint32_t city, int32_t day, uint8_t type)
{
    return (uint64_t)(city % 100000) << 32 | (uint64_t)((uint32_t)(day + (1 << 23)) & 0xffffff) << 8 | type;
}

static cJSON *json_new(const struct sg_app *app, const struct sg_match_result *res)
{
    cJSON *list = cJSON_CreateArray();
    struct sg_sort_pair *p = malloc((res->ncreated + 1) * sizeof(*p));
    if (p == NULL)
        abort();
    for (size_t i = 0; i != res->ncreated; ++i)
        p[i] = (struct sg_sort_pair){trip_key(res->created[i].city, res->created[i].day, res->created[i].type),
                                     (uint32_t)i};
    sg_sort_pairs(p, res->ncreated);
    for (size_t lo = 0, hi; lo < res->ncreated; lo = hi) {
        uint64_t people = 0;
        for (hi = lo; hi < res->ncreated && p[hi].key == p[lo].key; ++hi)
            people += res->created[p[hi].value].used;
        cJSON_AddItemToArray(list, json_group(app, &res->created[p[lo].value], hi - lo, people));
    }
    free(p);
    return list;
}

/* People each existing vehicle gets in the run. */
static uint64_t *added_per_existing(const struct sg_match_report *r)
{
    uint64_t *added = calloc(r->nexisting + 1, sizeof(*added));
    if (added == NULL)
        abort();
    for (size_t i = 0; i != r->open->n; ++i)
        if (r->res.assign[i].vehicle < r->nexisting)
            added[r->res.assign[i].vehicle] += r->open->items[i].size;
    return added;
}

static cJSON *json_existing(const struct sg_match_report *r, const uint64_t *added)
{
    cJSON *list = cJSON_CreateArray();
    for (size_t i = 0; i != r->nexisting; ++i) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "id", r->existing[i].id);
        cJSON_AddStringToObject(o, "number", r->existing[i].number);
        cJSON_AddNumberToObject(o, "capacity", r->existing[i].capacity);
        cJSON_AddNumberToObject(o, "used_before", r->existing[i].used);
        cJSON_AddNumberToObject(o, "added", (double)added[i]);
        cJSON_AddItemToArray(list, o);
    }
    return list;
}

/* One row of the plan: a city and a date, every vehicle that carries people of the run. */
struct plan_row {
    uint32_t city;
    int32_t day;
    uint64_t people, added, seats;
    size_t vehicles[SG_VEHICLE_TYPES], fresh;
};

static void plan_add(struct plan_row *row, const struct sg_match_vehicle *v, uint64_t people, uint64_t added, int fresh)
{
    row->people += people;
    row->added += added;
    row->seats += v->capacity;
    row->vehicles[v->type < SG_VEHICLE_TYPES ? v->type : 0]++;
    row->fresh += (size_t)fresh;
}

static cJSON *json_plan_row(const struct sg_app *app, const struct plan_row *row)
{
    char city[5], date[11];
    cJSON *o = cJSON_CreateObject(), *types = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "dest_city_name", city_name(app, row->city, city));
    cJSON_AddStringToObject(o, "dest_city", city);
    sg_date_format(sg_date_from_days(row->day), date);
    cJSON_AddStringToObject(o, "depart_date", date);
    cJSON_AddNumberToObject(o, "people", (double)row->people);
    cJSON_AddNumberToObject(o, "added", (double)row->added);
    for (int t = 0; t != SG_VEHICLE_TYPES; ++t)
        cJSON_AddNumberToObject(types, sg_vehicle_type_name((enum sg_vehicle_type)t), (double)row->vehicles[t]);
    cJSON_AddItemToObject(o, "vehicles", types);
    cJSON_AddNumberToObject(o, "new_vehicles", (double)row->fresh);
    cJSON_AddNumberToObject(o, "seats", (double)row->seats);
    cJSON_AddNumberToObject(o, "load", row->seats != 0 ? (double)(row->people * 1000 / row->seats) / 10.0 : 0);
    return o;
}

/* The city × date plan: new vehicles and the existing ones that get people, by (city, date). */
static cJSON *json_plan(const struct sg_app *app, const struct sg_match_report *r, const uint64_t *added)
{
    size_t n = r->res.ncreated + r->nexisting, k = 0;
    struct sg_sort_pair *p = malloc((n + 1) * sizeof(*p));
    struct sg_match_vehicle *mv = calloc(r->nexisting + 1, sizeof(*mv));
    cJSON *list = cJSON_CreateArray();
    if (p == NULL || mv == NULL)
        abort();
    for (size_t i = 0; i != r->nexisting; ++i)
        mv[i] = (struct sg_match_vehicle){.city = (uint32_t)strtoul(r->existing[i].dest_city, NULL, 10),
                                          .day = (int32_t)sg_date_days(r->existing[i].depart_date),
                                          .type = (uint8_t)r->existing[i].type,
                                          .capacity = r->existing[i].capacity};
    for (size_t i = 0; i != r->nexisting; ++i)
        if (added[i] != 0)
            p[k++] = (struct sg_sort_pair){trip_key(mv[i].city, mv[i].day, 0), (uint32_t)i};
    for (size_t i = 0; i != r->res.ncreated; ++i)
        p[k++] = (struct sg_sort_pair){trip_key(r->res.created[i].city, r->res.created[i].day, 0),
                                       (uint32_t)(r->nexisting + i)};
    sg_sort_pairs(p, k);
    for (size_t lo = 0, hi; lo < k; lo = hi) {
        struct plan_row row = {0};
        for (hi = lo; hi < k && p[hi].key == p[lo].key; ++hi) {
            uint32_t i = p[hi].value;
            const struct sg_match_vehicle *v = i < r->nexisting ? &mv[i] : &r->res.created[i - r->nexisting];
            if (i < r->nexisting)
                plan_add(&row, v, r->existing[i].used + added[i], added[i], 0);
            else
                plan_add(&row, v, v->used, v->used, 1);
            row.city = v->city, row.day = v->day;
        }
        cJSON_AddItemToArray(list, json_plan_row(app, &row));
    }
    free(p);
    free(mv);
    return list;
}

static cJSON *json_unplaced_group(const struct sg_app *app, const struct sg_match_report *r, const uint32_t *idx,
                                  size_t n)
{
    const struct sg_match_item *it = &r->open->items[idx[0]];
    char city[5], date[11];
    cJSON *o = cJSON_CreateObject();
    uint64_t people = 0;
    size_t ncodes = n < SG_MATCH_UNPLACED_CODES ? n : SG_MATCH_UNPLACED_CODES;
    /* the codes as one raw JSON array (a code is [2-9A-Z]: nothing to escape): one string
     * for the group instead of a hundred objects */
    char *codes = malloc(ncodes * (SG_CODE_LEN + 3) + 3), *at = codes;
    if (codes == NULL)
        abort();
    cJSON_AddStringToObject(o, "reason", sg_match_reason_name((enum sg_match_reason)r->res.reason[idx[0]]));
    cJSON_AddStringToObject(o, "dest_city_name", city_name(app, it->city, city));
    cJSON_AddStringToObject(o, "dest_city", city);
    sg_date_format(sg_date_from_days(it->day), date);
    cJSON_AddStringToObject(o, "depart_date", date);
    *at++ = '[';
    for (size_t k = 0; k != n; ++k) {
        people += r->open->items[idx[k]].size;
        if (k < ncodes) {
            *at++ = k != 0 ? ',' : '"';
            if (k != 0)
                *at++ = '"';
            memcpy(at, sg_open_code(r->open->member[idx[k]]), SG_CODE_LEN);
            at += SG_CODE_LEN;
            *at++ = '"';
        }
    }
    *at++ = ']';
    *at = '\0';
    cJSON_AddNumberToObject(o, "people", (double)people);
    cJSON_AddNumberToObject(o, "registrations", (double)n);
    cJSON_AddRawToObject(o, "codes", codes);
    free(codes);
    return o;
}

/* What was left, grouped by reason, city and preferred date (in that order). */
static cJSON *json_unplaced(const struct sg_app *app, const struct sg_match_report *r)
{
    size_t n = 0;
    cJSON *list = cJSON_CreateArray();
    struct sg_sort_pair *p = malloc((r->res.unassigned + 1) * sizeof(*p));
    uint32_t *idx = malloc((r->res.unassigned + 1) * sizeof(*idx));
    if (p == NULL || idx == NULL)
        abort();
    int32_t day0 = INT32_MAX;
    for (size_t i = 0; i != r->open->n; ++i)
        day0 = r->open->items[i].day < day0 ? r->open->items[i].day : day0;
    for (size_t i = 0; i != r->open->n && n != r->res.unassigned; ++i) /* (reason, city, day): 2 + 17 + 20 bits */
        if (r->res.assign[i].vehicle == SG_MATCH_NONE)
            p[n++] = (struct sg_sort_pair){(uint64_t)r->res.reason[i] << 37 |
                                               (uint64_t)(r->open->items[i].city % 100000) << 20 |
                                               ((uint64_t)(r->open->items[i].day - day0) & 0xfffff),
                                           (uint32_t)i};
    sg_sort_pairs(p, n);
    for (size_t k = 0; k != n; ++k)
        idx[k] = p[k].value;
    for (size_t lo = 0, hi; lo < n; lo = hi) {
        for (hi = lo; hi < n && p[hi].key == p[lo].key; ++hi)
            ;
        cJSON_AddItemToArray(list, json_unplaced_group(app, r, idx + lo, hi - lo));
    }
    free(p);
    free(idx);
    return list;
}

static void json_accepted(cJSON *o, const struct sg_match_report *r)
{
    cJSON *created = cJSON_AddArrayToObject(o, "created"), *skipped = cJSON_AddArrayToObject(o, "skipped");
    for (size_t i = 0; r->created_id != NULL && i != r->res.ncreated; ++i)
        cJSON_AddItemToArray(created, cJSON_CreateString(r->created_id[i]));
    for (size_t i = 0; i != r->skipped && i != SG_MATCH_SKIPPED_KEPT; ++i)
        cJSON_AddItemToArray(skipped, cJSON_CreateString(r->skipped_codes[i]));
    cJSON_AddNumberToObject(o, "assigned", (double)r->assigned);
    cJSON_AddNumberToObject(o, "assigned_people", (double)r->assigned_people);
    cJSON_AddNumberToObject(o, "skipped_count", (double)r->skipped);
}

static cJSON *json_options(const struct sg_match_report *r)
{
    const struct sg_vehicle_sizes *s = &r->sizes;
    cJSON *o = cJSON_CreateObject(), *min = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "bus", s->seats[SG_VEHICLE_BUS]);
    cJSON_AddNumberToObject(o, "train", s->seats[SG_VEHICLE_TRAIN]);
    cJSON_AddNumberToObject(o, "train_carriage", s->train_carriage);
    cJSON_AddNumberToObject(o, "flight", s->seats[SG_VEHICLE_FLIGHT]);
    for (int t = 0; t != SG_VEHICLE_TYPES; ++t)
        cJSON_AddNumberToObject(min, sg_vehicle_type_name((enum sg_vehicle_type)t), r->options.min_load[t]);
    cJSON_AddItemToObject(o, "min_load", min); /* moved to the top level by the caller */
    return o;
}

/* The too-big groups as before (one line each), besides their place among the unplaced. */
static cJSON *json_too_big(const struct sg_match_report *r)
{
    cJSON *too_big = cJSON_CreateArray();
    for (size_t i = 0; i != r->open->n; ++i) {
        if (r->res.reason[i] != SG_MATCH_TOO_BIG)
            continue;
        cJSON *g = cJSON_CreateObject();
        char code[9];
        snprintf(code, sizeof(code), "%.8s", sg_open_code(r->open->member[i]));
        cJSON_AddStringToObject(g, "code", code);
        cJSON_AddNumberToObject(g, "people", r->open->items[i].size);
        cJSON_AddItemToArray(too_big, g);
    }
    return too_big;
}

cJSON *sg_json_match_report(const struct sg_app *app, const struct sg_match_report *r)
{
    cJSON *o = cJSON_CreateObject(), *sizes = json_options(r);
    uint64_t *added = added_per_existing(r);
    cJSON_AddStringToObject(o, "campaign", r->campaign);
    cJSON_AddStringToObject(o, "scope", r->scope);
    cJSON_AddBoolToObject(o, "accept", r->accept);
    cJSON_AddItemToObject(o, "min_load", cJSON_DetachItemFromObjectCaseSensitive(sizes, "min_load"));
    cJSON_AddItemToObject(o, "sizes", sizes);
    cJSON_AddStringToObject(o, "area", sg_match_area_name(r->area_digits));
    cJSON_AddNumberToObject(o, "registrations", (double)r->open->n);
    cJSON_AddNumberToObject(o, "people", (double)r->people);
    cJSON_AddNumberToObject(o, "people_placed", (double)r->res.people_placed);
    cJSON_AddNumberToObject(o, "people_unplaced", (double)r->res.people_unplaced);
    cJSON_AddItemToObject(o, "existing", json_existing(r, added));
    cJSON_AddItemToObject(o, "new", json_new(app, &r->res));
    cJSON_AddNumberToObject(o, "new_vehicles", (double)r->res.ncreated);
    cJSON_AddItemToObject(o, "plan", json_plan(app, r, added));
    cJSON_AddItemToObject(o, "unplaced", json_unplaced(app, r));
    cJSON_AddNumberToObject(o, "lower_bound", (double)r->res.lower_bound);
    cJSON_AddNumberToObject(o, "lower_bound_city", (double)r->res.lower_bound_city);
    cJSON_AddItemToObject(o, "too_big", json_too_big(r));
    if (r->accept)
        json_accepted(o, r);
    cJSON_AddNumberToObject(o, "cpu_ms", r->cpu_ms);
    free(added);
    return o;
}
