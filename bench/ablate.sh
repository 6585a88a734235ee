#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Where the Redis time of a sign-up, and of the accept of a million, goes: builds of this
# commit whose script leaves one part out (each edit below must still apply, or the script
# stops), timed by turns against the whole script. Each round runs every build, the order
# rotated from round to round. Writes bench/RESULTS-ablate.md: every run, then each
# build's median beside the whole's.
#
# ABLATE_PARTS=signup (the default): backend/store/signup.lua, on the sign-up path as
# bench/turns.sh times two builds (one event loop, 256 connections, the sign-ups spread
# over the region's villages; a fresh AOF-always Redis each run; every answer a 201). The
# server sends every build the same calls, so only Redis's work changes. The builds (what
# Redis no longer does in them):
#   whole        nothing left out
#   no-counters  the counter fold (one HMGET and HSET per counter hash and call)
#   no-indexes   the two index inserts (ZADD into byplace and open)
#   storing      both: what must be stored before a 201 and nothing derived from it
#   no-hash      the registration hash (its HSET)
#   nothing      every sign-up answered 'ok' at once, no counters: receiving the call and
#                its arguments, and the answers
# With "accept" in ABLATE_PARTS (some 13 minutes more): backend/store/assign_fresh.lua,
# which writes the vehicles an accept creates, in `songgong match --accept` of everything at
# once (areas by county, a minimum of one: bench/match.sh's accept of a million), each run
# from one snapshot of `songgong demo-data --people ACCEPT_PEOPLE` (1,500,000: about
# 1,000,000 registrations) in a Redis without persistence, as bench/match.sh. The builds:
#   whole        nothing left out
#   no-vehicles  the vehicles' hashes (one HSET of 14 fields a vehicle)
#   no-seats     the vehicles' seat lists (one ZADD a vehicle)
#   no-assign    the assignment hash (code -> vehicle and seat, one field a registration)
#   no-counters  the villages' and counties' 't:assigned' counters (HINCRBY)
#   nothing      the batch answered at once: receiving its arguments
#
# Environment: ABLATE_PARTS ("signup", "accept" or both), ROUNDS (3), ACCEPT_ROUNDS (2),
# CONNS (256), THREADS (1), DURATION (8s), VILLAGES (spread or one), BUILDS (the sign-up
# builds to run, default all), ACCEPT_PEOPLE (1500000), RESULTS (bench/RESULTS-ablate.md).
set -euo pipefail

BENCH_NAME=ablate
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ABLATE_PARTS="${ABLATE_PARTS:-signup}"
ROUNDS="${ROUNDS:-3}"
CONNS="${CONNS:-256}"
THREADS="${THREADS:-1}"
DURATION="${DURATION:-8s}"
VILLAGES="${VILLAGES:-spread}"
BUILDS="${BUILDS:-whole no-counters no-indexes storing no-hash nothing}"
ACCEPT_BUILDS="whole no-vehicles no-seats no-assign no-counters nothing"
ACCEPT_PEOPLE="${ACCEPT_PEOPLE:-1500000}"
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
need wrk redis-server redis-cli curl cmake git perl /usr/bin/time
read -r -a builds <<<"$BUILDS"
case " $BUILDS " in *" whole "*) ;; *) die "BUILDS must include whole (the others are read against it)" ;; esac
for part in $ABLATE_PARTS; do
    case "$part" in signup | accept) ;; *) die "unknown part $part (signup, accept)" ;; esac
done

# subst FILE FROM TO: FROM (a literal line part) replaced by TO; it must occur exactly once.
subst() {
    FROM="$2" TO="$3" perl -0pi -e '$n = s/\Q$ENV{FROM}\E/$ENV{TO}/g; die "no single match\n" if $n != 1' "$1" ||
        die "the edit '$2' no longer applies to $1: update bench/ablate.sh"
}
# A call left out keeps its arguments' evaluation: `local _ = (function() end)(...)`.
skip_call() { subst "$1" "redis.call('$2', $3" "local _ = (function() end)($3"; }

