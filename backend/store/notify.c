/* SPDX-License-Identifier: MIT */
/* Notifications in Redis (notify.h): the events and outbox streams with one consumer
 * group, the scripts that take, finish and retry a message, the sync of what a vehicle's
 * passengers were told, push messages, opt-outs and dead letters. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "domain/err.h"
#include "store/codec.h"
#include "store/internal.h"
#include "store/notify.h"

struct op {
    struct sg_store *s;
    sg_store_status_cb status_cb;
    sg_store_entries_cb entries_cb;
    sg_store_msg_cb msg_cb;
    sg_store_told_read_cb told_cb;
    sg_store_flags_cb flags_cb;
    sg_store_dead_cb dead_cb;
    sg_store_figures_cb figures_cb;
    void *data;
    enum sg_notify_stream stream;
    char consumer[64];
    size_t count;
    unsigned idle_ms;
    char mid[24];
};

static struct op *op_new(struct sg_store *s, void *data)
{
    struct op *op = calloc(1, sizeof(*op));
    if (op == NULL)
        abort();
    op->s = s, op->data = data;
    return op;
}

static const char *stream_key(struct sg_store *s, enum sg_notify_stream st, struct sg__key *k)
{
    return sg__key_global(k, &s->keys, st == SG_NOTIFY_EVENTS ? SG__KEY_NOTIFY_EVENTS : SG__KEY_NOTIFY_OUTBOX);
}

static int command(struct sg_store *s, sg__redis_cb cb, struct op *op, int argc, const char **argv)
{
    size_t lens[24];
    for (int i = 0; i != argc; ++i)
        lens[i] = strlen(argv[i]);
    int ret = sg__store_command(s, cb, op, argc, argv, lens);
    if (ret != 0)
        free(op);
    return ret;
}

static int eval(struct sg_store *s, enum sg__script_id id, int nkeys, int argc, const char **argv, size_t *lens,
                sg__redis_cb cb, struct op *op)
{
    size_t own[32];
    if (lens == NULL) {
        for (int i = 0; i != argc; ++i)
            own[i] = strlen(argv[i]);
        lens = own;
    }
    int ret = sg__store_eval(s, id, nkeys, argc, argv, lens, cb, op);
    if (ret != 0)
        free(op);
    return ret;
}

/* A status answer: integers become the status (>= 0), "dead" 1, other strings 0, errors SG_EIO. */
static void on_status(void *data, int status, redisReply *reply)
{
    struct op *op = data;
    if (status == 0 && reply->type == REDIS_REPLY_ERROR)
        status = strstr(reply->str, "BUSYGROUP") != NULL ? 0 : SG_EIO;
    else if (status == 0 && reply->type == REDIS_REPLY_INTEGER)
        status = reply->integer > 0x7fffffff ? 0x7fffffff : (int)reply->integer;
    else if (status == 0 && reply->type == REDIS_REPLY_STRING)
        status = strcmp(reply->str, "dead") == 0;
    if (op->status_cb != NULL)
        op->status_cb(op->data, status);
    free(op);
}

void sg_store_notify_vehicle(struct sg_store *s, const char *vehicle, const char *why)
{
    struct sg__key k;
    const char *argv[] = {
        "XADD", sg__key_global(&k, &s->keys, SG__KEY_NOTIFY_EVENTS), "*", "kind", "vehicle", "id", vehicle, "why", why};
    command(s, on_status, op_new(s, NULL), 9, argv);
}

void sg_store_notify_vehicles(struct sg_store *s, const char *const *ids, size_t n, const char *why)
{
    static const char script[] = "#!lua\nfor i = 2, #ARGV do "
                                 "redis.call('XADD', KEYS[1], '*', 'kind', 'vehicle', 'id', ARGV[i], 'why', ARGV[1]) "
                                 "end return #ARGV - 1";
    struct sg__key k;
    size_t argc = 5 + n;
    const char **argv = malloc(argc * sizeof(*argv));
    size_t *lens = malloc(argc * sizeof(*lens));
    if (argv == NULL || lens == NULL)
        abort();
    argv[0] = "EVAL", argv[1] = script, argv[2] = "1", argv[3] = sg__key_global(&k, &s->keys, SG__KEY_NOTIFY_EVENTS);
    argv[4] = why;
    memcpy(argv + 5, ids, n * sizeof(*argv));
    for (size_t i = 0; i != argc; ++i)
        lens[i] = strlen(argv[i]);
    struct op *op = op_new(s, NULL);
    if (sg__store_command(s, on_status, op, (int)argc, argv, lens) != 0)
        free(op);
    free(argv);
    free(lens);
}

