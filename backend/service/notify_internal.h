/* SPDX-License-Identifier: MIT */
/* Shared between the sender's files (notify.c, notify_push.c) only. */
#ifndef SG_SERVICE_NOTIFY_INTERNAL_H
#define SG_SERVICE_NOTIFY_INTERNAL_H

#define EVENTS_BATCH 4
#define OUTBOX_BATCH 16

#include <h2o.h>
#include "service/notify.h"
#include "store/notify.h"

struct sg__sender {
    struct sg_app app; /* the given app with this loop's store */
    const struct sg_notify_config *cfg;
    char province[3];
    h2o_evloop_t *loop;
    h2o_multithread_queue_t *queue;
    h2o_timeout_t poll_timeout, soon_timeout;
    h2o_timeout_entry_t tick;
    char consumer[64];
    volatile int *stop;
    bool running;
    size_t inflight;
    bool full;
    char reminded[11]; /* the day whose reminders this sender has seen queued */
    struct sg_notify_entry *events;
    size_t nevents, next_event;
    bool setup_ok, setup_pending; /* the streams' consumer group exists */
};

/**
 * Turn push event e into messages: read the push, its first job and its target group,
 * queue one message per phone page by page, then acknowledge e with the last call. done
 * gets s when finished (whatever happened: an event left pending is taken over later).
 */
void sg__notify_push_expand(struct sg__sender *s, const struct sg_notify_entry *e, sg_store_status_cb done);

#endif
