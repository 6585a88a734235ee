/* SPDX-License-Identifier: MIT */
/* Vehicles in Redis: one hash per vehicle (scalar fields the scripts need, the rest of
 * the plan as one JSON field) and one index per campaign whose members start with the
 * owning scope, so that a scope's vehicles are one ZRANGEBYLEX. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "domain/err.h"
#include "store/internal.h"
#include "store/transport.h"

struct vehicle_op {
    sg_store_vehicle_cb cb;
    sg_store_vehicles_cb list_cb;
    void *data;
    struct sg_vehicle v;
};

static char *plan_encode(const struct sg_vehicle *v)
{
    cJSON *o = cJSON_CreateObject(), *stops = cJSON_AddArrayToObject(o, "stops");
    cJSON *drivers = cJSON_AddArrayToObject(o, "drivers");
    cJSON_AddStringToObject(o, "number", v->number);
    cJSON_AddStringToObject(o, "employer", v->employer);
    cJSON_AddStringToObject(o, "depart_time", v->depart_time);
    cJSON_AddStringToObject(o, "arrive_time", v->arrive_time);
    for (size_t i = 0; i != v->nstops; ++i) {
        cJSON *s = cJSON_CreateObject();
        cJSON_AddStringToObject(s, "name", v->stops[i].name);
        cJSON_AddStringToObject(s, "time", v->stops[i].time);
        if (v->stops[i].serves[0] != '\0')
            cJSON_AddStringToObject(s, "serves", v->stops[i].serves);
        cJSON_AddItemToArray(stops, s);
    }
    for (size_t i = 0; i != v->ndrivers; ++i)
        cJSON_AddItemToArray(drivers, cJSON_CreateString(v->drivers[i]));
    cJSON_AddStringToObject(o, "escort_name", v->escort_name);
    cJSON_AddStringToObject(o, "escort_phone", v->escort_phone);
    cJSON_AddStringToObject(o, "emergency", v->emergency);
    cJSON_AddStringToObject(o, "notes", v->notes);
    /* the optional rest of the plan only when given: most vehicles matching makes have none */
    const char *more[][2] = {{"captain", v->captain},
                             {"vice_captain", v->vice_captain},
                             {"convoy", v->convoy},
                             {"convoy_leader", v->convoy_leader},
                             {"handover", v->handover}};
    for (size_t i = 0; i != sizeof(more) / sizeof(more[0]); ++i)
        if (more[i][1][0] != '\0')
            cJSON_AddStringToObject(o, more[i][0], more[i][1]);
    char *text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (text == NULL)
        abort();
    return text;
}

char *sg_store_vehicle_plan_json(const struct sg_vehicle *v)
{
    char *json = plan_encode(v), *out = strdup(json);
    cJSON_free(json);
    if (out == NULL)
        abort();
    return out;
}

static void copy_json(char *dst, size_t dstsz, const cJSON *obj, const char *name)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);
    snprintf(dst, dstsz, "%s", cJSON_IsString(item) ? item->valuestring : "");
}

static void plan_decode(const char *json, size_t len, struct sg_vehicle *v)
{
    cJSON *o = cJSON_ParseWithLength(json, len), *item;
    copy_json(v->number, sizeof(v->number), o, "number");
    copy_json(v->employer, sizeof(v->employer), o, "employer");
    copy_json(v->depart_time, sizeof(v->depart_time), o, "depart_time");
    copy_json(v->arrive_time, sizeof(v->arrive_time), o, "arrive_time");
    copy_json(v->escort_name, sizeof(v->escort_name), o, "escort_name");
    copy_json(v->escort_phone, sizeof(v->escort_phone), o, "escort_phone");
    copy_json(v->emergency, sizeof(v->emergency), o, "emergency");
    copy_json(v->notes, sizeof(v->notes), o, "notes");
    copy_json(v->captain, sizeof(v->captain), o, "captain");
    copy_json(v->vice_captain, sizeof(v->vice_captain), o, "vice_captain");
    copy_json(v->convoy, sizeof(v->convoy), o, "convoy");
    copy_json(v->convoy_leader, sizeof(v->convoy_leader), o, "convoy_leader");
    copy_json(v->handover, sizeof(v->handover), o, "handover");
    v->nstops = v->ndrivers = 0;
    cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(o, "stops")) {
        if (v->nstops == SG_STOPS_MAX)
            break;
        copy_json(v->stops[v->nstops].name, sizeof(v->stops[0].name), item, "name");
        copy_json(v->stops[v->nstops].serves, sizeof(v->stops[0].serves), item, "serves");
        copy_json(v->stops[v->nstops++].time, sizeof(v->stops[0].time), item, "time");
    }
    cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(o, "drivers")) {
        if (v->ndrivers != SG_DRIVERS_MAX && cJSON_IsString(item))
            snprintf(v->drivers[v->ndrivers++], sizeof(v->drivers[0]), "%s", item->valuestring);
    }
    cJSON_Delete(o);
}

