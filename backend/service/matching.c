/* SPDX-License-Identifier: MIT */
/* A matching run as a chain of store callbacks: lock (accept only), heal what a run cut
 * short left (its unswept mark), vehicles, open registrations, match (on the offload
 * worker: half a second for a million people, which the loop must not wait for), then
 * (accept) reserve the new vehicles' ids, mark the campaign unswept, assign in batches in
 * vehicle order (a few in flight, so that no command waits behind the others long enough
 * to time out): the groups of existing vehicles checked one by one (assign.lua), the new
 * vehicles created whole with their passengers while the open index is as it was read
 * (assign_fresh.lua; else through assign.lua too), then sweep the runs assigned out of the
 * open index, clear the mark, unlock. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sodium.h>
#include "domain/err.h"
#include "domain/sort.h"
#include "service/matching.h"
#include "service/offload.h"
#include "service/trip_events.h"
#include "store/transport.h"

#define LOCK_MS (10 * 60 * 1000)
#define BATCH 2000          /* groups an assign batch, in vehicle order (one script call: a few ms of Redis) */
#define BATCH_VEHICLES 1000 /* new vehicles a batch creates at most */
#define SWEEP 20000         /* open-index members a sweep covers */
#define WRITES_IN_FLIGHT 4

struct job {
    struct sg_app *app;
    sg_match_done_cb cb;
    void *data;
    char token[33];
    struct sg_match_report r;
    struct sg_match_vehicle *mv;                 /* the existing vehicles as the matcher sees them */
    struct sg_match_area (*areas)[SG_STOPS_MAX]; /* their pickup areas */
    struct sg_assignment *writes;
    uint32_t *item;           /* writes[k] is the open registration item[k] */
    uint8_t *written;         /* per open registration: assigned by this run */
    uint32_t *vorder;         /* the new vehicles in the order they are written: by pickup area */
    size_t *vstart;           /* the writes of the k-th new vehicle written: vstart[k] .. vstart[k + 1] */
    struct plan_cache *plans; /* the plan JSON of new vehicles, by pickup area */
    struct batch *retry;      /* batches to send again through assign.lua (the open index changed) */
    bool changed;             /* the open index changed since it was read: no more fresh batches */
    size_t nwrites, next_write, next_create, inflight, next_sweep;
    char mark[64];   /* this run's unswept mark, "{token} {scope}" (accept, once writing) */
    char stale[64];  /* a mark left by a run that stopped half way, being healed */
    char cursor[96]; /* where healing goes on: "(member" */
    int status;
    clock_t cpu0;
};

static void finish(struct job *j);
static void plans_free(struct plan_cache *p);

