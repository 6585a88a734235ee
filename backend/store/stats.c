/* SPDX-License-Identifier: MIT */
/* Dashboard counters and village return figures in Redis. Many hashes are read with one
 * script call (hgetall.lua): one round trip and one snapshot, whatever the scope. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "domain/err.h"
#include "store/internal.h"

struct hashes_op {
    void *data;
    sg_store_counter_cb on_counter;
    sg_store_status_cb on_done;
    sg_store_returns_cb on_returns;
    sg_store_returns_saved_cb on_saved;
    char scope[SG_DIVISION_CODE_MAX + 1];
};

static struct hashes_op *op_new(void *data)
{
    struct hashes_op *op = calloc(1, sizeof(*op));
    if (op == NULL)
        abort();
    op->data = data;
    return op;
}

static int reply_ok(int status, const redisReply *reply)
{
    if (status != 0)
        return status;
    return reply->type == REDIS_REPLY_ARRAY ? 0 : SG_EIO;
}

static void on_counters(void *data, int status, redisReply *reply)
{
    struct hashes_op *op = data;
    if ((status = reply_ok(status, reply)) == 0) {
        for (size_t i = 0; i != reply->elements; ++i) {
            const redisReply *h = reply->element[i];
            for (size_t j = 0; h->type == REDIS_REPLY_ARRAY && j + 1 < h->elements; j += 2)
                op->on_counter(op->data, i, h->element[j]->str, h->element[j]->len,
                               strtol(h->element[j + 1]->str, NULL, 10));
        }
    }
    op->on_done(op->data, status);
    free(op);
}

struct key_args {
    const struct sg__keys *ks;
    const char *campaign;
    const char *const *codes;
    /* sg__key_stats or sg__key_returns */
    const char *(*key)(struct sg__key *, const struct sg__keys *, const char *, const char *);
    bool fold_first; /* counters: every sign-up acknowledged so far folded in first */
};

/* EVALSHA hgetall.lua over the n keys of a. */
static int read_hashes(struct sg_store *s, size_t n, const struct key_args *a, sg__redis_cb cb, struct hashes_op *op)
{
    struct sg__key *keys = malloc((n != 0 ? n : 1) * sizeof(*keys));
    const char **argv = malloc((n != 0 ? n : 1) * sizeof(*argv));
    size_t *lens = malloc((n != 0 ? n : 1) * sizeof(*lens));
    if (keys == NULL || argv == NULL || lens == NULL)
        abort();
    for (size_t i = 0; i != n; ++i) {
        argv[i] = a->key(&keys[i], a->ks, a->campaign, a->codes[i]);
        lens[i] = strlen(argv[i]);
    }
    int ret = a->fold_first ? sg__store_eval_folded(s, SG__SCRIPT_HGETALL, (int)n, (int)n, argv, lens, cb, op)
                            : sg__store_eval(s, SG__SCRIPT_HGETALL, (int)n, (int)n, argv, lens, cb, op);
    if (ret != 0)
        free(op);
    free(keys);
    free(argv);
    free(lens);
    return ret;
}

int sg_store_counters_read(struct sg_store *s, const char *campaign, const char *const *codes, size_t n,
                           sg_store_counter_cb on_counter, sg_store_status_cb on_done, void *data)
{
    struct hashes_op *op = op_new(data);
    struct key_args args = {&s->keys, campaign, codes, sg__key_stats, true};
    op->on_counter = on_counter;
    op->on_done = on_done;
    return read_hashes(s, n, &args, on_counters, op);
}

static void on_saved(void *data, int status, redisReply *reply)
{
    struct hashes_op *op = data;
    if (status == 0 && reply->type != REDIS_REPLY_STATUS && reply->type != REDIS_REPLY_STRING)
        status = SG_EIO;
    op->on_saved(op->data, status, status == 0 && strcmp(reply->str, "latest") == 0);
    free(op);
}

