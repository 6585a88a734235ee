/* SPDX-License-Identifier: MIT */
/* Vehicle plans: field rules and the status machine. Every bad field is named; nothing
 * here touches storage or the network. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "domain/err.h"
#include "domain/text.h"
#include "domain/vehicle.h"

static const char *const status_names[SG_VEHICLE_STATUSES] = {"planned", "boarding", "departed", "arrived",
                                                              "cancelled"};

const char *sg_vehicle_status_name(enum sg_vehicle_status s)
{
    return (unsigned)s < SG_VEHICLE_STATUSES ? status_names[s] : "";
}

int sg_vehicle_status_parse(const char *s)
{
    for (int i = 0; s != NULL && i != SG_VEHICLE_STATUSES; ++i)
        if (strcmp(s, status_names[i]) == 0)
            return i;
    return -1;
}

void sg_vehicle_capacity_range(enum sg_vehicle_type t, uint32_t *min, uint32_t *max)
{
    static const uint32_t ranges[SG_VEHICLE_TYPES][2] = {{5, 65}, {100, 2400}, {30, 400}};
    *min = ranges[t][0];
    *max = ranges[t][1];
}

const struct sg_vehicle_sizes sg_vehicle_sizes_default = {{50, 1000, 150}, 100};

int sg_vehicle_sizes_validate(const struct sg_vehicle_sizes_input *in, struct sg_vehicle_sizes *out,
                              struct sg_field_errors *errs)
{
    bool good[SG_VEHICLE_TYPES];
    errs->n = 0;
    *out = sg_vehicle_sizes_default;
    for (int t = 0; t != SG_VEHICLE_TYPES; ++t) {
        uint32_t lo, hi;
        long n = in->seats[t];
        sg_vehicle_capacity_range((enum sg_vehicle_type)t, &lo, &hi);
        good[t] = n == -1 || (n >= (long)lo && n <= (long)hi);
        if (!good[t])
            sg_field_errors_add(errs, sg_vehicle_type_name((enum sg_vehicle_type)t), "capacity_range");
        else if (n != -1)
            out->seats[t] = (uint32_t)n;
    }
    long c = in->train_carriage;
    bool carriage_good = c == -1 || (c >= SG_CARRIAGE_MIN && c <= SG_CARRIAGE_MAX);
    if (!carriage_good)
        sg_field_errors_add(errs, "train_carriage", "carriage_range");
    else if (c != -1)
        out->train_carriage = (uint32_t)c;
    /* a proposed train is whole carriages: its last carriage is full like the others */
    if (carriage_good && good[SG_VEHICLE_TRAIN] && out->seats[SG_VEHICLE_TRAIN] % out->train_carriage != 0)
        sg_field_errors_add(errs, "train_carriage", "carriage_divides");
    return errs->n == 0 ? 0 : SG_EINVAL;
}

int sg_vehicle_min_load_validate(const long in[SG_VEHICLE_TYPES], const struct sg_vehicle_sizes *sizes,
                                 uint32_t out[SG_VEHICLE_TYPES], struct sg_field_errors *errs)
{
    static const uint32_t defaults[SG_VEHICLE_TYPES] = {0, 300, 100}; /* a bus: half its seats */
    errs->n = 0;
    for (int t = 0; t != SG_VEHICLE_TYPES; ++t) {
        uint32_t seats = sizes->seats[t], d = t == SG_VEHICLE_BUS ? (seats + 1) / 2 : defaults[t];
        out[t] = d < seats ? d : seats;
        if (in[t] == -1)
            continue;
        if (in[t] < 1 || in[t] > (long)seats)
            sg_field_errors_add(errs, sg_vehicle_type_name((enum sg_vehicle_type)t), "min_load_range");
        else
            out[t] = (uint32_t)in[t];
    }
    return errs->n == 0 ? 0 : SG_EINVAL;
}

/* "HH:MM" (or "" when s is NULL or empty): 0, else -1. */
static int time_normalize(const char *s, char out[6])
{
    out[0] = '\0';
    if (s == NULL || s[0] == '\0')
        return 0;
    if (strlen(s) != 5 || s[2] != ':' || strspn(s, "0123456789:") != 5)
        return -1;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (h > 23 || m > 59)
        return -1;
    memcpy(out, s, 6);
    return 0;
}

