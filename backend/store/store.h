/* SPDX-License-Identifier: MIT */
/* The Redis store: registrations, their uniqueness keys, indexes and counters, written
 * atomically; personal numbers encrypted on the way in and decrypted on the way out.
 * Asynchronous on an H2O loop: every call that returns 0 answers its callback exactly
 * once; a call that returns an error never calls it. Key layout: docs/redis-keys.md. */
#ifndef SG_STORE_STORE_H
#define SG_STORE_STORE_H

#include <stdbool.h>
#include <stdint.h>
#include <h2o/socket.h>
#include "domain/code.h"
#include "domain/campaign.h"
#include "domain/registration.h"

struct sg_store; /* opaque */

struct sg_store_config {
    const char *redis_address; /* "127.0.0.1:6379" or a unix socket path */
    const char *key_file;      /* master key for personal numbers */
    unsigned timeout_ms;       /* per Redis command; 0 = 2000 */
    unsigned connections;      /* Redis connections, used round robin (1..16; 0 = 1) */
};

/** NULL with a reason (static string) in *err when the address or the key file is unusable. */
struct sg_store *sg_store_new(h2o_loop_t *loop, const struct sg_store_config *cfg, const char **err);
/** Pending callbacks are answered with SG_EUNAVAIL first. */
void sg_store_free(struct sg_store *s);
/** True while connected to Redis. */
bool sg_store_ready(const struct sg_store *s);

typedef void (*sg_store_status_cb)(void *data, int status);
/** PING. status 0, SG_EUNAVAIL or SG_ETIMEDOUT. */
int sg_store_ping(struct sg_store *s, sg_store_status_cb cb, void *data);

struct sg_save_result {
    char code[SG_CODE_LEN + 1];
    size_t people;
    int duplicate_person; /* with SG_EEXIST: index into reg->people whose ID is taken */
    bool replayed;        /* an Idempotency-Key seen before: the first answer again */
};
typedef void (*sg_store_save_cb)(void *data, int status, const struct sg_save_result *res);

/**
 * Store a validated registration under campaign (borrowed; copied before returning).
 * idem_key (may be NULL) makes a retry of the same submission answer the first result.
 * entered_by: the staff user who entered it face to face, or NULL for a worker's own.
 * status: 0 stored (or replayed), SG_EEXIST an ID number is already registered in the
 * campaign (res->duplicate_person says whose), SG_EUNAVAIL, SG_ETIMEDOUT, SG_EIO.
 */
int sg_store_registration_save(struct sg_store *s, const char *campaign, const struct sg_registration *reg,
                               const char *idem_key, const char *entered_by, uint64_t now_ms, sg_store_save_cb cb,
                               void *data);

struct sg_stored_registration {
    char code[SG_CODE_LEN + 1];
    char campaign[SG_CAMPAIGN_ID_MAX + 1];
    char status[16]; /* "registered", "cancelled", later "assigned", ... */
    uint64_t created_ms;
    uint64_t cancelled_ms;      /* 0 unless cancelled */
    char entered_by[64];        /* "" for a worker's own sign-up */
    struct sg_registration reg; /* personal numbers decrypted */
};
typedef void (*sg_store_get_cb)(void *data, int status, const struct sg_stored_registration *r);

/** Look a registration up by its confirmation code. status 0, SG_ENOENT, SG_EUNAVAIL, SG_ETIMEDOUT, SG_EIO. */
int sg_store_registration_get(struct sg_store *s, const char *code, sg_store_get_cb cb, void *data);

/**
 * Cancel the registration code (borrowed; copied before returning) in one atomic step:
 * status "cancelled", its people's ID numbers freed for a new sign-up in the campaign,
 * its place-index entry removed and the people counters of its village and county
 * decremented. The caller has checked the proof (phone4). status: 0 cancelled now or
 * already before (nothing changes the second time), SG_ENOENT no such code, SG_EUNAVAIL,
 * SG_ETIMEDOUT, SG_EIO.
 */
int sg_store_registration_cancel(struct sg_store *s, const char *code, uint64_t now_ms, sg_store_status_cb cb,
                                 void *data);

#endif
