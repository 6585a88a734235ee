/* SPDX-License-Identifier: MIT */
/* Registrations in Redis: one hash per registration (personal numbers sealed), one
 * uniqueness key per person and campaign (keyed hash of the ID number), written by
 * signup.lua in one atomic step per sign-up. The sign-ups of one event-loop turn wait for
 * its end (a timeout of 0 ms, run after the turn's I/O) and go as one call, which also
 * folds them into the indexes and counters (or, with a lazy fold, leaves them on the fold
 * list): under load one script call, one AOF transaction and one ZADD per index carry
 * tens of sign-ups instead of one each (bench/RESULTS.md). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sodium.h>
#include "domain/err.h"
#include "domain/text.h"
#include "store/codec.h"
#include "store/internal.h"

#define SAVE_RETRIES 3 /* fresh codes tried when a random code is already taken */
#define NKEYS_FIXED 3  /* a sign-up's keys before its uniqueness keys (signup.lua) */
#define NARGS 13       /* a sign-up's arguments (signup.lua) */
#define BATCH_MAX 64   /* sign-ups a call at most: a call of 64 costs Redis about 2 ms */
#define BATCH_KEYS (1 + BATCH_MAX * (NKEYS_FIXED + SG_MAX_PEOPLE))
#define SUM_HASHES (BATCH_MAX * 2)                 /* counter hashes a call adds to: a village's, a county's */
#define SUMS_MAX (BATCH_MAX * 2 * SG_COUNTERS_MAX) /* their fields, each hash's once */
#define SUM_SLOTS 4096                             /* the fields' table: a power of two above SUMS_MAX */
#define CALL_ARGS (3 + BATCH_MAX * NARGS + 1 + SUM_HASHES * 2 + SUMS_MAX * 2)
#define BATCH_ARGS (BATCH_KEYS + CALL_ARGS)
#define CLIENT_KEY_LIFE "86400" /* a worker's page retries for hours: its key answers for a day */
#define SERVER_KEY_LIFE "600"   /* the server's own key only has to outlive a lost answer */

struct sg__save_op {
    struct sg_store *s;
    struct sg__save_op *next; /* in the store's queue (struct sg__signups) until sent */
    sg_store_save_cb cb;
    void *data;
    int retries;
    size_t npeople;
    char npeople_text[4];
    char village[SG_DIVISION_CODE_MAX + 1];
    char campaign[SG_CAMPAIGN_ID_MAX + 1];
    char idem_key[80];
    const char *key_life;
    char attempt[24]; /* this attempt's id: what a settled-void key names */
    char body_hash[SG_CRYPTO_HASH_HEX];
    struct sg_limit limit; /* count 0: none; subject points into limit_subject */
    char limit_subject[100];
    char limit_count[16], limit_window[24];
    char created[24];
    char code[SG_CODE_LEN + 1];
    char hashes[SG_MAX_PEOPLE][SG_CRYPTO_HASH_HEX];
    struct sg_counter counters[SG_COUNTERS_MAX]; /* what it adds to its village's and county's counters */
    size_t ncounters;
    char counted[SG_COUNTERS_MAX * 48]; /* the same as text, kept in the registration */
    char match[48];                     /* "{city}:{day}:{flex}:{mode}": what matching reads (signup.lua's +9) */
    size_t datalen;
    char json[SG__DATA_MAX];
};

/* A sign-up's keys and arguments, as signup.lua expects them (its header says what each
 * is), at keys[*nk] and args[*na] of the batch's, the keys' text in key (3 + npeople). */
static void put_args(const struct sg__save_op *op, struct sg__key *key, const char **keys, size_t *keylen, size_t *nk,
                     const char **args, size_t *arglen, size_t *na)
{
    const struct sg__keys *ks = &op->s->keys;
    size_t k = *nk, a = *na;
    keys[k++] = sg__key_reg(&key[0], ks, op->code);
    keys[k++] = sg__key_idem(&key[1], ks, op->idem_key[0] != '\0' ? op->idem_key : "-");
    keys[k++] = sg__key_limit(&key[2], ks, "signup", op->limit.subject != NULL ? op->limit.subject : "-");
    for (size_t i = 0; i != op->npeople; ++i)
        keys[k++] = sg__key_uid(&key[NKEYS_FIXED + i], ks, op->campaign, op->hashes[i]);
    for (size_t i = *nk; i != k; ++i)
        keylen[i] = strlen(keys[i]);
    const char *v[NARGS] = {op->npeople_text, op->code,        op->attempt,     op->created, op->village,
                            op->campaign,     op->json,        op->counted,     op->match,   op->body_hash,
                            op->key_life,     op->limit_count, op->limit_window};
    for (size_t i = 0; i != NARGS; ++i, ++a) {
        args[a] = v[i];
        arglen[a] = v[i] == op->json ? op->datalen : strlen(v[i]);
    }
    *nk = k, *na = a;
}

