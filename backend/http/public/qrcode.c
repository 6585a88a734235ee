/* SPDX-License-Identifier: MIT */
/* GET /qr/{village}.png and .svg: the QR code of the village's sign-up link. Rendered
 * on demand (a few ms); the ETag lets phones and print tools keep their copy. */
#include <string.h>
#include "service/app.h"
#include "http/core/reply.h"
#include "http/core/request.h"
#include "http/core/routes.h"
#include "http/public/public.h"
#include "qr/qr.h"
#include "store/transport.h"

#define QR_MIN_PX 600

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

static void send_image(h2o_req_t *req, const char *type, const char *etag, unsigned char *bytes, size_t len,
                       int personal)
{
    h2o_iovec_t body = h2o_strdup(&req->pool, (const char *)bytes, len);
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
    unsigned char *bytes = NULL;
    size_t len = 0;
    int ret = svg ? sg_qr_svg(url, &bytes, &len) : sg_qr_png(url, QR_MIN_PX, &bytes, &len);
    if (ret != 0) {
        sg_reply_error(req, 500, "internal", NULL);
        return 0;
    }
    send_image(req, svg ? "image/svg+xml" : "image/png", etag, bytes, len, name[0] == 'c');
    free(bytes);
    return 0;
}