int sg_store_notify_remind(struct sg_store *s, const char *vehicle, sg_store_status_cb cb, void *data)
{
    struct sg__key k;
    const char *argv[] = {"XADD", sg__key_global(&k, &s->keys, SG__KEY_NOTIFY_EVENTS), "*", "kind", "remind", "id",
                          vehicle};
    struct op *op = op_new(s, data);
    op->status_cb = cb;
    return command(s, on_status, op, 7, argv);
}

struct setup {
    sg_store_status_cb cb;
    void *data;
    int left, status;
};

static void on_group(void *data, int status)
{
    struct setup *st = data;
    if (status < 0 && st->status == 0)
        st->status = status;
    if (--st->left == 0) {
        st->cb(st->data, st->status);
        free(st);
    }
}

int sg_store_notify_setup(struct sg_store *s, sg_store_status_cb cb, void *data)
{
    struct setup *st = calloc(1, sizeof(*st));
    if (st == NULL)
        abort();
    *st = (struct setup){cb, data, 2, 0};
    for (int i = 0; i != 2; ++i) {
        struct sg__key k;
        const char *argv[] = {"XGROUP",        "CREATE", stream_key(s, (enum sg_notify_stream)i, &k),
                              SG_NOTIFY_GROUP, "0",      "MKSTREAM"};
        struct op *op = op_new(s, st);
        op->status_cb = on_group;
        int ret = command(s, on_status, op, 6, argv);
        if (ret != 0) {
            if (i == 0) {
                free(st);
                return ret;
            }
            on_group(st, ret);
        }
    }
    return 0;
}

/* ---- reading the streams -------------------------------------------------------------------- */

static void read_entry(const redisReply *e, struct sg_notify_entry *out)
{
    memset(out, 0, sizeof(*out));
    if (e->type != REDIS_REPLY_ARRAY || e->elements != 2 || e->element[0]->type != REDIS_REPLY_STRING)
        return;
    snprintf(out->id, sizeof(out->id), "%s", e->element[0]->str);
    const redisReply *f = e->element[1];
    for (size_t i = 0; f->type == REDIS_REPLY_ARRAY && i + 1 < f->elements; i += 2) {
        const char *k = f->element[i]->str != NULL ? f->element[i]->str : "";
        const char *v = f->element[i + 1]->str != NULL ? f->element[i + 1]->str : "";
        if (strcmp(k, "kind") == 0)
            snprintf(out->kind, sizeof(out->kind), "%s", v);
        else if (strcmp(k, "id") == 0 || strcmp(k, "mid") == 0)
            snprintf(out->ref, sizeof(out->ref), "%s", v);
    }
}

/* Entries of an XREADGROUP ([[stream, [entries]]]) or XAUTOCLAIM ([cursor, [entries], ...]) answer. */
static const redisReply *entries_of(const redisReply *r, bool claim)
{
    if (r->type != REDIS_REPLY_ARRAY || r->elements < (claim ? 2u : 1u))
        return NULL;
    if (claim)
        return r->element[1];
    const redisReply *s = r->element[0];
    return s->type == REDIS_REPLY_ARRAY && s->elements == 2 ? s->element[1] : NULL;
}

static int read_new(struct op *op);

static void on_entries(void *data, int status, redisReply *reply, bool claim)
{
    struct op *op = data;
    const redisReply *list = status == 0 ? entries_of(reply, claim) : NULL;
    size_t n = 0, total = list != NULL && list->type == REDIS_REPLY_ARRAY ? list->elements : 0;
    if (status == 0 && reply->type == REDIS_REPLY_ERROR)
        status = SG_EIO;
    if (claim && status == 0 && total == 0) { /* nothing stuck: read new ones */
        if (read_new(op) != 0)
            op->entries_cb(op->data, SG_EUNAVAIL, NULL, 0);
        return;
    }
    struct sg_notify_entry *es = total != 0 ? calloc(total, sizeof(*es)) : NULL;
    for (size_t i = 0; i != total; ++i) {
        read_entry(list->element[i], &es[n]);
        n += es[n].id[0] != '\0';
    }
    op->entries_cb(op->data, status, es, n);
    free(es);
    free(op);
}

