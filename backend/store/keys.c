/* SPDX-License-Identifier: MIT */
/* Redis key names (keys.h): the only place that spells them. Pure string formatting. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "domain/err.h"
#include "store/keys.h"

/* prefix + the formatted rest, cut to SG__KEY_MAX - 1 bytes. */
static const char *key(struct sg__key *out, const struct sg__keys *ks, const char *fmt, ...)
{
    va_list ap;
    memcpy(out->s, ks->prefix, ks->len);
    va_start(ap, fmt);
    vsnprintf(out->s + ks->len, sizeof(out->s) - ks->len, fmt, ap);
    va_end(ap);
    return out->s;
}

/* prefix + a + b + c + d (NULL: none), cut as key() cuts: for the keys every sign-up
 * names, without printf. */
static const char *join(struct sg__key *out, const struct sg__keys *ks, const char *a, const char *b, const char *c,
                        const char *d)
{
    const char *parts[] = {a, b, c, d};
    size_t n = ks->len;
    memcpy(out->s, ks->prefix, n);
    for (size_t i = 0; i != 4 && parts[i] != NULL; ++i) {
        size_t len = strlen(parts[i]);
        if (len > sizeof(out->s) - 1 - n)
            len = sizeof(out->s) - 1 - n;
        memcpy(out->s + n, parts[i], len);
        n += len;
    }
    out->s[n] = '\0';
    return out->s;
}

int sg__keys_init(struct sg__keys *ks, const char *province)
{
    if (province == NULL || strlen(province) != 2 || strspn(province, "0123456789") != 2)
        return SG_EINVAL;
    ks->len = (size_t)snprintf(ks->prefix, sizeof(ks->prefix), "sg:{%s}:", province);
    return 0;
}

const char *sg__key_global(struct sg__key *out, const struct sg__keys *ks, enum sg__key_global which)
{
    static const char *const names[] = {
        [SG__KEY_SCHEMA] = "schema",
        [SG__KEY_USERS] = "users",
        [SG__KEY_AUDIT] = "audit",
        [SG__KEY_VEHICLES_NEXT] = "vehicles:next",
        [SG__KEY_FUNDING_NEXT] = "funding:next",
        [SG__KEY_FILINGS_NEXT] = "filings:next",
        [SG__KEY_EMPLOYERS] = "employers",
        [SG__KEY_EMPLOYERS_NEXT] = "employers:next",
        [SG__KEY_JOBS] = "jobs",
        [SG__KEY_JOBS_NEXT] = "jobs:next",
        [SG__KEY_PUSHES] = "pushes",
        [SG__KEY_PUSHES_NEXT] = "pushes:next",
        [SG__KEY_NOTIFY_EVENTS] = "notify:events",
        [SG__KEY_NOTIFY_OUTBOX] = "notify:outbox",
        [SG__KEY_NOTIFY_DELAYED] = "notify:delayed",
        [SG__KEY_NOTIFY_DEAD] = "notify:dead",
        [SG__KEY_NOTIFY_NEXT] = "notify:next",
        [SG__KEY_NOTIFY_OPTOUT] = "notify:optout",
        [SG__KEY_WECHAT_TICKET] = "wechat:ticket",
        [SG__KEY_FOLD] = "fold",
        [SG__KEY_OPEN_CHANGES] = "open:changes",
    };
    return key(out, ks, "%s", names[which]);
}

const char *sg__key_campaign(struct sg__key *out, const struct sg__keys *ks, const char *campaign,
                             enum sg__key_campaign which)
{
    static const char *const names[] = {
        [SG__KEY_BYPLACE] = "byplace",   [SG__KEY_CANCELLED] = "cancelled", [SG__KEY_OPEN] = "open",
        [SG__KEY_ASSIGN] = "assign",     [SG__KEY_UNSWEPT] = "unswept",     [SG__KEY_MATCHLOCK] = "matchlock",
        [SG__KEY_VEHICLES] = "vehicles", [SG__KEY_FUNDING] = "funding",     [SG__KEY_FILINGS] = "filings",
    };
    return key(out, ks, "%s:%s", campaign, names[which]);
}

const char *sg__key_reg(struct sg__key *out, const struct sg__keys *ks, const char *code)
{
    return join(out, ks, "reg:", code, NULL, NULL);
}

const char *sg__key_idem(struct sg__key *out, const struct sg__keys *ks, const char *k)
{
    return join(out, ks, "idem:", k, NULL, NULL);
}

const char *sg__key_uid(struct sg__key *out, const struct sg__keys *ks, const char *campaign, const char *hash)
{
    return join(out, ks, "uid:", campaign, ":", hash);
}

