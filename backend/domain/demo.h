/* SPDX-License-Identifier: MIT */
/* Realistic made-up registrations for tests, benchmarks and demos. Pure and seeded: the
 * same seed gives the same people. */
#ifndef SG_DOMAIN_DEMO_H
#define SG_DOMAIN_DEMO_H

#include <stdint.h>
#include "domain/registration.h"

struct sg_demo_rng {
    uint64_t s[4];
};

void sg_demo_rng_seed(struct sg_demo_rng *rng, uint64_t seed);
uint64_t sg_demo_rng_next(struct sg_demo_rng *rng);

/**
 * Fill out with one registration that sg_registration_validate accepts under ctx: a random
 * village of ctx->divisions, a worker and sometimes companions (about 1 in 4 sign-ups, 1-3
 * of them), valid ID numbers (check digit right, aged 18-65 on ctx->today, region = the
 * village's county), mobile numbers, destinations weighted toward Guangdong (~70%), then
 * Zhejiang, Jiangsu and Guangxi itself, a departure date in the campaign window and not
 * before today (SG_DEMO_PEAK_SHARE% in the peak after 春节, see sg_demo_peak), flex 0-3,
 * a mode, some poverty flags (~15%).
 */
void sg_demo_registration(struct sg_demo_rng *rng, const struct sg_validate_ctx *ctx, struct sg_registration *out);

#define SG_DEMO_PEAK_FROM 5   /* the peak starts on 初六, 5 days after 春节 */
#define SG_DEMO_PEAK_DAYS 10  /* and ends on 十五 */
#define SG_DEMO_PEAK_SHARE 85 /* percent of sign-ups leaving in it (when it is in the window) */

/**
 * The peak of departures inside the days [lo, hi] (days since 1970-01-01): its first day,
 * with its last in *peak_hi; -1 when no peak after a known 春节 (2023-2030) falls in them.
 */
long sg_demo_peak(long lo, long hi, long *peak_hi);

#endif
