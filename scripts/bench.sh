#!/usr/bin/env bash
# The benchmark suite and the report in one command, from a fresh clone: installs what is missing,
# builds, runs bench/run-pipeline-bench.sh (both pipelines on private Azurites: fan-out widths,
# load, scale, faults, baselines), then report/generate.sh, which rewrites report/REPORT.md and
# report/figures/*.png from the new bench/results/pipeline-latest.json.
#   bash scripts/bench.sh                 # --size quick: SF 1 only, a few minutes
#   bash scripts/bench.sh --size full     # SF 1 and SF 10, the tables of the committed report
# Other arguments go to the benchmark (bench/run-pipeline-bench.sh --help).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
start=$(date +%s)
bash "$FANFOLD_ROOT/bench/run-pipeline-bench.sh" "$@"
bash "$FANFOLD_ROOT/report/generate.sh"
say "benchmark and report done in $(( $(date +%s) - start )) s: report/REPORT.md"
