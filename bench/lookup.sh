#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The worker's status lookup, GET /api/registrations/{code}?phone4=NNNN (the status page's
# request), against the Release server on a Redis with deploy/redis.conf (AOF,
# appendfsync always: each lookup counts the address's attempt, limit.lua) holding
# `songgong demo-data --people $PEOPLE`: wrk with 64 connections over 2,000 real pairs of
# code and last 4 phone digits, SONGGONG_THREADS 1 and 2. Per run: lookups a second, p50,
# p99, the answers (all 200), CPU of the server and of Redis a lookup, the load average
# before. Writes bench/RESULTS-lookup.md.
# Environment: PEOPLE (100000), DURATION (10s), CONNS (64), THREADS_LIST ("1 2"),
# SKIP_BUILD=1, RESULTS (bench/RESULTS-lookup.md).
set -euo pipefail

BENCH_NAME=lookup
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
PEOPLE="${PEOPLE:-100000}"
DURATION="${DURATION:-10s}"
CONNS="${CONNS:-64}"
THREADS_LIST="${THREADS_LIST:-1 2}"
RESULTS="${RESULTS:-$ROOT/bench/RESULTS-lookup.md}"
WORK="$ROOT/build/bench/lookup"
TODAY=2027-01-10

need wrk redis-server redis-cli curl cmake awk
build_release
start_redis "$WORK" deploy/redis.conf
RPORT="$REDIS_PORT" RPID="$REDIS_PID"
"$BIN" keygen "$WORK/key" >/dev/null
export SONGGONG_REDIS="127.0.0.1:$RPORT" SONGGONG_KEY_FILE="$WORK/key" SONGGONG_DATA_DIR="$ROOT/data" SONGGONG_TODAY="$TODAY"
LOAD0="$(cut -d' ' -f1-3 /proc/loadavg)"
say "demo-data --people $PEOPLE (load $LOAD0)"
"$BIN" demo-data --people "$PEOPLE" --seed 7 >"$WORK/demo.txt"
# 2,000 real pairs: each registration's code and the last 4 digits of its worker's phone
redis-cli -p "$RPORT" --scan --pattern 'sg:{45}:reg:*' | awk 'NR <= 2000' >"$WORK/keys.txt"
sed 's/^/HGET /; s/$/ data/' "$WORK/keys.txt" | redis-cli -p "$RPORT" >"$WORK/data.txt"
# (the first "pm" of the data is the worker's: the people come worker first)
paste -d' ' "$WORK/keys.txt" "$WORK/data.txt" |
    awk 'match($0, /"pm":"[0-9][0-9][0-9][0-9][0-9][0-9][0-9]"/) { print substr($1, length($1) - 7), substr($0, RSTART + 9, 4) }' \
        >"$WORK/pairs.txt"
[ "$(wc -l <"$WORK/pairs.txt")" -ge 1000 ] || die "too few pairs: $(wc -l <"$WORK/pairs.txt")"

ROWS=""
for t in $THREADS_LIST; do
    for c in $CONNS; do
        SPORT="$(free_port)"
        SONGGONG_PORT="$SPORT" SONGGONG_HOST=127.0.0.1 SONGGONG_THREADS="$t" SONGGONG_SITE_DIR="$ROOT/site" \
            SONGGONG_PUBLIC_URL="http://127.0.0.1:$SPORT" SONGGONG_LIMIT_LOOKUP=1000000/10 SONGGONG_NOTIFY_SENDER=off \
            "$BIN" serve 2>"$WORK/server.log" &
        SPID=$!
        PIDS+=("$SPID")
        for _ in $(seq 1 100); do
            [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$SPORT/healthz" || true)" = 200 ] && break
            sleep 0.1
        done
        wrk=(wrk -t2 -c"$c" --latency -s bench/lookup.lua "http://127.0.0.1:$SPORT")
        "${wrk[@]}" -d2s -- "$WORK/pairs.txt" >/dev/null
        load="$(cut -d' ' -f1-3 /proc/loadavg)"
        s0="$(cpu_ticks "$SPID")"
        r0="$(cpu_ticks "$RPID")"
        "${wrk[@]}" -d"$DURATION" -- "$WORK/pairs.txt" >"$WORK/wrk-t$t-c$c.txt"
        s1="$(cpu_ticks "$SPID")"
        r1="$(cpu_ticks "$RPID")"
        kill -TERM "$SPID"
        wait "$SPID" 2>/dev/null || true
        f="$WORK/wrk-t$t-c$c.txt"
        rps="$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$f")"
        p50="$(to_ms "$(awk '$1 == "50%" { print $2 }' "$f")")"
        p99="$(to_ms "$(awk '$1 == "99%" { print $2 }' "$f")")"
        n="$(awk '/requests in/ { print $1 }' "$f")"
        statuses="$(sed -n 's/^statuses: //p' "$f")"
        ROWS+="| $t | $c | $rps | $p50 | $p99 | $statuses | $(us_per $((s1 - s0)) "$n") | $(us_per $((r1 - r0)) "$n") | $load |
"
        say "--threads $t, $c connections: $rps/s p50 $p50 ms p99 $p99 ms ($statuses), load $load"
    done
done

cat >"$RESULTS" <<MD
# The worker's status lookup (bench/lookup.sh)

$(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD), $(nproc) cores shared by wrk, the
server and Redis, Release build, Redis with deploy/redis.conf (AOF, \`appendfsync always\`).
Data: $(cat "$WORK/demo.txt")
Requests: \`GET /api/registrations/{code}?phone4=NNNN\` over $(wc -l <"$WORK/pairs.txt") real pairs, wrk -t2, $DURATION
after a 2 s warm-up, a fresh server for each row (the attempt limit per address set high:
every request comes from 127.0.0.1).

| threads | conns | lookups/s | p50 ms | p99 ms | answers | server µs a lookup | Redis µs a lookup | load (1, 5, 15 min) |
| ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- |
$ROWS
A lookup is the address's attempt counted (limit.lua, a write: on disk before the answer)
and one EVALSHA of registration_get.lua (the hash, its assignment and trip); the server
checks the last 4 digits against the stored masked phone, so nothing is decrypted, and
answers with the numbers masked.
MD
say "wrote $RESULTS"
