/* SPDX-License-Identifier: MIT */
/* Fuzz target: a request target ("/api/...?query") as the routes read it. h2o's own
 * normalization first (as the server gets req->path_normalized), then every path splitter
 * whose prefix matches (registrations {code}[/action], vehicles {id}[/sub], check-in
 * token, report filings, job and employer ids, the division codes of divisions, pages,
 * QR codes, posters and returns) and the query parameters every handler reads, through sg_query_param itself
 * (a request with only its path, query and pool set) and the checks the handlers apply:
 * numbers, dates, scopes, list filters, the worker's phone4 proof, check-in tokens. Also
 * sg_query_find and sg_percent_decode on the raw query. Invariants: what a splitter gives
 * lies inside the path and obeys its shape (8 code characters, 1-15 digits...), a found
 * division has exactly the code asked, a parsed number is in range and is the text's
 * value, a decoded value is never longer than its text, a token opens to its own code. */
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <h2o.h>
#include "domain/code.h"
#include "domain/err.h"
#include "domain/category.h"
#include "domain/filter.h"
#include "http/core/request.h"
#include "http/jobs/jobs.h"
#include "http/registrations/registrations.h"
#include "http/report/report.h"
#include "http/staff/staff.h"
#include "http/transport/transport.h"
#include "store/store.h"
#include "store/transport.h"
#include "fuzz.h"

static struct sg_store *store; /* never connected: only its key is used (check-in tokens) */
static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static const char key[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n";
    char path[] = "/tmp/sg-fuzz-key-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0 || write(fd, key, sizeof(key) - 1) != (ssize_t)(sizeof(key) - 1) || close(fd) != 0)
        abort();
    struct sg_store_config cfg = {.redis_address = "/nonexistent/sg-fuzz.sock", .key_file = path, .province = "45"};
    const char *err = NULL;
    store = sg_store_new(h2o_evloop_create(), &cfg, &err);
    unlink(path);
    if (store == NULL) {
        fprintf(stderr, "fuzz: no store: %s\n", err);
        exit(2);
    }
    devnull = fopen("/dev/null", "w");
    sg_fuzz_data();
    return 0;
}

static bool starts(h2o_iovec_t path, const char *prefix, h2o_iovec_t *rest)
{
    size_t n = strlen(prefix);
    if (path.len < n || memcmp(path.base, prefix, n) != 0)
        return false;
    *rest = h2o_iovec_init(path.base + n, path.len - n);
    return true;
}

static bool inside(const char *p, size_t len, h2o_iovec_t in)
{
    return len == 0 || (p >= in.base && p + len <= in.base + in.len);
}

static void check_code(const char *code)
{
    SG_FUZZ_CHECK(strlen(code) == SG_CODE_LEN && strspn(code, sg_code_alphabet) == SG_CODE_LEN);
}

/* A division named by the bytes of a path: found only when its code is exactly them. */
static void check_division(const struct sg_divisions *ds, h2o_iovec_t name)
{
    const struct sg_division *d = sg_divisions_find(ds, name.base, name.len);
    if (d != NULL)
        SG_FUZZ_CHECK(d->len == name.len && memcmp(d->code, name.base, name.len) == 0 && strlen(d->code) == d->len);
}

static void check_token(const char *token)
{
    char code[SG_CODE_LEN + 1], again[SG_CHECKIN_TOKEN_LEN + 1];
    if (!sg_store_checkin_token_open(store, token, code))
        return;
    check_code(code);
    sg_store_checkin_token(store, code, again);
    SG_FUZZ_CHECK(strcmp(again, token) == 0);
}

static void registrations_path(h2o_iovec_t rest, const char *phone4)
{
    char code[SG_CODE_LEN + 1];
    h2o_iovec_t action;
    if (sg_registration_path_split(rest.base, rest.len, code, &action) == 0) {
        char token[SG_CHECKIN_TOKEN_LEN + 1], opened[SG_CODE_LEN + 1];
        check_code(code);
        sg_store_checkin_token(store, code, token); /* the worker's QR code opens to the code */
        SG_FUZZ_CHECK(sg_store_checkin_token_open(store, token, opened) && strcmp(opened, code) == 0);
        check_token(token);
        SG_FUZZ_CHECK(inside(action.base, action.len, rest));
        SG_FUZZ_CHECK(action.len == 0 || action.base[-1] == '/');
    }
    if (sg__registration_code(rest.base, rest.len, phone4, code) == 0) {
        check_code(code);
        SG_FUZZ_CHECK(strlen(phone4) == 4 && strspn(phone4, "0123456789") == 4);
    }
}

