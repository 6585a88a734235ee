/* SPDX-License-Identifier: MIT */
/* POST /api/match {"campaign","scope","accept"}: the proposal for a scope (existing
 * vehicles filled, new vehicles by city, date and type, lower bounds, groups too big),
 * and with "accept":true the same applied. Organisers and admins, in scope; an accepted
 * run is audited. */
#include <string.h>
#include "domain/err.h"
#include "http/matching.h"
#include "http/reply.h"
#include "http/routes.h"
#include "http/staff.h"
#include "http/transport.h"

static void on_done(void *data, int status, const struct sg_match_report *r)
{
    struct sg_staff_req *p = data;
    if (status == 0 && r->accept) {
        char detail[160];
        snprintf(detail, sizeof(detail), "assigned %zu registrations (%zu people), %zu new vehicles, %zu skipped",
                 r->assigned, r->assigned_people, r->res.ncreated, r->skipped);
        sg_staff_audit(p, "match_accept", r->scope, detail);
    }
    if (p->super.req != NULL && status == SG_EEXIST)
        sg_reply_error(p->super.req, 409, "match_busy", NULL);
    else if (p->super.req != NULL && status != 0)
        sg_reply_store_error(p->super.req, status);
    else if (p->super.req != NULL)
        sg_reply_json(p->super.req, 200, sg_json_match_report(p->super.app, r));
    sg_pending_free(p);
}

static void start(struct sg_staff_req *p)
{
    h2o_req_t *req = p->super.req;
    cJSON *o = req->entity.len <= 4096
                   ? cJSON_ParseWithLength(req->entity.base != NULL ? req->entity.base : "", req->entity.len)
                   : NULL;
    const cJSON *scope = cJSON_GetObjectItemCaseSensitive(o, "scope");
    const cJSON *campaign = cJSON_GetObjectItemCaseSensitive(o, "campaign");
    const cJSON *accept = cJSON_GetObjectItemCaseSensitive(o, "accept");
    const struct sg_campaign *c =
        sg_app_campaign(p->super.app, cJSON_IsString(campaign) ? campaign->valuestring : NULL);
    int ret = -1;
    if (!cJSON_IsObject(o) || !cJSON_IsString(scope) || (accept != NULL && !cJSON_IsBool(accept)))
        sg_reply_error(req, 400, "bad_json", NULL);
    else if (c == NULL)
        sg_reply_error(req, 404, "unknown_campaign", "campaign");
    else if (sg_divisions_find(p->super.app->divisions, scope->valuestring, strlen(scope->valuestring)) == NULL)
        sg_reply_error(req, 404, "unknown_division", "scope");
    else if (sg_staff_allow_or_reply(p, scope->valuestring, SG_ACT_TRANSPORT) &&
             (ret = sg_match_start(p->super.app, c->id, scope->valuestring, cJSON_IsTrue(accept), on_done, p)) != 0)
        sg_reply_store_error(req, ret);
    cJSON_Delete(o);
    if (ret != 0)
        sg_pending_free(p);
}

int sg_on_match(h2o_handler_t *self, h2o_req_t *req)
{
    if (!sg_method_is(req, "POST"))
        return sg_reply_method_not_allowed(req, "POST");
    sg_staff_begin(sg_pending_new(req, sg_handler_app(self), sizeof(struct sg_staff_req)), start);
    return 0;
}
