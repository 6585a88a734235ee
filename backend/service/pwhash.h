/* SPDX-License-Identifier: MIT */
/* Password checks off the event loop. argon2id (libsodium crypto_pwhash, interactive
 * limits: about 64 MiB and a good fraction of a second) would stall every other request
 * if run on the loop: the password worker (service/worker.h, thread "sg-pwhash") does
 * them in turn and hands results back to the loop. */
#ifndef SG_SERVICE_PWHASH_H
#define SG_SERVICE_PWHASH_H

#include <h2o.h>

/** ok: 1 the password matches, 0 it does not (or the hash is malformed). Runs on the loop. */
typedef void (*sg_pwhash_cb)(void *data, int ok);

/** Attach the calling thread's loop (queue borrowed); the first call also makes the dummy hash. */
void sg_pwhash_start(h2o_multithread_queue_t *queue);
/** Checks of this loop not yet answered: wait for 0 (running the loop) before sg_pwhash_stop. */
size_t sg_pwhash_pending(void);
/** Detach this loop (before h2o_context_dispose); only when nothing is pending. */
void sg_pwhash_stop(void);
#define SG_PWHASH_QUEUE 16 /* checks waiting or running: more are refused, not queued without end */

/**
 * Check password against hash (both copied; the copy of the password is wiped). cb runs
 * later on the loop, exactly once (unless sg_pwhash_stop comes first). 0, or SG_EUNAVAIL
 * without calling cb when SG_PWHASH_QUEUE checks are already waiting or running.
 */
int sg_pwhash_verify(const char *hash, const char *password, sg_pwhash_cb cb, void *data);
/** How long a check takes now (ms; measured at start, then following the checks made): what an unknown user is made to
 * wait. */
unsigned sg_pwhash_typical_ms(void);

/** Jobs waiting or running, from every loop. */
size_t sg_pwhash_queued(void);

#endif