static void vehicles_path(h2o_iovec_t rest)
{
    char id[SG_VEHICLE_ID_MAX + 1], code[SG_CODE_LEN + 1], typed[SG_CODE_LEN + 1];
    h2o_iovec_t sub, passenger;
    if (sg_vehicle_path_parse(rest, id, &sub) != 0)
        return;
    SG_FUZZ_CHECK(strlen(id) >= 1 && strlen(id) <= SG_VEHICLE_ID_MAX && strspn(id, "0123456789") == strlen(id));
    SG_FUZZ_CHECK(inside(sub.base, sub.len, rest) && strlen(id) + sub.len == rest.len);
    if (starts(sub, "/passengers/", &passenger) && passenger.len == SG_CODE_LEN) { /* as passengers.c */
        memcpy(typed, passenger.base, SG_CODE_LEN);
        typed[SG_CODE_LEN] = '\0';
        if (sg_code_normalize(typed, code) == 0)
            check_code(code);
    }
}

static void other_paths(h2o_iovec_t path, const struct sg_fuzz_data *d)
{
    static const char *const by_code[] = {"/api/divisions/", "/s/", "/api/returns/"};
    char token[SG_CHECKIN_TOKEN_LEN + 1], id[16];
    h2o_iovec_t rest;
    bool xlsx;
    int r = sg_checkin_path_parse(path, token);
    SG_FUZZ_CHECK(r >= -1 && r <= 1 && (r == 0 ? strlen(token) <= SG_CHECKIN_TOKEN_LEN : token[0] == '\0'));
    if (r == 0)
        check_token(token);
    if (starts(path, "/api/report/filings/", &rest) && sg_report_filing_path_parse(rest.base, rest.len, id, &xlsx) == 0)
        SG_FUZZ_CHECK(strlen(id) >= 1 && strlen(id) <= 15 && strlen(id) + (xlsx ? 5 : 0) == rest.len);
    if (starts(path, "/api/jobs/", &rest) && sg__digits(rest.base, rest.len, SG_JOB_ID_MAX))
        SG_FUZZ_CHECK(rest.len >= 1 && rest.len <= SG_JOB_ID_MAX && memchr(rest.base, '/', rest.len) == NULL);
    if (starts(path, "/api/employers/", &rest) && sg__digits(rest.base, rest.len, SG_EMPLOYER_ID_MAX))
        SG_FUZZ_CHECK(rest.len >= 1 && rest.len <= SG_EMPLOYER_ID_MAX && memchr(rest.base, '/', rest.len) == NULL);
    for (size_t i = 0; i != sizeof(by_code) / sizeof(by_code[0]); ++i)
        if (starts(path, by_code[i], &rest))
            check_division(d->divisions, rest);
    /* /qr/{village}.png|.svg, /qr/checkin/{token}.svg, /api/posters/{village}.png|.pdf */
    if ((starts(path, "/qr/", &rest) || starts(path, "/api/posters/", &rest)) && rest.len > 4) {
        check_division(d->divisions, h2o_iovec_init(rest.base, rest.len - 4));
        if (rest.len == 8 + SG_CHECKIN_TOKEN_LEN + 4 && memcmp(rest.base, "checkin/", 8) == 0) {
            memcpy(token, rest.base + 8, SG_CHECKIN_TOKEN_LEN);
            token[SG_CHECKIN_TOKEN_LEN] = '\0';
            check_token(token);
        }
    }
}

static void check_number(h2o_req_t *req, const char *name, long min, long max)
{
    const char *v = sg_query_param(req, name);
    long n = -12345;
    if (v == NULL || !sg_parse_number(v, min, max, &n))
        return;
    SG_FUZZ_CHECK(n >= min && n <= max && n == strtol(v, NULL, 10));
}

