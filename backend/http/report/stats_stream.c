/* SPDX-License-Identifier: MIT */
/* GET /api/stats/stream?scope=CODE: server-sent events. The figures are read again every
 * TICK_MS (one Redis round trip) and sent as an event "stats" only when they changed; a
 * comment line keeps proxies and dead-peer detection going. Every SESSION_CHECK_MS the
 * session is looked up again (and its idle expiry pushed back, as any request does): a
 * logout, an expiry or a disabled account ends the stream within that time (the browser
 * reconnects, gets 401 and shows the login). A stream also ends itself after MAX_AGE_MS
 * and on shutdown.
 *
 * Lifetime: the stream is a heap object (an sg_staff_req, so the request's pool cuts its
 * back-pointer); the generator lives in the pool and points at it. h2o calls stop when the
 * client goes away; a read still in flight then frees the stream when it returns. */
#include <malloc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "domain/err.h"
#include "http/core/metrics.h"
#include "http/core/reply.h"
#include "http/core/request.h"
#include "http/staff/staff.h"
#include "http/core/routes.h"
#include "http/report/report.h"

#define TICK_MS 2000
#define HEARTBEAT_MS TICK_MS /* a comment line every tick: a client gone is noticed within two ticks */
#define MAX_AGE_MS (10 * 60 * 1000)
#define SESSION_CHECK_MS 10000

struct stream {
    struct sg_staff_req base;
    struct generator *gen;
    const struct sg_campaign *campaign;
    char scope[SG_DIVISION_CODE_MAX + 1];
    h2o_loop_t *loop;
    h2o_timeout_entry_t tick;
    uint64_t started_at, written_at, checked_at;
    char sid[128];       /* the session cookie, looked up again every SESSION_CHECK_MS */
    char *last;          /* the last figures sent (JSON text) */
    h2o_iovec_t sending; /* heap buffer h2o holds until proceed */
    h2o_iovec_t queued;  /* next buffer, sent on proceed */
    bool reading, busy, stopped, ending, ended;
    bool listed;                /* in streams, and counted in the metrics */
    bool admitted;              /* counted against the caps (admit/release) */
    uint64_t session_hash;      /* which session it belongs to, for its cap */
    struct stream *prev, *next; /* every open stream, for shutdown */
};

struct generator {
    h2o_generator_t super;
    struct stream *stream; /* NULL once the stream is freed */
};

/* The caps, shared by every loop thread: streams per session and in all. A small table
 * (one row per session with a stream open), searched under a lock when a stream opens or
 * ends, which is rare next to the ticks. */
static pthread_mutex_t caps_lock = PTHREAD_MUTEX_INITIALIZER;
struct holder {
    uint64_t session;
    unsigned n;
};
static struct holder *holders;
static size_t nholders, cap_holders;
static unsigned open_total;

static uint64_t hash_of(const char *sid)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (; *sid != '\0'; ++sid)
        h = (h ^ (unsigned char)*sid) * 0x100000001b3ULL;
    return h;
}

/* A place for one more stream of session: false when its cap or the process's is reached. */
static bool admit(const struct sg_app *app, uint64_t session)
{
    bool ok = false;
    pthread_mutex_lock(&caps_lock);
    size_t i = 0;
    while (i != nholders && holders[i].session != session)
        ++i;
    if (open_total < app->streams_max && (i == nholders || holders[i].n < app->streams_per_session)) {
        if (i == nholders) {
            if (nholders == cap_holders) {
                cap_holders = cap_holders != 0 ? cap_holders * 2 : 64;
                if ((holders = realloc(holders, cap_holders * sizeof(*holders))) == NULL)
                    abort();
            }
            holders[nholders++] = (struct holder){session, 0};
        }
        ++holders[i].n;
        ++open_total;
        ok = true;
    }
    pthread_mutex_unlock(&caps_lock);
    return ok;
}

/* The stream ended. When the last one goes, the memory streams took goes back to the system
 * (malloc keeps freed memory in its arenas; 500 streams once held hundreds of MB after closing). */
static void release(uint64_t session)
{
    pthread_mutex_lock(&caps_lock);
    for (size_t i = 0; i != nholders; ++i) {
        if (holders[i].session == session) {
            if (--holders[i].n == 0)
                holders[i] = holders[--nholders];
            break;
        }
    }
    bool none = --open_total == 0;
    pthread_mutex_unlock(&caps_lock);
    if (none)
        malloc_trim(0);
}

/* Per event-loop thread: the open streams and their tick timer. */
static _Thread_local struct stream *streams;
static _Thread_local h2o_timeout_t tick_timeout;
static _Thread_local bool tick_timeout_ready;

