/* SPDX-License-Identifier: MIT */
/* `songgong notify`: the sender of text messages as a process of its own (the server runs
 * one on a thread unless SONGGONG_NOTIFY_SENDER=off), and the SONGGONG_NOTIFY_* settings
 * both read. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cmd/commands.h"
#include "cmd/options.h"
#include "service/notify.h"

const char sg_notify_help[] =
    "  SONGGONG_NOTIFY_SENDER        thread (default): `serve` runs the sender; off: run `songgong notify`\n"
    "  SONGGONG_NOTIFY_DRIVER        log (default), webhook or tencent\n"
    "  SONGGONG_NOTIFY_LOG           the log driver's file (default var/notify.log)\n"
    "  SONGGONG_NOTIFY_DELIVERY_LOG  one line per message done with (default var/notify-delivery.log)\n"
    "  SONGGONG_NOTIFY_WEBHOOK_URL   webhook: where to POST each message\n"
    "  SONGGONG_NOTIFY_WEBHOOK_SECRET_FILE  webhook: the HMAC-SHA256 key (the file's bytes, newline trimmed)\n"
    "  SONGGONG_NOTIFY_TENCENT_SECRET_FILE  tencent: SecretId and SecretKey, one per line\n"
    "  SONGGONG_NOTIFY_TENCENT_APP   tencent: SmsSdkAppId;  SONGGONG_NOTIFY_TENCENT_SIGN: the signature's name\n"
    "  SONGGONG_NOTIFY_TENCENT_REGION (ap-guangzhou), SONGGONG_NOTIFY_TENCENT_URL (https://sms.tencentcloudapi.com)\n"
    "  SONGGONG_NOTIFY_QUIET         no sending in these hours, China time (default 21:00-08:00; none: any hour)\n"
    "  SONGGONG_NOTIFY_DAILY_MAX     messages a phone may get a day (default 5)\n"
    "  SONGGONG_NOTIFY_ATTEMPTS      attempts before a message is a dead letter (default 6)\n"
    "  SONGGONG_NOTIFY_BACKOFF       waits between attempts (default 30s,2m,10m,30m,2h; ms, s, m, h)\n"
    "  SONGGONG_NOTIFY_POLL_MS       how often an idle sender looks (default 1000)\n"
    "  SONGGONG_NOTIFY_CLAIM_MS      take over messages a dead sender held this long (default 60000)\n";

static const char *env(const char *name, const char *fallback)
{
    const char *v = getenv(name);
    return v != NULL && v[0] != '\0' ? v : fallback;
}

static int number(const char *name, const char *fallback, unsigned long min, unsigned long max, unsigned *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(env(name, fallback), &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > max) {
        fprintf(stderr, "songgong: %s must be a number from %lu to %lu\n", name, min, max);
        return -1;
    }
    *out = (unsigned)v;
    return 0;
}

static int backoff(struct sg_notify_config *c)
{
    const char *s = env("SONGGONG_NOTIFY_BACKOFF", "30s,2m,10m,30m,2h");
    c->nbackoff = 0;
    while (*s != '\0' && c->nbackoff != SG_NOTIFY_BACKOFF_MAX) {
        char *end;
        unsigned long v = strtoul(s, &end, 10);
        unsigned long unit = strncmp(end, "ms", 2) == 0 ? 1
                             : *end == 's'              ? 1000
                             : *end == 'm'              ? 60000
                             : *end == 'h'              ? 3600000
                                                        : 0;
        if (end == s || unit == 0 || v == 0 || v > 86400000 / unit)
            break;
        c->backoff_ms[c->nbackoff++] = (unsigned)(v * unit);
        s = end + (unit == 1 ? 2 : 1);
        s += *s == ',';
    }
    if (*s != '\0' || c->nbackoff == 0) {
        fprintf(stderr, "songgong: SONGGONG_NOTIFY_BACKOFF must be waits like 30s,2m,10m\n");
        return -1;
    }
    return 0;
}

/* The first line of a file, or both lines into a and b; -1 when unreadable. */
static int read_secret(const char *path, char *a, size_t asz, char *b, size_t bsz)
{
    size_t len = 0;
    char *text = path != NULL ? sg_file_read(path, &len) : NULL;
    if (text == NULL)
        return -1;
    char *nl = strchr(text, '\n');
    if (nl != NULL)
        *nl = '\0';
    snprintf(a, asz, "%s", text);
    if (b != NULL) {
        char *second = nl != NULL ? nl + 1 : "";
        second[strcspn(second, "\r\n")] = '\0';
        snprintf(b, bsz, "%s", second);
    }
    memset(text, 0, len);
    free(text);
    return a[0] != '\0' && (b == NULL || b[0] != '\0') ? 0 : -1;
}

