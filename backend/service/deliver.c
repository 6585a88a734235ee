/* SPDX-License-Identifier: MIT */
/* The drivers: log (the would-be message, phone masked, one line appended), webhook (a
 * signed JSON POST; 2xx delivered) and Tencent Cloud SMS (SendSms, TC3-HMAC-SHA256).
 * Blocking libcurl calls on the delivery threads, never on an event loop: Debian's h2o
 * 2.2.5 has an HTTP client, but made for proxying, with no certificate checks of its own
 * for outgoing TLS, while libcurl does them, and timeouts and proxies, as every
 * deployment expects. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include <curl/curl.h>
#include "service/notify.h"
#include "service/sms_sign.h"

void sg_notify_deliver_init(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

static void fail(struct sg_delivery *d, int result, const char *fmt, const char *detail)
{
    d->result = result;
    snprintf(d->error, sizeof(d->error), fmt, detail);
}

static void deliver_log(struct sg_delivery *d)
{
    char line[1024], at[32];
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%S%z", &tm);
    int n =
        snprintf(line, sizeof(line), "%s id=%s to=%s template=%s text=%s\n", at, d->id, d->masked, d->t->name, d->text);
    int fd = open(d->cfg->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (fd < 0 || n <= 0 || write(fd, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1) < 0)
        fail(d, 1, "cannot write %s", d->cfg->log_path);
    else
        d->result = 0;
    if (fd >= 0)
        close(fd);
}

struct body {
    char buf[4096];
    size_t len;
};

static size_t on_data(char *p, size_t size, size_t n, void *arg)
{
    struct body *b = arg;
    size_t take = size * n < sizeof(b->buf) - 1 - b->len ? size * n : sizeof(b->buf) - 1 - b->len;
    memcpy(b->buf + b->len, p, take);
    b->len += take;
    b->buf[b->len] = '\0';
    return size * n;
}

/* POST body to url with headers; the HTTP status, or -1 (d->error set) when none came. */
static long post(struct sg_delivery *d, const char *url, struct curl_slist *headers, const char *body,
                 struct body *answer)
{
    CURL *c = curl_easy_init();
    long code = -1;
    if (c == NULL) {
        fail(d, 1, "%s", "curl_easy_init failed");
        return -1;
    }
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)d->cfg->timeout_s);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, answer);
    CURLcode rc = curl_easy_perform(c);
    if (rc != CURLE_OK)
        fail(d, 1, "%s", curl_easy_strerror(rc));
    else
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    curl_easy_cleanup(c);
    return code;
}

static void deliver_webhook(struct sg_delivery *d)
{
    cJSON *o = cJSON_CreateObject(), *params = cJSON_Parse(d->params_json);
    cJSON_AddStringToObject(o, "id", d->id);
    cJSON_AddStringToObject(o, "phone", d->phone);
    cJSON_AddStringToObject(o, "template", d->t->name);
    cJSON_AddItemToObject(o, "params", params != NULL ? params : cJSON_CreateObject());
    cJSON_AddStringToObject(o, "text", d->text);
    char *body = cJSON_PrintUnformatted(o), ts[24], sig[72], h1[64], h2[96];
    cJSON_Delete(o);
    if (body == NULL)
        abort();
    snprintf(ts, sizeof(ts), "%lld", (long long)time(NULL));
    sg_webhook_sign(d->cfg->secret, d->cfg->secret_len, ts, body, strlen(body), sig);
    snprintf(h1, sizeof(h1), "X-Songgong-Timestamp: %s", ts);
    snprintf(h2, sizeof(h2), "X-Songgong-Signature: %s", sig);
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json; charset=utf-8");
    headers = curl_slist_append(headers, h1);
    headers = curl_slist_append(headers, h2);
    struct body answer = {.len = 0};
    long code = post(d, d->cfg->webhook_url, headers, body, &answer);
    char status[16];
    snprintf(status, sizeof(status), "%ld", code);
    if (code >= 200 && code < 300)
        d->result = 0;
    else if (code >= 400 && code < 500 && code != 408 && code != 429)
        fail(d, 2, "webhook answered %s", status);
    else if (code >= 0)
        fail(d, 1, "webhook answered %s", status);
    curl_slist_free_all(headers);
    memset(body, 0, strlen(body)); /* it held the phone number */
    cJSON_free(body);
}

