/* SPDX-License-Identifier: MIT */
/* The session gate every staff handler goes through: the cookie looked up (and its idle
 * expiry pushed back) in one Redis round trip, CSRF on state-changing methods, scope and
 * role checks, and the audit log. Sessions are made by login.c. */
#include <string.h>
#include <sodium.h>
#include "domain/err.h"
#include "service/app.h"
#include "http/core/reply.h"
#include "http/core/request.h"
#include "http/staff/staff.h"

/* The session id from the Cookie header(s), copied into out; 0 when found. */
static int session_cookie(h2o_req_t *req, char *out, size_t outsz)
{
    static const char name[] = SG_SESSION_COOKIE "=";
    for (ssize_t i = -1; (i = h2o_find_header(&req->headers, H2O_TOKEN_COOKIE, i)) != -1;) {
        h2o_iovec_t v = req->headers.entries[i].value;
        for (size_t at = 0; at + sizeof(name) - 1 <= v.len;) {
            while (at < v.len && (v.base[at] == ' ' || v.base[at] == ';'))
                ++at;
            size_t end = at;
            while (end < v.len && v.base[end] != ';')
                ++end;
            if (end - at > sizeof(name) - 1 && memcmp(v.base + at, name, sizeof(name) - 1) == 0) {
                size_t n = end - at - (sizeof(name) - 1);
                if (n >= outsz)
                    return -1;
                memcpy(out, v.base + at + sizeof(name) - 1, n);
                out[n] = '\0';
                return 0;
            }
            at = end + 1;
        }
    }
    return -1;
}

bool sg_staff_has_session(h2o_req_t *req)
{
    char sid[128];
    return session_cookie(req, sid, sizeof(sid)) == 0;
}

bool sg_staff_session_id(h2o_req_t *req, char *out, size_t size)
{
    return session_cookie(req, out, size) == 0;
}

static int is_unsafe(h2o_req_t *req)
{
    return !sg_method_is(req, "GET") && !sg_method_is(req, "HEAD");
}

static int csrf_ok(h2o_req_t *req, const struct sg_session *s)
{
    ssize_t i = h2o_find_header_by_str(&req->headers, H2O_STRLIT("x-csrf-token"), -1);
    size_t n = strlen(s->csrf);
    return i != -1 && n != 0 && req->headers.entries[i].value.len == n &&
           sodium_memcmp(req->headers.entries[i].value.base, s->csrf, n) == 0;
}

static void on_session(void *data, int status, const struct sg_session *session)
{
    struct sg_staff_req *p = data;
    h2o_req_t *req = p->super.req;
    if (req == NULL) {
        sg_pending_free(p);
        return;
    }
    if (status == SG_ENOENT)
        sg_reply_error(req, 401, "login_required", NULL);
    else if (status != 0)
        sg_reply_store_error(req, status);
    else if (is_unsafe(req) && !csrf_ok(req, session))
        sg_reply_error(req, 403, "csrf", NULL);
    else {
        p->session = *session;
        p->next(p);
        return;
    }
    sg_pending_free(p);
}

void sg_staff_begin(struct sg_staff_req *p, sg_staff_next next)
{
    h2o_req_t *req = p->super.req;
    char sid[128];
    p->next = next;
    sg_client_address(req, p->address);
    if (session_cookie(req, sid, sizeof(sid)) != 0) {
        sg_reply_error(req, 401, "login_required", NULL);
        sg_pending_free(p);
        return;
    }
    int ret = sg_store_session_touch(p->super.app->store, sid, p->super.app->session_idle_s, on_session, p);
    if (ret != 0) {
        sg_reply_store_error(req, ret);
        sg_pending_free(p);
    }
}

bool sg_staff_allow_or_reply(struct sg_staff_req *p, const char *code, enum sg_action act)
{
    if (code != NULL && sg_scope_contains(p->session.scope, code) && sg_role_may((enum sg_role)p->session.role, act))
        return true;
    sg_reply_error(p->super.req, 403, "forbidden", code != NULL && code[0] != '\0' ? "scope" : NULL);
    return false;
}

bool sg_staff_allow_record_or_reply(struct sg_staff_req *p, const char *code, enum sg_action act, const char *field)
{
    if (code == NULL || !sg_scope_contains(p->session.scope, code)) {
        sg_reply_error(p->super.req, 404, "not_found", field);
        return false;
    }
    return sg_staff_allow_or_reply(p, code, act);
}

/* window_s 0: always; else at most once per window for the user, action and target. */
void sg__staff_audit_as(struct sg_app *app, const char *user, const char *address, const char *action,
                        const char *target, const char *detail, unsigned window_s)
{
    struct sg_audit a = {.at_ms = sg_app_now_ms()};
    snprintf(a.user, sizeof(a.user), "%s", user);
    snprintf(a.action, sizeof(a.action), "%s", action);
    snprintf(a.target, sizeof(a.target), "%s", target != NULL ? target : "");
    snprintf(a.address, sizeof(a.address), "%s", address);
    snprintf(a.detail, sizeof(a.detail), "%s", detail != NULL ? detail : "");
    int ret = window_s != 0 ? sg_store_audit_append_once(app->store, &a, window_s, NULL, NULL)
                            : sg_store_audit_append(app->store, &a, NULL, NULL);
    if (ret != 0)
        fprintf(stderr, "songgong: audit entry lost (Redis unavailable): %s %s %s\n", user, action, a.target);
}

void sg_staff_audit(struct sg_staff_req *p, const char *action, const char *target, const char *detail)
{
    sg__staff_audit_as(p->super.app, p->session.user, p->address, action, target, detail, 0);
}

void sg_staff_audit_once(struct sg_staff_req *p, const char *action, const char *target, const char *detail,
                         unsigned window_s)
{
    sg__staff_audit_as(p->super.app, p->session.user, p->address, action, target, detail, window_s);
}
