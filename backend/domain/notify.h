/* SPDX-License-Identifier: MIT */
/* Text messages to workers: templates filled with parameters (with the sender's
 * signature and the carriers' opt-out line), their length in SMS parts, quiet hours, and
 * what each passenger of a vehicle must be told when it changes (the sync of what they
 * were told with what the vehicle is now). Pure. */
#ifndef SG_DOMAIN_NOTIFY_H
#define SG_DOMAIN_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "domain/vehicle.h"

#define SG_SMS_CHARS 70      /* one message: 70 characters, signature included */
#define SG_SMS_PART_CHARS 67 /* each part of a longer one */
#define SG_TEMPLATE_PARAMS 8
#define SG_TEMPLATE_TEXT_MAX 512

/** One template as data/templates/sms.json gives it. */
struct sg_template {
    char name[24];                       /* "assigned", "changed", ... */
    char text[SG_TEMPLATE_TEXT_MAX];     /* "您已安排{vehicle}，{date}…" */
    char provider_id[32];                /* the template ID approved by the SMS provider */
    char params[SG_TEMPLATE_PARAMS][16]; /* the provider's parameters in order */
    size_t nparams;
};

/** A named value to fill in. */
struct sg_param {
    const char *name, *value;
};

/**
 * Fill t's text: every {name} by its value (an unknown name by ""), framed as
 * signature + text + optout. Returns the length written into out (always NUL-terminated),
 * or SG_EINVAL when it does not fit outsz (out then holds a cut text).
 */
int sg_template_render(const struct sg_template *t, const char *signature, const char *optout,
                       const struct sg_param *params, size_t n, char *out, size_t outsz);
/** The values of t's provider parameters in order (pointers into params, "" when missing). */
void sg_template_values(const struct sg_template *t, const struct sg_param *params, size_t n,
                        const char *out[SG_TEMPLATE_PARAMS]);
/** SMS parts that text (UTF-8) takes: 1 up to 70 characters, else 67 a part. */
size_t sg_sms_parts(const char *text);

/** True when a worker's reply text asks to receive no more messages: TD, T, N or 退订 (case and spaces ignored). */
bool sg_reply_is_optout(const char *text);

/** Quiet hours in China time (UTC+8): no message is sent from `from` up to `to` minutes after midnight. */
struct sg_quiet {
    bool none; /* send at any hour */
    int from, to;
};
/** "21:00-08:00" (may wrap midnight) or "none". 0 or SG_EINVAL. */
int sg_quiet_parse(const char *s, struct sg_quiet *out);
/** True when now_ms (UTC ms) is within the quiet hours. */
bool sg_quiet_now(const struct sg_quiet *q, uint64_t now_ms);
/** When the quiet hours holding now_ms end (UTC ms); now_ms when it is not within them. */
uint64_t sg_quiet_end(const struct sg_quiet *q, uint64_t now_ms);
/** The date in China (UTC+8) at now_ms, as YYYY-MM-DD. */
void sg_china_date(uint64_t now_ms, char out[11]);

/* ---- what passengers are told about their vehicle ---------------------------------- */

#define SG_TOLD_MAX 160 /* a fingerprint: date|time|stop|escort|number */

/** The message kinds of a vehicle (template names). */
enum sg_told_kind {
    SG_TELL_NONE = 0,
    SG_TELL_ASSIGNED,
    SG_TELL_CHANGED,
    SG_TELL_CANCELLED,
    SG_TELL_UNASSIGNED,
    SG_TELL_REMINDER
};
/** "", "assigned", "changed", "cancelled", "unassigned", "reminder". */
const char *sg_tell_name(enum sg_told_kind k);

/** A vehicle's plan has what a message needs: departure time, a stop, the escort's phone. */
bool sg_notify_vehicle_ready(const struct sg_vehicle *v);

/** What a passenger of v boarding at its stop for village must know, as one string. */
void sg_told_fingerprint(const struct sg_vehicle *v, const char *village, char out[SG_TOLD_MAX]);

/** A registration as the sync sees it. */
struct sg_told {
    const char *code;
    const char *village; /* "" when unknown */
    const char *told;    /* the fingerprint last sent, "" never told */
    bool on_vehicle;     /* in the vehicle's seat list now */
    bool elsewhere;      /* assigned to another vehicle, or cancelled: said nothing by this one */
    bool reminded;       /* got the reminder for this vehicle */
};

/**
 * What to send passenger p of v: on a sync (remind false), the vehicle assigned (once its
 * plan is ready), changed (what they were told differs), cancelled, or unassigned (taken
 * off and not on another vehicle); with remind, the reminder the day before (once).
 * fingerprint gets what they will have been told ("" to forget them). SG_TELL_NONE when
 * nothing is to be sent (fingerprint may still change: forget someone moved away).
 */
enum sg_told_kind sg_told_next(const struct sg_vehicle *v, const struct sg_told *p, bool remind,
                               char fingerprint[SG_TOLD_MAX]);

/**
 * The parameters of a vehicle message for a passenger from village: vehicle ("专车 桂A12345"),
 * date ("2月3日"), time (their stop's, else the departure), stop, escort (the phone). The
 * strings live in buf; params gets 5 entries.
 */
void sg_told_params(const struct sg_vehicle *v, const char *village, char buf[512], struct sg_param params[5]);

#endif
