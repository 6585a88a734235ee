/* SPDX-License-Identifier: MIT */
/* `songgong user add|list|disable` and `songgong audit`: staff accounts and the audit
 * log from the command line, against the same Redis as the server. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <termios.h>
#include <unistd.h>
#include <sodium.h>
#include "cmd/commands.h"
#include "cmd/options.h"
#include "domain/err.h"
#include "domain/password.h"
#include "domain/role.h"
#include "store/store.h"

struct cli {
    int done, status;
    const struct sg_app *app;
};

static void on_status(void *data, int status)
{
    struct cli *c = data;
    c->status = status;
    c->done = 1;
}

static void audit(struct sg_store *s, h2o_evloop_t *loop, const char *action, const char *target, const char *detail)
{
    struct cli c = {0};
    struct sg_audit a = {.at_ms = sg_app_now_ms()};
    const char *who = getenv("SUDO_USER") != NULL ? getenv("SUDO_USER") : getenv("USER");
    snprintf(a.user, sizeof(a.user), "cli:%s", who != NULL ? who : "?");
    snprintf(a.action, sizeof(a.action), "%s", action);
    snprintf(a.target, sizeof(a.target), "%s", target);
    snprintf(a.address, sizeof(a.address), "local");
    snprintf(a.detail, sizeof(a.detail), "%s", detail);
    if (sg_store_audit_append(s, &a, on_status, &c) == 0)
        sg_cli_wait(loop, &c.done);
}

/* One line from stdin, without its newline; NULL when it breaks the password rule
 * (domain/password.h; message printed). */
static char *read_password(char *buf, size_t bufsz, const char *name)
{
    struct termios old, quiet;
    bool tty = isatty(0) && tcgetattr(0, &old) == 0;
    if (tty) { /* typed at a terminal: not shown */
        fprintf(stderr, "password (at least %d characters, not an easy one): ", SG_PASSWORD_MIN);
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(0, TCSANOW, &quiet);
    }
    if (fgets(buf, (int)bufsz, stdin) == NULL)
        buf[0] = '\0';
    if (tty) {
        tcsetattr(0, TCSANOW, &old);
        fputc('\n', stderr);
    }
    buf[strcspn(buf, "\r\n")] = '\0';
    const char *why = sg_password_check(buf, name);
    if (why == NULL)
        return buf;
    if (strcmp(why, "password_short") == 0)
        fprintf(stderr, "songgong user: the password (read from standard input) needs at least %d characters\n",
                SG_PASSWORD_MIN);
    else if (strcmp(why, "password_name") == 0)
        fprintf(stderr, "songgong user: the password must not contain the user name\n");
    else
        fprintf(stderr, "songgong user: the password is one of those tried first (%s); choose another\n",
                strcmp(why, "password_common") == 0 ? "a common password" : "a run or a repeated character");
    return NULL;
}

static int check_account(const struct sg_app *app, const char *name, const char *role, const char *scope,
                         struct sg_user *u)
{
    memset(u, 0, sizeof(*u));
    if (!sg_user_name_valid(name)) {
        fprintf(stderr, "songgong user: NAME must be 2-32 of a-z 0-9 _ . -\n");
        return -1;
    }
    int r = sg_role_parse(role);
    if (r < 0) {
        fprintf(stderr, "songgong user: --role must be village, township, county, city, organiser or admin\n");
        return -1;
    }
    if (scope == NULL || !sg_role_scope_valid((enum sg_role)r, scope) ||
        sg_divisions_find(app->divisions, scope, strlen(scope)) == NULL) {
        fprintf(stderr,
                "songgong user: --scope must be a known division code of the right level for %s "
                "(village 12 digits, township 9, county 6, city 4; organiser and admin any)\n",
                role);
        return -1;
    }
    snprintf(u->name, sizeof(u->name), "%s", name);
    u->role = r;
    snprintf(u->scope, sizeof(u->scope), "%s", scope);
    return 0;
}

