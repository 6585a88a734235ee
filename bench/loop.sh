#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The event loop stays free while files are drawn: GET /healthz latency (wrk, 8
# connections, 10 s) alone, then while the whole region's posters (16,681 pages, one PDF)
# are being drawn for a staff download, then while 5,000 different villages' QR codes are
# asked for (cache misses, drawn on the offload worker). One event loop (--threads 1): the
# worst case. Writes bench/RESULTS-loop.md with the load average beside each figure.
# Target (issue 13): /healthz p99 under 50 ms while the posters are drawn.
#
# Environment: SKIP_BUILD=1, RESULTS (bench/RESULTS-loop.md).
set -euo pipefail

BENCH_NAME=loop
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
RESULTS="${RESULTS:-$ROOT/bench/RESULTS-loop.md}"
WORK="$ROOT/build/bench/loop"

need wrk redis-server redis-cli curl
build_release
start_redis "$WORK" --bind 127.0.0.1 --save '' --appendonly no
RPORT="$REDIS_PORT"
"$BIN" keygen "$WORK/key" >/dev/null
PORT="$(free_port)"
export SONGGONG_REDIS="127.0.0.1:$RPORT" SONGGONG_KEY_FILE="$WORK/key" SONGGONG_DATA_DIR="$ROOT/data" \
    SONGGONG_SITE_DIR="$ROOT/site" SONGGONG_TODAY=2027-01-10 SONGGONG_PORT="$PORT" SONGGONG_THREADS=1 \
    SONGGONG_ACCESS_LOG=off SONGGONG_PUBLIC_URL=https://songgong.example.cn
"$BIN" serve >"$WORK/server.log" 2>&1 &
PIDS+=($!)
until curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null; do sleep 0.1; done
printf '%s\n' 'Xq7-tLm2-pR9v-2027' | "$BIN" user add loopstaff --role admin --scope 45 >/dev/null 2>"$WORK/user.log" || die "user add: $(cat "$WORK/user.log")"
curl -s -c "$WORK/cookies" -H 'Content-Type: application/json' \
    -d '{"username":"loopstaff","password":"Xq7-tLm2-pR9v-2027"}' "http://127.0.0.1:$PORT/api/login" >/dev/null

# healthz NAME -> "p50_ms p99_ms req/s load"
healthz() {
    local out load
    load="$(cut -d' ' -f1 /proc/loadavg)"
    out="$(wrk -t1 -c8 -d10s --latency "http://127.0.0.1:$PORT/healthz")"
    echo "$(awk '/^ +50%/ { print $2 }' <<<"$out") $(awk '/^ +99%/ { print $2 }' <<<"$out") $(awk '/^Requests\/sec/ { printf "%.0f", $2 }' <<<"$out") $load"
}
ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) printf "%.2f", v / 1000; else if (v ~ /ms$/) printf "%.2f", v + 0; else printf "%.2f", v * 1000 }'; }

say "/healthz alone"
read -r A50 A99 ARPS ALOAD <<<"$(healthz)"

say "/healthz while the region's posters are drawn"
START=$(date +%s.%N)
curl -s -b "$WORK/cookies" -o "$WORK/region.pdf" "http://127.0.0.1:$PORT/api/posters.pdf?scope=45" &
CURL=$!
sleep 1
read -r P50 P99 PRPS PLOAD <<<"$(healthz)"
wait "$CURL"
SECS="$(awk -v a="$START" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')"
PAGES="$(pdfinfo "$WORK/region.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')"

say "/healthz while 5,000 villages' QR codes are drawn"
awk -F'\t' 'length($1) == 12 && n++ < 5000 { print $1 }' data/divisions-45.tsv >"$WORK/villages"
( while read -r v; do curl -s -o /dev/null "http://127.0.0.1:$PORT/qr/$v.png"; done <"$WORK/villages" ) &
QRS=$!
sleep 0.5
read -r Q50 Q99 QRPS QLOAD <<<"$(healthz)"
kill "$QRS" 2>/dev/null || true
wait "$QRS" 2>/dev/null || true

verdict() { awk -v v="$(ms "$1")" -v t="$2" 'BEGIN { print (v < t) ? "met" : "NOT met" }'; }
TABLE="| /healthz (wrk, 8 connections, 10 s) | p50 ms | p99 ms | req/s | load average (1 min) |
| --- | ---: | ---: | ---: | ---: |
| alone | $(ms "$A50") | $(ms "$A99") | $ARPS | $ALOAD |
| while the region's posters are drawn ($PAGES pages in $SECS s) | $(ms "$P50") | $(ms "$P99") | $PRPS | $PLOAD |
| while 5,000 villages' QR codes are drawn | $(ms "$Q50") | $(ms "$Q99") | $QRPS | $QLOAD |

| target | value | |
| --- | ---: | --- |
| /healthz p99 < 50 ms while the posters are drawn | $(ms "$P99") ms | $(verdict "$P99" 50) |"

cat >"$RESULTS" <<EOF
# The event loop while files are drawn

Written by \`bench/loop.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD).

$TABLE

## How
- Release build, \`songgong serve --threads 1\` (one event loop: the worst case), Redis without
  persistence. The posters are drawn on the offload worker in 64 KB batches, the next batch
  only when the last one is sent; QR codes are drawn there too and cached.
- wrk -t1 -c8 -d10s --latency on /healthz (a PING to Redis), alone and during each load.

## Machine
- $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), $(nproc) cores shared by wrk, curl, the server and Redis.
- $(uname -sr); $(. /etc/os-release && echo "$PRETTY_NAME").
EOF
echo "$TABLE"
say "wrote $RESULTS"
