#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The whole benchmark suite in one go, on this machine (2 cores shared by the load
# generator, the server and Redis). Writes bench/RESULTS.md: the machine, the load average
# before each part, every figure beside its target, met or not.
#  1. Sign-up: POST /api/registrations (wrk, bench/signup.lua: a new valid ID number per
#     request) against the Release server on a Redis with deploy/redis.conf (AOF,
#     appendfsync always, data on the local disk), with 64 and 256 connections and with
#     SONGGONG_THREADS 1 and 2, every sign-up in one village; once more (one thread, 256
#     connections) with the sign-ups spread over the region's villages in turn (each
#     village's and county's counters then change a few times a call, not once for all);
#     then, on the very same Redis in the same run,
#     redis-benchmark SET with the same number of connections: one durable, acknowledged
#     write, the limit a sign-up can approach. Targets: sign-up/SET >= 0.50, p99 < 10 ms at
#     256 connections, server CPU <= 15 us and Redis CPU <= 20 us a sign-up.
#  1b. The sign-up page GET /s/{village} (wrk), SONGGONG_THREADS 1 and 2, 64 and 256
#     connections: with the sign-ups above, how the server scales from 1 to 2 event loops
#     on this machine (issue 15).
#  2. Memory: `songgong demo-data --people $MEMORY_PEOPLE` (1,000,000) into a fresh Redis
#     with deploy/redis.conf; used_memory / people and what each key family costs (sampled
#     MEMORY USAGE x count). Target <= 1 KB a person.
#  3. The other benchmarks, each writing its own file: stats.sh (RESULTS-stats.md),
#     export.sh, posters.sh, loop.sh, jobs.sh, lookup.sh, instructions.sh (needs valgrind),
#     syscalls.sh (needs strace), ablate.sh (some 6 minutes; with RUN_MATCH=1 the accept's
#     parts too, 13 minutes more);
#     match.sh only with RUN_MATCH=1 (it takes
#     some 10 minutes; its accept of a million is read from RESULTS-match.md either way);
#     with BASE set to a commit, instructions.sh counts it too and turns.sh times it
#     against this checkout by turns (RESULTS-turns.md).
# Before each part it waits (up to QUIET_WAIT seconds) for the 1-minute load average to fall
# below QUIET (other work shares the machine) and notes the load it started at.
#
# Environment: DURATION (10s), CONNS ("64 256"), THREADS_LIST ("1 2"), MEMORY_PEOPLE
# (1000000), QUIET (1.5), QUIET_WAIT (600), PARTS ("signup page memory others"), RUN_MATCH=1,
# BASE (a commit to compare with), SKIP_BUILD=1, RESULTS (bench/RESULTS.md).
set -euo pipefail

BENCH_NAME=run
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DURATION="${DURATION:-10s}"
CONNS="${CONNS:-64 256}"
THREADS_LIST="${THREADS_LIST:-1 2}"
MEMORY_PEOPLE="${MEMORY_PEOPLE:-1000000}"
QUIET="${QUIET:-1.5}"
QUIET_WAIT="${QUIET_WAIT:-600}"
PARTS="${PARTS:-signup page memory others}"
RESULTS="${RESULTS:-$ROOT/bench/RESULTS.md}"
WORK="$ROOT/build/bench"
TODAY=2027-01-10
VILLAGE=450102001003

need wrk redis-server redis-cli redis-benchmark curl cmake awk shuf
build_release
grep -q 'CMAKE_BUILD_TYPE:STRING=Release' build/CMakeCache.txt || say "warning: build/ is not a Release build"

# wait_quiet: until the 1-minute load average is below QUIET, or QUIET_WAIT seconds passed.
wait_quiet() {
    local waited=0
    while awk -v l="$(load1)" -v q="$QUIET" 'BEGIN { exit !(l >= q) }' && [ "$waited" -lt "$QUIET_WAIT" ]; do
        [ $((waited % 60)) -eq 0 ] && say "load $(loadavg): waiting for < $QUIET"
        sleep 10
        waited=$((waited + 10))
    done
}

# bench_redis NAME [ARGS...] -> REDIS_PORT, REDIS_PID: deploy/redis.conf, data in a fresh $WORK/NAME.
bench_redis() {
    local name="$1"
    shift
    start_redis "$WORK/$name" deploy/redis.conf "$@"
}

