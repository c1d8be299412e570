#include "storage/blob/blob_range.hpp"

#include <limits>

#include "storage/blob/blob_options.hpp"

namespace fanfold::storage {

std::string FormatRangeHeader(uint64_t offset, uint64_t length) {
  std::string header = "bytes=" + std::to_string(offset) + "-";
  if (length != kToEndOfBlob && length - 1 <= std::numeric_limits<uint64_t>::max() - offset) {
    header += std::to_string(offset + length - 1);
  }
  return header;
}

std::optional<uint64_t> ParseDecimal(std::string_view text) {
  if (text.empty() || text.size() > 20) return std::nullopt;
  uint64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto digit = static_cast<uint64_t>(c - '0');
    if (value > (std::numeric_limits<uint64_t>::max() - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

std::optional<uint64_t> ParseContentRangeTotal(std::string_view text) {
  if (text.substr(0, 6) != "bytes ") return std::nullopt;
  const auto slash = text.rfind('/');
  if (slash == std::string_view::npos) return std::nullopt;
  return ParseDecimal(text.substr(slash + 1));
}

std::optional<ContentRange> ParseContentRange(std::string_view text) {
  constexpr std::string_view kUnit = "bytes ";
  if (text.substr(0, kUnit.size()) != kUnit) return std::nullopt;
  text.remove_prefix(kUnit.size());
  const auto dash = text.find('-');
  const auto slash = text.find('/');
  if (dash == std::string_view::npos || slash == std::string_view::npos || slash < dash) {
    return std::nullopt;
  }
  const auto first = ParseDecimal(text.substr(0, dash));
  const auto last = ParseDecimal(text.substr(dash + 1, slash - dash - 1));
  const auto total = ParseDecimal(text.substr(slash + 1));
  if (!first || !last || !total || *first > *last || *last >= *total) return std::nullopt;
  return ContentRange{*first, *last, *total};
}

}  // namespace fanfold::storage
