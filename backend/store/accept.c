/* SPDX-License-Identifier: MIT */
/* What an accept writes (service/matching.c): the ids of the vehicles it proposes, reserved
 * at once; its groups in batches, with the vehicles each batch creates (assign.lua checks
 * every group; assign_fresh.lua writes whole new vehicles without looking at each group
 * while nothing has changed the open index since the accept read it); the sweep of the
 * runs it assigned out of the open index (open_sweep.lua). docs/redis-keys.md says how. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "domain/date.h"
#include "domain/err.h"
#include "domain/match.h"
#include "domain/text.h"
#include "store/internal.h"
#include "store/transport.h"

struct accept_op {
    void *data;
    sg_store_ids_cb ids;
    sg_store_assign_cb assign;
    sg_store_fresh_cb fresh;
    sg_store_sweep_cb sweep;
    uint64_t n;
};

static struct accept_op *op_new(void *data)
{
    struct accept_op *op = calloc(1, sizeof(*op));
    if (op == NULL)
        abort();
    op->data = data;
    return op;
}

/* The arguments of one call: argv and lens, and the text made for them (numbers, joined
 * strings), each sized once for the call. */
struct args {
    const char **v;
    size_t *len, n;
    char *text, *at;
};

static void args_init(struct args *a, size_t nargs, size_t text)
{
    a->v = malloc((nargs + 1) * sizeof(*a->v));
    a->len = malloc((nargs + 1) * sizeof(*a->len));
    a->text = a->at = malloc(text + 1);
    a->n = 0;
    if (a->v == NULL || a->len == NULL || a->text == NULL)
        abort();
}

static void args_free(struct args *a)
{
    free(a->v);
    free(a->len);
    free(a->text);
}

static void arg(struct args *a, const char *s, size_t len)
{
    a->v[a->n] = s;
    a->len[a->n++] = len;
}

static void arg_str(struct args *a, const char *s)
{
    arg(a, s, strlen(s));
}

static void arg_u64(struct args *a, uint64_t v)
{
    size_t n = sg_put_u64(a->at, v);
    arg(a, a->at, n);
    a->at += n;
}

/* x, c, y as one argument ("{vehicle}:{seat}", "{scope}:{id}"). */
static void arg_join(struct args *a, const char *x, char c, const char *y, size_t ylen)
{
    char *start = a->at;
    size_t xlen = strlen(x);
    memcpy(a->at, x, xlen);
    a->at[xlen] = c;
    memcpy(a->at + xlen + 1, y, ylen);
    a->at += xlen + 1 + ylen;
    arg(a, start, (size_t)(a->at - start));
}

#define CREATE_STRINGS 24 /* vehicle_save.lua's fields of a create, as field, value strings */
#define FRESH_STRINGS 12  /* assign_fresh.lua's strings of a vehicle */
#define VEHICLE_TEXT 160  /* the text of one vehicle's numbers, date and index member */

/* The hash of new vehicle v as vehicle_save.lua writes it on a create (CREATE_STRINGS). */
static void vehicle_fields(struct args *a, const char *campaign, const struct sg_vehicle_new *v, uint32_t used)
{
    arg_str(a, "id"), arg_str(a, v->id);
    arg_str(a, "scope"), arg_str(a, v->scope);
    arg_str(a, "used"), arg_u64(a, used);
    arg_str(a, "campaign"), arg_str(a, campaign);
    arg_str(a, "type"), arg_str(a, sg_vehicle_type_name(v->type));
    arg_str(a, "status"), arg_str(a, sg_vehicle_status_name(SG_VEHICLE_PLANNED));
    arg_str(a, "capacity"), arg_u64(a, v->capacity);
    arg_str(a, "carriage_size"), arg_u64(a, v->carriage_size);
    arg_str(a, "dest_city"), arg_str(a, v->dest_city);
    arg_str(a, "depart_date");
    sg_date_format(v->depart_date, a->at);
    arg(a, a->at, 10);
    a->at += 10;
    arg_str(a, "day"), arg_u64(a, (uint64_t)sg_date_days(v->depart_date));
    arg_str(a, "plan"), arg_str(a, v->plan);
}

/* ---- vehicle ids ------------------------------------------------------------------------- */

static void on_ids(void *data, int status, redisReply *reply)
{
    struct accept_op *op = data;
    if (status == 0 && (reply->type != REDIS_REPLY_INTEGER || reply->integer < (long long)op->n))
        status = SG_EIO;
    op->ids(op->data, status, status == 0 ? (uint64_t)reply->integer - op->n + 1 : 0);
    free(op);
}

