#!/usr/bin/env bash
# Builds fanfold and runs the storage benchmark, writing bench/results/storage-<UTC timestamp>.json
# and a copy, bench/results/storage-latest.json. It measures the account of
# AZURE_STORAGE_CONNECTION_STRING when that is set, else a private Azurite that the benchmark
# starts on free ports and stops afterwards. Arguments go to fanfold_storage_bench (see --help),
# e.g. --seconds 2 --threads 1,8. FANFOLD_BUILD_DIR picks the build tree (default build/).
# A measurement, never a test: it fails only when it cannot measure.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

"$FANFOLD_ROOT/scripts/bootstrap.sh"
"$FANFOLD_ROOT/scripts/build.sh"

build_dir="${FANFOLD_BUILD_DIR:-$FANFOLD_ROOT/build}"
bench="$build_dir/bench/fanfold_storage_bench"
[ -x "$bench" ] || die "the build did not produce $bench"

results="$FANFOLD_ROOT/bench/results"
mkdir -p "$results"
output="$results/storage-$(date -u +%Y%m%dT%H%M%SZ).json"
if [ -n "${AZURE_STORAGE_CONNECTION_STRING:-}" ]; then
  say "measuring the account of AZURE_STORAGE_CONNECTION_STRING"
else
  say "measuring a private Azurite"
fi
# Recorded in the results, next to the benchmark's own command line.
FANFOLD_BENCH_SCRIPT_COMMAND="$(printf '%q ' "$0" "$@")"
export FANFOLD_BENCH_SCRIPT_COMMAND="${FANFOLD_BENCH_SCRIPT_COMMAND% }"
started=$SECONDS
"$bench" --output "$output" "$@"
cp "$output" "$results/storage-latest.json"
say "wrote ${output#"$FANFOLD_ROOT"/} and bench/results/storage-latest.json in $((SECONDS - started)) s"
