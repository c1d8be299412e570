#!/usr/bin/env bash
# Installs what fanfold needs on Debian 12, and only what is missing: the compiler and build
# tools, the libraries (libcurl, OpenSSL, pugixml, nlohmann-json, date, cpp-httplib,
# GoogleTest), Node.js and Azurite (pinned in infra/azurite/package-lock.json). Safe to run
# again; it does nothing then.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Debian packages, each with what proves it is already there: a command on PATH (so tools
# installed another way, such as Node.js from NodeSource, are not installed twice) or the
# package itself.
declare -A needed=(
  [cmake]=cmd:cmake
  [ninja-build]=cmd:ninja
  [g++]=cmd:g++
  [git]=cmd:git
  [xz-utils]=cmd:xz
  [ca-certificates]=pkg
  [clang-format]=cmd:clang-format
  [gnuplot-nox]=cmd:gnuplot
  [libcurl4-openssl-dev]=pkg
  [libssl-dev]=pkg
  [libpugixml-dev]=pkg
  [nlohmann-json3-dev]=pkg
  [libhowardhinnant-date-dev]=pkg
  [libgtest-dev]=pkg
  [libgmock-dev]=pkg
  [libcpp-httplib-dev]=pkg
  [pkg-config]=cmd:pkg-config
  [nodejs]=cmd:node
  [npm]=cmd:npm
)
present() {
  case "$1" in
    cmd:*) command -v "${1#cmd:}" >/dev/null 2>&1 ;;
    pkg) [ "$(dpkg-query -W -f='${db:Status-Status}' "$2" 2>/dev/null)" = installed ] ;;
  esac
}
missing=()
for package in "${!needed[@]}"; do
  present "${needed[$package]}" "$package" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

azurite_dir="$FANFOLD_ROOT/infra/azurite"
stamp="$azurite_dir/node_modules/.package-lock.json"
if [ ! -x "$azurite_dir/node_modules/.bin/azurite" ] || [ "$azurite_dir/package-lock.json" -nt "$stamp" ]; then
  say "installing Azurite from infra/azurite/package-lock.json (npm ci)"
  (cd "$azurite_dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
