#include "telemetry/log.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <ctime>
#include <map>
#include <mutex>
#include <shared_mutex>

namespace fanfold::telemetry {

std::string ThisProcessName() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return std::string(host) + ":" + std::to_string(getpid());
}
namespace {

LogOptions& Options() {
  static LogOptions options;
  return options;
}

std::mutex& SinkMutex() {
  static std::mutex mutex;
  return mutex;
}

// Keys whose values say most about a line, shown first in text form in this order.
constexpr std::array<std::string_view, 6> kLeadingKeys = {"job",      "instance", "chunk",
                                                          "pipeline", "stage",    "duration_ms"};

bool IsLeadingKey(std::string_view key) {
  return std::find(kLeadingKeys.begin(), kLeadingKeys.end(), key) != kLeadingKeys.end();
}

nlohmann::json Redacted(const nlohmann::json& value) {
  if (value.is_string()) return Redact(value.get_ref<const std::string&>());
  if (value.is_object() || value.is_array()) {
    nlohmann::json out = value;
    for (auto& item : out)
      item = Redacted(item);
    return out;
  }
  return value;
}

std::string Dump(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// key=value, with the value quoted when it holds a space, a quote or nothing.
void AppendTextField(std::string& line, std::string_view key, const nlohmann::json& value) {
  line += ' ';
  line += key;
  line += '=';
  if (!value.is_string()) {
    line += Dump(value);
    return;
  }
  const auto& text = value.get_ref<const std::string&>();
  const bool plain = !text.empty() && text.find_first_of(" \t\"=\n") == std::string::npos;
  line += plain ? text : Dump(value);
}

bool IEquals(std::string_view text, std::size_t at, std::string_view key) {
  if (at + key.size() > text.size()) return false;
  for (std::size_t i = 0; i < key.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[at + i])) != key[i]) return false;
  }
  return true;
}

}  // namespace

std::optional<LogFormat> ParseLogFormat(std::string_view text) {
  if (text == "text") return LogFormat::kText;
  if (text == "json") return LogFormat::kJson;
  return std::nullopt;
}

std::optional<LogLevel> ParseLogLevel(std::string_view text) {
  for (auto level : {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarn, LogLevel::kError}) {
    if (text == LogLevelName(level)) return level;
  }
  return std::nullopt;
}

const char* LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

void ConfigureLogging(const LogOptions& options) {
  Options() = options;
}

const LogOptions& CurrentLogOptions() {
  return Options();
}

std::string FormatLogLine(LogFormat format, LogLevel level, std::string_view event,
                          const nlohmann::json& fields, std::string_view worker,
                          std::string_view time) {
  const nlohmann::json safe = fields.is_object() ? Redacted(fields) : nlohmann::json::object();
  std::string line;
  if (format == LogFormat::kJson) {
    line = "{\"time\":" + Dump(time) + ",\"level\":\"" + LogLevelName(level) +
           "\",\"event\":" + Dump(event);
    if (!worker.empty()) line += ",\"worker\":" + Dump(worker);
    for (const auto& [key, value] : safe.items()) {
      if (key == "time" || key == "level" || key == "event" || key == "worker") continue;
      line += "," + Dump(key) + ":" + Dump(value);
    }
    line += '}';
    return line;
  }
  std::string level_name = LogLevelName(level);
  level_name.resize(5, ' ');
  line.append(time).append(" ").append(level_name).append(" ").append(event);
  for (const auto key : kLeadingKeys) {
    if (const auto found = safe.find(key); found != safe.end()) AppendTextField(line, key, *found);
  }
  for (const auto& [key, value] : safe.items()) {
    if (!IsLeadingKey(key)) AppendTextField(line, key, value);
  }
  if (!worker.empty()) AppendTextField(line, "worker", std::string(worker));
  return line;
}

namespace {
struct Observers {
  std::shared_mutex mutex;
  std::map<int, LogObserver> by_id;
  int next_id = 1;
};
Observers& LogObservers() {
  static Observers observers;
  return observers;
}
}  // namespace

int AddLogObserver(LogObserver observer) {
  Observers& observers = LogObservers();
  const std::unique_lock lock(observers.mutex);
  const int id = observers.next_id++;
  observers.by_id.emplace(id, std::move(observer));
  return id;
}

void RemoveLogObserver(int id) {
  Observers& observers = LogObservers();
  const std::unique_lock lock(observers.mutex);
  observers.by_id.erase(id);
}

void Log(LogLevel level, std::string_view event, const nlohmann::json& fields) {
  {
    Observers& observers = LogObservers();
    const std::shared_lock lock(observers.mutex);
    for (const auto& [id, observer] : observers.by_id)
      observer(level, event, fields);
  }
  const LogOptions& options = Options();
  if (level < options.min_level || options.sink == nullptr) return;
  const std::string line =
      FormatLogLine(options.format, level, event, fields, options.worker, LogTimeNow()) + "\n";
  const std::lock_guard<std::mutex> lock(SinkMutex());
  std::fwrite(line.data(), 1, line.size(), options.sink);
  std::fflush(options.sink);
}

std::string Redact(std::string_view text) {
  static constexpr std::array<std::string_view, 4> kSecretKeys = {
      "accountkey=", "sharedaccesssignature=", "accesskey=", "sig="};
  std::string out;
  out.reserve(text.size());
  std::size_t at = 0;
  while (at < text.size()) {
    std::string_view matched;
    const bool boundary = at == 0 || !std::isalnum(static_cast<unsigned char>(text[at - 1]));
    if (boundary) {
      for (const auto key : kSecretKeys) {
        if (IEquals(text, at, key)) {
          matched = key;
          break;
        }
      }
    }
    if (matched.empty()) {
      out += text[at++];
      continue;
    }
    out.append(text.substr(at, matched.size()));
    at += matched.size();
    const std::size_t end = text.find_first_of(";& \t\n\"'", at);
    at = end == std::string_view::npos ? text.size() : end;
    out += "***";
  }
  return out;
}

std::string LogTimeNow() {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const std::time_t seconds = system_clock::to_time_t(now);
  const auto millis = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[96];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(millis));
  return text;
}

}  // namespace fanfold::telemetry
