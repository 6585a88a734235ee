/* SPDX-License-Identifier: MIT */
/* What the rest of the code calls when something a worker must hear of has changed. The
 * hooks only say which vehicle changed (an event); the sender works out, from what each
 * passenger was told, who gets which message. */
#include <stdlib.h>
#include "service/matching.h"
#include "service/notify.h"
#include "store/notify.h"
#include "store/transport.h"

void sg_notify_match(struct sg_store *s, const struct sg_match_report *r)
{
    size_t nv = r->nexisting + r->res.ncreated;
    if (!r->accept || r->assigned == 0 || r->open == NULL || nv == 0)
        return;
    bool *filled = calloc(nv, sizeof(*filled));
    if (filled == NULL)
        abort();
    for (size_t i = 0; i != r->open->n; ++i)
        if (r->res.assign[i].vehicle != SG_MATCH_NONE && r->res.assign[i].vehicle < nv)
            filled[r->res.assign[i].vehicle] = true;
    for (size_t v = 0; v != nv; ++v)
        if (filled[v])
            sg_store_notify_vehicle(s, v < r->nexisting ? r->existing[v].id : r->created_id[v - r->nexisting],
                                    "assigned");
    free(filled);
}