int sg_store_returns_save(struct sg_store *s, const char *campaign, const struct sg_returns *r,
                          sg_store_returns_saved_cb cb, void *data)
{
    struct sg__key keys[4];
    char line[SG_RETURNS_LINE_MAX];
    size_t linelen = sg_returns_format(r, line);
    const char *argv[] = {sg__key_returns(&keys[0], &s->keys, campaign, r->village),
                          sg__key_returns_history(&keys[1], &s->keys, campaign, r->village),
                          sg__key_stats(&keys[2], &s->keys, campaign, r->village),
                          sg__key_stats_county(&keys[3], &s->keys, campaign, r->village),
                          r->village,
                          line};
    size_t lens[] = {strlen(argv[0]), strlen(argv[1]), strlen(argv[2]), strlen(argv[3]), strlen(r->village), linelen};
    struct hashes_op *op = op_new(data);
    op->on_saved = cb;
    int ret = sg__store_eval(s, SG__SCRIPT_RETURNS_SAVE, 4, 6, argv, lens, on_saved, op);
    if (ret != 0)
        free(op);
    return ret;
}

/* Parsed lines, collected into a growing array; village set by the caller. */
struct returns_list {
    struct sg_returns *v;
    size_t n, cap;
};

static struct sg_returns *list_push(struct returns_list *l)
{
    if (l->n == l->cap) {
        l->cap = l->cap != 0 ? 2 * l->cap : 64;
        if ((l->v = realloc(l->v, l->cap * sizeof(*l->v))) == NULL)
            abort();
    }
    return &l->v[l->n++];
}

static int by_village(const void *a, const void *b)
{
    return strcmp(((const struct sg_returns *)a)->village, ((const struct sg_returns *)b)->village);
}

static void on_returns(void *data, int status, redisReply *reply)
{
    struct hashes_op *op = data;
    struct returns_list l = {0};
    size_t slen = strlen(op->scope);
    for (size_t i = 0; (status = reply_ok(status, reply)) == 0 && i != reply->elements; ++i) {
        const redisReply *h = reply->element[i];
        for (size_t j = 0; h->type == REDIS_REPLY_ARRAY && j + 1 < h->elements; j += 2) {
            const redisReply *k = h->element[j], *v = h->element[j + 1];
            struct sg_returns r;
            if (k->len > SG_DIVISION_CODE_MAX || strncmp(k->str, op->scope, slen) != 0 ||
                sg_returns_parse(v->str, v->len, &r) != 0)
                continue;
            memcpy(r.village, k->str, k->len + 1);
            *list_push(&l) = r;
        }
    }
    if (status == 0 && l.n > 1)
        qsort(l.v, l.n, sizeof(*l.v), by_village);
    op->on_returns(op->data, status, l.v, status == 0 ? l.n : 0);
    free(l.v);
    free(op);
}

int sg_store_returns_list(struct sg_store *s, const char *campaign, const char *scope, const char *const *counties,
                          size_t ncounties, sg_store_returns_cb cb, void *data)
{
    struct hashes_op *op = op_new(data);
    struct key_args args = {&s->keys, campaign, counties, sg__key_returns, false};
    op->on_returns = cb;
    snprintf(op->scope, sizeof(op->scope), "%s", scope);
    return read_hashes(s, ncounties, &args, on_returns, op);
}

static void on_history(void *data, int status, redisReply *reply)
{
    struct hashes_op *op = data;
    struct returns_list l = {0};
    for (size_t i = 0; (status = reply_ok(status, reply)) == 0 && i != reply->elements; ++i) {
        struct sg_returns r;
        if (sg_returns_parse(reply->element[i]->str, reply->element[i]->len, &r) != 0)
            continue;
        snprintf(r.village, sizeof(r.village), "%s", op->scope);
        *list_push(&l) = r;
    }
    op->on_returns(op->data, status, l.v, status == 0 ? l.n : 0);
    free(l.v);
    free(op);
}

int sg_store_returns_history(struct sg_store *s, const char *campaign, const char *village, size_t count,
                             sg_store_returns_cb cb, void *data)
{
    struct sg__key key;
    char stop[24];
    snprintf(stop, sizeof(stop), "%zu", count != 0 ? count - 1 : 0);
    const char *argv[] = {"LRANGE", sg__key_returns_history(&key, &s->keys, campaign, village), "0", stop};
    size_t lens[] = {6, strlen(argv[1]), 1, strlen(stop)};
    struct hashes_op *op = op_new(data);
    op->on_returns = cb;
    snprintf(op->scope, sizeof(op->scope), "%s", village);
    int ret = sg__store_command(s, on_history, op, 4, argv, lens);
    if (ret != 0)
        free(op);
    return ret;
}
