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
#include "domain/filter.h"
#include "domain/registration.h"
#include "domain/returns.h"

struct sg_store; /* opaque */

struct sg_store_config {
    const char *redis_address; /* "127.0.0.1:6379" or a unix socket path */
    const char *key_file;      /* master key for personal numbers */
    unsigned timeout_ms;       /* per Redis command; 0 = 2000 */
    unsigned connections;      /* Redis connections, used round robin (1..16; 0 = 1) */
    const char *province;      /* two digits: every key starts with sg:{province}: (docs/redis-keys.md) */
    /* High availability (optional; strings borrowed, they must outlive the store): */
    const char *sentinels; /* "host:port,host:port": ask these Sentinels for master's primary (redis_address unused) */
    const char *master;    /* the name the Sentinels know the primary by */
    const char *user;      /* ACL user (NULL: "default") */
    const char *password;  /* its password (NULL: no AUTH) */
    unsigned replicas_ack; /* writes are acknowledged once this many replicas have them (0: at once) */
    /* The fold of sign-ups into indexes and counters (docs/redis-keys.md#the-fold): always
     * before a read of them or a change of a registration; also in the call that stores
     * them (unless fold_lazy: they wait on the fold list), and every fold_ms (0: no timer). */
    unsigned fold_ms;
    bool fold_lazy;
};

/** NULL with a reason (static string) in *err when the address, the province or the key file is unusable. */
struct sg_store *sg_store_new(h2o_loop_t *loop, const struct sg_store_config *cfg, const char **err);
/** Pending callbacks are answered with SG_EUNAVAIL first. */
void sg_store_free(struct sg_store *s);
/** True while connected to Redis. */
bool sg_store_ready(const struct sg_store *s);

/**
 * What Redis said about the reply whose callback is running now (its error reply, a lost
 * connection, a timeout), for the error log; "" when the reply was no error. Valid until
 * the next reply is handled on this thread: read it inside the callback chain.
 */
const char *sg_store_error_text(void);

/** Totals of every store of the process, for /metrics. */
struct sg_store_counters {
    unsigned long long errors;                     /* error replies, timeouts and commands lost with a connection */
    unsigned long long reconnects;                 /* connections made again after one was lost */
    unsigned long long signup_calls, signups_sent; /* signup.lua calls, and the sign-ups they carried */
};
void sg_store_counters(struct sg_store_counters *out);

typedef void (*sg_store_status_cb)(void *data, int status);
/** PING. status 0, SG_EUNAVAIL or SG_ETIMEDOUT. */
int sg_store_ping(struct sg_store *s, sg_store_status_cb cb, void *data);

/** folded: sign-ups folded by this call; pending: left on the list (others may add more). */
typedef void (*sg_store_fold_cb)(void *data, int status, size_t folded, size_t pending);
/**
 * Fold every pending sign-up into the indexes and counters (fold.lua, 1,000 a call, until
 * the list is empty). The store does it by itself (before reads, on its timer; signup.lua
 * folds what it stores): commands call it before they end, and it costs one call when nothing is
 * pending. status 0, SG_EUNAVAIL, SG_ETIMEDOUT, SG_EIO.
 */
int sg_store_fold(struct sg_store *s, sg_store_fold_cb cb, void *data);

struct sg_save_result {
    char code[SG_CODE_LEN + 1];
    size_t people;
    int duplicate_person;   /* with SG_EEXIST: index into reg->people whose ID is taken */
    bool replayed;          /* an Idempotency-Key seen before: the first answer again */
    unsigned retry_after_s; /* with SG_ELIMITED */
    char idem_key[80];      /* the key the attempt ran under (the server's own when the client sent none) */
};
typedef void (*sg_store_save_cb)(void *data, int status, const struct sg_save_result *res);

struct sg_save_options {
    const char *idem_key;         /* the client's Idempotency-Key, or NULL: the server makes one */
    const char *entered_by;       /* the staff user who entered it face to face, or NULL for a worker's own */
    const struct sg_limit *limit; /* the client address's sign-up counter (limit.lua's), or NULL */
    bool unkeyed;                 /* no idempotency key at all (made-up data written in bulk) */
};

