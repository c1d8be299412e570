#include "tablestore/odata_filter.hpp"

#include <charconv>
#include <cmath>
#include <variant>

#include "storage/utf8_text.hpp"
#include "tablestore/utf8.hpp"

namespace fanfold::tablestore {
namespace {

using storage::Result;
using storage::Status;

const char* OperatorText(Comparison comparison) {
  switch (comparison) {
    case Comparison::kEq:
      return "eq";
    case Comparison::kNe:
      return "ne";
    case Comparison::kGt:
      return "gt";
    case Comparison::kGe:
      return "ge";
    case Comparison::kLt:
      return "lt";
    case Comparison::kLe:
      return "le";
  }
  return "eq";
}

// Filter identifiers are ASCII C# identifiers; anything else could smuggle in syntax.
bool IsIdentifier(std::string_view name) {
  if (name.empty() || name.size() > 255) return false;
  const auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (!letter(name.front()) && name.front() != '_') return false;
  for (const char c : name) {
    if (!letter(c) && !(c >= '0' && c <= '9') && c != '_') return false;
  }
  return true;
}

std::string QuoteString(std::string_view text) {
  std::string out = "'";
  for (const char c : text) {
    out += c;
    if (c == '\'') out += '\'';
  }
  out += '\'';
  return out;
}

// Shortest text that reads back as the same double, in fixed notation (some parsers, Azurite's
// among them, accept no exponent), always with a fractional part so it stays a double literal.
std::string DoubleLiteral(double value) {
  char buffer[400];
  const auto [end, error] =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
  std::string out(buffer, error == std::errc() ? end : buffer);
  if (out.find('.') == std::string::npos) out += ".0";
  return out;
}

std::string HexLiteral(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "X'";
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    out += kHex[byte >> 4];
    out += kHex[byte & 15];
  }
  out += '\'';
  return out;
}

Filter Combine(const Filter& a, const Filter& b, const char* op) {
  if (!a.ok()) return a;
  if (!b.ok()) return b;
  if (a.empty()) return b;
  if (b.empty()) return a;
  return Filter::Raw("(" + a.expression() + ") " + op + " (" + b.expression() + ")");
}

}  // namespace

Filter Filter::Raw(std::string expression) {
  Filter filter;
  filter.expression_ = std::move(expression);
  return filter;
}

Filter Filter::Invalid(Status status) {
  Filter filter;
  filter.status_ = status.ok() ? Status::InvalidArgument("invalid filter") : std::move(status);
  return filter;
}

Result<std::string> FilterLiteral(const PropertyValue& value) {
  return std::visit(
      [](const auto& v) -> Result<std::string> {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string>) {
          if (!Utf16Length(v)) return Status::InvalidArgument("filter string is not valid UTF-8");
          return QuoteString(v);
        } else if constexpr (std::is_same_v<T, int32_t>) {
          return std::to_string(v);
        } else if constexpr (std::is_same_v<T, int64_t>) {
          return std::to_string(v) + "L";
        } else if constexpr (std::is_same_v<T, double>) {
          if (!std::isfinite(v)) {
            return Status::InvalidArgument("a filter cannot compare with NaN or infinity");
          }
          return DoubleLiteral(v);
        } else if constexpr (std::is_same_v<T, bool>) {
          return std::string(v ? "true" : "false");
        } else if constexpr (std::is_same_v<T, EdmDateTime>) {
          if (!IsStorableEdmDateTime(v)) {
            return Status::InvalidArgument("filter date is outside 1601-01-01 to 9999-12-31");
          }
          return "datetime'" + FormatEdmDateTime(v) + "'";
        } else if constexpr (std::is_same_v<T, Binary>) {
          return HexLiteral(v.bytes);
        } else {
          static_assert(std::is_same_v<T, Guid>);
          return "guid'" + v.str() + "'";
        }
      },
      value.variant());
}

Filter Compare(std::string_view property, Comparison comparison, const PropertyValue& value) {
  if (!IsIdentifier(property)) {
    return Filter::Invalid(Status::InvalidArgument(
        "filter property name must be an identifier (letters, digits, '_'), not '" +
        storage::TruncateUtf8(property, 64) + "'"));
  }
  Result<std::string> literal = FilterLiteral(value);
  if (!literal.ok()) return Filter::Invalid(literal.status());
  return Filter::Raw(std::string(property) + " " + OperatorText(comparison) + " " + *literal);
}

Filter And(const Filter& a, const Filter& b) {
  return Combine(a, b, "and");
}
Filter Or(const Filter& a, const Filter& b) {
  return Combine(a, b, "or");
}

Filter Not(const Filter& a) {
  if (!a.ok()) return a;
  if (a.empty()) return Filter::Invalid(Status::InvalidArgument("cannot negate an empty filter"));
  return Filter::Raw("not (" + a.expression() + ")");
}

}  // namespace fanfold::tablestore
