/* SPDX-License-Identifier: MIT */
/* Sorting many (key, value) pairs by an unsigned 64-bit key: LSD radix sort, a byte a
 * pass, passes where every key has the same byte skipped. Used where qsort's compare
 * calls dominated a matching run of 1,000,000 registrations. */
#ifndef SG_DOMAIN_SORT_H
#define SG_DOMAIN_SORT_H

#include <stddef.h>
#include <stdint.h>

struct sg_sort_pair {
    uint64_t key;
    uint32_t value;
};

/** Sort a[0..n) by key, stably (equal keys keep their order). Aborts when out of memory. */
void sg_sort_pairs(struct sg_sort_pair *a, size_t n);

#endif
