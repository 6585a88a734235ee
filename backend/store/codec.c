/* SPDX-License-Identifier: MIT */
/* Registration data as JSON: written by hand (the hot path of every sign-up: no
 * allocation), read back with cJSON (lookups are rare). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include <sodium.h>
#include "domain/employer.h"
#include "domain/mask.h"
#include "domain/err.h"
#include "store/codec.h"

struct out {
    char *buf;
    size_t len;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(o->buf + o->len, SG__DATA_MAX - o->len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= SG__DATA_MAX - o->len)
        abort(); /* SG__DATA_MAX is sized for the largest valid registration */
    o->len += (size_t)n;
}

/* A JSON string. Input is valid UTF-8 without control characters (validated), but
 * quotes and backslashes may appear in free text. */
static void put_str(struct out *o, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    if (o->len + 6 * strlen(s) + 3 > SG__DATA_MAX)
        abort(); /* SG__DATA_MAX is sized for the largest valid registration */
    char *d = o->buf + o->len;
    *d++ = '"';
    for (; *s != '\0'; ++s) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\') {
            *d++ = '\\';
            *d++ = (char)ch;
        } else if (ch < 0x20) {
            memcpy(d, "\\u00", 4);
            d[4] = hex[ch >> 4];
            d[5] = hex[ch & 15];
            d += 6;
        } else {
            *d++ = (char)ch;
        }
    }
    *d++ = '"';
    *d = '\0';
    o->len = (size_t)(d - o->buf);
}

void sg__phone_hash(const struct sg_crypto *c, const char *phone, char out[SG_CRYPTO_HASH_HEX])
{
    char tagged[24];
    snprintf(tagged, sizeof(tagged), "tel:%s", phone); /* never equal to a hashed ID number */
    sg_crypto_hash(c, tagged, out);
}

void sg__seal(const struct sg_crypto *c, const struct sg_registration *r, struct sg__sealed *out)
{
    for (size_t i = 0; i != r->npeople; ++i) {
        const struct sg_person *p = &r->people[i];
        sg_crypto_hash(c, p->id.number, out->hashes[i]);
        sg_crypto_seal(c, p->id.number, out->id[i]);
        out->phone[i][0] = out->phash[i][0] = '\0';
        if (p->phone[0] != '\0') {
            sg_crypto_seal(c, p->phone, out->phone[i]);
            sg__phone_hash(c, p->phone, out->phash[i]);
        }
    }
}

static void put_person(struct out *o, const struct sg_person *p, const struct sg__sealed *sealed, size_t i)
{
    char id_masked[19], phone_masked[12] = "";
    sg_mask_idno(p->id.number, id_masked);
    if (p->phone[0] != '\0')
        sg_mask_phone(p->phone, phone_masked);
    put(o, "%s{\"name\":", i == 0 ? "" : ",");
    put_str(o, p->name);
    put(o,
        ",\"id\":\"%s\",\"idh\":\"%s\",\"phone\":\"%s\",\"id_masked\":\"%s\",\"phone_masked\":\"%s\",\"sex\":%d,"
        "\"by\":%d,\"poverty\":\"%s\",\"flag\":\"%s\",\"ph\":\"%s\"}",
        sealed->id[i], sealed->hashes[i], sealed->phone[i], id_masked, phone_masked, p->id.sex, p->id.birth.y,
        sg_poverty_name(p->poverty), p->region_unknown ? "region_unknown" : "", sealed->phash[i]);
}

size_t sg__data_encode(const struct sg_registration *r, const struct sg__sealed *sealed, const char *entered_by,
                       char out[SG__DATA_MAX])
{
    struct out o = {out, 0};
    char date[11];
    sg_date_format(r->depart_date, date);
    put(&o, "{\"dest_city\":\"%s\",\"employer\":", r->dest_city);
    put_str(&o, r->employer);
    put(&o, ",\"job_confirmed\":%s,\"depart_date\":\"%s\",\"flex_days\":%d,\"mode\":\"%s\",\"entered_by\":",
        r->job_confirmed ? "true" : "false", date, r->flex_days, sg_mode_name(r->mode));
    put_str(&o, entered_by);
    /* jobs (issue 17): the registered employer picked, 想找工作 and the kind, consent to SMS */
    put(&o, ",\"employer_id\":\"%s\",\"seek\":%s,\"work\":\"%s\",\"sms\":%s", r->employer_id,
        r->seek_job ? "true" : "false", r->seek_job ? sg_work_name(r->work) : "", r->sms ? "true" : "false");
    put(&o, ",\"people\":[");
    for (size_t i = 0; i != r->npeople; ++i)
        put_person(&o, &r->people[i], sealed, i);
    put(&o, "]}");
    return o.len;
}

static const char *str(const cJSON *obj, const char *name)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);
    return cJSON_IsString(item) ? item->valuestring : NULL;
}

static int copy(char *dst, size_t dstsz, const char *src)
{
    if (src == NULL || strlen(src) >= dstsz)
        return SG_EIO;
    memcpy(dst, src, strlen(src) + 1);
    return 0;
}

/* Open the sealed numbers into p. */
static int open_numbers(const struct sg_crypto *c, const char *id, const char *phone, struct sg_person *p)
{
    if (sg_crypto_open(c, id, strlen(id), p->id.number, sizeof(p->id.number)) != 0 ||
        (phone[0] != '\0' && sg_crypto_open(c, phone, strlen(phone), p->phone, sizeof(p->phone)) != 0))
        return SG_EIO;
    return 0;
}

