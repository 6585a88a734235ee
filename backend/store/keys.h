/* SPDX-License-Identifier: MIT */
/* Every Redis key name of the project, in one place (docs/redis-keys.md says what each
 * holds). All keys of a deployment start with "sg:{P}:", P the province served: the hash
 * tag {P} puts every key, named here or derived by a script from the prefix, in one hash
 * slot, so one Redis (or one Redis Cluster node) serves a province whole. Store module
 * only; no I/O. */
#ifndef SG_STORE_KEYS_H
#define SG_STORE_KEYS_H

#include <stddef.h>

/**
 * Room for the longest key: the audit-once key of a 63-byte user, 31-byte action and
 * 63-byte target takes 177 bytes; a campaign id (31), a code (8), a division (12), a
 * keyed hash (32), an Idempotency-Key (79) or a vehicle id (15) take far less.
 * tests/unit/store/test_keys.c checks that the longest of each fits.
 */
#define SG__KEY_MAX 256

/** The keys of the layout before version 2 started with this, without a hash tag. */
#define SG__KEYS_OLD_PREFIX "sg:"
/** SCAN MATCH pattern of every key of the layout before version 2 (no "{" after "sg:"). */
#define SG__KEYS_OLD_MATCH "sg:[^{]*"

/** A deployment's key space: the prefix of all its keys. */
struct sg__keys {
    char prefix[16]; /* "sg:{45}:" */
    size_t len;
};

/** One key name, NUL-terminated. */
struct sg__key {
    char s[SG__KEY_MAX];
};

/**
 * Set ks up for province (two digits, e.g. "45"): prefix "sg:{45}:". 0, or SG_EINVAL
 * when province is not two digits (ks is then unusable).
 */
int sg__keys_init(struct sg__keys *ks, const char *province);

/*
 * Each function below writes one key name into out and returns out->s. Strings are
 * borrowed. Arguments longer than their documented bounds are cut (the key then names
 * nothing stored); within them a key never is.
 */

/** Keys that exist once per deployment. */
enum sg__key_global {
    SG__KEY_SCHEMA,        /**< sg:{P}:schema         string: the layout version (SG_STORE_SCHEMA_VERSION) */
    SG__KEY_USERS,         /**< sg:{P}:users          set of staff account names */
    SG__KEY_AUDIT,         /**< sg:{P}:audit          stream: the audit log */
    SG__KEY_VEHICLES_NEXT, /**< sg:{P}:vehicles:next  string: the last vehicle id given out */
    SG__KEY_FUNDING_NEXT,  /**< sg:{P}:funding:next   string: the last funding entry id */
    SG__KEY_FILINGS_NEXT,  /**< sg:{P}:filings:next   string: the last filing id */
    /* jobs and notifications (issue 17) */
    SG__KEY_EMPLOYERS,      /**< sg:{P}:employers         zset "{scope}:{id}" of every employer */
    SG__KEY_EMPLOYERS_NEXT, /**< sg:{P}:employers:next    string: the last employer id */
    SG__KEY_JOBS,           /**< sg:{P}:jobs              zset "{scope}:{id}" of every job */
    SG__KEY_JOBS_NEXT,      /**< sg:{P}:jobs:next         string: the last job id */
    SG__KEY_PUSHES,         /**< sg:{P}:pushes            zset "{scope}:{id}" of every job push */
    SG__KEY_PUSHES_NEXT,    /**< sg:{P}:pushes:next       string: the last push id */
    SG__KEY_NOTIFY_EVENTS,  /**< sg:{P}:notify:events     stream: what changed (a vehicle, a push), for the sender */
    SG__KEY_NOTIFY_OUTBOX,  /**< sg:{P}:notify:outbox     stream: messages to send (their ids) */
    SG__KEY_NOTIFY_DELAYED, /**< sg:{P}:notify:delayed    zset: messages waiting to be tried again, by time */
    SG__KEY_NOTIFY_DEAD,    /**< sg:{P}:notify:dead       zset "{scope}:{mid}": messages given up on */
    SG__KEY_NOTIFY_NEXT,    /**< sg:{P}:notify:next       string: the last message id */
    SG__KEY_NOTIFY_OPTOUT,  /**< sg:{P}:notify:optout     set of phone hashes that replied TD */
    SG__KEY_WECHAT_TICKET,  /**< sg:{P}:wechat:ticket  string, TTL: the WeChat JS-SDK jsapi_ticket */
    SG__KEY_FOLD,           /**< sg:{P}:fold           list: sign-ups not yet folded into indexes and counters */
    SG__KEY_OPEN_CHANGES, /**< sg:{P}:open:changes   hash campaign -> changes an accept's view of the open index misses
                           */
};
const char *sg__key_global(struct sg__key *out, const struct sg__keys *ks, enum sg__key_global which);

