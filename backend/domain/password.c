/* SPDX-License-Identifier: MIT */
/* A short list, not a dictionary: the passwords guessed first everywhere, and the ones a
 * Chinese office picks (pinyin words, lucky numbers). Checked on the lower-cased password
 * with its trailing digits and punctuation removed, so "password2027!" counts too. */
#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include "domain/password.h"

static const char *const common[] = {"password",
                                     "passw0rd",
                                     "p@ssword",
                                     "admin",
                                     "administrator",
                                     "root",
                                     "qwerty",
                                     "qwertyuiop",
                                     "asdfghjkl",
                                     "zxcvbnm",
                                     "1qaz2wsx",
                                     "1q2w3e4r",
                                     "q1w2e3r4",
                                     "qazwsx",
                                     "letmein",
                                     "welcome",
                                     "iloveyou",
                                     "abc",
                                     "abcd",
                                     "abcdef",
                                     "abc123",
                                     "test",
                                     "guest",
                                     "changeme",
                                     "default",
                                     "secret",
                                     "a long password",
                                     "along password",
                                     "woaini",
                                     "woaini1314",
                                     "5201314",
                                     "1314520",
                                     "aini",
                                     "nihao",
                                     "zhongguo",
                                     "china",
                                     "beijing",
                                     "guangxi",
                                     "nanning",
                                     "songgong",
                                     "dianduidian",
                                     "mima",
                                     "mimamima",
                                     "admin123",
                                     "password123",
                                     "qwe123",
                                     "asd123",
                                     "zxc123",
                                     "aaa",
                                     "abcabc",
                                     "superman",
                                     "dragon",
                                     "monkey",
                                     "sunshine",
                                     "football",
                                     "baseball",
                                     "shadow",
                                     "master",
                                     "trustno1",
                                     "hello",
                                     "helloworld",
                                     "666666",
                                     "888888",
                                     "168168",
                                     "518518",
                                     "147258369",
                                     "123qwe",
                                     "qweasdzxc",
                                     "1qazxsw2",
                                     NULL};

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s != '\0'; ++s)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Every step from one byte to the next is the same +1 or -1 (abcdef, 987654), or every
 * byte is one of few distinct ones. */
static bool simple(const char *s, size_t n)
{
    bool up = true, down = true;
    char seen[256] = {0};
    size_t distinct = 0;
    for (size_t i = 0; i != n; ++i) {
        if (!seen[(unsigned char)s[i]]++)
            ++distinct;
        if (i > 0) {
            up = up && s[i] == s[i - 1] + 1;
            down = down && s[i] == s[i - 1] - 1;
        }
    }
    if (distinct < 5 || up || down)
        return true;
    /* a run along the digits that wraps around: 1234567890, 2345678901, 123456789012 */
    bool wraps = true;
    for (size_t i = 1; i != n && wraps; ++i)
        wraps = isdigit((unsigned char)s[i]) && isdigit((unsigned char)s[i - 1]) &&
                (s[i] - '0') == ((s[i - 1] - '0') + 1) % 10;
    if (wraps)
        return true;
    /* along a keyboard row */
    static const char *const rows[] = {"`1234567890-=", "qwertyuiop[]", "asdfghjkl;'", "zxcvbnm,./", NULL};
    for (size_t r = 0; rows[r] != NULL; ++r)
        if (n >= 4 && strstr(rows[r], s) != NULL)
            return true;
    return false;
}

const char *sg_password_check(const char *password, const char *name)
{
    char low[256];
    size_t n = strlen(password);
    if (utf8_chars(password) < SG_PASSWORD_MIN)
        return "password_short";
    if (n >= sizeof(low))
        n = sizeof(low) - 1;
    for (size_t i = 0; i != n; ++i)
        low[i] = (char)tolower((unsigned char)password[i]);
    low[n] = '\0';
    if (simple(low, n))
        return "password_simple";
    size_t core = n;
    while (core > 0 && (isdigit((unsigned char)low[core - 1]) || ispunct((unsigned char)low[core - 1])))
        --core;
    for (size_t i = 0; common[i] != NULL; ++i)
        if (strcmp(low, common[i]) == 0 ||
            (core != 0 && strlen(common[i]) == core && memcmp(low, common[i], core) == 0))
            return "password_common";
    if (name != NULL && strlen(name) >= 3) {
        char lname[64];
        size_t m = strlen(name) < sizeof(lname) - 1 ? strlen(name) : sizeof(lname) - 1;
        for (size_t i = 0; i != m; ++i)
            lname[i] = (char)tolower((unsigned char)name[i]);
        lname[m] = '\0';
        if (strstr(low, lname) != NULL)
            return "password_name";
    }
    return NULL;
}
