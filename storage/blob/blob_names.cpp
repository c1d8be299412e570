#include "storage/blob/blob_names.hpp"

#include <cctype>
#include <set>
#include <string>

#include "storage/utf8_text.hpp"

namespace fanfold::storage {
namespace {

bool IsLowerAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// Counts code points, or returns -1 when the text is not valid UTF-8.
long CountUtf8CodePoints(std::string_view text) {
  long count = 0;
  while (!text.empty()) {
    const std::size_t length = DecodeUtf8(text).length;
    if (length == 0) return -1;
    text.remove_prefix(length);
    ++count;
  }
  return count;
}

bool IsControlCharacter(char32_t code_point) {
  return code_point < 0x20 || (code_point >= 0x7F && code_point <= 0x9F);
}

}  // namespace

Status ValidateContainerName(std::string_view name) {
  if (name == "$root" || name == "$web" || name == "$logs") return Status::Ok();
  // The name itself is echoed: container names are not secrets and the caller needs to see it.
  const std::string quoted = "container name '" + TruncateUtf8(name, 80) + "'";
  if (name.size() < 3 || name.size() > 63) {
    return Status::InvalidArgument(quoted + " must be 3 to 63 characters long");
  }
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (c == '-') {
      if (i == 0 || i + 1 == name.size()) {
        return Status::InvalidArgument(quoted + " must start and end with a letter or digit");
      }
      if (name[i - 1] == '-') {
        return Status::InvalidArgument(quoted + " must not contain consecutive hyphens");
      }
    } else if (!IsLowerAlnum(c)) {
      return Status::InvalidArgument(quoted +
                                     " may hold only lower-case letters, digits and hyphens");
    }
  }
  return Status::Ok();
}

Status ValidateBlobName(std::string_view name) {
  const long code_points = CountUtf8CodePoints(name);
  if (code_points < 0) return Status::InvalidArgument("blob name is not valid UTF-8");
  if (code_points < 1 || code_points > 1024) {
    return Status::InvalidArgument("blob name must be 1 to 1024 characters long, not " +
                                   std::to_string(code_points));
  }
  for (std::string_view rest = name; !rest.empty();) {
    const DecodedCodePoint decoded = DecodeUtf8(rest);
    if (IsControlCharacter(decoded.code_point)) {
      return Status::InvalidArgument(
          "blob name holds a control character (U+0000-U+001F, U+007F-U+009F), which Azure does "
          "not allow in a name");
    }
    rest.remove_prefix(decoded.length);
  }
  size_t segments = 0;
  for (std::string_view rest = name;; ++segments) {
    const size_t slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    if (segment == "." || segment == "..") {
      // Sent as-is or as %2E, the service resolves dot segments like a file path: "a/../b"
      // would read and write the blob "b". Such a name cannot be kept under its own name.
      return Status::InvalidArgument(
          "blob name '" + TruncateUtf8(name, 80) +
          "' has a '.' or '..' segment, which the service resolves as a path (reaching another "
          "blob): rename it");
    }
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  if (segments + 1 > 254) {
    return Status::InvalidArgument("blob name has more than 254 '/'-separated segments");
  }
  return Status::Ok();
}

Status ValidateMetadata(const BlobMetadata& metadata) {
  std::set<std::string> lower_names;
  for (const auto& [name, value] : metadata) {
    const bool valid_start =
        !name.empty() && (std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_');
    bool valid = valid_start;
    for (const char c : name) {
      valid = valid && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
    }
    if (!valid) {
      return Status::InvalidArgument("metadata name '" + TruncateUtf8(name, 80) +
                                     "' is not a C# identifier");
    }
    std::string lower = name;
    for (auto& c : lower)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!lower_names.insert(lower).second) {
      return Status::InvalidArgument("metadata name '" + TruncateUtf8(name, 80) +
                                     "' appears twice (names ignore case)");
    }
    for (const char c : value) {
      const auto byte = static_cast<unsigned char>(c);
      if (byte < 0x20 || byte > 0x7E) {
        // The value is not echoed: metadata can carry anything the caller chose to store.
        return Status::InvalidArgument("metadata value of '" + name +
                                       "' holds a character that is not printable ASCII");
      }
    }
  }
  return Status::Ok();
}

}  // namespace fanfold::storage
