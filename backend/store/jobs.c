/* SPDX-License-Identifier: MIT */
/* Employers and jobs in Redis: one hash each (the fields scripts and lists need, the rest
 * as JSON) and one index whose members start with the owning scope. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "domain/err.h"
#include "store/internal.h"
#include "store/jobs.h"

struct rec_op {
    sg_store_employer_cb employer_cb;
    sg_store_employers_cb employers_cb;
    sg_store_job_cb job_cb;
    sg_store_jobs_cb jobs_cb;
    void *data;
    struct sg_employer e;
    struct sg_job j;
};

static struct rec_op *op_new(void *data)
{
    struct rec_op *op = calloc(1, sizeof(*op));
    if (op == NULL)
        abort();
    op->data = data;
    return op;
}

static void copy_json(char *dst, size_t dstsz, const cJSON *obj, const char *name)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);
    snprintf(dst, dstsz, "%s", cJSON_IsString(item) ? item->valuestring : "");
}

static long num_json(const cJSON *obj, const char *name)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);
    return cJSON_IsNumber(item) ? (long)item->valuedouble : 0;
}

static char *print(cJSON *o)
{
    char *text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (text == NULL)
        abort();
    return text;
}

static char *employer_encode(const struct sg_employer *e)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", e->name);
    cJSON_AddStringToObject(o, "city", e->city);
    cJSON_AddStringToObject(o, "park", e->park);
    cJSON_AddStringToObject(o, "industry", sg_work_name(e->industry));
    cJSON_AddBoolToObject(o, "key", e->key);
    cJSON_AddStringToObject(o, "contact_name", e->contact_name);
    cJSON_AddStringToObject(o, "contact_phone", e->contact_phone);
    return print(o);
}

static void employer_decode(const char *json, size_t len, struct sg_employer *e)
{
    cJSON *o = cJSON_ParseWithLength(json, len);
    char industry[24];
    copy_json(e->name, sizeof(e->name), o, "name");
    copy_json(e->city, sizeof(e->city), o, "city");
    copy_json(e->park, sizeof(e->park), o, "park");
    copy_json(industry, sizeof(industry), o, "industry");
    e->industry = sg_work_parse(industry);
    e->key = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "key"));
    copy_json(e->contact_name, sizeof(e->contact_name), o, "contact_name");
    copy_json(e->contact_phone, sizeof(e->contact_phone), o, "contact_phone");
    cJSON_Delete(o);
}

static char *job_encode(const struct sg_job *j)
{
    cJSON *o = cJSON_CreateObject();
    char starts[11] = "", closes[11] = "";
    if (sg_date_valid(j->starts))
        sg_date_format(j->starts, starts);
    sg_date_format(j->closes, closes);
    cJSON_AddStringToObject(o, "employer_name", j->employer_name);
    cJSON_AddStringToObject(o, "title", j->title);
    cJSON_AddStringToObject(o, "city", j->city);
    cJSON_AddStringToObject(o, "kind", sg_work_name(j->kind));
    cJSON_AddNumberToObject(o, "headcount", j->headcount);
    cJSON_AddNumberToObject(o, "wage_min", j->wage_min);
    cJSON_AddNumberToObject(o, "wage_max", j->wage_max);
    cJSON_AddNumberToObject(o, "age_min", j->age_min);
    cJSON_AddNumberToObject(o, "age_max", j->age_max);
    cJSON_AddStringToObject(o, "sex", sg_job_sex_name(j->sex));
    cJSON_AddStringToObject(o, "skills", j->skills);
    cJSON_AddStringToObject(o, "starts", starts);
    cJSON_AddStringToObject(o, "closes", closes);
    cJSON_AddStringToObject(o, "status", sg_job_status_name(j->status));
    return print(o);
}

static void job_decode(const char *json, size_t len, struct sg_job *j)
{
    cJSON *o = cJSON_ParseWithLength(json, len);
    char buf[24];
    copy_json(j->employer_name, sizeof(j->employer_name), o, "employer_name");
    copy_json(j->title, sizeof(j->title), o, "title");
    copy_json(j->city, sizeof(j->city), o, "city");
    copy_json(buf, sizeof(buf), o, "kind");
    j->kind = sg_work_parse(buf);
    j->headcount = (uint32_t)num_json(o, "headcount");
    j->wage_min = (uint32_t)num_json(o, "wage_min");
    j->wage_max = (uint32_t)num_json(o, "wage_max");
    j->age_min = (uint32_t)num_json(o, "age_min");
    j->age_max = (uint32_t)num_json(o, "age_max");
    copy_json(buf, sizeof(buf), o, "sex");
    j->sex = sg_job_sex_parse(buf) < 0 ? 0 : sg_job_sex_parse(buf);
    copy_json(j->skills, sizeof(j->skills), o, "skills");
    copy_json(buf, sizeof(buf), o, "starts");
    if (sg_date_parse(buf, &j->starts) != 0)
        j->starts = (struct sg_date){0, 0, 0};
    copy_json(buf, sizeof(buf), o, "closes");
    sg_date_parse(buf, &j->closes);
    copy_json(buf, sizeof(buf), o, "status");
    j->status = sg_job_status_parse(buf) == SG_JOB_CLOSED ? SG_JOB_CLOSED : SG_JOB_OPEN;
    cJSON_Delete(o);
}

static bool is(const redisReply *k, const char *name)
{
    return k->type == REDIS_REPLY_STRING && k->len == strlen(name) && memcmp(k->str, name, k->len) == 0;
}

static void copy_reply(char *dst, size_t dstsz, const redisReply *v)
{
    snprintf(dst, dstsz, "%.*s", (int)v->len, v->str != NULL ? v->str : "");
}

/* HGETALL pairs of an employer (job: j) into e; false when empty. */
static bool parse_record(const redisReply *r, struct sg_employer *e, struct sg_job *j)
{
    if (r->type != REDIS_REPLY_ARRAY || r->elements == 0)
        return false;
    for (size_t i = 0; i + 1 < r->elements; i += 2) {
        const redisReply *k = r->element[i], *x = r->element[i + 1];
        if (is(k, "id"))
            e != NULL ? copy_reply(e->id, sizeof(e->id), x) : copy_reply(j->id, sizeof(j->id), x);
        else if (is(k, "scope"))
            e != NULL ? copy_reply(e->scope, sizeof(e->scope), x) : copy_reply(j->scope, sizeof(j->scope), x);
        else if (is(k, "credit_code") && e != NULL)
            copy_reply(e->credit_code, sizeof(e->credit_code), x);
        else if (is(k, "employer") && j != NULL)
            copy_reply(j->employer, sizeof(j->employer), x);
        else if (is(k, "json"))
            e != NULL ? employer_decode(x->str, x->len, e) : job_decode(x->str, x->len, j);
    }
    return true;
}

