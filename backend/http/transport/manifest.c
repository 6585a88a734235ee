/* SPDX-License-Identifier: MIT */
/* GET /api/vehicles/{id}/manifest (JSON), .csv, .xlsx, .pdf: a vehicle's passengers by
 * pickup stop, ID and phone numbers masked; ?full=1 (organisers and admins) gives them in
 * full, logged, when every passenger's village is in their scope.
 * The .xlsx and PDF are drawn on the offload worker from the request's own copy of the
 * rows; a client gone meanwhile only cuts the link (pending.c), the drawing is thrown away. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "domain/err.h"
#include "print/manifest.h"
#include "service/manifest.h"
#include "service/offload.h"
#include "http/core/reply.h"
#include "http/core/request.h"
#include "http/staff/staff.h"
#include "http/transport/transport.h"
#include "store/transport.h"

struct manifest_req {
    struct sg_staff_req base;
    char id[SG_VEHICLE_ID_MAX + 1];
    enum sg_manifest_format format;
    bool full;
    /* while drawing off the loop: */
    struct sg_vehicle v; /* the doc's vehicle */
    struct sg_manifest_doc doc;
    unsigned char *bytes;
    size_t len;
};

static cJSON *json_manifest(const struct sg_app *app, const struct sg_manifest_doc *d)
{
    cJSON *o = cJSON_CreateObject(), *list = cJSON_CreateArray();
    cJSON_AddItemToObject(o, "vehicle", sg_json_vehicle(app, d->v));
    for (size_t i = 0; i != d->n; ++i) {
        const struct sg_manifest_row *r = &d->rows[i];
        cJSON *x = cJSON_CreateObject();
        cJSON_AddNumberToObject(x, "no", r->no);
        cJSON_AddStringToObject(x, "code", r->code);
        cJSON_AddStringToObject(x, "name", r->name);
        cJSON_AddStringToObject(x, "sex", r->sex);
        cJSON_AddStringToObject(x, "id_number", r->id);
        cJSON_AddStringToObject(x, "phone", r->phone);
        cJSON_AddStringToObject(x, "place", r->place);
        cJSON_AddStringToObject(x, "stop", r->stop);
        cJSON_AddStringToObject(x, "dest", r->dest);
        cJSON_AddStringToObject(x, "seat", r->seat);
        cJSON_AddBoolToObject(x, "poverty", r->poverty);
        cJSON_AddBoolToObject(x, "boarded", r->boarded);
        cJSON_AddItemToArray(list, x);
    }
    cJSON_AddItemToObject(o, "passengers", list);
    cJSON_AddNumberToObject(o, "people", (double)d->n);
    cJSON_AddNumberToObject(o, "poverty", (double)d->poverty);
    cJSON_AddNumberToObject(o, "boarded", (double)d->boarded);
    /* the plan's lines as the PDF and the .xlsx print them, for the print view */
    char line[2048];
    cJSON *print = cJSON_AddObjectToObject(o, "print");
    sg_manifest_stops_line(d->v, line, sizeof(line));
    cJSON_AddStringToObject(print, "stops", line);
    sg_manifest_crew_line(d->v, line, sizeof(line));
    cJSON_AddStringToObject(print, "crew", line);
    return o;
}

static const char *const extensions[] = {"json", "csv", "xlsx", "pdf"};

static void send_file(struct manifest_req *p, unsigned char *bytes, size_t len)
{
    static const char *const types[] = {"", "text/csv; charset=utf-8",
                                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                        "application/pdf"};
    char filename[64];
    if (bytes == NULL) {
        sg_reply_5xx(p->base.super.req, 500, "internal",
                     "the manifest could not be drawn (out of memory or temp file)");
        return;
    }
    snprintf(filename, sizeof(filename), "manifest-%s.%s", p->doc.v->id, extensions[p->format]);
    sg_reply_file(p->base.super.req, bytes, len, types[p->format], filename);
}

