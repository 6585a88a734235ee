/* SPDX-License-Identifier: MIT */
/* Confirmation codes a worker can read out on the phone: 8 characters from an alphabet
 * without 0/O/1/I (32 symbols, 40 bits). Pure: the caller supplies the randomness. */
#ifndef SG_DOMAIN_CODE_H
#define SG_DOMAIN_CODE_H

#include <stdint.h>

#define SG_CODE_LEN 8
extern const char sg_code_alphabet[33]; /* "23456789ABCDEFGHJKLMNPQRSTUVWXYZ" */

/** Make a code from 5 random bytes. out gets 8 chars and a NUL. */
void sg_code_from_bytes(const uint8_t rnd[5], char out[SG_CODE_LEN + 1]);
/**
 * Normalize what a person typed: drop spaces and '-', upper-case. 0 and out filled when
 * the result is 8 alphabet characters, else SG_EINVAL.
 */
int sg_code_normalize(const char *in, char out[SG_CODE_LEN + 1]);

#endif