/** Keys that exist once per campaign: sg:{P}:{campaign}:{name}. */
enum sg__key_campaign {
    SG__KEY_BYPLACE,   /**< zset "{village}:{code}" of the campaign's registrations */
    SG__KEY_CANCELLED, /**< zset, the same for cancelled registrations */
    SG__KEY_OPEN,      /**< zset of the registrations still to be matched */
    SG__KEY_ASSIGN,    /**< hash code -> "{vehicle}:{first seat}" */
    SG__KEY_UNSWEPT,   /**< string: the mark of an accept whose sweep is not done */
    SG__KEY_MATCHLOCK, /**< string: the token of the matching run in progress */
    SG__KEY_VEHICLES,  /**< zset "{scope}:{id}" of the campaign's vehicles */
    SG__KEY_FUNDING,   /**< zset "{scope}:{id}" of funding entries */
    SG__KEY_FILINGS,   /**< zset "{scope}:{id}" of filed statistics tables */
};
/** campaign: [a-z0-9-]{1,31}. */
const char *sg__key_campaign(struct sg__key *out, const struct sg__keys *ks, const char *campaign,
                             enum sg__key_campaign which);

/** sg:{P}:reg:{code}: a registration hash. code: 8 characters; "" gives the prefix scripts append a code to. */
const char *sg__key_reg(struct sg__key *out, const struct sg__keys *ks, const char *code);
/** sg:{P}:idem:{key}: the code a sign-up with this Idempotency-Key produced (key: up to 79 bytes). */
const char *sg__key_idem(struct sg__key *out, const struct sg__keys *ks, const char *key);
/** sg:{P}:uid:{campaign}:{hash}: the code holding an ID number (hash: 32 hex digits) in a campaign. */
const char *sg__key_uid(struct sg__key *out, const struct sg__keys *ks, const char *campaign, const char *hash);
/** sg:{P}:{campaign}:stats:{code}: the counters of a village or county (code: up to 12 digits). */
const char *sg__key_stats(struct sg__key *out, const struct sg__keys *ks, const char *campaign, const char *code);
/** sg:{P}:{campaign}:stats:{county}: the counters of the county of village (its first 6 digits). */
const char *sg__key_stats_county(struct sg__key *out, const struct sg__keys *ks, const char *campaign,
                                 const char *village);
/** sg:{P}:{campaign}:returns:{county}: latest return figures of the villages of the county of code (6 digits of it). */
const char *sg__key_returns(struct sg__key *out, const struct sg__keys *ks, const char *campaign, const char *code);
/** sg:{P}:{campaign}:returns-history:{village}: every return figure entered for a village. */
const char *sg__key_returns_history(struct sg__key *out, const struct sg__keys *ks, const char *campaign,
                                    const char *village);
/** sg:{P}:purge:{campaign}: where an interrupted purge goes on. */
const char *sg__key_purge(struct sg__key *out, const struct sg__keys *ks, const char *campaign);

