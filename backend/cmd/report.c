/* SPDX-License-Identifier: MIT */
/* `songgong report --campaign ID --until YYYY-MM-DD --scope CODE [--xlsx FILE]`: the
 * statistics table of GET /api/report from the command line: JSON on stdout, and the
 * official .xlsx into FILE. Reads the same Redis; writes nothing there. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd/commands.h"
#include "cmd/options.h"
#include "domain/err.h"
#include "service/report.h"
#include "store/store.h"

struct run {
    int done, status;
    const char *xlsx;
};

static void on_report(void *data, int status, struct sg_report_doc *doc)
{
    struct run *r = data;
    r->done = 1;
    if ((r->status = status) != 0)
        return;
    cJSON *json = sg_report_json(doc);
    char *text = cJSON_Print(json);
    printf("%s\n", text);
    cJSON_free(text);
    cJSON_Delete(json);
    if (r->xlsx != NULL && sg_report_xlsx_write(doc, r->xlsx) != 0) {
        fprintf(stderr, "songgong report: cannot write %s\n", r->xlsx);
        r->status = SG_EIO;
    }
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: songgong report --campaign ID --scope CODE [--until YYYY-MM-DD] [--xlsx FILE] [options]\n"
            "\n"
            "The statistics table (2023年全区\"点对点\"送工服务情况统计表) of a campaign up to a\n"
            "date (default today): one row per city of the region (per county of a city), the\n"
            "total, and the self-checks, as JSON on stdout; --xlsx also writes the official\n"
            "layout (one landscape A4 page).\n"
            "\nOptions (flag, environment variable, meaning):\n%s",
            sg_options_help);
}

int sg_cmd_report(int argc, char **argv)
{
    struct sg_options o;
    static struct sg_app app;
    const char *campaign = NULL, *scope = NULL, *until_s = NULL, *v;
    struct run r = {0};
    h2o_evloop_t *loop;
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
        else if ((v = sg_flag_value(argc, argv, &i, "--until")) != NULL)
            until_s = v;
        else if ((v = sg_flag_value(argc, argv, &i, "--xlsx")) != NULL)
            r.xlsx = v;
        else if (sg_options_take(&o, argc, argv, &i) != 1) {
            fprintf(stderr, "songgong report: unknown option %s (see --help)\n", argv[i]);
            return 1;
        }
    }
    if (campaign == NULL || scope == NULL) {
        fprintf(stderr, "songgong report: --campaign and --scope are required\n");
        return 1;
    }
    sg_options_finish(&o);
    if (sg_data_load(&app, &o) != 0)
        return 1;
    const struct sg_campaign *c = sg_app_campaign(&app, campaign);
    struct sg_date until = sg_app_today(&app);
    if (c == NULL || (until_s != NULL && sg_date_parse(until_s, &until) != 0)) {
        fprintf(stderr, "songgong report: %s\n", c == NULL ? "no such campaign" : "--until must be YYYY-MM-DD");
        sg_data_free(&app);
        return 1;
    }
    if ((app.store = sg_cli_store_open(&o, &loop)) == NULL) {
        sg_data_free(&app);
        return 1;
    }
    int ret = sg_report_start(&app, c, scope, until, on_report, &r);
    if (ret == 0)
        sg_cli_wait(loop, &r.done);
    else
        r.status = ret;
    if (r.status == SG_EINVAL || r.status == SG_ENOENT)
        fprintf(stderr, "songgong report: the scope must be the region or a city (%s)\n", scope);
    else if (r.status != 0)
        fprintf(stderr, "songgong report: failed (%d)\n", r.status);
    sg_store_free(app.store);
    sg_data_free(&app);
    return r.status == 0 ? 0 : 1;
}
