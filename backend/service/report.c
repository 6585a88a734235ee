/* SPDX-License-Identifier: MIT */
/* Gathering the statistics table: the return figures as of the date, the scope's
 * vehicles and its funding entries are read at once (three Redis calls in flight), then
 * fed to domain/report. A vehicle is counted on the row of the division that owns it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "domain/err.h"
#include "print/report.h"
#include "service/report.h"
#include "store/report.h"
#include "store/transport.h"

struct gather {
    struct sg_app *app;
    sg_report_cb cb;
    void *data;
    int pending, status;
    struct sg_report_doc doc;
};

static void finish_one(struct gather *g, int status)
{
    if (status != 0 && g->status == 0)
        g->status = status;
    if (--g->pending != 0)
        return;
    if (g->status == 0)
        sg_report_finish(&g->doc.report);
    g->cb(g->data, g->status, g->status == 0 ? &g->doc : NULL);
    sg_report_dispose(&g->doc.report);
    free(g);
}

static void on_returns(void *data, int status, const struct sg_returns *list, size_t n)
{
    struct gather *g = data;
    for (size_t i = 0; status == 0 && i != n; ++i)
        sg_report_add_returns(&g->doc.report, list[i].village, list[i].outbound, list[i].returned,
                              list[i].not_returned);
    finish_one(g, status);
}

static void on_vehicles(void *data, int status, const struct sg_vehicle *v, size_t n)
{
    struct gather *g = data;
    for (size_t i = 0; status == 0 && i != n; ++i)
        sg_report_add_vehicle(&g->doc.report, &v[i]);
    finish_one(g, status);
}

static void on_funding(void *data, int status, const struct sg_funding *f, size_t n)
{
    struct gather *g = data;
    for (size_t i = 0; status == 0 && i != n; ++i)
        sg_report_add_funding(&g->doc.report, &f[i]);
    finish_one(g, status);
}

static void describe(struct sg_report_doc *d, const struct sg_campaign *c, struct sg_date today)
{
    const struct sg_division *scope = d->report.scope;
    d->campaign = c;
    d->made = today;
    if (scope->level == SG_LEVEL_PROVINCE)
        snprintf(d->title, sizeof(d->title), "%d年全区“点对点”送工服务情况统计表", c->starts.y);
    else
        snprintf(d->title, sizeof(d->title), "%d年%s“点对点”送工服务情况统计表", c->starts.y, scope->name);
    snprintf(d->unit, sizeof(d->unit), "%s", scope->name);
}

int sg_report_start(struct sg_app *app, const struct sg_campaign *c, const char *scope, struct sg_date until,
                    sg_report_cb cb, void *data)
{
    struct gather *g = calloc(1, sizeof(*g));
    const char *counties[512];
    size_t begin, end, n = 0;
    int ret;
    if (g == NULL)
        abort();
    *g = (struct gather){.app = app, .cb = cb, .data = data};
    if ((ret = sg_report_init(&g->doc.report, app->divisions, scope, until)) != 0) {
        sg_report_dispose(&g->doc.report);
        free(g);
        return ret;
    }
    describe(&g->doc, c, sg_app_today(app));
    sg_divisions_range(app->divisions, scope, &begin, &end);
    for (size_t i = begin; i != end && n != 512; ++i)
        if (sg_divisions_at(app->divisions, i)->level == SG_LEVEL_COUNTY)
            counties[n++] = sg_divisions_at(app->divisions, i)->code;
    /* three reads in flight, answered later on the loop; this function holds one count of
     * its own, so that nothing finishes before all three were asked */
    int sent[3];
    g->pending = 1;
    sent[0] = sg_store_returns_until(app->store, c->id, scope, counties, n, until, on_returns, g);
    sent[1] = sg_store_vehicle_list(app->store, c->id, scope, on_vehicles, g);
    sent[2] = sg_store_funding_list(app->store, c->id, scope, on_funding, g);
    for (int i = 0; i != 3; ++i) {
        if (sent[i] == 0)
            ++g->pending;
        else if (g->status == 0)
            g->status = sent[i];
    }
    finish_one(g, 0);
    return 0;
}

