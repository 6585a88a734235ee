/* SPDX-License-Identifier: MIT */
/* The network front end's entry point. Implemented by backend/http (core/server.c) and
 * declared here, beside the app it serves, so that the command line depends on the
 * service layer only and never on an HTTP header. */
#ifndef SG_SERVICE_SERVER_H
#define SG_SERVICE_SERVER_H

#include "service/app.h"
#include "store/store.h"

struct sg_server_config {
    const struct sg_app *app;     /* the loaded data and settings (borrowed; its store is not used) */
    struct sg_store_config store; /* each event loop opens its own store: its own Redis connections */
    const char *host;             /* numeric IPv4 address */
    int port;
    unsigned threads; /* event loops, each on its own thread, sharing the port (SO_REUSEPORT); >= 1 */
};

/**
 * Serve HTTP on host:port with cfg->threads event loops until SIGINT or SIGTERM, then stop
 * gracefully: stop accepting, finish the requests in flight (their Redis replies
 * included), close live streams, and return. 0 on a clean stop, -1 when the port cannot
 * be bound or a store cannot be opened (the reason on stderr).
 */
int sg_server_run(const struct sg_server_config *cfg);

#endif
