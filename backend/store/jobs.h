/* SPDX-License-Identifier: MIT */
/* The store's jobs part (issue 17): employers with their unique credit codes, jobs, job
 * pushes and the reading of a scope's sign-ups for a push's target group. Same contract as
 * store.h: a call that returns 0 answers its callback exactly once. Key layout:
 * docs/redis-keys.md. */
#ifndef SG_STORE_JOBS_H
#define SG_STORE_JOBS_H

#include "domain/employer.h"
#include "domain/job.h"
#include "store/crypto.h"
#include "store/store.h"

typedef void (*sg_store_employer_cb)(void *data, int status, const struct sg_employer *e, const char *taken_by);
typedef void (*sg_store_employers_cb)(void *data, int status, const struct sg_employer *list, size_t n);

/**
 * Create e (its id is given out) or, with update, overwrite employer e->id. The credit code
 * is unique: SG_EEXIST when another employer holds it (taken_by: its id). SG_ENOENT when
 * an update finds nothing. cb gets the stored employer (its id filled). e is borrowed.
 */
int sg_store_employer_save(struct sg_store *s, const struct sg_employer *e, bool update, sg_store_employer_cb cb,
                           void *data);
/** One employer; SG_ENOENT when unknown. */
int sg_store_employer_get(struct sg_store *s, const char *id, sg_store_employer_cb cb, void *data);
/** Every employer, by scope then id (a few thousand at most). */
int sg_store_employer_list(struct sg_store *s, sg_store_employers_cb cb, void *data);

typedef void (*sg_store_job_cb)(void *data, int status, const struct sg_job *j);
typedef void (*sg_store_jobs_cb)(void *data, int status, const struct sg_job *list, size_t n);
/** Create j or overwrite job j->id (SG_ENOENT when absent). j is borrowed; cb gets it with its id. */
int sg_store_job_save(struct sg_store *s, const struct sg_job *j, bool update, sg_store_job_cb cb, void *data);
int sg_store_job_get(struct sg_store *s, const char *id, sg_store_job_cb cb, void *data);
/** Every job (open and closed), by scope then id. */
int sg_store_job_list(struct sg_store *s, sg_store_jobs_cb cb, void *data);

/* ---- job pushes ------------------------------------------------------------------------- */

struct sg_push {
    char id[16];
    char scope[SG_DIVISION_CODE_MAX + 1]; /* the filter's scope */
    char campaign[32];
    char user[64];
    uint64_t at_ms;
    char jobs[128];    /* job ids, comma separated */
    char filter[512];  /* the filter as JSON */
    long counted;      /* people reached when it was sent */
    long queued, sent; /* messages queued and sent so far */
};
typedef void (*sg_store_push_cb)(void *data, int status, const struct sg_push *p);
typedef void (*sg_store_pushes_cb)(void *data, int status, const struct sg_push *list, size_t n);
/** Store push p (id given out) and queue its expansion for the sender, in one step. */
int sg_store_push_create(struct sg_store *s, const struct sg_push *p, sg_store_push_cb cb, void *data);
int sg_store_push_get(struct sg_store *s, const char *id, sg_store_push_cb cb, void *data);
/** The pushes of a scope (their filter's scope under it), newest first, at most 100. */
int sg_store_push_list(struct sg_store *s, const char *scope, sg_store_pushes_cb cb, void *data);

/** A sign-up as a push's target group reads it: nothing opened, its phones sealed. */
struct sg_target_row {
    char code[SG_CODE_LEN + 1];
    struct sg_registration reg;                      /* village filled; numbers not opened */
    char phone[SG_MAX_PEOPLE][SG_CRYPTO_SEALED_MAX]; /* sealed, "" without one */
    char phash[SG_MAX_PEOPLE][SG_CRYPTO_HASH_HEX];   /* keyed hash of the phone */
    char masked[SG_MAX_PEOPLE][12];                  /* the phone masked, "" without one */
};
typedef void (*sg_store_target_cb)(void *data, int status, const struct sg_target_row *rows, size_t n,
                                   const char *next);
/**
 * One page (up to count, 1..1000) of the active sign-ups of campaign under scope, after
 * member after ("" from the start); next is "" after the last page.
 */
int sg_store_target_page(struct sg_store *s, const char *campaign, const char *scope, const char *after, size_t count,
                         sg_store_target_cb cb, void *data);

#endif
