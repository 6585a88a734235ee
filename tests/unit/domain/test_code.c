/* SPDX-License-Identifier: MIT */
/* Tests of domain/code.c: alphabet, determinism, normalization of typed codes. */
#include <stdint.h>
#include "test.h"
#include "domain/code.h"
#include "domain/err.h"

static void test_alphabet(void)
{
    ASSERT_EQ(strlen(sg_code_alphabet), 32);
    ASSERT(strchr(sg_code_alphabet, '0') == NULL);
    ASSERT(strchr(sg_code_alphabet, 'O') == NULL);
    ASSERT(strchr(sg_code_alphabet, '1') == NULL);
    ASSERT(strchr(sg_code_alphabet, 'I') == NULL);
}

static void test_from_bytes(void)
{
    const uint8_t zero[5] = {0}, ones[5] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    const uint8_t some[5] = {0x08, 0x86, 0x42, 0x98, 0xE8}; /* 5-bit groups 1..8 */
    char out[SG_CODE_LEN + 1], again[SG_CODE_LEN + 1];
    sg_code_from_bytes(zero, out);
    ASSERT_STREQ(out, "22222222");
    sg_code_from_bytes(ones, out);
    ASSERT_STREQ(out, "ZZZZZZZZ");
    sg_code_from_bytes(some, out);
    ASSERT_STREQ(out, "3456789A");
    sg_code_from_bytes(some, again);
    ASSERT_STREQ(out, again);
    uint8_t rnd[5];
    uint32_t x = 12345;
    for (int k = 0; k < 1000; ++k) {
        for (int i = 0; i < 5; ++i) {
            x = x * 1103515245u + 12345u;
            rnd[i] = (uint8_t)(x >> 16);
        }
        sg_code_from_bytes(rnd, out);
        ASSERT_EQ(strlen(out), SG_CODE_LEN);
        ASSERT_EQ(strspn(out, sg_code_alphabet), SG_CODE_LEN);
        ASSERT_EQ(sg_code_normalize(out, again), 0);
        ASSERT_STREQ(again, out);
    }
}

static void test_normalize(void)
{
    char out[SG_CODE_LEN + 1];
    ASSERT_EQ(sg_code_normalize("abcd-efgh", out), 0);
    ASSERT_STREQ(out, "ABCDEFGH");
    ASSERT_EQ(sg_code_normalize(" 3456 789a ", out), 0);
    ASSERT_STREQ(out, "3456789A");
    ASSERT_EQ(sg_code_normalize("ABCDEFGO", out), SG_EINVAL);
    ASSERT_EQ(sg_code_normalize("ABCDEFG0", out), SG_EINVAL);
    ASSERT_EQ(sg_code_normalize("ABCDEFGI", out), SG_EINVAL);
    ASSERT_EQ(sg_code_normalize("abcdefgi", out), SG_EINVAL);
    ASSERT_EQ(sg_code_normalize("ABCDEFG1", out), SG_EINVAL);
    ASSERT_EQ(sg_code_normalize("ABCDEFG", out), SG_EINVAL);
    ASSERT_EQ(sg_code_normalize("ABCDEFGHJ", out), SG_EINVAL);
    ASSERT_EQ(sg_code_normalize("ABCD_EFG", out), SG_EINVAL);
    ASSERT_EQ(sg_code_normalize("", out), SG_EINVAL);
    ASSERT_EQ(sg_code_normalize(NULL, out), SG_EINVAL);
}

int main(void)
{
    RUN(test_alphabet);
    RUN(test_from_bytes);
    RUN(test_normalize);
    TEST_DONE();
}
