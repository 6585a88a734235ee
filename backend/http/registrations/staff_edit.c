/* SPDX-License-Identifier: MIT */
/* Staff changes to registrations: PATCH /api/registrations/{code} (edit),
 * POST /api/registrations/{code}/cancel and POST /api/registrations/{code}/flag-checked.
 * Each reads the record, checks its village against the user's scope, makes one atomic
 * store call, and audits. A registration that checked in, or whose vehicle left, is
 * neither edited nor cancelled (409 boarded / departed, from the store's scripts). */
#include <stdio.h>
#include <string.h>
#include <sodium.h>
#include "domain/err.h"
#include "domain/mask.h"
#include "http/core/reply.h"
#include "http/core/request.h"
#include "http/registrations/registrations.h"
#include "http/staff/staff.h"
#include "service/trip_events.h"

#define DETAIL_MAX 256

struct change_req;
typedef void (*change_then)(struct change_req *c, const struct sg_stored_registration *s);

struct change_req {
    struct sg_staff_req base;
    char code[SG_CODE_LEN + 1];
    char village[SG_DIVISION_CODE_MAX + 1]; /* the record's village, for the audit log */
    char campaign[SG_CAMPAIGN_ID_MAX + 1];
    char vehicle[16]; /* the record's vehicle ("" when it has none) */
    change_then then; /* what to do with the record once its village is in scope */
    struct sg_registration reg;
    char detail[DETAIL_MAX];
};

static void change_free(struct change_req *c)
{
    sodium_memzero(&c->reg, sizeof(c->reg));
    sg_pending_free(c);
}

static void on_record(void *data, int status, const struct sg_stored_registration *s)
{
    struct change_req *c = data;
    h2o_req_t *req = c->base.super.req;
    if (req == NULL)
        goto Exit;
    if (status != 0)
        sg_reply_store_error(req, status);
    else if (sg_staff_allow_record_or_reply(&c->base, s->reg.village, SG_ACT_EDIT, NULL)) {
        memcpy(c->village, s->reg.village, sizeof(c->village));
        snprintf(c->campaign, sizeof(c->campaign), "%s", s->campaign);
        snprintf(c->vehicle, sizeof(c->vehicle), "%s", s->vehicle);
        c->then(c, s);
        return;
    }
Exit:
    change_free(c);
}

static void read_record(struct sg_staff_req *p)
{
    struct change_req *c = (struct change_req *)p;
    int ret = sg_store_registration_get(p->super.app->store, c->code, on_record, c);
    if (ret != 0) {
        sg_reply_store_error(p->super.req, ret);
        change_free(c);
    }
}

static int begin_change(h2o_req_t *req, struct sg_app *app, const char *code, change_then then)
{
    struct change_req *c = sg_pending_new(req, app, sizeof(*c));
    memcpy(c->code, code, sizeof(c->code));
    c->then = then;
    sg_staff_begin(&c->base, read_record);
    return 0;
}

static void reply_ok(h2o_req_t *req, int status, const char *code, const char *name, cJSON *value)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "code", code);
    cJSON_AddItemToObject(root, name, value);
    sg_reply_json(req, status, root);
}

/* ---- edit ------------------------------------------------------------------------- */

static void append(char *out, const char *fmt, const char *a, const char *b)
{
    size_t used = strlen(out);
    if (used + 1 < DETAIL_MAX)
        snprintf(out + used, DETAIL_MAX - used, fmt, used == 0 ? "" : "; ", a, b);
}

static void summarize_person(const struct sg_person *o, const struct sg_person *n, size_t i, char *out)
{
    char field[40], masked[19];
    snprintf(field, sizeof(field), "people[%zu].", i);
    if (strcmp(o->name, n->name) != 0)
        append(out, "%s%sname", field, "");
    if (strcmp(o->id.number, n->id.number) != 0) {
        sg_mask_idno(n->id.number, masked);
        append(out, "%s%sid_number -> %s", field, masked);
    }
    if (strcmp(o->phone, n->phone) != 0) {
        masked[0] = '\0';
        if (n->phone[0] != '\0')
            sg_mask_phone(n->phone, masked);
        append(out, "%s%sphone -> %s", field, masked);
    }
    if (o->poverty != n->poverty)
        append(out, "%s%spoverty -> %s", field, sg_poverty_name(n->poverty));
    if (o->low_income != n->low_income)
        append(out, "%s%slow_income -> %s", field, n->low_income ? "true" : "false");
}

