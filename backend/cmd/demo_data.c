/* SPDX-License-Identifier: MIT */
/* `songgong demo-data`: made-up but realistic registrations (domain/demo.c) written
 * through the same store call as a real sign-up, many in flight at once. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cmd/commands.h"
#include "cmd/options.h"
#include "domain/demo.h"
#include "domain/err.h"
#include "store/store.h"

#define IN_FLIGHT 256
#define CONNECT_WAIT_MS 5000

struct demo {
    h2o_evloop_t *loop;
    struct sg_store *store;
    const struct sg_options *options;
    const struct sg_campaign *campaign;
    struct sg_validate_ctx ctx;
    struct sg_demo_rng rng;
    size_t target, done, pending_people, inflight, registrations, duplicates, failures;
    int last_error;
};

struct demo_op {
    struct demo *d;
    size_t people;
};

static void on_saved(void *data, int status, const struct sg_save_result *res)
{
    struct demo_op *op = data;
    struct demo *d = op->d;
    --d->inflight;
    d->pending_people -= op->people;
    if (status == 0) {
        d->done += op->people;
        ++d->registrations;
    } else if (status == SG_EEXIST) {
        ++d->duplicates; /* a made-up ID number met an earlier one: make another */
    } else {
        ++d->failures;
        d->last_error = status;
    }
    free(op);
}

static void top_up(struct demo *d)
{
    while (d->inflight < IN_FLIGHT && d->done + d->pending_people < d->target && d->failures == 0) {
        struct sg_registration reg;
        sg_demo_registration(&d->rng, &d->ctx, &reg);
        size_t room = d->target - d->done - d->pending_people;
        if (reg.npeople > room)
            reg.npeople = room; /* the last sign-up brings fewer companions */
        struct demo_op *op = malloc(sizeof(*op));
        if (op == NULL)
            abort();
        *op = (struct demo_op){d, reg.npeople};
        int ret =
            sg_store_registration_save(d->store, d->campaign->id, &reg, &(struct sg_save_options){.unkeyed = true},
                                       sg_app_now_ms(), d->ctx.today, on_saved, op);
        if (ret != 0) {
            free(op);
            ++d->failures;
            d->last_error = ret;
            return;
        }
        ++d->inflight;
        d->pending_people += reg.npeople;
    }
}

struct fold_wait {
    bool done;
    int status;
};

static void on_folded(void *data, int status, size_t folded, size_t pending)
{
    struct fold_wait *w = data;
    w->done = true;
    w->status = status;
}

/* Every sign-up written is folded into the counters and indexes before the command ends
 * (the store folds behind each write already; this waits for the last of it). */
static int fold_all(struct demo *d)
{
    struct fold_wait w = {false, 0};
    int ret = sg_store_fold(d->store, on_folded, &w);
    while (ret == 0 && !w.done)
        h2o_evloop_run(d->loop, 100);
    return ret != 0 ? ret : w.status;
}

static int run(struct demo *d)
{
    if (!sg_cli_store_wait(d->store, d->loop, CONNECT_WAIT_MS)) {
        fprintf(stderr, "songgong demo-data: Redis is not reachable\n");
        return 1;
    }
    if (sg_cli_schema_check(d->store, d->loop, d->options) != 0)
        return 1;
    while ((d->done < d->target && d->failures == 0) || d->inflight != 0) {
        top_up(d);
        h2o_evloop_run(d->loop, 100);
    }
    if (d->failures == 0 && (d->last_error = fold_all(d)) != 0)
        ++d->failures;
    if (d->failures != 0) {
        fprintf(stderr, "songgong demo-data: %zu writes failed (%s)\n", d->failures,
                d->last_error == SG_ETIMEDOUT ? "Redis timed out" : "Redis unavailable or answered an error");
        return 1;
    }
    printf("demo-data: %zu registrations, %zu people in campaign %s (%zu made-up ID numbers met an earlier one and "
           "were replaced)\n",
           d->registrations, d->done, d->campaign->id, d->duplicates);
    return 0;
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: songgong demo-data --people N [--seed S] [--campaign ID] [options]\n"
            "\n"
            "Write made-up registrations totalling N people into the active campaign (or ID),\n"
            "through the same store code as real sign-ups: real village codes, valid ID numbers\n"
            "(ages 18-65), destinations mostly in Guangdong, most departures in the ten days from\n"
            "初六 after 春节, some companions, poverty flags (15%%) and 低收入 marks (8%%).\n"
            "The same seed gives the same people (default: a seed from the clock).\n"
            "\nOptions (flag, environment variable, meaning):\n%s",
            sg_options_help);
}

