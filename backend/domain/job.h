/* SPDX-License-Identifier: MIT */
/* Jobs (岗位) of registered employers: validation of what a form sends, whether a job is
 * open, 区内/区外 from its place, how well it fits a worker, and the target groups of a
 * job push (靶向推送): which people of the sign-ups a filter reaches. Pure. */
#ifndef SG_DOMAIN_JOB_H
#define SG_DOMAIN_JOB_H

#include <stdbool.h>
#include <stdint.h>
#include "domain/date.h"
#include "domain/employer.h"
#include "domain/registration.h"

#define SG_JOB_ID_MAX 10
#define SG_JOB_TITLE_MAX_CHARS 30
#define SG_JOB_SKILLS_MAX_CHARS 100
#define SG_JOB_WAGE_MAX 100000 /* yuan a month */
#define SG_JOB_HEADCOUNT_MAX 100000

enum sg_job_status { SG_JOB_OPEN = 0, SG_JOB_CLOSED };

struct sg_job {
    char id[SG_JOB_ID_MAX + 1];
    char employer[SG_EMPLOYER_ID_MAX + 1];                  /* the employer's id */
    char employer_name[4 * SG_EMPLOYER_NAME_MAX_CHARS + 1]; /* copied from it when saved */
    char scope[SG_DIVISION_CODE_MAX + 1];                   /* the employer's scope */
    char title[4 * SG_JOB_TITLE_MAX_CHARS + 1];
    char city[5];                           /* where the work is */
    int kind;                               /* a work kind */
    uint32_t headcount, wage_min, wage_max; /* wages in yuan a month; 0: not said */
    uint32_t age_min, age_max;              /* 0: no bound */
    int sex;                                /* 0 any, 1 men, 2 women */
    char skills[4 * SG_JOB_SKILLS_MAX_CHARS + 1];
    struct sg_date starts, closes;
    enum sg_job_status status;
};

struct sg_job_input {
    const char *title, *city, *kind, *sex, *skills, *starts, *closes, *status;
    long headcount, wage_min, wage_max, age_min, age_max; /* -1 missing */
};

/**
 * Validate in into out (id, employer, employer_name and scope left as they are).
 * Required: title, city (a city of destinations), kind, headcount (1..), closes (not
 * before starts; today or later when today is given as non-zero). Codes: required,
 * unknown_city, work_enum, count_range, wage_order, age_order, sex_enum, date_format,
 * date_order, date_past, status_enum, too_long, chars, utf8.
 */
int sg_job_validate(const struct sg_job_input *in, const struct sg_divisions *destinations, struct sg_date today,
                    struct sg_job *out, struct sg_field_errors *errs);

/** "open", "closed"; parse: -1 when unknown. "any", "male", "female" for sex. */
const char *sg_job_status_name(enum sg_job_status s);
int sg_job_status_parse(const char *s);
const char *sg_job_sex_name(int sex);
int sg_job_sex_parse(const char *s);

/** Open on today: status open and the closing date not passed. */
bool sg_job_open(const struct sg_job *j, struct sg_date today);
/** 区内 (true) when the job's city lies in province (two digits), else 区外. */
bool sg_job_in_region(const struct sg_job *j, const char *province);

/** A worker as job matching sees them. */
struct sg_job_seeker {
    int age, sex;        /* sex 1 or 2 */
    const char *dest;    /* the city they signed up for */
    const char *village; /* where they live */
    int want;            /* the kind of work wanted, -1 any */
};
/**
 * How well open job j fits seeker s, 0 when not at all: the age and sex rules must hold
 * and the place be the destination city (3), its province (2), or the worker's home city
 * (1: work near home); one more when the kind is the one wanted.
 */
int sg_job_fit(const struct sg_job *j, struct sg_date today, const struct sg_job_seeker *s);

/* ---- target groups of a job push ------------------------------------------------------- */

enum sg_target_poverty { SG_TARGET_ANY = 0, SG_TARGET_POVERTY, SG_TARGET_ALLEVIATED, SG_TARGET_MONITORED };

struct sg_target {
    char scope[SG_DIVISION_CODE_MAX + 1]; /* villages under it */
    int poverty;                          /* enum sg_target_poverty */
    int age_min, age_max;                 /* 0: no bound (大龄: age_min 50) */
    bool no_job;                          /* without a confirmed job */
    bool seeking;                         /* ticked 想找工作 */
    bool low_income;                      /* 低收入人口 only */
    int work;                             /* the kind wanted, -1 any */
    char dest[5];                         /* destination province (2) or city (4) digits, "" any */
};

/** Raw filter of a push request; NULL strings and -1 numbers are missing. */
struct sg_target_input {
    const char *scope, *poverty, *work, *dest;
    long age_min, age_max;
    int no_job, seeking; /* 1 true, 0 false, -1 missing */
    int low_income;      /* 1: 低收入人口 only; 0 or -1: anyone */
};
/** Validate into out. Codes (field "filter.x"): required, unknown_division, poverty_enum, age_order, work_enum, dest.
 */
int sg_target_validate(const struct sg_target_input *in, const struct sg_divisions *divisions,
                       const struct sg_divisions *destinations, struct sg_target *out, struct sg_field_errors *errs);

/** Does the filter take registration r (village, job, wish, destination)? */
bool sg_target_takes_registration(const struct sg_target *t, const struct sg_registration *r);
/** Does it take person p of such a registration (poverty, age on today)? */
bool sg_target_takes_person(const struct sg_target *t, const struct sg_person *p, struct sg_date today);

#endif