/**
 * Store a validated registration under campaign (borrowed; copied before returning).
 * Every attempt runs under an idempotency key: a retry with the client's key answers the
 * first result; the same key with another body is refused. When the answer is lost (a
 * timeout, a dropped connection) the store settles the attempt for good before calling
 * back: stored (status 0, its code) or never to be stored (SG_ECANCELED), never unknown
 * while Redis answers. signed_on: today in China, for the per-day and age counters.
 * status: 0 stored (or replayed); SG_EEXIST an ID number is already registered in the
 * campaign (res->duplicate_person); SG_ECONFLICT the key was used with another body;
 * SG_ELIMITED the address's limit is reached (res->retry_after_s); SG_ECANCELED the
 * attempt was settled as not stored; SG_EUNAVAIL, SG_ETIMEDOUT (Redis did not answer the
 * settling either: res->idem_key lets a retry find out), SG_EIO.
 */
int sg_store_registration_save(struct sg_store *s, const char *campaign, const struct sg_registration *reg,
                               const struct sg_save_options *o, uint64_t now_ms, struct sg_date signed_on,
                               sg_store_save_cb cb, void *data);

struct sg_stored_registration {
    char code[SG_CODE_LEN + 1];
    char campaign[SG_CAMPAIGN_ID_MAX + 1];
    char status[16]; /* "registered", "cancelled", later "assigned", ... */
    uint64_t created_ms;
    char entered_by[64];                  /* "" for a worker's own sign-up */
    bool flag_checked;                    /* staff checked the unknown-region flags */
    char cancelled_by[64];                /* who cancelled ("" while not cancelled) */
    uint64_t cancelled_ms;                /* when */
    bool decrypted;                       /* reg's ID and phone numbers are filled (else only the masked ones) */
    struct sg_registration reg;           /* personal numbers decrypted when decrypted is true */
    char id_masked[SG_MAX_PEOPLE][19];    /* "450102********123X" */
    char phone_masked[SG_MAX_PEOPLE][12]; /* "138****5678", or "" without a phone */
    char vehicle[16];                     /* the vehicle id when assigned, else "" */
    unsigned seat;                        /* first seat of the group when assigned */
    /* when assigned: "assigned", "boarded" (checked in), "departed", "arrived" (checked
     * in, the vehicle left or arrived), "no_show" (marked so, or not checked in and the
     * vehicle left); else "" */
    char trip[12];
    bool notified;        /* the village told the person of this vehicle */
    uint64_t notified_ms; /* when (registration reads only) */
    char notified_by[64]; /* who (registration reads only) */
};
typedef void (*sg_store_get_cb)(void *data, int status, const struct sg_stored_registration *r);

/**
 * Look a registration up by its confirmation code (personal numbers decrypted).
 * status 0, SG_ENOENT, SG_EUNAVAIL, SG_ETIMEDOUT, SG_EIO.
 */
int sg_store_registration_get(struct sg_store *s, const char *code, sg_store_get_cb cb, void *data);

/** Room for the keyed hash of an ID number as hex (sg_store_idno_hash), NUL included. */
#define SG_STORE_HASH_HEX 33

/** The keyed hash of a normalized 18-character ID number (registration.c): what the uniqueness key holds it by. */
void sg_store_idno_hash(struct sg_store *s, const char *id_number, char out[SG_STORE_HASH_HEX]);

/**
 * Look the registration up that holds the ID number whose hash (sg_store_idno_hash) is
 * given, in campaign, through its uniqueness key sg:{P}:uid:{campaign}:{hash}: one round
 * trip, the same answer as sg_store_registration_get. A cancelled registration has freed
 * its ID numbers: SG_ENOENT. status 0, SG_ENOENT, SG_EUNAVAIL, SG_ETIMEDOUT, SG_EIO.
 */
int sg_store_registration_get_by_idno(struct sg_store *s, const char *campaign, const char *hash, sg_store_get_cb cb,
                                      void *data);

/* ---- the WeChat JS-SDK ticket (wechat.c) ----------------------------------------------- */