static void on_saved(void *data, int status, redisReply *reply)
{
    struct rec_op *op = data;
    const char *taken_by = NULL;
    char holder[16] = "";
    if (status == 0 && (reply->type != REDIS_REPLY_ARRAY || reply->elements == 0))
        status = SG_EIO;
    if (status == 0) {
        const redisReply *what = reply->element[0], *id = reply->elements == 2 ? reply->element[1] : NULL;
        if (is(what, "ok") && id != NULL)
            op->employer_cb != NULL ? copy_reply(op->e.id, sizeof(op->e.id), id)
                                    : copy_reply(op->j.id, sizeof(op->j.id), id);
        else if (is(what, "taken") && id != NULL)
            status = SG_EEXIST, copy_reply(holder, sizeof(holder), id), taken_by = holder;
        else
            status = is(what, "missing") ? SG_ENOENT : SG_EIO;
    }
    if (op->employer_cb != NULL)
        op->employer_cb(op->data, status, status == 0 ? &op->e : NULL, taken_by);
    else
        op->job_cb(op->data, status, status == 0 ? &op->j : NULL);
    free(op);
}

static int eval_save(struct sg_store *s, enum sg__script_id script, const char **argv, size_t n, struct rec_op *op)
{
    size_t lens[8];
    for (size_t i = 0; i != n; ++i)
        lens[i] = strlen(argv[i]);
    int ret = sg__store_eval(s, script, script == SG__SCRIPT_EMPLOYER_SAVE ? 3 : 2, (int)n, argv, lens, on_saved, op);
    if (ret != 0)
        free(op);
    return ret;
}

int sg_store_employer_save(struct sg_store *s, const struct sg_employer *e, bool update, sg_store_employer_cb cb,
                           void *data)
{
    struct sg__key next, index, code;
    char *json = employer_encode(e);
    const char *argv[] = {sg__key_global(&next, &s->keys, SG__KEY_EMPLOYERS_NEXT),
                          sg__key_global(&index, &s->keys, SG__KEY_EMPLOYERS),
                          sg__key_employer_code(&code, &s->keys, e->credit_code),
                          update ? e->id : "",
                          e->scope,
                          e->credit_code,
                          json,
                          s->keys.prefix};
    struct rec_op *op = op_new(data);
    op->employer_cb = cb, op->e = *e;
    int ret = eval_save(s, SG__SCRIPT_EMPLOYER_SAVE, argv, 8, op);
    cJSON_free(json);
    return ret;
}

