/* SPDX-License-Identifier: MIT */
/* The manifest's columns and the cells of a row, shared by CSV, .xlsx and PDF, and the
 * CSV itself. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "print/manifest.h"

const char *const sg_manifest_heads[SG_MANIFEST_COLS] = {
    "序号", "姓名", "性别", "身份证号", "手机", "乡镇/村", "上车点", "目的地/用工企业", "座位", "脱贫人口", "签到"};

const char *sg_manifest_time(const char *time)
{
    return time[0] != '\0' ? time : "（时间待定）";
}

void sg_manifest_stops_line(const struct sg_vehicle *v, char *out, size_t n)
{
    size_t at = (size_t)snprintf(out, n, "上车点：%s", v->nstops == 0 ? "（待定）" : "");
    for (size_t i = 0; i != v->nstops && at < n; ++i)
        at += (size_t)snprintf(out + at, n - at, "%s%s %s", i != 0 ? " → " : "", v->stops[i].name,
                               sg_manifest_time(v->stops[i].time));
}

void sg_manifest_crew_line(const struct sg_vehicle *v, char *out, size_t n)
{
    size_t at = 0;
    out[0] = '\0';
#define PART(...) (at < n ? (at += (size_t)snprintf(out + at, n - at, __VA_ARGS__)) : at)
    if (v->captain[0] != '\0')
        PART("车长：%s", v->captain);
    if (v->vice_captain[0] != '\0')
        PART("%s副车长：%s", at != 0 ? "　" : "", v->vice_captain);
    if (v->convoy[0] != '\0' || v->convoy_leader[0] != '\0')
        PART("%s车队：%s%s%s%s", at != 0 ? "　｜　" : "", v->convoy[0] != '\0' ? v->convoy : "（未命名）",
             v->convoy_leader[0] != '\0' ? "（车队长 " : "", v->convoy_leader, v->convoy_leader[0] != '\0' ? "）" : "");
#undef PART
    /* (the hand-over has its own line at the foot, where it is signed) */
}

void sg_manifest_handover_line(const struct sg_vehicle *v, char *out, size_t n)
{
    snprintf(out, n, "到达交接（接收单位）：%s　　接收人签字：________________　　交接时间：____月____日____时____分",
             v->handover[0] != '\0' ? v->handover : "________________________");
}

void sg_manifest_cells(const struct sg_manifest_row *r, char no[16], const char *out[SG_MANIFEST_COLS])
{
    snprintf(no, 16, "%u", r->no);
    const char *cells[SG_MANIFEST_COLS] = {no,
                                           r->name,
                                           r->sex,
                                           r->id,
                                           r->phone,
                                           r->place,
                                           r->stop,
                                           r->dest,
                                           r->seat,
                                           r->poverty ? "是" : "否",
                                           r->boarded ? "已签到" : ""};
    memcpy(out, cells, sizeof(cells));
}

struct text {
    char *buf;
    size_t len, cap;
};

static void append(struct text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        t->cap = (t->len + n + 1) * 2;
        if ((t->buf = realloc(t->buf, t->cap)) == NULL)
            abort();
    }
    memcpy(t->buf + t->len, s, n);
    t->len += n;
}

/* A CSV field: quoted when it holds a comma, quote or newline; a leading = + - @ gets a
 * ' so that a spreadsheet does not run it as a formula. */
static void csv_field(struct text *t, const char *s, bool last)
{
    bool formula = s[0] != '\0' && strchr("=+-@", s[0]) != NULL;
    bool quote = formula || strpbrk(s, ",\"\n\r") != NULL;
    if (quote)
        append(t, formula ? "\"'" : "\"", formula ? 2 : 1);
    for (; *s != '\0'; ++s)
        append(t, *s == '"' ? "\"\"" : s, *s == '"' ? 2 : 1);
    if (quote)
        append(t, "\"", 1);
    append(t, last ? "\r\n" : ",", last ? 2 : 1);
}

unsigned char *sg_manifest_csv(const struct sg_manifest_doc *d, size_t *len)
{
    struct text t = {0};
    char no[16];
    append(&t, "\xef\xbb\xbf", 3); /* BOM: Excel then reads UTF-8 */
    for (size_t i = 0; i != SG_MANIFEST_COLS; ++i)
        csv_field(&t, sg_manifest_heads[i], i == SG_MANIFEST_COLS - 1);
    for (size_t i = 0; i != d->n; ++i) {
        const char *f[SG_MANIFEST_COLS];
        sg_manifest_cells(&d->rows[i], no, f);
        for (size_t k = 0; k != SG_MANIFEST_COLS; ++k)
            csv_field(&t, f[k], k == SG_MANIFEST_COLS - 1);
    }
    *len = t.len;
    return (unsigned char *)t.buf;
}
