/* SPDX-License-Identifier: MIT */
/* A matching run as a chain of store callbacks: lock (accept only), heal what a run cut
 * short left (its unswept mark), vehicles, open registrations, match (on the offload
 * worker: half a second for a million people, which the loop must not wait for), then
 * (accept) create vehicles, mark the campaign unswept, assign in batches in vehicle order
 * (a few in flight, so that no command waits behind the others long enough to time out),
 * sweep the assigned members out of the open index, clear the mark, unlock. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sodium.h>
#include "domain/err.h"
#include "domain/sort.h"
#include "service/matching.h"
#include "service/notify.h"
#include "service/offload.h"
#include "store/transport.h"

#define LOCK_MS (10 * 60 * 1000)
#define BATCH 2000 /* groups an assign batch, in vehicle order (one script call: a few ms of Redis) */
#define SWEEP 5000 /* open-index members a sweep reads */
#define WRITES_IN_FLIGHT 4
#define CREATES_IN_FLIGHT 64

struct job {
    struct sg_app *app;
    sg_match_done_cb cb;
    void *data;
    char token[33];
    struct sg_match_report r;
    struct sg_match_vehicle *mv; /* the existing vehicles as the matcher sees them */
    struct sg_assignment *writes;
    size_t nwrites, next_write, next_create, inflight, created, next_sweep;
    char mark[64];   /* this run's unswept mark, "{token} {scope}" (accept, once writing) */
    char stale[64];  /* a mark left by a run that stopped half way, being healed */
    char cursor[96]; /* where healing goes on: "(member" */
    int status;
    clock_t cpu0;
};

static void finish(struct job *j);

static void on_unlocked(void *data, int status)
{
    struct job *j = data;
    j->r.cpu_ms = (double)(clock() - j->cpu0) * 1000.0 / CLOCKS_PER_SEC;
    sg_notify_match(j->app->store, &j->r); /* jobs (issue 17): tell the passengers of the vehicles filled */
    j->cb(j->data, j->status, &j->r);
    free(j->r.existing);
    sg_open_registrations_free(j->r.open);
    sg_match_result_dispose(&j->r.res);
    free(j->r.created_id);
    free(j->mv);
    free(j->writes);
    free(j);
}

static void finish(struct job *j)
{
    if (!j->r.accept || j->token[0] == '\0' ||
        sg_store_match_unlock(j->app->store, j->r.campaign, j->token, on_unlocked, j) != 0)
        on_unlocked(j, 0);
}

static void fail(struct job *j, int status)
{
    if (j->status == 0)
        j->status = status;
}

static void write_more(struct job *j);

static void on_written(void *data, int status, size_t n, const char *const *skipped, size_t nskipped)
{
    struct job *j = data;
    --j->inflight;
    if (status != 0)
        fail(j, status);
    j->r.assigned += n;
    for (size_t i = 0; i != nskipped; ++i, ++j->r.skipped)
        if (j->r.skipped < SG_MATCH_SKIPPED_KEPT)
            snprintf(j->r.skipped_codes[j->r.skipped], 9, "%s", skipped[i]);
    write_more(j);
}

static void sweep_more(struct job *j);

static void on_swept(void *data, int status, size_t removed, const char *last)
{
    struct job *j = data;
    (void)removed, (void)last;
    --j->inflight;
    if (status != 0)
        fail(j, status);
    sweep_more(j);
}

static void on_mark_cleared(void *data, int status)
{
    struct job *j = data;
    (void)status; /* a mark left behind costs the next run a sweep, nothing else */
    finish(j);
}

/* The assigned members leave the open index: the list read, slice by slice in its order
 * (open_sweep.lua takes out runs), then the run's mark is cleared. Skipped after a
 * failure: the mark stays, and the next run sweeps the scope before it matches. */
static void sweep_more(struct job *j)
{
    const struct sg_open_registrations *o = j->r.open;
    while (j->status == 0 && j->inflight < WRITES_IN_FLIGHT && j->next_sweep < o->n) {
        size_t last = j->next_sweep + SWEEP < o->n ? j->next_sweep + SWEEP - 1 : o->n - 1;
        char min[96], max[96];
        snprintf(min, sizeof(min), "[%s", o->member[j->next_sweep]);
        snprintf(max, sizeof(max), "[%s", o->member[last]);
        int ret = sg_store_open_sweep(j->app->store, j->r.campaign, min, max, 0, on_swept, j);
        if (ret != 0) {
            fail(j, ret);
            break;
        }
        j->next_sweep = last + 1;
        ++j->inflight;
    }
    if (j->inflight != 0 || (j->status == 0 && j->next_sweep != o->n))
        return;
    if (j->status != 0 || j->mark[0] == '\0' ||
        sg_store_unswept_clear(j->app->store, j->r.campaign, j->mark, on_mark_cleared, j) != 0)
        finish(j);
}

