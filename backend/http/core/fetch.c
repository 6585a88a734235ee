/* SPDX-License-Identifier: MIT */
/* GET from another server with H2O 2.2.5's HTTP/1 client (lib/common/http1client.c): one
 * connection per fetch ("Connection: close"), the context's name resolver and I/O
 * timeout, a TLS context of our own that checks the peer against the system's
 * certificates (H2O checks the name). A fetch lives on the heap until its callback. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/ssl.h>
#include "http/core/fetch.h"

struct fetch {
    h2o_http1client_ctx_t ctx; /* the context's client settings, with our TLS context */
    h2o_http1client_t *client;
    h2o_url_t url;
    char *text; /* the URL, which url points into */
    h2o_iovec_t request;
    char *body;
    size_t len, max;
    int status;
    sg_fetch_cb cb;
    void *data;
};

static SSL_CTX *tls;
static pthread_once_t tls_once = PTHREAD_ONCE_INIT;

static void tls_init(void)
{
    tls = SSL_CTX_new(TLS_client_method());
    if (tls == NULL)
        abort();
    SSL_CTX_set_min_proto_version(tls, TLS1_2_VERSION);
    SSL_CTX_set_default_verify_paths(tls);
    SSL_CTX_set_verify(tls, SSL_VERIFY_PEER, NULL);
}

static void finish(struct fetch *f, const char *err)
{
    f->cb(f->data, err, f->status, f->body != NULL ? f->body : "", f->len);
    free(f->body);
    free(f->request.base);
    free(f->text);
    free(f);
}

static int on_body(h2o_http1client_t *client, const char *err)
{
    struct fetch *f = client->data;
    h2o_buffer_t *in = client->sock != NULL ? client->sock->input : NULL;
    if (in != NULL && in->size != 0) {
        if (f->len + in->size > f->max) {
            finish(f, "too large");
            return -1; /* the client closes */
        }
        char *grown = realloc(f->body, f->len + in->size + 1);
        if (grown == NULL)
            abort();
        f->body = grown;
        memcpy(f->body + f->len, in->bytes, in->size);
        f->len += in->size;
        f->body[f->len] = '\0';
        h2o_buffer_consume(&client->sock->input, in->size);
    }
    if (err != NULL) {
        finish(f, err == h2o_http1client_error_is_eos ? NULL : err);
        return -1;
    }
    return 0;
}

static h2o_http1client_body_cb on_head(h2o_http1client_t *client, const char *err, int minor_version, int status,
                                       h2o_iovec_t msg, h2o_header_t *headers, size_t num_headers, int rlen)
{
    struct fetch *f = client->data;
    (void)minor_version, (void)msg, (void)headers, (void)num_headers, (void)rlen;
    if (err != NULL && err != h2o_http1client_error_is_eos) {
        finish(f, err);
        return NULL;
    }
    f->status = status;
    if (err == h2o_http1client_error_is_eos) { /* no body */
        finish(f, NULL);
        return NULL;
    }
    return on_body;
}

static h2o_http1client_head_cb on_connect(h2o_http1client_t *client, const char *err, h2o_iovec_t **reqbufs,
                                          size_t *reqbufcnt, int *method_is_head)
{
    struct fetch *f = client->data;
    if (err != NULL) {
        finish(f, err);
        return NULL;
    }
    *reqbufs = &f->request;
    *reqbufcnt = 1;
    *method_is_head = 0;
    return on_head;
}

int sg_fetch_get(h2o_context_t *ctx, const char *url, size_t max, sg_fetch_cb cb, void *data)
{
    struct fetch *f = calloc(1, sizeof(*f));
    if (f == NULL || (f->text = strdup(url)) == NULL)
        abort();
    if (h2o_url_parse(f->text, strlen(f->text), &f->url) != 0) {
        free(f->text);
        free(f);
        return -1;
    }
    pthread_once(&tls_once, tls_init);
    f->ctx = ctx->proxy.client_ctx;
    f->ctx.ssl_ctx = tls;
    f->max = max, f->cb = cb, f->data = data;
    size_t n = f->url.path.len + f->url.authority.len + 96;
    f->request.base = malloc(n);
    if (f->request.base == NULL)
        abort();
    f->request.len =
        (size_t)snprintf(f->request.base, n,
                         "GET %.*s HTTP/1.1\r\nHost: %.*s\r\nAccept: application/json\r\n"
                         "Connection: close\r\n\r\n",
                         (int)f->url.path.len, f->url.path.base, (int)f->url.authority.len, f->url.authority.base);
    h2o_http1client_connect(&f->client, f, &f->ctx, f->url.host, h2o_url_get_port(&f->url),
                            f->url.scheme == &H2O_URL_SCHEME_HTTPS, on_connect);
    return 0;
}
