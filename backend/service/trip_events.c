/* SPDX-License-Identifier: MIT */
/* The listeners of transport changes: a fixed list filled at start-up, read afterwards. */
#include "domain/err.h"
#include "service/trip_events.h"

#define LISTENERS_MAX 8

static struct {
    sg_trip_listener fn;
    void *data;
} listeners[LISTENERS_MAX];
static size_t nlisteners;

int sg_trip_listen(sg_trip_listener fn, void *data)
{
    if (nlisteners == LISTENERS_MAX)
        return SG_ENOMEM;
    listeners[nlisteners].fn = fn;
    listeners[nlisteners++].data = data;
    return 0;
}

void sg_trip_changed(struct sg_app *app, const struct sg_trip_change *c)
{
    for (size_t i = 0; i != nlisteners; ++i)
        listeners[i].fn(listeners[i].data, app, c);
}
