/* SPDX-License-Identifier: MIT */
/* Employers and the unified social credit code (统一社会信用代码, GB 32100-2015): 18
 * characters over 31 symbols, the last a check character over the first 17 weighted by
 * 3^i mod 31. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "domain/employer.h"
#include "domain/err.h"
#include "domain/text.h"

static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const int weights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

static int value_of(char c)
{
    const char *p = c != '\0' ? strchr(alphabet, c) : NULL;
    return p != NULL ? (int)(p - alphabet) : -1;
}

char sg_credit_code_check_char(const char first17[17])
{
    int sum = 0;
    for (int i = 0; i != 17; ++i) {
        int v = value_of(first17[i]);
        if (v < 0)
            return 0;
        sum += v * weights[i];
    }
    return alphabet[(31 - sum % 31) % 31];
}

const char *sg_credit_code_check(const char *s, char out[SG_CREDIT_CODE_LEN + 1])
{
    size_t n = 0;
    out[0] = '\0';
    if (s == NULL)
        return "required";
    while (*s == ' ')
        ++s;
    for (; *s != '\0' && *s != ' '; ++s) {
        if (n == SG_CREDIT_CODE_LEN)
            return "credit_length";
        out[n++] = (char)toupper((unsigned char)*s);
    }
    while (*s == ' ')
        ++s;
    out[n] = '\0';
    if (n == 0)
        return "required";
    if (*s != '\0' || n != SG_CREDIT_CODE_LEN)
        return "credit_length";
    for (size_t i = 0; i != n; ++i)
        if (value_of(out[i]) < 0 || (i >= 2 && i < 8 && !isdigit((unsigned char)out[i])))
            return "credit_chars";
    return sg_credit_code_check_char(out) == out[17] ? NULL : "credit_check";
}

static void text_field(struct sg_field_errors *errs, const char *field, const char *s, size_t max, bool required,
                       char *out, size_t outsz)
{
    int r = sg_text_normalize(s, max, out, outsz);
    if (r != 0)
        sg_field_errors_add(errs, field, sg_text_error_code(r));
    else if (required && out[0] == '\0')
        sg_field_errors_add(errs, field, "required");
}

int sg_employer_validate(const struct sg_employer_input *in, const struct sg_divisions *destinations,
                         struct sg_employer *out, struct sg_field_errors *errs)
{
    errs->n = 0;
    text_field(errs, "name", in->name, SG_EMPLOYER_NAME_MAX_CHARS, true, out->name, sizeof(out->name));
    const char *bad = sg_credit_code_check(in->credit_code, out->credit_code);
    if (bad != NULL)
        sg_field_errors_add(errs, "credit_code", bad);
    const struct sg_division *d = in->city != NULL ? sg_divisions_find(destinations, in->city, strlen(in->city)) : NULL;
    if (in->city == NULL || in->city[0] == '\0')
        sg_field_errors_add(errs, "city", "required");
    else if (d == NULL || d->level != SG_LEVEL_CITY)
        sg_field_errors_add(errs, "city", "unknown_city");
    else
        snprintf(out->city, sizeof(out->city), "%.4s", d->code);
    text_field(errs, "park", in->park, SG_PARK_MAX_CHARS, false, out->park, sizeof(out->park));
    out->industry = sg_work_parse(in->industry);
    if (in->industry == NULL || in->industry[0] == '\0')
        sg_field_errors_add(errs, "industry", "required");
    else if (out->industry < 0)
        sg_field_errors_add(errs, "industry", "work_enum");
    out->key = in->key == 1;
    text_field(errs, "contact_name", in->contact_name, SG_CONTACT_MAX_CHARS, false, out->contact_name,
               sizeof(out->contact_name));
    out->contact_phone[0] = '\0';
    if (in->contact_phone != NULL && in->contact_phone[0] != '\0' &&
        sg_phone_normalize(in->contact_phone, out->contact_phone) != 0)
        sg_field_errors_add(errs, "contact_phone", "phone_format");
    return errs->n == 0 ? 0 : SG_EINVAL;
}

bool sg_employer_in_scope(const struct sg_employer *e, const char *scope)
{
    return sg_scope_contains(scope, e->scope) || sg_scope_contains(scope, e->city);
}