/* The SendSms answer: {"Response":{"SendStatusSet":[{"Code":"Ok",...}]}} or {"Response":{"Error":{"Code":...}}}. */
static void tencent_answer(struct sg_delivery *d, const char *text)
{
    cJSON *root = cJSON_Parse(text);
    const cJSON *resp = cJSON_GetObjectItemCaseSensitive(root, "Response");
    const cJSON *err = cJSON_GetObjectItemCaseSensitive(resp, "Error");
    const cJSON *set = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(resp, "SendStatusSet"), 0);
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(err != NULL ? err : set, "Code");
    const char *c = cJSON_IsString(code) ? code->valuestring : "";
    if (err == NULL && strcmp(c, "Ok") == 0)
        d->result = 0;
    else if (strncmp(c, "LimitExceeded", 13) == 0 || strncmp(c, "InternalError", 13) == 0 ||
             strncmp(c, "RequestLimitExceeded", 20) == 0 || c[0] == '\0')
        fail(d, 1, "SendSms: %s", c[0] != '\0' ? c : "no answer");
    else
        fail(d, 2, "SendSms: %s", c);
    cJSON_Delete(root);
}

static void deliver_tencent(struct sg_delivery *d)
{
    const struct sg_notify_config *cfg = d->cfg;
    char phone[16], *body, ts[24], hdr[4][600];
    cJSON *o = cJSON_CreateObject(), *set = cJSON_AddArrayToObject(o, "TemplateParamSet");
    snprintf(phone, sizeof(phone), "+86%s", d->phone);
    cJSON_AddItemToObject(o, "PhoneNumberSet", cJSON_CreateStringArray((const char *const[]){phone}, 1));
    cJSON_AddStringToObject(o, "SmsSdkAppId", cfg->tencent_app);
    cJSON_AddStringToObject(o, "SignName", cfg->tencent_sign);
    cJSON_AddStringToObject(o, "TemplateId", d->t->provider_id);
    for (size_t i = 0; i != d->t->nparams; ++i)
        cJSON_AddItemToArray(set, cJSON_CreateString(d->values[i]));
    cJSON_AddStringToObject(o, "SessionContext", d->id);
    if ((body = cJSON_PrintUnformatted(o)) == NULL)
        abort();
    cJSON_Delete(o);
    long now = (long)time(NULL);
    struct sg_tc3_request r = {cfg->tencent_id,
                               cfg->tencent_key,
                               "sms",
                               "sms.tencentcloudapi.com",
                               "application/json; charset=utf-8",
                               body,
                               now};
    struct sg_tc3_signature s;
    sg_tc3_sign(&r, &s);
    snprintf(ts, sizeof(ts), "%ld", now);
    snprintf(hdr[0], sizeof(hdr[0]), "Authorization: %s", s.authorization);
    snprintf(hdr[1], sizeof(hdr[1]), "X-TC-Timestamp: %s", ts);
    snprintf(hdr[2], sizeof(hdr[2]), "X-TC-Region: %s", cfg->tencent_region);
    snprintf(hdr[3], sizeof(hdr[3]),
             "Host: sms.tencentcloudapi.com"); /* signed, whatever the URL (a test's loopback) */
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json; charset=utf-8");
    headers = curl_slist_append(headers, "X-TC-Action: SendSms");
    headers = curl_slist_append(headers, "X-TC-Version: 2021-01-11");
    for (size_t i = 0; i != 4; ++i)
        headers = curl_slist_append(headers, hdr[i]);
    struct body answer = {.len = 0};
    long code = post(d, cfg->tencent_url, headers, body, &answer);
    if (code == 200)
        tencent_answer(d, answer.buf);
    else if (code >= 0)
        fail(d, 1, "SendSms: HTTP %s", code >= 500 ? "5xx" : "error");
    curl_slist_free_all(headers);
    memset(body, 0, strlen(body));
    cJSON_free(body);
}

void sg_notify_deliver(struct sg_delivery *d)
{
    d->result = 1;
    d->error[0] = '\0';
    switch (d->cfg->driver) {
    case SG_DRIVER_WEBHOOK:
        deliver_webhook(d);
        break;
    case SG_DRIVER_TENCENT:
        deliver_tencent(d);
        break;
    default:
        deliver_log(d);
    }
}