static bool is(const redisReply *k, const char *name)
{
    return k->len == strlen(name) && memcmp(k->str, name, k->len) == 0;
}

static void copy_reply(char *dst, size_t dstsz, const redisReply *v)
{
    snprintf(dst, dstsz, "%.*s", (int)v->len, v->str);
}

/* HGETALL pairs into v; false when it is not a vehicle. */
bool sg__vehicle_parse(const redisReply *r, struct sg_vehicle *v)
{
    char buf[16];
    memset(v, 0, sizeof(*v));
    if (r->type != REDIS_REPLY_ARRAY || r->elements == 0)
        return false;
    for (size_t i = 0; i + 1 < r->elements; i += 2) {
        const redisReply *k = r->element[i], *x = r->element[i + 1];
        if (is(k, "id"))
            copy_reply(v->id, sizeof(v->id), x);
        else if (is(k, "campaign"))
            copy_reply(v->campaign, sizeof(v->campaign), x);
        else if (is(k, "scope"))
            copy_reply(v->scope, sizeof(v->scope), x);
        else if (is(k, "type"))
            copy_reply(buf, sizeof(buf), x), v->type = (enum sg_vehicle_type)sg_vehicle_type_parse(buf);
        else if (is(k, "status"))
            copy_reply(buf, sizeof(buf), x), v->status = (enum sg_vehicle_status)sg_vehicle_status_parse(buf);
        else if (is(k, "capacity"))
            v->capacity = (uint32_t)strtoul(x->str, NULL, 10);
        else if (is(k, "carriage_size"))
            v->carriage_size = (uint32_t)strtoul(x->str, NULL, 10);
        else if (is(k, "used"))
            v->used = (uint32_t)strtoul(x->str, NULL, 10);
        else if (is(k, "boarded_people"))
            v->boarded_people = (uint32_t)strtoul(x->str, NULL, 10);
        else if (is(k, "boarded_poverty"))
            v->boarded_poverty = (uint32_t)strtoul(x->str, NULL, 10);
        else if (is(k, "seat_next"))
            v->seat_next = (uint32_t)strtoul(x->str, NULL, 10);
        else if (is(k, "holes"))
            v->nholes = sg_vehicle_holes_parse(x->str, v->holes, SG_VEHICLE_HOLES_MAX);
        else if (is(k, "dest_city"))
            copy_reply(v->dest_city, sizeof(v->dest_city), x);
        else if (is(k, "depart_date"))
            copy_reply(buf, sizeof(buf), x), sg_date_parse(buf, &v->depart_date);
        else if (is(k, "plan"))
            plan_decode(x->str, x->len, v);
    }
    if (v->seat_next == 0)
        v->seat_next = 1;
    return v->id[0] != '\0' && (int)v->type >= 0 && (int)v->status >= 0;
}

static void on_saved(void *data, int status, redisReply *reply)
{
    struct vehicle_op *op = data;
    if (status == 0 && (reply->type != REDIS_REPLY_ARRAY || reply->elements == 0))
        status = SG_EIO;
    if (status == 0) {
        const char *what = reply->element[0]->str;
        if ((strcmp(what, "ok") == 0 || strcmp(what, "outside_area") == 0) && reply->elements == 2)
            copy_reply(op->v.id, sizeof(op->v.id), reply->element[1]);
        if (strcmp(what, "ok") == 0 && reply->elements == 2)
            ;
        else if (strcmp(what, "outside_area") == 0)
            status = SG_ERANGE;
        else if (strcmp(what, "boarded") == 0)
            status = SG_ELOCKED;
        else
            status = strcmp(what, "missing") == 0          ? SG_ENOENT
                     : strcmp(what, "conflict") == 0       ? SG_EEXIST
                     : strcmp(what, "below_used") == 0     ? SG_EINVAL
                     : strcmp(what, "has_passengers") == 0 ? SG_ECONFLICT
                                                           : SG_EIO;
    }
    op->cb(op->data, status, status == 0 || status == SG_ERANGE ? &op->v : NULL);
    free(op);
}

