/* SPDX-License-Identifier: MIT */
/* Boarding check-in: tokens derived from the registration code with the store's keyed
 * hash, and the script that marks a passenger boarded. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "domain/code.h"
#include "domain/err.h"
#include "store/internal.h"
#include "store/transport.h"

void sg_store_checkin_token(struct sg_store *s, const char *code, char out[SG_CHECKIN_TOKEN_LEN + 1])
{
    char plain[32], mac[SG_CRYPTO_HASH_HEX];
    snprintf(plain, sizeof(plain), "checkin:%.8s", code);
    sg_crypto_hash(sg__store_crypto(s), plain, mac);
    snprintf(out, SG_CHECKIN_TOKEN_LEN + 1, "%.8s%.20s", code, mac);
}

bool sg_store_checkin_token_open(struct sg_store *s, const char *token, char code[SG_CODE_LEN + 1])
{
    char want[SG_CHECKIN_TOKEN_LEN + 1], typed[SG_CODE_LEN + 1];
    if (strlen(token) != SG_CHECKIN_TOKEN_LEN)
        return false;
    memcpy(typed, token, SG_CODE_LEN);
    typed[SG_CODE_LEN] = '\0';
    if (sg_code_normalize(typed, code) != 0 || strcmp(typed, code) != 0)
        return false;
    sg_store_checkin_token(s, code, want);
    return sodium_memcmp(want, token, SG_CHECKIN_TOKEN_LEN) == 0;
}

struct checkin_op {
    sg_store_checkin_cb cb;
    void *data;
};

static void on_checked_in(void *data, int status, redisReply *reply)
{
    struct checkin_op *op = data;
    const char *why = NULL;
    bool again = false;
    if (status == 0 && (reply->type != REDIS_REPLY_ARRAY || reply->elements == 0))
        status = SG_EIO;
    if (status == 0) {
        const char *what = reply->element[0]->str;
        if (strcmp(what, "again") == 0)
            again = true;
        else if (strcmp(what, "missing") == 0)
            status = SG_ENOENT;
        else if (strcmp(what, "ok") != 0)
            status = SG_EINVAL, why = strcmp(what, "closed") == 0 ? "vehicle_closed" : "wrong_vehicle";
    }
    op->cb(op->data, status, again, why);
    free(op);
}

int sg_store_checkin(struct sg_store *s, const char *code, const char *vehicle, sg_store_checkin_cb cb, void *data)
{
    struct sg__key keys[3];
    const char *argv[] = {sg__key_reg(&keys[0], &s->keys, code),
                          sg__key_vehicle(&keys[1], &s->keys, vehicle),
                          sg__key_vehicle_boarded(&keys[2], &s->keys, vehicle),
                          code,
                          vehicle,
                          s->keys.prefix};
    size_t lens[6];
    for (size_t i = 0; i != 6; ++i)
        lens[i] = strlen(argv[i]);
    struct checkin_op *op = malloc(sizeof(*op));
    if (op == NULL)
        abort();
    *op = (struct checkin_op){cb, data};
    int ret = sg__store_eval(s, SG__SCRIPT_CHECKIN, 3, 6, argv, lens, on_checked_in, op);
    if (ret != 0)
        free(op);
    return ret;
}
