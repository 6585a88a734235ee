/* SPDX-License-Identifier: MIT */
/* What gets into the outbox (notify.h): the sync of what a vehicle's passengers were told,
 * a push's messages, and what staff see and do: opt-outs, dead letters, figures. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "domain/err.h"
#include "store/codec.h"
#include "store/internal.h"
#include "store/notify.h"

struct qop {
    sg_store_status_cb status_cb;
    sg_store_told_read_cb told_cb;
    sg_store_flags_cb flags_cb;
    sg_store_dead_cb dead_cb;
    sg_store_figures_cb figures_cb;
    void *data;
    size_t n;
};

static struct qop *qop_new(void *data)
{
    struct qop *op = calloc(1, sizeof(*op));
    if (op == NULL)
        abort();
    op->data = data;
    return op;
}

static void on_count(void *data, int status, redisReply *reply)
{
    struct qop *op = data;
    if (status == 0 && reply->type == REDIS_REPLY_INTEGER)
        status = reply->integer > 0x7fffffff ? 0x7fffffff : (int)reply->integer;
    else if (status == 0)
        status = SG_EIO;
    op->status_cb(op->data, status);
    free(op);
}

static void str_of(const redisReply *r, char *out, size_t size)
{
    snprintf(out, size, "%.*s", r->type == REDIS_REPLY_STRING ? (int)r->len : 0, r->str != NULL ? r->str : "");
}

static void read_passenger(const redisReply *r, struct sg_notify_passenger *p)
{
    char flag[4];
    redisReply **e = r->element;
    str_of(e[0], p->code, sizeof(p->code));
    str_of(e[1], flag, sizeof(flag)), p->on = flag[0] == '1';
    str_of(e[2], p->status, sizeof(p->status));
    str_of(e[3], p->village, sizeof(p->village));
    str_of(e[4], p->told, sizeof(p->told));
    str_of(e[5], flag, sizeof(flag)), p->reminded = flag[0] == '1';
    str_of(e[6], p->assigned, sizeof(p->assigned));
    str_of(e[7], flag, sizeof(flag)), p->sms = flag[0] == '1';
    str_of(e[8], p->phone, sizeof(p->phone));
    str_of(e[9], p->ph, sizeof(p->ph));
    str_of(e[10], p->masked, sizeof(p->masked));
}

static void on_vehicle_read(void *data, int status, redisReply *reply)
{
    struct qop *op = data;
    struct sg_vehicle *v = calloc(1, sizeof(*v));
    struct sg_notify_passenger *ps = NULL;
    size_t n = 0;
    if (v == NULL)
        abort();
    if (status == 0 && (reply->type != REDIS_REPLY_ARRAY || reply->elements != 2))
        status = SG_EIO;
    if (status == 0 && !sg__vehicle_parse(reply->element[0], v))
        status = SG_ENOENT;
    const redisReply *rows = status == 0 ? reply->element[1] : NULL;
    if (rows != NULL && rows->elements != 0 && (ps = calloc(rows->elements, sizeof(*ps))) == NULL)
        abort();
    for (size_t i = 0; rows != NULL && i != rows->elements; ++i)
        if (rows->element[i]->type == REDIS_REPLY_ARRAY && rows->element[i]->elements == 11)
            read_passenger(rows->element[i], &ps[n++]);
    op->told_cb(op->data, status, status == 0 ? v : NULL, ps, n);
    if (ps != NULL)
        sodium_memzero(ps, n * sizeof(*ps));
    free(ps);
    free(v);
    free(op);
}

int sg_store_notify_vehicle_read(struct sg_store *s, const char *vehicle, sg_store_told_read_cb cb, void *data)
{
    struct sg__key v, seats, told;
    const char *argv[] = {sg__key_vehicle(&v, &s->keys, vehicle), sg__key_vehicle_seats(&seats, &s->keys, vehicle),
                          sg__key_notify_told(&told, &s->keys, vehicle), s->keys.prefix};
    size_t lens[4];
    for (size_t i = 0; i != 4; ++i)
        lens[i] = strlen(argv[i]);
    struct qop *op = qop_new(data);
    op->told_cb = cb;
    int ret = sg__store_eval(s, SG__SCRIPT_NOTIFY_VEHICLE, 3, 4, argv, lens, on_vehicle_read, op);
    if (ret != 0)
        free(op);
    return ret;
}

/* argv and lens of a script call with nfixed leading values and per values per item (heap). */
struct args {
    const char **v;
    size_t *len, n;
};

