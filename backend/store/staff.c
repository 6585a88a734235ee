/* SPDX-License-Identifier: MIT */
/* Staff accounts, sessions and the audit log in Redis. Password hashing is not done
 * here: callers hash and verify off the event loop and store the argon2id string. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "domain/err.h"
#include "domain/role.h"
#include "store/internal.h"

struct op {
    struct sg_store *s;
    void *data;
    union {
        sg_store_status_cb status;
        sg_store_user_cb user;
        sg_store_users_cb users;
        sg_store_session_cb session;
        sg_store_lock_cb lock;
        sg_store_audit_cb audit;
    } cb;
};

static struct op *op_new(struct sg_store *s, void *data)
{
    struct op *op = calloc(1, sizeof(*op));
    if (op == NULL)
        abort();
    op->s = s;
    op->data = data;
    return op;
}

/* Run a command built from NULL-terminated strings; frees op when it cannot be sent. */
static int send_strings(struct op *op, sg__redis_cb on_reply, int script, int nkeys, ...)
{
    const char *argv[32];
    size_t lens[32];
    int n = 0;
    va_list ap;
    va_start(ap, nkeys);
    for (const char *a; (a = va_arg(ap, const char *)) != NULL;) {
        if (n == 32)
            abort();
        argv[n] = a;
        lens[n++] = strlen(a);
    }
    va_end(ap);
    int ret = script >= 0 ? sg__store_eval(op->s, (enum sg__script_id)script, nkeys, n, argv, lens, on_reply, op)
                          : sg__store_command(op->s, on_reply, op, n, argv, lens);
    if (ret != 0)
        free(op);
    return ret;
}

bool sg_user_name_valid(const char *name)
{
    size_t len = name != NULL ? strlen(name) : 0;
    if (len < 2 || len > 32 || name[0] == '.' || name[0] == '-' || name[0] == '_')
        return false;
    return strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_.-") == len;
}

static void copy(char *dst, size_t dstsz, const redisReply *v)
{
    size_t n = v->len < dstsz ? v->len : dstsz - 1;
    memcpy(dst, v->str, n);
    dst[n] = '\0';
}

/* HGETALL pairs of a user hash into u. */
static void parse_user(const redisReply *r, struct sg_user *u)
{
    memset(u, 0, sizeof(*u));
    for (size_t i = 0; i + 1 < r->elements; i += 2) {
        const char *k = r->element[i]->str;
        const redisReply *v = r->element[i + 1];
        if (strcmp(k, "name") == 0)
            copy(u->name, sizeof(u->name), v);
        else if (strcmp(k, "role") == 0)
            u->role = sg_role_parse(v->str);
        else if (strcmp(k, "scope") == 0)
            copy(u->scope, sizeof(u->scope), v);
        else if (strcmp(k, "disabled") == 0)
            u->disabled = v->str[0] == '1';
        else if (strcmp(k, "fails") == 0)
            u->fails = (unsigned)strtoul(v->str, NULL, 10);
        else if (strcmp(k, "locked_until") == 0)
            u->locked_until_ms = strtoull(v->str, NULL, 10);
        else if (strcmp(k, "pwhash") == 0)
            copy(u->pwhash, sizeof(u->pwhash), v);
    }
}

static int status_of(int status, const redisReply *r)
{
    if (status != 0)
        return status;
    if (r->type == REDIS_REPLY_ERROR)
        return SG_EIO;
    if (r->type == REDIS_REPLY_STATUS || r->type == REDIS_REPLY_STRING) {
        if (strcmp(r->str, "exists") == 0)
            return SG_EEXIST;
        if (strcmp(r->str, "missing") == 0)
            return SG_ENOENT;
    }
    return 0;
}

static void on_status(void *data, int status, redisReply *reply)
{
    struct op *op = data;
    if (op->cb.status != NULL)
        op->cb.status(op->data, status_of(status, reply));
    free(op);
}

