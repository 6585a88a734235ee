/* SPDX-License-Identifier: MIT */
/* Text rules for what people type: names, phone numbers, free text. UTF-8 only. Pure. */
#ifndef SG_DOMAIN_TEXT_H
#define SG_DOMAIN_TEXT_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

enum sg_text_err {
    SG_TEXT_EMPTY = 1, /* nothing but spaces */
    SG_TEXT_UTF8 = 2,  /* not valid UTF-8 (overlongs and surrogates are invalid) */
    SG_TEXT_CHARS = 3, /* a character the field does not allow (control chars, digits in a name...) */
    SG_TEXT_SHORT = 4,
    SG_TEXT_LONG = 5,
    SG_TEXT_FORMAT = 6, /* phone: not 11 digits 1[3-9]xxxxxxxxx */
};

/**
 * v in decimal at out: at most 20 bytes, no NUL; returns how many. For text made many
 * times a request (protocol lengths, log lines, script arguments), where printf costs more
 * than the rest of the line.
 */
size_t sg_put_u64(char *out, uint64_t v);
/** v in decimal at out, '-' first when negative: at most 20 bytes, no NUL; returns how many. */
size_t sg_put_i64(char *out, int64_t v);
/** An IPv4 address (4 bytes, network order) as inet_ntop writes it: at most 15 bytes, no NUL. */
size_t sg_put_ipv4(char *out, const unsigned char addr[4]);

/** True when s[0..len) is valid UTF-8. */
bool sg_utf8_valid(const char *s, size_t len);
/** Number of code points in valid UTF-8 s[0..len). */
size_t sg_utf8_count(const char *s, size_t len);

/**
 * Normalize a person's name: trim spaces (ASCII and U+3000), collapse inner runs of
 * spaces to one ASCII space, map the dot look-alikes (U+2022 U+2027 U+30FB U+FF0E U+2E31)
 * to U+00B7. Allowed: CJK ideographs (incl. extensions), Latin letters (ASCII and
 * Latin-1/Extended-A), U+00B7, single spaces between Latin words. 2..30 code points.
 * A space that is not between two Latin letters ("张 三", "阿卜杜拉 · 艾力") is dropped;
 * U+00A0 counts as a space; a dot must stand between two letters.
 * Writes a NUL-terminated result into out (outsz >= 128 is always enough).
 * Returns 0 or -enum sg_text_err.
 */
int sg_name_normalize(const char *s, char *out, size_t outsz);

/**
 * Normalize a mobile number: drop spaces and '-', an optional "+86"/"86" prefix; then
 * exactly 11 digits matching 1[3-9]\d{9}. out gets the 11 digits and a NUL.
 * Returns 0 or -enum sg_text_err.
 */
int sg_phone_normalize(const char *s, char out[12]);

/**
 * Free text such as an employer name: trimmed, valid UTF-8, no control characters,
 * at most max_chars code points; may be empty (s NULL gives ""). Also rejected: U+2028,
 * U+2029 and the bidi controls U+202A..202E, U+2066..2069. Returns 0 or -enum sg_text_err.
 */
int sg_text_normalize(const char *s, size_t max_chars, char *out, size_t outsz);

/** The field error code of a text error (-enum sg_text_err): "required", "utf8", "too_short",
 * "too_long", "phone_format", else "chars". Static strings. */
const char *sg_text_error_code(int err);

#endif
