/* SPDX-License-Identifier: MIT */
/* The store object: connection, crypto keys, Lua scripts (loaded on every connect and
 * called by SHA1), and the health check. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <openssl/evp.h>
#include "domain/err.h"
#include "store/internal.h"

const char *const sg__script_bodies[SG__SCRIPTS] = {
    [SG__SCRIPT_SIGNUP] = sg__signup_lua,
    [SG__SCRIPT_USER_SAVE] = sg__user_save_lua,
    [SG__SCRIPT_USER_DISABLE] = sg__user_disable_lua,
    [SG__SCRIPT_SESSION_CREATE] = sg__session_create_lua,
    [SG__SCRIPT_SESSION_TOUCH] = sg__session_touch_lua,
    [SG__SCRIPT_PAGE] = sg__page_lua,
    [SG__SCRIPT_EDIT] = sg__edit_lua,
    [SG__SCRIPT_CANCEL] = sg__cancel_lua,
    [SG__SCRIPT_HGETALL] = sg__hgetall_lua,
    [SG__SCRIPT_RETURNS_SAVE] = sg__returns_save_lua,
    [SG__SCRIPT_VEHICLE_SAVE] = sg__vehicle_save_lua,
    [SG__SCRIPT_ASSIGN] = sg__assign_lua,
    [SG__SCRIPT_ASSIGNMENT_RELEASE] = sg__assignment_release_lua,
    [SG__SCRIPT_ASSIGNMENT_MOVE] = sg__assignment_move_lua,
    [SG__SCRIPT_CHECKIN] = sg__checkin_lua,
    [SG__SCRIPT_PURGE] = sg__purge_lua,
    [SG__SCRIPT_RETURNS_UNTIL] = sg__returns_until_lua,
    [SG__SCRIPT_AUDIT_ONCE] = sg__audit_once_lua,
    [SG__SCRIPT_REGISTRATION_GET] = sg__registration_get_lua,
    [SG__SCRIPT_OPEN_SWEEP] = sg__open_sweep_lua,
    [SG__SCRIPT_MIGRATE] = sg__migrate_lua,
    [SG__SCRIPT_MIGRATE_DATA] = sg__migrate_data_lua,
    [SG__SCRIPT_LIMIT] = sg__limit_lua,
    [SG__SCRIPT_IDEM_RESOLVE] = sg__idem_resolve_lua,
    [SG__SCRIPT_EMPLOYER_SAVE] = sg__employer_save_lua,
    [SG__SCRIPT_JOB_SAVE] = sg__job_save_lua,
    [SG__SCRIPT_PUSH_CREATE] = sg__push_create_lua,
    [SG__SCRIPT_NOTIFY_ENQUEUE] = sg__notify_enqueue_lua,
    [SG__SCRIPT_NOTIFY_TOLD] = sg__notify_told_lua,
    [SG__SCRIPT_NOTIFY_CLAIM] = sg__notify_claim_lua,
    [SG__SCRIPT_NOTIFY_DONE] = sg__notify_done_lua,
    [SG__SCRIPT_NOTIFY_RETRY] = sg__notify_retry_lua,
    [SG__SCRIPT_NOTIFY_DUE] = sg__notify_due_lua,
    [SG__SCRIPT_NOTIFY_REVIVE] = sg__notify_revive_lua,
    [SG__SCRIPT_NOTIFY_VEHICLE] = sg__notify_vehicle_lua,
    [SG__SCRIPT_REGISTRATION_MARK] = sg__registration_mark_lua,
    [SG__SCRIPT_FOLD] = sg__fold_lua,
    [SG__SCRIPT_ASSIGN_FRESH] = sg__assign_fresh_lua,
};

#define FOLD_BATCH "1000" /* entries a fold call takes at most (about 5 ms of Redis) */
#define FOLD_ALL "0"      /* every entry pending, before a read or a change (fold.lua) */

static void script_init(struct sg__script *script, const char *body)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    static const char hex[] = "0123456789abcdef";
    script->body = body;
    if (EVP_Digest(body, strlen(body), md, &mdlen, EVP_sha1(), NULL) != 1 || mdlen != 20)
        abort(); /* OpenSSL without SHA-1 cannot call Redis scripts by hash: nothing would work */
    for (unsigned i = 0; i != 20; ++i) {
        script->sha[2 * i] = hex[md[i] >> 4];
        script->sha[2 * i + 1] = hex[md[i] & 15];
    }
    script->sha[40] = '\0';
}

static void on_script_loaded(void *data, int status, redisReply *reply)
{
    /* Nothing to do: a failure shows up as NOSCRIPT on the next call, which reloads. */
}

static void load_script(struct sg__redis *r, struct sg__script *script)
{
    const char *argv[] = {"SCRIPT", "LOAD", script->body};
    size_t lens[] = {6, 4, strlen(script->body)};
    if (r != NULL)
        sg__redis_command(r, on_script_loaded, NULL, 3, argv, lens);
}