static void write_more(struct job *j)
{
    while (j->status == 0 && j->inflight < WRITES_IN_FLIGHT && j->next_write < j->nwrites) {
        size_t n = j->nwrites - j->next_write < BATCH ? j->nwrites - j->next_write : BATCH;
        int ret = sg_store_assign(j->app->store, j->r.campaign, j->writes + j->next_write, n, on_written, j);
        if (ret != 0) {
            fail(j, ret);
            break;
        }
        j->next_write += n;
        ++j->inflight;
    }
    if (j->inflight == 0 && (j->status != 0 || j->next_write == j->nwrites)) {
        j->r.assigned_people = 0;
        for (size_t i = 0; i != j->nwrites; ++i)
            j->r.assigned_people += j->writes[i].people;
        sweep_more(j);
    }
}

/* The writes in vehicle and seat order: a batch reads and writes each vehicle once.
 * Radix-sorted by (vehicle index, seat) (a qsort comparing vehicle ids as strings cost a
 * third of the run's CPU at 1,000,000 registrations). */
static void start_writes(struct job *j)
{
    const struct sg_match_result *res = &j->r.res;
    size_t n = j->r.open->n, nkeys = 0;
    struct sg_sort_pair *keys = malloc((n + 1) * sizeof(*keys));
    if ((j->writes = malloc((n + 1) * sizeof(*j->writes))) == NULL || keys == NULL)
        abort();
    for (size_t i = 0; i != n; ++i)
        if (res->assign[i].vehicle != SG_MATCH_NONE)
            keys[nkeys++] =
                (struct sg_sort_pair){(uint64_t)res->assign[i].vehicle << 32 | res->assign[i].seat, (uint32_t)i};
    sg_sort_pairs(keys, nkeys);
    for (size_t k = 0; k != nkeys; ++k) {
        uint32_t i = keys[k].value, v = res->assign[i].vehicle;
        const char *id = v < j->r.nexisting ? j->r.existing[v].id : j->r.created_id[v - j->r.nexisting];
        j->writes[j->nwrites++] =
            (struct sg_assignment){j->r.open->member[i], id, res->assign[i].seat, j->r.open->items[i].size};
    }
    free(keys);
    write_more(j);
}

static void create_more(struct job *j);

static void on_marked(void *data, int status)
{
    struct job *j = data;
    if (status != 0) {
        j->mark[0] = '\0';
        fail(j, status);
        finish(j);
    } else {
        start_writes(j);
    }
}

/* The campaign is marked unswept before the first assign batch (see sg_store_unswept_get). */
static void mark_then_write(struct job *j)
{
    snprintf(j->mark, sizeof(j->mark), "%s %s", j->token, j->r.scope);
    if (sg_store_unswept_set(j->app->store, j->r.campaign, j->mark, on_marked, j) != 0)
        on_marked(j, SG_EUNAVAIL);
}

struct create_op {
    struct job *j;
    size_t i;
};

static void on_created(void *data, int status, const struct sg_vehicle *v)
{
    struct create_op *op = data;
    struct job *j = op->j;
    --j->inflight;
    if (status != 0)
        fail(j, status);
    else
        memcpy(j->r.created_id[op->i], v->id, SG_VEHICLE_ID_MAX + 1), ++j->created;
    free(op);
    create_more(j);
}

/* The proposed vehicle i with placeholder plan fields (organisers complete them before boarding). */
static void proposed_vehicle(const struct job *j, size_t i, struct sg_vehicle *v)
{
    const struct sg_match_vehicle *c = &j->r.res.created[i];
    memset(v, 0, sizeof(*v));
    snprintf(v->campaign, sizeof(v->campaign), "%s", j->r.campaign);
    snprintf(v->scope, sizeof(v->scope), "%s", j->r.scope);
    v->type = (enum sg_vehicle_type)c->type;
    v->status = SG_VEHICLE_PLANNED;
    v->capacity = c->capacity;
    v->carriage_size = v->type == SG_VEHICLE_TRAIN ? j->r.sizes.train_carriage : 0;
    snprintf(v->dest_city, sizeof(v->dest_city), "%04u", c->city % 10000);
    v->depart_date = sg_date_from_days(c->day);
    snprintf(v->notes, sizeof(v->notes), "自动编排生成，请补全车牌/车次、上车点、司机和带队人");
}

