/* SPDX-License-Identifier: MIT */
/* /api/registrations and /api/registrations/{code}[/action]: which handler answers. The
 * worker's sign-up, lookup and cancel have no session; staff list, open, edit, cancel,
 * mark checked, enter people face to face, reveal a phone, mark told or no-show with one. */
#include <string.h>
#include "domain/code.h"
#include "domain/err.h"
#include "http/core/reply.h"
#include "http/core/request.h"
#include "http/core/routes.h"
#include "http/registrations/registrations.h"
#include "http/staff/staff.h"

static int action_is_none(const char *rest, size_t restlen)
{
    return memchr(rest, '/', restlen) == NULL;
}

int sg_registration_path_split(const char *rest, size_t restlen, char code[SG_CODE_LEN + 1], h2o_iovec_t *action)
{
    char typed[32];
    const char *slash = memchr(rest, '/', restlen);
    size_t n = slash != NULL ? (size_t)(slash - rest) : restlen;
    *action = slash != NULL ? h2o_iovec_init(slash + 1, restlen - n - 1) : h2o_iovec_init(NULL, 0);
    if (n >= sizeof(typed))
        return SG_EINVAL;
    memcpy(typed, rest, n);
    typed[n] = '\0';
    return sg_code_normalize(typed, code);
}

/* /api/registrations/{code}[/action]: the worker's lookup (with ?phone4) or staff work. */
static int on_one(h2o_req_t *req, struct sg_app *app, const char *rest, size_t restlen)
{
    char code[SG_CODE_LEN + 1];
    h2o_iovec_t action;
    int get = sg_method_is(req, "GET") || sg_method_is(req, "HEAD");
    /* Without a session it is the worker's lookup, exactly as before (404 without phone4). */
    if (get && action_is_none(rest, restlen) && (sg_query_param(req, "phone4") != NULL || !sg_staff_has_session(req)))
        return sg__registration_lookup(req, app, rest, restlen);
    if (sg_registration_path_split(rest, restlen, code, &action) != 0) {
        sg_reply_error(req, 404, "not_found", NULL);
        return 0;
    }
    const char *c = h2o_strdup(&req->pool, code, SG_CODE_LEN).base;
    if (action.len == 0 && get)
        return sg_on_staff_detail(req, app, c);
    if (action.len == 0 && sg_method_is(req, "PATCH"))
        return sg_on_staff_edit(req, app, c);
    if (action.len == 0)
        return sg_reply_method_not_allowed(req, "GET, HEAD, PATCH");
    if (!h2o_memis(action.base, action.len, H2O_STRLIT("cancel")) &&
        !h2o_memis(action.base, action.len, H2O_STRLIT("flag-checked")))
        return sg_on_trip_action(req, app, c, h2o_strdup(&req->pool, action.base, action.len).base);
    if (!sg_method_is(req, "POST"))
        return sg_reply_method_not_allowed(req, "POST");
    if (action.base[0] == 'f')
        return sg_on_flag_checked(req, app, c);
    if (!sg_staff_has_session(req)) /* the worker's own cancel, with the phone4 proof (cancel.c) */
        return sg__registration_cancel(req, app, c, strlen(c));
    return sg_on_cancel(req, app, c);
}

int sg_on_registrations(h2o_handler_t *self, h2o_req_t *req)
{
    struct sg_app *app = sg_handler_app(self);
    static const char base[] = "/api/registrations";
    h2o_iovec_t path = req->path_normalized;
    size_t baselen = sizeof(base) - 1;
    if (path.len == baselen || (path.len == baselen + 1 && path.base[baselen] == '/')) {
        /* Staff entering a worker face to face send their session's CSRF token; workers never do. */
        if (sg_method_is(req, "POST") && h2o_find_header_by_str(&req->headers, H2O_STRLIT("x-csrf-token"), -1) != -1)
            return sg_on_staff_entry(req, app);
        if (sg_method_is(req, "POST"))
            return sg__registration_signup(req, app);
        if (sg_method_is(req, "GET") || sg_method_is(req, "HEAD"))
            return sg_on_staff_list(req, app);
        return sg_reply_method_not_allowed(req, "GET, HEAD, POST");
    }
    if (path.base[baselen] != '/')
        return -1;
    if (h2o_memis(path.base + baselen, path.len - baselen, H2O_STRLIT("/lookup")))
        return sg_method_is(req, "POST") ? sg__registration_lookup_by_idno(req, app)
                                         : sg_reply_method_not_allowed(req, "POST");
    return on_one(req, app, path.base + baselen + 1, path.len - baselen - 1);
}
