// Why a line of a customer file was not counted. Every non-empty line that is not the header is
// either a row or exactly one reject, so lines = rows + rejects + empty lines + header; when a
// line has several faults, the first one in the order below is reported (structure, then the
// nation key, then the balance).
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace fanfold::activities {

enum class RejectReason {
  // Longer than AggregateOptions::max_line_bytes. Checked first, without looking inside.
  kLineTooLong,
  // CSV only: a quoted field is still open at the end of the line, i.e. the field holds a line
  // break. Chunks split the file at '\n' bytes without knowing whether a '\n' lies inside quotes
  // (that would need the quote parity of everything before the chunk, i.e. a scan from byte 0),
  // so every '\n' ends a line; such a record cannot be read soundly and is refused instead of
  // being split into two half-rows that might both look valid.
  kQuotedLineBreak,
  // CSV only: a quote inside an unquoted field, or text after a closing quote (RFC 4180 allows
  // neither). Being strict here also stops the tail of a record broken by kQuotedLineBreak from
  // passing as a row of its own.
  kBadQuoting,
  // Not exactly 8 fields (TPC-H: not exactly 8 '|' of which the last ends the line).
  kFieldCount,
  // c_nationkey is not a non-negative decimal integer.
  kNationKeyInvalid,
  // c_nationkey is an integer outside the configured range (default 0..24).
  kNationKeyOutOfRange,
  // c_acctbal is not an amount with at most two decimals (see ParseCents).
  kBalanceInvalid,
  // c_acctbal is well-formed but does not fit int64 cents.
  kBalanceOutOfRange,
};

inline constexpr std::size_t kRejectReasonCount = 8;

inline constexpr std::array<RejectReason, kRejectReasonCount> kAllRejectReasons = {
    RejectReason::kLineTooLong,      RejectReason::kQuotedLineBreak,
    RejectReason::kBadQuoting,       RejectReason::kFieldCount,
    RejectReason::kNationKeyInvalid, RejectReason::kNationKeyOutOfRange,
    RejectReason::kBalanceInvalid,   RejectReason::kBalanceOutOfRange,
};

// Stable snake_case names used in JSON and reports: "line_too_long", "quoted_line_break",
// "bad_quoting", "field_count", "nation_key_invalid", "nation_key_out_of_range",
// "balance_invalid", "balance_out_of_range".
std::string_view RejectReasonName(RejectReason reason);
std::optional<RejectReason> ParseRejectReason(std::string_view name);

inline constexpr std::size_t RejectReasonIndex(RejectReason reason) {
  return static_cast<std::size_t>(reason);
}

}  // namespace fanfold::activities
