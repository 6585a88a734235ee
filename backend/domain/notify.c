/* SPDX-License-Identifier: MIT */
/* Message templates, SMS length, quiet hours, and the sync of what passengers were told. */
#include <stdio.h>
#include <string.h>
#include "domain/err.h"
#include "domain/notify.h"
#include "domain/text.h"

#define CHINA_OFFSET_MS (8ULL * 3600 * 1000)
#define DAY_MS (24ULL * 3600 * 1000)

static const char *param_value(const struct sg_param *params, size_t n, const char *name, size_t len)
{
    for (size_t i = 0; i != n; ++i)
        if (strlen(params[i].name) == len && memcmp(params[i].name, name, len) == 0)
            return params[i].value != NULL ? params[i].value : "";
    return "";
}

struct sink {
    char *out;
    size_t size, len;
    bool cut;
};

static void put(struct sink *s, const char *p, size_t n)
{
    if (s->len + n >= s->size) {
        s->cut = true;
        n = s->len < s->size ? s->size - 1 - s->len : 0;
    }
    memcpy(s->out + s->len, p, n);
    s->len += n;
    s->out[s->len] = '\0';
}

int sg_template_render(const struct sg_template *t, const char *signature, const char *optout,
                       const struct sg_param *params, size_t n, char *out, size_t outsz)
{
    struct sink s = {out, outsz, 0, false};
    out[0] = '\0';
    put(&s, signature, strlen(signature));
    for (const char *p = t->text; *p != '\0';) {
        const char *close = *p == '{' ? strchr(p, '}') : NULL;
        if (close != NULL) {
            const char *v = param_value(params, n, p + 1, (size_t)(close - p - 1));
            put(&s, v, strlen(v));
            p = close + 1;
        } else {
            const char *next = strchr(p + 1, '{');
            size_t len = next != NULL ? (size_t)(next - p) : strlen(p);
            put(&s, p, len);
            p += len;
        }
    }
    put(&s, optout, strlen(optout));
    return s.cut ? SG_EINVAL : (int)s.len;
}

void sg_template_values(const struct sg_template *t, const struct sg_param *params, size_t n,
                        const char *out[SG_TEMPLATE_PARAMS])
{
    for (size_t i = 0; i != SG_TEMPLATE_PARAMS; ++i)
        out[i] = i < t->nparams ? param_value(params, n, t->params[i], strlen(t->params[i])) : "";
}

size_t sg_sms_parts(const char *text)
{
    size_t chars = sg_utf8_count(text, strlen(text));
    return chars <= SG_SMS_CHARS ? 1 : (chars + SG_SMS_PART_CHARS - 1) / SG_SMS_PART_CHARS;
}

bool sg_reply_is_optout(const char *text)
{
    char t[32];
    size_t n = 0;
    for (; text != NULL && *text != '\0' && n + 1 < sizeof(t); ++text)
        if (*text != ' ' && *text != '\t' && *text != '\r' && *text != '\n')
            t[n++] = (char)(*text >= 'a' && *text <= 'z' ? *text - 32 : *text);
    t[n] = '\0';
    return strcmp(t, "TD") == 0 || strcmp(t, "T") == 0 || strcmp(t, "N") == 0 || strcmp(t, "退订") == 0;
}

static int parse_hhmm(const char *s, int *minutes)
{
    if (strlen(s) < 5 || s[2] != ':' || s[0] < '0' || s[0] > '2' || s[1] < '0' || s[1] > '9' || s[3] < '0' ||
        s[3] > '5' || s[4] < '0' || s[4] > '9')
        return SG_EINVAL;
    *minutes = ((s[0] - '0') * 10 + s[1] - '0') * 60 + (s[3] - '0') * 10 + s[4] - '0';
    return *minutes <= 24 * 60 ? 0 : SG_EINVAL;
}

int sg_quiet_parse(const char *s, struct sg_quiet *out)
{
    memset(out, 0, sizeof(*out));
    if (s != NULL && strcmp(s, "none") == 0) {
        out->none = true;
        return 0;
    }
    if (s == NULL || strlen(s) != 11 || s[5] != '-' || parse_hhmm(s, &out->from) != 0 ||
        parse_hhmm(s + 6, &out->to) != 0 || out->from == out->to)
        return SG_EINVAL;
    return 0;
}

