/* SPDX-License-Identifier: MIT */
/* GET /api/wechat/jssdk?url=PAGE: the signature that lets a staff page inside WeChat use
 * the JS-SDK's wx.scanQRCode (the escort scans one code after another with WeChat's own
 * scanner), for the official account (公众号) configured by SONGGONG_WECHAT_APPID and
 * _SECRET; 404 wechat_off without one (the page then scans with the camera). The
 * jsapi_ticket is fetched from WeChat (an access token, then the ticket) and kept in
 * Redis until shortly before it expires. The signature is SHA-1 over
 * "jsapi_ticket=…&noncestr=…&timestamp=…&url=…", as WeChat's JS-SDK documentation says. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/evp.h>
#include <sodium.h>
#include "domain/err.h"
#include "service/app.h"
#include "http/core/fetch.h"
#include "http/core/reply.h"
#include "http/core/request.h"
#include "http/core/routes.h"
#include "http/staff/staff.h"
#include "store/store.h"

#define URL_MAX 1024
#define ANSWER_MAX (16 * 1024)
#define EARLY_S 300 /* a kept ticket is dropped this long before WeChat's end of it */

struct jssdk_req {
    struct sg_staff_req base;
    h2o_context_t *ctx; /* outlives the request: the fetches run on it */
    char url[URL_MAX];
};

static void fail(struct jssdk_req *p, const char *cause)
{
    if (p->base.super.req != NULL)
        sg_reply_5xx(p->base.super.req, 502, "wechat_unavailable", cause);
    sg_pending_free(p);
}

static void reply_signed(struct jssdk_req *p, const char *ticket)
{
    unsigned char nonce_bytes[8], digest[EVP_MAX_MD_SIZE];
    char nonce[17], signature[41], *plain;
    unsigned int dlen = 0;
    long long now = (long long)time(NULL);
    randombytes_buf(nonce_bytes, sizeof(nonce_bytes));
    sodium_bin2hex(nonce, sizeof(nonce), nonce_bytes, sizeof(nonce_bytes));
    size_t n = strlen(ticket) + strlen(p->url) + 96;
    if ((plain = malloc(n)) == NULL)
        abort();
    int len = snprintf(plain, n, "jsapi_ticket=%s&noncestr=%s&timestamp=%lld&url=%s", ticket, nonce, now, p->url);
    if (EVP_Digest(plain, (size_t)len, digest, &dlen, EVP_sha1(), NULL) != 1 || dlen != 20)
        abort();
    free(plain);
    sodium_bin2hex(signature, sizeof(signature), digest, 20);
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "appId", p->base.super.app->wechat_appid);
    cJSON_AddNumberToObject(root, "timestamp", (double)now);
    cJSON_AddStringToObject(root, "nonceStr", nonce);
    cJSON_AddStringToObject(root, "signature", signature);
    sg_reply_json(p->base.super.req, 200, root);
}

