// Turns one line of a customer file into (nation key, balance in cents) or a reject reason.
// Pure functions over a string_view: no allocation, no exceptions, any bytes accepted (NULs and
// invalid UTF-8 are just bytes that fail to parse). Only columns 4 (c_nationkey) and 6
// (c_acctbal) are interpreted; the other six are checked for structure only.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "activities/cents.hpp"
#include "activities/input_format.hpp"
#include "activities/reject_reason.hpp"

namespace fanfold::activities {

inline constexpr int kCustomerFieldCount = 8;
inline constexpr int kNationKeyField = 3;  // 0-based: c_nationkey is column 4
inline constexpr int kBalanceField = 5;    // 0-based: c_acctbal is column 6

// Inclusive range of accepted nation keys; both ends non-negative, min <= max, and at most
// kMaxNationKeySpan keys (checked where options are validated, not here).
struct NationKeyRange {
  std::int32_t min = 0;  // TPC-H nations are 0..24
  std::int32_t max = 24;
};

// The two interpreted fields of a line, or the structural reason it has none. For a quoted CSV
// field the view is the text between the quotes with any "" left doubled: a doubled quote can
// never be part of a valid number or column name, so unescaping would change no outcome.
struct SplitLine {
  std::optional<RejectReason> error;  // kFieldCount, kBadQuoting or kQuotedLineBreak
  std::string_view nation_key;
  std::string_view balance;
};

// `line` excludes the line terminator: no '\n', and the caller has removed one trailing '\r'.
// `format` must be kTpch or kCsv (kAuto is treated as kTpch).
SplitLine SplitCustomerLine(std::string_view line, InputFormat format);

struct ParsedLine {
  std::optional<RejectReason> reject;  // set: the line is rejected; unset: a row
  std::int32_t nation_key = 0;
  std::int64_t cents = 0;
};

// Same contract as SplitCustomerLine, plus field validation. An empty line is a kFieldCount
// reject here; callers that skip empty lines do so before calling.
ParsedLine ParseCustomerLine(std::string_view line, InputFormat format,
                             const NationKeyRange& nation_keys);

// A non-negative decimal integer (digits only: no sign, no spaces; leading zeros allowed) within
// `range`. Huge digit strings saturate and report kOutOfRange, never overflow.
NumberError ParseNationKey(std::string_view text, const NationKeyRange& range, std::int32_t* key);

// True when the line is a header: the right number of fields, and columns 4 and 6 both look like
// column names ([A-Za-z_][A-Za-z0-9_]*, e.g. c_nationkey and c_acctbal) rather than numbers.
// Only ever asked of the line that starts at byte 0 of a file.
bool IsHeaderLine(std::string_view line, InputFormat format);

}  // namespace fanfold::activities
