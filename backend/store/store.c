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
};

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
    for (size_t i = 0; i != s->nredis; ++i)
        sg__redis_free(s->redis[i]);
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
    *op = (struct eval_op){sg__store_redis(s), script, cb, data};
    /* Attempt counters do not wait for a replica: a lookup or a login must not fail
     * because a replica lags, and a counter lost in a failover only restarts a window. */
    bool durable = strncmp(script->body, "#!lua flags=no-writes", 21) != 0 && id != SG__SCRIPT_LIMIT;
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
