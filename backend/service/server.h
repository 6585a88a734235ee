/* SPDX-License-Identifier: MIT */
/* The network front end's entry point. Implemented by backend/http (core/server.c) and
 * declared here, beside the app it serves, so that the command line depends on the
 * service layer only and never on an HTTP header. */
#ifndef SG_SERVICE_SERVER_H
#define SG_SERVICE_SERVER_H

#include <h2o.h>
#include "service/app.h"

/**
 * Run the HTTP server on host:port until SIGINT/SIGTERM, then shut down gracefully.
 * Returns 0 on a clean stop, -1 when the port cannot be bound (reason on stderr).
 */
int sg_server_run(struct sg_app *app, h2o_evloop_t *loop, const char *host, int port);

#endif