static int send_save(struct sg__save_op *op);

static void finish_save(struct sg__save_op *op, int status, const struct sg_save_result *res)
{
    struct sg_save_result out = {.duplicate_person = -1};
    if (res != NULL)
        out = *res;
    sg__copy_str(out.idem_key, sizeof(out.idem_key), op->idem_key);
    op->cb(op->data, status, &out);
    sodium_memzero(op->json, op->datalen); /* what holds personal data (sealed, and names) */
    free(op);
}

static void on_resolved(void *data, int status, redisReply *reply);

/* The answer was lost: settle the attempt once and for all (idem_resolve.lua). */
static void resolve(struct sg__save_op *op, int lost)
{
    struct sg__key key;
    const char *argv[] = {sg__key_idem(&key, &op->s->keys, op->idem_key), op->attempt, op->key_life,
                          op->s->keys.prefix};
    size_t lens[] = {strlen(argv[0]), strlen(argv[1]), strlen(argv[2]), strlen(argv[3])};
    if (sg__store_eval(op->s, SG__SCRIPT_IDEM_RESOLVE, 1, 4, argv, lens, on_resolved, op) != 0)
        finish_save(op, lost, NULL); /* no connection at all: the client's retry with the key finds out */
}

static void on_resolved(void *data, int status, redisReply *reply)
{
    struct sg__save_op *op = data;
    struct sg_save_result res = {.duplicate_person = -1};
    if (status == 0 && reply->type == REDIS_REPLY_ARRAY && reply->elements >= 1 &&
        reply->element[0]->type == REDIS_REPLY_STRING) {
        if (strcmp(reply->element[0]->str, "void") == 0) {
            finish_save(op, SG_ECANCELED, NULL);
            return;
        }
        if (reply->elements == 3 && reply->element[1]->type == REDIS_REPLY_STRING &&
            reply->element[1]->len == SG_CODE_LEN) {
            memcpy(res.code, reply->element[1]->str, SG_CODE_LEN + 1);
            res.people = (size_t)strtoul(reply->element[2]->str, NULL, 10);
            finish_save(op, 0, &res);
            return;
        }
    }
    finish_save(op, status != 0 ? status : SG_EIO, NULL);
}

static void on_saved(void *data, int status, redisReply *reply)
{
    struct sg__save_op *op = data;
    struct sg_save_result res = {.duplicate_person = -1};
    if (status == SG_ETIMEDOUT || status == SG_EUNAVAIL) {
        resolve(op, status); /* sent, but its answer is lost: it may run yet */
        return;
    }
    if (status != 0) {
        finish_save(op, status, NULL);
        return;
    }
    if (reply->type != REDIS_REPLY_ARRAY || reply->elements == 0 || reply->element[0]->type != REDIS_REPLY_STRING) {
        finish_save(op, SG_EIO, NULL); /* an error reply, NOSCRIPT included */
        return;
    }
    const char *what = reply->element[0]->str;
    if (strcmp(what, "code_taken") == 0 && op->retries-- > 0) {
        if ((status = send_save(op)) != 0)
            finish_save(op, status, NULL);
        return;
    }
    if (strcmp(what, "duplicate") == 0 && reply->elements == 2) {
        res.duplicate_person = (int)strtol(reply->element[1]->str, NULL, 10);
        finish_save(op, SG_EEXIST, &res);
        return;
    }
    if (strcmp(what, "mismatch") == 0) {
        finish_save(op, SG_ECONFLICT, NULL);
        return;
    }
    if (strcmp(what, "limited") == 0 && reply->elements == 2) {
        res.retry_after_s = (unsigned)((strtoull(reply->element[1]->str, NULL, 10) + 999) / 1000);
        finish_save(op, SG_ELIMITED, &res);
        return;
    }
    if (strcmp(what, "void") == 0) {
        finish_save(op, SG_ECANCELED, NULL);
        return;
    }
    if ((strcmp(what, "ok") == 0 || strcmp(what, "replayed") == 0) && reply->elements == 3 &&
        reply->element[1]->len == SG_CODE_LEN) {
        memcpy(res.code, reply->element[1]->str, SG_CODE_LEN + 1);
        res.people = (size_t)strtoul(reply->element[2]->str, NULL, 10);
        res.replayed = what[0] == 'r';
        finish_save(op, 0, &res);
        return;
    }
    finish_save(op, SG_EIO, NULL);
}

