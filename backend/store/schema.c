/* SPDX-License-Identifier: MIT */
/* The key layout's version (sg:{P}:schema): the check commands run before they start, and
 * the migration: from the layout before version 2 (keys sg:… without the province's hash
 * tag), from version 2 (a person's birth date kept in plain, which with the masked ID
 * number gave back all 18 digits: later versions keep the year) and from version 3 (the
 * registrations' long data: version 4's is compact, docs/redis-keys.md). All walk the key
 * space with SCAN from here, never inside one long script. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "domain/err.h"
#include "store/internal.h"

#define SCAN_COUNT "1000"

struct schema_op {
    struct sg_store *s;
    void *data;
    bool data_phase;                /* renames done: rewriting registrations of older layouts (migrate_data.lua) */
    bool overwrite;                 /* the version key holds an older version: SET without NX */
    sg_store_schema_cb check_cb;    /* set for a check */
    sg_store_migrate_cb migrate_cb; /* set for a migration */
    char cursor[24];
    unsigned from; /* the version Redis was marked with, 0 when none */
    size_t moved, rewritten, births;
    char conflict[SG__KEY_MAX]; /* the first old key whose new name was taken */
};

static void check_done(struct schema_op *op, int status, enum sg_store_schema schema, const char *what)
{
    op->check_cb(op->data, status, schema, what);
    free(op);
}

static void migrate_done(struct schema_op *op, int status)
{
    struct sg_store_migration m = {op->from, op->moved, op->rewritten, op->births,
                                   op->conflict[0] != '\0' ? op->conflict : NULL};
    op->migrate_cb(op->data, status, &m);
    free(op);
}

static void finish(struct schema_op *op, int status)
{
    if (op->check_cb != NULL)
        check_done(op, status, SG_STORE_SCHEMA_CURRENT, NULL);
    else
        migrate_done(op, status);
}

static int command(struct schema_op *op, sg__redis_cb cb, int argc, const char **argv)
{
    size_t lens[8];
    for (int i = 0; i != argc; ++i)
        lens[i] = strlen(argv[i]);
    return sg__store_command_ex(op->s, cb, op, argc, argv, lens, false); /* an admin's step: no replica wait */
}

static void on_marked(void *data, int status, redisReply *reply)
{
    struct schema_op *op = data;
    if (status == 0 && reply->type == REDIS_REPLY_ERROR)
        status = SG_EIO;
    finish(op, status); /* nil: marked meanwhile by another command, which is as good */
}

/* No key of the old layout is left: mark Redis with this layout's version. */
static void mark(struct schema_op *op)
{
    struct sg__key key;
    const char *argv[] = {"SET", sg__key_global(&key, &op->s->keys, SG__KEY_SCHEMA), SG_STORE_SCHEMA_VERSION, "NX"};
    int ret = command(op, on_marked, op->overwrite ? 3 : 4, argv);
    if (ret != 0)
        finish(op, ret);
}

static void next(struct schema_op *op);

static void on_moved(void *data, int status, redisReply *reply)
{
    struct schema_op *op = data;
    if (status == 0 && (reply->type != REDIS_REPLY_ARRAY || reply->elements != 2 ||
                        reply->element[0]->type != REDIS_REPLY_INTEGER || reply->element[1]->type != REDIS_REPLY_ARRAY))
        status = SG_EIO;
    if (status != 0) {
        migrate_done(op, status);
        return;
    }
    op->moved += (size_t)reply->element[0]->integer;
    const redisReply *taken = reply->element[1];
    if (taken->elements != 0 && op->conflict[0] == '\0')
        sg__copy_str(op->conflict, sizeof(op->conflict), taken->element[0]->str);
    next(op);
}

static void on_rewritten(void *data, int status, redisReply *reply)
{
    struct schema_op *op = data;
    if (status == 0 &&
        (reply->type != REDIS_REPLY_ARRAY || reply->elements != 2 || reply->element[0]->type != REDIS_REPLY_INTEGER ||
         reply->element[1]->type != REDIS_REPLY_INTEGER))
        status = SG_EIO;
    if (status != 0) {
        migrate_done(op, status);
        return;
    }
    op->rewritten += (size_t)reply->element[0]->integer;
    op->births += (size_t)reply->element[1]->integer;
    next(op);
}

/* One SCAN page of registration keys to migrate_data.lua. */
static int rewrite(struct schema_op *op, const redisReply *page)
{
    size_t n = page->elements;
    const char **argv = malloc((n + 1) * sizeof(*argv));
    size_t *lens = malloc((n + 1) * sizeof(*lens));
    if (argv == NULL || lens == NULL)
        abort();
    for (size_t i = 0; i != n; ++i)
        argv[i] = page->element[i]->str, lens[i] = page->element[i]->len;
    int ret = sg__store_eval(op->s, SG__SCRIPT_MIGRATE_DATA, (int)n, (int)n, argv, lens, on_rewritten, op);
    free(argv);
    free(lens);
    return ret;
}

