#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The server's system calls a request, counted (not timed) with `strace -c -f` on the
# running `songgong serve` (one event loop) while wrk sends, for DURATION, at CONNS
# connections: sign-ups (POST /api/registrations, bench/signup.lua, one village) and the
# sign-up page (GET /s/{village}, one static page, no Redis call). Under strace the server runs
# several times slower, so the counts, not the times, are what this measures: how many
# times a request enters the kernel, which is most of the server's system time a
# sign-up in bench/RESULTS.md. Writes bench/RESULTS-syscalls.md.
#
# Environment: CONNS (256), DURATION (5s), SKIP_BUILD=1, RESULTS (bench/RESULTS-syscalls.md).
set -euo pipefail

BENCH_NAME=syscalls
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
CONNS="${CONNS:-256}"
DURATION="${DURATION:-5s}"
RESULTS="${RESULTS:-$ROOT/bench/RESULTS-syscalls.md}"
VILLAGE=450102001003
WORK="$(mktemp -d)"
trap 'bench_cleanup; rm -rf "$WORK"' EXIT
need wrk strace redis-server redis-cli curl cmake
build_release
start_redis "$WORK/redis" "$ROOT/deploy/redis.conf" --auto-aof-rewrite-percentage 0
start_songgong "$WORK/srv" "$BIN" 1

# count NAME WRK-ARGS...: strace -c of the server over one wrk run of DURATION ->
# WORK/NAME.strace, the requests answered in WORK/NAME.n (after a warm-up, not counted)
count() {
    local name=$1 sp
    shift
    strace -c -f -p "$SERVER_PID" -o "$WORK/$name.strace" 2>/dev/null &
    sp=$!
    sleep 1 # (strace attaches to every thread)
    wrk -d"$DURATION" "$@" >"$WORK/$name.wrk"
    kill -INT "$sp"
    wait "$sp" || true
    awk '/requests in/ { print $1 }' "$WORK/$name.wrk" >"$WORK/$name.n"
    say "$name: $(cat "$WORK/$name.n") requests counted"
}
# (the warm-up's sign-ups have other ID numbers than the counted ones: bench/signup.lua
# makes them from its first argument; every counted sign-up must be a 201, every page a 200)
wrk -t2 -c"$CONNS" -d2s -s bench/signup.lua "$URL" -- 450103 "$VILLAGE" >/dev/null
count signup -t2 -c"$CONNS" -s bench/signup.lua "$URL" -- 450102 "$VILLAGE"
statuses="$(sed -n 's/^statuses: //p' "$WORK/signup.wrk")"
echo "$statuses" | tr ' ' '\n' | grep -v '^$' | grep -qv '^201=' && die "not every sign-up was a 201: $statuses"
wrk -t2 -c"$CONNS" -d2s "$URL/s/$VILLAGE" >/dev/null
count page -t2 -c"$CONNS" "$URL/s/$VILLAGE"
grep -q 'Non-2xx' "$WORK/page.wrk" && die "not every page was a 200: $(grep 'Non-2xx' "$WORK/page.wrk")"

# rows NAME: "| call | calls | a request |" for each system call strace counted (its lines:
# % time, seconds, usecs/call, calls, [errors], name), the most frequent first
rows() {
    awk -v n="$(cat "$WORK/$1.n")" '$1 ~ /^[0-9.]+$/ && NF >= 5 && $NF != "total" {
        printf "| %s | %d | %.2f |\n", $NF, $4, $4 / n }' "$WORK/$1.strace" | sort -t'|' -k3,3 -gr
}
{
    echo "# System calls a request (bench/syscalls.sh)"
    echo
    echo "Written by \`bench/syscalls.sh\` ($(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD)):"
    echo "\`strace -c -f\` attached to \`songgong serve\` (one event loop, a fresh Redis with"
    echo "deploy/redis.conf) during wrk, $CONNS connections, $DURATION after a 2 s warm-up. Counts"
    echo "only: strace slows every call, so its times are left out."
    echo
    echo "## Sign-ups (POST /api/registrations, one village): $(cat "$WORK/signup.n") answered"
    echo "| system call | calls | a sign-up |"
    echo "| --- | ---: | ---: |"
    rows signup
    echo
    echo "## The sign-up page (GET /s/$VILLAGE): $(cat "$WORK/page.n") answered"
    echo "| system call | calls | a page |"
    echo "| --- | ---: | ---: |"
    rows page
    echo
    echo "A sign-up's answer waits for Redis, so it goes out in a later turn of the event loop"
    echo "than its request came in; a page's goes out in the same turn. H2O 2.2.5's HTTP/1"
    echo "(lib/http1.c) stops reading a connection while its request is being answered and reads"
    echo "again once the answer is sent, and its event loop applies the change before it next"
    echo "waits: a sign-up's connection leaves epoll (\`EPOLL_CTL_DEL\`) and comes back"
    echo "(\`EPOLL_CTL_ADD\`), two calls a sign-up that a page, stopped and restarted within one"
    echo "turn, does not make. With its read and its writev, four system calls a sign-up are the"
    echo "server's floor with this HTTP/1 implementation; the calls to Redis (write, read) are"
    echo "shared by the sign-ups of a call."
} >"$RESULTS"
say "wrote $RESULTS"
