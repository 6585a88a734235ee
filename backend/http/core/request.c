/* SPDX-License-Identifier: MIT */
/* Query strings, the JSON body gate and typed JSON getters. */
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "domain/text.h"
#include "http/core/reply.h"
#include "http/core/request.h"

#define IDEM_MIN 8

bool sg_method_is(h2o_req_t *req, const char *m)
{
    return h2o_memis(req->method.base, req->method.len, m, strlen(m));
}

static bool is_json_type(const char *v, size_t len)
{
    static const char want[] = "application/json";
    size_t n = sizeof(want) - 1;
    return v != NULL && len >= n && h2o_lcstris(v, n, want, n) && (len == n || v[n] == ';' || v[n] == ' ');
}

bool sg_request_is_json(h2o_req_t *req)
{
    ssize_t i = h2o_find_header(&req->headers, H2O_TOKEN_CONTENT_TYPE, -1);
    return i != -1 && is_json_type(req->headers.entries[i].value.base, req->headers.entries[i].value.len);
}

const char *sg_query_find(const char *query, size_t len, const char *name, size_t *vlen)
{
    const char *p = query, *end = query + len;
    size_t nlen = strlen(name);
    while (p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        const char *stop = amp != NULL ? amp : end;
        if ((size_t)(stop - p) > nlen && memcmp(p, name, nlen) == 0 && p[nlen] == '=') {
            *vlen = (size_t)(stop - p - nlen - 1);
            return p + nlen + 1;
        }
        p = stop + 1;
    }
    return NULL;
}

static int hexval(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

size_t sg_percent_decode(const char *s, size_t n, char *out)
{
    char *d = out;
    for (size_t i = 0; i != n; ++i) {
        if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            *d++ = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        } else {
            *d++ = s[i] == '+' ? ' ' : s[i];
        }
    }
    *d = '\0';
    return strlen(out);
}

const char *sg_query_param(h2o_req_t *req, const char *name)
{
    if (req->query_at == SIZE_MAX)
        return NULL;
    size_t vlen;
    const char *q = req->path.base + req->query_at + 1;
    const char *v = sg_query_find(q, req->path.len - req->query_at - 1, name, &vlen);
    if (v == NULL)
        return NULL;
    char *out = h2o_mem_alloc_pool(&req->pool, vlen + 1);
    sg_percent_decode(v, vlen, out);
    return out;
}

bool sg_parse_number(const char *s, long min, long max, long *out)
{
    const char *digits = s[0] == '-' && min < 0 ? s + 1 : s;
    size_t n = strlen(digits);
    if (n == 0 || n > 18 || strspn(digits, "0123456789") != n)
        return false; /* 18 digits fit a long: no overflow to check */
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > max)
        return false;
    *out = v;
    return true;
}

bool sg_query_number_or_reply(h2o_req_t *req, const char *name, long def, long min, long max, long *out)
{
    const char *v = sg_query_param(req, name);
    if (v == NULL || v[0] == '\0') {
        *out = def;
        return true;
    }
    if (sg_parse_number(v, min, max, out))
        return true;
    sg_reply_error(req, 400, "bad_request", name);
    return false;
}

/* How many of the first n bytes of s are in accept. */
static size_t strspn_n(const char *s, size_t n, const char *accept)
{
    size_t i = 0;
    while (i != n && s[i] != '\0' && strchr(accept, s[i]) != NULL)
        ++i;
    return i;
}

int sg_json_body_parse(const char *content_type, size_t ctlen, const char *body, size_t len, size_t max, cJSON **root,
                       const char **code)
{
    *root = NULL;
    if (!is_json_type(content_type, ctlen)) {
        *code = "unsupported_media_type";
        return 415;
    }
    if (len > max) {
        *code = "too_large";
        return 413;
    }
    cJSON *o = len != 0 ? cJSON_ParseWithLength(body, len) : NULL;
    if (!cJSON_IsObject(o)) {
        cJSON_Delete(o);
        *code = "bad_json";
        return 400;
    }
    *root = o;
    *code = NULL;
    return 0;
}

int sg_json_body(h2o_req_t *req, size_t max, cJSON **root, const char **code)
{
    ssize_t i = h2o_find_header(&req->headers, H2O_TOKEN_CONTENT_TYPE, -1);
    const char *ct = i != -1 ? req->headers.entries[i].value.base : NULL;
    size_t ctlen = i != -1 ? req->headers.entries[i].value.len : 0;
    return sg_json_body_parse(ct, ctlen, req->entity.base, req->entity.len, max, root, code);
}

