// ASCII-only text helpers for protocol text (header values, connection-string keys, URL schemes
// and hosts), where locale-dependent or Unicode-aware versions would be wrong.
#pragma once

#include <string>
#include <string_view>

namespace fanfold::storage {

// Without leading and trailing spaces, tabs and line breaks.
std::string_view TrimAsciiSpace(std::string_view text);
// A-Z to a-z; every other byte as it is.
std::string AsciiLower(std::string_view text);

}  // namespace fanfold::storage
