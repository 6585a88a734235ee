/* SPDX-License-Identifier: MIT */
/* Tests of domain/text.c: UTF-8 gate, names, mobile numbers, free text. */
#include "test.h"
#include "domain/text.h"

static int name(const char *s, char out[128])
{
    return sg_name_normalize(s, out, 128);
}

static void test_utf8(void)
{
    ASSERT(sg_utf8_valid("abc", 3));
    ASSERT(sg_utf8_valid("张三", 6));
    ASSERT(sg_utf8_valid("\xF0\xA0\x80\x80", 4));  /* U+20000 */
    ASSERT(!sg_utf8_valid("\xC0\x80", 2));         /* overlong NUL */
    ASSERT(!sg_utf8_valid("\xC1\xBF", 2));         /* overlong */
    ASSERT(!sg_utf8_valid("\xE0\x80\xAF", 3));     /* overlong '/' */
    ASSERT(!sg_utf8_valid("\xF0\x80\x80\xAF", 4)); /* overlong */
    ASSERT(!sg_utf8_valid("\xED\xA0\x80", 3));     /* surrogate D800 */
    ASSERT(!sg_utf8_valid("\xED\xBF\xBF", 3));     /* surrogate DFFF */
    ASSERT(!sg_utf8_valid("\xF4\x90\x80\x80", 4)); /* > U+10FFFF */
    ASSERT(!sg_utf8_valid("\xF5\x80\x80\x80", 4));
    ASSERT(!sg_utf8_valid("\xE5\xBC", 2)); /* truncated */
    ASSERT(!sg_utf8_valid("\x80", 1));     /* lone continuation */
    ASSERT(!sg_utf8_valid("\xE5"
                          "a"
                          "\xBC",
                          3)); /* bad continuation */
    ASSERT(!sg_utf8_valid("\xFF", 1));
    ASSERT(sg_utf8_valid("\xF4\x8F\xBF\xBF", 4)); /* U+10FFFF */
    ASSERT(sg_utf8_valid("\xEE\x80\x80", 3));     /* U+E000 just past surrogates */
    ASSERT_EQ(sg_utf8_count("a张\xF0\xA0\x80\x80", 8), 3);
}

static void test_names_ok(void)
{
    char out[128];
    ASSERT_EQ(name("张三", out), 0);
    ASSERT_STREQ(out, "张三");
    ASSERT_EQ(name("  韦小宝\xE3\x80\x80 ", out), 0); /* trailing U+3000 */
    ASSERT_STREQ(out, "韦小宝");
    ASSERT_EQ(name("\xE3\x80\x80覃 明", out), 0); /* space between ideographs dropped */
    ASSERT_STREQ(out, "覃明");
    ASSERT_EQ(name("John   Smith", out), 0);
    ASSERT_STREQ(out, "John Smith");
    ASSERT_EQ(name("José Müller", out), 0);
    ASSERT_STREQ(out, "José Müller");
    ASSERT_EQ(name("Łukasz Żółć", out), 0);
    ASSERT_EQ(name("𠀀明", out), 0);           /* Ext B */
    ASSERT_EQ(name("\xE3\x90\x80明", out), 0); /* U+3400 Ext A */
    ASSERT_EQ(name("\xEF\xA4\x80明", out), 0); /* U+F900 compatibility */
}

static void test_names_dots(void)
{
    char out[128];
    ASSERT_EQ(name("阿卜杜拉·艾力", out), 0);
    ASSERT_STREQ(out, "阿卜杜拉·艾力");
    ASSERT_EQ(name("阿卜杜拉\xE2\x80\xA2艾力", out), 0); /* U+2022 */
    ASSERT_STREQ(out, "阿卜杜拉·艾力");
    ASSERT_EQ(name("阿卜杜拉\xE2\x80\xA7艾力", out), 0); /* U+2027 */
    ASSERT_STREQ(out, "阿卜杜拉·艾力");
    ASSERT_EQ(name("阿卜杜拉\xE3\x83\xBB艾力", out), 0); /* U+30FB */
    ASSERT_STREQ(out, "阿卜杜拉·艾力");
    ASSERT_EQ(name("阿卜杜拉\xEF\xBC\x8E艾力", out), 0); /* U+FF0E */
    ASSERT_STREQ(out, "阿卜杜拉·艾力");
    ASSERT_EQ(name("阿卜杜拉\xE2\xB8\xB1艾力", out), 0); /* U+2E31 */
    ASSERT_STREQ(out, "阿卜杜拉·艾力");
    ASSERT_EQ(name("阿卜杜拉 · 艾力", out), 0);
    ASSERT_STREQ(out, "阿卜杜拉·艾力");
    ASSERT_EQ(name("·艾力", out), -SG_TEXT_CHARS);
    ASSERT_EQ(name("艾力·", out), -SG_TEXT_CHARS);
    ASSERT_EQ(name("阿卜··艾力", out), -SG_TEXT_CHARS);
    ASSERT_EQ(name("阿卜.艾力", out), -SG_TEXT_CHARS); /* ASCII full stop is no look-alike */
}

