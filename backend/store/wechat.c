/* SPDX-License-Identifier: MIT */
/* The WeChat JS-SDK ticket, kept in Redis (sg:{P}:wechat:ticket) for every server thread
 * and instance: WeChat limits how often one may be fetched, and a new access token ends
 * the old one. Only keeps the text; fetching it is the HTTP layer's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "domain/err.h"
#include "store/internal.h"

struct ticket_op {
    sg_store_text_cb cb;
    void *data;
};

static void on_ticket(void *data, int status, redisReply *reply)
{
    struct ticket_op *op = data;
    if (status == 0 && reply->type == REDIS_REPLY_NIL)
        op->cb(op->data, SG_ENOENT, NULL);
    else if (status == 0 && reply->type == REDIS_REPLY_STRING)
        op->cb(op->data, 0, reply->str);
    else
        op->cb(op->data, status != 0 ? status : SG_EIO, NULL);
    free(op);
}

int sg_store_wechat_ticket_get(struct sg_store *s, sg_store_text_cb cb, void *data)
{
    struct sg__key key;
    const char *argv[] = {"GET", sg__key_global(&key, &s->keys, SG__KEY_WECHAT_TICKET)};
    size_t lens[] = {3, strlen(argv[1])};
    struct ticket_op *op = malloc(sizeof(*op));
    if (op == NULL)
        abort();
    *op = (struct ticket_op){cb, data};
    int ret = sg__store_command(s, on_ticket, op, 2, argv, lens);
    if (ret != 0)
        free(op);
    return ret;
}

static void on_set(void *data, int status, redisReply *reply)
{
    (void)data, (void)status, (void)reply; /* not kept: the next request fetches it again */
}

int sg_store_wechat_ticket_set(struct sg_store *s, const char *ticket, unsigned ttl_s)
{
    struct sg__key key;
    char ttl[16];
    snprintf(ttl, sizeof(ttl), "%u", ttl_s != 0 ? ttl_s : 1);
    const char *argv[] = {"SET", sg__key_global(&key, &s->keys, SG__KEY_WECHAT_TICKET), ticket, "EX", ttl};
    size_t lens[] = {3, strlen(argv[1]), strlen(ticket), 2, strlen(ttl)};
    return sg__store_command(s, on_set, NULL, 5, argv, lens);
}
