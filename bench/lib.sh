# SPDX-License-Identifier: MIT
# What the benchmark scripts share; sourced after `set -euo pipefail` by bench/*.sh:
#   BENCH_NAME=lookup; . "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# It moves to the checkout's root and sets ROOT and BIN (the Release server), and gives:
#   say, die                   messages on stderr, prefixed with bench/$BENCH_NAME
#   need TOOL...               die unless every tool is installed
#   build_release [DIR...]     the Release songgong in build/ (and in each DIR), unless
#                              SKIP_BUILD=1 and it is there
#   PIDS, bench_cleanup        processes to stop (TERM, then wait) on exit; the trap is set
#   free_port, port_in_use     a loopback port below the ephemeral range
#   start_redis DIR [ARGS...]  redis-server on a free port with its data in DIR (made
#                              empty first; with REDIS_RDB set, that snapshot is copied in
#                              and loaded) -> REDIS_PORT, REDIS_PID (in PIDS)
#   load1, loadavg             the load average (1 minute; 1, 5 and 15 minutes)
#   metric URL NAME            a counter of the server at URL (its /metrics)
#   region_villages FILE       the region's village codes (data/divisions-45.tsv), a line each
#   cpu_ticks PID, cpu_split PID, us_per TICKS N, ratio A B, to_ms VALUE
#                              CPU time of a process and its threads (user + system; user
#                              and system), µs an item, A / B, wrk's 812.00us / 1.23ms /
#                              1.02s in milliseconds
#   parse_wrk FILE             "req/s p50-ms p99-ms requests" of wrk --latency's output
#   build_commit COMMIT        the Release songgong of a git commit, built in a worktree
#                              (build/bench-base) -> BASE_BIN
#   measure_signups OUT VILLAGE CONNS
#                              against URL, SERVER_PID, REDIS_PID: a 2 s warm-up (other ID
#                              numbers), then wrk POST /api/registrations (bench/signup.lua,
#                              VILLAGE a code or @FILE) for DURATION into OUT -> M_RPS M_P50
#                              M_P99 M_N (answered) M_STATUSES, the server's counters over it
#                              M_CALLS M_TRIES M_STORED, CPU ticks M_SU M_SS (server user,
#                              system) M_RU M_RS (Redis); Redis's INFO stats reset before it
#   turn_run NAME BIN RUNS VILLAGES
#                              one timed run of a build (turns.sh, ablate.sh): a fresh Redis
#                              (deploy/redis.conf, no AOF rewrite) and `BIN serve` with
#                              THREADS event loops in WORK/run, measure_signups with CONNS
#                              (VILLAGES a code or @FILE); dies unless every answer is a 201;
#                              appends "rps p50 p99 server-user server-sys redis-user
#                              redis-sys per-call load" (µs a sign-up) to the file RUNS
#   run_medians RUNS           "rps p99 server-µs redis-µs" (user + system), the medians of
#                              the lines turn_run wrote to RUNS
#   start_redis_matching DIR   start_redis without persistence, a hash a listpack up to 8 KB
#                              values as deploy/redis.conf has it (match.sh, ablate.sh)
#   time_cmd OUT CMD...        CMD (its stdout in OUT) under /usr/bin/time, Redis's CPU
#                              (REDIS_PID) and the wall clock around it -> T_CPU (CMD's user +
#                              system), T_REDIS, T_WALL (seconds, 2 decimals), T_RSS (CMD's
#                              peak, kB)
#   turn_how VILLAGES_FILE     how turn_run ran, in words, for a results file
#   turn_table ORDER DIR       every run turn_run wrote to DIR/NAME.runs as a table, in the
#                              order of ORDER's lines "round NAME [LABEL]"
#   start_songgong DIR BIN THREADS [WRAPPER...]
#                              `BIN serve` (under WRAPPER, e.g. valgrind) against REDIS_PORT,
#                              its key and log in DIR, the bench settings (SONGGONG_TODAY in
#                              the campaign, the sign-up limit counting but never refusing)
#                              -> URL, SERVER_PID (in PIDS), once /healthz answers

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BIN="$ROOT/build/songgong"

say() { printf 'bench/%s: %s\n' "${BENCH_NAME:-run}" "$*" >&2; }
die() {
    say "$*"
    exit 1
}

need() {
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null || die "$tool is missing (apt-get install wrk redis-server redis-tools curl cmake time nodejs valgrind strace)"
    done
}

build_release() {
    [ "${SKIP_BUILD:-0}" = 1 ] && [ -x "$BIN" ] && return 0
    local dir
    for dir in build "$@"; do
        cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
        cmake --build "$dir" -j2 --target songgong >/dev/null
    done
}

PIDS=()
bench_cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    PIDS=()
}
trap bench_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
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