/* The query parameters the handlers read, checked as they check them. */
static void query_params(h2o_req_t *req, const struct sg_fuzz_data *d)
{
    const char *scope = sg_query_param(req, "scope"), *until = sg_query_param(req, "until");
    const char *bad = NULL;
    size_t begin, end;
    struct sg_filter f;
    struct sg_date date;
    check_number(req, "page", 1, 1000000);
    check_number(req, "per_page", 1, 200);
    check_number(req, "count", 1, 1000);
    check_number(req, "offset", 0, 100000);
    const char *by = sg_query_param(req, "by"), *code = sg_query_param(req, "for");
    char typed[SG_CODE_LEN + 1];
    if (by != NULL) /* GET /api/stats?by= */
        SG_FUZZ_CHECK(sg_category_by_parse(by) >= -1);
    if (code != NULL && sg__registration_code(code, strlen(code), sg_query_param(req, "phone4"), typed) == 0)
        check_code(typed);                                                 /* GET /api/jobs?for=CODE&phone4= */
    if (scope != NULL && scope[0] != '\0' && sg_scope_code_valid(scope)) { /* "": the session's */
        SG_FUZZ_CHECK(strlen(scope) <= SG_DIVISION_CODE_MAX);
        if (sg_divisions_range(d->divisions, scope, &begin, &end) == 0)
            SG_FUZZ_CHECK(begin < end && strcmp(sg_divisions_at(d->divisions, begin)->code, scope) == 0);
    }
    if (until != NULL && sg_date_parse(until, &date) == 0)
        SG_FUZZ_CHECK(sg_date_valid(date));
    if (sg_filter_init(&f, sg_query_param(req, "q"), sg_query_param(req, "status"), sg_query_param(req, "dest_city"),
                       sg_query_param(req, "date"), &bad) == 0) {
        SG_FUZZ_CHECK(bad == NULL && (f.code[0] == '\0' || strlen(f.code) == SG_CODE_LEN));
        SG_FUZZ_CHECK(!f.has_date || sg_date_valid(f.depart_date));
        SG_FUZZ_CHECK(strlen(f.dest_city) == 0 || strlen(f.dest_city) == 4);
    } else {
        SG_FUZZ_CHECK(bad != NULL);
    }
}

/* sg_query_find and sg_percent_decode on the raw query, for a few names. */
static void raw_query(const char *q, size_t len)
{
    static const char *const names[] = {"scope", "phone4", "q", "a"};
    for (size_t i = 0; i != sizeof(names) / sizeof(names[0]); ++i) {
        size_t vlen = SIZE_MAX, nlen = strlen(names[i]);
        const char *v = sg_query_find(q, len, names[i], &vlen);
        if (v == NULL)
            continue;
        SG_FUZZ_CHECK(v >= q + nlen + 1 && v + vlen <= q + len && memchr(v, '&', vlen) == NULL);
        SG_FUZZ_CHECK(v[-1] == '=' && memcmp(v - nlen - 1, names[i], nlen) == 0);
        SG_FUZZ_CHECK(v - nlen - 1 == q || *(v - nlen - 2) == '&');
        char *out = malloc(vlen + 1);
        size_t n = sg_percent_decode(v, vlen, out);
        SG_FUZZ_CHECK(n <= vlen && strlen(out) == n);
        free(out);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 8192)
        return 0;
    const struct sg_fuzz_data *d = sg_fuzz_data();
    h2o_req_t req;
    memset(&req, 0, sizeof(req));
    h2o_mem_init_pool(&req.pool);
    req.path = h2o_strdup(&req.pool, (const char *)data, size);
    size_t *norm_indexes;
    FILE *saved = stderr;
    stderr = devnull; /* h2o says "failed to normalize path" for paths above the root */
    req.path_normalized = h2o_url_normalize_path(&req.pool, req.path.base, req.path.len, &req.query_at, &norm_indexes);
    stderr = saved;
    SG_FUZZ_CHECK(req.query_at == SIZE_MAX || (req.query_at < size && data[req.query_at] == '?'));
    const char *phone4 = sg_query_param(&req, "phone4");
    h2o_iovec_t path = req.path_normalized, rest;
    if (starts(path, "/api/registrations/", &rest))
        registrations_path(rest, phone4);
    if (starts(path, "/api/vehicles/", &rest))
        vehicles_path(rest);
    other_paths(path, d);
    query_params(&req, d);
    if (req.query_at != SIZE_MAX)
        raw_query(req.path.base + req.query_at + 1, req.path.len - req.query_at - 1);
    h2o_mem_clear_pool(&req.pool);
    return 0;
}