static void free_stream(struct stream *st)
{
    if (h2o_timeout_is_linked(&st->tick))
        h2o_timeout_unlink(&st->tick);
    if (st->gen != NULL)
        st->gen->stream = NULL; /* else the pool, and the generator in it, are gone */
    if (st->prev != NULL)
        st->prev->next = st->next;
    else if (streams == st)
        streams = st->next;
    if (st->next != NULL)
        st->next->prev = st->prev;
    if (st->listed)
        sg_metrics_streams(-1);
    if (st->admitted)
        release(st->session_hash);
    sodium_memzero(st->sid, sizeof(st->sid));
    free(st->last);
    free(st->sending.base);
    free(st->queued.base);
    sg_pending_free(st);
}

/* True when the request can no longer be written to. */
static bool gone(const struct stream *st)
{
    return st->stopped || st->ended || st->base.super.req == NULL;
}

static void write_next(struct stream *st)
{
    h2o_req_t *req = st->base.super.req;
    if (st->queued.base != NULL) {
        st->sending = st->queued;
        st->queued = h2o_iovec_init(NULL, 0);
        st->busy = true;
        st->written_at = h2o_now(st->loop);
        h2o_send(req, &st->sending, 1, H2O_SEND_STATE_IN_PROGRESS);
    } else if (st->ending) {
        st->ended = true; /* h2o forgets the generator: stop will not come */
        h2o_send(req, NULL, 0, H2O_SEND_STATE_FINAL);
        if (!st->reading)
            free_stream(st);
    }
}

/* Queue text (copied); a newer figure replaces one not yet sent. */
static void queue(struct stream *st, const char *text, size_t len)
{
    free(st->queued.base);
    st->queued.base = malloc(len);
    if (st->queued.base == NULL)
        abort();
    memcpy(st->queued.base, text, len);
    st->queued.len = len;
    if (!st->busy)
        write_next(st);
}

static void on_proceed(h2o_generator_t *self, h2o_req_t *req)
{
    struct stream *st = ((struct generator *)self)->stream;
    if (st == NULL)
        return;
    free(st->sending.base);
    st->sending = h2o_iovec_init(NULL, 0);
    st->busy = false;
    write_next(st);
}

static void on_stop(h2o_generator_t *self, h2o_req_t *req)
{
    struct stream *st = ((struct generator *)self)->stream;
    if (st == NULL)
        return;
    st->stopped = true;
    if (h2o_timeout_is_linked(&st->tick))
        h2o_timeout_unlink(&st->tick);
    if (!st->reading)
        free_stream(st);
}

static void end_stream(struct stream *st)
{
    st->ending = true;
    if (h2o_timeout_is_linked(&st->tick))
        h2o_timeout_unlink(&st->tick);
    if (!st->busy && !st->reading)
        write_next(st);
}

/* The request's pool is going (the client left): its place under the caps is free at
 * once, though the stream itself is freed at its next tick or read. */
static void on_gen_gone(void *p)
{
    struct generator *gen = p;
    struct stream *st = gen->stream;
    if (st == NULL)
        return;
    st->gen = NULL;
    if (st->admitted) {
        st->admitted = false;
        release(st->session_hash);
    }
}

static void start(struct stream *st)
{
    h2o_req_t *req = st->base.super.req;
    req->res.status = 200;
    req->res.reason = "OK";
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL,
                   H2O_STRLIT("text/event-stream; charset=utf-8"));
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL, H2O_STRLIT("no-store"));
    h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("x-accel-buffering"), 0, NULL, H2O_STRLIT("no"));
    st->gen = h2o_mem_alloc_shared(&req->pool, sizeof(*st->gen), on_gen_gone);
    *st->gen = (struct generator){{on_proceed, on_stop}, st};
    h2o_start_response(req, &st->gen->super);
    st->next = streams;
    if (streams != NULL)
        streams->prev = st;
    streams = st;
    st->listed = true;
    sg_metrics_streams(1);
    static const char hello[] = "retry: 3000\n\n";
    queue(st, hello, sizeof(hello) - 1);
}

static void on_figures(void *data, int status, cJSON *json);

static void read_figures(struct stream *st)
{
    st->reading = true;
    if (sg_stats_read(st->base.super.app, st->campaign, st->scope, on_figures, st) != 0) {
        st->reading = false; /* Redis is down: try again next tick */
        h2o_timeout_link(st->loop, &tick_timeout, &st->tick);
    }
}

