/* SPDX-License-Identifier: MIT */
/* One pipelined hiredis connection with what hiredis 0.14.1 lacks: reconnection with
 * backoff, a timeout on every command, and an answer for every caller. A command that
 * times out is answered at once; its late reply is dropped when it arrives. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include "domain/err.h"
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

static atomic_ullong count_errors, count_reconnects;

void sg_store_counters(struct sg_store_counters *out)
{
    out->errors = atomic_load_explicit(&count_errors, memory_order_relaxed);
    out->reconnects = atomic_load_explicit(&count_reconnects, memory_order_relaxed);
}

static const unsigned backoff_ms[] = {50, 100, 200, 400, 800, 1600};
#define BACKOFF_LEVELS (sizeof(backoff_ms) / sizeof(backoff_ms[0]))

struct sg__redis {
    h2o_loop_t *loop;
    redisAsyncContext *ac; /* NULL while disconnected */
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
};

static void connect_now(struct sg__redis *r);

static int parse_address(struct sg__redis *r, const char *address)
{
    if (address[0] == '/') {
        if (strlen(address) >= sizeof(r->path))
            return -1;
        memcpy(r->path, address, strlen(address) + 1);
        return 0;
    }
    const char *colon = strrchr(address, ':');
    size_t hostlen = colon != NULL ? (size_t)(colon - address) : strlen(address);
    if (hostlen == 0 || hostlen >= sizeof(r->host))
        return -1;
    memcpy(r->host, address, hostlen);
    r->host[hostlen] = '\0';
    /* hiredis resolves names synchronously, blocking the loop: numeric addresses only */
    if (strcmp(r->host, "localhost") == 0)
        memcpy(r->host, "127.0.0.1", sizeof("127.0.0.1"));
    r->port = 6379;
    if (colon != NULL) {
        char *end;
        errno = 0;
        long port = strtol(colon + 1, &end, 10);
        if (errno != 0 || *end != '\0' || port <= 0 || port > 65535)
            return -1;
        r->port = (int)port;
    }
    return 0;
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
    if (r->on_connect != NULL)
        r->on_connect(r, r->on_connect_data);
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

static void connect_now(struct sg__redis *r)
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
    if (parse_address(r, cfg->address) != 0) {
        free(r);
        return NULL;
    }
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
    redisAsyncContext *ac = r->ac;
    r->ac = NULL;
    r->connected = false;
    if (ac != NULL)
        redisAsyncFree(ac); /* answers every pending command with SG_EUNAVAIL */
    h2o_timeout_dispose(r->loop, &r->cmd_timeout);
    for (size_t i = 0; i != BACKOFF_LEVELS; ++i)
        h2o_timeout_dispose(r->loop, &r->retry_timeouts[i]);
    free(r);
}

bool sg__redis_connected(const struct sg__redis *r)
{
    return r->connected;
}

static void on_reply(redisAsyncContext *ac, void *reply, void *privdata)
{
    struct command *cmd = privdata;
    if (reply != NULL)
        cmd->r->last_reply_at = h2o_now(cmd->r->loop);
    if (!cmd->answered) {
        if (h2o_timeout_is_linked(&cmd->timeout))
            h2o_timeout_unlink(&cmd->timeout);
        redisReply *rr = reply;
        if (rr == NULL || rr->type == REDIS_REPLY_ERROR)
            atomic_fetch_add_explicit(&count_errors, 1, memory_order_relaxed);
        if (rr == NULL)
            set_error_text("Redis connection lost", ac->errstr);
        else if (rr->type == REDIS_REPLY_ERROR)
            set_error_text("Redis", rr->str != NULL ? rr->str : "");
        else
            error_text[0] = '\0';
        cmd->cb(cmd->data, reply != NULL ? 0 : SG_EUNAVAIL, reply);
    }
    free(cmd);
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

int sg__redis_command(struct sg__redis *r, sg__redis_cb cb, void *data, int argc, const char **argv,
                      const size_t *argvlen)
{
    if (!r->connected || r->ac == NULL) {
        set_error_text("not connected to Redis", "");
        return SG_EUNAVAIL;
    }
    struct command *cmd = calloc(1, sizeof(*cmd));
    if (cmd == NULL)
        abort();
    cmd->r = r;
    cmd->cb = cb;
    cmd->data = data;
    cmd->timeout.cb = on_command_timeout;
    if (redisAsyncCommandArgv(r->ac, on_reply, cmd, argc, argv, argvlen) != REDIS_OK) {
        free(cmd);
        return SG_EUNAVAIL;
    }
    h2o_timeout_link(r->loop, &r->cmd_timeout, &cmd->timeout);
    return 0;
}
