/* SPDX-License-Identifier: MIT */
/* Counters as C11 atomics (relaxed: they are statistics), one slot per route and status
 * class of interest. The access log is buffered per thread and written with one write()
 * when the buffer fills or a short timer fires, so a busy loop does not pay a system call
 * per request and lines of two threads never interleave. */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <sodium.h>
#include "domain/text.h"
#include "http/core/metrics.h"
#include "http/core/reply.h"
#include "http/core/request.h"
#include "http/core/routes.h"
#include "service/offload.h"
#include "service/pwhash.h"
#include "store/store.h"

#define ROUTES_MAX 48
#define LOG_BUF 16384
#define LOG_FLUSH_MS 200

static const int statuses[] = {200, 201, 204, 206, 301, 302, 304, 400, 401, 403, 404,
                               405, 409, 413, 415, 422, 423, 429, 500, 503, 504, 0 /* other */};
#define NSTATUS (sizeof(statuses) / sizeof(statuses[0]))
static const double buckets[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
#define NBUCKET (sizeof(buckets) / sizeof(buckets[0]))

struct route {
    const char *name;
    atomic_ulong by_status[NSTATUS];
    atomic_ulong le[NBUCKET + 1]; /* the last: +Inf */
    atomic_ullong micros;         /* sum of durations */
};

static struct route routes[ROUTES_MAX];
static atomic_uint nroutes;
static atomic_ulong signups;
static atomic_long streams;
static struct sg_metrics_config config = {.access_log = true};

struct logger {
    h2o_logger_t super;
    struct route *route;
};

/* The calling thread's access log buffer and its flush timer. */
static _Thread_local struct {
    char buf[LOG_BUF];
    size_t len;
    h2o_loop_t *loop;
    h2o_timeout_t timeout;
    h2o_timeout_entry_t entry;
} log_buf;

void sg_metrics_configure(const struct sg_metrics_config *c)
{
    config = *c;
}

void sg_metrics_flush(void)
{
    size_t off = 0;
    while (off < log_buf.len) {
        ssize_t n = write(2, log_buf.buf + off, log_buf.len - off);
        if (n <= 0)
            break; /* stderr gone: the lines are lost, the server goes on */
        off += (size_t)n;
    }
    log_buf.len = 0;
    if (log_buf.loop != NULL && h2o_timeout_is_linked(&log_buf.entry))
        h2o_timeout_unlink(&log_buf.entry);
}

static void on_flush_timer(h2o_timeout_entry_t *entry)
{
    sg_metrics_flush();
}

/* The time of the line, "YYYY-MM-DDTHH:MM:SSZ", made once a second per thread. */
static const char *log_time(time_t now)
{
    static _Thread_local time_t at_sec = -1;
    static _Thread_local char at[32];
    if (now != at_sec) {
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm);
        at_sec = now;
    }
    return at;
}

static char *put_text(char *p, const char *s, size_t n)
{
    memcpy(p, s, n);
    return p + n;
}

/* One access line, by hand (no printf: every request writes one):
 * songgong: {time} access {address} "{method} {path}" {status} {bytes} {ms, one decimal}ms */
static void log_line(h2o_req_t *req, int status, double seconds)
{
    char line[512], addr[48], *p = line;
    size_t plen = req->query_at != SIZE_MAX ? req->query_at : req->path.len;
    size_t mlen = req->method.len < 16 ? req->method.len : 16;
    uint64_t tenths = (uint64_t)(seconds * 1e4 + 0.5); /* of a millisecond */
    sg_peer_address(req, addr);
    p = put_text(p, "songgong: ", 10);
    p = put_text(p, log_time(req->processed_at.at.tv_sec), 20);
    p = put_text(p, " access ", 8);
    p = put_text(p, addr, strlen(addr));
    p = put_text(p, " \"", 2);
    p = put_text(p, req->method.base, mlen);
    *p++ = ' ';
    p = put_text(p, req->path.base, plen < 200 ? plen : 200);
    p = put_text(p, "\" ", 2);
    p += sg_put_u64(p, (uint64_t)(status < 0 ? 0 : status));
    *p++ = ' ';
    p += sg_put_u64(p, (uint64_t)req->bytes_sent);
    *p++ = ' ';
    p += sg_put_u64(p, tenths / 10);
    *p++ = '.';
    *p++ = (char)('0' + tenths % 10);
    p = put_text(p, "ms\n", 3);
    size_t len = (size_t)(p - line); /* at most 10 + 20 + 8 + 47 + 2 + 16 + 1 + 200 + 2 + 20 * 3 + 6 */
    if (log_buf.len + len > sizeof(log_buf.buf))
        sg_metrics_flush();
    memcpy(log_buf.buf + log_buf.len, line, len);
    log_buf.len += len;
    h2o_loop_t *loop = req->conn->ctx->loop;
    if (log_buf.loop == NULL) {
        log_buf.loop = loop;
        h2o_timeout_init(loop, &log_buf.timeout, LOG_FLUSH_MS);
        log_buf.entry.cb = on_flush_timer;
    }
    if (!h2o_timeout_is_linked(&log_buf.entry))
        h2o_timeout_link(loop, &log_buf.timeout, &log_buf.entry);
}

