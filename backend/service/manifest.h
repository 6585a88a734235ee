/* SPDX-License-Identifier: MIT */
/* The row model of a vehicle's passenger list (乘车人员名单), from what the store read:
 * one row per person, by pickup stop in the stops' order and seat order inside a stop,
 * ready for print/manifest.h to render as CSV, .xlsx or PDF. A doc holds its own copies
 * of everything, so it may go to another thread. */
#ifndef SG_SERVICE_MANIFEST_H
#define SG_SERVICE_MANIFEST_H

#include <stdbool.h>
#include "print/manifest.h"
#include "service/app.h"
#include "store/transport.h"

/**
 * Fill d for vehicle v (borrowed: d->v points to it) from the n groups e, masked unless
 * full. d->rows is malloc'ed: release it with sg_manifest_drop.
 */
void sg_manifest_build(const struct sg_app *app, const struct sg_vehicle *v, const struct sg_manifest_entry *e,
                       size_t n, bool full, struct sg_manifest_doc *d);
/** Wipe the rows (they may hold full ID and phone numbers) and free them. */
void sg_manifest_drop(struct sg_manifest_doc *d);

#endif
