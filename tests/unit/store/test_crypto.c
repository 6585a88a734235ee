/* SPDX-License-Identifier: MIT */
/* store/crypto.c: key file handling, sealing and keyed hashes. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "domain/err.h"
#include "store/crypto.h"
#include "test.h"

static char dir[] = "/tmp/sg-crypto-XXXXXX";
static char keyfile[64], keyfile2[64];

static void test_keygen_refuses_overwrite(void)
{
    struct stat st;
    ASSERT_EQ(sg_crypto_keygen(keyfile), 0);
    ASSERT_EQ(stat(keyfile, &st), 0);
    ASSERT_EQ(st.st_mode & 0777, 0600);
    ASSERT_EQ(st.st_size, 65);
    ASSERT_EQ(sg_crypto_keygen(keyfile), SG_EEXIST);
}

static void test_load_rejects_open_permissions(void)
{
    const char *err = NULL;
    ASSERT_EQ(sg_crypto_keygen(keyfile2), 0);
    ASSERT_EQ(chmod(keyfile2, 0644), 0);
    ASSERT(sg_crypto_load(keyfile2, &err) == NULL);
    ASSERT(strstr(err, "chmod 600") != NULL);
    ASSERT(sg_crypto_load("/nonexistent/key", &err) == NULL);
}

static void test_seal_open_roundtrip(void)
{
    const char *err = NULL;
    struct sg_crypto *c = sg_crypto_load(keyfile, &err);
    ASSERT(c != NULL);
    char a[SG_CRYPTO_SEALED_MAX], b[SG_CRYPTO_SEALED_MAX], plain[64];
    ASSERT_EQ(sg_crypto_seal(c, "45010219900101123X", a), 0);
    ASSERT_EQ(sg_crypto_seal(c, "45010219900101123X", b), 0);
    ASSERT(strcmp(a, b) != 0); /* fresh nonce every time */
    ASSERT(strstr(a, "45010219900101123X") == NULL);
    ASSERT_EQ(sg_crypto_open(c, a, strlen(a), plain, sizeof(plain)), 0);
    ASSERT_STREQ(plain, "45010219900101123X");
    a[10] = a[10] == 'A' ? 'B' : 'A'; /* tampered: the MAC fails */
    ASSERT_EQ(sg_crypto_open(c, a, strlen(a), plain, sizeof(plain)), SG_EINVAL);
    ASSERT_EQ(sg_crypto_open(c, "short", 5, plain, sizeof(plain)), SG_EINVAL);
    ASSERT_EQ(sg_crypto_open(c, b, strlen(b), plain, 5), SG_EINVAL); /* no room */
    char big[64];
    memset(big, '1', 41);
    big[41] = '\0';
    ASSERT_EQ(sg_crypto_seal(c, big, a), SG_EINVAL);
    sg_crypto_free(c);
}

static void test_seal_number_is_compact(void)
{
    const char *err = NULL;
    struct sg_crypto *c = sg_crypto_load(keyfile, &err);
    ASSERT(c != NULL);
    char a[SG_CRYPTO_SEALED_MAX], b[SG_CRYPTO_SEALED_MAX], plain[64];
    static const char *const numbers[] = {"45010219900101123X", "450102199001011230", "000000000000000000",
                                          "99999999999999999X", "13812345678",        "00000000001"};
    for (size_t i = 0; i != sizeof(numbers) / sizeof(numbers[0]); ++i) {
        ASSERT_EQ(sg_crypto_seal_number(c, numbers[i], a), 0);
        ASSERT_EQ(sg_crypto_seal_number(c, numbers[i], b), 0);
        ASSERT(strcmp(a, b) != 0); /* fresh nonce every time */
        ASSERT(a[0] == '~');
        ASSERT_EQ(strlen(a), strlen(numbers[i]) == 18 ? 49u : 45u);
        ASSERT_EQ(sg_crypto_open(c, a, strlen(a), plain, sizeof(plain)), 0);
        ASSERT_STREQ(plain, numbers[i]);
        a[20] = a[20] == 'A' ? 'B' : 'A'; /* tampered: the MAC fails */
        ASSERT_EQ(sg_crypto_open(c, a, strlen(a), plain, sizeof(plain)), SG_EINVAL);
        ASSERT_EQ(sg_crypto_open(c, b, strlen(b), plain, 5), SG_EINVAL); /* no room */
    }
    /* what is not an ID or phone number is sealed the long way, and opens the same */
    ASSERT_EQ(sg_crypto_seal_number(c, "4501021990010112", a), 0);
    ASSERT(a[0] != '~');
    ASSERT_EQ(sg_crypto_open(c, a, strlen(a), plain, sizeof(plain)), 0);
    ASSERT_STREQ(plain, "4501021990010112");
    ASSERT_EQ(sg_crypto_open(c, "~short", 6, plain, sizeof(plain)), SG_EINVAL);
    sg_crypto_free(c);
}

