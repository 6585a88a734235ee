/* SPDX-License-Identifier: MIT */
/* Tests of domain/mask.c. */
#include "test.h"
#include "domain/mask.h"

static void test_idno(void)
{
    char out[19];
    sg_mask_idno("450102199001011234", out);
    ASSERT_STREQ(out, "450102********1234");
    sg_mask_idno("11010519491231002X", out);
    ASSERT_STREQ(out, "110105********002X");
}

static void test_phone(void)
{
    char out[12];
    sg_mask_phone("13812345678", out);
    ASSERT_STREQ(out, "138****5678");
}

int main(void)
{
    RUN(test_idno);
    RUN(test_phone);
    TEST_DONE();
}
