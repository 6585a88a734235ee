/* SPDX-License-Identifier: MIT */
/* Administrative divisions in one array sorted by code. Because a child's code extends
 * its parent's, code order is a pre-order of the tree: a scope and everything under it
 * form one contiguous index range, found with two binary searches. No I/O: the caller
 * reads the file and hands over the buffer. */
#include <stdlib.h>
#include <string.h>
#include "domain/division.h"
#include "domain/err.h"
#include "domain/text.h"

struct sg_divisions {
    char *buf;
    struct sg_division *v;
    size_t n;
};

/* A parsed line before sorting: the line number is only needed to report errors. */
struct entry {
    struct sg_division d;
    size_t line;
};

static const unsigned char code_lens[SG_LEVELS] = {2, 4, 6, 9, 12};

size_t sg_level_code_len(int level)
{
    return level >= 0 && level < SG_LEVELS ? code_lens[level] : 0;
}

int sg_level_from_len(size_t len)
{
    for (int i = 0; i < SG_LEVELS; ++i)
        if (code_lens[i] == len)
            return i;
    return -1;
}

const char *sg_level_name(int level)
{
    static const char *const names[SG_LEVELS] = {"province", "city", "county", "township", "village"};
    return level >= 0 && level < SG_LEVELS ? names[level] : "unknown";
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n == 0 ? 1 : n);
    if (p == NULL)
        abort();
    return p;
}

/* Compare a stored code with a key that need not be NUL-terminated (klen <= 12). */
/* Byte order, as strcmp sorts the codes; key may hold a NUL, which then never matches. */
static int code_cmp(const char *code, const char *key, size_t klen)
{
    size_t clen = strlen(code);
    int r = memcmp(code, key, clen < klen ? clen : klen);
    if (r != 0)
        return r;
    return clen < klen ? -1 : clen > klen;
}

static int entry_cmp(const void *a, const void *b)
{
    const struct entry *x = a, *y = b;
    return strcmp(x->d.code, y->d.code);
}

/* line is NUL-terminated in place. 1: an entry, 0: blank or comment, -1: bad. */
static int parse_line(char *line, size_t len, struct entry *e)
{
    if (len > 0 && line[len - 1] == '\r')
        line[--len] = '\0';
    if (len == 0 || line[0] == '#')
        return 0;
    char *tab = memchr(line, '\t', len);
    if (tab == NULL)
        return -1;
    size_t clen = (size_t)(tab - line);
    int level = sg_level_from_len(clen);
    if (level < 0)
        return -1;
    for (size_t i = 0; i < clen; ++i)
        if (line[i] < '0' || line[i] > '9')
            return -1;
    const char *name = tab + 1;
    size_t nlen = len - clen - 1;
    if (nlen == 0 || !sg_utf8_valid(name, nlen))
        return -1;
    memcpy(e->d.code, line, clen);
    e->d.code[clen] = '\0';
    e->d.len = (unsigned char)clen;
    e->d.level = (unsigned char)level;
    e->d.name = name;
    return 1;
}

/* Split buf into lines, writing a NUL over each '\n' (or at buf[len] after a last line
 * without one). Returns the number of entries, or -1 with *bad_line set. */
static long parse_lines(char *buf, size_t len, struct entry *v, size_t *bad_line)
{
    size_t n = 0, line = 0;
    char *p = buf, *end = buf + len;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    while (p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        if (nl == NULL)
            nl = end;
        *nl = '\0';
        ++line;
        v[n].line = line;
        int r = parse_line(p, (size_t)(nl - p), &v[n]);
        if (r < 0) {
            *bad_line = line;
            return -1;
        }
        n += (size_t)r;
        p = nl + 1;
    }
    return (long)n;
}

static bool sorted(const struct entry *v, size_t n)
{
    for (size_t i = 1; i < n; ++i)
        if (strcmp(v[i - 1].d.code, v[i].d.code) > 0)
            return false;
    return true;
}

/* Sorted entries: no duplicates, and (unless allow_orphans) every parent present. In
 * code order a division's parent, when present, is the last division seen one level up:
 * any other code of that level between the two would sort after the child. */
