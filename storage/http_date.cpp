#include "storage/http_date.hpp"

#include <array>
#include <cstdio>

namespace fanfold::storage {
namespace {

using namespace std::chrono;

constexpr std::array<std::string_view, 7> kWeekdays = {"Sun", "Mon", "Tue", "Wed",
                                                       "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// Reads exactly `width` decimal digits at `at`; nullopt if any is not a digit.
std::optional<int> Digits(std::string_view text, std::size_t at, std::size_t width) {
  if (at + width > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = at; i < at + width; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

bool HasAt(std::string_view text, std::size_t at, std::string_view expected) {
  return text.substr(at, expected.size()) == expected;
}

// A calendar date and time of day, checked field by field (no 31 February, no 24:00:00).
std::optional<sys_seconds> Compose(int y, int mo, int d, int h, int mi, int s) {
  const year_month_day date{year{y}, month{static_cast<unsigned>(mo)},
                            day{static_cast<unsigned>(d)}};
  if (!date.ok() || h > 23 || mi > 59 || s > 59) return std::nullopt;
  return sys_days{date} + hours{h} + minutes{mi} + seconds{s};
}

// "HH:MM:SS" at `at`.
bool ReadClock(std::string_view text, std::size_t at, int* h, int* mi, int* s) {
  const auto hh = Digits(text, at, 2), mm = Digits(text, at + 3, 2), ss = Digits(text, at + 6, 2);
  if (!hh || !mm || !ss || !HasAt(text, at + 2, ":") || !HasAt(text, at + 5, ":")) return false;
  *h = *hh;
  *mi = *mm;
  *s = *ss;
  return true;
}

// A time's calendar date and time of day, both formats' fields.
struct Civil {
  year_month_day date;
  hh_mm_ss<seconds> clock;
  weekday day_of_week;
};

Civil ToCivil(sys_seconds time) {
  const auto days = floor<std::chrono::days>(time);
  return {year_month_day{days}, hh_mm_ss<seconds>{time - days}, weekday{days}};
}

}  // namespace

std::string FormatRfc1123(system_clock::time_point time) {
  const Civil at = ToCivil(floor<seconds>(time));
  char out[64];
  std::snprintf(out, sizeof out, "%s, %02u %s %04d %02d:%02d:%02d GMT",
                kWeekdays[at.day_of_week.c_encoding()].data(), static_cast<unsigned>(at.date.day()),
                kMonths[static_cast<unsigned>(at.date.month()) - 1].data(),
                static_cast<int>(at.date.year()), static_cast<int>(at.clock.hours().count()),
                static_cast<int>(at.clock.minutes().count()),
                static_cast<int>(at.clock.seconds().count()));
  return out;
}

std::optional<sys_seconds> ParseRfc1123Seconds(std::string_view text) {
  // "Sun, 06 Nov 1994 08:49:37 GMT": 29 characters, every field at a fixed place.
  if (text.size() != 29 || !HasAt(text, 3, ", ") || text[7] != ' ' || text[11] != ' ' ||
      text[16] != ' ' || !HasAt(text, 25, " GMT"))
    return std::nullopt;
  int month_number = 0;
  for (std::size_t i = 0; i < kMonths.size(); ++i)
    if (HasAt(text, 8, kMonths[i])) month_number = static_cast<int>(i) + 1;
  const auto d = Digits(text, 5, 2), y = Digits(text, 12, 4);
  int h = 0, mi = 0, s = 0;
  if (month_number == 0 || !d || !y || !ReadClock(text, 17, &h, &mi, &s)) return std::nullopt;
  const auto time = Compose(*y, month_number, *d, h, mi, s);
  // The weekday must be the date's, as RFC 1123 requires: a mismatch means a garbled header.
  if (!time || !HasAt(text, 0, kWeekdays[ToCivil(*time).day_of_week.c_encoding()]))
    return std::nullopt;
  return time;
}

std::optional<system_clock::time_point> ParseRfc1123(std::string_view text) {
  const auto time = ParseRfc1123Seconds(text);
  // system_clock counts nanoseconds in 64 bits: about 1678 to 2262.
  constexpr auto kLimit = duration_cast<seconds>(system_clock::duration::max());
  if (!time || time->time_since_epoch() > kLimit || time->time_since_epoch() < -kLimit)
    return std::nullopt;
  return system_clock::time_point{time->time_since_epoch()};
}

std::string FormatIso8601(Timestamp time) {
  const auto secs = floor<seconds>(time);
  const Civil at = ToCivil(secs);
  char out[64];
  std::snprintf(
      out, sizeof out, "%04d-%02u-%02uT%02d:%02d:%02d.%06lld0Z", static_cast<int>(at.date.year()),
      static_cast<unsigned>(at.date.month()), static_cast<unsigned>(at.date.day()),
      static_cast<int>(at.clock.hours().count()), static_cast<int>(at.clock.minutes().count()),
      static_cast<int>(at.clock.seconds().count()), static_cast<long long>((time - secs).count()));
  return out;
}

std::optional<Timestamp> ParseIso8601(std::string_view text) {
  // "2026-11-22T09:53:51" then an optional fraction of 1 to 7 digits, then 'Z'.
  if (text.size() < 20 || text.back() != 'Z' || text[4] != '-' || text[7] != '-' || text[10] != 'T')
    return std::nullopt;
  const auto y = Digits(text, 0, 4), mo = Digits(text, 5, 2), d = Digits(text, 8, 2);
  int h = 0, mi = 0, s = 0;
  if (!y || !mo || !d || !ReadClock(text, 11, &h, &mi, &s)) return std::nullopt;
  const auto time = Compose(*y, *mo, *d, h, mi, s);
  if (!time) return std::nullopt;
  long long micros = 0;
  const std::string_view rest = text.substr(19, text.size() - 20);
  if (!rest.empty()) {
    const std::string_view digits = rest.substr(1);
    if (rest[0] != '.' || digits.empty() || digits.size() > 7) return std::nullopt;
    int place = 0;
    for (const char c : digits) {
      if (c < '0' || c > '9') return std::nullopt;
      if (place < 6) micros = micros * 10 + (c - '0');  // the seventh digit is below a microsecond
      ++place;
    }
    for (; place < 6; ++place)
      micros *= 10;
  }
  return Timestamp(*time) + microseconds(micros);
}

}  // namespace fanfold::storage
