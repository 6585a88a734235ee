/* SPDX-License-Identifier: MIT */
/* store/keys.c: every key name, its hash slot (the province's tag, whatever the rest holds),
 * the longest arguments never cut; and the scripts: each starts with #!lua (so a Redis 7
 * cluster refuses any key outside the slot) and none spells "sg:" outside its comments, nor
 * any store source file but keys.h and keys.c. */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "domain/campaign.h"
#include "domain/code.h"
#include "domain/division.h"
#include "domain/err.h"
#include "store/crypto.h"
#include "store/internal.h"
#include "store/keys.h"
#include "test.h"

static struct sg__keys ks;

/* Redis Cluster's CRC16 (XMODEM) and key slot, hash tags included (cluster spec). */
static unsigned crc16(const char *buf, size_t len)
{
    unsigned crc = 0;
    for (size_t i = 0; i != len; ++i) {
        crc ^= (unsigned)(unsigned char)buf[i] << 8;
        for (int j = 0; j != 8; ++j)
            crc = (crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1) & 0xffff;
    }
    return crc;
}

static unsigned slot(const char *key)
{
    size_t len = strlen(key);
    const char *open = strchr(key, '{');
    if (open != NULL) {
        const char *close = strchr(open + 1, '}');
        if (close != NULL && close != open + 1)
            return crc16(open + 1, (size_t)(close - open - 1)) & 16383;
    }
    return crc16(key, len) & 16383;
}

/* A key of the deployment: its prefix, its slot that of "45", nothing cut. */
static void check_key(const char *key, const char *want)
{
    ASSERT_STREQ(key, want);
    ASSERT(strncmp(key, "sg:{45}:", 8) == 0);
    ASSERT_EQ(slot(key), slot("{45}"));
    ASSERT(strlen(key) < SG__KEY_MAX - 1);
}

static void test_slot_function(void)
{
    ASSERT_EQ(crc16("123456789", 9), 0x31C3); /* the cluster spec's test vector */
    ASSERT_EQ(slot("foo"), 12182);            /* CLUSTER KEYSLOT foo */
    ASSERT_EQ(slot("{user1000}.following"), slot("user1000"));
    ASSERT_EQ(slot("foo{}{bar}"), crc16("foo{}{bar}", 10) & 16383); /* empty tag: the whole key */
    ASSERT(slot("{45}") != slot("{44}"));
}

static void test_init(void)
{
    struct sg__keys k;
    ASSERT_EQ(sg__keys_init(&k, "45"), 0);
    ASSERT_STREQ(k.prefix, "sg:{45}:");
    ASSERT_EQ(k.len, 8);
    ASSERT_EQ(sg__keys_init(&k, "11"), 0);
    ASSERT_STREQ(k.prefix, "sg:{11}:");
    const char *bad[] = {NULL, "", "4", "450", "4a", "{4", "4}", " 45", "45 "};
    for (size_t i = 0; i != sizeof(bad) / sizeof(bad[0]); ++i)
        ASSERT_EQ(sg__keys_init(&k, bad[i]), SG_EINVAL);
}

