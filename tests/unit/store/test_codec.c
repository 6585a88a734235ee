/* SPDX-License-Identifier: MIT */
/* store/codec.c: a registration written as the hash's "data" JSON and read back is the
 * same registration; the JSON holds no plain ID or phone number; a read without
 * decryption gives the masked numbers only; anything malformed is SG_EIO. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "domain/err.h"
#include "domain/idno.h"
#include "store/codec.h"
#include "test.h"

static char dir[] = "/tmp/sg-codec-XXXXXX";
static char keyfile[64];
static struct sg_crypto *crypto;

static void person(struct sg_person *p, const char *name, const char *id, const char *phone, enum sg_poverty pov)
{
    memset(p, 0, sizeof(*p));
    snprintf(p->name, sizeof(p->name), "%s", name);
    if (sg_idno_validate(id, (struct sg_date){2027, 1, 10}, &p->id) != 0)
        SG_FAIL("test ID %s is not valid", id);
    snprintf(p->phone, sizeof(p->phone), "%s", phone);
    p->poverty = pov;
}

/* Three people: a quote and a backslash in free text, an X check character, a companion
 * without a phone, an unknown region, every poverty value, one of them 低收入. */
static void sample(struct sg_registration *r)
{
    memset(r, 0, sizeof(*r));
    snprintf(r->village, sizeof(r->village), "450102001001");
    person(&r->people[0], "韦小宝", "450102199001011231", "13812345678", SG_POVERTY_NONE);
    person(&r->people[1], "黄秀英·阿依", "45010219850202102X", "", SG_POVERTY_ALLEVIATED);
    person(&r->people[2], "李志强", "990102197003030010", "15900001111", SG_POVERTY_MONITORED);
    r->people[2].region_unknown = true;
    r->people[1].low_income = true;
    r->npeople = 3;
    snprintf(r->dest_city, sizeof(r->dest_city), "4419");
    snprintf(r->employer, sizeof(r->employer), "东莞市\"某\"电子\\有限公司");
    r->job_confirmed = true;
    r->depart_date = (struct sg_date){2027, 2, 3};
    r->flex_days = 2;
    r->mode = SG_MODE_TRAIN;
}

static void same_person(const struct sg_person *a, const struct sg_person *b, bool numbers)
{
    ASSERT_STREQ(a->name, b->name);
    ASSERT_EQ(a->id.sex, b->id.sex);
    if (numbers) { /* the whole birth date comes from the opened number */
        ASSERT_EQ(sg_date_cmp(a->id.birth, b->id.birth), 0);
    } else { /* only the year is kept in plain (with the masked number, a date gives it back) */
        ASSERT_EQ(b->id.birth.y, a->id.birth.y);
        ASSERT(b->id.birth.m == 1 && b->id.birth.d == 1);
    }
    ASSERT_STREQ(a->id.region, b->id.region);
    ASSERT_EQ(a->poverty, b->poverty);
    ASSERT_EQ(a->region_unknown, b->region_unknown);
    ASSERT_EQ(a->low_income, b->low_income);
    if (numbers) {
        ASSERT_STREQ(a->id.number, b->id.number);
        ASSERT_STREQ(a->phone, b->phone);
    } else {
        ASSERT_STREQ(b->id.number, "");
        ASSERT_STREQ(b->phone, "");
    }
}

