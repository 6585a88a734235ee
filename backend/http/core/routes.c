/* SPDX-License-Identifier: MIT */
/* The URL map, and what every response carries: security headers (a strict
 * Content-Security-Policy: same-origin scripts, styles and requests only, no inline
 * script), caching rules per kind of resource, and gzip. h2o matches the first
 * registered prefix, not the longest: specific prefixes come before "/". */
#include "http/core/metrics.h"
#include "http/core/reply.h"
#include "http/core/routes.h"
#include "http/jobs/jobs.h"
#include "http/public/public.h"
#include "http/registrations/registrations.h"
#include "http/report/report.h"
#include "http/staff/staff.h"
#include "http/transport/transport.h"

#define GZIP_QUALITY 6       /* pages and JSON are small: the better ratio costs little */
#define GZIP_MIN_SIZE 256    /* smaller answers grow when gzipped */
#define ASSET_MAX_AGE "3600" /* CSS/JS/images: pages link them with ?v=N, bumped on change */

#define CSP                                                                                                            \
    "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data: blob:; "        \
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

static h2o_iovec_t csp = {H2O_STRLIT("content-security-policy")};
static h2o_iovec_t nosniff = {H2O_STRLIT("x-content-type-options")};
static h2o_iovec_t frame_options = {H2O_STRLIT("x-frame-options")};
static h2o_iovec_t referrer_policy = {H2O_STRLIT("referrer-policy")};

/* Every answer: browsers must not guess types (a JSON answer never runs as script). */
static h2o_headers_command_t common_headers[] = {{H2O_HEADERS_CMD_SET, &nosniff, {H2O_STRLIT("nosniff")}},
                                                 {H2O_HEADERS_CMD_NULL}};
/* Pages: the policy, no framing, and revalidation on every visit so a fixed page reaches
 * phones at once. (CSP and framing rules act on documents only: assets and JSON skip
 * them, which keeps ~200 bytes of headers off every answer on slow networks.) */
static h2o_headers_command_t page_headers[] = {
    {H2O_HEADERS_CMD_SET, &csp, {H2O_STRLIT(CSP)}},
    {H2O_HEADERS_CMD_SET, &frame_options, {H2O_STRLIT("DENY")}},
    {H2O_HEADERS_CMD_SET, &referrer_policy, {H2O_STRLIT("same-origin")}},
    {H2O_HEADERS_CMD_SET, &H2O_TOKEN_CACHE_CONTROL->buf, {H2O_STRLIT("no-cache")}},
    {H2O_HEADERS_CMD_NULL}};
static h2o_headers_command_t asset_headers[] = {
    {H2O_HEADERS_CMD_SETIFEMPTY, &H2O_TOKEN_CACHE_CONTROL->buf, {H2O_STRLIT("public, max-age=" ASSET_MAX_AGE)}},
    {H2O_HEADERS_CMD_NULL}};
/* API answers set their own Cache-Control (no-store, or public for reference data). */
static h2o_headers_command_t *const api_headers = NULL;

static void add_filters(h2o_pathconf_t *pathconf, h2o_headers_command_t *headers)
{
    h2o_compress_args_t gzip = {.min_size = GZIP_MIN_SIZE, .gzip = {GZIP_QUALITY}, .brotli = {-1}};
    h2o_headers_register(pathconf, common_headers);
    if (headers != NULL)
        h2o_headers_register(pathconf, headers);
    h2o_compress_register(pathconf, &gzip);
}

/* In front of the file handler: a path with a NUL or another control character (as
 * /assets/core.js%00.html, which the file handler would open as core.js but type by its
 * last extension, .html) is no file of ours. Other paths go on to the file handler. */
static int on_file_path(h2o_handler_t *self, h2o_req_t *req)
{
    h2o_iovec_t p = req->path_normalized;
    for (size_t i = 0; i != p.len; ++i) {
        if ((unsigned char)p.base[i] < 0x20 || p.base[i] == 0x7f) {
            sg_reply_error(req, 400, "bad_request", NULL);
            return 0;
        }
    }
    return -1;
}

static void static_files(h2o_hostconf_t *hostconf, const char *path, const char *dir, h2o_headers_command_t *headers)
{
    h2o_pathconf_t *pathconf = h2o_config_register_path(hostconf, path, 0);
    h2o_create_handler(pathconf, sizeof(h2o_handler_t))->on_req = on_file_path;
    static const char *index_files[] = {"index.html", NULL};
    /* the pages are Chinese: say UTF-8 in the header too, not only in <meta> */
    h2o_mimemap_t *types = h2o_mimemap_create();
    h2o_mimemap_define_mimetype(types, "html", "text/html; charset=utf-8", NULL);
    h2o_mimemap_define_mimetype(types, "css", "text/css; charset=utf-8", NULL);
    h2o_mimemap_define_mimetype(types, "js", "application/javascript; charset=utf-8", NULL);
    h2o_file_register(pathconf, dir, index_files, types, 0);
    pathconf->error_log.emit_request_errors = 0;
    sg_metrics_route(pathconf, path);
    h2o_mem_release_shared(types); /* the handler holds its own reference */
    add_filters(pathconf, headers);
}

