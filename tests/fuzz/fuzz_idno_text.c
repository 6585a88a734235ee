/* SPDX-License-Identifier: MIT */
/* Fuzz target: the validators of what people type, on the same bytes: ID numbers
 * (sg_idno_validate), names (sg_name_normalize, with the buffer sizes the code uses and a
 * small one), free text (sg_text_normalize with every limit and buffer the fields use),
 * phone numbers, confirmation codes and dates. Invariants: a valid ID's check character
 * recomputes, its birth date is real and not after today, and a wrong check character
 * put right makes it valid; every normalized value is valid UTF-8 without control
 * characters, within its limit, and normalizes to itself. */
#include <string.h>
#include "domain/code.h"
#include "domain/idno.h"
#include "domain/text.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    sg_fuzz_data();
    return 0;
}

static void check_idno(const char *s, struct sg_date today)
{
    struct sg_idno id, again;
    int r = sg_idno_validate(s, today, &id);
    SG_FUZZ_CHECK(r <= 0 && r >= -SG_IDNO_CHECK);
    if (r == -SG_IDNO_CHECK) { /* only the check character is wrong: the right one makes it valid */
        char fixed[19];
        memcpy(fixed, id.number, sizeof(fixed));
        fixed[17] = sg_idno_check_char(fixed);
        SG_FUZZ_CHECK(sg_idno_validate(fixed, today, &again) == 0);
    }
    if (r != 0)
        return;
    SG_FUZZ_CHECK(strlen(id.number) == 18 && strspn(id.number, "0123456789") >= 17);
    SG_FUZZ_CHECK(sg_idno_check_char(id.number) == id.number[17]);
    SG_FUZZ_CHECK(sg_date_valid(id.birth) && sg_date_cmp(id.birth, today) <= 0 && sg_idno_age(&id, today) >= 0);
    SG_FUZZ_CHECK(strlen(id.region) == 6 && memcmp(id.region, id.number, 6) == 0);
    SG_FUZZ_CHECK(id.sex == ((id.number[16] - '0') % 2 == 1 ? 1 : 2));
    SG_FUZZ_CHECK(sg_idno_validate(id.number, today, &again) == 0 && sg_fuzz_idno_same(&id, &again));
    char changed[19];
    memcpy(changed, id.number, sizeof(changed));
    changed[17] = changed[17] == '0' ? '1' : '0';
    SG_FUZZ_CHECK(sg_idno_validate(changed, today, &again) == -SG_IDNO_CHECK);
}

static int is_space_at(const char *s)
{
    return s[0] == ' ' || memcmp(s, "\xC2\xA0", 2) == 0 || memcmp(s, "\xE3\x80\x80", 3) == 0;
}

static int ends_with_space(const char *s, size_t len)
{
    return (len >= 1 && s[len - 1] == ' ') || (len >= 2 && memcmp(s + len - 2, "\xC2\xA0", 2) == 0) ||
           (len >= 3 && memcmp(s + len - 3, "\xE3\x80\x80", 3) == 0);
}

static void check_name(const char *s)
{
    char out[128], again[128], small[16];
    int r = sg_name_normalize(s, out, sizeof(out));
    int rs = sg_name_normalize(s, small, sizeof(small));
    SG_FUZZ_CHECK(r <= 0 && r >= -SG_TEXT_LONG && strlen(small) < sizeof(small));
    if (rs == 0) /* what fits a small buffer fits a large one, the same */
        SG_FUZZ_CHECK(r == 0 && strcmp(small, out) == 0);
    if (r != 0)
        return;
    size_t len = strlen(out), chars = sg_utf8_count(out, len);
    SG_FUZZ_CHECK(sg_fuzz_clean_utf8(out) && chars >= 2 && chars <= 30);
    SG_FUZZ_CHECK(!is_space_at(out) && !ends_with_space(out, len) && strstr(out, "  ") == NULL);
    SG_FUZZ_CHECK(sg_name_normalize(out, again, sizeof(again)) == 0 && strcmp(again, out) == 0);
}

static void check_text(const char *s, size_t max_chars, size_t outsz)
{
    char out[2001], again[2001];
    int r = sg_text_normalize(s, max_chars, out, outsz);
    SG_FUZZ_CHECK(r <= 0 && strlen(out) < outsz);
    if (r != 0)
        return;
    size_t len = strlen(out);
    SG_FUZZ_CHECK(sg_fuzz_clean_utf8(out) && sg_utf8_count(out, len) <= max_chars);
    SG_FUZZ_CHECK(len == 0 || (!is_space_at(out) && !ends_with_space(out, len)));
    SG_FUZZ_CHECK(strstr(out, "\xE2\x80\xA8") == NULL && strstr(out, "\xE2\x80\xAE") == NULL);
    SG_FUZZ_CHECK(sg_text_normalize(out, max_chars, again, outsz) == 0 && strcmp(again, out) == 0);
}

static void check_small(const char *s)
{
    char phone[12], again[12], code[SG_CODE_LEN + 1], code2[SG_CODE_LEN + 1], date[11];
    if (sg_phone_normalize(s, phone) == 0) {
        SG_FUZZ_CHECK(strlen(phone) == 11 && strspn(phone, "0123456789") == 11 && phone[0] == '1');
        SG_FUZZ_CHECK(phone[1] >= '3' && sg_phone_normalize(phone, again) == 0 && strcmp(again, phone) == 0);
    }
    if (sg_code_normalize(s, code) == 0) {
        SG_FUZZ_CHECK(strlen(code) == SG_CODE_LEN && strspn(code, sg_code_alphabet) == SG_CODE_LEN);
        SG_FUZZ_CHECK(sg_code_normalize(code, code2) == 0 && strcmp(code, code2) == 0);
    }
    struct sg_date d;
    if (sg_date_parse(s, &d) == 0) {
        sg_date_format(d, date);
        SG_FUZZ_CHECK(sg_date_valid(d) && strcmp(date, s) == 0);
        struct sg_date back = sg_date_from_days(sg_date_days(d));
        SG_FUZZ_CHECK(sg_date_cmp(back, d) == 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0; /* the JSON gates keep fields far smaller */
    const struct sg_fuzz_data *d = sg_fuzz_data();
    char *s = sg_fuzz_cstr(data, size);
    check_idno(s, d->today);
    check_name(s);
    check_text(s, 60, 256);   /* a sign-up's employer */
    check_text(s, 60, 241);   /* plan text, a funding source */
    check_text(s, 40, 161);   /* a stop's name */
    check_text(s, 500, 2001); /* a plan's notes */
    check_text(s, 32, 33);    /* a vehicle's number */
    check_small(s);
    free(s);
    return 0;
}
