/* SPDX-License-Identifier: MIT */
/* Job pushes in Redis, and the reading of a scope's sign-ups for a push's target group
 * (page.lua's pages; the phones stay sealed: the sender alone opens them). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "domain/err.h"
#include "store/codec.h"
#include "store/internal.h"
#include "store/jobs.h"

struct push_op {
    sg_store_push_cb cb;
    sg_store_pushes_cb list_cb;
    void *data;
    struct sg_push p;
};

static struct push_op *op_new(void *data)
{
    struct push_op *op = calloc(1, sizeof(*op));
    if (op == NULL)
        abort();
    op->data = data;
    return op;
}

static void on_created(void *data, int status, redisReply *reply)
{
    struct push_op *op = data;
    if (status == 0 && reply->type == REDIS_REPLY_STRING)
        snprintf(op->p.id, sizeof(op->p.id), "%.*s", (int)reply->len, reply->str);
    else if (status == 0)
        status = SG_EIO;
    op->cb(op->data, status, status == 0 ? &op->p : NULL);
    free(op);
}

int sg_store_push_create(struct sg_store *s, const struct sg_push *p, sg_store_push_cb cb, void *data)
{
    struct sg__key next, index, events;
    char at[24], counted[24];
    snprintf(at, sizeof(at), "%llu", (unsigned long long)p->at_ms);
    snprintf(counted, sizeof(counted), "%ld", p->counted);
    const char *argv[] = {sg__key_global(&next, &s->keys, SG__KEY_PUSHES_NEXT),
                          sg__key_global(&index, &s->keys, SG__KEY_PUSHES),
                          sg__key_global(&events, &s->keys, SG__KEY_NOTIFY_EVENTS),
                          s->keys.prefix,
                          p->scope,
                          "scope",
                          p->scope,
                          "campaign",
                          p->campaign,
                          "user",
                          p->user,
                          "at",
                          at,
                          "jobs",
                          p->jobs,
                          "filter",
                          p->filter,
                          "counted",
                          counted};
    size_t n = sizeof(argv) / sizeof(argv[0]), lens[sizeof(argv) / sizeof(argv[0])];
    for (size_t i = 0; i != n; ++i)
        lens[i] = strlen(argv[i]);
    struct push_op *op = op_new(data);
    op->cb = cb, op->p = *p;
    int ret = sg__store_eval(s, SG__SCRIPT_PUSH_CREATE, 3, (int)n, argv, lens, on_created, op);
    if (ret != 0)
        free(op);
    return ret;
}

static bool is(const redisReply *k, const char *name)
{
    return k->type == REDIS_REPLY_STRING && k->len == strlen(name) && memcmp(k->str, name, k->len) == 0;
}

static bool parse_push(const redisReply *r, struct sg_push *p)
{
    memset(p, 0, sizeof(*p));
    if (r->type != REDIS_REPLY_ARRAY || r->elements == 0)
        return false;
    for (size_t i = 0; i + 1 < r->elements; i += 2) {
        const redisReply *k = r->element[i], *x = r->element[i + 1];
        const char *v = x->str != NULL ? x->str : "";
        int len = (int)x->len;
        if (is(k, "id"))
            snprintf(p->id, sizeof(p->id), "%.*s", len, v);
        else if (is(k, "scope"))
            snprintf(p->scope, sizeof(p->scope), "%.*s", len, v);
        else if (is(k, "campaign"))
            snprintf(p->campaign, sizeof(p->campaign), "%.*s", len, v);
        else if (is(k, "user"))
            snprintf(p->user, sizeof(p->user), "%.*s", len, v);
        else if (is(k, "jobs"))
            snprintf(p->jobs, sizeof(p->jobs), "%.*s", len, v);
        else if (is(k, "filter"))
            snprintf(p->filter, sizeof(p->filter), "%.*s", len, v);
        else if (is(k, "at"))
            p->at_ms = strtoull(v, NULL, 10);
        else if (is(k, "counted"))
            p->counted = strtol(v, NULL, 10);
        else if (is(k, "queued"))
            p->queued = strtol(v, NULL, 10);
        else if (is(k, "sent"))
            p->sent = strtol(v, NULL, 10);
    }
    return p->id[0] != '\0';
}

static void on_push(void *data, int status, redisReply *reply)
{
    struct push_op *op = data;
    if (status == 0 && !parse_push(reply, &op->p))
        status = reply->type == REDIS_REPLY_ARRAY ? SG_ENOENT : SG_EIO;
    op->cb(op->data, status, status == 0 ? &op->p : NULL);
    free(op);
}

int sg_store_push_get(struct sg_store *s, const char *id, sg_store_push_cb cb, void *data)
{
    struct sg__key key;
    const char *argv[] = {"HGETALL", sg__key_push(&key, &s->keys, id)};
    size_t lens[] = {7, strlen(argv[1])};
    struct push_op *op = op_new(data);
    op->cb = cb;
    int ret = sg__store_command(s, on_push, op, 2, argv, lens);
    if (ret != 0)
        free(op);
    return ret;
}

static int newest_first(const void *a, const void *b)
{
    const struct sg_push *x = a, *y = b;
    return x->at_ms != y->at_ms ? (x->at_ms < y->at_ms ? 1 : -1) : 0;
}

static void on_list(void *data, int status, redisReply *reply)
{
    struct push_op *op = data;
    struct sg_push *list = NULL;
    size_t n = 0;
    if (status == 0 && reply->type != REDIS_REPLY_ARRAY)
        status = SG_EIO;
    if (status == 0 && reply->elements != 0 && (list = calloc(reply->elements, sizeof(*list))) == NULL)
        abort();
    for (size_t i = 0; status == 0 && i != reply->elements; ++i)
        n += parse_push(reply->element[i], &list[n]);
    if (n > 1)
        qsort(list, n, sizeof(*list), newest_first);
    op->list_cb(op->data, status, list, n < 100 ? n : 100);
    free(list);
    free(op);
}

int sg_store_push_list(struct sg_store *s, const char *scope, sg_store_pushes_cb cb, void *data)
{
    /* KEYS[1] the push index  ARGV[1] scope  ARGV[2] the push key prefix (keys from the index) */
    static const char script[] =
        "#!lua flags=no-writes\n"
        "local out = {} for i, m in ipairs(redis.call('ZRANGEBYLEX', KEYS[1], '[' .. ARGV[1], '(' .. ARGV[1] .. "
        "'\\255')) do out[i] = redis.call('HGETALL', ARGV[2] .. string.match(m, ':(%d+)$')) end return out";
    struct sg__key index, prefix;
    const char *argv[] = {"EVAL", script,
                          "1",    sg__key_global(&index, &s->keys, SG__KEY_PUSHES),
                          scope,  sg__key_push(&prefix, &s->keys, "")};
    size_t lens[6];
    for (size_t i = 0; i != 6; ++i)
        lens[i] = strlen(argv[i]);
    struct push_op *op = op_new(data);
    op->list_cb = cb;
    int ret = sg__store_command(s, on_list, op, 6, argv, lens);
    if (ret != 0)
        free(op);
    return ret;
}

