#!/usr/bin/env bash
# Configures and builds fanfold. FANFOLD_BUILD_DIR (default build/) picks the tree;
# FANFOLD_SANITIZE=ON builds with AddressSanitizer and UndefinedBehaviorSanitizer;
# FANFOLD_BUILD_TARGET limits the build to one target (default: everything);
# FANFOLD_FAST_BUILD=ON builds RelWithDebInfo as -O1 without -g and Debug with line tables only
# (-g1) (CI: a fresh clone's build is thrown away, so debug info and the last optimisations only
# cost compile time; -O1 still runs the optimiser-based warnings such as -Wmaybe-uninitialized).
# FANFOLD_WERROR=ON makes warnings errors: scripts/test.sh (and so CI) sets it; the demo and the
# benchmark leave it off, so a compiler newer than CI's cannot stop a user's run with a warning.
# FANFOLD_BUILD_BENCH=OFF leaves the benchmark programs out (CI: no test runs them).
# FANFOLD_SANITIZED_UNIT_TESTS=OFF leaves out the unit tests the sanitizer tree runs
# (scripts/test.sh, when it runs that tree: each unit test runs once, under the sanitizers).
# FANFOLD_UNITY_BUILD (default ON) compiles each target's files in batches of 16: a fresh build in
# about a third of the time (11 -> 4 minutes for everything here); an edit recompiles its batch.
# OFF builds file by file (quicker edit-compile loops with ccache).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

build_dir="${FANFOLD_BUILD_DIR:-$FANFOLD_ROOT/build}"
build_type="${FANFOLD_BUILD_TYPE:-RelWithDebInfo}"
say "building fanfold ($build_type, sanitizers ${FANFOLD_SANITIZE:-OFF}) in ${build_dir#$FANFOLD_ROOT/}"
# Always given, so a tree configured one way once does not keep those flags from CMake's cache.
fast_flags=(-DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g -DNDEBUG" -DCMAKE_CXX_FLAGS_DEBUG="-g")
if [ "${FANFOLD_FAST_BUILD:-OFF}" = "ON" ]; then
  # -g1 keeps the line tables, so a sanitizer report still names file and line.
  fast_flags=(-DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -DNDEBUG" -DCMAKE_CXX_FLAGS_DEBUG="-g1")
fi
cmake -S "$FANFOLD_ROOT" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="$build_type" \
  -DFANFOLD_SANITIZE="${FANFOLD_SANITIZE:-OFF}" -DFANFOLD_WERROR="${FANFOLD_WERROR:-OFF}" \
  -DFANFOLD_BUILD_BENCH="${FANFOLD_BUILD_BENCH:-ON}" "${fast_flags[@]}" \
  -DFANFOLD_SANITIZED_UNIT_TESTS="${FANFOLD_SANITIZED_UNIT_TESTS:-ON}" \
  -DCMAKE_UNITY_BUILD="${FANFOLD_UNITY_BUILD:-ON}" -DCMAKE_UNITY_BUILD_BATCH_SIZE=16 >/dev/null
cmake --build "$build_dir" -j "$(nproc)" ${FANFOLD_BUILD_TARGET:+--target "$FANFOLD_BUILD_TARGET"}
