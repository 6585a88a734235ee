/* SPDX-License-Identifier: MIT */
/* Report data in Redis: return figures up to a date (returns_until.lua), funding entries
 * and filed reports. Entries and filings are one hash each plus a per-campaign index whose
 * members start with the owning scope ({scope}:{id}), so a scope's list is one ZRANGEBYLEX
 * (as for vehicles). */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "domain/err.h"
#include "store/internal.h"
#include "store/report.h"

/* Give the next id of KEYS[1], write hash ARGV[1]..id with ARGV[3..] and index it in KEYS[2]
 * (ARGV[1] sg:{P}:funding: or sg:{P}:filing:, so the new hash is in the slot of KEYS). */
static const char add_script[] = "#!lua\n"
                                 "local id = redis.call('INCR', KEYS[1]) "
                                 "redis.call('HSET', ARGV[1] .. id, 'id', id, unpack(ARGV, 3)) "
                                 "redis.call('ZADD', KEYS[2], 0, ARGV[2] .. ':' .. id) return id";
/* HMGET the fields ARGV[3..] of every hash ARGV[1]..id indexed under prefix ARGV[2] in KEYS[1]
 * (ARGV[1] as for add_script). */
static const char list_script[] =
    "#!lua flags=no-writes\n"
    "local out = {} for i, m in ipairs(redis.call('ZRANGEBYLEX', KEYS[1], '[' .. ARGV[2], '(' .. ARGV[2] .. "
    "'\\255')) do out[i] = redis.call('HMGET', ARGV[1] .. string.match(m, ':(%d+)$'), unpack(ARGV, 3)) end return out";

struct report_op {
    void *data;
    sg_store_returns_cb on_returns;
    sg_store_funding_cb on_funding;
    sg_store_filings_cb on_filings;
    char scope[SG_DIVISION_CODE_MAX + 1];
    struct sg_funding funding;
    struct sg_filing filing;
};

static struct report_op *op_new(void *data)
{
    struct report_op *op = calloc(1, sizeof(*op));
    if (op == NULL)
        abort();
    op->data = data;
    return op;
}

static int eval(struct sg_store *s, const char *script, size_t nkeys, const char **args, size_t *lens, size_t n,
                sg__redis_cb cb, struct report_op *op)
{
    const char *argv[64];
    size_t argl[64];
    char numkeys[8];
    assert(n + 3 <= 64);
    snprintf(numkeys, sizeof(numkeys), "%zu", nkeys);
    argv[0] = "EVAL", argv[1] = script, argv[2] = numkeys;
    argl[0] = 4, argl[1] = strlen(script), argl[2] = strlen(numkeys);
    for (size_t i = 0; i != n; ++i)
        argv[3 + i] = args[i], argl[3 + i] = lens != NULL && lens[i] != (size_t)-1 ? lens[i] : strlen(args[i]);
    int ret = sg__store_command(s, cb, op, (int)(n + 3), argv, argl);
    if (ret != 0)
        free(op);
    return ret;
}

/* ---- return figures up to a date ----------------------------------------------------- */

static void on_returns(void *data, int status, redisReply *reply)
{
    struct report_op *op = data;
    struct sg_returns *list = NULL;
    size_t n = 0;
    if (status == 0 && reply->type != REDIS_REPLY_ARRAY)
        status = SG_EIO;
    if (status == 0 && reply->elements != 0 && (list = calloc(reply->elements / 2, sizeof(*list))) == NULL)
        abort();
    for (size_t i = 0; status == 0 && i + 1 < reply->elements; i += 2) {
        const redisReply *k = reply->element[i], *v = reply->element[i + 1];
        if (k->len > SG_DIVISION_CODE_MAX || sg_returns_parse(v->str, v->len, &list[n]) != 0)
            continue;
        memcpy(list[n].village, k->str, k->len);
        list[n++].village[k->len] = '\0';
    }
    op->on_returns(op->data, status, list, n);
    free(list);
    free(op);
}