/* The keys vehicle_save.lua takes (its header): 7 for an update, 4 for a create, which
 * sends no vehicle keys as the script names the vehicle from the id it gives. */
static int save_keys(struct sg_store *s, const struct sg_vehicle *v, bool update, struct sg__key keys[7],
                     const char **argv)
{
    argv[0] = sg__key_global(&keys[0], &s->keys, SG__KEY_VEHICLES_NEXT);
    argv[1] = sg__key_campaign(&keys[1], &s->keys, v->campaign, SG__KEY_VEHICLES);
    argv[2] = sg__key_campaign(&keys[2], &s->keys, v->campaign, SG__KEY_ASSIGN);
    argv[3] = sg__key_campaign(&keys[3], &s->keys, v->campaign, SG__KEY_OPEN);
    if (!update)
        return 4;
    argv[4] = sg__key_vehicle(&keys[4], &s->keys, v->id);
    argv[5] = sg__key_vehicle_seats(&keys[5], &s->keys, v->id);
    argv[6] = sg__key_vehicle_boarded(&keys[6], &s->keys, v->id);
    return 7;
}

int sg_store_vehicle_save(struct sg_store *s, const struct sg_vehicle *v, bool update,
                          enum sg_vehicle_status read_status, sg_store_vehicle_cb cb, void *data)
{
    struct sg__key keys[7];
    char capacity[16], carriage[16], date[11], day[16];
    snprintf(capacity, sizeof(capacity), "%u", v->capacity);
    snprintf(carriage, sizeof(carriage), "%u", v->carriage_size);
    sg_date_format(v->depart_date, date);
    snprintf(day, sizeof(day), "%ld", sg_date_days(v->depart_date));
    char *plan = plan_encode(v);
    const char *args[] = {update ? v->id : "",
                          update ? sg_vehicle_status_name(read_status) : "",
                          v->scope,
                          capacity,
                          s->keys.prefix,
                          "campaign",
                          v->campaign,
                          "type",
                          sg_vehicle_type_name(v->type),
                          "status",
                          sg_vehicle_status_name(v->status),
                          "capacity",
                          capacity,
                          "carriage_size",
                          carriage,
                          "dest_city",
                          v->dest_city,
                          "depart_date",
                          date,
                          "day",
                          day,
                          "plan",
                          plan};
    const size_t nargs = sizeof(args) / sizeof(args[0]);
    const char *argv[7 + sizeof(args) / sizeof(args[0])];
    size_t lens[7 + sizeof(args) / sizeof(args[0])];
    int nkeys = save_keys(s, v, update, keys, argv);
    memcpy(argv + nkeys, args, sizeof(args));
    for (size_t i = 0; i != (size_t)nkeys + nargs; ++i)
        lens[i] = strlen(argv[i]);
    struct vehicle_op *op = calloc(1, sizeof(*op));
    if (op == NULL)
        abort();
    op->cb = cb, op->data = data, op->v = *v;
    int ret = sg__store_eval(s, SG__SCRIPT_VEHICLE_SAVE, nkeys, nkeys + (int)nargs, argv, lens, on_saved, op);
    cJSON_free(plan);
    if (ret != 0)
        free(op);
    return ret;
}

static void on_vehicle(void *data, int status, redisReply *reply)
{
    struct vehicle_op *op = data;
    if (status == 0 && reply->type != REDIS_REPLY_ARRAY)
        status = SG_EIO;
    if (status == 0 && !sg__vehicle_parse(reply, &op->v))
        status = reply->elements == 0 ? SG_ENOENT : SG_EIO;
    op->cb(op->data, status, status == 0 ? &op->v : NULL);
    free(op);
}

