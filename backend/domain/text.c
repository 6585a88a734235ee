/* SPDX-License-Identifier: MIT */
/* What people type: names, mobile numbers, free text. Strict UTF-8 decoding (no
 * overlongs, no surrogates, nothing above U+10FFFF) is the first gate for every field;
 * then each field allows its own set of characters. No locale, no allocation. */
#include <stdint.h>
#include <string.h>
#include "domain/text.h"

#define NAME_MIN_CHARS 2
#define NAME_MAX_CHARS 30
#define MIDDLE_DOT 0xB7u

/* Decode one code point at s[*pos]; advance *pos. Returns -1 on invalid UTF-8. */
static long decode(const unsigned char *s, size_t len, size_t *pos)
{
    size_t i = *pos;
    unsigned c = s[i];
    size_t n;
    unsigned long cp, min;
    if (c < 0x80) {
        *pos = i + 1;
        return (long)c;
    }
    if (c >= 0xC2 && c <= 0xDF)
        n = 1, cp = c & 0x1F, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 2, cp = c & 0x0F, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 3, cp = c & 0x07, min = 0x10000;
    else
        return -1;
    if (len - i <= n)
        return -1;
    for (size_t k = 1; k <= n; ++k) {
        if ((s[i + k] & 0xC0) != 0x80)
            return -1;
        cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return -1;
    *pos = i + n + 1;
    return (long)cp;
}

static size_t encode(unsigned long cp, char buf[4])
{
    if (cp < 0x80) {
        buf[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        buf[0] = (char)(0xC0 | (cp >> 6));
        buf[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        buf[0] = (char)(0xE0 | (cp >> 12));
        buf[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        buf[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    buf[0] = (char)(0xF0 | (cp >> 18));
    buf[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    buf[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    buf[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

bool sg_utf8_valid(const char *s, size_t len)
{
    size_t pos = 0;
    while (pos < len)
        if (decode((const unsigned char *)s, len, &pos) < 0)
            return false;
    return true;
}

size_t sg_utf8_count(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; ++i)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            ++n;
    return n;
}

static bool is_space(long cp)
{
    return cp == ' ' || cp == 0xA0 || cp == 0x3000;
}

static bool is_latin(long cp)
{
    if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z'))
        return true;
    if (cp >= 0xC0 && cp <= 0xFF)
        return cp != 0xD7 && cp != 0xF7;
    return cp >= 0x100 && cp <= 0x17F;
}

static bool is_ideograph(long cp)
{
    return (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0x20000 && cp <= 0x2FA1F);
}

static long fold_dot(long cp)
{
    switch (cp) {
    case 0x2022: /* bullet */
    case 0x2027: /* hyphenation point */
    case 0x30FB: /* katakana middle dot */
    case 0xFF0E: /* fullwidth full stop */
    case 0x2E31: /* word separator middle dot */
        return MIDDLE_DOT;
    default:
        return cp;
    }
}

/* Bounded output: counts every code point, writes while it fits. */
struct writer {
    char *out;
    size_t size, len, chars;
    bool overflow;
};

static void put(struct writer *w, long cp)
{
    char buf[4];
    size_t n = encode((unsigned long)cp, buf);
    ++w->chars;
    if (w->overflow || w->len + n >= w->size) {
        w->overflow = true;
        return;
    }
    memcpy(w->out + w->len, buf, n);
    w->len += n;
    w->out[w->len] = '\0';
}

/* Spaces survive only between two Latin letters ("John Smith"); elsewhere ("张 三",
 * "阿卜杜拉 · 艾力") they are dropped. A dot must sit between two letters. */
static int name_chars(const unsigned char *s, size_t len, struct writer *w)
{
    long prev = 0;
    bool space = false;
    size_t pos = 0;
    while (pos < len) {
        long cp = decode(s, len, &pos);
        if (is_space(cp)) {
            space = true;
            continue;
        }
        cp = fold_dot(cp);
        if (cp == MIDDLE_DOT) {
            if (prev == 0 || prev == MIDDLE_DOT)
                return -SG_TEXT_CHARS;
        } else if (!is_latin(cp) && !is_ideograph(cp)) {
            return -SG_TEXT_CHARS;
        }
        if (space && is_latin(prev) && is_latin(cp))
            put(w, ' ');
        space = false;
        put(w, cp);
        prev = cp;
    }
    return prev == MIDDLE_DOT ? -SG_TEXT_CHARS : 0;
}

int sg_name_normalize(const char *s, char *out, size_t outsz)
{
    if (outsz > 0)
        out[0] = '\0';
    if (s == NULL || outsz == 0)
        return -SG_TEXT_EMPTY;
    size_t len = strlen(s);
    if (!sg_utf8_valid(s, len))
        return -SG_TEXT_UTF8;
    struct writer w = {out, outsz, 0, 0, false};
    int ret = name_chars((const unsigned char *)s, len, &w);
    if (ret != 0)
        return ret;
    if (w.chars == 0)
        return -SG_TEXT_EMPTY;
    if (w.chars < NAME_MIN_CHARS)
        return -SG_TEXT_SHORT;
    if (w.chars > NAME_MAX_CHARS || w.overflow)
        return -SG_TEXT_LONG;
    return 0;
}

int sg_phone_normalize(const char *s, char out[12])
{
    char digits[16];
    size_t n = 0;
    out[0] = '\0';
    if (s == NULL)
        return -SG_TEXT_EMPTY;
    for (; *s != '\0'; ++s) {
        if (*s == ' ' || *s == '-')
            continue;
        if (n == sizeof(digits) - 1)
            return -SG_TEXT_FORMAT;
        digits[n++] = *s;
    }
    digits[n] = '\0';
    if (n == 0)
        return -SG_TEXT_EMPTY;
    const char *p = digits;
    if (n == 14 && memcmp(p, "+86", 3) == 0)
        p += 3;
    else if (n == 13 && memcmp(p, "86", 2) == 0)
        p += 2;
    if (strlen(p) != 11 || p[0] != '1' || p[1] < '3' || p[1] > '9')
        return -SG_TEXT_FORMAT;
    for (size_t i = 2; i < 11; ++i)
        if (p[i] < '0' || p[i] > '9')
            return -SG_TEXT_FORMAT;
    memcpy(out, p, 12);
    return 0;
}

/* C0, DEL, C1, line/paragraph separators and the bidi controls that can make a name
 * display differently from what it is. */
static bool is_control(long cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

int sg_text_normalize(const char *s, size_t max_chars, char *out, size_t outsz)
{
    if (outsz > 0)
        out[0] = '\0';
    if (s == NULL)
        return 0;
    size_t len = strlen(s);
    if (!sg_utf8_valid(s, len))
        return -SG_TEXT_UTF8;
    const unsigned char *u = (const unsigned char *)s;
    size_t begin = len, end = 0, pos = 0;
    while (pos < len) {
        size_t at = pos;
        long cp = decode(u, len, &pos);
        if (is_control(cp))
            return -SG_TEXT_CHARS;
        if (is_space(cp))
            continue;
        if (begin == len)
            begin = at;
        end = pos;
    }
    if (begin >= end)
        return 0;
    if (sg_utf8_count(s + begin, end - begin) > max_chars || end - begin >= outsz)
        return -SG_TEXT_LONG;
    memcpy(out, s + begin, end - begin);
    out[end - begin] = '\0';
    return 0;
}

const char *sg_text_error_code(int err)
{
    switch (-err) {
    case SG_TEXT_EMPTY:
        return "required";
    case SG_TEXT_UTF8:
        return "utf8";
    case SG_TEXT_SHORT:
        return "too_short";
    case SG_TEXT_LONG:
        return "too_long";
    case SG_TEXT_FORMAT:
        return "phone_format";
    default:
        return "chars";
    }
}

size_t sg_put_u64(char *out, uint64_t v)
{
    char tmp[20], *p = tmp + sizeof(tmp);
    do
        *--p = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    size_t n = (size_t)(tmp + sizeof(tmp) - p);
    memcpy(out, p, n);
    return n;
}

size_t sg_put_i64(char *out, int64_t v)
{
    if (v >= 0)
        return sg_put_u64(out, (uint64_t)v);
    out[0] = '-';
    return 1 + sg_put_u64(out + 1, 0 - (uint64_t)v);
}

size_t sg_put_ipv4(char *out, const unsigned char addr[4])
{
    char *p = out;
    for (int i = 0; i != 4; ++i) {
        if (i != 0)
            *p++ = '.';
        p += sg_put_u64(p, addr[i]);
    }
    return (size_t)(p - out);
}