/** text: valid during the call only. */
typedef void (*sg_store_text_cb)(void *data, int status, const char *text);
/** The kept jsapi_ticket: status 0 with it, SG_ENOENT when none is kept (or it expired), or the store error. */
int sg_store_wechat_ticket_get(struct sg_store *s, sg_store_text_cb cb, void *data);
/** Keep ticket (borrowed) for ttl_s seconds (fire and forget: 0 or SG_EUNAVAIL). */
int sg_store_wechat_ticket_set(struct sg_store *s, const char *ticket, unsigned ttl_s);

/* ---- staff work on registrations (scan.c, edit.c) ----------------------------------- */

struct sg_scan_page {
    struct sg_stored_registration *rows; /* n rows, valid during the callback only */
    size_t n;
    size_t total;  /* the scope's members in the index (ZLEXCOUNT), when asked for; else 0 */
    char next[40]; /* pass as after to read the next page; "" after the last page */
};
typedef void (*sg_store_scan_cb)(void *data, int status, const struct sg_scan_page *page);

/**
 * Read up to count (1..1000) registrations of campaign under scope (a division code
 * prefix) in division order, in one round trip: from the campaign's active index
 * (sg:{P}:{campaign}:byplace) or, with cancelled, its index of cancelled ones. Start after
 * the member after ("" = from the start) and skip offset members. decrypt fills the
 * personal numbers (full exports); else only the masked ones are filled, without any
 * decryption unless an old row lacks them. with_total also counts the scope (one
 * ZLEXCOUNT). Rows whose data cannot be read are skipped. With prefilter (NULL: none),
 * Redis leaves out the rows that cannot match it (their data lacks its last 4, name,
 * destination or date), so a search sends and decodes only likely rows; the caller still
 * applies sg_filter_match to what comes back. status 0, SG_EUNAVAIL, SG_ETIMEDOUT,
 * SG_EIO. Strings are borrowed (copied before returning).
 */
int sg_store_registration_scan(struct sg_store *s, const char *campaign, const char *scope, bool cancelled,
                               const char *after, size_t offset, size_t count, bool decrypt, bool with_total,
                               const struct sg_filter *prefilter, sg_store_scan_cb cb, void *data);

struct sg_edit_result {
    int duplicate_person; /* with SG_EEXIST: index into reg->people whose ID number is taken */
    /* with SG_ECONFLICT: "already_cancelled", "changed", "assigned" (in a vehicle: take it
     * out first), "boarded" or "departed" (the trip happened: never again) (static) */
    const char *conflict;
};
typedef void (*sg_store_edit_cb)(void *data, int status, const struct sg_edit_result *res);

/**
 * Replace registration code's content by reg (validated) in one atomic script: the
 * ID numbers it no longer holds are freed, new ones claimed (SET NX: SG_EEXIST names
 * the person whose number is taken, nothing changes), the counters it added are taken
 * back from the old village and county and the new ones added (signed_on: the day of the
 * original sign-up), the index entry moves with the village. expect_village is the
 * village the caller checked the scope of: if it moved meanwhile, SG_ECONFLICT "changed".
 * entered_by is kept as given; reset_flag_checked clears flag_checked (a new unknown
 * region to check). status 0, SG_ENOENT, SG_EEXIST, SG_ECONFLICT, SG_EUNAVAIL,
 * SG_ETIMEDOUT, SG_EIO.
 */
int sg_store_registration_edit(struct sg_store *s, const char *code, const char *expect_village,
                               const struct sg_registration *reg, const char *entered_by, bool reset_flag_checked,
                               struct sg_date signed_on, sg_store_edit_cb cb, void *data);

/** why: with SG_ECONFLICT, "already_cancelled", "boarded" or "departed" (static). */
typedef void (*sg_store_cancel_cb)(void *data, int status, const char *why);
/**
 * Cancel registration code in one atomic script: status "cancelled", cancelled_by = by
 * (a staff user, or "worker" for the worker's own cancel), cancelled_at = now_ms, its
 * ID numbers freed (sg:{P}:uid:…), its counters taken back, its seat freed, its index
 * entry moved from sg:{P}:{campaign}:byplace to sg:{P}:{campaign}:cancelled. status 0,
 * SG_ENOENT, SG_ECONFLICT (nothing changes) with why "already_cancelled", "boarded"
 * (the group checked in) or "departed" (its vehicle left), SG_EUNAVAIL, SG_ETIMEDOUT, SG_EIO.
 */
