/* SPDX-License-Identifier: MIT */
/* Two sub-keys come from the master key (crypto_kdf): one for secretbox, one for the
 * keyed BLAKE2b hash. Key material lives in sodium_malloc'ed, locked memory. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>
#include "domain/err.h"
#include "store/crypto.h"

#define HASH_BYTES 16
#define PLAIN_MAX 40
#define SHORT_NONCE 12 /* random bytes of a compact seal's nonce (the other 12 are zero) */
#define ID_PACKED 8    /* an ID number: its first 17 digits times 11 plus the check (X = 10) */
#define PHONE_PACKED 5 /* an 11-digit phone number as a 40-bit integer */

struct sg_crypto {
    unsigned char box_key[crypto_secretbox_KEYBYTES];
    unsigned char hash_key[crypto_generichash_KEYBYTES];
};

static const char kdf_context[crypto_kdf_CONTEXTBYTES] = {'s', 'o', 'n', 'g', 'g', 'o', 'n', 'g'};

int sg_crypto_keygen(const char *path)
{
    if (sodium_init() < 0)
        return SG_EIO;
    unsigned char key[crypto_kdf_KEYBYTES];
    char hex[crypto_kdf_KEYBYTES * 2 + 2];
    crypto_kdf_keygen(key);
    sodium_bin2hex(hex, sizeof(hex), key, sizeof(key));
    sodium_memzero(key, sizeof(key));
    size_t len = strlen(hex);
    hex[len++] = '\n';
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd == -1) {
        sodium_memzero(hex, sizeof(hex));
        return errno == EEXIST ? SG_EEXIST : SG_EIO;
    }
    ssize_t n = write(fd, hex, len);
    sodium_memzero(hex, sizeof(hex));
    if (n != (ssize_t)len || fsync(fd) != 0) {
        close(fd);
        return SG_EIO;
    }
    return close(fd) == 0 ? 0 : SG_EIO;
}

static int read_master(const char *path, unsigned char master[crypto_kdf_KEYBYTES], const char **err)
{
    char hex[crypto_kdf_KEYBYTES * 2 + 8];
    int fd = open(path, O_RDONLY);
    if (fd == -1) {
        *err = "cannot open the key file";
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || (st.st_mode & 077) != 0) {
        close(fd);
        *err = "the key file must not be readable by group or others (chmod 600)";
        return -1;
    }
    ssize_t n = read(fd, hex, sizeof(hex) - 1);
    close(fd);
    size_t binlen = 0;
    int ok = n > 0 && sodium_hex2bin(master, crypto_kdf_KEYBYTES, hex, (size_t)n, "\n", &binlen, NULL) == 0 &&
             binlen == crypto_kdf_KEYBYTES;
    sodium_memzero(hex, sizeof(hex));
    if (!ok) {
        *err = "the key file does not hold a 32-byte hex key (make one with: songgong keygen PATH)";
        return -1;
    }
    return 0;
}

/* Random bytes for nonces and codes come from a pool per thread that libsodium's
 * generator fills POOL bytes at a time: a call of randombytes_buf costs about 0.4 us
 * (a getpid() system call, libsodium's fork check, and a rekey), and a sign-up of one
 * person needs four values. Each byte is handed out once and wiped as it goes. A fork
 * empties the child's pool (pthread_atfork; the child has only the thread that forked)
 * and reseeds the child's generator (libsodium's would otherwise stop the child, on
 * purpose, at its first value), so parent and child never hand out the same bytes. */
#define POOL 512
static _Thread_local struct {
    unsigned char b[POOL];
    size_t at; /* bytes b[at ..) are still unused */
} pool = {.at = POOL};

static void pool_forget(void)
{
    sodium_memzero(&pool, sizeof(pool));
    pool.at = POOL;
    randombytes_stir();
}

void sg_crypto_random(void *out, size_t n)
{
    if (n > POOL / 4) {
        randombytes_buf(out, n);
        return;
    }
    if (POOL - pool.at < n) {
        randombytes_buf(pool.b, POOL);
        pool.at = 0;
    }
    memcpy(out, pool.b + pool.at, n);
    sodium_memzero(pool.b + pool.at, n);
    pool.at += n;
}

struct sg_crypto *sg_crypto_load(const char *path, const char **err)
{
    /* Nonces and codes come from libsodium's ChaCha20 generator seeded by the kernel,
     * instead of one getrandom() system call per value (and from a pool: above). */
    static int rng_set;
    if (!rng_set++) {
        randombytes_set_implementation(&randombytes_internal_implementation);
        pthread_atfork(NULL, NULL, pool_forget);
    }
    if (sodium_init() < 0) {
        *err = "libsodium failed to initialize";
        return NULL;
    }
    unsigned char master[crypto_kdf_KEYBYTES];
    if (read_master(path, master, err) != 0)
        return NULL;
    struct sg_crypto *c = sodium_malloc(sizeof(*c));
    if (c == NULL)
        abort();
    crypto_kdf_derive_from_key(c->box_key, sizeof(c->box_key), 1, kdf_context, master);
    crypto_kdf_derive_from_key(c->hash_key, sizeof(c->hash_key), 2, kdf_context, master);
    sodium_memzero(master, sizeof(master));
    return c;
}

void sg_crypto_free(struct sg_crypto *c)
{
    if (c != NULL)
        sodium_free(c);
}

