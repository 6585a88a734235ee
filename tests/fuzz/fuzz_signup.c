/* SPDX-License-Identifier: MIT */
/* Fuzz target: the sign-up body of POST /api/registrations, read as the handler reads it
 * (the JSON gate, sg_registration_input_read, sg_registration_validate against the real
 * division tables), as the worker's form and as the staff's entry. Invariants: a body that
 * passes gives a registration every stored field of which obeys its rule (ID numbers
 * whose check character recomputes, names and text that normalize to themselves, a known
 * village and city, a date in the window, no ID twice, a job sought only without a
 * confirmed one); a body that fails names at least
 * one field, each with a code that has its own Chinese message. */
#include <string.h>
#include "domain/code.h"
#include "domain/text.h"
#include "domain/work.h"
#include "http/core/reply.h"
#include "http/core/request.h"
#include "http/registrations/registrations.h"
#include "fuzz.h"

static const char *fallback_message;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    sg_fuzz_data();
    fallback_message = sg_message("\x01 no such code");
    return 0;
}

static void check_person(const struct sg_person *p, size_t i, bool phone_optional, const struct sg_fuzz_data *d)
{
    char again[128], phone[12];
    struct sg_idno id;
    SG_FUZZ_CHECK(sg_name_normalize(p->name, again, sizeof(again)) == 0 && strcmp(again, p->name) == 0);
    SG_FUZZ_CHECK(sg_fuzz_clean_utf8(p->name));
    SG_FUZZ_CHECK(strlen(p->id.number) == 18);
    SG_FUZZ_CHECK(sg_idno_check_char(p->id.number) == p->id.number[17]);
    SG_FUZZ_CHECK(sg_idno_validate(p->id.number, d->today, &id) == 0 && sg_fuzz_idno_same(&id, &p->id));
    SG_FUZZ_CHECK(sg_date_cmp(p->id.birth, d->today) <= 0 && sg_idno_age(&p->id, d->today) >= 0);
    SG_FUZZ_CHECK(p->region_unknown == (sg_divisions_find(d->regions, p->id.region, 6) == NULL));
    if (p->phone[0] == '\0')
        SG_FUZZ_CHECK(i > 0 || phone_optional);
    else
        SG_FUZZ_CHECK(sg_phone_normalize(p->phone, phone) == 0 && strcmp(phone, p->phone) == 0);
    SG_FUZZ_CHECK(p->poverty <= SG_POVERTY_MONITORED);
}

static void check_valid(const struct sg_registration *r, const struct sg_registration_input *in, bool phone_optional,
                        const struct sg_fuzz_data *d)
{
    char employer[256];
    SG_FUZZ_CHECK(r->npeople >= 1 && r->npeople <= SG_MAX_PEOPLE && r->npeople == in->npeople);
    const struct sg_division *v = sg_divisions_find(d->divisions, r->village, strlen(r->village));
    SG_FUZZ_CHECK(v != NULL && v->level == SG_LEVEL_VILLAGE);
    const struct sg_division *c = sg_divisions_find(d->destinations, r->dest_city, strlen(r->dest_city));
    SG_FUZZ_CHECK(c != NULL && c->level == SG_LEVEL_CITY);
    SG_FUZZ_CHECK(sg_date_valid(r->depart_date) && sg_date_cmp(r->depart_date, d->today) >= 0);
    SG_FUZZ_CHECK(sg_date_cmp(r->depart_date, d->starts) >= 0 && sg_date_cmp(r->depart_date, d->ends) <= 0);
    SG_FUZZ_CHECK(r->flex_days >= 0 && r->flex_days <= 3 && r->mode <= SG_MODE_FLIGHT);
    SG_FUZZ_CHECK(sg_text_normalize(r->employer, SG_EMPLOYER_MAX_CHARS, employer, sizeof(employer)) == 0);
    SG_FUZZ_CHECK(strcmp(employer, r->employer) == 0 && sg_fuzz_clean_utf8(r->employer));
    size_t idlen = strlen(r->employer_id); /* jobs: an employer picked by name, the work wanted */
    SG_FUZZ_CHECK(idlen <= 10 && strspn(r->employer_id, "0123456789") == idlen);
    SG_FUZZ_CHECK(!r->seek_job || !r->job_confirmed);
    SG_FUZZ_CHECK(r->seek_job ? r->work >= -1 && r->work < SG_WORK_KINDS : r->work == -1);
    for (size_t i = 0; i != r->npeople; ++i) {
        check_person(&r->people[i], i, phone_optional, d);
        for (size_t j = 0; j != i; ++j)
            SG_FUZZ_CHECK(strcmp(r->people[i].id.number, r->people[j].id.number) != 0);
    }
    struct sg_counter counters[SG_COUNTERS_MAX];
    size_t n = sg_registration_counters(r, d->today, counters);
    SG_FUZZ_CHECK(n >= 4 && n <= SG_COUNTERS_MAX && counters[0].n == (long)r->npeople);
}

/* As sg_registration_read_or_reply: the JSON type errors, then the rules' errors. */
static void read_as(const cJSON *root, unsigned how, const struct sg_fuzz_data *d)
{
    struct sg_registration_input in = {0};
    struct sg_field_errors errs = {0}, rules = {0};
    struct sg_registration reg;
    struct sg_validate_ctx ctx = {.divisions = d->divisions,
                                  .destinations = d->destinations,
                                  .regions = d->regions,
                                  .today = d->today,
                                  .starts = d->starts,
                                  .ends = d->ends,
                                  .worker_phone_optional = (how & SG_READ_BY_STAFF) != 0};
    sg_registration_input_read(root, &in, &errs);
    if (how & SG_READ_CONSENT_GIVEN)
        in.consent = 1;
    int ret = sg_registration_validate(&in, &ctx, &reg, &rules);
    SG_FUZZ_CHECK((ret == 0) == (rules.n == 0));
    for (size_t i = 0; i != rules.n; ++i)
        sg_field_errors_add(&errs, rules.e[i].field, rules.e[i].code);
    for (size_t i = 0; i != errs.n; ++i) {
        SG_FUZZ_CHECK(errs.e[i].field[0] != '\0' && errs.e[i].code != NULL);
        SG_FUZZ_CHECK(sg_message(errs.e[i].code) != fallback_message);
    }
    if (errs.n == 0) /* what the handler would store */
        check_valid(&reg, &in, (how & SG_READ_BY_STAFF) != 0, d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const struct sg_fuzz_data *d = sg_fuzz_data();
    cJSON *root = NULL;
    const char *code = NULL;
    int status = sg_json_body_parse("application/json", 16, (const char *)data, size, SG_BODY_FORM, &root, &code);
    if (status != 0) {
        SG_FUZZ_CHECK(root == NULL && code != NULL && (status == 400 || status == 413));
        SG_FUZZ_CHECK(sg_message(code) != fallback_message);
        return 0;
    }
    SG_FUZZ_CHECK(cJSON_IsObject(root) && code == NULL);
    read_as(root, 0, d);
    read_as(root, SG_READ_BY_STAFF, d);
    read_as(root, SG_READ_BY_STAFF | SG_READ_CONSENT_GIVEN, d);
    cJSON_Delete(root);
    return 0;
}
