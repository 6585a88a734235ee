/* SPDX-License-Identifier: MIT */
/* The staff password rule: long enough, and not one of the passwords that are tried
 * first (common ones, one character over and over, a run along the keyboard or the
 * digits, the user's own name). Pure. */
#ifndef SG_DOMAIN_PASSWORD_H
#define SG_DOMAIN_PASSWORD_H

#define SG_PASSWORD_MIN 10 /* characters */

/**
 * NULL when password (UTF-8, NUL-terminated) may be used by user name, else why not:
 * "password_short", "password_common", "password_simple" (few different characters or a
 * run such as 123456789012 or qwertyuiop), "password_name" (contains the user name).
 */
const char *sg_password_check(const char *password, const char *name);

#endif
