/* SPDX-License-Identifier: MIT */
/* The target group of a job push: the sign-ups of a campaign under the filter's scope,
 * read page by page (nothing opened: the phones stay sealed), filtered by the domain's
 * rules (domain/job.h), counted as people and as distinct phones that may get a message
 * (a phone, consent to SMS, not opted out). Shared by POST /api/pushes (the count before
 * sending) and the sender (which queues one message per phone). */
#ifndef SG_SERVICE_TARGET_H
#define SG_SERVICE_TARGET_H

#include <stdbool.h>
#include "domain/job.h"
#include "store/crypto.h"
#include "store/store.h"

struct sg_target_count {
    long matched;    /* people the filter takes */
    long reachable;  /* distinct phones a message goes to */
    long no_phone;   /* taken people without a phone of their own */
    long no_consent; /* on sign-ups without consent to SMS */
    long opted_out;  /* phones that replied TD */
};

/** One message's addressee. */
struct sg_target_recipient {
    char phone[SG_CRYPTO_SEALED_MAX];
    char ph[SG_CRYPTO_HASH_HEX];
    char masked[12];
    char village[13];
    char code[9];
};

struct sg_target_scan;
/**
 * A page's recipients (not yet deduplicated across pages; valid during the call). The
 * consumer calls sg_target_scan_next(scan) when it is ready for the next page.
 */
typedef void (*sg_target_page_cb)(void *data, struct sg_target_scan *scan, const struct sg_target_recipient *r,
                                  size_t n);
typedef void (*sg_target_done_cb)(void *data, int status, const struct sg_target_count *c);

/**
 * Read the target group of t (borrowed, copied) in campaign on today. on_page may be NULL
 * (count only). done is called once at the end. 0, or an error without calling anything.
 */
int sg_target_scan_start(struct sg_store *s, const char *campaign, const struct sg_target *t, struct sg_date today,
                         sg_target_page_cb on_page, sg_target_done_cb done, void *data);
/** Go on after on_page. */
void sg_target_scan_next(struct sg_target_scan *scan);

#endif
