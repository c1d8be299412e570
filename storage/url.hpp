// URLs as the storage services see them: an endpoint (scheme, authority, base path), a path of
// percent-encoded segments, and decoded query parameters. Signing needs the encoded path and the
// decoded parameters separately, so a Url keeps them apart until it is rendered.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/result.hpp"

namespace fanfold::storage {

// Percent-encodes everything except RFC 3986 unreserved characters; with keep_slash, '/' too
// (for blob names, whose '/' is a virtual directory separator).
std::string PercentEncode(std::string_view text, bool keep_slash = false);
// Decodes %XX sequences; with plus_as_space, '+' too (query strings).
std::string PercentDecode(std::string_view text, bool plus_as_space = false);

struct Url {
  std::string scheme;     // "http" or "https"
  std::string authority;  // host[:port]
  std::string path;       // percent-encoded, starting with '/' (may be just "/")
  std::vector<std::pair<std::string, std::string>> query;  // decoded names and values

  static Result<Url> Parse(std::string_view text);

  // Appends one encoded path segment (or several, with keep_slash) after a '/'.
  Url& AppendPath(std::string_view segment, bool keep_slash = false);
  Url& AddQuery(std::string name, std::string value);
  // Appends a raw, already-encoded query string such as a SAS token ("sv=...&sig=...").
  Url& AppendRawQuery(std::string_view raw);

  std::string ToString() const;
  // scheme://authority/path without the query: safe to show, since a SAS lives in the query.
  std::string ToStringWithoutQuery() const;
};

}  // namespace fanfold::storage
