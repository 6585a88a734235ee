/* SPDX-License-Identifier: MIT */
/* GET /api/audit?count=N&before=ID: the audit log, newest first, for admins. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "service/app.h"
#include "http/core/reply.h"
#include "http/core/request.h"
#include "http/core/routes.h"
#include "http/staff/staff.h"

static void on_entries(void *data, int status, const struct sg_audit *e, size_t n)
{
    struct sg_staff_req *p = data;
    if (p->super.req == NULL)
        goto Exit;
    if (status != 0) {
        sg_reply_store_error(p->super.req, status);
        goto Exit;
    }
    cJSON *root = cJSON_CreateObject(), *list = cJSON_AddArrayToObject(root, "entries");
    for (size_t i = 0; i != n; ++i) {
        char at[32];
        time_t secs = (time_t)(e[i].at_ms / 1000);
        struct tm tm;
        gmtime_r(&secs, &tm);
        strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm);
        cJSON *item = cJSON_CreateObject();
        cJSON_AddStringToObject(item, "id", e[i].id);
        cJSON_AddStringToObject(item, "at", at);
        cJSON_AddStringToObject(item, "user", e[i].user);
        cJSON_AddStringToObject(item, "action", e[i].action);
        cJSON_AddStringToObject(item, "target", e[i].target);
        cJSON_AddStringToObject(item, "address", e[i].address);
        cJSON_AddStringToObject(item, "detail", e[i].detail);
        cJSON_AddItemToArray(list, item);
    }
    sg_reply_json(p->super.req, 200, root);
Exit:
    sg_pending_free(p);
}

/* A stream entry id as the log gives them out: "ms-seq", two numbers (up to 19 digits
 * each: they fit a 64-bit number, as Redis wants). */
static int valid_id(const char *id)
{
    size_t ms = strspn(id, "0123456789");
    if (ms == 0 || ms > 19 || id[ms] != '-')
        return 0;
    size_t seq = strspn(id + ms + 1, "0123456789");
    return seq != 0 && seq <= 19 && id[ms + 1 + seq] == '\0';
}

static void read_log(struct sg_staff_req *p)
{
    h2o_req_t *req = p->super.req;
    if (!sg_staff_allow_or_reply(p, p->session.scope, SG_ACT_AUDIT)) {
        sg_pending_free(p);
        return;
    }
    const char *before = sg_query_param(req, "before");
    long n;
    if (!sg_query_number_or_reply(req, "count", 100, 1, 1000, &n)) {
        sg_pending_free(p);
        return;
    }
    if (before != NULL && !valid_id(before)) {
        sg_reply_error(req, 400, "bad_request", "before");
        sg_pending_free(p);
        return;
    }
    if (before != NULL && strspn(before, "0-") == strlen(before)) {
        on_entries(p, 0, NULL, 0); /* nothing comes before the first id (Redis refuses to be asked) */
        return;
    }
    int ret = sg_store_audit_read(p->super.app->store, (size_t)n, before, on_entries, p);
    if (ret != 0) {
        sg_reply_store_error(req, ret);
        sg_pending_free(p);
    }
}

int sg_on_audit(h2o_handler_t *self, h2o_req_t *req)
{
    if (!sg_method_is(req, "GET"))
        return sg_reply_method_not_allowed(req, "GET");
    sg_staff_begin(sg_pending_new(req, sg_handler_app(self), sizeof(struct sg_staff_req)), read_log);
    return 0;
}