const char *sg__key_stats(struct sg__key *out, const struct sg__keys *ks, const char *campaign, const char *code)
{
    return join(out, ks, campaign, ":stats:", code, NULL); /* (every sign-up's call names two) */
}

const char *sg__key_stats_county(struct sg__key *out, const struct sg__keys *ks, const char *campaign,
                                 const char *village)
{
    char county[7];
    size_t n = strnlen(village, 6);
    memcpy(county, village, n);
    county[n] = '\0';
    return join(out, ks, campaign, ":stats:", county, NULL);
}

const char *sg__key_returns(struct sg__key *out, const struct sg__keys *ks, const char *campaign, const char *code)
{
    return key(out, ks, "%s:returns:%.6s", campaign, code);
}

const char *sg__key_returns_history(struct sg__key *out, const struct sg__keys *ks, const char *campaign,
                                    const char *village)
{
    return key(out, ks, "%s:returns-history:%s", campaign, village);
}

const char *sg__key_purge(struct sg__key *out, const struct sg__keys *ks, const char *campaign)
{
    return key(out, ks, "purge:%s", campaign);
}

const char *sg__key_vehicle(struct sg__key *out, const struct sg__keys *ks, const char *id)
{
    return key(out, ks, "vehicle:%s", id);
}

const char *sg__key_vehicle_seats(struct sg__key *out, const struct sg__keys *ks, const char *id)
{
    return key(out, ks, "vehicle:%s:seats", id);
}

const char *sg__key_vehicle_boarded(struct sg__key *out, const struct sg__keys *ks, const char *id)
{
    return key(out, ks, "vehicle:%s:boarded", id);
}

const char *sg__key_funding(struct sg__key *out, const struct sg__keys *ks, const char *id)
{
    return key(out, ks, "funding:%s", id);
}

const char *sg__key_filing(struct sg__key *out, const struct sg__keys *ks, const char *id)
{
    return key(out, ks, "filing:%s", id);
}

const char *sg__key_employer(struct sg__key *out, const struct sg__keys *ks, const char *id)
{
    return key(out, ks, "employer:%s", id);
}

const char *sg__key_employer_code(struct sg__key *out, const struct sg__keys *ks, const char *code)
{
    return key(out, ks, "employer-code:%.18s", code);
}

const char *sg__key_job(struct sg__key *out, const struct sg__keys *ks, const char *id)
{
    return key(out, ks, "job:%s", id);
}

const char *sg__key_push(struct sg__key *out, const struct sg__keys *ks, const char *id)
{
    return key(out, ks, "push:%s", id);
}

const char *sg__key_push_phones(struct sg__key *out, const struct sg__keys *ks, const char *id)
{
    return key(out, ks, "push:%s:phones", id);
}

const char *sg__key_notify_msg(struct sg__key *out, const struct sg__keys *ks, const char *mid)
{
    return key(out, ks, "notify:message:%s", mid);
}

const char *sg__key_notify_day(struct sg__key *out, const struct sg__keys *ks, const char *date)
{
    return key(out, ks, "notify:day:%.10s", date);
}

const char *sg__key_notify_told(struct sg__key *out, const struct sg__keys *ks, const char *vehicle)
{
    return key(out, ks, "notify:told:%s", vehicle);
}

const char *sg__key_notify_reminders(struct sg__key *out, const struct sg__keys *ks, const char *date)
{
    return key(out, ks, "notify:reminders:%.10s", date);
}

const char *sg__key_user(struct sg__key *out, const struct sg__keys *ks, const char *name)
{
    return key(out, ks, "user:%s", name);
}

const char *sg__key_user_sessions(struct sg__key *out, const struct sg__keys *ks, const char *name)
{
    return key(out, ks, "user:%s:sessions", name);
}

const char *sg__key_session(struct sg__key *out, const struct sg__keys *ks, const char *hash)
{
    return key(out, ks, "session:%s", hash);
}

const char *sg__key_auditonce(struct sg__key *out, const struct sg__keys *ks, const char *user, const char *action,
                              const char *target)
{
    return key(out, ks, "auditonce:%s:%s:%s", user, action, target);
}

const char *sg__key_from_old(struct sg__key *out, const struct sg__keys *ks, const char *old)
{
    size_t n = sizeof(SG__KEYS_OLD_PREFIX) - 1;
    if (strncmp(old, SG__KEYS_OLD_PREFIX, n) != 0 || old[n] == '{' || old[n] == '\0')
        return NULL;
    return key(out, ks, "%s", old + n);
}

const char *sg__key_limit(struct sg__key *out, const struct sg__keys *ks, const char *kind, const char *subject)
{
    return key(out, ks, "limit:%.16s:%.96s", kind, subject);
}