/* On the worker: p->doc is the worker's alone until on_drawn. */
static void draw(void *data)
{
    struct manifest_req *p = data;
    p->bytes = p->format == SG_MANIFEST_XLSX ? sg_manifest_xlsx(&p->doc, &p->len) : sg_manifest_pdf(&p->doc, &p->len);
}

static void on_drawn(void *data)
{
    struct manifest_req *p = data;
    if (p->base.super.req != NULL)
        send_file(p, p->bytes, p->len); /* takes the bytes */
    else
        free(p->bytes);
    sg_manifest_drop(&p->doc);
    sg_pending_free(p);
}

/* JSON and CSV at once, .xlsx and PDF off the loop; p is done with (freed) either way. */
static void render(struct manifest_req *p)
{
    if (p->format == SG_MANIFEST_XLSX || p->format == SG_MANIFEST_PDF) {
        if (sg_offload_try(draw, on_drawn, p) == 0)
            return;
        sg_reply_busy(p->base.super.req);
        sg_manifest_drop(&p->doc);
        sg_pending_free(p);
        return;
    }
    if (p->format == SG_MANIFEST_JSON) {
        sg_reply_json(p->base.super.req, 200, json_manifest(p->base.super.app, &p->doc));
    } else {
        size_t len = 0;
        unsigned char *csv = sg_manifest_csv(&p->doc, &len);
        send_file(p, csv, len);
    }
    sg_manifest_drop(&p->doc);
    sg_pending_free(p);
}

/* Full numbers only when every passenger's village is in the user's scope too (a vehicle
 * filled before pickup areas were kept may carry someone of another division): else 403. */
static bool all_in_scope(struct manifest_req *p, const struct sg_manifest_entry *e, size_t n)
{
    for (size_t i = 0; i != n; ++i)
        if (!sg_staff_allow_or_reply(&p->base, e[i].reg.village, SG_ACT_EXPORT_FULL))
            return false;
    return true;
}

static void on_manifest(void *data, int status, const struct sg_vehicle *v, const struct sg_manifest_entry *e, size_t n)
{
    struct manifest_req *p = data;
    h2o_req_t *req = p->base.super.req;
    enum sg_action act = p->full ? SG_ACT_EXPORT_FULL : SG_ACT_TRANSPORT;
    if (req == NULL) {
        /* gone: nothing to send */
    } else if (status == SG_ENOENT) {
        sg_reply_error(req, 404, "not_found", NULL);
    } else if (status != 0) {
        sg_reply_store_error(req, status);
    } else if (sg_staff_allow_or_reply(&p->base, v->scope, SG_ACT_TRANSPORT) &&
               sg_staff_allow_or_reply(&p->base, v->scope, act) && (!p->full || all_in_scope(p, e, n))) {
        char detail[64];
        snprintf(detail, sizeof(detail), "%s, %zu registrations", extensions[p->format], n);
        sg_staff_audit(&p->base, p->full ? "manifest_full" : "manifest", v->id, detail);
        p->v = *v; /* the store's copy lives during this call only */
        sg_manifest_build(p->base.super.app, &p->v, e, n, p->full, &p->doc);
        render(p);
        return;
    }
    sg_pending_free(p);
}

static void fetch(struct sg_staff_req *base)
{
    struct manifest_req *p = (struct manifest_req *)base;
    int ret = sg_store_manifest(base->super.app->store, p->id, on_manifest, p);
    if (ret != 0) {
        sg_reply_store_error(base->super.req, ret);
        sg_pending_free(p);
    }
}

int sg__manifest(h2o_req_t *req, struct sg_app *app, const char *id, enum sg_manifest_format format)
{
    if (!sg_method_is(req, "GET"))
        return sg_reply_method_not_allowed(req, "GET");
    struct manifest_req *p = sg_pending_new(req, app, sizeof(*p));
    const char *full = sg_query_param(req, "full");
    memcpy(p->id, id, sizeof(p->id));
    p->format = format;
    p->full = full != NULL && strcmp(full, "1") == 0;
    sg_staff_begin(&p->base, fetch);
    return 0;
}