static void summarize_people(const struct sg_stored_registration *old, const struct sg_registration *r, char *out)
{
    char field[40];
    size_t n = r->npeople > old->reg.npeople ? r->npeople : old->reg.npeople;
    for (size_t i = 0; i != n; ++i) {
        snprintf(field, sizeof(field), "people[%zu]", i);
        if (i >= r->npeople)
            append(out, "%s%s %s", field, "removed");
        else if (i >= old->reg.npeople)
            append(out, "%s%s %s", field, "added");
        else
            summarize_person(&old->reg.people[i], &r->people[i], i, out);
    }
}

/* What an edit changed, masked: the audit entry's detail. */
static void summarize(const struct sg_stored_registration *old, const struct sg_registration *r, char *out)
{
    char d1[11], d2[11], f[8];
    out[0] = '\0';
    if (strcmp(old->reg.village, r->village) != 0)
        append(out, "%svillage %s -> %s", old->reg.village, r->village);
    if (strcmp(old->reg.dest_city, r->dest_city) != 0)
        append(out, "%sdest_city %s -> %s", old->reg.dest_city, r->dest_city);
    sg_date_format(old->reg.depart_date, d1);
    sg_date_format(r->depart_date, d2);
    if (strcmp(d1, d2) != 0)
        append(out, "%sdepart_date %s -> %s", d1, d2);
    snprintf(f, sizeof(f), "%d", r->flex_days);
    if (old->reg.flex_days != r->flex_days)
        append(out, "%s%sflex_days -> %s", "", f);
    if (old->reg.mode != r->mode)
        append(out, "%s%smode -> %s", "", sg_mode_name(r->mode));
    if (strcmp(old->reg.employer, r->employer) != 0 || old->reg.job_confirmed != r->job_confirmed)
        append(out, "%s%semployer%s", "", "");
    summarize_people(old, r, out);
    if (out[0] == '\0')
        append(out, "%s%sno change%s", "", "");
}

/* A person with an unknown region whose ID number is new to the registration: check again. */
static bool new_flag(const struct sg_stored_registration *old, const struct sg_registration *r)
{
    for (size_t i = 0; i != r->npeople; ++i) {
        bool known = false;
        for (size_t j = 0; j != old->reg.npeople; ++j)
            known = known || strcmp(r->people[i].id.number, old->reg.people[j].id.number) == 0;
        if (r->people[i].region_unknown && !known)
            return true;
    }
    return false;
}

static void on_reread(void *data, int status, const struct sg_stored_registration *s)
{
    struct change_req *c = data;
    if (c->base.super.req != NULL && status == 0)
        sg_reply_json(c->base.super.req, 200, sg_json_registration(c->base.super.app, s, true));
    else if (c->base.super.req != NULL)
        sg_reply_store_error(c->base.super.req, status);
    change_free(c);
}

static void on_edited(void *data, int status, const struct sg_edit_result *res)
{
    struct change_req *c = data;
    h2o_req_t *req = c->base.super.req;
    if (status == 0)
        sg_staff_audit(&c->base, "edit", c->code, c->detail);
    if (req == NULL)
        goto Exit;
    if (status == 0 && (status = sg_store_registration_get(c->base.super.app->store, c->code, on_reread, c)) == 0)
        return;
    if (status == SG_EEXIST)
        sg_reply_duplicate(req, res->duplicate_person);
    else if (status == SG_ECONFLICT)
        sg_reply_error(req, 409, res->conflict, NULL);
    else
        sg_reply_store_error(req, status);
Exit:
    change_free(c);
}

/* Staff see numbers masked only: a masked value sent back unchanged ("450102********123X",
 * "138****5678") means "keep this person's number", so an edit of a date need not retype
 * ID cards. Only a value that is the mask of exactly one stored number is replaced. */
static void unmask_one(cJSON *obj, const char *name, const struct sg_stored_registration *old, bool phone)
{
    cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!cJSON_IsString(item) || strchr(item->valuestring, '*') == NULL)
        return;
    const char *found = NULL;
    for (size_t i = 0; i != old->reg.npeople; ++i) {
        const struct sg_person *p = &old->reg.people[i];
        char masked[19];
        if (phone && strlen(p->phone) == 11)
            sg_mask_phone(p->phone, masked);
        else if (!phone && strlen(p->id.number) == 18)
            sg_mask_idno(p->id.number, masked);
        else
            continue;
        if (strcmp(masked, item->valuestring) == 0) {
            if (found != NULL)
                return; /* two people share the mask: the staff must type it */
            found = phone ? p->phone : p->id.number;
        }
    }
    if (found != NULL)
        cJSON_SetValuestring(item, found);
}

/* Always true: it only rewrites root (a step in the edit's chain of checks). */
static bool unmask_people(cJSON *root, const struct sg_stored_registration *old)
{
    cJSON *c, *list = cJSON_GetObjectItemCaseSensitive(root, "companions");
    unmask_one(root, "id_number", old, false);
    unmask_one(root, "phone", old, true);
    cJSON_ArrayForEach(c, list) {
        unmask_one(c, "id_number", old, false);
        unmask_one(c, "phone", old, true);
    }
    return true;
}

