/* SPDX-License-Identifier: MIT */
/* Attempt limits: counters in Redis (limit.lua) checked and counted in one step before an
 * attempt is made, so parallel attempts cannot slip past a limit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "domain/err.h"
#include "store/internal.h"

struct limit_op {
    sg_store_limit_cb cb;
    void *data;
};

static void on_limit(void *data, int status, redisReply *reply)
{
    struct limit_op *op = data;
    size_t which = 0;
    long long ttl = 0;
    if (status == 0 &&
        (reply->type != REDIS_REPLY_ARRAY || reply->elements != 2 || reply->element[0]->type != REDIS_REPLY_INTEGER ||
         reply->element[1]->type != REDIS_REPLY_INTEGER))
        status = SG_EIO;
    if (status == 0) {
        which = (size_t)reply->element[0]->integer;
        ttl = reply->element[1]->integer;
    }
    if (op->cb != NULL)
        op->cb(op->data, status, which, ttl > 0 ? (unsigned)((ttl + 999) / 1000) : 1);
    free(op);
}

static int call(struct sg_store *s, const char *mode, const struct sg_limit *limits, size_t n, sg_store_limit_cb cb,
                void *data)
{
    if (n == 0 || n > SG_STORE_LIMITS_MAX)
        return SG_EINVAL;
    struct sg__key keys[SG_STORE_LIMITS_MAX];
    char nums[SG_STORE_LIMITS_MAX][2][24];
    const char *argv[SG_STORE_LIMITS_MAX * 3 + 1];
    size_t lens[SG_STORE_LIMITS_MAX * 3 + 1];
    for (size_t i = 0; i != n; ++i) {
        argv[i] = sg__key_limit(&keys[i], &s->keys, limits[i].kind, limits[i].subject);
        snprintf(nums[i][0], sizeof(nums[i][0]), "%u", limits[i].count);
        snprintf(nums[i][1], sizeof(nums[i][1]), "%llu", (unsigned long long)limits[i].window_s * 1000);
        argv[n + 1 + 2 * i] = nums[i][0];
        argv[n + 2 + 2 * i] = nums[i][1];
    }
    argv[n] = mode;
    size_t argc = 3 * n + 1;
    for (size_t i = 0; i != argc; ++i)
        lens[i] = strlen(argv[i]);
    struct limit_op *op = malloc(sizeof(*op));
    if (op == NULL)
        abort();
    *op = (struct limit_op){cb, data};
    int ret = sg__store_eval(s, SG__SCRIPT_LIMIT, (int)n, (int)argc, argv, lens, on_limit, op);
    if (ret != 0)
        free(op);
    return ret;
}

int sg_store_limit_take(struct sg_store *s, const struct sg_limit *limits, size_t n, sg_store_limit_cb cb, void *data)
{
    return call(s, "take", limits, n, cb, data);
}

void sg_store_limit_give(struct sg_store *s, const struct sg_limit *limits, size_t n)
{
    if (call(s, "give", limits, n, NULL, NULL) != 0)
        fprintf(stderr, "songgong: an attempt could not be given back (Redis unavailable)\n");
}

void sg_store_limit_forgive(struct sg_store *s, const struct sg_limit *limits, size_t n)
{
    if (call(s, "forgive", limits, n, NULL, NULL) != 0)
        fprintf(stderr, "songgong: attempts could not be forgiven (Redis unavailable)\n");
}