int sg_store_registration_cancel(struct sg_store *s, const char *code, const char *by, uint64_t now_ms,
                                 sg_store_cancel_cb cb, void *data);

/** Set flag_checked. status 0, SG_ENOENT, SG_EUNAVAIL, SG_ETIMEDOUT, SG_EIO. */
int sg_store_registration_flag_checked(struct sg_store *s, const char *code, sg_store_status_cb cb, void *data);

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

/**
 * Sessions are keyed by a keyed hash of the session id (the cookie value), so a copy of
 * Redis does not hand out live sessions. create also clears the user's failure count.
 */
int sg_store_session_create(struct sg_store *s, const char *sid, const struct sg_session *session,
                            unsigned idle_seconds, sg_store_status_cb cb, void *data);
/** Look up and extend by idle_seconds (0: look only). SG_ENOENT when unknown or expired. */
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

/** Append to the audit stream (sg:{P}:audit). cb may be NULL: then the result is only logged by Redis. */
int sg_store_audit_append(struct sg_store *s, const struct sg_audit *a, sg_store_status_cb cb, void *data);
/** The same, but at most once per window_s seconds for a user, action and target. */
int sg_store_audit_append_once(struct sg_store *s, const struct sg_audit *a, unsigned window_s, sg_store_status_cb cb,
                               void *data);
/** Newest first: up to count entries older than before_id (NULL: the newest). */
int sg_store_audit_read(struct sg_store *s, size_t count, const char *before_id, sg_store_audit_cb cb, void *data);

/* ---- dashboard counters and village return figures (stats.c) ------------------------ */

/** One counter field of hash number index (in the order the codes were given). */
typedef void (*sg_store_counter_cb)(void *data, size_t index, const char *field, size_t flen, long n);

/**
 * Read the counter hashes sg:{P}:{campaign}:stats:{code} of codes[0..n) in one round trip
 * (one atomic snapshot). on_counter is called for every field of every hash, then on_done
 * once with 0; on failure on_done alone with SG_EUNAVAIL, SG_ETIMEDOUT or SG_EIO. codes
 * and campaign are borrowed (copied before returning).
 */
int sg_store_counters_read(struct sg_store *s, const char *campaign, const char *const *codes, size_t n,
                           sg_store_counter_cb on_counter, sg_store_status_cb on_done, void *data);

/** status 0 with latest true when r became the village's latest figures, false when only
 * added to its history (a later as_of date is already there). */
typedef void (*sg_store_returns_saved_cb)(void *data, int status, bool latest);
/** Append r (borrowed) to its village's history and update the latest figures and sums. */
int sg_store_returns_save(struct sg_store *s, const char *campaign, const struct sg_returns *r,
                          sg_store_returns_saved_cb cb, void *data);

typedef void (*sg_store_returns_cb)(void *data, int status, const struct sg_returns *list, size_t n);
/**
 * The latest figures of every village under scope that has some, in village code order;
 * counties are the county codes under (or above) scope whose hashes to read.
 */
int sg_store_returns_list(struct sg_store *s, const char *campaign, const char *scope, const char *const *counties,
                          size_t ncounties, sg_store_returns_cb cb, void *data);
/** The village's figures as entered, newest first, at most count. */
int sg_store_returns_history(struct sg_store *s, const char *campaign, const char *village, size_t count,
                             sg_store_returns_cb cb, void *data);

/* ---- retention (purge.c) --------------------------------------------------------------- */

typedef void (*sg_store_purge_cb)(void *data, int status, size_t deleted, bool done);
/**
 * Delete one batch (about 500 keys) of campaign's data: registrations, vehicles, then
 * every other key of the campaign (uniqueness keys, counters, indexes). Call again until
 * done; safe to repeat or resume. The audit log is kept (it holds no ID or phone number).
 * SG_EINVAL for a malformed campaign id (cb not called).
 */
int sg_store_campaign_purge_step(struct sg_store *s, const char *campaign, sg_store_purge_cb cb, void *data);

/* ---- attempt limits (limit.c) ------------------------------------------------------ */

#define SG_STORE_LIMITS_MAX 4

