/* SPDX-License-Identifier: MIT */
/* Jobs (issue 17): employers (/api/employers), jobs (/api/jobs: public list, staff
 * editing, the jobs that fit a worker), job pushes (/api/pushes) and the notification
 * views (/api/notify: figures, dead letters, replies), and the grouping of the dashboard
 * by category (GET /api/stats?by=). */
#ifndef SG_HTTP_JOBS_JOBS_H
#define SG_HTTP_JOBS_JOBS_H

#include <h2o.h>
#include <cjson/cJSON.h>
#include "domain/employer.h"
#include "domain/job.h"
#include "http/staff/staff.h"
#include "service/app.h"

int sg_on_employers(h2o_handler_t *self, h2o_req_t *req); /* employers.c: /api/employers[/...] */
int sg_on_jobs(h2o_handler_t *self, h2o_req_t *req);      /* jobs.c: /api/jobs[/...] */
int sg_on_pushes(h2o_handler_t *self, h2o_req_t *req);    /* pushes.c: /api/pushes */
int sg_on_notify(h2o_handler_t *self, h2o_req_t *req);    /* notify.c: /api/notify[/...] */

/** GET /api/stats?by=category|dest|employer (stats_by.c), called by the dashboard's handler with its checked scope. */
void sg_stats_by(struct sg_staff_req *p, const char *scope, const struct sg_campaign *c, const char *by);

/* Between the files of this folder. */
/** True when s[0..len) is 1 to max digits. */
static inline bool sg__digits(const char *s, size_t len, size_t max)
{
    if (len == 0 || len > max)
        return false;
    for (size_t i = 0; i != len; ++i)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}
/** An employer as JSON; full_contact: the contact's phone unmasked (staff who may change it). */
cJSON *sg__json_employer(const struct sg_app *app, const struct sg_employer *e, bool full_contact);
/** A job as JSON: nothing about the employer's contact, ever (the public list shows it). */
cJSON *sg__json_job(const struct sg_app *app, const struct sg_job *j);

/** GET /api/jobs?for=CODE&phone4=NNNN (fit.c): the open jobs that fit the worker of that sign-up. */
int sg__jobs_fit(h2o_req_t *req, struct sg_app *app, const char *code);

/** The in-memory copy of every employer and job of this loop (refreshed every few seconds). */
struct sg__catalog {
    struct sg_employer *employers;
    size_t nemployers;
    struct sg_job *jobs;
    size_t njobs;
};
typedef void (*sg__catalog_cb)(void *data, int status, const struct sg__catalog *c);
/**
 * Call cb with this loop's catalog, at most a few seconds old (one read for every request
 * waiting meanwhile: a flood of public requests costs Redis one read per period). 0, or
 * an error without calling cb. The catalog is valid during cb only.
 */
int sg__catalog_get(struct sg_app *app, sg__catalog_cb cb, void *data);
/** Forget every loop's catalog (after a change, so that staff and workers see it at once). */
void sg__catalog_stale(void);

#endif