static void test_hash_is_keyed_and_stable(void)
{
    const char *err = NULL;
    struct sg_crypto *c1 = sg_crypto_load(keyfile, &err);
    ASSERT_EQ(chmod(keyfile2, 0600), 0);
    struct sg_crypto *c2 = sg_crypto_load(keyfile2, &err);
    ASSERT(c1 != NULL && c2 != NULL);
    char h1[SG_CRYPTO_HASH_HEX], h2[SG_CRYPTO_HASH_HEX], h3[SG_CRYPTO_HASH_HEX];
    sg_crypto_hash(c1, "13812345678", h1);
    sg_crypto_hash(c1, "13812345678", h2);
    sg_crypto_hash(c2, "13812345678", h3);
    ASSERT_STREQ(h1, h2);
    ASSERT(strcmp(h1, h3) != 0);
    ASSERT_EQ(strlen(h1), 32);
    sg_crypto_free(c1);
    sg_crypto_free(c2);
}

/* Nonces and codes: every value new, across the pool's refills, sizes large and small;
 * after a fork, parent and child never hand out the same bytes. */
static void test_random_values_never_repeat(void)
{
    enum { N = 2000 };
    static unsigned char seen[N][12];
    unsigned char big[4096], zero[sizeof(big)] = {0};
    for (size_t i = 0; i != N; ++i) {
        sg_crypto_random(seen[i], sizeof(seen[i]));
        if (i % 97 == 0) {
            unsigned char odd[5];
            sg_crypto_random(odd, sizeof(odd)); /* (sizes that do not divide the pool) */
        }
    }
    for (size_t i = 0; i != N; ++i)
        for (size_t j = i + 1; j != N; ++j)
            ASSERT(memcmp(seen[i], seen[j], sizeof(seen[i])) != 0);
    sg_crypto_random(big, sizeof(big)); /* more than the pool: straight from libsodium */
    ASSERT(memcmp(big, zero, sizeof(big)) != 0);

    int fd[2];
    ASSERT_EQ(pipe(fd), 0);
    pid_t pid = fork();
    ASSERT(pid >= 0);
    unsigned char mine[16], child[16];
    if (pid == 0) {
        sg_crypto_random(mine, sizeof(mine));
        _exit(write(fd[1], mine, sizeof(mine)) == (ssize_t)sizeof(mine) ? 0 : 1);
    }
    sg_crypto_random(mine, sizeof(mine));
    int status;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    ASSERT_EQ(read(fd[0], child, sizeof(child)), (ssize_t)sizeof(child));
    ASSERT(memcmp(mine, child, sizeof(mine)) != 0);
    close(fd[0]);
    close(fd[1]);
}

int main(void)
{
    ASSERT(mkdtemp(dir) != NULL);
    snprintf(keyfile, sizeof(keyfile), "%s/a.key", dir);
    snprintf(keyfile2, sizeof(keyfile2), "%s/b.key", dir);
    RUN(test_keygen_refuses_overwrite);
    RUN(test_load_rejects_open_permissions);
    RUN(test_seal_open_roundtrip);
    RUN(test_seal_number_is_compact);
    RUN(test_hash_is_keyed_and_stable);
    RUN(test_random_values_never_repeat);
    unlink(keyfile);
    unlink(keyfile2);
    rmdir(dir);
    TEST_DONE();
}
