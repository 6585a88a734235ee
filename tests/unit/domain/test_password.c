/* SPDX-License-Identifier: MIT */
/* domain/password.c: the staff password rule. */
#include "domain/password.h"
#include "test.h"

static void test_refused(void)
{
    ASSERT_STREQ(sg_password_check("short", "wang"), "password_short");
    ASSERT_STREQ(sg_password_check("九个汉字的密码啊呀", "wang"), "password_short"); /* characters, not bytes */
    ASSERT_STREQ(sg_password_check("aaaaaaaaaaaa", "wang"), "password_simple");
    ASSERT_STREQ(sg_password_check("123456789012", "wang"), "password_simple");
    ASSERT_STREQ(sg_password_check("1234567890", "wang"), "password_simple");
    ASSERT_STREQ(sg_password_check("9876543210", "wang"), "password_simple");
    ASSERT_STREQ(sg_password_check("abcdefghijk", "wang"), "password_simple");
    ASSERT_STREQ(sg_password_check("qwertyuiop", "wang"), "password_simple");
    ASSERT_STREQ(sg_password_check("ababababab", "wang"), "password_simple");
    ASSERT_STREQ(sg_password_check("Password2027!", "wang"), "password_common");
    ASSERT_STREQ(sg_password_check("woaini1314520", "wang"), "password_common");
    ASSERT_STREQ(sg_password_check("a long password", "wang"), "password_common"); /* the README's example */
    ASSERT_STREQ(sg_password_check("Administrator1", "wang"), "password_common");
    ASSERT_STREQ(sg_password_check("wangxiaoming88", "wangxiaoming"), "password_name");
}

static void test_accepted(void)
{
    ASSERT(sg_password_check("correct-horse-9", "org") == NULL);
    ASSERT(sg_password_check("桂林山水甲天下2027年", "wang") == NULL);
    ASSERT(sg_password_check("Xq7#tLm2pR9v", "admin") == NULL);
    ASSERT(sg_password_check("Bus-to-Dongguan-2027", NULL) == NULL);
}

int main(void)
{
    RUN(test_refused);
    RUN(test_accepted);
    TEST_DONE();
}
