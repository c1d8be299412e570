// Time formats on the wire: RFC 1123 for x-ms-date and Retry-After, ISO 8601 with up to seven
// fractional digits for Table's Edm.DateTime and the queue's insertion times.
// Both are fixed-width formats, read and written by hand over C++20's <chrono> calendar: GCC 12
// has the calendar types but not std::format or std::chrono::parse, and the stream-based parser
// of Howard Hinnant's date library cost 31 s to compile under the sanitizers and a stringstream
// on every request's x-ms-date.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace fanfold::storage {

using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;

// "Sun, 06 Nov 1994 08:49:37 GMT"
std::string FormatRfc1123(std::chrono::system_clock::time_point time);
std::optional<std::chrono::system_clock::time_point> ParseRfc1123(std::string_view text);
// The same format in whole seconds, for times past what system_clock's nanoseconds hold: the queue
// service says "Fri, 31 Dec 9999 23:59:59 GMT" for a message that never expires.
std::optional<std::chrono::sys_seconds> ParseRfc1123Seconds(std::string_view text);

// "2026-11-22T09:53:51.1234560Z" (seven fractional digits, as the Table service writes them).
std::string FormatIso8601(Timestamp time);
// Accepts 0 to 7 fractional digits and a trailing 'Z'.
std::optional<Timestamp> ParseIso8601(std::string_view text);

}  // namespace fanfold::storage
