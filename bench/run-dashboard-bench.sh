#!/usr/bin/env bash
# Dashboard benchmark: `fanfold dashboard`'s job list on an account of 1,000 jobs (a private
# Azurite). Writes bench/results/dashboard-<UTC>.json and dashboard-latest.json. Arguments go to
# the program: --jobs N --runs N.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

bash "$FANFOLD_ROOT/scripts/bootstrap.sh"
FANFOLD_BUILD_TARGET=fanfold_dashboard_bench bash "$FANFOLD_ROOT/scripts/build.sh"
build_dir="${FANFOLD_BUILD_DIR:-$FANFOLD_ROOT/build}"
mkdir -p "$FANFOLD_ROOT/bench/results"
out="$FANFOLD_ROOT/bench/results/dashboard-$(date -u +%Y%m%dT%H%M%SZ).json"
say "running the dashboard benchmark (about a minute)"
"$build_dir/bench/fanfold_dashboard_bench" --output "$out" "$@" >/dev/null
cp "$out" "$FANFOLD_ROOT/bench/results/dashboard-latest.json"
say "results: ${out#$FANFOLD_ROOT/}"
