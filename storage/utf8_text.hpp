// UTF-8 for text that fanfold stores or sends: error texts, reasons, names. The Table service
// and JSON both refuse invalid UTF-8, so any text that may hold stray bytes (a file's line, a
// service's error body) is made valid before it is kept, and any text that is cut is cut between
// two code points. Every cut of such text goes through TruncateUtf8; nothing else slices it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace fanfold::storage {

struct DecodedCodePoint {
  char32_t code_point = 0;
  std::size_t length = 0;  // bytes; 0 when the text is empty or starts with no valid sequence
};

// The code point at the start of `text`, in strict UTF-8: no overlong forms, no surrogates,
// nothing above U+10FFFF.
DecodedCodePoint DecodeUtf8(std::string_view text);

bool IsValidUtf8(std::string_view text);

// `text` with every byte that starts no valid sequence replaced by U+FFFD (one per byte, so the
// result never grows by more than 2 bytes per replaced byte). Valid text comes back as it is.
std::string ToValidUtf8(std::string_view text);

// The longest prefix of valid UTF-8 `text` that is at most `max_bytes` long and ends between two
// code points, as a length in bytes.
std::size_t Utf8PrefixLength(std::string_view text, std::size_t max_bytes);

// At most `max_bytes` of valid UTF-8: `text` made valid (ToValidUtf8) and, when longer than
// `max_bytes`, cut between two code points with `marker` appended (the marker is dropped when it
// alone is longer than `max_bytes`). Byte counts bound UTF-16 code units too, so a limit in the
// Table service's units is safe given as bytes.
std::string TruncateUtf8(std::string_view text, std::size_t max_bytes,
                         std::string_view marker = "...");

}  // namespace fanfold::storage
