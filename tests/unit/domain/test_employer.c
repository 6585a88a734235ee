/* SPDX-License-Identifier: MIT */
/* Tests of domain/employer.c: the GB 32100-2015 check character on published codes, each
 * way a code is wrong, an employer's fields, and who may change one. */
#include "test.h"
#include "domain/employer.h"
#include "domain/err.h"

static struct sg_divisions *destinations;

static void setup(void)
{
    static const char text[] = "44\t广东省\n4419\t东莞市\n45\t广西壮族自治区\n4501\t南宁市\n";
    size_t bad = 0;
    char *buf = malloc(sizeof(text) - 1);
    memcpy(buf, text, sizeof(text) - 1);
    destinations = sg_divisions_parse(buf, sizeof(text) - 1, false, &bad);
    ASSERT(destinations != NULL);
}

static void test_published_codes(void)
{
    /* codes printed on business licences (the standard's example, large companies) */
    static const char *const good[] = {"91350100M000100Y43", "914403001922038216", "911000001000013428",
                                       "9144030071526726XG", "91330100716105852F"};
    char out[SG_CREDIT_CODE_LEN + 1];
    for (size_t i = 0; i != sizeof(good) / sizeof(good[0]); ++i) {
        ASSERT(sg_credit_code_check(good[i], out) == NULL);
        ASSERT_STREQ(out, good[i]);
        ASSERT_EQ(sg_credit_code_check_char(good[i]), good[i][17]);
    }
    ASSERT(sg_credit_code_check(" 9144030071526726xg ", out) == NULL); /* trimmed, upper-cased */
    ASSERT_STREQ(out, "9144030071526726XG");
}

static void test_bad_codes(void)
{
    char out[SG_CREDIT_CODE_LEN + 1];
    ASSERT_STREQ(sg_credit_code_check("91350100M000100Y44", out), "credit_check"); /* last character changed */
    ASSERT_STREQ(sg_credit_code_check("91350100M000100Y4", out), "credit_length");
    ASSERT_STREQ(sg_credit_code_check("91350100M000100Y433", out), "credit_length");
    ASSERT_STREQ(sg_credit_code_check("91350100M0001O0Y43", out), "credit_chars"); /* letter O */
    ASSERT_STREQ(sg_credit_code_check("913A0100M000100Y43", out), "credit_chars"); /* division not digits */
    ASSERT_STREQ(sg_credit_code_check("9135 0100M000100Y43", out), "credit_length");
    ASSERT_STREQ(sg_credit_code_check("   ", out), "required");
    ASSERT_STREQ(sg_credit_code_check(NULL, out), "required");
    /* a swap of two characters changes the check (weights differ) */
    ASSERT_STREQ(sg_credit_code_check("91530100M000100Y43", out), "credit_check");
}

static bool has(const struct sg_field_errors *e, const char *field, const char *code)
{
    for (size_t i = 0; i != e->n; ++i)
        if (strcmp(e->e[i].field, field) == 0 && strcmp(e->e[i].code, code) == 0)
            return true;
    return false;
}

static void test_validate(void)
{
    struct sg_employer e = {0};
    struct sg_field_errors errs;
    struct sg_employer_input in = {.name = " 东莞市宏达电子有限公司 ",
                                   .credit_code = "91350100M000100Y43",
                                   .city = "4419",
                                   .park = "松山湖园区",
                                   .industry = "manufacturing",
                                   .contact_name = "陈经理",
                                   .contact_phone = "139 1234 5678",
                                   .key = 1};
    ASSERT_EQ(sg_employer_validate(&in, destinations, &e, &errs), 0);
    ASSERT_STREQ(e.name, "东莞市宏达电子有限公司");
    ASSERT_STREQ(e.city, "4419");
    ASSERT_STREQ(e.contact_phone, "13912345678");
    ASSERT(e.key);
    ASSERT_EQ(e.industry, sg_work_parse("manufacturing"));
    in = (struct sg_employer_input){
        .credit_code = "91350100M000100Y44", .city = "44", .industry = "mining", .contact_phone = "12345", .key = -1};
    ASSERT_EQ(sg_employer_validate(&in, destinations, &e, &errs), SG_EINVAL);
    ASSERT(has(&errs, "name", "required"));
    ASSERT(has(&errs, "credit_code", "credit_check"));
    ASSERT(has(&errs, "city", "unknown_city"));
    ASSERT(has(&errs, "industry", "work_enum"));
    ASSERT(has(&errs, "contact_phone", "phone_format"));
}

static void test_scope(void)
{
    struct sg_employer e = {.scope = "450102", .city = "4419"};
    ASSERT(sg_employer_in_scope(&e, "4501"));
    ASSERT(sg_employer_in_scope(&e, "450102"));
    ASSERT(!sg_employer_in_scope(&e, "450103"));
    ASSERT(sg_employer_in_scope(&e, "44")); /* not a scope of this province, but where it is */
    struct sg_employer local = {.scope = "45", .city = "4501"};
    ASSERT(sg_employer_in_scope(&local, "4501")); /* located in Nanning */
    ASSERT(!sg_employer_in_scope(&local, "4502"));
    ASSERT(!sg_employer_in_scope(&local, "450102")); /* a county does not own its city's employers */
}

int main(void)
{
    setup();
    RUN(test_published_codes);
    RUN(test_bad_codes);
    RUN(test_validate);
    RUN(test_scope);
    sg_divisions_free(destinations);
    TEST_DONE();
}
