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
    c->child_totals = calloc(2 * nchildren + 1, sizeof(long));
    if (c->child_totals == NULL)
        abort();
}

void sg_category_dispose(struct sg_category *c)
{
    for (size_t i = 0; i != c->nrows; ++i)
        free(c->rows[i].child_people);
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
    if ((r->child_people = calloc(2 * c->nchildren + 1, sizeof(long))) == NULL)
        abort();
    r->child_poverty = r->child_people + c->nchildren;
    return r;
}

static void count(struct sg_category *c, size_t child, const char *key, size_t klen, bool poverty, long n)
{
    struct sg_category_row *r = row_for(c, key, klen);
    if (r == NULL)
        return;
    *(poverty ? &r->poverty : &r->people) += n;
    if (child < c->nchildren)
        (poverty ? r->child_poverty : r->child_people)[child] += n;
}

static bool starts(const char *field, size_t flen, const char *prefix, size_t *plen)
{
    *plen = strlen(prefix);
    return flen > *plen && memcmp(field, prefix, *plen) == 0;
}

void sg_category_add(struct sg_category *c, size_t child, const char *field, size_t flen, long n)
{
    size_t p;
    bool poverty;
    if ((flen == 6 && memcmp(field, "people", 6) == 0) || (flen == 7 && memcmp(field, "poverty", 7) == 0)) {
        poverty = flen == 7;
        *(poverty ? &c->poverty : &c->people) += n;
        if (child < c->nchildren)
            c->child_totals[2 * child + poverty] += n;
        return;
    }
    if (c->by == SG_BY_EMPLOYER) {
        if ((poverty = starts(field, flen, "pemp:", &p)) || starts(field, flen, "emp:", &p))
            count(c, child, field + p, flen - p, poverty, n);
        return;
    }
    if (!(poverty = starts(field, flen, "pdest:", &p)) && !starts(field, flen, "dest:", &p))
        return;
    if (c->by == SG_BY_DEST)
        count(c, child, field + p, flen - p, poverty, n);
    else if (flen - p >= 2 && memcmp(field + p, c->province, 2) == 0)
        count(c, child, "in", 2, poverty, n);
    else
        count(c, child, "out", 3, poverty, n);
}

static int by_people(const void *a, const void *b)
{
    const struct sg_category_row *x = a, *y = b;
    if (x->key[0] == '\0' || y->key[0] == '\0') /* what no employer covers: last */
        return (x->key[0] == '\0') - (y->key[0] == '\0');
    return x->people != y->people ? (x->people < y->people ? 1 : -1) : strcmp(x->key, y->key);
}

static int by_key(const void *a, const void *b)
{
    return strcmp(((const struct sg_category_row *)a)->key, ((const struct sg_category_row *)b)->key);
}

void sg_category_finish(struct sg_category *c)
{
    if (c->by == SG_BY_EMPLOYER) {
        long people = c->people, poverty = c->poverty;
        for (size_t i = 0; i != c->nrows; ++i)
            people -= c->rows[i].people, poverty -= c->rows[i].poverty;
        struct sg_category_row *rest = row_for(c, "", 0);
        if (rest != NULL) {
            rest->people = people, rest->poverty = poverty;
            for (size_t k = 0; k != c->nchildren; ++k) {
                rest->child_people[k] = c->child_totals[2 * k];
                rest->child_poverty[k] = c->child_totals[2 * k + 1];
                for (size_t i = 0; i + 1 < c->nrows; ++i) {
                    rest->child_people[k] -= c->rows[i].child_people[k];
                    rest->child_poverty[k] -= c->rows[i].child_poverty[k];
                }
            }
        }
    }
    qsort(c->rows, c->nrows, sizeof(*c->rows), c->by == SG_BY_CATEGORY ? by_key : by_people);
}
