#!/usr/bin/env bash
# Configures and builds fanfold. FANFOLD_BUILD_DIR (default build/) picks the tree;
# FANFOLD_SANITIZE=ON builds with AddressSanitizer and UndefinedBehaviorSanitizer;
# FANFOLD_BUILD_TARGET limits the build to one target (default: everything);
# FANFOLD_DEBUG_INFO=OFF drops -g from RelWithDebInfo (CI: a third less compile time, and a fresh
# clone's build is thrown away anyway).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

build_dir="${FANFOLD_BUILD_DIR:-$FANFOLD_ROOT/build}"
build_type="${FANFOLD_BUILD_TYPE:-RelWithDebInfo}"
say "building fanfold ($build_type, sanitizers ${FANFOLD_SANITIZE:-OFF}) in ${build_dir#$FANFOLD_ROOT/}"
debug_info=()
if [ "${FANFOLD_DEBUG_INFO:-ON}" = "OFF" ]; then
  debug_info=(-DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -DNDEBUG")
fi
cmake -S "$FANFOLD_ROOT" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="$build_type" \
  -DFANFOLD_SANITIZE="${FANFOLD_SANITIZE:-OFF}" -DFANFOLD_WERROR=ON "${debug_info[@]}" >/dev/null
cmake --build "$build_dir" -j "$(nproc)" ${FANFOLD_BUILD_TARGET:+--target "$FANFOLD_BUILD_TARGET"}