static void test_names_bad(void)
{
    char out[128];
    ASSERT_EQ(name("张\xC0\x80三", out), -SG_TEXT_UTF8);
    ASSERT_EQ(name("张\xED\xA0\x80三", out), -SG_TEXT_UTF8);
    ASSERT_EQ(name("张\t三", out), -SG_TEXT_CHARS);
    ASSERT_EQ(name("张\n三", out), -SG_TEXT_CHARS);
    ASSERT_EQ(name("张\x7F三", out), -SG_TEXT_CHARS);
    ASSERT_EQ(name("张\xC2\x85三", out), -SG_TEXT_CHARS); /* C1 NEL */
    ASSERT_EQ(name("张三3", out), -SG_TEXT_CHARS);
    ASSERT_EQ(name("张三\xEF\xBC\x93", out), -SG_TEXT_CHARS); /* fullwidth 3 */
    ASSERT_EQ(name("张三😀", out), -SG_TEXT_CHARS);
    ASSERT_EQ(name("张×三", out), -SG_TEXT_CHARS);
    ASSERT_EQ(name("Smith, John", out), -SG_TEXT_CHARS);
    ASSERT_EQ(name("", out), -SG_TEXT_EMPTY);
    ASSERT_EQ(name(" \xE3\x80\x80 ", out), -SG_TEXT_EMPTY);
    ASSERT_EQ(name(NULL, out), -SG_TEXT_EMPTY);
    ASSERT_EQ(name("张", out), -SG_TEXT_SHORT);
    ASSERT_EQ(name(" J ", out), -SG_TEXT_SHORT);
}

static void test_names_length(void)
{
    char in[256], out[128];
    size_t n = 0;
    for (int i = 0; i < 30; ++i) {
        memcpy(in + n, "明", 3);
        n += 3;
    }
    in[n] = '\0';
    ASSERT_EQ(name(in, out), 0);
    ASSERT_STREQ(out, in);
    memcpy(in + n, "明", 4); /* 31 chars */
    ASSERT_EQ(name(in, out), -SG_TEXT_LONG);
    /* 30 four-byte ideographs fit the 128-byte buffer */
    n = 0;
    for (int i = 0; i < 30; ++i) {
        memcpy(in + n, "𠀀", 4);
        n += 4;
    }
    in[n] = '\0';
    ASSERT_EQ(name(in, out), 0);
    ASSERT_EQ(strlen(out), 120);
    char small[8];
    ASSERT_EQ(sg_name_normalize("张三李四", small, sizeof(small)), -SG_TEXT_LONG);
}

static void test_phone(void)
{
    char out[12];
    ASSERT_EQ(sg_phone_normalize("13812345678", out), 0);
    ASSERT_STREQ(out, "13812345678");
    ASSERT_EQ(sg_phone_normalize("138 1234 5678", out), 0);
    ASSERT_STREQ(out, "13812345678");
    ASSERT_EQ(sg_phone_normalize("138-1234-5678", out), 0);
    ASSERT_EQ(sg_phone_normalize("+86 138 1234 5678", out), 0);
    ASSERT_STREQ(out, "13812345678");
    ASSERT_EQ(sg_phone_normalize("8613812345678", out), 0);
    ASSERT_STREQ(out, "13812345678");
    ASSERT_EQ(sg_phone_normalize("19912345678", out), 0);
    ASSERT_EQ(sg_phone_normalize("138123456789", out), -SG_TEXT_FORMAT); /* 12 digits */
    ASSERT_EQ(sg_phone_normalize("1381234567", out), -SG_TEXT_FORMAT);
    ASSERT_EQ(sg_phone_normalize("12812345678", out), -SG_TEXT_FORMAT);
    ASSERT_EQ(sg_phone_normalize("10812345678", out), -SG_TEXT_FORMAT);
    ASSERT_EQ(sg_phone_normalize("23812345678", out), -SG_TEXT_FORMAT);
    ASSERT_EQ(sg_phone_normalize("1381234567a", out), -SG_TEXT_FORMAT);
    ASSERT_EQ(sg_phone_normalize("+8512345678901", out), -SG_TEXT_FORMAT);
    ASSERT_EQ(sg_phone_normalize("+86 128 1234 5678", out), -SG_TEXT_FORMAT);
    ASSERT_EQ(sg_phone_normalize("1381234567812345678901234567890", out), -SG_TEXT_FORMAT);
    ASSERT_EQ(sg_phone_normalize("", out), -SG_TEXT_EMPTY);
    ASSERT_EQ(sg_phone_normalize(" - ", out), -SG_TEXT_EMPTY);
    ASSERT_EQ(sg_phone_normalize(NULL, out), -SG_TEXT_EMPTY);
}

