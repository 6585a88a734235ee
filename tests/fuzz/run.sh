#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build the libFuzzer targets (clang, -DSG_FUZZ=ON, into ./build/fuzz) and run each for
# DURATION seconds, one after the other, on one core: tests/fuzz/run.sh DURATION [TARGET...]
# (targets: the fuzz_<name>.c files here; default all). Each target starts from its seed
# corpus tests/fuzz/corpus/<name>/ (never written to) and grows a working corpus in
# build/fuzz/corpus/<name>/, kept between runs. Prints executions, exec/s, coverage (cov:
# and ft: of libFuzzer's last line) and corpus size per target; exits non-zero when a
# target crashes, breaks an invariant, leaks or times out, keeping the input that did it
# in build/fuzz/crashes/ (reproduce: build/fuzz/tests/fuzz/fuzz_<name> FILE). The load
# average at the end of each run is printed beside its figures (the machine is shared).
# More in docs/security.md, "Fuzzing".
#
# Environment: FUZZ_ARGS (extra libFuzzer flags), JOBS (build jobs, 2).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
FUZZ_DIR="$ROOT/tests/fuzz"
BUILD_DIR="$ROOT/build/fuzz"
JOBS="${JOBS:-2}"
PACKAGES=(clang libclang-rt-14-dev)

say() { printf 'tests/fuzz/run.sh: %s\n' "$*" >&2; }
die() {
    say "$*"
    exit 1
}
usage() { die "usage: tests/fuzz/run.sh DURATION_SECONDS [TARGET...] (targets: $(all_targets | tr '\n' ' '))"; }

all_targets() {
    find "$FUZZ_DIR" -maxdepth 1 -name 'fuzz_*.c' -printf '%f\n' | sed 's/^fuzz_//; s/\.c$//' | sort
}

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_packages() {
    local missing=() p
    for p in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    say "installing: ${missing[*]}"
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
}

build() {
    local targets=() t
    for t in "$@"; do targets+=(--target "fuzz_$t"); done
    cmake -S . -B "$BUILD_DIR" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS_DEBUG="-g -O1" \
        -DSG_FUZZ=ON -DBUILD_TESTING=OFF >/dev/null
    cmake --build "$BUILD_DIR" -j"$JOBS" "${targets[@]}"
}

# As tests/run.sh: where LeakSanitizer cannot stop threads (some sandboxes), leak checks
# are off and we say so; ASan and UBSan stay on.
leak_flag() {
    local probe_dir rc=0 log
    probe_dir="$(mktemp -d)"
    if printf 'int main(void){return 0;}\n' | clang -x c -fsanitize=address -o "$probe_dir/probe" - 2>/dev/null; then
        log="$(ASAN_OPTIONS=detect_leaks=1 "$probe_dir/probe" 2>&1)" || rc=$?
        if [ "$rc" -ne 0 ] && grep -q 'LeakSanitizer has encountered a fatal error' <<<"$log"; then
            say "LeakSanitizer cannot run here: leak detection off, ASan/UBSan still on"
            rm -rf "$probe_dir"
            echo "-detect_leaks=0"
            return
        fi
    fi
    rm -rf "$probe_dir"
    echo "-detect_leaks=1"
}

# The value of "stat::NAME: value" in a log.
stat_of() { sed -n "s/^stat::$2: *//p" "$1" | tail -1; }

run_one() {
    local name="$1" duration="$2" leaks="$3" bin="$BUILD_DIR/tests/fuzz/fuzz_$1"
    local work="$BUILD_DIR/corpus/$name" crashes="$BUILD_DIR/crashes" log="$BUILD_DIR/logs/$name.log"
    local dict=() rc=0 last
    mkdir -p "$work" "$crashes" "$BUILD_DIR/logs"
    [ -f "$FUZZ_DIR/$name.dict" ] && dict=(-dict="$FUZZ_DIR/$name.dict")
    say "fuzz_$name for ${duration}s"
    # shellcheck disable=SC2086 # FUZZ_ARGS is a list of words on purpose
    UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" ASAN_OPTIONS="abort_on_error=1" \
        "$bin" -max_total_time="$duration" -timeout=10 -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 \
        "$leaks" "${dict[@]}" -artifact_prefix="$crashes/$name-" ${FUZZ_ARGS:-} \
        "$work" "$FUZZ_DIR/corpus/$name" >"$log" 2>&1 || rc=$?
    last="$(grep -E '^#[0-9]+.*cov:' "$log" | tail -1 || true)"
    printf '%-10s %12s execs %8s exec/s  cov %-6s ft %-6s corpus %s files, %s bytes  load %s  %s\n' "$name" \
        "$(stat_of "$log" number_of_executed_units)" "$(stat_of "$log" average_exec_per_sec)" \
        "$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")" "$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")" \
        "$(find "$work" -type f | wc -l)" "$(find "$work" -type f -printf '%s\n' | awk '{s+=$1} END {print s+0}')" \
        "$(cut -d' ' -f1 /proc/loadavg)" \
        "$([ "$rc" -eq 0 ] && echo ok || echo FAILED)"
    if [ "$rc" -ne 0 ]; then
        grep -E 'ERROR|SUMMARY|invariant|runtime error|Test unit written' "$log" | head -20 >&2 || true
        say "fuzz_$name failed (log: $log; input kept in $crashes/)"
        return 1
    fi
}

main() {
    if [ "$#" -lt 1 ] || ! [[ "$1" =~ ^[0-9]+$ ]] || [ "$1" -eq 0 ]; then usage; fi
    local duration="$1" targets=() t failed=()
    shift
    if [ "$#" -gt 0 ]; then targets=("$@"); else mapfile -t targets < <(all_targets); fi
    for t in "${targets[@]}"; do
        [ -f "$FUZZ_DIR/fuzz_$t.c" ] || usage
    done
    install_packages
    build "${targets[@]}"
    local leaks
    leaks="$(leak_flag)"
    for t in "${targets[@]}"; do
        run_one "$t" "$duration" "$leaks" || failed+=("$t")
    done
    [ "${#failed[@]}" -eq 0 ] || die "findings in: ${failed[*]}"
    say "no findings in ${#targets[@]} targets"
}

main "$@"
