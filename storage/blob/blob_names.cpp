#include "storage/blob/blob_names.hpp"

#include <cctype>
#include <set>
#include <string>

namespace fanfold::storage {
namespace {

bool IsLowerAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// Counts code points, or returns -1 when the text is not valid UTF-8.
long CountUtf8CodePoints(std::string_view text) {
  long count = 0;
  for (size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    size_t length = 0;
    if (lead < 0x80) {
      length = 1;
    } else if ((lead & 0xE0) == 0xC0 && lead >= 0xC2) {
      length = 2;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3;
    } else if ((lead & 0xF8) == 0xF0 && lead <= 0xF4) {
      length = 4;
    } else {
      return -1;
    }
    if (i + length > text.size()) return -1;
    for (size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return -1;
    }
    i += length;
    ++count;
  }
  return count;
}

}  // namespace

Status ValidateContainerName(std::string_view name) {
  if (name == "$root" || name == "$web" || name == "$logs") return Status::Ok();
  // The name itself is echoed: container names are not secrets and the caller needs to see it.
  const std::string quoted = "container name '" + std::string(name.substr(0, 80)) + "'";
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
  size_t segments = 1;
  for (const char c : name)
    segments += c == '/' ? 1 : 0;
  if (segments > 254) {
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
      return Status::InvalidArgument("metadata name '" + name.substr(0, 80) +
                                     "' is not a C# identifier");
    }
    std::string lower = name;
    for (auto& c : lower)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!lower_names.insert(lower).second) {
      return Status::InvalidArgument("metadata name '" + name.substr(0, 80) +
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