static void create_more(struct job *j)
{
    while (j->status == 0 && j->inflight < CREATES_IN_FLIGHT && j->next_create < j->r.res.ncreated) {
        struct sg_vehicle v;
        struct create_op *op = malloc(sizeof(*op));
        if (op == NULL)
            abort();
        *op = (struct create_op){j, j->next_create};
        proposed_vehicle(j, j->next_create, &v);
        int ret = sg_store_vehicle_save(j->app->store, &v, false, SG_VEHICLE_PLANNED, on_created, op);
        if (ret != 0) {
            free(op);
            fail(j, ret);
            break;
        }
        ++j->next_create;
        ++j->inflight;
    }
    if (j->inflight == 0 && j->status != 0)
        finish(j);
    else if (j->inflight == 0 && j->created == j->r.res.ncreated)
        mark_then_write(j);
}

/* On the worker: the job is the worker's alone until on_matched. */
static void compute(void *data)
{
    struct job *j = data;
    struct sg_match_config config;
    memcpy(config.capacity, j->r.sizes.seats, sizeof(config.capacity));
    for (size_t i = 0; i != j->r.open->n; ++i)
        j->r.people += j->r.open->items[i].size;
    j->status = sg_match(j->r.open->items, j->r.open->n, j->mv, j->r.nexisting, &config, &j->r.res);
}

static void on_matched(void *data)
{
    struct job *j = data;
    if (j->status != 0 || !j->r.accept) {
        finish(j);
        return;
    }
    if ((j->r.created_id = calloc(j->r.res.ncreated + 1, sizeof(*j->r.created_id))) == NULL)
        abort();
    create_more(j);
}

static void run_match(struct job *j)
{
    if ((j->mv = malloc((j->r.nexisting + 1) * sizeof(*j->mv))) == NULL)
        abort();
    for (size_t i = 0; i != j->r.nexisting; ++i) {
        const struct sg_vehicle *v = &j->r.existing[i];
        uint32_t city = (uint32_t)strtoul(v->dest_city, NULL, 10);
        /* free seats: the holes a cancel or a move left, and seat_next on (seats.lua); the
         * holes point into j->r.existing, which outlives the computation */
        j->mv[i] = (struct sg_match_vehicle){.city = city,
                                             .day = (int32_t)sg_date_days(v->depart_date),
                                             .type = (uint8_t)v->type,
                                             .capacity = v->capacity,
                                             .used = v->used,
                                             .seat_next = v->seat_next,
                                             .holes = (const uint32_t(*)[2])v->holes,
                                             .nholes = v->nholes};
    }
    sg_offload_run(compute, on_matched, j);
}

static void on_open(void *data, int status, struct sg_open_registrations *o)
{
    struct job *j = data;
    j->r.open = o;
    if (status != 0) {
        fail(j, status);
        finish(j);
        return;
    }
    run_match(j);
}

static void on_vehicles(void *data, int status, const struct sg_vehicle *v, size_t n)
{
    struct job *j = data;
    if (status == 0) {
        if ((j->r.existing = malloc((n + 1) * sizeof(*v))) == NULL)
            abort();
        for (size_t i = 0; i != n; ++i)
            if (v[i].status == SG_VEHICLE_PLANNED)
                j->r.existing[j->r.nexisting++] = v[i];
        status = sg_store_open_list(j->app->store, j->r.campaign, j->r.scope, on_open, j);
    }
    if (status != 0) {
        fail(j, status);
        finish(j);
    }
}

static void read_vehicles(struct job *j)
{
    int ret = sg_store_vehicle_list(j->app->store, j->r.campaign, j->r.scope, on_vehicles, j);
    if (ret != 0) {
        fail(j, ret);
        finish(j);
    }
}

static void on_healed(void *data, int status)
{
    struct job *j = data;
    if (status != 0) {
        fail(j, status);
        finish(j);
    } else {
        read_vehicles(j);
    }
}

