/* SPDX-License-Identifier: MIT */
/* Made-up but plausible sign-ups for tests, benchmarks and demos: xoshiro256** seeded
 * through splitmix64, so a seed always gives the same people. Every registration it
 * makes passes sg_registration_validate under the same ctx. Never used for real data. */
#include <assert.h>
#include <stdio.h>
#include <string.h>
#include "domain/demo.h"
#include "domain/employer.h"
#include "domain/text.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Common surnames, with the ones frequent in Guangxi (韦 覃 蒙 莫 黎 农 陆 ...). */
static const char *const surnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林",
    "罗", "高", "梁", "郑", "谢", "韦", "覃", "蒙", "莫", "陆", "黎", "农", "宋", "唐", "许", "邓", "冯", "韩",
    "曹", "曾", "彭", "萧", "蔡", "潘", "田", "董", "袁", "于", "余", "叶", "蒋", "杜", "苏", "魏", "程", "吕",
    "丁", "沈", "任", "姚", "卢", "钟", "廖", "施", "蓝", "岑", "庞", "凌", "磨", "闭", "零", "甘"};

static const char *const given[] = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
                                    "涛", "明", "超", "秀", "霞", "平", "刚", "桂", "英", "华", "红", "玉", "兰", "建",
                                    "国", "文", "辉", "亮", "成", "新", "海", "林", "峰", "春", "梅", "燕", "志", "荣",
                                    "福", "宁", "德", "金", "庆", "东", "生", "贵", "凤", "莲", "清", "昌", "永", "胜",
                                    "学", "祥", "才", "发", "武", "江", "勤", "丰", "光", "晓", "丹", "婷", "雪", "琳",
                                    "俊", "浩", "宇", "鹏", "彬", "斌", "仁", "义", "忠", "佳"};

static const char *const firm_cores[] = {"宏达", "鑫源", "长盛", "华立", "永兴", "联创", "德誉", "恒通",
                                         "新科", "美佳", "金利", "顺发", "裕丰", "嘉乐", "万和", "利元"};
static const char *const firm_kinds[] = {"电子", "制衣", "鞋业",     "五金制品", "塑胶", "家具", "玩具",
                                         "电器", "物流", "建筑工程", "食品",     "纺织", "照明", "包装"};

/* Destination provinces (percent) and big employment cities (relative weight). */
struct weighted {
    const char *code;
    unsigned weight;
};
static const struct weighted dest_provinces[] = {{"44", 70}, {"33", 12}, {"32", 10}, {"45", 8}};
static const struct weighted dest_cities[] = {{"4419", 30}, {"4403", 25}, {"4406", 15}, {"4401", 15}, {"4413", 8},
                                              {"4420", 7},  {"4407", 4},  {"4404", 3},  {"3302", 30}, {"3301", 25},
                                              {"3304", 10}, {"3307", 15}, {"3205", 40}, {"3202", 15}, {"3201", 15},
                                              {"4501", 40}, {"4502", 30}, {"4503", 10}, {"4509", 8}};

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

