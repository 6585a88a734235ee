/* SPDX-License-Identifier: MIT */
/* The worker's proof for a lookup or cancel: the code as typed (any case, with or
 * without spaces) and the last 4 digits of the phone, compared in constant time. */
#include <string.h>
#include <sodium.h>
#include "domain/code.h"
#include "domain/err.h"
#include "http/registrations/registrations.h"

int sg__registration_proof_ok(const struct sg_stored_registration *s, const char *phone4)
{
    const char *phone = s->reg.people[0].phone;
    return strlen(phone) == 11 && sodium_memcmp(phone + 7, phone4, 4) == 0;
}

int sg__registration_code(const char *typed, size_t len, const char *phone4, char code[SG_CODE_LEN + 1])
{
    char buf[32];
    if (len >= sizeof(buf) || phone4 == NULL || strlen(phone4) != 4 || strspn(phone4, "0123456789") != 4)
        return SG_EINVAL;
    memcpy(buf, typed, len);
    buf[len] = '\0';
    return sg_code_normalize(buf, code) == 0 ? 0 : SG_EINVAL;
}