/** One attempt counter: at most count attempts per window_s seconds for kind and subject. */
struct sg_limit {
    const char *kind;    /* "signup", "lookup", "code", "login", ... (a few letters) */
    const char *subject; /* what is counted: a client address, a code, a user name ... (at most 96 bytes) */
    unsigned count;      /* 0: no limit (the counter is not kept) */
    unsigned window_s;
};
/**
 * which: 0 when the attempt may go on (and was counted on every counter), else the index
 * + 1 of a counter that is full (nothing was counted); retry_after_s: when it empties.
 */
typedef void (*sg_store_limit_cb)(void *data, int status, size_t which, unsigned retry_after_s);
/** Check and count one attempt on n (1..SG_STORE_LIMITS_MAX) counters, atomically. 0 or an error. */
int sg_store_limit_take(struct sg_store *s, const struct sg_limit *limits, size_t n, sg_store_limit_cb cb, void *data);
/** Take one attempt back from each counter (the attempt proved right). Fire and forget. */
void sg_store_limit_give(struct sg_store *s, const struct sg_limit *limits, size_t n);
/** Forget each counter: the attempt proved right, the wrong ones before it are forgiven. Fire and forget. */
void sg_store_limit_forgive(struct sg_store *s, const struct sg_limit *limits, size_t n);

/* ---- the key layout's version (schema.c) ------------------------------------------- */

/** The key layout this code reads and writes, kept in sg:{P}:schema (docs/redis-keys.md). */
#define SG_STORE_SCHEMA_VERSION "4"

enum sg_store_schema {
    SG_STORE_SCHEMA_CURRENT, /* this code's layout (an empty Redis is marked so by the check) */
    SG_STORE_SCHEMA_OLD,     /* an older layout: keys before version 2 (sg:… without the hash tag), version 2 or 3 */
    SG_STORE_SCHEMA_UNKNOWN, /* marked with a version this code does not know */
};
/** what: the old key found, or the unknown version (valid during the call only). */
typedef void (*sg_store_schema_cb)(void *data, int status, enum sg_store_schema schema, const char *what);
/**
 * Which key layout Redis holds: the version in sg:{P}:schema, or when it is missing, a
 * SCAN for keys of the layout before (SG_STORE_SCHEMA_OLD: run sg_store_migrate first);
 * when there are none, the version is set (an empty Redis, or one that holds only this
 * layout). Commands run it once before they start. status 0, SG_EUNAVAIL, SG_ETIMEDOUT, SG_EIO.
 */
int sg_store_schema_check(struct sg_store *s, sg_store_schema_cb cb, void *data);

/** What a migration did. */
struct sg_store_migration {
    unsigned from;        /* the version Redis was marked with (2 or 3), 0 when none */
    size_t renamed;       /* keys moved to their new names (the layout before version 2) */
    size_t rewritten;     /* registrations given version 4's data (migrate_data.lua) */
    size_t births;        /* of which birth dates replaced by birth years (version 2's) */
    const char *conflict; /* with SG_EEXIST, an old key whose new name was taken */
};
typedef void (*sg_store_migrate_cb)(void *data, int status, const struct sg_store_migration *m);
/**
 * Move every key of the layout before version 2 to its name in this one (sg:X → sg:{P}:X),
 * in batches (SCAN, then one atomic script per batch: RENAMENX, and the session key names
 * kept in sg:{P}:user:{name}:sessions rewritten; a purge's SCAN position is dropped, the
 * purge starts its scan again); then rewrite every registration of an older layout into
 * version 4 (version 2's birth date → the birth year; version 3's long data → the compact
 * one; migrate_data.lua, a batch per SCAN page), then set the version. Safe to run again
 * after an interruption; when the version is already set it costs one GET. Needs the standalone
 * Redis the old layout ran on (the new names are in another hash slot than the old ones).
 * status 0; SG_EEXIST when a key's new name is already taken (conflict names the old key,
 * valid during cb only: it is left as it is and the version is not set); SG_EINVAL when
 * Redis is marked with a version this code does not know; SG_EUNAVAIL, SG_ETIMEDOUT, SG_EIO.
 */
int sg_store_migrate(struct sg_store *s, sg_store_migrate_cb cb, void *data);

#endif