static void args_init(struct args *a, size_t cap)
{
    a->v = malloc(cap * sizeof(*a->v));
    a->len = malloc(cap * sizeof(*a->len));
    a->n = 0;
    if (a->v == NULL || a->len == NULL)
        abort();
}

static void arg(struct args *a, const char *s)
{
    a->v[a->n] = s;
    a->len[a->n++] = strlen(s);
}

static void args_free(struct args *a)
{
    free(a->v);
    free(a->len);
}

int sg_store_notify_told(struct sg_store *s, const char *vehicle, const char *event, const struct sg_notify_tell *t,
                         size_t n, uint64_t now_ms, sg_store_status_cb cb, void *data)
{
    struct sg__key next, outbox, told, events;
    struct args a;
    char now[24];
    snprintf(now, sizeof(now), "%llu", (unsigned long long)now_ms);
    args_init(&a, 9 + 10 * n);
    arg(&a, sg__key_global(&next, &s->keys, SG__KEY_NOTIFY_NEXT));
    arg(&a, sg__key_global(&outbox, &s->keys, SG__KEY_NOTIFY_OUTBOX));
    arg(&a, sg__key_notify_told(&told, &s->keys, vehicle));
    arg(&a, sg__key_global(&events, &s->keys, SG__KEY_NOTIFY_EVENTS));
    arg(&a, s->keys.prefix), arg(&a, vehicle), arg(&a, now), arg(&a, event != NULL ? event : ""),
        arg(&a, SG_NOTIFY_GROUP);
    for (size_t i = 0; i != n; ++i) {
        const struct sg_notify_tell *x = &t[i];
        bool send = x->kind[0] != '\0' && x->p->sms;
        arg(&a, x->p->code), arg(&a, x->p->told), arg(&a, x->now), arg(&a, x->kind);
        arg(&a, x->reminder ? "1" : ""), arg(&a, send ? x->p->phone : ""), arg(&a, x->p->ph);
        arg(&a, x->p->masked), arg(&a, x->p->village), arg(&a, x->params);
    }
    struct qop *op = qop_new(data);
    op->status_cb = cb;
    int ret = sg__store_eval(s, SG__SCRIPT_NOTIFY_TOLD, 4, (int)a.n, a.v, a.len, on_count, op);
    if (ret != 0)
        free(op);
    args_free(&a);
    return ret;
}

int sg_store_notify_push_enqueue(struct sg_store *s, const char *push, const char *kind, const char *params,
                                 const char *event, const struct sg_notify_recipient *r, size_t n, uint64_t now_ms,
                                 sg_store_status_cb cb, void *data)
{
    struct sg__key next, outbox, phones, pkey, events;
    struct args a;
    char now[24];
    snprintf(now, sizeof(now), "%llu", (unsigned long long)now_ms);
    args_init(&a, 12 + 5 * n);
    arg(&a, sg__key_global(&next, &s->keys, SG__KEY_NOTIFY_NEXT));
    arg(&a, sg__key_global(&outbox, &s->keys, SG__KEY_NOTIFY_OUTBOX));
    arg(&a, sg__key_push_phones(&phones, &s->keys, push));
    arg(&a, sg__key_push(&pkey, &s->keys, push));
    arg(&a, sg__key_global(&events, &s->keys, SG__KEY_NOTIFY_EVENTS));
    arg(&a, s->keys.prefix), arg(&a, push), arg(&a, kind), arg(&a, params), arg(&a, now);
    arg(&a, event != NULL ? event : ""), arg(&a, SG_NOTIFY_GROUP);
    for (size_t i = 0; i != n; ++i)
        arg(&a, r[i].phone), arg(&a, r[i].ph), arg(&a, r[i].masked), arg(&a, r[i].village), arg(&a, r[i].code);
    struct qop *op = qop_new(data);
    op->status_cb = cb;
    int ret = sg__store_eval(s, SG__SCRIPT_NOTIFY_ENQUEUE, 5, (int)a.n, a.v, a.len, on_count, op);
    if (ret != 0)
        free(op);
    args_free(&a);
    return ret;
}

/* ---- opt-outs, dead letters, figures ------------------------------------------------------ */

void sg_store_phone_hash(struct sg_store *s, const char *phone, char out[SG_CRYPTO_HASH_HEX])
{
    sg__phone_hash(s->crypto, phone, out);
}

int sg_store_phone_open(struct sg_store *s, const char *sealed, char out[12])
{
    return sg_crypto_open(s->crypto, sealed, strlen(sealed), out, 12) == 0 && strlen(out) == 11 ? 0 : SG_EINVAL;
}