static void test_roundtrip(void)
{
    struct sg_registration r;
    static struct sg__sealed sealed;
    static char data[SG__DATA_MAX];
    static struct sg_stored_registration out;
    sample(&r);
    sg__seal(crypto, &r, &sealed);
    size_t len = sg__data_encode(&r, &sealed, "staff-1", data);
    ASSERT_EQ(len, strlen(data));
    ASSERT(strstr(data, "\"birth\"") == NULL);
    ASSERT(strstr(data, "\"by\":1990") != NULL);
    for (size_t i = 0; i != r.npeople; ++i) { /* nothing personal in plain text */
        ASSERT(strstr(data, r.people[i].id.number) == NULL);
        char ymd[9];
        snprintf(ymd, sizeof(ymd), "%.8s", r.people[i].id.number + 6);
        ASSERT(strstr(data, ymd) == NULL);
        ASSERT(r.people[i].phone[0] == '\0' || strstr(data, r.people[i].phone) == NULL);
    }
    for (int decrypt = 1; decrypt >= 0; --decrypt) {
        memset(&out, 0, sizeof(out));
        ASSERT_EQ(sg__data_decode(crypto, data, len, decrypt, &out), 0);
        ASSERT_EQ(out.decrypted, decrypt);
        ASSERT_EQ(out.reg.npeople, 3);
        ASSERT_STREQ(out.reg.dest_city, "4419");
        ASSERT_STREQ(out.reg.employer, r.employer);
        ASSERT_EQ(out.reg.job_confirmed, true);
        ASSERT_EQ(sg_date_cmp(out.reg.depart_date, r.depart_date), 0);
        ASSERT_EQ(out.reg.flex_days, 2);
        ASSERT_EQ(out.reg.mode, SG_MODE_TRAIN);
        ASSERT_STREQ(out.entered_by, "staff-1");
        for (size_t i = 0; i != 3; ++i)
            same_person(&r.people[i], &out.reg.people[i], decrypt);
        ASSERT_STREQ(out.id_masked[0], "450102********1231");
        ASSERT_STREQ(out.id_masked[1], "450102********102X");
        ASSERT_STREQ(out.phone_masked[0], "138****5678");
        ASSERT_STREQ(out.phone_masked[1], "");
        ASSERT_STREQ(out.phone_masked[2], "159****1111");
    }
}

/* The same numbers sealed twice differ (fresh nonces); their keyed hashes do not. */
static void test_sealing_is_randomized_hash_is_not(void)
{
    struct sg_registration r;
    static struct sg__sealed a, b;
    sample(&r);
    sg__seal(crypto, &r, &a);
    sg__seal(crypto, &r, &b);
    ASSERT(strcmp(a.id[0], b.id[0]) != 0);
    ASSERT(strcmp(a.phone[0], b.phone[0]) != 0);
    ASSERT_STREQ(a.hashes[0], b.hashes[0]);
    ASSERT(strcmp(a.hashes[0], a.hashes[1]) != 0);
    ASSERT_STREQ(a.phone[1], ""); /* no phone: nothing sealed */
}

static void test_malformed(void)
{
    static const char *const bad[] = {
        "",
        "not json",
        "[]",
        "{\"dest_city\":\"4419\"}",
        "{\"dest_city\":\"4419\",\"employer\":\"\",\"job_confirmed\":true,\"depart_date\":\"2027-02-30\","
        "\"flex_days\":1,\"mode\":\"any\",\"entered_by\":\"\",\"people\":[]}",
        "{\"dest_city\":\"4419\",\"employer\":\"\",\"job_confirmed\":true,\"depart_date\":\"2027-02-03\","
        "\"flex_days\":1,\"mode\":\"boat\",\"entered_by\":\"\",\"people\":[]}",
    };
    static struct sg_stored_registration out;
    for (size_t i = 0; i != sizeof(bad) / sizeof(bad[0]); ++i)
        ASSERT_EQ(sg__data_decode(crypto, bad[i], strlen(bad[i]), true, &out), SG_EIO);
    /* a sealed number that does not open (another key, or tampered) */
    struct sg_registration r;
    static struct sg__sealed sealed;
    static char data[SG__DATA_MAX];
    sample(&r);
    sg__seal(crypto, &r, &sealed);
    sealed.id[0][10] = sealed.id[0][10] == 'A' ? 'B' : 'A';
    size_t len = sg__data_encode(&r, &sealed, "", data);
    ASSERT_EQ(sg__data_decode(crypto, data, len, true, &out), SG_EIO);
}

int main(void)
{
    const char *err = NULL;
    if (mkdtemp(dir) == NULL)
        SG_FAIL("mkdtemp");
    snprintf(keyfile, sizeof(keyfile), "%s/key", dir);
    ASSERT_EQ(sg_crypto_keygen(keyfile), 0);
    if ((crypto = sg_crypto_load(keyfile, &err)) == NULL)
        SG_FAIL("key: %s", err);
    RUN(test_roundtrip);
    RUN(test_sealing_is_randomized_hash_is_not);
    RUN(test_malformed);
    sg_crypto_free(crypto);
    unlink(keyfile);
    rmdir(dir);
    TEST_DONE();
}