int sg_store_vehicle_get(struct sg_store *s, const char *id, sg_store_vehicle_cb cb, void *data)
{
    struct sg__key key;
    const char *argv[] = {"HGETALL", sg__key_vehicle(&key, &s->keys, id)};
    size_t lens[] = {7, strlen(argv[1])};
    struct vehicle_op *op = calloc(1, sizeof(*op));
    if (op == NULL)
        abort();
    op->cb = cb, op->data = data;
    int ret = sg__store_command(s, on_vehicle, op, 2, argv, lens);
    if (ret != 0)
        free(op);
    return ret;
}

static void on_list(void *data, int status, redisReply *reply)
{
    struct vehicle_op *op = data;
    struct sg_vehicle *vs = NULL;
    size_t n = 0;
    if (status == 0 && reply->type != REDIS_REPLY_ARRAY)
        status = SG_EIO;
    if (status == 0 && reply->elements != 0 && (vs = calloc(reply->elements, sizeof(*vs))) == NULL)
        abort();
    for (size_t i = 0; status == 0 && i != reply->elements; ++i)
        if (sg__vehicle_parse(reply->element[i], &vs[n]))
            ++n;
    op->list_cb(op->data, status, vs, n);
    free(vs);
    free(op);
}

int sg_store_vehicle_list(struct sg_store *s, const char *campaign, const char *scope, sg_store_vehicles_cb cb,
                          void *data)
{
    /* One round trip: the index range and each hash, read atomically. */
    /* KEYS[1] the campaign's vehicle index  ARGV[1] scope  ARGV[2] the vehicle key prefix
     * sg:{P}:vehicle: (the vehicle keys come from the index, in the hash slot of its tag) */
    static const char script[] =
        "#!lua flags=no-writes\n"
        "local out = {} for i, m in ipairs(redis.call('ZRANGEBYLEX', KEYS[1], '[' .. ARGV[1], '(' .. ARGV[1] .. "
        "'\\255')) do out[i] = redis.call('HGETALL', ARGV[2] .. string.match(m, ':(%d+)$')) end return out";
    struct sg__key index, prefix;
    const char *argv[] = {"EVAL", script,
                          "1",    sg__key_campaign(&index, &s->keys, campaign, SG__KEY_VEHICLES),
                          scope,  sg__key_vehicle(&prefix, &s->keys, "")};
    size_t lens[6];
    for (size_t i = 0; i != 6; ++i)
        lens[i] = strlen(argv[i]);
    struct vehicle_op *op = calloc(1, sizeof(*op));
    if (op == NULL)
        abort();
    op->list_cb = cb, op->data = data;
    int ret = sg__store_command(s, on_list, op, 6, argv, lens);
    if (ret != 0)
        free(op);
    return ret;
}

int sg_store_vehicles_get(struct sg_store *s, const char *const *ids, size_t n, sg_store_vehicles_cb cb, void *data)
{
    static const char script[] = "#!lua flags=no-writes\n"
                                 "local out = {} for i, k in ipairs(KEYS) do out[i] = redis.call('HGETALL', k) end "
                                 "return out";
    if (n > 1000)
        return SG_EINVAL;
    char nkeys[16];
    const char **argv = malloc((n + 3) * sizeof(*argv));
    size_t *lens = malloc((n + 3) * sizeof(*lens));
    struct sg__key *keys = malloc((n + 1) * sizeof(*keys));
    struct vehicle_op *op = calloc(1, sizeof(*op));
    if (argv == NULL || lens == NULL || keys == NULL || op == NULL)
        abort();
    snprintf(nkeys, sizeof(nkeys), "%zu", n);
    argv[0] = "EVAL", argv[1] = script, argv[2] = nkeys;
    for (size_t i = 0; i != n; ++i)
        argv[3 + i] = sg__key_vehicle(&keys[i], &s->keys, ids[i]);
    for (size_t i = 0; i != n + 3; ++i)
        lens[i] = strlen(argv[i]);
    op->list_cb = cb, op->data = data;
    int ret = sg__store_command(s, on_list, op, (int)n + 3, argv, lens);
    if (ret != 0)
        free(op);
    free(argv);
    free(lens);
    free(keys);
    return ret;
}