int sg_store_user_save(struct sg_store *s, const struct sg_user *u, bool create, sg_store_status_cb cb, void *data)
{
    struct sg__key key, users;
    char fails[16], locked[24];
    snprintf(fails, sizeof(fails), "%u", u->fails);
    snprintf(locked, sizeof(locked), "%llu", (unsigned long long)u->locked_until_ms);
    struct op *op = op_new(s, data);
    op->cb.status = cb;
    return send_strings(op, on_status, SG__SCRIPT_USER_SAVE, 2, sg__key_user(&key, &s->keys, u->name),
                        sg__key_global(&users, &s->keys, SG__KEY_USERS), create ? "1" : "0", "name", u->name, "role",
                        sg_role_name((enum sg_role)u->role), "scope", u->scope, "disabled", u->disabled ? "1" : "0",
                        "fails", fails, "locked_until", locked, "pwhash", u->pwhash, NULL);
}

static void on_user(void *data, int status, redisReply *reply)
{
    struct op *op = data;
    struct sg_user u;
    status = status_of(status, reply);
    if (status == 0 && (reply->type != REDIS_REPLY_ARRAY || reply->elements == 0))
        status = reply->type == REDIS_REPLY_ARRAY ? SG_ENOENT : SG_EIO;
    if (status == 0)
        parse_user(reply, &u);
    op->cb.user(op->data, status, status == 0 ? &u : NULL);
    free(op);
}

int sg_store_user_get(struct sg_store *s, const char *name, sg_store_user_cb cb, void *data)
{
    struct sg__key key;
    struct op *op = op_new(s, data);
    op->cb.user = cb;
    return send_strings(op, on_user, -1, 0, "HGETALL", sg__key_user(&key, &s->keys, name), NULL);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct sg_user *)a)->name, ((const struct sg_user *)b)->name);
}

static void on_users(void *data, int status, redisReply *reply)
{
    struct op *op = data;
    struct sg_user *users = NULL;
    size_t n = 0;
    status = status_of(status, reply);
    if (status == 0 && reply->type != REDIS_REPLY_ARRAY)
        status = SG_EIO;
    if (status == 0 && reply->elements != 0) {
        if ((users = calloc(reply->elements, sizeof(*users))) == NULL)
            abort();
        for (size_t i = 0; i != reply->elements; ++i)
            if (reply->element[i]->type == REDIS_REPLY_ARRAY && reply->element[i]->elements != 0)
                parse_user(reply->element[i], &users[n++]);
        qsort(users, n, sizeof(*users), by_name);
    }
    op->cb.users(op->data, status, users, n);
    free(users);
    free(op);
}

int sg_store_user_list(struct sg_store *s, sg_store_users_cb cb, void *data)
{
    /* One round trip: the set's members and each hash, read atomically. KEYS[1] sg:{P}:users
     * ARGV[1] the account key prefix sg:{P}:user: (the names come from the set; their keys
     * are in the hash slot of the prefix's tag, as KEYS[1]) */
    static const char script[] = "#!lua flags=no-writes\n"
                                 "local out = {} for i, n in ipairs(redis.call('SMEMBERS', KEYS[1])) do "
                                 "out[i] = redis.call('HGETALL', ARGV[1] .. n) end return out";
    struct sg__key users, prefix;
    struct op *op = op_new(s, data);
    op->cb.users = cb;
    return send_strings(op, on_users, -1, 0, "EVAL", script, "1", sg__key_global(&users, &s->keys, SG__KEY_USERS),
                        sg__key_user(&prefix, &s->keys, ""), NULL);
}

int sg_store_user_disable(struct sg_store *s, const char *name, sg_store_status_cb cb, void *data)
{
    struct sg__key key, sessions;
    struct op *op = op_new(s, data);
    op->cb.status = cb;
    return send_strings(op, on_status, SG__SCRIPT_USER_DISABLE, 2, sg__key_user(&key, &s->keys, name),
                        sg__key_user_sessions(&sessions, &s->keys, name), NULL);
}

