/* SPDX-License-Identifier: MIT */
/* http/core/request.c: the JSON body gate answers the same for every handler (415 for
 * another Content-Type, 413 over the limit, 400 for an empty body, bad JSON or a
 * non-object), typed getters name the field of a wrongly typed member, and query
 * parameters are found, decoded and parsed as numbers strictly. */
#include <h2o.h>
#include "http/core/request.h"
#include "test.h"

static int gate(const char *type, const char *body, size_t max, const char **code)
{
    cJSON *root = NULL;
    int status = sg_json_body_parse(type, type != NULL ? strlen(type) : 0, body, strlen(body), max, &root, code);
    ASSERT((status == 0) == (root != NULL));
    cJSON_Delete(root);
    return status;
}

static void test_body_gate(void)
{
    const char *code;
    ASSERT_EQ(gate("application/json", "{\"a\":1}", 100, &code), 0);
    ASSERT(code == NULL);
    ASSERT_EQ(gate("application/json; charset=utf-8", "{}", 100, &code), 0);
    ASSERT_EQ(gate("Application/JSON", "{}", 100, &code), 0);
    ASSERT_EQ(gate(NULL, "{}", 100, &code), 415);
    ASSERT_STREQ(code, "unsupported_media_type");
    ASSERT_EQ(gate("text/plain", "{}", 100, &code), 415);
    ASSERT_EQ(gate("application/jsonp", "{}", 100, &code), 415);
    ASSERT_EQ(gate("application/x-www-form-urlencoded", "a=1", 100, &code), 415);
    ASSERT_EQ(gate("application/json", "{\"a\":\"0123456789\"}", 10, &code), 413);
    ASSERT_STREQ(code, "too_large");
    ASSERT_EQ(gate("application/json", "", 100, &code), 400);
    ASSERT_STREQ(code, "bad_json");
    ASSERT_EQ(gate("application/json", "{", 100, &code), 400);
    ASSERT_EQ(gate("application/json", "[1,2]", 100, &code), 400);
    ASSERT_EQ(gate("application/json", "\"text\"", 100, &code), 400);
    ASSERT_EQ(gate("application/json", "null", 100, &code), 400);
    /* a body of exactly max bytes passes */
    ASSERT_EQ(gate("application/json", "{\"a\":1}", 7, &code), 0);
    /* the body need not be NUL-terminated: only len bytes are read */
    cJSON *root = NULL;
    ASSERT_EQ(sg_json_body_parse("application/json", 16, "{\"a\":1}garbage", 7, 100, &root, &code), 0);
    cJSON_Delete(root);
}

static void test_typed_getters(void)
{
    cJSON *o =
        cJSON_Parse("{\"s\":\"x\",\"n\":3,\"f\":1.5,\"neg\":-2,\"big\":5000,\"b\":true,\"nul\":null,\"arr\":[]}");
    struct sg_field_errors errs = {0};
    ASSERT_STREQ(sg_json_string(o, "s", NULL, &errs), "x");
    ASSERT(sg_json_string(o, "missing", NULL, &errs) == NULL);
    ASSERT(sg_json_string(o, "nul", NULL, &errs) == NULL);
    ASSERT_EQ(errs.n, 0);
    ASSERT(sg_json_string(o, "n", "people[1].name", &errs) == NULL);
    ASSERT_EQ(errs.n, 1);
    ASSERT_STREQ(errs.e[0].field, "people[1].name");
    ASSERT_STREQ(errs.e[0].code, "type");
    ASSERT_EQ(sg_json_bool(o, "b", NULL, &errs), 1);
    ASSERT_EQ(sg_json_bool(o, "missing", NULL, &errs), -1);
    ASSERT_EQ(sg_json_bool(o, "s", NULL, &errs), -1);
    ASSERT_EQ(errs.n, 2);
    ASSERT_STREQ(errs.e[1].field, "s");
    ASSERT_EQ(sg_json_count(o, "n", NULL, 10, &errs), 3);
    ASSERT_EQ(sg_json_count(o, "big", NULL, 10, &errs), 11); /* out of range: max + 1 for the domain's rule */
    ASSERT_EQ(sg_json_count(o, "neg", NULL, 10, &errs), 11);
    ASSERT_EQ(sg_json_count(o, "missing", NULL, 10, &errs), -1);
    ASSERT_EQ(errs.n, 2);
    ASSERT_EQ(sg_json_count(o, "f", NULL, 10, &errs), -1); /* a fraction is not a count */
    ASSERT_EQ(sg_json_count(o, "arr", NULL, 10, &errs), -1);
    ASSERT_EQ(errs.n, 4);
    ASSERT(sg_json_string(NULL, "s", NULL, &errs) == NULL); /* no object: all absent */
    ASSERT(sg_json_string(o, "n", NULL, NULL) == NULL);     /* errs may be NULL */
    ASSERT_EQ(errs.n, 4);
    cJSON_Delete(o);
}

