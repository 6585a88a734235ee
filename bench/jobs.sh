#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Jobs and text messages at a county's scale (issue 17): a fresh Redis filled with
# `songgong demo-data --people $PEOPLE`, then, as a county employment office through the
# API of a Release server: employers and jobs registered, a push to 大龄 脱贫人口 without a
# job counted before sending (county and whole region), sent, and every message delivered
# by the sender (log driver) with one delivery-log line each; the public jobs list flooded
# (Redis calls per request); 分类汇集 for the region. Writes bench/RESULTS-jobs.md.
#
# Environment: PEOPLE (150000), FLOOD (20000 requests), SKIP_BUILD=1.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if [ "${SKIP_BUILD:-0}" != 1 ] || [ ! -x build/rel/songgong ]; then
    cmake -S . -B build/rel -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
    cmake --build build/rel -j2 --target songgong
fi
exec node bench/jobs.mjs
