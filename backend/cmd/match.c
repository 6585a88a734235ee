/* SPDX-License-Identifier: MIT */
/* `songgong match --campaign ID --scope CODE [--accept] [--json] [sizes] [minimums]
 * [--area LEVEL]`: the matching run of POST /api/match from the command line, against the
 * same Redis. The matcher runs on the offload worker, as in the server. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd/commands.h"
#include "cmd/options.h"
#include "domain/err.h"
#include "service/matching.h"
#include "service/notify.h"
#include "service/offload.h"
#include "store/transport.h"

/* The flags of the sizes, in the order of struct sg_vehicle_sizes_input's fields (seats by type, then carriage). */
static const char *const size_flags[] = {"--bus-seats", "--train-seats", "--flight-seats", "--train-carriage"};

struct run {
    int done, status, json;
    struct sg_app *app;
    h2o_evloop_t *loop;
};

static void print_report(const struct run *c, const struct sg_match_report *r)
{
    cJSON *o = sg_json_match_report(c->app, r), *g;
    if (c->json) {
        char *text = cJSON_Print(o);
        printf("%s\n", text);
        cJSON_free(text);
        cJSON_Delete(o);
        return;
    }
    printf("%s %s: %zu registrations, %llu people, %llu placed\n", r->campaign, r->scope, r->open->n,
           (unsigned long long)r->people, (unsigned long long)r->res.people_placed);
    cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(o, "existing"))
        if (cJSON_GetObjectItemCaseSensitive(g, "added")->valueint != 0)
            printf("  vehicle %s: +%d\n", cJSON_GetObjectItemCaseSensitive(g, "id")->valuestring,
                   cJSON_GetObjectItemCaseSensitive(g, "added")->valueint);
    cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(o, "new"))
        printf("  %s\n", cJSON_GetObjectItemCaseSensitive(g, "summary")->valuestring);
    printf("sizes of new vehicles: bus %u, train %u (carriages of %u), flight %u seats\n",
           r->sizes.seats[SG_VEHICLE_BUS], r->sizes.seats[SG_VEHICLE_TRAIN], r->sizes.train_carriage,
           r->sizes.seats[SG_VEHICLE_FLIGHT]);
    printf("minimum loads: bus %u, train %u, flight %u people; pickup areas by %s\n", r->options.min_load[0],
           r->options.min_load[1], r->options.min_load[2], sg_match_area_name(r->area_digits));
    printf("new vehicles %zu (lower bound %zu per city, area and date, %zu per city and area)\n", r->res.ncreated,
           r->res.lower_bound, r->res.lower_bound_city);
    printf("unplaced: %zu registrations, %llu people\n", r->res.unassigned, (unsigned long long)r->res.people_unplaced);
    int shown = 0;
    cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(o, "unplaced"))
        if (shown++ < 30)
            printf("  %s %s %s: %d people\n", cJSON_GetObjectItemCaseSensitive(g, "reason")->valuestring,
                   cJSON_GetObjectItemCaseSensitive(g, "dest_city_name")->valuestring,
                   cJSON_GetObjectItemCaseSensitive(g, "depart_date")->valuestring,
                   cJSON_GetObjectItemCaseSensitive(g, "people")->valueint);
    if (shown > 30)
        printf("  ... %d groups in all (--json lists them)\n", shown);
    if (r->accept)
        printf("accepted: %zu registrations (%zu people) assigned, %zu skipped (cancelled or assigned meanwhile)\n",
               r->assigned, r->assigned_people, r->skipped);
    printf("cpu %.0f ms\n", r->cpu_ms);
    cJSON_Delete(o);
}

static void on_done(void *data, int status, const struct sg_match_report *r)
{
    struct run *c = data;
    c->status = status;
    c->done = 1;
    if (status == 0)
        print_report(c, r);
}

