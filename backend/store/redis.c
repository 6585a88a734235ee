/* SPDX-License-Identifier: MIT */
/* One pipelined hiredis connection with what hiredis 0.14.1 lacks: reconnection with
 * backoff, a timeout on every command, and an answer for every caller. A command that
 * times out is answered at once; its late reply is dropped when it arrives. Optional:
 * the primary's address asked of Redis Sentinel before each (re)connect (a failover is
 * followed by reconnecting), AUTH with an ACL user, and writes acknowledged only once a
 * replica has them (WAIT, pipelined after the write). */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include "domain/err.h"
#include "domain/text.h"
#include "store/redis.h"
#include "store/store.h"
#include <h2o/timeout.h>

/* The error text of the reply being handled, for the HTTP layer's log (sg_store_error_text):
 * set before each callback runs, per thread since each loop has its own connections. */
static _Thread_local char error_text[200];

static void set_error_text(const char *what, const char *detail)
{
    snprintf(error_text, sizeof(error_text), "%s%s%s", what, detail[0] != '\0' ? ": " : "", detail);
}

const char *sg_store_error_text(void)
{
    return error_text;
}

void sg__redis_note_unavailable(void)
{
    set_error_text("not connected to Redis", "");
}

static atomic_ullong count_errors, count_reconnects, count_signup_calls, count_signups_sent;

void sg_store_counters(struct sg_store_counters *out)
{
    out->errors = atomic_load_explicit(&count_errors, memory_order_relaxed);
    out->reconnects = atomic_load_explicit(&count_reconnects, memory_order_relaxed);
    out->signup_calls = atomic_load_explicit(&count_signup_calls, memory_order_relaxed);
    out->signups_sent = atomic_load_explicit(&count_signups_sent, memory_order_relaxed);
}

void sg__count_signup_call(size_t n)
{
    atomic_fetch_add_explicit(&count_signup_calls, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&count_signups_sent, n, memory_order_relaxed);
}

static const unsigned backoff_ms[] = {50, 100, 200, 400, 800, 1600};
#define BACKOFF_LEVELS (sizeof(backoff_ms) / sizeof(backoff_ms[0]))

struct sg__redis {
    h2o_loop_t *loop;
    redisAsyncContext *ac;          /* NULL while disconnected */
    redisAsyncContext *sentinel_ac; /* while asking a Sentinel for the primary */
    const struct sg__redis_config *cfg;
    unsigned sentinel_next; /* the Sentinel to ask next (round robin) */
    bool connected;
    bool ever_connected;
    bool freeing;
    char host[64];
    int port; /* 0: unix socket in path */
    char path[256];
    sg__redis_on_connect on_connect;
    void *on_connect_data;
    h2o_timeout_t cmd_timeout;
    h2o_timeout_t retry_timeouts[BACKOFF_LEVELS];
    h2o_timeout_entry_t retry_entry;
    unsigned attempts;
    uint64_t last_reply_at;
};

struct command {
    h2o_timeout_entry_t timeout; /* first member: the timeout callback casts back */
    struct sg__redis *r;
    sg__redis_cb cb;
    void *data;
    bool answered;
    int replies;       /* hiredis callbacks still to come: 1, or 2 with WAIT */
    redisReply *write; /* a durable write's reply, kept until WAIT answers */
};

static void connect_now(struct sg__redis *r);

int sg__redis_parse_host(const char *address, char host[64], int *port)
{
    const char *colon = strrchr(address, ':');
    size_t hostlen = colon != NULL ? (size_t)(colon - address) : strlen(address);
    if (hostlen == 0 || hostlen >= 64)
        return -1;
    memcpy(host, address, hostlen);
    host[hostlen] = '\0';
    /* hiredis resolves names synchronously, blocking the loop: numeric addresses only */
    if (strcmp(host, "localhost") == 0)
        memcpy(host, "127.0.0.1", sizeof("127.0.0.1"));
    *port = 6379;
    if (colon != NULL) {
        char *end;
        errno = 0;
        long p = strtol(colon + 1, &end, 10);
        if (errno != 0 || *end != '\0' || p <= 0 || p > 65535)
            return -1;
        *port = (int)p;
    }
    return 0;
}

static int parse_address(struct sg__redis *r, const char *address)
{
    if (address[0] == '/') {
        if (strlen(address) >= sizeof(r->path))
            return -1;
        memcpy(r->path, address, strlen(address) + 1);
        return 0;
    }
    return sg__redis_parse_host(address, r->host, &r->port);
}

