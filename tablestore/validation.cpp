#include "tablestore/validation.hpp"

#include <cstdio>
#include <optional>
#include <string>
#include <variant>

#include "storage/utf8_text.hpp"
#include "tablestore/utf8.hpp"

namespace fanfold::tablestore {
namespace {

using storage::Status;

bool IsAsciiLetter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool IsAsciiDigit(char c) {
  return c >= '0' && c <= '9';
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// Utf16Length of text already known to be valid UTF-8.
size_t Utf16Units(std::string_view text) {
  return Utf16Length(text).value_or(text.size());
}

size_t ValueSizeBytes(const PropertyValue& value) {
  switch (value.type()) {
    case EdmType::kString:
      return 2 * Utf16Units(std::get<std::string>(value.variant())) + 4;
    case EdmType::kBinary:
      return std::get<Binary>(value.variant()).bytes.size() + 4;
    case EdmType::kInt32:
      return 4;
    case EdmType::kInt64:
    case EdmType::kDouble:
    case EdmType::kDateTime:
      return 8;
    case EdmType::kGuid:
      return 16;
    case EdmType::kBoolean:
      return 1;
  }
  return 0;
}

Status ValidateValue(const std::string& name, const PropertyValue& value) {
  switch (value.type()) {
    case EdmType::kString: {
      const auto units = Utf16Length(std::get<std::string>(value.variant()));
      if (!units) return Status::InvalidArgument("property '" + name + "' is not valid UTF-8");
      if (2 * *units > kMaxPropertyValueBytes) {
        return Status::InvalidArgument("property '" + name + "' is " + std::to_string(*units) +
                                       " UTF-16 code units; a string may take at most " +
                                       std::to_string(kMaxPropertyValueBytes) + " bytes");
      }
      return Status::Ok();
    }
    case EdmType::kBinary: {
      const size_t size = std::get<Binary>(value.variant()).bytes.size();
      if (size > kMaxPropertyValueBytes) {
        return Status::InvalidArgument("property '" + name + "' holds " + std::to_string(size) +
                                       " bytes; a binary value may hold at most " +
                                       std::to_string(kMaxPropertyValueBytes));
      }
      return Status::Ok();
    }
    case EdmType::kDateTime:
      if (!IsStorableEdmDateTime(std::get<EdmDateTime>(value.variant()))) {
        return Status::InvalidArgument("property '" + name +
                                       "' is a date outside 1601-01-01 to 9999-12-31");
      }
      return Status::Ok();
    default:
      return Status::Ok();
  }
}

}  // namespace

Status ValidateTableName(std::string_view name) {
  if (name.size() < 3 || name.size() > 63) {
    return Status::InvalidArgument("a table name must be 3 to 63 characters long, not " +
                                   std::to_string(name.size()));
  }
  if (!IsAsciiLetter(name.front())) {
    return Status::InvalidArgument("table name '" + std::string(name) +
                                   "' must start with a letter");
  }
  for (const char c : name) {
    if (!IsAsciiLetter(c) && !IsAsciiDigit(c)) {
      return Status::InvalidArgument("table name '" + std::string(name) +
                                     "' may hold only letters and digits");
    }
  }
  if (EqualsIgnoringCase(name, "tables")) {
    return Status::InvalidArgument("'tables' is a reserved table name");
  }
  return Status::Ok();
}

Status ValidateKey(std::string_view key, std::string_view which) {
  std::optional<char32_t> forbidden;
  size_t units = 0;
  const bool valid = ForEachCodePoint(key, [&](char32_t c) {
    if (c == '/' || c == '\\' || c == '#' || c == '?' || c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
      forbidden = c;
      return false;
    }
    units += c >= 0x10000 ? 2 : 1;
    return true;
  });
  if (forbidden) {
    char shown[32];
    if (*forbidden < 0x20 || *forbidden >= 0x7F) {
      std::snprintf(shown, sizeof shown, "control character U+%04X",
                    static_cast<unsigned>(*forbidden));
    } else {
      std::snprintf(shown, sizeof shown, "'%c'", static_cast<char>(*forbidden));
    }
    return Status::InvalidArgument(std::string(which) + " may not contain " + shown);
  }
  if (!valid) return Status::InvalidArgument(std::string(which) + " is not valid UTF-8");
  if (2 * units > kMaxKeyBytes) {
    return Status::InvalidArgument(std::string(which) + " is " + std::to_string(units) +
                                   " UTF-16 code units; at most " +
                                   std::to_string(kMaxKeyBytes / 2) + " are allowed");
  }
  return Status::Ok();
}

Status ValidatePropertyName(std::string_view name) {
  if (name.empty()) return Status::InvalidArgument("a property name may not be empty");
  const auto length = Utf16Length(name);
  if (!length) return Status::InvalidArgument("a property name is not valid UTF-8");
  if (*length > kMaxPropertyNameLength) {
    return Status::InvalidArgument("property name '" + storage::TruncateUtf8(name, 35) +
                                   "' is longer than 255 characters");
  }
  const auto is_ascii = [](char c) { return static_cast<unsigned char>(c) < 0x80; };
  const char first = name.front();
  if (is_ascii(first) && !IsAsciiLetter(first) && first != '_') {
    return Status::InvalidArgument("property name '" + std::string(name) +
                                   "' must start with a letter or '_'");
  }
  for (const char c : name) {
    if (is_ascii(c) && !IsAsciiLetter(c) && !IsAsciiDigit(c) && c != '_') {
      return Status::InvalidArgument("property name '" + std::string(name) +
                                     "' may hold only letters, digits and '_'");
    }
  }
  if (name == "PartitionKey" || name == "RowKey" || name == "Timestamp") {
    return Status::InvalidArgument("'" + std::string(name) +
                                   "' is a system property; it cannot be set as a custom one");
  }
  return Status::Ok();
}

Status ValidateEntity(const Entity& entity) {
  FANFOLD_RETURN_IF_ERROR(ValidateKey(entity.partition_key(), "PartitionKey"));
  FANFOLD_RETURN_IF_ERROR(ValidateKey(entity.row_key(), "RowKey"));
  if (entity.properties().size() > kMaxCustomProperties) {
    return Status::InvalidArgument("entity has " + std::to_string(entity.properties().size()) +
                                   " properties; at most " + std::to_string(kMaxCustomProperties) +
                                   " are allowed");
  }
  for (const auto& [name, value] : entity.properties()) {
    FANFOLD_RETURN_IF_ERROR(ValidatePropertyName(name));
    FANFOLD_RETURN_IF_ERROR(ValidateValue(name, value));
  }
  const size_t size = EntitySizeBytes(entity);
  if (size > kMaxEntityBytes) {
    return Status::InvalidArgument("entity is " + std::to_string(size) + " bytes; at most " +
                                   std::to_string(kMaxEntityBytes) + " are allowed");
  }
  return Status::Ok();
}

size_t EntitySizeBytes(const Entity& entity) {
  size_t size = 4 + 2 * (Utf16Units(entity.partition_key()) + Utf16Units(entity.row_key()));
  for (const auto& [name, value] : entity.properties()) {
    size += 8 + 2 * Utf16Units(name) + ValueSizeBytes(value);
  }
  return size;
}

}  // namespace fanfold::tablestore
