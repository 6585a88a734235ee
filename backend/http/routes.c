/* SPDX-License-Identifier: MIT */
/* The URL map. h2o matches the first registered prefix, not the longest: specific
 * prefixes come before "/". */
#include "http/app.h"
#include "http/reply.h"
#include "http/routes.h"

static void static_files(h2o_hostconf_t *hostconf, const char *site_dir)
{
    h2o_pathconf_t *pathconf = h2o_config_register_path(hostconf, "/", 0);
    static const char *index_files[] = {"index.html", NULL};
    h2o_file_register(pathconf, site_dir, index_files, NULL, 0);
}

void sg_http_routes(h2o_hostconf_t *hostconf, struct sg_app *app)
{
    sg_handler_add(hostconf, "/healthz", app, sg_on_health);
    sg_handler_add(hostconf, "/api/campaign", app, sg_on_campaign);
    sg_handler_add(hostconf, "/api/divisions", app, sg_on_division);
    sg_handler_add(hostconf, "/api/destinations", app, sg_on_destinations);
    sg_handler_add(hostconf, "/api/registrations", app, sg_on_registrations);
    sg_handler_add(hostconf, "/api/login", app, sg_on_login);
    sg_handler_add(hostconf, "/api/logout", app, sg_on_logout);
    sg_handler_add(hostconf, "/api/me", app, sg_on_me);
    sg_handler_add(hostconf, "/api/audit", app, sg_on_audit);
    sg_handler_add(hostconf, "/api/vehicles", app, sg_on_vehicles);
    sg_handler_add(hostconf, "/api/match", app, sg_on_match);
    sg_handler_add(hostconf, "/api/checkin", app, sg_on_checkin);
    sg_handler_add(hostconf, "/qr", app, sg_on_qr);
    sg_handler_add(hostconf, "/s", app, sg_on_signup_page);
    static_files(hostconf, app->site_dir);
}