# edit_signup BUILD FILE: the build's edits of signup.lua
edit_signup() {
    local counters="for _ = 1, tonumber(ARGV[a]) do" indexes="for _, c in ipairs(zorder) do"
    case "$1" in
    whole) ;;
    no-counters) subst "$2" "$counters" "for _ = 1, 0 do" ;;
    no-indexes) subst "$2" "$indexes" "for _, c in ipairs({}) do" ;;
    storing)
        subst "$2" "$counters" "for _ = 1, 0 do"
        subst "$2" "$indexes" "for _, c in ipairs({}) do"
        ;;
    no-hash) skip_call "$2" HSET "reg, " ;;
    nothing)
        subst "$2" "local function signup(k, a)"$'\n' "local function signup(k, a)"$'\n'"  do return {'ok', ARGV[a + 1], ARGV[a]} end"$'\n'
        subst "$2" "$counters" "for _ = 1, 0 do"
        ;;
    *) die "unknown build $1" ;;
    esac
}
# edit_accept BUILD FILE: the build's edits of assign_fresh.lua
edit_accept() {
    case "$1" in
    whole) ;;
    no-vehicles) skip_call "$2" HSET "KEYS[2 + 2 * j], " ;;
    no-seats) skip_call "$2" ZADD "KEYS[3 + 2 * j], " ;;
    no-assign) skip_call "$2" HSET "KEYS[1], " ;;
    no-counters) skip_call "$2" HINCRBY "stats .. " ;;
    nothing) subst "$2" "local at, index, assign = 9, {}, {}" "do return {'ok', tonumber(ARGV[6])} end"$'\n'"local at, index, assign = 9, {}, {}" ;;
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
    accept-whole) echo "the whole script" ;;
    accept-no-vehicles) echo "without the vehicles' hashes (HSET of 14 fields a vehicle)" ;;
    accept-no-seats) echo "without the seat lists (a ZADD a vehicle)" ;;
    accept-no-assign) echo "without the assignment hash (a field a registration)" ;;
    accept-no-counters) echo "without the 't:assigned' counters (HINCRBY)" ;;
    accept-nothing) echo "writing nothing: each batch answered at once" ;;
    esac
}

COMMIT="$(git rev-parse --short HEAD)"
git diff --quiet HEAD -- backend || say "backend/ has changes not committed: the builds are of $COMMIT as committed"
rm -rf "$TREE" "$OUT"
git worktree prune
git worktree add --detach "$TREE" HEAD >/dev/null 2>&1 || die "cannot check out HEAD in $TREE"
mkdir -p "$OUT"
cmake -S "$TREE" -B "$OUT/build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
# variant NAME EDIT FILE BUILD: the server with FILE (under backend/store/) edited -> OUT/songgong.NAME
variant() {
    local script="$TREE/backend/store/$3"
    git -C "$TREE" checkout -q -- backend/store
    "$2" "$4" "$script"
    cmake --build "$OUT/build" -j2 --target songgong >/dev/null
    cp "$OUT/build/songgong" "$OUT/songgong.$1"
    say "built $1"
}
for part in $ABLATE_PARTS; do
    if [ "$part" = signup ]; then
        for b in "${builds[@]}"; do variant "$b" edit_signup signup.lua "$b"; done
    else
        for b in $ACCEPT_BUILDS; do variant "accept-$b" edit_accept assign_fresh.lua "$b"; done
    fi
done
git -C "$TREE" checkout -q -- backend/store