static int minute_of_day(uint64_t now_ms)
{
    return (int)(((now_ms + CHINA_OFFSET_MS) % DAY_MS) / 60000);
}

bool sg_quiet_now(const struct sg_quiet *q, uint64_t now_ms)
{
    if (q->none)
        return false;
    int m = minute_of_day(now_ms);
    return q->from < q->to ? m >= q->from && m < q->to : m >= q->from || m < q->to;
}

uint64_t sg_quiet_end(const struct sg_quiet *q, uint64_t now_ms)
{
    if (!sg_quiet_now(q, now_ms))
        return now_ms;
    uint64_t midnight = now_ms - (now_ms + CHINA_OFFSET_MS) % DAY_MS; /* the last midnight in China */
    uint64_t end = midnight + (uint64_t)q->to * 60000;
    return end > now_ms ? end : end + DAY_MS;
}

void sg_china_date(uint64_t now_ms, char out[11])
{
    struct sg_date d = sg_date_from_days((long)((now_ms + CHINA_OFFSET_MS) / DAY_MS));
    sg_date_format(d, out);
}

static const char *const tell_names[] = {"", "assigned", "changed", "cancelled", "unassigned", "reminder"};

const char *sg_tell_name(enum sg_told_kind k)
{
    return (unsigned)k < sizeof(tell_names) / sizeof(tell_names[0]) ? tell_names[k] : "";
}

bool sg_notify_vehicle_ready(const struct sg_vehicle *v)
{
    return v->depart_time[0] != '\0' && v->nstops > 0 && v->escort_phone[0] != '\0';
}

static const struct sg_stop *stop_of(const struct sg_vehicle *v, const char *village)
{
    return v->nstops > 0 ? &v->stops[sg_vehicle_stop_for(v, village)] : NULL;
}

void sg_told_fingerprint(const struct sg_vehicle *v, const char *village, char out[SG_TOLD_MAX])
{
    char date[11];
    const struct sg_stop *s = stop_of(v, village);
    sg_date_format(v->depart_date, date);
    snprintf(out, SG_TOLD_MAX, "%s|%s|%.60s|%s|%s|%.32s", date, v->depart_time, s != NULL ? s->name : "",
             s != NULL ? s->time : "", v->escort_phone, v->number);
}

enum sg_told_kind sg_told_next(const struct sg_vehicle *v, const struct sg_told *p, bool remind,
                               char fingerprint[SG_TOLD_MAX])
{
    bool told = p->told[0] != '\0', live = v->status == SG_VEHICLE_PLANNED || v->status == SG_VEHICLE_BOARDING;
    snprintf(fingerprint, SG_TOLD_MAX, "%s", p->told);
    if (v->status == SG_VEHICLE_CANCELLED || (!p->on_vehicle && told && live)) {
        fingerprint[0] = '\0';
        if (!told || p->elsewhere)
            return SG_TELL_NONE;
        return v->status == SG_VEHICLE_CANCELLED ? SG_TELL_CANCELLED : SG_TELL_UNASSIGNED;
    }
    if (!live || !p->on_vehicle || !sg_notify_vehicle_ready(v))
        return SG_TELL_NONE;
    sg_told_fingerprint(v, p->village, fingerprint);
    if (remind)
        return p->reminded ? SG_TELL_NONE : SG_TELL_REMINDER;
    if (!told)
        return SG_TELL_ASSIGNED;
    return strcmp(fingerprint, p->told) != 0 ? SG_TELL_CHANGED : SG_TELL_NONE;
}

void sg_told_params(const struct sg_vehicle *v, const char *village, char buf[512], struct sg_param params[5])
{
    const struct sg_stop *s = stop_of(v, village);
    char *vehicle = buf, *date = buf + 128, *time = buf + 160;
    snprintf(vehicle, 128, "%s%s%s", sg_vehicle_type_label(v->type), v->number[0] != '\0' ? " " : "", v->number);
    snprintf(date, 32, "%d月%d日", v->depart_date.m, v->depart_date.d);
    snprintf(time, 8, "%s", s != NULL && s->time[0] != '\0' ? s->time : v->depart_time);
    params[0] = (struct sg_param){"vehicle", vehicle};
    params[1] = (struct sg_param){"date", date};
    params[2] = (struct sg_param){"time", time};
    params[3] = (struct sg_param){"stop", s != NULL ? s->name : ""};
    params[4] = (struct sg_param){"escort", v->escort_phone};
}
