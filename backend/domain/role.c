/* SPDX-License-Identifier: MIT */
/* The permission table. Scope containment (sg_scope_contains) is checked separately, on
 * every request, by the HTTP layer. */
#include <string.h>
#include "domain/division.h"
#include "domain/role.h"

static const struct {
    const char *name, *label;
    int level; /* required scope level, -1 for any */
} roles[SG_ROLES] = {
    {"village", "村级", SG_LEVEL_VILLAGE}, {"township", "乡镇级", SG_LEVEL_TOWNSHIP},
    {"county", "县级", SG_LEVEL_COUNTY},   {"city", "市级", SG_LEVEL_CITY},
    {"organiser", "组织方", -1},           {"admin", "管理员", -1},
};

/* Rows: roles in enum order; columns: actions in enum order. */
static const bool may[SG_ROLES][SG_ACTIONS] = {
    /*               view  edit  export full  transport audit users report jobs  call */
    /* village   */ {true, true, true, false, false, false, false, false, false, true},
    /* township  */ {true, true, true, false, false, false, false, false, false, true},
    /* county    */ {true, true, true, false, false, false, false, false, true, true},
    /* city      */ {true, true, true, false, false, false, false, true, true, true},
    /* organiser */ {true, true, true, true, true, false, false, true, true, true},
    /* admin     */ {true, true, true, true, true, true, true, true, true, true},
};

const char *sg_role_name(enum sg_role r)
{
    return (unsigned)r < SG_ROLES ? roles[r].name : "";
}

const char *sg_role_label(enum sg_role r)
{
    return (unsigned)r < SG_ROLES ? roles[r].label : "";
}

int sg_role_parse(const char *s)
{
    for (int i = 0; s != NULL && i != SG_ROLES; ++i)
        if (strcmp(s, roles[i].name) == 0)
            return i;
    return -1;
}

bool sg_role_scope_valid(enum sg_role r, const char *scope)
{
    if ((unsigned)r >= SG_ROLES || scope == NULL)
        return false;
    size_t len = strlen(scope);
    int level = sg_level_from_len(len);
    if (level < 0 || strspn(scope, "0123456789") != len)
        return false;
    return roles[r].level == -1 || roles[r].level == level;
}

bool sg_role_may(enum sg_role r, enum sg_action a)
{
    return (unsigned)r < SG_ROLES && (unsigned)a < SG_ACTIONS && may[r][a];
}