int sg_store_vehicle_ids(struct sg_store *s, size_t n, sg_store_ids_cb cb, void *data)
{
    struct sg__key key;
    char count[24];
    count[sg_put_u64(count, n)] = '\0';
    const char *argv[] = {"INCRBY", sg__key_global(&key, &s->keys, SG__KEY_VEHICLES_NEXT), count};
    size_t lens[] = {6, strlen(argv[1]), strlen(count)};
    struct accept_op *op = op_new(data);
    op->ids = cb, op->n = n;
    int ret = sg__store_command(s, on_ids, op, 3, argv, lens);
    if (ret != 0)
        free(op);
    return ret;
}

/* ---- a batch checked group by group (assign.lua) ----------------------------------------- */

static void on_assigned(void *data, int status, redisReply *reply)
{
    struct accept_op *op = data;
    const char **skipped = NULL;
    size_t n = 0, nskipped = 0;
    if (status == 0 &&
        (reply->type != REDIS_REPLY_ARRAY || reply->elements != 2 || reply->element[1]->type != REDIS_REPLY_ARRAY))
        status = SG_EIO;
    if (status == 0) {
        n = (size_t)reply->element[0]->integer;
        nskipped = reply->element[1]->elements;
        if ((skipped = malloc((nskipped + 1) * sizeof(*skipped))) == NULL)
            abort();
        for (size_t i = 0; i != nskipped; ++i)
            skipped[i] = reply->element[1]->element[i]->str;
    }
    op->assign(op->data, status, n, skipped, nskipped);
    free(skipped);
    free(op);
}

/* The vehicles of a batch into ids, each once: the batch comes in vehicle order, so a
 * vehicle repeats the one before (one met again later only has its keys sent twice). */
static size_t batch_vehicles(const struct sg_assignment *a, size_t n, const char **ids)
{
    size_t m = 0;
    for (size_t i = 0; i != n; ++i)
        if (m == 0 || strcmp(ids[m - 1], a[i].vehicle) != 0)
            ids[m++] = a[i].vehicle;
    return m;
}

/* The vehicles to create, after the groups: k, then each one's place among the batch's
 * vehicles (1-based), its fields and its member of the vehicle index. */
static void create_args(struct args *a, const char *campaign, const char **ids, size_t m,
                        const struct sg_vehicle_new *create, size_t ncreate)
{
    arg_u64(a, ncreate);
    for (size_t k = 0; k != ncreate; ++k) {
        size_t j = 0;
        while (strcmp(ids[j], create[k].id) != 0) /* (there: sg_store_assign) */
            ++j;
        arg_u64(a, j + 1);
        arg_u64(a, CREATE_STRINGS);
        vehicle_fields(a, campaign, &create[k], 0);
        arg_join(a, create[k].scope, ':', create[k].id, strlen(create[k].id));
    }
}

int sg_store_assign(struct sg_store *s, const char *campaign, const struct sg_assignment *a, size_t n,
                    const struct sg_vehicle_new *create, size_t ncreate, sg_store_assign_cb cb, void *data)
{
    const char **ids = malloc((n + ncreate + 1) * sizeof(*ids));
    if (ids == NULL)
        abort();
    size_t m = batch_vehicles(a, n, ids);
    for (size_t k = 0; k != ncreate; ++k) { /* one without a group: keys of its own */
        size_t j = 0;
        while (j != m && strcmp(ids[j], create[k].id) != 0)
            ++j;
        if (j == m)
            ids[m++] = create[k].id;
    }
    size_t nkeys = 2 + 2 * m;
    struct sg__key *keys = malloc(nkeys * sizeof(*keys));
    struct args g;
    args_init(&g, nkeys + 4 + m + 3 * n + 1 + ncreate * (CREATE_STRINGS + 3), 24 * n + 64 + VEHICLE_TEXT * ncreate);
    if (keys == NULL)
        abort();
    arg_str(&g, sg__key_campaign(&keys[0], &s->keys, campaign, SG__KEY_OPEN));
    arg_str(&g, sg__key_campaign(&keys[1], &s->keys, campaign, SG__KEY_ASSIGN));
    for (size_t j = 0; j != m; ++j) {
        arg_str(&g, sg__key_vehicle(&keys[2 + 2 * j], &s->keys, ids[j]));
        arg_str(&g, sg__key_vehicle_seats(&keys[3 + 2 * j], &s->keys, ids[j]));
    }
    arg_u64(&g, n), arg_u64(&g, m), arg_str(&g, s->keys.prefix), arg_str(&g, campaign);
    for (size_t j = 0; j != m; ++j)
        arg_str(&g, ids[j]);
    for (size_t i = 0; i != n; ++i)
        arg_str(&g, a[i].member), arg_str(&g, a[i].vehicle), arg_u64(&g, a[i].seat);
    if (ncreate != 0)
        create_args(&g, campaign, ids, m, create, ncreate);
    struct accept_op *op = op_new(data);
    op->assign = cb;
    int ret = sg__store_eval(s, SG__SCRIPT_ASSIGN, (int)nkeys, (int)g.n, g.v, g.len, on_assigned, op);
    if (ret != 0)
        free(op);
    free(ids);
    free(keys);
    args_free(&g);
    return ret;
}