static void on_access(h2o_logger_t *self, h2o_req_t *req)
{
    struct route *r = ((struct logger *)self)->route;
    struct timeval now;
    gettimeofday(&now, NULL);
    double s = (double)(now.tv_sec - req->timestamps.request_begin_at.tv_sec) +
               (double)(now.tv_usec - req->timestamps.request_begin_at.tv_usec) / 1e6;
    if (s < 0)
        s = 0;
    int status = req->res.status;
    size_t k = 0;
    while (statuses[k] != 0 && statuses[k] != status)
        ++k;
    atomic_fetch_add_explicit(&r->by_status[k], 1, memory_order_relaxed);
    size_t b = 0;
    while (b != NBUCKET && s > buckets[b])
        ++b;
    atomic_fetch_add_explicit(&r->le[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&r->micros, (unsigned long long)(s * 1e6), memory_order_relaxed);
    if (config.access_log)
        log_line(req, status, s);
}

void sg_metrics_route(h2o_pathconf_t *pathconf, const char *route)
{
    struct route *r = NULL;
    unsigned n = atomic_load(&nroutes);
    for (unsigned i = 0; i != n && r == NULL; ++i)
        if (strcmp(routes[i].name, route) == 0)
            r = &routes[i]; /* every thread registers the same routes: one set of counters */
    if (r == NULL) {
        if (n == ROUTES_MAX)
            abort(); /* a programming error: raise ROUTES_MAX */
        r = &routes[n];
        r->name = route;
        atomic_store(&nroutes, n + 1);
    }
    struct logger *l = (struct logger *)h2o_create_logger(pathconf, sizeof(*l));
    l->super.log_access = on_access;
    l->route = r;
}

void sg_metrics_signup(void)
{
    atomic_fetch_add_explicit(&signups, 1, memory_order_relaxed);
}

void sg_metrics_streams(int delta)
{
    atomic_fetch_add_explicit(&streams, delta, memory_order_relaxed);
}

struct text {
    char *buf;
    size_t len, cap;
    h2o_mem_pool_t *pool;
};

static void put(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct text *t, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
        va_end(ap);
        if (n >= 0 && (size_t)n < t->cap - t->len) {
            t->len += (size_t)n;
            return;
        }
        size_t cap = t->cap * 2 + (size_t)(n > 0 ? n : 0);
        char *grown = h2o_mem_alloc_pool(t->pool, cap);
        memcpy(grown, t->buf, t->len);
        t->buf = grown, t->cap = cap;
    }
}

static long rss_bytes(void)
{
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f == NULL)
        return 0;
    if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
        resident = 0;
    fclose(f);
    return resident * sysconf(_SC_PAGESIZE);
}

static void put_routes(struct text *t)
{
    unsigned n = atomic_load(&nroutes);
    put(t, "# HELP songgong_requests_total Requests answered, by route (path prefix) and status.\n"
           "# TYPE songgong_requests_total counter\n");
    for (unsigned i = 0; i != n; ++i)
        for (size_t k = 0; k != NSTATUS; ++k) {
            unsigned long v = atomic_load_explicit(&routes[i].by_status[k], memory_order_relaxed);
            if (v != 0 && statuses[k] != 0)
                put(t, "songgong_requests_total{route=\"%s\",status=\"%d\"} %lu\n", routes[i].name, statuses[k], v);
            else if (v != 0)
                put(t, "songgong_requests_total{route=\"%s\",status=\"other\"} %lu\n", routes[i].name, v);
        }
    put(t, "# HELP songgong_request_duration_seconds Time from the request's start to its end.\n"
           "# TYPE songgong_request_duration_seconds histogram\n");
    for (unsigned i = 0; i != n; ++i) {
        unsigned long cum = 0;
        for (size_t b = 0; b <= NBUCKET; ++b) {
            cum += atomic_load_explicit(&routes[i].le[b], memory_order_relaxed);
            if (b < NBUCKET)
                put(t, "songgong_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %lu\n", routes[i].name,
                    buckets[b], cum);
            else
                put(t, "songgong_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %lu\n", routes[i].name, cum);
        }
        put(t, "songgong_request_duration_seconds_sum{route=\"%s\"} %.6f\n", routes[i].name,
            (double)atomic_load_explicit(&routes[i].micros, memory_order_relaxed) / 1e6);
        put(t, "songgong_request_duration_seconds_count{route=\"%s\"} %lu\n", routes[i].name, cum);
    }
}