static int user_add(const struct sg_app *app, const struct sg_options *o, int argc, char **argv)
{
    const char *name = NULL, *role = NULL, *scope = NULL, *v;
    for (int i = 0; i < argc; ++i) {
        if ((v = sg_flag_value(argc, argv, &i, "--role")) != NULL)
            role = v;
        else if ((v = sg_flag_value(argc, argv, &i, "--scope")) != NULL)
            scope = v;
        else if (argv[i][0] != '-' && name == NULL)
            name = argv[i];
        else {
            fprintf(stderr, "songgong user add: unexpected %s\n", argv[i]);
            return 1;
        }
    }
    struct sg_user u;
    char pw[256];
    if (check_account(app, name, role, scope, &u) != 0 || read_password(pw, sizeof(pw), name) == NULL)
        return 1;
    int hashed = crypto_pwhash_str(u.pwhash, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                   crypto_pwhash_MEMLIMIT_INTERACTIVE);
    sodium_memzero(pw, sizeof(pw));
    if (hashed != 0) {
        fprintf(stderr, "songgong user: out of memory hashing the password\n");
        return 1;
    }
    h2o_evloop_t *loop;
    struct sg_store *s = sg_cli_store_open(o, &loop);
    struct cli c = {0};
    if (s == NULL)
        return 1;
    if (sg_store_user_save(s, &u, true, on_status, &c) == 0)
        sg_cli_wait(loop, &c.done);
    else
        c.status = SG_EUNAVAIL;
    if (c.status == 0)
        audit(s, loop, "user_add", u.name, sg_role_name((enum sg_role)u.role));
    sg_store_free(s);
    if (c.status == SG_EEXIST)
        fprintf(stderr, "songgong user add: %s exists already\n", u.name);
    else if (c.status != 0)
        fprintf(stderr, "songgong user add: Redis failed\n");
    else
        printf("added %s: %s, scope %s\n", u.name, sg_role_label((enum sg_role)u.role), u.scope);
    return c.status == 0 ? 0 : 1;
}

struct list_result {
    struct cli c;
    const struct sg_app *app;
};

static void on_users(void *data, int status, const struct sg_user *users, size_t n)
{
    struct list_result *r = data;
    r->c.status = status;
    r->c.done = 1;
    uint64_t now = sg_app_now_ms();
    if (status != 0)
        return;
    printf("%-24s %-10s %-12s %-9s %s\n", "NAME", "ROLE", "SCOPE", "STATE", "DIVISION");
    for (size_t i = 0; i != n; ++i) {
        const struct sg_division *d = sg_divisions_find(r->app->divisions, users[i].scope, strlen(users[i].scope));
        const char *state = users[i].disabled ? "disabled" : users[i].locked_until_ms > now ? "locked" : "active";
        printf("%-24s %-10s %-12s %-9s %s\n", users[i].name, sg_role_name((enum sg_role)users[i].role), users[i].scope,
               state, d != NULL ? d->name : "?");
    }
}

static int user_list(const struct sg_app *app, const struct sg_options *o)
{
    h2o_evloop_t *loop;
    struct sg_store *s = sg_cli_store_open(o, &loop);
    struct list_result r = {.app = app};
    if (s == NULL)
        return 1;
    if (sg_store_user_list(s, on_users, &r) == 0)
        sg_cli_wait(loop, &r.c.done);
    else
        r.c.status = SG_EUNAVAIL;
    sg_store_free(s);
    return r.c.status == 0 ? 0 : 1;
}

static int user_disable(const struct sg_options *o, const char *name)
{
    h2o_evloop_t *loop;
    struct sg_store *s = name != NULL ? sg_cli_store_open(o, &loop) : NULL;
    struct cli c = {0};
    if (s == NULL)
        return 1;
    if (sg_store_user_disable(s, name, on_status, &c) == 0)
        sg_cli_wait(loop, &c.done);
    else
        c.status = SG_EUNAVAIL;
    if (c.status == 0)
        audit(s, loop, "user_disable", name, "");
    sg_store_free(s);
    if (c.status == SG_ENOENT)
        fprintf(stderr, "songgong user disable: no user %s\n", name);
    else if (c.status == 0)
        printf("disabled %s and ended its sessions\n", name);
    return c.status == 0 ? 0 : 1;
}

