#include "tablestore/utf8.hpp"

#include "storage/utf8_text.hpp"

namespace fanfold::tablestore {

bool ForEachCodePoint(std::string_view utf8, const std::function<bool(char32_t)>& visit) {
  while (!utf8.empty()) {
    const storage::DecodedCodePoint decoded = storage::DecodeUtf8(utf8);
    if (decoded.length == 0 || !visit(decoded.code_point)) return false;
    utf8.remove_prefix(decoded.length);
  }
  return true;
}

std::optional<size_t> Utf16Length(std::string_view utf8) {
  size_t units = 0;
  const bool valid = ForEachCodePoint(utf8, [&units](char32_t code_point) {
    units += code_point >= 0x10000 ? 2 : 1;
    return true;
  });
  if (!valid) return std::nullopt;
  return units;
}

}  // namespace fanfold::tablestore