# rounds N NAME... : each build once a round, the order rotated; run_one NAME per run, and
# "round name" lines in WORK/order
rounds() {
    local n=$1 r i b
    shift
    local names=("$@")
    for r in $(seq 1 "$n"); do
        say "round $r of $n"
        for i in $(seq 0 $((${#names[@]} - 1))); do
            b=${names[$(((i + r - 1) % ${#names[@]}))]}
            run_one "$b"
            echo "$r $b" >>"$WORK/order"
        done
    done
}

SIGNUP_TEXT=""
if [[ " $ABLATE_PARTS " == *" signup "* ]]; then
    case "$VILLAGES" in
    spread) region_villages "$WORK/villages.txt" ;;
    one) echo 450102001003 >"$WORK/villages.txt" ;;
    *) die "VILLAGES must be spread or one" ;;
    esac
    run_one() { turn_run "$1" "$OUT/songgong.$1" "$WORK/$1.runs" "@$WORK/villages.txt"; }
    rounds "$ROUNDS" "${builds[@]}"
    read -r _ _ _ w_red <<<"$(run_medians "$WORK/whole.runs")"
    SIGNUP_TEXT="$(
        echo "## The sign-up (signup.lua)"
        echo
        echo "Timed by turns (rounds: $ROUNDS), every build once a round, the order rotated;"
        echo "$(turn_how "$WORK/villages.txt") The server sends each build the same calls: only"
        echo "Redis's work changes."
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
        turn_table "$WORK/order" "$WORK"
    )"
    rm -f "$WORK/order"
fi

ACCEPT_TEXT=""
if [[ " $ABLATE_PARTS " == *" accept "* ]]; then
    export SONGGONG_KEY_FILE="$WORK/key" SONGGONG_TODAY=2027-01-10 SONGGONG_REDIS_TIMEOUT_MS=10000
    "$OUT/songgong.accept-whole" keygen "$WORK/key" >/dev/null
    start_redis_matching "$WORK/snap"
    say "demo-data: $ACCEPT_PEOPLE people (takes a while)"
    SONGGONG_REDIS="127.0.0.1:$REDIS_PORT" "$OUT/songgong.accept-whole" demo-data --people "$ACCEPT_PEOPLE" --seed 7 >/dev/null
    OPEN="$(redis-cli -p "$REDIS_PORT" zcard "sg:{45}:2027-spring:open")"
    redis-cli -p "$REDIS_PORT" save >/dev/null
    cp "$WORK/snap/dump.rdb" "$WORK/accept.rdb"
    bench_cleanup
    PIDS=()
    # one accept of everything at once from the snapshot -> "songgong-cpu redis-cpu wall load" (s)
    run_one() {
        local name=$1 load
        REDIS_RDB="$WORK/accept.rdb" start_redis_matching "$WORK/run"
        load="$(load1)"
        time_cmd "$WORK/out" env SONGGONG_REDIS="127.0.0.1:$REDIS_PORT" "$OUT/songgong.$name" match \
            --campaign 2027-spring --scope 45 --accept --area county --bus-min 1 --train-min 1 --flight-min 1
        grep -q "^accepted: $OPEN registrations" "$WORK/out" || die "$name: not all $OPEN registrations accepted: $(grep accepted "$WORK/out")"
        bench_cleanup
        PIDS=()
        echo "$T_CPU $T_REDIS $T_WALL $load" >>"$WORK/$name.runs"
        say "  $name: $(tail -1 "$WORK/$name.runs") (songgong, Redis, wall s; load)"
    }
    names=()
    for b in $ACCEPT_BUILDS; do names+=("accept-$b"); done
    rounds "${ACCEPT_ROUNDS:-2}" "${names[@]}"
    wr="$(median_of "$WORK/accept-whole.runs" 2)"
    ACCEPT_TEXT="$(
        echo "## The accept of everything at once (assign_fresh.lua)"
        echo
        echo "\`songgong match --accept\` of everything at once ($OPEN registrations open after"
        echo "\`songgong demo-data --people $ACCEPT_PEOPLE --seed 7\`; areas by county, a minimum of one), each"
        echo "run from the same snapshot in a fresh Redis without persistence (as bench/match.sh);"
        echo "every run accepted all of them. Timed by turns (rounds: ${ACCEPT_ROUNDS:-2}), the order rotated."
        echo
        echo "| build | what Redis does | Redis s, run by run | median | less than the whole | wall s, run by run | songgong s |"
        echo "| --- | --- | --- | ---: | ---: | --- | --- |"
        for n in "${names[@]}"; do
            red="$(median_of "$WORK/$n.runs" 2)"
            less=""
            [ "$n" = accept-whole ] || less="$(awk -v w="$wr" -v v="$red" 'BEGIN { printf "%.2f", w - v }')"
            echo "| ${n#accept-} | $(what "$n") | $(awk '{ printf "%s%s", (NR > 1 ? ", " : ""), $2 }' "$WORK/$n.runs") | $red | $less |" \
                "$(awk '{ printf "%s%s", (NR > 1 ? ", " : ""), $3 }' "$WORK/$n.runs") | $(awk '{ printf "%s%s", (NR > 1 ? ", " : ""), $1 }' "$WORK/$n.runs") |"
        done
        echo
        echo "Loads (1 min) at the runs' starts: $(cut -d' ' -f4 "$WORK"/accept-*.runs | sort -g | sed -n '1p;$p' | paste -sd- -)."
    )"
fi

{
    echo "# Where the time goes, by ablation (bench/ablate.sh)"
    echo
    echo "Written by \`bench/ablate.sh\` ($(date -u +%Y-%m-%dT%H:%MZ)): builds of $COMMIT whose script"
    echo "leaves one part out, each timed by turns against the whole."
    [ -z "$SIGNUP_TEXT" ] || printf '\n%s\n' "$SIGNUP_TEXT"
    [ -z "$ACCEPT_TEXT" ] || printf '\n%s\n' "$ACCEPT_TEXT"
} >"$RESULTS"
say "wrote $RESULTS"
