/* SPDX-License-Identifier: MIT */
/* Configuration by environment (SONGGONG_*), flags override. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd/options.h"
#include "store/store.h"

const char sg_options_help[] =
    "  --port N          SONGGONG_PORT        HTTP port (default 8080)\n"
    "  --host ADDR       SONGGONG_HOST        listen address (default 127.0.0.1)\n"
    "  --redis ADDR      SONGGONG_REDIS       Redis: host:port or a unix socket path (default 127.0.0.1:6379)\n"
    "  --public-url URL  SONGGONG_PUBLIC_URL  base URL printed in QR codes (default http://HOST:PORT)\n"
    "  --key-file PATH   SONGGONG_KEY_FILE    key for ID and phone numbers at rest (default var/songgong.key)\n"
    "  --data-dir DIR    SONGGONG_DATA_DIR    divisions, destinations and campaigns (default data)\n"
    "  --site-dir DIR    SONGGONG_SITE_DIR    static pages (default site)\n"
    "  --province CODE   SONGGONG_PROVINCE    province whose divisions are served (default 45)\n"
    "  --today DATE      SONGGONG_TODAY       fixed YYYY-MM-DD as today's date (tests and demos)\n"
    "                    SONGGONG_REDIS_TIMEOUT_MS    per-command Redis timeout (default 2000)\n"
    "                    SONGGONG_REDIS_CONNECTIONS   Redis connections used round robin (default 4, 1-16)\n"
    "                    SONGGONG_SESSION_IDLE        staff sessions end after this many idle seconds (default 1800)\n"
    "  --threads N       SONGGONG_THREADS     event loops of the server, one per thread (default: one per core)\n"
    "                    SONGGONG_ACCESS_LOG          on (default) or off: one line per request on stderr\n"
    "                    SONGGONG_METRICS_TOKEN       bearer token that opens GET /metrics beyond loopback\n"
    "                    SONGGONG_REDIS_SENTINELS     host:port,... of Redis Sentinels (SONGGONG_REDIS is then "
    "unused)\n"
    "                    SONGGONG_REDIS_MASTER        the name the Sentinels know the primary by\n"
    "                    SONGGONG_REDIS_USER          Redis ACL user (default: default)\n"
    "                    SONGGONG_REDIS_PASSWORD_FILE file holding that user's password\n"
    "                    SONGGONG_FOLD_MS             sign-ups reach counters and indexes in the call that stores\n"
    "                                                 them; what another server left, before each read and at least\n"
    "                                                 this often (ms; default 100; 0: this server's too only before\n"
    "                                                 reads and changes, for bulk loads)\n"
    "                    SONGGONG_REDIS_REPLICAS_ACK  acknowledge writes once this many replicas have them (default "
    "0)\n"

    "                    SONGGONG_WECHAT_APPID        WeChat official account (公众号) AppID: the escort's page\n"
    "                    SONGGONG_WECHAT_SECRET       scans with WeChat's scanner (JS-SDK); both or neither\n"
    "                    SONGGONG_WECHAT_API          WeChat's API (default https://api.weixin.qq.com)\n";

static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v > max)
        return -1;
    *out = v;
    return 0;
}

/* Province codes are two digits; they name the divisions file and tag every Redis key. */
static bool province_valid(const char *p)
{
    return strlen(p) == 2 && strspn(p, "0123456789") == 2;
}

static const char *env_or(const char *name, const char *fallback)
{
    const char *v = getenv(name);
    return v != NULL && v[0] != '\0' ? v : fallback;
}

/* The password file's first line (without its newline) into out. 0 or -1 (message on stderr). */
static int read_password(const char *path, char *out, size_t size)
{
    size_t len = 0;
    char *text = sg_file_read(path, &len);
    if (text == NULL) {
        fprintf(stderr, "songgong: cannot read SONGGONG_REDIS_PASSWORD_FILE %s\n", path);
        return -1;
    }
    text[strcspn(text, "\r\n")] = '\0';
    int ret = strlen(text) < size && text[0] != '\0' ? 0 : -1;
    if (ret == 0)
        memcpy(out, text, strlen(text) + 1);
    else
        fprintf(stderr, "songgong: the password in %s is empty or longer than %zu bytes\n", path, size - 1);
    memset(text, 0, len);
    free(text);
    return ret;
}

