/* SPDX-License-Identifier: MIT */
/* The store's notification part (issue 17): the events stream that says what changed (a
 * vehicle, a job push), the outbox stream of messages with their consumer group (read
 * with XREADGROUP, acknowledged after delivery, stuck ones taken over with XAUTOCLAIM),
 * the delayed set for retries, dead letters, opt-outs, the per-phone daily allowance, and
 * what each vehicle's passengers were told. Same contract as store.h. Key layout:
 * docs/redis-keys.md. */
#ifndef SG_STORE_NOTIFY_H
#define SG_STORE_NOTIFY_H

#include <stdbool.h>
#include <stdint.h>
#include "domain/notify.h"
#include "domain/vehicle.h"
#include "store/crypto.h"
#include "store/store.h"

#define SG_NOTIFY_GROUP "senders" /* the consumer group of both streams */

/**
 * Say that vehicle id changed (why: "assigned", "moved", "removed", "changed"), for the
 * sender to tell its passengers what is new (one XADD to the events stream). Fire and
 * forget: a failure is counted by the store's error counter only.
 */
void sg_store_notify_vehicle(struct sg_store *s, const char *vehicle, const char *why);
/** The same for the vehicles ids[0..n) at once (one script call adding an entry for each): a matching batch's. */
void sg_store_notify_vehicles(struct sg_store *s, const char *const *ids, size_t n, const char *why);
/** The same for the reminder the day before departure (the sender queues these itself). */
int sg_store_notify_remind(struct sg_store *s, const char *vehicle, sg_store_status_cb cb, void *data);

/** Mark date's reminders as queued: cb's status 1 when this call marked it, 0 when already marked. */
int sg_store_notify_once(struct sg_store *s, const char *date, sg_store_status_cb cb, void *data);

/** Make both streams and their consumer group if missing. */
int sg_store_notify_setup(struct sg_store *s, sg_store_status_cb cb, void *data);

enum sg_notify_stream { SG_NOTIFY_EVENTS = 0, SG_NOTIFY_OUTBOX };

/** One stream entry: its id and up to 4 fields. */
struct sg_notify_entry {
    char id[32];
    char kind[16]; /* events: "vehicle", "push", "remind" */
    char ref[32];  /* events: the vehicle or push id; outbox: the message id (mid) */
};
typedef void (*sg_store_entries_cb)(void *data, int status, const struct sg_notify_entry *e, size_t n);
/**
 * Up to count entries of stream for consumer: first those pending longer than idle_ms
 * with another consumer (XAUTOCLAIM: a sender that died), then new ones (XREADGROUP >).
 */
int sg_store_notify_read(struct sg_store *s, enum sg_notify_stream stream, const char *consumer, size_t count,
                         unsigned idle_ms, sg_store_entries_cb cb, void *data);
/** Acknowledge and delete an entry (an event handled, or unreadable). */
int sg_store_notify_ack(struct sg_store *s, enum sg_notify_stream stream, const char *id, sg_store_status_cb cb,
                        void *data);
/** Move the delayed messages due by now_ms back to the outbox (at most 500); cb's status is how many, or an error. */
int sg_store_notify_due(struct sg_store *s, uint64_t now_ms, sg_store_status_cb cb, void *data);

/** A message as the sender gets it. */
struct sg_notify_msg {
    char mid[24];
    char verdict[8]; /* "go", "done", "optout", "limit" */
    char phone[SG_CRYPTO_SEALED_MAX];
    char kind[24]; /* the template */
    char params[1024];
    char scope[13], code[9], push[16], vehicle[16];
    char masked[12];
    unsigned attempts;
};
typedef void (*sg_store_msg_cb)(void *data, int status, const struct sg_notify_msg *m);
/** Take outbox entry entry (message mid) for sending on date (China), at most max_per_day a phone (notify_claim.lua).
 */
int sg_store_notify_take(struct sg_store *s, const char *entry, const char *mid, const char *date, unsigned max_per_day,
                         sg_store_msg_cb cb, void *data);
/** Delivered: marked sent, acknowledged, counted by its push. */
int sg_store_notify_sent(struct sg_store *s, const char *entry, const char *mid, uint64_t now_ms, sg_store_status_cb cb,
                         void *data);
/**
 * Not delivered (failed true: an attempt counts, the day's allowance is given back; dead
 * after max_attempts) or put off (failed false), to be tried at due_ms. cb's status: 1
 * when given up on (dead), 0 waiting, or an error.
 */
