#!/usr/bin/env bash
# The main job, end to end, from a fresh machine: installs what is missing, builds, starts
# Azurite when AZURE_STORAGE_CONNECTION_STRING does not point elsewhere, and runs `fanfold demo`.
# Extra arguments go to `fanfold demo`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

bash "$FANFOLD_ROOT/scripts/bootstrap.sh"
bash "$FANFOLD_ROOT/scripts/build.sh"
if uses_local_azurite; then
  bash "$FANFOLD_ROOT/scripts/azurite.sh" start
fi
exec "$FANFOLD_ROOT/build/cli/fanfold" demo "$@"