start_redis() {
    local dir="$1" i
    shift
    rm -rf "$dir"
    mkdir -p "$dir"
    [ -z "${REDIS_RDB:-}" ] || cp "$REDIS_RDB" "$dir/dump.rdb"
    REDIS_PORT="$(free_port)"
    redis-server "$@" --dir "$dir" --port "$REDIS_PORT" >"$dir/redis.log" 2>&1 &
    REDIS_PID=$!
    PIDS+=("$REDIS_PID")
    for i in $(seq 1 1200); do # (a snapshot of a province takes seconds to load)
        [ "$(redis-cli -p "$REDIS_PORT" ping 2>/dev/null || true)" = PONG ] && return 0
        kill -0 "$REDIS_PID" 2>/dev/null || break
        sleep 0.05
    done
    die "redis-server did not start: $(tail -5 "$dir/redis.log")"
}

metric() { curl -s "$1/metrics" | awk -v m="$2" '$1 == m { print $2 }'; }
region_villages() { awk -F'\t' 'length($1) == 12 { print $1 }' data/divisions-45.tsv >"$1"; }

load1() { cut -d' ' -f1 /proc/loadavg; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
cpu_split() { awk '{ print $14, $15 }' "/proc/$1/stat"; } # user, system ticks
HZ="$(getconf CLK_TCK)"
us_per() { awk -v t="$1" -v hz="$HZ" -v n="$2" 'BEGIN { if (n > 0) printf "%.1f", t / hz * 1e6 / n; else print "?" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
to_ms() {
    awk -v v="$1" 'BEGIN {
        if (v ~ /us$/) { sub(/us$/, "", v); printf "%.2f", v / 1000 }
        else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.2f", v }
        else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.2f", v * 1000 }
        else { printf "%s", v } }'
}

parse_wrk() {
    local rps p50 p99 n
    rps="$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$1")"
    p50="$(to_ms "$(awk '$1 == "50%" { print $2 }' "$1")")"
    p99="$(to_ms "$(awk '$1 == "99%" { print $2 }' "$1")")"
    n="$(awk '/requests in/ { print $1 }' "$1")"
    echo "${rps:-0} ${p50:-?} ${p99:-?} ${n:-0}"
}

build_commit() {
    local tree="$ROOT/build/bench-base-src"
    rm -rf "$tree"
    git worktree prune
    git worktree add --detach "$tree" "$1" >/dev/null 2>&1 || die "cannot check out $1"
    cmake -S "$tree" -B "$ROOT/build/bench-base" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
    cmake --build "$ROOT/build/bench-base" -j2 --target songgong >/dev/null
    git worktree remove --force "$tree"
    BASE_BIN="$ROOT/build/bench-base/songgong"
}

start_songgong() {
    local dir="$1" bin="$2" threads="$3" port
    shift 3
    mkdir -p "$dir"
    rm -f "$dir/songgong.key"
    "$bin" keygen "$dir/songgong.key" >/dev/null
    port="$(free_port)"
    URL="http://127.0.0.1:$port"
    # The sign-up limit counts every attempt (its INCR is part of what is measured) but
    # never refuses one: every request here comes from 127.0.0.1.
    (cd "$dir" && SONGGONG_PORT="$port" SONGGONG_HOST=127.0.0.1 SONGGONG_REDIS="127.0.0.1:$REDIS_PORT" \
        SONGGONG_THREADS="$threads" SONGGONG_KEY_FILE="$dir/songgong.key" SONGGONG_DATA_DIR="$ROOT/data" \
        SONGGONG_SITE_DIR="$ROOT/site" SONGGONG_TODAY="${TODAY:-2027-01-10}" SONGGONG_PUBLIC_URL="$URL" \
        SONGGONG_LIMIT_SIGNUP=1000000/10 SONGGONG_NOTIFY_SENDER=off SONGGONG_REDIS_TIMEOUT_MS=30000 \
        exec "$@" "$bin" serve 2>"$dir/server.log") &
    SERVER_PID=$!
    PIDS+=("$SERVER_PID")
    for _ in $(seq 1 600); do # (under valgrind it takes seconds)
        [ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/healthz" || true)" = 200 ] && return 0
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    die "the server did not come up: $(grep -v '^==' "$dir/server.log" | tail -3)"
}

measure_signups() {
    local out=$1 village=$2 conns=$3 calls0 tries0 stored0 su0 ss0 ru0 rs0 su1 ss1 ru1 rs1
    local wrk=(wrk -t2 -c"$conns" --latency -s bench/signup.lua "$URL")
    "${wrk[@]}" -d2s -- 450103 "$village" >/dev/null
    redis-cli -p "$REDIS_PORT" config resetstat >/dev/null
    calls0="$(metric "$URL" songgong_signup_calls_total)"
    tries0="$(metric "$URL" songgong_signup_attempts_total)"
    stored0="$(metric "$URL" songgong_signups_total)"
    read -r su0 ss0 <<<"$(cpu_split "$SERVER_PID")"
    read -r ru0 rs0 <<<"$(cpu_split "$REDIS_PID")"
    "${wrk[@]}" -d"${DURATION:-10s}" -- 450102 "$village" >"$out"
    read -r su1 ss1 <<<"$(cpu_split "$SERVER_PID")"
    read -r ru1 rs1 <<<"$(cpu_split "$REDIS_PID")"
    read -r M_RPS M_P50 M_P99 M_N <<<"$(parse_wrk "$out")"
    M_STATUSES="$(sed -n 's/^statuses: //p' "$out")"
    M_CALLS=$(($(metric "$URL" songgong_signup_calls_total) - calls0))
    M_TRIES=$(($(metric "$URL" songgong_signup_attempts_total) - tries0))
    M_STORED=$(($(metric "$URL" songgong_signups_total) - stored0))
    M_SU=$((su1 - su0)) M_SS=$((ss1 - ss0)) M_RU=$((ru1 - ru0)) M_RS=$((rs1 - rs0))
}

