/* SPDX-License-Identifier: MIT */
/* The village's call-back loop and the door, on one registration of the user's scope:
 * POST /api/registrations/{code}/phone {"person":N} reveals that person's full phone
 * number to staff who call people (SG_ACT_CALL), one audit entry (phone_view) per reveal;
 * POST /api/registrations/{code}/notified {"notified":true|false} records that the person
 * was told of their vehicle (or takes the tick back), audited, and only once the vehicle's
 * time and the person's stop with its time are set (else 409 trip_not_set); POST
 * /api/registrations/{code}/no-show records that the group did not turn up while its
 * vehicle is boarding, audited. The village is checked before anything is said. */
#include <string.h>
#include "domain/err.h"
#include "domain/mask.h"
#include "http/core/reply.h"
#include "http/core/request.h"
#include "http/registrations/registrations.h"
#include "http/staff/staff.h"
#include "store/transport.h"

enum what { PHONE, NOTIFIED, NO_SHOW };

struct trip_req {
    struct sg_staff_req base;
    enum what what;
    char code[SG_CODE_LEN + 1];
    long person;        /* PHONE: which person (0: the worker) */
    int notified;       /* NOTIFIED: 1 told, 0 taken back */
    const char *bad;    /* a refused body: its field */
    const char *action; /* the audit action */
    char village[13];   /* NOTIFIED: the record's village, checked against the user's scope */
};

static enum sg_action permission(enum what w)
{
    return w == NO_SHOW ? SG_ACT_EDIT : SG_ACT_CALL;
}

static void on_marked(void *data, int status, const char *why, uint32_t vehicle, bool again)
{
    struct trip_req *p = data;
    h2o_req_t *req = p->base.super.req;
    char detail[48];
    snprintf(detail, sizeof(detail), "vehicle %u", vehicle);
    if (status == 0 && !again)
        sg_staff_audit(&p->base, p->action, p->code, detail);
    if (req != NULL && status == 0) {
        cJSON *o = cJSON_CreateObject();
        char id[16];
        snprintf(id, sizeof(id), "%u", vehicle);
        cJSON_AddStringToObject(o, "code", p->code);
        cJSON_AddStringToObject(o, "vehicle", id);
        if (p->what == NOTIFIED)
            cJSON_AddBoolToObject(o, "notified", p->notified == 1);
        else
            cJSON_AddBoolToObject(o, "no_show", true);
        cJSON_AddBoolToObject(o, "again", again);
        sg_reply_json(req, 200, o);
    } else if (req != NULL && status == SG_EINVAL) {
        sg_reply_error(req, 409, why, NULL);
    } else if (req != NULL && status == SG_ENOENT) {
        sg_reply_error(req, 404, "not_found", NULL);
    } else if (req != NULL) {
        sg_reply_store_error(req, status);
    }
    sg_pending_free(p);
}

/* The person's full number: 404 when there is no such person or they gave none. */
static void reveal(struct trip_req *p, const struct sg_stored_registration *s)
{
    h2o_req_t *req = p->base.super.req;
    const struct sg_person *x = p->person < (long)s->reg.npeople ? &s->reg.people[p->person] : NULL;
    if (x == NULL || strlen(x->phone) != 11) {
        sg_reply_error(req, 404, "not_found", "person");
        return;
    }
    char detail[32], masked[12];
    sg_mask_phone(x->phone, masked);
    snprintf(detail, sizeof(detail), "person %ld %s", p->person, masked);
    sg_staff_audit(&p->base, "phone_view", p->code, detail); /* every reveal: one entry */
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "code", p->code);
    cJSON_AddNumberToObject(o, "person", (double)p->person);
    cJSON_AddStringToObject(o, "name", x->name);
    cJSON_AddStringToObject(o, "phone", x->phone);
    sg_reply_json(req, 200, o);
}

static void mark(struct trip_req *p)
{
    int ret = sg_store_registration_mark(p->base.super.app->store, p->code, p->village,
                                         p->what == NO_SHOW ? SG_MARK_NO_SHOW
                                         : p->notified == 1 ? SG_MARK_NOTIFIED
                                                            : SG_MARK_UNNOTIFIED,
                                         p->base.session.user, sg_app_now_ms(), on_marked, p);
    if (ret != 0) {
        sg_reply_store_error(p->base.super.req, ret);
        sg_pending_free(p);
    }
}

/* 已通知: the person can be told only what is set. A change after the tick reaches them by
 * text message (the outbox's "changed"). */