static void schedule_reconnect(struct sg__redis *r)
{
    if (r->freeing || h2o_timeout_is_linked(&r->retry_entry))
        return;
    unsigned level = r->attempts < BACKOFF_LEVELS ? r->attempts : BACKOFF_LEVELS - 1;
    ++r->attempts;
    h2o_timeout_link(r->loop, &r->retry_timeouts[level], &r->retry_entry);
}

static void on_retry(h2o_timeout_entry_t *entry)
{
    struct sg__redis *r = H2O_STRUCT_FROM_MEMBER(struct sg__redis, retry_entry, entry);
    connect_now(r);
}

static void note_reply(redisAsyncContext *ac, const redisReply *rr);

static void on_auth(redisAsyncContext *ac, void *reply, void *privdata)
{
    struct sg__redis *r = privdata;
    redisReply *rr = reply;
    if (rr == NULL || r->ac != ac)
        return; /* the connection went: the next one authenticates again */
    if (rr->type == REDIS_REPLY_ERROR)
        note_reply(ac, rr); /* WRONGPASS: every command will say NOAUTH, and the log why */
    else if (r->on_connect != NULL)
        r->on_connect(r, r->on_connect_data);
}

static void on_connect(const redisAsyncContext *ac, int status)
{
    struct sg__redis *r = ac->data;
    if (status != REDIS_OK) {
        /* hiredis frees the context after this returns */
        r->ac = NULL;
        r->connected = false;
        schedule_reconnect(r);
        return;
    }
    r->connected = true;
    if (r->ever_connected)
        atomic_fetch_add_explicit(&count_reconnects, 1, memory_order_relaxed);
    r->ever_connected = true;
    r->attempts = 0;
    r->last_reply_at = h2o_now(r->loop);
    if (r->cfg->password != NULL) {
        /* First on the wire: every later command runs as this user. The on_connect hook (the
         * scripts' SCRIPT LOAD) waits for its answer: Redis drops a connection that sends a
         * bulk of over 16 KB before it is authenticated, and a wrong password must come
         * back as what Redis said, not as a lost connection. */
        const char *argv[] = {"AUTH", r->cfg->user != NULL ? r->cfg->user : "default", r->cfg->password};
        redisAsyncCommandArgv(r->ac, on_auth, r, 3, argv, NULL);
    } else if (r->on_connect != NULL) {
        r->on_connect(r, r->on_connect_data);
    }
}

static void on_disconnect(const redisAsyncContext *ac, int status)
{
    struct sg__redis *r = ac->data;
    if (r->ac == ac) {
        r->ac = NULL;
        r->connected = false;
    }
    schedule_reconnect(r);
}

static void connect_to_node(struct sg__redis *r);

/* ---- Sentinel: which node is the primary now ------------------------------------------ */

static void sentinel_done(struct sg__redis *r, bool found)
{
    redisAsyncContext *ac = r->sentinel_ac;
    r->sentinel_ac = NULL;
    if (ac != NULL)
        redisAsyncDisconnect(ac); /* after its callbacks: safe from inside one */
    if (r->freeing)
        return;
    if (found)
        connect_to_node(r);
    else
        schedule_reconnect(r);
}

static void on_sentinel_reply(redisAsyncContext *ac, void *reply, void *privdata)
{
    struct sg__redis *r = privdata;
    redisReply *rr = reply;
    if (r->sentinel_ac != ac)
        return; /* an answer for an attempt given up already */
    bool found = rr != NULL && rr->type == REDIS_REPLY_ARRAY && rr->elements == 2 &&
                 rr->element[0]->type == REDIS_REPLY_STRING && rr->element[1]->type == REDIS_REPLY_STRING &&
                 rr->element[0]->len < sizeof(r->host);
    if (found) {
        char *end;
        long port = strtol(rr->element[1]->str, &end, 10);
        found = *end == '\0' && port > 0 && port <= 65535;
        if (found) {
            memcpy(r->host, rr->element[0]->str, rr->element[0]->len + 1);
            r->port = (int)port;
        }
    }
    if (!found)
        set_error_text("Sentinel does not know the primary", r->cfg->master);
    sentinel_done(r, found);
}

static void on_sentinel_connect(const redisAsyncContext *ac, int status)
{
    struct sg__redis *r = ac->data;
    if (status != REDIS_OK && r->sentinel_ac == ac) {
        r->sentinel_ac = NULL; /* hiredis frees it after this returns */
        set_error_text("Sentinel not reachable", "");
        schedule_reconnect(r);
    }
}

