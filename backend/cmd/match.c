/* SPDX-License-Identifier: MIT */
/* `songgong match --campaign ID --scope CODE [--accept] [--json]`: the matching run of
 * POST /api/match from the command line, against the same Redis. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd/commands.h"
#include "cmd/options.h"
#include "domain/err.h"
#include "http/matching.h"
#include "store/transport.h"

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
        printf("  vehicle %s: +%d\n", cJSON_GetObjectItemCaseSensitive(g, "id")->valuestring,
               cJSON_GetObjectItemCaseSensitive(g, "added")->valueint);
    cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(o, "new"))
        printf("  %s\n", cJSON_GetObjectItemCaseSensitive(g, "summary")->valuestring);
    printf("new vehicles %zu (lower bound %zu per city and date, %zu per city); %zu groups too big\n", r->res.ncreated,
           r->res.lower_bound, r->res.lower_bound_city, r->res.unassigned);
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
            "usage: songgong match --campaign ID --scope CODE [--accept] [--json] [options]\n"
            "\n"
            "Match the open registrations of a division into vehicles: fill the planned\n"
            "vehicles of the scope, then propose new ones by destination, date and type.\n"
            "Without --accept nothing is written; with it the proposal is applied (new\n"
            "vehicles created as planned, seats assigned) and the run is audited.\n"
            "\nOptions (flag, environment variable, meaning):\n%s",
            sg_options_help);
}

int sg_cmd_match(int argc, char **argv)
{
    struct sg_options o;
    static struct sg_app app;
    const char *campaign = NULL, *scope = NULL, *v;
    struct run c = {.app = &app};
    int accept = 0;
    if (sg_options_from_env(&o) != 0)
        return 1;
    for (int i = 1; i < argc; ++i) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else if ((v = sg_flag_value(argc, argv, &i, "--campaign")) != NULL)
            campaign = v;
        else if ((v = sg_flag_value(argc, argv, &i, "--scope")) != NULL)
            scope = v;
        else if (strcmp(argv[i], "--accept") == 0)
            accept = 1;
        else if (strcmp(argv[i], "--json") == 0)
            c.json = 1;
        else if (sg_options_take(&o, argc, argv, &i) != 1) {
            fprintf(stderr, "songgong match: unknown option %s (see --help)\n", argv[i]);
            return 1;
        }
    }
    if (campaign == NULL || scope == NULL) {
        fprintf(stderr, "songgong match: --campaign and --scope are required\n");
        return 1;
    }
    sg_options_finish(&o);
    if (sg_data_load(&app, &o) != 0)
        return 1;
    if (sg_divisions_find(app.divisions, scope, strlen(scope)) == NULL) {
        fprintf(stderr, "songgong match: unknown division %s\n", scope);
        return 1;
    }
    if ((app.store = sg_cli_store_open(&o, &c.loop)) == NULL)
        return 1;
    if ((c.status = sg_match_start(&app, campaign, scope, accept, on_done, &c)) == 0)
        sg_cli_wait(c.loop, &c.done);
    if (c.status == 0 && accept) {
        struct sg_audit a = {.at_ms = sg_app_now_ms()};
        int audited = 0;
        snprintf(a.user, sizeof(a.user), "cli:%s", getenv("USER") != NULL ? getenv("USER") : "?");
        snprintf(a.action, sizeof(a.action), "match_accept");
        snprintf(a.target, sizeof(a.target), "%s", scope);
        snprintf(a.address, sizeof(a.address), "local");
        if (sg_store_audit_append(app.store, &a, on_audited, &audited) == 0)
            sg_cli_wait(c.loop, &audited);
    }
    if (c.status == SG_EEXIST)
        fprintf(stderr, "songgong match: another matching run of %s holds the lock\n", campaign);
    else if (c.status != 0)
        fprintf(stderr, "songgong match: failed (%d)\n", c.status);
    sg_store_free(app.store);
    sg_data_free(&app);
    return c.status == 0 ? 0 : 1;
}
