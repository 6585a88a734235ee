/* SPDX-License-Identifier: MIT */
/* `songgong migrate`: move data stored under the key names of the layout before version 2
 * (sg:reg:CODE, …) to this layout's (sg:{45}:reg:CODE, …), and rewrite registrations of
 * version 2 (birth dates in plain) and 3 (long data) for version 4 (birth years, compact
 * data). Quiet and quick when there is nothing to do, so that deploy/up.sh runs it before
 * every start. */
#include <stdio.h>
#include <string.h>
#include "cmd/commands.h"
#include "cmd/options.h"
#include "domain/err.h"
#include "store/store.h"

struct migration {
    int done, status;
    struct sg_store_migration m;
    char conflict[256];
};

static void on_migrated(void *data, int status, const struct sg_store_migration *done)
{
    struct migration *m = data;
    m->status = status;
    m->m = *done;
    snprintf(m->conflict, sizeof(m->conflict), "%s", done->conflict != NULL ? done->conflict : "");
    m->m.conflict = NULL;
    m->done = 1;
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: songgong migrate [options]\n\n"
            "Move data stored by songgong before version " SG_STORE_SCHEMA_VERSION " of the key layout "
            "(sg:reg:CODE,\n"
            "sg:2027-spring:byplace, ...) to this version's names (sg:{45}:reg:CODE,\n"
            "sg:{45}:2027-spring:byplace, ...: every key carries the province as its hash tag), in\n"
            "batches; rewrite registrations stored by version 2 so that no plain field gives back\n"
            "an ID number (the birth date becomes the birth year) and those of version 3 into\n"
            "version 4's compact form; then mark Redis with the version. Stop the old server\n"
            "first. Safe to run\n"
            "again after an interruption; prints nothing when there is nothing to move. The other\n"
            "commands refuse to start while old keys are there. Needs the standalone Redis the\n"
            "old layout ran on (docs/redis-keys.md#migration).\n\n"
            "Options (flag, environment variable, meaning):\n%s",
            sg_options_help);
}

static int run(const struct sg_options *o)
{
    h2o_evloop_t *loop;
    struct sg_store *s = sg_cli_store_connect(o, &loop);
    struct migration m = {0};
    if (s == NULL)
        return 1;
    if ((m.status = sg_store_migrate(s, on_migrated, &m)) == 0)
        sg_cli_wait(loop, &m.done);
    sg_store_free(s);
    if (m.status == SG_EEXIST) {
        fprintf(stderr,
                "songgong migrate: %s and its new name both exist; it is left as it is (moved %zu keys): "
                "resolve it by hand, then run migrate again\n",
                m.conflict, m.m.renamed);
        return 1;
    }
    if (m.status == SG_EINVAL) {
        fprintf(stderr, "songgong migrate: Redis at %s is marked with a key layout this songgong does not know\n",
                o->redis);
        return 1;
    }
    if (m.status != 0) {
        fprintf(stderr, "songgong migrate: Redis failed after %zu keys; run it again to go on\n", m.m.renamed);
        return 1;
    }
    if (m.m.renamed != 0)
        printf("migrated %zu keys to the sg:{%s}: layout (version %s)\n", m.m.renamed, o->province,
               SG_STORE_SCHEMA_VERSION);
    if (m.m.births != 0)
        printf("rewrote %zu registrations: birth dates replaced by birth years (version %s)\n", m.m.rewritten,
               SG_STORE_SCHEMA_VERSION);
    else if (m.m.rewritten != 0)
        printf("rewrote %zu registrations in the compact form (version %s)\n", m.m.rewritten, SG_STORE_SCHEMA_VERSION);
    return 0;
}

int sg_cmd_migrate(int argc, char **argv)
{
    struct sg_options o;
    int ret = sg_options_parse(&o, argc, argv, "migrate", usage);
    return ret != 0 ? ret < 0 : run(&o);
}
