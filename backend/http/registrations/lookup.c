/* SPDX-License-Identifier: MIT */
/* GET /api/registrations/{code}?phone4=NNNN: a worker looks the sign-up up, masked, with
 * the vehicle, the trip's state, seats and pickup stop once assigned. A wrong phone4
 * answers exactly like an unknown code. */
#include <stdlib.h>
#include <string.h>
#include "domain/code.h"
#include "domain/err.h"
#include "http/core/pending.h"
#include "http/core/reply.h"
#include "http/core/request.h"
#include "http/registrations/registrations.h"
#include "store/store.h"
#include "store/transport.h"

struct get_pending {
    struct sg_pending super;
    char phone4[5];
    cJSON *json; /* the registration, waiting for its vehicle */
    struct sg_assigned s;
};

static void get_free(struct get_pending *p)
{
    sg_pending_free(p);
}

/* The assignment as the worker sees it, with the check-in QR's token and link (the
 * escort's phone opens it), shown on the status page. */
static cJSON *json_assignment(const struct sg_app *app, const struct sg_assigned *s, const struct sg_vehicle *v)
{
    char token[SG_CHECKIN_TOKEN_LEN + 1], url[512];
    cJSON *o = sg_json_assignment(app, s, v, false), *c = cJSON_AddObjectToObject(o, "checkin");
    sg_store_checkin_token(app->store, s->code, token);
    snprintf(url, sizeof(url), "%s/staff/checkin.html#%s", app->public_url, token);
    cJSON_AddStringToObject(c, "token", token);
    cJSON_AddStringToObject(c, "url", url);
    return o;
}

static void on_vehicle(void *data, int status, const struct sg_vehicle *v)
{
    struct get_pending *p = data;
    if (p->super.req != NULL && status != 0 && status != SG_ENOENT) {
        sg_reply_store_error(p->super.req, status);
        cJSON_Delete(p->json);
    } else if (p->super.req != NULL) {
        if (status == 0)
            cJSON_ReplaceItemInObjectCaseSensitive(p->json, "assignment", json_assignment(p->super.app, &p->s, v));
        sg_reply_json(p->super.req, 200, p->json);
    } else {
        cJSON_Delete(p->json);
    }
    get_free(p);
}

static void on_found(void *data, int status, const struct sg_stored_registration *s)
{
    struct get_pending *p = data;
    h2o_req_t *req = p->super.req;
    if (req == NULL)
        goto Exit;
    /* A wrong phone4 answers exactly like an unknown code. */
    if (status == 0 && sg__registration_proof_ok(s, p->phone4)) {
        p->json = sg_json_registration(p->super.app, s, false); /* "assignment": null until a vehicle is found */
        sg_assigned_of(s, &p->s);
        if (s->vehicle[0] != '\0' && sg_store_vehicle_get(p->super.app->store, s->vehicle, on_vehicle, p) == 0)
            return;
        sg_reply_json(req, 200, p->json);
    } else if (status == 0 || status == SG_ENOENT)
        sg_reply_error(req, 404, "not_found", NULL);
    else
        sg_reply_store_error(req, status);
Exit:
    get_free(p);
}

int sg__registration_lookup(h2o_req_t *req, struct sg_app *app, const char *rest, size_t restlen)
{
    char code[SG_CODE_LEN + 1];
    const char *phone4 = sg_query_param(req, "phone4");
    if (sg__registration_code(rest, restlen, phone4, code) != 0) {
        sg_reply_error(req, 404, "not_found", NULL);
        return 0;
    }
    struct get_pending *p = sg_pending_new(req, app, sizeof(*p));
    memcpy(p->phone4, phone4, 5);
    int ret = sg_store_registration_get(app->store, code, on_found, p);
    if (ret != 0) {
        get_free(p);
        sg_reply_store_error(req, ret);
    }
    return 0;
}