turn_run() {
    local name=$1 bin=$2 runs=$3 villages=$4 dir="$WORK/run" load n
    rm -rf "$dir"
    start_redis "$dir/redis" "$ROOT/deploy/redis.conf" --auto-aof-rewrite-percentage 0
    start_songgong "$dir" "$bin" "${THREADS:-1}"
    load="$(load1)"
    measure_signups "$dir/wrk.txt" "$villages" "${CONNS:-256}"
    echo "$M_STATUSES" | tr ' ' '\n' | grep -v '^$' | grep -qv '^201=' && die "$name: not every answer was 201: $M_STATUSES"
    bench_cleanup
    n=$M_N
    echo "$M_RPS $M_P50 $M_P99 $(us_per "$M_SU" "$n") $(us_per "$M_SS" "$n") $(us_per "$M_RU" "$n")" \
        "$(us_per "$M_RS" "$n") $(ratio "$M_TRIES" "$M_CALLS") $load" >>"$runs"
    say "  $name: $M_RPS sign-ups/s, p99 $M_P99 ms, server $(us_per $((M_SU + M_SS)) "$n") µs," \
        "Redis $(us_per $((M_RU + M_RS)) "$n") µs a sign-up (load $load)"
}

# The median of column C of a file of numbers (the lower middle of an even count).
median_of() { awk -v c="$2" '{ print $c }' "$1" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
run_medians() {
    local sums="$1.sums"
    awk '{ printf "%s %s %.1f %.1f\n", $1, $3, $4 + $5, $6 + $7 }' "$1" >"$sums"
    echo "$(median_of "$sums" 1) $(median_of "$sums" 2) $(median_of "$sums" 3) $(median_of "$sums" 4)"
}

turn_how() {
    local n
    n="$(wc -l <"$1")"
    echo "each run a fresh Redis (deploy/redis.conf: AOF, appendfsync always) and \`songgong serve\`"
    echo "with ${THREADS:-1} event loop(s), wrk POST /api/registrations, ${CONNS:-256} connections, ${DURATION:-10s} after a"
    if [ "$n" -gt 1 ]; then
        echo "2 s warm-up, the sign-ups spread over the region's $n villages; every answer a 201. CPU:"
    else
        echo "2 s warm-up, the sign-ups all in one village; every answer a 201. CPU:"
    fi
    echo "µs a sign-up, user + system (\`/proc/PID/stat\`)."
}

turn_table() {
    local r name label
    local -A seen=()
    echo "| round | build | sign-ups/s | p50 ms | p99 ms | server µs (user + system) | Redis µs (user + system) | sign-ups a call | load (1 min) |"
    echo "| ---: | --- | ---: | ---: | ---: | --- | --- | ---: | ---: |"
    while read -r r name label; do
        seen[$name]=$((${seen[$name]:-0} + 1))
        sed -n "${seen[$name]}p" "$2/$name.runs" | awk -v r="$r" -v b="${label:-$name}" \
            '{ printf "| %s | %s | %s | %s | %s | %.1f (%s + %s) | %.1f (%s + %s) | %s | %s |\n", r, b, $1, $2, $3, $4 + $5, $4, $5, $6 + $7, $6, $7, $8, $9 }'
    done <"$1"
}

start_redis_matching() { start_redis "$1" --bind 127.0.0.1 --save '' --appendonly no --hash-max-listpack-value 8192; }

time_cmd() {
    local out=$1 r0 r1 t0 t1 user sys
    shift
    r0="$(cpu_ticks "$REDIS_PID")"
    t0=$(date +%s%N)
    /usr/bin/time -f '%U %S %M' -o "$out.time" "$@" >"$out"
    t1=$(date +%s%N)
    r1="$(cpu_ticks "$REDIS_PID")"
    read -r user sys T_RSS <"$out.time"
    read -r T_CPU T_REDIS T_WALL <<<"$(awk -v u="$user" -v s="$sys" -v r="$((r1 - r0))" -v hz="$HZ" -v w="$((t1 - t0))" \
        'BEGIN { printf "%.2f %.2f %.2f", u + s, r / hz, w / 1e9 }')"
}
