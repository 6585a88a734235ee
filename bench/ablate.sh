#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Where a sign-up's Redis time goes, by leaving parts of backend/store/signup.lua out:
# builds of this commit whose script skips one part (each edit below must still apply, or
# the script stops), timed by turns against the whole script on the sign-up path, as
# bench/turns.sh times two builds (one event loop, 256 connections, the sign-ups spread
# over the region's villages; a fresh AOF-always Redis each run; every answer a 201). The
# server sends every build the same calls, so only Redis's work changes. Each round runs
# every build, the order rotated from round to round. Writes bench/RESULTS-ablate.md:
# every run, then each build's median beside the whole's.
#
# The builds (what Redis no longer does in them):
#   whole        nothing left out
#   no-counters  the counter fold (one HMGET and HSET per counter hash and call)
#   no-indexes   the two index inserts (ZADD into byplace and open)
#   storing      both: what must be stored before a 201 and nothing derived from it
#   no-hash      the registration hash (its HSET)
#   nothing      every sign-up answered 'ok' at once, no counters: receiving the call and
#                its arguments, and the answers
#
# Environment: ROUNDS (3), CONNS (256), THREADS (1), DURATION (8s), VILLAGES (spread or
# one), BUILDS (the builds above to run, default all), RESULTS (bench/RESULTS-ablate.md).
set -euo pipefail

BENCH_NAME=ablate
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROUNDS="${ROUNDS:-3}"
CONNS="${CONNS:-256}"
THREADS="${THREADS:-1}"
DURATION="${DURATION:-8s}"
VILLAGES="${VILLAGES:-spread}"
BUILDS="${BUILDS:-whole no-counters no-indexes storing no-hash nothing}"
RESULTS="${RESULTS:-$ROOT/bench/RESULTS-ablate.md}"
WORK="$(mktemp -d)"
TREE="$ROOT/build/ablate-src"
OUT="$ROOT/build/ablate"
cleanup() {
    bench_cleanup
    rm -rf "$WORK"
    [ -d "$TREE" ] && git worktree remove --force "$TREE" 2>/dev/null
    return 0
}
trap cleanup EXIT
need wrk redis-server redis-cli curl cmake git perl
read -r -a builds <<<"$BUILDS"
case " $BUILDS " in *" whole "*) ;; *) die "BUILDS must include whole (the others are read against it)" ;; esac

# subst FILE FROM TO: FROM (a literal line part) replaced by TO; it must occur exactly once.
subst() {
    FROM="$2" TO="$3" perl -0pi -e '$n = s/\Q$ENV{FROM}\E/$ENV{TO}/g; die "no single match\n" if $n != 1' "$1" ||
        die "the edit '$2' no longer applies to $1: update bench/ablate.sh"
}
# edit BUILD FILE: the build's edits of signup.lua
edit() {
    local counters="for _ = 1, tonumber(ARGV[a]) do" indexes="for _, c in ipairs(zorder) do"
    case "$1" in
    whole) ;;
    no-counters) subst "$2" "$counters" "for _ = 1, 0 do" ;;
    no-indexes) subst "$2" "$indexes" "for _, c in ipairs({}) do" ;;
    storing)
        subst "$2" "$counters" "for _ = 1, 0 do"
        subst "$2" "$indexes" "for _, c in ipairs({}) do"
        ;;
    no-hash) subst "$2" "redis.call('HSET', reg, " "local _ = (function() end)(reg, " ;;
    nothing)
        subst "$2" "local function signup(k, a)"$'\n' "local function signup(k, a)"$'\n'"  do return {'ok', ARGV[a + 1], ARGV[a]} end"$'\n'
        subst "$2" "$counters" "for _ = 1, 0 do"
        ;;
    *) die "unknown build $1" ;;
    esac
}
what() {
    case "$1" in
    whole) echo "the whole script" ;;
    no-counters) echo "without the counter fold (HMGET + HSET of each counter hash a call)" ;;
    no-indexes) echo "without the two index inserts (ZADD into byplace and open)" ;;
    storing) echo "storing only: neither the counters nor the indexes" ;;
    no-hash) echo "without the registration hash (its HSET of 8 fields)" ;;
    nothing) echo "storing nothing: each sign-up answered at once, no counters" ;;
    esac
}