/* ---- whole new vehicles while the open index is unchanged (assign_fresh.lua) ------------- */

static void on_fresh(void *data, int status, redisReply *reply)
{
    struct accept_op *op = data;
    bool stale = false;
    size_t n = 0;
    if (status == 0 &&
        (reply->type != REDIS_REPLY_ARRAY || reply->elements == 0 || reply->element[0]->type != REDIS_REPLY_STRING))
        status = SG_EIO;
    else if (status == 0 && strcmp(reply->element[0]->str, "stale") == 0)
        stale = true;
    else if (status == 0 && (reply->elements != 2 || reply->element[1]->type != REDIS_REPLY_INTEGER))
        status = SG_EIO;
    else if (status == 0)
        n = (size_t)reply->element[1]->integer;
    op->fresh(op->data, status, stale, n);
    free(op);
}

/* One vehicle's groups a[0..n) (seat order) as assign_fresh.lua takes them: the fields of
 * its hash (with used, seat_next and holes: seats.lua's seats_take over the groups in
 * order) and its seat list. 0, or SG_EINVAL when two groups share a seat. */
static int fresh_vehicle(struct args *g, const struct sg_vehicle_new *v, const struct sg_assignment *a, size_t n)
{
    uint32_t used = 0, next = 1;
    char *holes = g->at + VEHICLE_TEXT, *h = holes; /* (room: VEHICLE_TEXT + 24 a group) */
    for (size_t i = 0; i != n; ++i) {
        if (a[i].seat < next || a[i].people == 0)
            return SG_EINVAL;
        if (a[i].seat > next) {
            if (h != holes)
                *h++ = ' ';
            h += sg_put_u64(h, next);
            *h++ = '-';
            h += sg_put_u64(h, a[i].seat - 1);
        }
        next = a[i].seat + a[i].people, used += a[i].people;
    }
    arg_u64(g, 2 * n), arg_str(g, v->id), arg_u64(g, used), arg_str(g, sg_vehicle_type_name(v->type));
    arg_u64(g, v->capacity), arg_u64(g, v->carriage_size), arg_str(g, v->dest_city);
    sg_date_format(v->depart_date, g->at);
    arg(g, g->at, 10);
    g->at += 10;
    arg_u64(g, (uint64_t)sg_date_days(v->depart_date)), arg_str(g, v->plan), arg_u64(g, next);
    arg(g, holes, (size_t)(h - holes));
    g->at = h;
    for (size_t i = 0; i != n; ++i)
        arg_u64(g, a[i].seat), arg(g, sg_open_code(a[i].member), SG_CODE_LEN);
    return 0;
}

struct village_people {
    const char *village;
    uint32_t people;
};

static int by_village(const void *x, const void *y)
{
    return memcmp(((const struct village_people *)x)->village, ((const struct village_people *)y)->village,
                  SG_DIVISION_CODE_MAX);
}

/* The transport counter 't:assigned' of the batch: people by village, then by county. */
static void counter_args(struct args *g, const struct sg_assignment *a, size_t n, size_t count_at)
{
    struct village_people *vp = malloc((n + 1) * sizeof(*vp));
    if (vp == NULL)
        abort();
    for (size_t i = 0; i != n; ++i)
        vp[i] = (struct village_people){a[i].member, a[i].people};
    qsort(vp, n, sizeof(*vp), by_village);
    for (int level = 0; level != 2; ++level) {
        size_t len = level == 0 ? SG_DIVISION_CODE_MAX : 6, pairs = 0;
        for (size_t i = 0; i != n;) {
            uint64_t people = 0;
            size_t k = i;
            for (; k != n && memcmp(vp[k].village, vp[i].village, len) == 0; ++k)
                people += vp[k].people;
            arg(g, vp[i].village, len), arg_u64(g, people), ++pairs;
            i = k;
        }
        size_t c = sg_put_u64(g->at, pairs);
        g->v[count_at + (size_t)level] = g->at, g->len[count_at + (size_t)level] = c, g->at += c;
    }
    free(vp);
}

