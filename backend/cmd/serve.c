/* SPDX-License-Identifier: MIT */
/* `songgong serve`: load data/, connect the store, run the HTTP server. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "cmd/commands.h"
#include "cmd/options.h"
#include "qr/poster.h"
#include "service/notify.h"
#include "service/server.h"
#include "store/store.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: songgong serve [options]\n"
            "\n"
            "Serve the sign-up API, QR codes and the site over HTTP on HOST:PORT, with\n"
            "registrations stored in Redis. Stops gracefully on SIGINT or SIGTERM.\n"
            "Loads DATA_DIR/divisions-PROVINCE.tsv, destinations.tsv, regions.tsv and\n"
            "campaigns.json at start.\n"
            "\n"
            "Options (flag, environment variable, meaning):\n%s\nText messages (the sender runs on a thread):\n%s",
            sg_options_help, sg_notify_help);
}

static double elapsed_ms(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

int sg_cmd_serve(int argc, char **argv)
{
    struct sg_options o;
    static struct sg_app app; /* lives until exit */
    int parsed = sg_options_parse(&o, argc, argv, "serve", usage);
    if (parsed != 0)
        return parsed < 0;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (sg_data_load(&app, &o) != 0)
        return 1;
    fprintf(stderr, "songgong: loaded %zu divisions, %zu destinations, %zu campaigns in %.1f ms\n",
            sg_divisions_count(app.divisions), sg_divisions_count(app.destinations), app.ncampaigns, elapsed_ms(&t0));
    /* Never write next to data of another key layout: checked once here with a store of
     * its own; a Redis still down is waited for (503 meanwhile), as when it goes away later. */
    static h2o_evloop_t *loop; /* h2o 2.2.5 cannot destroy a loop: it lives until exit, reachable */
    loop = h2o_evloop_create();
    struct sg_store_config check_config = sg_options_store_config(&o, 1);
    const char *err = NULL;
    struct sg_store *check = sg_store_new(loop, &check_config, &err);
    if (check == NULL) {
        fprintf(stderr, "songgong: %s (%s)\n", err, o.key_file);
        sg_data_free(&app);
        return 1;
    }
    int bad = 0;
    if (!sg_cli_store_wait(check, loop, 5000))
        fprintf(stderr,
                "songgong: Redis at %s is not reachable yet: answering 503 until it is (key layout not checked)\n",
                o.redis);
    else
        bad = sg_cli_schema_check(check, loop, &o);
    sg_store_free(check);
    if (bad != 0) {
        sg_data_free(&app);
        return 1;
    }
    app.access_log = o.access_log;
    app.metrics_token = o.metrics_token;
    app.wechat_appid = o.wechat_appid;
    app.wechat_secret = o.wechat_secret;
    app.wechat_api = o.wechat_api;
    struct sg_server_config sc = {.app = &app,
                                  .store = sg_options_store_config(&o, o.redis_connections),
                                  .host = o.host,
                                  .port = o.port,
                                  .threads = o.threads};
    sc.store.fold_ms = o.fold_ms;          /* the fold's timer: a bound on the lag of what nobody reads */
    static struct sg_notify_config notify; /* jobs (issue 17): the sender's thread, unless it runs apart */
    static struct sg_store_config notify_store;
    notify_store = sg_options_store_config(&o, 1);
    bool sender = sg_notify_sender_in_server();
    int bad_notify = sg_notify_options(&notify, o.data_dir);
    app.notify_secret = notify.secret_len != 0 ? notify.secret : NULL; /* signed replies (TD) */
    app.notify_secret_len = notify.secret_len;
    if (bad_notify != 0 || (sender && sg_notify_start(&app, &notify_store, &notify) != 0)) {
        sg_data_free(&app);
        return 1;
    }
    sg_notify_hooks_listen(); /* trip changes become the sender's events, wherever the sender runs */
    int ret = sg_server_run(&sc);
    if (sender)
        sg_notify_stop();
    sg_poster_release_caches(); /* fonts and cairo state the poster pages filled */
    sg_data_free(&app);
    return ret == 0 ? 0 : 1;
}
