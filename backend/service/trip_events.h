/* SPDX-License-Identifier: MIT */
/* The one place where every change of who travels in which vehicle is announced: a
 * matching run's assignments (per batch written), a passenger moved into or taken out of
 * a vehicle by hand, a registration with a seat cancelled, a vehicle's plan or status
 * changed (cancelled included). Listeners (notifications, say) register at start-up,
 * before the loops run, and are called on the loop that made the change, after the store
 * has written it. The lists are read-only once serving: no lock. */
#ifndef SG_SERVICE_TRIP_EVENTS_H
#define SG_SERVICE_TRIP_EVENTS_H

#include <stddef.h>
#include <stdint.h>
#include "service/app.h"

enum sg_trip_kind {
    SG_TRIP_ASSIGNED,        /* a matching run put codes[i] into vehicles[i] at seats[i] */
    SG_TRIP_MOVED,           /* codes[0] moved by hand into vehicle (from from_vehicle; "" when it was open) */
    SG_TRIP_REMOVED,         /* codes[0] taken out of vehicle by hand (back to matching) */
    SG_TRIP_CANCELLED,       /* codes[0], which had a seat in vehicle, was cancelled (by the worker or staff) */
    SG_TRIP_VEHICLE_CHANGED, /* vehicle's plan or status changed (status: its new one; cancelled sends its people back)
                              */
};

struct sg_trip_change {
    enum sg_trip_kind kind;
    const char *campaign;
    const char *vehicle;         /* the vehicle concerned (NULL for SG_TRIP_ASSIGNED: see vehicles) */
    const char *from_vehicle;    /* SG_TRIP_MOVED: the one it left, "" when it was open */
    const char *status;          /* SG_TRIP_VEHICLE_CHANGED: the vehicle's status now */
    const char *const *codes;    /* the registrations concerned */
    const char *const *vehicles; /* SG_TRIP_ASSIGNED: each code's vehicle */
    const uint32_t *seats;       /* SG_TRIP_ASSIGNED, SG_TRIP_MOVED: each code's first seat */
    size_t n;                    /* how many codes */
    const char *by;              /* the staff user, "worker", or "match" for a matching run */
};

/** Called for every change; c and everything it points to is borrowed for the call only. */
typedef void (*sg_trip_listener)(void *data, struct sg_app *app, const struct sg_trip_change *c);

/** Add a listener (at start-up, before any loop runs; at most 8). 0, or SG_ENOMEM when full. */
int sg_trip_listen(sg_trip_listener fn, void *data);
/** Announce a change to every listener (none registered: nothing happens). */
void sg_trip_changed(struct sg_app *app, const struct sg_trip_change *c);

#endif