static void edit(struct change_req *c, const struct sg_stored_registration *old)
{
    h2o_req_t *req = c->base.super.req;
    struct sg_app *app = c->base.super.app;
    const struct sg_campaign *campaign = sg_app_campaign(app, old->campaign);
    cJSON *root = NULL;
    int ret = SG_EINVAL;
    if (strcmp(old->status, "cancelled") == 0)
        sg_reply_error(req, 409, "already_cancelled", NULL);
    else if (campaign == NULL)
        sg_reply_error(req, 409, "campaign_closed", NULL);
    else if ((root = sg_json_body_or_reply(req, SG_BODY_FORM)) != NULL && unmask_people(root, old) &&
             sg_registration_read_or_reply(req, app, campaign, root, SG_READ_CONSENT_GIVEN | SG_READ_BY_STAFF,
                                           &c->reg) == 0 &&
             sg_staff_allow_or_reply(&c->base, c->reg.village, SG_ACT_EDIT)) {
        /* The counters keep the original sign-up day (China time) and ages on it. */
        struct sg_date signed_on = sg_date_from_days((long)((old->created_ms / 1000 + 8 * 3600) / 86400));
        summarize(old, &c->reg, c->detail);
        ret = sg_store_registration_edit(app->store, c->code, old->reg.village, &c->reg, old->entered_by,
                                         new_flag(old, &c->reg), signed_on, on_edited, c);
        if (ret != 0)
            sg_reply_store_error(req, ret);
    }
    cJSON_Delete(root);
    if (ret != 0)
        change_free(c);
}

int sg_on_staff_edit(h2o_req_t *req, struct sg_app *app, const char *code)
{
    return begin_change(req, app, code, edit);
}

/* ---- cancel, flag-checked ------------------------------------------------------------ */

static void on_cancelled(void *data, int status, const char *why)
{
    struct change_req *c = data;
    h2o_req_t *req = c->base.super.req;
    if (status == 0)
        sg_staff_audit(&c->base, "cancel", c->code, c->village);
    if (status == 0 && c->vehicle[0] != '\0') {
        const char *codes[] = {c->code};
        struct sg_trip_change t = {.kind = SG_TRIP_CANCELLED,
                                   .campaign = c->campaign,
                                   .vehicle = c->vehicle,
                                   .codes = codes,
                                   .n = 1,
                                   .by = c->base.session.user};
        sg_trip_changed(c->base.super.app, &t);
    }
    if (req == NULL)
        goto Exit;
    if (status == 0)
        reply_ok(req, 200, c->code, "status", cJSON_CreateString("cancelled"));
    else if (status == SG_ECONFLICT)
        sg_reply_error(req, 409, why, NULL);
    else
        sg_reply_store_error(req, status);
Exit:
    change_free(c);
}

static void cancel(struct change_req *c, const struct sg_stored_registration *s)
{
    int ret = SG_ECONFLICT;
    if (strcmp(s->status, "cancelled") == 0)
        sg_reply_error(c->base.super.req, 409, "already_cancelled", NULL);
    else if ((ret = sg_store_registration_cancel(c->base.super.app->store, c->code, c->base.session.user,
                                                 sg_app_now_ms(), on_cancelled, c)) != 0)
        sg_reply_store_error(c->base.super.req, ret);
    if (ret != 0)
        change_free(c);
}

int sg_on_cancel(h2o_req_t *req, struct sg_app *app, const char *code)
{
    return begin_change(req, app, code, cancel);
}

static void on_flagged(void *data, int status)
{
    struct change_req *c = data;
    h2o_req_t *req = c->base.super.req;
    if (status == 0)
        sg_staff_audit(&c->base, "flag_checked", c->code, c->village);
    if (req != NULL && status == 0)
        reply_ok(req, 200, c->code, "flag_checked", cJSON_CreateTrue());
    else if (req != NULL)
        sg_reply_store_error(req, status == SG_ENOENT ? SG_EIO : status);
    change_free(c);
}

static void flag_checked(struct change_req *c, const struct sg_stored_registration *s)
{
    (void)s;
    int ret = sg_store_registration_flag_checked(c->base.super.app->store, c->code, on_flagged, c);
    if (ret != 0) {
        sg_reply_store_error(c->base.super.req, ret);
        change_free(c);
    }
}

int sg_on_flag_checked(h2o_req_t *req, struct sg_app *app, const char *code)
{
    return begin_change(req, app, code, flag_checked);
}
