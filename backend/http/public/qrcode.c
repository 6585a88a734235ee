/* SPDX-License-Identifier: MIT */
/* GET /qr/{village}.png and .svg: the QR code of the village's sign-up link, and
 * /qr/checkin/{token}: a worker's check-in code. Drawn on the offload worker (about 12 ms
 * for a PNG; never on an event loop), kept in a cache shared by the loops (the same link
 * gives the same bytes), and sent with an ETag so that phones and print tools keep theirs. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "service/app.h"
#include "service/offload.h"
#include "http/core/pending.h"
#include "http/core/reply.h"
#include "http/core/request.h"
#include "http/core/routes.h"
#include "http/public/public.h"
#include "qr/qr.h"
#include "store/transport.h"

#define QR_MIN_PX 600
#define CACHE_SLOTS 4096 /* a county's villages, both formats; a slot's bytes are 1-10 KB */

/* Direct-mapped by the hash of link and format: a collision replaces the older image. */
static struct {
    uint64_t key;
    unsigned char *bytes;
    size_t len;
} cache[CACHE_SLOTS];
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

/* The cached image of key, copied into the pool; false when not cached. */
static bool cache_get(h2o_req_t *req, uint64_t key, h2o_iovec_t *out)
{
    bool hit = false;
    pthread_mutex_lock(&cache_lock);
    size_t i = key % CACHE_SLOTS;
    if (cache[i].bytes != NULL && cache[i].key == key) {
        *out = h2o_strdup(&req->pool, (const char *)cache[i].bytes, cache[i].len);
        hit = true;
    }
    pthread_mutex_unlock(&cache_lock);
    return hit;
}

static void cache_put(uint64_t key, const unsigned char *bytes, size_t len)
{
    unsigned char *copy = malloc(len);
    if (copy == NULL)
        abort();
    memcpy(copy, bytes, len);
    pthread_mutex_lock(&cache_lock);
    size_t i = key % CACHE_SLOTS;
    unsigned char *old = cache[i].bytes;
    cache[i].key = key, cache[i].bytes = copy, cache[i].len = len;
    pthread_mutex_unlock(&cache_lock);
    free(old);
}

struct qr_job {
    struct sg_pending super;
    bool svg, personal;
    uint64_t key;
    char url[512], etag[48];
    unsigned char *bytes;
    size_t len;
    int status;
};

/* FNV-1a over what the image depends on: a new public URL gives new ETags. */
static uint64_t fnv1a(uint64_t h, const char *s, size_t len)
{
    for (size_t i = 0; i != len; ++i)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
    return h;
}

static int etag_matches(h2o_req_t *req, const char *etag)
{
    ssize_t i = h2o_find_header(&req->headers, H2O_TOKEN_IF_NONE_MATCH, -1);
    return i != -1 &&
           strstr(h2o_strdup(&req->pool, req->headers.entries[i].value.base, req->headers.entries[i].value.len).base,
                  etag) != NULL;
}

static void send_image(h2o_req_t *req, const char *type, const char *etag, h2o_iovec_t body, bool personal)
{
    size_t len = body.len;
    req->res.status = 200;
    req->res.reason = "OK";
    req->res.content_length = len;
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, type, strlen(type));
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_ETAG, NULL, etag, strlen(etag));
    /* a worker's check-in code is theirs alone: no shared cache keeps it */
    if (personal)
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL,
                       H2O_STRLIT("private, max-age=86400"));
    else
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL,
                       H2O_STRLIT("public, max-age=86400"));
    h2o_send_inline(req, body.base, body.len);
}

/* What a code encodes: a village's sign-up link (/qr/{village}), or a worker's personal
 * check-in link (/qr/checkin/{token}: only tokens this server issued, so that it is no
 * QR generator for anything else). 0, or -1 for neither. */