static void on_connected(struct sg__redis *r, void *data)
{
    struct sg_store *s = data;
    for (size_t i = 0; i != SG__SCRIPTS; ++i)
        load_script(r, &s->scripts[i]);
}

static void fold_init(struct sg_store *s, const struct sg_store_config *cfg);
static void fold_free(struct sg_store *s);

struct sg__redis *sg__store_redis(struct sg_store *s)
{
    for (size_t i = 0; i != s->nredis; ++i) {
        struct sg__redis *r = s->redis[s->next++ % s->nredis];
        if (sg__redis_connected(r))
            return r;
    }
    return NULL;
}

/* The connections' settings, kept in s; the Sentinel list split at its commas. 0 or -1. */
static int redis_config(struct sg_store *s, const struct sg_store_config *cfg, const char **err)
{
    struct sg__redis_config *rc = &s->redis_config;
    unsigned timeout = cfg->timeout_ms != 0 ? cfg->timeout_ms : 2000;
    *rc = (struct sg__redis_config){.address = cfg->redis_address,
                                    .timeout_ms = timeout,
                                    .on_connect = on_connected,
                                    .on_connect_data = s,
                                    .user = cfg->user,
                                    .password = cfg->password,
                                    .replicas_ack = cfg->replicas_ack,
                                    .wait_ms = timeout / 2};
    if (cfg->sentinels == NULL || cfg->sentinels[0] == '\0')
        return 0;
    if (cfg->master == NULL || cfg->master[0] == '\0' || strlen(cfg->sentinels) >= sizeof(s->sentinel_text)) {
        *err = "with Sentinels, the primary's name is needed too (SONGGONG_REDIS_MASTER)";
        return -1;
    }
    memcpy(s->sentinel_text, cfg->sentinels, strlen(cfg->sentinels) + 1);
    for (char *t = s->sentinel_text, *comma; t != NULL; t = comma != NULL ? comma + 1 : NULL) {
        char host[64];
        int port;
        if ((comma = strchr(t, ',')) != NULL)
            *comma = '\0';
        if (rc->nsentinels == SG__SENTINELS_MAX || sg__redis_parse_host(t, host, &port) != 0) {
            *err = "SONGGONG_REDIS_SENTINELS must be up to 8 host:port with numeric hosts, comma-separated";
            return -1;
        }
        s->sentinels[rc->nsentinels++] = t;
    }
    rc->sentinels = s->sentinels;
    rc->master = cfg->master;
    return 0;
}

struct sg_store *sg_store_new(h2o_loop_t *loop, const struct sg_store_config *cfg, const char **err)
{
    struct sg_store *s = calloc(1, sizeof(*s));
    if (s == NULL)
        abort();
    s->loop = loop;
    if (sg__keys_init(&s->keys, cfg->province) != 0) {
        *err = "the province must be a two-digit code (SONGGONG_PROVINCE, --province)";
        free(s);
        return NULL;
    }
    if ((s->crypto = sg_crypto_load(cfg->key_file, err)) == NULL) {
        free(s);
        return NULL;
    }
    for (size_t i = 0; i != SG__SCRIPTS; ++i)
        script_init(&s->scripts[i], sg__script_bodies[i]);
    if (redis_config(s, cfg, err) != 0) {
        sg_store_free(s);
        return NULL;
    }
    fold_init(s, cfg);
    s->nredis = cfg->connections == 0                    ? 1
                : cfg->connections > SG__CONNECTIONS_MAX ? SG__CONNECTIONS_MAX
                                                         : cfg->connections;
    for (size_t i = 0; i != s->nredis; ++i) {
        if ((s->redis[i] = sg__redis_new(loop, &s->redis_config)) == NULL) {
            *err = "cannot parse the Redis address (host:port with a numeric host, or a socket path)";
            s->nredis = i;
            sg_store_free(s);
            return NULL;
        }
    }
    return s;
}

void sg_store_free(struct sg_store *s)
{
    if (s == NULL)
        return;
    s->closing = true;
    if (s->signups.take_down != NULL)
        s->signups.take_down(s);
    for (size_t i = 0; i != s->nredis; ++i)
        sg__redis_free(s->redis[i]);
    fold_free(s);
    sg_crypto_free(s->crypto);
    free(s);
}

bool sg_store_ready(const struct sg_store *s)
{
    for (size_t i = 0; i != s->nredis; ++i)
        if (sg__redis_connected(s->redis[i]))
            return true;
    return false;
}

struct eval_op {
    struct sg__redis *r;
    struct sg__script *script;
    sg__redis_cb cb;
    void *data;
};