COMMIT="$(git rev-parse --short HEAD)"
git diff --quiet HEAD -- backend || say "backend/ has changes not committed: the builds are of $COMMIT as committed"
rm -rf "$TREE" "$OUT"
git worktree prune
git worktree add --detach "$TREE" HEAD >/dev/null 2>&1 || die "cannot check out HEAD in $TREE"
mkdir -p "$OUT"
cmake -S "$TREE" -B "$OUT/build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
script="$TREE/backend/store/signup.lua"
cp "$script" "$WORK/signup.lua"
for b in "${builds[@]}"; do
    cp "$WORK/signup.lua" "$script"
    edit "$b" "$script"
    cmake --build "$OUT/build" -j2 --target songgong >/dev/null
    cp "$OUT/build/songgong" "$OUT/songgong.$b"
    say "built $b"
done

case "$VILLAGES" in
spread) region_villages "$WORK/villages.txt" ;;
one) echo 450102001003 >"$WORK/villages.txt" ;;
*) die "VILLAGES must be spread or one" ;;
esac

n=${#builds[@]}
for r in $(seq 1 "$ROUNDS"); do
    say "round $r of $ROUNDS"
    for i in $(seq 0 $((n - 1))); do
        b=${builds[$(((i + r - 1) % n))]}
        turn_run "$b" "$OUT/songgong.$b" "$WORK/$b.runs" "@$WORK/villages.txt"
        echo "$r $b" >>"$WORK/order"
    done
done

read -r w_rps w_p99 w_srv w_red <<<"$(run_medians "$WORK/whole.runs")"
{
    echo "# Where a sign-up's Redis time goes, by ablation (bench/ablate.sh)"
    echo
    echo "Written by \`bench/ablate.sh\` ($(date -u +%Y-%m-%dT%H:%MZ)), builds of $COMMIT whose"
    echo "\`signup.lua\` leaves one part out, timed by turns (rounds: $ROUNDS), every build once a round,"
    echo "the order rotated; each run a fresh Redis (deploy/redis.conf: AOF, appendfsync always)"
    echo "and \`songgong serve\` with $THREADS event loop(s), wrk POST /api/registrations, $CONNS"
    if [ "$VILLAGES" = spread ]; then
        echo "connections, $DURATION after a 2 s warm-up, the sign-ups spread over the region's"
        echo "$(wc -l <"$WORK/villages.txt") villages; every answer a 201. The server sends each build the same calls:"
    else
        echo "connections, $DURATION after a 2 s warm-up, the sign-ups all in one village; every"
        echo "answer a 201. The server sends each build the same calls:"
    fi
    echo "only Redis's work changes. CPU: µs a sign-up, user + system (\`/proc/PID/stat\`)."
    echo
    echo "| build | what Redis does | sign-ups/s | p99 ms | Redis µs a sign-up, run by run | median | less than the whole |"
    echo "| --- | --- | ---: | ---: | --- | ---: | ---: |"
    for b in "${builds[@]}"; do
        read -r rps p99 _ red <<<"$(run_medians "$WORK/$b.runs")"
        runs="$(awk '{ printf "%s%.1f", (NR > 1 ? ", " : ""), $6 + $7 }' "$WORK/$b.runs")"
        less=""
        [ "$b" = whole ] || less="$(awk -v w="$w_red" -v v="$red" 'BEGIN { printf "%.1f", w - v }')"
        echo "| $b | $(what "$b") | $rps | $p99 | $runs | $red | $less |"
    done
    echo
    echo "Every run, in the order run:"
    echo
    echo "| round | build | sign-ups/s | p50 ms | p99 ms | server µs (user + system) | Redis µs (user + system) | sign-ups a call | load (1 min) |"
    echo "| ---: | --- | ---: | ---: | ---: | --- | --- | ---: | ---: |"
    declare -A seen=()
    while read -r r b; do
        seen[$b]=$((${seen[$b]:-0} + 1))
        sed -n "${seen[$b]}p" "$WORK/$b.runs" | awk -v r="$r" -v b="$b" \
            '{ printf "| %s | %s | %s | %s | %s | %.1f (%s + %s) | %.1f (%s + %s) | %s | %s |\n", r, b, $1, $2, $3, $4 + $5, $4, $5, $6 + $7, $6, $7, $8, $9 }'
    done <"$WORK/order"
} >"$RESULTS"
say "wrote $RESULTS"
