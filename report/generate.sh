#!/usr/bin/env bash
# Regenerates report/REPORT.md and report/figures/*.png from bench/results/pipeline-latest.json
# (and the other *-latest.json files there): installs what is missing (gnuplot included), builds
# only the generator in ${FANFOLD_BUILD_DIR:-build}, runs it. Extra arguments go to the
# generator (see `fanfold_report --help`), e.g. --results FILE.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

bash "$FANFOLD_ROOT/scripts/bootstrap.sh"
build_dir="${FANFOLD_BUILD_DIR:-$FANFOLD_ROOT/build}"
case "$build_dir" in /*) ;; *) build_dir="$FANFOLD_ROOT/$build_dir" ;; esac
FANFOLD_BUILD_DIR="$build_dir" FANFOLD_BUILD_TARGET=fanfold_report bash "$FANFOLD_ROOT/scripts/build.sh"

results="$FANFOLD_ROOT/bench/results/pipeline-latest.json"
if [ "$#" -eq 0 ] && [ ! -f "$results" ]; then
  die "no $results yet: run the pipeline benchmark first (bench/pipeline-results.md)"
fi
# gnuplot's data files and scripts are intermediates: keep them out of the source tree.
work_dir="$build_dir/report/gnuplot"
mkdir -p "$work_dir"
"$build_dir/report/fanfold_report" --root "$FANFOLD_ROOT" --work-dir "$work_dir" "$@"
