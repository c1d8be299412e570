#include "tablestore/edm.hpp"

#include <array>
#include <cstdio>
#include <utility>

namespace fanfold::tablestore {
namespace {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month_day;

constexpr std::array<std::pair<EdmType, const char*>, 8> kTypeNames = {{
    {EdmType::kString, "Edm.String"},
    {EdmType::kInt32, "Edm.Int32"},
    {EdmType::kInt64, "Edm.Int64"},
    {EdmType::kDouble, "Edm.Double"},
    {EdmType::kBoolean, "Edm.Boolean"},
    {EdmType::kDateTime, "Edm.DateTime"},
    {EdmType::kBinary, "Edm.Binary"},
    {EdmType::kGuid, "Edm.Guid"},
}};

// Reads exactly `count` decimal digits at text[pos]; -1 when any is not a digit.
int Digits(std::string_view text, size_t pos, size_t count) {
  if (pos + count > text.size()) return -1;
  int value = 0;
  for (size_t i = 0; i < count; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

}  // namespace

const char* EdmTypeName(EdmType type) {
  for (const auto& [candidate, name] : kTypeNames) {
    if (candidate == type) return name;
  }
  return "Edm.Unknown";
}

std::optional<EdmType> EdmTypeFromName(std::string_view name) {
  for (const auto& [type, candidate] : kTypeNames) {
    if (name == candidate) return type;
  }
  return std::nullopt;
}

std::string FormatEdmDateTime(EdmDateTime time) {
  const auto day = std::chrono::floor<days>(time);
  const year_month_day date{day};
  const EdmTicks since_midnight = time - day;
  const auto ticks = since_midnight.count();
  const int64_t seconds_of_day = ticks / 10'000'000;
  const int64_t fraction = ticks % 10'000'000;
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02lld:%02lld:%02lld.%07lldZ",
                static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()), static_cast<long long>(seconds_of_day / 3600),
                static_cast<long long>(seconds_of_day / 60 % 60),
                static_cast<long long>(seconds_of_day % 60), static_cast<long long>(fraction));
  return buffer;
}

std::optional<EdmDateTime> ParseEdmDateTime(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS[.fffffff]Z
  if (text.size() < 20 || text.back() != 'Z') return std::nullopt;
  if (text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  const int year = Digits(text, 0, 4);
  const int month = Digits(text, 5, 2);
  const int day = Digits(text, 8, 2);
  const int hour = Digits(text, 11, 2);
  const int minute = Digits(text, 14, 2);
  const int second = Digits(text, 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
    return std::nullopt;
  }
  if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
  int64_t fraction_ticks = 0;
  const std::string_view rest = text.substr(19, text.size() - 20);
  if (!rest.empty()) {
    if (rest[0] != '.' || rest.size() < 2 || rest.size() > 8) return std::nullopt;
    const int digit_count = static_cast<int>(rest.size()) - 1;
    const int fraction = Digits(rest, 1, static_cast<size_t>(digit_count));
    if (fraction < 0) return std::nullopt;
    fraction_ticks = fraction;
    for (int i = digit_count; i < 7; ++i)
      fraction_ticks *= 10;
  }
  const year_month_day date{std::chrono::year{year},
                            std::chrono::month{static_cast<unsigned>(month)},
                            std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok()) return std::nullopt;
  const EdmTicks time_of_day = std::chrono::hours{hour} + std::chrono::minutes{minute} +
                               std::chrono::seconds{second} + EdmTicks{fraction_ticks};
  return EdmDateTime{sys_days{date}} + time_of_day;
}

bool IsStorableEdmDateTime(EdmDateTime time) {
  using std::chrono::January;
  const EdmDateTime earliest{sys_days{std::chrono::year{1601} / January / 1}};
  const EdmDateTime end{sys_days{std::chrono::year{10000} / January / 1}};
  return time >= earliest && time < end;
}

std::optional<Guid> Guid::Parse(std::string_view text) {
  if (text.size() != 36) return std::nullopt;
  std::string canonical(text);
  for (size_t i = 0; i < canonical.size(); ++i) {
    const bool dash_position = i == 8 || i == 13 || i == 18 || i == 23;
    char& c = canonical[i];
    if (dash_position) {
      if (c != '-') return std::nullopt;
      continue;
    }
    if (!IsHex(c)) return std::nullopt;
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
  }
  return Guid(std::move(canonical));
}

}  // namespace fanfold::tablestore
