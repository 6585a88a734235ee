/* SPDX-License-Identifier: MIT */
/* A push's target group, page by page: page, filter, opt-outs of the page's phones, then
 * the next page; distinct phones counted at the end. */
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "domain/err.h"
#include "service/target.h"
#include "store/jobs.h"
#include "store/notify.h"

#define PAGE 500

struct sg_target_scan {
    struct sg_store *s;
    char campaign[32];
    struct sg_target t;
    struct sg_date today;
    sg_target_page_cb on_page;
    sg_target_done_cb done;
    void *data;
    char after[40];
    bool last;
    struct sg_target_count count;
    struct sg_target_recipient *page; /* this page's candidates */
    size_t npage;
    char (*phs)[SG_CRYPTO_HASH_HEX]; /* every reachable phone hash seen */
    size_t nphs, capphs;
};

static void finish(struct sg_target_scan *sc, int status)
{
    if (status == 0 && sc->nphs > 1)
        qsort(sc->phs, sc->nphs, sizeof(*sc->phs), (int (*)(const void *, const void *))strcmp);
    for (size_t i = 0; status == 0 && i != sc->nphs; ++i)
        sc->count.reachable += i == 0 || strcmp(sc->phs[i], sc->phs[i - 1]) != 0;
    sc->done(sc->data, status, &sc->count);
    free(sc->phs);
    free(sc->page);
    free(sc);
}

static void read_page(struct sg_target_scan *sc);

void sg_target_scan_next(struct sg_target_scan *sc)
{
    if (sc->last)
        finish(sc, 0);
    else
        read_page(sc);
}

static void keep_ph(struct sg_target_scan *sc, const char *ph)
{
    if (sc->nphs == sc->capphs) {
        sc->capphs = sc->capphs != 0 ? 2 * sc->capphs : 1024;
        if ((sc->phs = realloc(sc->phs, sc->capphs * sizeof(*sc->phs))) == NULL)
            abort();
    }
    memcpy(sc->phs[sc->nphs++], ph, SG_CRYPTO_HASH_HEX);
}

static void on_optouts(void *data, int status, const bool *out, size_t n)
{
    struct sg_target_scan *sc = data;
    size_t kept = 0;
    if (status != 0) {
        finish(sc, status);
        return;
    }
    for (size_t i = 0; i != n; ++i) {
        if (out[i]) {
            ++sc->count.opted_out;
            continue;
        }
        keep_ph(sc, sc->page[i].ph);
        sc->page[kept++] = sc->page[i];
    }
    sc->npage = kept;
    if (sc->on_page != NULL)
        sc->on_page(sc->data, sc, sc->page, kept);
    else
        sg_target_scan_next(sc);
}

/* The people of a row the filter takes: counted, and those with a phone and consent kept. */
static void take_row(struct sg_target_scan *sc, const struct sg_target_row *row)
{
    if (!sg_target_takes_registration(&sc->t, &row->reg))
        return;
    for (size_t i = 0; i != row->reg.npeople; ++i) {
        if (!sg_target_takes_person(&sc->t, &row->reg.people[i], sc->today))
            continue;
        ++sc->count.matched;
        if (row->phone[i][0] == '\0' || row->phash[i][0] == '\0') {
            ++sc->count.no_phone;
        } else if (!row->reg.sms) {
            ++sc->count.no_consent;
        } else {
            struct sg_target_recipient *r = &sc->page[sc->npage++];
            memcpy(r->phone, row->phone[i], sizeof(r->phone));
            memcpy(r->ph, row->phash[i], sizeof(r->ph));
            memcpy(r->masked, row->masked[i], sizeof(r->masked));
            memcpy(r->village, row->reg.village, sizeof(r->village));
            memcpy(r->code, row->code, sizeof(r->code));
        }
    }
}

static void on_page(void *data, int status, const struct sg_target_row *rows, size_t n, const char *next)
{
    struct sg_target_scan *sc = data;
    if (status != 0) {
        finish(sc, status);
        return;
    }
    sodium_memzero(sc->page, sizeof(*sc->page) * PAGE * SG_MAX_PEOPLE);
    sc->npage = 0;
    for (size_t i = 0; i != n; ++i)
        take_row(sc, &rows[i]);
    snprintf(sc->after, sizeof(sc->after), "%s", next);
    sc->last = next[0] == '\0';
    const char **phs = malloc((sc->npage + 1) * sizeof(*phs));
    if (phs == NULL)
        abort();
    for (size_t i = 0; i != sc->npage; ++i)
        phs[i] = sc->page[i].ph;
    int ret = sg_store_notify_optouts(sc->s, phs, sc->npage, on_optouts, sc);
    free(phs);
    if (ret != 0)
        finish(sc, ret);
}

static void read_page(struct sg_target_scan *sc)
{
    int ret = sg_store_target_page(sc->s, sc->campaign, sc->t.scope, sc->after, PAGE, on_page, sc);
    if (ret != 0)
        finish(sc, ret);
}

int sg_target_scan_start(struct sg_store *s, const char *campaign, const struct sg_target *t, struct sg_date today,
                         sg_target_page_cb on_page_cb, sg_target_done_cb done, void *data)
{
    struct sg_target_scan *sc = calloc(1, sizeof(*sc));
    if (sc == NULL || (sc->page = calloc(PAGE * SG_MAX_PEOPLE, sizeof(*sc->page))) == NULL)
        abort();
    sc->s = s, sc->t = *t, sc->today = today, sc->on_page = on_page_cb, sc->done = done, sc->data = data;
    snprintf(sc->campaign, sizeof(sc->campaign), "%s", campaign);
    int ret = sg_store_target_page(s, sc->campaign, sc->t.scope, "", PAGE, on_page, sc);
    if (ret != 0) {
        free(sc->page);
        free(sc);
    }
    return ret;
}
