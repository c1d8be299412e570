// Exact money arithmetic for the mean-balance job: balances are integer cents, never floating
// point. A single balance fits int64 cents; sums are kept in 128 bits so that no file, however
// large or adversarial, can overflow them (|sum| <= rows * INT64_MAX < 2^126).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fanfold::activities {

// Sum of cents over any number of rows. A GCC/Clang extension; __extension__ keeps -Wpedantic
// quiet, and nothing outside this module needs to spell the type.
__extension__ using CentsSum = __int128;

enum class NumberError {
  kNone,
  kInvalid,     // not the expected syntax
  kOutOfRange,  // well-formed, but outside the accepted range
};

struct ParsedCents {
  NumberError error = NumberError::kInvalid;
  std::int64_t cents = 0;  // valid only when error == kNone
};

// Parses a decimal amount into cents: an optional single sign ('-' or '+'), one or more digits,
// then optionally '.' and one or two digits. "-0.50", "12", "12.5", "12.50" are accepted;
// "1.234", "1e3", ".5", "5.", "abc", "", "+-1", " 1" are kInvalid; a well-formed amount whose
// magnitude exceeds INT64_MAX cents is kOutOfRange.
ParsedCents ParseCents(std::string_view text);

// "-12.35", "0.05", "-0.05", "0.00": always a sign only when negative, at least one integer
// digit, exactly two decimals. Exact for every int64, including INT64_MIN.
std::string FormatCents(std::int64_t cents);

// The mean of `count` values whose exact sum is `sum`, rounded to the nearest cent; a value
// exactly halfway between two cents rounds away from zero (the rule users check by hand and the
// job's published contract), symmetrically for negative sums: 0.5 -> 1, -0.5 -> -1, -2.5 -> -3.
// Computed
// with 128-bit integer division, so it is exact for every sum and count. Requires count > 0
// (returns 0 otherwise). The result is clamped to int64, which only a sum inconsistent with its
// count (|sum| > count * INT64_MAX) could exceed.
std::int64_t MeanCents(CentsSum sum, std::int64_t count);

// Decimal text of a sum ("-123", "0"), and its inverse. The parser accepts an optional '-' and
// 1..39 digits and refuses anything outside +-(2^126), the most a valid sum can hold.
std::string CentsSumToString(CentsSum sum);
std::optional<CentsSum> ParseCentsSum(std::string_view text);

}  // namespace fanfold::activities