int sg_store_assign_fresh(struct sg_store *s, const char *campaign, const char *changes, const struct sg_assignment *a,
                          size_t n, const struct sg_vehicle_new *create, size_t ncreate, sg_store_fresh_cb cb,
                          void *data)
{
    size_t nkeys = 3 + 2 * ncreate;
    struct sg__key *keys = malloc(nkeys * sizeof(*keys));
    struct args g;
    args_init(&g, nkeys + 8 + ncreate * FRESH_STRINGS + 6 * n, (VEHICLE_TEXT + 24) * ncreate + 100 * n + 64);
    if (keys == NULL)
        abort();
    arg_str(&g, sg__key_campaign(&keys[0], &s->keys, campaign, SG__KEY_ASSIGN));
    arg_str(&g, sg__key_campaign(&keys[1], &s->keys, campaign, SG__KEY_VEHICLES));
    arg_str(&g, sg__key_global(&keys[2], &s->keys, SG__KEY_OPEN_CHANGES));
    for (size_t k = 0; k != ncreate; ++k) {
        arg_str(&g, sg__key_vehicle(&keys[3 + 2 * k], &s->keys, create[k].id));
        arg_str(&g, sg__key_vehicle_seats(&keys[4 + 2 * k], &s->keys, create[k].id));
    }
    arg_str(&g, campaign), arg_str(&g, changes), arg_u64(&g, ncreate), arg_str(&g, s->keys.prefix);
    arg_str(&g, ncreate != 0 ? create[0].scope : ""), arg_u64(&g, n);
    arg(&g, "", 0), arg(&g, "", 0); /* the counters' counts: below */
    int ret = 0;
    size_t i = 0;
    for (size_t k = 0; k != ncreate && ret == 0; ++k) {
        size_t first = i;
        while (i != n && strcmp(a[i].vehicle, create[k].id) == 0)
            ++i;
        ret = fresh_vehicle(&g, &create[k], a + first, i - first);
    }
    if (ret == 0 && i != n)
        ret = SG_EINVAL; /* a group of a vehicle not created here, or out of vehicle order */
    if (ret == 0) {
        counter_args(&g, a, n, nkeys + 6);
        struct accept_op *op = op_new(data);
        op->fresh = cb;
        ret = sg__store_eval(s, SG__SCRIPT_ASSIGN_FRESH, (int)nkeys, (int)g.n, g.v, g.len, on_fresh, op);
        if (ret != 0)
            free(op);
    }
    free(keys);
    args_free(&g);
    return ret;
}

/* ---- the sweep of an accept's runs (open_sweep.lua) -------------------------------------- */

static void on_swept(void *data, int status, redisReply *reply)
{
    struct accept_op *op = data;
    if (status == 0 &&
        (reply->type != REDIS_REPLY_ARRAY || reply->elements != 2 || reply->element[0]->type != REDIS_REPLY_INTEGER ||
         reply->element[1]->type != REDIS_REPLY_STRING))
        status = SG_EIO;
    op->sweep(op->data, status, status == 0 ? (size_t)reply->element[0]->integer : 0,
              status == 0 ? reply->element[1]->str : "");
    free(op);
}

static void arg_bound(struct args *g, const char *member)
{
    arg_join(g, "", '[', member, strlen(member));
}

int sg_store_open_sweep_runs(struct sg_store *s, const char *campaign, const char *changes, const char *first,
                             const char *last, const struct sg_sweep_run *runs, size_t nruns, sg_store_sweep_cb cb,
                             void *data)
{
    struct sg__key keys[3];
    size_t text = strlen(first) + strlen(last) + 64;
    for (size_t r = 0; r != nruns; ++r)
        text += strlen(runs[r].first) + strlen(runs[r].last) + 24;
    struct args g;
    args_init(&g, 9 + 3 * nruns, text);
    arg_str(&g, sg__key_campaign(&keys[0], &s->keys, campaign, SG__KEY_OPEN));
    arg_str(&g, sg__key_campaign(&keys[1], &s->keys, campaign, SG__KEY_ASSIGN));
    arg_str(&g, sg__key_global(&keys[2], &s->keys, SG__KEY_OPEN_CHANGES));
    arg_bound(&g, first), arg_bound(&g, last), arg(&g, "", 0);
    arg_str(&g, campaign), arg_str(&g, changes), arg_u64(&g, nruns);
    for (size_t r = 0; r != nruns; ++r)
        arg_bound(&g, runs[r].first), arg_bound(&g, runs[r].last), arg_u64(&g, runs[r].n);
    struct accept_op *op = op_new(data);
    op->sweep = cb;
    int ret = sg__store_eval(s, SG__SCRIPT_OPEN_SWEEP, 3, (int)g.n, g.v, g.len, on_swept, op);
    if (ret != 0)
        free(op);
    args_free(&g);
    return ret;
}
