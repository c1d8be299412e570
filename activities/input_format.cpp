#include "activities/input_format.hpp"

#include <string>

#include "storage/utf8_text.hpp"

namespace fanfold::activities {
namespace {

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != b[i]) return false;
  }
  return true;
}

}  // namespace

std::string_view InputFormatName(InputFormat format) {
  switch (format) {
    case InputFormat::kAuto:
      return "auto";
    case InputFormat::kTpch:
      return "tpch";
    case InputFormat::kCsv:
      return "csv";
  }
  return "auto";
}

storage::Result<InputFormat> ParseInputFormat(std::string_view name) {
  for (const InputFormat format : {InputFormat::kAuto, InputFormat::kTpch, InputFormat::kCsv}) {
    if (EqualsIgnoringCase(name, InputFormatName(format))) return format;
  }
  // Echo at most a short prefix: the value comes from a user and may be arbitrarily long.
  constexpr std::size_t kEchoLimit = 32;
  const std::string shown = storage::TruncateUtf8(name, kEchoLimit);
  return storage::Status::InvalidArgument("unknown input format \"" + shown +
                                          "\" (expected auto, tpch or csv)");
}

std::string_view StripByteOrderMark(std::string_view line) {
  if (line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
  return line;
}

InputFormat DetectInputFormatOfFirstLine(std::string_view first_line) {
  std::string_view line = StripByteOrderMark(first_line);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (!line.empty() && line.back() == '|') return InputFormat::kTpch;
  if (line.find(',') != std::string_view::npos) return InputFormat::kCsv;
  return kFallbackInputFormat;
}

InputFormat DetectInputFormat(std::string_view file_head, std::size_t max_line_bytes) {
  const std::size_t newline = file_head.find('\n');
  const std::string_view first_line =
      newline == std::string_view::npos ? file_head : file_head.substr(0, newline);
  if (first_line.size() > max_line_bytes) return kFallbackInputFormat;
  return DetectInputFormatOfFirstLine(first_line);
}

}  // namespace fanfold::activities
