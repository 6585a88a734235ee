/* SPDX-License-Identifier: MIT */
/* Minimal assertion macros for unit tests (in the manner of libuv's test/task.h). A failed
 * assertion prints where and why, and exits non-zero. */
#ifndef SG_TEST_H
#define SG_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int sg_test_count;

#define SG_FAIL(...)                                                                                                   \
    do {                                                                                                               \
        fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);                                                                \
        fprintf(stderr, __VA_ARGS__);                                                                                  \
        fputc('\n', stderr);                                                                                           \
        exit(1);                                                                                                       \
    } while (0)

#define ASSERT(expr)                                                                                                   \
    do {                                                                                                               \
        ++sg_test_count;                                                                                               \
        if (!(expr))                                                                                                   \
            SG_FAIL("assertion failed: %s", #expr);                                                                    \
    } while (0)

#define ASSERT_EQ(a, b)                                                                                                \
    do {                                                                                                               \
        long long a_ = (long long)(a), b_ = (long long)(b);                                                            \
        ++sg_test_count;                                                                                               \
        if (a_ != b_)                                                                                                  \
            SG_FAIL("%s == %s: %lld != %lld", #a, #b, a_, b_);                                                         \
    } while (0)

#define ASSERT_STREQ(a, b)                                                                                             \
    do {                                                                                                               \
        const char *a_ = (a), *b_ = (b);                                                                               \
        ++sg_test_count;                                                                                               \
        if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0)                                                           \
            SG_FAIL("%s == %s: \"%s\" != \"%s\"", #a, #b, a_ ? a_ : "(null)", b_ ? b_ : "(null)");                     \
    } while (0)

#define RUN(fn)                                                                                                        \
    do {                                                                                                               \
        fn();                                                                                                          \
        printf("ok %s\n", #fn);                                                                                        \
    } while (0)

#define TEST_DONE()                                                                                                    \
    do {                                                                                                               \
        printf("%d assertions passed\n", sg_test_count);                                                               \
        return 0;                                                                                                      \
    } while (0)

#endif
