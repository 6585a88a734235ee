#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Dashboard figures with 1,000,000 people stored: fill a fresh Redis with
# `songgong demo-data --people $PEOPLE` (timed), log in as a region admin, then time
# $REQUESTS sequential GET /api/stats?scope=... with curl for the region, a city and a
# county (one keep-alive connection each), and report p50/p99. Target: region p99 < 50 ms.
# Prints a table and writes bench/RESULTS-stats.md. Redis: no AOF (the reads are measured).
#
# Environment: PEOPLE (1000000), REQUESTS (200), SKIP_BUILD=1, RESULTS.
set -euo pipefail

BENCH_NAME=stats
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
PEOPLE="${PEOPLE:-1000000}"
REQUESTS="${REQUESTS:-200}"
RESULTS="${RESULTS:-$ROOT/bench/RESULTS-stats.md}"
WORK="$ROOT/build/bench-stats"
TODAY=2027-01-10

need redis-server redis-cli curl cmake python3
build_release
start_redis "$WORK" --bind 127.0.0.1 --save '' --appendonly no

export SONGGONG_REDIS="127.0.0.1:$REDIS_PORT" SONGGONG_KEY_FILE="$WORK/key" SONGGONG_TODAY="$TODAY"
"$BIN" keygen "$WORK/key" >/dev/null
say "demo-data --people $PEOPLE (this takes a while)"
t0=$(date +%s.%N)
"$BIN" demo-data --people "$PEOPLE" --seed 1 >"$WORK/demo.log" 2>&1
t1=$(date +%s.%N)
FILL_S=$(python3 -c "print(f'{$t1 - $t0:.0f}')")
REGS=$(redis-cli -p "$REDIS_PORT" zcard "sg:{45}:2027-spring:byplace")
MEM=$(redis-cli -p "$REDIS_PORT" info memory | sed -n 's/^used_memory_human:\(.*\)\r$/\1/p')
say "filled in ${FILL_S} s: $REGS registrations, Redis uses $MEM"
printf 'bench-stats-pw-1\n' | "$BIN" user add bench.admin --role admin --scope 45 >/dev/null 2>&1

PORT=$(free_port)
SONGGONG_PORT=$PORT "$BIN" serve >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
PIDS+=("$SERVER_PID")
for _ in $(seq 1 100); do
    curl -s -o /dev/null "http://127.0.0.1:$PORT/healthz" && break
    sleep 0.1
done
URL="http://127.0.0.1:$PORT"
curl -s -c "$WORK/cookies" -H 'Content-Type: application/json' \
    -d '{"username":"bench.admin","password":"bench-stats-pw-1"}' "$URL/api/login" >/dev/null

# $REQUESTS sequential requests on one connection; prints "p50 p99 max" in ms.
measure() {
    local scope=$1 urls=()
    for _ in $(seq 1 "$REQUESTS"); do urls+=(-o /dev/null "$URL/api/stats?scope=$scope"); done
    curl -s -b "$WORK/cookies" -w '%{time_total}\n' "${urls[@]}" >"$WORK/times-$scope"
    curl -s -b "$WORK/cookies" "$URL/api/stats?scope=$scope" >"$WORK/body-$scope.json"
    python3 - "$WORK/times-$scope" <<'PY'
import sys
t = sorted(float(x) * 1000 for x in open(sys.argv[1]) if x.strip())
q = lambda p: t[min(len(t) - 1, int(p * len(t)))]
print(f"{q(0.50):.1f} {q(0.99):.1f} {t[-1]:.1f}")
PY
}

ROWS=""
for scope in 45 4501 450102; do
    read -r p50 p99 max < <(measure "$scope")
    people=$(python3 -c "import json;print(json.load(open('$WORK/body-$scope.json'))['totals']['people'])")
    bytes=$(wc -c <"$WORK/body-$scope.json")
    ROWS+="| $scope | $people | $bytes | $p50 | $p99 | $max |"$'\n'
done
[ "$(python3 -c "import json;print(json.load(open('$WORK/body-45.json'))['totals']['people'])")" = "$PEOPLE" ] ||
    say "warning: the region's people differ from $PEOPLE"

TABLE="| scope | people | JSON bytes | p50 ms | p99 ms | max ms |
| --- | --- | --- | --- | --- | --- |
$ROWS"
printf '%s' "$TABLE"
cat >"$RESULTS" <<MD
# GET /api/stats with $PEOPLE people stored

\`bench/stats.sh\` on $(nproc) shared cores ($(date -u +%Y-%m-%d)), Release build, Redis
without persistence. \`songgong demo-data --people $PEOPLE\` wrote $REGS registrations in
${FILL_S} s; Redis then used $MEM. $REQUESTS sequential requests per scope on one
keep-alive connection (curl, logged in as a region admin); times are curl's
\`time_total\`, so they include the client.

$TABLE
Target: the region (scope 45) answers in under 50 ms. Each request is one session
check and one EVALSHA of \`backend/store/hgetall.lua\` over the counter hashes of the
scope's counties (region, city) or villages (county and below): 111 hashes for the region.
No registration is read: the counters are kept at write time by the sign-up script.
MD
say "wrote $RESULTS"
