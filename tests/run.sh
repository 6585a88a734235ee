#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The one test entry point (CI runs it through .ci/run): install what the tests need, check
# formatting, build with ASan+UBSan into ./build/asan, start a Redis of our own on a free
# loopback port, run every ctest label, stop what we started, exit non-zero on any failure.
#
# Then, as a separate step, the fuzz targets (tests/fuzz/run.sh: a clang build in
# ./build/fuzz, each libFuzzer target for FUZZ_SECONDS); a crash or a broken invariant fails.
#
# Environment: JOBS (2), CTEST_ARGS (extra ctest arguments, e.g. "-L unit"), FUZZ_SECONDS
# (30: seconds per fuzz target; 6 targets, about 4 minutes with their build).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

BUILD_DIR="$ROOT/build/asan"
OUT_DIR="$ROOT/tests/out"
JOBS="${JOBS:-2}"
FUZZ_SECONDS="${FUZZ_SECONDS:-30}"
FORMAT_FAILED=0

PACKAGES=(build-essential cmake pkg-config libh2o-evloop-dev libh2o-dev libssl-dev libuv1-dev libcurl4-openssl-dev
    libhiredis-dev libcjson-dev libqrencode-dev libsodium-dev libcairo2-dev libpango1.0-dev
    libxlsxwriter-dev redis-server redis-sentinel fonts-noto-cjk
    clang-format zbar-tools poppler-utils librsvg2-bin curl libreoffice-calc-nogui
    nginx openssl systemd)

say() { printf 'tests/run.sh: %s\n' "$*" >&2; }
die() {
    say "$*"
    exit 1
}

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

APT_UPDATED=0
apt_install() {
    [ "$#" -eq 0 ] && return 0
    say "installing: $*"
    if [ "$APT_UPDATED" = 0 ]; then
        as_root apt-get update
        APT_UPDATED=1
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
}

is_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

install_packages() {
    local missing=() p
    for p in "${PACKAGES[@]}"; do
        is_installed "$p" || missing+=("$p")
    done
    # node may come from elsewhere (it brings its own npm): only install Debian's if absent.
    if ! command -v node >/dev/null; then
        missing+=(nodejs npm)
    elif ! command -v npm >/dev/null && [ -f package.json ]; then
        missing+=(npm)
    fi
    apt_install "${missing[@]}"
    # apt may have started Debian's redis-server service: harmless, we use our own port.
}

# The browser tests (label "browser") drive Debian's chromium (/usr/bin/chromium) through
# playwright-core (package.json); Chinese fonts so that screenshots show the pages as phones do.
install_browser() {
    local missing=() p
    for p in chromium fonts-noto-cjk; do
        is_installed "$p" || missing+=("$p")
    done
    apt_install "${missing[@]}"
    [ -x /usr/bin/chromium ] || die "chromium is installed but /usr/bin/chromium is missing"
}

# npm ci when node_modules is missing or lacks a package of package.json (a partial
# install, or an older checkout): never a silent half-installed tree.
install_node_modules() {
    [ -f package.json ] || return 0
    if [ -d node_modules ] && node -e '
        const deps = Object.keys(require("./package.json").devDependencies || {});
        for (const d of deps) require.resolve(d + "/package.json");' 2>/dev/null; then
        return 0
    fi
    if [ -f package-lock.json ]; then
        npm ci --no-audit --no-fund
    else
        npm install --no-audit --no-fund
    fi
}

check_format() {
    local files=()
    mapfile -t files < <(find backend qr tests/unit tests/fuzz -type f \( -name '*.c' -o -name '*.h' \) 2>/dev/null | sort)
    [ "${#files[@]}" -eq 0 ] && return 0
    say "clang-format --dry-run -Werror on ${#files[@]} files"
    if ! clang-format --dry-run -Werror "${files[@]}"; then
        FORMAT_FAILED=1
        say "formatting differs from .clang-format (fix: clang-format -i <files>); running the tests anyway"
    fi
}