void sg_crypto_hash(const struct sg_crypto *c, const char *plain, char out[SG_CRYPTO_HASH_HEX])
{
    unsigned char h[HASH_BYTES];
    crypto_generichash(h, sizeof(h), (const unsigned char *)plain, strlen(plain), c->hash_key, sizeof(c->hash_key));
    sodium_bin2hex(out, SG_CRYPTO_HASH_HEX, h, sizeof(h));
}

int sg_crypto_seal(const struct sg_crypto *c, const char *plain, char out[SG_CRYPTO_SEALED_MAX])
{
    size_t len = strlen(plain);
    if (len > PLAIN_MAX)
        return SG_EINVAL;
    unsigned char buf[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + PLAIN_MAX];
    sg_crypto_random(buf, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(buf + crypto_secretbox_NONCEBYTES, (const unsigned char *)plain, len, buf, c->box_key);
    sodium_bin2base64(out, SG_CRYPTO_SEALED_MAX, buf, crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + len,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return 0;
}

/* The number as ID_PACKED or PHONE_PACKED big-endian bytes; 0 when it is neither. */
static size_t pack(const char *number, unsigned char out[ID_PACKED])
{
    size_t len = strlen(number), digits = strspn(number, "0123456789"), n;
    unsigned long long v = 0;
    if (len == 18 && (digits == 18 || (digits == 17 && number[17] == 'X'))) {
        for (size_t i = 0; i != 17; ++i)
            v = v * 10 + (unsigned)(number[i] - '0');
        v = v * 11 + (number[17] == 'X' ? 10u : (unsigned)(number[17] - '0'));
        n = ID_PACKED;
    } else if (len == 11 && digits == 11) {
        for (size_t i = 0; i != 11; ++i)
            v = v * 10 + (unsigned)(number[i] - '0');
        n = PHONE_PACKED;
    } else {
        return 0;
    }
    for (size_t i = n; i-- != 0; v >>= 8)
        out[i] = (unsigned char)(v & 0xff);
    return n;
}

/* The packed bytes back as text into out (19 bytes at least). 0 or SG_EINVAL. */
static int unpack(const unsigned char *in, size_t n, char *out, size_t outsz)
{
    unsigned long long v = 0;
    for (size_t i = 0; i != n; ++i)
        v = v << 8 | in[i];
    if (n == ID_PACKED && outsz >= 19 && v / 11 < 100000000000000000ULL)
        snprintf(out, outsz, "%017llu%c", v / 11, v % 11 == 10 ? 'X' : (char)('0' + v % 11));
    else if (n == PHONE_PACKED && outsz >= 12 && v < 100000000000ULL)
        snprintf(out, outsz, "%011llu", v);
    else
        return SG_EINVAL;
    return 0;
}

int sg_crypto_seal_number(const struct sg_crypto *c, const char *number, char out[SG_CRYPTO_SEALED_MAX])
{
    unsigned char packed[ID_PACKED], nonce[crypto_secretbox_NONCEBYTES] = {0};
    unsigned char buf[SHORT_NONCE + crypto_secretbox_MACBYTES + ID_PACKED];
    size_t n = pack(number, packed);
    if (n == 0)
        return sg_crypto_seal(c, number, out);
    sg_crypto_random(nonce, SHORT_NONCE);
    memcpy(buf, nonce, SHORT_NONCE);
    crypto_secretbox_easy(buf + SHORT_NONCE, packed, n, nonce, c->box_key);
    out[0] = '~';
    sodium_bin2base64(out + 1, SG_CRYPTO_SEALED_MAX - 1, buf, SHORT_NONCE + crypto_secretbox_MACBYTES + n,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(packed, sizeof(packed));
    return 0;
}

static int open_number(const struct sg_crypto *c, const char *sealed, size_t sealed_len, char *out, size_t outsz)
{
    unsigned char buf[SHORT_NONCE + crypto_secretbox_MACBYTES + ID_PACKED], packed[ID_PACKED];
    unsigned char nonce[crypto_secretbox_NONCEBYTES] = {0};
    size_t len;
    if (sodium_base642bin(buf, sizeof(buf), sealed, sealed_len, NULL, &len, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        (len != SHORT_NONCE + crypto_secretbox_MACBYTES + ID_PACKED &&
         len != SHORT_NONCE + crypto_secretbox_MACBYTES + PHONE_PACKED))
        return SG_EINVAL;
    memcpy(nonce, buf, SHORT_NONCE);
    size_t n = len - SHORT_NONCE - crypto_secretbox_MACBYTES;
    int ret = crypto_secretbox_open_easy(packed, buf + SHORT_NONCE, len - SHORT_NONCE, nonce, c->box_key) == 0
                  ? unpack(packed, n, out, outsz)
                  : SG_EINVAL;
    sodium_memzero(packed, sizeof(packed));
    return ret;
}

int sg_crypto_open(const struct sg_crypto *c, const char *sealed, size_t sealed_len, char *out, size_t outsz)
{
    if (sealed_len != 0 && sealed[0] == '~')
        return open_number(c, sealed + 1, sealed_len - 1, out, outsz);
    unsigned char buf[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + PLAIN_MAX];
    size_t len;
    if (sodium_base642bin(buf, sizeof(buf), sealed, sealed_len, NULL, &len, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        len < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
        return SG_EINVAL;
    size_t plain_len = len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
    if (plain_len + 1 > outsz)
        return SG_EINVAL;
    if (crypto_secretbox_open_easy((unsigned char *)out, buf + crypto_secretbox_NONCEBYTES,
                                   len - crypto_secretbox_NONCEBYTES, buf, c->box_key) != 0)
        return SG_EINVAL;
    out[plain_len] = '\0';
    return 0;
}
