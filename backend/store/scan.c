/* SPDX-License-Identifier: MIT */
/* Reading a scope's registrations page by page (page.lua): one round trip per page,
 * Redis busy about 2 ms for 500 rows, the rows decoded here without decrypting unless
 * the caller needs the full numbers. */
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "domain/err.h"
#include "store/internal.h"

struct scan_op {
    struct sg_store *s;
    sg_store_scan_cb cb;
    void *data;
    bool decrypt;
    size_t count;
};

static const char *const names[SG__PAGE_FIELDS] = {"code",     "village",      "status",       "created",
                                                   "data",     "flag_checked", "cancelled_by", "cancelled_at",
                                                   "campaign", "assignment",   "trip",         "notified"};

/* One row from SG__PAGE_FIELDS replies; 0 when usable. */
static int read_row(struct sg_store *s, bool decrypt, redisReply **v, struct sg_stored_registration *out)
{
    memset(out, 0, sizeof(*out));
    if (v[0]->len != SG_CODE_LEN || v[4]->len == 0)
        return SG_ENOENT; /* the hash is gone */
    for (size_t i = 0; i != SG__PAGE_FIELDS; ++i) {
        redisReply k = {.type = REDIS_REPLY_STRING, .str = (char *)names[i], .len = strlen(names[i])};
        if (v[i]->type != REDIS_REPLY_STRING || sg__read_field(s, decrypt, out, &k, v[i]) != 0)
            return SG_EIO;
    }
    return 0;
}

static void on_page(void *data, int status, redisReply *reply)
{
    struct scan_op *op = data;
    struct sg_scan_page page = {0};
    if (status == 0 &&
        (reply->type != REDIS_REPLY_ARRAY || reply->elements < 1 || reply->element[0]->type != REDIS_REPLY_INTEGER ||
         (reply->elements - 1) % (1 + SG__PAGE_FIELDS) != 0))
        status = SG_EIO;
    if (status == 0) {
        size_t rows = (reply->elements - 1) / (1 + SG__PAGE_FIELDS);
        page.total = reply->element[0]->integer > 0 ? (size_t)reply->element[0]->integer : 0;
        if (rows != 0 && (page.rows = calloc(rows, sizeof(*page.rows))) == NULL)
            abort();
        for (size_t r = 0; r != rows; ++r) {
            redisReply **v = reply->element + 1 + r * (1 + SG__PAGE_FIELDS);
            if (read_row(op->s, op->decrypt, v + 1, &page.rows[page.n]) == 0)
                ++page.n;
        }
        /* A full page may have more after it; a short one is the last. */
        const redisReply *last = rows != 0 ? reply->element[1 + (rows - 1) * (1 + SG__PAGE_FIELDS)] : NULL;
        if (rows == op->count && last->type == REDIS_REPLY_STRING)
            sg__copy_str(page.next, sizeof(page.next), last->str);
    }
    op->cb(op->data, status, status == 0 ? &page : NULL);
    if (page.rows != NULL) {
        sodium_memzero(page.rows, sizeof(*page.rows) * page.n);
        free(page.rows);
    }
    free(op);
}

/* True when codec.c writes s into JSON unchanged (no quote, backslash or control byte). */
static bool plain(const char *s)
{
    for (; *s != '\0'; ++s)
        if (*s == '"' || *s == '\\' || (unsigned char)*s < 0x20)
            return false;
    return true;
}

/* What every row matching f has in its data JSON (as codec.c writes it), into out; ""
 * when nothing is sure to be there. The most selective first: the last 4 of a number end
 * a masked number ("…123X\""), then a name (when q is not also read as a code, which
 * matches the member instead), the destination, the date. */
static void needle_of(const struct sg_filter *f, char *out, size_t size)
{
    out[0] = '\0';
    if (f == NULL)
        return;
    if (f->last4[0] != '\0')
        snprintf(out, size, "%s\"", f->last4);
    else if (f->name[0] != '\0' && f->code[0] == '\0' && plain(f->name))
        snprintf(out, size, "%s", f->name);
    else if (f->dest_city[0] != '\0')
        snprintf(out, size, "\"dest_city\":\"%s\"", f->dest_city);
    else if (f->has_date) {
        char date[11];
        sg_date_format(f->depart_date, date);
        snprintf(out, size, "\"depart_date\":\"%s\"", date);
    }
}

int sg_store_registration_scan(struct sg_store *s, const char *campaign, const char *scope, bool cancelled,
                               const char *after, size_t offset, size_t count, bool decrypt, bool with_total,
                               const struct sg_filter *prefilter, sg_store_scan_cb cb, void *data)
{
    struct sg__key index, assign;
    char min[64], max[32], off[24], cnt[24], needle[160];
    if (count < 1 || count > 1000 || strlen(scope) > SG_DIVISION_CODE_MAX || strlen(after) >= 40)
        return SG_EINVAL;
    sg__key_campaign(&index, &s->keys, campaign, cancelled ? SG__KEY_CANCELLED : SG__KEY_BYPLACE);
    sg__key_campaign(&assign, &s->keys, campaign, SG__KEY_ASSIGN);
    if (after[0] != '\0')
        snprintf(min, sizeof(min), "(%s", after);
    else
        snprintf(min, sizeof(min), "[%s", scope);
    snprintf(max, sizeof(max), "(%s\xff", scope);
    snprintf(off, sizeof(off), "%zu", offset);
    snprintf(cnt, sizeof(cnt), "%zu", count);
    needle_of(prefilter, needle, sizeof(needle));
    const char *argv[] = {index.s, assign.s, min, max, off, cnt, with_total ? "1" : "0", needle, s->keys.prefix};
    size_t lens[9];
    for (size_t i = 0; i != 9; ++i)
        lens[i] = strlen(argv[i]);
    struct scan_op *op = malloc(sizeof(*op));
    if (op == NULL)
        abort();
    *op = (struct scan_op){s, cb, data, decrypt, count};
    int ret = sg__store_eval_folded(s, SG__SCRIPT_PAGE, 2, 9, argv, lens, on_page, op);
    if (ret != 0)
        free(op);
    return ret;
}