static int parse_args(int argc, char **argv, struct sg_options *o, size_t *people, uint64_t *seed, const char **cid)
{
    for (int i = 1; i < argc; ++i) {
        const char *v;
        char *end;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 1;
        }
        if ((v = sg_flag_value(argc, argv, &i, "--people")) != NULL ||
            (v = sg_flag_value(argc, argv, &i, "--seed")) != NULL) {
            int is_people = strncmp(argv[i][0] == '-' ? argv[i] : argv[i - 1], "--people", 8) == 0;
            errno = 0;
            unsigned long long n = strtoull(v, &end, 10);
            if (errno != 0 || end == v || *end != '\0' || (is_people && (n == 0 || n > 100000000))) {
                fprintf(stderr, "songgong demo-data: bad number '%s'\n", v);
                return -1;
            }
            if (is_people)
                *people = (size_t)n;
            else
                *seed = n;
            continue;
        }
        if ((v = sg_flag_value(argc, argv, &i, "--campaign")) != NULL) {
            *cid = v;
            continue;
        }
        int taken = sg_options_take(o, argc, argv, &i);
        if (taken < 0)
            return -1;
        if (taken == 0) {
            fprintf(stderr, "songgong demo-data: unknown option %s (see --help)\n", argv[i]);
            return -1;
        }
    }
    if (*people == 0) {
        fprintf(stderr, "songgong demo-data: --people N is required\n");
        return -1;
    }
    return 0;
}

int sg_cmd_demo_data(int argc, char **argv)
{
    struct sg_options o;
    static struct sg_app app;
    static struct demo d;
    size_t people = 0;
    uint64_t seed = (uint64_t)time(NULL);
    const char *cid = NULL, *err = NULL;
    if (sg_options_from_env(&o) != 0)
        return 1;
    int ret = parse_args(argc, argv, &o, &people, &seed, &cid);
    if (ret != 0)
        return ret > 0 ? 0 : 1;
    sg_options_finish(&o);
    if (sg_data_load(&app, &o) != 0)
        return 1;
    if ((d.campaign = sg_app_campaign(&app, cid)) == NULL) {
        fprintf(stderr, "songgong demo-data: no such campaign (or none active)\n");
        return 1;
    }
    d.loop = h2o_evloop_create();
    struct sg_store_config sc = sg_options_store_config(&o, o.redis_connections);
    if ((d.store = sg_store_new(d.loop, &sc, &err)) == NULL) {
        fprintf(stderr, "songgong demo-data: %s (%s)\n", err, o.key_file);
        return 1;
    }
    struct sg_date today = sg_app_today(&app);
    d.ctx = (struct sg_validate_ctx){.divisions = app.divisions,
                                     .destinations = app.destinations,
                                     .regions = app.regions,
                                     .today = today,
                                     .starts = d.campaign->starts,
                                     .ends = d.campaign->ends};
    if (sg_date_cmp(d.ctx.today, d.campaign->ends) > 0) {
        fprintf(stderr, "songgong demo-data: campaign %s ended before today\n", d.campaign->id);
        return 1;
    }
    sg_demo_rng_seed(&d.rng, seed);
    d.target = people;
    d.options = &o;
    ret = run(&d);
    sg_store_free(d.store);
    sg_data_free(&app);
    return ret;
}
