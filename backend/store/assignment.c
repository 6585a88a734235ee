/* SPDX-License-Identifier: MIT */
/* Assignments of registrations to vehicle seats, and the matching input. The open index
 * (sg:{P}:{campaign}:open) holds every registration still to be matched with what matching
 * needs in the member itself, so a scope's input is one ZRANGEBYLEX and no hash reads. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "domain/err.h"
#include "store/internal.h"
#include "store/transport.h"

/* DEL KEYS[1] if it still holds ARGV[1] (a lock or a mark someone else may have set since). */
static const char compare_and_delete[] =
    "#!lua\nif redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

struct assign_op {
    void *data;
    union {
        sg_store_open_cb open;
        sg_store_status_cb status;
        sg_store_move_cb move;
        sg_store_sweep_cb sweep;
        sg_store_mark_cb mark;
        sg_store_trip_mark_cb trip_mark;
    } cb;
};

static struct assign_op *op_new(void *data)
{
    struct assign_op *op = calloc(1, sizeof(*op));
    if (op == NULL)
        abort();
    op->data = data;
    return op;
}

static int send_op(struct sg_store *s, struct assign_op *op, int script, int nkeys, int argc, const char **argv,
                   sg__redis_cb on_reply)
{
    size_t lens[16];
    for (int i = 0; i != argc; ++i)
        lens[i] = strlen(argv[i]);
    int ret;
    if (script == SG__SCRIPT_ASSIGNMENT_MOVE) /* a move right after the sign-up finds it in the open index */
        ret = sg__store_eval_folded(s, SG__SCRIPT_ASSIGNMENT_MOVE, nkeys, argc, argv, lens, on_reply, op);
    else if (script >= 0)
        ret = sg__store_eval(s, (enum sg__script_id)script, nkeys, argc, argv, lens, on_reply, op);
    else
        ret = sg__store_command(s, on_reply, op, argc, argv, lens);
    if (ret != 0)
        free(op);
    return ret;
}

void sg_open_registrations_free(struct sg_open_registrations *o)
{
    if (o == NULL)
        return;
    free(o->items);
    free(o->member);
    free(o->text);
    free(o);
}

static uint64_t digits(const char **p, int *ok)
{
    uint64_t v = 0;
    const char *s = *p;
    if (*s < '0' || *s > '9')
        *ok = 0;
    while (*s >= '0' && *s <= '9')
        v = v * 10 + (uint64_t)(*s++ - '0');
    if (*s == ':')
        ++s;
    *p = s;
    return v;
}

/* "{village}:{code}:{city}:{day}:{flex}:{mode}:{n}" into it; 0 when well formed. */
static int parse_member(const char *m, size_t len, struct sg_match_item *it)
{
    int ok = len > SG_DIVISION_CODE_MAX + SG_CODE_LEN + 2 && m[SG_DIVISION_CODE_MAX] == ':' &&
             m[SG_DIVISION_CODE_MAX + 1 + SG_CODE_LEN] == ':';
    if (!ok)
        return -1;
    const char *p = m;
    it->place = digits(&p, &ok);
    p = m + SG_DIVISION_CODE_MAX + SG_CODE_LEN + 2;
    it->city = (uint32_t)digits(&p, &ok);
    int neg = *p == '-';
    p += neg;
    int64_t day = (int64_t)digits(&p, &ok);
    it->day = (int32_t)(neg ? -day : day);
    it->flex = (uint8_t)digits(&p, &ok);
    it->modes = (uint8_t)sg_mode_allows((int)digits(&p, &ok));
    it->size = (uint16_t)digits(&p, &ok);
    return ok && p == m + len && it->size != 0 ? 0 : -1;
}

static struct sg_open_registrations *open_parse(const redisReply *reply)
{
    struct sg_open_registrations *o = calloc(1, sizeof(*o));
    size_t total = 0, n1 = reply->elements != 0 ? reply->elements : 1;
    for (size_t i = 0; i != reply->elements; ++i)
        total += reply->element[i]->len + 1;
    o->items = malloc(n1 * sizeof(*o->items));
    o->member = malloc(n1 * sizeof(*o->member));
    o->text = malloc(total + 1);
    if (o == NULL || o->items == NULL || o->member == NULL || o->text == NULL)
        abort();
    char *t = o->text;
    for (size_t i = 0; i != reply->elements; ++i) {
        const redisReply *e = reply->element[i];
        if (e->type != REDIS_REPLY_STRING || parse_member(e->str, e->len, &o->items[o->n]) != 0)
            continue; /* not ours: skipped rather than failing the whole scope */
        memcpy(t, e->str, e->len);
        t[e->len] = '\0';
        o->member[o->n++] = t;
        t += e->len + 1;
    }
    return o;
}