static void text(const char *s, size_t max, char *out, size_t outsz, const char *field, struct sg_field_errors *errs)
{
    int r = sg_text_normalize(s, max, out, outsz);
    if (r != 0)
        sg_field_errors_add(errs, field, sg_text_error_code(r));
}

static void check_kind(const struct sg_vehicle_input *in, struct sg_vehicle *out, struct sg_field_errors *errs)
{
    int t = in->type != NULL ? sg_vehicle_type_parse(in->type) : -1;
    if (t < 0) {
        sg_field_errors_add(errs, "type", in->type == NULL ? "required" : "type_enum");
        return;
    }
    out->type = (enum sg_vehicle_type)t;
    uint32_t lo, hi;
    sg_vehicle_capacity_range(out->type, &lo, &hi);
    if (in->capacity < 0)
        sg_field_errors_add(errs, "capacity", "required");
    else if (in->capacity < (long)lo || in->capacity > (long)hi)
        sg_field_errors_add(errs, "capacity", "capacity_range");
    else if ((uint32_t)in->capacity < out->used)
        sg_field_errors_add(errs, "capacity", "below_used");
    else
        out->capacity = (uint32_t)in->capacity;
    out->carriage_size = 0;
    if (out->type != SG_VEHICLE_TRAIN)
        return;
    if (in->carriage_size < 0)
        sg_field_errors_add(errs, "carriage_size", "required");
    else if (in->carriage_size < SG_CARRIAGE_MIN || in->carriage_size > SG_CARRIAGE_MAX)
        sg_field_errors_add(errs, "carriage_size", "carriage_range");
    else
        out->carriage_size = (uint32_t)in->carriage_size;
}

static void check_trip(const struct sg_vehicle_input *in, const struct sg_vehicle_ctx *ctx, struct sg_vehicle *out,
                       struct sg_field_errors *errs)
{
    const char *c = in->dest_city;
    if (c == NULL || c[0] == '\0')
        sg_field_errors_add(errs, "dest_city", "required");
    else if (strlen(c) != 4 || sg_divisions_find(ctx->destinations, c, 4) == NULL)
        sg_field_errors_add(errs, "dest_city", "unknown_city");
    else
        memcpy(out->dest_city, c, 5);
    text(in->employer, SG_PLAN_TEXT_MAX_CHARS, out->employer, sizeof(out->employer), "employer", errs);
    if (in->depart_date == NULL || in->depart_date[0] == '\0')
        sg_field_errors_add(errs, "depart_date", "required");
    else if (sg_date_parse(in->depart_date, &out->depart_date) != 0)
        sg_field_errors_add(errs, "depart_date", "date_format");
    else if (sg_date_cmp(out->depart_date, ctx->starts) < 0 || sg_date_cmp(out->depart_date, ctx->ends) > 0)
        sg_field_errors_add(errs, "depart_date", "date_window");
    if (time_normalize(in->depart_time, out->depart_time) != 0)
        sg_field_errors_add(errs, "depart_time", "time_format");
    if (time_normalize(in->arrive_time, out->arrive_time) != 0)
        sg_field_errors_add(errs, "arrive_time", "time_format");
}

/* Stops in order; their times (when given) must not go backwards, and the departure is not before the last. */
/* A county (6), township (9) or village (12) code, or nothing. Whether it exists is the
 * caller's to check (it has the divisions). */
static void check_serves(const char *code, struct sg_stop *s, size_t i, struct sg_field_errors *errs)
{
    char field[40];
    size_t len = code != NULL ? strlen(code) : 0;
    s->serves[0] = '\0';
    if (len == 0)
        return;
    if ((len != 6 && len != 9 && len != 12) || strspn(code, "0123456789") != len) {
        snprintf(field, sizeof(field), "stops[%zu].serves", i);
        sg_field_errors_add(errs, field, "unknown_division");
        return;
    }
    memcpy(s->serves, code, len + 1);
}

