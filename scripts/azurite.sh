#!/usr/bin/env bash
# Runs a local Azurite on the standard ports (blob 10000, queue 10001, table 10002), which is
# what UseDevelopmentStorage=true means. Data lives in .azurite/ so job status survives restarts.
#   bash scripts/azurite.sh start|stop|status
# Tests never use this one: they start their own on free ports.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

state_dir="$FANFOLD_ROOT/.azurite"
pid_file="$state_dir/azurite.pid"
binary="$FANFOLD_ROOT/infra/azurite/node_modules/.bin/azurite"

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
all_listening() { listening 10000 && listening 10001 && listening 10002; }

case "${1:-status}" in
  start)
    if all_listening; then
      say "Azurite already answers on 127.0.0.1:10000-10002"
      exit 0
    fi
    [ -x "$binary" ] || die "Azurite is not installed; run: bash scripts/bootstrap.sh"
    mkdir -p "$state_dir/data"
    say "starting Azurite on 127.0.0.1:10000-10002 (data in .azurite/, log in .azurite/azurite.log)"
    setsid "$binary" --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
      --location "$state_dir/data" --disableTelemetry --silent \
      >"$state_dir/azurite.log" 2>&1 < /dev/null &
    echo $! > "$pid_file"
    for _ in $(seq 1 300); do
      all_listening && exit 0
      kill -0 "$(cat "$pid_file")" 2>/dev/null || { tail -n 20 "$state_dir/azurite.log" >&2; die "Azurite exited during start-up"; }
      sleep 0.1
    done
    die "Azurite did not start listening within 30 s (see .azurite/azurite.log)"
    ;;
  stop)
    if [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
      kill -- "-$(cat "$pid_file")" 2>/dev/null || kill "$(cat "$pid_file")"
      rm -f "$pid_file"
      say "Azurite stopped"
    else
      say "no Azurite started by this script is running"
    fi
    ;;
  status)
    if all_listening; then echo "Azurite answers on 127.0.0.1:10000-10002"; else echo "Azurite is not running"; exit 1; fi
    ;;
  *) die "usage: bash scripts/azurite.sh start|stop|status" ;;
esac
