/* SPDX-License-Identifier: MIT */
/* GET /api/posters.pdf?scope=CODE[&layout=labels]: every village's poster (or a label
 * sheet) under a scope, streamed one page per round of h2o's generator: memory stays
 * flat and a county's PDF starts arriving at once. GET /api/posters/{village}.pdf|.png:
 * one village. Staff of the scope only. Rendering runs on the loop (pango, fontconfig
 * and libqrencode are not thread-safe); a page costs about 2 ms. */
#include <stdlib.h>
#include <string.h>
#include "domain/err.h"
#include "service/app.h"
#include "http/core/reply.h"
#include "http/core/request.h"
#include "http/core/routes.h"
#include "http/public/public.h"
#include "http/staff/staff.h"
#include "qr/poster.h"

#define CHUNK_BYTES (64 * 1024) /* send when this much is ready */

struct buffer {
    unsigned char *data;
    size_t len, cap;
};

/* Lives in req->pool: it goes with the request, whatever happens. */
struct stream {
    h2o_generator_t gen; /* first: callbacks cast back */
    h2o_req_t *req;
    struct sg_app *app;
    struct sg_poster_pdf *pdf;
    size_t next, end;               /* division indices still to draw */
    struct buffer filling, sending; /* h2o holds `sending` until it asks for more */
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

static void on_dispose(void *p)
{
    struct stream *st = p;
    sg_poster_pdf_free(st->pdf); /* the client went away mid-document */
    free(st->filling.data);
    free(st->sending.data);
}

static struct sg_poster_config poster_config(const struct sg_app *app)
{
    const struct sg_campaign *c = sg_app_active_campaign(app);
    struct sg_poster_config cfg = {.public_url = app->public_url, .campaign_name = c != NULL ? c->name : ""};
    if (c != NULL)
        cfg.starts = c->starts, cfg.ends = c->ends;
    return cfg;
}

static void send_more(struct stream *st)
{
    while (st->filling.len < CHUNK_BYTES && st->next < st->end) {
        const struct sg_division *v = sg_divisions_at(st->app->divisions, st->next++);
        if (v->level != SG_LEVEL_VILLAGE)
            continue;
        struct sg_poster_place pl = sg_poster_place_of(st->app->divisions, v, NULL);
        if (sg_poster_pdf_add(st->pdf, &pl) == SG_EIO)
            break;
    }
    int final = st->next >= st->end;
    if (final) {
        sg_poster_pdf_finish(st->pdf);
        st->pdf = NULL;
    }
    struct buffer t = st->sending; /* h2o is done with the previous chunk */
    st->sending = st->filling;
    st->filling = t;
    st->filling.len = 0;
    h2o_iovec_t iov = h2o_iovec_init(st->sending.data, st->sending.len);
    h2o_send(st->req, &iov, 1, final ? H2O_SEND_STATE_FINAL : H2O_SEND_STATE_IN_PROGRESS);
}

static void on_proceed(h2o_generator_t *gen, h2o_req_t *req)
{
    send_more((struct stream *)gen);
}

static void start_stream(struct sg_staff_req *p, size_t begin, size_t end, enum sg_poster_layout layout)
{
    h2o_req_t *req = p->super.req;
    struct stream *st = h2o_mem_alloc_shared(&req->pool, sizeof(*st), on_dispose);
    memset(st, 0, sizeof(*st));
    st->gen.proceed = on_proceed;
    st->req = req;
    st->app = p->super.app;
    st->next = begin;
    st->end = end;
    struct sg_poster_config cfg = poster_config(st->app);
    if ((st->pdf = sg_poster_pdf_new(&cfg, layout, on_write, &st->filling)) == NULL) {
        sg_reply_error(req, 503, "campaign_closed", NULL);
        return;
    }
    req->res.status = 200;
    req->res.reason = "OK";
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, H2O_STRLIT("application/pdf"));
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_DISPOSITION, NULL,
                   H2O_STRLIT("attachment; filename=\"posters.pdf\""));
    h2o_start_response(req, &st->gen);
    send_more(st);
}

static void scope_posters(struct sg_staff_req *p)
{
    h2o_req_t *req = p->super.req;
    const char *scope = sg_query_param(req, "scope"), *layout = sg_query_param(req, "layout");
    size_t begin, end;
    if (scope == NULL)
        scope = p->session.scope;
    if (sg_staff_allow_or_reply(p, scope, SG_ACT_VIEW)) {
        if (sg_divisions_range(p->super.app->divisions, scope, &begin, &end) != 0)
            sg_reply_error(req, 404, "not_found", "scope");
        else
            start_stream(p, begin, end,
                         layout != NULL && strcmp(layout, "labels") == 0 ? SG_POSTER_LABELS : SG_POSTER_A4);
    }
    sg_pending_free(p);
}

static void one_village(struct sg_staff_req *p)
{
    h2o_req_t *req = p->super.req;
    static const char prefix[] = "/api/posters/";
    h2o_iovec_t path = req->path_normalized;
    size_t namelen = path.len > sizeof(prefix) + 3 ? path.len - (sizeof(prefix) - 1) - 4 : 0;
    const char *name = path.base + sizeof(prefix) - 1, *ext = name + namelen;
    const struct sg_division *v = namelen != 0 ? sg_divisions_find(p->super.app->divisions, name, namelen) : NULL;
    int png = v != NULL && memcmp(ext, ".png", 4) == 0, pdf = v != NULL && memcmp(ext, ".pdf", 4) == 0;
    if (v == NULL || v->level != SG_LEVEL_VILLAGE || !(png || pdf)) {
        sg_reply_error(req, 404, "not_found", NULL);
    } else if (sg_staff_allow_or_reply(p, v->code, SG_ACT_VIEW)) {
        size_t i = sg_divisions_index(p->super.app->divisions, v);
        if (pdf) {
            start_stream(p, i, i + 1, SG_POSTER_A4);
        } else {
            struct sg_poster_config cfg = poster_config(p->super.app);
            struct sg_poster_place pl = sg_poster_place_of(p->super.app->divisions, v, NULL);
            struct buffer b = {0};
            if (sg_poster_png(&cfg, &pl, 150, on_write, &b) != 0) {
                sg_reply_error(req, 500, "internal", NULL);
            } else {
                h2o_iovec_t body = h2o_strdup(&req->pool, (const char *)b.data, b.len);
                req->res.status = 200;
                req->res.reason = "OK";
                req->res.content_length = body.len;
                h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, H2O_STRLIT("image/png"));
                h2o_send_inline(req, body.base, body.len);
            }
            free(b.data);
        }
    }
    sg_pending_free(p);
}

int sg_on_posters(h2o_handler_t *self, h2o_req_t *req)
{
    if (!sg_method_is(req, "GET"))
        return sg_reply_method_not_allowed(req, "GET");
    struct sg_staff_req *p = sg_pending_new(req, sg_handler_app(self), sizeof(*p));
    static const char all[] = "/api/posters.pdf";
    int scope = h2o_memis(req->path_normalized.base, req->path_normalized.len, all, sizeof(all) - 1);
    sg_staff_begin(p, scope ? scope_posters : one_village);
    return 0;
}
