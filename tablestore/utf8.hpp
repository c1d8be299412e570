// UTF-8 checks the Table client needs: the service measures keys and strings in UTF-16 code
// units, and JSON serialization requires valid UTF-8, so both are checked before sending.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string_view>

namespace fanfold::tablestore {

// Calls visit(code_point) for each code point of strict UTF-8 text (no overlong forms, no
// surrogates, nothing above U+10FFFF). False when the text is not such UTF-8 or visit said stop.
bool ForEachCodePoint(std::string_view utf8, const std::function<bool(char32_t)>& visit);

// Length in UTF-16 code units, or nullopt when the text is not valid UTF-8.
std::optional<size_t> Utf16Length(std::string_view utf8);

}  // namespace fanfold::tablestore
