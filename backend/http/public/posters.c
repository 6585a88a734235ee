/* SPDX-License-Identifier: MIT */
/* GET /api/posters.pdf?scope=CODE[&layout=labels]: every village's poster (or a label
 * sheet) under a scope, streamed: pages are drawn on the offload worker (pango,
 * fontconfig and libqrencode then run on that one thread, never on an event loop) about
 * 64 KB at a time, the next batch only when h2o has sent the last one, so memory stays
 * flat and a county's PDF starts arriving at once. GET /api/posters/{village}.pdf|.png:
 * one village. Staff of the scope only. A new document waits in the worker's bounded
 * queue (503 with Retry-After when it is full); its later batches are never refused.
 *
 * Lifetime: the stream is a heap object (an sg_staff_req: the request's pool cuts its
 * back-pointer); the generator lives in the pool. Whoever comes last frees the stream: the
 * pool's destructor when no batch is being drawn, else the batch's done callback. */
#include <stdlib.h>
#include <string.h>
#include "domain/err.h"
#include "service/app.h"
#include "service/offload.h"
#include "http/core/reply.h"
#include "http/core/request.h"
#include "http/core/routes.h"
#include "http/public/public.h"
#include "http/staff/staff.h"
#include "qr/poster.h"

#define CHUNK_BYTES (64 * 1024) /* send when this much is ready */
#define PNG_DPI 150

struct buffer {
    unsigned char *data;
    size_t len, cap;
};

struct generator {
    h2o_generator_t super;
    struct stream *stream; /* NULL once the stream is freed */
};

struct stream {
    struct sg_staff_req base;
    struct generator *gen; /* in the request's pool; NULL once the pool is gone */
    struct sg_poster_config cfg;
    enum sg_poster_layout layout;
    struct sg_poster_pdf *pdf;
    size_t next, end;               /* division indices still to draw */
    struct buffer filling, sending; /* h2o holds `sending` until it asks for more */
    bool png, busy, started, final;
    int status; /* of the last batch (a PNG's drawing) */
};

static int on_write(void *closure, const unsigned char *data, size_t len)
{
    struct buffer *b = closure;
    if (b->len + len > b->cap) {
        b->cap = (b->len + len) * 2;
        if ((b->data = realloc(b->data, b->cap)) == NULL)
            abort();
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
    return 0;
}

static void stream_free(struct stream *st)
{
    if (st->gen != NULL)
        st->gen->stream = NULL;
    sg_poster_pdf_free(st->pdf); /* the client went away mid-document */
    free(st->filling.data);
    free(st->sending.data);
    sg_pending_free(st);
}

static void on_pool_gone(void *p)
{
    struct generator *gen = p;
    struct stream *st = gen->stream;
    if (st == NULL)
        return;
    st->gen = NULL;
    if (!st->busy)
        stream_free(st);
}

static struct sg_poster_config poster_config(const struct sg_app *app)
{
    const struct sg_campaign *c = sg_app_active_campaign(app);
    struct sg_poster_config cfg = {.public_url = app->public_url, .campaign_name = c != NULL ? c->name : ""};
    if (c != NULL)
        cfg.starts = c->starts, cfg.ends = c->ends;
    return cfg;
}

/* On the worker: the next pages into st->filling (the stream is the worker's until drawn). */
static void draw(void *arg)
{
    struct stream *st = arg;
    const struct sg_divisions *ds = st->base.super.app->divisions;
    if (st->png) {
        const struct sg_division *v = sg_divisions_at(ds, st->next);
        struct sg_poster_place pl = sg_poster_place_of(ds, v, NULL);
        st->status = sg_poster_png(&st->cfg, &pl, PNG_DPI, on_write, &st->filling);
        st->final = true;
        return;
    }
    if (st->pdf == NULL && (st->pdf = sg_poster_pdf_new(&st->cfg, st->layout, on_write, &st->filling)) == NULL) {
        st->status = SG_EINVAL; /* no active campaign: nothing to print */
        st->final = true;
        return;
    }
    while (st->filling.len < CHUNK_BYTES && st->next < st->end) {
        const struct sg_division *v = sg_divisions_at(ds, st->next++);
        if (v->level != SG_LEVEL_VILLAGE)
            continue;
        struct sg_poster_place pl = sg_poster_place_of(ds, v, NULL);
        if (sg_poster_pdf_add(st->pdf, &pl) == SG_EIO)
            break;
    }
    if (st->next >= st->end) {
        sg_poster_pdf_finish(st->pdf);
        st->pdf = NULL;
        st->final = true;
    }
}

static void on_proceed(h2o_generator_t *gen, h2o_req_t *req);

static void start(struct stream *st)
{
    h2o_req_t *req = st->base.super.req;
    static const char *const types[] = {"application/pdf", "image/png"};
    req->res.status = 200;
    req->res.reason = "OK";
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, types[st->png], strlen(types[st->png]));
    if (!st->png)
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_DISPOSITION, NULL,
                       H2O_STRLIT("attachment; filename=\"posters.pdf\""));
    if (st->png || st->final) /* all of it is here: say how long it is */
        req->res.content_length = st->filling.len;
    st->gen = h2o_mem_alloc_shared(&req->pool, sizeof(*st->gen), on_pool_gone);
    *st->gen = (struct generator){{on_proceed, NULL}, st};
    st->started = true;
    h2o_start_response(req, &st->gen->super);
}