static void on_heal_swept(void *data, int status, size_t removed, const char *last);

/* Sweep the scope of a run that stopped half way (its mark), SWEEP members a call. */
static void heal_more(struct job *j)
{
    char max[32];
    const char *scope = strchr(j->stale, ' ') != NULL ? strchr(j->stale, ' ') + 1 : "";
    snprintf(max, sizeof(max), "(%s\xff", scope);
    int ret = sg_store_open_sweep(j->app->store, j->r.campaign, j->cursor, max, SWEEP, on_heal_swept, j);
    if (ret != 0) {
        fail(j, ret);
        finish(j);
    }
}

static void on_heal_swept(void *data, int status, size_t removed, const char *last)
{
    struct job *j = data;
    (void)removed;
    int ret = status;
    if (status == 0 && last[0] != '\0') {
        snprintf(j->cursor, sizeof(j->cursor), "(%s", last);
        heal_more(j);
        return;
    }
    if (status == 0 && (ret = sg_store_unswept_clear(j->app->store, j->r.campaign, j->stale, on_healed, j)) == 0)
        return;
    fail(j, ret);
    finish(j);
}

static void on_mark(void *data, int status, const char *mark)
{
    struct job *j = data;
    if (status != 0) {
        fail(j, status);
        finish(j);
    } else if (mark == NULL) {
        read_vehicles(j);
    } else {
        snprintf(j->stale, sizeof(j->stale), "%s", mark);
        const char *scope = strchr(mark, ' ') != NULL ? strchr(mark, ' ') + 1 : "";
        snprintf(j->cursor, sizeof(j->cursor), "[%s", scope);
        heal_more(j);
    }
}

/* First of every run: a mark another run left (it stopped half way) is healed. */
static void check_unswept(struct job *j)
{
    int ret = sg_store_unswept_get(j->app->store, j->r.campaign, j->r.accept ? j->token : "", on_mark, j);
    if (ret != 0) {
        fail(j, ret);
        finish(j);
    }
}

static void on_locked(void *data, int status)
{
    struct job *j = data;
    if (status == 0) {
        check_unswept(j);
        return;
    }
    if (status == SG_EEXIST)
        j->token[0] = '\0'; /* not ours to release */
    fail(j, status);
    finish(j);
}

int sg_match_start(struct sg_app *app, const char *campaign, const char *scope, const struct sg_vehicle_sizes *sizes,
                   bool accept, sg_match_done_cb cb, void *data)
{
    struct job *j = calloc(1, sizeof(*j));
    if (j == NULL)
        abort();
    j->app = app, j->cb = cb, j->data = data, j->cpu0 = clock();
    snprintf(j->r.campaign, sizeof(j->r.campaign), "%s", campaign);
    snprintf(j->r.scope, sizeof(j->r.scope), "%s", scope);
    j->r.accept = accept;
    j->r.sizes = sizes != NULL ? *sizes : sg_vehicle_sizes_default;
    unsigned char rnd[16];
    randombytes_buf(rnd, sizeof(rnd));
    sodium_bin2hex(j->token, sizeof(j->token), rnd, sizeof(rnd));
    if (!accept) {
        check_unswept(j);
        return 0;
    }
    int ret = sg_store_match_lock(app->store, campaign, j->token, LOCK_MS, on_locked, j);
    if (ret != 0)
        free(j);
    return ret;
}

/* ---- the report as JSON ---------------------------------------------------------------- */

static const struct sg_match_vehicle *sort_created;

static int by_city_day_type(const void *a, const void *b)
{
    const struct sg_match_vehicle *x = &sort_created[*(const uint32_t *)a], *y = &sort_created[*(const uint32_t *)b];
    if (x->city != y->city)
        return x->city < y->city ? -1 : 1;
    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    return (int)x->type - (int)y->type;
}

