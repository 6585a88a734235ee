/* SPDX-License-Identifier: MIT */
/* Confirmation codes: 40 random bits written as 8 symbols of 5 bits, from an alphabet
 * without the look-alikes 0/O and 1/I. The randomness comes from the caller. */
#include <string.h>
#include "domain/code.h"
#include "domain/err.h"

const char sg_code_alphabet[33] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

void sg_code_from_bytes(const uint8_t rnd[5], char out[SG_CODE_LEN + 1])
{
    uint64_t bits = 0;
    for (int i = 0; i < 5; ++i)
        bits = (bits << 8) | rnd[i];
    for (int i = 0; i < SG_CODE_LEN; ++i)
        out[i] = sg_code_alphabet[(bits >> (5 * (SG_CODE_LEN - 1 - i))) & 31];
    out[SG_CODE_LEN] = '\0';
}

static char upper(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

int sg_code_normalize(const char *in, char out[SG_CODE_LEN + 1])
{
    size_t n = 0;
    if (in == NULL)
        return SG_EINVAL;
    for (; *in != '\0'; ++in) {
        if (*in == ' ' || *in == '-')
            continue;
        char c = upper(*in);
        if (n == SG_CODE_LEN || strchr(sg_code_alphabet, c) == NULL)
            return SG_EINVAL;
        out[n++] = c;
    }
    if (n != SG_CODE_LEN)
        return SG_EINVAL;
    out[n] = '\0';
    return 0;
}
