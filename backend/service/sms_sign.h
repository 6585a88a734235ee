/* SPDX-License-Identifier: MIT */
/* Request signing of the notification drivers: Tencent Cloud's TC3-HMAC-SHA256 (API 3.0,
 * used by SMS SendSms) and the webhook's HMAC-SHA256 over a timestamp and the body. Pure
 * computation on OpenSSL's SHA-256 and HMAC; no I/O. */
#ifndef SG_SERVICE_SMS_SIGN_H
#define SG_SERVICE_SMS_SIGN_H

#include <stddef.h>

/** What a TC3 signature covers: a POST of payload to https://host/ with a JSON content type. */
struct sg_tc3_request {
    const char *secret_id, *secret_key;
    const char *service;      /* "sms" (the documented example: "cvm") */
    const char *host;         /* "sms.tencentcloudapi.com" */
    const char *content_type; /* "application/json; charset=utf-8" */
    const char *payload;      /* the body, exactly as sent */
    long timestamp;           /* X-TC-Timestamp, seconds; the credential's date is its UTC date */
};

struct sg_tc3_signature {
    char hashed_payload[65];   /* hex SHA-256 of the payload */
    char hashed_canonical[65]; /* hex SHA-256 of the canonical request */
    char date[11];             /* UTC date of the timestamp */
    char signature[65];        /* hex HMAC-SHA256 with the derived key */
    char authorization[512];   /* the Authorization header's value */
};

/** Sign r (signed headers content-type;host, as the documentation's example does). */
void sg_tc3_sign(const struct sg_tc3_request *r, struct sg_tc3_signature *out);

/**
 * The webhook's signature header value: "sha256=" and the hex HMAC-SHA256, keyed with
 * secret (len bytes), of timestamp "." body. out: at least 72 bytes.
 */
void sg_webhook_sign(const unsigned char *secret, size_t len, const char *timestamp, const char *body, size_t body_len,
                     char out[72]);

#endif