static cJSON *json_group(const struct sg_app *app, const struct sg_match_vehicle *c, size_t vehicles, uint64_t people)
{
    char city[5], date[11], summary[256];
    static const char *const units[SG_VEHICLE_TYPES] = {"辆专车", "列专列", "架次专机"};
    snprintf(city, sizeof(city), "%04u", c->city % 10000);
    struct sg_date d = sg_date_from_days(c->day);
    sg_date_format(d, date);
    const struct sg_division *dc = sg_divisions_find(app->destinations, city, 4);
    snprintf(summary, sizeof(summary), "%s %d月%d日：%llu人 → %zu%s", dc != NULL ? dc->name : city, d.m, d.d,
             (unsigned long long)people, vehicles, units[c->type]);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "dest_city", city);
    cJSON_AddStringToObject(o, "dest_city_name", dc != NULL ? dc->name : "");
    cJSON_AddStringToObject(o, "depart_date", date);
    cJSON_AddStringToObject(o, "type", sg_vehicle_type_name((enum sg_vehicle_type)c->type));
    cJSON_AddNumberToObject(o, "vehicles", (double)vehicles);
    cJSON_AddNumberToObject(o, "people", (double)people);
    cJSON_AddStringToObject(o, "summary", summary);
    return o;
}

static cJSON *json_new(const struct sg_app *app, const struct sg_match_result *res)
{
    cJSON *list = cJSON_CreateArray();
    uint32_t *idx = malloc((res->ncreated + 1) * sizeof(*idx));
    if (idx == NULL)
        abort();
    for (size_t i = 0; i != res->ncreated; ++i)
        idx[i] = (uint32_t)i;
    sort_created = res->created;
    qsort(idx, res->ncreated, sizeof(*idx), by_city_day_type);
    for (size_t lo = 0, hi; lo < res->ncreated; lo = hi) {
        uint64_t people = 0;
        for (hi = lo; hi < res->ncreated && by_city_day_type(&idx[lo], &idx[hi]) == 0; ++hi)
            people += res->created[idx[hi]].used;
        cJSON_AddItemToArray(list, json_group(app, &res->created[idx[lo]], hi - lo, people));
    }
    free(idx);
    return list;
}

static cJSON *json_existing(const struct sg_match_report *r)
{
    cJSON *list = cJSON_CreateArray();
    uint64_t *added = calloc(r->nexisting + 1, sizeof(*added));
    if (added == NULL)
        abort();
    for (size_t i = 0; i != r->open->n; ++i)
        if (r->res.assign[i].vehicle < r->nexisting)
            added[r->res.assign[i].vehicle] += r->open->items[i].size;
    for (size_t i = 0; i != r->nexisting; ++i) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "id", r->existing[i].id);
        cJSON_AddStringToObject(o, "number", r->existing[i].number);
        cJSON_AddNumberToObject(o, "capacity", r->existing[i].capacity);
        cJSON_AddNumberToObject(o, "used_before", r->existing[i].used);
        cJSON_AddNumberToObject(o, "added", (double)added[i]);
        cJSON_AddItemToArray(list, o);
    }
    free(added);
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

static cJSON *json_sizes(const struct sg_vehicle_sizes *s)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "bus", s->seats[SG_VEHICLE_BUS]);
    cJSON_AddNumberToObject(o, "train", s->seats[SG_VEHICLE_TRAIN]);
    cJSON_AddNumberToObject(o, "train_carriage", s->train_carriage);
    cJSON_AddNumberToObject(o, "flight", s->seats[SG_VEHICLE_FLIGHT]);
    return o;
}

cJSON *sg_json_match_report(const struct sg_app *app, const struct sg_match_report *r)
{
    cJSON *o = cJSON_CreateObject(), *too_big = cJSON_CreateArray();
    cJSON_AddStringToObject(o, "campaign", r->campaign);
    cJSON_AddStringToObject(o, "scope", r->scope);
    cJSON_AddBoolToObject(o, "accept", r->accept);
    cJSON_AddItemToObject(o, "sizes", json_sizes(&r->sizes));
    cJSON_AddNumberToObject(o, "registrations", (double)r->open->n);
    cJSON_AddNumberToObject(o, "people", (double)r->people);
    cJSON_AddNumberToObject(o, "people_placed", (double)r->res.people_placed);
    cJSON_AddItemToObject(o, "existing", json_existing(r));
    cJSON_AddItemToObject(o, "new", json_new(app, &r->res));
    cJSON_AddNumberToObject(o, "new_vehicles", (double)r->res.ncreated);
    cJSON_AddNumberToObject(o, "lower_bound", (double)r->res.lower_bound);
    cJSON_AddNumberToObject(o, "lower_bound_city", (double)r->res.lower_bound_city);
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
    cJSON_AddItemToObject(o, "too_big", too_big);
    if (r->accept)
        json_accepted(o, r);
    cJSON_AddNumberToObject(o, "cpu_ms", r->cpu_ms);
    return o;
}
