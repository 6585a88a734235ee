/* SPDX-License-Identifier: MIT */
/* Employers (用工企业) and the kinds of work shared by employers, jobs and job seekers:
 * the unified social credit code of GB 32100-2015 with its check character, and the
 * validation of an employer as a form sends it. Pure. */
#ifndef SG_DOMAIN_EMPLOYER_H
#define SG_DOMAIN_EMPLOYER_H

#include <stdbool.h>
#include <stddef.h>
#include "domain/division.h"
#include "domain/registration.h"
#include "domain/work.h"

#define SG_CREDIT_CODE_LEN 18
#define SG_EMPLOYER_ID_MAX 10
#define SG_EMPLOYER_NAME_MAX_CHARS 60
#define SG_PARK_MAX_CHARS 40
#define SG_CONTACT_MAX_CHARS 30

/**
 * Normalize (trim, upper-case) and check a unified social credit code: 18 characters of
 * "0123456789ABCDEFGHJKLMNPQRTUWXY" (no I, O, S, V, Z), characters 3-8 a 6-digit
 * division code, and the 18th the GB 32100-2015 check character. out gets the 18
 * characters and a NUL. 0, or a field error code: "required", "credit_length",
 * "credit_chars", "credit_check".
 */
const char *sg_credit_code_check(const char *s, char out[SG_CREDIT_CODE_LEN + 1]);
/** The check character for the first 17 characters (which must be of the alphabet), or 0. */
char sg_credit_code_check_char(const char first17[17]);

struct sg_employer {
    char id[SG_EMPLOYER_ID_MAX + 1];
    char scope[SG_DIVISION_CODE_MAX + 1]; /* the division that keeps it (inside its creator's scope) */
    char name[4 * SG_EMPLOYER_NAME_MAX_CHARS + 1];
    char credit_code[SG_CREDIT_CODE_LEN + 1];
    char city[5]; /* where it is: a city code of China */
    char park[4 * SG_PARK_MAX_CHARS + 1];
    int industry; /* a work kind */
    bool key;     /* 重点企业 */
    char contact_name[128];
    char contact_phone[12];
};

/* Raw input; NULL strings are missing, key -1 missing. */
struct sg_employer_input {
    const char *name, *credit_code, *city, *park, *industry, *contact_name, *contact_phone;
    int key;
};

/**
 * Validate in into out (id and scope left as they are). Required: name, credit_code,
 * city (a city of destinations), industry. 0, or SG_EINVAL with every bad field in errs
 * (reset first). Codes: required, credit_length, credit_chars, credit_check, unknown_city,
 * work_enum, phone_format, too_long, chars, utf8.
 */
int sg_employer_validate(const struct sg_employer_input *in, const struct sg_divisions *destinations,
                         struct sg_employer *out, struct sg_field_errors *errs);

/**
 * May staff whose scope is `scope` change employer e: e is kept by a division under it,
 * or lies in a city under it (an employer of Nanning for staff of 4501).
 */
bool sg_employer_in_scope(const struct sg_employer *e, const char *scope);

#endif
