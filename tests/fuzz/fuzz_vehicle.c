/* SPDX-License-Identifier: MIT */
/* Fuzz target: a vehicle plan as POST and PATCH /api/vehicles read it (the JSON gate,
 * sg_vehicle_input_read, sg_vehicle_validate against the destinations and the campaign
 * window, the stops' divisions), then what is done with a plan: its readiness, the stop
 * for a village, whether a trip fits it, the seats of a train. Invariants: a plan that
 * passes has every field within its rule (type and capacity range, carriages, a known
 * city, a date in the window, HH:MM times in order, at most 12 stops and 3 drivers,
 * names and text that normalize to themselves) and shown as JSON (as PATCH merges it)
 * reads and validates back to the same plan; every error code has its own message. The
 * store's free-seat runs (sg_vehicle_holes_parse) are read from the "notes" text too. */
#include <string.h>
#include "domain/text.h"
#include "domain/vehicle.h"
#include "http/core/reply.h"
#include "http/core/request.h"
#include "http/transport/transport.h"
#include "service/app.h"
#include "fuzz.h"

#define BODY_MAX (32 * 1024) /* as vehicles.c */

static const char *fallback_message;
static struct sg_app app;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const struct sg_fuzz_data *d = sg_fuzz_data();
    app.divisions = d->divisions;
    app.destinations = d->destinations;
    fallback_message = sg_message("\x01 no such code");
    return 0;
}

static void check_time(const char *t, bool may_be_empty)
{
    if (t[0] == '\0') {
        SG_FUZZ_CHECK(may_be_empty);
        return;
    }
    SG_FUZZ_CHECK(strlen(t) == 5 && t[2] == ':' && strspn(t, "0123456789:") == 5);
    SG_FUZZ_CHECK(strcmp(t, "00:00") >= 0 && strcmp(t, "23:59") <= 0 && t[3] <= '5');
}

static void check_text(const char *s, size_t max_chars, size_t outsz)
{
    char again[2001];
    SG_FUZZ_CHECK(strlen(s) < outsz && sg_fuzz_clean_utf8(s) && sg_utf8_count(s, strlen(s)) <= max_chars);
    SG_FUZZ_CHECK(sg_text_normalize(s, max_chars, again, outsz) == 0 && strcmp(again, s) == 0);
}

static void check_valid(const struct sg_vehicle *v, const struct sg_fuzz_data *d)
{
    uint32_t lo, hi;
    SG_FUZZ_CHECK(v->type <= SG_VEHICLE_FLIGHT);
    sg_vehicle_capacity_range(v->type, &lo, &hi);
    SG_FUZZ_CHECK(v->capacity >= lo && v->capacity <= hi);
    if (v->type == SG_VEHICLE_TRAIN)
        SG_FUZZ_CHECK(v->carriage_size >= SG_CARRIAGE_MIN && v->carriage_size <= SG_CARRIAGE_MAX);
    else
        SG_FUZZ_CHECK(v->carriage_size == 0);
    const struct sg_division *c = sg_divisions_find(d->destinations, v->dest_city, strlen(v->dest_city));
    SG_FUZZ_CHECK(c != NULL && strlen(v->dest_city) == 4);
    SG_FUZZ_CHECK(sg_date_valid(v->depart_date) && sg_date_cmp(v->depart_date, d->starts) >= 0 &&
                  sg_date_cmp(v->depart_date, d->ends) <= 0);
    check_time(v->depart_time, true);
    check_time(v->arrive_time, true);
    SG_FUZZ_CHECK(v->nstops <= SG_STOPS_MAX && v->ndrivers <= SG_DRIVERS_MAX);
    const char *last = ""; /* a stop's time may wait (a stop the matcher proposed); the given ones are in order */
    for (size_t i = 0; i != v->nstops; ++i) {
        check_text(v->stops[i].name, SG_STOP_NAME_MAX_CHARS, sizeof(v->stops[i].name));
        SG_FUZZ_CHECK(v->stops[i].name[0] != '\0');
        check_time(v->stops[i].time, true);
        if (v->stops[i].time[0] != '\0') {
            SG_FUZZ_CHECK(strcmp(last, v->stops[i].time) <= 0);
            last = v->stops[i].time;
        }
        size_t n = strlen(v->stops[i].serves);
        SG_FUZZ_CHECK(n == 0 || sg_divisions_find(d->divisions, v->stops[i].serves, n) != NULL);
    }
    if (v->depart_time[0] != '\0')
        SG_FUZZ_CHECK(strcmp(v->depart_time, last) >= 0);
    for (size_t i = 0; i != v->ndrivers; ++i) {
        char again[128];
        SG_FUZZ_CHECK(sg_name_normalize(v->drivers[i], again, sizeof(again)) == 0 && strcmp(again, v->drivers[i]) == 0);
    }
    SG_FUZZ_CHECK(v->escort_phone[0] == '\0' || strlen(v->escort_phone) == 11);
    check_text(v->number, 32, sizeof(v->number));
    check_text(v->employer, SG_PLAN_TEXT_MAX_CHARS, sizeof(v->employer));
    check_text(v->emergency, SG_PLAN_TEXT_MAX_CHARS, sizeof(v->emergency));
    check_text(v->notes, SG_NOTES_MAX_CHARS, sizeof(v->notes));
}

