/* SPDX-License-Identifier: MIT */
/* Staff roles, their scopes and what each may do. A user's scope is a division code;
 * everything under it is theirs and nothing else. Pure. */
#ifndef SG_DOMAIN_ROLE_H
#define SG_DOMAIN_ROLE_H

#include <stdbool.h>

enum sg_role {
    SG_ROLE_VILLAGE = 0,
    SG_ROLE_TOWNSHIP,
    SG_ROLE_COUNTY,
    SG_ROLE_CITY,
    SG_ROLE_ORGANISER,
    SG_ROLE_ADMIN,
};
#define SG_ROLES 6

/** What a request wants to do; sg_role_may says who may. */
enum sg_action {
    SG_ACT_VIEW = 0,    /* see registrations (masked), counts, figures in scope */
    SG_ACT_EDIT,        /* edit / cancel registrations, enter face to face, return figures */
    SG_ACT_EXPORT,      /* masked CSV / xlsx */
    SG_ACT_EXPORT_FULL, /* exports with full ID and phone numbers (logged) */
    SG_ACT_TRANSPORT,   /* vehicles, matching, manifests, funding */
    SG_ACT_AUDIT,       /* read the audit log */
    SG_ACT_USERS,       /* manage accounts */
    SG_ACT_REPORT,      /* file the statistics table (city staff, organisers, admins) */
    SG_ACT_JOBS,        /* employers, jobs and job pushes of the scope (county and city staff, organisers, admins) */
    SG_ACT_CALL,        /* call the people of the scope (the village's call-back, the escort at the door): their full
                         * phone numbers, one reveal at a time (logged); every staff role today */
};
#define SG_ACTIONS (SG_ACT_CALL + 1)

/** "village", "township", "county", "city", "organiser", "admin". */
const char *sg_role_name(enum sg_role r);
/** Chinese label for screens: 村级, 乡镇级, 县级, 市级, 组织方, 管理员. */
const char *sg_role_label(enum sg_role r);
/** enum value, or -1 when s names no role. */
int sg_role_parse(const char *s);
/**
 * True when scope (a code of 2, 4, 6, 9 or 12 digits) fits the role: village staff have a
 * village, township staff a township, county staff a county, city staff a city;
 * organisers and admins any level.
 */
bool sg_role_scope_valid(enum sg_role r, const char *scope);
bool sg_role_may(enum sg_role r, enum sg_action a);

#endif
