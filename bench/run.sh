#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Three measurements in one go on this machine (wrk, server and Redis share its cores):
#   (a) wrk: POST /api/registrations, a new valid ID per request (bench/signup.lua)
#   (b) wrk: a 5 KB static file from the same server (/bench-5k.html, made below)
#   (c) redis-benchmark: EVALSHA of backend/store/signup.lua, the script a sign-up runs,
#       on its own Redis
# Both Redis instances run deploy/redis.conf (AOF, appendfsync always) with data under
# build/bench/ (a real disk: fsync must cost what it costs). Prints a table and writes
# bench/RESULTS.md (whole; bench/posters.sh writes bench/RESULTS-posters.md). Targets: signup/static >= 0.35, signup/redis-script >= 0.60,
# sign-up p99 < 10 ms at 64 connections.
#
# Environment: CONNECTIONS (64), DURATION (10s), THREADS (2), SKIP_BUILD=1,
# STATIC_PATH (default /bench-5k.html), RESULTS (bench/RESULTS.md).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

CONNECTIONS="${CONNECTIONS:-64}"
DURATION="${DURATION:-10s}"
THREADS="${THREADS:-2}"
RESULTS="${RESULTS:-$ROOT/bench/RESULTS.md}"
BIN="$ROOT/build/songgong"
WORK="$ROOT/build/bench"
TODAY=2027-01-10

say() { printf 'bench: %s\n' "$*" >&2; }
die() {
    say "$*"
    exit 1
}

for tool in wrk redis-server redis-cli redis-benchmark curl cmake; do
    command -v "$tool" >/dev/null || die "$tool is missing (apt-get install wrk redis-server curl cmake)"
done

if [ "${SKIP_BUILD:-0}" != 1 ] || [ ! -x "$BIN" ]; then
    cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build build -j2 --target songgong
fi
grep -q 'CMAKE_BUILD_TYPE:STRING=Release' build/CMakeCache.txt || say "warning: build/ is not a Release build"

PIDS=()
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

free_port() {
    local p
    for _ in $(seq 1 50); do
        p=$((20000 + RANDOM % 12000)) # below the ephemeral range (32768+)
        port_in_use "$p" || {
            echo "$p"
            return 0
        }
    done
    die "no free port"
}

# start_redis NAME -> sets REDIS_PORT; fresh data directory, deploy/redis.conf settings.
start_redis() {
    local dir="$WORK/$1" i
    rm -rf "$dir"
    mkdir -p "$dir"
    REDIS_PORT="$(free_port)"
    redis-server deploy/redis.conf --dir "$dir" --port "$REDIS_PORT" --pidfile "$dir/redis.pid" \
        >"$dir/redis.log" 2>&1 &
    PIDS+=($!)
    for i in $(seq 1 100); do
        [ "$(redis-cli -p "$REDIS_PORT" ping 2>/dev/null || true)" = PONG ] && return 0
        sleep 0.05
    done
    die "redis-server did not start: $(tail -5 "$dir/redis.log")"
}

village() {
    local code=""
    if grep -qE '(^|[^0-9])450102001003([^0-9]|$)' data/divisions-45.tsv 2>/dev/null; then
        code=450102001003
    else
        code="$(grep -oE '(^|[^0-9])[0-9]{12}([^0-9]|$)' data/divisions-45.tsv | grep -oE '[0-9]{12}' | head -n 1)"
    fi
    echo "$code"
}

# to_ms VALUE: wrk prints 812.00us, 1.23ms, 1.02s.
to_ms() {
    awk -v v="$1" 'BEGIN {
        if (v ~ /us$/) { sub(/us$/, "", v); printf "%.2f", v / 1000 }
        else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.2f", v }
        else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.2f", v * 1000 }
        else { printf "%s", v } }'
}

# parse_wrk FILE -> "rps p50ms p99ms"
parse_wrk() {
    local rps p50 p99
    rps="$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$1")"
    p50="$(to_ms "$(awk '$1 == "50%" { print $2 }' "$1")")"
    p99="$(to_ms "$(awk '$1 == "99%" { print $2 }' "$1")")"
    echo "${rps:-0} ${p50:-?} ${p99:-?}"
}

mkdir -p "$WORK"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
VILLAGE="$(village)"
[ -n "$VILLAGE" ] || die "no village code in data/divisions-45.tsv"