static void on_eval_reply(void *data, int status, redisReply *reply)
{
    struct eval_op *op = data;
    if (status == 0 && reply->type == REDIS_REPLY_ERROR && strncmp(reply->str, "NOSCRIPT", 8) == 0)
        load_script(op->r, op->script);
    op->cb(op->data, status, reply);
    free(op);
}

int sg__store_eval(struct sg_store *s, enum sg__script_id id, int nkeys, int nargs, const char **argv,
                   const size_t *argvlen, sg__redis_cb cb, void *data)
{
    return sg__store_eval_on(s, sg__store_redis(s), id, nkeys, nargs, argv, argvlen, cb, data);
}

int sg__store_eval_on(struct sg_store *s, struct sg__redis *r, enum sg__script_id id, int nkeys, int nargs,
                      const char **argv, const size_t *argvlen, sg__redis_cb cb, void *data)
{
    struct sg__script *script = &s->scripts[id];
    int argc = 3 + nargs;
    const char **av = malloc(sizeof(*av) * (size_t)argc);
    size_t *lens = malloc(sizeof(*lens) * (size_t)argc);
    struct eval_op *op = malloc(sizeof(*op));
    char nk[16];
    if (av == NULL || lens == NULL || op == NULL)
        abort();
    snprintf(nk, sizeof(nk), "%d", nkeys);
    av[0] = "EVALSHA", lens[0] = 7;
    av[1] = script->sha, lens[1] = 40;
    av[2] = nk, lens[2] = strlen(nk);
    memcpy(av + 3, argv, sizeof(*av) * (size_t)nargs);
    memcpy(lens + 3, argvlen, sizeof(*lens) * (size_t)nargs);
    *op = (struct eval_op){r, script, cb, data};
    /* Attempt counters do not wait for a replica: a lookup or a login must not fail
     * because a replica lags, and a counter lost in a failover only restarts a window.
     * Nor does a fold: it derives what the sign-ups already hold, and a fold a failover
     * loses left its entries on the list, where the next fold finds them. */
    bool durable =
        strncmp(script->body, "#!lua flags=no-writes", 21) != 0 && id != SG__SCRIPT_LIMIT && id != SG__SCRIPT_FOLD;
    int ret = op->r != NULL ? sg__redis_command_ex(op->r, on_eval_reply, op, argc, av, lens, durable) : SG_EUNAVAIL;
    if (ret != 0)
        free(op);
    free(av);
    free(lens);
    return ret;
}

struct ping_op {
    sg_store_status_cb cb;
    void *data;
};

static void on_pong(void *data, int status, redisReply *reply)
{
    struct ping_op *op = data;
    if (status == 0 && reply->type == REDIS_REPLY_ERROR)
        status = SG_EUNAVAIL; /* e.g. LOADING while Redis replays its AOF */
    op->cb(op->data, status);
    free(op);
}

int sg_store_ping(struct sg_store *s, sg_store_status_cb cb, void *data)
{
    struct ping_op *op = malloc(sizeof(*op));
    if (op == NULL)
        abort();
    *op = (struct ping_op){cb, data};
    const char *argv[] = {"PING"};
    size_t lens[] = {4};
    struct sg__redis *r = sg__store_redis(s);
    int ret = r != NULL ? sg__redis_command(r, on_pong, op, 1, argv, lens) : SG_EUNAVAIL;
    if (ret != 0)
        free(op);
    return ret;
}

/* Commands that only read (the plain ones this store sends); anything else is taken for a
 * write: with replicas_ack it waits for a replica. */
static bool writes(const char *command)
{
    static const char *const reads[] = {"GET", "HGETALL", "ZRANGEBYLEX", "XREVRANGE", "SCAN", "LRANGE", NULL};
    for (size_t i = 0; reads[i] != NULL; ++i)
        if (strcasecmp(command, reads[i]) == 0)
            return false;
    return true;
}

int sg__store_command_ex(struct sg_store *s, sg__redis_cb cb, void *data, int argc, const char **argv,
                         const size_t *argvlen, bool durable)
{
    struct sg__redis *r = sg__store_redis(s);
    return r != NULL ? sg__redis_command_ex(r, cb, data, argc, argv, argvlen, durable) : SG_EUNAVAIL;
}

int sg__store_command(struct sg_store *s, sg__redis_cb cb, void *data, int argc, const char **argv,
                      const size_t *argvlen)
{
    return sg__store_command_ex(s, cb, data, argc, argv, argvlen, writes(argv[0]));
}

struct sg_crypto *sg__store_crypto(struct sg_store *s)
{
    return s->crypto;
}

/* ---- the fold of sign-ups into indexes and counters (fold.lua) ------------------------ */

/* A fold's own answer matters to nobody but sg_store_fold: an error is counted (/metrics)
 * and the next fold takes the same entries. */
static void on_fold_ignored(void *data, int status, redisReply *reply)
{
}