static void user_usage(FILE *out)
{
    fprintf(out, "usage: songgong user add NAME --role ROLE --scope CODE   (password on standard input)\n"
                 "       songgong user list\n"
                 "       songgong user disable NAME\n\n"
                 "Staff accounts. ROLE is village, township, county, city, organiser or admin; CODE the\n"
                 "division the account sees (village staff: their village's 12-digit code, and so on;\n"
                 "organisers and admins any level, e.g. 45 for the region). Every change is written to\n"
                 "the audit log. Uses the same settings as serve (SONGGONG_REDIS, SONGGONG_KEY_FILE, ...).\n\n"
                 "First admin:  songgong user add admin --role admin --scope 45   (then type the password)\n"
                 "              or: printf '%%s\\n' \"$PASSWORD\" | songgong user add admin --role admin --scope 45\n");
}

int sg_cmd_user(int argc, char **argv)
{
    struct sg_options o;
    static struct sg_app app;
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        user_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 1 : 0;
    }
    if (sg_options_from_env(&o) != 0)
        return 1;
    sg_options_finish(&o);
    if (sg_data_load(&app, &o) != 0)
        return 1;
    int ret = 1;
    if (strcmp(argv[1], "add") == 0)
        ret = user_add(&app, &o, argc - 2, argv + 2);
    else if (strcmp(argv[1], "list") == 0)
        ret = user_list(&app, &o);
    else if (strcmp(argv[1], "disable") == 0)
        ret = user_disable(&o, argc > 2 ? argv[2] : NULL);
    else
        user_usage(stderr);
    sg_data_free(&app);
    return ret;
}

struct audit_result {
    struct cli c;
};

static void on_audit(void *data, int status, const struct sg_audit *e, size_t n)
{
    struct audit_result *r = data;
    r->c.status = status;
    r->c.done = 1;
    for (size_t i = 0; status == 0 && i != n; ++i) {
        char at[32];
        time_t secs = (time_t)(e[i].at_ms / 1000) + 8 * 3600; /* China time */
        struct tm tm;
        gmtime_r(&secs, &tm);
        strftime(at, sizeof(at), "%Y-%m-%d %H:%M:%S", &tm);
        printf("%s  %-16s %-14s %-16s %-15s %s\n", at, e[i].user, e[i].action, e[i].target, e[i].address, e[i].detail);
    }
}

int sg_cmd_audit(int argc, char **argv)
{
    struct sg_options o;
    long count = 50;
    for (int i = 1; i < argc; ++i) {
        const char *v;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            printf("usage: songgong audit [--count N]\n\nThe newest N (default 50) entries of the audit log "
                   "(logins, failed logins, edits, cancels, exports, user changes), in China time.\n");
            return 0;
        }
        if ((v = sg_flag_value(argc, argv, &i, "--count")) == NULL || (count = strtol(v, NULL, 10)) < 1) {
            fprintf(stderr, "songgong audit: usage: songgong audit [--count N]\n");
            return 1;
        }
    }
    if (sg_options_from_env(&o) != 0)
        return 1;
    h2o_evloop_t *loop;
    struct sg_store *s = sg_cli_store_open(&o, &loop);
    struct audit_result r = {{0}};
    if (s == NULL)
        return 1;
    if (sg_store_audit_read(s, (size_t)count, NULL, on_audit, &r) == 0)
        sg_cli_wait(loop, &r.c.done);
    else
        r.c.status = SG_EUNAVAIL;
    sg_store_free(s);
    return r.c.status == 0 ? 0 : 1;
}
