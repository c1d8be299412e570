#!/usr/bin/env bash
# Runs a local Azurite on the standard ports (blob 10000, queue 10001, table 10002), which is
# what UseDevelopmentStorage=true means. Data lives in .azurite/ so job status survives restarts.
#   bash scripts/azurite.sh start|stop|status
# Tests never use this one: they start their own on free ports.
#
# Azurite runs as three processes, azurite-blob, azurite-queue and azurite-table: it serves all of
# a process's requests on one Node thread, so a single process saturates one core and caps the
# workers. FANFOLD_AZURITE_MODE=single starts the one `azurite` process instead. Both share
# .azurite/data: every service keeps files of its own names there (__azurite_db_blob__.json,
# __queuestorage__, ...), the same in either mode, so the data survives a switch.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

state_dir="$FANFOLD_ROOT/.azurite"
bin_dir="$FANFOLD_ROOT/infra/azurite/node_modules/.bin"
log="$state_dir/azurite.log"
mode="${FANFOLD_AZURITE_MODE:-per-service}"

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
all_listening() { listening 10000 && listening 10001 && listening 10002; }

# The processes of a mode, as ENTRY-POINT:FLAGS (pid file: .azurite/ENTRY-POINT.pid).
processes() {
  case "$mode" in
    per-service)
      echo "azurite-blob:--blobHost 127.0.0.1 --blobPort 10000"
      echo "azurite-queue:--queueHost 127.0.0.1 --queuePort 10001"
      echo "azurite-table:--tableHost 127.0.0.1 --tablePort 10002"
      ;;
    single) echo "azurite:--blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1" ;;
    *) die "FANFOLD_AZURITE_MODE is per-service or single, not '$mode'" ;;
  esac
}

# ENTRY-POINT FLAGS: one process in a session of its own (so stop reaches node's children), all
# of them logging to one file.
start_process() {
  # shellcheck disable=SC2086  # FLAGS is a list of words
  setsid "$bin_dir/$1" $2 --location "$state_dir/data" --disableTelemetry --silent \
    >>"$log" 2>&1 < /dev/null &
  echo $! > "$state_dir/$1.pid"
}

running() { [ -f "$state_dir/$1.pid" ] && kill -0 "$(cat "$state_dir/$1.pid")" 2>/dev/null; }

case "${1:-status}" in
  start)
    if all_listening; then
      say "Azurite already answers on 127.0.0.1:10000-10002"
      exit 0
    fi
    entries="$(processes)"
    while IFS=: read -r program _; do
      [ -x "$bin_dir/$program" ] || die "Azurite is not installed; run: bash scripts/bootstrap.sh"
    done <<<"$entries"
    mkdir -p "$state_dir/data"
    say "starting Azurite on 127.0.0.1:10000-10002 (data in .azurite/, log in .azurite/azurite.log)"
    : >"$log"
    while IFS=: read -r program flags; do start_process "$program" "$flags"; done <<<"$entries"
    for _ in $(seq 1 300); do
      all_listening && exit 0
      while IFS=: read -r program _; do
        running "$program" || { tail -n 20 "$log" >&2; die "Azurite exited during start-up"; }
      done <<<"$entries"
      sleep 0.1
    done
    die "Azurite did not start listening within 30 s (see .azurite/azurite.log)"
    ;;
  stop)
    # Whatever this script started, in either mode. SIGINT, not SIGTERM: azurite-table (3.35)
    # saves its data only on SIGINT and dies unsaved on SIGTERM. Waits for them to exit (saving
    # takes a moment), so that a start right after finds the ports free; SIGTERM after 10 s.
    pids=()
    for program in azurite-blob azurite-queue azurite-table azurite; do
      if running "$program"; then
        pid="$(cat "$state_dir/$program.pid")"
        kill -INT -- "-$pid" 2>/dev/null || kill -INT "$pid"
        pids+=("$pid")
      fi
      rm -f "$state_dir/$program.pid"
    done
    if [ ${#pids[@]} -eq 0 ]; then
      say "no Azurite started by this script is running"
      exit 0
    fi
    for _ in $(seq 1 100); do
      kill -0 "${pids[@]}" 2>/dev/null || break
      sleep 0.1
    done
    kill "${pids[@]}" 2>/dev/null || true
    say "Azurite stopped"
    ;;
  status)
    if all_listening; then echo "Azurite answers on 127.0.0.1:10000-10002"; else echo "Azurite is not running"; exit 1; fi
    ;;
  *) die "usage: bash scripts/azurite.sh start|stop|status" ;;
esac