/* The open list's read: the count of open:changes comes first, then the members. */
struct open_op {
    sg_store_open_cb cb;
    void *data;
    char changes[24];
};

static void on_changes(void *data, int status, redisReply *reply)
{
    struct open_op *op = data;
    if (op->cb == NULL) { /* the members' read could not be sent */
        free(op);
        return;
    }
    if (status == 0 && reply->type == REDIS_REPLY_STRING && reply->len < sizeof(op->changes))
        memcpy(op->changes, reply->str, reply->len + 1);
    else if (status != 0 || reply->type != REDIS_REPLY_NIL)
        op->changes[0] = '\0'; /* matches no count: the accept then checks every group */
}

static void on_open(void *data, int status, redisReply *reply)
{
    struct open_op *op = data;
    struct sg_open_registrations *o = NULL;
    if (status == 0 && reply->type != REDIS_REPLY_ARRAY)
        status = SG_EIO;
    if (status == 0) {
        o = open_parse(reply);
        memcpy(o->changes, op->changes, sizeof(o->changes));
    }
    op->cb(op->data, status, o);
    free(op);
}

int sg_store_open_list(struct sg_store *s, const char *campaign, const char *scope, sg_store_open_cb cb, void *data)
{
    struct sg__key key, changes;
    char lo[24], hi[24];
    snprintf(lo, sizeof(lo), "[%s", scope);
    snprintf(hi, sizeof(hi), "(%s\xff", scope);
    const char *get[] = {"HGET", sg__key_global(&changes, &s->keys, SG__KEY_OPEN_CHANGES), campaign};
    const char *argv[] = {"ZRANGEBYLEX", sg__key_campaign(&key, &s->keys, campaign, SG__KEY_OPEN), lo, hi};
    size_t get_lens[] = {4, strlen(get[1]), strlen(campaign)};
    size_t lens[] = {11, strlen(argv[1]), strlen(lo), strlen(hi)};
    struct sg__redis *r = sg__store_redis_folded(s); /* every sign-up so far in the index */
    struct open_op *op = malloc(sizeof(*op));
    if (op == NULL)
        abort();
    *op = (struct open_op){cb, data, "0"};
    /* the count before the members, on the same connection: a change between them shows as a change */
    int ret = r == NULL ? SG_EUNAVAIL : sg__redis_command_ex(r, on_changes, op, 3, get, get_lens, false);
    if (ret == 0 && (ret = sg__redis_command_ex(r, on_open, op, 4, argv, lens, false)) != 0)
        op->cb = NULL; /* on_changes frees it */
    else if (ret != 0)
        free(op);
    return ret;
}

static void on_status(void *data, int status, redisReply *reply);

static void on_swept(void *data, int status, redisReply *reply)
{
    struct assign_op *op = data;
    if (status == 0 &&
        (reply->type != REDIS_REPLY_ARRAY || reply->elements != 2 || reply->element[0]->type != REDIS_REPLY_INTEGER ||
         reply->element[1]->type != REDIS_REPLY_STRING))
        status = SG_EIO;
    op->cb.sweep(op->data, status, status == 0 ? (size_t)reply->element[0]->integer : 0,
                 status == 0 ? reply->element[1]->str : "");
    free(op);
}

int sg_store_open_sweep(struct sg_store *s, const char *campaign, const char *min, const char *max, size_t limit,
                        sg_store_sweep_cb cb, void *data)
{
    struct sg__key keys[2];
    char n[24] = "";
    if (limit != 0)
        snprintf(n, sizeof(n), "%zu", limit);
    const char *argv[] = {sg__key_campaign(&keys[0], &s->keys, campaign, SG__KEY_OPEN),
                          sg__key_campaign(&keys[1], &s->keys, campaign, SG__KEY_ASSIGN), min, max, n};
    struct assign_op *op = op_new(data);
    op->cb.sweep = cb;
    return send_op(s, op, SG__SCRIPT_OPEN_SWEEP, 2, 5, argv, on_swept);
}

