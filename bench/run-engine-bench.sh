#!/usr/bin/env bash
# Engine benchmark: fan-out/fan-in of N no-op activities with 1, 2 and 4 `fanfold worker`
# processes, against a private Azurite (or AZURE_STORAGE_CONNECTION_STRING when set).
# Writes bench/results/engine-<UTC>.json and engine-latest.json. Arguments go to the program,
# e.g. --sizes 10,100 --workers 1.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

bash "$FANFOLD_ROOT/scripts/bootstrap.sh"
bash "$FANFOLD_ROOT/scripts/build.sh"
build_dir="${FANFOLD_BUILD_DIR:-$FANFOLD_ROOT/build}"
mkdir -p "$FANFOLD_ROOT/bench/results"
out="$FANFOLD_ROOT/bench/results/engine-$(date -u +%Y%m%dT%H%M%SZ).json"
say "running the engine benchmark (a few minutes)"
"$build_dir/bench/fanfold_engine_bench" --output "$out" "$@"
cp "$out" "$FANFOLD_ROOT/bench/results/engine-latest.json"
say "results: ${out#$FANFOLD_ROOT/}"
