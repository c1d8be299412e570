// UTF-8 text that came from outside (service error messages, file contents, queue messages) and
// goes where invalid UTF-8 is refused: a Table property (the service rejects the entity), a
// strict JSON dump (nlohmann throws type_error 316), a log line. One implementation, used by
// every place that cuts or checks such text.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace fanfold::storage {

// Whether `text` is well-formed UTF-8 (no overlong forms, surrogates or code points past
// U+10FFFF).
bool IsValidUtf8(std::string_view text);

// `text` with every ill-formed sequence replaced by U+FFFD; valid text comes back unchanged.
std::string ValidUtf8(std::string_view text);

// `text` made valid (ValidUtf8) and, when longer than `max_bytes`, cut at a character boundary
// with "..." appended, the whole at most `max_bytes` bytes (max_bytes >= 3).
std::string CutUtf8(std::string_view text, std::size_t max_bytes);

}  // namespace fanfold::storage