static void check_stops(const struct sg_vehicle_input *in, struct sg_vehicle *out, struct sg_field_errors *errs)
{
    char field[40], last[6] = "";
    out->nstops = 0;
    if (in->nstops > SG_STOPS_MAX) {
        sg_field_errors_add(errs, "stops", "too_many");
        return;
    }
    for (size_t i = 0; i != in->nstops; ++i) {
        struct sg_stop *s = &out->stops[out->nstops++];
        snprintf(field, sizeof(field), "stops[%zu].name", i);
        int r = in->stops[i].name == NULL
                    ? -SG_TEXT_EMPTY
                    : sg_text_normalize(in->stops[i].name, SG_STOP_NAME_MAX_CHARS, s->name, sizeof(s->name));
        if (r == 0 && s->name[0] == '\0')
            r = -SG_TEXT_EMPTY;
        if (r != 0)
            sg_field_errors_add(errs, field, sg_text_error_code(r));
        snprintf(field, sizeof(field), "stops[%zu].time", i);
        if (time_normalize(in->stops[i].time, s->time) != 0)
            sg_field_errors_add(errs, field, "time_format");
        else if (s->time[0] == '\0')
            ; /* said later (a stop the matcher proposed): boarding needs it (sg_vehicle_ready) */
        else if (strcmp(s->time, last) < 0)
            sg_field_errors_add(errs, field, "stop_order");
        else
            memcpy(last, s->time, 6);
        check_serves(in->stops[i].serves, s, i, errs);
    }
    if (out->depart_time[0] != '\0' && strcmp(out->depart_time, last) < 0)
        sg_field_errors_add(errs, "depart_time", "stop_order");
}

static void check_people(const struct sg_vehicle_input *in, struct sg_vehicle *out, struct sg_field_errors *errs)
{
    char field[40];
    out->ndrivers = 0;
    if (in->ndrivers > SG_DRIVERS_MAX)
        sg_field_errors_add(errs, "drivers", "too_many");
    for (size_t i = 0; i != in->ndrivers && i != SG_DRIVERS_MAX; ++i) {
        snprintf(field, sizeof(field), "drivers[%zu]", i);
        int r = in->drivers[i] == NULL ? -SG_TEXT_EMPTY
                                       : sg_name_normalize(in->drivers[i], out->drivers[out->ndrivers], 128);
        if (r != 0)
            sg_field_errors_add(errs, field, sg_text_error_code(r));
        else
            ++out->ndrivers;
    }
    out->escort_name[0] = '\0';
    if (in->escort_name != NULL && in->escort_name[0] != '\0') {
        int r = sg_name_normalize(in->escort_name, out->escort_name, sizeof(out->escort_name));
        if (r != 0)
            sg_field_errors_add(errs, "escort_name", sg_text_error_code(r));
    }
    out->escort_phone[0] = '\0';
    if (in->escort_phone != NULL && in->escort_phone[0] != '\0' &&
        sg_phone_normalize(in->escort_phone, out->escort_phone) != 0)
        sg_field_errors_add(errs, "escort_phone", "phone_format");
    text(in->emergency, SG_PLAN_TEXT_MAX_CHARS, out->emergency, sizeof(out->emergency), "emergency", errs);
    text(in->notes, SG_NOTES_MAX_CHARS, out->notes, sizeof(out->notes), "notes", errs);
    text(in->captain, SG_CREW_MAX_CHARS, out->captain, sizeof(out->captain), "captain", errs);
    text(in->vice_captain, SG_CREW_MAX_CHARS, out->vice_captain, sizeof(out->vice_captain), "vice_captain", errs);
    text(in->convoy, SG_CREW_MAX_CHARS, out->convoy, sizeof(out->convoy), "convoy", errs);
    text(in->convoy_leader, SG_CREW_MAX_CHARS, out->convoy_leader, sizeof(out->convoy_leader), "convoy_leader", errs);
    text(in->handover, SG_CREW_MAX_CHARS, out->handover, sizeof(out->handover), "handover", errs);
}

int sg_vehicle_validate(const struct sg_vehicle_input *in, const struct sg_vehicle_ctx *ctx, struct sg_vehicle *out,
                        struct sg_field_errors *errs)
{
    errs->n = 0;
    check_kind(in, out, errs);
    check_trip(in, ctx, out, errs);
    check_stops(in, out, errs);
    check_people(in, out, errs);
    text(in->number, 32, out->number, sizeof(out->number), "number", errs);
    return errs->n == 0 ? 0 : SG_EINVAL;
}

