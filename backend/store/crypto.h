/* SPDX-License-Identifier: MIT */
/* Personal numbers at rest: secretbox encryption and keyed hashes for uniqueness, with
 * keys derived from one master key kept in a file (mode 0600). libsodium only. */
#ifndef SG_STORE_CRYPTO_H
#define SG_STORE_CRYPTO_H

#include <stddef.h>

#define SG_CRYPTO_HASH_HEX 33    /* 16-byte keyed hash as hex + NUL */
#define SG_CRYPTO_SEALED_MAX 128 /* base64 of nonce+mac+plaintext (plaintext <= 40) + NUL */

struct sg_crypto; /* opaque */

/**
 * Write a new master key (64 hex chars and a newline) to path, created with mode 0600.
 * Refuses (SG_EEXIST) to overwrite an existing file. 0 or negative enum sg_err.
 */
int sg_crypto_keygen(const char *path);
/** Load the key file. NULL with a reason in err (static string) when it cannot be used. */
struct sg_crypto *sg_crypto_load(const char *path, const char **err);
void sg_crypto_free(struct sg_crypto *c);

/**
 * n random bytes from libsodium's generator (randombytes_buf), through a small pool per
 * thread: for nonces and codes, many a request. Fork-safe. Load a key first (it sets
 * the generator up).
 */
void sg_crypto_random(void *out, size_t n);
/** Keyed hash of a normalized number, as 32 hex chars: the same input gives the same output. */
void sg_crypto_hash(const struct sg_crypto *c, const char *plain, char out[SG_CRYPTO_HASH_HEX]);
/** Encrypt plain (<= 40 bytes) with a fresh nonce into URL-safe base64. 0 or SG_EINVAL. */
int sg_crypto_seal(const struct sg_crypto *c, const char *plain, char out[SG_CRYPTO_SEALED_MAX]);
/**
 * Encrypt a personal number, compactly: an ID number (17 digits and a digit or X) or an
 * 11-digit phone number, packed into 8 or 5 bytes, sealed with a fresh random 96-bit
 * nonce (the secretbox nonce's first 12 bytes; the rest zero), as "~" and URL-safe base64
 * of nonce, MAC and packed number: 49 characters for an ID number, 45 for a phone number
 * (sg_crypto_seal: 78 and 68). Anything else is sealed as by sg_crypto_seal. 0 or SG_EINVAL.
 */
int sg_crypto_seal_number(const struct sg_crypto *c, const char *number, char out[SG_CRYPTO_SEALED_MAX]);
/** Decrypt sealed (as made by sg_crypto_seal or sg_crypto_seal_number) into out (NUL-terminated). 0 or SG_EINVAL. */
int sg_crypto_open(const struct sg_crypto *c, const char *sealed, size_t sealed_len, char *out, size_t outsz);

#endif
