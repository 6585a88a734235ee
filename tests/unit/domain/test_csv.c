/* SPDX-License-Identifier: MIT */
/* Tests of domain/csv.c. */
#include "test.h"
#include "domain/csv.h"

static const char *cell(const char *s)
{
    static char out[256];
    sg_csv_cell(s, out, sizeof(out));
    return out;
}

static void test_plain(void)
{
    ASSERT_STREQ(cell(""), "");
    ASSERT_STREQ(cell("韦小宝"), "韦小宝");
    ASSERT_STREQ(cell("450102********123X"), "450102********123X");
    ASSERT_EQ(sg_csv_cell("abc", (char[16]){0}, 16), 3);
}

static void test_quoting(void)
{
    ASSERT_STREQ(cell("a,b"), "\"a,b\"");
    ASSERT_STREQ(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
    ASSERT_STREQ(cell("line\nbreak"), "\"line\nbreak\"");
    ASSERT_STREQ(cell("cr\rlf"), "\"cr\rlf\"");
}

static void test_formulas(void)
{
    ASSERT_STREQ(cell("=1+1"), "'=1+1");
    ASSERT_STREQ(cell("+86"), "'+86");
    ASSERT_STREQ(cell("-2"), "'-2");
    ASSERT_STREQ(cell("@SUM(A1)"), "'@SUM(A1)");
    ASSERT_STREQ(cell("\tx"), "'\tx");
    ASSERT_STREQ(cell("=HYPERLINK(\"x\",\"y\")"), "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
    ASSERT_STREQ(cell("a=b"), "a=b");
}

static void test_worst_case_fits(void)
{
    char out[SG_CSV_CELL_MAX(3)];
    ASSERT_EQ(sg_csv_cell("=\"\"", out, sizeof(out)), 8);
    ASSERT_STREQ(out, "\"'=\"\"\"\"\"");
}

int main(void)
{
    RUN(test_plain);
    RUN(test_quoting);
    RUN(test_formulas);
    RUN(test_worst_case_fits);
    TEST_DONE();
}
