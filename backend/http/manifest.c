/* SPDX-License-Identifier: MIT */
/* GET /api/vehicles/{id}/manifest (JSON), .csv, .xlsx, .pdf: a vehicle's passengers, ID
 * and phone numbers masked; ?full=1 (organisers and admins) gives them in full, logged.
 * The .xlsx and PDF are drawn on the offload worker from the request's own copy of the
 * rows; a client gone meanwhile only cuts the link (pending.c), the drawing is thrown away.
 * POST /api/vehicles/{id}/passengers {"code"} moves a registration into the vehicle by
 * hand; DELETE /api/vehicles/{id}/passengers/{code} takes it out (back to the open ones). */
#include <stdlib.h>
#include <string.h>
#include "domain/code.h"
#include "domain/err.h"
#include "domain/mask.h"
#include "http/manifest.h"
#include "http/offload.h"
#include "http/reply.h"
#include "http/staff.h"
#include "http/transport.h"
#include "store/transport.h"

enum format { FMT_JSON, FMT_CSV, FMT_XLSX, FMT_PDF };

struct manifest_req {
    struct sg_staff_req base;
    char id[SG_VEHICLE_ID_MAX + 1];
    char code[SG_CODE_LEN + 1];
    enum format format;
    bool full;
    /* while drawing off the loop: */
    struct sg_vehicle v; /* the doc's vehicle */
    struct sg_manifest_doc doc;
    unsigned char *bytes;
    size_t len;
};

static const char *name_of(const struct sg_divisions *ds, const char *code, size_t len)
{
    const struct sg_division *d = sg_divisions_find(ds, code, len);
    return d != NULL ? d->name : "";
}

static void fill_row(const struct sg_app *app, const struct sg_vehicle *v, const struct sg_manifest_entry *e,
                     size_t person, bool full, struct sg_manifest_row *r)
{
    const struct sg_person *p = &e->reg.people[person];
    const struct sg_registration *g = &e->reg;
    uint32_t carriage, seat;
    snprintf(r->name, sizeof(r->name), "%s", p->name);
    r->sex = p->id.sex == 1 ? "男" : "女";
    if (full)
        snprintf(r->id, sizeof(r->id), "%s", p->id.number);
    else
        sg_mask_idno(p->id.number, r->id);
    r->phone[0] = '\0';
    if (strlen(p->phone) == 11 && full)
        snprintf(r->phone, sizeof(r->phone), "%s", p->phone);
    else if (strlen(p->phone) == 11)
        sg_mask_phone(p->phone, r->phone);
    snprintf(r->place, sizeof(r->place), "%s %s", name_of(app->divisions, g->village, 9),
             name_of(app->divisions, g->village, strlen(g->village)));
    r->stop = v->nstops != 0 ? v->stops[sg_vehicle_stop_for(v, g->village)].name : "";
    snprintf(r->dest, sizeof(r->dest), "%s%s%s", name_of(app->destinations, g->dest_city, 4),
             g->employer[0] != '\0' ? " / " : "", g->employer);
    sg_vehicle_train_seat(v->carriage_size, e->seat + (uint32_t)person, &carriage, &seat);
    if (v->type == SG_VEHICLE_TRAIN)
        snprintf(r->seat, sizeof(r->seat), "%u车%u座", carriage, seat);
    else
        snprintf(r->seat, sizeof(r->seat), "%u", seat);
    r->poverty = p->poverty != SG_POVERTY_NONE;
    r->boarded = e->boarded;
    snprintf(r->code, sizeof(r->code), "%s", e->code);
}

