/* SPDX-License-Identifier: MIT */
/* Asynchronous Redis client on H2O's event loop: one connection, commands pipelined,
 * reconnection with backoff, a timeout on every command. Internal to the store module
 * (the only code that includes hiredis). */
#ifndef SG_STORE_REDIS_H
#define SG_STORE_REDIS_H

#include <stddef.h>
#include <stdbool.h>
#include <hiredis/hiredis.h>
#include <hiredis/async.h>
#include <h2o/socket.h>

struct sg__redis;

/**
 * Called exactly once per accepted command. status is 0 with reply set (it may be an
 * error reply: check reply->type), SG_EUNAVAIL when the connection dropped before the
 * answer, SG_ETIMEDOUT when no answer came in time (reply NULL). The reply is valid only
 * during the call.
 */
typedef void (*sg__redis_cb)(void *data, int status, redisReply *reply);

/**
 * Called after each successful (re)connect, or with a password once AUTH succeeded; may
 * queue commands. Without a password they go out before any other; with one, what was sent
 * while AUTH was on its way goes before them (an EVALSHA may then meet NOSCRIPT, which
 * reloads the script: sg__store_eval).
 */
typedef void (*sg__redis_on_connect)(struct sg__redis *r, void *data);

struct sg__redis_config {
    const char *address; /* "host:port" with a numeric host or "localhost", or a unix socket path */
    unsigned timeout_ms; /* per command */
    sg__redis_on_connect on_connect;
    void *on_connect_data;
    /* Optional (all borrowed; the config must outlive the client): */
    const char *const *sentinels; /* "host:port" of Sentinels: the primary of master is asked for before each connect */
    unsigned nsentinels;
    const char *master;
    const char *user, *password; /* AUTH as this ACL user (NULL password: no AUTH) */
    unsigned replicas_ack;       /* a durable write is answered once this many replicas have it (0: at once) */
    unsigned wait_ms;            /* how long WAIT waits for them */
};

/** Create a client and start connecting. NULL when the address cannot be parsed. */
struct sg__redis *sg__redis_new(h2o_loop_t *loop, const struct sg__redis_config *cfg);
/** Drop the connection (pending callbacks get SG_EUNAVAIL) and free. */
void sg__redis_free(struct sg__redis *r);
bool sg__redis_connected(const struct sg__redis *r);

/**
 * Queue a command. Returns 0 when accepted (cb will be called exactly once), or
 * SG_EUNAVAIL when not connected (cb is never called). argv strings are copied.
 */
int sg__redis_command(struct sg__redis *r, sg__redis_cb cb, void *data, int argc, const char **argv,
                      const size_t *argvlen);

/**
 * The same; with durable (and replicas_ack set) the command is followed by WAIT and cb
 * gets its reply only once enough replicas have it, else SG_EUNAVAIL (it is on the
 * primary, but would not survive a failover: the caller's retry is idempotent).
 */
int sg__redis_command_ex(struct sg__redis *r, sg__redis_cb cb, void *data, int argc, const char **argv,
                         const size_t *argvlen, bool durable);

/** "host:port" (numeric host or localhost; port 6379 when absent) into host and port. 0 or -1. */
int sg__redis_parse_host(const char *address, char host[64], int *port);
/** Say "not connected" in the error text (a caller refused before sending anything). */
void sg__redis_note_unavailable(void);
/** A deep copy of a reply (free it with freeReplyObject). */
redisReply *sg__reply_copy(const redisReply *r);

/** One signup.lua call sent with n sign-ups (sg_store_counters, for /metrics). */
void sg__count_signup_call(size_t n);

/** Attach hiredis to an h2o evloop (adapter.c). 0 or -1. */
int sg__redis_attach(redisAsyncContext *ac, h2o_loop_t *loop);

#endif