/* v in decimal into out (16 bytes at least for a 32-bit v, 21 for any): no printf on a sign-up's path. */
static void u64_text(char *out, uint64_t v)
{
    out[sg_put_u64(out, v)] = '\0';
}

/* Counters c[0..n) as the registration keeps them in 'counted' (sg__counted_format). */
static void counted_text(const struct sg_counter *c, size_t n, char *out, size_t outsz)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i != n; ++i) {
        char num[24];
        size_t flen = strlen(c[i].field);
        if (strcmp(c[i].field, "people") == 0 || strcmp(c[i].field, "regs") == 0)
            continue;                                       /* implied (fold_lib.lua) */
        u64_text(num, (uint64_t)(c[i].n < 0 ? 0 : c[i].n)); /* counts of a sign-up are positive */
        size_t nlen = strlen(num);
        if (used + 1 + flen + 1 + nlen + 1 > outsz)
            break;
        if (used != 0)
            out[used++] = ' ';
        memcpy(out + used, c[i].field, flen), used += flen;
        out[used++] = ' ';
        memcpy(out + used, num, nlen + 1), used += nlen;
    }
}

void sg__counted_format(const struct sg_registration *reg, struct sg_date signed_on, char *out, size_t outsz)
{
    struct sg_counter c[SG_COUNTERS_MAX];
    counted_text(c, sg_registration_counters(reg, signed_on, c), out, outsz);
}

/* A counter hash a call adds to, "{campaign}:stats:{code}": its fields in sum[], first to
 * last through next. */
struct sum_hash {
    const char *campaign, *code;
    size_t codelen;
    uint16_t first, last, n;
};

/* A field of a counter hash and what the call's sign-ups add to it. */
struct sum {
    const char *field;
    size_t len;
    uint64_t n;
    uint16_t hash, next, slot; /* slot: its place in the fields' table */
};

/* The arrays one call is built in (made once per store: a batch's keys take ~200 KB), and
 * the counters of its sign-ups summed (signup.lua adds the sums, less the sign-ups it did
 * not store: Lua taking each sign-up's counters apart cost Redis more than the rest of its
 * fold, bench/RESULTS.md). */
struct sg__signup_batch {
    struct sg__key key[BATCH_KEYS];
    const char *v[BATCH_ARGS], *args[CALL_ARGS]; /* v: the keys, then args copied behind */
    size_t len[BATCH_ARGS], arglen[CALL_ARGS];
    struct sum_hash hash[SUM_HASHES];
    struct sum sum[SUMS_MAX];
    size_t nhash, nsum;
    uint16_t slot[SUM_SLOTS];                    /* the fields' table: 1 + the field's index in sum[], 0 free */
    struct sg__key hkey[SUM_HASHES];             /* the counter hashes' keys */
    char text[(SUM_HASHES + SUMS_MAX + 1) * 20]; /* the sums' numbers */
};

/* The counter hash of campaign and the division code[0..codelen), added if new. */
static uint16_t sum_hash(struct sg__signup_batch *b, const char *campaign, const char *code, size_t codelen)
{
    for (size_t i = 0; i != b->nhash; ++i) {
        const struct sum_hash *h = &b->hash[i];
        if (h->codelen == codelen && memcmp(h->code, code, codelen) == 0 && strcmp(h->campaign, campaign) == 0)
            return (uint16_t)i;
    }
    b->hash[b->nhash] = (struct sum_hash){campaign, code, codelen, 0, 0, 0};
    return (uint16_t)b->nhash++;
}