static void on_claimed(void *data, int status, redisReply *reply)
{
    on_entries(data, status, reply, true);
}

static void on_read(void *data, int status, redisReply *reply)
{
    on_entries(data, status, reply, false);
}

static int read_new(struct op *op)
{
    struct sg__key k;
    char count[16];
    snprintf(count, sizeof(count), "%zu", op->count);
    const char *argv[] = {"XREADGROUP", "GROUP", SG_NOTIFY_GROUP, op->consumer,
                          "COUNT",      count,   "STREAMS",       stream_key(op->s, op->stream, &k),
                          ">"};
    size_t lens[9];
    for (int i = 0; i != 9; ++i)
        lens[i] = strlen(argv[i]);
    int ret = sg__store_command(op->s, on_read, op, 9, argv, lens);
    if (ret != 0)
        free(op);
    return ret;
}

int sg_store_notify_read(struct sg_store *s, enum sg_notify_stream stream, const char *consumer, size_t count,
                         unsigned idle_ms, sg_store_entries_cb cb, void *data)
{
    struct sg__key k;
    char idle[16], cnt[16];
    struct op *op = op_new(s, data);
    op->entries_cb = cb, op->stream = stream, op->count = count, op->idle_ms = idle_ms;
    snprintf(op->consumer, sizeof(op->consumer), "%s", consumer);
    snprintf(idle, sizeof(idle), "%u", idle_ms);
    snprintf(cnt, sizeof(cnt), "%zu", count);
    const char *argv[] = {"XAUTOCLAIM", stream_key(s, stream, &k), SG_NOTIFY_GROUP, consumer, idle, "0-0", "COUNT",
                          cnt};
    return command(s, on_claimed, op, 8, argv);
}

int sg_store_notify_ack(struct sg_store *s, enum sg_notify_stream stream, const char *id, sg_store_status_cb cb,
                        void *data)
{
    /* KEYS[1] the stream  ARGV[1] group  ARGV[2] entry id */
    static const char script[] = "#!lua\nredis.call('XACK', KEYS[1], ARGV[1], ARGV[2]) "
                                 "return redis.call('XDEL', KEYS[1], ARGV[2])";
    struct sg__key k;
    const char *argv[] = {"EVAL", script, "1", stream_key(s, stream, &k), SG_NOTIFY_GROUP, id};
    struct op *op = op_new(s, data);
    op->status_cb = cb;
    return command(s, on_status, op, 6, argv);
}

int sg_store_notify_due(struct sg_store *s, uint64_t now_ms, sg_store_status_cb cb, void *data)
{
    struct sg__key delayed, outbox;
    char now[24];
    snprintf(now, sizeof(now), "%llu", (unsigned long long)now_ms);
    const char *argv[] = {sg__key_global(&delayed, &s->keys, SG__KEY_NOTIFY_DELAYED),
                          sg__key_global(&outbox, &s->keys, SG__KEY_NOTIFY_OUTBOX), now, "500"};
    struct op *op = op_new(s, data);
    op->status_cb = cb;
    return eval(s, SG__SCRIPT_NOTIFY_DUE, 2, 4, argv, NULL, on_status, op);
}

/* ---- one message ------------------------------------------------------------------------------ */

static void str_of(const redisReply *r, char *out, size_t size)
{
    snprintf(out, size, "%.*s", r->type == REDIS_REPLY_STRING ? (int)r->len : 0, r->str != NULL ? r->str : "");
}

