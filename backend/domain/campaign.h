/* SPDX-License-Identifier: MIT */
/* A campaign (season): id, name, date window, active flag. Every registration belongs to one. */
#ifndef SG_DOMAIN_CAMPAIGN_H
#define SG_DOMAIN_CAMPAIGN_H

#include <stdbool.h>
#include "domain/date.h"
#include "domain/schedule.h"

#define SG_CAMPAIGN_ID_MAX 31

struct sg_campaign {
    char id[SG_CAMPAIGN_ID_MAX + 1]; /* [a-z0-9-], used inside Redis keys */
    char name[160];
    struct sg_date starts, ends; /* inclusive */
    bool active;
    struct sg_schedule schedule; /* when its statistics table is due (may be empty) */
};

/** True when id is 1..31 chars of [a-z0-9-]. */
bool sg_campaign_id_valid(const char *id);

#endif