# LeakSanitizer needs to stop the process's threads with ptrace-like means at exit. Where a
# sandbox forbids that (some containers), LSan dies with "LeakSanitizer has encountered a
# fatal error" for every program: then leak checking is turned off (ASan and UBSan stay on)
# and we say so. On this project's Debian machines it works as root.
choose_asan_options() {
    local probe_dir probe rc=0 log
    ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
    probe_dir="$(mktemp -d)"
    probe="$probe_dir/probe"
    if printf 'int main(void){return 0;}\n' | cc -x c -fsanitize=address -o "$probe" - 2>/dev/null; then
        log="$(ASAN_OPTIONS=detect_leaks=1 "$probe" 2>&1)" || rc=$?
        if [ "$rc" -ne 0 ] && grep -q 'LeakSanitizer has encountered a fatal error' <<<"$log"; then
            say "LeakSanitizer cannot run here (ptrace restricted); leak detection off, ASan/UBSan still on"
            ASAN_OPTIONS="detect_leaks=0:abort_on_error=1"
        fi
    fi
    rm -rf "$probe_dir"
    export ASAN_OPTIONS
    export LSAN_OPTIONS="suppressions=$ROOT/tests/lsan.supp:print_suppressions=0"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
}

build() {
    cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Debug -DSG_SANITIZE=ON -DSG_WERROR=ON -DBUILD_TESTING=ON
    cmake --build "$BUILD_DIR" -j"$JOBS"
    # The Release binary as up.sh builds it (with -Werror): what the memory tests measure
    # (ASan's allocator keeps freed memory on purpose) and what production runs.
    cmake -S . -B "$ROOT/build/rel" -DCMAKE_BUILD_TYPE=Release -DSG_WERROR=ON -DBUILD_TESTING=OFF
    cmake --build "$ROOT/build/rel" -j"$JOBS" --target songgong
}

REDIS_PID=""
REDIS_DIR=""

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# A Redis for the whole run on a free loopback port, exported as SONGGONG_TEST_REDIS_PORT.
# Integration tests that stop and start Redis start their own.
start_redis() {
    local tries port i
    REDIS_DIR="$(mktemp -d)"
    for tries in $(seq 1 20); do
        port=$((20000 + RANDOM % 12000)) # below the ephemeral range (32768+)
        port_in_use "$port" && continue
        redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --dir "$REDIS_DIR" \
            >"$OUT_DIR/redis.log" 2>&1 &
        REDIS_PID=$!
        for i in $(seq 1 50); do
            [ "$(redis-cli -p "$port" ping 2>/dev/null || true)" = PONG ] && break
            kill -0 "$REDIS_PID" 2>/dev/null || break
            sleep 0.1
        done
        if [ "$(redis-cli -p "$port" ping 2>/dev/null || true)" = PONG ]; then
            export SONGGONG_TEST_REDIS_PORT="$port"
            say "Redis for tests on 127.0.0.1:$port (pid $REDIS_PID)"
            return 0
        fi
        kill "$REDIS_PID" 2>/dev/null || true
        wait "$REDIS_PID" 2>/dev/null || true
        REDIS_PID=""
    done
    die "could not start redis-server on a free port; see $OUT_DIR/redis.log"
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [ -n "$REDIS_PID" ]; then
        redis-cli -p "$SONGGONG_TEST_REDIS_PORT" shutdown nosave >/dev/null 2>&1 || kill "$REDIS_PID" 2>/dev/null || true
        wait "$REDIS_PID" 2>/dev/null || true
    fi
    [ -n "$REDIS_DIR" ] && rm -rf "$REDIS_DIR"
    exit "$rc"
}

main() {
    install_packages
    if find tests/browser -type f \( -name '*.test.mjs' -o -name '*.test.js' \) 2>/dev/null | grep -q .; then
        install_browser
    fi
    install_node_modules
    check_format
    choose_asan_options
    build
    mkdir -p "$OUT_DIR"
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    start_redis
    local rc=0
    # shellcheck disable=SC2086 # CTEST_ARGS is a list of words on purpose
    ctest --test-dir "$BUILD_DIR" --output-on-failure -j"$JOBS" ${CTEST_ARGS:-} || rc=$?
    if [ "$rc" -ne 0 ]; then
        say "ctest failed (logs of servers started by integration tests: $BUILD_DIR/tests/integration/out/)"
        exit "$rc"
    fi
    # ---- fuzzing: its own build (clang, libFuzzer) and runs, after every other test ----
    say "fuzzing: each target of tests/fuzz for ${FUZZ_SECONDS}s"
    "$ROOT/tests/fuzz/run.sh" "$FUZZ_SECONDS" ||
        die "a fuzz target crashed or broke an invariant (inputs kept in build/fuzz/crashes/, logs in build/fuzz/logs/)"
    [ "$FORMAT_FAILED" = 0 ] || die "tests passed, but clang-format found differences (see above)"
    say "all tests passed"
}

main "$@"