# --- the server with its Redis -------------------------------------------------------
# The static file for (b): 5 KB of HTML, the size of a real page's HTML and of the file in
# the project's reference measurement of H2O (../shared/notes-h2o-hiredis.md), served from
# a copy of site/ so that nothing is added to the repository's site.
rm -rf "$WORK/site"
cp -r "$ROOT/site" "$WORK/site"
{
    printf '<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>5 KB</title></head><body>\n'
    for i in $(seq 1 200); do printf '<p>点对点送工 %03d</p>\n' "$i"; done
} >"$WORK/site/bench-5k.html"
truncate -s 5120 "$WORK/site/bench-5k.html"
start_redis server-redis
SERVER_REDIS_PORT="$REDIS_PORT"
SERVER_REDIS_PID="${PIDS[-1]}"
rm -f "$WORK/songgong.key"
"$BIN" keygen "$WORK/songgong.key"
PORT="$(free_port)"
URL="http://127.0.0.1:$PORT"
SONGGONG_PORT="$PORT" SONGGONG_HOST=127.0.0.1 SONGGONG_REDIS="127.0.0.1:$SERVER_REDIS_PORT" \
    SONGGONG_KEY_FILE="$WORK/songgong.key" SONGGONG_DATA_DIR="$ROOT/data" SONGGONG_SITE_DIR="$WORK/site" \
    SONGGONG_TODAY="$TODAY" SONGGONG_PUBLIC_URL="$URL" "$BIN" serve 2>"$WORK/server.log" &
PIDS+=($!)
SERVER_PID=$!
for _ in $(seq 1 100); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/healthz" || true)" = 200 ] && break
    sleep 0.1
done
[ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/healthz" || true)" = 200 ] || die "server did not come up: $(tail -5 "$WORK/server.log")"
STATIC_PATH="${STATIC_PATH:-/bench-5k.html}"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$URL$STATIC_PATH")" = 200 ] || die "$URL$STATIC_PATH is not 200"

WRK=(wrk -t"$THREADS" -c"$CONNECTIONS" --latency)
say "warm-up"
"${WRK[@]}" -d2s "$URL$STATIC_PATH" >/dev/null
"${WRK[@]}" -d2s -s bench/signup.lua "$URL" -- 450103 "$VILLAGE" >/dev/null

# CPU time (user + system, clock ticks) of a process, to see where a sign-up's cost goes.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
say "(a) sign-up: POST /api/registrations, $CONNECTIONS connections, $DURATION"
SERVER_CPU0="$(cpu_ticks "$SERVER_PID")"
REDIS_CPU0="$(cpu_ticks "$SERVER_REDIS_PID")"
"${WRK[@]}" -d"$DURATION" -s bench/signup.lua "$URL" -- 450102 "$VILLAGE" | tee "$WORK/signup.txt"
SERVER_CPU1="$(cpu_ticks "$SERVER_PID")"
REDIS_CPU1="$(cpu_ticks "$SERVER_REDIS_PID")"
say "(b) static: GET $STATIC_PATH, $CONNECTIONS connections, $DURATION"
"${WRK[@]}" -d"$DURATION" "$URL$STATIC_PATH" | tee "$WORK/static.txt"
SIGNUP_STATUSES="$(sed -n 's/^statuses: //p' "$WORK/signup.txt")"
STORED="$(redis-cli -p "$SERVER_REDIS_PORT" --scan --pattern 'sg:{45}:reg:*' | wc -l)"