/* As validate_or_reply in vehicles.c: type errors, the rules' errors, unknown stop divisions. */
static int validate(const cJSON *o, struct sg_vehicle *v, const struct sg_fuzz_data *d)
{
    struct sg_vehicle_input in;
    struct sg_field_errors errs = {0}, rules = {0};
    struct sg_vehicle_ctx ctx = {d->destinations, d->starts, d->ends};
    sg_vehicle_input_read(o, &in, &errs);
    int ret = sg_vehicle_validate(&in, &ctx, v, &rules);
    SG_FUZZ_CHECK((ret == 0) == (rules.n == 0));
    for (size_t i = 0; i != rules.n; ++i)
        sg_field_errors_add(&errs, rules.e[i].field, rules.e[i].code);
    for (size_t i = 0; i != v->nstops; ++i) {
        const char *code = v->stops[i].serves;
        if (code[0] != '\0' && sg_divisions_find(d->divisions, code, strlen(code)) == NULL)
            sg_field_errors_add(&errs, "stops[].serves", "unknown_division");
    }
    for (size_t i = 0; i != errs.n; ++i)
        SG_FUZZ_CHECK(sg_message(errs.e[i].code) != fallback_message);
    return errs.n == 0 ? 0 : -1;
}

/* What the rest of the code does with a valid plan. */
static void use(const struct sg_vehicle *v, const struct sg_fuzz_data *d, uint32_t pick)
{
    struct sg_field_errors missing = {0};
    bool ready = sg_vehicle_ready(v, &missing);
    SG_FUZZ_CHECK(ready == (missing.n == 0));
    for (size_t i = 0; i != v->nstops; ++i) /* boarding needs every stop's time */
        SG_FUZZ_CHECK(v->stops[i].time[0] != '\0' || !ready);
    const struct sg_division *village = sg_divisions_at(d->divisions, pick % sg_divisions_count(d->divisions));
    size_t stop = sg_vehicle_stop_for(v, village->code);
    SG_FUZZ_CHECK(v->nstops == 0 ? stop == 0 : stop < v->nstops);
    bool named = false; /* a stop serving the village: then the one given serves it */
    for (size_t i = 0; i != v->nstops; ++i)
        named |= sg_scope_contains(v->stops[i].serves, village->code);
    if (named)
        SG_FUZZ_CHECK(sg_scope_contains(v->stops[stop].serves, village->code));
    SG_FUZZ_CHECK(sg_vehicle_accepts(v, v->dest_city, v->depart_date, 0, SG_MODE_ANY));
    for (uint32_t s = 1; s <= v->capacity; s += 1 + pick % 97) {
        uint32_t carriage, seat;
        sg_vehicle_train_seat(v->carriage_size, s, &carriage, &seat);
        if (v->carriage_size != 0)
            SG_FUZZ_CHECK(seat >= 1 && seat <= v->carriage_size && (carriage - 1) * v->carriage_size + seat == s);
    }
}

static void holes(const char *text)
{
    uint32_t runs[SG_VEHICLE_HOLES_MAX][2];
    size_t n = sg_vehicle_holes_parse(text, runs, SG_VEHICLE_HOLES_MAX);
    SG_FUZZ_CHECK(n <= SG_VEHICLE_HOLES_MAX);
    for (size_t i = 0; i != n; ++i)
        SG_FUZZ_CHECK(runs[i][0] >= 1 && runs[i][0] <= runs[i][1]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const struct sg_fuzz_data *d = sg_fuzz_data();
    cJSON *o = NULL;
    const char *code = NULL;
    if (sg_json_body_parse("application/json", 16, (const char *)data, size, BODY_MAX, &o, &code) != 0)
        return 0;
    struct sg_vehicle v, again;
    memset(&v, 0, sizeof(v));
    const char *notes = sg_json_string(o, "notes", NULL, NULL);
    if (notes != NULL)
        holes(notes);
    if (validate(o, &v, d) == 0) {
        check_valid(&v, d);
        use(&v, d, (uint32_t)size * 2654435761u);
        cJSON *shown = sg_json_vehicle(&app, &v); /* PATCH validates the stored plan shown as JSON */
        memset(&again, 0, sizeof(again));
        SG_FUZZ_CHECK(validate(shown, &again, d) == 0);
        SG_FUZZ_CHECK(memcmp(&again, &v, sizeof(v)) == 0);
        cJSON_Delete(shown);
    }
    cJSON_Delete(o);
    return 0;
}