static cJSON *json_row(const struct sg_report_row *row, const struct sg_report *r)
{
    const struct sg_report_figures *f = &row->f;
    char cell[SG_REPORT_CELL_MAX];
    cJSON *o = cJSON_CreateObject(), *cells, *fig, *checks;
    cJSON_AddStringToObject(o, "code", row->division->code);
    sg_report_cell(row, r, 0, cell);
    cJSON_AddStringToObject(o, "name", cell);
    cJSON_AddBoolToObject(o, "own", row->own);
    cJSON_AddBoolToObject(o, "total", row == &r->total);
    cells = cJSON_AddArrayToObject(o, "cells");
    for (int c = 0; c != SG_REPORT_COLUMNS; ++c) {
        sg_report_cell(row, r, c, cell);
        cJSON_AddItemToArray(cells, cJSON_CreateString(cell));
    }
    fig = cJSON_AddObjectToObject(o, "figures");
    const char *names[] = {"outbound", "returned",     "not_returned", "people",     "poverty", "guangdong",
                           "trains",   "train_people", "buses",        "bus_people", "flights", "flight_people"};
    const long values[] = {f->outbound, f->returned,     f->not_returned, f->people,     f->poverty, f->guangdong,
                           f->trains,   f->train_people, f->buses,        f->bus_people, f->flights, f->flight_people};
    for (size_t i = 0; i != sizeof(values) / sizeof(values[0]); ++i)
        cJSON_AddNumberToObject(fig, names[i], (double)values[i]);
    cJSON_AddNumberToObject(fig, "trips", (double)sg_report_trips(f));
    cJSON_AddNumberToObject(fig, "funding_yuan", (double)f->yuan);
    cJSON_AddNumberToObject(fig, "funding_entries", (double)f->funding_entries);
    cJSON_AddStringToObject(fig, "sources", f->sources);
    checks = cJSON_AddArrayToObject(o, "checks");
    for (unsigned bit = 1; bit <= SG_CHECK_NO_FUNDING; bit <<= 1) {
        if ((row->checks & bit) == 0)
            continue;
        cJSON *c = cJSON_CreateObject();
        cJSON_AddStringToObject(c, "code", sg_report_check_code((enum sg_report_check)bit));
        cJSON_AddStringToObject(c, "message", sg_report_check_message((enum sg_report_check)bit));
        cJSON_AddItemToArray(checks, c);
    }
    return o;
}

cJSON *sg_report_json(const struct sg_report_doc *d)
{
    const struct sg_report *r = &d->report;
    char date[11];
    cJSON *root = cJSON_CreateObject(), *o, *cols, *rows;
    o = cJSON_AddObjectToObject(root, "campaign");
    cJSON_AddStringToObject(o, "id", d->campaign->id);
    cJSON_AddStringToObject(o, "name", d->campaign->name);
    o = cJSON_AddObjectToObject(root, "scope");
    cJSON_AddStringToObject(o, "code", r->scope->code);
    cJSON_AddStringToObject(o, "name", r->scope->name);
    cJSON_AddStringToObject(o, "level", sg_level_name(r->scope->level));
    sg_date_format(r->until, date);
    cJSON_AddStringToObject(root, "until", date);
    sg_date_format(d->made, date);
    cJSON_AddStringToObject(root, "made", date);
    cJSON_AddStringToObject(root, "title", d->title);
    cJSON_AddStringToObject(root, "unit", d->unit);
    cols = cJSON_AddArrayToObject(root, "columns");
    for (int c = 0; c != SG_REPORT_COLUMNS; ++c) {
        o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "no", sg_report_column_no[c]);
        cJSON_AddStringToObject(o, "name", sg_report_column_name[c]);
        cJSON_AddStringToObject(o, "unit", sg_report_column_unit[c]);
        cJSON_AddItemToArray(cols, o);
    }
    rows = cJSON_AddArrayToObject(root, "rows");
    for (size_t i = 0; i != r->nrows; ++i)
        if (sg_report_row_shown(&r->rows[i]))
            cJSON_AddItemToArray(rows, json_row(&r->rows[i], r));
    cJSON_AddItemToObject(root, "total", json_row(&r->total, r));
    return root;
}
