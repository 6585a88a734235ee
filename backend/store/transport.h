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
 * read_status (SG_EEXIST otherwise: someone changed it meanwhile), capacity is not
 * below the seats assigned (SG_EINVAL), the trip (type, destination, date) stays while
 * people are assigned (SG_ECONFLICT) and a change of the stops' areas leaves no passenger
 * outside them (SG_ERANGE; v->id then names the first such registration's code), and a
 * vehicle with people checked in is not cancelled (SG_ELOCKED).
 * Cancelling sends the passengers back to matching in the same step; departing and
 * arriving count the boarded people in their villages' transport counters. cb gets the
 * stored vehicle's id in v->id (v is borrowed, copied before returning). SG_ENOENT when
 * an update finds no vehicle.
 */
int sg_store_vehicle_save(struct sg_store *s, const struct sg_vehicle *v, bool update,
                          enum sg_vehicle_status read_status, sg_store_vehicle_cb cb, void *data);
/** One vehicle by id; SG_ENOENT when unknown. */
int sg_store_vehicle_get(struct sg_store *s, const char *id, sg_store_vehicle_cb cb, void *data);
/** The vehicles of ids[0..n) (at most 1000) in one round trip, in that order; unknown ones are left out. */
int sg_store_vehicles_get(struct sg_store *s, const char *const *ids, size_t n, sg_store_vehicles_cb cb, void *data);
/** Every vehicle of campaign owned by a division under scope (any status), by scope then id. */
int sg_store_vehicle_list(struct sg_store *s, const char *campaign, const char *scope, sg_store_vehicles_cb cb,
                          void *data);

/* ---- matching input and assignments (assignment.c) ---------------------------------- */

/** The unassigned registrations of a scope, as matching reads them (owned by the receiver). */
struct sg_open_registrations {
    size_t n;
    struct sg_match_item *items; /* one per registration, for sg_match */
    const char **member;         /* its member of the open index: "{village}:{code}:{city}:{day}:{flex}:{mode}:{n}" */
    char *text;                  /* holds the members */
    char changes[24];            /* the campaign's count in sg:{P}:open:changes read before them ("0": none) */
};
/** The code inside an open-index member (8 characters, not NUL-terminated). */
static inline const char *sg_open_code(const char *member)
{
    return member + SG_DIVISION_CODE_MAX + 1;
}
void sg_open_registrations_free(struct sg_open_registrations *o);

typedef void (*sg_store_open_cb)(void *data, int status, struct sg_open_registrations *taken);
/**
 * Every registration of campaign under scope that is neither assigned nor cancelled: one
 * ZRANGEBYLEX of the open index, no registration hash read, after a fold of the pending
 * sign-ups and a read of the campaign's count of open:changes (what an accept then writes
 * without checking each group: sg_store_assign_fresh). cb takes the list (free it with
 * sg_open_registrations_free; NULL on failure).
 */
int sg_store_open_list(struct sg_store *s, const char *campaign, const char *scope, sg_store_open_cb cb, void *data);

struct sg_assignment {
    const char *member;  /* the registration's open-index member (its code is inside) */
    const char *vehicle; /* vehicle id */
    uint32_t seat;       /* first seat of the group */
    uint32_t people;
};
/** A vehicle a matching run proposes: created by the batch that writes its passengers (accept.c). */
struct sg_vehicle_new {
    const char *id;    /* reserved with sg_store_vehicle_ids */
    const char *scope; /* the division that owns it */
    const char *plan;  /* its plan as JSON (sg_store_vehicle_plan_json) */
    enum sg_vehicle_type type;
    uint32_t capacity, carriage_size;
    char dest_city[5];
    struct sg_date depart_date;
};
/** The plan of v as vehicle hashes keep it (JSON; free with free). */
char *sg_store_vehicle_plan_json(const struct sg_vehicle *v);

typedef void (*sg_store_ids_cb)(void *data, int status, uint64_t first);
/** Reserve n vehicle ids: cb gets the first, the others follow it. */
int sg_store_vehicle_ids(struct sg_store *s, size_t n, sg_store_ids_cb cb, void *data);

typedef void (*sg_store_assign_cb)(void *data, int status, size_t assigned, const char *const *skipped,
                                   size_t nskipped);
/**
 * Assign one batch atomically (assign.lua); best in vehicle and seat order (each vehicle
 * is then read and written once). A registration no longer open (cancelled, edited or
 * assigned meanwhile), a vehicle no longer planned or without room, or a seat no longer
 * free is skipped and its code reported (valid during cb only). The members stay in the
 * open index until sg_store_open_sweep. The vehicles of create[0..ncreate) (all among a's)
 * are created first, empty. a and create are borrowed.
 */
int sg_store_assign(struct sg_store *s, const char *campaign, const struct sg_assignment *a, size_t n,
                    const struct sg_vehicle_new *create, size_t ncreate, sg_store_assign_cb cb, void *data);

/** stale: the open index changed since it was read; nothing was written. */
typedef void (*sg_store_fresh_cb)(void *data, int status, bool stale, size_t assigned);
/**
 * Create the vehicles create[0..ncreate) (owned by one scope) with every group of a (their
 * passengers, in vehicle and seat order, each vehicle whole) and count them, atomically and without
 * checking each group (assign_fresh.lua): only while the campaign's count of open:changes
 * is still changes, the one read with the groups (sg_open_registrations); else stale. The
 * caller holds the campaign's matching lock. a and create are borrowed.
 */
int sg_store_assign_fresh(struct sg_store *s, const char *campaign, const char *changes, const struct sg_assignment *a,
                          size_t n, const struct sg_vehicle_new *create, size_t ncreate, sg_store_fresh_cb cb,
                          void *data);

typedef void (*sg_store_sweep_cb)(void *data, int status, size_t removed, const char *last);
/**
 * Take the assigned registrations among the open-index members min .. max (ZRANGEBYLEX
 * bounds: "[member", "(member", "-", "+"), at most limit of them (0: all), out of the
 * open index, run by run (open_sweep.lua). cb gets how many left and the last member read
 * ("" when none; valid during cb only). A matching run calls it after its assign
 * batches, over the members it read, in slices of a few thousand.
 */
int sg_store_open_sweep(struct sg_store *s, const char *campaign, const char *min, const char *max, size_t limit,
                        sg_store_sweep_cb cb, void *data);

/** A run of consecutive open-index members an accept assigned: the first, the last, how many. */
struct sg_sweep_run {
    const char *first, *last;
    size_t n;
};
/**
 * The same for the members first .. last of a slice an accept read, with the runs of it
 * the accept assigned: while the campaign's count of open:changes is still changes, each
 * run that holds just its members goes without being read (open_sweep.lua). Borrowed.
 */
int sg_store_open_sweep_runs(struct sg_store *s, const char *campaign, const char *changes, const char *first,
                             const char *last, const struct sg_sweep_run *runs, size_t nruns, sg_store_sweep_cb cb,
                             void *data);

/*
 * A matching run that writes marks the campaign unswept ("{token} {scope}") before its
 * first assign batch and clears the mark once its sweep is done. A mark found by a later
 * run (not its own, and no run holding the lock) means one stopped half way (Redis went
 * away): the later run sweeps that scope first, so that no assigned registration is
 * matched again (it would get an empty new vehicle) and previews count right.
 */
typedef void (*sg_store_mark_cb)(void *data, int status, const char *mark);
/** The mark when it is stale for the run holding token (or for a preview: ""), else NULL. */
int sg_store_unswept_get(struct sg_store *s, const char *campaign, const char *token, sg_store_mark_cb cb, void *data);
int sg_store_unswept_set(struct sg_store *s, const char *campaign, const char *mark, sg_store_status_cb cb, void *data);
/** Clear the mark if it is still mark. */
int sg_store_unswept_clear(struct sg_store *s, const char *campaign, const char *mark, sg_store_status_cb cb,
                           void *data);

typedef void (*sg_store_move_cb)(void *data, int status, const char *why, uint32_t seat);

/**
 * Take registration code out of vehicle by hand: with reopen back among the open ones to
 * be matched again (unless it is cancelled: a cancelled registration is never matched
 * again); without, out of them for good. village is the one the caller checked the scope
 * of. status 0, SG_ENOENT (no such registration), SG_EINVAL with *why: "not_on_vehicle"
 * (it is not on vehicle), "changed" (its village is not village any more), "boarded"
 * (checked in) or "departed" (the vehicle left): nothing changes then.
 */
int sg_store_assignment_release(struct sg_store *s, const char *campaign, const char *code, const char *vehicle,
                                const char *village, bool reopen, sg_store_move_cb cb, void *data);

/**
 * Move registration code (assigned or open; of village, the one the caller checked the
 * scope of) to vehicle, at its first free run that holds the group: the vehicle must be
 * planned, of the registration's campaign, destination, a day within its flexibility, a
 * type its mode allows, have a stop serving its village and room. status 0 (seat: the
 * group's first), SG_ENOENT (no such registration or vehicle), SG_EINVAL (*why:
 * "not_matching", "no_stop", "no_room", "not_planned", "not_open" (cancelled), "changed",
 * or "boarded" / "departed" when the group is locked where it travelled), SG_EEXIST (a
 * matching run holds the campaign's lock).
 */
int sg_store_assignment_move(struct sg_store *s, const char *campaign, const char *code, const char *vehicle,
                             const char *village, sg_store_move_cb cb, void *data);

/** What staff record of an assigned registration (registration_mark.lua). */
enum sg_trip_mark {
    SG_MARK_NOTIFIED,   /* the village told the person of the vehicle (counted in t:notified) */
    SG_MARK_UNNOTIFIED, /* a tick taken back */
    SG_MARK_NO_SHOW,    /* did not turn up while the vehicle is boarding */
};
/** vehicle: the one the registration is on; again: it was already so. */
typedef void (*sg_store_trip_mark_cb)(void *data, int status, const char *why, uint32_t vehicle, bool again);
/**
 * Record what for registration code of village (the one the caller checked the scope
 * of), by a staff user, now. status 0, SG_ENOENT, SG_EINVAL with *why "changed",
 * "not_assigned", "boarded" (a no-show of a group checked in) or "not_boarding" (a
 * no-show while its vehicle is not boarding).
 */
int sg_store_registration_mark(struct sg_store *s, const char *code, const char *village, enum sg_trip_mark what,
                               const char *by, uint64_t now_ms, sg_store_trip_mark_cb cb, void *data);

/** Take the campaign's matching lock for ttl_ms under token (SG_EEXIST when held), or give it back. */
int sg_store_match_lock(struct sg_store *s, const char *campaign, const char *token, unsigned ttl_ms,
                        sg_store_status_cb cb, void *data);
int sg_store_match_unlock(struct sg_store *s, const char *campaign, const char *token, sg_store_status_cb cb,
                          void *data);

/* ---- manifests (manifest_store.c) ------------------------------------------------------ */

struct sg_manifest_entry {
    char code[SG_CODE_LEN + 1];
    uint32_t seat;              /* first seat of the group */
    bool boarded;               /* checked in at boarding */
    bool no_show;               /* marked as not turned up while the vehicle was boarding */
    struct sg_registration reg; /* village filled, personal numbers decrypted */
};
typedef void (*sg_store_manifest_cb)(void *data, int status, const struct sg_vehicle *v,
                                     const struct sg_manifest_entry *e, size_t n);
/**
 * A vehicle with its passengers in seat order, read in one atomic script. status 0,
 * SG_ENOENT (no such vehicle), store errors. Everything passed to cb is valid during the
 * call only (and wiped afterwards: it holds personal numbers).
 */
int sg_store_manifest(struct sg_store *s, const char *vehicle, sg_store_manifest_cb cb, void *data);

/* ---- boarding check-in (checkin.c) ----------------------------------------------------- */

#define SG_CHECKIN_TOKEN_LEN (SG_CODE_LEN + 20)

/**
 * The check-in token of a registration: its code and 80 bits of a keyed BLAKE2b of it
 * (the store's key, domain "checkin:"). Unguessable without the key file, nothing stored,
 * the same every time it is shown.
 */
void sg_store_checkin_token(struct sg_store *s, const char *code, char out[SG_CHECKIN_TOKEN_LEN + 1]);
/** True when token is genuine; its code goes into code. Constant time in the MAC. */
bool sg_store_checkin_token_open(struct sg_store *s, const char *token, char code[SG_CODE_LEN + 1]);

/**
 * Mark registration code boarded on vehicle (idempotent). status 0 (*again true when it
 * was already), SG_ENOENT (no such registration), SG_EINVAL (*why "wrong_vehicle": not on
 * this vehicle; "closed": the vehicle has departed or was cancelled).
 */
typedef void (*sg_store_checkin_cb)(void *data, int status, bool again, const char *why);
int sg_store_checkin(struct sg_store *s, const char *code, const char *vehicle, sg_store_checkin_cb cb, void *data);

#endif
