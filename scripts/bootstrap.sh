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

# The dashboard's browser test: Debian's Chromium, driven by puppeteer-core (pinned in
# tests/browser/package-lock.json; PUPPETEER_SKIP_DOWNLOAD, so nothing comes from Google). Both
# are optional: when either cannot be installed, bootstrap goes on and the browser test skips
# with a message saying so (the dashboard's JSON API tests still run).
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
  say "installing Chromium (optional: the dashboard's browser test)"
  export DEBIAN_FRONTEND=noninteractive
  if ! (as_root apt-get install -y -qq --no-install-recommends chromium) >/dev/null 2>&1; then
    (as_root apt-get update -qq) >/dev/null 2>&1 || true
    (as_root apt-get install -y -qq --no-install-recommends chromium) >/dev/null 2>&1 ||
      say "Chromium is not installable here: the dashboard's browser test will skip"
  fi
fi
browser_dir="$FANFOLD_ROOT/tests/browser"
browser_stamp="$browser_dir/node_modules/.package-lock.json"
if [ ! -f "$browser_dir/node_modules/puppeteer-core/package.json" ] ||
   [ "$browser_dir/package-lock.json" -nt "$browser_stamp" ]; then
  say "installing puppeteer-core from tests/browser/package-lock.json (npm ci)"
  (cd "$browser_dir" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >/dev/null) ||
    say "puppeteer-core could not be installed: the dashboard's browser test will skip"
fi