/** sg:{P}:vehicle:{id}: a vehicle hash (id: up to 15 digits). */
const char *sg__key_vehicle(struct sg__key *out, const struct sg__keys *ks, const char *id);
/** sg:{P}:vehicle:{id}:seats: zset, score first seat, member code. */
const char *sg__key_vehicle_seats(struct sg__key *out, const struct sg__keys *ks, const char *id);
/** sg:{P}:vehicle:{id}:boarded: set of the codes checked in. */
const char *sg__key_vehicle_boarded(struct sg__key *out, const struct sg__keys *ks, const char *id);
/** sg:{P}:funding:{id}: a funding entry; id "" gives the prefix scripts append an id to. */
const char *sg__key_funding(struct sg__key *out, const struct sg__keys *ks, const char *id);
/** sg:{P}:filing:{id}: a filed statistics table; id "" gives the prefix scripts append an id to. */
const char *sg__key_filing(struct sg__key *out, const struct sg__keys *ks, const char *id);

/** sg:{P}:employer:{id}: an employer; id "" gives the prefix scripts append an id to. */
const char *sg__key_employer(struct sg__key *out, const struct sg__keys *ks, const char *id);
/** sg:{P}:employer-code:{credit code}: the id of the employer with this credit code (18 characters). */
const char *sg__key_employer_code(struct sg__key *out, const struct sg__keys *ks, const char *code);
/** sg:{P}:job:{id}: a job; id "" gives the prefix. */
const char *sg__key_job(struct sg__key *out, const struct sg__keys *ks, const char *id);
/** sg:{P}:push:{id}: a job push; id "" gives the prefix. */
const char *sg__key_push(struct sg__key *out, const struct sg__keys *ks, const char *id);
/** sg:{P}:push:{id}:phones: set of the phone hashes a push has queued a message for. */
const char *sg__key_push_phones(struct sg__key *out, const struct sg__keys *ks, const char *id);
/** sg:{P}:notify:message:{mid}: one message; mid "" gives the prefix. */
const char *sg__key_notify_msg(struct sg__key *out, const struct sg__keys *ks, const char *mid);
/** sg:{P}:notify:day:{YYYY-MM-DD}: phone hash -> messages sent that day (China time). */
const char *sg__key_notify_day(struct sg__key *out, const struct sg__keys *ks, const char *date);
/** sg:{P}:notify:told:{vehicle}: code -> what its passenger was told (and "{code}:r" once reminded). */
const char *sg__key_notify_told(struct sg__key *out, const struct sg__keys *ks, const char *vehicle);
/** sg:{P}:notify:reminders:{YYYY-MM-DD}: set once the reminders for that day's departures are queued. */
const char *sg__key_notify_reminders(struct sg__key *out, const struct sg__keys *ks, const char *date);

/** sg:{P}:user:{name}: a staff account (name: up to 63 bytes). */
const char *sg__key_user(struct sg__key *out, const struct sg__keys *ks, const char *name);
/** sg:{P}:user:{name}:sessions: set of the account's session key names. */
const char *sg__key_user_sessions(struct sg__key *out, const struct sg__keys *ks, const char *name);
/** sg:{P}:limit:{kind}:{subject}: an attempt counter (limit.lua). */
const char *sg__key_limit(struct sg__key *out, const struct sg__keys *ks, const char *kind, const char *subject);
/** sg:{P}:session:{hash}: a staff session, by keyed hash of its id (32 hex digits). */
const char *sg__key_session(struct sg__key *out, const struct sg__keys *ks, const char *hash);
/** sg:{P}:auditonce:{user}:{action}:{target}: an audit entry written lately (63, 31, 63 bytes at most). */
const char *sg__key_auditonce(struct sg__key *out, const struct sg__keys *ks, const char *user, const char *action,
                              const char *target);

/**
 * The name in this layout of old, a key of the layout before version 2 ("sg:" and the
 * rest): the prefix and the same rest. NULL when old is not such a key.
 */
const char *sg__key_from_old(struct sg__key *out, const struct sg__keys *ks, const char *old);

#endif
