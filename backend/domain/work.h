/* SPDX-License-Identifier: MIT */
/* The kinds of work shared by employers (industry), jobs (kind) and job seekers (the kind
 * wanted). Pure. */
#ifndef SG_DOMAIN_WORK_H
#define SG_DOMAIN_WORK_H

/** Kinds of work (行业/工种): what employers do, what jobs are and what seekers want. */
#define SG_WORK_KINDS 8
/** "manufacturing", "construction", "service", "logistics", "domestic", "agriculture", "driving", "other". */
const char *sg_work_name(int kind);
/** 制造业/普工, 建筑装修, 餐饮服务, 物流快递, 家政保洁, 农业种养, 司机, 其他. */
const char *sg_work_label(int kind);
/** The kind's index, or -1 when s names none. */
int sg_work_parse(const char *s);

#endif
