/* SPDX-License-Identifier: MIT */
/* The URL map. h2o matches the first registered prefix, not the longest: specific
 * prefixes come before "/". */
#include <stdio.h>
#include "http/app.h"
#include "http/reply.h"
#include "http/routes.h"

/* The staff pages run under a strict policy: scripts, styles and connections from this
 * origin only, no inline code, no framing. */
static h2o_iovec_t csp = {H2O_STRLIT("content-security-policy")}, nosniff = {H2O_STRLIT("x-content-type-options")},
                   frames = {H2O_STRLIT("x-frame-options")}, referrer = {H2O_STRLIT("referrer-policy")};
static h2o_headers_command_t staff_headers[] = {
    {H2O_HEADERS_CMD_SET,
     &csp,
     {H2O_STRLIT("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                 "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
                 "frame-ancestors 'none'")}},
    {H2O_HEADERS_CMD_SET, &nosniff, {H2O_STRLIT("nosniff")}},
    {H2O_HEADERS_CMD_SET, &frames, {H2O_STRLIT("DENY")}},
    {H2O_HEADERS_CMD_SET, &referrer, {H2O_STRLIT("same-origin")}},
    {H2O_HEADERS_CMD_NULL}};

static void staff_pages(h2o_hostconf_t *hostconf, const char *site_dir)
{
    static const char *index_files[] = {"index.html", NULL};
    char dir[1024];
    snprintf(dir, sizeof(dir), "%s/staff", site_dir);
    h2o_pathconf_t *pathconf = h2o_config_register_path(hostconf, "/staff", 0);
    h2o_file_register(pathconf, dir, index_files, NULL, 0);
    h2o_headers_register(pathconf, staff_headers);
}

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
    sg_handler_add(hostconf, "/api/registrations.csv", app, sg_on_exports);
    sg_handler_add(hostconf, "/api/registrations.xlsx", app, sg_on_exports);
    sg_handler_add(hostconf, "/api/registrations", app, sg_on_registrations);
    sg_handler_add(hostconf, "/api/login", app, sg_on_login);
    sg_handler_add(hostconf, "/api/logout", app, sg_on_logout);
    sg_handler_add(hostconf, "/api/me", app, sg_on_me);
    sg_handler_add(hostconf, "/api/audit", app, sg_on_audit);
    sg_handler_add(hostconf, "/api/stats/stream", app, sg_on_stats_stream);
    sg_handler_add(hostconf, "/api/stats", app, sg_on_stats);
    sg_handler_add(hostconf, "/api/returns", app, sg_on_returns);
    sg_handler_add(hostconf, "/qr", app, sg_on_qr);
    sg_handler_add(hostconf, "/s", app, sg_on_signup_page);
    staff_pages(hostconf, app->site_dir);
    static_files(hostconf, app->site_dir);
}
