/* SPDX-License-Identifier: MIT */
/* domain/sort.c: against qsort on random keys (wide and narrow), stability, edges. */
#include <stdlib.h>
#include "domain/demo.h"
#include "domain/sort.h"
#include "test.h"

static int by_key_then_value(const void *a, const void *b)
{
    const struct sg_sort_pair *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->value < y->value ? -1 : x->value > y->value;
}

static void check_against_qsort(uint64_t seed, size_t n, uint64_t mask)
{
    struct sg_demo_rng rng;
    sg_demo_rng_seed(&rng, seed);
    struct sg_sort_pair *a = malloc((n + 1) * sizeof(*a)), *b = malloc((n + 1) * sizeof(*b));
    ASSERT(a != NULL && b != NULL);
    for (size_t i = 0; i != n; ++i)
        a[i] = b[i] = (struct sg_sort_pair){sg_demo_rng_next(&rng) & mask, (uint32_t)i};
    sg_sort_pairs(a, n);
    /* values ascend in input order, so "stable" = sorted by (key, value) */
    qsort(b, n, sizeof(*b), by_key_then_value);
    for (size_t i = 0; i != n; ++i) {
        ASSERT_EQ(a[i].key, b[i].key);
        ASSERT_EQ(a[i].value, b[i].value);
    }
    free(a);
    free(b);
}

static void test_random(void)
{
    check_against_qsort(1, 100000, UINT64_MAX);          /* every byte differs */
    check_against_qsort(2, 100000, 0xffull << 40 | 0xf); /* most bytes equal: passes skipped */
    check_against_qsort(3, 5000, 0x3);                   /* many equal keys: stability */
    check_against_qsort(4, 1, UINT64_MAX);
    check_against_qsort(5, 0, UINT64_MAX);
}

static void test_extremes(void)
{
    struct sg_sort_pair a[] = {{UINT64_MAX, 0}, {0, 1}, {1ull << 63, 2}, {0, 3}};
    sg_sort_pairs(a, 4);
    ASSERT_EQ(a[0].value, 1);
    ASSERT_EQ(a[1].value, 3);
    ASSERT_EQ(a[2].value, 2);
    ASSERT_EQ(a[3].value, 0);
}

int main(void)
{
    RUN(test_random);
    RUN(test_extremes);
    TEST_DONE();
}