/* Rows for every person, in seat order; rows malloc'ed (free them). */
static void build_doc(const struct sg_app *app, const struct sg_vehicle *v, const struct sg_manifest_entry *e, size_t n,
                      bool full, struct sg_manifest_doc *d)
{
    size_t people = 0;
    for (size_t i = 0; i != n; ++i)
        people += e[i].reg.npeople;
    *d = (struct sg_manifest_doc){.v = v,
                                  .city_name = name_of(app->destinations, v->dest_city, 4),
                                  .owner_name = name_of(app->divisions, v->scope, strlen(v->scope))};
    if ((d->rows = calloc(people + 1, sizeof(*d->rows))) == NULL)
        abort();
    for (size_t i = 0; i != n; ++i) {
        for (size_t k = 0; k != e[i].reg.npeople; ++k) {
            struct sg_manifest_row *r = &d->rows[d->n++];
            fill_row(app, v, &e[i], k, full, r);
            r->no = (unsigned)d->n;
            d->poverty += r->poverty;
            d->boarded += r->boarded;
        }
    }
}

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
    return o;
}

struct text {
    char *buf;
    size_t len, cap;
};

static void append(struct text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        t->cap = (t->len + n + 1) * 2;
        if ((t->buf = realloc(t->buf, t->cap)) == NULL)
            abort();
    }
    memcpy(t->buf + t->len, s, n);
    t->len += n;
}

/* A CSV field: quoted when it holds a comma, quote or newline; a leading = + - @ gets a
 * ' so that a spreadsheet does not run it as a formula. */
static void csv_field(struct text *t, const char *s, bool last)
{
    bool formula = s[0] != '\0' && strchr("=+-@", s[0]) != NULL;
    bool quote = formula || strpbrk(s, ",\"\n\r") != NULL;
    if (quote)
        append(t, formula ? "\"'" : "\"", formula ? 2 : 1);
    for (; *s != '\0'; ++s)
        append(t, *s == '"' ? "\"\"" : s, *s == '"' ? 2 : 1);
    if (quote)
        append(t, "\"", 1);
    append(t, last ? "\r\n" : ",", last ? 2 : 1);
}

const char *const sg_manifest_heads[SG_MANIFEST_COLS] = {
    "序号", "姓名", "性别", "身份证号", "手机", "乡镇/村", "上车点", "目的地/用工企业", "座位", "脱贫人口", "签到"};

void sg_manifest_cells(const struct sg_manifest_row *r, char no[16], const char *out[SG_MANIFEST_COLS])
{
    snprintf(no, 16, "%u", r->no);
    const char *cells[SG_MANIFEST_COLS] = {no,
                                           r->name,
                                           r->sex,
                                           r->id,
                                           r->phone,
                                           r->place,
                                           r->stop,
                                           r->dest,
                                           r->seat,
                                           r->poverty ? "是" : "否",
                                           r->boarded ? "已签到" : ""};
    memcpy(out, cells, sizeof(cells));
}

static unsigned char *csv_manifest(const struct sg_manifest_doc *d, size_t *len)
{
    struct text t = {0};
    char no[16];
    append(&t, "\xef\xbb\xbf", 3); /* BOM: Excel then reads UTF-8 */
    for (size_t i = 0; i != SG_MANIFEST_COLS; ++i)
        csv_field(&t, sg_manifest_heads[i], i == SG_MANIFEST_COLS - 1);
    for (size_t i = 0; i != d->n; ++i) {
        const char *f[SG_MANIFEST_COLS];
        sg_manifest_cells(&d->rows[i], no, f);
        for (size_t k = 0; k != SG_MANIFEST_COLS; ++k)
            csv_field(&t, f[k], k == SG_MANIFEST_COLS - 1);
    }
    *len = t.len;
    return (unsigned char *)t.buf;
}

static void send_bytes(h2o_req_t *req, unsigned char *bytes, size_t len, const char *type, const char *filename)
{
    char disp[96];
    snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", filename);
    h2o_iovec_t body = h2o_strdup(&req->pool, (const char *)bytes, len);
    free(bytes);
    req->res.status = 200;
    req->res.reason = "OK";
    req->res.content_length = body.len;
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, type, strlen(type));
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL, H2O_STRLIT("no-store"));
    h2o_iovec_t dv = h2o_strdup(&req->pool, disp, strlen(disp));
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_DISPOSITION, NULL, dv.base, dv.len);
    h2o_send_inline(req, body.base, body.len);
}

static const char *const extensions[] = {"json", "csv", "xlsx", "pdf"};

