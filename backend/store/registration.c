/* SPDX-License-Identifier: MIT */
/* Registrations in Redis: one hash per registration (personal numbers sealed), one
 * uniqueness key per person and campaign (keyed hash of the ID number), indexes and
 * counters; all written by signup.lua in one atomic step. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sodium.h>
#include "domain/err.h"
#include "store/internal.h"

#define SAVE_RETRIES 3 /* fresh codes tried when a random code is already taken */
#define NKEYS_FIXED 5
#define MAX_ARGS (NKEYS_FIXED + SG_MAX_PEOPLE + 5 + 2 * (13 + 8 * SG_MAX_PEOPLE))

struct save_op {
    struct sg_store *s;
    sg_store_save_cb cb;
    void *data;
    int retries;
    uint64_t now_ms;
    char campaign[SG_CAMPAIGN_ID_MAX + 1];
    char idem_key[80];
    char entered_by[64];
    char code[SG_CODE_LEN + 1];
    char hashes[SG_MAX_PEOPLE][SG_CRYPTO_HASH_HEX];
    char sealed_id[SG_MAX_PEOPLE][SG_CRYPTO_SEALED_MAX];
    char sealed_phone[SG_MAX_PEOPLE][SG_CRYPTO_SEALED_MAX];
    struct sg_registration reg;
};

/* An argument vector under construction; formatted strings live in pool. */
struct args {
    const char *v[MAX_ARGS];
    size_t len[MAX_ARGS];
    int n;
    size_t used;
    char pool[8192];
};

static void add(struct args *a, const char *s)
{
    if (a->n == MAX_ARGS)
        abort(); /* sized for the largest registration */
    a->v[a->n] = s;
    a->len[a->n++] = strlen(s);
}