/* Add n to field[0..len) of counter hash h. */
static void sum_add(struct sg__signup_batch *b, uint16_t h, const char *field, size_t len, uint64_t n)
{
    uint32_t x = 2166136261u ^ h; /* FNV-1a */
    for (size_t i = 0; i != len; ++i)
        x = (x ^ (uint8_t)field[i]) * 16777619u;
    for (uint16_t at = x & (SUM_SLOTS - 1);; at = (at + 1) & (SUM_SLOTS - 1)) {
        if (b->slot[at] == 0) { /* a field new to the hash */
            uint16_t i = (uint16_t)b->nsum++;
            struct sum_hash *hh = &b->hash[h];
            b->sum[i] = (struct sum){field, len, n, h, 0, at};
            if (hh->n++ == 0)
                hh->first = i;
            else
                b->sum[hh->last].next = i;
            hh->last = i;
            b->slot[at] = (uint16_t)(i + 1);
            return;
        }
        struct sum *sm = &b->sum[b->slot[at] - 1];
        if (sm->hash == h && sm->len == len && memcmp(sm->field, field, len) == 0) {
            sm->n += n;
            return;
        }
    }
}

/* A sign-up's counters (those of its 'counted', people and regs included: what
 * fold_lib.lua's fold_counted reads from it) into its village's hash and its county's (the
 * village code's first 6 digits). */
static void sum_signup(struct sg__signup_batch *b, const struct sg__save_op *op)
{
    size_t vlen = strlen(op->village);
    uint16_t hs[2] = {sum_hash(b, op->campaign, op->village, vlen),
                      sum_hash(b, op->campaign, op->village, vlen < 6 ? vlen : 6)};
    for (size_t i = 0; i != 2; ++i)
        for (size_t c = 0; c != op->ncounters; ++c)
            if (op->counters[c].n > 0)
                sum_add(b, hs[i], op->counters[c].field, strlen(op->counters[c].field), (uint64_t)op->counters[c].n);
}

/* v in decimal at *t as args[a], *t moved past it. */
static void arg_u64(struct sg__signup_batch *b, char **t, size_t a, uint64_t v)
{
    size_t len = sg_put_u64(*t, v);
    b->args[a] = *t, b->arglen[a] = len;
    *t += len;
}

/* The sums as signup.lua takes them, from args[*na]: the number of hashes, then each one's
 * name, k, its k fields and its k sums. */
static void put_sums(struct sg__signup_batch *b, const struct sg__keys *ks, size_t *na)
{
    size_t a = *na;
    char *t = b->text;
    arg_u64(b, &t, a++, b->nhash);
    for (size_t i = 0; i != b->nhash; ++i) {
        const struct sum_hash *h = &b->hash[i]; /* (its code is a village's: the whole, or a county's 6 digits) */
        const char *key = h->codelen == 6 ? sg__key_stats_county(&b->hkey[i], ks, h->campaign, h->code)
                                          : sg__key_stats(&b->hkey[i], ks, h->campaign, h->code);
        b->args[a] = key + ks->len, b->arglen[a++] = strlen(key) - ks->len; /* (the name after the prefix) */
        arg_u64(b, &t, a++, h->n);
        uint16_t j = h->first;
        for (size_t k = 0; k != h->n; ++k, j = b->sum[j].next) {
            b->args[a + k] = b->sum[j].field, b->arglen[a + k] = b->sum[j].len;
            arg_u64(b, &t, a + h->n + k, b->sum[j].n);
        }
        a += 2 * (size_t)h->n;
    }
    *na = a;
}

/* The sign-ups of one call, in the order of its answers. */
struct sent {
    size_t n;
    struct sg__save_op *op[BATCH_MAX];
};

static void on_batch_saved(void *data, int status, redisReply *reply)
{
    struct sent *sent = data;
    bool each = status == 0 && reply->type == REDIS_REPLY_ARRAY && reply->elements == sent->n;
    for (size_t i = 0; i != sent->n; ++i)
        on_saved(sent->op[i], status, each ? reply->element[i] : reply); /* else the error reaches each */
    free(sent);
}

static void fail_all(struct sent *sent, int status)
{
    for (size_t i = 0; i != sent->n; ++i)
        finish_save(sent->op[i], status, NULL);
    free(sent);
}

