/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>
#include "domain/sort.h"

void sg_sort_pairs(struct sg_sort_pair *a, size_t n)
{
    if (n < 2)
        return;
    struct sg_sort_pair *tmp = malloc(n * sizeof(*tmp)), *src = a, *dst = tmp;
    if (tmp == NULL)
        abort();
    for (unsigned shift = 0; shift != 64; shift += 8) {
        size_t count[256] = {0};
        for (size_t i = 0; i != n; ++i)
            ++count[src[i].key >> shift & 0xff];
        if (count[src[0].key >> shift & 0xff] == n)
            continue; /* every key has this byte: nothing to do */
        size_t at = 0;
        for (size_t b = 0; b != 256; ++b) {
            size_t c = count[b];
            count[b] = at;
            at += c;
        }
        for (size_t i = 0; i != n; ++i)
            dst[count[src[i].key >> shift & 0xff]++] = src[i];
        struct sg_sort_pair *t = src;
        src = dst, dst = t;
    }
    if (src != a)
        memcpy(a, src, n * sizeof(*a));
    free(tmp);
}
