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
    const char *argv[] = {campaign, PURGE_BATCH};
    size_t lens[] = {strlen(campaign), strlen(PURGE_BATCH)};
    int ret = sg__store_eval(s, SG__SCRIPT_PURGE, 0, 2, argv, lens, on_purged, op);
    if (ret != 0)
        free(op);
    return ret;
}
