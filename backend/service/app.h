/* SPDX-License-Identifier: MIT */
/* What every service and handler shares: the loaded data, the store, the configuration.
 * Built by the command line (backend/cmd), read-only afterwards. */
#ifndef SG_SERVICE_APP_H
#define SG_SERVICE_APP_H

#include <stdbool.h>
#include <stdint.h>
#include "domain/campaign.h"
#include "domain/division.h"
#include "domain/date.h"

struct sg_store;

#define SG_CAMPAIGNS_MAX 32

/** The attempt limits (docs/security.md): SONGGONG_LIMIT_<NAME>=COUNT/SECONDS, COUNT 0 turns one off. */
enum sg_limit_kind {
    SG_LIMIT_SIGNUP,        /* sign-ups per client address */
    SG_LIMIT_LOOKUP,        /* lookups, cancels and lost-code lookups per client address */
    SG_LIMIT_CODE,          /* wrong proofs per code or ID number, whatever the address */
    SG_LIMIT_LOGIN,         /* wrong passwords per user name and address (the lock-out) */
    SG_LIMIT_LOGIN_NAME,    /* wrong passwords per user name from all addresses */
    SG_LIMIT_LOGIN_ADDRESS, /* logins per client address */
    SG_LIMITS
};
struct sg_limit_rule {
    unsigned count, window_s;
};
/** The kinds' names as in the environment and the Redis keys ("signup", ...), and their defaults. */
extern const char *const sg_limit_names[SG_LIMITS];
extern const struct sg_limit_rule sg_limit_defaults[SG_LIMITS];

struct sg_app {
    const struct sg_divisions *divisions;    /* the province served: villages and above */
    const struct sg_divisions *destinations; /* provinces and cities of China */
    const struct sg_divisions *regions;      /* county codes of China (ID region check) */
    struct sg_campaign campaigns[SG_CAMPAIGNS_MAX];
    size_t ncampaigns;
    struct sg_store *store;
    const char *public_url; /* no trailing slash; QR codes and links are built on it */
    const char *site_dir;
    unsigned session_idle_s;   /* staff sessions end after this long without a request */
    bool access_log;           /* one line per request on stderr (SONGGONG_ACCESS_LOG) */
    const char *metrics_token; /* GET /metrics from outside loopback with this bearer token; NULL: loopback only */
    struct sg_limit_rule limits[SG_LIMITS];
    unsigned streams_per_session;       /* live dashboard streams one session may hold (SONGGONG_STREAMS_PER_SESSION) */
    unsigned streams_max;               /* and the whole process (SONGGONG_STREAMS_MAX) */
    bool has_today;                     /* SONGGONG_TODAY set: a fixed date for tests and demos */
    const unsigned char *notify_secret; /* HMAC key of signed SMS replies (POST /api/notify/reply); NULL: off */
    size_t notify_secret_len;
    /* the WeChat official account (公众号) whose JS-SDK the escort's page uses to scan
     * (wx.scanQRCode); NULL without one: the page scans with the camera */
    const char *wechat_appid, *wechat_secret;
    const char *wechat_api; /* its API's base URL (tests point it at a stand-in) */
    struct sg_date today;
};

/** Today's date in China (UTC+8, no DST), or the configured fixed date. */
struct sg_date sg_app_today(const struct sg_app *app);
/** Milliseconds since the epoch (wall clock). */
uint64_t sg_app_now_ms(void);
/** The active campaign, or NULL when none is. */
const struct sg_campaign *sg_app_active_campaign(const struct sg_app *app);
/** The campaign with this id (NULL id: the active one); NULL when there is none. */
const struct sg_campaign *sg_app_campaign(const struct sg_app *app, const char *id);

#endif
