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

/* KEYS[1] sg:{P}:vehicle:{id}  KEYS[2] its :seats  KEYS[3] its :boarded
 * ARGV[1] the registration key prefix sg:{P}:reg: (the codes come from the seat list; their
 * keys are in the hash slot of the prefix's tag, as KEYS)  ARGV[2] the vehicle id
 * Each passenger: {village, data, no-show on this vehicle '1' or ''}, then 1 when checked in. */
static const char script[] = "#!lua flags=no-writes\n"
                             "local v = redis.call('HGETALL', KEYS[1]) if #v == 0 then return {} end "
                             "local seats = redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES') local out = {v, seats} "
                             "for i = 1, #seats, 2 do "
                             "local r = redis.call('HMGET', ARGV[1] .. seats[i], 'village', 'data', 'no_show') "
                             "r[3] = r[3] == ARGV[2] and '1' or '' out[#out + 1] = r "
                             "out[#out + 1] = redis.call('SISMEMBER', KEYS[3], seats[i]) end return out";

static int entry_parse(struct sg_store *s, const redisReply *seat, const redisReply *code, const redisReply *reg,
                       const redisReply *boarded, struct sg_manifest_entry *e)
{
    if (code->len != SG_CODE_LEN || reg->type != REDIS_REPLY_ARRAY || reg->elements != 3 ||
        reg->element[0]->type != REDIS_REPLY_STRING || reg->element[1]->type != REDIS_REPLY_STRING ||
        reg->element[2]->type != REDIS_REPLY_STRING)
        return SG_EIO;
    memcpy(e->code, code->str, SG_CODE_LEN + 1);
    e->seat = (uint32_t)strtoul(seat->str, NULL, 10);
    e->boarded = boarded->type == REDIS_REPLY_INTEGER && boarded->integer == 1;
    e->no_show = reg->element[2]->str[0] == '1';
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
    struct sg__key keys[4];
    const char *argv[] = {"EVAL",
                          script,
                          "3",
                          sg__key_vehicle(&keys[0], &s->keys, vehicle),
                          sg__key_vehicle_seats(&keys[1], &s->keys, vehicle),
                          sg__key_vehicle_boarded(&keys[2], &s->keys, vehicle),
                          sg__key_reg(&keys[3], &s->keys, ""),
                          vehicle};
    size_t lens[8];
    for (size_t i = 0; i != 8; ++i)
        lens[i] = strlen(argv[i]);
    struct manifest_op *op = malloc(sizeof(*op));
    if (op == NULL)
        abort();
    *op = (struct manifest_op){s, cb, data};
    int ret = sg__store_command(s, on_manifest, op, 8, argv, lens);
    if (ret != 0)
        free(op);
    return ret;
}