/* The masked numbers: stored since the staff lists came; older rows are opened and masked. */
static int masked_numbers(const struct sg_crypto *c, const cJSON *obj, bool decrypt, struct sg_person *p,
                          char id_masked[19], char phone_masked[12])
{
    const char *idm = str(obj, "id_masked"), *pm = str(obj, "phone_masked");
    if (idm != NULL && pm != NULL && strlen(idm) == 18 && (pm[0] == '\0' || strlen(pm) == 11)) {
        memcpy(id_masked, idm, 19);
        memcpy(phone_masked, pm, strlen(pm) + 1);
        return 0;
    }
    if (!decrypt && open_numbers(c, str(obj, "id"), str(obj, "phone"), p) != 0)
        return SG_EIO;
    sg_mask_idno(p->id.number, id_masked);
    phone_masked[0] = '\0';
    if (p->phone[0] != '\0')
        sg_mask_phone(p->phone, phone_masked);
    if (!decrypt) {
        sodium_memzero(p->id.number, sizeof(p->id.number));
        sodium_memzero(p->phone, sizeof(p->phone));
    }
    return 0;
}

/* The birth date staff may know: the whole date from the opened ID number, else only the
 * year kept in plain ("by"; January 1st stands for the day, so ages are by year). Rows of
 * layout 2 kept the date ("birth"): read until `songgong migrate` rewrites them. */
static int decode_birth(const cJSON *obj, bool decrypt, struct sg_idno *id)
{
    const cJSON *by = cJSON_GetObjectItemCaseSensitive(obj, "by");
    const char *birth = str(obj, "birth");
    if (decrypt && strlen(id->number) == 18) {
        char ymd[11];
        snprintf(ymd, sizeof(ymd), "%.4s-%.2s-%.2s", id->number + 6, id->number + 10, id->number + 12);
        return sg_date_parse(ymd, &id->birth);
    }
    if (cJSON_IsNumber(by) && by->valueint >= 1900 && by->valueint <= 2100) {
        id->birth = (struct sg_date){by->valueint, 1, 1};
        return 0;
    }
    if (birth == NULL || sg_date_parse(birth, &id->birth) != 0)
        return -1;
    id->birth.m = id->birth.d = 1;
    return 0;
}

static int decode_person(const struct sg_crypto *c, const cJSON *obj, bool decrypt, struct sg_person *p,
                         char id_masked[19], char phone_masked[12])
{
    const char *id = str(obj, "id"), *phone = str(obj, "phone");
    const cJSON *sex = cJSON_GetObjectItemCaseSensitive(obj, "sex");
    int poverty = sg_poverty_parse(str(obj, "poverty") != NULL ? str(obj, "poverty") : "");
    if (copy(p->name, sizeof(p->name), str(obj, "name")) != 0 || id == NULL || phone == NULL || !cJSON_IsNumber(sex) ||
        poverty < 0 || (decrypt && open_numbers(c, id, phone, p) != 0) ||
        masked_numbers(c, obj, decrypt, p, id_masked, phone_masked) != 0 || decode_birth(obj, decrypt, &p->id) != 0)
        return SG_EIO;
    memcpy(p->id.region, id_masked, 6); /* the masked number keeps the region */
    p->id.region[6] = '\0';
    p->id.sex = sex->valueint;
    p->poverty = (enum sg_poverty)poverty;
    p->region_unknown = str(obj, "flag") != NULL && strcmp(str(obj, "flag"), "region_unknown") == 0;
    return 0;
}

static int decode_trip(const cJSON *root, struct sg_registration *r, char entered_by[64])
{
    const cJSON *flex = cJSON_GetObjectItemCaseSensitive(root, "flex_days");
    const char *date = str(root, "depart_date"), *mode = str(root, "mode");
    if (copy(r->dest_city, sizeof(r->dest_city), str(root, "dest_city")) != 0 ||
        copy(r->employer, sizeof(r->employer), str(root, "employer")) != 0 ||
        copy(entered_by, 64, str(root, "entered_by")) != 0 || date == NULL ||
        sg_date_parse(date, &r->depart_date) != 0 || mode == NULL || sg_mode_parse(mode) < 0 || !cJSON_IsNumber(flex))
        return SG_EIO;
    r->mode = (enum sg_mode)sg_mode_parse(mode);
    r->flex_days = flex->valueint;
    r->job_confirmed = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "job_confirmed"));
    const char *emp = str(root, "employer_id");
    snprintf(r->employer_id, sizeof(r->employer_id), "%s", emp != NULL ? emp : "");
    r->seek_job = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "seek"));
    r->work = r->seek_job ? sg_work_parse(str(root, "work")) : -1;
    r->sms = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "sms"));
    return 0;
}

int sg__data_decode(const struct sg_crypto *c, const char *json, size_t len, bool decrypt,
                    struct sg_stored_registration *out)
{
    cJSON *root = cJSON_ParseWithLength(json, len), *item;
    const cJSON *people = cJSON_GetObjectItemCaseSensitive(root, "people");
    struct sg_registration *r = &out->reg;
    int ret = SG_EIO;
    if (!cJSON_IsObject(root) || !cJSON_IsArray(people) || cJSON_GetArraySize(people) < 1 ||
        cJSON_GetArraySize(people) > SG_MAX_PEOPLE || decode_trip(root, r, out->entered_by) != 0)
        goto Exit;
    r->npeople = 0;
    cJSON_ArrayForEach(item, people) {
        size_t i = r->npeople++;
        if (decode_person(c, item, decrypt, &r->people[i], out->id_masked[i], out->phone_masked[i]) != 0)
            goto Exit;
    }
    out->decrypted = decrypt;
    ret = 0;
Exit:
    cJSON_Delete(root);
    return ret;
}