/* SONGGONG_LIMIT_<NAME>=COUNT/SECONDS for every kind, else its default. 0 or -1. */
static int limits_from_env(struct sg_options *o)
{
    for (int k = 0; k != SG_LIMITS; ++k) {
        char name[48], upper[32];
        size_t i = 0;
        for (; sg_limit_names[k][i] != '\0' && i + 1 < sizeof(upper); ++i)
            upper[i] = (char)(sg_limit_names[k][i] >= 'a' && sg_limit_names[k][i] <= 'z' ? sg_limit_names[k][i] - 32
                                                                                         : sg_limit_names[k][i]);
        upper[i] = '\0';
        snprintf(name, sizeof(name), "SONGGONG_LIMIT_%s", upper);
        o->limits[k] = sg_limit_defaults[k];
        const char *v = env_or(name, NULL);
        if (v == NULL)
            continue;
        char count[16];
        const char *slash = strchr(v, '/');
        unsigned long n, secs;
        if (slash == NULL || (size_t)(slash - v) >= sizeof(count)) {
            fprintf(stderr, "songgong: %s must be COUNT/SECONDS, e.g. 60/60\n", name);
            return -1;
        }
        memcpy(count, v, (size_t)(slash - v));
        count[slash - v] = '\0';
        if (parse_uint(count, 1000000, &n) != 0 || parse_uint(slash + 1, 86400 * 7, &secs) != 0 || secs == 0) {
            fprintf(stderr, "songgong: %s must be COUNT/SECONDS, e.g. 60/60\n", name);
            return -1;
        }
        o->limits[k] = (struct sg_limit_rule){(unsigned)n, (unsigned)secs};
    }
    return 0;
}

static int redis_from_env(struct sg_options *o)
{
    unsigned long v;
    o->redis_sentinels = env_or("SONGGONG_REDIS_SENTINELS", NULL);
    o->redis_master = env_or("SONGGONG_REDIS_MASTER", NULL);
    o->redis_user = env_or("SONGGONG_REDIS_USER", NULL);
    if (o->redis_sentinels != NULL && o->redis_master == NULL) {
        fprintf(stderr, "songgong: SONGGONG_REDIS_SENTINELS needs SONGGONG_REDIS_MASTER (the primary's name)\n");
        return -1;
    }
    if (parse_uint(env_or("SONGGONG_REDIS_REPLICAS_ACK", "0"), 16, &v) != 0) {
        fprintf(stderr, "songgong: SONGGONG_REDIS_REPLICAS_ACK must be 0 to 16\n");
        return -1;
    }
    o->redis_replicas_ack = (unsigned)v;
    const char *file = env_or("SONGGONG_REDIS_PASSWORD_FILE", NULL);
    return file != NULL ? read_password(file, o->redis_password, sizeof(o->redis_password)) : 0;
}

int sg_options_from_env(struct sg_options *o)
{
    unsigned long v;
    memset(o, 0, sizeof(*o));
    o->host = env_or("SONGGONG_HOST", "127.0.0.1");
    o->redis = env_or("SONGGONG_REDIS", "127.0.0.1:6379");
    o->public_url = env_or("SONGGONG_PUBLIC_URL", NULL);
    o->key_file = env_or("SONGGONG_KEY_FILE", "var/songgong.key");
    o->data_dir = env_or("SONGGONG_DATA_DIR", "data");
    o->site_dir = env_or("SONGGONG_SITE_DIR", "site");
    o->today = env_or("SONGGONG_TODAY", NULL);
    o->province = env_or("SONGGONG_PROVINCE", "45");
    if (!province_valid(o->province)) {
        fprintf(stderr, "songgong: SONGGONG_PROVINCE must be a two-digit province code\n");
        return -1;
    }
    if (parse_uint(env_or("SONGGONG_PORT", "8080"), 65535, &v) != 0 || v == 0) {
        fprintf(stderr, "songgong: SONGGONG_PORT must be a port number\n");
        return -1;
    }
    o->port = (int)v;
    if (parse_uint(env_or("SONGGONG_REDIS_TIMEOUT_MS", "2000"), 600000, &v) != 0 || v == 0) {
        fprintf(stderr, "songgong: SONGGONG_REDIS_TIMEOUT_MS must be a number of milliseconds\n");
        return -1;
    }
    o->redis_timeout_ms = (unsigned)v;
    if (parse_uint(env_or("SONGGONG_REDIS_CONNECTIONS", "4"), 16, &v) != 0 || v == 0) {
        fprintf(stderr, "songgong: SONGGONG_REDIS_CONNECTIONS must be 1 to 16\n");
        return -1;
    }
    o->redis_connections = (unsigned)v;
    if (parse_uint(env_or("SONGGONG_SESSION_IDLE", "1800"), 7 * 86400, &v) != 0 || v == 0) {
        fprintf(stderr, "songgong: SONGGONG_SESSION_IDLE must be a number of seconds\n");
        return -1;
    }
    o->session_idle_s = (unsigned)v;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    char cores_text[16];
    snprintf(cores_text, sizeof(cores_text), "%ld", cores >= 1 && cores <= 64 ? cores : 1);
    if (parse_uint(env_or("SONGGONG_THREADS", cores_text), 64, &v) != 0 || v == 0) {
        fprintf(stderr, "songgong: SONGGONG_THREADS must be 1 to 64\n");
        return -1;
    }
    o->threads = (unsigned)v;
    const char *log = env_or("SONGGONG_ACCESS_LOG", "on");
    if (strcmp(log, "on") != 0 && strcmp(log, "off") != 0) {
        fprintf(stderr, "songgong: SONGGONG_ACCESS_LOG must be on or off\n");
        return -1;
    }
    o->access_log = strcmp(log, "on") == 0;
    o->metrics_token = env_or("SONGGONG_METRICS_TOKEN", NULL);
    o->wechat_appid = env_or("SONGGONG_WECHAT_APPID", NULL);
    o->wechat_secret = env_or("SONGGONG_WECHAT_SECRET", NULL);
    o->wechat_api = env_or("SONGGONG_WECHAT_API", "https://api.weixin.qq.com");
    if ((o->wechat_appid == NULL) != (o->wechat_secret == NULL)) {
        fprintf(stderr, "songgong: set both SONGGONG_WECHAT_APPID and SONGGONG_WECHAT_SECRET, or neither\n");
        return -1;
    }
    if (parse_uint(env_or("SONGGONG_STREAMS_PER_SESSION", "8"), 100, &v) != 0 || v == 0 ||
        (o->streams_per_session = (unsigned)v, parse_uint(env_or("SONGGONG_STREAMS_MAX", "1000"), 100000, &v)) != 0 ||
        v == 0) {
        fprintf(stderr,
                "songgong: SONGGONG_STREAMS_PER_SESSION (1-100) and SONGGONG_STREAMS_MAX (1-100000) are counts\n");
        return -1;
    }
    o->streams_max = (unsigned)v;
    if (parse_uint(env_or("SONGGONG_FOLD_MS", "100"), 60000, &v) != 0) {
        fprintf(stderr, "songgong: SONGGONG_FOLD_MS must be a number of milliseconds (0: only when read)\n");
        return -1;
    }
    o->fold_ms = (unsigned)v;
    return redis_from_env(o) == 0 && limits_from_env(o) == 0 ? 0 : -1;
}

