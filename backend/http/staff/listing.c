/* SPDX-License-Identifier: MIT */
/* What a staff list, export or dashboard covers, from its query parameters: the scope
 * (checked against the session before anything else is said), the campaign, filters. */
#include <string.h>
#include "http/core/reply.h"
#include "http/core/request.h"
#include "http/staff/staff.h"

static const struct sg_campaign *find_campaign(const struct sg_app *app, const char *id)
{
    if (id == NULL || id[0] == '\0') { /* the active campaign, else the latest one */
        const struct sg_campaign *c = sg_app_active_campaign(app);
        return c != NULL || app->ncampaigns == 0 ? c : &app->campaigns[app->ncampaigns - 1];
    }
    return sg_app_campaign(app, id);
}

bool sg_listing_init_or_reply(struct sg_staff_req *p, struct sg_listing *l, enum sg_action act)
{
    h2o_req_t *req = p->super.req;
    const char *scope = sg_query_param(req, "scope"), *bad = NULL;
    if (scope == NULL || scope[0] == '\0')
        scope = p->session.scope;
    /* Scope first: outside it, say nothing else about the request. */
    if (!sg_staff_allow_or_reply(p, scope, act))
        return false;
    if (strlen(scope) >= sizeof(l->scope)) {
        sg_reply_error(req, 404, "not_found", "scope");
        return false;
    }
    memcpy(l->scope, scope, strlen(scope) + 1);
    if (sg_divisions_find(p->super.app->divisions, scope, strlen(scope)) == NULL) {
        sg_reply_error(req, 404, "not_found", "scope");
        return false;
    }
    if ((l->campaign = find_campaign(p->super.app, sg_query_param(req, "campaign"))) == NULL) {
        sg_reply_error(req, 400, "bad_request", "campaign");
        return false;
    }
    if (sg_filter_init(&l->filter, sg_query_param(req, "q"), sg_query_param(req, "status"),
                       sg_query_param(req, "dest_city"), sg_query_param(req, "date"), &bad) != 0) {
        sg_reply_error(req, 400, "bad_request", bad);
        return false;
    }
    l->cancelled = strcmp(l->filter.status, "cancelled") == 0;
    return true;
}

bool sg_scope_code_valid(const char *scope)
{
    size_t n = strlen(scope);
    return n <= SG_DIVISION_CODE_MAX && strspn(scope, "0123456789") == n;
}

const char *sg_scope_param_or_reply(struct sg_staff_req *p, enum sg_action act)
{
    h2o_req_t *req = p->super.req;
    const char *scope = sg_query_param(req, "scope");
    if (scope == NULL || scope[0] == '\0')
        scope = p->session.scope;
    if (!sg_scope_code_valid(scope)) {
        sg_reply_error(req, 403, "forbidden", "scope"); /* not a code: outside any scope */
        return NULL;
    }
    if (!sg_staff_allow_or_reply(p, scope, act))
        return NULL;
    if (sg_divisions_find(p->super.app->divisions, scope, strlen(scope)) == NULL) {
        sg_reply_error(req, 404, "not_found", "scope");
        return NULL;
    }
    return scope;
}

const struct sg_campaign *sg_campaign_param_or_reply(struct sg_staff_req *p)
{
    struct sg_app *app = p->super.app;
    const char *id = sg_query_param(p->super.req, "campaign");
    for (size_t i = 0; id != NULL && i != app->ncampaigns; ++i)
        if (strcmp(app->campaigns[i].id, id) == 0)
            return &app->campaigns[i];
    if (id == NULL && sg_app_active_campaign(app) != NULL)
        return sg_app_active_campaign(app);
    if (id == NULL && app->ncampaigns != 0)
        return &app->campaigns[app->ncampaigns - 1];
    sg_reply_error(p->super.req, 404, "not_found", "campaign");
    return NULL;
}
