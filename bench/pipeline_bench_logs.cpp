#include "bench/pipeline_bench_logs.hpp"

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>

namespace fanfold::bench {
namespace {

std::chrono::microseconds Milliseconds(double ms) {
  return std::chrono::microseconds(static_cast<std::int64_t>(ms * 1000.0));
}

// "host:pid" -> the driver's name, else the text as logged.
std::string WorkerName(const std::string& logged, const std::string& fallback,
                       const std::map<pid_t, std::string>& names_by_pid) {
  const auto colon = logged.rfind(':');
  if (colon != std::string::npos) {
    const long pid = std::strtol(logged.c_str() + colon + 1, nullptr, 10);
    const auto it = names_by_pid.find(static_cast<pid_t>(pid));
    if (it != names_by_pid.end()) return it->second;
  }
  return logged.empty() ? fallback : logged;
}

std::string TextOr(const nlohmann::json& line, const char* key) {
  const auto it = line.find(key);
  return it != line.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::int64_t IntegerOr(const nlohmann::json& line, const char* key, std::int64_t fallback) {
  const auto it = line.find(key);
  if (it == line.end() || !it->is_number()) return fallback;
  return it->get<std::int64_t>();
}

void Apply(const nlohmann::json& line, const std::string& worker, JobTimeline* timeline) {
  const std::string event = TextOr(line, "event");
  const auto time = ParseLogTime(TextOr(line, "time"));
  if (!time) return;
  const double duration_ms = line.contains("duration_ms") && line["duration_ms"].is_number()
                                 ? line["duration_ms"].get<double>()
                                 : 0.0;
  const Span span{*time - Milliseconds(duration_ms), *time};
  if (event == "job.accepted") {
    if (!timeline->accepted || *time < *timeline->accepted) timeline->accepted = *time;
  } else if (event == "job.planned") {
    // A redelivered plan (a killed worker's message) logs twice: the first one counts.
    if (!timeline->planned) timeline->planned = span;
  } else if (event == "chunk.aggregated" || event == "chunk.failed") {
    ChunkSpan chunk;
    chunk.chunk = IntegerOr(line, "chunk", -1);
    chunk.worker = worker;
    chunk.span = span;
    chunk.rows = IntegerOr(line, "rows", 0);
    chunk.bytes = IntegerOr(line, "bytes", 0);
    chunk.ok = event == "chunk.aggregated";
    if (!chunk.ok) chunk.error = TextOr(line, "error");
    timeline->chunks.push_back(std::move(chunk));
  } else if (event == "job.merged") {
    if (!timeline->merged || span.end < timeline->merged->end) timeline->merged = span;
  } else if (event == "job.completed" || event == "job.failed") {
    if (!timeline->ended || *time < *timeline->ended) timeline->ended = *time;
  }
}

}  // namespace

std::optional<WallClock::time_point> ParseLogTime(const std::string& text) {
  std::tm parts{};
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &parts.tm_year, &parts.tm_mon,
                  &parts.tm_mday, &parts.tm_hour, &parts.tm_min, &parts.tm_sec, &consumed) != 6) {
    return std::nullopt;
  }
  parts.tm_year -= 1900;
  parts.tm_mon -= 1;
  const std::time_t seconds = timegm(&parts);
  if (seconds == static_cast<std::time_t>(-1)) return std::nullopt;
  std::int64_t micros = 0;
  std::size_t at = static_cast<std::size_t>(consumed);
  if (at < text.size() && text[at] == '.') {
    std::int64_t scale = 100000;
    for (++at; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at) {
      micros += (text[at] - '0') * scale;
      scale /= 10;
    }
  }
  return WallClock::from_time_t(seconds) + std::chrono::microseconds(micros);
}

std::map<std::string, JobTimeline> ReadTimelines(const WorkerLogSet& logs, std::size_t* lines) {
  std::map<std::string, JobTimeline> timelines;
  *lines = 0;
  for (const auto& [path, name] : logs.paths_and_names) {
    std::ifstream in(path);
    std::string text;
    while (std::getline(in, text)) {
      if (text.empty() || text.front() != '{') continue;
      const auto line = nlohmann::json::parse(text, nullptr, false);
      if (line.is_discarded() || !line.is_object()) continue;
      ++*lines;
      const std::string job = TextOr(line, "job");
      if (job.empty()) continue;
      Apply(line, WorkerName(TextOr(line, "worker"), name, logs.names_by_pid), &timelines[job]);
    }
  }
  return timelines;
}

}  // namespace fanfold::bench
