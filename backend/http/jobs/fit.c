/* SPDX-License-Identifier: MIT */
/* GET /api/jobs?for=CODE&phone4=NNNN: the open jobs that fit a worker (place: the city
 * signed up for, its province, or near home; age and sex rules; the kind wanted first), for
 * the status page. The same proof as the lookup, and the same 404 for a wrong one. */
#include <stdlib.h>
#include <string.h>
#include "domain/err.h"
#include "http/core/reply.h"
#include "http/core/request.h"
#include "http/jobs/jobs.h"
#include "http/registrations/registrations.h"
#include "store/store.h"

#define FIT_MAX 10

struct fit_req {
    struct sg_pending super;
    struct sg_proof_attempt proof; /* the lookup's attempt limits: the 4 digits are as guessable here */
    char code[SG_CODE_LEN + 1];
    char phone4[5];
    struct sg_job_seeker seeker;
    char dest[5], village[13];
};

struct scored {
    const struct sg_job *j;
    int score;
};

static int by_score(const void *a, const void *b)
{
    const struct scored *x = a, *y = b;
    return x->score != y->score ? y->score - x->score : sg_date_cmp(x->j->closes, y->j->closes);
}

static void on_catalog(void *data, int status, const struct sg__catalog *c)
{
    struct fit_req *p = data;
    h2o_req_t *req = p->super.req;
    struct scored *s = c != NULL && c->njobs != 0 ? calloc(c->njobs, sizeof(*s)) : NULL;
    size_t n = 0;
    if (req != NULL && status != 0)
        sg_reply_store_error(req, status);
    else if (req != NULL) {
        for (size_t i = 0; i != c->njobs; ++i) {
            int score = sg_job_fit(&c->jobs[i], sg_app_today(p->super.app), &p->seeker);
            if (score > 0)
                s[n++] = (struct scored){&c->jobs[i], score};
        }
        if (n > 1)
            qsort(s, n, sizeof(*s), by_score);
        cJSON *root = cJSON_CreateObject(), *list = cJSON_AddArrayToObject(root, "jobs");
        for (size_t i = 0; i != n && i != FIT_MAX; ++i) {
            cJSON *o = sg__json_job(p->super.app, s[i].j);
            const char *city = s[i].j->city;
            cJSON_AddStringToObject(o, "fit",
                                    strcmp(city, p->dest) == 0       ? "city"
                                    : strncmp(city, p->dest, 2) == 0 ? "province"
                                                                     : "near_home");
            cJSON_AddItemToArray(list, o);
        }
        sg_reply_json(req, 200, root);
    }
    free(s);
    sg_pending_free(p);
}

static void on_registration(void *data, int status, const struct sg_stored_registration *r)
{
    struct fit_req *p = data;
    h2o_req_t *req = p->super.req;
    if (req != NULL && status == 0 && sg__registration_proof_ok(r, p->phone4) && strcmp(r->status, "cancelled") != 0) {
        sg__proof_right(&p->proof);
        memcpy(p->dest, r->reg.dest_city, sizeof(p->dest));
        memcpy(p->village, r->reg.village, sizeof(p->village));
        p->seeker =
            (struct sg_job_seeker){sg_idno_age(&r->reg.people[0].id, sg_app_today(p->super.app)),
                                   r->reg.people[0].id.sex, p->dest, p->village, r->reg.seek_job ? r->reg.work : -1};
        int ret = sg__catalog_get(p->super.app, on_catalog, p);
        if (ret == 0)
            return;
        sg_reply_store_error(req, ret);
    } else if (req != NULL && (status == 0 || status == SG_ENOENT)) {
        sg_reply_error(req, 404, "not_found", NULL); /* a wrong phone4 answers as an unknown code */
    } else if (req != NULL) {
        sg_reply_store_error(req, status);
    }
    sg_pending_free(p);
}

/* Counted: now read it. */
static void read_registration(struct sg_pending *super)
{
    struct fit_req *p = (struct fit_req *)super;
    int ret = sg_store_registration_get(super->app->store, p->code, on_registration, p);
    if (ret != 0) {
        sg_reply_store_error(super->req, ret);
        sg_pending_free(p);
    }
}

int sg__jobs_fit(h2o_req_t *req, struct sg_app *app, const char *code)
{
    const char *phone4 = sg_query_param(req, "phone4");
    struct fit_req *p = sg_pending_new(req, app, sizeof(*p));
    if (sg__registration_code(code, strlen(code), phone4, p->code) != 0) {
        sg_reply_error(req, 404, "not_found", NULL);
        sg_pending_free(p);
        return 0;
    }
    memcpy(p->phone4, phone4, 5);
    sg__proof_begin(&p->proof, &p->super, p->code, read_registration);
    return 0;
}