static void test_formats(void)
{
    struct sg__key k;
    check_key(sg__key_global(&k, &ks, SG__KEY_SCHEMA), "sg:{45}:schema");
    check_key(sg__key_global(&k, &ks, SG__KEY_USERS), "sg:{45}:users");
    check_key(sg__key_global(&k, &ks, SG__KEY_AUDIT), "sg:{45}:audit");
    check_key(sg__key_global(&k, &ks, SG__KEY_VEHICLES_NEXT), "sg:{45}:vehicles:next");
    check_key(sg__key_global(&k, &ks, SG__KEY_FUNDING_NEXT), "sg:{45}:funding:next");
    check_key(sg__key_global(&k, &ks, SG__KEY_FILINGS_NEXT), "sg:{45}:filings:next");
    check_key(sg__key_global(&k, &ks, SG__KEY_WECHAT_TICKET), "sg:{45}:wechat:ticket");
    const char *c = "2027-spring";
    check_key(sg__key_campaign(&k, &ks, c, SG__KEY_BYPLACE), "sg:{45}:2027-spring:byplace");
    check_key(sg__key_campaign(&k, &ks, c, SG__KEY_CANCELLED), "sg:{45}:2027-spring:cancelled");
    check_key(sg__key_campaign(&k, &ks, c, SG__KEY_OPEN), "sg:{45}:2027-spring:open");
    check_key(sg__key_campaign(&k, &ks, c, SG__KEY_ASSIGN), "sg:{45}:2027-spring:assign");
    check_key(sg__key_campaign(&k, &ks, c, SG__KEY_UNSWEPT), "sg:{45}:2027-spring:unswept");
    check_key(sg__key_campaign(&k, &ks, c, SG__KEY_MATCHLOCK), "sg:{45}:2027-spring:matchlock");
    check_key(sg__key_campaign(&k, &ks, c, SG__KEY_VEHICLES), "sg:{45}:2027-spring:vehicles");
    check_key(sg__key_campaign(&k, &ks, c, SG__KEY_FUNDING), "sg:{45}:2027-spring:funding");
    check_key(sg__key_campaign(&k, &ks, c, SG__KEY_FILINGS), "sg:{45}:2027-spring:filings");
    check_key(sg__key_reg(&k, &ks, "23456789"), "sg:{45}:reg:23456789");
    check_key(sg__key_reg(&k, &ks, ""), "sg:{45}:reg:");
    check_key(sg__key_idem(&k, &ks, "-"), "sg:{45}:idem:-");
    check_key(sg__key_uid(&k, &ks, c, "0123456789abcdef0123456789abcdef"),
              "sg:{45}:uid:2027-spring:0123456789abcdef0123456789abcdef");
    check_key(sg__key_stats(&k, &ks, c, "450102001001"), "sg:{45}:2027-spring:stats:450102001001");
    check_key(sg__key_stats(&k, &ks, c, "450102"), "sg:{45}:2027-spring:stats:450102");
    check_key(sg__key_stats_county(&k, &ks, c, "450102001001"), "sg:{45}:2027-spring:stats:450102");
    check_key(sg__key_returns(&k, &ks, c, "450102001001"), "sg:{45}:2027-spring:returns:450102");
    check_key(sg__key_returns(&k, &ks, c, "450102"), "sg:{45}:2027-spring:returns:450102");
    check_key(sg__key_returns_history(&k, &ks, c, "450102001001"), "sg:{45}:2027-spring:returns-history:450102001001");
    check_key(sg__key_purge(&k, &ks, c), "sg:{45}:purge:2027-spring");
    check_key(sg__key_vehicle(&k, &ks, "17"), "sg:{45}:vehicle:17");
    check_key(sg__key_vehicle(&k, &ks, ""), "sg:{45}:vehicle:");
    check_key(sg__key_vehicle_seats(&k, &ks, "17"), "sg:{45}:vehicle:17:seats");
    check_key(sg__key_vehicle_boarded(&k, &ks, "17"), "sg:{45}:vehicle:17:boarded");
    check_key(sg__key_funding(&k, &ks, "3"), "sg:{45}:funding:3");
    check_key(sg__key_funding(&k, &ks, ""), "sg:{45}:funding:");
    check_key(sg__key_filing(&k, &ks, "4"), "sg:{45}:filing:4");
    check_key(sg__key_filing(&k, &ks, ""), "sg:{45}:filing:");
    check_key(sg__key_user(&k, &ks, "org"), "sg:{45}:user:org");
    check_key(sg__key_user(&k, &ks, ""), "sg:{45}:user:");
    check_key(sg__key_user_sessions(&k, &ks, "org"), "sg:{45}:user:org:sessions");
    check_key(sg__key_session(&k, &ks, "0123456789abcdef0123456789abcdef"),
              "sg:{45}:session:0123456789abcdef0123456789abcdef");
    check_key(sg__key_session(&k, &ks, ""), "sg:{45}:session:");
    check_key(sg__key_auditonce(&k, &ks, "org", "view", "45"), "sg:{45}:auditonce:org:view:45");
    /* jobs and notifications */
    check_key(sg__key_global(&k, &ks, SG__KEY_EMPLOYERS), "sg:{45}:employers");
    check_key(sg__key_global(&k, &ks, SG__KEY_EMPLOYERS_NEXT), "sg:{45}:employers:next");
    check_key(sg__key_global(&k, &ks, SG__KEY_JOBS), "sg:{45}:jobs");
    check_key(sg__key_global(&k, &ks, SG__KEY_JOBS_NEXT), "sg:{45}:jobs:next");
    check_key(sg__key_global(&k, &ks, SG__KEY_PUSHES), "sg:{45}:pushes");
    check_key(sg__key_global(&k, &ks, SG__KEY_PUSHES_NEXT), "sg:{45}:pushes:next");
    check_key(sg__key_global(&k, &ks, SG__KEY_NOTIFY_EVENTS), "sg:{45}:notify:events");
    check_key(sg__key_global(&k, &ks, SG__KEY_NOTIFY_OUTBOX), "sg:{45}:notify:outbox");
    check_key(sg__key_global(&k, &ks, SG__KEY_NOTIFY_DELAYED), "sg:{45}:notify:delayed");
    check_key(sg__key_global(&k, &ks, SG__KEY_NOTIFY_DEAD), "sg:{45}:notify:dead");
    check_key(sg__key_global(&k, &ks, SG__KEY_NOTIFY_NEXT), "sg:{45}:notify:next");
    check_key(sg__key_global(&k, &ks, SG__KEY_NOTIFY_OPTOUT), "sg:{45}:notify:optout");
    check_key(sg__key_employer(&k, &ks, "12"), "sg:{45}:employer:12");
    check_key(sg__key_employer_code(&k, &ks, "91350100M000100Y43"), "sg:{45}:employer-code:91350100M000100Y43");
    check_key(sg__key_job(&k, &ks, "5"), "sg:{45}:job:5");
    check_key(sg__key_push(&k, &ks, "2"), "sg:{45}:push:2");
    check_key(sg__key_push_phones(&k, &ks, "2"), "sg:{45}:push:2:phones");
    check_key(sg__key_notify_msg(&k, &ks, "99"), "sg:{45}:notify:message:99");
    check_key(sg__key_notify_day(&k, &ks, "2027-01-10"), "sg:{45}:notify:day:2027-01-10");
    check_key(sg__key_notify_told(&k, &ks, "17"), "sg:{45}:notify:told:17");
    check_key(sg__key_notify_reminders(&k, &ks, "2027-01-10"), "sg:{45}:notify:reminders:2027-01-10");
    check_key(sg__key_limit(&k, &ks, "code", "id-0123456789abcdef0123456789abcdef"),
              "sg:{45}:limit:code:id-0123456789abcdef0123456789abcdef");
}

