/* SPDX-License-Identifier: MIT */
/* When a campaign's statistics table is due: rules kept as data (data/campaigns.json
 * "report_schedule"), evaluated here. A rule is one date, a weekday every week of a date
 * range, or a day of every month of a range, each with a time of day to file before.
 * Pure: the caller parses the JSON and gives today's date and time. */
#ifndef SG_DOMAIN_SCHEDULE_H
#define SG_DOMAIN_SCHEDULE_H

#include <stddef.h>
#include "domain/date.h"

#define SG_SCHEDULE_RULES_MAX 8
#define SG_DAY_END 1440 /* "before" of a rule without a time: the whole day */

enum sg_schedule_kind {
    SG_SCHEDULE_DATE = 0, /* once, on date */
    SG_SCHEDULE_WEEKLY,   /* every weekday (ISO: 1 Monday .. 7 Sunday) from..to */
    SG_SCHEDULE_MONTHLY,  /* day of every month from..to (the month's last day when it is shorter) */
};

struct sg_schedule_rule {
    enum sg_schedule_kind kind;
    struct sg_date date;     /* SG_SCHEDULE_DATE */
    struct sg_date from, to; /* weekly, monthly: inclusive */
    int weekday;             /* weekly: 1..7 */
    int day;                 /* monthly: 1..31 */
    int before_min;          /* minutes after midnight to file before; SG_DAY_END for the whole day */
};

struct sg_schedule {
    struct sg_schedule_rule rules[SG_SCHEDULE_RULES_MAX];
    size_t n;
};

/** A deadline: file on date before before_min minutes after midnight (China time). */
struct sg_due {
    struct sg_date date;
    int before_min;
};

/** ISO weekday of d: 1 Monday .. 7 Sunday. */
int sg_date_weekday(struct sg_date d);

/**
 * Parse "HH:MM" into minutes after midnight (00:00..23:59, or "24:00" for the day's end).
 * 0 or SG_EINVAL.
 */
int sg_schedule_time_parse(const char *s, int *minutes);

/** Check a rule's fields (dates valid, from <= to, weekday 1..7, day 1..31, time). 0 or SG_EINVAL. */
int sg_schedule_rule_check(const struct sg_schedule_rule *r);

/**
 * The first deadline of s that has not passed at (today, now_min): on a later day, or
 * today with now_min < before_min. When two rules give the same day, the earlier time.
 * 0, or SG_ENOENT when every deadline has passed (or s has none).
 */
int sg_schedule_next(const struct sg_schedule *s, struct sg_date today, int now_min, struct sg_due *out);

/**
 * Every deadline of s in date order into out (at most max); returns how many there are
 * (may exceed max: then only max were written).
 */
size_t sg_schedule_list(const struct sg_schedule *s, struct sg_due *out, size_t max);

/** "HH:MM" of minutes (1440 gives "24:00"). */
void sg_schedule_time_format(int minutes, char out[6]);

#endif