static void on_sentinel_disconnect(const redisAsyncContext *ac, int status)
{
    struct sg__redis *r = ac->data;
    if (r->sentinel_ac == ac) { /* it went away before answering */
        r->sentinel_ac = NULL;
        schedule_reconnect(r);
    }
}

/* Ask the next Sentinel for the primary's address, then connect to it. */
static void ask_sentinel(struct sg__redis *r)
{
    char host[64];
    int port;
    const char *address = r->cfg->sentinels[r->sentinel_next++ % r->cfg->nsentinels];
    if (sg__redis_parse_host(address, host, &port) != 0) {
        schedule_reconnect(r);
        return;
    }
    redisAsyncContext *ac = redisAsyncConnect(host, port);
    if (ac == NULL)
        abort();
    if (ac->err != 0 || sg__redis_attach(ac, r->loop) != 0) {
        redisAsyncFree(ac);
        schedule_reconnect(r);
        return;
    }
    ac->data = r;
    r->sentinel_ac = ac;
    redisAsyncSetConnectCallback(ac, on_sentinel_connect);
    redisAsyncSetDisconnectCallback(ac, on_sentinel_disconnect);
    const char *argv[] = {"SENTINEL", "get-master-addr-by-name", r->cfg->master};
    redisAsyncCommandArgv(ac, on_sentinel_reply, r, 3, argv, NULL);
}

static void connect_now(struct sg__redis *r)
{
    if (r->cfg->nsentinels != 0)
        ask_sentinel(r);
    else
        connect_to_node(r);
}

static void connect_to_node(struct sg__redis *r)
{
    redisAsyncContext *ac = r->port == 0 ? redisAsyncConnectUnix(r->path) : redisAsyncConnect(r->host, r->port);
    if (ac == NULL)
        abort(); /* out of memory */
    if (ac->err != 0 || sg__redis_attach(ac, r->loop) != 0) {
        redisAsyncFree(ac);
        schedule_reconnect(r);
        return;
    }
    ac->data = r;
    r->ac = ac;
    redisAsyncSetDisconnectCallback(ac, on_disconnect);
    redisAsyncSetConnectCallback(ac, on_connect); /* arms the first write event */
}

struct sg__redis *sg__redis_new(h2o_loop_t *loop, const struct sg__redis_config *cfg)
{
    struct sg__redis *r = calloc(1, sizeof(*r));
    if (r == NULL)
        abort();
    if (cfg->nsentinels == 0 && parse_address(r, cfg->address) != 0) {
        free(r);
        return NULL;
    }
    r->cfg = cfg;
    r->loop = loop;
    r->on_connect = cfg->on_connect;
    r->on_connect_data = cfg->on_connect_data;
    h2o_timeout_init(loop, &r->cmd_timeout, cfg->timeout_ms != 0 ? cfg->timeout_ms : 2000);
    for (size_t i = 0; i != BACKOFF_LEVELS; ++i)
        h2o_timeout_init(loop, &r->retry_timeouts[i], backoff_ms[i]);
    r->retry_entry.cb = on_retry;
    connect_now(r);
    return r;
}

void sg__redis_free(struct sg__redis *r)
{
    r->freeing = true;
    if (h2o_timeout_is_linked(&r->retry_entry))
        h2o_timeout_unlink(&r->retry_entry);
    redisAsyncContext *ac = r->ac, *sentinel = r->sentinel_ac;
    r->ac = NULL;
    r->sentinel_ac = NULL;
    r->connected = false;
    if (ac != NULL)
        redisAsyncFree(ac); /* answers every pending command with SG_EUNAVAIL */
    if (sentinel != NULL)
        redisAsyncFree(sentinel);
    h2o_timeout_dispose(r->loop, &r->cmd_timeout);
    for (size_t i = 0; i != BACKOFF_LEVELS; ++i)
        h2o_timeout_dispose(r->loop, &r->retry_timeouts[i]);
    free(r);
}

bool sg__redis_connected(const struct sg__redis *r)
{
    return r->connected;
}

