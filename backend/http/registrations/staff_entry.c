/* SPDX-License-Identifier: MIT */
/* POST /api/registrations with X-CSRF-Token: staff enter a worker face to face. The same
 * body and rules as the worker's sign-up (signup.c), the worker's phone optional, the
 * village checked against the user's scope, one atomic save, audited. */
#include <sodium.h>
#include "domain/err.h"
#include "http/core/reply.h"
#include "http/core/request.h"
#include "http/registrations/registrations.h"
#include "http/staff/staff.h"

struct entry_req {
    struct sg_staff_req base;
    struct sg_registration reg;
};

static void entry_free(struct entry_req *c)
{
    sodium_memzero(&c->reg, sizeof(c->reg));
    sg_pending_free(c);
}

static void on_entered(void *data, int status, const struct sg_save_result *res)
{
    struct entry_req *c = data;
    h2o_req_t *req = c->base.super.req;
    if (status == 0 && !res->replayed)
        sg_staff_audit(&c->base, "enter", res->code, c->reg.village);
    if (req == NULL)
        goto Exit;
    sg_reply_saved(req, status, res);
Exit:
    entry_free(c);
}

static void enter(struct sg_staff_req *p)
{
    struct entry_req *c = (struct entry_req *)p;
    h2o_req_t *req = p->super.req;
    struct sg_app *app = p->super.app;
    const struct sg_campaign *campaign = sg_app_active_campaign(app);
    const char *idem = sg_idempotency_key(req);
    cJSON *root = NULL;
    int ret = SG_EINVAL;
    if (campaign == NULL)
        sg_reply_error(req, 403, "campaign_closed", NULL);
    else if (idem == NULL)
        sg_reply_error(req, 400, "bad_idempotency_key", "Idempotency-Key");
    else if ((root = sg_json_body_or_reply(req, SG_BODY_FORM)) != NULL &&
             sg_registration_read_or_reply(req, app, campaign, root, SG_READ_BY_STAFF, &c->reg) == 0 &&
             sg_staff_allow_or_reply(p, c->reg.village, SG_ACT_EDIT) &&
             (ret =
                  sg_store_registration_save(app->store, campaign->id, &c->reg,
                                             &(struct sg_save_options){.idem_key = idem, .entered_by = p->session.user},
                                             sg_app_now_ms(), sg_app_today(app), on_entered, c)) != 0)
        sg_reply_store_error(req, ret);
    cJSON_Delete(root);
    if (ret != 0)
        entry_free(c);
}

int sg_on_staff_entry(h2o_req_t *req, struct sg_app *app)
{
    struct entry_req *c = sg_pending_new(req, app, sizeof(*c));
    sg_staff_begin(&c->base, enter);
    return 0;
}
