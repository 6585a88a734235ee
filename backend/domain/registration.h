/* SPDX-License-Identifier: MIT */
/* A sign-up: one worker and up to 9 companions travelling together. Validation of the
 * raw strings a form sends into a normalized registration, naming every bad field. Pure. */
#ifndef SG_DOMAIN_REGISTRATION_H
#define SG_DOMAIN_REGISTRATION_H

#include <stdbool.h>
#include <stddef.h>
#include "domain/date.h"
#include "domain/idno.h"
#include "domain/division.h"

#define SG_MAX_COMPANIONS 9
#define SG_MAX_PEOPLE (1 + SG_MAX_COMPANIONS)
#define SG_EMPLOYER_MAX_CHARS 60

enum sg_mode { SG_MODE_ANY = 0, SG_MODE_BUS, SG_MODE_TRAIN, SG_MODE_FLIGHT };
enum sg_poverty { SG_POVERTY_NONE = 0, SG_POVERTY_ALLEVIATED, SG_POVERTY_MONITORED };

const char *sg_mode_name(enum sg_mode m);       /* "any", "bus", "train", "flight" */
const char *sg_poverty_name(enum sg_poverty p); /* "none", "alleviated", "monitored" */
int sg_mode_parse(const char *s);               /* enum value or -1 */
int sg_poverty_parse(const char *s);            /* enum value or -1 */

struct sg_person {
    char name[128]; /* normalized UTF-8 */
    struct sg_idno id;
    char phone[12]; /* 11 digits, or "" (companions may omit it) */
    enum sg_poverty poverty;
    bool low_income; /* 低收入人口 (低保, 特困, 低保边缘…): the notice's third group to watch; staff mostly mark it */
    bool region_unknown; /* ID's 6-digit region code is not a known county: flag for staff */
};

struct sg_registration {
    char village[SG_DIVISION_CODE_MAX + 1];
    struct sg_person people[SG_MAX_PEOPLE]; /* [0] is the worker who signs up */
    size_t npeople;
    char dest_city[5];
    char employer[256];
    bool job_confirmed;
    struct sg_date depart_date;
    int flex_days; /* 0..3 */
    enum sg_mode mode;
    /* jobs (issue 17): kept in the registration's data JSON */
    char employer_id[11]; /* a registered employer picked by name, or "" (free text only) */
    bool seek_job;        /* 想找工作: only without a confirmed job */
    int work;             /* the kind of work wanted (domain/employer.h), -1 any */
    bool sms;             /* consented to text messages (the consent text says so) */
};

/* Raw input as parsed from JSON: NULL means missing (or of the wrong JSON type, which the
 * caller reports itself). */
struct sg_person_input {
    const char *name, *id_number, *phone, *poverty;
    int low_income; /* 1 true, 0 false or missing */
};
struct sg_registration_input {
    const char *village, *dest_city, *employer, *depart_date, *mode;
    int job_confirmed;              /* 0, 1, or -1 when missing */
    long flex_days;                 /* -1 when missing */
    int consent;                    /* 1 only when JSON true */
    const char *employer_id, *work; /* jobs: NULL missing */
    int seek_job;                   /* 1, 0, or -1 missing */
    struct sg_person_input people[SG_MAX_PEOPLE];
    size_t npeople; /* 1 + companions given (may exceed SG_MAX_PEOPLE: then an error) */
};

struct sg_field_error {
    char field[40];   /* "name", "companions[2].id_number", ... */
    const char *code; /* static string, e.g. "idno_check"; http/ maps it to a message */
};
#define SG_FIELD_ERRORS_MAX 48
struct sg_field_errors {
    struct sg_field_error e[SG_FIELD_ERRORS_MAX];
    size_t n;
};
void sg_field_errors_add(struct sg_field_errors *errs, const char *field, const char *code);
/** The field error code of a failed sg_idno_validate (its negative return): "required", "idno_check", ... */
const char *sg_registration_idno_code(int err);

struct sg_validate_ctx {
    const struct sg_divisions *divisions;    /* villages live here */
    const struct sg_divisions *destinations; /* provinces and cities */
    const struct sg_divisions *regions;      /* all county codes of China, for the ID region flag; may be NULL */
    struct sg_date today;
    struct sg_date starts, ends; /* the campaign window */
    bool worker_phone_optional;  /* staff entering a worker who has no phone face to face */
};

/**
 * Validate and normalize. Returns 0 with *out filled, or SG_EINVAL with every bad field
 * in errs (errs->n > 0; errs is reset first, at most SG_FIELD_ERRORS_MAX are kept).
 * npeople == 0 is read as a worker with every field missing. A departure date before
 * today is date_past even when it is also outside the window. An unknown village is
 * reported as field "village" code "unknown_village" (the caller answers 404 for it).
 * The same ID number twice in one sign-up is "duplicate_in_request" on the later person.
 *
 * Codes: required, utf8, chars, too_short, too_long, idno_legacy15, idno_length,
 * idno_chars, idno_date, idno_future, idno_check, phone_format, unknown_village,
 * unknown_city, date_format, date_window, date_past, flex_range, mode_enum,
 * poverty_enum, too_many_companions, consent_required, duplicate_in_request.
 */
int sg_registration_validate(const struct sg_registration_input *in, const struct sg_validate_ctx *ctx,
                             struct sg_registration *out, struct sg_field_errors *errs);

/* ---- counters kept at write time for dashboards and reports ------------------------- */

#define SG_COUNTERS_MAX 15
#define SG_OLDER_AGE 50 /* the notice's 大龄 group: aged 50 or more on the day of sign-up */

struct sg_counter {
    char field[24]; /* "people", "regs", "dest:4419", "date:2027-02-03", "poverty", "age50", "low", "day:2027-01-10" */
    long n;
};

/**
 * The counters one registration adds (a cancel subtracts the same): people, regs (1),
 * people per destination city and per departure date, poverty-alleviated or monitored
 * people, people aged 50+ on signed_on, and people per sign-up day. Zero counts are
 * left out. Returns how many were written into out.
 */
size_t sg_registration_counters(const struct sg_registration *r, struct sg_date signed_on,
                                struct sg_counter out[SG_COUNTERS_MAX]);

#endif