/* ---- target pages ------------------------------------------------------------------------ */

struct target_op {
    struct sg_store *s;
    sg_store_target_cb cb;
    void *data;
    size_t count;
};

/* The n-th value of "name":"…" in json (values without quotes or escapes: sealed numbers, hashes). */
static void nth_value(const char *json, size_t len, const char *name, size_t n, char *out, size_t outsz)
{
    const char *p = json, *end = json + len;
    size_t nlen = strlen(name);
    out[0] = '\0';
    for (size_t i = 0; p != NULL && p < end; ++i) {
        p = memmem(p, (size_t)(end - p), name, nlen);
        if (p == NULL)
            return;
        p += nlen;
        if (i == n) {
            const char *q = memchr(p, '"', (size_t)(end - p));
            if (q != NULL && (size_t)(q - p) < outsz)
                snprintf(out, outsz, "%.*s", (int)(q - p), p);
            return;
        }
    }
}

static bool read_target(struct sg_store *s, redisReply **v, struct sg_target_row *row)
{
    struct sg_stored_registration tmp;
    static const char *const names[] = {"code", "village", "data"};
    static const size_t at[] = {0, 1, 4};
    memset(&tmp, 0, sizeof(tmp));
    if (v[0]->type != REDIS_REPLY_STRING || v[0]->len != SG_CODE_LEN || v[4]->type != REDIS_REPLY_STRING ||
        v[4]->len == 0)
        return false;
    for (size_t i = 0; i != 3; ++i) {
        redisReply k = {.type = REDIS_REPLY_STRING, .str = (char *)names[i], .len = strlen(names[i])};
        if (sg__read_field(s, false, &tmp, &k, v[at[i]]) != 0)
            return false;
    }
    memcpy(row->code, tmp.code, sizeof(row->code));
    row->reg = tmp.reg;
    for (size_t i = 0; i != tmp.reg.npeople; ++i) {
        nth_value(v[4]->str, v[4]->len, "\"phone\":\"", i, row->phone[i], sizeof(row->phone[i]));
        nth_value(v[4]->str, v[4]->len, "\"ph\":\"", i, row->phash[i], sizeof(row->phash[i]));
        snprintf(row->masked[i], sizeof(row->masked[i]), "%s", tmp.phone_masked[i]);
    }
    return true;
}