static void test_free_text(void)
{
    char out[256];
    ASSERT_EQ(sg_text_normalize("  东莞市宏达电子有限公司\xE3\x80\x80", 60, out, sizeof(out)), 0);
    ASSERT_STREQ(out, "东莞市宏达电子有限公司");
    ASSERT_EQ(sg_text_normalize("A  B", 60, out, sizeof(out)), 0);
    ASSERT_STREQ(out, "A  B");
    ASSERT_EQ(sg_text_normalize("   ", 60, out, sizeof(out)), 0);
    ASSERT_STREQ(out, "");
    ASSERT_EQ(sg_text_normalize(NULL, 60, out, sizeof(out)), 0);
    ASSERT_STREQ(out, "");
    ASSERT_EQ(sg_text_normalize("Foxconn (3号厂)", 60, out, sizeof(out)), 0);
    ASSERT_EQ(sg_text_normalize("a\nb", 60, out, sizeof(out)), -SG_TEXT_CHARS);
    ASSERT_EQ(sg_text_normalize("a\x7F", 60, out, sizeof(out)), -SG_TEXT_CHARS);
    ASSERT_EQ(sg_text_normalize("a\xC2\x9B", 60, out, sizeof(out)), -SG_TEXT_CHARS);
    ASSERT_EQ(sg_text_normalize("a\xE2\x80\xAE", 60, out, sizeof(out)), -SG_TEXT_CHARS); /* RLO */
    ASSERT_EQ(sg_text_normalize("a\xC0\x80", 60, out, sizeof(out)), -SG_TEXT_UTF8);
    ASSERT_EQ(sg_text_normalize("一二三四五", 5, out, sizeof(out)), 0);
    ASSERT_EQ(sg_text_normalize("一二三四五六", 5, out, sizeof(out)), -SG_TEXT_LONG);
    ASSERT_EQ(sg_text_normalize("一二三", 60, out, 9), -SG_TEXT_LONG); /* 9 bytes + NUL */
}

/* The sg_put_* tests: out filled with '#' first (blank), then the n bytes written must be
 * want, with no NUL and nothing past them. */
static char *blank(char out[24])
{
    memset(out, '#', 24);
    return out;
}

static void check_put(const char *want, const char *out, size_t n)
{
    char got[24];
    ASSERT(n < sizeof(got));
    ASSERT_EQ(out[n], '#');
    memcpy(got, out, n);
    got[n] = '\0';
    ASSERT_STREQ(got, want);
}

static void test_put_u64(void)
{
    static const struct {
        uint64_t v;
        const char *text;
    } cases[] = {{0, "0"},
                 {7, "7"},
                 {10, "10"},
                 {99, "99"},
                 {100, "100"},
                 {4294967296ULL, "4294967296"},
                 {UINT64_MAX, "18446744073709551615"}};
    for (size_t i = 0; i != sizeof(cases) / sizeof(cases[0]); ++i) {
        char out[24];
        check_put(cases[i].text, out, sg_put_u64(blank(out), cases[i].v));
    }
}

static void test_put_i64(void)
{
    static const struct {
        int64_t v;
        const char *text;
    } cases[] = {{0, "0"},
                 {-1, "-1"},
                 {42, "42"},
                 {-2027, "-2027"},
                 {INT64_MAX, "9223372036854775807"},
                 {INT64_MIN, "-9223372036854775808"}};
    for (size_t i = 0; i != sizeof(cases) / sizeof(cases[0]); ++i) {
        char out[24];
        check_put(cases[i].text, out, sg_put_i64(blank(out), cases[i].v));
    }
}

/* As inet_ntop writes them: no leading zeros, every octet's width. */
static void test_put_ipv4(void)
{
    static const struct {
        unsigned char a[4];
        const char *text;
    } cases[] = {{{127, 0, 0, 1}, "127.0.0.1"},
                 {{0, 0, 0, 0}, "0.0.0.0"},
                 {{10, 9, 99, 100}, "10.9.99.100"},
                 {{192, 168, 1, 205}, "192.168.1.205"},
                 {{255, 255, 255, 255}, "255.255.255.255"}};
    for (size_t i = 0; i != sizeof(cases) / sizeof(cases[0]); ++i) {
        char out[24];
        check_put(cases[i].text, out, sg_put_ipv4(blank(out), cases[i].a));
    }
}

int main(void)
{
    RUN(test_put_ipv4);
    RUN(test_put_u64);
    RUN(test_put_i64);
    RUN(test_utf8);
    RUN(test_names_ok);
    RUN(test_names_dots);
    RUN(test_names_bad);
    RUN(test_names_length);
    RUN(test_phone);
    RUN(test_free_text);
    TEST_DONE();
}
