/* SPDX-License-Identifier: MIT */
/* Shared between the files of the store module only. */
#ifndef SG_STORE_INTERNAL_H
#define SG_STORE_INTERNAL_H

#include "store/store.h"
#include "store/redis.h"
#include "store/crypto.h"
#include "store/keys.h"
#include <h2o/timeout.h>

struct sg__script {
    const char *body;
    char sha[41];
};

enum sg__script_id {
    SG__SCRIPT_SIGNUP,
    SG__SCRIPT_USER_SAVE,
    SG__SCRIPT_USER_DISABLE,
    SG__SCRIPT_SESSION_CREATE,
    SG__SCRIPT_SESSION_TOUCH,
    SG__SCRIPT_PAGE,
    SG__SCRIPT_EDIT,
    SG__SCRIPT_CANCEL,
    SG__SCRIPT_HGETALL,
    SG__SCRIPT_RETURNS_SAVE,
    SG__SCRIPT_VEHICLE_SAVE,
    SG__SCRIPT_ASSIGN,
    SG__SCRIPT_ASSIGNMENT_RELEASE,
    SG__SCRIPT_ASSIGNMENT_MOVE,
    SG__SCRIPT_CHECKIN,
    SG__SCRIPT_PURGE,
    SG__SCRIPT_RETURNS_UNTIL,
    SG__SCRIPT_AUDIT_ONCE,
    SG__SCRIPT_REGISTRATION_GET,
    SG__SCRIPT_OPEN_SWEEP,
    SG__SCRIPT_MIGRATE,
    SG__SCRIPT_MIGRATE_DATA,
    SG__SCRIPT_LIMIT,
    SG__SCRIPT_IDEM_RESOLVE,
    SG__SCRIPT_EMPLOYER_SAVE,
    SG__SCRIPT_JOB_SAVE,
    SG__SCRIPT_PUSH_CREATE,
    SG__SCRIPT_NOTIFY_ENQUEUE,
    SG__SCRIPT_NOTIFY_TOLD,
    SG__SCRIPT_NOTIFY_CLAIM,
    SG__SCRIPT_NOTIFY_DONE,
    SG__SCRIPT_NOTIFY_RETRY,
    SG__SCRIPT_NOTIFY_DUE,
    SG__SCRIPT_NOTIFY_REVIVE,
    SG__SCRIPT_NOTIFY_VEHICLE,
    SG__SCRIPT_REGISTRATION_MARK,
    SG__SCRIPT_FOLD,
    SG__SCRIPT_ASSIGN_FRESH,
    SG__SCRIPTS
};

#define SG__CONNECTIONS_MAX 16

#define SG__SENTINELS_MAX 8

struct sg__save_op;
struct sg__signup_batch;

/* Sign-ups waiting for the end of the event loop's turn (registration.c), then sent as
 * signup.lua calls of up to 64. Set up by the first sign-up; sg_store_free calls
 * take_down, which fails what still waits and frees the rest. */
struct sg__signups {
    struct sg__save_op *head, **tail;
    h2o_timeout_t turn;           /* of 0 ms: its entry runs after the turn's I/O */
    h2o_timeout_entry_t entry;    /* linked while sign-ups wait */
    struct sg__signup_batch *buf; /* what a call is built in */
    void (*take_down)(struct sg_store *s);
};

struct sg_store {
    h2o_loop_t *loop;
    struct sg__redis_config redis_config; /* every connection's: lives as long as the store */
    char sentinel_text[512];
    const char *sentinels[SG__SENTINELS_MAX];
    struct sg__redis *redis[SG__CONNECTIONS_MAX];
    size_t nredis, next;
    struct sg_crypto *crypto;
    struct sg__keys keys; /* every key name comes from here (keys.h) */
    struct sg__script scripts[SG__SCRIPTS];
    struct sg__signups signups;
    struct sg__key fold_key; /* sg:{P}:fold */
    bool fold_lazy;          /* sign-ups wait on the fold list: folded only before reads and changes */
    bool fold_ticking;       /* the timer's fold has not answered yet: the next tick waits */
    bool closing;            /* sg_store_free runs: answers send nothing more */
    h2o_timeout_t fold_timeout;
    h2o_timeout_entry_t fold_entry; /* linked while the fold timer runs */
};

