#!/usr/bin/env bash
# Builds fanfold_parser_bench and runs it: the `aggregate` parser alone, on the decompressed SF 1
# customer file held in memory, pinned to one core, next to a tight hand-written reader. Writes
# bench/results/parser-<UTC timestamp>.json and a copy, bench/results/parser-latest.json.
# Arguments go to fanfold_parser_bench (see --help), e.g. --repetitions 30 --cpu 1.
# FANFOLD_BUILD_DIR picks the build tree (default build/). FANFOLD_BUILD_TYPE is left to
# scripts/build.sh (RelWithDebInfo, -O2, what the fanfold binary ships as): forcing another type
# here would reconfigure and rebuild a shared build/ tree. Only the benchmark's own target is
# built unless FANFOLD_BUILD_TARGET says otherwise. No storage is involved: no Azurite.
# A measurement, never a test: it fails only when it cannot measure, or when the two readers
# disagree on the totals.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

"$FANFOLD_ROOT/scripts/bootstrap.sh"
FANFOLD_BUILD_TARGET="${FANFOLD_BUILD_TARGET:-fanfold_parser_bench}" "$FANFOLD_ROOT/scripts/build.sh"

build_dir="${FANFOLD_BUILD_DIR:-$FANFOLD_ROOT/build}"
bench="$build_dir/bench/fanfold_parser_bench"
[ -x "$bench" ] || die "the build did not produce $bench"

results="$FANFOLD_ROOT/bench/results"
mkdir -p "$results"
output="$results/parser-$(date -u +%Y%m%dT%H%M%SZ).json"
# Recorded in the results, next to the benchmark's own command line.
FANFOLD_BENCH_SCRIPT_COMMAND="$(printf '%q ' "$0" "$@")"
export FANFOLD_BENCH_SCRIPT_COMMAND="${FANFOLD_BENCH_SCRIPT_COMMAND% }"
say "measuring the parser on one core (load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
"$bench" --output "$output" "$@"
cp "$output" "$results/parser-latest.json"
say "wrote ${output#"$FANFOLD_ROOT"/} and bench/results/parser-latest.json"
