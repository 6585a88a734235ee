/* SPDX-License-Identifier: MIT */
/* A vehicle and its plan (一车一方案): type, capacity, destination, departure, pickup
 * stops, drivers, escort, emergency contact, notes, and its status. Validation of the raw
 * strings a form sends, and the allowed status changes. Pure. */
#ifndef SG_DOMAIN_VEHICLE_H
#define SG_DOMAIN_VEHICLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "domain/date.h"
#include "domain/division.h"
#include "domain/match.h"
#include "domain/registration.h"

#define SG_VEHICLE_ID_MAX 15
#define SG_STOPS_MAX 12
#define SG_DRIVERS_MAX 3
#define SG_STOP_NAME_MAX_CHARS 40
#define SG_PLAN_TEXT_MAX_CHARS 60
#define SG_NOTES_MAX_CHARS 500
#define SG_CREW_MAX_CHARS 40 /* 车长, 副车长, 车队, 车队长, 到达交接: a name and a phone, or a short label */

enum sg_vehicle_status {
    SG_VEHICLE_PLANNED = 0,
    SG_VEHICLE_BOARDING,
    SG_VEHICLE_DEPARTED,
    SG_VEHICLE_ARRIVED,
    SG_VEHICLE_CANCELLED,
};
#define SG_VEHICLE_STATUSES 5

/** "planned", "boarding", "departed", "arrived", "cancelled"; parse gives -1 when unknown. */
const char *sg_vehicle_status_name(enum sg_vehicle_status s);
int sg_vehicle_status_parse(const char *s);

/**
 * The store's `holes` field ("first-last first-last ...", docs/redis-keys.md) into out:
 * the runs that parse, at most max of them; their count.
 */
size_t sg_vehicle_holes_parse(const char *text, uint32_t (*out)[2], size_t max);

/** Seats a vehicle of type t may have: [min, max] (bus 5-65, train 100-2400, flight 30-400). */
void sg_vehicle_capacity_range(enum sg_vehicle_type t, uint32_t *min, uint32_t *max);

#define SG_VEHICLE_HOLES_MAX 32 /* free runs below seat_next a reader keeps (more are left unused) */
/** Seats per carriage of a train: [min, max] (20-150). */
#define SG_CARRIAGE_MIN 20
#define SG_CARRIAGE_MAX 150

/** The sizes of the vehicles a matching run proposes. */
struct sg_vehicle_sizes {
    uint32_t seats[SG_VEHICLE_TYPES]; /* by enum sg_vehicle_type */
    uint32_t train_carriage;          /* seats per carriage of a proposed train */
};
/** Raw sizes as a request or the command line gives them: -1 is missing (the default stays). */
struct sg_vehicle_sizes_input {
    long seats[SG_VEHICLE_TYPES];
    long train_carriage;
};

/** Bus 50, train 1000 in carriages of 100, flight 150. */
extern const struct sg_vehicle_sizes sg_vehicle_sizes_default;

/**
 * The minimum loads of proposed vehicles (people a new vehicle of each type carries at
 * least) for vehicles of sizes: the defaults (a bus half full, a train 300, a flight 100,
 * never above the seats) with those given in in (-1: missing) laid over them, each 1 to
 * the type's seats. 0, or SG_EINVAL with every bad one in errs (reset first), named
 * "bus", "train", "flight", code min_load_range.
 */
int sg_vehicle_min_load_validate(const long in[SG_VEHICLE_TYPES], const struct sg_vehicle_sizes *sizes,
                                 uint32_t out[SG_VEHICLE_TYPES], struct sg_field_errors *errs);

/**
 * The defaults with the sizes given in in laid over them, checked against the capacity
 * ranges of sg_vehicle_capacity_range and the carriage range; a train must be a whole
 * number of carriages. 0, or SG_EINVAL with every bad size in errs (reset first), named
 * "bus", "train", "train_carriage", "flight". Codes: capacity_range, carriage_range,
 * carriage_divides.
 */
int sg_vehicle_sizes_validate(const struct sg_vehicle_sizes_input *in, struct sg_vehicle_sizes *out,
                              struct sg_field_errors *errs);