static void on_audited(void *data, int status)
{
    *(int *)data = 1;
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: songgong match --campaign ID --scope CODE [--accept] [--json] [sizes] [options]\n"
            "\n"
            "Match the open registrations of a division into vehicles: fill the planned\n"
            "vehicles of the scope, then propose new ones by destination, date and type.\n"
            "Without --accept nothing is written; with it the proposal is applied (new\n"
            "vehicles created as planned, seats assigned) and the run is audited.\n"
            "\nSizes of the proposed vehicles (seats):\n"
            "  --bus-seats N        a bus, 5-65 (default 50)\n"
            "  --train-seats N      a train, 100-2400, whole carriages (default 1000)\n"
            "  --train-carriage N   a train's carriage, 20-150 (default 100)\n"
            "  --flight-seats N     a flight, 30-400 (default 150)\n"
            "\nMinimum loads (people a proposed vehicle carries at least; smaller groups are reported):\n"
            "  --bus-min N          default half a bus's seats\n"
            "  --train-min N        default 300\n"
            "  --flight-min N       default 100\n"
            "\nPickup areas (a proposed vehicle takes people of one area):\n"
            "  --area LEVEL         county, township (default) or village\n"
            "\nOptions (flag, environment variable, meaning):\n%s",
            sg_options_help);
}

/* A size flag at argv[*i]: 1 taken, 0 not one, -1 a bad value (said on stderr). */
static int take_size(int argc, char **argv, int *i, struct sg_vehicle_sizes_input *in)
{
    long *slots[] = {&in->seats[SG_VEHICLE_BUS], &in->seats[SG_VEHICLE_TRAIN], &in->seats[SG_VEHICLE_FLIGHT],
                     &in->train_carriage};
    for (size_t k = 0; k != 4; ++k) {
        const char *v = sg_flag_value(argc, argv, i, size_flags[k]);
        char *end;
        if (v == NULL)
            continue;
        errno = 0;
        long n = strtol(v, &end, 10);
        if (errno != 0 || end == v || *end != '\0' || n < 0) {
            fprintf(stderr, "songgong match: %s needs a number of seats, not \"%s\"\n", size_flags[k], v);
            return -1;
        }
        *slots[k] = n;
        return 1;
    }
    return 0;
}

/* The sizes checked as the API checks them; false after saying what is wrong. */
static bool check_sizes(const struct sg_vehicle_sizes_input *in, struct sg_vehicle_sizes *out)
{
    static const char *const fields[] = {"bus", "train", "flight", "train_carriage"};
    struct sg_field_errors errs;
    if (sg_vehicle_sizes_validate(in, out, &errs) == 0)
        return true;
    for (size_t e = 0; e != errs.n; ++e) {
        size_t k = 0;
        while (k != 3 && strcmp(errs.e[e].field, fields[k]) != 0)
            ++k;
        uint32_t lo = SG_CARRIAGE_MIN, hi = SG_CARRIAGE_MAX;
        if (k < 3)
            sg_vehicle_capacity_range((enum sg_vehicle_type)k, &lo, &hi);
        if (strcmp(errs.e[e].code, "carriage_divides") == 0)
            fprintf(stderr, "songgong match: --train-seats %u is not a whole number of carriages of %u seats\n",
                    out->seats[SG_VEHICLE_TRAIN], out->train_carriage);
        else
            fprintf(stderr, "songgong match: %s must be %u-%u\n", size_flags[k], lo, hi);
    }
    return false;
}

struct args {
    const char *campaign, *scope;
    int accept, json;
    struct sg_match_options options;
    long min_load[SG_VEHICLE_TYPES];
};

static const char *const min_flags[SG_VEHICLE_TYPES] = {"--bus-min", "--train-min", "--flight-min"};

/* A minimum-load flag or --area at argv[*i]: 1 taken, 0 not one, -1 a bad value (said on stderr). */
static int take_run_option(int argc, char **argv, int *i, struct args *a)
{
    const char *v = sg_flag_value(argc, argv, i, "--area");
    if (v != NULL) {
        if ((a->options.area_digits = sg_match_area_digits(v)) == 0) {
            fprintf(stderr, "songgong match: --area is county, township or village, not \"%s\"\n", v);
            return -1;
        }
        return 1;
    }
    for (int t = 0; t != SG_VEHICLE_TYPES; ++t) {
        char *end;
        if ((v = sg_flag_value(argc, argv, i, min_flags[t])) == NULL)
            continue;
        errno = 0;
        a->min_load[t] = strtol(v, &end, 10);
        if (errno != 0 || end == v || *end != '\0' || a->min_load[t] < 1) {
            fprintf(stderr, "songgong match: %s needs a number of people, not \"%s\"\n", min_flags[t], v);
            return -1;
        }
        return 1;
    }
    return 0;
}

