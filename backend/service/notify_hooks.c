/* SPDX-License-Identifier: MIT */
/* What the text-message sender hears of: every change of who travels in which vehicle
 * (service/trip_events.h) becomes an event naming the vehicle (sg_store_notify_vehicle);
 * the sender works out, from what each passenger was told, who gets which message. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "service/notify.h"
#include "service/trip_events.h"
#include "store/notify.h"

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A matching batch: each vehicle it filled, once, in one call. */
static void assigned(struct sg_store *s, const struct sg_trip_change *c)
{
    const char **v = malloc((c->n + 1) * sizeof(*v));
    size_t n = 0;
    if (v == NULL)
        abort();
    memcpy(v, c->vehicles, c->n * sizeof(*v));
    qsort(v, c->n, sizeof(*v), by_name);
    for (size_t i = 0; i != c->n; ++i)
        if (i == 0 || strcmp(v[i], v[i - 1]) != 0)
            v[n++] = v[i];
    if (n != 0)
        sg_store_notify_vehicles(s, v, n, "assigned");
    free(v);
}

static void on_trip(void *data, struct sg_app *app, const struct sg_trip_change *c)
{
    (void)data;
    switch (c->kind) {
    case SG_TRIP_ASSIGNED:
        assigned(app->store, c);
        break;
    case SG_TRIP_MOVED: /* the vehicle it went to: its passenger hears of the new seat */
        sg_store_notify_vehicle(app->store, c->vehicle, "moved");
        break;
    case SG_TRIP_REMOVED:
        sg_store_notify_vehicle(app->store, c->vehicle, "removed");
        break;
    case SG_TRIP_VEHICLE_CHANGED:
        sg_store_notify_vehicle(app->store, c->vehicle, "changed");
        break;
    case SG_TRIP_CANCELLED: /* the worker gave the seat up: no message about it */
        break;
    }
}

void sg_notify_hooks_listen(void)
{
    static bool listening;
    if (!listening && sg_trip_listen(on_trip, NULL) == 0)
        listening = true;
}