int sg_store_notify_retry(struct sg_store *s, const char *entry, const char *mid, const char *date, uint64_t due_ms,
                          bool failed, unsigned max_attempts, const char *error, uint64_t now_ms, sg_store_status_cb cb,
                          void *data);

/* ---- what passengers are told (the sender's sync of a vehicle) ------------------------ */

struct sg_notify_passenger {
    char code[9];
    bool on; /* in the seat list now */
    char status[16];
    char village[13];
    char told[SG_TOLD_MAX];
    bool reminded, sms;
    char assigned[24]; /* "{vehicle}:{seat}" when assigned, "" else */
    char phone[SG_CRYPTO_SEALED_MAX], ph[SG_CRYPTO_HASH_HEX], masked[12];
};
typedef void (*sg_store_told_read_cb)(void *data, int status, const struct sg_vehicle *v,
                                      const struct sg_notify_passenger *p, size_t n);
/** The vehicle and everyone on it or told about it (notify_vehicle.lua). SG_ENOENT when it is gone. */
int sg_store_notify_vehicle_read(struct sg_store *s, const char *vehicle, sg_store_told_read_cb cb, void *data);

/** What the sync decided for one passenger. */
struct sg_notify_tell {
    const struct sg_notify_passenger *p;
    char now[SG_TOLD_MAX]; /* told from now on ("" forget) */
    const char *kind;      /* template, "" none */
    bool reminder;
    char params[512]; /* JSON */
};
/** Keep the tells and queue their messages, acknowledging event (NULL: none) in the same step. cb's status: queued. */
int sg_store_notify_told(struct sg_store *s, const char *vehicle, const char *event, const struct sg_notify_tell *t,
                         size_t n, uint64_t now_ms, sg_store_status_cb cb, void *data);

/** One message of a push: who gets it. */
struct sg_notify_recipient {
    const char *phone, *ph, *masked, *village, *code;
};
/**
 * Queue a push's messages (at most once per phone and push: notify_enqueue.lua),
 * acknowledging event (NULL: not yet) in the same step. cb's status: how many were new.
 */
int sg_store_notify_push_enqueue(struct sg_store *s, const char *push, const char *kind, const char *params,
                                 const char *event, const struct sg_notify_recipient *r, size_t n, uint64_t now_ms,
                                 sg_store_status_cb cb, void *data);

/* ---- opt-outs, dead letters, figures ----------------------------------------------------- */

/** The keyed hash of a phone number (11 digits), as opt-outs and pushes know it. */
void sg_store_phone_hash(struct sg_store *s, const char *phone, char out[SG_CRYPTO_HASH_HEX]);
/** Open a sealed phone (for the sender only): 0 or SG_EINVAL. */
int sg_store_phone_open(struct sg_store *s, const char *sealed, char out[12]);
/** Record that a phone (its hash) replied TD: nothing more is sent to it. */
int sg_store_notify_optout(struct sg_store *s, const char *ph, sg_store_status_cb cb, void *data);
typedef void (*sg_store_flags_cb)(void *data, int status, const bool *flags, size_t n);
/** Which of the phone hashes opted out (SMISMEMBER). */
int sg_store_notify_optouts(struct sg_store *s, const char *const *phs, size_t n, sg_store_flags_cb cb, void *data);

struct sg_notify_dead {
    char mid[24], scope[13], code[9], kind[24], masked[12], error[128], push[16], vehicle[16];
    uint64_t dead_ms;
    unsigned attempts;
};
typedef void (*sg_store_dead_cb)(void *data, int status, const struct sg_notify_dead *d, size_t n);
/** The dead letters of scope, at most 500. */
int sg_store_notify_dead_list(struct sg_store *s, const char *scope, sg_store_dead_cb cb, void *data);
/** Send dead letter mid of scope again; SG_ENOENT when it is no longer one. */
int sg_store_notify_revive(struct sg_store *s, const char *scope, const char *mid, sg_store_status_cb cb, void *data);

struct sg_notify_figures {
    long long events, outbox, delayed, dead, optouts;
};
typedef void (*sg_store_figures_cb)(void *data, int status, const struct sg_notify_figures *f);
int sg_store_notify_figures(struct sg_store *s, sg_store_figures_cb cb, void *data);

#endif