/* n copies of ch. */
static const char *fill(char *buf, size_t n, char ch)
{
    memset(buf, ch, n);
    buf[n] = '\0';
    return buf;
}

static void test_longest_arguments_fit(void)
{
    struct sg__key k;
    char campaign[SG_CAMPAIGN_ID_MAX + 1], code[SG_CODE_LEN + 1], village[SG_DIVISION_CODE_MAX + 1];
    char hash[SG_CRYPTO_HASH_HEX], idem[80], user[64], action[32], target[64], id[16], want[SG__KEY_MAX];
    fill(campaign, SG_CAMPAIGN_ID_MAX, 'c');
    fill(code, SG_CODE_LEN, 'Z');
    fill(village, SG_DIVISION_CODE_MAX, '9');
    fill(hash, SG_CRYPTO_HASH_HEX - 1, 'f');
    fill(idem, sizeof(idem) - 1, 'i');
    fill(user, sizeof(user) - 1, 'u');
    fill(action, sizeof(action) - 1, 'a');
    fill(target, sizeof(target) - 1, 't');
    fill(id, sizeof(id) - 1, '7');
    snprintf(want, sizeof(want), "sg:{45}:%s:matchlock", campaign);
    check_key(sg__key_campaign(&k, &ks, campaign, SG__KEY_MATCHLOCK), want);
    snprintf(want, sizeof(want), "sg:{45}:%s:cancelled", campaign);
    check_key(sg__key_campaign(&k, &ks, campaign, SG__KEY_CANCELLED), want);
    snprintf(want, sizeof(want), "sg:{45}:reg:%s", code);
    check_key(sg__key_reg(&k, &ks, code), want);
    snprintf(want, sizeof(want), "sg:{45}:idem:%s", idem);
    check_key(sg__key_idem(&k, &ks, idem), want);
    snprintf(want, sizeof(want), "sg:{45}:uid:%s:%s", campaign, hash);
    check_key(sg__key_uid(&k, &ks, campaign, hash), want);
    snprintf(want, sizeof(want), "sg:{45}:%s:stats:%s", campaign, village);
    check_key(sg__key_stats(&k, &ks, campaign, village), want);
    snprintf(want, sizeof(want), "sg:{45}:%s:returns-history:%s", campaign, village);
    check_key(sg__key_returns_history(&k, &ks, campaign, village), want);
    snprintf(want, sizeof(want), "sg:{45}:purge:%s", campaign);
    check_key(sg__key_purge(&k, &ks, campaign), want);
    snprintf(want, sizeof(want), "sg:{45}:vehicle:%s:boarded", id);
    check_key(sg__key_vehicle_boarded(&k, &ks, id), want);
    snprintf(want, sizeof(want), "sg:{45}:user:%s:sessions", user);
    check_key(sg__key_user_sessions(&k, &ks, user), want);
    snprintf(want, sizeof(want), "sg:{45}:session:%s", hash);
    check_key(sg__key_session(&k, &ks, hash), want);
    snprintf(want, sizeof(want), "sg:{45}:auditonce:%s:%s:%s", user, action, target);
    check_key(sg__key_auditonce(&k, &ks, user, action, target), want);
    ASSERT_EQ(strlen(k.s), 8 + 10 + 63 + 1 + 31 + 1 + 63); /* the longest key: 177 bytes */
}