static int plain(struct sg_store *s, struct qop *op, sg__redis_cb cb, int argc, const char **argv)
{
    size_t lens[8];
    for (int i = 0; i != argc; ++i)
        lens[i] = strlen(argv[i]);
    int ret = sg__store_command(s, cb, op, argc, argv, lens);
    if (ret != 0)
        free(op);
    return ret;
}

static void on_set(void *data, int status, redisReply *reply)
{
    struct qop *op = data;
    if (status == 0)
        status = reply->type == REDIS_REPLY_STATUS ? 1 : reply->type == REDIS_REPLY_NIL ? 0 : SG_EIO;
    op->status_cb(op->data, status);
    free(op);
}

int sg_store_notify_once(struct sg_store *s, const char *date, sg_store_status_cb cb, void *data)
{
    struct sg__key k;
    const char *argv[] = {"SET", sg__key_notify_reminders(&k, &s->keys, date), "1", "NX", "EX", "172800"};
    struct qop *op = qop_new(data);
    op->status_cb = cb;
    return plain(s, op, on_set, 6, argv);
}

int sg_store_notify_optout(struct sg_store *s, const char *ph, sg_store_status_cb cb, void *data)
{
    struct sg__key k;
    const char *argv[] = {"SADD", sg__key_global(&k, &s->keys, SG__KEY_NOTIFY_OPTOUT), ph};
    struct qop *op = qop_new(data);
    op->status_cb = cb;
    return plain(s, op, on_count, 3, argv);
}

static void on_flags(void *data, int status, redisReply *reply)
{
    struct qop *op = data;
    bool *flags = calloc(op->n + 1, sizeof(*flags));
    if (flags == NULL)
        abort();
    if (status == 0 && (reply->type != REDIS_REPLY_ARRAY || reply->elements != op->n))
        status = SG_EIO;
    for (size_t i = 0; status == 0 && i != op->n; ++i)
        flags[i] = reply->element[i]->type == REDIS_REPLY_INTEGER && reply->element[i]->integer == 1;
    op->flags_cb(op->data, status, flags, op->n);
    free(flags);
    free(op);
}

int sg_store_notify_optouts(struct sg_store *s, const char *const *phs, size_t n, sg_store_flags_cb cb, void *data)
{
    struct sg__key k;
    struct args a;
    if (n == 0) { /* nothing to ask Redis */
        cb(data, 0, NULL, 0);
        return 0;
    }
    args_init(&a, n + 2);
    arg(&a, "SMISMEMBER"), arg(&a, sg__key_global(&k, &s->keys, SG__KEY_NOTIFY_OPTOUT));
    for (size_t i = 0; i != n; ++i)
        arg(&a, phs[i]);
    struct qop *op = qop_new(data);
    op->flags_cb = cb, op->n = n;
    int ret = sg__store_command(s, on_flags, op, (int)a.n, a.v, a.len);
    if (ret != 0)
        free(op);
    args_free(&a);
    return ret;
}

static void read_dead(const redisReply *r, struct sg_notify_dead *d)
{
    for (size_t i = 0; r->type == REDIS_REPLY_ARRAY && i + 1 < r->elements; i += 2) {
        const char *k = r->element[i]->str != NULL ? r->element[i]->str : "";
        const redisReply *v = r->element[i + 1];
        if (strcmp(k, "mid") == 0)
            str_of(v, d->mid, sizeof(d->mid));
        else if (strcmp(k, "scope") == 0)
            str_of(v, d->scope, sizeof(d->scope));
        else if (strcmp(k, "code") == 0)
            str_of(v, d->code, sizeof(d->code));
        else if (strcmp(k, "kind") == 0)
            str_of(v, d->kind, sizeof(d->kind));
        else if (strcmp(k, "pm") == 0)
            str_of(v, d->masked, sizeof(d->masked));
        else if (strcmp(k, "last_error") == 0)
            str_of(v, d->error, sizeof(d->error));
        else if (strcmp(k, "push") == 0)
            str_of(v, d->push, sizeof(d->push));
        else if (strcmp(k, "vehicle") == 0)
            str_of(v, d->vehicle, sizeof(d->vehicle));
        else if (strcmp(k, "dead_at") == 0 && v->str != NULL)
            d->dead_ms = strtoull(v->str, NULL, 10);
        else if (strcmp(k, "attempts") == 0 && v->str != NULL)
            d->attempts = (unsigned)strtoul(v->str, NULL, 10);
    }
}