/* The reply's error text for the log, and the counters. */
static void note_reply(redisAsyncContext *ac, const redisReply *rr)
{
    if (rr == NULL || rr->type == REDIS_REPLY_ERROR)
        atomic_fetch_add_explicit(&count_errors, 1, memory_order_relaxed);
    if (rr == NULL)
        set_error_text("Redis connection lost", ac->errstr);
    else if (rr->type == REDIS_REPLY_ERROR)
        set_error_text("Redis", rr->str != NULL ? rr->str : "");
    else
        error_text[0] = '\0';
}

/* A replica talking: after a failover the old primary comes back as one. Drop the
 * connection so that the next one asks Sentinel again. */
static void drop_if_replica(struct sg__redis *r, redisAsyncContext *ac, const redisReply *rr)
{
    if (rr != NULL && rr->type == REDIS_REPLY_ERROR && rr->str != NULL && strncmp(rr->str, "READONLY ", 9) == 0 &&
        r->ac == ac) {
        r->ac = NULL;
        r->connected = false;
        redisAsyncDisconnect(ac); /* after the callbacks of what is already read */
    }
}

static void answer(struct command *cmd, int status, redisReply *reply)
{
    if (h2o_timeout_is_linked(&cmd->timeout))
        h2o_timeout_unlink(&cmd->timeout);
    cmd->answered = true;
    cmd->cb(cmd->data, status, reply);
}

static void release(struct command *cmd)
{
    if (--cmd->replies == 0) {
        if (cmd->write != NULL)
            freeReplyObject(cmd->write);
        free(cmd);
    }
}

/* Redis refused to run the command for now (out of memory, loading its data, a script
 * still running, no replica to write with, a replica): the command did not run, and the
 * caller answers 503 as when Redis is away, not 500. */
static bool refused_for_now(const redisReply *rr)
{
    static const char *const prefixes[] = {"OOM ",        "LOADING ",  "BUSY ", "MASTERDOWN ",
                                           "NOREPLICAS ", "READONLY ", NULL};
    if (rr == NULL || rr->type != REDIS_REPLY_ERROR || rr->str == NULL)
        return false;
    for (size_t i = 0; prefixes[i] != NULL; ++i)
        if (strncmp(rr->str, prefixes[i], strlen(prefixes[i])) == 0)
            return true;
    return false;
}

static void on_reply(redisAsyncContext *ac, void *reply, void *privdata)
{
    struct command *cmd = privdata;
    redisReply *rr = reply;
    if (rr != NULL)
        cmd->r->last_reply_at = h2o_now(cmd->r->loop);
    if (!cmd->answered) {
        note_reply(ac, rr);
        if (cmd->replies == 2 && rr != NULL && rr->type != REDIS_REPLY_ERROR)
            cmd->write = sg__reply_copy(rr); /* answered when WAIT says a replica has it */
        else if (refused_for_now(rr))
            answer(cmd, SG_EREFUSED, NULL);
        else
            answer(cmd, rr != NULL ? 0 : SG_EUNAVAIL, rr);
    }
    drop_if_replica(cmd->r, ac, rr);
    release(cmd);
}

/* WAIT's answer: how many replicas have every write of this connection so far. */
static void on_wait(redisAsyncContext *ac, void *reply, void *privdata)
{
    struct command *cmd = privdata;
    redisReply *rr = reply;
    if (!cmd->answered && cmd->write != NULL) {
        unsigned need = cmd->r->cfg->replicas_ack;
        if (rr != NULL && rr->type == REDIS_REPLY_INTEGER && rr->integer >= (long long)need) {
            error_text[0] = '\0';
            answer(cmd, 0, cmd->write);
        } else {
            atomic_fetch_add_explicit(&count_errors, 1, memory_order_relaxed);
            snprintf(error_text, sizeof(error_text), "written on the primary, but %lld of %u replicas confirmed it",
                     rr != NULL && rr->type == REDIS_REPLY_INTEGER ? rr->integer : 0LL, need);
            answer(cmd, SG_EUNAVAIL, NULL);
        }
    }
    release(cmd);
}

static void on_command_timeout(h2o_timeout_entry_t *entry)
{
    struct command *cmd = (struct command *)entry;
    struct sg__redis *r = cmd->r;
    cmd->answered = true;
    atomic_fetch_add_explicit(&count_errors, 1, memory_order_relaxed);
    snprintf(error_text, sizeof(error_text), "Redis did not answer within %llu ms",
             (unsigned long long)r->cmd_timeout.timeout);
    cmd->cb(cmd->data, SG_ETIMEDOUT, NULL);
    /* Nothing came back for a whole timeout: the connection is dead or Redis is stuck.
     * Drop it so that callers fail fast and a fresh connection is tried. The late reply
     * of this command (if any) is freed by on_reply. */
    if (r->ac != NULL && r->connected && h2o_now(r->loop) - r->last_reply_at >= r->cmd_timeout.timeout) {
        redisAsyncContext *ac = r->ac;
        r->ac = NULL;
        r->connected = false;
        redisAsyncFree(ac);
        schedule_reconnect(r);
    }
}

