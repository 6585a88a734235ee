/* SPDX-License-Identifier: MIT */
/* POST /api/match {"campaign","scope","accept","sizes","min_load","area"}: the proposal
 * for a scope (existing vehicles filled from their pickup areas, new vehicles per pickup
 * area by city, date and type, the city × date plan, lower bounds, and what is left with
 * its reason), and with "accept":true the same applied. "sizes" sets the seats of the
 * proposed vehicles, "min_load" the people each type carries at least, "area" the pickup
 * areas ("county", "township" (default) or "village"). Organisers and admins, in scope;
 * an accepted run is audited. */
#include <string.h>
#include "domain/err.h"
#include "service/matching.h"
#include "http/core/reply.h"
#include "http/core/request.h"
#include "http/core/routes.h"
#include "http/staff/staff.h"
#include "http/transport/transport.h"

static void on_done(void *data, int status, const struct sg_match_report *r)
{
    struct sg_staff_req *p = data;
    if (status == 0 && r->accept) {
        char detail[256];
        snprintf(detail, sizeof(detail),
                 "assigned %zu registrations (%zu people), %zu new vehicles, %zu skipped, %llu people unplaced",
                 r->assigned, r->assigned_people, r->res.ncreated, r->skipped,
                 (unsigned long long)r->res.people_unplaced);
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

/* An object of whole numbers under the names given (each optional) into slots: false
 * after answering 400 naming the bad member ("prefix.name"). */
static bool numbers_or_reply(h2o_req_t *req, const cJSON *obj, const char *prefix, const char *const *names,
                             size_t nnames, long *const *slots)
{
    char field[48];
    const cJSON *x;
    if (obj != NULL && !cJSON_IsObject(obj)) {
        sg_reply_error(req, 400, "type", prefix);
        return false;
    }
    cJSON_ArrayForEach(x, obj) {
        size_t k = 0;
        while (k != nnames && strcmp(x->string, names[k]) != 0)
            ++k;
        /* far out of every range stays out of it, without overflowing a long */
        double d = cJSON_IsNumber(x) ? x->valuedouble : 0.5;
        d = d < 0 ? 0 : d > 1e6 ? 1e6 : d;
        snprintf(field, sizeof(field), "%s.%.30s", prefix, x->string);
        if (k == nnames || d != (double)(long)d) {
            sg_reply_error(req, 400, k == nnames ? "bad_request" : "type", field);
            return false;
        }
        *slots[k] = (long)d;
    }
    return true;
}

/* "sizes":{"bus","train","train_carriage","flight"} and "min_load":{"bus","train","flight"},
 * each optional, and "area"; false when it answered 400 naming the field. */
static bool options_or_reply(h2o_req_t *req, const cJSON *o, struct sg_match_options *out)
{
    static const char *const names[] = {"bus", "train", "flight", "train_carriage"};
    struct sg_vehicle_sizes_input in = {{-1, -1, -1}, -1};
    long min[SG_VEHICLE_TYPES] = {-1, -1, -1};
    long *slots[] = {&in.seats[SG_VEHICLE_BUS], &in.seats[SG_VEHICLE_TRAIN], &in.seats[SG_VEHICLE_FLIGHT],
                     &in.train_carriage};
    long *min_slots[] = {&min[SG_VEHICLE_BUS], &min[SG_VEHICLE_TRAIN], &min[SG_VEHICLE_FLIGHT]};
    struct sg_field_errors errs;
    char field[48];
    const cJSON *area = cJSON_GetObjectItemCaseSensitive(o, "area");
    if (!numbers_or_reply(req, cJSON_GetObjectItemCaseSensitive(o, "sizes"), "sizes", names, 4, slots) ||
        !numbers_or_reply(req, cJSON_GetObjectItemCaseSensitive(o, "min_load"), "min_load", names, 3, min_slots))
        return false;
    sg_match_options_default(out);
    if (area != NULL && !cJSON_IsNull(area) &&
        (out->area_digits = cJSON_IsString(area) ? sg_match_area_digits(area->valuestring) : 0) == 0) {
        sg_reply_error(req, 400, "area_enum", "area");
        return false;
    }
    if (sg_vehicle_sizes_validate(&in, &out->sizes, &errs) != 0) {
        snprintf(field, sizeof(field), "sizes.%.30s", errs.e[0].field);
        sg_reply_error(req, 400, errs.e[0].code, field);
        return false;
    }
    if (sg_vehicle_min_load_validate(min, &out->sizes, out->min_load, &errs) != 0) {
        snprintf(field, sizeof(field), "min_load.%.30s", errs.e[0].field);
        sg_reply_error(req, 400, errs.e[0].code, field);
        return false;
    }
    return true;
}

static void start(struct sg_staff_req *p)
{
    h2o_req_t *req = p->super.req;
    cJSON *o = sg_json_body_or_reply(req, SG_BODY_SMALL);
    if (o == NULL) {
        sg_pending_free(p);
        return;
    }
    struct sg_field_errors errs = {0};
    const char *scope = sg_json_string(o, "scope", NULL, &errs);
    const char *campaign = sg_json_string(o, "campaign", NULL, NULL);
    int accept = sg_json_bool(o, "accept", NULL, &errs);
    const struct sg_campaign *c = sg_app_campaign(p->super.app, campaign);
    struct sg_match_options options;
    int ret = -1;
    if (scope == NULL || errs.n != 0)
        sg_reply_error(req, 400, "bad_json", errs.n != 0 ? errs.e[0].field : "scope");
    else if (c == NULL)
        sg_reply_error(req, 404, "unknown_campaign", "campaign");
    else if (sg_divisions_find(p->super.app->divisions, scope, strlen(scope)) == NULL)
        sg_reply_error(req, 404, "unknown_division", "scope");
    else if (options_or_reply(req, o, &options) && sg_staff_allow_or_reply(p, scope, SG_ACT_TRANSPORT) &&
             (ret = sg_match_start(p->super.app, c->id, scope, &options, accept == 1, on_done, p)) != 0)
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