struct sg_stop {
    char name[4 * SG_STOP_NAME_MAX_CHARS + 1];
    char time[6];    /* "HH:MM" */
    char serves[13]; /* the division (county, township or village code) whose people board here, or "" */
};

struct sg_vehicle {
    char id[SG_VEHICLE_ID_MAX + 1];
    char campaign[32];
    char scope[SG_DIVISION_CODE_MAX + 1]; /* the division that owns it */
    enum sg_vehicle_type type;
    enum sg_vehicle_status status;
    char number[33]; /* plate, train or flight number; "" until known */
    uint32_t capacity;
    uint32_t carriage_size;                  /* trains: seats per carriage; 0 otherwise */
    uint32_t used;                           /* seats assigned (kept by the store) */
    uint32_t boarded_people;                 /* checked in (kept by the store); the report counts them once departed */
    uint32_t boarded_poverty;                /* of whom poverty-alleviated or monitored */
    uint32_t seat_next;                      /* the first seat of the free tail (kept by the store) */
    uint32_t holes[SG_VEHICLE_HOLES_MAX][2]; /* free runs {first, last} below seat_next (freed by cancels or moves) */
    size_t nholes;
    char dest_city[5];
    char employer[4 * SG_PLAN_TEXT_MAX_CHARS + 1];
    struct sg_date depart_date;
    char depart_time[6]; /* "HH:MM" or "" until known */
    char arrive_time[6]; /* expected arrival "HH:MM" or "" */
    struct sg_stop stops[SG_STOPS_MAX];
    size_t nstops;
    char drivers[SG_DRIVERS_MAX][128];
    size_t ndrivers;
    char escort_name[128];
    char escort_phone[12];
    char emergency[4 * SG_PLAN_TEXT_MAX_CHARS + 1]; /* name and phone, free text */
    char notes[4 * SG_NOTES_MAX_CHARS + 1];
    /* The rest of 一车一方案, each optional, free text: the passengers who act as 车长 and
     * 副车长 (name, seat or phone), the convoy the vehicle runs in and its leader (vehicles
     * of one destination may run as one), and who receives the people and signs for the
     * list at arrival (the employer's liaison: name and phone). */
    char captain[4 * SG_CREW_MAX_CHARS + 1];
    char vice_captain[4 * SG_CREW_MAX_CHARS + 1];
    char convoy[4 * SG_CREW_MAX_CHARS + 1];
    char convoy_leader[4 * SG_CREW_MAX_CHARS + 1];
    char handover[4 * SG_CREW_MAX_CHARS + 1];
};

/* Raw input: NULL strings and -1 numbers are missing. */
struct sg_vehicle_input {
    const char *type, *number, *dest_city, *employer, *depart_date, *depart_time, *arrive_time;
    const char *escort_name, *escort_phone, *emergency, *notes;
    const char *captain, *vice_captain, *convoy, *convoy_leader, *handover;
    long capacity, carriage_size;
    struct {
        const char *name, *time, *serves; /* serves: NULL or "" when the stop names no division */
    } stops[SG_STOPS_MAX + 1];
    size_t nstops; /* may exceed SG_STOPS_MAX: then an error */
    const char *drivers[SG_DRIVERS_MAX + 1];
    size_t ndrivers;
};

struct sg_vehicle_ctx {
    const struct sg_divisions *destinations;
    struct sg_date starts, ends; /* the campaign window */
};

/**
 * Validate and normalize the plan fields of in into out (id, campaign, scope, status and
 * used are left as they are). Required: type, capacity, dest_city, depart_date (inside
 * the window); trains also carriage_size (20-150); every stop a name (its time may wait,
 * the times given go in order). Everything else may stay empty while the vehicle is
 * planned (sg_vehicle_ready says what boarding needs). 0, or SG_EINVAL
 * with every bad field in errs (reset first). Codes: required, type_enum, capacity_range,
 * carriage_range, unknown_city, date_format, date_window, time_format, stop_order,
 * too_many, phone_format, chars, too_long, utf8, below_used.
 */
int sg_vehicle_validate(const struct sg_vehicle_input *in, const struct sg_vehicle_ctx *ctx, struct sg_vehicle *out,
                        struct sg_field_errors *errs);