/* The command in Redis's protocol (*argc, then $len and the bytes of each argument),
 * appended to the connection's output: what redisAsyncCommandArgv does, whose formatting
 * (sdscatfmt an argument) cost a tenth of a sign-up's instructions in the server (its
 * call sends about a thousand arguments). */
static int append_command(redisAsyncContext *ac, redisCallbackFn *fn, void *privdata, int argc, const char **argv,
                          const size_t *argvlen)
{
    char small[4096], *buf = small;
    size_t total = 16;
    for (int i = 0; i != argc; ++i)
        total += 32 + (argvlen != NULL ? argvlen[i] : strlen(argv[i])); /* $, digits, 2 CRLF */
    if (total > sizeof(small) && (buf = malloc(total)) == NULL)
        abort();
    char *p = buf;
    *p++ = '*';
    p += sg_put_u64(p, (size_t)argc);
    *p++ = '\r', *p++ = '\n';
    for (int i = 0; i != argc; ++i) {
        size_t len = argvlen != NULL ? argvlen[i] : strlen(argv[i]);
        *p++ = '$';
        p += sg_put_u64(p, len);
        *p++ = '\r', *p++ = '\n';
        memcpy(p, argv[i], len);
        p += len;
        *p++ = '\r', *p++ = '\n';
    }
    int ret = redisAsyncFormattedCommand(ac, fn, privdata, buf, (size_t)(p - buf));
    if (buf != small)
        free(buf);
    return ret;
}

int sg__redis_command(struct sg__redis *r, sg__redis_cb cb, void *data, int argc, const char **argv,
                      const size_t *argvlen)
{
    return sg__redis_command_ex(r, cb, data, argc, argv, argvlen, false);
}

int sg__redis_command_ex(struct sg__redis *r, sg__redis_cb cb, void *data, int argc, const char **argv,
                         const size_t *argvlen, bool durable)
{
    if (!r->connected || r->ac == NULL) {
        set_error_text("not connected to Redis", "");
        return SG_EUNAVAIL;
    }
    durable = durable && r->cfg->replicas_ack != 0;
    struct command *cmd = calloc(1, sizeof(*cmd));
    if (cmd == NULL)
        abort();
    cmd->r = r;
    cmd->cb = cb;
    cmd->data = data;
    cmd->replies = 1;
    cmd->timeout.cb = on_command_timeout;
    if (append_command(r->ac, on_reply, cmd, argc, argv, argvlen) != REDIS_OK) {
        free(cmd);
        return SG_EUNAVAIL;
    }
    if (durable) {
        /* Right behind the write on the same connection: WAIT returns once a replica has
         * everything this connection wrote, or after wait_ms with how many do. */
        char n[16], ms[16];
        snprintf(n, sizeof(n), "%u", r->cfg->replicas_ack);
        snprintf(ms, sizeof(ms), "%u", r->cfg->wait_ms);
        const char *wargv[] = {"WAIT", n, ms};
        if (redisAsyncCommandArgv(r->ac, on_wait, cmd, 3, wargv, NULL) == REDIS_OK)
            cmd->replies = 2;
    }
    h2o_timeout_link(r->loop, &r->cmd_timeout, &cmd->timeout);
    return 0;
}

redisReply *sg__reply_copy(const redisReply *r)
{
    redisReply *c = calloc(1, sizeof(*c));
    if (c == NULL)
        abort();
    c->type = r->type;
    c->integer = r->integer;
    c->len = r->len;
    if (r->str != NULL) {
        if ((c->str = malloc(r->len + 1)) == NULL)
            abort();
        memcpy(c->str, r->str, r->len);
        c->str[r->len] = '\0';
    }
    if (r->elements != 0) {
        if ((c->element = calloc(r->elements, sizeof(*c->element))) == NULL)
            abort();
        c->elements = r->elements;
        for (size_t i = 0; i != r->elements; ++i)
            c->element[i] = sg__reply_copy(r->element[i]);
    }
    return c;
}