int sg_store_job_save(struct sg_store *s, const struct sg_job *j, bool update, sg_store_job_cb cb, void *data)
{
    struct sg__key next, index;
    char *json = job_encode(j);
    const char *argv[] = {sg__key_global(&next, &s->keys, SG__KEY_JOBS_NEXT),
                          sg__key_global(&index, &s->keys, SG__KEY_JOBS),
                          update ? j->id : "",
                          j->scope,
                          j->employer,
                          json,
                          s->keys.prefix};
    struct rec_op *op = op_new(data);
    op->job_cb = cb, op->j = *j;
    int ret = eval_save(s, SG__SCRIPT_JOB_SAVE, argv, 7, op);
    cJSON_free(json);
    return ret;
}

static void on_record(void *data, int status, redisReply *reply)
{
    struct rec_op *op = data;
    if (status == 0 && reply->type != REDIS_REPLY_ARRAY)
        status = SG_EIO;
    if (status == 0 && !parse_record(reply, op->employer_cb != NULL ? &op->e : NULL, &op->j))
        status = SG_ENOENT;
    if (op->employer_cb != NULL)
        op->employer_cb(op->data, status, status == 0 ? &op->e : NULL, NULL);
    else
        op->job_cb(op->data, status, status == 0 ? &op->j : NULL);
    free(op);
}

static int get_record(struct sg_store *s, const char *key, struct rec_op *op)
{
    const char *argv[] = {"HGETALL", key};
    size_t lens[] = {7, strlen(key)};
    int ret = sg__store_command(s, on_record, op, 2, argv, lens);
    if (ret != 0)
        free(op);
    return ret;
}

int sg_store_employer_get(struct sg_store *s, const char *id, sg_store_employer_cb cb, void *data)
{
    struct sg__key key;
    struct rec_op *op = op_new(data);
    op->employer_cb = cb;
    return get_record(s, sg__key_employer(&key, &s->keys, id), op);
}

int sg_store_job_get(struct sg_store *s, const char *id, sg_store_job_cb cb, void *data)
{
    struct sg__key key;
    struct rec_op *op = op_new(data);
    op->job_cb = cb;
    return get_record(s, sg__key_job(&key, &s->keys, id), op);
}

static void on_list(void *data, int status, redisReply *reply)
{
    struct rec_op *op = data;
    size_t n = 0, total = status == 0 && reply->type == REDIS_REPLY_ARRAY ? reply->elements : 0;
    struct sg_employer *es = op->employers_cb != NULL && total != 0 ? calloc(total, sizeof(*es)) : NULL;
    struct sg_job *js = op->jobs_cb != NULL && total != 0 ? calloc(total, sizeof(*js)) : NULL;
    if (status == 0 && reply->type != REDIS_REPLY_ARRAY)
        status = SG_EIO;
    if (total != 0 && es == NULL && js == NULL)
        abort();
    for (size_t i = 0; i != total; ++i)
        if (parse_record(reply->element[i], es != NULL ? &es[n] : NULL, js != NULL ? &js[n] : NULL))
            ++n;
    if (op->employers_cb != NULL)
        op->employers_cb(op->data, status, es, n);
    else
        op->jobs_cb(op->data, status, js, n);
    free(es);
    free(js);
    free(op);
}

/* One round trip: the index and each hash, read atomically. KEYS[1] the index; ARGV[1]
 * the record key prefix (sg:{P}:employer: or sg:{P}:job:; the keys come from the index). */
static int list_records(struct sg_store *s, enum sg__key_global index, const char *prefix, struct rec_op *op)
{
    static const char script[] = "#!lua flags=no-writes\n"
                                 "local out = {} for i, m in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do "
                                 "out[i] = redis.call('HGETALL', ARGV[1] .. string.match(m, ':(%d+)$')) end return out";
    struct sg__key k;
    const char *argv[] = {"EVAL", script, "1", sg__key_global(&k, &s->keys, index), prefix};
    size_t lens[5];
    for (size_t i = 0; i != 5; ++i)
        lens[i] = strlen(argv[i]);
    int ret = sg__store_command(s, on_list, op, 5, argv, lens);
    if (ret != 0)
        free(op);
    return ret;
}

int sg_store_employer_list(struct sg_store *s, sg_store_employers_cb cb, void *data)
{
    struct sg__key prefix;
    struct rec_op *op = op_new(data);
    op->employers_cb = cb;
    return list_records(s, SG__KEY_EMPLOYERS, sg__key_employer(&prefix, &s->keys, ""), op);
}

int sg_store_job_list(struct sg_store *s, sg_store_jobs_cb cb, void *data)
{
    struct sg__key prefix;
    struct rec_op *op = op_new(data);
    op->jobs_cb = cb;
    return list_records(s, SG__KEY_JOBS, sg__key_job(&prefix, &s->keys, ""), op);
}
