/* SPDX-License-Identifier: MIT */
/* Grouping the write-time counters by category, destination or employer. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "domain/category.h"

int sg_category_by_parse(const char *s)
{
    static const char *const names[] = {"category", "dest", "employer"};
    for (int i = 0; s != NULL && i != 3; ++i)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

void sg_category_init(struct sg_category *c, enum sg_category_by by, const char *province, size_t nchildren)
{
    memset(c, 0, sizeof(*c));
    c->by = by;
    memcpy(c->province, province, 2);
    c->nchildren = nchildren;
    c->child_totals = calloc(SG_CM_N * nchildren + 1, sizeof(long));
    if (c->child_totals == NULL)
        abort();
}

void sg_category_dispose(struct sg_category *c)
{
    for (size_t i = 0; i != c->nrows; ++i)
        free(c->rows[i].child[0]);
    free(c->rows);
    free(c->child_totals);
    memset(c, 0, sizeof(*c));
}

static struct sg_category_row *row_for(struct sg_category *c, const char *key, size_t klen)
{
    for (size_t i = 0; i != c->nrows; ++i)
        if (strlen(c->rows[i].key) == klen && memcmp(c->rows[i].key, key, klen) == 0)
            return &c->rows[i];
    if (c->nrows == SG_CATEGORY_KEYS_MAX || klen >= sizeof(c->rows[0].key))
        return NULL;
    if (c->nrows % 64 == 0) {
        struct sg_category_row *rows = realloc(c->rows, (c->nrows + 64) * sizeof(*rows));
        if (rows == NULL)
            abort();
        c->rows = rows;
    }
    struct sg_category_row *r = &c->rows[c->nrows++];
    memset(r, 0, sizeof(*r));
    memcpy(r->key, key, klen);
    if ((r->child[0] = calloc(SG_CM_N * c->nchildren + 1, sizeof(long))) == NULL)
        abort();
    for (int m = 1; m != SG_CM_N; ++m)
        r->child[m] = r->child[m - 1] + c->nchildren;
    return r;
}

static void count(struct sg_category *c, size_t child, const char *key, size_t klen, int m, long n)
{
    struct sg_category_row *r = row_for(c, key, klen);
    if (r == NULL)
        return;
    r->n[m] += n;
    if (child < c->nchildren)
        r->child[m][child] += n;
}

/* The measure a counter's prefix counts (plain, p for poverty, l for 低收入) before `what:`
 * ("dest:", "pdest:", "ldest:"), with *plen the prefix's length; -1 when it is not one. */
static int measure_of(const char *field, size_t flen, const char *what, size_t *plen)
{
    static const char marks[SG_CM_N] = {0, 'p', 'l'};
    size_t wlen = strlen(what);
    for (int m = 0; m != SG_CM_N; ++m) {
        size_t at = marks[m] != 0;
        if (flen > at + wlen && (at == 0 || field[0] == marks[m]) && memcmp(field + at, what, wlen) == 0) {
            *plen = at + wlen;
            return m;
        }
    }
    return -1;
}

void sg_category_add(struct sg_category *c, size_t child, const char *field, size_t flen, long n)
{
    static const char *const totals[SG_CM_N] = {"people", "poverty", "low"};
    for (int m = 0; m != SG_CM_N; ++m)
        if (flen == strlen(totals[m]) && memcmp(field, totals[m], flen) == 0) {
            c->n[m] += n;
            if (child < c->nchildren)
                c->child_totals[SG_CM_N * child + (size_t)m] += n;
            return;
        }
    size_t p;
    int m = measure_of(field, flen, c->by == SG_BY_EMPLOYER ? "emp:" : "dest:", &p);
    if (m < 0)
        return;
    if (c->by != SG_BY_CATEGORY)
        count(c, child, field + p, flen - p, m, n);
    else if (flen - p >= 2 && memcmp(field + p, c->province, 2) == 0)
        count(c, child, "in", 2, m, n);
    else
        count(c, child, "out", 3, m, n);
}

static int by_people(const void *a, const void *b)
{
    const struct sg_category_row *x = a, *y = b;
    if (x->key[0] == '\0' || y->key[0] == '\0') /* what no employer covers: last */
        return (x->key[0] == '\0') - (y->key[0] == '\0');
    long nx = x->n[SG_CM_PEOPLE], ny = y->n[SG_CM_PEOPLE];
    return nx != ny ? (nx < ny ? 1 : -1) : strcmp(x->key, y->key);
}

static int by_key(const void *a, const void *b)
{
    return strcmp(((const struct sg_category_row *)a)->key, ((const struct sg_category_row *)b)->key);
}

void sg_category_finish(struct sg_category *c)
{
    if (c->by == SG_BY_EMPLOYER) {
        struct sg_category_row *rest = row_for(c, "", 0);
        for (int m = 0; rest != NULL && m != SG_CM_N; ++m) {
            rest->n[m] = c->n[m];
            for (size_t i = 0; i + 1 < c->nrows; ++i)
                rest->n[m] -= c->rows[i].n[m];
            for (size_t k = 0; k != c->nchildren; ++k) {
                rest->child[m][k] = c->child_totals[SG_CM_N * k + (size_t)m];
                for (size_t i = 0; i + 1 < c->nrows; ++i)
                    rest->child[m][k] -= c->rows[i].child[m][k];
            }
        }
    }
    qsort(c->rows, c->nrows, sizeof(*c->rows), c->by == SG_BY_CATEGORY ? by_key : by_people);
}
