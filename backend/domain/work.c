/* SPDX-License-Identifier: MIT */
/* The kinds of work (行业/工种) employers, jobs and job seekers share. */
#include <string.h>
#include "domain/work.h"

static const char *const work_names[SG_WORK_KINDS] = {"manufacturing", "construction", "service", "logistics",
                                                      "domestic",      "agriculture",  "driving", "other"};
static const char *const work_labels[SG_WORK_KINDS] = {"制造业/普工", "建筑装修", "餐饮服务", "物流快递",
                                                       "家政保洁",    "农业种养", "司机",     "其他"};

const char *sg_work_name(int kind)
{
    return kind >= 0 && kind < SG_WORK_KINDS ? work_names[kind] : "";
}

const char *sg_work_label(int kind)
{
    return kind >= 0 && kind < SG_WORK_KINDS ? work_labels[kind] : "";
}

int sg_work_parse(const char *s)
{
    for (int i = 0; s != NULL && i != SG_WORK_KINDS; ++i)
        if (strcmp(s, work_names[i]) == 0)
            return i;
    return -1;
}