static void on_taken(void *data, int status, redisReply *reply)
{
    struct op *op = data;
    struct sg_notify_msg m = {0};
    if (status == 0 && (reply->type != REDIS_REPLY_ARRAY || reply->elements < 2))
        status = SG_EIO;
    if (status == 0) {
        redisReply **e = reply->element;
        memcpy(m.mid, op->mid, sizeof(m.mid));
        str_of(e[0], m.verdict, sizeof(m.verdict));
        if (strcmp(m.verdict, "go") == 0 && reply->elements == 10) {
            str_of(e[1], m.phone, sizeof(m.phone)), str_of(e[2], m.kind, sizeof(m.kind));
            str_of(e[3], m.params, sizeof(m.params)), str_of(e[4], m.scope, sizeof(m.scope));
            str_of(e[5], m.code, sizeof(m.code)), str_of(e[7], m.push, sizeof(m.push));
            str_of(e[8], m.masked, sizeof(m.masked)), str_of(e[9], m.vehicle, sizeof(m.vehicle));
            m.attempts = e[6]->type == REDIS_REPLY_STRING ? (unsigned)strtoul(e[6]->str, NULL, 10) : 0;
        } else {
            str_of(e[1], m.masked, sizeof(m.masked));
        }
    }
    op->msg_cb(op->data, status, status == 0 ? &m : NULL);
    sodium_memzero(&m, sizeof(m));
    free(op);
}

int sg_store_notify_take(struct sg_store *s, const char *entry, const char *mid, const char *date, unsigned max_per_day,
                         sg_store_msg_cb cb, void *data)
{
    struct sg__key msg, optout, day, outbox;
    char max[16];
    snprintf(max, sizeof(max), "%u", max_per_day);
    const char *argv[] = {sg__key_notify_msg(&msg, &s->keys, mid),
                          sg__key_global(&optout, &s->keys, SG__KEY_NOTIFY_OPTOUT),
                          sg__key_notify_day(&day, &s->keys, date),
                          sg__key_global(&outbox, &s->keys, SG__KEY_NOTIFY_OUTBOX),
                          entry,
                          SG_NOTIFY_GROUP,
                          max};
    struct op *op = op_new(s, data);
    op->msg_cb = cb;
    snprintf(op->mid, sizeof(op->mid), "%s", mid);
    return eval(s, SG__SCRIPT_NOTIFY_CLAIM, 4, 7, argv, NULL, on_taken, op);
}

int sg_store_notify_sent(struct sg_store *s, const char *entry, const char *mid, uint64_t now_ms, sg_store_status_cb cb,
                         void *data)
{
    struct sg__key msg, outbox;
    char now[24];
    snprintf(now, sizeof(now), "%llu", (unsigned long long)now_ms);
    const char *argv[] = {sg__key_notify_msg(&msg, &s->keys, mid),
                          sg__key_global(&outbox, &s->keys, SG__KEY_NOTIFY_OUTBOX),
                          entry,
                          SG_NOTIFY_GROUP,
                          now,
                          s->keys.prefix};
    struct op *op = op_new(s, data);
    op->status_cb = cb;
    return eval(s, SG__SCRIPT_NOTIFY_DONE, 2, 6, argv, NULL, on_status, op);
}

int sg_store_notify_retry(struct sg_store *s, const char *entry, const char *mid, const char *date, uint64_t due_ms,
                          bool failed, unsigned max_attempts, const char *error, uint64_t now_ms, sg_store_status_cb cb,
                          void *data)
{
    struct sg__key msg, outbox, delayed, dead, day;
    char due[24], max[16], now[24];
    snprintf(due, sizeof(due), "%llu", (unsigned long long)due_ms);
    snprintf(max, sizeof(max), "%u", max_attempts);
    snprintf(now, sizeof(now), "%llu", (unsigned long long)now_ms);
    const char *argv[] = {sg__key_notify_msg(&msg, &s->keys, mid),
                          sg__key_global(&outbox, &s->keys, SG__KEY_NOTIFY_OUTBOX),
                          sg__key_global(&delayed, &s->keys, SG__KEY_NOTIFY_DELAYED),
                          sg__key_global(&dead, &s->keys, SG__KEY_NOTIFY_DEAD),
                          sg__key_notify_day(&day, &s->keys, date),
                          entry,
                          SG_NOTIFY_GROUP,
                          due,
                          max,
                          error,
                          failed ? "1" : "0",
                          now,
                          mid};
    struct op *op = op_new(s, data);
    op->status_cb = cb;
    return eval(s, SG__SCRIPT_NOTIFY_RETRY, 5, 13, argv, NULL, on_status, op);
}
