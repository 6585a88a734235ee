/* SPDX-License-Identifier: MIT */
/* Campaign ids end up inside Redis keys, so only a small safe alphabet is allowed. */
#include <string.h>
#include "domain/campaign.h"

bool sg_campaign_id_valid(const char *id)
{
    if (id == NULL)
        return false;
    size_t n = strlen(id);
    if (n == 0 || n > SG_CAMPAIGN_ID_MAX)
        return false;
    for (size_t i = 0; i < n; ++i) {
        char c = id[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return false;
    }
    return true;
}
