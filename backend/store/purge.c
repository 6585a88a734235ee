/* SPDX-License-Identifier: MIT */
/* Deleting a campaign's data when its retention period is over, one batch per call. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "domain/err.h"
#include "store/internal.h"

#define PURGE_BATCH "500"

struct purge_op {
    sg_store_purge_cb cb;
    void *data;
};

static void on_purged(void *data, int status, redisReply *reply)
{
    struct purge_op *op = data;
    bool done = false;
    long long deleted = 0;
    if (status == 0) {
        if (reply->type == REDIS_REPLY_ARRAY && reply->elements == 2 && reply->element[0]->type == REDIS_REPLY_STRING &&
            reply->element[1]->type == REDIS_REPLY_INTEGER) {
            done = strcmp(reply->element[0]->str, "done") == 0;
            deleted = reply->element[1]->integer;
        } else {
            status = SG_EIO;
        }
    }
    op->cb(op->data, status, (size_t)deleted, done);
    free(op);
}

int sg_store_campaign_purge_step(struct sg_store *s, const char *campaign, sg_store_purge_cb cb, void *data)
{
    if (!sg_campaign_id_valid(campaign))
        return SG_EINVAL;
    struct purge_op *op = malloc(sizeof(*op));
    if (op == NULL)
        abort();
    *op = (struct purge_op){cb, data};
    struct sg__key keys[4];
    const char *argv[] = {sg__key_campaign(&keys[0], &s->keys, campaign, SG__KEY_BYPLACE),
                          sg__key_campaign(&keys[1], &s->keys, campaign, SG__KEY_CANCELLED),
                          sg__key_campaign(&keys[2], &s->keys, campaign, SG__KEY_VEHICLES),
                          sg__key_purge(&keys[3], &s->keys, campaign),
                          campaign,
                          PURGE_BATCH,
                          s->keys.prefix};
    size_t lens[7];
    for (size_t i = 0; i != 7; ++i)
        lens[i] = strlen(argv[i]);
    int ret = sg__store_eval_folded(s, SG__SCRIPT_PURGE, 4, 7, argv, lens, on_purged, op); /* none left behind */
    if (ret != 0)
        free(op);
    return ret;
}