const char *sg_flag_value(int argc, char **argv, int *i, const char *name)
{
    const char *arg = argv[*i];
    size_t n = strlen(name);
    if (strncmp(arg, name, n) != 0)
        return NULL;
    if (arg[n] == '=')
        return arg + n + 1;
    if (arg[n] != '\0' || *i + 1 >= argc)
        return NULL;
    return argv[++*i];
}

int sg_options_take(struct sg_options *o, int argc, char **argv, int *i)
{
    static const struct {
        const char *flag;
        size_t offset;
    } strings[] = {
        {"--host", offsetof(struct sg_options, host)},
        {"--redis", offsetof(struct sg_options, redis)},
        {"--public-url", offsetof(struct sg_options, public_url)},
        {"--key-file", offsetof(struct sg_options, key_file)},
        {"--data-dir", offsetof(struct sg_options, data_dir)},
        {"--site-dir", offsetof(struct sg_options, site_dir)},
        {"--today", offsetof(struct sg_options, today)},
        {"--province", offsetof(struct sg_options, province)},
    };
    const char *v;
    for (size_t k = 0; k != sizeof(strings) / sizeof(strings[0]); ++k) {
        if ((v = sg_flag_value(argc, argv, i, strings[k].flag)) != NULL) {
            if (strcmp(strings[k].flag, "--province") == 0 && !province_valid(v)) {
                fprintf(stderr, "songgong: --province must be a two-digit province code\n");
                return -1;
            }
            *(const char **)((char *)o + strings[k].offset) = v;
            return 1;
        }
    }
    if ((v = sg_flag_value(argc, argv, i, "--threads")) != NULL) {
        unsigned long n;
        if (parse_uint(v, 64, &n) != 0 || n == 0) {
            fprintf(stderr, "songgong: --threads must be 1 to 64\n");
            return -1;
        }
        o->threads = (unsigned)n;
        return 1;
    }
    if ((v = sg_flag_value(argc, argv, i, "--port")) != NULL) {
        unsigned long port;
        if (parse_uint(v, 65535, &port) != 0 || port == 0) {
            fprintf(stderr, "songgong: --port must be a port number\n");
            return -1;
        }
        o->port = (int)port;
        return 1;
    }
    return 0;
}

void sg_options_finish(struct sg_options *o)
{
    if (o->public_url == NULL) {
        snprintf(o->public_url_buf, sizeof(o->public_url_buf), "http://%s:%d", o->host, o->port);
        o->public_url = o->public_url_buf;
    } else {
        /* QR links are built as PUBLIC_URL + "/s/...": drop trailing slashes */
        snprintf(o->public_url_buf, sizeof(o->public_url_buf), "%s", o->public_url);
        size_t n = strlen(o->public_url_buf);
        while (n > 0 && o->public_url_buf[n - 1] == '/')
            o->public_url_buf[--n] = '\0';
        o->public_url = o->public_url_buf;
    }
}

