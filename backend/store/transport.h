/* SPDX-License-Identifier: MIT */
/* The store's transport part: vehicles and their plans, the matching input (unassigned
 * registrations of a scope), assignments of registrations to seats, boarding check-in.
 * Same contract as store.h: a call that returns 0 answers its callback exactly once.
 * Key layout: docs/redis-keys.md. */
#ifndef SG_STORE_TRANSPORT_H
#define SG_STORE_TRANSPORT_H

#include "domain/vehicle.h"
#include "store/store.h"

typedef void (*sg_store_vehicle_cb)(void *data, int status, const struct sg_vehicle *v);
typedef void (*sg_store_vehicles_cb)(void *data, int status, const struct sg_vehicle *v, size_t n);

/**
 * Create v (v->id ignored; campaign, scope and the plan are stored; used starts at 0) or,
 * with update, overwrite the plan and status of vehicle v->id provided its status is still
 * read_status (SG_EEXIST otherwise: someone changed it meanwhile) and capacity is not
 * below the seats assigned (SG_EINVAL). cb gets the stored vehicle's id in v->id
 * (v is borrowed, copied before returning). SG_ENOENT when an update finds no vehicle.
 */
int sg_store_vehicle_save(struct sg_store *s, const struct sg_vehicle *v, bool update,
                          enum sg_vehicle_status read_status, sg_store_vehicle_cb cb, void *data);
/** One vehicle by id; SG_ENOENT when unknown. */
int sg_store_vehicle_get(struct sg_store *s, const char *id, sg_store_vehicle_cb cb, void *data);
/** Every vehicle of campaign owned by a division under scope (any status), by scope then id. */
int sg_store_vehicle_list(struct sg_store *s, const char *campaign, const char *scope, sg_store_vehicles_cb cb,
                          void *data);

#endif
