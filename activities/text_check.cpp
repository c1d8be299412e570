#include "activities/text_check.hpp"

#include <array>
#include <cstdio>

namespace fanfold::activities {
namespace {

// Built with appends, not "literal" + std::string: GCC 12 at -O3 reports a false -Wrestrict on
// the latter (GCC bug 105329), which -Werror turns into a failed Release build.
std::string ByteProblem(unsigned char byte, const char* problem) {
  std::array<char, 8> hex{};
  std::snprintf(hex.data(), hex.size(), "0x%02X", static_cast<unsigned>(byte));
  std::string text = "(";
  text += hex.data();
  text += ") ";
  text += problem;
  return text;
}

// Length of the UTF-8 sequence a lead byte starts, and the range its second byte must lie in
// (RFC 3629's table: the narrowed ranges exclude overlong forms, surrogates and > U+10FFFF).
struct LeadByte {
  int length = 0;  // 0: not a valid lead byte
  unsigned char second_min = 0x80;
  unsigned char second_max = 0xBF;
};

LeadByte ClassifyLead(unsigned char byte) {
  if (byte >= 0xC2 && byte <= 0xDF) return {2, 0x80, 0xBF};
  if (byte == 0xE0) return {3, 0xA0, 0xBF};
  if (byte == 0xED) return {3, 0x80, 0x9F};
  if (byte >= 0xE1 && byte <= 0xEF) return {3, 0x80, 0xBF};
  if (byte == 0xF0) return {4, 0x90, 0xBF};
  if (byte >= 0xF1 && byte <= 0xF3) return {4, 0x80, 0xBF};
  if (byte == 0xF4) return {4, 0x80, 0x8F};
  return {};
}

}  // namespace

std::optional<NonTextByte> FindNonTextByte(std::string_view head, bool is_whole_file) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(head.data());
  std::size_t i = 0;
  while (i < head.size()) {
    const unsigned char byte = bytes[i];
    if (byte == 0) return NonTextByte{i, "is NUL (0x00)"};
    if (byte < 0x80) {
      ++i;
      continue;
    }
    const LeadByte lead = ClassifyLead(byte);
    if (lead.length == 0) {
      return NonTextByte{i, ByteProblem(byte, "cannot start a UTF-8 character")};
    }
    for (int k = 1; k < lead.length; ++k) {
      if (i + static_cast<std::size_t>(k) >= head.size()) {
        if (!is_whole_file) return std::nullopt;  // the rest of the character was not read
        return NonTextByte{i, ByteProblem(byte, "starts a UTF-8 character cut by the file's end")};
      }
      const unsigned char next = bytes[i + static_cast<std::size_t>(k)];
      const unsigned char min = k == 1 ? lead.second_min : 0x80;
      const unsigned char max = k == 1 ? lead.second_max : 0xBF;
      if (next < min || next > max) {
        return NonTextByte{i, ByteProblem(byte, "starts an invalid UTF-8 sequence")};
      }
    }
    i += static_cast<std::size_t>(lead.length);
  }
  return std::nullopt;
}

std::string_view CompressedFormatName(std::string_view head) {
  struct Magic {
    std::string_view bytes;
    std::string_view name;
  };
  using namespace std::string_view_literals;
  static constexpr std::array<Magic, 6> kMagics = {{
      {"\x1F\x8B"sv, "gzip"},
      {"\xFD"
       "7zXZ\x00"sv,
       "xz"},
      {"PK\x03\x04"sv, "zip"},
      {"\x28\xB5\x2F\xFD"sv, "zstd"},
      {"BZh"sv, "bzip2"},
      {"7z\xBC\xAF\x27\x1C"sv, "7z"},
  }};
  for (const Magic& magic : kMagics) {
    if (head.substr(0, magic.bytes.size()) == magic.bytes) return magic.name;
  }
  return {};
}

}  // namespace fanfold::activities
