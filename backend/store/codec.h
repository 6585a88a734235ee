/* SPDX-License-Identifier: MIT */
/* The "data" field of a registration hash: the registration as compact JSON with the
 * personal numbers sealed. Shared between the files of the store module only. */
#ifndef SG_STORE_CODEC_H
#define SG_STORE_CODEC_H

#include <stddef.h>
#include "domain/registration.h"
#include "store/crypto.h"
#include "store/store.h"

/* Personal numbers of one registration as they go to Redis. */
struct sg__sealed {
    char hashes[SG_MAX_PEOPLE][SG_CRYPTO_HASH_HEX];
    char id[SG_MAX_PEOPLE][SG_CRYPTO_SEALED_MAX];
    char phone[SG_MAX_PEOPLE][SG_CRYPTO_SEALED_MAX];
    char phash[SG_MAX_PEOPLE][SG_CRYPTO_HASH_HEX]; /* keyed hash of the phone ("" without one): opt-outs, pushes */
};

/** The keyed hash of a phone number (11 digits) as opt-outs and pushes know it. */
void sg__phone_hash(const struct sg_crypto *c, const char *phone, char out[SG_CRYPTO_HASH_HEX]);

#define SG__DATA_MAX 8192 /* the largest registration (10 people, long names) fits */

/** Seal the ID and phone numbers of r and hash its ID numbers. */
void sg__seal(const struct sg_crypto *c, const struct sg_registration *r, struct sg__sealed *out);
/** Write r as JSON into out (NUL-terminated); returns the length. entered_by may be "". */
size_t sg__data_encode(const struct sg_registration *r, const struct sg__sealed *sealed, const char *entered_by,
                       char out[SG__DATA_MAX]);
/**
 * Parse data JSON back into out->reg (village is not in it), out->entered_by and the
 * masked numbers. With decrypt the personal numbers are opened too (out->decrypted);
 * without, only rows written before the masked numbers were stored are opened (to mask
 * them) and their plain numbers wiped again. 0 or SG_EIO.
 */
int sg__data_decode(const struct sg_crypto *c, const char *json, size_t len, bool decrypt,
                    struct sg_stored_registration *out);

#endif