int sg_store_returns_until(struct sg_store *s, const char *campaign, const char *scope, const char *const *counties,
                           size_t ncounties, struct sg_date until, sg_store_returns_cb cb, void *data)
{
    size_t n = ncounties + 4;
    struct sg__key *keys = malloc((ncounties + 1) * sizeof(*keys));
    char date[11];
    const char **argv = malloc(n * sizeof(*argv));
    size_t *lens = malloc(n * sizeof(*lens));
    if (keys == NULL || argv == NULL || lens == NULL)
        abort();
    for (size_t i = 0; i != ncounties; ++i)
        argv[i] = sg__key_returns(&keys[i], &s->keys, campaign, counties[i]);
    sg_date_format(until, date);
    argv[ncounties] = campaign, argv[ncounties + 1] = scope, argv[ncounties + 2] = date;
    argv[ncounties + 3] = s->keys.prefix;
    for (size_t i = 0; i != n; ++i)
        lens[i] = strlen(argv[i]);
    struct report_op *op = op_new(data);
    op->on_returns = cb;
    int ret = sg__store_eval(s, SG__SCRIPT_RETURNS_UNTIL, (int)ncounties, (int)n, argv, lens, on_returns, op);
    if (ret != 0)
        free(op);
    free(keys);
    free(argv);
    free(lens);
    return ret;
}

/* ---- funding entries ----------------------------------------------------------------- */

static const char *const funding_fields[] = {"id", "campaign", "scope", "yuan", "source", "date", "at_ms", "user"};
#define FUNDING_FIELDS 8

static void copy_reply(char *dst, size_t dstsz, const redisReply *v)
{
    snprintf(dst, dstsz, "%.*s", v->type == REDIS_REPLY_STRING ? (int)v->len : 0, v->str != NULL ? v->str : "");
}

static bool funding_parse(const redisReply *r, struct sg_funding *f)
{
    char date[16];
    memset(f, 0, sizeof(*f));
    if (r->type != REDIS_REPLY_ARRAY || r->elements != FUNDING_FIELDS)
        return false;
    copy_reply(f->id, sizeof(f->id), r->element[0]);
    copy_reply(f->campaign, sizeof(f->campaign), r->element[1]);
    copy_reply(f->scope, sizeof(f->scope), r->element[2]);
    f->yuan = r->element[3]->type == REDIS_REPLY_STRING ? strtoll(r->element[3]->str, NULL, 10) : 0;
    copy_reply(f->source, sizeof(f->source), r->element[4]);
    copy_reply(date, sizeof(date), r->element[5]);
    f->at_ms = r->element[6]->type == REDIS_REPLY_STRING ? strtoull(r->element[6]->str, NULL, 10) : 0;
    copy_reply(f->user, sizeof(f->user), r->element[7]);
    return f->id[0] != '\0' && sg_date_parse(date, &f->date) == 0;
}

static void on_funding_added(void *data, int status, redisReply *reply)
{
    struct report_op *op = data;
    if (status == 0 && reply->type != REDIS_REPLY_INTEGER)
        status = SG_EIO;
    if (status == 0)
        snprintf(op->funding.id, sizeof(op->funding.id), "%lld", reply->integer);
    op->on_funding(op->data, status, status == 0 ? &op->funding : NULL, status == 0);
    free(op);
}

int sg_store_funding_add(struct sg_store *s, const struct sg_funding *f, sg_store_funding_cb cb, void *data)
{
    struct sg__key next, index, prefix;
    char yuan[24], date[11], at[24];
    snprintf(yuan, sizeof(yuan), "%lld", (long long)f->yuan);
    snprintf(at, sizeof(at), "%llu", (unsigned long long)f->at_ms);
    sg_date_format(f->date, date);
    const char *args[] = {sg__key_global(&next, &s->keys, SG__KEY_FUNDING_NEXT),
                          sg__key_campaign(&index, &s->keys, f->campaign, SG__KEY_FUNDING),
                          sg__key_funding(&prefix, &s->keys, ""),
                          f->scope,
                          "campaign",
                          f->campaign,
                          "scope",
                          f->scope,
                          "yuan",
                          yuan,
                          "source",
                          f->source,
                          "date",
                          date,
                          "at_ms",
                          at,
                          "user",
                          f->user};
    struct report_op *op = op_new(data);
    op->on_funding = cb;
    op->funding = *f;
    return eval(s, add_script, 2, args, NULL, sizeof(args) / sizeof(args[0]), on_funding_added, op);
}