static void send_file(struct manifest_req *p, unsigned char *bytes, size_t len)
{
    static const char *const types[] = {"", "text/csv; charset=utf-8",
                                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                        "application/pdf"};
    char filename[64];
    if (bytes == NULL) {
        sg_reply_error(p->base.super.req, 500, "internal", NULL);
        return;
    }
    snprintf(filename, sizeof(filename), "manifest-%s.%s", p->doc.v->id, extensions[p->format]);
    send_bytes(p->base.super.req, bytes, len, types[p->format], filename);
}

/* The rows may hold full ID and phone numbers: wiped before they are freed. */
static void drop_doc(struct manifest_req *p)
{
    memset(p->doc.rows, 0, p->doc.n * sizeof(*p->doc.rows));
    free(p->doc.rows);
    p->doc.rows = NULL;
}

/* On the worker: p->doc is the worker's alone until on_drawn. */
static void draw(void *data)
{
    struct manifest_req *p = data;
    p->bytes = p->format == FMT_XLSX ? sg_manifest_xlsx(&p->doc, &p->len) : sg_manifest_pdf(&p->doc, &p->len);
}

static void on_drawn(void *data)
{
    struct manifest_req *p = data;
    if (p->base.super.req != NULL)
        send_file(p, p->bytes, p->len); /* takes the bytes */
    else
        free(p->bytes);
    drop_doc(p);
    sg_pending_free(p);
}

/* JSON and CSV at once, .xlsx and PDF off the loop; p is done with (freed) either way. */
static void render(struct manifest_req *p)
{
    if (p->format == FMT_XLSX || p->format == FMT_PDF) {
        sg_offload_run(draw, on_drawn, p);
        return;
    }
    if (p->format == FMT_JSON) {
        sg_reply_json(p->base.super.req, 200, json_manifest(p->base.super.app, &p->doc));
    } else {
        size_t len = 0;
        unsigned char *csv = csv_manifest(&p->doc, &len);
        send_file(p, csv, len);
    }
    drop_doc(p);
    sg_pending_free(p);
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
               sg_staff_allow_or_reply(&p->base, v->scope, act)) {
        char detail[64];
        snprintf(detail, sizeof(detail), "%s, %zu registrations", extensions[p->format], n);
        sg_staff_audit(&p->base, p->full ? "manifest_full" : "manifest", v->id, detail);
        p->v = *v; /* the store's copy lives during this call only */
        build_doc(p->base.super.app, &p->v, e, n, p->full, &p->doc);
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

/* ---- passengers moved by hand ------------------------------------------------------- */

static void on_moved(void *data, int status, const char *why, uint32_t seat)
{
    struct manifest_req *p = data;
    h2o_req_t *req = p->base.super.req;
    if (status == 0)
        sg_staff_audit(&p->base, "passenger_move", p->code, p->id);
    if (req == NULL) {
        /* gone: the move stands, the audit entry says so */
    } else if (status == 0) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "code", p->code);
        cJSON_AddStringToObject(o, "vehicle", p->id);
        cJSON_AddNumberToObject(o, "seat", seat);
        sg_reply_json(req, 200, o);
    } else if (status == SG_EINVAL)
        sg_reply_error(req, 409, why, "code");
    else if (status == SG_EEXIST)
        sg_reply_error(req, 409, "match_busy", NULL);
    else
        sg_reply_store_error(req, status);
    sg_pending_free(p);
}

static void on_released(void *data, int status)
{
    struct manifest_req *p = data;
    h2o_req_t *req = p->base.super.req;
    if (status == 0)
        sg_staff_audit(&p->base, "passenger_remove", p->code, p->id);
    if (req != NULL && status == 0) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "code", p->code);
        cJSON_AddNullToObject(o, "vehicle");
        sg_reply_json(req, 200, o);
    } else if (req != NULL && status == SG_ENOENT) {
        sg_reply_error(req, 404, "not_found", NULL);
    } else if (req != NULL) {
        sg_reply_store_error(req, status);
    }
    sg_pending_free(p);
}

