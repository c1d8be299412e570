#include "activities/row_parser.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace fanfold::activities {
namespace {

// dbgen lines: exactly 8 '|' and the 8th is the last byte. One pass counts the bars and keeps
// the offsets of those around the two interpreted fields; searching field by field (a memchr per
// field) cost more in call overhead than in scanning, as most fields are a few bytes long.
class BarFinder {
 public:
  // Bars kept: enough to delimit the later of the two interpreted fields.
  static constexpr int kKept = std::max(kNationKeyField, kBalanceField) + 1;

  explicit BarFinder(std::string_view line) {
    const char* const data = line.data();
    const std::size_t size = line.size();
    std::size_t i = 0;
#if defined(__SSE2__)
    const __m128i bar = _mm_set1_epi8('|');
    const auto bars_at = [data, bar](std::size_t offset) {
      const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + offset));
      return static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, bar)));
    };
    // Two blocks per step: half the loop's branches, which cost as much as the compares.
    for (; i + 32 <= size && count_ <= kCustomerFieldCount; i += 32) {
      Record(bars_at(i) | bars_at(i + 16) << 16, i);
    }
    if (i + 16 <= size && count_ <= kCustomerFieldCount) {
      Record(bars_at(i), i);
      i += 16;
    }
    // The last partial block: reload the line's last 16 bytes and drop those already seen,
    // rather than read past the end of the line (which may be the end of the buffer).
    if (i < size && size >= 16 && count_ <= kCustomerFieldCount) {
      Record(bars_at(size - 16) >> (16 - (size - i)), i);
      i = size;
    }
#endif
    for (; i < size && count_ <= kCustomerFieldCount; ++i) {
      if (data[i] == '|') Record(1, i);
    }
  }

  // All bars, counted up to one more than a valid line holds (a scan stops there).
  int count() const {
    return count_;
  }
  // Offset of bar `index` (0-based), for index < kKept.
  std::size_t at(int index) const {
    return kept_[index];
  }

 private:
  // `mask` has bit k set when byte base + k is a bar.
  void Record(std::uint32_t mask, std::size_t base) {
    for (; mask != 0 && count_ < kKept; mask &= mask - 1) {
      kept_[count_++] = base + static_cast<std::size_t>(std::countr_zero(mask));
    }
    count_ += BitCount(mask);
  }

  // std::popcount without -mpopcnt is a libgcc call, which cost more than the rest of a block.
  static int BitCount(std::uint32_t mask) {
    mask = mask - ((mask >> 1) & 0x55555555u);
    mask = (mask & 0x33333333u) + ((mask >> 2) & 0x33333333u);
    mask = (mask + (mask >> 4)) & 0x0F0F0F0Fu;
    return static_cast<int>((mask * 0x01010101u) >> 24);
  }

  std::size_t kept_[kKept] = {};
  int count_ = 0;
};

SplitLine SplitTpch(std::string_view line) {
  SplitLine split;
  const BarFinder bars(line);
  // Exactly 8 bars with one the last byte: then that one is the 8th.
  if (bars.count() != kCustomerFieldCount || line.back() != '|') {
    split.error = RejectReason::kFieldCount;
    return split;
  }
  static_assert(kNationKeyField > 0 && kBalanceField > 0);
  const auto field = [&](int index) {
    const std::size_t begin = bars.at(index - 1) + 1;
    return line.substr(begin, bars.at(index) - begin);
  };
  split.nation_key = field(kNationKeyField);
  split.balance = field(kBalanceField);
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
