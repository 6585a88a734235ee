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
#include "domain/text.h"
#include "store/codec.h"

struct out {
    char *buf;
    size_t len;
};

/* The encoder appends pieces by hand, not through printf: it runs on every sign-up. */
static void put_n(struct out *o, const char *s, size_t n)
{
    if (n >= SG__DATA_MAX - o->len)
        abort(); /* SG__DATA_MAX is sized for the largest valid registration */
    memcpy(o->buf + o->len, s, n);
    o->len += n;
    o->buf[o->len] = '\0';
}
#define PUT(o, literal) put_n(o, literal, sizeof(literal) - 1)

static void put_s(struct out *o, const char *s)
{
    put_n(o, s, strlen(s));
}

static void put_i(struct out *o, long v)
{
    char tmp[24];
    put_n(o, tmp, sg_put_i64(tmp, v));
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
    char tagged[24]; /* "tel:" and the number (cut at 19 bytes): never equal to a hashed ID number */
    size_t n = strnlen(phone, sizeof(tagged) - 5);
    memcpy(tagged, "tel:", 4);
    memcpy(tagged + 4, phone, n);
    tagged[4 + n] = '\0';
    sg_crypto_hash(c, tagged, out);
    sodium_memzero(tagged, sizeof(tagged));
}

void sg__seal(const struct sg_crypto *c, const struct sg_registration *r, struct sg__sealed *out)
{
    for (size_t i = 0; i != r->npeople; ++i) {
        const struct sg_person *p = &r->people[i];
        sg_crypto_hash(c, p->id.number, out->hashes[i]);
        sg_crypto_seal_number(c, p->id.number, out->id[i]);
        out->phone[i][0] = out->phash[i][0] = '\0';
        if (p->phone[0] != '\0') {
            sg_crypto_seal_number(c, p->phone, out->phone[i]);
            sg__phone_hash(c, p->phone, out->phash[i]);
        }
    }
}

/* Layout 4 (docs/redis-keys.md): short names, the numbers sealed compactly
 * (sg_crypto_seal_number), the masked numbers without their stars (the first 6 and last 4
 * digits of the ID number, the first 3 and last 4 of the phone; the sex is the ID number's
 * 17th digit, among the last 4), and a field at its default (empty, false, "none", "any",
 * 0) left out, but a person's phone and ph (push.c counts them). The names tests and tools
 * read stay as they were: dest_city, depart_date, people, id, phone, id_masked, by. */
static void put_person(struct out *o, const struct sg_person *p, const struct sg__sealed *sealed, size_t i)
{
    const char *id = p->id.number;
    put_s(o, i == 0 ? "{\"n\":" : ",{\"n\":");
    put_str(o, p->name);
    PUT(o, ",\"id\":\"");
    put_s(o, sealed->id[i]);
    PUT(o, "\",\"h\":\"");
    put_s(o, sealed->hashes[i]);
    PUT(o, "\",\"id_masked\":\"");
    put_n(o, id, 6);
    put_n(o, id + 14, 4);
    PUT(o, "\",\"by\":");
    put_i(o, p->id.birth.y);
    /* phone and ph even when empty: push.c finds person i's as the i-th of each */
    PUT(o, ",\"phone\":\"");
    put_s(o, sealed->phone[i]);
    PUT(o, "\",\"ph\":\"");
    put_s(o, sealed->phash[i]);
    PUT(o, "\"");
    if (p->phone[0] != '\0') {
        PUT(o, ",\"pm\":\"");
        put_n(o, p->phone, 3);
        put_n(o, p->phone + 7, 4);
        PUT(o, "\"");
    }
    if (p->poverty != SG_POVERTY_NONE) {
        PUT(o, ",\"v\":");
        put_i(o, (long)p->poverty);
    }
    if (p->low_income)
        PUT(o, ",\"lo\":1");
    if (p->region_unknown)
        PUT(o, ",\"g\":1");
    PUT(o, "}");
}

size_t sg__data_encode(const struct sg_registration *r, const struct sg__sealed *sealed, const char *entered_by,
                       char out[SG__DATA_MAX])
{
    struct out o = {out, 0};
    char date[11];
    sg_date_format(r->depart_date, date);
    PUT(&o, "{\"dest_city\":\"");
    put_s(&o, r->dest_city);
    PUT(&o, "\",\"depart_date\":\"");
    put_s(&o, date);
    PUT(&o, "\",\"f\":");
    put_i(&o, r->flex_days);
    if (r->mode != SG_MODE_ANY) {
        PUT(&o, ",\"m\":\"");
        put_s(&o, sg_mode_name(r->mode));
        PUT(&o, "\"");
    }
    if (r->employer[0] != '\0') {
        PUT(&o, ",\"e\":");
        put_str(&o, r->employer);
    }
    if (r->job_confirmed)
        PUT(&o, ",\"j\":1");
    if (entered_by[0] != '\0') {
        PUT(&o, ",\"eb\":");
        put_str(&o, entered_by);
    }
    /* jobs (issue 17): the registered employer picked, 想找工作 and the kind, consent to SMS */
    if (r->employer_id[0] != '\0') {
        PUT(&o, ",\"ei\":\"");
        put_s(&o, r->employer_id);
        PUT(&o, "\"");
    }
    if (r->seek_job) {
        PUT(&o, ",\"s\":1,\"w\":\"");
        put_s(&o, sg_work_name(r->work));
        PUT(&o, "\"");
    }
    if (r->sms)
        PUT(&o, ",\"t\":1");
    PUT(&o, ",\"people\":[");
    for (size_t i = 0; i != r->npeople; ++i)
        put_person(&o, &r->people[i], sealed, i);
    PUT(&o, "]}");
    return o.len;
}