# --- Redis alone, the same script --------------------------------------------------
start_redis script-redis
SCRIPT_REDIS_PORT="$REDIS_PORT"
SHA="$(redis-cli -p "$SCRIPT_REDIS_PORT" -x script load <backend/store/signup.lua)"
[[ "$SHA" =~ ^[0-9a-f]{40}$ ]] || die "SCRIPT LOAD failed: $SHA"
# One worker, as the server sends it (backend/store/registration.c build_args): 6 fixed keys
# and one sg:{45}:uid: key, then n, code, idempotency flag, created, village, campaign, the
# data JSON (backend/store/codec.c), counted, the match key and the key prefix; random code,
# uniqueness hash and registration key per call. Sealed values have their real lengths
# (URL-safe base64 of nonce+MAC+plaintext).
SEALED_ID="$(head -c 58 /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '=')"
SEALED_PHONE="$(head -c 51 /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '=')"
NOW_MS=1799539200000
DATA='{"dest_city":"4419","employer":"东莞市某电子有限公司","job_confirmed":true,"depart_date":"2027-02-03","flex_days":1,"mode":"any","entered_by":"","people":[{"name":"韦小宝","id":"'"$SEALED_ID"'","idh":"0123456789abcdef0123456789abcdef","phone":"'"$SEALED_PHONE"'","sex":1,"birth":"1990-01-01","poverty":"none","flag":""}]}'
COUNTED='people 1 regs 1 dest:4419 1 date:2027-02-03 1 day:2027-01-10 1'
EVAL=(EVALSHA "$SHA" 7
    "sg:{45}:reg:__rand_int__" "sg:{45}:idem:-" "sg:{45}:2027-spring:byplace" "sg:{45}:2027-spring:stats:$VILLAGE"
    "sg:{45}:2027-spring:stats:${VILLAGE:0:6}" "sg:{45}:2027-spring:open"
    "sg:{45}:uid:2027-spring:0123456789abcdef__rand_int__"
    1 "__rand_int__" 0 "$NOW_MS" "$VILLAGE" 2027-spring "$DATA" "$COUNTED" "4419:20852:1:0" "sg:{45}:"
    people 1 regs 1 dest:4419 1 date:2027-02-03 1 day:2027-01-10 1)
# redis-benchmark has no duration: size -n from a short calibration run to about DURATION.
say "(c) redis alone: EVALSHA signup.lua, $CONNECTIONS connections"
redis-benchmark -p "$SCRIPT_REDIS_PORT" -c "$CONNECTIONS" -n 20000 -r 1000000000 "${EVAL[@]}" >"$WORK/redis-calib.txt" 2>&1
CAL_RPS="$(awk '/throughput summary:/ { printf "%.0f", $3 }' "$WORK/redis-calib.txt")"
redis-cli -p "$SCRIPT_REDIS_PORT" flushall >/dev/null
redis-cli -p "$SCRIPT_REDIS_PORT" config resetstat >/dev/null
SECS="${DURATION%s}"
N=$(((${CAL_RPS:-10000} * SECS) / 1))
[ "$N" -ge 20000 ] || N=20000
redis-benchmark -p "$SCRIPT_REDIS_PORT" -c "$CONNECTIONS" -n "$N" -r 1000000000 "${EVAL[@]}" 2>&1 |
    tr '\r' '\n' | grep -v '^EVALSHA.*rps=' | tee "$WORK/redis.txt" | tail -n 8
ERRORS="$(redis-cli -p "$SCRIPT_REDIS_PORT" info stats | awk -F: '/^total_error_replies:/ { print $2 }' | tr -d '\r')"
SCRIPT_STORED="$(redis-cli -p "$SCRIPT_REDIS_PORT" --scan --pattern 'sg:{45}:reg:*' | wc -l)"