static void test_input_cannot_leave_the_slot(void)
{
    /* Braces in what a client sends (an Idempotency-Key, an audit target) come after the
     * prefix's tag, which is the first: the slot stays the province's. */
    struct sg__key k;
    char huge[600];
    fill(huge, sizeof(huge) - 1, 'x');
    ASSERT_EQ(slot(sg__key_idem(&k, &ks, "{other}")), slot("{45}"));
    ASSERT_EQ(slot(sg__key_idem(&k, &ks, "}{")), slot("{45}"));
    ASSERT_EQ(slot(sg__key_auditonce(&k, &ks, "u", "export", "{44}")), slot("{45}"));
    ASSERT_EQ(slot(sg__key_limit(&k, &ks, "login", "{44}")), slot("{45}"));
    /* longer than any bound: cut, never overrun, still in the slot */
    ASSERT_EQ(strlen(sg__key_idem(&k, &ks, huge)), SG__KEY_MAX - 1);
    ASSERT_EQ(slot(k.s), slot("{45}"));
}

static void test_from_old(void)
{
    struct sg__key k;
    ASSERT_STREQ(sg__key_from_old(&k, &ks, "sg:reg:23456789"), "sg:{45}:reg:23456789");
    ASSERT_STREQ(sg__key_from_old(&k, &ks, "sg:2027-spring:byplace"), "sg:{45}:2027-spring:byplace");
    ASSERT_STREQ(sg__key_from_old(&k, &ks, "sg:user:org:sessions"), "sg:{45}:user:org:sessions");
    ASSERT(sg__key_from_old(&k, &ks, "sg:{45}:reg:23456789") == NULL);
    ASSERT(sg__key_from_old(&k, &ks, "sg:") == NULL);
    ASSERT(sg__key_from_old(&k, &ks, "other") == NULL);
    ASSERT_STREQ(SG__KEYS_OLD_MATCH, "sg:[^{]*");
}

/* True when text holds "sg:" outside Lua comments (-- to the end of the line). */
static bool lua_names_keys(const char *text)
{
    for (const char *line = text; *line != '\0';) {
        size_t n = strcspn(line, "\n"), code = n;
        for (size_t i = 0; i + 1 < n; ++i) {
            if (line[i] == '-' && line[i + 1] == '-') {
                code = i;
                break;
            }
        }
        for (size_t i = 0; i + 3 <= code; ++i)
            if (memcmp(line + i, "sg:", 3) == 0)
                return true;
        line += n + (line[n] == '\n');
    }
    return false;
}

static void test_scripts(void)
{
    ASSERT(!lua_names_keys("-- KEYS[1] sg:{P}:reg:{code}\nlocal a = 1 -- sg: here too\n"));
    ASSERT(lua_names_keys("local k = 'sg:reg:' .. code\n"));
    for (size_t i = 0; i != SG__SCRIPTS; ++i) {
        const char *body = sg__script_bodies[i];
        ASSERT(body != NULL);
        ASSERT(strncmp(body, "#!lua", 5) == 0 && (body[5] == '\n' || body[5] == ' '));
        if (lua_names_keys(body))
            SG_FAIL("script %zu spells a key name ('sg:') outside its comments", i);
    }
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        SG_FAIL("cannot read %s (run from the source tree)", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (s == NULL || fread(s, 1, (size_t)n, f) != (size_t)n)
        SG_FAIL("cannot read %s", path);
    s[n] = '\0';
    fclose(f);
    return s;
}

/* No store file but keys.h and keys.c spells a key: no "sg:..." string in C, no 'sg:...' in Lua. */
static void test_sources(void)
{
    DIR *d = opendir("backend/store");
    struct dirent *e;
    size_t seen = 0;
    ASSERT(d != NULL);
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        bool c = n > 2 && (strcmp(e->d_name + n - 2, ".c") == 0 || strcmp(e->d_name + n - 2, ".h") == 0);
        bool lua = n > 4 && strcmp(e->d_name + n - 4, ".lua") == 0;
        if ((!c && !lua) || strncmp(e->d_name, "keys.", 5) == 0)
            continue;
        char path[512];
        snprintf(path, sizeof(path), "backend/store/%s", e->d_name);
        char *text = read_all(path);
        if (c && (strstr(text, "\"sg:") != NULL || strstr(text, "'sg:") != NULL))
            SG_FAIL("%s spells a key name: use keys.h", path);
        if (lua && lua_names_keys(text))
            SG_FAIL("%s spells a key name ('sg:') outside its comments", path);
        free(text);
        ++seen;
    }
    closedir(d);
    ASSERT(seen > 30);
}

int main(void)
{
    ASSERT_EQ(sg__keys_init(&ks, "45"), 0);
    RUN(test_slot_function);
    RUN(test_init);
    RUN(test_formats);
    RUN(test_longest_arguments_fit);
    RUN(test_input_cannot_leave_the_slot);
    RUN(test_from_old);
    RUN(test_scripts);
    RUN(test_sources);
    TEST_DONE();
}
