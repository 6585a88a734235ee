#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Songgong in one command: install what is missing (apt), build a Release ./build/songgong,
# start Redis (deploy/redis.conf: AOF, fsync always, data in ./var/redis, loopback only)
# and `songgong serve`, print the sample sign-up link, QR code and API URLs, then wait.
# Ctrl-C or SIGTERM stops the server, then Redis (SHUTDOWN fsyncs the AOF).
# Running it again reuses var/ (AOF and key file); it never touches a Redis it did not start.
#
# Environment: PORT or SONGGONG_PORT (8080), REDIS_PORT (6379), SONGGONG_PUBLIC_URL,
# SKIP_BUILD=1 to use an existing ./build/songgong as is.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PORT="${PORT:-${SONGGONG_PORT:-8080}}"
HOST="${SONGGONG_HOST:-127.0.0.1}"
REDIS_PORT="${REDIS_PORT:-6379}"
PUBLIC_URL="${SONGGONG_PUBLIC_URL:-http://127.0.0.1:${PORT}}"
VAR="$ROOT/var"
BIN="$ROOT/build/songgong"
KEY_FILE="$VAR/songgong.key"
REDIS_PIDFILE="$VAR/redis.pid"
SERVER_PIDFILE="$VAR/songgong.pid"

PACKAGES=(build-essential cmake pkg-config libh2o-evloop-dev libh2o-dev libssl-dev libuv1-dev libcurl4-openssl-dev
    libhiredis-dev libcjson-dev libqrencode-dev libsodium-dev libcairo2-dev libpango1.0-dev
    libxlsxwriter-dev redis-server fonts-noto-cjk curl)

say() { printf 'up.sh: %s\n' "$*" >&2; }
die() {
    say "$*"
    exit 1
}

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

is_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

install_packages() {
    local missing=() p
    for p in "${PACKAGES[@]}"; do
        is_installed "$p" || missing+=("$p")
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    say "installing: ${missing[*]}"
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
    # Debian starts its own redis-server service on 6379 right after installing it. We only
    # just installed it, so it holds no one's data: stop it so our Redis can have the port.
    if [[ " ${missing[*]} " == *" redis-server "* ]] && command -v systemctl >/dev/null &&
        systemctl is-active --quiet redis-server 2>/dev/null; then
        say "stopping and disabling the system redis-server service apt just started (this script runs its own)"
        as_root systemctl disable --now redis-server || true
    fi
}

build() {
    if [ "${SKIP_BUILD:-0}" = 1 ] && [ -x "$BIN" ]; then
        return 0
    fi
    cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF
    cmake --build build -j2
    [ -x "$BIN" ] || die "build finished but $BIN is missing"
}

# pid_is <pidfile> <comm-substring>: the pid in the file is alive and is that program.
pid_is() {
    local pid
    [ -s "$1" ] || return 1
    pid="$(cat "$1")"
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$2"
}

wait_gone() {
    local pid="$1" i
    for i in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    return 1
}

# A server or Redis left running by an earlier run that was killed hard: stop it cleanly
# (SIGTERM makes Redis fsync the AOF and exit) so that only one process ever writes var/redis.
stop_leftovers() {
    local pid
    if pid_is "$SERVER_PIDFILE" songgong; then
        pid="$(cat "$SERVER_PIDFILE")"
        say "stopping songgong left over from a previous run (pid $pid)"
        kill -TERM "$pid" 2>/dev/null || true
        wait_gone "$pid" || kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$SERVER_PIDFILE"
    if pid_is "$REDIS_PIDFILE" redis-server; then
        pid="$(cat "$REDIS_PIDFILE")"
        say "stopping our Redis left over from a previous run (pid $pid)"
        kill -TERM "$pid" 2>/dev/null || true
        wait_gone "$pid" || die "our old Redis (pid $pid) does not stop; stop it by hand"
    fi
    rm -f "$REDIS_PIDFILE"
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

REDIS_PID=""
SERVER_PID=""

start_redis() {
    if port_in_use "$REDIS_PORT"; then
        die "something already listens on 127.0.0.1:$REDIS_PORT and it is not our Redis; not touching its data.
    Stop it, or choose another port: REDIS_PORT=6380 ./deploy/up.sh"
    fi
    mkdir -p "$VAR/redis"
    redis-server deploy/redis.conf --dir "$VAR/redis" --port "$REDIS_PORT" \
        --pidfile "$REDIS_PIDFILE" >>"$VAR/redis.log" 2>&1 9>&- &
    REDIS_PID=$!
    local i reply
    for i in $(seq 1 600); do # up to 60 s: a large AOF takes a while to load
        reply="$(redis-cli -p "$REDIS_PORT" ping 2>/dev/null || true)"
        [ "$reply" = PONG ] && break
        kill -0 "$REDIS_PID" 2>/dev/null || {
            tail -n 20 "$VAR/redis.log" >&2
            REDIS_PID=""
            die "redis-server exited; see var/redis.log"
        }
        sleep 0.1
    done
    [ "$reply" = PONG ] || die "Redis did not answer PING within 60 s; see var/redis.log"
    say "Redis on 127.0.0.1:$REDIS_PORT (pid $REDIS_PID, AOF in var/redis/, log var/redis.log)"
}

# Data written by a songgong before version 2 of the key layout moves to its new key names
# (docs/redis-keys.md#migration); serve refuses to start until then. Says nothing and takes
# one GET when there is nothing to move.
migrate() {
    SONGGONG_REDIS="127.0.0.1:$REDIS_PORT" SONGGONG_KEY_FILE="$KEY_FILE" \
        SONGGONG_DATA_DIR="${SONGGONG_DATA_DIR:-$ROOT/data}" "$BIN" migrate 9>&- ||
        die "songgong migrate failed (see its message above); the server was not started"
}

start_server() {
    if port_in_use "$PORT"; then
        die "something already listens on port $PORT; choose another: PORT=8081 ./deploy/up.sh"
    fi
    SONGGONG_PORT="$PORT" SONGGONG_HOST="$HOST" SONGGONG_REDIS="127.0.0.1:$REDIS_PORT" \
        SONGGONG_PUBLIC_URL="$PUBLIC_URL" SONGGONG_KEY_FILE="$KEY_FILE" \
        SONGGONG_DATA_DIR="${SONGGONG_DATA_DIR:-$ROOT/data}" SONGGONG_SITE_DIR="${SONGGONG_SITE_DIR:-$ROOT/site}" \
        "$BIN" serve 9>&- &
    SERVER_PID=$!
    echo "$SERVER_PID" >"$SERVER_PIDFILE"
    local i code=000
    for i in $(seq 1 300); do # 30 s
        code="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/healthz" || true)"
        [ "$code" = 200 ] && break
        kill -0 "$SERVER_PID" 2>/dev/null || {
            SERVER_PID=""
            die "songgong serve exited during start-up (see its messages above)"
        }
        sleep 0.1
    done
    [ "$code" = 200 ] || die "http://127.0.0.1:$PORT/healthz still answers $code after 30 s"
}

