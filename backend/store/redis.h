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

/** Called after each successful (re)connect, before other commands go out; may queue commands. */
typedef void (*sg__redis_on_connect)(struct sg__redis *r, void *data);

struct sg__redis_config {
    const char *address; /* "host:port" with a numeric host or "localhost", or a unix socket path */
    unsigned timeout_ms; /* per command */
    sg__redis_on_connect on_connect;
    void *on_connect_data;
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

/** Attach hiredis to an h2o evloop (adapter.c). 0 or -1. */
int sg__redis_attach(redisAsyncContext *ac, h2o_loop_t *loop);

#endif
