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

COMMIT="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- backend || echo "+changes")"
BASE_SHORT="$(git rev-parse --short "$BASE")"
declare -A bin_of=([this]="$BIN" [base]="$BASE_BIN") label_of=([this]="$COMMIT" [base]="$BASE_SHORT")
for r in $(seq 1 "$ROUNDS"); do
    say "round $r of $ROUNDS"
    order="this base"
    [ $((r % 2)) = 1 ] || order="base this"
    for name in $order; do
        turn_run "$name" "${bin_of[$name]}" "$WORK/$name.runs" "@$WORK/villages.txt"
        echo "$r $name ${label_of[$name]}" >>"$WORK/order"
    done
done

read -r t_rps t_p99 t_srv t_red <<<"$(run_medians "$WORK/this.runs")"
read -r b_rps b_p99 b_srv b_red <<<"$(run_medians "$WORK/base.runs")"
{
    echo "# Two builds by turns (bench/turns.sh)"
    echo
    echo "Written by \`bench/turns.sh\` ($(date -u +%Y-%m-%dT%H:%MZ)): this build ($COMMIT) and $BASE_SHORT,"
    echo "$ROUNDS rounds, the order swapped every round; $(turn_how "$WORK/villages.txt")"
    echo "A difference counts when it holds round by round."
    echo
    turn_table "$WORK/order" "$WORK"
    echo
    echo "| median | $COMMIT | $BASE_SHORT | $COMMIT / $BASE_SHORT |"
    echo "| --- | ---: | ---: | ---: |"
    echo "| sign-ups/s | $t_rps | $b_rps | $(ratio "$t_rps" "$b_rps") |"
    echo "| p99 ms | $t_p99 | $b_p99 | $(ratio "$t_p99" "$b_p99") |"
    echo "| server µs a sign-up | $t_srv | $b_srv | $(ratio "$t_srv" "$b_srv") |"
    echo "| Redis µs a sign-up | $t_red | $b_red | $(ratio "$t_red" "$b_red") |"
} >"$RESULTS"
say "wrote $RESULTS"