# --- results -----------------------------------------------------------------------
read -r SIGNUP_RPS SIGNUP_P50 SIGNUP_P99 <<<"$(parse_wrk "$WORK/signup.txt")"
read -r STATIC_RPS STATIC_P50 STATIC_P99 <<<"$(parse_wrk "$WORK/static.txt")"
REDIS_RPS="$(awk '/throughput summary:/ { printf "%.0f", $3 }' "$WORK/redis.txt")"
read -r REDIS_P50 REDIS_P99 <<<"$(awk '/latency summary/ { getline; getline; print $3, $5 }' "$WORK/redis.txt")"
SIGNUP_NON2XX="$(awk '/Non-2xx or 3xx responses:/ { print $5 }' "$WORK/signup.txt")"
SIGNUP_TOTAL="$(awk '/requests in/ { print $1 }' "$WORK/signup.txt")"
HZ="$(getconf CLK_TCK)"
per_signup_us() { awk -v t="$1" -v hz="$HZ" -v n="$SIGNUP_TOTAL" 'BEGIN { if (n > 0) printf "%.0f", t / hz * 1e6 / n; else print "?" }'; }
SERVER_US="$(per_signup_us $((SERVER_CPU1 - SERVER_CPU0)))"
REDIS_US="$(per_signup_us $((REDIS_CPU1 - REDIS_CPU0)))"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
verdict() { awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN { ok = (op == ">=") ? (v >= t) : (v < t); print ok ? "met" : "NOT met" }'; }
R_STATIC="$(ratio "$SIGNUP_RPS" "$STATIC_RPS")"
R_REDIS="$(ratio "$SIGNUP_RPS" "$REDIS_RPS")"

CPU="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
MEM="$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
DIRTY="$(git status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo ' (with uncommitted changes)' || true)"

TABLE="| measurement | req/s | p50 ms | p99 ms |
| --- | ---: | ---: | ---: |
| (a) sign-up: POST /api/registrations (wrk, signup.lua) | $SIGNUP_RPS | $SIGNUP_P50 | $SIGNUP_P99 |
| (b) static: GET $STATIC_PATH, same server (wrk) | $STATIC_RPS | $STATIC_P50 | $STATIC_P99 |
| (c) Redis alone: EVALSHA signup.lua (redis-benchmark) | $REDIS_RPS | ${REDIS_P50:-?} | ${REDIS_P99:-?} |

| target | value | |
| --- | ---: | --- |
| sign-up / static ≥ 0.35 | $R_STATIC | $(verdict "$R_STATIC" ">=" 0.35) |
| sign-up / Redis script ≥ 0.60 | $R_REDIS | $(verdict "$R_REDIS" ">=" 0.60) |
| sign-up p99 < 10 ms | $SIGNUP_P99 ms | $(verdict "$SIGNUP_P99" "<" 10) |"

cat >"$RESULTS" <<EOF
# Benchmark results

Written by \`bench/run.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'), commit $COMMIT$DIRTY.
Poster rendering has its own script and file: [RESULTS-posters.md](RESULTS-posters.md)
(\`bench/posters.sh\`).

$TABLE

Sign-up responses: ${SIGNUP_STATUSES:-?} (non-2xx: ${SIGNUP_NON2XX:-0}); registrations in
Redis afterwards, warm-up included: $STORED.
Redis alone: $N calls, error replies: ${ERRORS:-?}, registrations stored: $SCRIPT_STORED
(the few missing drew a random code or ID hash already drawn and returned early, as a
real duplicate would).

## Where a sign-up's time goes
CPU time (user + system) during (a), divided by the sign-ups answered: the server
$SERVER_US µs, Redis $REDIS_US µs (its script, the AOF write and fsync, the network), per
sign-up. Two cores carry both of them and wrk. Every sign-up costs Redis far more than a
static file costs H2O, so sign-up/static is bounded by Redis's single thread and by the
CPU wrk and the server leave it: with AOF \`appendfsync always\` even a bare \`SET\` runs
at about 64,000/s here, and the sign-up script (six Redis calls, the fewest that keep it
atomic, unique, indexed and counted) at about $REDIS_RPS/s alone.

## How
- $CONNECTIONS connections, $THREADS wrk threads, $DURATION each, after a 2 s warm-up of
  each wrk run. The server is the Release build (\`build/songgong serve\`, H2O evloop),
  SONGGONG_TODAY=$TODAY.
- Both Redis instances use \`deploy/redis.conf\`: AOF on, \`appendfsync always\`, no RDB,
  data on the local disk under \`build/bench/\`.
- (a) one worker per sign-up, a fresh valid ID number per request (bench/signup.lua).
- (b) a 5 KB HTML file (\`/bench-5k.html\`, made by the script in a copy of site/), served by
  H2O's file handler with its file cache on.
- (c) the very script a sign-up runs (\`backend/store/signup.lua\`, EVALSHA) with the same
  keys and argument sizes as the server sends for one worker; \`__rand_int__\` makes codes
  and ID hashes unique.

## Machine
- CPU: $CPU, $(nproc) cores, $MEM; shared by wrk, the server, Redis and redis-benchmark.
- $(uname -sr); $(. /etc/os-release && echo "$PRETTY_NAME"); $(redis-server --version | awk '{print $1, $2, $3}');
  $(wrk --version 2>&1 | head -n 1 | awk '{print $1, $2}'); $(cc --version | head -n 1).
- Load average just before the run: $LOAD_BEFORE (anything else running skews the numbers).
- Numbers move ±20% from run to run on this shared virtual machine.
EOF

echo
echo "$TABLE"
echo
say "sign-up statuses: ${SIGNUP_STATUSES:-?}; wrote $RESULTS"
