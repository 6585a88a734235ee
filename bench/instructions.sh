#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The instructions a sign-up costs the server and Redis, counted, not timed: the Release
# server (then Redis, with deploy/redis.conf: AOF, appendfsync always) runs under
# valgrind's callgrind (user-space instructions of every function; the kernel's system
# calls are not counted), wrk sends POST /api/registrations (bench/signup.lua, 16
# connections, 64 when Redis is counted: a slowed Redis otherwise gets small calls; the sign-ups spread over the region's villages in turn) for DURATION after a
# warm-up, and the instructions executed in that window are divided by the sign-ups
# answered. On a machine whose CPU is shared with other work,
# timings move by 10-30% from one run to the next; an instruction count moves by well
# under 1%, so a change of a few percent in the server's work shows here first (Redis's
# time also goes to trips to memory a count does not weigh: time a change there too). With BASE
# set to a git commit, that commit is built too (a worktree in build/bench-base) and both
# are counted in the same run, the ratio beside them.
# Writes bench/RESULTS-instructions.md: per build and process, sign-ups, instructions a
# sign-up, and the functions that take the most of them (inclusive: with what they call).
#
# Environment: DURATION (8s), BASE (a commit to compare with), SKIP_BUILD=1, RESULTS
# (bench/RESULTS-instructions.md).
set -euo pipefail

BENCH_NAME=instructions
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
DURATION="${DURATION:-8s}"
RESULTS="${RESULTS:-$ROOT/bench/RESULTS-instructions.md}"
WORK="$(mktemp -d)"
trap 'bench_cleanup; [ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
need wrk redis-server redis-cli curl cmake
command -v valgrind >/dev/null && command -v callgrind_annotate >/dev/null ||
    die "valgrind is missing (apt-get install valgrind)"
build_release

BASE_BIN=""
[ -z "${BASE:-}" ] || build_commit "$BASE"

region_villages "$WORK/villages.txt"
VILLAGES="@$WORK/villages.txt"

# The functions shown (what a sign-up goes through; "on_readable": Redis's answers read).
TOP_SERVER="h2o_process_request sg__registration_signup sg_registration_read_or_reply cJSON_ParseWithLength
sg_store_registration_save sg__seal sg_crypto_seal_number sg_crypto_hash send_batches redisAsyncFormattedCommand
on_readable on_batch_saved sg_reply_saved h2o_send on_access h2o_dispose_request"
TOP_REDIS="processCommand evalGenericCommand luaCallFunction scriptCall propagatePendingCommands feedAppendOnlyFile
processMultibulkBuffer zaddGenericCommand hsetCommand hmgetCommand setGenericCommand incrDecrCommand existsCommand
lua_pushlstring"

# count NAME BIN WHO: instructions a sign-up of WHO (server or redis) with the build BIN,
# in $WORK/NAME-WHO/count ("sign-ups instructions") and its top functions in .../top.
count() {
    local name=$1 bin=$2 who=$3 dir="$WORK/$1-$3"
    mkdir -p "$dir"
    local cg=(valgrind --tool=callgrind --callgrind-out-file="$dir/cg.out") vpid
    if [ "$who" = redis ]; then # (no AOF rewrite: its child would be counted too)
        REDIS_PORT=$(free_port)
        mkdir -p "$dir/redis"
        (cd "$dir/redis" && exec "${cg[@]}" redis-server "$ROOT/deploy/redis.conf" --dir "$dir/redis" \
            --port "$REDIS_PORT" --auto-aof-rewrite-percentage 0 >"$dir/redis.log" 2>&1) &
        vpid=$!
        PIDS+=("$vpid")
        for _ in $(seq 1 600); do
            [ "$(redis-cli -p "$REDIS_PORT" ping 2>/dev/null || true)" = PONG ] && break
            kill -0 "$vpid" 2>/dev/null || die "$name: Redis did not start: $(tail -3 "$dir/redis.log")"
            sleep 0.1
        done
    else
        start_redis "$dir/redis" --bind 127.0.0.1 --save '' --appendonly no
    fi
    local server=()
    [ "$who" = server ] && server=("${cg[@]}")
    start_songgong "$dir" "$bin" 1 "${server[@]}"
    local url=$URL spid=$SERVER_PID
    [ "$who" = server ] && vpid=$spid
    local conns=16 # (Redis's: 64, so that a call carries as many sign-ups as under load)
    [ "$who" = redis ] && conns=64
    wrk -t1 -c$conns -d3s -s bench/signup.lua "$url" -- 450103 "$VILLAGES" >/dev/null
    local calls0 tries0
    calls0=$(metric "$url" songgong_signup_calls_total)
    tries0=$(metric "$url" songgong_signup_attempts_total)
    callgrind_control -z "$vpid" >/dev/null
    wrk -t1 -c$conns -d"$DURATION" -s bench/signup.lua "$url" -- 450102 "$VILLAGES" >"$dir/wrk.txt"
    callgrind_control -d "$vpid" >/dev/null
    local per_call
    per_call=$(ratio $(($(metric "$url" songgong_signup_attempts_total) - tries0)) \
        $(($(metric "$url" songgong_signup_calls_total) - calls0)))
    kill "$spid" 2>/dev/null || true
    wait "$spid" 2>/dev/null || true
    if [ "$who" = redis ]; then
        redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || kill "$vpid" 2>/dev/null || true
    else
        kill "$REDIS_PID" 2>/dev/null || true
    fi
    wait 2>/dev/null || true
    PIDS=()
    local dump ir answered top
    dump=$(ls -t "$dir"/cg.out.* | head -1)
    ir=$(callgrind_annotate "$dump" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }')
    answered=$(awk '/requests in/ { print $1 }' "$dir/wrk.txt")
    grep -q "Non-2xx" "$dir/wrk.txt" && die "$name: some sign-ups were refused: $(grep Non-2xx "$dir/wrk.txt")"
    echo "$answered $ir $per_call" >"$dir/count"
    if [ "$who" = redis ]; then top=$TOP_REDIS; else top=$TOP_SERVER; fi
    callgrind_annotate --inclusive=yes --threshold=100 "$dump" 2>/dev/null |
        awk -v n="$answered" -v want="$top" 'BEGIN { split(want, w, " "); for (i in w) keep[w[i]] = 1 }
            { name = ""; for (i = 2; i <= NF; ++i) if ($i ~ /^\?\?\?:/) { name = $i; sub(/^\?\?\?:/, "", name) } }
            name in keep && !(name in seen) { seen[name] = 1; gsub(",", "", $1); printf "%s %d\n", name, $1 / n }' |
        sort -k2,2nr >"$dir/top"
}