static void on_session(void *data, int status, const struct sg_session *session)
{
    struct stream *st = data;
    (void)session;
    st->reading = false;
    if (gone(st)) {
        free_stream(st);
        return;
    }
    if (status == SG_ENOENT) { /* logged out, expired or disabled: no more figures */
        end_stream(st);
        return;
    }
    st->checked_at = h2o_now(st->loop); /* (a store failure: the figures' read says so) */
    read_figures(st);
}

static void on_tick(h2o_timeout_entry_t *entry)
{
    struct stream *st = H2O_STRUCT_FROM_MEMBER(struct stream, tick, entry);
    struct sg_app *app = st->base.super.app;
    if (h2o_now(st->loop) - st->started_at >= MAX_AGE_MS) {
        end_stream(st);
        return;
    }
    if (h2o_now(st->loop) - st->checked_at >= SESSION_CHECK_MS) {
        st->reading = true;
        /* look only: a dashboard left open must not keep its session alive */
        if (sg_store_session_touch(app->store, st->sid, 0, on_session, st) == 0)
            return;
        st->reading = false;
    }
    read_figures(st);
}

static void send_figures(struct stream *st, cJSON *json)
{
    char *text = cJSON_PrintUnformatted(json);
    if (text == NULL)
        abort();
    if (st->last == NULL || strcmp(st->last, text) != 0) {
        size_t n = strlen(text);
        char *event = malloc(n + 32);
        if (event == NULL)
            abort();
        memcpy(event, "event: stats\ndata: ", 19);
        memcpy(event + 19, text, n);
        memcpy(event + 19 + n, "\n\n", 2);
        queue(st, event, n + 21);
        free(event);
        free(st->last);
        st->last = strdup(text);
        if (st->last == NULL)
            abort();
    } else if (h2o_now(st->loop) - st->written_at >= HEARTBEAT_MS && !st->busy) {
        queue(st, ": \n\n", 4);
    }
    cJSON_free(text);
}

static void on_figures(void *data, int status, cJSON *json)
{
    struct stream *st = data;
    st->reading = false;
    if (gone(st)) {
        cJSON_Delete(json);
        free_stream(st);
        return;
    }
    if (st->gen == NULL && status != 0) {
        sg_reply_store_error(st->base.super.req, status);
        free_stream(st);
        return;
    }
    if (st->gen == NULL)
        start(st);
    if (status == 0)
        send_figures(st, json);
    cJSON_Delete(json);
    if (st->ending)
        end_stream(st);
    else
        h2o_timeout_link(st->loop, &tick_timeout, &st->tick);
}

static void open_stream(struct sg_staff_req *p)
{
    struct stream *st = (struct stream *)p;
    const char *scope = sg_scope_param_or_reply(p, SG_ACT_VIEW);
    const struct sg_campaign *c = scope != NULL ? sg_campaign_param_or_reply(p) : NULL;
    if (c == NULL) {
        sg_pending_free(p);
        return;
    }
    snprintf(st->scope, sizeof(st->scope), "%s", scope);
    st->campaign = c;
    st->loop = p->super.req->conn->ctx->loop;
    if (!tick_timeout_ready) {
        h2o_timeout_init(st->loop, &tick_timeout, TICK_MS);
        tick_timeout_ready = true;
    }
    st->tick.cb = on_tick;
    st->started_at = st->checked_at = h2o_now(st->loop);
    if (!sg_staff_session_id(p->super.req, st->sid, sizeof(st->sid)))
        st->sid[0] = '\0'; /* (the gate found it: cannot happen) */
    st->session_hash = hash_of(st->sid);
    if (!admit(p->super.app, st->session_hash)) {
        sg_reply_error(p->super.req, 429, "too_many_streams", NULL);
        sg_pending_free(p);
        return;
    }
    st->admitted = true;
    st->reading = true;
    int ret = sg_stats_read(p->super.app, c, st->scope, on_figures, st);
    if (ret != 0) {
        sg_reply_store_error(p->super.req, ret);
        free_stream(st);
    }
}

int sg_on_stats_stream(h2o_handler_t *self, h2o_req_t *req)
{
    if (!sg_method_is(req, "GET"))
        return sg_reply_method_not_allowed(req, "GET");
    sg_staff_begin(sg_pending_new(req, sg_handler_app(self), sizeof(struct stream)), open_stream);
    return 0;
}

void sg_stats_streams_close(void)
{
    for (struct stream *st = streams, *next; st != NULL; st = next) {
        next = st->next;
        if (!gone(st) && !st->ending)
            end_stream(st);
    }
}