static int checkin_or_village_url(const struct sg_app *app, const char *name, size_t len, char *url, size_t urlsz)
{
    static const char checkin[] = "checkin/";
    size_t n = sizeof(checkin) - 1;
    if (len == n + SG_CHECKIN_TOKEN_LEN && memcmp(name, checkin, n) == 0) {
        char token[SG_CHECKIN_TOKEN_LEN + 1], code[SG_CODE_LEN + 1];
        memcpy(token, name + n, SG_CHECKIN_TOKEN_LEN);
        token[SG_CHECKIN_TOKEN_LEN] = '\0';
        if (!sg_store_checkin_token_open(app->store, token, code))
            return -1;
        snprintf(url, urlsz, "%s/staff/checkin.html#%s", app->public_url, token);
        return 0;
    }
    const struct sg_division *v = sg_divisions_find(app->divisions, name, len);
    if (v == NULL || v->level != SG_LEVEL_VILLAGE)
        return -1;
    snprintf(url, urlsz, "%s/s/%s", app->public_url, v->code);
    return 0;
}

/* On the worker: libqrencode and cairo run there only. */
static void draw(void *arg)
{
    struct qr_job *j = arg;
    j->status = j->svg ? sg_qr_svg(j->url, &j->bytes, &j->len) : sg_qr_png(j->url, QR_MIN_PX, &j->bytes, &j->len);
}

static void on_drawn(void *arg)
{
    struct qr_job *j = arg;
    h2o_req_t *req = j->super.req;
    if (j->status == 0)
        cache_put(j->key, j->bytes, j->len); /* even when the client went away: the next one is quick */
    if (req != NULL && j->status != 0)
        sg_reply_5xx(req, 500, "internal", "the QR code could not be drawn");
    else if (req != NULL)
        send_image(req, j->svg ? "image/svg+xml" : "image/png", j->etag,
                   h2o_strdup(&req->pool, (const char *)j->bytes, j->len), j->personal);
    free(j->bytes);
    sg_pending_free(j);
}

int sg_on_qr(h2o_handler_t *self, h2o_req_t *req)
{
    struct sg_app *app = sg_handler_app(self);
    if (!sg_method_is(req, "GET") && !sg_method_is(req, "HEAD"))
        return sg_reply_method_not_allowed(req, "GET, HEAD");
    h2o_iovec_t path = req->path_normalized;
    static const char prefix[] = "/qr/";
    if (path.len <= sizeof(prefix) - 1) {
        sg_reply_error(req, 404, "not_found", NULL);
        return 0;
    }
    const char *name = path.base + sizeof(prefix) - 1;
    size_t namelen = path.len - (sizeof(prefix) - 1);
    int svg = namelen > 4 && memcmp(name + namelen - 4, ".svg", 4) == 0;
    int png = namelen > 4 && memcmp(name + namelen - 4, ".png", 4) == 0;
    char url[512], etag[48];
    if (!(svg || png) || checkin_or_village_url(app, name, namelen - 4, url, sizeof(url)) != 0) {
        sg_reply_error(req, 404, "not_found", NULL);
        return 0;
    }
    snprintf(etag, sizeof(etag), "\"qr1-%s-%016llx\"", svg ? "svg" : "png",
             (unsigned long long)fnv1a(0xcbf29ce484222325ULL, url, strlen(url)));
    if (etag_matches(req, etag)) {
        req->res.status = 304;
        req->res.reason = "Not Modified";
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_ETAG, NULL, etag, strlen(etag));
        h2o_send_inline(req, NULL, 0);
        return 0;
    }
    uint64_t key = fnv1a(0xcbf29ce484222325ULL, url, strlen(url)) ^ (svg ? 0x5356ULL : 0x504eULL);
    h2o_iovec_t body;
    if (cache_get(req, key, &body)) {
        send_image(req, svg ? "image/svg+xml" : "image/png", etag, body, name[0] == 'c');
        return 0;
    }
    struct qr_job *j = sg_pending_new(req, app, sizeof(*j));
    j->svg = svg, j->personal = name[0] == 'c', j->key = key;
    memcpy(j->url, url, sizeof(j->url));
    memcpy(j->etag, etag, sizeof(j->etag));
    if (sg_offload_try(draw, on_drawn, j) != 0) {
        sg_reply_busy(req);
        sg_pending_free(j);
    }
    return 0;
}