static void on_mark(void *data, int status, redisReply *reply)
{
    struct assign_op *op = data;
    if (status == 0 && reply->type != REDIS_REPLY_STRING && reply->type != REDIS_REPLY_NIL)
        status = SG_EIO;
    op->cb.mark(op->data, status, status == 0 && reply->type == REDIS_REPLY_STRING ? reply->str : NULL);
    free(op);
}

int sg_store_unswept_get(struct sg_store *s, const char *campaign, const char *token, sg_store_mark_cb cb, void *data)
{
    static const char script[] = "#!lua flags=no-writes\n"
                                 "local m = redis.call('GET', KEYS[1]) if not m then return false end "
                                 "local l = redis.call('GET', KEYS[2]) if l and l ~= ARGV[1] then return false end "
                                 "return m";
    struct sg__key keys[2];
    const char *argv[] = {"EVAL",
                          script,
                          "2",
                          sg__key_campaign(&keys[0], &s->keys, campaign, SG__KEY_UNSWEPT),
                          sg__key_campaign(&keys[1], &s->keys, campaign, SG__KEY_MATCHLOCK),
                          token};
    struct assign_op *op = op_new(data);
    op->cb.mark = cb;
    return send_op(s, op, -1, 0, 6, argv, on_mark);
}

int sg_store_unswept_set(struct sg_store *s, const char *campaign, const char *mark, sg_store_status_cb cb, void *data)
{
    struct sg__key key;
    const char *argv[] = {"SET", sg__key_campaign(&key, &s->keys, campaign, SG__KEY_UNSWEPT), mark};
    struct assign_op *op = op_new(data);
    op->cb.status = cb;
    return send_op(s, op, -1, 0, 3, argv, on_status);
}

/* Delete the campaign's key which if it still holds value. */
static int delete_if(struct sg_store *s, const char *campaign, enum sg__key_campaign which, const char *value,
                     sg_store_status_cb cb, void *data)
{
    struct sg__key key;
    const char *argv[] = {"EVAL", compare_and_delete, "1", sg__key_campaign(&key, &s->keys, campaign, which), value};
    struct assign_op *op = op_new(data);
    op->cb.status = cb;
    return send_op(s, op, -1, 0, 5, argv, on_status);
}

int sg_store_unswept_clear(struct sg_store *s, const char *campaign, const char *mark, sg_store_status_cb cb,
                           void *data)
{
    return delete_if(s, campaign, SG__KEY_UNSWEPT, mark, cb, data);
}

static void on_status(void *data, int status, redisReply *reply)
{
    struct assign_op *op = data;
    if (status == 0 && reply->type == REDIS_REPLY_ERROR)
        status = SG_EIO;
    else if (status == 0 && reply->type == REDIS_REPLY_NIL)
        status = SG_EEXIST; /* SET NX found the lock taken */
    else if (status == 0 && reply->type == REDIS_REPLY_ARRAY && reply->elements != 0 &&
             strcmp(reply->element[0]->str, "missing") == 0)
        status = SG_ENOENT;
    if (op->cb.status != NULL)
        op->cb.status(op->data, status);
    free(op);
}

/* The refusals of the move, release and mark scripts, as static strings. */
static const char *why_of(const char *what)
{
    static const char *const whys[] = {"no_room",     "not_open",     "not_matching",   "no_stop",
                                       "not_planned", "changed",      "not_on_vehicle", "boarded",
                                       "departed",    "not_assigned", "not_boarding"};
    for (size_t i = 0; i != sizeof(whys) / sizeof(whys[0]); ++i)
        if (strcmp(what, whys[i]) == 0)
            return whys[i];
    return NULL;
}

/* {'ok', seat or vehicle} (or {'again', vehicle}), {'busy'}, {'missing'}, or a refusal:
 * the status, the refusal's code, the number and whether it was 'again'. */
static int moved_reply(int status, redisReply *reply, const char **why, uint32_t *seat, bool *again)
{
    const char *what = "";
    *why = NULL;
    *seat = 0;
    *again = false;
    if (status == 0 &&
        (reply->type != REDIS_REPLY_ARRAY || reply->elements == 0 || reply->element[0]->type != REDIS_REPLY_STRING))
        status = SG_EIO;
    if (status == 0) {
        what = reply->element[0]->str;
        if ((strcmp(what, "ok") == 0 || strcmp(what, "again") == 0) && reply->elements == 2) {
            *seat = (uint32_t)strtoul(reply->element[1]->str, NULL, 10);
            *again = strcmp(what, "again") == 0;
        } else if (strcmp(what, "busy") == 0) {
            status = SG_EEXIST;
        } else if (strcmp(what, "missing") == 0) {
            status = SG_ENOENT;
        } else if ((*why = why_of(what)) != NULL) {
            status = SG_EINVAL;
        } else {
            status = SG_EIO;
        }
    }
    return status;
}

