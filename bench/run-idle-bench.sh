#!/usr/bin/env bash
# Idle cost against pick-up latency: one `fanfold worker` with default settings (or the
# --idle-poll-ms given here) against a private in-memory Azurite. It measures
#   1. the storage requests the idle worker makes, from its own counters (--stats-file), over
#      MEASURE seconds after WARMUP seconds of idling (every queue at its ceiling by then);
#   2. the time from upload to Completed of a small job (the sample file, 4 chunks, orchestrated)
#      arriving after QUIET seconds of idling, and of the same job sent right after it (warm).
# Writes bench/results/idle-<UTC>.json and idle-latest.json (command, commit, figures).
#   bash bench/run-idle-bench.sh [--idle-poll-ms MS] [--warmup S] [--measure S] [--quiet S]
#                                [--azurite per-service|single]
# Defaults: the worker's default interval, 150 s warm-up, 300 s measured, 600 s quiet, and
# Azurite as three processes, one per service, as the tests and the other benchmarks run it
# (single: the one `azurite` process; see tests/support/azurite_process.hpp).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

idle_poll_ms="" warmup=150 measure=300 quiet=600 azurite_mode=per-service
while [ $# -gt 0 ]; do
  case "$1" in
    --azurite) azurite_mode="$2"; shift 2 ;;
    --idle-poll-ms) idle_poll_ms="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --measure) measure="$2"; shift 2 ;;
    --quiet) quiet="$2"; shift 2 ;;
    *) die "unknown argument $1 (see the comment at the top of $0)" ;;
  esac
done
[ "$azurite_mode" = per-service ] || [ "$azurite_mode" = single ] ||
  die "--azurite is per-service or single, not '$azurite_mode'"
command_line="bash bench/run-idle-bench.sh${idle_poll_ms:+ --idle-poll-ms $idle_poll_ms} --warmup $warmup --measure $measure --quiet $quiet --azurite $azurite_mode"

bash "$FANFOLD_ROOT/scripts/bootstrap.sh"
FANFOLD_BUILD_TARGET=fanfold bash "$FANFOLD_ROOT/scripts/build.sh"
build_dir="${FANFOLD_BUILD_DIR:-$FANFOLD_ROOT/build}"
fanfold="$build_dir/cli/fanfold"
[ -x "$fanfold" ] || fanfold="$build_dir/fanfold"
[ -x "$fanfold" ] || die "no fanfold binary under $build_dir"
work="$(mktemp -d)"
azurite_pids=()
cleanup() {
  [ -n "${worker_pid:-}" ] && kill "$worker_pid" 2>/dev/null || true
  for pid in "${azurite_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# A port nothing answers on now (a race with another process is possible and would fail loudly).
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}
blob=$(free_port) queue=$(free_port) table=$(free_port)
bin="$FANFOLD_ROOT/infra/azurite/node_modules/.bin"
start_azurite() {  # ENTRY-POINT FLAGS...: one Azurite process in the background, logged in $work
  "$bin/$1" "${@:2}" --inMemoryPersistence --silent --disableTelemetry > "$work/$1.log" 2>&1 &
  azurite_pids+=($!)
}
if [ "$azurite_mode" = single ]; then
  start_azurite azurite --blobPort "$blob" --queuePort "$queue" --tablePort "$table"
else
  start_azurite azurite-blob --blobPort "$blob"
  start_azurite azurite-queue --queuePort "$queue"
  start_azurite azurite-table --tablePort "$table"
fi
key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
export AZURE_STORAGE_CONNECTION_STRING="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table/devstoreaccount1;"
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for _ in $(seq 1 100); do listening "$blob" && listening "$queue" && listening "$table" && break; sleep 0.1; done

stats="$work/stats.json"
"$fanfold" worker ${idle_poll_ms:+--idle-poll-ms "$idle_poll_ms"} --stats-file "$stats" \
  > "$work/worker.log" 2>&1 &
worker_pid=$!
attempts() { sed -n 's/.*"total_attempts": *\([0-9]*\).*/\1/p' "$stats" | head -1; }
for _ in $(seq 1 300); do [ -s "$stats" ] && break; sleep 0.1; done
[ -s "$stats" ] || die "the worker wrote no stats (log: $(tail -3 "$work/worker.log"))"

say "idle worker: warming up ${warmup} s, then counting requests for ${measure} s"
sleep "$warmup"
before=$(attempts) t0=$(date +%s.%N)
sleep "$measure"
sleep 2.1  # the stats file is rewritten every 2 s: read one written after the window
after=$(attempts) t1=$(date +%s.%N)
per_hour=$(awk -v a="$before" -v b="$after" -v t0="$t0" -v t1="$t1" \
  'BEGIN { printf "%.0f", (b - a) * 3600 / (t1 - t0) }')
say "idle worker: $((after - before)) requests in $(awk -v t0="$t0" -v t1="$t1" 'BEGIN{printf "%.0f", t1-t0}') s = $per_hour an hour"

# Seconds from the upload command's start to its --wait seeing the job finished (it polls the
# job row every 250 ms), for a copy of the sample file under a new name.
job_seconds() {
  local file="$work/$1" start
  cp "$FANFOLD_ROOT/tests/data/customer-sample.tbl" "$file"
  start=$(date +%s.%N)
  "$fanfold" upload "$file" --pipeline orchestrated --chunks 4 --wait > "$work/$1.out" 2>&1 ||
    die "the job of $1 did not complete: $(tail -3 "$work/$1.out")"
  awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }'
}
say "idle worker: quiet for ${quiet} s more, then one job"
sleep "$quiet"
cold=$(job_seconds after-quiet.tbl)
warm=$(job_seconds right-after.tbl)
say "first job after ${quiet} s idle: ${cold} s to Completed; the next one: ${warm} s"

mkdir -p "$FANFOLD_ROOT/bench/results"
out="$FANFOLD_ROOT/bench/results/idle-$(date -u +%Y%m%dT%H%M%SZ).json"
cat > "$out" <<EOF
{
  "benchmark": "idle",
  "command": "$command_line",
  "git_commit": "$(git -C "$FANFOLD_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)",
  "finished": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "idle_poll_ms": ${idle_poll_ms:-6000},
  "azurite_mode": "$azurite_mode",
  "warmup_s": $warmup,
  "measured_s": $(awk -v t0="$t0" -v t1="$t1" 'BEGIN { printf "%.1f", t1 - t0 }'),
  "idle_requests": $((after - before)),
  "idle_requests_per_hour": $per_hour,
  "quiet_s": $quiet,
  "first_job_after_quiet_s": $cold,
  "next_job_s": $warm,
  "job": "tests/data/customer-sample.tbl, 4 chunks, orchestrated: fanfold upload --wait, start to finish (it polls the job row every 250 ms)"
}
EOF
cp "$out" "$FANFOLD_ROOT/bench/results/idle-latest.json"
say "results: ${out#$FANFOLD_ROOT/}"
