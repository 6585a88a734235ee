/* SPDX-License-Identifier: MIT */
/* POST /api/login, POST /api/logout, GET /api/me. Sessions: a random id in an HttpOnly,
 * SameSite=Strict cookie; Redis holds them under a keyed hash of the id, with an idle
 * expiry. Passwords are checked on the password worker (service/pwhash.h). */
#include <string.h>
#include <sodium.h>
#include "domain/err.h"
#include "service/app.h"
#include "service/pwhash.h"
#include "http/core/json.h"
#include "http/core/reply.h"
#include "http/core/request.h"
#include "http/core/routes.h"
#include "http/staff/staff.h"

#define MAX_FAILS 5
#define LOCK_MS (15 * 60 * 1000)
#define SID_BYTES 32

struct login {
    struct sg_staff_req base;
    char password[256];
    char sid[64];
    struct sg_user user;
};

static void free_login(struct login *l)
{
    sodium_memzero(l->password, sizeof(l->password));
    sodium_memzero(l->sid, sizeof(l->sid));
    sg_pending_free(l);
}

static cJSON *json_me(const struct sg_app *app, const struct sg_session *s)
{
    cJSON *obj = cJSON_CreateObject(), *perms = cJSON_CreateArray();
    static const char *const actions[] = {"view",  "edit",  "export", "export_full", "transport",
                                          "audit", "users", "report", "call"};
    const struct sg_division *d = sg_divisions_find(app->divisions, s->scope, strlen(s->scope));
    cJSON_AddStringToObject(obj, "user", s->user);
    cJSON_AddStringToObject(obj, "role", sg_role_name((enum sg_role)s->role));
    cJSON_AddStringToObject(obj, "role_label", sg_role_label((enum sg_role)s->role));
    cJSON_AddStringToObject(obj, "scope", s->scope);
    cJSON_AddItemToObject(obj, "division", d != NULL ? sg_json_division(app->divisions, d) : cJSON_CreateNull());
    cJSON_AddStringToObject(obj, "csrf", s->csrf);
    for (int a = 0; a < SG_ACTIONS; ++a)
        if (sg_role_may((enum sg_role)s->role, (enum sg_action)a))
            cJSON_AddItemToArray(perms, cJSON_CreateString(actions[a]));
    cJSON_AddItemToObject(obj, "permissions", perms);
    return obj;
}

static void set_cookie(h2o_req_t *req, const struct sg_app *app, const char *sid)
{
    char cookie[256];
    int secure = strncmp(app->public_url, "https:", 6) == 0;
    if (sid != NULL)
        snprintf(cookie, sizeof(cookie), SG_SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict%s", sid,
                 secure ? "; Secure" : "");
    else
        snprintf(cookie, sizeof(cookie), SG_SESSION_COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s",
                 secure ? "; Secure" : "");
    h2o_iovec_t v = h2o_strdup(&req->pool, cookie, strlen(cookie));
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_SET_COOKIE, NULL, v.base, v.len);
}

static void on_session_created(void *data, int status)
{
    struct login *l = data;
    h2o_req_t *req = l->base.super.req;
    if (status == 0)
        sg__staff_audit_as(l->base.super.app, l->user.name, l->base.address, "login", l->user.scope, NULL, 0);
    if (req != NULL && status == 0) {
        set_cookie(req, l->base.super.app, l->sid);
        sg_reply_json(req, 200, json_me(l->base.super.app, &l->base.session));
    } else if (req != NULL) {
        sg_reply_store_error(req, status);
    }
    free_login(l);
}

static void on_failure_counted(void *data, int status, uint64_t locked_until_ms)
{
    struct login *l = data;
    h2o_req_t *req = l->base.super.req;
    if (req != NULL) {
        if (status == 0 && locked_until_ms != 0)
            sg_reply_error(req, 423, "locked", NULL);
        else
            sg_reply_error(req, 401, "bad_login", NULL);
    }
    free_login(l);
}

