/* SPDX-License-Identifier: MIT */
/* domain/role.c: role names, scope levels, the permission table. */
#include "domain/role.h"
#include "test.h"

static void test_names_round_trip(void)
{
    for (int r = 0; r != SG_ROLES; ++r)
        ASSERT_EQ(sg_role_parse(sg_role_name((enum sg_role)r)), r);
    ASSERT_EQ(sg_role_parse("root"), -1);
    ASSERT_EQ(sg_role_parse(NULL), -1);
    ASSERT_STREQ(sg_role_label(SG_ROLE_VILLAGE), "村级");
}

static void test_scope_levels(void)
{
    ASSERT(sg_role_scope_valid(SG_ROLE_VILLAGE, "450102001201"));
    ASSERT(!sg_role_scope_valid(SG_ROLE_VILLAGE, "450102001"));
    ASSERT(sg_role_scope_valid(SG_ROLE_TOWNSHIP, "450102001"));
    ASSERT(sg_role_scope_valid(SG_ROLE_COUNTY, "450102"));
    ASSERT(!sg_role_scope_valid(SG_ROLE_COUNTY, "4501"));
    ASSERT(sg_role_scope_valid(SG_ROLE_CITY, "4501"));
    ASSERT(sg_role_scope_valid(SG_ROLE_ORGANISER, "4501"));
    ASSERT(sg_role_scope_valid(SG_ROLE_ORGANISER, "450102"));
    ASSERT(sg_role_scope_valid(SG_ROLE_ADMIN, "45"));
    ASSERT(!sg_role_scope_valid(SG_ROLE_ADMIN, "4"));
    ASSERT(!sg_role_scope_valid(SG_ROLE_ADMIN, "45a1"));
    ASSERT(!sg_role_scope_valid(SG_ROLE_ADMIN, ""));
    ASSERT(!sg_role_scope_valid((enum sg_role)99, "45"));
}

static void test_permissions(void)
{
    ASSERT(sg_role_may(SG_ROLE_VILLAGE, SG_ACT_VIEW));
    ASSERT(sg_role_may(SG_ROLE_VILLAGE, SG_ACT_EDIT));
    ASSERT(!sg_role_may(SG_ROLE_VILLAGE, SG_ACT_EXPORT_FULL));
    ASSERT(!sg_role_may(SG_ROLE_CITY, SG_ACT_EXPORT_FULL));
    ASSERT(sg_role_may(SG_ROLE_ORGANISER, SG_ACT_EXPORT_FULL));
    ASSERT(sg_role_may(SG_ROLE_ORGANISER, SG_ACT_TRANSPORT));
    ASSERT(!sg_role_may(SG_ROLE_ORGANISER, SG_ACT_USERS));
    ASSERT(sg_role_may(SG_ROLE_ADMIN, SG_ACT_USERS));
    /* filing the statistics table: city staff, organisers, admins */
    ASSERT(sg_role_may(SG_ROLE_CITY, SG_ACT_REPORT));
    ASSERT(sg_role_may(SG_ROLE_ORGANISER, SG_ACT_REPORT));
    ASSERT(!sg_role_may(SG_ROLE_COUNTY, SG_ACT_REPORT));
    ASSERT(!sg_role_may(SG_ROLE_CITY, (enum sg_action)SG_ACTIONS));
    /* jobs (issue 17): the employment office (county and city staff), organisers and admins */
    ASSERT(sg_role_may(SG_ROLE_COUNTY, SG_ACT_JOBS));
    ASSERT(sg_role_may(SG_ROLE_CITY, SG_ACT_JOBS));
    ASSERT(sg_role_may(SG_ROLE_ORGANISER, SG_ACT_JOBS));
    ASSERT(!sg_role_may(SG_ROLE_VILLAGE, SG_ACT_JOBS));
    ASSERT(!sg_role_may(SG_ROLE_TOWNSHIP, SG_ACT_JOBS));
    ASSERT(sg_role_may(SG_ROLE_ADMIN, SG_ACT_AUDIT));
    ASSERT(!sg_role_may(SG_ROLE_COUNTY, SG_ACT_AUDIT));
    ASSERT(sg_role_may(SG_ROLE_VILLAGE, SG_ACT_CALL)); /* the village's call-back loop */
    ASSERT(sg_role_may(SG_ROLE_TOWNSHIP, SG_ACT_CALL));
    ASSERT(sg_role_may(SG_ROLE_COUNTY, SG_ACT_CALL)); /* escorts at the door come from every level */
    ASSERT(sg_role_may(SG_ROLE_CITY, SG_ACT_CALL));
    ASSERT(sg_role_may(SG_ROLE_ORGANISER, SG_ACT_CALL)); /* the escort at the door */
}

int main(void)
{
    RUN(test_names_round_trip);
    RUN(test_scope_levels);
    RUN(test_permissions);
    TEST_DONE();
}