/* Found by fuzz_signup: {"flex_days":1e300} made sg_json_count convert a double far out
 * of a long's range (undefined behaviour). Such a number is a whole number out of range. */
static void test_count_huge(void)
{
    cJSON *o = cJSON_Parse("{\"up\":1e300,\"down\":-1e300,\"edge\":9223372036854775807,\"inf\":1e999}");
    struct sg_field_errors errs = {0};
    ASSERT_EQ(sg_json_count(o, "up", NULL, 3, &errs), 4);
    ASSERT_EQ(sg_json_count(o, "down", NULL, 3, &errs), 4);
    ASSERT_EQ(sg_json_count(o, "edge", NULL, 3, &errs), 4);
    ASSERT_EQ(errs.n, 0);
    ASSERT_EQ(sg_json_count(o, "inf", NULL, 3, &errs), -1); /* not a number JSON can hold: "type" */
    ASSERT_EQ(errs.n, 1);
    ASSERT_STREQ(errs.e[0].code, "type");
    cJSON_Delete(o);
}

static const char *find(const char *query, const char *name)
{
    static char out[64];
    size_t vlen;
    const char *v = sg_query_find(query, strlen(query), name, &vlen);
    if (v == NULL)
        return NULL;
    memcpy(out, v, vlen);
    out[vlen] = '\0';
    return out;
}

static void test_query_find(void)
{
    ASSERT_STREQ(find("scope=4501&q=abc", "scope"), "4501");
    ASSERT_STREQ(find("scope=4501&q=abc", "q"), "abc");
    ASSERT(find("scope=4501&q=abc", "sc") == NULL); /* a prefix of another name */
    ASSERT(find("xscope=1", "scope") == NULL);      /* a suffix */
    ASSERT(find("scope", "scope") == NULL);         /* no '=' */
    ASSERT_STREQ(find("scope=&q=1", "scope"), "");  /* empty value */
    ASSERT_STREQ(find("a=1&a=2", "a"), "1");        /* first wins */
    ASSERT_STREQ(find("&&a=1&", "a"), "1");         /* stray separators */
    ASSERT(find("", "a") == NULL);
}

static void test_percent_decode(void)
{
    char out[64];
    ASSERT_EQ(sg_percent_decode("a%20b+c", 7, out), 5);
    ASSERT_STREQ(out, "a b c");
    sg_percent_decode("%E9%9F%A6", 9, out);
    ASSERT_STREQ(out, "韦");
    sg_percent_decode("100%", 4, out); /* a lone % stays */
    ASSERT_STREQ(out, "100%");
    sg_percent_decode("%zz%4", 5, out);
    ASSERT_STREQ(out, "%zz%4");
    ASSERT_EQ(sg_percent_decode("ab%00cd", 7, out), 2); /* %00 ends the value */
    ASSERT_STREQ(out, "ab");
}

static void test_numbers(void)
{
    long v = 7;
    ASSERT(sg_parse_number("42", 1, 100, &v) && v == 42);
    ASSERT(!sg_parse_number("0", 1, 100, &v) && v == 42);
    ASSERT(!sg_parse_number("101", 1, 100, &v));
    ASSERT(!sg_parse_number("", 1, 100, &v));
    ASSERT(!sg_parse_number("-", 1, 100, &v));
    ASSERT(!sg_parse_number("-1", 1, 100, &v));
    ASSERT(sg_parse_number("-1", -5, 100, &v) && v == -1);
    ASSERT(!sg_parse_number("--1", -5, 100, &v));
    ASSERT(!sg_parse_number("1e3", 1, 10000, &v));
    ASSERT(!sg_parse_number(" 12", 1, 100, &v));
    ASSERT(!sg_parse_number("12 ", 1, 100, &v));
    ASSERT(!sg_parse_number("0x10", 0, 100, &v));
    ASSERT(!sg_parse_number("99999999999999999999", 0, 100, &v)); /* overflow is refused, not wrapped */
    ASSERT(sg_parse_number("007", 0, 100, &v) && v == 7);
}

int main(void)
{
    RUN(test_body_gate);
    RUN(test_typed_getters);
    RUN(test_count_huge);
    RUN(test_query_find);
    RUN(test_percent_decode);
    RUN(test_numbers);
    TEST_DONE();
}
