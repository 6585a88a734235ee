/* SPDX-License-Identifier: MIT */
/* Tests of service/sms_sign.c: TC3-HMAC-SHA256 against the worked example of Tencent
 * Cloud's "Signature v3" documentation (DescribeInstances of CVM, timestamp 1551113065,
 * SecretKey Gu5t9xGARNpq86cd98joQYCN3EXAMPLE: the hashed payload, the hashed canonical
 * request, the date and the signature it prints), a SendSms scope, and the webhook's
 * HMAC-SHA256 against another implementation's value. */
#include "test.h"
#include "service/sms_sign.h"

static void test_documented_example(void)
{
    struct sg_tc3_request r = {
        .secret_id = "AKID**********************0123456789EXAMPLE",
        .secret_key = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
        .service = "cvm",
        .host = "cvm.tencentcloudapi.com",
        .content_type = "application/json; charset=utf-8",
        .payload =
            "{\"Limit\": 1, \"Filters\": [{\"Values\": [\"\\u672a\\u547d\\u540d\"], \"Name\": \"instance-name\"}]}",
        .timestamp = 1551113065,
    };
    struct sg_tc3_signature s;
    sg_tc3_sign(&r, &s);
    ASSERT_STREQ(s.hashed_payload, "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064");
    ASSERT_STREQ(s.hashed_canonical, "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031");
    ASSERT_STREQ(s.date, "2019-02-25"); /* UTC: 2019-02-26 00:44 in China */
    ASSERT_STREQ(s.signature, "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
    ASSERT_STREQ(s.authorization, "TC3-HMAC-SHA256 Credential=AKID**********************0123456789EXAMPLE/2019-02-25/"
                                  "cvm/tc3_request, SignedHeaders=content-type;host, "
                                  "Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
}

static void test_sms_scope(void)
{
    struct sg_tc3_request r = {.secret_id = "AKIDEXAMPLE",
                               .secret_key = "k",
                               .service = "sms",
                               .host = "sms.tencentcloudapi.com",
                               .content_type = "application/json; charset=utf-8",
                               .payload = "{}",
                               .timestamp = 1799510400};
    struct sg_tc3_signature a, b;
    sg_tc3_sign(&r, &a);
    ASSERT(strstr(a.authorization, "Credential=AKIDEXAMPLE/2027-01-09/sms/tc3_request") != NULL);
    r.payload = "{ }"; /* any change of the body changes the signature */
    sg_tc3_sign(&r, &b);
    ASSERT(strcmp(a.signature, b.signature) != 0);
}

static void test_webhook(void)
{
    /* the value Node's crypto.createHmac("sha256", "Jefe").update('1700000000.{"id":"1"}') gives */
    char sig[72];
    sg_webhook_sign((const unsigned char *)"Jefe", 4, "1700000000", "{\"id\":\"1\"}", 10, sig);
    ASSERT_STREQ(sig, "sha256=63db3f5e41c08d5b2a67c2bc3346a926b454025f882ca533dad4f7a3cf2f8c2a");
    sg_webhook_sign((const unsigned char *)"Jefe", 4, "1700000001", "{\"id\":\"1\"}", 10, sig);
    ASSERT(strcmp(sig, "sha256=63db3f5e41c08d5b2a67c2bc3346a926b454025f882ca533dad4f7a3cf2f8c2a") != 0);
}

int main(void)
{
    RUN(test_documented_example);
    RUN(test_sms_scope);
    RUN(test_webhook);
    TEST_DONE();
}