static int driver(struct sg_notify_config *c)
{
    const char *d = env("SONGGONG_NOTIFY_DRIVER", "log"), *file = env("SONGGONG_NOTIFY_WEBHOOK_SECRET_FILE", NULL);
    char secret[sizeof(c->secret)];
    if (file != NULL && read_secret(file, secret, sizeof(secret), NULL, 0) == 0) { /* also signs replies (TD) */
        c->secret_len = strlen(secret);
        memcpy(c->secret, secret, c->secret_len);
    }
    if (strcmp(d, "log") == 0) {
        c->driver = SG_DRIVER_LOG;
    } else if (strcmp(d, "webhook") == 0) {
        c->driver = SG_DRIVER_WEBHOOK;
        c->webhook_url = env("SONGGONG_NOTIFY_WEBHOOK_URL", NULL);
        if (c->webhook_url == NULL || c->secret_len == 0) {
            fprintf(stderr, "songgong: the webhook driver needs SONGGONG_NOTIFY_WEBHOOK_URL and a readable, "
                            "non-empty SONGGONG_NOTIFY_WEBHOOK_SECRET_FILE\n");
            return -1;
        }
    } else if (strcmp(d, "tencent") == 0) {
        c->driver = SG_DRIVER_TENCENT;
        c->tencent_app = env("SONGGONG_NOTIFY_TENCENT_APP", NULL);
        c->tencent_sign = env("SONGGONG_NOTIFY_TENCENT_SIGN", NULL);
        c->tencent_region = env("SONGGONG_NOTIFY_TENCENT_REGION", "ap-guangzhou");
        c->tencent_url = env("SONGGONG_NOTIFY_TENCENT_URL", "https://sms.tencentcloudapi.com");
        if (c->tencent_app == NULL || c->tencent_sign == NULL ||
            read_secret(env("SONGGONG_NOTIFY_TENCENT_SECRET_FILE", NULL), c->tencent_id, sizeof(c->tencent_id),
                        c->tencent_key, sizeof(c->tencent_key)) != 0) {
            fprintf(stderr, "songgong: the tencent driver needs SONGGONG_NOTIFY_TENCENT_APP, _SIGN and a "
                            "SONGGONG_NOTIFY_TENCENT_SECRET_FILE holding SecretId and SecretKey\n");
            return -1;
        }
    } else {
        fprintf(stderr, "songgong: SONGGONG_NOTIFY_DRIVER must be log, webhook or tencent\n");
        return -1;
    }
    return 0;
}

int sg_notify_options(struct sg_notify_config *c, const char *data_dir)
{
    char path[1024], err[256];
    memset(c, 0, sizeof(*c));
    c->log_path = env("SONGGONG_NOTIFY_LOG", "var/notify.log");
    c->delivery_log = env("SONGGONG_NOTIFY_DELIVERY_LOG", "var/notify-delivery.log");
    if (strncmp(c->log_path, "var/", 4) == 0 || strncmp(c->delivery_log, "var/", 4) == 0)
        mkdir("var", 0750); /* a fresh checkout has none: the log driver works offline from the start */
    if (sg_quiet_parse(env("SONGGONG_NOTIFY_QUIET", "21:00-08:00"), &c->quiet) != 0) {
        fprintf(stderr, "songgong: SONGGONG_NOTIFY_QUIET must be HH:MM-HH:MM (China time) or none\n");
        return -1;
    }
    if (driver(c) != 0 || backoff(c) != 0 || number("SONGGONG_NOTIFY_DAILY_MAX", "5", 1, 1000, &c->max_per_day) != 0 ||
        number("SONGGONG_NOTIFY_ATTEMPTS", "6", 1, 100, &c->max_attempts) != 0 ||
        number("SONGGONG_NOTIFY_POLL_MS", "1000", 10, 600000, &c->poll_ms) != 0 ||
        number("SONGGONG_NOTIFY_CLAIM_MS", "60000", 100, 86400000, &c->claim_idle_ms) != 0 ||
        number("SONGGONG_NOTIFY_TIMEOUT", "5", 1, 60, &c->timeout_s) != 0)
        return -1;
    snprintf(path, sizeof(path), "%s/templates/sms.json", data_dir);
    if (sg_templates_load(path, &c->templates, err, sizeof(err)) != 0) {
        fprintf(stderr, "songgong: %s\n", err);
        return -1;
    }
    return 0;
}

bool sg_notify_sender_in_server(void)
{
    return strcmp(env("SONGGONG_NOTIFY_SENDER", "thread"), "off") != 0;
}

static volatile int stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: songgong notify\n\nSend the text messages of the outbox (the same sender `serve` runs on "
            "a thread unless\nSONGGONG_NOTIFY_SENDER=off), until SIGINT or SIGTERM. Several may run: they "
            "share the work.\n\nOptions (flag, environment variable, meaning):\n%s\nMessages:\n%s",
            sg_options_help, sg_notify_help);
}

int sg_cmd_notify(int argc, char **argv)
{
    struct sg_options o;
    static struct sg_app app;
    static struct sg_notify_config cfg;
    int parsed = sg_options_parse(&o, argc, argv, "notify", usage);
    if (parsed != 0)
        return parsed < 0;
    if (sg_notify_options(&cfg, o.data_dir) != 0 || sg_data_load(&app, &o) != 0)
        return 1;
    h2o_evloop_t *loop;
    struct sg_store *check = sg_cli_store_open(&o, &loop);
    if (check == NULL)
        return 1;
    sg_store_free(check);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGPIPE, SIG_IGN);
    struct sg_store_config sc = sg_options_store_config(&o, 1);
    fprintf(stderr, "songgong: notify: sending the outbox (driver %s)\n",
            getenv("SONGGONG_NOTIFY_DRIVER") != NULL ? getenv("SONGGONG_NOTIFY_DRIVER") : "log");
    int ret = sg_notify_run(&app, &sc, &cfg, &stop);
    sg_data_free(&app);
    return ret == 0 ? 0 : 1;
}