bool sg_vehicle_ready(const struct sg_vehicle *v, struct sg_field_errors *errs)
{
    size_t before = errs->n;
    if (v->number[0] == '\0')
        sg_field_errors_add(errs, "number", "required");
    if (v->depart_time[0] == '\0')
        sg_field_errors_add(errs, "depart_time", "required");
    if (v->nstops == 0)
        sg_field_errors_add(errs, "stops", "required");
    for (size_t i = 0; i != v->nstops; ++i) {
        char field[40];
        snprintf(field, sizeof(field), "stops[%zu].time", i);
        if (v->stops[i].time[0] ==
            '\0') /* a stop the matcher proposed: its place and time are the organiser's to say */
            sg_field_errors_add(errs, field, "required");
    }
    if (v->escort_name[0] == '\0')
        sg_field_errors_add(errs, "escort_name", "required");
    if (v->escort_phone[0] == '\0')
        sg_field_errors_add(errs, "escort_phone", "required");
    if (v->emergency[0] == '\0')
        sg_field_errors_add(errs, "emergency", "required");
    if (v->type == SG_VEHICLE_BUS && v->ndrivers == 0)
        sg_field_errors_add(errs, "drivers", "required");
    return errs->n == before;
}

bool sg_vehicle_transition_valid(enum sg_vehicle_status from, enum sg_vehicle_status to)
{
    if (from == to)
        return true;
    switch (from) {
    case SG_VEHICLE_PLANNED:
        return to == SG_VEHICLE_BOARDING || to == SG_VEHICLE_CANCELLED;
    case SG_VEHICLE_BOARDING:
        return to == SG_VEHICLE_DEPARTED || to == SG_VEHICLE_CANCELLED || to == SG_VEHICLE_PLANNED;
    case SG_VEHICLE_DEPARTED:
        return to == SG_VEHICLE_ARRIVED;
    default:
        return false;
    }
}

void sg_vehicle_train_seat(uint32_t carriage_size, uint32_t s, uint32_t *carriage, uint32_t *seat)
{
    if (carriage_size == 0) {
        *carriage = 0;
        *seat = s;
        return;
    }
    *carriage = (s - 1) / carriage_size + 1;
    *seat = (s - 1) % carriage_size + 1;
}

bool sg_vehicle_accepts(const struct sg_vehicle *v, const char *dest_city, struct sg_date depart, int flex_days,
                        int mode)
{
    long d = sg_date_days(depart) - sg_date_days(v->depart_date);
    return strcmp(v->dest_city, dest_city) == 0 && (d < 0 ? -d : d) <= flex_days &&
           (sg_mode_allows(mode) & (1u << v->type)) != 0;
}

size_t sg_vehicle_stop_for(const struct sg_vehicle *v, const char *village)
{
    size_t best = 0, best_len = 0;
    for (size_t i = 0; i != v->nstops; ++i) {
        size_t len = strlen(v->stops[i].serves);
        if (len > best_len && strncmp(village, v->stops[i].serves, len) == 0)
            best = i, best_len = len;
    }
    return best;
}

bool sg_vehicle_tellable(const struct sg_vehicle *v, const char *village)
{
    if (v->depart_time[0] == '\0' || v->nstops == 0)
        return false;
    const struct sg_stop *s = &v->stops[sg_vehicle_stop_for(v, village)];
    return s->name[0] != '\0' && s->time[0] != '\0';
}

size_t sg_vehicle_areas(const struct sg_vehicle *v, struct sg_match_area out[SG_STOPS_MAX])
{
    size_t n = 0;
    for (size_t i = 0; i != v->nstops && i != SG_STOPS_MAX; ++i)
        if (v->stops[i].serves[0] != '\0' && (out[n] = sg_match_area_of(v->stops[i].serves)).hi != 0)
            ++n;
    if (n == 0 && (out[0] = sg_match_area_of(v->scope)).hi != 0)
        n = 1;
    return n;
}

bool sg_vehicle_serves(const struct sg_vehicle *v, const char *village)
{
    struct sg_match_area areas[SG_STOPS_MAX], at = sg_match_area_of(village);
    size_t n = sg_vehicle_areas(v, areas);
    if (at.hi - at.lo != 1)
        return false; /* not a village code */
    for (size_t i = 0; i != n; ++i)
        if (at.lo >= areas[i].lo && at.lo < areas[i].hi)
            return true;
    return false;
}

