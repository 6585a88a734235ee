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
    /* the WeChat official account (公众号) whose JS-SDK the escort's page uses to scan
     * (wx.scanQRCode); NULL without one: the page scans with the camera */
    const char *wechat_appid, *wechat_secret;
    const char *wechat_api; /* its API's base URL (tests point it at a stand-in) */
    bool has_today;         /* SONGGONG_TODAY set: a fixed date for tests and demos */
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
