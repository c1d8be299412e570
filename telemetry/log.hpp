// Structured logs: one event per line, either readable text (the default, for a person at a
// terminal) or one JSON object per line (--log-format json, for a log search tool or a benchmark
// that rebuilds a job's timeline from its workers' logs). Every line carries the time, the
// level, the event name and this process's worker name; callers add what they know (job, chunk,
// duration_ms, error...). String values pass through Redact, so a connection string, account key
// or SAS signature that reached a message never reaches a log.
#pragma once

#include <cstdio>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace fanfold::telemetry {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };
enum class LogFormat { kText, kJson };

std::optional<LogFormat> ParseLogFormat(std::string_view text);  // "text", "json"
std::optional<LogLevel> ParseLogLevel(std::string_view text);    // "debug", "info", ...
const char* LogLevelName(LogLevel level);

struct LogOptions {
  LogFormat format = LogFormat::kText;
  LogLevel min_level = LogLevel::kInfo;
  std::string worker;        // added to every line as "worker" (empty: none)
  std::FILE* sink = stderr;  // not owned
};

// "host:pid": how logs, chunk rows and partition leases name this process.
std::string ThisProcessName();

// Process-wide; call once at start-up, before other threads log.
void ConfigureLogging(const LogOptions& options);
const LogOptions& CurrentLogOptions();

// Writes one line if `level` passes the minimum. `fields` must be a JSON object (or null).
void Log(LogLevel level, std::string_view event, const nlohmann::json& fields = nullptr);
inline void LogInfo(std::string_view event, const nlohmann::json& fields = nullptr) {
  Log(LogLevel::kInfo, event, fields);
}
inline void LogWarn(std::string_view event, const nlohmann::json& fields = nullptr) {
  Log(LogLevel::kWarn, event, fields);
}
inline void LogError(std::string_view event, const nlohmann::json& fields = nullptr) {
  Log(LogLevel::kError, event, fields);
}

// Sees every event Log is given, whatever the level and format, before the level filter: what
// metrics and notifications are derived from, so they count exactly the events the logs report.
// Must not log (it is called inside Log) and must be quick: it runs on the caller's thread.
using LogObserver =
    std::function<void(LogLevel level, std::string_view event, const nlohmann::json& fields)>;
// Process-wide, like ConfigureLogging. Returns an id for RemoveLogObserver.
int AddLogObserver(LogObserver observer);
void RemoveLogObserver(int id);

// The line Log would write, without the trailing newline (for tests).
std::string FormatLogLine(LogFormat format, LogLevel level, std::string_view event,
                          const nlohmann::json& fields, std::string_view worker,
                          std::string_view time);

// Masks credentials in free text: the values of AccountKey=, SharedAccessSignature= and
// AccessKey= (connection strings) and of sig= (SAS tokens in URLs).
std::string Redact(std::string_view text);

// "2026-12-01T21:40:00.123Z", now.
std::string LogTimeNow();

}  // namespace fanfold::telemetry