uint32_t sg_vehicle_free_run(const struct sg_vehicle *v)
{
    uint32_t next = v->seat_next != 0 ? v->seat_next : v->used + 1, best = 0;
    for (size_t h = 0; h != v->nholes; ++h) {
        uint32_t first = v->holes[h][0], last = v->holes[h][1] < next ? v->holes[h][1] : next - 1;
        if (first >= 1 && first <= last && last - first + 1 > best)
            best = last - first + 1;
    }
    if (next <= v->capacity && v->capacity - next + 1 > best)
        best = v->capacity - next + 1;
    return best;
}

const char *sg_vehicle_refusal(const struct sg_vehicle *v, const struct sg_registration *r)
{
    if (v->status != SG_VEHICLE_PLANNED)
        return "not_open";
    if (!sg_vehicle_accepts(v, r->dest_city, r->depart_date, r->flex_days, r->mode))
        return "not_matching";
    if (!sg_vehicle_serves(v, r->village))
        return "no_stop";
    if (v->capacity < v->used + r->npeople || sg_vehicle_free_run(v) < r->npeople)
        return "no_room";
    return NULL;
}

size_t sg_vehicle_holes_parse(const char *text, uint32_t (*out)[2], size_t max)
{
    size_t n = 0;
    while (text != NULL && *text != '\0' && n != max) {
        char *end;
        unsigned long first = strtoul(text, &end, 10);
        if (end == text || *end != '-')
            break;
        const char *p = end + 1;
        unsigned long last = strtoul(p, &end, 10);
        if (end == p || (*end != ' ' && *end != '\0'))
            break;
        if (first >= 1 && first <= last && last <= UINT32_MAX)
            out[n][0] = (uint32_t)first, out[n][1] = (uint32_t)last, ++n;
        text = *end == ' ' ? end + 1 : end;
    }
    return n;
}

int sg_vehicle_filter_init(struct sg_vehicle_filter *f, const char *date, const char *dest_city, const char *type,
                           const char *status, const char *incomplete, const char *q, const char **bad)
{
    memset(f, 0, sizeof(*f));
    f->type = f->status = -1;
    *bad = NULL;
    if (date != NULL && date[0] != '\0' && sg_date_parse(date, &f->depart_date) != 0)
        *bad = "date";
    f->has_date = date != NULL && date[0] != '\0';
    if (dest_city != NULL && dest_city[0] != '\0') {
        if (strlen(dest_city) != 4 || strspn(dest_city, "0123456789") != 4)
            *bad = "dest_city";
        else
            memcpy(f->dest_city, dest_city, 5);
    }
    if (type != NULL && type[0] != '\0' && (f->type = sg_vehicle_type_parse(type)) < 0)
        *bad = "type";
    if (status != NULL && status[0] != '\0' && (f->status = sg_vehicle_status_parse(status)) < 0)
        *bad = "status";
    f->incomplete = incomplete != NULL && strcmp(incomplete, "1") == 0;
    if (q != NULL && sg_text_normalize(q, 32, f->q, sizeof(f->q)) != 0)
        *bad = "q";
    return *bad == NULL ? 0 : SG_EINVAL;
}

bool sg_vehicle_filter_match(const struct sg_vehicle_filter *f, const struct sg_vehicle *v)
{
    struct sg_field_errors errs = {0};
    if (f->has_date && sg_date_cmp(f->depart_date, v->depart_date) != 0)
        return false;
    if (f->dest_city[0] != '\0' && strcmp(f->dest_city, v->dest_city) != 0)
        return false;
    if ((f->type >= 0 && f->type != (int)v->type) || (f->status >= 0 && f->status != (int)v->status))
        return false;
    if (f->incomplete && (v->status != SG_VEHICLE_PLANNED || sg_vehicle_ready(v, &errs)))
        return false;
    return f->q[0] == '\0' || strcmp(f->q, v->id) == 0 || strstr(v->number, f->q) != NULL;
}

const char *sg_vehicle_notes(const struct sg_vehicle *v)
{
    struct sg_field_errors errs = {0};
    if (strcmp(v->notes, SG_VEHICLE_AUTO_NOTE) == 0 && sg_vehicle_ready(v, &errs))
        return "";
    return v->notes;
}