static void addf(struct args *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void addf(struct args *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *dst = a->pool + a->used;
    int n = vsnprintf(dst, sizeof(a->pool) - a->used, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof(a->pool) - a->used)
        abort();
    a->used += (size_t)n + 1;
    add(a, dst);
}

static void add_person(struct args *a, const struct save_op *op, size_t i)
{
    const struct sg_person *p = &op->reg.people[i];
    char birth[11];
    sg_date_format(p->id.birth, birth);
    addf(a, "p%zu.name", i), add(a, p->name);
    addf(a, "p%zu.id", i), add(a, op->sealed_id[i]);
    addf(a, "p%zu.idh", i), add(a, op->hashes[i]);
    addf(a, "p%zu.phone", i), add(a, op->sealed_phone[i]);
    addf(a, "p%zu.sex", i), addf(a, "%d", p->id.sex);
    addf(a, "p%zu.birth", i), addf(a, "%s", birth);
    addf(a, "p%zu.poverty", i), add(a, sg_poverty_name(p->poverty));
    addf(a, "p%zu.flag", i), add(a, p->region_unknown ? "region_unknown" : "");
}

static void build_args(struct args *a, const struct save_op *op)
{
    const struct sg_registration *r = &op->reg;
    char date[11];
    sg_date_format(r->depart_date, date);
    a->n = 0, a->used = 0;
    addf(a, "sg:reg:%s", op->code);
    addf(a, "sg:idem:%s", op->idem_key[0] != '\0' ? op->idem_key : "-");
    addf(a, "sg:%s:byplace", op->campaign);
    addf(a, "sg:%s:bytime", op->campaign);
    addf(a, "sg:%s:count", op->campaign);
    for (size_t i = 0; i != r->npeople; ++i)
        addf(a, "sg:uid:%s:%s", op->campaign, op->hashes[i]);
    addf(a, "%zu", r->npeople);
    add(a, op->code);
    add(a, op->idem_key[0] != '\0' ? "1" : "0");
    addf(a, "%llu", (unsigned long long)op->now_ms);
    add(a, r->village);
    add(a, "code"), add(a, op->code);
    add(a, "campaign"), add(a, op->campaign);
    add(a, "status"), add(a, "registered");
    add(a, "created"), addf(a, "%llu", (unsigned long long)op->now_ms);
    add(a, "entered_by"), add(a, op->entered_by);
    add(a, "village"), add(a, r->village);
    add(a, "dest_city"), add(a, r->dest_city);
    add(a, "employer"), add(a, r->employer);
    add(a, "job_confirmed"), add(a, r->job_confirmed ? "1" : "0");
    add(a, "depart_date"), addf(a, "%s", date);
    add(a, "flex_days"), addf(a, "%d", r->flex_days);
    add(a, "mode"), add(a, sg_mode_name(r->mode));
    add(a, "people"), addf(a, "%zu", r->npeople);
    for (size_t i = 0; i != r->npeople; ++i)
        add_person(a, op, i);
}

static int send_save(struct save_op *op);

static void finish_save(struct save_op *op, int status, const struct sg_save_result *res)
{
    op->cb(op->data, status, res);
    sodium_memzero(op, sizeof(*op));
    free(op);
}

static void on_saved(void *data, int status, redisReply *reply)
{
    struct save_op *op = data;
    struct sg_save_result res = {.duplicate_person = -1};
    if (status != 0)
        return finish_save(op, status, NULL);
    if (reply->type != REDIS_REPLY_ARRAY || reply->elements == 0 || reply->element[0]->type != REDIS_REPLY_STRING)
        return finish_save(op, SG_EIO, NULL); /* an error reply, NOSCRIPT included */
    const char *what = reply->element[0]->str;
    if (strcmp(what, "code_taken") == 0 && op->retries-- > 0) {
        if ((status = send_save(op)) != 0)
            finish_save(op, status, NULL);
        return;
    }
    if (strcmp(what, "duplicate") == 0 && reply->elements == 2) {
        res.duplicate_person = (int)strtol(reply->element[1]->str, NULL, 10);
        return finish_save(op, SG_EEXIST, &res);
    }
    if ((strcmp(what, "ok") == 0 || strcmp(what, "replayed") == 0) && reply->elements == 3 &&
        reply->element[1]->len == SG_CODE_LEN) {
        memcpy(res.code, reply->element[1]->str, SG_CODE_LEN + 1);
        res.people = (size_t)strtoul(reply->element[2]->str, NULL, 10);
        res.replayed = what[0] == 'r';
        return finish_save(op, 0, &res);
    }
    finish_save(op, SG_EIO, NULL);
}

static int send_save(struct save_op *op)
{
    uint8_t rnd[5];
    randombytes_buf(rnd, sizeof(rnd));
    sg_code_from_bytes(rnd, op->code);
    struct args *a = malloc(sizeof(*a));
    if (a == NULL)
        abort();
    build_args(a, op);
    int ret =
        sg__store_eval(op->s, &op->s->signup, NKEYS_FIXED + (int)op->reg.npeople, a->n, a->v, a->len, on_saved, op);
    free(a);
    return ret;
}

static void copy_str(char *dst, size_t dstsz, const char *src)
{
    size_t n = src != NULL ? strlen(src) : 0;
    if (n >= dstsz)
        n = dstsz - 1;
    memcpy(dst, src != NULL ? src : "", n);
    dst[n] = '\0';
}

int sg_store_registration_save(struct sg_store *s, const char *campaign, const struct sg_registration *reg,
                               const char *idem_key, const char *entered_by, uint64_t now_ms, sg_store_save_cb cb,
                               void *data)
{
    if (!sg_store_ready(s))
        return SG_EUNAVAIL;
    struct save_op *op = calloc(1, sizeof(*op));
    if (op == NULL)
        abort();
    *op = (struct save_op){.s = s, .cb = cb, .data = data, .retries = SAVE_RETRIES, .now_ms = now_ms, .reg = *reg};
    copy_str(op->campaign, sizeof(op->campaign), campaign);
    copy_str(op->idem_key, sizeof(op->idem_key), idem_key);
    copy_str(op->entered_by, sizeof(op->entered_by), entered_by);
    for (size_t i = 0; i != reg->npeople; ++i) {
        const struct sg_person *p = &reg->people[i];
        sg_crypto_hash(s->crypto, p->id.number, op->hashes[i]);
        sg_crypto_seal(s->crypto, p->id.number, op->sealed_id[i]);
        if (p->phone[0] != '\0')
            sg_crypto_seal(s->crypto, p->phone, op->sealed_phone[i]);
    }
    int ret = send_save(op);
    if (ret != 0) {
        sodium_memzero(op, sizeof(*op));
        free(op);
    }
    return ret;
}

struct get_op {
    struct sg_store *s;
    sg_store_get_cb cb;
    void *data;
};

static bool field_is(const redisReply *k, const char *name)
{
    return k->len == strlen(name) && memcmp(k->str, name, k->len) == 0;
}

static unsigned long long to_ull(const redisReply *v)
{
    return strtoull(v->str, NULL, 10);
}

/* "p3.name" -> person 3, suffix "name". */
static int read_person_field(struct sg_store *s, struct sg_registration *r, const redisReply *k, const redisReply *v)
{
    char *dot;
    errno = 0;
    unsigned long i = strtoul(k->str + 1, &dot, 10);
    if (errno != 0 || *dot != '.' || i >= SG_MAX_PEOPLE)
        return SG_EIO;
    struct sg_person *p = &r->people[i];
    const char *f = dot + 1;
    if (strcmp(f, "name") == 0)
        copy_str(p->name, sizeof(p->name), v->str);
    else if (strcmp(f, "id") == 0) {
        if (sg_crypto_open(s->crypto, v->str, v->len, p->id.number, sizeof(p->id.number)) != 0)
            return SG_EIO;
        memcpy(p->id.region, p->id.number, 6);
    } else if (strcmp(f, "phone") == 0 && v->len != 0) {
        if (sg_crypto_open(s->crypto, v->str, v->len, p->phone, sizeof(p->phone)) != 0)
            return SG_EIO;
    } else if (strcmp(f, "sex") == 0)
        p->id.sex = (int)to_ull(v);
    else if (strcmp(f, "birth") == 0)
        sg_date_parse(v->str, &p->id.birth);
    else if (strcmp(f, "poverty") == 0)
        p->poverty = sg_poverty_parse(v->str) >= 0 ? (enum sg_poverty)sg_poverty_parse(v->str) : SG_POVERTY_NONE;
    else if (strcmp(f, "flag") == 0)
        p->region_unknown = strstr(v->str, "region_unknown") != NULL;
    return 0;
}

static int read_field(struct sg_store *s, struct sg_stored_registration *out, const redisReply *k, const redisReply *v)
{
    struct sg_registration *r = &out->reg;
    if (k->str[0] == 'p' && k->len > 1 && k->str[1] >= '0' && k->str[1] <= '9')
        return read_person_field(s, r, k, v);
    if (field_is(k, "code"))
        copy_str(out->code, sizeof(out->code), v->str);
    else if (field_is(k, "campaign"))
        copy_str(out->campaign, sizeof(out->campaign), v->str);
    else if (field_is(k, "status"))
        copy_str(out->status, sizeof(out->status), v->str);
    else if (field_is(k, "created"))
        out->created_ms = to_ull(v);
    else if (field_is(k, "entered_by"))
        copy_str(out->entered_by, sizeof(out->entered_by), v->str);
    else if (field_is(k, "village"))
        copy_str(r->village, sizeof(r->village), v->str);
    else if (field_is(k, "dest_city"))
        copy_str(r->dest_city, sizeof(r->dest_city), v->str);
    else if (field_is(k, "employer"))
        copy_str(r->employer, sizeof(r->employer), v->str);
    else if (field_is(k, "job_confirmed"))
        r->job_confirmed = v->str[0] == '1';
    else if (field_is(k, "depart_date"))
        sg_date_parse(v->str, &r->depart_date);
    else if (field_is(k, "flex_days"))
        r->flex_days = (int)to_ull(v);
    else if (field_is(k, "mode"))
        r->mode = sg_mode_parse(v->str) >= 0 ? (enum sg_mode)sg_mode_parse(v->str) : SG_MODE_ANY;
    else if (field_is(k, "people"))
        r->npeople = (size_t)to_ull(v);
    return 0;
}

static void on_hash(void *data, int status, redisReply *reply)
{
    struct get_op *op = data;
    struct sg_stored_registration *out = NULL;
    if (status != 0)
        goto Exit;
    status = SG_EIO;
    if (reply->type != REDIS_REPLY_ARRAY || reply->elements % 2 != 0)
        goto Exit;
    status = SG_ENOENT;
    if (reply->elements == 0)
        goto Exit;
    if ((out = calloc(1, sizeof(*out))) == NULL)
        abort();
    status = 0;
    for (size_t i = 0; i + 1 < reply->elements && status == 0; i += 2)
        status = read_field(op->s, out, reply->element[i], reply->element[i + 1]);
    if (status == 0 && (out->reg.npeople == 0 || out->reg.npeople > SG_MAX_PEOPLE))
        status = SG_EIO;
Exit:
    op->cb(op->data, status, status == 0 ? out : NULL);
    if (out != NULL) {
        sodium_memzero(out, sizeof(*out));
        free(out);
    }
    free(op);
}

int sg_store_registration_get(struct sg_store *s, const char *code, sg_store_get_cb cb, void *data)
{
    char key[32];
    snprintf(key, sizeof(key), "sg:reg:%s", code);
    const char *argv[] = {"HGETALL", key};
    size_t lens[] = {7, strlen(key)};
    struct get_op *op = malloc(sizeof(*op));
    if (op == NULL)
        abort();
    *op = (struct get_op){s, cb, data};
    int ret = sg__redis_command(s->redis, on_hash, op, 2, argv, lens);
    if (ret != 0)
        free(op);
    return ret;
}