static void put_gauges(struct text *t)
{
    struct sg_store_counters rc;
    sg_store_counters(&rc);
    put(t,
        "# HELP songgong_signups_total Sign-ups stored (workers' and staff entries).\n"
        "# TYPE songgong_signups_total counter\nsonggong_signups_total %lu\n",
        atomic_load(&signups));
    put(t,
        "# HELP songgong_redis_errors_total Redis commands answered with an error, a timeout or a lost connection.\n"
        "# TYPE songgong_redis_errors_total counter\nsonggong_redis_errors_total %llu\n",
        rc.errors);
    put(t,
        "# HELP songgong_redis_reconnects_total Connections to Redis made again after one was lost.\n"
        "# TYPE songgong_redis_reconnects_total counter\nsonggong_redis_reconnects_total %llu\n",
        rc.reconnects);
    put(t,
        "# HELP songgong_signup_calls_total Calls that took sign-ups to Redis (each the sign-ups of one event-loop "
        "turn).\n"
        "# TYPE songgong_signup_calls_total counter\nsonggong_signup_calls_total %llu\n"
        "# HELP songgong_signup_attempts_total Sign-up attempts those calls carried (stored, refused or retried).\n"
        "# TYPE songgong_signup_attempts_total counter\nsonggong_signup_attempts_total %llu\n",
        rc.signup_calls, rc.signups_sent);
    put(t,
        "# HELP songgong_worker_queue Jobs waiting or running on a worker thread.\n"
        "# TYPE songgong_worker_queue gauge\n"
        "songgong_worker_queue{worker=\"offload\"} %zu\nsonggong_worker_queue{worker=\"pwhash\"} %zu\n",
        sg_offload_queued(), sg_pwhash_queued());
    put(t,
        "# HELP songgong_streams Live dashboard streams open.\n# TYPE songgong_streams gauge\nsonggong_streams %ld\n",
        atomic_load(&streams));
    put(t,
        "# HELP songgong_resident_memory_bytes Resident set size.\n"
        "# TYPE songgong_resident_memory_bytes gauge\nsonggong_resident_memory_bytes %ld\n",
        rss_bytes());
}

/* Loopback without forwarding headers (not a request nginx passed on), or the token. */
static bool allowed(h2o_req_t *req)
{
    char addr[48];
    sg_peer_address(req, addr);
    bool local = (strcmp(addr, "127.0.0.1") == 0 || strcmp(addr, "::1") == 0) &&
                 h2o_find_header_by_str(&req->headers, H2O_STRLIT("x-real-ip"), -1) == -1 &&
                 h2o_find_header_by_str(&req->headers, H2O_STRLIT("x-forwarded-for"), -1) == -1;
    if (local)
        return true;
    ssize_t i = h2o_find_header(&req->headers, H2O_TOKEN_AUTHORIZATION, -1);
    if (i == -1 || config.token == NULL || config.token[0] == '\0')
        return false;
    h2o_iovec_t v = req->headers.entries[i].value;
    size_t n = strlen(config.token);
    return v.len == 7 + n && memcmp(v.base, "Bearer ", 7) == 0 && sodium_memcmp(v.base + 7, config.token, n) == 0;
}

int sg_on_metrics(h2o_handler_t *self, h2o_req_t *req)
{
    if (!sg_method_is(req, "GET"))
        return sg_reply_method_not_allowed(req, "GET");
    if (!allowed(req)) {
        sg_reply_error(req, 403, "forbidden", NULL);
        return 0;
    }
    struct text t = {.cap = 8192, .pool = &req->pool};
    t.buf = h2o_mem_alloc_pool(&req->pool, t.cap);
    put_routes(&t);
    put_gauges(&t);
    req->res.status = 200;
    req->res.reason = "OK";
    req->res.content_length = t.len;
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL,
                   H2O_STRLIT("text/plain; version=0.0.4; charset=utf-8"));
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL, H2O_STRLIT("no-store"));
    h2o_send_inline(req, t.buf, t.len);
    return 0;
}
