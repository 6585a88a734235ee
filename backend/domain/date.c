/* SPDX-License-Identifier: MIT */
/* Proleptic Gregorian civil dates. Day numbers use Howard Hinnant's days_from_civil
 * algorithm (public domain), so no table of month lengths is needed for arithmetic.
 * Pure: the caller passes today; nothing here reads the clock. */
#include <string.h>
#include "domain/date.h"
#include "domain/err.h"

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : len[m - 1];
}

bool sg_date_valid(struct sg_date d)
{
    if (d.y < 1900 || d.y > 9999 || d.m < 1 || d.m > 12 || d.d < 1)
        return false;
    return d.d <= days_in_month(d.y, d.m);
}

static int parse_digits(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; ++i) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int sg_date_parse(const char *s, struct sg_date *out)
{
    if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return SG_EINVAL;
    struct sg_date d = {parse_digits(s, 4), parse_digits(s + 5, 2), parse_digits(s + 8, 2)};
    if (!sg_date_valid(d))
        return SG_EINVAL;
    *out = d;
    return 0;
}

void sg_date_format(struct sg_date d, char out[11])
{
    int y = d.y < 0 ? 0 : d.y % 10000, m = d.m < 0 ? 0 : d.m % 100, dd = d.d < 0 ? 0 : d.d % 100;
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + dd / 10);
    out[9] = (char)('0' + dd % 10);
    out[10] = '\0';
}

long sg_date_days(struct sg_date d)
{
    long y = d.m <= 2 ? d.y - 1 : d.y;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (d.m + (d.m > 2 ? -3 : 9)) + 2) / 5 + d.d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

struct sg_date sg_date_from_days(long days)
{
    long z = days + 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    struct sg_date r;
    r.d = (int)(doy - (153 * mp + 2) / 5 + 1);
    r.m = (int)(mp < 10 ? mp + 3 : mp - 9);
    r.y = (int)(yoe + era * 400 + (r.m <= 2));
    return r;
}

int sg_date_cmp(struct sg_date a, struct sg_date b)
{
    if (a.y != b.y)
        return a.y < b.y ? -1 : 1;
    if (a.m != b.m)
        return a.m < b.m ? -1 : 1;
    if (a.d != b.d)
        return a.d < b.d ? -1 : 1;
    return 0;
}
