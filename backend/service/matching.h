/* SPDX-License-Identifier: MIT */
/* One matching run of a campaign's scope, shared by POST /api/match and `songgong
 * match`: read the planned vehicles and the open registrations, run the matcher
 * (domain/match.c) on the offload worker (offload.c: start it first), and with accept,
 * under the campaign's matching lock, create the proposed vehicles and write the
 * assignments in atomic batches. */
#ifndef SG_HTTP_MATCHING_H
#define SG_HTTP_MATCHING_H

#include <stdbool.h>
#include <cjson/cJSON.h>
#include "domain/match.h"
#include "domain/vehicle.h"
#include "service/app.h"

struct sg_open_registrations;

#define SG_MATCH_SKIPPED_KEPT 100 /* skipped codes listed in a report (all are counted) */

struct sg_match_report {
    char campaign[32];
    char scope[SG_DIVISION_CODE_MAX + 1];
    bool accept;
    struct sg_vehicle_sizes sizes; /* of the proposed vehicles */
    struct sg_vehicle *existing;   /* planned vehicles of the scope, before the run */
    size_t nexisting;
    struct sg_open_registrations *open;
    struct sg_match_result res;
    uint64_t people;
    /* with accept: */
    char (*created_id)[SG_VEHICLE_ID_MAX + 1]; /* id of each proposed vehicle once stored */
    size_t assigned, assigned_people, skipped;
    char skipped_codes[SG_MATCH_SKIPPED_KEPT][9];
    double cpu_ms; /* CPU of this process spent in the run (read, match, write) */
};

/** Called once at the end; status 0, SG_EEXIST (another run holds the lock), or a store error. r is valid during the
 * call. */
typedef void (*sg_match_done_cb)(void *data, int status, const struct sg_match_report *r);

/**
 * Start a run (campaign, scope and sizes borrowed; sizes validated, or NULL for
 * sg_vehicle_sizes_default). cb is called on the loop. 0, or an error without calling cb.
 */
int sg_match_start(struct sg_app *app, const char *campaign, const char *scope, const struct sg_vehicle_sizes *sizes,
                   bool accept, sg_match_done_cb cb, void *data);

/** The report as the API shows it. */
cJSON *sg_json_match_report(const struct sg_app *app, const struct sg_match_report *r);

#endif