/* The vehicle is read first: its scope decides, and a move needs its campaign. */
static void on_target(void *data, int status, const struct sg_vehicle *v)
{
    struct manifest_req *p = data;
    h2o_req_t *req = p->base.super.req;
    int ret = -1;
    if (req != NULL && status != 0) {
        sg_reply_store_error(req, status);
    } else if (req != NULL && sg_staff_allow_or_reply(&p->base, v->scope, SG_ACT_TRANSPORT)) {
        if (sg_method_is(req, "POST"))
            ret = sg_store_assignment_move(p->base.super.app->store, v->campaign, p->code, v->id, on_moved, p);
        else
            ret = sg_store_assignment_release(p->base.super.app->store, v->campaign, p->code, true, on_released, p);
        if (ret != 0)
            sg_reply_store_error(req, ret);
    }
    if (ret != 0)
        sg_pending_free(p);
}

static void passengers(struct sg_staff_req *base)
{
    struct manifest_req *p = (struct manifest_req *)base;
    h2o_req_t *req = base->super.req;
    if (sg_method_is(req, "POST")) {
        cJSON *o = cJSON_ParseWithLength(req->entity.base != NULL ? req->entity.base : "", req->entity.len);
        const cJSON *code = cJSON_GetObjectItemCaseSensitive(o, "code");
        int ok = cJSON_IsString(code) && sg_code_normalize(code->valuestring, p->code) == 0;
        cJSON_Delete(o);
        if (!ok) {
            sg_reply_error(req, 400, "bad_json", "code");
            sg_pending_free(p);
            return;
        }
    }
    int ret = sg_store_vehicle_get(base->super.app->store, p->id, on_target, p);
    if (ret != 0) {
        sg_reply_store_error(req, ret);
        sg_pending_free(p);
    }
}

static int sub_is(h2o_iovec_t sub, const char *s)
{
    return h2o_memis(sub.base, sub.len, s, strlen(s));
}

int sg_on_vehicle_sub(h2o_req_t *req, struct sg_app *app, const char *id, h2o_iovec_t sub)
{
    static const char *const paths[] = {"/manifest", "/manifest.csv", "/manifest.xlsx", "/manifest.pdf"};
    static const char prefix[] = "/passengers/";
    for (int f = FMT_JSON; f <= FMT_PDF; ++f) {
        if (!sub_is(sub, paths[f]))
            continue;
        if (!sg_method_is(req, "GET"))
            return sg_reply_method_not_allowed(req, "GET");
        struct manifest_req *p = sg_pending_new(req, app, sizeof(*p));
        const char *full = sg_query_param(req, "full");
        memcpy(p->id, id, sizeof(p->id));
        p->format = (enum format)f;
        p->full = full != NULL && strcmp(full, "1") == 0;
        sg_staff_begin(&p->base, fetch);
        return 0;
    }
    int post = sub_is(sub, "/passengers");
    int del = sub.len == sizeof(prefix) - 1 + SG_CODE_LEN && memcmp(sub.base, prefix, sizeof(prefix) - 1) == 0;
    if (sub_is(sub, "/boarding"))
        return sg_on_boarding(req, app, id);
    if (!post && !del) {
        sg_reply_error(req, 404, "not_found", NULL);
        return 0;
    }
    if (!sg_method_is(req, post ? "POST" : "DELETE"))
        return sg_reply_method_not_allowed(req, post ? "POST" : "DELETE");
    struct manifest_req *p = sg_pending_new(req, app, sizeof(*p));
    memcpy(p->id, id, sizeof(p->id));
    if (del) {
        char typed[SG_CODE_LEN + 1];
        memcpy(typed, sub.base + sizeof(prefix) - 1, SG_CODE_LEN);
        typed[SG_CODE_LEN] = '\0';
        if (sg_code_normalize(typed, p->code) != 0) {
            sg_pending_free(p);
            sg_reply_error(req, 404, "not_found", NULL);
            return 0;
        }
    }
    sg_staff_begin(&p->base, passengers);
    return 0;
}