/* On the loop: a batch is drawn. Send it, or finish. */
static void on_drawn(void *arg)
{
    struct stream *st = arg;
    h2o_req_t *req = st->base.super.req;
    st->busy = false;
    if (req == NULL) { /* the client went away while it was drawn */
        stream_free(st);
        return;
    }
    if (!st->started && st->status == SG_EINVAL) {
        sg_reply_error(req, 503, "campaign_closed", NULL);
        stream_free(st);
        return;
    }
    if (!st->started && st->status != 0) {
        sg_reply_5xx(req, 500, "internal", "the poster could not be drawn");
        stream_free(st);
        return;
    }
    if (!st->started)
        start(st);
    struct buffer t = st->sending; /* h2o is done with the previous chunk */
    st->sending = st->filling;
    st->filling = t;
    st->filling.len = 0;
    if (st->final) { /* the last piece goes out of the pool, as h2o wants for a final send */
        h2o_iovec_t last = h2o_strdup(&req->pool, (const char *)st->sending.data, st->sending.len);
        stream_free(st); /* the generator forgets it first */
        h2o_send(req, &last, 1, H2O_SEND_STATE_FINAL);
        return;
    }
    h2o_iovec_t iov = h2o_iovec_init(st->sending.data, st->sending.len);
    h2o_send(req, &iov, 1, H2O_SEND_STATE_IN_PROGRESS);
}

static void on_proceed(h2o_generator_t *gen, h2o_req_t *req)
{
    struct stream *st = ((struct generator *)gen)->stream;
    if (st == NULL || st->busy)
        return;
    st->busy = true;
    sg_offload_run(draw, on_drawn, st); /* admitted: its next pages are never refused */
}

/* The first batch: waits in the worker's bounded queue, or 503. */
static void begin(struct stream *st)
{
    st->cfg = poster_config(st->base.super.app);
    st->busy = true;
    if (sg_offload_try(draw, on_drawn, st) != 0) {
        st->busy = false;
        sg_reply_busy(st->base.super.req);
        stream_free(st);
    }
}

static void scope_posters(struct sg_staff_req *p)
{
    struct stream *st = (struct stream *)p;
    h2o_req_t *req = p->super.req;
    const char *scope = sg_query_param(req, "scope"), *layout = sg_query_param(req, "layout");
    if (scope == NULL)
        scope = p->session.scope;
    if (!sg_staff_allow_or_reply(p, scope, SG_ACT_VIEW)) {
        stream_free(st);
    } else if (sg_divisions_range(p->super.app->divisions, scope, &st->next, &st->end) != 0) {
        sg_reply_error(req, 404, "not_found", "scope");
        stream_free(st);
    } else {
        st->layout = layout != NULL && strcmp(layout, "labels") == 0 ? SG_POSTER_LABELS : SG_POSTER_A4;
        begin(st);
    }
}

static void one_village(struct sg_staff_req *p)
{
    struct stream *st = (struct stream *)p;
    h2o_req_t *req = p->super.req;
    static const char prefix[] = "/api/posters/";
    h2o_iovec_t path = req->path_normalized;
    size_t namelen = path.len > sizeof(prefix) + 3 ? path.len - (sizeof(prefix) - 1) - 4 : 0;
    const char *name = path.base + sizeof(prefix) - 1, *ext = name + namelen;
    const struct sg_division *v = namelen != 0 ? sg_divisions_find(p->super.app->divisions, name, namelen) : NULL;
    bool png = v != NULL && memcmp(ext, ".png", 4) == 0, pdf = v != NULL && memcmp(ext, ".pdf", 4) == 0;
    if (v == NULL || v->level != SG_LEVEL_VILLAGE || !(png || pdf)) {
        sg_reply_error(req, 404, "not_found", NULL);
        stream_free(st);
    } else if (!sg_staff_allow_or_reply(p, v->code, SG_ACT_VIEW)) {
        stream_free(st);
    } else {
        st->next = sg_divisions_index(p->super.app->divisions, v);
        st->end = st->next + 1;
        st->png = png;
        st->layout = SG_POSTER_A4;
        begin(st);
    }
}

int sg_on_posters(h2o_handler_t *self, h2o_req_t *req)
{
    if (!sg_method_is(req, "GET"))
        return sg_reply_method_not_allowed(req, "GET");
    struct stream *st = sg_pending_new(req, sg_handler_app(self), sizeof(*st));
    static const char all[] = "/api/posters.pdf";
    bool scope = h2o_memis(req->path_normalized.base, req->path_normalized.len, all, sizeof(all) - 1);
    sg_staff_begin(&st->base, scope ? scope_posters : one_village);
    return 0;
}
