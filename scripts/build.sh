#!/usr/bin/env bash
# Configures and builds fanfold. FANFOLD_BUILD_DIR (default build/) picks the tree;
# FANFOLD_SANITIZE=ON builds with AddressSanitizer and UndefinedBehaviorSanitizer;
# FANFOLD_BUILD_TARGET limits the build to one target (default: everything);
# FANFOLD_FAST_BUILD=ON builds RelWithDebInfo as -O1 without -g (CI: a fresh clone's build is
# thrown away, so debug info and the last optimisations only cost compile time; -O1 still runs
# the optimiser-based warnings such as -Wmaybe-uninitialized).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

build_dir="${FANFOLD_BUILD_DIR:-$FANFOLD_ROOT/build}"
build_type="${FANFOLD_BUILD_TYPE:-RelWithDebInfo}"
say "building fanfold ($build_type, sanitizers ${FANFOLD_SANITIZE:-OFF}) in ${build_dir#$FANFOLD_ROOT/}"
# Always given, so a tree configured one way once does not keep those flags from CMake's cache.
fast_flags=(-DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g -DNDEBUG")
if [ "${FANFOLD_FAST_BUILD:-OFF}" = "ON" ]; then
  fast_flags=(-DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -DNDEBUG")
fi
cmake -S "$FANFOLD_ROOT" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="$build_type" \
  -DFANFOLD_SANITIZE="${FANFOLD_SANITIZE:-OFF}" -DFANFOLD_WERROR=ON "${fast_flags[@]}" >/dev/null
cmake --build "$build_dir" -j "$(nproc)" ${FANFOLD_BUILD_TARGET:+--target "$FANFOLD_BUILD_TARGET"}
