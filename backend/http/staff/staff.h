/* SPDX-License-Identifier: MIT */
/* The gate in front of every staff request (session.c): the session cookie is looked up
 * (and its idle expiry pushed back) in one Redis round trip, the CSRF header is checked
 * on state-changing methods, and only then does the handler go on, with the session.
 * Also what every staff request reads (listing.c: scope, campaign, filters), and the
 * handlers of this folder: login, logout, me, the audit log. */
#ifndef SG_HTTP_STAFF_STAFF_H
#define SG_HTTP_STAFF_STAFF_H

#include <stdbool.h>
#include "domain/campaign.h"
#include "domain/filter.h"
#include "domain/role.h"
#include "http/core/pending.h"
#include "service/app.h"
#include "store/store.h"

#define SG_SESSION_COOKIE "sg_session"

struct sg_staff_req;
typedef void (*sg_staff_next)(struct sg_staff_req *p);

/** Head of every staff handler's pending state (make it with sg_pending_new(req, app, size)). */
struct sg_staff_req {
    struct sg_pending super;
    struct sg_session session; /* valid in next */
    sg_staff_next next;
    char address[48]; /* client address, for the audit log */
};

/**
 * Authenticate p->super.req, then call next (on the loop, later). On failure answers
 * 401 (no or expired session), 403 (CSRF token missing or wrong on POST/PATCH/PUT/DELETE),
 * 503/504 (store), frees p, and never calls next. next owns p (sg_pending_free when done).
 */
void sg_staff_begin(struct sg_staff_req *p, sg_staff_next next);

/**
 * True when the session's scope contains code and the role may do act; otherwise answers
 * 403 (naming the code) and returns false. Use for every scope, record, export and count.
 */
bool sg_staff_allow_or_reply(struct sg_staff_req *p, const char *code, enum sg_action act);

/**
 * The same for an existing record located at code (a registration's village): outside the
 * user's scope it answers 404 not_found naming field (NULL: none), exactly as the caller
 * answers a record that does not exist, so that staff cannot tell which codes exist
 * elsewhere; inside it, a role without act gets 403.
 */
bool sg_staff_allow_record_or_reply(struct sg_staff_req *p, const char *code, enum sg_action act, const char *field);

/** Append to the audit log as the session's user (fire and forget; failures are logged). */
void sg_staff_audit(struct sg_staff_req *p, const char *action, const char *target, const char *detail);

/** What a staff list or export covers, from its query parameters. */
struct sg_listing {
    const struct sg_campaign *campaign; /* ?campaign=ID, default the active (else the latest) one */
    char scope[13];                     /* ?scope=CODE, default the user's */
    struct sg_filter filter;            /* q, status, dest_city, date */
    bool cancelled;                     /* status=cancelled: read the index of cancelled ones */
};

/**
 * Fill l from the request's query. False after answering 403 (scope outside the user's,
 * or act not allowed), 404 (unknown scope) or 400 (a bad parameter, named).
 */
bool sg_listing_init_or_reply(struct sg_staff_req *p, struct sg_listing *l, enum sg_action act);

/** True when the request carries a session cookie (valid or not). */
bool sg_staff_has_session(h2o_req_t *req);
/** The session cookie's value into out (size bytes); false when there is none or it does not fit. */
bool sg_staff_session_id(h2o_req_t *req, char *out, size_t size);

/** The same, at most once per window_s seconds for the user, action and target (pages that refresh themselves). */
void sg_staff_audit_once(struct sg_staff_req *p, const char *action, const char *target, const char *detail,
                         unsigned window_s);

/** True when scope could be a division code: at most 12 digits (listing.c; pure). */
bool sg_scope_code_valid(const char *scope);
/**
 * The scope a dashboard request asks for (?scope=, default the session's), checked: NULL
 * after answering 403 (outside the user's scope or not allowed act; nothing else said)
 * or 404 (inside it but unknown).
 */
const char *sg_scope_param_or_reply(struct sg_staff_req *p, enum sg_action act);
/** ?campaign= or the active campaign (else the last one); NULL after answering 404. */
const struct sg_campaign *sg_campaign_param_or_reply(struct sg_staff_req *p);

/* Between session.c and login.c: an audit entry as user (window_s 0: always; else at most once a window). */
void sg__staff_audit_as(struct sg_app *app, const char *user, const char *address, const char *action,
                        const char *target, const char *detail, unsigned window_s);

int sg_on_login(h2o_handler_t *self, h2o_req_t *req);        /* login.c: POST /api/login */
int sg_on_logout(h2o_handler_t *self, h2o_req_t *req);       /* login.c: POST /api/logout */
int sg_on_me(h2o_handler_t *self, h2o_req_t *req);           /* login.c: GET /api/me */
int sg_on_audit(h2o_handler_t *self, h2o_req_t *req);        /* audit.c: GET /api/audit */
int sg_on_wechat_jssdk(h2o_handler_t *self, h2o_req_t *req); /* wechat.c: GET /api/wechat/jssdk */

#endif
