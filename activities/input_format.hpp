// Which text format a customer file is in, and how it is recognised.
// Only the file's first line decides (detection never looks further), so every chunk of a file
// agrees on the format as long as it is resolved once and handed to all of them: a chunk that
// starts mid-file cannot see line 1 and must be told the format.
#pragma once

#include <cstddef>
#include <string_view>

#include "activities/limits.hpp"
#include "storage/result.hpp"

namespace fanfold::activities {

enum class InputFormat {
  kAuto,  // decide from the file's first line (see DetectInputFormat)
  kTpch,  // dbgen output: '|'-separated, a trailing '|' on every line, no quoting, no header
  kCsv,   // RFC 4180: ',' separated, '"' quoting with "" for a literal quote
};

// "auto", "tpch", "csv".
std::string_view InputFormatName(InputFormat format);

// Inverse of InputFormatName, case-insensitive; anything else is InvalidArgument.
storage::Result<InputFormat> ParseInputFormat(std::string_view name);

// The format of a file, from its head: the first min(file size, max_line_bytes + 1) bytes or
// more. Rule, applied to the first line with a UTF-8 byte-order mark and a final '\r' removed:
//   ends with '|'          -> kTpch
//   else contains a ','    -> kCsv
//   else                   -> kTpch (the reference format; its rows will then be rejected as
//                             having the wrong number of fields, which the user will see)
// A first line longer than max_line_bytes is rejected by the parser, and detection falls back to
// kTpch for it too, so the answer never depends on how many bytes the caller happened to read.
// Never returns kAuto.
InputFormat DetectInputFormat(std::string_view file_head,
                              std::size_t max_line_bytes = kDefaultMaxLineBytes);

// The same rule applied to one complete first line (no '\n'; BOM and '\r' are removed here).
InputFormat DetectInputFormatOfFirstLine(std::string_view first_line);

// The format detection falls back to; also what a too-long first line resolves to.
inline constexpr InputFormat kFallbackInputFormat = InputFormat::kTpch;

// Removes a leading UTF-8 byte-order mark (EF BB BF), which spreadsheet exports often write.
std::string_view StripByteOrderMark(std::string_view line);

}  // namespace fanfold::activities