/* EVALSHA fold.lua on r, taking at most max entries. */
static int fold_on(struct sg_store *s, struct sg__redis *r, const char *max, sg__redis_cb cb, void *data)
{
    const char *argv[] = {s->fold_key.s, s->keys.prefix, max};
    size_t lens[] = {strlen(argv[0]), s->keys.len, strlen(max)};
    return r != NULL ? sg__store_eval_on(s, r, SG__SCRIPT_FOLD, 1, 3, argv, lens, cb, data) : SG_EUNAVAIL;
}

int sg__store_eval_folded(struct sg_store *s, enum sg__script_id script, int nkeys, int nargs, const char **argv,
                          const size_t *argvlen, sg__redis_cb cb, void *data)
{
    struct sg__redis *r = sg__store_redis(s);
    int ret = fold_on(s, r, FOLD_ALL, on_fold_ignored, NULL);
    return ret != 0 ? ret : sg__store_eval_on(s, r, script, nkeys, nargs, argv, argvlen, cb, data);
}

struct sg__redis *sg__store_redis_folded(struct sg_store *s)
{
    struct sg__redis *r = sg__store_redis(s);
    return r != NULL && fold_on(s, r, FOLD_ALL, on_fold_ignored, NULL) == 0 ? r : NULL;
}

int sg__store_command_folded(struct sg_store *s, sg__redis_cb cb, void *data, int argc, const char **argv,
                             const size_t *argvlen)
{
    struct sg__redis *r = sg__store_redis(s);
    int ret = fold_on(s, r, FOLD_ALL, on_fold_ignored, NULL);
    return ret != 0 ? ret : sg__redis_command_ex(r, cb, data, argc, argv, argvlen, false);
}

static void on_fold_ticked(void *data, int status, redisReply *reply)
{
    ((struct sg_store *)data)->fold_ticking = false;
}

/* One at a time: while Redis is stalled a tick adds nothing to wait behind on the other
 * connections (their commands would time out with it). Redis away: the next tick. */
static void on_fold_timer(h2o_timeout_entry_t *entry)
{
    struct sg_store *s = H2O_STRUCT_FROM_MEMBER(struct sg_store, fold_entry, entry);
    if (!s->fold_ticking && fold_on(s, sg__store_redis(s), FOLD_BATCH, on_fold_ticked, s) == 0)
        s->fold_ticking = true;
    h2o_timeout_link(s->loop, &s->fold_timeout, &s->fold_entry);
}

/* The fold's settings from the config: lazy or not (signup.lua folds what it stores, or
 * leaves it on the list), the timer. */
static void fold_init(struct sg_store *s, const struct sg_store_config *cfg)
{
    sg__key_global(&s->fold_key, &s->keys, SG__KEY_FOLD);
    s->fold_lazy = cfg->fold_lazy;
    if (cfg->fold_ms == 0)
        return;
    h2o_timeout_init(s->loop, &s->fold_timeout, cfg->fold_ms);
    s->fold_entry.cb = on_fold_timer;
    h2o_timeout_link(s->loop, &s->fold_timeout, &s->fold_entry);
}

static void fold_free(struct sg_store *s)
{
    if (s->fold_entry.cb == NULL)
        return;
    if (h2o_timeout_is_linked(&s->fold_entry))
        h2o_timeout_unlink(&s->fold_entry);
    h2o_timeout_dispose(s->loop, &s->fold_timeout);
}

struct fold_all_op {
    struct sg_store *s;
    sg_store_fold_cb cb;
    void *data;
    size_t folded;
};

static void on_folded(void *data, int status, redisReply *reply)
{
    struct fold_all_op *op = data;
    if (status == 0 &&
        (reply->type != REDIS_REPLY_ARRAY || reply->elements != 2 || reply->element[0]->type != REDIS_REPLY_INTEGER ||
         reply->element[1]->type != REDIS_REPLY_INTEGER))
        status = SG_EIO;
    if (status == 0) {
        op->folded += (size_t)reply->element[0]->integer;
        if (reply->element[0]->integer > 0 && reply->element[1]->integer > 0 &&
            (status = fold_on(op->s, sg__store_redis(op->s), FOLD_BATCH, on_folded, op)) == 0)
            return; /* more to fold */
    }
    op->cb(op->data, status, op->folded, status == 0 ? (size_t)reply->element[1]->integer : 0);
    free(op);
}

int sg_store_fold(struct sg_store *s, sg_store_fold_cb cb, void *data)
{
    struct fold_all_op *op = malloc(sizeof(*op));
    if (op == NULL)
        abort();
    *op = (struct fold_all_op){s, cb, data, 0};
    int ret = fold_on(s, sg__store_redis(s), FOLD_BATCH, on_folded, op);
    if (ret != 0)
        free(op);
    return ret;
}