static void on_vehicle(void *data, int status, const struct sg_vehicle *v)
{
    struct trip_req *p = data;
    h2o_req_t *req = p->base.super.req;
    if (req == NULL) {
        sg_pending_free(p);
    } else if (status != 0) {
        sg_reply_store_error(req, status == SG_ENOENT ? SG_ECONFLICT : status);
        sg_pending_free(p);
    } else if (!sg_vehicle_tellable(v, p->village)) {
        sg_reply_error(req, 409, "trip_not_set", NULL);
        sg_pending_free(p);
    } else {
        mark(p);
    }
}

static void on_record(void *data, int status, const struct sg_stored_registration *s)
{
    struct trip_req *p = data;
    h2o_req_t *req = p->base.super.req;
    int ret = -1;
    if (req == NULL) {
        /* gone: nothing to do */
    } else if (status == SG_ENOENT) {
        sg_reply_error(req, 404, "not_found", NULL);
    } else if (status != 0) {
        sg_reply_store_error(req, status);
    } else if (sg_staff_allow_record_or_reply(&p->base, s->reg.village, permission(p->what), NULL)) {
        snprintf(p->village, sizeof(p->village), "%s", s->reg.village);
        if (p->what == PHONE) {
            reveal(p, s);
        } else if (p->what == NOTIFIED && p->notified == 1 && s->vehicle[0] != '\0') {
            if ((ret = sg_store_vehicle_get(p->base.super.app->store, s->vehicle, on_vehicle, p)) != 0)
                sg_reply_store_error(req, ret);
        } else {
            mark(p); /* not assigned: the script says so */
            return;
        }
    }
    if (ret != 0)
        sg_pending_free(p);
}

static int read_body(h2o_req_t *req, struct trip_req *p);

static void start(struct sg_staff_req *base)
{
    struct trip_req *p = (struct trip_req *)base;
    int ret;
    if (read_body(base->super.req, p) != 0) {
        sg_pending_free(p); /* answered */
    } else if (p->bad != NULL) {
        sg_reply_error(base->super.req, 400, "bad_request", p->bad);
        sg_pending_free(p);
    } else if ((ret = sg_store_registration_get(base->super.app->store, p->code, on_record, p)) != 0) {
        sg_reply_store_error(base->super.req, ret);
        sg_pending_free(p);
    }
}

/* The body's one field into p (an error waits for the session check, which comes first). */
static int read_body(h2o_req_t *req, struct trip_req *p)
{
    cJSON *o = sg_json_body_or_reply(req, SG_BODY_SMALL);
    if (o == NULL)
        return -1;
    if (p->what == PHONE) {
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, "person");
        p->person = cJSON_IsNumber(n) && n->valuedouble >= 0 && n->valuedouble < SG_MAX_PEOPLE &&
                            n->valuedouble == (double)(long)n->valuedouble
                        ? (long)n->valuedouble
                        : -1;
        p->bad = p->person < 0 ? "person" : NULL;
    } else if (p->what == NOTIFIED) {
        int v = sg_json_bool(o, "notified", NULL, NULL);
        p->notified = v < 0 ? 1 : v; /* {} is a tick */
        p->bad = cJSON_GetObjectItemCaseSensitive(o, "notified") != NULL && v < 0 ? "notified" : NULL;
    }
    p->action = p->what == PHONE     ? "phone_view"
                : p->what == NO_SHOW ? "no_show"
                : p->notified        ? "notified"
                                     : "unnotified";
    cJSON_Delete(o);
    return 0;
}

int sg_on_trip_action(h2o_req_t *req, struct sg_app *app, const char *code, const char *action)
{
    static const struct {
        const char *name;
        enum what what;
    } actions[] = {{"phone", PHONE}, {"notified", NOTIFIED}, {"no-show", NO_SHOW}};
    size_t k = 0;
    while (k != sizeof(actions) / sizeof(actions[0]) && strcmp(action, actions[k].name) != 0)
        ++k;
    if (k == sizeof(actions) / sizeof(actions[0])) {
        sg_reply_error(req, 404, "not_found", NULL);
        return 0;
    }
    if (!sg_method_is(req, "POST"))
        return sg_reply_method_not_allowed(req, "POST");
    struct trip_req *p = sg_pending_new(req, app, sizeof(*p));
    memcpy(p->code, code, sizeof(p->code));
    p->what = actions[k].what;
    sg_staff_begin(&p->base, start);
    return 0;
}
