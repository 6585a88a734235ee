#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Two builds of the server timed by turns on the sign-up path: this checkout's and BASE's
# (a git commit, built in a worktree). On a machine whose CPU is shared with other work a
# timing moves by 10-30% from one run to the next, so one run of each build says little;
# here the two run one after the other, ROUNDS times, the order swapped every round (the
# build that runs first after a pause is often the slower), and every run is listed beside
# the medians. A difference counts when it holds round by round (one build against itself,
# BASE=HEAD, one round: sign-ups/s 0.95, Redis's µs a sign-up 1.07 of each other).
# Each run: a fresh Redis with deploy/redis.conf (AOF, appendfsync always; no AOF rewrite,
# whose child is not the server's work), `songgong serve` with one event loop (THREADS),
# then wrk POST /api/registrations (bench/signup.lua: a new valid ID number a request) with
# CONNS connections for DURATION after a 2 s warm-up, the sign-ups spread over the
# region's villages (VILLAGES=one: all in one village). Per run: sign-ups/s, p50, p99, the
# server's and Redis's CPU a sign-up as user + system time, sign-ups a call, the load.
# Writes bench/RESULTS-turns.md.
#
# Environment: BASE (a commit; required), ROUNDS (3), CONNS (256), THREADS (1), DURATION
# (8s), VILLAGES (spread or one), SKIP_BUILD=1 (this checkout's build as it is), RESULTS
# (bench/RESULTS-turns.md).
set -euo pipefail

BENCH_NAME=turns
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[ -n "${BASE:-}" ] || die "set BASE to the commit to compare with (e.g. BASE=HEAD~3)"
ROUNDS="${ROUNDS:-3}"
CONNS="${CONNS:-256}"
THREADS="${THREADS:-1}"
DURATION="${DURATION:-8s}"
VILLAGES="${VILLAGES:-spread}"
RESULTS="${RESULTS:-$ROOT/bench/RESULTS-turns.md}"
WORK="$(mktemp -d)"
trap 'bench_cleanup; rm -rf "$WORK"' EXIT
need wrk redis-server redis-cli curl cmake git
build_release
build_commit "$BASE"

case "$VILLAGES" in
spread) region_villages "$WORK/villages.txt" ;;
one) echo 450102001003 >"$WORK/villages.txt" ;;
*) die "VILLAGES must be spread or one" ;;
esac

# run NAME BIN -> a line "rps p50 p99 server-user server-sys redis-user redis-sys per-call load"
# in $WORK/NAME.runs (µs a sign-up)
run() {
    local name=$1 bin=$2 dir="$WORK/run"
    rm -rf "$dir"
    start_redis "$dir/redis" "$ROOT/deploy/redis.conf" --auto-aof-rewrite-percentage 0
    start_songgong "$dir" "$bin" "$THREADS"
    local load
    load="$(load1)"
    measure_signups "$dir/wrk.txt" "@$WORK/villages.txt" "$CONNS"
    echo "$M_STATUSES" | tr ' ' '\n' | grep -v '^$' | grep -qv '^201=' && die "$name: not every answer was 201: $M_STATUSES"
    bench_cleanup
    local n=$M_N
    echo "$M_RPS $M_P50 $M_P99 $(us_per "$M_SU" "$n") $(us_per "$M_SS" "$n") $(us_per "$M_RU" "$n")" \
        "$(us_per "$M_RS" "$n") $(ratio "$M_TRIES" "$M_CALLS") $load" >>"$WORK/$name.runs"
    say "  $name: $M_RPS sign-ups/s, p99 $M_P99 ms, server $(us_per $((M_SU + M_SS)) "$n") µs," \
        "Redis $(us_per $((M_RU + M_RS)) "$n") µs a sign-up (load $load)"
}

for r in $(seq 1 "$ROUNDS"); do
    say "round $r of $ROUNDS"
    if [ $((r % 2)) = 1 ]; then
        run this "$BIN"
        run base "$BASE_BIN"
    else
        run base "$BASE_BIN"
        run this "$BIN"
    fi
done

# median FILE COLUMN: the median of a column of NAME.runs (the lower middle of an even count)
median() { awk -v c="$2" '{ print $c }' "$1" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# medians NAME -> rps p99 server-µs redis-µs (server and Redis: user + system)
medians() {
    awk '{ printf "%s %s %.1f %.1f\n", $1, $3, $4 + $5, $6 + $7 }' "$WORK/$1.runs" >"$WORK/$1.sums"
    echo "$(median "$WORK/$1.sums" 1) $(median "$WORK/$1.sums" 2) $(median "$WORK/$1.sums" 3) $(median "$WORK/$1.sums" 4)"
}
read -r t_rps t_p99 t_srv t_red <<<"$(medians this)"
read -r b_rps b_p99 b_srv b_red <<<"$(medians base)"
COMMIT="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- backend || echo "+changes")"
BASE_SHORT="$(git rev-parse --short "$BASE")"
{
    echo "# Two builds by turns (bench/turns.sh)"
    echo
    echo "Written by \`bench/turns.sh\` ($(date -u +%Y-%m-%dT%H:%MZ)): this build ($COMMIT) and $BASE_SHORT,"
    echo "$ROUNDS rounds, the order swapped every round; each run a fresh Redis (deploy/redis.conf:"
    echo "AOF, appendfsync always) and \`songgong serve\` with $THREADS event loop(s), wrk POST"
    echo "/api/registrations, $CONNS connections, $DURATION after a 2 s warm-up, the sign-ups"
    if [ "$VILLAGES" = spread ]; then
        echo "spread over the region's $(wc -l <"$WORK/villages.txt") villages. CPU: µs a sign-up, user + system"
    else
        echo "all in one village. CPU: µs a sign-up, user + system"
    fi
    echo "(\`/proc/PID/stat\`). A difference counts when it holds round by round."
    echo
    echo "| round | build | sign-ups/s | p50 ms | p99 ms | server µs (user + system) | Redis µs (user + system) | sign-ups a call | load (1 min) |"
    echo "| ---: | --- | ---: | ---: | ---: | --- | --- | ---: | ---: |"
    for r in $(seq 1 "$ROUNDS"); do
        order="this base"
        [ $((r % 2)) = 1 ] || order="base this"
        for name in $order; do
            label="$COMMIT"
            [ "$name" = base ] && label="$BASE_SHORT"
            sed -n "${r}p" "$WORK/$name.runs" | awk -v r="$r" -v b="$label" \
                '{ printf "| %s | %s | %s | %s | %s | %.1f (%s + %s) | %.1f (%s + %s) | %s | %s |\n", r, b, $1, $2, $3, $4 + $5, $4, $5, $6 + $7, $6, $7, $8, $9 }'
        done
    done
    echo
    echo "| median | $COMMIT | $BASE_SHORT | $COMMIT / $BASE_SHORT |"
    echo "| --- | ---: | ---: | ---: |"
    echo "| sign-ups/s | $t_rps | $b_rps | $(ratio "$t_rps" "$b_rps") |"
    echo "| p99 ms | $t_p99 | $b_p99 | $(ratio "$t_p99" "$b_p99") |"
    echo "| server µs a sign-up | $t_srv | $b_srv | $(ratio "$t_srv" "$b_srv") |"
    echo "| Redis µs a sign-up | $t_red | $b_red | $(ratio "$t_red" "$b_red") |"
} >"$RESULTS"
say "wrote $RESULTS"