/* Send what waits, BATCH_MAX a call. */
static void send_batches(struct sg_store *s)
{
    struct sg__signups *q = &s->signups;
    struct sg__signup_batch *b = q->buf;
    while (q->head != NULL) {
        struct sent *sent = malloc(sizeof(*sent));
        if (sent == NULL)
            abort();
        sent->n = 0;
        size_t nk = 1, na = 3;
        b->v[0] = s->fold_key.s, b->len[0] = strlen(s->fold_key.s);
        for (size_t i = 0; i != b->nsum; ++i) /* the last call's fields leave the table */
            b->slot[b->sum[i].slot] = 0;
        b->nhash = b->nsum = 0;
        for (struct sg__save_op *op; (op = q->head) != NULL && sent->n != BATCH_MAX;) {
            if ((q->head = op->next) == NULL)
                q->tail = &q->head;
            uint8_t rnd[5];
            sg_crypto_random(rnd, sizeof(rnd));
            sg_code_from_bytes(rnd, op->code);
            put_args(op, &b->key[nk], b->v, b->len, &nk, b->args, b->arglen, &na);
            if (!s->fold_lazy)
                sum_signup(b, op);
            sent->op[sent->n++] = op;
        }
        if (s->fold_lazy)
            b->args[na] = "0", b->arglen[na++] = 1; /* (signup.lua pushes them on the fold list) */
        else
            put_sums(b, &s->keys, &na);
        char m[24];
        u64_text(m, sent->n);
        b->args[0] = m, b->arglen[0] = strlen(m);
        b->args[1] = s->keys.prefix, b->arglen[1] = s->keys.len;
        b->args[2] = s->fold_lazy ? "0" : "1", b->arglen[2] = 1;
        memcpy(b->v + nk, b->args, na * sizeof(*b->v));
        memcpy(b->len + nk, b->arglen, na * sizeof(*b->len));
        struct sg__redis *r = s->closing ? NULL : sg__store_redis(s);
        if (r == NULL)
            sg__redis_note_unavailable();
        int ret = r != NULL ? sg__store_eval_on(s, r, SG__SCRIPT_SIGNUP, (int)nk, (int)(nk + na), b->v, b->len,
                                                on_batch_saved, sent)
                            : SG_EUNAVAIL;
        if (ret != 0)
            fail_all(sent, ret); /* never sent: nothing stored */
        else
            sg__count_signup_call(sent->n);
    }
}

static void on_turn_end(h2o_timeout_entry_t *entry)
{
    send_batches(H2O_STRUCT_FROM_MEMBER(struct sg_store, signups.entry, entry));
}

static void take_down(struct sg_store *s)
{
    struct sg__signups *q = &s->signups;
    if (h2o_timeout_is_linked(&q->entry))
        h2o_timeout_unlink(&q->entry);
    send_batches(s); /* closing: each fails, unsent */
    h2o_timeout_dispose(s->loop, &q->turn);
    free(q->buf);
    q->buf = NULL;
}

static void set_up(struct sg_store *s)
{
    struct sg__signups *q = &s->signups;
    q->head = NULL, q->tail = &q->head;
    if ((q->buf = calloc(1, sizeof(*q->buf))) == NULL) /* (the fields' table empty) */
        abort();
    h2o_timeout_init(s->loop, &q->turn, 0);
    q->entry.cb = on_turn_end;
    q->take_down = take_down;
}

/* Queue op for the end of this turn, with a fresh code then. */
static int send_save(struct sg__save_op *op)
{
    struct sg__signups *q = &op->s->signups;
    if (op->s->closing)
        return SG_EUNAVAIL;
    if (q->buf == NULL)
        set_up(op->s);
    op->next = NULL;
    *q->tail = op;
    q->tail = &op->next;
    if (!h2o_timeout_is_linked(&q->entry))
        h2o_timeout_link(op->s->loop, &q->turn, &q->entry);
    return 0;
}

void sg__copy_str(char *dst, size_t dstsz, const char *src)
{
    size_t n = src != NULL ? strlen(src) : 0;
    if (n >= dstsz)
        n = dstsz - 1;
    memcpy(dst, src != NULL ? src : "", n);
    dst[n] = '\0';
}

/* Text for body_hash: s, or v in decimal, then '|' (no printf: one per field a sign-up). */
static char *put_field(char *p, const char *s)
{
    size_t n = strlen(s);
    memcpy(p, s, n);
    p[n] = '|';
    return p + n + 1;
}

static char *put_int_field(char *p, int v)
{
    p += sg_put_i64(p, v);
    *p = '|';
    return p + 1;
}

/* A keyed hash of everything the registration says: the same key with another body is
 * refused. The text is "village|dest_city|date|flex_days|mode|employer|job_confirmed",
 * then "|name|id|phone|poverty" a person (the largest fits: SG__DATA_MAX). */