static void on_dead(void *data, int status, redisReply *reply)
{
    struct qop *op = data;
    struct sg_notify_dead *d = NULL;
    size_t n = 0;
    if (status == 0 && reply->type != REDIS_REPLY_ARRAY)
        status = SG_EIO;
    if (status == 0 && reply->elements != 0 && (d = calloc(reply->elements, sizeof(*d))) == NULL)
        abort();
    for (size_t i = 0; status == 0 && i != reply->elements; ++i) {
        read_dead(reply->element[i], &d[n]);
        n += d[n].mid[0] != '\0';
    }
    op->dead_cb(op->data, status, d, n);
    free(d);
    free(op);
}

int sg_store_notify_dead_list(struct sg_store *s, const char *scope, sg_store_dead_cb cb, void *data)
{
    /* KEYS[1] the dead letters  ARGV[1] scope  ARGV[2] the message key prefix (keys from the set's members) */
    static const char script[] =
        "#!lua flags=no-writes\n"
        "local out = {} for i, m in ipairs(redis.call('ZRANGEBYLEX', KEYS[1], '[' .. ARGV[1], '(' .. ARGV[1] .. "
        "'\\255', 'LIMIT', 0, 500)) do out[i] = redis.call('HGETALL', ARGV[2] .. string.match(m, ':(%d+)$')) end "
        "return out";
    struct sg__key dead, prefix;
    const char *argv[] = {"EVAL", script,
                          "1",    sg__key_global(&dead, &s->keys, SG__KEY_NOTIFY_DEAD),
                          scope,  sg__key_notify_msg(&prefix, &s->keys, "")};
    struct qop *op = qop_new(data);
    op->dead_cb = cb;
    return plain(s, op, on_dead, 6, argv);
}

static void on_revived(void *data, int status)
{
    struct qop *op = data;
    op->status_cb(op->data, status == 0 ? SG_ENOENT : status > 0 ? 0 : status);
    free(op);
}

int sg_store_notify_revive(struct sg_store *s, const char *scope, const char *mid, sg_store_status_cb cb, void *data)
{
    struct sg__key dead, outbox, msg;
    char member[48];
    snprintf(member, sizeof(member), "%s:%s", scope, mid);
    const char *argv[] = {sg__key_global(&dead, &s->keys, SG__KEY_NOTIFY_DEAD),
                          sg__key_global(&outbox, &s->keys, SG__KEY_NOTIFY_OUTBOX),
                          sg__key_notify_msg(&msg, &s->keys, mid), member, mid};
    size_t lens[5];
    for (size_t i = 0; i != 5; ++i)
        lens[i] = strlen(argv[i]);
    struct qop *wrap = qop_new(data), *op = qop_new(wrap);
    wrap->status_cb = cb;
    op->status_cb = on_revived;
    int ret = sg__store_eval(s, SG__SCRIPT_NOTIFY_REVIVE, 3, 5, argv, lens, on_count, op);
    if (ret != 0)
        free(op), free(wrap);
    return ret;
}

static void on_figures(void *data, int status, redisReply *reply)
{
    struct qop *op = data;
    struct sg_notify_figures f = {0};
    long long *slots[] = {&f.events, &f.outbox, &f.delayed, &f.dead, &f.optouts};
    if (status == 0 && (reply->type != REDIS_REPLY_ARRAY || reply->elements != 5))
        status = SG_EIO;
    for (size_t i = 0; status == 0 && i != 5; ++i)
        *slots[i] = reply->element[i]->type == REDIS_REPLY_INTEGER ? reply->element[i]->integer : 0;
    op->figures_cb(op->data, status, status == 0 ? &f : NULL);
    free(op);
}

int sg_store_notify_figures(struct sg_store *s, sg_store_figures_cb cb, void *data)
{
    /* KEYS: events, outbox, delayed, dead, opt-outs */
    static const char script[] = "#!lua flags=no-writes\n"
                                 "return {redis.call('XLEN', KEYS[1]), redis.call('XLEN', KEYS[2]), "
                                 "redis.call('ZCARD', KEYS[3]), redis.call('ZCARD', KEYS[4]), redis.call('SCARD', "
                                 "KEYS[5])}";
    struct sg__key k[5];
    const char *argv[] = {"EVAL",
                          script,
                          "5",
                          sg__key_global(&k[0], &s->keys, SG__KEY_NOTIFY_EVENTS),
                          sg__key_global(&k[1], &s->keys, SG__KEY_NOTIFY_OUTBOX),
                          sg__key_global(&k[2], &s->keys, SG__KEY_NOTIFY_DELAYED),
                          sg__key_global(&k[3], &s->keys, SG__KEY_NOTIFY_DEAD),
                          sg__key_global(&k[4], &s->keys, SG__KEY_NOTIFY_OPTOUT)};
    struct qop *op = qop_new(data);
    op->figures_cb = cb;
    return plain(s, op, on_figures, 8, argv);
}