void sg_demo_rng_seed(struct sg_demo_rng *rng, uint64_t seed)
{
    for (int i = 0; i < 4; ++i)
        rng->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t sg_demo_rng_next(struct sg_demo_rng *rng)
{
    uint64_t *s = rng->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Uniform in [0, n) for n < 2^32 (multiply-shift on the high bits). */
static uint32_t below(struct sg_demo_rng *rng, uint32_t n)
{
    return (uint32_t)(((sg_demo_rng_next(rng) >> 32) * n) >> 32);
}

static bool chance(struct sg_demo_rng *rng, unsigned percent)
{
    return below(rng, 100) < percent;
}

static const struct sg_division *pick_village(struct sg_demo_rng *rng, const struct sg_divisions *ds)
{
    size_t n = sg_divisions_count(ds);
    assert(n > 0);
    for (int tries = 0; tries < 64; ++tries) {
        const struct sg_division *d = sg_divisions_at(ds, below(rng, (uint32_t)n));
        if (d->level == SG_LEVEL_VILLAGE)
            return d;
    }
    size_t start = below(rng, (uint32_t)n);
    for (size_t k = 0; k < n; ++k) {
        const struct sg_division *d = sg_divisions_at(ds, (start + k) % n);
        if (d->level == SG_LEVEL_VILLAGE)
            return d;
    }
    assert(!"ctx->divisions holds no village");
    return NULL;
}

/* Any city-level code in [begin, end), uniformly; NULL when there is none. */
static const struct sg_division *pick_city_in(struct sg_demo_rng *rng, const struct sg_divisions *ds, size_t begin,
                                              size_t end)
{
    size_t cities = 0;
    for (size_t i = begin; i < end; ++i)
        cities += sg_divisions_at(ds, i)->level == SG_LEVEL_CITY;
    if (cities == 0)
        return NULL;
    size_t k = below(rng, (uint32_t)cities);
    for (size_t i = begin;; ++i) {
        const struct sg_division *d = sg_divisions_at(ds, i);
        if (d->level == SG_LEVEL_CITY && k-- == 0)
            return d;
    }
}

/* A big employment city of the province when the table has one, weighted. */
static const struct sg_division *pick_big_city(struct sg_demo_rng *rng, const struct sg_divisions *ds,
                                               const char *province)
{
    const struct sg_division *found[COUNT(dest_cities)];
    unsigned total = 0;
    for (size_t i = 0; i < COUNT(dest_cities); ++i) {
        found[i] = NULL;
        if (strncmp(dest_cities[i].code, province, 2) != 0)
            continue;
        found[i] = sg_divisions_find(ds, dest_cities[i].code, 4);
        if (found[i] != NULL && found[i]->level == SG_LEVEL_CITY)
            total += dest_cities[i].weight;
        else
            found[i] = NULL;
    }
    if (total == 0)
        return NULL;
    unsigned r = below(rng, total);
    for (size_t i = 0;; ++i) {
        if (found[i] == NULL)
            continue;
        if (r < dest_cities[i].weight)
            return found[i];
        r -= dest_cities[i].weight;
    }
}

static const struct sg_division *pick_destination(struct sg_demo_rng *rng, const struct sg_divisions *ds)
{
    unsigned r = below(rng, 100);
    size_t p = 0;
    while (p + 1 < COUNT(dest_provinces) && r >= dest_provinces[p].weight)
        r -= dest_provinces[p++].weight;
    const char *province = dest_provinces[p].code;
    const struct sg_division *d = NULL;
    size_t begin, end;
    if (chance(rng, 85))
        d = pick_big_city(rng, ds, province);
    if (d == NULL && sg_divisions_range(ds, province, &begin, &end) == 0)
        d = pick_city_in(rng, ds, begin, end);
    if (d == NULL)
        d = pick_city_in(rng, ds, 0, sg_divisions_count(ds));
    assert(d != NULL && "ctx->destinations holds no city");
    return d;
}

static void make_name(struct sg_demo_rng *rng, char out[128])
{
    const char *s = surnames[below(rng, COUNT(surnames))];
    const char *g1 = given[below(rng, COUNT(given))];
    const char *g2 = chance(rng, 70) ? given[below(rng, COUNT(given))] : "";
    snprintf(out, 128, "%s%s%s", s, g1, g2);
}

/* Same month and day in another year; 29 Feb becomes 28 Feb in a common year. */
static struct sg_date years_before(struct sg_date d, int years)
{
    struct sg_date r = {d.y - years, d.m, d.d};
    if (!sg_date_valid(r))
        r.d = 28;
    return r;
}

/* Aged 18..65 on today, born in the village's county. */
static void make_idno(struct sg_demo_rng *rng, const char *village, struct sg_date today, struct sg_idno *out)
{
    long latest = sg_date_days(years_before(today, 18));
    long earliest = sg_date_days(years_before(today, 66)) + 1;
    struct sg_date birth = sg_date_from_days(earliest + (long)below(rng, (uint32_t)(latest - earliest + 1)));
    char number[19];
    snprintf(number, sizeof(number), "%.6s%04d%02d%02d%03u", village, birth.y, birth.m, birth.d,
             (unsigned)below(rng, 999) + 1);
    number[17] = sg_idno_check_char(number);
    number[18] = '\0';
    int ret = sg_idno_validate(number, today, out);
    assert(ret == 0);
    (void)ret;
}

static void make_phone(struct sg_demo_rng *rng, char out[12])
{
    out[0] = '1';
    out[1] = "35789"[below(rng, 5)];
    for (int i = 2; i < 11; ++i)
        out[i] = (char)('0' + below(rng, 10));
    out[11] = '\0';
}

static bool id_taken(const struct sg_registration *reg, size_t idx)
{
    for (size_t i = 0; i < idx; ++i)
        if (strcmp(reg->people[i].id.number, reg->people[idx].id.number) == 0)
            return true;
    return false;
}

static void make_person(struct sg_demo_rng *rng, const struct sg_validate_ctx *ctx, struct sg_registration *reg,
                        size_t idx)
{
    struct sg_person *p = &reg->people[idx];
    make_name(rng, p->name);
    do
        make_idno(rng, reg->village, ctx->today, &p->id);
    while (id_taken(reg, idx));
    p->region_unknown = ctx->regions != NULL && sg_divisions_find(ctx->regions, p->id.region, 6) == NULL;
    if (idx == 0 || chance(rng, 70))
        make_phone(rng, p->phone);
    else
        p->phone[0] = '\0';
    unsigned r = below(rng, 100);
    p->poverty = r < 10 ? SG_POVERTY_ALLEVIATED : r < 15 ? SG_POVERTY_MONITORED : SG_POVERTY_NONE;
    p->low_income = r >= 12 && r < 20; /* 8%, some of them monitored too (no draw of its own: seeds keep their data) */
}

/* "东莞市宏达电子有限公司": the destination city's name, a trade name, a trade. */
static void make_employer(struct sg_demo_rng *rng, const struct sg_division *city, char *out, size_t outsz)
{
    char raw[256];
    snprintf(raw, sizeof(raw), "%s%s%s有限公司", city->name, firm_cores[below(rng, COUNT(firm_cores))],
             firm_kinds[below(rng, COUNT(firm_kinds))]);
    if (sg_text_normalize(raw, SG_EMPLOYER_MAX_CHARS, out, outsz) != 0)
        snprintf(out, outsz, "%s%s有限公司", firm_cores[0], firm_kinds[0]);
}

/* 春节 of the years a campaign may fall in: workers leave mostly in the days after it. */
static const struct sg_date festivals[] = {{2023, 1, 22}, {2024, 2, 10}, {2025, 1, 29}, {2026, 2, 17},
                                           {2027, 2, 6},  {2028, 1, 26}, {2029, 2, 13}, {2030, 2, 3}};

long sg_demo_peak(long lo, long hi, long *peak_hi)
{
    for (size_t i = 0; i < COUNT(festivals); ++i) {
        long a = sg_date_days(festivals[i]) + SG_DEMO_PEAK_FROM, b = a + SG_DEMO_PEAK_DAYS - 1;
        a = a > lo ? a : lo;
        b = b < hi ? b : hi;
        if (a <= b) {
            *peak_hi = b;
            return a;
        }
    }
    return -1;
}

/* The departure day: as in practice, most in the peak after 春节 (初六 to 十五, the first
 * days the busiest), the others anywhere in the window. */
static long pick_day(struct sg_demo_rng *rng, long lo, long hi)
{
    long peak_hi, peak_lo = sg_demo_peak(lo, hi, &peak_hi);
    if (peak_lo < 0 || !chance(rng, SG_DEMO_PEAK_SHARE))
        return lo + (long)below(rng, (uint32_t)(hi - lo + 1));
    uint32_t span = (uint32_t)(peak_hi - peak_lo + 1), a = below(rng, span), b = below(rng, span);
    return peak_lo + (long)(a < b ? a : b); /* the smaller of two: earlier days are busier */
}

static void make_trip(struct sg_demo_rng *rng, const struct sg_validate_ctx *ctx, struct sg_registration *reg)
{
    struct sg_date first = sg_date_cmp(ctx->today, ctx->starts) > 0 ? ctx->today : ctx->starts;
    long lo = sg_date_days(first), hi = sg_date_days(ctx->ends);
    assert(lo <= hi && "no departure date is both in the campaign window and not past");
    reg->depart_date = sg_date_from_days(pick_day(rng, lo, hi));
    reg->flex_days = (int)below(rng, 4);
    unsigned r = below(rng, 100);
    reg->mode = r < 40 ? SG_MODE_ANY : r < 75 ? SG_MODE_BUS : r < 95 ? SG_MODE_TRAIN : SG_MODE_FLIGHT;
}

void sg_demo_registration(struct sg_demo_rng *rng, const struct sg_validate_ctx *ctx, struct sg_registration *out)
{
    memset(out, 0, sizeof(*out));
    memcpy(out->village, pick_village(rng, ctx->divisions)->code, sizeof(out->village));
    out->npeople = 1;
    if (chance(rng, 25))
        out->npeople += 1 + below(rng, 3);
    for (size_t i = 0; i < out->npeople; ++i)
        make_person(rng, ctx, out, i);
    const struct sg_division *city = pick_destination(rng, ctx->destinations);
    memcpy(out->dest_city, city->code, sizeof(out->dest_city));
    out->job_confirmed = chance(rng, 60);
    if (out->job_confirmed || chance(rng, 30))
        make_employer(rng, city, out->employer, sizeof(out->employer));
    make_trip(rng, ctx, out);
    /* jobs (issue 17), from digits already drawn so that a seed gives the same sign-ups as
     * before: consent to SMS (the form's consent includes it), half of those without a job
     * want one, of a kind */
    const char *id = out->people[0].id.number;
    out->sms = true;
    out->seek_job = !out->job_confirmed && (id[16] - '0') % 2 == 0;
    out->work = out->seek_job ? (id[15] - '0') % SG_WORK_KINDS : -1;
}
