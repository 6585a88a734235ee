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
#include "http/core/limits.h"
#include "http/core/reply.h"
#include "http/core/request.h"
#include "http/core/routes.h"
#include "http/staff/staff.h"

#define SID_BYTES 32

struct login {
    struct sg_staff_req base;
    char password[256];
    char sid[64];
    char name[64];          /* as typed (valid or not) */
    char name_address[128]; /* "{name}@{address}": the lock-out's counter */
    struct sg_limit limits[3];
    struct sg_user user;
    h2o_timeout_entry_t wait; /* an unknown user's answer waits as long as a check would take */
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
                                          "audit", "users", "report", "jobs",        "call"};
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
        sg_store_limit_give(app->store, l->limits, 2); /* the name's failures: only wrong ones add up */
        start_session(l);
        return;
    }
    sg__staff_audit_as(app, l->user.name, l->base.address, "login_failed", l->user.scope, NULL, 0);
    if (l->base.super.req != NULL)
        sg_reply_error(l->base.super.req, 401, "bad_login", NULL);
    free_login(l);
}

static _Thread_local h2o_timeout_t unknown_wait; /* this loop's, sg_pwhash_typical_ms long */
static _Thread_local bool unknown_wait_ready;

static void on_waited(h2o_timeout_entry_t *entry)
{
    struct login *l = H2O_STRUCT_FROM_MEMBER(struct login, wait, entry);
    if (l->base.super.req != NULL)
        sg_reply_error(l->base.super.req, 401, "bad_login", NULL);
    free_login(l);
}

/* An unknown or disabled name: the same answer after the same time as a wrong password,
 * without taking a place in the hashing queue. */
static void answer_unknown(struct login *l)
{
    h2o_loop_t *loop = l->base.super.req->conn->ctx->loop;
    if (!unknown_wait_ready) {
        h2o_timeout_init(loop, &unknown_wait, sg_pwhash_typical_ms());
        unknown_wait_ready = true;
    }
    /* the wait follows the checks' time: entries already waiting move with it, in order */
    unknown_wait.timeout = sg_pwhash_typical_ms();
    l->wait.cb = on_waited;
    h2o_timeout_link(loop, &unknown_wait, &l->wait);
}

static void on_user(void *data, int status, const struct sg_user *u)
{
    struct login *l = data;
    h2o_req_t *req = l->base.super.req;
    if (req == NULL || (status != 0 && status != SG_ENOENT)) {
        if (req != NULL)
            sg_reply_store_error(req, status);
        free_login(l);
        return;
    }
    if (status != 0 || u->disabled) {
        answer_unknown(l);
        return;
    }
    l->user = *u;
    if (sg_pwhash_verify(u->pwhash, l->password, on_verified, l) != 0) {
        sg_store_limit_give(l->base.super.app->store, l->limits, 2); /* not checked: not counted */
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_RETRY_AFTER, NULL, H2O_STRLIT("2"));
        sg_reply_error(req, 429, "login_busy", NULL);
        free_login(l);
        return;
    }
    sodium_memzero(l->password, sizeof(l->password));
}

/* Counted before anything is checked (parallel guesses cannot pass the lock-out): a full
 * counter answers at once, without hashing. */
static void on_counted(void *data, int status, size_t which, unsigned retry_after_s)
{
    struct login *l = data;
    h2o_req_t *req = l->base.super.req;
    int ret = SG_ENOENT;
    if (req == NULL) {
        /* gone */
    } else if (status != 0) {
        sg_reply_store_error(req, status);
    } else if (which == 1 || which == 2) {
        sg__staff_audit_as(l->base.super.app, l->name, l->base.address, "login_locked", "", NULL, 0);
        sg_reply_limited(req, 423, "locked", retry_after_s);
    } else if (which == 3) {
        sg_reply_limited(req, 429, "rate_limited", retry_after_s);
    } else if (!sg_user_name_valid(l->name)) {
        answer_unknown(l); /* a malformed name is an unknown user */
        return;
    } else if ((ret = sg_store_user_get(l->base.super.app->store, l->name, on_user, l)) == 0) {
        return;
    } else {
        sg_reply_store_error(req, ret);
    }
    free_login(l);
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
    if (!cJSON_IsString(name) || !cJSON_IsString(pw) || strlen(pw->valuestring) >= 256 ||
        strlen(name->valuestring) >= 64) {
        cJSON_Delete(root);
        sg_reply_error(req, 400, "bad_json", NULL);
        return 0;
    }
    struct login *l = sg_pending_new(req, app, sizeof(*l));
    sg_client_address(req, l->base.address);
    memcpy(l->password, pw->valuestring, strlen(pw->valuestring) + 1);
    memcpy(l->name, name->valuestring, strlen(name->valuestring) + 1);
    sodium_memzero(pw->valuestring, strlen(pw->valuestring));
    cJSON_Delete(root);
    snprintf(l->name_address, sizeof(l->name_address), "%s@%s", l->name, l->base.address);
    l->limits[0] = sg_limit_of(app, SG_LIMIT_LOGIN, l->name_address);
    l->limits[1] = sg_limit_of(app, SG_LIMIT_LOGIN_NAME, l->name);
    l->limits[2] = sg_limit_of(app, SG_LIMIT_LOGIN_ADDRESS, l->base.address);
    int ret = sg_store_limit_take(app->store, l->limits, 3, on_counted, l);
    if (ret != 0) {
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
