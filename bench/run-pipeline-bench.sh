#!/usr/bin/env bash
# Pipeline benchmark: both pipelines end to end through `fanfold worker` processes, each run on
# a fresh private Azurite. Bootstraps, builds fanfold_pipeline_bench (and fanfold), installs the
# DuckDB baseline (bench/duckdb, npm; the benchmark records it as unavailable if that fails),
# prepares the inputs in .fanfold/bench/ (cached: they are deterministic), then runs the driver.
# Writes bench/results/pipeline-<UTC>.json and a copy, bench/results/pipeline-latest.json, in the
# format of bench/pipeline-results.md.
#   bench/run-pipeline-bench.sh                      # --size quick: SF 1 only, under 5 minutes
#   bench/run-pipeline-bench.sh --size full          # SF 1 and SF 10, about 35 minutes
#   bench/run-pipeline-bench.sh --suites fanout,baselines --kill-every 30
#   bench/run-pipeline-bench.sh --with-sf40 --suites fanout,baselines --fanout-chunks 100 \
#     --fanout-workers 2      # the 1 GB job (dbgen SF 40, made by fanfold gen) against its download
# Other arguments go to fanfold_pipeline_bench (--help). FANFOLD_BUILD_DIR picks the build tree
# (default build/). A measurement, never a test: it fails only when it cannot measure.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

size=quick
with_sf40=0
script_args=("$@")  # as typed, for the results' command line
args=()
for arg in "$@"; do  # --with-sf40 is this script's; the rest go to the driver
  if [ "$arg" = "--with-sf40" ]; then with_sf40=1; else args+=("$arg"); fi
done
set -- ${args[@]+"${args[@]}"}
for ((i = 0; i < ${#args[@]}; i++)); do
  if [ "${args[$i]}" = "--size" ] && [ $((i + 1)) -lt ${#args[@]} ]; then size="${args[$((i + 1))]}"; fi
done
[ "$size" = quick ] || [ "$size" = full ] || die "--size is quick or full, not '$size'"
started=$SECONDS

"$FANFOLD_ROOT/scripts/bootstrap.sh"
FANFOLD_BUILD_TARGET="${FANFOLD_BUILD_TARGET:-fanfold_pipeline_bench}" "$FANFOLD_ROOT/scripts/build.sh"
build_dir="${FANFOLD_BUILD_DIR:-$FANFOLD_ROOT/build}"
bench="$build_dir/bench/fanfold_pipeline_bench"
fanfold="$build_dir/cli/fanfold"
[ -x "$bench" ] || die "the build did not produce $bench"
[ -x "$fanfold" ] || die "the build did not produce $fanfold"

duckdb_dir="$FANFOLD_ROOT/bench/duckdb"
if [ ! -f "$duckdb_dir/node_modules/@duckdb/node-api/package.json" ]; then
  say "installing the DuckDB baseline (npm ci in bench/duckdb)"
  (cd "$duckdb_dir" && timeout 600 npm ci --no-audit --no-fund >&2) ||
    say "npm ci failed: the DuckDB baseline will be recorded as unavailable"
fi

# Inputs, made once and kept: each is written under a .tmp name and renamed when complete.
data="$FANFOLD_ROOT/.fanfold/bench"
mkdir -p "$data"
sf1_xz="$(cd "$FANFOLD_ROOT/.." && pwd)/shared/data/tpch/customer-sf1.tbl.xz"
sf1="$data/customer-sf1.tbl"
if [ ! -f "$sf1" ]; then
  if [ -f "$sf1_xz" ]; then
    say "decompressing the dbgen SF 1 customer file"
    xz -dc "$sf1_xz" >"$sf1.tmp" && mv "$sf1.tmp" "$sf1"
  else
    say "no $sf1_xz: generating SF 1 with fanfold gen"
    "$fanfold" gen --sf 1 --seed 1 -o "$sf1.tmp" && mv "$sf1.tmp" "$sf1"
    echo "fanfold gen --sf 1 --seed 1" >"$sf1.source"
  fi
fi
if [ -f "$sf1.source" ]; then
  sf1_source="$(cat "$sf1.source")"
else
  sf1_source="TPC-H dbgen SF 1 (../shared/data/tpch/customer-sf1.tbl.xz)"
fi
split_set() {  # FILE DIR: the 100 round-robin parts of FILE in DIR
  if [ ! -f "$2/.complete" ]; then
    say "splitting ${1#"$FANFOLD_ROOT"/} into 100 round-robin parts"
    rm -rf "$2"
    "$fanfold" split "$1" --parts 100 --round-robin -o "$2" >/dev/null
    touch "$2/.complete"
  fi
}
split_set "$sf1" "$data/sf1-split100"
inputs=(--sf1 "$sf1" --sf1-source "$sf1_source" --sf1-parts "$data/sf1-split100")
if [ "$size" = full ]; then
  sf10="$data/customer-sf10.tbl"
  if [ ! -f "$sf10" ]; then
    say "generating SF 10 (fanfold gen --sf 10 --seed 1)"
    "$fanfold" gen --sf 10 --seed 1 -o "$sf10.tmp" && mv "$sf10.tmp" "$sf10"
  fi
  split_set "$sf10" "$data/sf10-split100"
  inputs+=(--sf10 "$sf10" --sf10-source "fanfold gen --sf 10 --seed 1" --sf10-parts "$data/sf10-split100")
fi

if [ "$with_sf40" = 1 ]; then
  sf40="$data/customer-sf40.tbl"
  if [ ! -f "$sf40" ]; then
    say "generating SF 40, the 1 GB file (fanfold gen --sf 40)"
    "$fanfold" gen --sf 40 -o "$sf40.tmp" && mv "$sf40.tmp" "$sf40"
  fi
  inputs+=(--sf40 "$sf40" --sf40-source "fanfold gen --sf 40 (byte-identical to dbgen -T c -s 40)")
fi

results="$FANFOLD_ROOT/bench/results"
mkdir -p "$results"
output="$results/pipeline-$(date -u +%Y%m%dT%H%M%SZ).json"
work="$(mktemp -d /tmp/fanfold-pipeline-bench-XXXXXX)"
trap 'rm -rf "$work"' EXIT
FANFOLD_BENCH_SCRIPT_COMMAND="$(printf '%q ' "bench/run-pipeline-bench.sh" ${script_args[@]+"${script_args[@]}"})"
export FANFOLD_BENCH_SCRIPT_COMMAND="${FANFOLD_BENCH_SCRIPT_COMMAND% }"
say "running the pipeline benchmark ($size; load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
bench_started=$SECONDS
"$bench" --fanfold "$fanfold" --duckdb-dir "$duckdb_dir" --work-dir "$work" "${inputs[@]}" \
  --output "$output" "$@"
cp "$output" "$results/pipeline-latest.json"
say "wrote ${output#"$FANFOLD_ROOT"/} and bench/results/pipeline-latest.json: benchmark" \
  "$((SECONDS - bench_started)) s, whole script $((SECONDS - started)) s"
