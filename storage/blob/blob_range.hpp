// The byte ranges of ranged reads: the x-ms-range header a request sends and the Content-Range
// header a 206 answer carries. Offsets are inclusive on the wire ("bytes=0-99" is 100 bytes),
// exclusive ends everywhere in the code; this file is the one place that converts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fanfold::storage {

// "bytes=<offset>-<offset+length-1>", or "bytes=<offset>-" when length is kToEndOfBlob or
// reaches past the largest offset. length must be at least 1.
std::string FormatRangeHeader(uint64_t offset, uint64_t length);

struct ContentRange {
  uint64_t first = 0;  // first byte in the body
  uint64_t last = 0;   // last byte in the body (inclusive)
  uint64_t total = 0;  // size of the whole blob
};

// Parses "bytes <first>-<last>/<total>"; nullopt for anything else (including "bytes */0").
std::optional<ContentRange> ParseContentRange(std::string_view text);

// The blob size after the '/' of any Content-Range ("bytes 0-9/1000", "bytes */1000", and the
// "bytes 1000-999/1000" some emulators send for an empty range); nullopt when there is none.
std::optional<uint64_t> ParseContentRangeTotal(std::string_view text);

// Parses a decimal Content-Length-like value; nullopt unless it is all digits and fits.
std::optional<uint64_t> ParseDecimal(std::string_view text);

}  // namespace fanfold::storage