struct sg_store_config sg_options_store_config(const struct sg_options *o, unsigned connections)
{
    return (struct sg_store_config){.redis_address = o->redis,
                                    .key_file = o->key_file,
                                    .timeout_ms = o->redis_timeout_ms,
                                    .connections = connections,
                                    .province = o->province,
                                    .sentinels = o->redis_sentinels,
                                    .master = o->redis_master,
                                    .user = o->redis_user,
                                    .password = o->redis_password[0] != '\0' ? o->redis_password : NULL,
                                    .replicas_ack = o->redis_replicas_ack,
                                    .fold_lazy = o->fold_ms == 0}; /* the timer is the server's (serve.c) */
}

bool sg_cli_store_wait(struct sg_store *s, h2o_evloop_t *loop, unsigned ms)
{
    uint64_t deadline = h2o_now(loop) + ms;
    while (!sg_store_ready(s) && h2o_now(loop) < deadline)
        h2o_evloop_run(loop, 50);
    return sg_store_ready(s);
}

struct sg_store *sg_cli_store_connect(const struct sg_options *o, h2o_evloop_t **loop)
{
    const char *err = NULL;
    struct sg_store_config sc = sg_options_store_config(o, 1);
    /* h2o 2.2.5 cannot destroy a loop: it lives until exit, reachable from here. */
    static h2o_evloop_t *cli_loop;
    if (cli_loop == NULL)
        cli_loop = h2o_evloop_create();
    *loop = cli_loop;
    struct sg_store *s = sg_store_new(*loop, &sc, &err);
    if (s == NULL) {
        fprintf(stderr, "songgong: %s (%s)\n", err, o->key_file);
        return NULL;
    }
    if (!sg_cli_store_wait(s, *loop, 5000)) {
        fprintf(stderr, "songgong: Redis at %s is not reachable\n", o->redis);
        sg_store_free(s);
        return NULL;
    }
    return s;
}

struct sg_store *sg_cli_store_open(const struct sg_options *o, h2o_evloop_t **loop)
{
    struct sg_store *s = sg_cli_store_connect(o, loop);
    if (s != NULL && sg_cli_schema_check(s, *loop, o) != 0) {
        sg_store_free(s);
        return NULL;
    }
    return s;
}

struct schema_wait {
    int done, status;
    char said[200]; /* what Redis said, when it refused */
    enum sg_store_schema schema;
    char what[64];
};

static void on_schema(void *data, int status, enum sg_store_schema schema, const char *what)
{
    struct schema_wait *w = data;
    w->status = status;
    w->schema = schema;
    snprintf(w->said, sizeof(w->said), "%s", status != 0 ? sg_store_error_text() : "");
    snprintf(w->what, sizeof(w->what), "%s", what != NULL ? what : "");
    w->done = 1;
}

int sg_cli_schema_check(struct sg_store *s, h2o_evloop_t *loop, const struct sg_options *o)
{
    struct schema_wait w = {0};
    if ((w.status = sg_store_schema_check(s, on_schema, &w)) == 0)
        sg_cli_wait(loop, &w.done);
    if (w.status != 0)
        fprintf(stderr, "songgong: cannot read the key layout's version from Redis at %s%s%s\n",
                o->redis_sentinels != NULL ? o->redis_sentinels : o->redis, w.said[0] != '\0' ? ": " : "", w.said);
    else if (w.schema == SG_STORE_SCHEMA_OLD)
        fprintf(stderr,
                "songgong: Redis at %s holds data in the old key layout (such as %s): run 'songgong migrate' "
                "first\n",
                o->redis, w.what);
    else if (w.schema == SG_STORE_SCHEMA_UNKNOWN)
        fprintf(stderr, "songgong: Redis at %s holds key layout version %s; this songgong knows version %s\n", o->redis,
                w.what, SG_STORE_SCHEMA_VERSION);
    return w.status == 0 && w.schema == SG_STORE_SCHEMA_CURRENT ? 0 : -1;
}

void sg_cli_wait(h2o_evloop_t *loop, const int *done)
{
    while (!*done)
        h2o_evloop_run(loop, 100);
}

int sg_options_parse(struct sg_options *o, int argc, char **argv, const char *command, void (*usage)(FILE *out))
{
    if (sg_options_from_env(o) != 0)
        return -1;
    for (int i = 1; i < argc; ++i) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 1;
        }
        int taken = sg_options_take(o, argc, argv, &i);
        if (taken < 0)
            return -1;
        if (taken == 0) {
            fprintf(stderr, "songgong %s: unknown option %s (see --help)\n", command, argv[i]);
            return -1;
        }
    }
    sg_options_finish(o);
    return 0;
}
