/* SPDX-License-Identifier: MIT */
/* One matching run of a campaign's scope, shared by POST /api/match and `songgong
 * match`: read the planned vehicles (each with its pickup areas) and the open
 * registrations, run the matcher (domain/match.c) on the offload worker (offload.c:
 * start it first), and with accept, under the campaign's matching lock, create the
 * proposed vehicles (each with a stop serving its pickup area, place and time to be
 * said) and write the assignments in atomic batches, announcing each batch
 * (service/trip_events.h). The report (match_report.c) lists what was left and why. */
#ifndef SG_HTTP_MATCHING_H
#define SG_HTTP_MATCHING_H

#include <stdbool.h>
#include <cjson/cJSON.h>
#include "domain/match.h"
#include "domain/vehicle.h"
#include "service/app.h"

struct sg_open_registrations;

#define SG_MATCH_SKIPPED_KEPT 100 /* skipped codes listed in a report (all are counted) */

/** How a run proposes new vehicles. */
struct sg_match_options {
    struct sg_vehicle_sizes sizes;       /* their seats */
    uint32_t min_load[SG_VEHICLE_TYPES]; /* people each type carries at least (sg_vehicle_min_load_validate) */
    unsigned area_digits;                /* pickup areas: 6 county, 9 township, 12 village (sg_match_area_digits) */
};
/** Default sizes, their default minimum loads, areas by township. */
void sg_match_options_default(struct sg_match_options *o);

struct sg_match_report {
    char campaign[32];
    char scope[SG_DIVISION_CODE_MAX + 1];
    bool accept;
    struct sg_match_options options; /* as given */
    unsigned area_digits;            /* the pickup areas used: the options', never wider than the scope */
    struct sg_vehicle_sizes sizes;   /* of the proposed vehicles (= options.sizes) */
    struct sg_vehicle *existing;     /* planned vehicles of the scope, before the run */
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
 * Start a run (campaign, scope and options borrowed; options validated, or NULL for
 * sg_match_options_default). cb is called on the loop. 0, or an error without calling cb.
 */
int sg_match_start(struct sg_app *app, const char *campaign, const char *scope, const struct sg_match_options *options,
                   bool accept, sg_match_done_cb cb, void *data);

/* match_report.c */
#define SG_MATCH_UNPLACED_CODES 100 /* codes an unplaced group lists (all are counted) */
/**
 * The report as the API shows it: the existing vehicles filled, the new ones by city,
 * date and type, the city × date plan (people, vehicles by type, seats, load), the
 * unplaced groups by reason, city and date, the counts; with accept what was written.
 */
cJSON *sg_json_match_report(const struct sg_app *app, const struct sg_match_report *r);

#endif
