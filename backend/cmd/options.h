/* SPDX-License-Identifier: MIT */
/* Settings shared by the subcommands that run against Redis and the data files:
 * environment first, then flags. Also the loading of data/ into an app. */
#ifndef SG_CMD_OPTIONS_H
#define SG_CMD_OPTIONS_H

#include <stdbool.h>
#include <h2o.h>
#include "service/app.h"
#include "store/store.h"

struct sg_options {
    int port;
    const char *host, *redis, *public_url, *key_file, *data_dir, *site_dir, *today, *province;
    unsigned redis_timeout_ms, redis_connections, session_idle_s;
    unsigned threads; /* event loops of the server (default: one per core) */
    bool access_log;
    const char *metrics_token;
    const char *redis_sentinels, *redis_master, *redis_user; /* Redis high availability and ACL (optional) */
    unsigned redis_replicas_ack;
    struct sg_limit_rule limits[SG_LIMITS]; /* SONGGONG_LIMIT_* */
    unsigned streams_per_session, streams_max;
    unsigned fold_ms;         /* SONGGONG_FOLD_MS: the fold's timer (serve); 0: fold only before reads and changes */
    char redis_password[256]; /* read from SONGGONG_REDIS_PASSWORD_FILE; "" when none */
    const char *wechat_appid, *wechat_secret, *wechat_api;
    char public_url_buf[256];
};

/** The text that lists the shared flags and their environment variables, for --help. */
extern const char sg_options_help[];

/** Defaults, then SONGGONG_* environment variables. 0 or -1 (message on stderr). */
int sg_options_from_env(struct sg_options *o);
/**
 * If argv[*i] is a shared flag ("--port 8080" or "--port=8080"), take it (advancing *i
 * past its value) and return 1; return 0 when it is not one; -1 on a bad value.
 */
int sg_options_take(struct sg_options *o, int argc, char **argv, int *i);
/** Fill public_url when not set: http://host:port. */
void sg_options_finish(struct sg_options *o);
/**
 * The whole command line of a command that takes only the shared flags: the environment,
 * then argv; --help or -h prints usage(stdout); then sg_options_finish. 0: go on;
 * 1: help printed (exit 0); -1: a bad or unknown option, said on stderr (exit 1).
 */
int sg_options_parse(struct sg_options *o, int argc, char **argv, const char *command, void (*usage)(FILE *out));

/** Read divisions, destinations, regions and campaigns from o->data_dir into app. 0 or -1. */
int sg_data_load(struct sg_app *app, const struct sg_options *o);
void sg_data_free(struct sg_app *app);

/** The store's settings from o (o borrowed: it must outlive the store). */
struct sg_store_config sg_options_store_config(const struct sg_options *o, unsigned connections);

/**
 * For commands that talk to Redis outside the server: a loop and a store, connected
 * (waits up to 5 s), whose key layout is this code's (sg_cli_schema_check). NULL with a
 * message on stderr when that fails.
 */
struct sg_store *sg_cli_store_open(const struct sg_options *o, h2o_evloop_t **loop);
/** The same without the layout check: for `songgong migrate`. */
struct sg_store *sg_cli_store_connect(const struct sg_options *o, h2o_evloop_t **loop);
/** Run loop until s is connected or ms pass; true when connected. */
bool sg_cli_store_wait(struct sg_store *s, h2o_evloop_t *loop, unsigned ms);
/**
 * Check that Redis holds this code's key layout (sg_store_schema_check; marks an empty
 * Redis), running loop until known. 0, or -1 after one line on stderr saying why not
 * (old layout: run `songgong migrate`).
 */
int sg_cli_schema_check(struct sg_store *s, h2o_evloop_t *loop, const struct sg_options *o);
/** Run the loop until *done is set. */
void sg_cli_wait(h2o_evloop_t *loop, const int *done);

/** A whole file, malloc'ed and NUL-terminated (not counted in *len); caller frees. NULL when unreadable. */
char *sg_file_read(const char *path, size_t *len);

/** Value of a "--name value" / "--name=value" flag at argv[*i], advancing *i; NULL when argv[*i] is not it. */
const char *sg_flag_value(int argc, char **argv, int *i, const char *name);

#endif
