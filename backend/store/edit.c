/* SPDX-License-Identifier: MIT */
/* Staff changes to a stored registration: edit (edit.lua), cancel (cancel.lua, shared
 * with the worker's own cancel) and the checked mark on unknown-region flags. Each is
 * one atomic Redis call; uniqueness keys, counters and indexes move together. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "domain/err.h"
#include "store/codec.h"
#include "store/internal.h"

#define EDIT_ARGS (8 + SG_MAX_PEOPLE)

struct edit_op {
    sg_store_edit_cb cb;
    void *data;
};

/* The refusals of edit.lua and cancel.lua as static strings, or NULL. */
static const char *conflict_of(const char *what)
{
    static const char *const codes[] = {"already_cancelled", "changed", "assigned", "boarded", "departed"};
    for (size_t i = 0; i != sizeof(codes) / sizeof(codes[0]); ++i)
        if (strcmp(what, codes[i]) == 0)
            return codes[i];
    return NULL;
}

static void on_edited(void *data, int status, redisReply *reply)
{
    struct edit_op *op = data;
    struct sg_edit_result res = {.duplicate_person = -1};
    if (status == 0) {
        const char *what =
            reply->type == REDIS_REPLY_ARRAY && reply->elements >= 1 && reply->element[0]->type == REDIS_REPLY_STRING
                ? reply->element[0]->str
                : "";
        if (strcmp(what, "ok") == 0)
            status = 0;
        else if (strcmp(what, "missing") == 0)
            status = SG_ENOENT;
        else if (strcmp(what, "duplicate") == 0 && reply->elements == 2) {
            status = SG_EEXIST;
            res.duplicate_person = (int)strtol(reply->element[1]->str, NULL, 10);
        } else if ((res.conflict = conflict_of(what)) != NULL) {
            status = SG_ECONFLICT;
        } else
            status = SG_EIO; /* an error reply, NOSCRIPT included */
    }
    op->cb(op->data, status, &res);
    free(op);
}

struct edit_args {
    struct sg__key key;
    char people[8], flag[2], match[48], counted[SG_COUNTERS_MAX * 48];
    char json[SG__DATA_MAX];
    size_t jsonlen;
    struct sg__sealed sealed;
};

int sg_store_registration_edit(struct sg_store *s, const char *code, const char *expect_village,
                               const struct sg_registration *reg, const char *entered_by, bool reset_flag_checked,
                               struct sg_date signed_on, sg_store_edit_cb cb, void *data)
{
    struct edit_args *a = malloc(sizeof(*a));
    struct edit_op *op = malloc(sizeof(*op));
    const char *argv[1 + EDIT_ARGS];
    size_t lens[1 + EDIT_ARGS];
    if (a == NULL || op == NULL)
        abort();
    *op = (struct edit_op){cb, data};
    sg__key_reg(&a->key, &s->keys, code);
    snprintf(a->people, sizeof(a->people), "%zu", reg->npeople);
    snprintf(a->flag, sizeof(a->flag), "%d", reset_flag_checked ? 1 : 0);
    sg__seal(s->crypto, reg, &a->sealed);
    a->jsonlen = sg__data_encode(reg, &a->sealed, entered_by, a->json);
    sg__counted_format(reg, signed_on, a->counted, sizeof(a->counted));
    sg__match_key(reg, a->match);
    int n = 0;
    const char *fixed[] = {a->key.s,   expect_village, reg->village, a->people,     a->json,
                           a->counted, a->flag,        a->match,     s->keys.prefix};
    for (size_t i = 0; i != sizeof(fixed) / sizeof(fixed[0]); ++i)
        argv[n++] = fixed[i];
    for (size_t i = 0; i != reg->npeople; ++i)
        argv[n++] = a->sealed.hashes[i];
    for (int i = 0; i != n; ++i)
        lens[i] = argv[i] == a->json ? a->jsonlen : strlen(argv[i]);
    int ret = sg__store_eval(s, SG__SCRIPT_EDIT, 1, n, argv, lens, on_edited, op);
    sodium_memzero(a, sizeof(*a));
    free(a);
    if (ret != 0)
        free(op);
    return ret;
}

struct status_op {
    sg_store_status_cb cb;
    sg_store_cancel_cb cancel_cb;
    void *data;
};

static void on_status(void *data, int status, redisReply *reply)
{
    struct status_op *op = data;
    const char *why = NULL;
    if (status == 0) {
        const redisReply *r = reply->type == REDIS_REPLY_ARRAY && reply->elements >= 1 ? reply->element[0] : reply;
        const char *what = r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS ? r->str : "";
        why = conflict_of(what);
        status = strcmp(what, "ok") == 0        ? 0
                 : strcmp(what, "missing") == 0 ? SG_ENOENT
                 : why != NULL                  ? SG_ECONFLICT
                                                : SG_EIO;
    }
    if (op->cancel_cb != NULL)
        op->cancel_cb(op->data, status, why);
    else if (op->cb != NULL)
        op->cb(op->data, status);
    free(op);
}

int sg_store_registration_cancel(struct sg_store *s, const char *code, const char *by, uint64_t now_ms,
                                 sg_store_cancel_cb cb, void *data)
{
    struct sg__key key;
    char now[24];
    snprintf(now, sizeof(now), "%llu", (unsigned long long)now_ms);
    const char *argv[] = {sg__key_reg(&key, &s->keys, code), by, now, s->keys.prefix};
    size_t lens[] = {strlen(argv[0]), strlen(by), strlen(now), s->keys.len};
    struct status_op *op = malloc(sizeof(*op));
    if (op == NULL)
        abort();
    *op = (struct status_op){NULL, cb, data};
    int ret = sg__store_eval(s, SG__SCRIPT_CANCEL, 1, 4, argv, lens, on_status, op);
    if (ret != 0)
        free(op);
    return ret;
}

int sg_store_registration_flag_checked(struct sg_store *s, const char *code, sg_store_status_cb cb, void *data)
{
    /* Rare: a plain EVAL keeps it out of the script table. */
    static const char script[] = "#!lua\n"
                                 "if redis.call('EXISTS', KEYS[1]) == 0 then return 'missing' end "
                                 "redis.call('HSET', KEYS[1], 'flag_checked', '1') return 'ok'";
    struct sg__key key;
    const char *argv[] = {"EVAL", script, "1", sg__key_reg(&key, &s->keys, code)};
    size_t lens[] = {4, sizeof(script) - 1, 1, strlen(argv[3])};
    struct status_op *op = malloc(sizeof(*op));
    if (op == NULL)
        abort();
    *op = (struct status_op){cb, NULL, data};
    int ret = sg__store_command(s, on_status, op, 4, argv, lens);
    if (ret != 0)
        free(op);
    return ret;
}
