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
 * signed_on: today in China, for the per-day and age counters (sg_registration_counters).
 * status: 0 stored (or replayed), SG_EEXIST an ID number is already registered in the
 * campaign (res->duplicate_person says whose), SG_EUNAVAIL, SG_ETIMEDOUT, SG_EIO.
 */
int sg_store_registration_save(struct sg_store *s, const char *campaign, const struct sg_registration *reg,
                               const char *idem_key, const char *entered_by, uint64_t now_ms, struct sg_date signed_on,
                               sg_store_save_cb cb, void *data);

struct sg_stored_registration {
    char code[SG_CODE_LEN + 1];
    char campaign[SG_CAMPAIGN_ID_MAX + 1];
    char status[16]; /* "registered", later "assigned", "cancelled", ... */
    uint64_t created_ms;
    char entered_by[64];        /* "" for a worker's own sign-up */
    char vehicle[16];           /* the vehicle id when assigned, else "" */
    unsigned seat;              /* first seat of the group when assigned */
    struct sg_registration reg; /* personal numbers decrypted */
};
typedef void (*sg_store_get_cb)(void *data, int status, const struct sg_stored_registration *r);

/** Look a registration up by its confirmation code. status 0, SG_ENOENT, SG_EUNAVAIL, SG_ETIMEDOUT, SG_EIO. */
int sg_store_registration_get(struct sg_store *s, const char *code, sg_store_get_cb cb, void *data);

/* ---- staff accounts, sessions, audit log (staff.c) ---------------------------------- */

struct sg_user {
    char name[64];  /* [a-z0-9_.-], 2..32 */
    int role;       /* enum sg_role */
    char scope[13]; /* division code */
    bool disabled;
    unsigned fails; /* wrong passwords since the last good one */
    uint64_t locked_until_ms;
    char pwhash[128]; /* argon2id string (crypto_pwhash_str) */
};

struct sg_session {
    char user[64];
    int role;
    char scope[13];
    char csrf[65];
    uint64_t created_ms;
};

typedef void (*sg_store_user_cb)(void *data, int status, const struct sg_user *u);
typedef void (*sg_store_users_cb)(void *data, int status, const struct sg_user *users, size_t n);
typedef void (*sg_store_session_cb)(void *data, int status, const struct sg_session *session);
typedef void (*sg_store_lock_cb)(void *data, int status, uint64_t locked_until_ms);

/** True when name is 2..32 of [a-z0-9_.-] starting with a letter or digit. */
bool sg_user_name_valid(const char *name);

/** create: SG_EEXIST when taken; update: SG_ENOENT when absent. Sessions are untouched. */
int sg_store_user_save(struct sg_store *s, const struct sg_user *u, bool create, sg_store_status_cb cb, void *data);
/** SG_ENOENT when there is no such user. */
int sg_store_user_get(struct sg_store *s, const char *name, sg_store_user_cb cb, void *data);
/** Every account, sorted by name (a few thousand at most). */
int sg_store_user_list(struct sg_store *s, sg_store_users_cb cb, void *data);
/** Mark disabled and delete its sessions. SG_ENOENT when absent. */
int sg_store_user_disable(struct sg_store *s, const char *name, sg_store_status_cb cb, void *data);
/** Count a wrong password; after max_fails the account locks for lock_ms (cb gets the lock's end, or 0). */
int sg_store_login_failed(struct sg_store *s, const char *name, uint64_t now_ms, uint64_t lock_ms, unsigned max_fails,
                          sg_store_lock_cb cb, void *data);

/**
 * Sessions are keyed by a keyed hash of the session id (the cookie value), so a copy of
 * Redis does not hand out live sessions. create also clears the user's failure count.
 */
int sg_store_session_create(struct sg_store *s, const char *sid, const struct sg_session *session,
                            unsigned idle_seconds, sg_store_status_cb cb, void *data);
/** Look up and extend by idle_seconds. SG_ENOENT when unknown or expired. */
int sg_store_session_touch(struct sg_store *s, const char *sid, unsigned idle_seconds, sg_store_session_cb cb,
                           void *data);
int sg_store_session_delete(struct sg_store *s, const char *sid, sg_store_status_cb cb, void *data);

struct sg_audit {
    char id[32]; /* stream entry id (set when read) */
    uint64_t at_ms;
    char user[64];
    char action[32];  /* login, login_failed, logout, edit, cancel, export, export_full, user_add, ... */
    char target[64];  /* what it was done to: a code, a scope, a user name */
    char address[48]; /* client address */
    char detail[256]; /* free text, never an unmasked ID or phone number */
};
typedef void (*sg_store_audit_cb)(void *data, int status, const struct sg_audit *entries, size_t n);

/** Append to the audit stream (sg:audit). cb may be NULL: then the result is only logged by Redis. */
int sg_store_audit_append(struct sg_store *s, const struct sg_audit *a, sg_store_status_cb cb, void *data);
/** Newest first: up to count entries older than before_id (NULL: the newest). */
int sg_store_audit_read(struct sg_store *s, size_t count, const char *before_id, sg_store_audit_cb cb, void *data);

#endif