static void on_moved(void *data, int status, redisReply *reply)
{
    struct assign_op *op = data;
    const char *why;
    uint32_t seat;
    bool again;
    status = moved_reply(status, reply, &why, &seat, &again);
    op->cb.move(op->data, status, why, seat);
    free(op);
}

/* The same replies, for registration_mark.lua (its own callback: the union holds one). */
static void on_trip_marked(void *data, int status, redisReply *reply)
{
    struct assign_op *op = data;
    const char *why;
    uint32_t vehicle;
    bool again;
    status = moved_reply(status, reply, &why, &vehicle, &again);
    op->cb.trip_mark(op->data, status, why, vehicle, again);
    free(op);
}

int sg_store_assignment_release(struct sg_store *s, const char *campaign, const char *code, const char *vehicle,
                                const char *village, bool reopen, sg_store_move_cb cb, void *data)
{
    struct sg__key keys[3];
    const char *argv[] = {sg__key_reg(&keys[0], &s->keys, code),
                          sg__key_campaign(&keys[1], &s->keys, campaign, SG__KEY_OPEN),
                          sg__key_campaign(&keys[2], &s->keys, campaign, SG__KEY_ASSIGN),
                          code,
                          reopen ? "reopen" : "drop",
                          s->keys.prefix,
                          vehicle,
                          village};
    struct assign_op *op = op_new(data);
    op->cb.move = cb;
    return send_op(s, op, SG__SCRIPT_ASSIGNMENT_RELEASE, 3, 8, argv, on_moved);
}

int sg_store_assignment_move(struct sg_store *s, const char *campaign, const char *code, const char *vehicle,
                             const char *village, sg_store_move_cb cb, void *data)
{
    struct sg__key keys[6];
    const char *argv[] = {sg__key_reg(&keys[0], &s->keys, code),
                          sg__key_campaign(&keys[1], &s->keys, campaign, SG__KEY_OPEN),
                          sg__key_campaign(&keys[2], &s->keys, campaign, SG__KEY_ASSIGN),
                          sg__key_vehicle(&keys[3], &s->keys, vehicle),
                          sg__key_campaign(&keys[4], &s->keys, campaign, SG__KEY_MATCHLOCK),
                          sg__key_vehicle_seats(&keys[5], &s->keys, vehicle),
                          code,
                          vehicle,
                          campaign,
                          s->keys.prefix,
                          village};
    struct assign_op *op = op_new(data);
    op->cb.move = cb;
    return send_op(s, op, SG__SCRIPT_ASSIGNMENT_MOVE, 6, 11, argv, on_moved);
}

int sg_store_registration_mark(struct sg_store *s, const char *code, const char *village, enum sg_trip_mark what,
                               const char *by, uint64_t now_ms, sg_store_trip_mark_cb cb, void *data)
{
    static const char *const names[] = {"notified", "unnotified", "no_show"};
    struct sg__key key;
    char now[24];
    snprintf(now, sizeof(now), "%llu", (unsigned long long)now_ms);
    const char *argv[] = {sg__key_reg(&key, &s->keys, code), code, names[what], by, now, s->keys.prefix, village};
    struct assign_op *op = op_new(data);
    op->cb.trip_mark = cb;
    return send_op(s, op, SG__SCRIPT_REGISTRATION_MARK, 1, 7, argv, on_trip_marked);
}

int sg_store_match_lock(struct sg_store *s, const char *campaign, const char *token, unsigned ttl_ms,
                        sg_store_status_cb cb, void *data)
{
    struct sg__key key;
    char ttl[16];
    snprintf(ttl, sizeof(ttl), "%u", ttl_ms);
    const char *argv[] = {"SET", sg__key_campaign(&key, &s->keys, campaign, SG__KEY_MATCHLOCK), token, "NX", "PX", ttl};
    struct assign_op *op = op_new(data);
    op->cb.status = cb;
    return send_op(s, op, -1, 0, 6, argv, on_status);
}

int sg_store_match_unlock(struct sg_store *s, const char *campaign, const char *token, sg_store_status_cb cb,
                          void *data)
{
    return delete_if(s, campaign, SG__KEY_MATCHLOCK, token, cb, data);
}