static bool check_tree(const struct entry *v, size_t n, bool allow_orphans, size_t *bad_line)
{
    const struct entry *last[SG_LEVELS] = {NULL};
    for (size_t i = 0; i < n; ++i) {
        const struct sg_division *d = &v[i].d;
        if (i > 0 && strcmp(v[i - 1].d.code, d->code) == 0) {
            *bad_line = v[i].line > v[i - 1].line ? v[i].line : v[i - 1].line;
            return false;
        }
        last[d->level] = &v[i];
        if (allow_orphans || d->level == SG_LEVEL_PROVINCE)
            continue;
        const struct entry *parent = last[d->level - 1];
        if (parent == NULL || memcmp(parent->d.code, d->code, parent->d.len) != 0) {
            *bad_line = v[i].line;
            return false;
        }
    }
    return true;
}

struct sg_divisions *sg_divisions_parse(char *buf, size_t len, bool allow_orphans, size_t *bad_line)
{
    size_t dummy, lines = 1;
    if (bad_line == NULL)
        bad_line = &dummy;
    *bad_line = 0;
    if (len == 0 || buf[len - 1] != '\n') {
        buf = realloc(buf, len + 1); /* room for the NUL that ends the last name */
        if (buf == NULL)
            abort();
        buf[len] = '\0';
    }
    for (const char *p = buf; (p = memchr(p, '\n', (size_t)(buf + len - p))) != NULL; ++p)
        ++lines;
    struct entry *tmp = xmalloc(lines * sizeof(*tmp));
    struct sg_divisions *ds = NULL;
    long n = parse_lines(buf, len, tmp, bad_line);
    if (n < 0)
        goto Exit;
    if (!sorted(tmp, (size_t)n)) /* data files usually come sorted already */
        qsort(tmp, (size_t)n, sizeof(*tmp), entry_cmp);
    if (!check_tree(tmp, (size_t)n, allow_orphans, bad_line))
        goto Exit;
    ds = xmalloc(sizeof(*ds));
    ds->buf = buf;
    ds->n = (size_t)n;
    ds->v = xmalloc(ds->n * sizeof(*ds->v));
    for (size_t i = 0; i < ds->n; ++i)
        ds->v[i] = tmp[i].d;
    buf = NULL;
Exit:
    free(tmp);
    free(buf);
    return ds;
}

void sg_divisions_free(struct sg_divisions *ds)
{
    if (ds == NULL)
        return;
    free(ds->v);
    free(ds->buf);
    free(ds);
}

size_t sg_divisions_count(const struct sg_divisions *ds)
{
    return ds->n;
}

const struct sg_division *sg_divisions_at(const struct sg_divisions *ds, size_t i)
{
    return i < ds->n ? &ds->v[i] : NULL;
}

const struct sg_division *sg_divisions_find(const struct sg_divisions *ds, const char *code, size_t len)
{
    if (ds == NULL || code == NULL || sg_level_from_len(len) < 0)
        return NULL;
    size_t lo = 0, hi = ds->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int r = code_cmp(ds->v[mid].code, code, len);
        if (r == 0)
            return &ds->v[mid];
        if (r < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

size_t sg_divisions_path(const struct sg_divisions *ds, const struct sg_division *d,
                         const struct sg_division *path[SG_LEVELS])
{
    size_t n = 0;
    for (int level = 0; level < d->level; ++level) {
        const struct sg_division *a = sg_divisions_find(ds, d->code, code_lens[level]);
        if (a != NULL)
            path[n++] = a;
    }
    path[n++] = d;
    return n;
}

int sg_divisions_range(const struct sg_divisions *ds, const char *scope, size_t *begin, size_t *end)
{
    if (scope == NULL)
        return SG_ENOENT;
    size_t slen = strlen(scope);
    const struct sg_division *d = sg_divisions_find(ds, scope, slen);
    if (d == NULL)
        return SG_ENOENT;
    /* Past the scope, codes that start with it compare equal on slen chars, then the
     * rest compare greater: find the first of the rest. */
    size_t lo = sg_divisions_index(ds, d) + 1, hi = ds->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strncmp(ds->v[mid].code, scope, slen) == 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *begin = sg_divisions_index(ds, d);
    *end = lo;
    return 0;
}

size_t sg_divisions_index(const struct sg_divisions *ds, const struct sg_division *d)
{
    return (size_t)(d - ds->v);
}

bool sg_scope_contains(const char *scope, const char *code)
{
    if (scope == NULL || code == NULL || scope[0] == '\0')
        return false;
    return strncmp(code, scope, strlen(scope)) == 0;
}
