/* SPDX-License-Identifier: MIT */
/* GET /api/registrations.csv and /api/registrations.xlsx: the registrations of a scope
 * (same filters as the list), one row per person, masked unless full=1 (organisers and
 * admins; audited either way). Streamed: 500 registrations per Redis round trip, the next
 * page read only when h2o has sent the last one (its proceed callback), so memory stays
 * bounded whatever the size. The export is its own heap object: the request may go away
 * at any time (stop callback, pool link), and whoever comes back last frees it. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "domain/csv.h"
#include "domain/err.h"
#include "print/sheet.h"
#include "service/app.h"
#include "service/export.h"
#include "service/offload.h"
#include "http/core/reply.h"
#include "http/core/request.h"
#include "http/core/routes.h"
#include "http/registrations/registrations.h"
#include "http/staff/staff.h"

#define PAGE 500
#define CHUNK (64 * 1024)

/* An export in progress: its own heap object (the request may go first). */
struct sg_export {
    struct sg_staff_req base;
    h2o_generator_t gen;
    struct sg_listing l;
    bool full, xlsx;
    bool busy;    /* a Redis call or the zip job is out: it will come back to this object */
    bool started; /* h2o_start_response done: the generator is live */
    size_t rows;  /* people written */
    char after[40];
    char *buf; /* CSV text, or a chunk of the .xlsx file, waiting for h2o to send it */
    size_t len, cap;
    struct sg_sheet sheet;
};

/* ---- CSV ----------------------------------------------------------------------------- */

static void put(struct sg_export *e, const char *s, size_t n)
{
    if (e->len + n > e->cap) {
        e->cap = (e->len + n) * 2;
        if ((e->buf = realloc(e->buf, e->cap)) == NULL)
            abort();
    }
    memcpy(e->buf + e->len, s, n);
    e->len += n;
}

static void put_row(struct sg_export *e, const char *const *cells)
{
    for (size_t c = 0; c != SG_EXPORT_COLUMNS; ++c) {
        char cell[SG_CSV_CELL_MAX(320)];
        size_t n = strlen(cells[c]) <= 320 ? sg_csv_cell(cells[c], cell, sizeof(cell)) : 0;
        if (c != 0)
            put(e, ",", 1);
        put(e, cell, n);
    }
    put(e, "\r\n", 2);
}

/* The matching people of a page, as CSV lines or spreadsheet rows. */
static void put_rows(struct sg_export *e, const struct sg_scan_page *page)
{
    char storage[SG_EXPORT_COLUMNS][SG_EXPORT_CELL_MAX];
    const char *cells[SG_EXPORT_COLUMNS];
    for (size_t r = 0; r != page->n; ++r) {
        const struct sg_stored_registration *s = &page->rows[r];
        if (!sg_filter_match(&e->l.filter, s->code, s->status, &s->reg, s->id_masked, s->phone_masked))
            continue;
        for (size_t i = 0; i != s->reg.npeople; ++i) {
            sg_export_cells(e->base.super.app, s, i, e->full, storage, cells);
            if (e->xlsx)
                sg_sheet_row(&e->sheet, cells);
            else
                put_row(e, cells);
            ++e->rows;
        }
    }
}

/* ---- the export's life ------------------------------------------------------------------ */

static void audit(struct sg_export *e, const char *outcome)
{
    char detail[256];
    const struct sg_filter *f = &e->l.filter;
    char date[11] = "";
    if (f->has_date)
        sg_date_format(f->depart_date, date);
    snprintf(detail, sizeof(detail), "%s campaign=%s q=%s%s status=%s dest_city=%s date=%s rows=%zu%s",
             e->xlsx ? "xlsx" : "csv", e->l.campaign->id, f->name, f->last4, f->status, f->dest_city, date, e->rows,
             outcome);
    sg_staff_audit(&e->base, e->full ? "export_full" : "export", e->l.scope, detail);
}

static void export_free(struct sg_export *e)
{
    sg_sheet_discard(&e->sheet);
    free(e->buf);
    sg_pending_free(e);
}

static int read_page(struct sg_export *e);

/* Send what is buffered: the last piece goes out of req->pool, as h2o wants for a final send. */
static void send_buffered(struct sg_export *e, bool final)
{
    h2o_req_t *req = e->base.super.req;
    h2o_iovec_t buf =
        final ? h2o_strdup(&req->pool, e->buf != NULL ? e->buf : "", e->len) : h2o_iovec_init(e->buf, e->len);
    if (final) {
        audit(e, "");
        h2o_send(req, &buf, 1, H2O_SEND_STATE_FINAL);
        export_free(e);
    } else {
        h2o_send(req, &buf, 1, H2O_SEND_STATE_IN_PROGRESS);
    }
}

/* Redis failed mid-way: a started response ends without its last chunk, so the client sees it broken. */
static void fail(struct sg_export *e, int status)
{
    audit(e, " aborted");
    if (e->started)
        h2o_send(e->base.super.req, NULL, 0, H2O_SEND_STATE_ERROR);
    else
        sg_reply_store_error(e->base.super.req, status);
    export_free(e);
}

static void on_zipped(void *arg);

static void zip(void *arg)
{
    struct sg_export *e = arg;
    sg_sheet_zip(&e->sheet);
}

/* The next chunk of the .xlsx file into e->buf: true when it is the last. */
static bool read_chunk(struct sg_export *e)
{
    if (e->cap < CHUNK) {
        free(e->buf);
        if ((e->buf = malloc(CHUNK)) == NULL)
            abort();
        e->cap = CHUNK;
    }
    return sg_sheet_read(&e->sheet, e->buf, CHUNK, &e->len);
}

