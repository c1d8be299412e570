#!/usr/bin/env bash
# Configures and builds fanfold. FANFOLD_BUILD_DIR (default build/) picks the tree;
# FANFOLD_SANITIZE=ON builds with AddressSanitizer and UndefinedBehaviorSanitizer;
# FANFOLD_BUILD_TARGET limits the build to one target (default: everything).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

build_dir="${FANFOLD_BUILD_DIR:-$FANFOLD_ROOT/build}"
build_type="${FANFOLD_BUILD_TYPE:-RelWithDebInfo}"
say "building fanfold ($build_type, sanitizers ${FANFOLD_SANITIZE:-OFF}) in ${build_dir#$FANFOLD_ROOT/}"
cmake -S "$FANFOLD_ROOT" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="$build_type" \
  -DFANFOLD_SANITIZE="${FANFOLD_SANITIZE:-OFF}" -DFANFOLD_WERROR=ON >/dev/null
cmake --build "$build_dir" -j "$(nproc)" ${FANFOLD_BUILD_TARGET:+--target "$FANFOLD_BUILD_TARGET"}