static const char *str(const cJSON *obj, const char *name)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);
    return cJSON_IsString(item) ? item->valuestring : NULL;
}

/* A field by its name of layout 4, else of layout 3 (long); NULL when neither is there. */
static const cJSON *item2(const cJSON *obj, const char *name, const char *old)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);
    return item != NULL ? item : cJSON_GetObjectItemCaseSensitive(obj, old);
}

/* A string field (layout 4 or 3), or dflt when left out (layout 4 leaves defaults out). */
static const char *str2(const cJSON *obj, const char *name, const char *old, const char *dflt)
{
    const cJSON *item = item2(obj, name, old);
    return item == NULL ? dflt : cJSON_IsString(item) ? item->valuestring : NULL;
}

/* A flag: true, or 1 (layout 4); false when left out. */
static bool flag2(const cJSON *obj, const char *name, const char *old)
{
    const cJSON *item = item2(obj, name, old);
    return cJSON_IsTrue(item) || (cJSON_IsNumber(item) && item->valueint == 1);
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
    const char *idm = str(obj, "id_masked"), *pm = str(obj, "pm"), *phone = str2(obj, "phone", "phone", "");
    if (idm != NULL && strlen(idm) == 10 && phone != NULL && (pm != NULL ? strlen(pm) == 7 : phone[0] == '\0')) {
        snprintf(id_masked, 19, "%.6s********%.4s", idm, idm + 6); /* layout 4: without the stars */
        phone_masked[0] = '\0';
        if (pm != NULL)
            snprintf(phone_masked, 12, "%.3s****%.4s", pm, pm + 3);
        return 0;
    }
    pm = str(obj, "phone_masked"); /* layout 3 */
    if (idm != NULL && pm != NULL && strlen(idm) == 18 && (pm[0] == '\0' || strlen(pm) == 11)) {
        memcpy(id_masked, idm, 19);
        memcpy(phone_masked, pm, strlen(pm) + 1);
        return 0;
    }
    if (!decrypt && open_numbers(c, str(obj, "id"), phone != NULL ? phone : "", p) != 0)
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

/* Poverty: layout 4 keeps enum sg_poverty as a number ("v", absent: none), layout 3 its name. */
static int decode_poverty(const cJSON *obj)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "v");
    const char *name = str(obj, "poverty");
    if (v != NULL)
        return cJSON_IsNumber(v) && v->valueint >= SG_POVERTY_NONE && v->valueint <= SG_POVERTY_MONITORED ? v->valueint
                                                                                                          : -1;
    return sg_poverty_parse(name != NULL ? name : "none");
}

static int decode_person(const struct sg_crypto *c, const cJSON *obj, bool decrypt, struct sg_person *p,
                         char id_masked[19], char phone_masked[12])
{
    const char *id = str(obj, "id"), *phone = str2(obj, "phone", "phone", "");
    const cJSON *sex = cJSON_GetObjectItemCaseSensitive(obj, "sex"); /* layout 3 */
    int poverty = decode_poverty(obj);
    if (copy(p->name, sizeof(p->name), str2(obj, "n", "name", NULL)) != 0 || id == NULL || phone == NULL ||
        (sex != NULL && !cJSON_IsNumber(sex)) || poverty < 0 || (decrypt && open_numbers(c, id, phone, p) != 0) ||
        masked_numbers(c, obj, decrypt, p, id_masked, phone_masked) != 0 || decode_birth(obj, decrypt, &p->id) != 0)
        return SG_EIO;
    memcpy(p->id.region, id_masked, 6); /* the masked number keeps the region */
    p->id.region[6] = '\0';
    /* and the 17th digit, whose parity is the sex (odd: male) */
    p->id.sex = sex != NULL ? sex->valueint : (id_masked[16] - '0') % 2 == 1 ? 1 : 2;
    p->poverty = (enum sg_poverty)poverty;
    const char *flag = str(obj, "flag"); /* layout 3: "region_unknown" or "" */
    p->region_unknown = flag2(obj, "g", "g") || (flag != NULL && strcmp(flag, "region_unknown") == 0);
    p->low_income = flag2(obj, "lo", "lo");
    return 0;
}

static int decode_trip(const cJSON *root, struct sg_registration *r, char entered_by[64])
{
    const cJSON *flex = item2(root, "f", "flex_days");
    const char *date = str(root, "depart_date"), *mode = str2(root, "m", "mode", "any");
    if (copy(r->dest_city, sizeof(r->dest_city), str(root, "dest_city")) != 0 ||
        copy(r->employer, sizeof(r->employer), str2(root, "e", "employer", "")) != 0 ||
        copy(entered_by, 64, str2(root, "eb", "entered_by", "")) != 0 || date == NULL ||
        sg_date_parse(date, &r->depart_date) != 0 || mode == NULL || sg_mode_parse(mode) < 0 ||
        (flex != NULL && !cJSON_IsNumber(flex)))
        return SG_EIO;
    r->mode = (enum sg_mode)sg_mode_parse(mode);
    r->flex_days = flex != NULL ? flex->valueint : 0;
    r->job_confirmed = flag2(root, "j", "job_confirmed");
    const char *emp = str2(root, "ei", "employer_id", "");
    snprintf(r->employer_id, sizeof(r->employer_id), "%s", emp != NULL ? emp : "");
    r->seek_job = flag2(root, "s", "seek");
    r->work = r->seek_job ? sg_work_parse(str2(root, "w", "work", "")) : -1;
    r->sms = flag2(root, "t", "sms");
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