_Static_assert(SG__DATA_MAX >= sizeof(((struct sg_registration *)0)->village) + 5 + 11 + 2 * 12 +
                                   sizeof(((struct sg_registration *)0)->employer) + 12 +
                                   SG_MAX_PEOPLE * (sizeof(struct sg_person) + 16),
               "body_hash's text fits");

static void body_hash(const struct sg_crypto *c, const struct sg_registration *r, char out[SG_CRYPTO_HASH_HEX])
{
    char text[SG__DATA_MAX], date[11], *p = text;
    sg_date_format(r->depart_date, date);
    p = put_field(p, r->village), p = put_field(p, r->dest_city), p = put_field(p, date);
    p = put_int_field(p, r->flex_days), p = put_int_field(p, (int)r->mode), p = put_field(p, r->employer);
    p = put_int_field(p, (int)r->job_confirmed);
    for (size_t i = 0; i != r->npeople; ++i) {
        p = put_field(p, r->people[i].name), p = put_field(p, r->people[i].id.number);
        p = put_field(p, r->people[i].phone), p = put_int_field(p, (int)r->people[i].poverty);
    }
    p[-1] = '\0'; /* (the last '|') */
    sg_crypto_hash(c, text, out);
    sodium_memzero(text, (size_t)(p - text));
}