h2o_pathconf_t *sg_handler_add(h2o_hostconf_t *hostconf, const char *path, struct sg_app *app, sg_route_fn on_req)
{
    h2o_pathconf_t *pathconf = h2o_config_register_path(hostconf, path, 0);
    struct sg_handler *h = (struct sg_handler *)h2o_create_handler(pathconf, sizeof(*h));
    h->app = app;
    h->super.on_req = on_req;
    pathconf->error_log.emit_request_errors = 0; /* sg_log_error writes the line, without the query string */
    sg_metrics_route(pathconf, path);
    return pathconf;
}

void sg_http_routes(h2o_hostconf_t *hostconf, struct sg_app *app)
{
    add_filters(sg_handler_add(hostconf, "/healthz", app, sg_on_health), api_headers);
    add_filters(sg_handler_add(hostconf, "/metrics", app, sg_on_metrics), api_headers);
    add_filters(sg_handler_add(hostconf, "/api/campaign", app, sg_on_campaign), api_headers);
    add_filters(sg_handler_add(hostconf, "/api/divisions", app, sg_on_division), api_headers);
    add_filters(sg_handler_add(hostconf, "/api/destinations", app, sg_on_destinations), api_headers);
    add_filters(sg_handler_add(hostconf, "/api/registrations.csv", app, sg_on_exports), api_headers);
    add_filters(sg_handler_add(hostconf, "/api/registrations.xlsx", app, sg_on_exports), api_headers);
    add_filters(sg_handler_add(hostconf, "/api/registrations", app, sg_on_registrations), api_headers);
    add_filters(sg_handler_add(hostconf, "/api/login", app, sg_on_login), api_headers);
    add_filters(sg_handler_add(hostconf, "/api/logout", app, sg_on_logout), api_headers);
    add_filters(sg_handler_add(hostconf, "/api/me", app, sg_on_me), api_headers);
    add_filters(sg_handler_add(hostconf, "/api/audit", app, sg_on_audit), api_headers);
    add_filters(sg_handler_add(hostconf, "/api/wechat/jssdk", app, sg_on_wechat_jssdk), api_headers);
    add_filters(sg_handler_add(hostconf, "/api/stats/stream", app, sg_on_stats_stream), api_headers);
    add_filters(sg_handler_add(hostconf, "/api/stats", app, sg_on_stats), api_headers);
    add_filters(sg_handler_add(hostconf, "/api/returns", app, sg_on_returns), api_headers);
    add_filters(sg_handler_add(hostconf, "/api/report.xlsx", app, sg_on_report), api_headers);
    add_filters(sg_handler_add(hostconf, "/api/report", app, sg_on_report), api_headers);
    add_filters(sg_handler_add(hostconf, "/api/funding", app, sg_on_funding), api_headers);
    add_filters(sg_handler_add(hostconf, "/api/vehicles", app, sg_on_vehicles), api_headers);
    add_filters(sg_handler_add(hostconf, "/api/match", app, sg_on_match), api_headers);
    add_filters(sg_handler_add(hostconf, "/api/checkin", app, sg_on_checkin), api_headers);
    add_filters(sg_handler_add(hostconf, "/api/employers", app, sg_on_employers), api_headers);
    add_filters(sg_handler_add(hostconf, "/api/jobs", app, sg_on_jobs), api_headers);
    add_filters(sg_handler_add(hostconf, "/api/pushes", app, sg_on_pushes), api_headers);
    add_filters(sg_handler_add(hostconf, "/api/notify", app, sg_on_notify), api_headers);
    add_filters(sg_handler_add(hostconf, "/api/posters.pdf", app, sg_on_posters), api_headers);
    add_filters(sg_handler_add(hostconf, "/api/posters", app, sg_on_posters), api_headers);
    add_filters(sg_handler_add(hostconf, "/qr", app, sg_on_qr), asset_headers);
    add_filters(sg_handler_add(hostconf, "/s", app, sg_on_signup_page), page_headers);
    add_filters(sg_handler_add(hostconf, "/status", app, sg_on_status_page), page_headers);
    char assets[1024];
    snprintf(assets, sizeof(assets), "%s/assets", app->site_dir);
    static_files(hostconf, "/assets", assets, asset_headers);
    static_files(hostconf, "/", app->site_dir, page_headers);
}
