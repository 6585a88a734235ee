/* SPDX-License-Identifier: MIT */
/* 分类汇集: sign-ups grouped by category (区内就业 / 区外出行), by destination (集中地区:
 * cities, and provinces by summing them) or by registered employer (集中企业), for a scope
 * and for each division one level down, with people, poverty people and 低收入 people, from
 * the counters kept at write time (sg_registration_counters: dest:, pdest:, ldest:, emp:,
 * pemp:, lemp:). Pure. */
#ifndef SG_DOMAIN_CATEGORY_H
#define SG_DOMAIN_CATEGORY_H

#include <stddef.h>

enum sg_category_by { SG_BY_CATEGORY = 0, SG_BY_DEST, SG_BY_EMPLOYER };
/** "category", "dest", "employer"; parse: -1 when unknown. */
int sg_category_by_parse(const char *s);

#define SG_CATEGORY_KEYS_MAX 4096

/* What a row counts: people, of whom poverty-alleviated or monitored, of whom 低收入. */
enum sg_category_measure { SG_CM_PEOPLE = 0, SG_CM_POVERTY, SG_CM_LOW, SG_CM_N };

struct sg_category_row {
    char key[12];         /* "in", "out"; a city code; an employer id, or "" for the sign-ups without one */
    long n[SG_CM_N];      /* by measure */
    long *child[SG_CM_N]; /* by measure, per division one level down (nchildren each) */
};

struct sg_category {
    int by;
    char province[3];
    size_t nchildren, nrows;
    struct sg_category_row *rows;
    long n[SG_CM_N];    /* the scope's totals (for what no employer covers) */
    long *child_totals; /* SG_CM_N measures per division, interleaved */
};

/** Set up for nchildren divisions; province: the two digits served (区内). Free with dispose. */
void sg_category_init(struct sg_category *c, enum sg_category_by by, const char *province, size_t nchildren);
void sg_category_dispose(struct sg_category *c);
/** One counter field of a hash belonging to division child (SIZE_MAX: the scope only). */
void sg_category_add(struct sg_category *c, size_t child, const char *field, size_t flen, long n);
/**
 * Sort the rows, most people first (区内 before 区外 for categories), and with employers
 * add the row "" of the people no registered employer covers.
 */
void sg_category_finish(struct sg_category *c);

#endif
