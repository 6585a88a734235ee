#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Poster speed and memory: `songgong posters` for a county (~200 villages) and for the whole
# region (scope 45, 16,681 villages, one PDF), each under /usr/bin/time -v for wall time and
# peak RSS. Prints a table and writes bench/RESULTS-posters.md (a file of its own, because
# bench/run.sh rewrites bench/RESULTS.md whole; RESULTS.md links here).
# Targets: region < 60 s with bounded memory (pages are streamed), county in a couple of seconds.
#
# Environment: COUNTY (450225), SKIP_BUILD=1, RESULTS (bench/RESULTS-posters.md).
set -euo pipefail

BENCH_NAME=posters
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

COUNTY="${COUNTY:-450225}"
RESULTS="${RESULTS:-$ROOT/bench/RESULTS-posters.md}"
WORK="$ROOT/build/bench/posters"
PUBLIC_URL="${SONGGONG_PUBLIC_URL:-https://songgong.example.cn}"

[ -x /usr/bin/time ] || die "/usr/bin/time is missing (apt-get install time)"
need pdfinfo
build_release
grep -q 'CMAKE_BUILD_TYPE:STRING=Release' build/CMakeCache.txt || say "warning: build/ is not a Release build"
mkdir -p "$WORK"

villages() { awk -F'\t' -v s="$1" 'length($1) == 12 && index($1, s) == 1 { n++ } END { print n + 0 }' data/divisions-45.tsv; }

# measure NAME SCOPE [extra args] -> "villages pages seconds pages/s peak_MiB size_MiB"
measure() {
    local name="$1" scope="$2" out="$WORK/$1.pdf" log="$WORK/$1.time"
    shift 2
    SONGGONG_PUBLIC_URL="$PUBLIC_URL" SONGGONG_DATA_DIR="$ROOT/data" \
        /usr/bin/time -v "$BIN" posters --scope "$scope" -o "$out" "$@" 2>"$log" >/dev/null ||
        die "songgong posters --scope $scope failed: $(tail -5 "$log")"
    local secs rss pages size
    secs="$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$log")"
    rss="$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$log")"
    pages="$(pdfinfo "$out" | awk '/^Pages:/ { print $2 }')"
    size="$(du -m "$out" | cut -f1)"
    echo "$(villages "$scope") $pages $secs $(awk -v p="$pages" -v s="$secs" 'BEGIN { printf "%.0f", p / s }') $rss $size"
}

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
say "county $COUNTY"
read -r C_V C_P C_S C_R C_M C_Z <<<"$(measure county "$COUNTY")"
say "county $COUNTY, label sheets"
read -r L_V L_P L_S L_R L_M L_Z <<<"$(measure county-labels "$COUNTY" --labels)"
say "region 45 (all villages, one PDF)"
read -r R_V R_P R_S R_R R_M R_Z <<<"$(measure region 45)"

verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v < t) ? "met" : "NOT met" }'; }
TABLE="| run | villages | pages | wall s | pages/s | peak RSS MiB | PDF MiB |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
| county $COUNTY, posters | $C_V | $C_P | $C_S | $C_R | $C_M | $C_Z |
| county $COUNTY, label sheets | $L_V | $L_P | $L_S | $L_R | $L_M | $L_Z |
| region 45, posters, one PDF | $R_V | $R_P | $R_S | $R_R | $R_M | $R_Z |

| target | value | |
| --- | ---: | --- |
| region < 60 s | $R_S s | $(verdict "$R_S" 60) |
| county in a couple of seconds (< 3 s) | $C_S s | $(verdict "$C_S" 3) |
| bounded memory: region peak RSS < 2 x county peak RSS | $R_M / $C_M MiB | $(verdict "$R_M" $((2 * C_M))) |"

CPU="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
DIRTY="$(git status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo ' (with uncommitted changes)' || true)"

cat >"$RESULTS" <<EOF
# Poster benchmark results

Written by \`bench/posters.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'), commit $COMMIT$DIRTY.
The sign-up and static-file benchmark is in [RESULTS.md](RESULTS.md).

$TABLE

## How
- \`build/songgong posters --scope CODE -o FILE\` (Release build) under \`/usr/bin/time -v\`:
  wall time and peak resident set size of the whole process, loading data/ included.
  Pages and PDF size read back with \`pdfinfo\` and \`du\`.
- One A4 poster per village: text laid out with pango (Noto Sans CJK SC, subset and embedded
  by cairo), the QR code as vector outlines, each page written to the file as soon as it
  is drawn (cairo_pdf_surface_create_for_stream), so memory does not grow with the page
  count. Public URL: $PUBLIC_URL.

## Machine
- CPU: $CPU, $(nproc) cores (shared with other work), $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo).
- $(uname -sr); $(. /etc/os-release && echo "$PRETTY_NAME"); cairo $(pkg-config --modversion cairo), pango $(pkg-config --modversion pango).
- Load average just before the run: $LOAD_BEFORE.
EOF

echo
echo "$TABLE"
echo
say "wrote $RESULTS"
