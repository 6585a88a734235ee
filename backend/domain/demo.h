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
 * before today, flex 0-3, a mode, some poverty flags (~15%).
 */
void sg_demo_registration(struct sg_demo_rng *rng, const struct sg_validate_ctx *ctx, struct sg_registration *out);

#endif
