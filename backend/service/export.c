/* SPDX-License-Identifier: MIT */
/* The registrations export's row model: one row per person, labels in Chinese. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "service/export.h"

const double sg_export_widths[SG_EXPORT_COLUMNS] = {[4] = 22, [20] = 17}; /* ID numbers, times */

const char *const sg_export_titles[SG_EXPORT_COLUMNS] = {
    "报名号",   "姓名",     "性别",       "年龄",     "身份证号", "手机",       "市",       "县",
    "乡镇",     "村",       "目的地省",   "目的地市", "用工企业", "岗位已确定", "出发日期", "可调整天数",
    "出行方式", "脱贫人口", "低收入人口", "状态",     "报名时间", "录入人"};

static const char *division_name(const struct sg_app *app, const char *village, size_t len)
{
    const struct sg_division *d = sg_divisions_find(app->divisions, village, len);
    return d != NULL ? d->name : "";
}

static const char *label(const char *value, const char *const *pairs)
{
    for (; pairs[0] != NULL; pairs += 2)
        if (strcmp(pairs[0], value) == 0)
            return pairs[1];
    return value;
}

static const char *const modes[] = {"any", "不限", "bus", "汽车", "train", "火车", "flight", "飞机", NULL};
static const char *const poverty[] = {"none", "否", "alleviated", "脱贫人口", "monitored", "防返贫监测对象", NULL};
static const char *const statuses[] = {"registered", "已报名", "cancelled", "已取消", "assigned", "已安排", NULL};

void sg_export_cells(const struct sg_app *app, const struct sg_stored_registration *s, size_t i, bool full,
                     char (*storage)[SG_EXPORT_CELL_MAX], const char **cells)
{
    const struct sg_registration *r = &s->reg;
    const struct sg_person *p = &r->people[i];
    const struct sg_division *city = sg_divisions_find(app->destinations, r->dest_city, 4);
    const struct sg_division *prov = sg_divisions_find(app->destinations, r->dest_city, 2);
    time_t local = (time_t)(s->created_ms / 1000) + 8 * 3600; /* China time, no DST */
    struct tm tm;
    gmtime_r(&local, &tm);
    snprintf(storage[3], SG_EXPORT_CELL_MAX, "%d", sg_idno_age(&p->id, sg_app_today(app)));
    sg_date_format(r->depart_date, storage[14]);
    snprintf(storage[15], SG_EXPORT_CELL_MAX, "%d", r->flex_days);
    strftime(storage[20], SG_EXPORT_CELL_MAX, "%Y-%m-%d %H:%M", &tm);
    const char *v[SG_EXPORT_COLUMNS] = {s->code,
                                        p->name,
                                        p->id.sex == 1 ? "男" : "女",
                                        storage[3],
                                        full ? p->id.number : s->id_masked[i],
                                        full ? p->phone : s->phone_masked[i],
                                        division_name(app, r->village, 4),
                                        division_name(app, r->village, 6),
                                        division_name(app, r->village, 9),
                                        division_name(app, r->village, 12),
                                        prov != NULL ? prov->name : "",
                                        city != NULL ? city->name : "",
                                        r->employer,
                                        r->job_confirmed ? "是" : "否",
                                        storage[14],
                                        storage[15],
                                        label(sg_mode_name(r->mode), modes),
                                        label(sg_poverty_name(p->poverty), poverty),
                                        p->low_income ? "是" : "否",
                                        label(s->status, statuses),
                                        storage[20],
                                        s->entered_by};
    memcpy(cells, v, sizeof(v));
}