static void start_session(struct login *l)
{
    struct sg_app *app = l->base.super.app;
    unsigned char raw[SID_BYTES], token[16];
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(l->sid, sizeof(l->sid), raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    randombytes_buf(token, sizeof(token));
    struct sg_session *s = &l->base.session;
    snprintf(s->user, sizeof(s->user), "%s", l->user.name);
    s->role = l->user.role;
    snprintf(s->scope, sizeof(s->scope), "%s", l->user.scope);
    sodium_bin2hex(s->csrf, sizeof(s->csrf), token, sizeof(token));
    s->created_ms = sg_app_now_ms();
    int ret = sg_store_session_create(app->store, l->sid, s, app->session_idle_s, on_session_created, l);
    if (ret != 0) {
        if (l->base.super.req != NULL)
            sg_reply_store_error(l->base.super.req, ret);
        free_login(l);
    }
}

static void on_verified(void *data, int ok)
{
    struct login *l = data;
    struct sg_app *app = l->base.super.app;
    if (ok) {
        start_session(l);
        return;
    }
    if (l->user.name[0] != '\0') {
        sg__staff_audit_as(app, l->user.name, l->base.address, "login_failed", l->user.scope, NULL, 0);
        if (!l->user.disabled && sg_store_login_failed(app->store, l->user.name, sg_app_now_ms(), LOCK_MS, MAX_FAILS,
                                                       on_failure_counted, l) == 0)
            return;
    }
    if (l->base.super.req != NULL)
        sg_reply_error(l->base.super.req, 401, "bad_login", NULL);
    free_login(l);
}

static void on_user(void *data, int status, const struct sg_user *u)
{
    struct login *l = data;
    if (status != 0 && status != SG_ENOENT) {
        if (l->base.super.req != NULL)
            sg_reply_store_error(l->base.super.req, status);
        free_login(l);
        return;
    }
    if (status == 0 && u->locked_until_ms > sg_app_now_ms()) {
        sg__staff_audit_as(l->base.super.app, u->name, l->base.address, "login_locked", u->scope, NULL, 0);
        if (l->base.super.req != NULL)
            sg_reply_error(l->base.super.req, 423, "locked", NULL);
        free_login(l);
        return;
    }
    if (status == 0)
        l->user = *u;
    /* Unknown and disabled users are checked against the dummy hash: same time, same answer. */
    sg_pwhash_verify(status == 0 && !u->disabled ? u->pwhash : "", l->password, on_verified, l);
    sodium_memzero(l->password, sizeof(l->password));
}

int sg_on_login(h2o_handler_t *self, h2o_req_t *req)
{
    struct sg_app *app = sg_handler_app(self);
    if (!sg_method_is(req, "POST"))
        return sg_reply_method_not_allowed(req, "POST");
    cJSON *root = sg_json_body_or_reply(req, SG_BODY_SMALL);
    if (root == NULL)
        return 0;
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(root, "username");
    const cJSON *pw = cJSON_GetObjectItemCaseSensitive(root, "password");
    if (!cJSON_IsString(name) || !cJSON_IsString(pw) || strlen(pw->valuestring) >= 256) {
        cJSON_Delete(root);
        sg_reply_error(req, 400, "bad_json", NULL);
        return 0;
    }
    struct login *l = sg_pending_new(req, app, sizeof(*l));
    sg_client_address(req, l->base.address);
    memcpy(l->password, pw->valuestring, strlen(pw->valuestring) + 1);
    sodium_memzero(pw->valuestring, strlen(pw->valuestring));
    int ret = SG_ENOENT;
    if (sg_user_name_valid(name->valuestring))
        ret = sg_store_user_get(app->store, name->valuestring, on_user, l);
    cJSON_Delete(root);
    if (ret == SG_ENOENT) {
        on_user(l, SG_ENOENT, NULL); /* a malformed name is an unknown user */
    } else if (ret != 0) {
        sg_reply_store_error(req, ret);
        free_login(l);
    }
    return 0;
}

static void on_logged_out(void *data, int status)
{
    struct sg_staff_req *p = data;
    if (p->super.req != NULL) {
        set_cookie(p->super.req, p->super.app, NULL);
        cJSON *root = cJSON_CreateObject();
        cJSON_AddBoolToObject(root, "ok", 1);
        sg_reply_json(p->super.req, 200, root);
    }
    sg_pending_free(p);
}

static void logout(struct sg_staff_req *p)
{
    char sid[128];
    sg_staff_audit(p, "logout", p->session.scope, NULL);
    if (!sg_staff_session_id(p->super.req, sid, sizeof(sid)) ||
        sg_store_session_delete(p->super.app->store, sid, on_logged_out, p) != 0)
        on_logged_out(p, 0);
}

static void me(struct sg_staff_req *p)
{
    sg_reply_json(p->super.req, 200, json_me(p->super.app, &p->session));
    sg_pending_free(p);
}

int sg_on_logout(h2o_handler_t *self, h2o_req_t *req)
{
    if (!sg_method_is(req, "POST"))
        return sg_reply_method_not_allowed(req, "POST");
    sg_staff_begin(sg_pending_new(req, sg_handler_app(self), sizeof(struct sg_staff_req)), logout);
    return 0;
}

int sg_on_me(h2o_handler_t *self, h2o_req_t *req)
{
    if (!sg_method_is(req, "GET"))
        return sg_reply_method_not_allowed(req, "GET");
    sg_staff_begin(sg_pending_new(req, sg_handler_app(self), sizeof(struct sg_staff_req)), me);
    return 0;
}
