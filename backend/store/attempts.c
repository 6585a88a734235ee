/* SPDX-License-Identifier: MIT */
/* Attempt limits kept in Redis (sg:{P}:attempts:{kind}:{who}): a try is counted before
 * it is judged (attempt.lua), a right answer forgets the count. The HTTP layer decides
 * what is limited, by whom and how much; this file only counts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "domain/err.h"
#include "store/internal.h"

struct attempt_op {
    sg_store_attempt_cb cb;
    void *data;
};

static void on_attempt(void *data, int status, redisReply *reply)
{
    struct attempt_op *op = data;
    bool allowed = false;
    long long wait = 0;
    if (status == 0 &&
        (reply->type != REDIS_REPLY_ARRAY || reply->elements != 2 || reply->element[0]->type != REDIS_REPLY_INTEGER ||
         reply->element[1]->type != REDIS_REPLY_INTEGER))
        status = SG_EIO;
    if (status == 0) {
        allowed = reply->element[0]->integer == 1;
        wait = reply->element[1]->integer;
    }
    op->cb(op->data, status, allowed, wait > 0 ? (unsigned)wait : 0);
    free(op);
}

int sg_store_attempt(struct sg_store *s, const char *kind, const char *who, unsigned max, unsigned window_s,
                     sg_store_attempt_cb cb, void *data)
{
    struct sg__key key;
    char maxs[16], windows[16];
    snprintf(maxs, sizeof(maxs), "%u", max);
    snprintf(windows, sizeof(windows), "%u", window_s);
    const char *argv[] = {sg__key_attempts(&key, &s->keys, kind, who), maxs, windows};
    size_t lens[] = {strlen(argv[0]), strlen(maxs), strlen(windows)};
    struct attempt_op *op = malloc(sizeof(*op));
    if (op == NULL)
        abort();
    *op = (struct attempt_op){cb, data};
    int ret = sg__store_eval(s, SG__SCRIPT_ATTEMPT, 1, 3, argv, lens, on_attempt, op);
    if (ret != 0)
        free(op);
    return ret;
}

static void on_cleared(void *data, int status, redisReply *reply)
{
    (void)data, (void)status, (void)reply; /* a count left behind ends with its window */
}

int sg_store_attempts_clear(struct sg_store *s, const char *kind, const char *who)
{
    struct sg__key key;
    const char *argv[] = {"DEL", sg__key_attempts(&key, &s->keys, kind, who)};
    size_t lens[] = {3, strlen(argv[1])};
    return sg__store_command(s, on_cleared, NULL, 2, argv, lens);
}

_Static_assert(SG_STORE_HASH_HEX == SG_CRYPTO_HASH_HEX, "one size for the keyed hash");

void sg_store_idno_hash(struct sg_store *s, const char *id_number, char out[SG_STORE_HASH_HEX])
{
    sg_crypto_hash(s->crypto, id_number, out);
}
