#include "tablestore/utf8.hpp"

namespace fanfold::tablestore {

bool ForEachCodePoint(std::string_view utf8, const std::function<bool(char32_t)>& visit) {
  size_t i = 0;
  while (i < utf8.size()) {
    const auto lead = static_cast<unsigned char>(utf8[i]);
    size_t extra = 0;
    char32_t code_point = 0;
    char32_t minimum = 0;
    if (lead < 0x80) {
      code_point = lead;
    } else if ((lead & 0xE0) == 0xC0) {
      extra = 1;
      code_point = lead & 0x1F;
      minimum = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
      extra = 2;
      code_point = lead & 0x0F;
      minimum = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
      extra = 3;
      code_point = lead & 0x07;
      minimum = 0x10000;
    } else {
      return false;
    }
    if (i + extra >= utf8.size()) return false;  // truncated sequence
    for (size_t k = 1; k <= extra; ++k) {
      const auto next = static_cast<unsigned char>(utf8[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code_point = (code_point << 6) | (next & 0x3F);
    }
    if (code_point < minimum || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return false;
    }
    if (!visit(code_point)) return false;
    i += extra + 1;
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
