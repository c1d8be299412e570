#include "activities/cents.hpp"

#include <algorithm>
#include <limits>

namespace fanfold::activities {
namespace {

constexpr std::uint64_t kMaxMagnitude = std::numeric_limits<std::int64_t>::max();
constexpr CentsSum kMaxSumMagnitude = CentsSum{1} << 126;

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

ParsedCents ParseCents(std::string_view text) {
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
    negative = text[i] == '-';
    ++i;
  }
  // Syntax first, so that "99999999999999999999x" is invalid rather than out of range.
  const std::size_t integer_begin = i;
  while (i < text.size() && IsDigit(text[i]))
    ++i;
  const std::size_t integer_end = i;
  if (integer_end == integer_begin) return {NumberError::kInvalid, 0};
  std::size_t fraction_begin = i;
  std::size_t fraction_end = i;
  if (i < text.size() && text[i] == '.') {
    fraction_begin = ++i;
    while (i < text.size() && IsDigit(text[i]))
      ++i;
    fraction_end = i;
    const std::size_t fraction_digits = fraction_end - fraction_begin;
    if (fraction_digits == 0 || fraction_digits > 2) return {NumberError::kInvalid, 0};
  }
  if (i != text.size()) return {NumberError::kInvalid, 0};

  std::uint64_t fraction = 0;
  for (std::size_t k = fraction_begin; k < fraction_end; ++k) {
    fraction = fraction * 10 + static_cast<std::uint64_t>(text[k] - '0');
  }
  if (fraction_end - fraction_begin == 1) fraction *= 10;

  // Leading zeros are harmless: the bound check below only trips on a real magnitude.
  const std::uint64_t integer_limit = (kMaxMagnitude - fraction) / 100;
  std::uint64_t integer = 0;
  for (std::size_t k = integer_begin; k < integer_end; ++k) {
    const auto digit = static_cast<std::uint64_t>(text[k] - '0');
    if (integer > (integer_limit - digit) / 10) return {NumberError::kOutOfRange, 0};
    integer = integer * 10 + digit;
  }
  const std::uint64_t magnitude = integer * 100 + fraction;
  const auto cents = static_cast<std::int64_t>(magnitude);
  return {NumberError::kNone, negative ? -cents : cents};
}

std::string FormatCents(std::int64_t cents) {
  // Work on the unsigned magnitude so that INT64_MIN does not overflow on negation.
  const bool negative = cents < 0;
  const std::uint64_t magnitude = negative ? std::uint64_t{0} - static_cast<std::uint64_t>(cents)
                                           : static_cast<std::uint64_t>(cents);
  std::string text = negative ? "-" : "";
  text += std::to_string(magnitude / 100);
  const auto fraction = static_cast<unsigned>(magnitude % 100);
  text += '.';
  text += static_cast<char>('0' + fraction / 10);
  text += static_cast<char>('0' + fraction % 10);
  return text;
}

std::int64_t MeanCents(CentsSum sum, std::int64_t count) {
  if (count <= 0) return 0;
  const CentsSum divisor = count;
  CentsSum quotient = sum / divisor;         // truncated toward zero
  const CentsSum remainder = sum % divisor;  // same sign as sum (or zero)
  const CentsSum twice_remainder = 2 * (remainder < 0 ? -remainder : remainder);
  if (twice_remainder >= divisor) quotient += sum < 0 ? -1 : 1;
  const CentsSum lowest = std::numeric_limits<std::int64_t>::min();
  const CentsSum highest = std::numeric_limits<std::int64_t>::max();
  return static_cast<std::int64_t>(std::clamp(quotient, lowest, highest));
}

std::string CentsSumToString(CentsSum sum) {
  if (sum == 0) return "0";
  const bool negative = sum < 0;
  // |sum| < 2^127 for every value this module produces, so negation cannot overflow in practice;
  // go through unsigned anyway so that even -2^127 prints correctly.
  __extension__ using Unsigned = unsigned __int128;
  Unsigned magnitude =
      negative ? Unsigned{0} - static_cast<Unsigned>(sum) : static_cast<Unsigned>(sum);
  char digits[40];
  std::size_t length = 0;
  while (magnitude != 0) {
    digits[length++] = static_cast<char>('0' + static_cast<int>(magnitude % 10));
    magnitude /= 10;
  }
  std::string text = negative ? "-" : "";
  while (length > 0)
    text += digits[--length];
  return text;
}

std::optional<CentsSum> ParseCentsSum(std::string_view text) {
  std::size_t i = 0;
  const bool negative = !text.empty() && text[0] == '-';
  if (negative) ++i;
  if (i == text.size() || text.size() - i > 39) return std::nullopt;
  CentsSum magnitude = 0;
  for (; i < text.size(); ++i) {
    if (!IsDigit(text[i])) return std::nullopt;
    const int digit = text[i] - '0';
    // Checked before multiplying, so the 128-bit value never overflows.
    if (magnitude > (kMaxSumMagnitude - digit) / 10) return std::nullopt;
    magnitude = magnitude * 10 + digit;
  }
  return negative ? -magnitude : magnitude;
}

}  // namespace fanfold::activities
