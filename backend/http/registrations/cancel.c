/* SPDX-License-Identifier: MIT */
/* POST /api/registrations/{code}/cancel {"phone4":"NNNN"}: a worker withdraws a sign-up
 * with the same proof as the lookup (a wrong code and a wrong phone4 give the same 404).
 * Two store calls: read and check the proof here, then one atomic cancel script. A
 * second cancel answers 200 again, so a retry over a bad network is harmless. Once the
 * group has checked in or its vehicle has left, 409 boarded / departed: the trip happened. */
#include <stdbool.h>
#include <string.h>
#include "domain/err.h"
#include "http/core/pending.h"
#include "http/core/reply.h"
#include "http/core/request.h"
#include "http/registrations/registrations.h"
#include "service/trip_events.h"
#include "store/store.h"

struct cancel_pending {
    struct sg_pending super;
    struct sg_proof_attempt proof;
    char code[SG_CODE_LEN + 1];
    char phone4[5];
    char campaign[SG_CAMPAIGN_ID_MAX + 1];
    char vehicle[16]; /* the seat it gives up, "" when none */
};

static void reply_cancelled(h2o_req_t *req, const char *code)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "code", code);
    cJSON_AddStringToObject(root, "status", "cancelled");
    sg_reply_json(req, 200, root);
}

static void on_cancelled(void *data, int status, const char *why)
{
    struct cancel_pending *p = data;
    h2o_req_t *req = p->super.req;
    bool locked = status == SG_ECONFLICT && strcmp(why, "already_cancelled") != 0;
    if (status == 0 && p->vehicle[0] != '\0') {
        const char *codes[] = {p->code};
        struct sg_trip_change c = {.kind = SG_TRIP_CANCELLED,
                                   .campaign = p->campaign,
                                   .vehicle = p->vehicle,
                                   .codes = codes,
                                   .n = 1,
                                   .by = "worker"};
        sg_trip_changed(p->super.app, &c);
    }
    /* with req gone (client away) the cancel stands: a retry answers 200 */
    if (req != NULL && locked)
        sg_reply_error(req, 409, why, NULL);
    else if (req != NULL && (status == 0 || status == SG_ECONFLICT)) /* cancelled now, or by a retry that won */
        reply_cancelled(req, p->code);
    else if (req != NULL && status == SG_ENOENT)
        sg_reply_error(req, 404, "not_found", NULL);
    else if (req != NULL)
        sg_reply_store_error(req, status);
    sg_pending_free(p);
}

static void on_found(void *data, int status, const struct sg_stored_registration *s)
{
    struct cancel_pending *p = data;
    h2o_req_t *req = p->super.req;
    if (req == NULL) /* nobody would learn the outcome: change nothing */
        goto Exit;
    if (status == 0 && sg__registration_proof_ok(s, p->phone4)) {
        sg__proof_right(&p->proof);
        if (strcmp(s->status, "cancelled") == 0) {
            reply_cancelled(req, p->code);
            goto Exit;
        }
        snprintf(p->campaign, sizeof(p->campaign), "%s", s->campaign);
        snprintf(p->vehicle, sizeof(p->vehicle), "%s", s->vehicle);
        int ret =
            sg_store_registration_cancel(p->super.app->store, p->code, "worker", sg_app_now_ms(), on_cancelled, p);
        if (ret == 0)
            return; /* p now belongs to on_cancelled */
        sg_reply_store_error(req, ret);
    } else if (status == 0 || status == SG_ENOENT) {
        sg_reply_error(req, 404, "not_found", NULL);
    } else {
        sg_reply_store_error(req, status);
    }
Exit:
    sg_pending_free(p);
}

/* Counted: now read it. */
static void read_registration(struct sg_pending *super)
{
    struct cancel_pending *p = (struct cancel_pending *)super;
    int ret = sg_store_registration_get(super->app->store, p->code, on_found, p);
    if (ret != 0) {
        sg_reply_store_error(super->req, ret);
        sg_pending_free(p);
    }
}

int sg__registration_cancel(h2o_req_t *req, struct sg_app *app, const char *typed, size_t len)
{
    char code[SG_CODE_LEN + 1], phone4[5] = "";
    cJSON *root = sg_json_body_or_reply(req, SG_BODY_SMALL);
    if (root == NULL)
        return 0;
    const char *typed4 = sg_json_string(root, "phone4", NULL, NULL);
    if (typed4 != NULL && strlen(typed4) == 4)
        memcpy(phone4, typed4, 5);
    cJSON_Delete(root);
    if (sg__registration_code(typed, len, phone4, code) != 0) {
        sg_reply_error(req, 404, "not_found", NULL);
        return 0;
    }
    struct cancel_pending *p = sg_pending_new(req, app, sizeof(*p));
    memcpy(p->code, code, sizeof(code));
    memcpy(p->phone4, phone4, sizeof(phone4));
    sg__proof_begin(&p->proof, &p->super, code, read_registration);
    return 0;
}