stop_all() {
    local rc=$?
    trap - EXIT INT TERM
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        say "stopping songgong (pid $SERVER_PID)"
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        wait_gone "$SERVER_PID" || {
            say "songgong did not stop within 10 s; killing it"
            kill -KILL "$SERVER_PID" 2>/dev/null || true
        }
    fi
    rm -f "$SERVER_PIDFILE"
    if [ -n "$REDIS_PID" ] && kill -0 "$REDIS_PID" 2>/dev/null; then
        say "stopping Redis (SHUTDOWN fsyncs the AOF)"
        redis-cli -p "$REDIS_PORT" shutdown >/dev/null 2>&1 || kill -TERM "$REDIS_PID" 2>/dev/null || true
        wait_gone "$REDIS_PID" || say "Redis (pid $REDIS_PID) is still running"
    fi
    exit "$rc"
}

# A rural village (村委会) makes the better sample: the service is for them.
sample_village() {
    local f="data/divisions-45.tsv" code=""
    if [ -f "$f" ]; then
        code="$(awk -F'\t' 'length($1) == 12 && $2 ~ /村委会$/ { print $1; exit }' "$f")"
        [ -n "$code" ] || code="$(awk -F'\t' 'length($1) == 12 { print $1; exit }' "$f")"
    fi
    echo "${code:-450102001201}"
}

main() {
    install_packages
    build
    mkdir -p "$VAR"
    chmod 700 "$VAR"
    # One instance per checkout: a second up.sh would otherwise share var/redis.
    # (fd 9 is closed for the children so a leftover process never holds the lock)
    exec 9>"$VAR/up.lock"
    flock -n 9 || die "another deploy/up.sh is running in $ROOT"
    if [ ! -e "$KEY_FILE" ]; then
        "$BIN" keygen "$KEY_FILE"
        say "created the encryption key $KEY_FILE (mode 0600): back it up, the data is unreadable without it"
    fi
    trap stop_all EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    stop_leftovers
    start_redis
    migrate
    start_server

    local v
    v="$(sample_village)"
    cat <<EOF

Songgong 送工 is running at http://127.0.0.1:$PORT  (Ctrl-C stops it)

  Sample village sign-up link: $PUBLIC_URL/s/$v
  Its QR code:                 http://127.0.0.1:$PORT/qr/$v.png   (SVG: .../qr/$v.svg)

  API:
    http://127.0.0.1:$PORT/healthz
    http://127.0.0.1:$PORT/api/campaign
    http://127.0.0.1:$PORT/api/destinations
    http://127.0.0.1:$PORT/api/divisions/$v
    POST http://127.0.0.1:$PORT/api/registrations
    http://127.0.0.1:$PORT/api/registrations/<code>?phone4=<last 4 digits>

  Staff accounts (in another terminal; type the password when asked: at least 10
  characters and not an easy one, e.g. a few words and digits of your own):
    cd $ROOT && SONGGONG_REDIS=127.0.0.1:$REDIS_PORT SONGGONG_KEY_FILE=$KEY_FILE \\
      $BIN user add admin --role admin --scope 45
    then log in at http://127.0.0.1:$PORT/staff/   (songgong user --help lists the roles)

  Data: var/redis/ (Redis AOF), key var/songgong.key, logs var/redis.log
EOF
    # `wait` returns early when a trapped signal arrives; the trap then runs stop_all.
    local rc=0
    wait "$SERVER_PID" || rc=$?
    SERVER_PID=""
    say "songgong serve exited with status $rc"
    [ "$rc" -eq 0 ] && rc=1 # it is not supposed to stop by itself
    exit "$rc"
}

main "$@"
