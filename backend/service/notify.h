/* SPDX-License-Identifier: MIT */
/* The sender of text messages: a loop of its own (its own event loop and store, on a
 * thread of the server or in `songgong notify`) that turns events into messages (what a
 * vehicle's passengers must be told, a push's target group, the reminders the day before)
 * and delivers the outbox through a driver (log, webhook, Tencent Cloud SMS), with
 * retries and backoff, dead letters, a daily allowance per phone, opt-outs and quiet
 * hours. A message leaves the outbox only once delivered or given up on (XACK after
 * delivery; entries of a sender that died are taken over), and carries its id to the
 * receiver, which ignores an id it has seen. */
#ifndef SG_SERVICE_NOTIFY_H
#define SG_SERVICE_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include "domain/notify.h"
#include "service/app.h"
#include "service/templates.h"
#include "store/store.h"

#define SG_NOTIFY_BACKOFF_MAX 8

enum sg_notify_driver { SG_DRIVER_LOG = 0, SG_DRIVER_WEBHOOK, SG_DRIVER_TENCENT };

struct sg_notify_config {
    enum sg_notify_driver driver;
    const char *log_path;     /* the log driver's messages (masked phones) */
    const char *delivery_log; /* one line per message: what became of it (masked phone) */
    const char *webhook_url;
    unsigned char secret[128]; /* webhook: HMAC key, from a file */
    size_t secret_len;
    const char *tencent_url; /* https://sms.tencentcloudapi.com (a test points it at loopback) */
    char tencent_id[128], tencent_key[128];
    const char *tencent_app, *tencent_sign, *tencent_region;
    struct sg_quiet quiet;
    unsigned max_per_day;                       /* messages a phone may get a day */
    unsigned max_attempts;                      /* then a dead letter */
    unsigned backoff_ms[SG_NOTIFY_BACKOFF_MAX]; /* wait before attempt 2, 3, ... (the last repeats) */
    size_t nbackoff;
    unsigned poll_ms;       /* how often an idle sender looks */
    unsigned claim_idle_ms; /* an entry pending this long with a sender that died is taken over */
    unsigned timeout_s;     /* of one HTTP delivery */
    struct sg_templates templates;
};

/** One delivery, run on a delivery thread (blocking HTTP). */
struct sg_delivery {
    const struct sg_notify_config *cfg;
    char id[40];    /* the message id the receiver deduplicates by */
    char phone[12]; /* opened for this delivery only, wiped after */
    char masked[12];
    const struct sg_template *t;
    const char *values[SG_TEMPLATE_PARAMS];
    char params_json[1024];
    char text[600];
    int result; /* 0 delivered, 1 failed (try again), 2 refused for good */
    char error[160];
};
/** Deliver d through cfg's driver; sets d->result and d->error. Thread-safe. */
void sg_notify_deliver(struct sg_delivery *d);
/** Call once before any thread delivers (libcurl's global init). */
void sg_notify_deliver_init(void);

/**
 * Start the sender on a thread of its own: its own event loop, its own store (store:
 * borrowed, must outlive it), app borrowed (read only). 0, or -1 with the reason on stderr.
 */
int sg_notify_start(const struct sg_app *app, const struct sg_store_config *store, const struct sg_notify_config *cfg);
/** Stop the thread's loop at the end of what it is doing and wait for it (at most a few seconds). */
void sg_notify_stop(void);
/** Run the sender on the calling thread until *stop is set (checked each turn; `songgong notify`). */
int sg_notify_run(const struct sg_app *app, const struct sg_store_config *store, const struct sg_notify_config *cfg,
                  volatile int *stop);

/* ---- hooks: what other code calls when something a worker must hear of changes ------------- */

/**
 * Listen to the transport changes (service/trip_events.h): each vehicle a change touches
 * is synced (sg_store_notify_vehicle). Call once at start-up, before any loop runs, in
 * every command that changes trips (serve, match).
 */
void sg_notify_hooks_listen(void);

#endif