static void on_lock(void *data, int status, redisReply *reply)
{
    struct op *op = data;
    status = status_of(status, reply);
    if (status == 0 && reply->type != REDIS_REPLY_INTEGER)
        status = SG_EIO;
    op->cb.lock(op->data, status, status == 0 ? (uint64_t)reply->integer : 0);
    free(op);
}

int sg_store_login_failed(struct sg_store *s, const char *name, uint64_t now_ms, uint64_t lock_ms, unsigned max_fails,
                          sg_store_lock_cb cb, void *data)
{
    struct sg__key key;
    char now[24], lock[24], max[16];
    snprintf(now, sizeof(now), "%llu", (unsigned long long)now_ms);
    snprintf(lock, sizeof(lock), "%llu", (unsigned long long)lock_ms);
    snprintf(max, sizeof(max), "%u", max_fails);
    struct op *op = op_new(s, data);
    op->cb.lock = cb;
    return send_strings(op, on_lock, SG__SCRIPT_LOGIN_FAILED, 1, sg__key_user(&key, &s->keys, name), now, lock, max,
                        NULL);
}

static const char *session_key(struct sg_store *s, const char *sid, struct sg__key *out)
{
    char h[SG_CRYPTO_HASH_HEX];
    sg_crypto_hash(s->crypto, sid, h);
    return sg__key_session(out, &s->keys, h);
}

int sg_store_session_create(struct sg_store *s, const char *sid, const struct sg_session *session,
                            unsigned idle_seconds, sg_store_status_cb cb, void *data)
{
    struct sg__key key, user, sessions;
    char idle[16], created[24];
    snprintf(idle, sizeof(idle), "%u", idle_seconds);
    snprintf(created, sizeof(created), "%llu", (unsigned long long)session->created_ms);
    struct op *op = op_new(s, data);
    op->cb.status = cb;
    return send_strings(op, on_status, SG__SCRIPT_SESSION_CREATE, 3, session_key(s, sid, &key),
                        sg__key_user(&user, &s->keys, session->user),
                        sg__key_user_sessions(&sessions, &s->keys, session->user), idle, "user", session->user, "role",
                        sg_role_name((enum sg_role)session->role), "scope", session->scope, "csrf", session->csrf,
                        "created", created, NULL);
}

static void on_session(void *data, int status, redisReply *reply)
{
    struct op *op = data;
    struct sg_session ses = {.role = -1};
    status = status_of(status, reply);
    if (status == 0 && reply->type != REDIS_REPLY_ARRAY)
        status = SG_EIO;
    for (size_t i = 0; status == 0 && i + 1 < reply->elements; i += 2) {
        const char *k = reply->element[i]->str;
        const redisReply *v = reply->element[i + 1];
        if (strcmp(k, "user") == 0)
            copy(ses.user, sizeof(ses.user), v);
        else if (strcmp(k, "role") == 0)
            ses.role = sg_role_parse(v->str);
        else if (strcmp(k, "scope") == 0)
            copy(ses.scope, sizeof(ses.scope), v);
        else if (strcmp(k, "csrf") == 0)
            copy(ses.csrf, sizeof(ses.csrf), v);
        else if (strcmp(k, "created") == 0)
            ses.created_ms = strtoull(v->str, NULL, 10);
    }
    if (status == 0 && (ses.user[0] == '\0' || ses.role < 0))
        status = SG_ENOENT;
    op->cb.session(op->data, status, status == 0 ? &ses : NULL);
    free(op);
}

int sg_store_session_touch(struct sg_store *s, const char *sid, unsigned idle_seconds, sg_store_session_cb cb,
                           void *data)
{
    struct sg__key key;
    char idle[16];
    snprintf(idle, sizeof(idle), "%u", idle_seconds);
    struct op *op = op_new(s, data);
    op->cb.session = cb;
    return send_strings(op, on_session, SG__SCRIPT_SESSION_TOUCH, 1, session_key(s, sid, &key), idle, NULL);
}

int sg_store_session_delete(struct sg_store *s, const char *sid, sg_store_status_cb cb, void *data)
{
    struct sg__key key;
    struct op *op = op_new(s, data);
    op->cb.status = cb;
    return send_strings(op, on_status, -1, 0, "DEL", session_key(s, sid, &key), NULL);
}

