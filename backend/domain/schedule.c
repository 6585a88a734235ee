/* SPDX-License-Identifier: MIT */
/* Deadlines from the schedule rules, by walking days: a campaign spans at most a year,
 * so a walk of a few hundred days per question is cheap and obviously right. */
#include <string.h>
#include "domain/err.h"
#include "domain/schedule.h"

int sg_date_weekday(struct sg_date d)
{
    long days = sg_date_days(d); /* 1970-01-01 was a Thursday (4) */
    return (int)(((days % 7) + 7 + 3) % 7) + 1;
}

int sg_schedule_time_parse(const char *s, int *minutes)
{
    if (s == NULL || strlen(s) != 5 || s[2] != ':')
        return SG_EINVAL;
    for (int i = 0; i != 5; ++i)
        if (i != 2 && (s[i] < '0' || s[i] > '9'))
            return SG_EINVAL;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && m != 0))
        return SG_EINVAL;
    *minutes = h * 60 + m;
    return 0;
}

void sg_schedule_time_format(int minutes, char out[6])
{
    unsigned h = (unsigned)minutes / 60 % 100, m = (unsigned)minutes % 60;
    out[0] = (char)('0' + h / 10), out[1] = (char)('0' + h % 10), out[2] = ':';
    out[3] = (char)('0' + m / 10), out[4] = (char)('0' + m % 10), out[5] = '\0';
}

int sg_schedule_rule_check(const struct sg_schedule_rule *r)
{
    if (r->before_min <= 0 || r->before_min > SG_DAY_END)
        return SG_EINVAL;
    switch (r->kind) {
    case SG_SCHEDULE_DATE:
        return sg_date_valid(r->date) ? 0 : SG_EINVAL;
    case SG_SCHEDULE_WEEKLY:
        if (r->weekday < 1 || r->weekday > 7)
            return SG_EINVAL;
        break;
    case SG_SCHEDULE_MONTHLY:
        if (r->day < 1 || r->day > 31)
            return SG_EINVAL;
        break;
    default:
        return SG_EINVAL;
    }
    return sg_date_valid(r->from) && sg_date_valid(r->to) && sg_date_cmp(r->from, r->to) <= 0 ? 0 : SG_EINVAL;
}

static int month_days(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

/* True when rule r has a deadline on day d. */
static bool due_on(const struct sg_schedule_rule *r, struct sg_date d)
{
    if (r->kind == SG_SCHEDULE_DATE)
        return sg_date_cmp(r->date, d) == 0;
    if (sg_date_cmp(d, r->from) < 0 || sg_date_cmp(d, r->to) > 0)
        return false;
    if (r->kind == SG_SCHEDULE_WEEKLY)
        return sg_date_weekday(d) == r->weekday;
    int last = month_days(d.y, d.m);
    return d.d == (r->day < last ? r->day : last);
}

/* The span of days the rules cover: [*first, *last]. False when there is no rule. */
static bool span(const struct sg_schedule *s, long *first, long *last)
{
    for (size_t i = 0; i != s->n; ++i) {
        const struct sg_schedule_rule *r = &s->rules[i];
        long a = sg_date_days(r->kind == SG_SCHEDULE_DATE ? r->date : r->from);
        long b = sg_date_days(r->kind == SG_SCHEDULE_DATE ? r->date : r->to);
        if (i == 0 || a < *first)
            *first = a;
        if (i == 0 || b > *last)
            *last = b;
    }
    return s->n != 0;
}

/* The earliest deadline time of day d over all rules, or -1 when none falls on it. */
static int due_time(const struct sg_schedule *s, struct sg_date d)
{
    int best = -1;
    for (size_t i = 0; i != s->n; ++i)
        if (due_on(&s->rules[i], d) && (best < 0 || s->rules[i].before_min < best))
            best = s->rules[i].before_min;
    return best;
}

int sg_schedule_next(const struct sg_schedule *s, struct sg_date today, int now_min, struct sg_due *out)
{
    long first, last, t = sg_date_days(today);
    if (!span(s, &first, &last))
        return SG_ENOENT;
    for (long day = t > first ? t : first; day <= last; ++day) {
        struct sg_date d = sg_date_from_days(day);
        int before = due_time(s, d);
        if (before >= 0 && (day > t || now_min < before)) {
            *out = (struct sg_due){d, before};
            return 0;
        }
    }
    return SG_ENOENT;
}

size_t sg_schedule_list(const struct sg_schedule *s, struct sg_due *out, size_t max)
{
    long first, last;
    size_t n = 0;
    if (!span(s, &first, &last))
        return 0;
    for (long day = first; day <= last; ++day) {
        struct sg_date d = sg_date_from_days(day);
        int before = due_time(s, d);
        if (before < 0)
            continue;
        if (n < max)
            out[n] = (struct sg_due){d, before};
        ++n;
    }
    return n;
}
