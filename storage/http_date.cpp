#include "storage/http_date.hpp"

#include <date/date.h>

#include <cstdio>
#include <sstream>

namespace fanfold::storage {

std::string FormatRfc1123(std::chrono::system_clock::time_point time) {
  return date::format("%a, %d %b %Y %H:%M:%S GMT", date::floor<std::chrono::seconds>(time));
}

std::optional<std::chrono::system_clock::time_point> ParseRfc1123(std::string_view text) {
  std::istringstream in{std::string(text)};
  date::sys_seconds parsed;
  in >> date::parse("%a, %d %b %Y %H:%M:%S GMT", parsed);
  if (in.fail()) return std::nullopt;
  return parsed;
}

std::string FormatIso8601(Timestamp time) {
  const auto seconds = date::floor<std::chrono::seconds>(time);
  const auto micros = (time - seconds).count();
  std::string out = date::format("%Y-%m-%dT%H:%M:%S", seconds);
  char fraction[16];
  std::snprintf(fraction, sizeof fraction, ".%06lld0Z", static_cast<long long>(micros));
  return out + fraction;
}

std::optional<Timestamp> ParseIso8601(std::string_view text) {
  // Split off the fraction ourselves: date::parse's %S wants a fixed precision.
  if (text.size() < 20 || text.back() != 'Z') return std::nullopt;
  text.remove_suffix(1);
  const auto dot = text.find('.');
  std::istringstream in{std::string(text.substr(0, dot))};
  date::sys_seconds seconds;
  in >> date::parse("%Y-%m-%dT%H:%M:%S", seconds);
  if (in.fail()) return std::nullopt;
  long long micros = 0;
  if (dot != std::string_view::npos) {
    const std::string_view digits = text.substr(dot + 1);
    if (digits.empty() || digits.size() > 7) return std::nullopt;
    int place = 0;
    for (const char c : digits) {
      if (c < '0' || c > '9') return std::nullopt;
      if (place < 6) micros = micros * 10 + (c - '0');
      ++place;
    }
    for (; place < 6; ++place)
      micros *= 10;
  }
  return Timestamp(seconds) + std::chrono::microseconds(micros);
}

}  // namespace fanfold::storage
