/* SPDX-License-Identifier: MIT */
/* Clock and campaign helpers of the app. China keeps UTC+8 all year, so "today" is the
 * UTC date eight hours on, whatever the server's time zone. */
#include <string.h>
#include <time.h>
#include "service/app.h"

struct sg_date sg_app_today(const struct sg_app *app)
{
    if (app->has_today)
        return app->today;
    time_t now = time(NULL) + 8 * 3600;
    return sg_date_from_days((long)(now / 86400));
}

uint64_t sg_app_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

const struct sg_campaign *sg_app_active_campaign(const struct sg_app *app)
{
    for (size_t i = 0; i != app->ncampaigns; ++i)
        if (app->campaigns[i].active)
            return &app->campaigns[i];
    return NULL;
}

const struct sg_campaign *sg_app_campaign(const struct sg_app *app, const char *id)
{
    if (id == NULL)
        return sg_app_active_campaign(app);
    for (size_t i = 0; i != app->ncampaigns; ++i)
        if (strcmp(app->campaigns[i].id, id) == 0)
            return &app->campaigns[i];
    return NULL;
}

const char *const sg_limit_names[SG_LIMITS] = {"signup", "lookup", "code", "login", "login_name", "login_address"};
const struct sg_limit_rule sg_limit_defaults[SG_LIMITS] = {
    [SG_LIMIT_SIGNUP] = {60, 60}, [SG_LIMIT_LOOKUP] = {60, 60},       [SG_LIMIT_CODE] = {10, 3600},
    [SG_LIMIT_LOGIN] = {5, 900},  [SG_LIMIT_LOGIN_NAME] = {50, 3600}, [SG_LIMIT_LOGIN_ADDRESS] = {30, 300},
};