/* The minimum loads checked against the sizes, as the API does; false after saying what is wrong. */
static bool check_min_load(struct args *a)
{
    struct sg_field_errors errs;
    if (sg_vehicle_min_load_validate(a->min_load, &a->options.sizes, a->options.min_load, &errs) == 0)
        return true;
    for (size_t e = 0; e != errs.n; ++e) {
        int t = sg_vehicle_type_parse(errs.e[e].field);
        fprintf(stderr, "songgong match: %s must be 1 to the seats of a proposed vehicle (%u)\n", min_flags[t],
                a->options.sizes.seats[t]);
    }
    return false;
}

/* The command line into a and o: 0 to go on, 1 on a bad one, -1 after --help. */
static int parse_args(int argc, char **argv, struct sg_options *o, struct args *a)
{
    struct sg_vehicle_sizes_input sizes = {{-1, -1, -1}, -1};
    const char *v;
    int taken;
    sg_match_options_default(&a->options);
    for (int t = 0; t != SG_VEHICLE_TYPES; ++t)
        a->min_load[t] = -1;
    for (int i = 1; i < argc; ++i) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return -1;
        } else if ((v = sg_flag_value(argc, argv, &i, "--campaign")) != NULL)
            a->campaign = v;
        else if ((v = sg_flag_value(argc, argv, &i, "--scope")) != NULL)
            a->scope = v;
        else if (strcmp(argv[i], "--accept") == 0)
            a->accept = 1;
        else if (strcmp(argv[i], "--json") == 0)
            a->json = 1;
        else if ((taken = take_size(argc, argv, &i, &sizes)) != 0 ||
                 (taken = take_run_option(argc, argv, &i, a)) != 0) {
            if (taken < 0)
                return 1;
        } else if (sg_options_take(o, argc, argv, &i) != 1) {
            fprintf(stderr, "songgong match: unknown option %s (see --help)\n", argv[i]);
            return 1;
        }
    }
    if (a->campaign == NULL || a->scope == NULL) {
        fprintf(stderr, "songgong match: --campaign and --scope are required\n");
        return 1;
    }
    return check_sizes(&sizes, &a->options.sizes) && check_min_load(a) ? 0 : 1;
}

static void audit_accept(struct sg_store *store, h2o_evloop_t *loop, const char *scope)
{
    struct sg_audit a = {.at_ms = sg_app_now_ms()};
    int audited = 0;
    snprintf(a.user, sizeof(a.user), "cli:%s", getenv("USER") != NULL ? getenv("USER") : "?");
    snprintf(a.action, sizeof(a.action), "match_accept");
    snprintf(a.target, sizeof(a.target), "%s", scope);
    snprintf(a.address, sizeof(a.address), "local");
    if (sg_store_audit_append(store, &a, on_audited, &audited) == 0)
        sg_cli_wait(loop, &audited);
}

int sg_cmd_match(int argc, char **argv)
{
    struct sg_options o;
    static struct sg_app app;
    struct args a = {0};
    struct run c = {.app = &app};
    int ret;
    if (sg_options_from_env(&o) != 0)
        return 1;
    if ((ret = parse_args(argc, argv, &o, &a)) != 0)
        return ret < 0 ? 0 : ret;
    c.json = a.json;
    sg_options_finish(&o);
    if (sg_data_load(&app, &o) != 0)
        return 1;
    if (sg_divisions_find(app.divisions, a.scope, strlen(a.scope)) == NULL) {
        fprintf(stderr, "songgong match: unknown division %s\n", a.scope);
        return 1;
    }
    if ((app.store = sg_cli_store_open(&o, &c.loop)) == NULL)
        return 1;
    sg_offload_start(h2o_multithread_create_queue(c.loop)); /* lives with the loop, until exit */
    /* the vehicles filled become the text sender's events */
    sg_notify_hooks_listen();
    if ((c.status = sg_match_start(&app, a.campaign, a.scope, &a.options, a.accept, on_done, &c)) == 0)
        sg_cli_wait(c.loop, &c.done);
    if (c.status == 0 && a.accept)
        audit_accept(app.store, c.loop, a.scope);
    if (c.status == SG_EEXIST)
        fprintf(stderr, "songgong match: another matching run of %s holds the lock\n", a.campaign);
    else if (c.status != 0)
        fprintf(stderr, "songgong match: failed (%d)\n", c.status);
    sg_store_free(app.store);
    sg_data_free(&app);
    return c.status == 0 ? 0 : 1;
}
