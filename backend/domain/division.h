/* SPDX-License-Identifier: MIT */
/* Administrative divisions (GB/T 2260 + statistics-bureau village codes) held in memory:
 * lookup by code, path to the root, scope ranges. Parsed from a buffer the caller read;
 * no I/O here. A code's level follows from its length: 2 province, 4 city, 6 county,
 * 9 township, 12 village. */
#ifndef SG_DOMAIN_DIVISION_H
#define SG_DOMAIN_DIVISION_H

#include <stddef.h>
#include <stdbool.h>

enum sg_level {
    SG_LEVEL_PROVINCE = 0,
    SG_LEVEL_CITY = 1,
    SG_LEVEL_COUNTY = 2,
    SG_LEVEL_TOWNSHIP = 3,
    SG_LEVEL_VILLAGE = 4,
};
#define SG_LEVELS 5
#define SG_DIVISION_CODE_MAX 12

struct sg_division {
    char code[SG_DIVISION_CODE_MAX + 1];
    unsigned char len;   /* strlen(code): 2, 4, 6, 9 or 12 */
    unsigned char level; /* enum sg_level */
    const char *name;    /* NUL-terminated, points into the parsed buffer */
};

struct sg_divisions; /* opaque; sorted by code, which is a pre-order of the tree */

/** Code length of a level (2,4,6,9,12); level from a code length (-1 when none). */
size_t sg_level_code_len(int level);
int sg_level_from_len(size_t len);
/** "province", "city", "county", "township", "village". */
const char *sg_level_name(int level);

/**
 * Parse "code<TAB>name\n" lines (any order; '#' lines and blank lines ignored). Takes
 * ownership of buf (malloc'ed, len bytes; it is modified in place and freed by
 * sg_divisions_free). On a bad line returns NULL and sets *bad_line (1-based).
 * A code whose parent prefix is missing is a bad line unless allow_orphans; so is a code
 * given twice (the later line). On failure buf is freed as well.
 */
struct sg_divisions *sg_divisions_parse(char *buf, size_t len, bool allow_orphans, size_t *bad_line);
void sg_divisions_free(struct sg_divisions *ds);

size_t sg_divisions_count(const struct sg_divisions *ds);
/** The i-th division in code order (i < count). */
const struct sg_division *sg_divisions_at(const struct sg_divisions *ds, size_t i);
/** Exact lookup; code need not be NUL-terminated. NULL when unknown. */
const struct sg_division *sg_divisions_find(const struct sg_divisions *ds, const char *code, size_t len);
/**
 * Fill path[0..n) with the ancestors of d from the top level down to d itself (those
 * present in ds). Returns n (at most SG_LEVELS).
 */
size_t sg_divisions_path(const struct sg_divisions *ds, const struct sg_division *d,
                         const struct sg_division *path[SG_LEVELS]);
/**
 * Index range [*begin, *end) of scope and everything under it. 0, or SG_ENOENT when the
 * scope code is not in ds.
 */
int sg_divisions_range(const struct sg_divisions *ds, const char *scope, size_t *begin, size_t *end);
/** Index of a division pointer returned by this table. */
size_t sg_divisions_index(const struct sg_divisions *ds, const struct sg_division *d);

/** True when code lies under (or is) scope: scope is a prefix of code. An empty or NULL
 * scope contains nothing (fail closed). */
bool sg_scope_contains(const char *scope, const char *code);

#endif
