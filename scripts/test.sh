#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what is missing, checks formatting, builds
# with warnings as errors, runs every test (each storage test binary starts its own in-memory
# Azurite on free ports), and builds a second tree with AddressSanitizer +
# UndefinedBehaviorSanitizer in which the unit tests run (only there: the optimised tree leaves
# them out). FANFOLD_SKIP_SANITIZERS=1 skips that second tree and runs the unit tests optimised.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
start=$(date +%s)
# Each step's line says how long the suite has run, so a slow CI run shows where its time went.
step() { say "[$(($(date +%s) - start)) s] $*"; }

bash "$FANFOLD_ROOT/scripts/bootstrap.sh"
bash "$FANFOLD_ROOT/scripts/check-format.sh"
# In CI (a fresh clone, built once and thrown away) debug info and -O2 only cost compile time, and
# the benchmark programs (no test runs them: 25 of the 314 files compiled) only cost build time.
if [ "${CI:-}" = "true" ]; then
  export FANFOLD_FAST_BUILD="${FANFOLD_FAST_BUILD:-ON}"
  export FANFOLD_BUILD_BENCH="${FANFOLD_BUILD_BENCH:-OFF}"
fi
export FANFOLD_WERROR="${FANFOLD_WERROR:-ON}"  # the suite checks the code is warning-free
run_sanitizers=1
[ "${FANFOLD_SKIP_SANITIZERS:-0}" = "1" ] && run_sanitizers=0
# The sanitizer tree builds in the background at the lowest CPU priority, from the start: it
# takes the CPU the main build leaves idle (its links, its last long files) and the tests leave
# idle (they spend much of their time waiting on Azurite and on each other's processes).
# It runs in its own process group (job control on for that one command: not setsid, whose new
# session would put it in its own scheduler autogroup, where nice no longer yields to the tests),
# so a suite that stops early stops its compilers too.
sanitize_log="$FANFOLD_ROOT/build-sanitize/build.log"
sanitize_pid=""
if [ "$run_sanitizers" = 1 ]; then
  mkdir -p "$FANFOLD_ROOT/build-sanitize"
  step "building the sanitizer tree in the background (log: ${sanitize_log#$FANFOLD_ROOT/})"
  set -m
  FANFOLD_BUILD_DIR="$FANFOLD_ROOT/build-sanitize" FANFOLD_SANITIZE=ON FANFOLD_BUILD_TYPE=Debug \
    FANFOLD_BUILD_TARGET=fanfold_unit_tests nice -n 19 bash "$FANFOLD_ROOT/scripts/build.sh" \
    >"$sanitize_log" 2>&1 &
  sanitize_pid=$!
  set +m
  trap '[ -n "$sanitize_pid" ] && kill -- "-$sanitize_pid" 2>/dev/null || true' EXIT
fi

step "building"
# Each unit test is built and run once: under the sanitizers when that pass runs (the optimised
# tree then leaves them out), here otherwise.
FANFOLD_SANITIZED_UNIT_TESTS=$([ "$run_sanitizers" = 1 ] && echo OFF || echo ON) \
  bash "$FANFOLD_ROOT/scripts/build.sh"

step "running all tests"
# Every GoogleTest binary of both trees also writes its results as JSON there; they become
# bench/results/tests-latest.json, which the report's test section cites.
results_dir="$FANFOLD_ROOT/build/test-results"
rm -rf "$results_dir"
GTEST_OUTPUT="json:$results_dir/" ctest --test-dir "$FANFOLD_ROOT/build" -j 2 --output-on-failure

if [ -n "$sanitize_pid" ]; then
  step "waiting for the sanitizer build"
  if ! wait "$sanitize_pid"; then
    sanitize_pid=""
    cat "$sanitize_log" >&2
    die "the sanitizer build failed (above)"
  fi
  sanitize_pid=""
  step "running the unit tests under AddressSanitizer and UndefinedBehaviorSanitizer"
  GTEST_OUTPUT="json:$results_dir/" ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir "$FANFOLD_ROOT/build-sanitize" -L unit -LE unsanitized -j 2 --output-on-failure
fi
"$FANFOLD_ROOT/build/report/fanfold_test_summary" "$results_dir" \
  "$FANFOLD_ROOT/bench/results/tests-latest.json" "bash scripts/test.sh" \
  "$(git -C "$FANFOLD_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
say "all tests passed in $(( $(date +%s) - start )) s"
