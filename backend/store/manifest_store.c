/* SPDX-License-Identifier: MIT */
/* A vehicle's passenger list: the vehicle, its seats in order and each registration,
 * read in one script so that the list is one consistent moment. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "domain/err.h"
#include "store/codec.h"
#include "store/internal.h"
#include "store/transport.h"

struct manifest_op {
    struct sg_store *s;
    sg_store_manifest_cb cb;
    void *data;
};

static const char script[] =
    "local v = redis.call('HGETALL', KEYS[1]) if #v == 0 then return {} end "
    "local seats = redis.call('ZRANGE', KEYS[1] .. ':seats', 0, -1, 'WITHSCORES') local out = {v, seats} "
    "for i = 1, #seats, 2 do "
    "out[#out + 1] = redis.call('HMGET', 'sg:reg:' .. seats[i], 'village', 'data') "
    "out[#out + 1] = redis.call('SISMEMBER', KEYS[1] .. ':boarded', seats[i]) end return out";

static int entry_parse(struct sg_store *s, const redisReply *seat, const redisReply *code, const redisReply *reg,
                       const redisReply *boarded, struct sg_manifest_entry *e)
{
    if (code->len != SG_CODE_LEN || reg->type != REDIS_REPLY_ARRAY || reg->elements != 2 ||
        reg->element[0]->type != REDIS_REPLY_STRING || reg->element[1]->type != REDIS_REPLY_STRING)
        return SG_EIO;
    memcpy(e->code, code->str, SG_CODE_LEN + 1);
    e->seat = (uint32_t)strtoul(seat->str, NULL, 10);
    e->boarded = boarded->type == REDIS_REPLY_INTEGER && boarded->integer == 1;
    struct sg_stored_registration *sr = calloc(1, sizeof(*sr));
    if (sr == NULL)
        abort();
    int ret = sg__data_decode(sg__store_crypto(s), reg->element[1]->str, reg->element[1]->len, true, sr);
    e->reg = sr->reg;
    snprintf(e->reg.village, sizeof(e->reg.village), "%s", reg->element[0]->str);
    sodium_memzero(sr, sizeof(*sr));
    free(sr);
    return ret;
}

static void on_manifest(void *data, int status, redisReply *reply)
{
    struct manifest_op *op = data;
    struct sg_vehicle v;
    struct sg_manifest_entry *e = NULL;
    size_t n = 0;
    if (status == 0 && reply->type != REDIS_REPLY_ARRAY)
        status = SG_EIO;
    if (status == 0 && reply->elements == 0)
        status = SG_ENOENT;
    if (status == 0 && (reply->elements < 2 || !sg__vehicle_parse(reply->element[0], &v)))
        status = SG_EIO;
    if (status == 0) {
        const redisReply *seats = reply->element[1];
        n = seats->elements / 2;
        if (reply->elements != 2 + 2 * n)
            status = SG_EIO;
        else if ((e = calloc(n + 1, sizeof(*e))) == NULL)
            abort();
        for (size_t i = 0; status == 0 && i != n; ++i)
            status = entry_parse(op->s, seats->element[2 * i + 1], seats->element[2 * i], reply->element[2 + 2 * i],
                                 reply->element[3 + 2 * i], &e[i]);
    }
    op->cb(op->data, status, status == 0 ? &v : NULL, status == 0 ? e : NULL, status == 0 ? n : 0);
    if (e != NULL) {
        sodium_memzero(e, n * sizeof(*e));
        free(e);
    }
    free(op);
}

int sg_store_manifest(struct sg_store *s, const char *vehicle, sg_store_manifest_cb cb, void *data)
{
    char key[48];
    snprintf(key, sizeof(key), "sg:vehicle:%s", vehicle);
    const char *argv[] = {"EVAL", script, "1", key};
    size_t lens[] = {4, sizeof(script) - 1, 1, strlen(key)};
    struct manifest_op *op = malloc(sizeof(*op));
    if (op == NULL)
        abort();
    *op = (struct manifest_op){s, cb, data};
    int ret = sg__store_command(s, on_manifest, op, 4, argv, lens);
    if (ret != 0)
        free(op);
    return ret;
}