/* An array reply into a calloc'ed array of n elements of size bytes (the caller frees),
 * keeping those parse accepts; *status becomes SG_EIO for a reply that is no array. */
static void *parse_list(int *status, const redisReply *reply, size_t size, bool (*parse)(const redisReply *, void *),
                        size_t *n)
{
    char *list = NULL;
    *n = 0;
    if (*status == 0 && reply->type != REDIS_REPLY_ARRAY)
        *status = SG_EIO;
    if (*status != 0 || reply->elements == 0)
        return NULL;
    if ((list = calloc(reply->elements, size)) == NULL)
        abort();
    for (size_t i = 0; i != reply->elements; ++i)
        *n += parse(reply->element[i], list + *n * size);
    return list;
}

static bool parse_funding_item(const redisReply *r, void *out)
{
    return funding_parse(r, out);
}

static bool filing_parse(const redisReply *r, struct sg_filing *f);

static bool parse_filing_item(const redisReply *r, void *out)
{
    return filing_parse(r, out);
}

static void on_funding_list(void *data, int status, redisReply *reply)
{
    struct report_op *op = data;
    size_t n = 0;
    struct sg_funding *list = parse_list(&status, reply, sizeof(*list), parse_funding_item, &n);
    op->on_funding(op->data, status, list, n);
    free(list);
    free(op);
}

int sg_store_funding_list(struct sg_store *s, const char *campaign, const char *scope, sg_store_funding_cb cb,
                          void *data)
{
    struct sg__key index, prefix;
    const char *args[3 + FUNDING_FIELDS] = {sg__key_campaign(&index, &s->keys, campaign, SG__KEY_FUNDING),
                                            sg__key_funding(&prefix, &s->keys, ""), scope};
    memcpy(args + 3, funding_fields, sizeof(funding_fields));
    struct report_op *op = op_new(data);
    op->on_funding = cb;
    return eval(s, list_script, 1, args, NULL, 3 + FUNDING_FIELDS, on_funding_list, op);
}

/* ---- filed reports ------------------------------------------------------------------- */

static const char *const filing_fields[] = {"id",     "campaign", "scope", "until", "due",
                                            "before", "at_ms",    "user",  "json",  "xlsx"};
#define FILING_LIGHT 8 /* the fields a list reads */
#define FILING_FIELDS 10

static bool filing_parse(const redisReply *r, struct sg_filing *f)
{
    char buf[16];
    memset(f, 0, sizeof(*f));
    if (r->type != REDIS_REPLY_ARRAY || r->elements < FILING_LIGHT)
        return false;
    copy_reply(f->id, sizeof(f->id), r->element[0]);
    copy_reply(f->campaign, sizeof(f->campaign), r->element[1]);
    copy_reply(f->scope, sizeof(f->scope), r->element[2]);
    copy_reply(buf, sizeof(buf), r->element[3]);
    sg_date_parse(buf, &f->until);
    copy_reply(buf, sizeof(buf), r->element[4]);
    sg_date_parse(buf, &f->due.date);
    f->due.before_min = r->element[5]->type == REDIS_REPLY_STRING ? (int)strtol(r->element[5]->str, NULL, 10) : 0;
    f->at_ms = r->element[6]->type == REDIS_REPLY_STRING ? strtoull(r->element[6]->str, NULL, 10) : 0;
    copy_reply(f->user, sizeof(f->user), r->element[7]);
    if (r->elements == FILING_FIELDS && r->element[8]->type == REDIS_REPLY_STRING &&
        r->element[9]->type == REDIS_REPLY_STRING) {
        f->json = r->element[8]->str, f->json_len = r->element[8]->len;
        f->xlsx = (const unsigned char *)r->element[9]->str, f->xlsx_len = r->element[9]->len;
    }
    return f->id[0] != '\0';
}

