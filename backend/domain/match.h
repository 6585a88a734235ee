/* SPDX-License-Identifier: MIT */
/* Matching sign-ups into vehicles (一车一方案): pure, no I/O. A companion group is one
 * item that is never split. People go only into a vehicle with their destination city,
 * a departure day inside their flexibility window, a type their mode allows, and whose
 * pickup area holds their village.
 *
 * Objective, in this order: never over capacity; never a split group; never a person
 * outside a vehicle's area; never a proposed vehicle below its type's minimum load;
 * fewest vehicles; fewest pickup stops per vehicle (people of one village, then
 * township, together); the seats of one group adjacent. Existing vehicles are filled
 * first; what is left is packed into proposed new vehicles, one pickup area at a time;
 * what reaches no minimum is reported with its reason, never dropped and never forced
 * in. Memory and time are linear in the input (plus sorts). */
#ifndef SG_DOMAIN_MATCH_H
#define SG_DOMAIN_MATCH_H

#include <stddef.h>
#include <stdint.h>

enum sg_vehicle_type { SG_VEHICLE_BUS = 0, SG_VEHICLE_TRAIN, SG_VEHICLE_FLIGHT };
#define SG_VEHICLE_TYPES 3
#define SG_MODE_MASK_ANY 7u /* bit (1 << type) set: that type is allowed */

/** "bus", "train", "flight"; and back (-1 when unknown). Chinese: 专车, 专列, 专机. */
const char *sg_vehicle_type_name(enum sg_vehicle_type t);
const char *sg_vehicle_type_label(enum sg_vehicle_type t);
int sg_vehicle_type_parse(const char *s);
/** Bit mask of vehicle types a registration's mode (enum sg_mode) allows. */
unsigned sg_mode_allows(int mode);

struct sg_match_item {
    uint32_t city;  /* destination city code, e.g. 4419 */
    int32_t day;    /* preferred departure, days since 1970-01-01 */
    uint8_t flex;   /* days earlier or later that are fine, 0..3 */
    uint8_t modes;  /* allowed vehicle types (bit mask) */
    uint16_t size;  /* people, 1..10 */
    uint64_t place; /* village code as a number: nearby codes travel together */
};

/** Villages [lo, hi) as 12-digit numbers: a division code of L digits p is [p * 10^(12-L), (p + 1) * 10^(12-L)). */
struct sg_match_area {
    uint64_t lo, hi;
};

/** The area of a division code (2 to 12 digits); {0, 0} when it is not one. */
struct sg_match_area sg_match_area_of(const char *code);
/** A run's pickup-area level by name: "county" 6, "township" 9, "village" 12; 0 for anything else. And back. */
unsigned sg_match_area_digits(const char *name);
const char *sg_match_area_name(unsigned digits);

struct sg_match_vehicle {
    uint32_t city;
    int32_t day;
    uint8_t type;      /* enum sg_vehicle_type */
    uint32_t capacity; /* seats */
    uint32_t used;     /* seats already taken before this run */
    /* Existing vehicles only: the free seats are the holes (free runs below seat_next, as
     * {first, last}, e.g. left by a cancel) and seat_next .. capacity; a group goes into
     * the first free run that holds it whole. seat_next 0: the free seats are used+1 ..
     * capacity. */
    uint32_t seat_next;
    const uint32_t (*holes)[2];
    size_t nholes;
    /* Existing vehicles only: the villages it takes (its stops' areas, else its owner's
     * division); none: every village. */
    const struct sg_match_area *areas;
    size_t nareas;
    /* Existing vehicles only: the division that owns it ({0, 0}: any), the one its stops may
     * serve: a group it passes by outside its areas but inside it is reported no_stop. */
    struct sg_match_area owner;
    /* Proposed vehicles only: the pickup area (the village code's first area_digits
     * digits as a number; 0 when the run has no areas). */
    uint64_t area;
};

struct sg_match_config {
    uint32_t capacity[SG_VEHICLE_TYPES]; /* seats of a proposed new vehicle of each type (e.g. 50, 1000, 150) */
    uint32_t min_load[SG_VEHICLE_TYPES]; /* people a proposed vehicle of each type carries at least (0: 1) */
    /* Proposed vehicles take people of one pickup area: villages sharing their first
     * area_digits digits (6 county, 9 township, 12 village; 0: all one area). */
    unsigned area_digits;
};

#define SG_MATCH_NONE UINT32_MAX

struct sg_match_assignment {
    uint32_t vehicle; /* index: < nvehicles an existing one, else nvehicles + i for new vehicle i; or SG_MATCH_NONE */
    uint32_t seat;    /* first seat (1-based) of the group; the group sits in seat .. seat + size - 1 */
};

enum sg_match_reason {
    SG_MATCH_OK = 0,
    SG_MATCH_TOO_BIG = 1, /* the group is larger than any vehicle it may take */
    SG_MATCH_NO_STOP = 2, /* an existing vehicle of its division with room goes its way, but stops not in its area */
    SG_MATCH_BELOW_MINIMUM = 3 /* its area, city and dates gather fewer people than a new vehicle's minimum */
};
/** "too_big", "no_stop", "below_minimum" ("" for SG_MATCH_OK). */
const char *sg_match_reason_name(enum sg_match_reason r);

struct sg_match_result {
    struct sg_match_assignment *assign; /* one per item */
    uint8_t *reason;                    /* one per item: enum sg_match_reason */
    struct sg_match_vehicle *created;   /* proposed new vehicles (used = people put in) */
    size_t ncreated;
    size_t unassigned; /* items not placed (each has its reason) */
    uint64_t people_placed, people_unplaced;
    /* Lower bound on new vehicles for the people they carry: for each destination city,
     * pickup area, date (each group's own) and type, the ceiling of people over a new
     * vehicle's capacity, summed. With flexible dates the result can be below it;
     * lower_bound_city (dates ignored) is then the one to compare with: never above it. */
    size_t lower_bound;
    size_t lower_bound_city;
};

/**
 * Match items into vehicles (existing first, then new ones of config's sizes, area by
 * area, each carrying at least its type's minimum). Fills res (arrays malloc'ed; free
 * with sg_match_result_dispose). 0, or SG_EINVAL when an item has size 0, a config
 * capacity is 0, a minimum exceeds its capacity or area_digits is not 0, 6, 9 or 12.
 */
int sg_match(const struct sg_match_item *items, size_t nitems, const struct sg_match_vehicle *vehicles,
             size_t nvehicles, const struct sg_match_config *config, struct sg_match_result *res);
void sg_match_result_dispose(struct sg_match_result *res);

#endif