static void on_target_page(void *data, int status, redisReply *reply)
{
    struct target_op *op = data;
    struct sg_target_row *rows = NULL;
    size_t n = 0, total = 0;
    char next[40] = "";
    if (status == 0 &&
        (reply->type != REDIS_REPLY_ARRAY || reply->elements < 1 || (reply->elements - 1) % (1 + SG__PAGE_FIELDS) != 0))
        status = SG_EIO;
    if (status == 0 && (total = (reply->elements - 1) / (1 + SG__PAGE_FIELDS)) != 0 &&
        (rows = calloc(total, sizeof(*rows))) == NULL)
        abort();
    for (size_t r = 0; status == 0 && r != total; ++r) {
        redisReply **v = reply->element + 1 + r * (1 + SG__PAGE_FIELDS);
        n += read_target(op->s, v + 1, &rows[n]);
        if (r + 1 == total && total == op->count && v[0]->type == REDIS_REPLY_STRING)
            snprintf(next, sizeof(next), "%.*s", (int)v[0]->len, v[0]->str);
    }
    op->cb(op->data, status, rows, n, next);
    if (rows != NULL)
        sodium_memzero(rows, total * sizeof(*rows));
    free(rows);
    free(op);
}

int sg_store_target_page(struct sg_store *s, const char *campaign, const char *scope, const char *after, size_t count,
                         sg_store_target_cb cb, void *data)
{
    struct sg__key index, assign;
    char min[64], max[32], cnt[16];
    if (after[0] != '\0')
        snprintf(min, sizeof(min), "(%s", after);
    else
        snprintf(min, sizeof(min), "[%s", scope);
    snprintf(max, sizeof(max), "(%s\xff", scope);
    snprintf(cnt, sizeof(cnt), "%zu", count);
    const char *argv[] = {sg__key_campaign(&index, &s->keys, campaign, SG__KEY_BYPLACE),
                          sg__key_campaign(&assign, &s->keys, campaign, SG__KEY_ASSIGN),
                          min,
                          max,
                          "0",
                          cnt,
                          "0",
                          "",
                          s->keys.prefix};
    size_t lens[9];
    for (size_t i = 0; i != 9; ++i)
        lens[i] = strlen(argv[i]);
    struct target_op *op = calloc(1, sizeof(*op));
    if (op == NULL)
        abort();
    *op = (struct target_op){s, cb, data, count};
    int ret = sg__store_eval_folded(s, SG__SCRIPT_PAGE, 2, 9, argv, lens, on_target_page, op);
    if (ret != 0)
        free(op);
    return ret;
}