static void on_page(void *data, int status, const struct sg_scan_page *page)
{
    struct sg_export *e = data;
    e->busy = false;
    if (e->base.super.req == NULL) {
        audit(e, " client gone");
        export_free(e);
        return;
    }
    if (status != 0) {
        fail(e, status);
        return;
    }
    snprintf(e->after, sizeof(e->after), "%s", page->next);
    bool last = page->next[0] == '\0';
    put_rows(e, page); /* CSV: after the title row on the first page */
    if (e->xlsx) {
        if (!last && (status = read_page(e)) != 0) {
            fail(e, status);
        } else if (last) {
            e->busy = true;
            sg_offload_run(zip, on_zipped, e);
        }
        return;
    }
    if (last || e->len != 0)
        send_buffered(e, last);
    else if ((status = read_page(e)) != 0) /* nothing matched on this page: read on */
        fail(e, status);
}

static int read_page(struct sg_export *e)
{
    int ret = sg_store_registration_scan(e->base.super.app->store, e->l.campaign->id, e->l.scope, e->l.cancelled,
                                         e->after, 0, PAGE, e->full, false, &e->l.filter, on_page, e);
    e->busy = ret == 0;
    return ret;
}

static void on_proceed(h2o_generator_t *gen, h2o_req_t *req)
{
    struct sg_export *e = H2O_STRUCT_FROM_MEMBER(struct sg_export, gen, gen);
    int ret;
    (void)req;
    if (e->xlsx) {
        bool last = read_chunk(e);
        send_buffered(e, last);
    } else {
        e->len = 0; /* h2o is done with the buffer */
        if ((ret = read_page(e)) != 0)
            fail(e, ret);
    }
}

/* The client went away while the response was streaming: free now, or when Redis answers. */
static void on_stop(h2o_generator_t *gen, h2o_req_t *req)
{
    struct sg_export *e = H2O_STRUCT_FROM_MEMBER(struct sg_export, gen, gen);
    (void)req;
    e->base.super.req = NULL;
    if (!e->busy) {
        audit(e, " client gone");
        export_free(e);
    }
}

static void start(struct sg_export *e, const char *type, const char *ext)
{
    h2o_req_t *req = e->base.super.req;
    char disposition[96];
    snprintf(disposition, sizeof(disposition), "attachment; filename=\"registrations-%s%s.%s\"", e->l.scope,
             e->full ? "-full" : "", ext);
    req->res.status = 200;
    req->res.reason = "OK";
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, type, strlen(type));
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL, H2O_STRLIT("no-store"));
    h2o_iovec_t d = h2o_strdup(&req->pool, disposition, strlen(disposition));
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_DISPOSITION, NULL, d.base, d.len);
    e->gen = (h2o_generator_t){on_proceed, on_stop};
    e->started = true;
    h2o_start_response(req, &e->gen);
}

static void on_zipped(void *arg)
{
    struct sg_export *e = arg;
    e->busy = false;
    if (e->base.super.req == NULL) {
        audit(e, " client gone");
        export_free(e);
        return;
    }
    if (sg_sheet_ready(&e->sheet) != 0) {
        sg_reply_5xx(e->base.super.req, 500, "internal", "the .xlsx export could not be zipped or read back");
        audit(e, " failed");
        export_free(e);
        return;
    }
    e->base.super.req->res.content_length = (size_t)e->sheet.size;
    start(e, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx");
    send_buffered(e, read_chunk(e));
}

static void begin(struct sg_staff_req *p)
{
    struct sg_export *e = (struct sg_export *)p;
    const char *full = sg_query_param(p->super.req, "full");
    e->full = full != NULL && strcmp(full, "1") == 0;
    if (!sg_listing_init_or_reply(p, &e->l, SG_ACT_EXPORT) ||
        (e->full && !sg_staff_allow_or_reply(p, e->l.scope, SG_ACT_EXPORT_FULL))) {
        export_free(e);
        return;
    }
    if (e->xlsx && sg_sheet_open(&e->sheet, "报名", sg_export_titles, SG_EXPORT_COLUMNS, SG_EXPORT_NUMERIC,
                                 sg_export_widths) != 0) {
        sg_reply_5xx(p->super.req, 500, "internal", "the .xlsx export's temp file cannot be made");
        export_free(e);
        return;
    }
    if (!e->xlsx) {
        start(e, "text/csv; charset=utf-8", "csv");
        put(e, SG_CSV_BOM, sizeof(SG_CSV_BOM) - 1);
        put_row(e, sg_export_titles);
    }
    int ret = read_page(e);
    if (ret != 0)
        fail(e, ret);
}

int sg_on_exports(h2o_handler_t *self, h2o_req_t *req)
{
    h2o_iovec_t path = req->path_normalized;
    bool xlsx = h2o_memis(path.base, path.len, H2O_STRLIT("/api/registrations.xlsx"));
    if (!xlsx && !h2o_memis(path.base, path.len, H2O_STRLIT("/api/registrations.csv")))
        return -1;
    if (!sg_method_is(req, "GET"))
        return sg_reply_method_not_allowed(req, "GET");
    struct sg_export *e = sg_pending_new(req, sg_handler_app(self), sizeof(*e));
    e->xlsx = xlsx;
    e->sheet.fd = -1;
    sg_staff_begin(&e->base, begin);
    return 0;
}
