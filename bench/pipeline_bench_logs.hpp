// Job timelines rebuilt from the workers' structured logs (`fanfold worker --log-format json`):
// one JSON object per line on stderr, with "time" (when the step ended), "event", "worker"
// (host:pid), "job" and, for steps, "duration_ms" (so a step started at time - duration).
// Lines that are not JSON objects are ignored, so a text log simply yields no timeline.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bench/pipeline_bench_jobs.hpp"

namespace fanfold::bench {

struct Span {
  WallClock::time_point start;
  WallClock::time_point end;
};

struct ChunkSpan {
  std::int64_t chunk = -1;
  std::string worker;  // the driver's name for the process (worker-2)
  Span span;
  std::int64_t rows = 0;
  std::int64_t bytes = 0;
  bool ok = true;
  std::string error;
};

struct JobTimeline {
  std::optional<WallClock::time_point> accepted;  // job.accepted: the job row exists
  std::optional<Span> planned;                    // job.planned: partition / split
  std::vector<ChunkSpan> chunks;                  // every attempt, in log order
  std::optional<Span> merged;                     // job.merged
  std::optional<WallClock::time_point> ended;     // job.completed / job.failed
};

// The worker logs of one run: log path -> the driver's worker name, pid -> that name.
struct WorkerLogSet {
  std::vector<std::pair<std::string, std::string>> paths_and_names;
  std::map<pid_t, std::string> names_by_pid;
};

// Timelines by job id, from every log of the set; `lines` counts the JSON lines read (zero when
// the workers wrote text logs).
std::map<std::string, JobTimeline> ReadTimelines(const WorkerLogSet& logs, std::size_t* lines);

// "2026-12-01T21:40:00.123Z" (any number of fractional digits, or none).
std::optional<WallClock::time_point> ParseLogTime(const std::string& text);

}  // namespace fanfold::bench
