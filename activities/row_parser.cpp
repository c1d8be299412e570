#include "activities/row_parser.hpp"

#include <cstring>

namespace fanfold::activities {
namespace {

// dbgen lines: exactly 8 '|' and the 8th is the last byte. memchr keeps the scan vectorised.
SplitLine SplitTpch(std::string_view line) {
  SplitLine split;
  const char* const data = line.data();
  const std::size_t size = line.size();
  std::size_t field_begin = 0;
  for (int field = 0; field < kCustomerFieldCount; ++field) {
    const void* bar =
        size > field_begin ? std::memchr(data + field_begin, '|', size - field_begin) : nullptr;
    if (bar == nullptr) {
      split.error = RejectReason::kFieldCount;
      return split;
    }
    const auto field_end = static_cast<std::size_t>(static_cast<const char*>(bar) - data);
    if (field == kNationKeyField)
      split.nation_key = line.substr(field_begin, field_end - field_begin);
    if (field == kBalanceField) split.balance = line.substr(field_begin, field_end - field_begin);
    field_begin = field_end + 1;
  }
  if (field_begin != size) split.error = RejectReason::kFieldCount;
  return split;
}

// RFC 4180 fields. The whole line is scanned even past the 8th field so that an open quote is
// always reported as such, whatever else is wrong with the line.
SplitLine SplitCsv(std::string_view line) {
  SplitLine split;
  const char* const data = line.data();
  const std::size_t size = line.size();
  std::size_t i = 0;
  int field = 0;
  while (true) {
    std::size_t value_begin = i;
    std::size_t value_end = i;
    if (i < size && data[i] == '"') {
      value_begin = ++i;
      while (true) {
        const void* quote = i < size ? std::memchr(data + i, '"', size - i) : nullptr;
        if (quote == nullptr) {
          split.error = RejectReason::kQuotedLineBreak;
          return split;
        }
        i = static_cast<std::size_t>(static_cast<const char*>(quote) - data);
        if (i + 1 < size && data[i + 1] == '"') {
          i += 2;  // an escaped quote inside the field
          continue;
        }
        value_end = i++;
        break;
      }
      if (i < size && data[i] != ',') {
        split.error = RejectReason::kBadQuoting;
        return split;
      }
    } else {
      while (i < size && data[i] != ',') {
        if (data[i] == '"') {
          split.error = RejectReason::kBadQuoting;
          return split;
        }
        ++i;
      }
      value_end = i;
    }
    if (field == kNationKeyField)
      split.nation_key = line.substr(value_begin, value_end - value_begin);
    if (field == kBalanceField) split.balance = line.substr(value_begin, value_end - value_begin);
    ++field;
    if (i == size) break;
    ++i;  // the ',' (a trailing ',' opens one more, empty, field)
  }
  if (field != kCustomerFieldCount) split.error = RejectReason::kFieldCount;
  return split;
}

bool IsNameStart(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

bool LooksLikeColumnName(std::string_view text) {
  if (text.empty() || !IsNameStart(text[0])) return false;
  for (const char c : text) {
    if (!IsNameStart(c) && !(c >= '0' && c <= '9')) return false;
  }
  return true;
}

}  // namespace

SplitLine SplitCustomerLine(std::string_view line, InputFormat format) {
  return format == InputFormat::kCsv ? SplitCsv(line) : SplitTpch(line);
}

NumberError ParseNationKey(std::string_view text, const NationKeyRange& range, std::int32_t* key) {
  if (text.empty()) return NumberError::kInvalid;
  // Saturate just above any valid key: only "in range or not" matters beyond that point.
  constexpr std::int64_t kSaturated = std::int64_t{1} << 32;
  std::int64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return NumberError::kInvalid;
    value = value * 10 + (c - '0');
    if (value > kSaturated) value = kSaturated;
  }
  if (value < range.min || value > range.max) return NumberError::kOutOfRange;
  *key = static_cast<std::int32_t>(value);
  return NumberError::kNone;
}

ParsedLine ParseCustomerLine(std::string_view line, InputFormat format,
                             const NationKeyRange& nation_keys) {
  ParsedLine parsed;
  const SplitLine split = SplitCustomerLine(line, format);
  if (split.error) {
    parsed.reject = split.error;
    return parsed;
  }
  switch (ParseNationKey(split.nation_key, nation_keys, &parsed.nation_key)) {
    case NumberError::kNone:
      break;
    case NumberError::kInvalid:
      parsed.reject = RejectReason::kNationKeyInvalid;
      return parsed;
    case NumberError::kOutOfRange:
      parsed.reject = RejectReason::kNationKeyOutOfRange;
      return parsed;
  }
  const ParsedCents balance = ParseCents(split.balance);
  switch (balance.error) {
    case NumberError::kNone:
      parsed.cents = balance.cents;
      break;
    case NumberError::kInvalid:
      parsed.reject = RejectReason::kBalanceInvalid;
      break;
    case NumberError::kOutOfRange:
      parsed.reject = RejectReason::kBalanceOutOfRange;
      break;
  }
  return parsed;
}

bool IsHeaderLine(std::string_view line, InputFormat format) {
  const SplitLine split = SplitCustomerLine(line, format);
  return !split.error && LooksLikeColumnName(split.nation_key) &&
         LooksLikeColumnName(split.balance);
}

}  // namespace fanfold::activities
