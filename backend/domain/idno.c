/* SPDX-License-Identifier: MIT */
/* Resident ID numbers (GB 11643-1999): 6-digit region, 8-digit birth date, 3-digit
 * sequence, ISO 7064 MOD 11-2 check character. The region code is not judged here
 * (abolished counties stay valid on old cards); the caller flags unknown regions. */
#include <string.h>
#include "domain/idno.h"

static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};

char sg_idno_check_char(const char first17[17])
{
    int sum = 0;
    for (int i = 0; i < 17; ++i)
        sum += (first17[i] - '0') * weights[i];
    return "10X98765432"[sum % 11];
}

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static int digits_value(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; ++i)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* Trim ASCII spaces and check the shape: 17 digits and a digit or X/x. */
static int copy_shape(const char *s, char number[19])
{
    while (*s == ' ')
        ++s;
    size_t n = strlen(s);
    while (n > 0 && s[n - 1] == ' ')
        --n;
    if (n == 0)
        return -SG_IDNO_EMPTY;
    if (n == 15 && all_digits(s, 15))
        return -SG_IDNO_LEGACY15;
    if (n != 18)
        return -SG_IDNO_LENGTH;
    memcpy(number, s, 18);
    number[18] = '\0';
    if (number[17] == 'x')
        number[17] = 'X';
    if (!all_digits(number, 17) || !(all_digits(number + 17, 1) || number[17] == 'X'))
        return -SG_IDNO_CHARS;
    return 0;
}

int sg_idno_validate(const char *s, struct sg_date today, struct sg_idno *out)
{
    if (s == NULL)
        return -SG_IDNO_EMPTY;
    int ret = copy_shape(s, out->number);
    if (ret != 0)
        return ret;
    const char *n = out->number;
    struct sg_date birth = {digits_value(n + 6, 4), digits_value(n + 10, 2), digits_value(n + 12, 2)};
    if (!sg_date_valid(birth))
        return -SG_IDNO_DATE;
    if (sg_date_cmp(birth, today) > 0)
        return -SG_IDNO_FUTURE;
    if (sg_idno_check_char(n) != n[17])
        return -SG_IDNO_CHECK;
    memcpy(out->region, n, 6);
    out->region[6] = '\0';
    out->birth = birth;
    out->sex = (n[16] - '0') % 2 == 1 ? 1 : 2;
    return 0;
}

int sg_idno_age(const struct sg_idno *id, struct sg_date on)
{
    int age = on.y - id->birth.y;
    if (on.m < id->birth.m || (on.m == id->birth.m && on.d < id->birth.d))
        --age;
    return age;
}
