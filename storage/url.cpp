#include "storage/url.hpp"

#include <cctype>

namespace fanfold::storage {
namespace {
bool IsUnreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::string PercentEncode(std::string_view text, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (IsUnreserved(c) || (keep_slash && c == '/')) {
      out += c;
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    }
  }
  return out;
}

std::string PercentDecode(std::string_view text, bool plus_as_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%' && i + 2 < text.size()) {
      const int hi = HexValue(text[i + 1]);
      const int lo = HexValue(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += (plus_as_space && c == '+') ? ' ' : c;
  }
  return out;
}

Result<Url> Url::Parse(std::string_view text) {
  Url url;
  const auto scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) {
    return Status::InvalidArgument("URL has no scheme (expected http:// or https://)");
  }
  url.scheme = std::string(text.substr(0, scheme_end));
  for (auto& c : url.scheme)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (url.scheme != "http" && url.scheme != "https") {
    return Status::InvalidArgument("URL scheme must be http or https, not '" + url.scheme + "'");
  }
  std::string_view rest = text.substr(scheme_end + 3);
  const auto query_start = rest.find('?');
  std::string_view raw_query;
  if (query_start != std::string_view::npos) {
    raw_query = rest.substr(query_start + 1);
    rest = rest.substr(0, query_start);
  }
  const auto path_start = rest.find('/');
  url.authority = std::string(rest.substr(0, path_start));
  if (url.authority.empty()) return Status::InvalidArgument("URL has no host");
  url.path = path_start == std::string_view::npos ? "/" : std::string(rest.substr(path_start));
  url.AppendRawQuery(raw_query);
  return url;
}

Url& Url::AppendPath(std::string_view segment, bool keep_slash) {
  if (path.empty() || path.back() != '/') path += '/';
  path += PercentEncode(segment, keep_slash);
  return *this;
}

Url& Url::AddQuery(std::string name, std::string value) {
  query.emplace_back(std::move(name), std::move(value));
  return *this;
}

Url& Url::AppendRawQuery(std::string_view raw) {
  while (!raw.empty()) {
    const auto amp = raw.find('&');
    const std::string_view pair = raw.substr(0, amp);
    raw = amp == std::string_view::npos ? std::string_view() : raw.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos) {
      query.emplace_back(PercentDecode(pair), "");
    } else {
      query.emplace_back(PercentDecode(pair.substr(0, eq)), PercentDecode(pair.substr(eq + 1)));
    }
  }
  return *this;
}

std::string Url::ToStringWithoutQuery() const {
  return scheme + "://" + authority + path;
}

std::string Url::ToString() const {
  std::string out = ToStringWithoutQuery();
  char separator = '?';
  for (const auto& [name, value] : query) {
    out += separator;
    out += PercentEncode(name);
    out += '=';
    out += PercentEncode(value);
    separator = '&';
  }
  return out;
}

}  // namespace fanfold::storage
