/* SPDX-License-Identifier: MIT */
/* `songgong purge --campaign ID --yes`: delete a campaign's personal data once its
 * retention period (6 months after the campaign's end, as the sign-up page promises) is
 * over. --force deletes earlier (an operator's decision, e.g. a test campaign). */
#include <stdio.h>
#include <string.h>
#include "cmd/commands.h"
#include "cmd/options.h"
#include "domain/err.h"
#include "store/store.h"

#define RETENTION_DAYS 183 /* "deleted 6 months after the campaign ends" (site/s, docs/redis-keys.md) */

struct purge {
    int done, status;
    size_t deleted;
    bool finished;
};

static void on_step(void *data, int status, size_t deleted, bool done)
{
    struct purge *p = data;
    p->status = status;
    p->deleted += deleted;
    p->finished = done;
    p->done = 1;
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: songgong purge --campaign ID --yes [--force]\n\n"
            "Delete every registration, vehicle, counter and uniqueness key of campaign ID\n"
            "(the audit log stays: it holds no ID or phone number). Refused until %d days after\n"
            "the campaign's end date, the retention the sign-up page promises, unless --force.\n"
            "--yes is required: nothing is deleted without it. Safe to run again if interrupted.\n\n"
            "Options (flag, environment variable, meaning):\n%s",
            RETENTION_DAYS, sg_options_help);
}

static int run(const struct sg_options *o, const char *campaign)
{
    h2o_evloop_t *loop;
    struct sg_store *s = sg_cli_store_open(o, &loop);
    struct purge p = {0};
    if (s == NULL)
        return 1;
    while (!p.finished) {
        p.done = 0;
        if (sg_store_campaign_purge_step(s, campaign, on_step, &p) != 0) {
            p.status = SG_EUNAVAIL;
            break;
        }
        sg_cli_wait(loop, &p.done);
        if (p.status != 0)
            break;
    }
    sg_store_free(s);
    if (p.status != 0) {
        fprintf(stderr, "songgong purge: Redis failed after %zu keys; run it again to go on\n", p.deleted);
        return 1;
    }
    printf("purged campaign %s: %zu keys deleted\n", campaign, p.deleted);
    return 0;
}

int sg_cmd_purge(int argc, char **argv)
{
    struct sg_options o;
    static struct sg_app app;
    const char *campaign = NULL, *v;
    bool yes = false, force = false;
    if (sg_options_from_env(&o) != 0)
        return 1;
    for (int i = 1; i < argc; ++i) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else if ((v = sg_flag_value(argc, argv, &i, "--campaign")) != NULL) {
            campaign = v;
        } else if (strcmp(argv[i], "--yes") == 0) {
            yes = true;
        } else if (strcmp(argv[i], "--force") == 0) {
            force = true;
        } else if (sg_options_take(&o, argc, argv, &i) <= 0) {
            usage(stderr);
            return 1;
        }
    }
    sg_options_finish(&o);
    if (sg_data_load(&app, &o) != 0)
        return 1;
    const struct sg_campaign *c = (campaign != NULL ? sg_app_campaign(&app, campaign) : NULL);
    int ret = 1;
    if (c == NULL)
        fprintf(stderr, "songgong purge: --campaign must name a campaign of data/campaigns.json\n");
    else if (!force && sg_date_days(sg_app_today(&app)) < sg_date_days(c->ends) + RETENTION_DAYS)
        fprintf(stderr, "songgong purge: campaign %s is kept until %d days after it ends; --force to delete now\n",
                c->id, RETENTION_DAYS);
    else if (!yes)
        fprintf(stderr, "songgong purge: this deletes every registration of %s for good; add --yes\n", c->id);
    else
        ret = run(&o, c->id);
    sg_data_free(&app);
    return ret;
}
