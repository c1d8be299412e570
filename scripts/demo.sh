#!/usr/bin/env bash
# The main job, end to end, from a fresh machine: installs what is missing, builds, starts
# Azurite when AZURE_STORAGE_CONNECTION_STRING does not point elsewhere, and runs `fanfold demo`.
# Extra arguments go to `fanfold demo`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

bash "$FANFOLD_ROOT/scripts/bootstrap.sh"
# Only the fanfold binary: the demo runs nothing else, and the tests and benchmarks would more
# than double the time to its first result on a fresh clone.
FANFOLD_BUILD_TARGET=fanfold bash "$FANFOLD_ROOT/scripts/build.sh"
if uses_local_azurite; then
  bash "$FANFOLD_ROOT/scripts/azurite.sh" start
fi
exec "$FANFOLD_ROOT/build/cli/fanfold" demo "$@"
