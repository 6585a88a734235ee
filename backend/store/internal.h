/* SPDX-License-Identifier: MIT */
/* Shared between the files of the store module only. */
#ifndef SG_STORE_INTERNAL_H
#define SG_STORE_INTERNAL_H

#include "store/store.h"
#include "store/redis.h"
#include "store/crypto.h"

struct sg__script {
    const char *body;
    char sha[41];
};

struct sg_store {
    h2o_loop_t *loop;
    struct sg__redis *redis;
    struct sg_crypto *crypto;
    struct sg__script signup;
};

extern const char sg__signup_lua[];

/**
 * EVALSHA script with keys then args (argv[0..nkeys) are keys). Same contract as
 * sg__redis_command. A NOSCRIPT answer (someone flushed the script cache) reloads the
 * script and reaches cb as an error reply; the caller's retry then succeeds.
 */
int sg__store_eval(struct sg_store *s, struct sg__script *script, int nkeys, int nargs, const char **argv,
                   const size_t *argvlen, sg__redis_cb cb, void *data);

#endif