static void on_unlocked(void *data, int status)
{
    struct job *j = data;
    j->r.cpu_ms = (double)(clock() - j->cpu0) * 1000.0 / CLOCKS_PER_SEC;
    j->cb(j->data, j->status, &j->r);
    free(j->r.existing);
    sg_open_registrations_free(j->r.open);
    sg_match_result_dispose(&j->r.res);
    free(j->r.created_id);
    free(j->mv);
    free(j->areas);
    free(j->writes);
    free(j->item);
    free(j->written);
    free(j->vstart);
    free(j->vorder);
    plans_free(j->plans);
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

/* The plan JSON of the new vehicles, made once per pickup area (open addressing). */
struct plan_cache {
    size_t mask;
    uint64_t *area;
    char **plan; /* NULL: a free slot */
};

static void plans_free(struct plan_cache *p)
{
    if (p == NULL)
        return;
    for (size_t i = 0; i <= p->mask; ++i)
        free(p->plan[i]);
    free(p->area);
    free(p->plan);
    free(p);
}

/* A batch of writes: j->writes[first .. first + n), creating the new vehicles written
 * c0 .. c0 + nc (j->vorder; each whole: every write of theirs is in the batch). */
struct batch {
    struct job *j;
    size_t first, n, c0, nc;
    bool fresh;         /* through assign_fresh.lua */
    struct batch *next; /* in j->retry */
};

/* The groups of batch b that were written (all but the skipped ones), to the listeners,
 * and in j->written for the sweep. */
static void announce(struct batch *b, const char *const *skipped, size_t nskipped)
{
    const char **codes = malloc((b->n + 1) * sizeof(*codes)), **vehicles = malloc((b->n + 1) * sizeof(*vehicles));
    uint32_t *seats = malloc((b->n + 1) * sizeof(*seats));
    size_t n = 0, s = 0;
    if (codes == NULL || vehicles == NULL || seats == NULL)
        abort();
    for (size_t i = b->first; i != b->first + b->n; ++i) {
        const struct sg_assignment *a = &b->j->writes[i];
        const char *code = sg_open_code(a->member);
        if (s < nskipped && strncmp(skipped[s], code, SG_CODE_LEN) == 0) {
            ++s; /* skipped codes come back in the batch's order */
            continue;
        }
        b->j->written[b->j->item[i]] = 1;
        codes[n] = code, vehicles[n] = a->vehicle, seats[n++] = a->seat;
    }
    struct sg_trip_change c = {.kind = SG_TRIP_ASSIGNED,
                               .campaign = b->j->r.campaign,
                               .codes = codes,
                               .vehicles = vehicles,
                               .seats = seats,
                               .n = n,
                               .by = "match"};
    if (n != 0)
        sg_trip_changed(b->j->app, &c);
    free(codes);
    free(vehicles);
    free(seats);
}

static void on_written(void *data, int status, size_t n, const char *const *skipped, size_t nskipped)
{
    struct batch *b = data;
    struct job *j = b->j;
    --j->inflight;
    if (status != 0)
        fail(j, status);
    else
        announce(b, skipped, nskipped);
    j->r.assigned += n;
    for (size_t i = 0; i != nskipped; ++i, ++j->r.skipped)
        if (j->r.skipped < SG_MATCH_SKIPPED_KEPT)
            snprintf(j->r.skipped_codes[j->r.skipped], 9, "%s", skipped[i]);
    free(b);
    write_more(j);
}

/* A fresh batch's answer: stale (the open index changed since it was read) sends it again
 * through assign.lua, and every batch after it. */
static void on_fresh_written(void *data, int status, bool stale, size_t n)
{
    struct batch *b = data;
    struct job *j = b->j;
    --j->inflight;
    if (status == 0 && stale) {
        j->changed = true;
        b->fresh = false;
        b->next = j->retry, j->retry = b;
    } else {
        if (status != 0)
            fail(j, status);
        else
            announce(b, NULL, 0);
        j->r.assigned += n;
        free(b);
    }
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

/* The runs of members this run assigned among the open list's first .. last, into runs. */
static size_t sweep_runs(const struct job *j, size_t first, size_t last, struct sg_sweep_run *runs)
{
    const struct sg_open_registrations *o = j->r.open;
    size_t n = 0;
    for (size_t i = first; i <= last; ++i) {
        if (!j->written[i])
            continue;
        size_t k = i;
        while (k < last && j->written[k + 1])
            ++k;
        runs[n++] = (struct sg_sweep_run){o->member[i], o->member[k], k - i + 1};
        i = k;
    }
    return n;
}

/* The assigned members leave the open index: the list read, slice by slice in its order,
 * each slice with the runs this run assigned in it (open_sweep.lua), then the run's mark is
 * cleared. Skipped after a failure: the mark stays, and the next run sweeps the scope
 * before it matches. */
static void sweep_more(struct job *j)
{
    const struct sg_open_registrations *o = j->r.open;
    struct sg_sweep_run *runs = malloc((SWEEP / 2 + 2) * sizeof(*runs));
    if (runs == NULL)
        abort();
    while (j->status == 0 && j->inflight < WRITES_IN_FLIGHT && j->next_sweep < o->n) {
        size_t first = j->next_sweep, last = first + SWEEP < o->n ? first + SWEEP - 1 : o->n - 1;
        size_t nruns = sweep_runs(j, first, last, runs);
        j->next_sweep = last + 1;
        if (nruns == 0)
            continue; /* nothing assigned here: nothing to take out */
        int ret = sg_store_open_sweep_runs(j->app->store, j->r.campaign, o->changes, o->member[first], o->member[last],
                                           runs, nruns, on_swept, j);
        if (ret != 0) {
            fail(j, ret);
            break;
        }
        ++j->inflight;
    }
    free(runs);
    if (j->inflight != 0 || (j->status == 0 && j->next_sweep != o->n))
        return;
    if (j->status != 0 || j->mark[0] == '\0' ||
        sg_store_unswept_clear(j->app->store, j->r.campaign, j->mark, on_mark_cleared, j) != 0)
        finish(j);
}

/* The proposed vehicle i, its plan to be completed by the organiser before boarding (the
 * vehicle list says so: plan_complete): one stop serving its pickup area, named after it,
 * whose place and time are still to be said. */
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
    if (j->r.area_digits != 0) {
        struct sg_stop *s = &v->stops[v->nstops++];
        snprintf(s->serves, sizeof(s->serves), "%0*llu", (int)j->r.area_digits, (unsigned long long)c->area);
        const struct sg_division *d = sg_divisions_find(j->app->divisions, s->serves, strlen(s->serves));
        snprintf(s->name, sizeof(s->name), "%s（上车点待定）", d != NULL ? d->name : s->serves);
    }
}

/* The plan of new vehicle c: the same for every vehicle of its pickup area. */
static const char *plan_of(struct job *j, size_t c)
{
    struct plan_cache *p = j->plans;
    if (p == NULL) {
        size_t size = 64;
        while (size < 2 * j->r.res.ncreated + 2)
            size *= 2;
        if ((p = calloc(1, sizeof(*p))) == NULL || (p->area = calloc(size, sizeof(*p->area))) == NULL ||
            (p->plan = calloc(size, sizeof(*p->plan))) == NULL)
            abort();
        p->mask = size - 1;
        j->plans = p;
    }
    uint64_t area = j->r.res.created[c].area;
    size_t i = (size_t)((area * 0x9E3779B97F4A7C15ull) >> 32) & p->mask;
    while (p->plan[i] != NULL && p->area[i] != area)
        i = (i + 1) & p->mask;
    if (p->plan[i] == NULL) {
        struct sg_vehicle *v = malloc(sizeof(*v));
        if (v == NULL)
            abort();
        proposed_vehicle(j, c, v);
        p->plan[i] = sg_store_vehicle_plan_json(v);
        p->area[i] = area;
        free(v);
    }
    return p->plan[i];
}

/* The new vehicles written c0 .. c0 + nc as the store creates them. */
static struct sg_vehicle_new *new_vehicles(struct job *j, size_t c0, size_t nc)
{
    struct sg_vehicle_new *v = malloc((nc + 1) * sizeof(*v));
    if (v == NULL)
        abort();
    for (size_t k = 0; k != nc; ++k) {
        uint32_t i = j->vorder[c0 + k];
        const struct sg_match_vehicle *c = &j->r.res.created[i];
        v[k] = (struct sg_vehicle_new){.id = j->r.created_id[i],
                                       .scope = j->r.scope,
                                       .plan = plan_of(j, i),
                                       .type = (enum sg_vehicle_type)c->type,
                                       .capacity = c->capacity,
                                       .carriage_size = c->type == SG_VEHICLE_TRAIN ? j->r.sizes.train_carriage : 0,
                                       .depart_date = sg_date_from_days(c->day)};
        snprintf(v[k].dest_city, sizeof(v[k].dest_city), "%04u", c->city % 10000);
    }
    return v;
}

/* The next batch to send: one to send again first, then the groups of existing vehicles
 * BATCH at a time, then new vehicles whole, about BATCH groups and at most BATCH_VEHICLES
 * vehicles a batch; NULL when all are sent. */
static struct batch *next_batch(struct job *j)
{
    struct batch *b = j->retry;
    size_t ncreated = j->r.res.ncreated;
    if (b != NULL) {
        j->retry = b->next;
        return b;
    }
    if ((b = calloc(1, sizeof(*b))) == NULL)
        abort();
    b->j = j, b->first = j->next_write;
    if (j->next_write < j->vstart[0]) {
        b->n = j->vstart[0] - j->next_write < BATCH ? j->vstart[0] - j->next_write : BATCH;
    } else if (j->next_create < ncreated) {
        size_t c1 = j->next_create;
        while (c1 < ncreated && c1 - j->next_create < BATCH_VEHICLES &&
               j->vstart[c1] - j->vstart[j->next_create] < BATCH)
            ++c1;
        b->c0 = j->next_create, b->nc = c1 - j->next_create, b->n = j->vstart[c1] - j->vstart[j->next_create];
        b->fresh = !j->changed && j->r.open->changes[0] != '\0';
        j->next_create = c1;
    } else {
        free(b);
        return NULL;
    }
    j->next_write += b->n;
    return b;
}

static int send_batch(struct job *j, struct batch *b)
{
    struct sg_vehicle_new *create = b->nc != 0 ? new_vehicles(j, b->c0, b->nc) : NULL;
    int ret = b->fresh ? sg_store_assign_fresh(j->app->store, j->r.campaign, j->r.open->changes, j->writes + b->first,
                                               b->n, create, b->nc, on_fresh_written, b)
                       : sg_store_assign(j->app->store, j->r.campaign, j->writes + b->first, b->n, create, b->nc,
                                         on_written, b);
    free(create);
    return ret;
}

static void write_more(struct job *j)
{
    struct batch *b;
    while (j->status == 0 && j->inflight < WRITES_IN_FLIGHT && (b = next_batch(j)) != NULL) {
        int ret = send_batch(j, b);
        if (ret != 0) {
            free(b);
            fail(j, ret);
            break;
        }
        ++j->inflight;
    }
    if (j->inflight != 0 ||
        (j->status == 0 && (j->retry != NULL || j->next_write != j->nwrites || j->next_create != j->r.res.ncreated)))
        return;
    while ((b = j->retry) != NULL) /* after a failure: not sent */
        j->retry = b->next, free(b);
    j->r.assigned_people = 0;
    for (size_t i = 0; i != j->nwrites; ++i)
        j->r.assigned_people += j->writes[i].people;
    sweep_more(j);
}

/* The order new vehicles are written in: by pickup area (a batch then counts the people of
 * a few villages, not of hundreds), and where each stands in it (rank). */
static void order_new(struct job *j, uint32_t *rank)
{
    size_t n = j->r.res.ncreated;
    struct sg_sort_pair *keys = malloc((n + 1) * sizeof(*keys));
    if (keys == NULL || (j->vorder = malloc((n + 1) * sizeof(*j->vorder))) == NULL)
        abort();
    for (size_t c = 0; c != n; ++c)
        keys[c] = (struct sg_sort_pair){j->r.res.created[c].area, (uint32_t)c};
    sg_sort_pairs(keys, n);
    for (size_t k = 0; k != n; ++k)
        j->vorder[k] = keys[k].value, rank[keys[k].value] = (uint32_t)k;
    free(keys);
}

/* The writes in vehicle and seat order, the existing vehicles first, then the new ones as
 * order_new says: a batch reads and writes each vehicle once, and the writes of the k-th
 * new vehicle are vstart[k] .. vstart[k + 1]. Radix-sorted by (vehicle, seat) (a qsort
 * comparing vehicle ids as strings cost a third of the run's CPU at 1,000,000
 * registrations). */
static void start_writes(struct job *j)
{
    const struct sg_match_result *res = &j->r.res;
    size_t n = j->r.open->n, nkeys = 0, ncreated = res->ncreated, nexisting = j->r.nexisting;
    struct sg_sort_pair *keys = malloc((n + 1) * sizeof(*keys));
    uint32_t *rank = malloc((ncreated + 1) * sizeof(*rank));
    if ((j->writes = malloc((n + 1) * sizeof(*j->writes))) == NULL || keys == NULL || rank == NULL ||
        (j->item = malloc((n + 1) * sizeof(*j->item))) == NULL || (j->written = calloc(n + 1, 1)) == NULL ||
        (j->vstart = calloc(ncreated + 2, sizeof(*j->vstart))) == NULL)
        abort();
    order_new(j, rank);
    for (size_t i = 0; i != n; ++i) {
        uint64_t v = res->assign[i].vehicle;
        if (v == SG_MATCH_NONE)
            continue;
        v = v < nexisting ? v : nexisting + rank[v - nexisting];
        keys[nkeys++] = (struct sg_sort_pair){v << 32 | res->assign[i].seat, (uint32_t)i};
    }
    sg_sort_pairs(keys, nkeys);
    for (size_t k = 0; k != nkeys; ++k) {
        uint32_t i = keys[k].value, v = res->assign[i].vehicle;
        const char *id = v < nexisting ? j->r.existing[v].id : j->r.created_id[v - nexisting];
        if (v >= nexisting)
            ++j->vstart[rank[v - nexisting] + 1];
        j->item[j->nwrites] = i;
        j->writes[j->nwrites++] =
            (struct sg_assignment){j->r.open->member[i], id, res->assign[i].seat, j->r.open->items[i].size};
    }
    free(keys);
    free(rank);
    size_t to_new = 0;
    for (size_t c = 1; c <= ncreated; ++c)
        to_new += j->vstart[c];
    j->vstart[0] = j->nwrites - to_new;
    for (size_t c = 1; c <= ncreated; ++c)
        j->vstart[c] += j->vstart[c - 1];
    write_more(j);
}

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

/* The new vehicles' ids, reserved at once: first, first + 1, ... */
static void on_ids(void *data, int status, uint64_t first)
{
    struct job *j = data;
    if (status != 0) {
        fail(j, status);
        finish(j);
        return;
    }
    for (size_t c = 0; c != j->r.res.ncreated; ++c)
        snprintf(j->r.created_id[c], sizeof(j->r.created_id[c]), "%llu", (unsigned long long)(first + c));
    mark_then_write(j);
}

/* On the worker: the job is the worker's alone until on_matched. */
static void compute(void *data)
{
    struct job *j = data;
    struct sg_match_config config;
    memcpy(config.capacity, j->r.sizes.seats, sizeof(config.capacity));
    memcpy(config.min_load, j->r.options.min_load, sizeof(config.min_load));
    config.area_digits = j->r.area_digits;
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
    if (j->r.res.ncreated == 0)
        mark_then_write(j);
    else if (sg_store_vehicle_ids(j->app->store, j->r.res.ncreated, on_ids, j) != 0)
        on_ids(j, SG_EUNAVAIL, 0);
}

static void run_match(struct job *j)
{
    if ((j->mv = malloc((j->r.nexisting + 1) * sizeof(*j->mv))) == NULL ||
        (j->areas = malloc((j->r.nexisting + 1) * sizeof(*j->areas))) == NULL)
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
                                             .nholes = v->nholes,
                                             .areas = j->areas[i],
                                             .nareas = sg_vehicle_areas(v, j->areas[i])};
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

void sg_match_options_default(struct sg_match_options *o)
{
    long none[SG_VEHICLE_TYPES] = {-1, -1, -1};
    struct sg_field_errors errs;
    o->sizes = sg_vehicle_sizes_default;
    sg_vehicle_min_load_validate(none, &o->sizes, o->min_load, &errs);
    o->area_digits = 9;
}

int sg_match_start(struct sg_app *app, const char *campaign, const char *scope, const struct sg_match_options *options,
                   bool accept, sg_match_done_cb cb, void *data)
{
    struct job *j = calloc(1, sizeof(*j));
    if (j == NULL)
        abort();
    j->app = app, j->cb = cb, j->data = data, j->cpu0 = clock();
    snprintf(j->r.campaign, sizeof(j->r.campaign), "%s", campaign);
    snprintf(j->r.scope, sizeof(j->r.scope), "%s", scope);
    j->r.accept = accept;
    if (options != NULL)
        j->r.options = *options;
    else
        sg_match_options_default(&j->r.options);
    j->r.sizes = j->r.options.sizes;
    /* the pickup areas: the level asked for, never wider than the scope the run covers */
    j->r.area_digits = j->r.options.area_digits;
    while (j->r.area_digits < strlen(scope) && j->r.area_digits < 12)
        j->r.area_digits += 3;
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