# start_server THREADS -> URL, SERVER_PID (against REDIS_PORT)
start_server() { start_songgong "$WORK" "$BIN" "$1"; }

stop_all() { bench_cleanup; }

verdict() { awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN { ok = (op == ">=") ? (v >= t) : (op == "<=") ? (v <= t) : (v < t); print ok ? "met" : "NOT met" }'; }

mkdir -p "$WORK"
START="$(date -u '+%Y-%m-%d %H:%M UTC')"
COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
DIRTY="$(git status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo ' (with uncommitted changes)' || true)"
SIGNUP_ROWS=""
SCRIPT_ROWS=""
PAGE_ROWS=""
declare -A SIGNUP_RPS PAGE_RPS
SIGNUP_TARGETS=""
SIGNUP_NOTES=""
MEMORY_SECTION=""
OTHER_ROWS=""

# --- 1. sign-up vs SET -----------------------------------------------------------------
signup_run() { # THREADS CONNS [region]
    local t="$1" c="$2" spread="${3:-}" load out village="$VILLAGE" label="$2" conns="$2 connections"
    if [ "$spread" = region ]; then # every village of the region in turn, as a region's posters bring them
        region_villages "$WORK/villages.txt"
        label="$c, $(wc -l <"$WORK/villages.txt") villages" conns="$c connections, sign-ups over $(wc -l <"$WORK/villages.txt") villages"
        village="@$WORK/villages.txt"
    fi
    wait_quiet
    load="$(loadavg)"
    say "sign-up: --threads $t, $conns, $DURATION (load $load)"
    bench_redis "signup-redis"
    start_server "$t"
    out="$WORK/signup-t$t-c$c$spread.txt"
    measure_signups "$out" "$village" "$c"
    local rps=$M_RPS p50=$M_P50 p99=$M_P99 n=$M_N statuses=$M_STATUSES calls=$M_CALLS tries=$M_TRIES stored=$M_STORED
    local server_us redis_us per_call split
    server_us="$(us_per $((M_SU + M_SS)) "$n")"
    redis_us="$(us_per $((M_RU + M_RS)) "$n")"
    split="$(us_per "$M_SU" "$n") + $(us_per "$M_SS" "$n") / $(us_per "$M_RU" "$n") + $(us_per "$M_RS" "$n")"
    per_call="$(ratio "$tries" "$calls")"
    # the same Redis, the same number of connections: SET, sized to about DURATION
    local secs="${DURATION%s}" setn set_rps set_p99 set_us q0 q1
    setn=$((rps * 3 * secs))
    [ "$setn" -ge 100000 ] || setn=100000
    q0="$(cpu_ticks "$REDIS_PID")"
    redis-benchmark -p "$REDIS_PORT" -c "$c" -n "$setn" -r 100000000 set 'bench:__rand_int__' 'xxxxxxxxxxxxxxxxxxxx' \
        2>&1 | tr '\r' '\n' | grep -v 'rps=' >"$WORK/set-t$t-c$c.txt"
    q1="$(cpu_ticks "$REDIS_PID")"
    set_rps="$(awk '/throughput summary:/ { printf "%.0f", $3 }' "$WORK/set-t$t-c$c.txt")"
    set_p99="$(awk '/latency summary/ { getline; getline; print $5 }' "$WORK/set-t$t-c$c.txt")"
    set_us="$(us_per $((q1 - q0)) "$setn")"
    [ -n "$spread" ] || script_alone "$t" "$c" "$set_rps" "$set_us" "$setn" "$load"
    stop_all
    local r
    r="$(ratio "$rps" "$set_rps")"
    [ -n "$spread" ] || SIGNUP_RPS["$t $c"]="$rps"
    SIGNUP_ROWS+="| $t | $label | $rps | $p50 | $p99 | $set_rps | ${set_p99:-?} | $r | $server_us | $redis_us | $split | $set_us | $per_call | $load |
"
    say "  sign-up $rps/s p99 $p99 ms (statuses $statuses); SET $set_rps/s; ratio $r; server $server_us us, Redis $redis_us us a sign-up"
    SIGNUP_TARGETS+="| sign-up / SET >= 0.50 (--threads $t, $conns) | $r | $(verdict "$r" ">=" 0.50) | $load |
"
    [ "$c" = 256 ] && SIGNUP_TARGETS+="| sign-up p99 < 10 ms at 256 connections (--threads $t${spread:+, ${conns#* connections, }}) | $p99 ms | $(verdict "$p99" "<" 10) | $load |
"
    SIGNUP_TARGETS+="| server CPU <= 15 us a sign-up (--threads $t, $conns) | $server_us | $(verdict "$server_us" "<=" 15) | $load |
| Redis CPU <= 20 us a sign-up (--threads $t, $conns) | $redis_us | $(verdict "$redis_us" "<=" 20) | $load |
"
    if echo "$statuses" | tr ' ' '\n' | grep -q '^[0-9]*=' && echo "$statuses" | tr ' ' '\n' | grep -v '^$' | grep -qv '^201='; then
        say "  not every answer was 201: $statuses"
    fi
    SIGNUP_NOTES+="- --threads $t, $conns: answers $statuses; $stored sign-ups stored in the measured run, $tries attempts in $calls calls.
"
}

# script_alone THREADS CONNS SET_RPS SET_US N LOAD: on the sign-up run's Redis, signup.lua on
# its own (no HTTP, no server), called by redis-benchmark with the arguments of a sign-up the
# run stored and new keys on every call: one sign-up a call left on a fold list no fold takes
# (what a sign-up costs before anything in front of it or behind it), and 32 a call folded
# in it (a call as the server sends them under load, its fold included).
script_alone() {
    local t="$1" c="$2" set_rps="$3" set_us="$4" n="$5" load="$6" reg="" i
    for i in $(seq 1 50); do
        reg="$(redis-cli -p "$REDIS_PORT" randomkey)"
        case "$reg" in *:reg:*) break ;; esac
        reg=""
    done
    [ -n "$reg" ] || die "no registration found for the script-alone run"
    local data counted open match sha
    data="$(redis-cli -p "$REDIS_PORT" hget "$reg" data)"
    counted="$(redis-cli -p "$REDIS_PORT" hget "$reg" counted)"
    open="$(redis-cli -p "$REDIS_PORT" hget "$reg" open)"
    match="$(echo "$open" | cut -d: -f3-6)"
    sha="$(cat backend/store/fold_lib.lua backend/store/signup.lua | sed '2,${/^#!lua/d}' | redis-cli -p "$REDIS_PORT" -x script load)"
    local per fold keys args j
    for per in 1 32; do
        fold=0
        [ "$per" = 1 ] || fold=1
        # KEYS: the fold list, then each sign-up's registration, idempotency key, the address's
        # count and one uniqueness key; ARGV: m, prefix, fold, then each sign-up's 13 (as
        # registration.c sends them: the limit counting but high)
        keys=("sg:{45}:bench:fold$per") # 32: empty, so that each call folds only its own
        args=("$per" 'sg:{45}:' "$fold")
        for j in $(seq 1 "$per"); do
            keys+=("sg:{45}:reg:B${j}__rand_int__" "sg:{45}:idem:b-${j}-__rand_int__" 'sg:{45}:limit:signup:bench'
                "sg:{45}:uid:2027-spring:b${j}__rand_int__")
            args+=(1 "B${j}__rand_int__" '__rand_int__' 1796434815391 "$VILLAGE" 2027-spring "$data" "$counted" "$match"
                1dfb552513dfee5d62c7adee5d1a34e5 600 1000000000 60000)
        done
        # then the call's counters summed, as the server sends them: the village's hash and
        # the county's, each with people, regs and the fields of counted, times per
        if [ "$fold" = 1 ]; then
            local fields=(people regs) sums=("$per" "$per") g
            set -- $counted
            while [ $# -ge 2 ]; do
                fields+=("$1") sums+=($(($2 * per)))
                shift 2
            done
            args+=(2)
            for g in "$VILLAGE" "${VILLAGE:0:6}"; do
                args+=("2027-spring:stats:$g" "${#fields[@]}" "${fields[@]}" "${sums[@]}")
            done
        else
            args+=(0)
        fi
        local calls=$((n / per)) k0 k1 out rps us
        [ "$calls" -ge 2000 ] || calls=2000
        k0="$(cpu_ticks "$REDIS_PID")"
        out="$WORK/script-t$t-c$c-$per.txt"
        redis-benchmark -p "$REDIS_PORT" -c "$c" -n "$calls" -r 100000000 evalsha "$sha" "${#keys[@]}" "${keys[@]}" "${args[@]}" \
            2>&1 | tr '\r' '\n' | grep -v 'rps=' >"$out"
        k1="$(cpu_ticks "$REDIS_PID")"
        rps="$(awk -v per="$per" '/throughput summary:/ { printf "%.0f", $3 * per }' "$out")"
        us="$(us_per $((k1 - k0)) $((calls * per)))"
        SCRIPT_ROWS+="| $t | $c | $per | $([ "$fold" = 1 ] && echo 'in the call' || echo 'none (left on the list)') | ${rps:-?} | $set_rps | $(ratio "${rps:-0}" "$set_rps") | $us | $set_us | $(printf %s "$data" | wc -c) | $load |
"
        say "  signup.lua alone, $per a call: ${rps:-?} sign-ups/s, Redis $us us a sign-up"
    done
}

# --- 1b. the sign-up page ------------------------------------------------------------------
page_run() { # THREADS CONNS
    local t="$1" c="$2" load out
    wait_quiet
    load="$(loadavg)"
    say "page: --threads $t, $c connections, $DURATION (load $load)"
    bench_redis "page-redis" --appendonly no
    start_server "$t"
    local wrk=(wrk -t2 -c"$c" --latency "$URL/s/$VILLAGE")
    "${wrk[@]}" -d2s >/dev/null # warm-up
    local s0 s1 rps p50 p99 n
    s0="$(cpu_ticks "$SERVER_PID")"
    out="$WORK/page-t$t-c$c.txt"
    "${wrk[@]}" -d"$DURATION" >"$out"
    s1="$(cpu_ticks "$SERVER_PID")"
    read -r rps p50 p99 n <<<"$(parse_wrk "$out")"
    local non2xx
    non2xx="$(awk '/Non-2xx/ { print $NF }' "$out")"
    stop_all
    PAGE_RPS["$t $c"]="$rps"
    PAGE_ROWS+="| $t | $c | $rps | $p50 | $p99 | $(us_per $((s1 - s0)) "$n") | ${non2xx:-0} | $load |
"
    say "  page $rps/s p50 $p50 ms p99 $p99 ms"
}

# SCALING: sign-ups and pages a second at 2 threads over 1, per number of connections.
scaling_rows() {
    local c out=""
    for c in $CONNS; do
        out+="| $c | ${SIGNUP_RPS[1 $c]:-?} | ${SIGNUP_RPS[2 $c]:-?} | $(ratio "${SIGNUP_RPS[2 $c]:-0}" "${SIGNUP_RPS[1 $c]:-0}") | ${PAGE_RPS[1 $c]:-?} | ${PAGE_RPS[2 $c]:-?} | $(ratio "${PAGE_RPS[2 $c]:-0}" "${PAGE_RPS[1 $c]:-0}") |
"
    done
    printf '%s' "$out"
}

# The accept of a million from RESULTS-match.md: its accept of everything at once and its load.
match_target() {
    local f="$ROOT/bench/RESULTS-match.md" row wall load
    row="$(grep -m1 '^| accept of everything at once' "$f" 2>/dev/null || true)"
    if [ -z "$row" ]; then
        echo "| accepting a match of 1,000,000 registrations <= 3 s wall, Redis included | not found in RESULTS-match.md | not measured | |"
        return
    fi
    wall="$(echo "$row" | awk -F'|' '{ gsub(/ /, "", $5); print $5 }')"
    load="$(echo "$row" | awk -F'|' '{ gsub(/ /, "", $7); print $7 }')"
    echo "| accepting a match of 1,000,000 registrations <= 3 s wall, Redis included ([RESULTS-match.md](RESULTS-match.md), everything at once: areas by county, minimum 1) | $wall s | $(verdict "$wall" "<=" 3) | $load |"
}

# --- 2. memory at 1,000,000 people --------------------------------------------------------
# family_avg PATTERN N: mean MEMORY USAGE (all elements) of N sampled keys of the family.
family_avg() {
    grep -F "$1" "$WORK/keys.txt" | shuf -n "$2" --random-source=<(yes) | sed 's/^/MEMORY USAGE /; s/$/ SAMPLES 0/' |
        redis-cli -p "$REDIS_PORT" | awk '{ s += $1; n++ } END { if (n) printf "%.0f", s / n; else print 0 }'
}
memory_run() {
    wait_quiet
    local load
    load="$(loadavg)"
    say "memory: demo-data --people $MEMORY_PEOPLE (load $load)"
    bench_redis "memory-redis" --appendonly no # the same memory as with AOF; written faster
    rm -f "$WORK/songgong.key"
    "$BIN" keygen "$WORK/songgong.key" >/dev/null
    local t0 t1 out
    t0="$(date +%s)"
    out="$(SONGGONG_REDIS="127.0.0.1:$REDIS_PORT" SONGGONG_KEY_FILE="$WORK/songgong.key" SONGGONG_DATA_DIR="$ROOT/data" \
        SONGGONG_TODAY="$TODAY" "$BIN" demo-data --people "$MEMORY_PEOPLE" --seed 1)"
    t1="$(date +%s)"
    local used overhead keys regs
    used="$(redis-cli -p "$REDIS_PORT" info memory | awk -F: '/^used_memory:/ { print $2 }' | tr -d '\r')"
    overhead="$(redis-cli -p "$REDIS_PORT" memory stats | awk 'p { print; exit } /overhead.hashtable.main/ { p = 1 }')"
    redis-cli -p "$REDIS_PORT" --scan | sort -u >"$WORK/keys.txt"
    keys="$(wc -l <"$WORK/keys.txt")"
    regs="$(grep -cF ':reg:' "$WORK/keys.txt")"
    local per rows="" fam pat n avg total
    per="$(awk -v u="$used" -v p="$MEMORY_PEOPLE" 'BEGIN { printf "%.0f", u / p }')"
    for fam in "registrations (sg:{45}:reg:{code}, hash)|:reg:" "uniqueness keys (sg:{45}:uid:…, string)|:uid:"; do
        pat="${fam#*|}"
        n="$(grep -cF "$pat" "$WORK/keys.txt")"
        avg="$(family_avg "$pat" 1000)"
        total=$((avg * n))
        rows+="| ${fam%|*} | $n | $avg | $(awk -v t="$total" 'BEGIN { printf "%.1f", t / 1048576 }') | $(awk -v t="$total" -v p="$MEMORY_PEOPLE" 'BEGIN { printf "%.0f", t / p }') |
"
    done
    for z in byplace open; do
        total="$(redis-cli -p "$REDIS_PORT" memory usage "sg:{45}:2027-spring:$z" samples 0)"
        rows+="| index sg:{45}:2027-spring:$z (zset, skiplist) | 1 | $total | $(awk -v t="$total" 'BEGIN { printf "%.1f", t / 1048576 }') | $(awk -v t="$total" -v p="$MEMORY_PEOPLE" 'BEGIN { printf "%.0f", t / p }') |
"
    done
    n="$(grep -cF ':stats:' "$WORK/keys.txt")"
    total="$(grep -F ':stats:' "$WORK/keys.txt" | sed 's/^/MEMORY USAGE /; s/$/ SAMPLES 0/' | redis-cli -p "$REDIS_PORT" |
        awk '{ s += $1 } END { printf "%.0f", s }')"
    rows+="| counters (sg:{45}:2027-spring:stats:{village or county}, hash) | $n | $((total / (n > 0 ? n : 1))) | $(awk -v t="$total" 'BEGIN { printf "%.1f", t / 1048576 }') | $(awk -v t="$total" -v p="$MEMORY_PEOPLE" 'BEGIN { printf "%.0f", t / p }') |
"
    rows+="| Redis's key table (dict entries and buckets, one robj a key: MEMORY STATS overhead.hashtable.main) | $keys | $(awk -v t="$overhead" -v k="$keys" 'BEGIN { printf "%.0f", t / k }') | $(awk -v t="$overhead" 'BEGIN { printf "%.1f", t / 1048576 }') | $(awk -v t="$overhead" -v p="$MEMORY_PEOPLE" 'BEGIN { printf "%.0f", t / p }') |
"
    local enc
    enc="$(redis-cli -p "$REDIS_PORT" object encoding "$(grep -m1 -F ':reg:' "$WORK/keys.txt")")"
    stop_all
    MEMORY_SECTION="$out (in $((t1 - t0)) s). Redis \`used_memory\` afterwards: $used bytes, **$per bytes a
person** (target <= 1024: $(verdict "$per" "<=" 1024)); $keys keys, $regs of them registrations (a registration
hash is a $enc). Load average before: $load.

| key family | keys | bytes a key (MEMORY USAGE, mean of up to 1,000 sampled) | MiB | bytes a person |
| --- | ---: | ---: | ---: | ---: |
$rows
The families are counted apart (MEMORY USAGE of a key includes its name and its value, not
its entry in Redis's key table, which is the last row), so they add up to about
\`used_memory\`, less Redis's own few MB."
    say "  $per bytes a person"
}

# --- 3. the other benchmarks -----------------------------------------------------------------
other_run() { # SCRIPT FILE WHAT
    wait_quiet
    local load status
    load="$(loadavg)"
    say "$1 (load $load)"
    if SKIP_BUILD=1 bash "bench/$1" >"$WORK/${1%.sh}.log" 2>&1; then status="ran"; else status="FAILED ($(tail -1 "$WORK/${1%.sh}.log"))"; fi
    OTHER_ROWS+="| bench/$1 | $3 | [$2]($2) | $status | $load |
"
}

for part in $PARTS; do
    case "$part" in
    signup)
        for t in $THREADS_LIST; do
            for c in $CONNS; do signup_run "$t" "$c"; done
        done
        signup_run 1 256 region
        ;;
    page)
        for t in $THREADS_LIST; do
            for c in $CONNS; do page_run "$t" "$c"; done
        done
        ;;
    memory) memory_run ;;
    others)
        other_run stats.sh RESULTS-stats.md "dashboard with 1,000,000 people: region p99 < 50 ms"
        other_run export.sh RESULTS-export.md "CSV/.xlsx exports and list searches, 100,000 people"
        other_run posters.sh RESULTS-posters.md "posters: region < 60 s, bounded memory"
        other_run loop.sh RESULTS-loop.md "/healthz p99 while files are drawn"
        other_run jobs.sh RESULTS-jobs.md "pushes, text messages, 分类汇集"
        other_run lookup.sh RESULTS-lookup.md "the worker's status lookup, 100,000 people"
        other_run instructions.sh RESULTS-instructions.md "the instructions a sign-up of the server and of Redis (callgrind: no timing noise)"
        other_run syscalls.sh RESULTS-syscalls.md "the server's system calls a sign-up and a page (strace: counts)"
        # (with RUN_MATCH=1 the accept's parts too: a snapshot of 1,500,000 people, some 13 minutes)
        export ABLATE_PARTS=signup
        if [ "${RUN_MATCH:-0}" = 1 ]; then ABLATE_PARTS="signup accept"; fi
        other_run ablate.sh RESULTS-ablate.md "where the Redis time of a sign-up (and with RUN_MATCH=1 of the accept) goes: parts of the script left out, timed by turns"
        if [ "${RUN_MATCH:-0}" = 1 ]; then
            other_run match.sh RESULTS-match.md "matching 1,000,000 registrations: accept <= 3 s wall"
        fi
        if [ -n "${BASE:-}" ]; then
            other_run turns.sh RESULTS-turns.md "the sign-up path of this build and $BASE, timed by turns"
        fi
        ;;
    *) die "unknown part $part (signup, page, memory, others)" ;;
    esac
done

CPU="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
MEM="$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"

cat >"$RESULTS" <<EOF
# Benchmark results

Written by \`bench/run.sh\` (started $START, commit $COMMIT$DIRTY). Each part waited for the
1-minute load average to fall below $QUIET (at most ${QUIET_WAIT} s) and notes the load it
started at: the machine's 2 cores are shared with other work, so compare the ratios of one
run rather than figures across runs.

## Sign-up: POST /api/registrations against one durable write
| threads | conns | sign-ups/s | p50 ms | p99 ms | SET/s | SET p99 ms | sign-up / SET | server µs a sign-up | Redis µs a sign-up | user + system µs: server / Redis | Redis µs a SET | sign-ups a call | load (1, 5, 15 min) |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |
$SIGNUP_ROWS
$SIGNUP_NOTES
| target | value | | load |
| --- | ---: | --- | --- |
$SIGNUP_TARGETS$(match_target)

How: the Release server (\`songgong serve\`, \`SONGGONG_THREADS\` as in the table, the access
log on as in production, the sign-up limit counting but high), a fresh Redis with
\`deploy/redis.conf\` (AOF, \`appendfsync always\`, data under \`build/bench/\`) for each row.
\`wrk -t2 -c{conns} -d$DURATION --latency -s bench/signup.lua\` (a new valid ID number per
request, one village; the row "N villages": each request in the next of the region's villages,
\`bench/signup.lua\` with \`@FILE\`) after a 2 s warm-up; then \`redis-benchmark -c {conns} SET\` on the same
Redis. CPU: user + system time of the server and of Redis (\`/proc/PID/stat\`, all threads, not
the AOF rewrite's child) during the wrk run, divided by the sign-ups answered; the split
column gives each one's user and system (kernel: sockets, the AOF's write and fsync) parts. "sign-ups a
call": the sign-up attempts the server sent over its \`signup.lua\` calls during the run
(\`songgong_signup_attempts_total\` and \`songgong_signup_calls_total\` in /metrics): the
sign-ups of one event-loop turn go as one call.

A sign-up is one step of a \`signup.lua\` call (five Redis calls for one person: the
idempotency key, the address's attempt count, the code's existence, the ID number's
uniqueness key, the registration hash) and its share of the fold the same call makes (one
\`ZADD\` into each of the two indexes, one \`HMGET\`+\`HSET\` per counter hash, whatever the
number of sign-ups, from the sums the server sends; docs/redis-keys.md#the-fold). What each
part costs Redis, timed by leaving it out of the script (bench/ablate.sh,
[RESULTS-ablate.md](RESULTS-ablate.md); docs/performance.md reads it): 5-6 µs to receive
the call and make its arguments Lua strings, the five calls that store it with their AOF
16-21 µs more (a build that stores only: 21-27 µs), and the fold's derived data, the two
index inserts (skip lists of hundreds of thousands, lexicographic) 7-10 µs and, spread over
the villages, the counters 9-10 µs; a bare SET costs Redis
mostly the network and AOF system calls, which the server's few pipelined connections share
among many sign-ups.

### The request path's script alone
| threads | conns | sign-ups a call | fold | sign-ups/s | SET/s | sign-ups / SET | Redis µs a sign-up | Redis µs a SET | data bytes | load (1, 5, 15 min) |
| ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |
$SCRIPT_ROWS
On the same Redis right after each row above: \`redis-benchmark -c {conns} EVALSHA\` of
\`signup.lua\` (with \`fold_lib.lua\` in front, as the server loads it) with the data,
counters and match of a sign-up the row stored, a new registration, idempotency key and ID
number's key for each sign-up of every call: no HTTP, no server. One sign-up a call, left on
a fold list no fold takes, is what a sign-up costs Redis before anything in front of it or
behind it; 32 a call, folded in it, is a call as the server sends them under load.

## The sign-up page GET /s/{village}
| threads | conns | pages/s | p50 ms | p99 ms | server µs a page | non-2xx | load (1, 5, 15 min) |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |
$PAGE_ROWS
\`wrk -t2 -c{conns} -d$DURATION --latency\` of \`/s/$VILLAGE\` (one static page for every village, which
reads the village from its own URL: H2O's open-file cache, one pread a page, no Redis call) after a 2 s warm-up, a fresh server for each row.

## From 1 to 2 threads (issue 15)
| conns | sign-ups/s, 1 thread | 2 threads | 2 / 1 | pages/s, 1 thread | 2 threads | 2 / 1 |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: |
$(scaling_rows)

The machine has 2 cores for wrk (two threads of its own), the server and Redis together:
a second event loop can only use what wrk and Redis leave, so these ratios are what one
box of 2 cores gains, not what a core adds on a machine with cores to spare.

## Memory at $MEMORY_PEOPLE people
$MEMORY_SECTION

## The other benchmarks (rerun on this code)
| script | what | results | status | load before |
| --- | --- | --- | --- | --- |
$OTHER_ROWS
## Machine
- CPU: $CPU, $(nproc) cores, $MEM; shared by wrk, the server, Redis and other work.
- $(uname -sr); $(. /etc/os-release && echo "$PRETTY_NAME"); $(redis-server --version | awk '{print $1, $2, $3}');
  $(wrk --version 2>&1 | head -n 1 | awk '{print $1, $2}'); $(cc --version | head -n 1).
- Load average when the run ended: $(loadavg).
EOF
say "wrote $RESULTS"