int sg_store_audit_append(struct sg_store *s, const struct sg_audit *a, sg_store_status_cb cb, void *data)
{
    struct sg__key audit;
    char at[24];
    snprintf(at, sizeof(at), "%llu", (unsigned long long)a->at_ms);
    struct op *op = op_new(s, data);
    op->cb.status = cb;
    return send_strings(op, on_status, -1, 0, "XADD", sg__key_global(&audit, &s->keys, SG__KEY_AUDIT), "*", "at", at,
                        "user", a->user, "action", a->action, "target", a->target, "address", a->address, "detail",
                        a->detail, NULL);
}

int sg_store_audit_append_once(struct sg_store *s, const struct sg_audit *a, unsigned window_s, sg_store_status_cb cb,
                               void *data)
{
    struct sg__key once, audit;
    char at[24], window[16];
    snprintf(at, sizeof(at), "%llu", (unsigned long long)a->at_ms);
    snprintf(window, sizeof(window), "%u", window_s);
    struct op *op = op_new(s, data);
    op->cb.status = cb;
    return send_strings(op, on_status, SG__SCRIPT_AUDIT_ONCE, 2,
                        sg__key_auditonce(&once, &s->keys, a->user, a->action, a->target),
                        sg__key_global(&audit, &s->keys, SG__KEY_AUDIT), window, "at", at, "user", a->user, "action",
                        a->action, "target", a->target, "address", a->address, "detail", a->detail, NULL);
}

static void parse_audit(const redisReply *entry, struct sg_audit *a)
{
    memset(a, 0, sizeof(*a));
    if (entry->type != REDIS_REPLY_ARRAY || entry->elements != 2)
        return;
    copy(a->id, sizeof(a->id), entry->element[0]);
    const redisReply *f = entry->element[1];
    for (size_t i = 0; i + 1 < f->elements; i += 2) {
        const char *k = f->element[i]->str;
        const redisReply *v = f->element[i + 1];
        if (strcmp(k, "at") == 0)
            a->at_ms = strtoull(v->str, NULL, 10);
        else if (strcmp(k, "user") == 0)
            copy(a->user, sizeof(a->user), v);
        else if (strcmp(k, "action") == 0)
            copy(a->action, sizeof(a->action), v);
        else if (strcmp(k, "target") == 0)
            copy(a->target, sizeof(a->target), v);
        else if (strcmp(k, "address") == 0)
            copy(a->address, sizeof(a->address), v);
        else if (strcmp(k, "detail") == 0)
            copy(a->detail, sizeof(a->detail), v);
    }
}

static void on_audit(void *data, int status, redisReply *reply)
{
    struct op *op = data;
    struct sg_audit *entries = NULL;
    size_t n = 0;
    status = status_of(status, reply);
    if (status == 0 && reply->type != REDIS_REPLY_ARRAY)
        status = SG_EIO;
    if (status == 0 && reply->elements != 0) {
        if ((entries = calloc(reply->elements, sizeof(*entries))) == NULL)
            abort();
        for (; n != reply->elements; ++n)
            parse_audit(reply->element[n], &entries[n]);
    }
    op->cb.audit(op->data, status, entries, n);
    free(entries);
    free(op);
}

int sg_store_audit_read(struct sg_store *s, size_t count, const char *before_id, sg_store_audit_cb cb, void *data)
{
    struct sg__key audit;
    char end[40], cnt[16];
    snprintf(end, sizeof(end), "%s%s", before_id != NULL ? "(" : "+", before_id != NULL ? before_id : "");
    snprintf(cnt, sizeof(cnt), "%zu", count);
    struct op *op = op_new(s, data);
    op->cb.audit = cb;
    return send_strings(op, on_audit, -1, 0, "XREVRANGE", sg__key_global(&audit, &s->keys, SG__KEY_AUDIT), end, "-",
                        "COUNT", cnt, NULL);
}