/* One SCAN page of old keys to migrate.lua, as old name, new name pairs. */
static int move(struct schema_op *op, const redisReply *page)
{
    size_t n = page->elements, argc = 2 * n + 3;
    const char **argv = malloc(argc * sizeof(*argv));
    size_t *lens = malloc(argc * sizeof(*lens));
    struct sg__key *keys = malloc((n + 3) * sizeof(*keys));
    if (argv == NULL || lens == NULL || keys == NULL)
        abort();
    size_t nkeys = 0;
    for (size_t i = 0; i != n; ++i) {
        const char *old = page->element[i]->str;
        if (page->element[i]->type == REDIS_REPLY_STRING && sg__key_from_old(&keys[i], &op->s->keys, old) != NULL)
            argv[nkeys++] = old, argv[nkeys++] = keys[i].s;
    }
    argv[nkeys] = SG__KEYS_OLD_PREFIX "session:";
    argv[nkeys + 1] = sg__key_session(&keys[n], &op->s->keys, "");
    argv[nkeys + 2] = SG__KEYS_OLD_PREFIX "purge:";
    for (size_t i = 0; i != nkeys + 3; ++i)
        lens[i] = strlen(argv[i]);
    int ret = sg__store_eval(op->s, SG__SCRIPT_MIGRATE, (int)nkeys, (int)nkeys + 3, argv, lens, on_moved, op);
    free(argv);
    free(lens);
    free(keys);
    return ret;
}

static void on_scanned(void *data, int status, redisReply *reply)
{
    struct schema_op *op = data;
    if (status == 0 && (reply->type != REDIS_REPLY_ARRAY || reply->elements != 2 ||
                        reply->element[0]->type != REDIS_REPLY_STRING || reply->element[1]->type != REDIS_REPLY_ARRAY))
        status = SG_EIO;
    if (status != 0) {
        finish(op, status);
        return;
    }
    const redisReply *page = reply->element[1];
    sg__copy_str(op->cursor, sizeof(op->cursor), reply->element[0]->str);
    if (page->elements != 0 && op->data_phase) {
        if ((status = rewrite(op, page)) != 0)
            migrate_done(op, status);
        return;
    }
    if (page->elements != 0 && op->check_cb != NULL) {
        check_done(op, 0, SG_STORE_SCHEMA_OLD, page->element[0]->str);
        return;
    }
    if (page->elements != 0) {
        if ((status = move(op, page)) != 0)
            migrate_done(op, status);
        return;
    }
    next(op);
}

/* One SCAN page of keys of the old layout from cursor. */
static void scan(struct schema_op *op, const char *cursor)
{
    struct sg__key regs;
    char match[SG__KEY_MAX + 2];
    snprintf(match, sizeof(match), "%s*", sg__key_reg(&regs, &op->s->keys, ""));
    const char *argv[] = {"SCAN", cursor, "MATCH", op->data_phase ? match : SG__KEYS_OLD_MATCH, "COUNT", SCAN_COUNT};
    int ret = command(op, on_scanned, 6, argv);
    if (ret != 0)
        finish(op, ret);
}

/* The next page, or the end of the walk: then no key of the old layout is left, and after
 * the renames, no registration of layout 2. */
static void next(struct schema_op *op)
{
    if (strcmp(op->cursor, "0") != 0) {
        scan(op, op->cursor);
        return;
    }
    if (op->conflict[0] != '\0') {
        migrate_done(op, SG_EEXIST);
        return;
    }
    if (op->migrate_cb != NULL && !op->data_phase) {
        op->data_phase = true;
        scan(op, "0");
        return;
    }
    mark(op);
}

static void on_version(void *data, int status, redisReply *reply)
{
    struct schema_op *op = data;
    if (status == 0 && reply->type != REDIS_REPLY_STRING && reply->type != REDIS_REPLY_NIL)
        status = SG_EIO;
    if (status != 0) {
        finish(op, status);
        return;
    }
    if (reply->type == REDIS_REPLY_STRING && strcmp(reply->str, SG_STORE_SCHEMA_VERSION) == 0) {
        finish(op, 0);
        return;
    }
    bool layout2 = reply->type == REDIS_REPLY_STRING && strcmp(reply->str, "2") == 0;
    bool layout3 = reply->type == REDIS_REPLY_STRING && strcmp(reply->str, "3") == 0;
    if (reply->type == REDIS_REPLY_STRING && op->check_cb != NULL) {
        check_done(op, 0, layout2 || layout3 ? SG_STORE_SCHEMA_OLD : SG_STORE_SCHEMA_UNKNOWN,
                   layout2   ? "version 2 (birth dates in plain)"
                   : layout3 ? "version 3 (registrations not yet compact)"
                             : reply->str);
        return;
    }
    if (reply->type == REDIS_REPLY_STRING && !layout2 && !layout3) {
        migrate_done(op, SG_EINVAL);
        return;
    }
    op->from = layout2 ? 2 : layout3 ? 3 : 0;
    op->data_phase = op->overwrite = layout2 || layout3; /* the keys are right, the data not yet */
    scan(op, "0");                                       /* not marked: walk the key space */
}

static int start(struct sg_store *s, struct schema_op *op)
{
    struct sg__key key;
    const char *argv[] = {"GET", sg__key_global(&key, &s->keys, SG__KEY_SCHEMA)};
    int ret = command(op, on_version, 2, argv);
    if (ret != 0)
        free(op);
    return ret;
}

static struct schema_op *op_new(struct sg_store *s, void *data)
{
    struct schema_op *op = calloc(1, sizeof(*op));
    if (op == NULL)
        abort();
    op->s = s;
    op->data = data;
    return op;
}

int sg_store_schema_check(struct sg_store *s, sg_store_schema_cb cb, void *data)
{
    struct schema_op *op = op_new(s, data);
    op->check_cb = cb;
    return start(s, op);
}

int sg_store_migrate(struct sg_store *s, sg_store_migrate_cb cb, void *data)
{
    struct schema_op *op = op_new(s, data);
    op->migrate_cb = cb;
    return start(s, op);
}