/* WeChat's answer as JSON with errcode 0 (or none), else NULL with why in *cause. */
static cJSON *wechat_json(const char *err, int status, const char *body, size_t len, const char **cause)
{
    cJSON *root = err == NULL && status == 200 ? cJSON_ParseWithLength(body, len) : NULL;
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(root, "errcode");
    *cause = err != NULL ? err : status != 200 ? "WeChat answered an HTTP error" : "WeChat answered no JSON";
    if (root != NULL && cJSON_IsNumber(code) && code->valueint != 0) {
        *cause = "WeChat answered an errcode"; /* not the text: it may quote the request */
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

static void on_ticket(void *data, const char *err, int status, const char *body, size_t len)
{
    struct jssdk_req *p = data;
    const char *cause;
    cJSON *root = wechat_json(err, status, body, len, &cause);
    const cJSON *ticket = cJSON_GetObjectItemCaseSensitive(root, "ticket");
    const cJSON *expires = cJSON_GetObjectItemCaseSensitive(root, "expires_in");
    if (!cJSON_IsString(ticket) || ticket->valuestring[0] == '\0') {
        cJSON_Delete(root);
        fail(p, root != NULL ? "WeChat's ticket answer had no ticket" : cause);
        return;
    }
    int keep = cJSON_IsNumber(expires) ? expires->valueint - EARLY_S : 0;
    (void)sg_store_wechat_ticket_set(p->base.super.app->store, ticket->valuestring, keep > 60 ? (unsigned)keep : 60);
    if (p->base.super.req != NULL)
        reply_signed(p, ticket->valuestring);
    cJSON_Delete(root);
    sg_pending_free(p);
}

static void on_token(void *data, const char *err, int status, const char *body, size_t len)
{
    struct jssdk_req *p = data;
    const char *cause;
    char url[URL_MAX];
    cJSON *root = wechat_json(err, status, body, len, &cause);
    const cJSON *token = cJSON_GetObjectItemCaseSensitive(root, "access_token");
    if (!cJSON_IsString(token) ||
        strspn(token->valuestring, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-") !=
            strlen(token->valuestring)) {
        cJSON_Delete(root);
        fail(p, root != NULL ? "WeChat's token answer had no access_token" : cause);
        return;
    }
    snprintf(url, sizeof(url), "%s/cgi-bin/ticket/getticket?access_token=%s&type=jsapi", p->base.super.app->wechat_api,
             token->valuestring);
    cJSON_Delete(root);
    if (sg_fetch_get(p->ctx, url, ANSWER_MAX, on_ticket, p) != 0)
        fail(p, "SONGGONG_WECHAT_API is not a URL");
}

static void fetch_ticket(struct jssdk_req *p)
{
    const struct sg_app *app = p->base.super.app;
    char url[URL_MAX];
    snprintf(url, sizeof(url), "%s/cgi-bin/token?grant_type=client_credential&appid=%s&secret=%s", app->wechat_api,
             app->wechat_appid, app->wechat_secret);
    if (sg_fetch_get(p->ctx, url, ANSWER_MAX, on_token, p) != 0)
        fail(p, "SONGGONG_WECHAT_API is not a URL");
}

static void on_kept(void *data, int status, const char *ticket)
{
    struct jssdk_req *p = data;
    if (p->base.super.req == NULL) {
        sg_pending_free(p);
    } else if (status == 0) {
        reply_signed(p, ticket);
        sg_pending_free(p);
    } else if (status == SG_ENOENT) {
        fetch_ticket(p);
    } else {
        sg_reply_store_error(p->base.super.req, status);
        sg_pending_free(p);
    }
}

/* The page to sign: one of this server's staff pages, without its fragment. */
static bool page_ok(const struct sg_app *app, const char *url)
{
    size_t n = strlen(app->public_url);
    return url != NULL && strlen(url) < URL_MAX && strncmp(url, app->public_url, n) == 0 &&
           strncmp(url + n, "/staff/", 7) == 0 && strchr(url, '#') == NULL &&
           strspn(url, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?&=%+") == strlen(url);
}

static void start(struct sg_staff_req *base)
{
    struct jssdk_req *p = (struct jssdk_req *)base;
    const struct sg_app *app = base->super.app;
    const char *url = sg_query_param(base->super.req, "url");
    int ret;
    if (app->wechat_appid == NULL) {
        sg_reply_error(base->super.req, 404, "wechat_off", NULL);
    } else if (!page_ok(app, url)) {
        sg_reply_error(base->super.req, 400, "bad_request", "url");
    } else {
        snprintf(p->url, sizeof(p->url), "%s", url);
        p->ctx = base->super.req->conn->ctx;
        if ((ret = sg_store_wechat_ticket_get(app->store, on_kept, p)) == 0)
            return;
        sg_reply_store_error(base->super.req, ret);
    }
    sg_pending_free(p);
}

int sg_on_wechat_jssdk(h2o_handler_t *self, h2o_req_t *req)
{
    if (!sg_method_is(req, "GET"))
        return sg_reply_method_not_allowed(req, "GET");
    sg_staff_begin(sg_pending_new(req, sg_handler_app(self), sizeof(struct jssdk_req)), start);
    return 0;
}