static void on_filing_saved(void *data, int status, redisReply *reply)
{
    struct report_op *op = data;
    if (status == 0 && reply->type != REDIS_REPLY_INTEGER)
        status = SG_EIO;
    if (status == 0)
        snprintf(op->filing.id, sizeof(op->filing.id), "%lld", reply->integer);
    op->on_filings(op->data, status, status == 0 ? &op->filing : NULL, status == 0);
    free(op);
}

int sg_store_filing_save(struct sg_store *s, const struct sg_filing *f, sg_store_filings_cb cb, void *data)
{
    struct sg__key next, index, prefix;
    char until[11], due[11] = "", before[8], at[24];
    sg_date_format(f->until, until);
    if (f->due.date.y != 0)
        sg_date_format(f->due.date, due);
    snprintf(before, sizeof(before), "%d", f->due.before_min);
    snprintf(at, sizeof(at), "%llu", (unsigned long long)f->at_ms);
    const char *args[] = {sg__key_global(&next, &s->keys, SG__KEY_FILINGS_NEXT),
                          sg__key_campaign(&index, &s->keys, f->campaign, SG__KEY_FILINGS),
                          sg__key_filing(&prefix, &s->keys, ""),
                          f->scope,
                          "campaign",
                          f->campaign,
                          "scope",
                          f->scope,
                          "until",
                          until,
                          "due",
                          due,
                          "before",
                          before,
                          "at_ms",
                          at,
                          "user",
                          f->user,
                          "json",
                          f->json,
                          "xlsx",
                          (const char *)f->xlsx};
    size_t n = sizeof(args) / sizeof(args[0]), lens[sizeof(args) / sizeof(args[0])];
    for (size_t i = 0; i != n; ++i)
        lens[i] = (size_t)-1;
    lens[n - 3] = f->json_len, lens[n - 1] = f->xlsx_len;
    struct report_op *op = op_new(data);
    op->on_filings = cb;
    op->filing = *f;
    op->filing.json = NULL, op->filing.xlsx = NULL; /* borrowed: not valid in the callback */
    return eval(s, add_script, 2, args, lens, n, on_filing_saved, op);
}

static void on_filings(void *data, int status, redisReply *reply)
{
    struct report_op *op = data;
    size_t n = 0;
    struct sg_filing *list = parse_list(&status, reply, sizeof(*list), parse_filing_item, &n);
    op->on_filings(op->data, status, list, n);
    free(list);
    free(op);
}

int sg_store_filing_list(struct sg_store *s, const char *campaign, const char *scope, sg_store_filings_cb cb,
                         void *data)
{
    struct sg__key index, prefix;
    const char *args[3 + FILING_LIGHT] = {sg__key_campaign(&index, &s->keys, campaign, SG__KEY_FILINGS),
                                          sg__key_filing(&prefix, &s->keys, ""), scope};
    memcpy(args + 3, filing_fields, FILING_LIGHT * sizeof(*args));
    struct report_op *op = op_new(data);
    op->on_filings = cb;
    return eval(s, list_script, 1, args, NULL, 3 + FILING_LIGHT, on_filings, op);
}

int sg_store_filing_get(struct sg_store *s, const char *id, sg_store_filings_cb cb, void *data)
{
    struct sg__key key;
    const char *args[1 + FILING_FIELDS] = {sg__key_filing(&key, &s->keys, id)};
    memcpy(args + 1, filing_fields, sizeof(filing_fields));
    static const char get_script[] = "#!lua flags=no-writes\nreturn {redis.call('HMGET', KEYS[1], unpack(ARGV))}";
    struct report_op *op = op_new(data);
    op->on_filings = cb;
    return eval(s, get_script, 1, args, NULL, 1 + FILING_FIELDS, on_filings, op);
}