for who in server redis; do
    say "counting this build ($who)"
    count this "$BIN" "$who"
    if [ -n "$BASE_BIN" ]; then
        say "counting $BASE ($who)"
        count base "$BASE_BIN" "$who"
    fi
done

COMMIT=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- backend || echo "+changes")
per() { read -r n ir calls <"$WORK/$1/count" && echo "$n $((ir / n)) $calls"; }
{
    echo "# Instructions a sign-up (bench/instructions.sh)"
    echo
    echo "Written by \`bench/instructions.sh\` ($(date -u +%Y-%m-%dT%H:%MZ), commit $COMMIT). The Release server,"
    echo "then Redis (deploy/redis.conf: AOF, appendfsync always; no AOF rewrite), under callgrind,"
    echo "one event loop, POST /api/registrations from wrk (bench/signup.lua, 16 connections, 64 for Redis,"
    echo "$DURATION after a warm-up; one person a sign-up, the sign-ups spread over the region's"
    echo "$(wc -l <"$WORK/villages.txt") villages in turn). User-space instructions of the process counted only: the"
    echo "kernel's share of its system calls (sockets, the AOF's write and fsync) is not in them."
    echo "Counts do not depend on the machine's load (it was $(loadavg)): the server's move by well under"
    echo "1% from one run to the next. Redis's depend on how many sign-ups share a call (its"
    echo "fixed cost spread over them), which moves with the timing; they are beside them, and"
    echo "Redis's counts of two builds compare within about 2% when those match. A count weighs"
    echo "what a process computes, not its trips to memory: Redis's two index inserts are 3% of"
    echo "its instructions but, timed by leaving them out, about a fifth of its time (skip lists"
    echo "of hundreds of thousands; bench/RESULTS-ablate.md): time a Redis"
    echo "change too."
    for who in server redis; do
        echo
        echo "| $who: build | sign-ups counted | sign-ups a call | instructions a sign-up | ratio to this build |"
        echo "| --- | ---: | ---: | ---: | ---: |"
        read -r n this_per calls <<<"$(per "this-$who")"
        echo "| this ($COMMIT) | $n | $calls | $this_per | 1.00 |"
        if [ -n "$BASE_BIN" ]; then
            read -r n base_per calls <<<"$(per "base-$who")"
            echo "| $BASE | $n | $calls | $base_per | $(ratio "$base_per" "$this_per") |"
        fi
    done
    for who in server redis; do
        echo
        echo "Where this build's $who instructions go (inclusive: a function with what it calls):"
        echo
        echo "| function | instructions a sign-up |"
        echo "| --- | ---: |"
        awk '{ printf "| `%s` | %d |\n", $1, $2 }' "$WORK/this-$who/top"
    done
} >"$RESULTS"
cat "$RESULTS"
