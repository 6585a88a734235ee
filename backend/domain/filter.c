/* SPDX-License-Identifier: MIT */
/* Staff search: a name substring, an exact code, or the last 4 of a number. */
#include <string.h>
#include "domain/err.h"
#include "domain/filter.h"

static bool is_last4(const char *q)
{
    /* An ID number ends in a digit or X; a phone number in digits. */
    return strlen(q) == 4 && strspn(q, "0123456789") >= 3 && strchr("0123456789Xx", q[3]) != NULL;
}

static int read_query(struct sg_filter *f, const char *q)
{
    if (q == NULL || q[0] == '\0')
        return 0;
    if (strlen(q) >= sizeof(f->name))
        return SG_EINVAL;
    if (is_last4(q)) {
        memcpy(f->last4, q, 5);
        if (f->last4[3] == 'x')
            f->last4[3] = 'X';
        return 0;
    }
    if (sg_code_normalize(q, f->code) != 0)
        f->code[0] = '\0';
    memcpy(f->name, q, strlen(q) + 1); /* an 8-letter Latin name may look like a code: try both */
    return 0;
}

static bool status_valid(const char *s)
{
    return strcmp(s, "registered") == 0 || strcmp(s, "cancelled") == 0 || strcmp(s, "assigned") == 0;
}

static const char *read_params(struct sg_filter *f, const char *q, const char *status, const char *dest_city,
                               const char *date)
{
    if (read_query(f, q) != 0)
        return "q";
    if (status != NULL && status[0] != '\0') {
        if (!status_valid(status))
            return "status";
        memcpy(f->status, status, strlen(status) + 1);
    }
    if (dest_city != NULL && dest_city[0] != '\0') {
        if (strlen(dest_city) != 4 || strspn(dest_city, "0123456789") != 4)
            return "dest_city";
        memcpy(f->dest_city, dest_city, 5);
    }
    if (date != NULL && date[0] != '\0') {
        if (sg_date_parse(date, &f->depart_date) != 0)
            return "date";
        f->has_date = true;
    }
    return NULL;
}

int sg_filter_init(struct sg_filter *f, const char *q, const char *status, const char *dest_city, const char *date,
                   const char **bad)
{
    memset(f, 0, sizeof(*f));
    *bad = read_params(f, q, status, dest_city, date);
    return *bad == NULL ? 0 : SG_EINVAL;
}

bool sg_filter_narrows(const struct sg_filter *f)
{
    return f->name[0] != '\0' || f->last4[0] != '\0' || f->dest_city[0] != '\0' || f->has_date;
}

static bool query_match(const struct sg_filter *f, const char *code, const struct sg_registration *r,
                        const char (*id_masked)[19], const char (*phone_masked)[12])
{
    if (f->code[0] != '\0' && strcmp(f->code, code) == 0)
        return true;
    for (size_t i = 0; i != r->npeople; ++i) {
        if (f->last4[0] != '\0') {
            size_t il = strlen(id_masked[i]), pl = strlen(phone_masked[i]);
            if ((il >= 4 && memcmp(id_masked[i] + il - 4, f->last4, 4) == 0) ||
                (pl >= 4 && memcmp(phone_masked[i] + pl - 4, f->last4, 4) == 0))
                return true;
        } else if (f->name[0] != '\0' && strstr(r->people[i].name, f->name) != NULL) {
            return true;
        }
    }
    return false;
}

bool sg_filter_match(const struct sg_filter *f, const char *code, const char *status, const struct sg_registration *r,
                     const char (*id_masked)[19], const char (*phone_masked)[12])
{
    if (f->status[0] != '\0' && strcmp(f->status, status) != 0)
        return false;
    if (f->dest_city[0] != '\0' && strcmp(f->dest_city, r->dest_city) != 0)
        return false;
    if (f->has_date && sg_date_cmp(f->depart_date, r->depart_date) != 0)
        return false;
    if (f->name[0] == '\0' && f->last4[0] == '\0')
        return true;
    return query_match(f, code, r, id_masked, phone_masked);
}
