// ASCII-only text helpers for protocol text (header values, connection-string keys, URL schemes
// and hosts), where locale-dependent or Unicode-aware versions would be wrong.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fanfold::storage {

// Without leading and trailing spaces, tabs and line breaks.
std::string_view TrimAsciiSpace(std::string_view text);
// A-Z to a-z; every other byte as it is.
std::string AsciiLower(std::string_view text);
// The items of a comma-separated list, as typed: "a,,b" is {"a", "", "b"} and "" is {""}, so a
// caller that refuses empty items sees them (--status Failed, is a mistake, not a filter).
std::vector<std::string> SplitCommas(std::string_view text);

}  // namespace fanfold::storage