/**
 * What a plan needs before boarding: number, depart_time, at least one stop and a time
 * for each, escort name and phone, emergency contact; buses at least one driver. Adds
 * "required" for each missing field to errs; true when none is missing.
 */
bool sg_vehicle_ready(const struct sg_vehicle *v, struct sg_field_errors *errs);

/**
 * True when a vehicle may go from one status to another: planned → boarding →
 * departed → arrived; planned or boarding → cancelled; boarding → planned (boarding
 * stopped). Staying in the same status is allowed.
 */
bool sg_vehicle_transition_valid(enum sg_vehicle_status from, enum sg_vehicle_status to);

/** Seat number s (1-based) of a train with carriage_size seats per carriage: carriage and seat, both 1-based. */
void sg_vehicle_train_seat(uint32_t carriage_size, uint32_t s, uint32_t *carriage, uint32_t *seat);

/** True when a registration with this trip fits vehicle v: same city, day within flex, mode allows the type. */
bool sg_vehicle_accepts(const struct sg_vehicle *v, const char *dest_city, struct sg_date depart, int flex_days,
                        int mode);

/**
 * The stop where people of village board: the stop whose `serves` is the longest prefix
 * of the village code; the first stop when none names it. Index into v->stops (0 when
 * there is no stop at all).
 */
size_t sg_vehicle_stop_for(const struct sg_vehicle *v, const char *village);

/**
 * True when the people of village can be told their whole trip: v has its departure time
 * and a stop for them with its time (a stop the matcher proposed has none until the
 * organiser sets it). The village's 已通知 waits for this.
 */
bool sg_vehicle_tellable(const struct sg_vehicle *v, const char *village);

/**
 * The villages v takes (its pickup areas): the divisions its stops serve, or its owning
 * scope when no stop names one. Into out; their count (at least 1 for a vehicle with a
 * valid scope).
 */
size_t sg_vehicle_areas(const struct sg_vehicle *v, struct sg_match_area out[SG_STOPS_MAX]);
/** True when village (12 digits) lies in one of v's pickup areas. */
bool sg_vehicle_serves(const struct sg_vehicle *v, const char *village);
/** The longest run of free seats of v (a hole a cancel left, or seat_next to the end). */
uint32_t sg_vehicle_free_run(const struct sg_vehicle *v);

/**
 * Why registration r (its group of r->npeople, from village r->village) may not be put
 * into v by hand: NULL when it may; else "not_open" (v is not planned), "not_matching"
 * (destination, day or type), "no_stop" (no stop serves its village), "no_room" (no free
 * run holds the group). The same rules as assignment_move.lua.
 */
const char *sg_vehicle_refusal(const struct sg_vehicle *v, const struct sg_registration *r);

/** Which vehicles a list shows (GET /api/vehicles): every condition set must hold. */
struct sg_vehicle_filter {
    bool has_date;
    struct sg_date depart_date;
    char dest_city[5]; /* "" any */
    int type;          /* enum sg_vehicle_type, -1 any */
    int status;        /* enum sg_vehicle_status, -1 any */
    bool incomplete;   /* only plans not ready for boarding (sg_vehicle_ready) */
    char q[40];        /* part of the number (plate, train, flight), or the id; "" any */
};
/**
 * Read the query parameters (each NULL or "" when absent; incomplete "1"). 0, or
 * SG_EINVAL with the bad parameter's name in *bad.
 */
int sg_vehicle_filter_init(struct sg_vehicle_filter *f, const char *date, const char *dest_city, const char *type,
                           const char *status, const char *incomplete, const char *q, const char **bad);
bool sg_vehicle_filter_match(const struct sg_vehicle_filter *f, const struct sg_vehicle *v);

/** The note the matcher used to write into a proposed vehicle's plan (shown no more once the plan is complete). */
#define SG_VEHICLE_AUTO_NOTE "自动编排生成，请补全车牌/车次、上车点、司机和带队人"
/** The plan's notes as documents show them: "" for SG_VEHICLE_AUTO_NOTE once the plan is complete. */
const char *sg_vehicle_notes(const struct sg_vehicle *v);

#endif
