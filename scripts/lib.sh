# Shared by the scripts in this folder: paths and small helpers. Source it, don't run it.
FANFOLD_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export FANFOLD_ROOT

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Runs a command as root: directly when we are root, else through sudo.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "need root to run: $* (install sudo or run as root)"
  fi
}

# True when the connection string in the environment (if any) points at local Azurite.
uses_local_azurite() {
  local cs="${AZURE_STORAGE_CONNECTION_STRING:-}"
  [ -z "$cs" ] || [[ "${cs,,}" == *"usedevelopmentstorage=true"* ]]
}
