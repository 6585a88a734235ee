/* SPDX-License-Identifier: MIT */
/* A vehicle's passenger list as printable rows: grouped by pickup stop in the stops'
 * order (the escort counts people stop by stop), seat order inside a stop; names of
 * places from the app's tables, seats as the vehicle numbers them, numbers masked unless
 * a full export was asked for. */
#include <stdlib.h>
#include <string.h>
#include "domain/mask.h"
#include "domain/sort.h"
#include "service/manifest.h"

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

void sg_manifest_build(const struct sg_app *app, const struct sg_vehicle *v, const struct sg_manifest_entry *e,
                       size_t n, bool full, struct sg_manifest_doc *d)
{
    size_t people = 0;
    for (size_t i = 0; i != n; ++i)
        people += e[i].reg.npeople;
    *d = (struct sg_manifest_doc){.v = v,
                                  .city_name = name_of(app->destinations, v->dest_city, 4),
                                  .owner_name = name_of(app->divisions, v->scope, strlen(v->scope))};
    struct sg_sort_pair *order = malloc((n + 1) * sizeof(*order));
    if ((d->rows = calloc(people + 1, sizeof(*d->rows))) == NULL || order == NULL)
        abort();
    for (size_t i = 0; i != n; ++i) /* by (the stop the group boards at, its first seat) */
        order[i] = (struct sg_sort_pair){
            (uint64_t)(v->nstops != 0 ? sg_vehicle_stop_for(v, e[i].reg.village) : 0) << 32 | e[i].seat, (uint32_t)i};
    sg_sort_pairs(order, n);
    for (size_t j = 0; j != n; ++j) {
        size_t i = order[j].value;
        for (size_t k = 0; k != e[i].reg.npeople; ++k) {
            struct sg_manifest_row *r = &d->rows[d->n++];
            fill_row(app, v, &e[i], k, full, r);
            r->no = (unsigned)d->n;
            d->poverty += r->poverty;
            d->boarded += r->boarded;
        }
    }
    free(order);
}

void sg_manifest_drop(struct sg_manifest_doc *d)
{
    if (d->rows != NULL)
        memset(d->rows, 0, d->n * sizeof(*d->rows));
    free(d->rows);
    d->rows = NULL;
}