int sg_store_registration_save(struct sg_store *s, const char *campaign, const struct sg_registration *reg,
                               const struct sg_save_options *o, uint64_t now_ms, struct sg_date signed_on,
                               sg_store_save_cb cb, void *data)
{
    if (!sg_store_ready(s)) {
        sg__redis_note_unavailable(); /* the log says why, not what failed before */
        return SG_EUNAVAIL;
    }
    struct sg__save_op *op = malloc(sizeof(*op));
    struct sg__sealed *sealed = malloc(sizeof(*sealed));
    if (op == NULL || sealed == NULL)
        abort();
    op->s = s, op->cb = cb, op->data = data, op->retries = SAVE_RETRIES, op->npeople = reg->npeople;
    u64_text(op->npeople_text, reg->npeople); /* (1 to 10) */
    sg__copy_str(op->village, sizeof(op->village), reg->village);
    sg__copy_str(op->campaign, sizeof(op->campaign), campaign);
    uint8_t rnd[16];
    sg_crypto_random(rnd, sizeof(rnd));
    sodium_bin2hex(op->attempt, sizeof(op->attempt), rnd, 8);
    if (o->unkeyed) {
        memcpy(op->idem_key, "-", 2);
        op->key_life = "0";
    } else if (o->idem_key != NULL && o->idem_key[0] != '\0') {
        sg__copy_str(op->idem_key, sizeof(op->idem_key), o->idem_key);
        op->key_life = CLIENT_KEY_LIFE;
    } else { /* the server's own: "s-" and 16 random bytes, so that a lost answer can be settled */
        char hex[33];
        sodium_bin2hex(hex, sizeof(hex), rnd, sizeof(rnd));
        memcpy(op->idem_key, "s-", 2);
        memcpy(op->idem_key + 2, hex, sizeof(hex));
        op->key_life = SERVER_KEY_LIFE;
    }
    op->limit = o->limit != NULL ? *o->limit : (struct sg_limit){0};
    sg__copy_str(op->limit_subject, sizeof(op->limit_subject), op->limit.subject);
    op->limit.subject = op->limit_subject;
    u64_text(op->limit_count, op->limit.count);
    u64_text(op->limit_window, (uint64_t)op->limit.window_s * 1000);
    body_hash(s->crypto, reg, op->body_hash);
    u64_text(op->created, now_ms);
    sg__seal(s->crypto, reg, sealed);
    memcpy(op->hashes, sealed->hashes, sizeof(op->hashes));
    op->datalen = sg__data_encode(reg, sealed, o->entered_by != NULL ? o->entered_by : "", op->json);
    op->ncounters = sg_registration_counters(reg, signed_on, op->counters);
    counted_text(op->counters, op->ncounters, op->counted, sizeof(op->counted));
    sg__match_key(reg, op->match);
    free(sealed);
    int ret = send_save(op);
    if (ret != 0)
        free(op);
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

/* "{vehicle}:{seat}" (a page row's assignment) into out; "" leaves it unassigned. */
static void read_assignment(struct sg_stored_registration *out, const char *a)
{
    const char *colon = strchr(a, ':');
    size_t n = colon != NULL ? (size_t)(colon - a) : 0;
    if (n == 0 || n >= sizeof(out->vehicle))
        return;
    memcpy(out->vehicle, a, n);
    out->vehicle[n] = '\0';
    out->seat = (unsigned)strtoul(colon + 1, NULL, 10);
}

int sg__read_field(struct sg_store *s, bool decrypt, struct sg_stored_registration *out, const redisReply *k,
                   const redisReply *v)
{
    if (field_is(k, "code"))
        sg__copy_str(out->code, sizeof(out->code), v->str);
    else if (field_is(k, "campaign"))
        sg__copy_str(out->campaign, sizeof(out->campaign), v->str);
    else if (field_is(k, "village"))
        sg__copy_str(out->reg.village, sizeof(out->reg.village), v->str);
    else if (field_is(k, "status"))
        sg__copy_str(out->status, sizeof(out->status), v->str);
    else if (field_is(k, "vehicle"))
        sg__copy_str(out->vehicle, sizeof(out->vehicle), v->str);
    else if (field_is(k, "seat"))
        out->seat = (unsigned)strtoul(v->str, NULL, 10);
    else if (field_is(k, "created"))
        out->created_ms = strtoull(v->str, NULL, 10);
    else if (field_is(k, "flag_checked"))
        out->flag_checked = v->str[0] == '1';
    else if (field_is(k, "cancelled_by"))
        sg__copy_str(out->cancelled_by, sizeof(out->cancelled_by), v->str);
    else if (field_is(k, "cancelled_at"))
        out->cancelled_ms = strtoull(v->str, NULL, 10);
    else if (field_is(k, "trip"))
        sg__copy_str(out->trip, sizeof(out->trip), v->str);
    else if (field_is(k, "notified"))
        out->notified = v->str[0] == '1';
    else if (field_is(k, "notified_at"))
        out->notified_ms = strtoull(v->str, NULL, 10);
    else if (field_is(k, "notified_by"))
        sg__copy_str(out->notified_by, sizeof(out->notified_by), v->str);
    else if (field_is(k, "assignment"))
        read_assignment(out, v->str);
    else if (field_is(k, "data"))
        return sg__data_decode(s->crypto, v->str, v->len, decrypt, out);
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
        status = sg__read_field(op->s, true, out, reply->element[i], reply->element[i + 1]);
    if (status == 0 && out->reg.npeople == 0)
        status = SG_EIO; /* no data field */
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
    struct sg__key key;
    const char *argv[] = {sg__key_reg(&key, &s->keys, code), s->keys.prefix};
    size_t lens[] = {strlen(argv[0]), s->keys.len};
    struct get_op *op = malloc(sizeof(*op));
    if (op == NULL)
        abort();
    *op = (struct get_op){s, cb, data};
    int ret = sg__store_eval(s, SG__SCRIPT_REGISTRATION_GET, 1, 2, argv, lens, on_hash, op);
    if (ret != 0)
        free(op);
    return ret;
}

_Static_assert(SG_STORE_HASH_HEX == SG_CRYPTO_HASH_HEX, "one size for the keyed hash");

void sg_store_idno_hash(struct sg_store *s, const char *id_number, char out[SG_STORE_HASH_HEX])
{
    sg_crypto_hash(s->crypto, id_number, out);
}

int sg_store_registration_get_by_idno(struct sg_store *s, const char *campaign, const char *hash, sg_store_get_cb cb,
                                      void *data)
{
    struct sg__key key, reg;
    const char *argv[] = {sg__key_uid(&key, &s->keys, campaign, hash), s->keys.prefix, "uid",
                          sg__key_reg(&reg, &s->keys, "")};
    size_t lens[] = {strlen(argv[0]), s->keys.len, 3, strlen(argv[3])};
    struct get_op *op = malloc(sizeof(*op));
    if (op == NULL)
        abort();
    *op = (struct get_op){s, cb, data};
    int ret = sg__store_eval(s, SG__SCRIPT_REGISTRATION_GET, 1, 4, argv, lens, on_hash, op);
    if (ret != 0)
        free(op);
    return ret;
}

void sg__match_key(const struct sg_registration *reg, char out[48])
{
    snprintf(out, 48, "%s:%ld:%d:%d", reg->dest_city, sg_date_days(reg->depart_date), reg->flex_days, (int)reg->mode);
}
