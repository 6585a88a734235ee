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
BENCH_NAME=jobs
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need node redis-server cmake
build_release
SONGGONG_BENCH_BIN="$BIN" node bench/jobs.mjs