cJSON *sg_json_body_or_reply(h2o_req_t *req, size_t max)
{
    cJSON *root;
    const char *code;
    int status = sg_json_body(req, max, &root, &code);
    if (status != 0)
        sg_reply_error(req, status, code, NULL);
    return root;
}

static const cJSON *member(const cJSON *obj, const char *name, int (*is)(const cJSON *), const char *field,
                           struct sg_field_errors *errs)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (item == NULL || cJSON_IsNull(item))
        return NULL;
    if (!is(item)) {
        if (errs != NULL)
            sg_field_errors_add(errs, field != NULL ? field : name, "type");
        return NULL;
    }
    return item;
}

static int is_string(const cJSON *item)
{
    return cJSON_IsString(item);
}

static int is_bool(const cJSON *item)
{
    return cJSON_IsBool(item);
}

/* Beyond ±2^63 every double is whole, and converting it to a long would be undefined. */
static int is_whole(const cJSON *item)
{
    double v = item->valuedouble;
    return cJSON_IsNumber(item) && isfinite(v) && (v <= -0x1p63 || v >= 0x1p63 || v == (double)(long)v);
}

const char *sg_json_string(const cJSON *obj, const char *name, const char *field, struct sg_field_errors *errs)
{
    const cJSON *item = member(obj, name, is_string, field, errs);
    return item != NULL ? item->valuestring : NULL;
}

int sg_json_bool(const cJSON *obj, const char *name, const char *field, struct sg_field_errors *errs)
{
    const cJSON *item = member(obj, name, is_bool, field, errs);
    return item == NULL ? -1 : cJSON_IsTrue(item) ? 1 : 0;
}

long sg_json_count(const cJSON *obj, const char *name, const char *field, long max, struct sg_field_errors *errs)
{
    const cJSON *item = member(obj, name, is_whole, field, errs);
    if (item == NULL)
        return -1;
    return item->valuedouble >= 0 && item->valuedouble <= (double)max ? (long)item->valuedouble : max + 1;
}

const char *sg_idempotency_key(h2o_req_t *req)
{
    ssize_t i = h2o_find_header_by_str(&req->headers, H2O_STRLIT("idempotency-key"), -1);
    if (i == -1)
        return "";
    h2o_iovec_t v = req->headers.entries[i].value;
    if (v.len < IDEM_MIN || v.len > SG_IDEMPOTENCY_KEY_MAX)
        return NULL;
    for (size_t j = 0; j != v.len; ++j) {
        char c = v.base[j];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            return NULL;
    }
    return h2o_strdup(&req->pool, v.base, v.len).base;
}

void sg_peer_address(h2o_req_t *req, char out[48])
{
    struct sockaddr_storage ss;
    socklen_t len = req->conn->callbacks->get_peername(req->conn, (struct sockaddr *)&ss);
    out[0] = '\0';
    if (len != 0 && ss.ss_family == AF_INET) /* (not inet_ntop: its sprintf, twice a sign-up) */
        out[sg_put_ipv4(out, (const unsigned char *)&((struct sockaddr_in *)&ss)->sin_addr)] = '\0';
    else if (len != 0 && ss.ss_family == AF_INET6)
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, out, 48);
}

void sg_client_address(h2o_req_t *req, char out[48])
{
    sg_peer_address(req, out);
    /* Behind nginx on the same host the peer is loopback: trust its X-Real-IP (a value
     * with characters no address has is ignored: it would otherwise name a counter). */
    ssize_t i = h2o_find_header_by_str(&req->headers, H2O_STRLIT("x-real-ip"), -1);
    if (i != -1 && strcmp(out, "127.0.0.1") == 0 && req->headers.entries[i].value.len < 48 &&
        req->headers.entries[i].value.len != 0 &&
        strspn_n(req->headers.entries[i].value.base, req->headers.entries[i].value.len, "0123456789abcdefABCDEF.:") ==
            req->headers.entries[i].value.len) {
        memcpy(out, req->headers.entries[i].value.base, req->headers.entries[i].value.len);
        out[req->headers.entries[i].value.len] = '\0';
    }
}
