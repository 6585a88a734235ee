/* SPDX-License-Identifier: MIT */
/* TC3-HMAC-SHA256 as Tencent Cloud's "Signature v3" page describes it: canonical request,
 * string to sign, a key derived from "TC3" + SecretKey through the date, the service and
 * "tc3_request", and the Authorization header. The webhook's HMAC beside it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/params.h>
#include <openssl/sha.h>
#include "service/sms_sign.h"

static void hex(const unsigned char *b, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i != n; ++i) {
        out[2 * i] = digits[b[i] >> 4];
        out[2 * i + 1] = digits[b[i] & 15];
    }
    out[2 * n] = '\0';
}

static void sha256_hex(const char *s, size_t n, char out[65])
{
    unsigned char md[SHA256_DIGEST_LENGTH];
    SHA256((const unsigned char *)s, n, md);
    hex(md, sizeof(md), out);
}

static void hmac(const unsigned char *key, size_t klen, const char *msg, unsigned char out[32])
{
    unsigned int len = 32;
    HMAC(EVP_sha256(), key, (int)klen, (const unsigned char *)msg, strlen(msg), out, &len);
}

void sg_tc3_sign(const struct sg_tc3_request *r, struct sg_tc3_signature *out)
{
    char canonical[1024], to_sign[512], key0[160];
    unsigned char k1[32], k2[32], k3[32], sig[32];
    time_t t = (time_t)r->timestamp;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out->date, sizeof(out->date), "%Y-%m-%d", &tm);
    sha256_hex(r->payload, strlen(r->payload), out->hashed_payload);
    snprintf(canonical, sizeof(canonical), "POST\n/\n\ncontent-type:%s\nhost:%s\n\ncontent-type;host\n%s",
             r->content_type, r->host, out->hashed_payload);
    sha256_hex(canonical, strlen(canonical), out->hashed_canonical);
    snprintf(to_sign, sizeof(to_sign), "TC3-HMAC-SHA256\n%ld\n%s/%s/tc3_request\n%s", r->timestamp, out->date,
             r->service, out->hashed_canonical);
    snprintf(key0, sizeof(key0), "TC3%s", r->secret_key);
    hmac((const unsigned char *)key0, strlen(key0), out->date, k1);
    hmac(k1, 32, r->service, k2);
    hmac(k2, 32, "tc3_request", k3);
    hmac(k3, 32, to_sign, sig);
    hex(sig, 32, out->signature);
    snprintf(out->authorization, sizeof(out->authorization),
             "TC3-HMAC-SHA256 Credential=%s/%s/%s/tc3_request, SignedHeaders=content-type;host, Signature=%s",
             r->secret_id, out->date, r->service, out->signature);
}

void sg_webhook_sign(const unsigned char *secret, size_t len, const char *timestamp, const char *body, size_t body_len,
                     char out[72])
{
    unsigned char md[32];
    /* HMAC over timestamp "." body, without copying the body */
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    EVP_MAC_CTX *c = mac != NULL ? EVP_MAC_CTX_new(mac) : NULL;
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", (char *)"SHA256", 0), OSSL_PARAM_construct_end()};
    size_t outl = 0;
    if (c == NULL || EVP_MAC_init(c, secret, len, params) != 1 ||
        EVP_MAC_update(c, (const unsigned char *)timestamp, strlen(timestamp)) != 1 ||
        EVP_MAC_update(c, (const unsigned char *)".", 1) != 1 ||
        EVP_MAC_update(c, (const unsigned char *)body, body_len) != 1 || EVP_MAC_final(c, md, &outl, sizeof(md)) != 1)
        abort();
    EVP_MAC_CTX_free(c);
    EVP_MAC_free(mac);
    memcpy(out, "sha256=", 7);
    hex(md, outl, out + 7);
}