extern const char sg__signup_lua[], sg__user_save_lua[], sg__user_disable_lua[], sg__session_create_lua[],
    sg__session_touch_lua[], sg__page_lua[], sg__edit_lua[], sg__cancel_lua[], sg__hgetall_lua[],
    sg__returns_save_lua[], sg__vehicle_save_lua[], sg__assign_lua[], sg__assignment_release_lua[],
    sg__assignment_move_lua[], sg__checkin_lua[], sg__purge_lua[], sg__returns_until_lua[], sg__audit_once_lua[],
    sg__registration_get_lua[], sg__open_sweep_lua[], sg__migrate_lua[], sg__migrate_data_lua[], sg__limit_lua[],
    sg__idem_resolve_lua[], sg__employer_save_lua[], sg__job_save_lua[], sg__push_create_lua[],
    sg__notify_enqueue_lua[], sg__notify_told_lua[], sg__notify_claim_lua[], sg__notify_done_lua[],
    sg__notify_retry_lua[], sg__notify_due_lua[], sg__notify_revive_lua[], sg__notify_vehicle_lua[],
    sg__registration_mark_lua[], sg__fold_lua[], sg__assign_fresh_lua[];

/** page.lua's fields per row after the index member (scan.c reads them, push.c too). */
#define SG__PAGE_FIELDS 12

/** The body of every script, by enum sg__script_id (store.c). */
extern const char *const sg__script_bodies[SG__SCRIPTS];

/**
 * The next connected Redis connection (round robin), or NULL when none is. Requests are
 * independent atomic scripts, so they may use any connection: several let Redis read more
 * commands per event-loop turn, and so fsync the AOF once for more of them.
 */
struct sg__redis *sg__store_redis(struct sg_store *s);

/**
 * EVALSHA script with keys then args (argv[0..nkeys) are keys). Same contract as
 * sg__redis_command. A NOSCRIPT answer (someone flushed the script cache) reloads the
 * script and reaches cb as an error reply; the caller's retry then succeeds.
 */
int sg__store_eval(struct sg_store *s, enum sg__script_id script, int nkeys, int nargs, const char **argv,
                   const size_t *argvlen, sg__redis_cb cb, void *data);

/** The same on connection r (its commands run in the order they were queued). */
int sg__store_eval_on(struct sg_store *s, struct sg__redis *r, enum sg__script_id script, int nkeys, int nargs,
                      const char **argv, const size_t *argvlen, sg__redis_cb cb, void *data);

/**
 * The same as sg__store_eval, after a fold of the pending sign-ups (fold.lua) on the same
 * connection: what the script reads of the indexes and counters holds every sign-up
 * acknowledged before it was sent (docs/redis-keys.md#the-fold). For every read of them.
 */
int sg__store_eval_folded(struct sg_store *s, enum sg__script_id script, int nkeys, int nargs, const char **argv,
                          const size_t *argvlen, sg__redis_cb cb, void *data);
/** The same for a plain command. */
int sg__store_command_folded(struct sg_store *s, sg__redis_cb cb, void *data, int argc, const char **argv,
                             const size_t *argvlen);

/** A connection with a fold of everything pending queued on it (NULL when none is connected): what is sent on it
 * next sees every sign-up acknowledged so far. */
struct sg__redis *sg__store_redis_folded(struct sg_store *s);

/**
 * A plain command on the next connected connection; same contract as sg__redis_command.
 * A write (HSET, ZADD, ...) waits for the configured replicas (sg__redis_command_ex).
 */
int sg__store_command(struct sg_store *s, sg__redis_cb cb, void *data, int argc, const char **argv,
                      const size_t *argvlen);
/** The same, durable or not as the caller says. */
int sg__store_command_ex(struct sg_store *s, sg__redis_cb cb, void *data, int argc, const char **argv,
                         const size_t *argvlen, bool durable);

/** What matching reads of a registration, "{city}:{day}:{flex}:{mode}" (the open index, signup.lua ARGV[9]). */
void sg__match_key(const struct sg_registration *reg, char out[48]);

/**
 * What reg adds to the counters of its village and county, as "field n field n ..." (the
 * registration's 'counted', kept so that a cancel or an edit takes back exactly these):
 * every counter of sg_registration_counters but people (the registration's people) and
 * regs (1), which every registration adds (fold_lib.lua's fold_counted).
 */
void sg__counted_format(const struct sg_registration *reg, struct sg_date signed_on, char *out, size_t outsz);

/** Copy src (NULL = "") into dst, cut to dstsz - 1 bytes. */
void sg__copy_str(char *dst, size_t dstsz, const char *src);

/**
 * One field k = v of a registration hash into out (data is decoded, decrypted only with
 * decrypt). 0 or SG_EIO.
 */
int sg__read_field(struct sg_store *s, bool decrypt, struct sg_stored_registration *out, const redisReply *k,
                   const redisReply *v);

/** The store's keys for personal numbers (store.c). */
struct sg_crypto *sg__store_crypto(struct sg_store *s);

struct sg_vehicle;
/** HGETALL pairs of a vehicle hash into v (vehicle.c); false when it is not a vehicle. */
bool sg__vehicle_parse(const redisReply *r, struct sg_vehicle *v);

#endif
