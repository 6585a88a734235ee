/* SPDX-License-Identifier: MIT */
/* Tests of domain/campaign.c. */
#include "test.h"
#include "domain/campaign.h"

static void test_id(void)
{
    ASSERT(sg_campaign_id_valid("2023-spring"));
    ASSERT(sg_campaign_id_valid("a"));
    ASSERT(sg_campaign_id_valid("abcdefghijklmnopqrstuvwxyz01234")); /* 31 */
    ASSERT(!sg_campaign_id_valid("abcdefghijklmnopqrstuvwxyz012345"));
    ASSERT(!sg_campaign_id_valid(""));
    ASSERT(!sg_campaign_id_valid(NULL));
    ASSERT(!sg_campaign_id_valid("2023-Spring"));
    ASSERT(!sg_campaign_id_valid("2023:spring"));
    ASSERT(!sg_campaign_id_valid("2023 spring"));
    ASSERT(!sg_campaign_id_valid("春季"));
}

int main(void)
{
    RUN(test_id);
    TEST_DONE();
}
